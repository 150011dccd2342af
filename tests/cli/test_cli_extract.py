"""Tests for ``arms extract`` (arms.cli.extract); the excerpts themselves are tested in
tests/io/test_excerpt.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arms.cli import main
from arms.io.excerpt import extract, extract_summary
from arms.io.readers import read_trade_register

DATA = Path(__file__).parents[1] / "data"
REGISTER = DATA / "extract_register.csv"
TABLE = DATA / "extract_tiv_imports.csv"


def test_cli_json(tmp_path, capsys):
    dest = tmp_path / "x.csv"
    argv = [
        "extract",
        str(REGISTER),
        "-o",
        str(dest),
        "--recipient",
        "Azerbaijan",
        "--recipient",
        "Armenia",
        "--from",
        "1990",
        "--to",
        "2024",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"source", "dest", "variant", "records_in", "records_out", "share"} <= set(out)
    assert (out["variant"], out["records_in"], out["records_out"]) == ("V1", 10, 6)
    assert out["share"] == pytest.approx(0.6)
    assert out["dest"] == str(dest) and dest.exists()
    line = dest.read_text(encoding="cp1252").splitlines()[11]
    assert (
        "arms extract extract_register.csv --recipient Azerbaijan --recipient Armenia "
        "--from 1990 --to 2024; 6 of 10 records (60%)" in line
    )


@pytest.mark.parametrize(
    "names",
    [
        ["--recipient", "Armenia", "Azerbaijan"],  # several names to one option, as in fetch
        ["--recipient", "Armenia", "--recipient", "Azerbaijan"],  # repeated option
        ["--recipient", "Armenia", "--recipient", "Azerbaijan", "Chile"],  # both
    ],
)
def test_cli_several_names_per_option(tmp_path, capsys, names):
    dest = tmp_path / "x.csv"
    assert main(["extract", str(REGISTER), "-o", str(dest), *names, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    wanted = [n for n in names if not n.startswith("--")]
    library = extract_summary(REGISTER, tmp_path / "lib.csv", recipients=wanted)
    assert dest.read_bytes() == (tmp_path / "lib.csv").read_bytes()
    assert out["records_out"] == library["records_out"] > 0
    line = dest.read_text(encoding="cp1252").splitlines()[11]
    assert (
        "arms extract extract_register.csv " + " ".join(f"--recipient {n}" for n in wanted) in line
    )


def test_cli_several_suppliers_and_entities(tmp_path, capsys):
    dest = tmp_path / "s.csv"
    argv = ["extract", str(REGISTER), "-o", str(dest), "--supplier", "Turkey", "Ukraine"]
    assert main([*argv, "--recipient", "Azerbaijan", "--json"]) == 0
    capsys.readouterr()
    got = read_trade_register(dest)
    assert set(got["supplier"]) <= {"Turkiye", "Ukraine"} and set(got["recipient"]) == {
        "Azerbaijan"
    }
    one = extract(REGISTER, tmp_path / "one.csv", entities=["Azerbaijan", "Chile"])
    argv = ["extract", str(REGISTER), "-o", str(tmp_path / "e.csv"), "--entity", "Azerbaijan"]
    assert main([*argv, "Chile"]) == 0
    capsys.readouterr()
    assert (tmp_path / "e.csv").read_bytes() == one.read_bytes()


def test_cli_help_mentions_several_names(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--recipient NAME [NAME ...]" in text
    assert "--recipient Armenia Azerbaijan" in text


def test_cli_human_and_errors(tmp_path, capsys):
    assert (
        main(
            [
                "extract",
                str(TABLE),
                "-o",
                str(tmp_path / "t.csv"),
                "--entity",
                "Turkey",
                "--note",
                "See README.",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {tmp_path / 't.csv'}: 1 of 6 records (17%)")
    assert "Not an original SIPRI export. See README." in (tmp_path / "t.csv").read_text()
    assert main(["extract", str(TABLE), "-o", str(tmp_path / "u.csv"), "--recipient", "X"]) == 1
    assert "error: a TIV table is filtered by its row names" in capsys.readouterr().err
    assert main(["extract", str(REGISTER), "-o", str(tmp_path / "u.csv")]) == 1
    assert "no filter given" in capsys.readouterr().err
