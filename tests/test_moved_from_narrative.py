"""Tests that lived in tests/test_narrative.py and check analysis and discovery, not prose.

To be split at merge: ``overtake`` and ``require`` into tests/analysis/, the file discovery
into tests/io/ (they use only the public API).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from arms import analysis
from arms.errors import ArmsError
from arms.io import discovery, readers
from arms.paths import SIPRI_DIR

REGISTER_CSV = (
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: {date}\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    "Armenia,Russia,2019,,4,,Su-30K,FGA aircraft,4,,2019,New,$120 m deal; Su-30SM version,"
    "47.5,190,190\n"
    "Azerbaijan,Turkiye,2020,?,12,?,Bayraktar TB2,armed UAV,12,?,2020,New,,2.4,28.8,28.8\n"
)
TABLE_CSV = "Recipient,2019,2020,2019-2020\nArmenia,190,,190\nTotal world import,190,,190\n"
FROM_CHINA = "register-from-china.csv"


@pytest.fixture(scope="module")
def deliveries():
    path = discovery.bundled_files().get("deliveries")
    if path is None:
        pytest.skip("no bundled deliveries file")
    return discovery.load(path, kind="deliveries")


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "README.md").write_text("# not SIPRI data\n")
    (tmp_path / "old-register.csv").write_text(REGISTER_CSV.format(date="13 Oct 2024 2:20:11 PM"))
    (tmp_path / "new-register.csv").write_text(REGISTER_CSV.format(date="3 Jan 2025 9:16:02 PM"))
    (tmp_path / "imports.csv").write_text(TABLE_CSV)
    return tmp_path


@pytest.fixture()
def from_china():
    from pathlib import Path

    return readers.read_deliveries(Path(__file__).parent / "data" / FROM_CHINA)


def yearly(a_values, b_values, years=range(2014, 2018)):
    rows = []
    for y, a, b in zip(years, a_values, b_values, strict=True):
        rows += [(y, "Israel", a), (y, "Russia", b)]
    return pd.DataFrame(rows, columns=["year", "supplier", "tiv"])


# --- overtake ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "status", "when", "last"),
    [
        ([1, 1, 9, 9], [5, 5, 1, 0], "overtook", 2016, 2015),
        ([1, 9, 1, 0], [5, 1, 5, 0], "not yet", None, 2016),
        ([5, 5, 0, 0], [1, 5, 0, 0], "never behind", None, None),
        ([0, 0, 0, 0], [0, 0, 0, 0], "no deliveries", None, None),
    ],
)
def test_overtake(a, b, status, when, last):
    result = analysis.overtake(yearly(a, b), "Israel", "Russia")
    assert (result["status"], result["when"], result["last_behind"]) == (status, when, last)


def test_overtake_ignores_case_of_names():
    result = analysis.overtake(yearly([1, 9, 9, 9], [5, 1, 1, 1]), "israel", "RUSSIA")
    assert result["when"] == 2015


def test_overtake_on_bundled_periods(deliveries):
    periods = analysis.period_table(deliveries, recipient="Azerbaijan")
    result = analysis.overtake(periods, "Israel", "Russia")
    assert result["status"] == "overtook"
    assert result["when"] == "2016-20"
    assert result["a_share"] > result["b_share"]


# --- discovery ---------------------------------------------------------------------------------


def test_describe_finds_files_by_content(folder):
    found = discovery.describe(folder)
    assert set(found["name"]) == {"old-register.csv", "new-register.csv", "imports.csv"}
    assert found["role"].tolist() == ["register", "register", "imports"]
    assert found["name"].iloc[0] == "new-register.csv"  # newest release first
    files = discovery.bundled_files(folder)
    assert files["register"].name == "new-register.csv"
    assert files["imports"].name == "imports.csv"


def test_describe_skips_what_is_not_sipri_but_not_a_reader_bug(folder, tmp_path, monkeypatch):
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    assert "picture.png" not in set(discovery.describe(folder)["name"])  # nor README.md
    assert discovery.describe(folder)["generated"].tolist()[0] == "2025-01-03"

    def broken(path, *, errors="raise"):
        raise ValueError("a bug in a reader")

    fresh = tmp_path / "fresh"  # files not classified yet
    shutil.copytree(folder, fresh)
    monkeypatch.setattr(readers, "read_any", broken)
    with pytest.raises(ValueError, match="a bug in a reader"):
        discovery.describe(fresh)


def test_data_overrides_its_role(folder, tmp_path_factory):
    mine = tmp_path_factory.mktemp("mine") / "my-register.csv"
    shutil.copy(folder / "old-register.csv", mine)
    files = discovery.bundled_files(folder, data=mine)
    assert files["register"] == mine.resolve()
    assert files["imports"].name == "imports.csv"
    assert discovery.choose(mine, folder) == mine.resolve()
    assert discovery.choose(None, folder).name == "new-register.csv"


def test_choose_rejects_the_wrong_kind_and_missing_files(folder, tmp_path_factory):
    with pytest.raises(ArmsError, match="TIV table by importer; this needs"):
        discovery.choose(folder / "imports.csv", folder)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discovery.choose(folder / "nope.csv", folder)
    empty = tmp_path_factory.mktemp("empty")
    with pytest.raises(ArmsError, match="has no"):
        discovery.choose(None, empty)
    with pytest.raises(ValueError, match="unknown role"):
        discovery.choose(None, folder, roles=("nonsense",))


def test_load_uses_the_wanted_reader(folder):
    deals = discovery.load(folder / "new-register.csv")
    assert len(deals) == 2 and "tiv_delivered" in deals.columns
    split = discovery.load(folder / "new-register.csv", kind="deliveries")
    assert set(split["allocation"]) == {"even"}
    with pytest.raises(ValueError, match="kind must be"):
        discovery.load(folder / "new-register.csv", kind="table")


@pytest.mark.skipif(not SIPRI_DIR.is_dir(), reason="no bundled extract")
def test_bundled_extract_has_every_role():
    files = discovery.bundled_files()
    assert {"register", "deliveries", "imports", "exports", "supplier_register"} <= set(files)
    assert discovery.supplier_file("Israel") == files["supplier_register"]
    assert discovery.supplier_file("Narnia") is None


# --- require and files of some suppliers' exports only -------------------------------------------


def test_a_scoped_file_says_so(from_china, deliveries):
    assert analysis.supplier_scope(from_china) == "China"
    shares = analysis.supplier_shares(from_china, "Pakistan", start=2017, end=2018)
    assert shares.attrs["supplier_scope"] == "China"
    assert analysis.supplier_scope(deliveries) is None


def test_require_passes_with_the_parties(deliveries):
    analysis.require(deliveries, recipients=["Azerbaijan", "Armenia"], suppliers=["Russia"])
    analysis.require(deliveries, recipients=["Azerbaijan"], all_suppliers=True)


def test_require_raises_not_applicable(from_china):
    from arms import NotApplicable

    with pytest.raises(
        NotApplicable,
        match=r"needs deliveries to Armenia; the file "
        r"register-from-china\.csv has none to Armenia",
    ):
        analysis.require(from_china, recipients=["Armenia"])
    with pytest.raises(NotApplicable, match="has none from Israel or Russia"):
        analysis.require(
            from_china, recipients=["Pakistan"], suppliers=["China", "Israel", "Russia"]
        )
    with pytest.raises(NotApplicable, match="only holds deliveries from China"):
        analysis.require(from_china, recipients=["Pakistan"], all_suppliers=True)
    analysis.require(from_china, recipients=["Pakistan"], suppliers=["China"])
    assert issubclass(NotApplicable, Exception)
