"""Tests for ``arms shares``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arms.cli import main
from arms.paths import SHARED_SIPRI_DIR, SIPRI_DIR

# A made-up deliveries export in SIPRI's V2 layout (values invented for the test).
PREAMBLE = "\n".join(
    [
        "Transfers of major conventional arms from All countries  to All countries . Deals "
        "with deliveries or orders made for year range '2010' to '2022' ",
        "A '?' in a column indicates uncertain data.",
        "SIPRI trend-indicator values (TIVs) are in millions.",
        "",
        "Source: SIPRI Arms Transfers Database (c) SIPRI.",
        "Data generated: 3 Jan 2025 9:16:02 PM",
        "",
    ]
)
HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
    "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
    "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
    "TIV delivery values,Local production"
)
ROWS = [
    "1,Israel,Azerbaijan,Drone A,armed UAV,Aircraft,2015,No,10,No,2016,No,New,3,3,30,No",
    "1,Israel,Azerbaijan,Drone A,armed UAV,Aircraft,2015,No,10,Yes,2017,No,New,3,3,30,No",
    "2,Russia,Azerbaijan,Tank B,tank,Armoured vehicles,2012,No,20,No,2013,No,New,2,2,40,No",
    "2,Russia,Azerbaijan,Tank B,tank,Armoured vehicles,2012,No,10,No,2016,No,New,2,2,20,No",
    "3,Turkiye,Azerbaijan,Drone C,armed UAV,Aircraft,2020,Yes,4,Yes,2020,No,New,2.5,2.5,10,No",
    "4,Russia,Armenia,Jet D,FGA aircraft,Aircraft,2019,No,2,No,2019,No,New,40,40,80,No",
]


@pytest.fixture()
def export(tmp_path):
    path = tmp_path / "deliveries.csv"
    path.write_text(PREAMBLE + HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="ascii")
    return path


def run_json(capsys, *argv):
    assert main(["shares", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_payload(export, capsys):
    out = run_json(capsys, export, "--recipient", "Azerbaijan", "--from", 2016, "--to", 2020)
    assert {"recipient", "from", "to", "total_tiv", "method", "shares"} <= set(out)
    assert (out["recipient"], out["from"], out["to"]) == ("Azerbaijan", 2016, 2020)
    assert out["method"] == "sipri"
    assert out["total_tiv"] == 90.0  # the 2013 tank delivery is outside the window
    assert out["shares"] == [
        {"supplier": "Israel", "tiv": 60.0, "share": 66.67},
        {"supplier": "Russia", "tiv": 20.0, "share": 22.22},
        {"supplier": "Turkiye", "tiv": 10.0, "share": 11.11},
    ]
    assert out["estimated_share"] == pytest.approx(40 / 90 * 100, abs=0.01)
    assert out["generated"].startswith("2025-01-03")


def test_window_defaults_to_the_file_and_names_are_forgiving(export, capsys):
    out = run_json(capsys, export, "--recipient", "AZERBAIJAN")
    assert (out["from"], out["to"]) == (2013, 2020)
    assert out["shares"][0] == {"supplier": "Israel", "tiv": 60.0, "share": 46.15}
    assert sum(s["share"] for s in out["shares"]) == pytest.approx(100, abs=0.02)


def test_human_output(export, capsys):
    assert (
        main(["shares", str(export), "--recipient", "Armenia", "--from", "2019", "--to", "2019"])
        == 0
    )
    text = capsys.readouterr().out
    assert "Armenia, deliveries 2019-2019: 80.0 million TIV (SIPRI's per-year figures)" in text
    assert "Russia" in text and "100.0%" in text
    assert "Source: SIPRI Arms Transfers Database" in text
    assert "data generated 3 Jan 2025;" in text  # the date for people, not the ISO stamp
    assert "2025-01-03" not in text


def test_no_deliveries_in_window(export, capsys):
    out = run_json(capsys, export, "--recipient", "Armenia", "--from", "2000", "--to", "2005")
    assert out["total_tiv"] == 0 and out["shares"] == []


def test_errors_are_one_line(export, capsys):
    assert main(["shares", str(export), "--recipient", "Azerbaijn"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "Azerbaijn" in err and "did you mean Azerbaijan" in err
    assert (
        main(["shares", str(export), "--recipient", "Armenia", "--from", "2020", "--to", "2010"])
        == 1
    )
    assert "--from 2020 is after --to 2010" in capsys.readouterr().err
    assert main(["shares", str(export.with_name("missing.csv")), "--recipient", "x"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["shares", "--help"])
    assert exc.value.code == 0
    assert "--recipient" in capsys.readouterr().out


DELIVERIES = SHARED_SIPRI_DIR / "deliveries-newportal-lucacasu-1.csv"
REGISTER = SHARED_SIPRI_DIR / "tradereg-newportal-MJHofmann-1.csv"


@pytest.mark.skipif(not DELIVERIES.exists(), reason="../shared/sipri is absent")
def test_real_azerbaijan_2016_20(capsys):
    out = run_json(capsys, DELIVERIES, "--recipient", "Azerbaijan", "--from", 2016, "--to", 2020)
    assert out["method"] == "sipri"
    first, second = out["shares"][:2]
    assert (first["supplier"], second["supplier"]) == ("Israel", "Russia")
    assert first["share"] == pytest.approx(69, abs=3)  # SIPRI Fact Sheet, March 2021
    assert second["share"] == pytest.approx(17, abs=3)
    assert [s["tiv"] for s in out["shares"]] == sorted(
        (s["tiv"] for s in out["shares"]), reverse=True
    )


@pytest.mark.skipif(not REGISTER.exists(), reason="../shared/sipri is absent")
def test_real_register_is_an_even_split(capsys):
    out = run_json(capsys, REGISTER, "--recipient", "Armenia", "--from", 2019, "--to", 2019)
    assert out["method"] == "even"
    assert out["shares"][0]["supplier"] == "Russia"


# --- a file of one supplier's exports ("from China to All countries") -----------------------

FROM_CHINA = Path(__file__).parent.parent / "data" / "register-from-china.csv"


def test_scoped_file_says_so_in_text(capsys):
    assert main(["shares", str(FROM_CHINA), "--recipient", "Pakistan"]) == 0
    out = capsys.readouterr().out
    assert (
        "Note: this file only holds deliveries from China; these are shares of those, "
        "not of all Pakistan's imports"
    ) in out
    assert "China" in out and "100.0%" in out


def test_scoped_file_json_has_supplier_scope(capsys):
    out = run_json(capsys, FROM_CHINA, "--recipient", "Pakistan")
    assert out["supplier_scope"] == "China"
    assert {"recipient", "from", "to", "total_tiv", "method", "shares", "generated"} <= set(out)
    assert out["shares"] == [{"supplier": "China", "tiv": 400.0, "share": 100.0}]


def test_unscoped_file_has_no_note(export, capsys):
    assert run_json(capsys, export, "--recipient", "Azerbaijan")["supplier_scope"] is None
    assert main(["shares", str(export), "--recipient", "Azerbaijan"]) == 0
    assert "Note:" not in capsys.readouterr().out


def test_real_china_file(capsys):
    path = SHARED_SIPRI_DIR / "tradereg-newportal2026-DCL2049-1.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    out = run_json(capsys, path, "--recipient", "Pakistan", "--from", 2016, "--to", 2020)
    assert out["supplier_scope"] == "China"
    assert main(["shares", str(path), "--recipient", "Pakistan"]) == 0
    assert "only holds deliveries from China" in capsys.readouterr().out


def test_help_states_each_default_once(capsys):
    with pytest.raises(SystemExit):
        main(["shares", "--help"])
    out = capsys.readouterr().out
    assert "(default: the file's first)" in out
    assert "(default: None)" not in out and "(default: False)" not in out


def test_a_split_register_states_the_split_error(capsys):
    path = SIPRI_DIR / "tradereg-azerbaijan-armenia-2024-10-13.csv"
    if not path.exists():
        pytest.skip("no bundled extract")
    assert main(["shares", str(path), "--recipient", "Azerbaijan", "--from", "2016",
                 "--to", "2020", "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "even"
    assert 0 < out["split_error"]["recipient_year"] < 1
    assert main(["shares", str(path), "--recipient", "Azerbaijan"]) == 0
    assert "split register are off by about" in capsys.readouterr().out


JSON_EXPORT = SHARED_SIPRI_DIR / "apijson-newportal-AndreiTeodorPetre-russia.json"


@pytest.mark.skipif(not JSON_EXPORT.exists(), reason="../shared/sipri is absent")
def test_backend_json_without_tiv_is_refused_in_one_line(capsys):
    assert main(["shares", str(JSON_EXPORT), "--recipient", "India"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "no TIV values" in err and JSON_EXPORT.name in err
    assert "internal error" not in err
