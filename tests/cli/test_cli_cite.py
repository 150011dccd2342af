"""Tests for ``arms cite``: BibTeX and CSL-JSON with the file's generated date and the URL."""

from __future__ import annotations

import json

import arms
from arms.cli import main
from arms.text import URL


def test_cite_prints_bibtex_then_csl_json(capsys):
    path = arms.io.bundled_files()["deliveries"]
    assert main(["cite", str(path)]) == 0
    out = capsys.readouterr().out
    bib, csl = out.split("\n\n", 1)
    assert bib.startswith("@misc{sipri_atd_2025_01_03,")
    assert "date = {2025-01-03}" in bib and URL in bib and "3 Jan 2025" in bib
    assert bib.count("{") == bib.count("}")
    item = json.loads(csl)[0]
    assert item["issued"] == {"date-parts": [[2025, 1, 3]]}
    assert item["URL"] == URL and item["type"] == "dataset"
    assert path.name in item["note"]


def test_cite_json_and_single_formats(capsys):
    path = arms.io.bundled_files()["register"]
    assert main(["cite", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"generated", "url", "bibtex", "csl"}
    assert payload["generated"].startswith("2024-10-13")
    assert main(["cite", str(path), "--format", "bibtex"]) == 0
    assert capsys.readouterr().out.startswith("@misc{")
    assert main(["cite", str(path), "--format", "csl"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "sipri_atd_2024_10_13"


def test_a_file_without_a_date_is_cited_undated(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("Recipient,2020,2020-2020\nTurkey,4,4\n")
    assert main(["cite", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "issued" not in payload["csl"][0]
    assert "Generated date unknown" in payload["bibtex"]
