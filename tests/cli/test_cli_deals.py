"""Tests of the `arms deals` command (search a file's deals by weapon name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arms import paths, schema
from arms.cli import main

DATA = Path(__file__).parent.parent / "data"
V2_DELIVERIES = DATA / "readers" / "v2-deliveries.csv"
DELIVERIES = paths.SHARED_SIPRI_DIR / "deliveries-newportal-lucacasu-1.csv"


def test_cli_deals_json(capsys):
    code = main(
        [
            "deals",
            str(DATA / "search_register.csv"),
            "--search",
            "su30sm",
            "--recipient",
            "Armenia",
            "--json",
        ]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    (match,) = payload["matches"]
    assert match["designation"] == "Su-30K"
    assert match["matched_in"] == "comments"
    assert match["delivery_years"] == [2019]
    assert set(schema.DEALS) <= set(match)


def test_cli_deals_human_and_errors(capsys):
    assert main(["deals", str(DATA / "search_register.csv"), "--search", "TB2"]) == 0
    out = capsys.readouterr().out
    assert "Bayraktar TB-2" in out and "2 deal(s)" in out
    assert main(["deals", str(DATA / "search_register.csv"), "--search", "?!"]) == 1
    assert "no letters or digits" in capsys.readouterr().err


def test_cli_deals_notes_missing_comments(capsys):
    args = ["deals", str(V2_DELIVERIES), "--search", "Su-30SM", "--recipient", "Armenia"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "no deals match 'Su-30SM'" in captured.out
    assert "no Comments column" in captured.err
    assert "Su-30K" in captured.err and "trade register" in captured.err
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["matches"] == []
    assert payload["searched"] == ["designation", "description"]
    assert "no Comments column" in captured.err


def test_cli_deals_json_on_json_export(capsys):
    path = DATA / "readers" / "v9-backend.json"
    assert main(["deals", str(path), "--search", "BMP", "--json"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert [m["designation"] for m in payload["matches"]] == ["BMP-3"]
    assert payload["searched"] == ["designation", "description"]
    assert "no Comments column" in captured.err


def test_cli_deals_register_has_no_note(capsys):
    path = str(DATA / "search_register.csv")
    assert main(["deals", path, "--search", "su30sm", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["searched"] == ["designation", "description", "comments"]
    assert captured.err == ""


@pytest.mark.skipif(not DELIVERIES.is_file(), reason="shared SIPRI files not available")
def test_real_deliveries_su30sm_explains_itself(capsys):
    argv = ["deals", str(DELIVERIES), "--search", "Su-30SM", "--recipient", "Armenia"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "no deals match" in captured.out
    assert "no Comments column" in captured.err
