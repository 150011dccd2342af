"""``arms inspect``: JSON keys from DESIGN.md, a human table, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import arms.cli.inspect
from arms.cli import main
from arms.paths import SHARED_SIPRI_DIR

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
KEYS = {
    "format",
    "encoding",
    "records",
    "rejected",
    "generated",
    "recipients",
    "suppliers",
    "tiv_total",
}


def run_json(capsys, path) -> dict:
    assert main(["inspect", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_register_summary(capsys):
    out = run_json(capsys, DATA / "v1-2024.csv")
    assert KEYS <= set(out)
    assert (out["format"], out["encoding"], out["records"], out["rejected"]) == (
        "V1",
        "cp1252",
        7,
        0,
    )
    assert out["generated"] == "2024-10-13T14:20:11"
    assert out["recipients"] == 5 and out["suppliers"] == 7
    # TIV of delivered weapons: 190 + 28.8 + 15 + 3.25 + 0.4 + 0 + 0
    assert out["tiv_total"] == pytest.approx(237.45)


def test_deliveries_and_table_summaries(capsys):
    d = run_json(capsys, DATA / "v2-deliveries.csv")
    assert (d["format"], d["records"]) == ("V2", 7)  # deal-year rows
    assert d["tiv_total"] == pytest.approx(6 + 9 + 190 + 0.66 + 1.2 + 0.2 + 0)
    t = run_json(capsys, DATA / "v3-imports.csv")
    assert (t["format"], t["records"], t["recipients"], t["suppliers"]) == ("V3", 4, 4, None)
    # year cells of the entity rows, total row excluded
    assert t["tiv_total"] == 369 + 44 + 51 + 32 + 29 + 7 + 0 + 0 + 100 + 80 + 50 + 40


def test_human_output(capsys):
    assert main(["inspect", str(DATA / "v8-legacy2014.csv")]) == 0
    text = capsys.readouterr().out
    assert "V8: legacy 2014-era trade register" in text
    assert "records" in text and "6" in text


def test_errors_are_one_line_without_traceback(tmp_path):
    page = tmp_path / "export.csv"
    page.write_text("<!DOCTYPE html><html><body>SIPRI</body></html>")
    proc = subprocess.run(
        [sys.executable, "-m", "arms", "inspect", str(page)], capture_output=True, text=True
    )
    assert proc.returncode == 2  # refused
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "HTML page" in lines[0] and str(page) in lines[0]
    assert "Traceback" not in proc.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "arms", "inspect", str(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_exit_status_clean_rejected_refused(tmp_path, capsys):
    good = (DATA / "v8-legacy2014.csv").read_text(encoding="utf-8")
    assert main(["inspect", str(DATA / "v8-legacy2014.csv")]) == 0
    lines = good.splitlines()
    damaged = tmp_path / "damaged.csv"
    damaged.write_text("\n".join(lines[:2] + ["1,2,3"] + lines[2:]) + "\n", encoding="utf-8")
    assert main(["inspect", str(damaged)]) == 1
    assert "rejected (1" in capsys.readouterr().out
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["inspect", str(empty)]) == 2


def test_help_documents_exit_status(capsys):
    with pytest.raises(SystemExit):
        main(["inspect", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 when the file reads cleanly, 1 when it reads with rejected lines" in text


def test_debug_shows_traceback(tmp_path):
    page = tmp_path / "empty.csv"
    page.write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "arms", "--debug", "inspect", str(page)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_an_unexpected_error_is_still_one_line(monkeypatch, capsys):
    def broken(path):
        raise RuntimeError("something we did not foresee")

    monkeypatch.setattr(arms.cli.inspect, "inspect_file", broken)
    assert main(["inspect", str(DATA / "v1-2024.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error: RuntimeError: something we did not foresee" in err[0]


def test_rejected_lines_are_counted_not_warned(tmp_path):
    lines = (DATA / "v1-2024.csv").read_bytes().split(b"\n")
    lines[12] = lines[12].replace(b",47.5,", b",lots,")
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\n".join(lines))
    proc = subprocess.run(
        [sys.executable, "-m", "arms", "inspect", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and proc.stderr == ""  # read, with rejected lines
    out = json.loads(proc.stdout)
    assert (out["records"], out["rejected"]) == (6, 1)


def test_warned_lines_and_years_from_the_data(capsys):
    out = run_json(capsys, DATA / "v8-legacy2014.csv")
    assert out["warnings"] == 1
    assert out["warning_lines"] == [
        {"line": 5, "reason": out["warning_lines"][0]["reason"], "text": "194 - 2008"}
    ]
    assert (out["year_from"], out["year_to"], out["years_from_data"]) == (2006, 2012, True)
    assert main(["inspect", str(DATA / "v8-legacy2014.csv")]) == 0
    text = capsys.readouterr().out
    assert "line 5: garbled delivery range" in text and "from the data" in text
    stated = run_json(capsys, DATA / "v1-2024.csv")
    assert (stated["year_from"], stated["year_to"], stated["years_from_data"]) == (
        1950,
        2024,
        False,
    )


REGISTER_2026 = (
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 14 May 2026 9:16:02 PM\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    "RSF (Sudan)*,UAE,2024,?,10,?,X-2,armed reconnaissance drone,10,?,2024,New,,3,30,30\n"
    "Sudan,Atlantis,2024,,2,,X-1,death ray,2,,2024,New,,5,10,10\n"
)


def test_coverage_keys_and_lines(capsys, tmp_path):
    path = tmp_path / "register-2026.csv"
    path.write_text(REGISTER_2026)
    out = run_json(capsys, path)
    assert out["category_tiv_share"] == pytest.approx(30 / 40)
    assert (out["unplaced_tiv"], out["unplaced_descriptions"]) == (10.0, ["death ray"])
    assert out["parties"] == {
        "by_table": 2,
        "by_rule": 1,
        "unresolved": 1,
        "rule_names": ["RSF (Sudan)*"],
        "unresolved_names": ["Atlantis"],
    }
    assert main(["inspect", str(path)]) == 0
    text = capsys.readouterr().out
    assert "75.00% (10.00 TIV with no rule)" in text
    assert "2 by table, 1 by rule, 1 not resolved" in text
    assert "'death ray'" in text and "'RSF (Sudan)*'" in text and "'Atlantis'" in text


def test_every_shared_file_is_fully_covered(capsys, shared_sipri):
    """Zero unplaced descriptions and zero unresolved names on every shared SIPRI file."""
    files = sorted(p for p in shared_sipri.iterdir() if p.suffix in (".csv", ".txt", ".json"))
    assert files
    lines = []
    for path in files:
        out = run_json(capsys, path)
        parties = out["parties"]
        lines.append(f"{path.name}: TIV with a category {out['category_tiv_share']}, {parties}")
        assert parties["unresolved"] == 0, path.name
        # only the by-category table (rows are weapon categories) names no party
        assert parties["by_table"] > 0 or path.name == "tivtable-legacy-export-sumn2u-1.csv"
        assert out["unplaced_descriptions"] == [], path.name
        if out["kind"] != "tiv":
            assert out["category_tiv_share"] in (None, 1.0), path.name
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_a_file_joining_two_downloads_names_its_parts(capsys, tmp_path):
    source = SHARED_SIPRI_DIR / "dealsandtivs-legacy-michelle352l-1.txt"
    if not source.is_file():
        pytest.skip("../shared/sipri is absent")
    joined = tmp_path / "twice.txt"
    shutil.copyfile(source, joined)
    with joined.open("ab") as f:
        f.write(b"\n" + source.read_bytes())
    assert main(["inspect", str(joined), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["header_line"] for p in out["parts"]][0] == out["header_line"]
    assert len(out["parts"]) == 2
    assert out["warnings"] == out["records"] // 2  # every row of the second part repeats
