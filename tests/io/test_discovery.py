"""Discovery: the SIPRI files of a folder found by content, each given a role."""

from __future__ import annotations

import os
import shutil

import pytest

from arms.errors import ArmsError
from arms.io import discovery as bundle
from arms.io import readers
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


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "README.md").write_text("# not SIPRI data\n")
    (tmp_path / "old-register.csv").write_text(REGISTER_CSV.format(date="13 Oct 2024 2:20:11 PM"))
    (tmp_path / "new-register.csv").write_text(REGISTER_CSV.format(date="3 Jan 2025 9:16:02 PM"))
    (tmp_path / "imports.csv").write_text(TABLE_CSV)
    return tmp_path


def test_describe_finds_files_by_content(folder):
    found = bundle.describe(folder)
    assert set(found["name"]) == {"old-register.csv", "new-register.csv", "imports.csv"}
    assert found["role"].tolist() == ["register", "register", "imports"]
    assert found["name"].iloc[0] == "new-register.csv"  # newest release first
    files = bundle.bundled_files(folder)
    assert files["register"].name == "new-register.csv"
    assert files["imports"].name == "imports.csv"


def test_describe_skips_what_is_not_sipri_but_not_a_reader_bug(folder, monkeypatch):
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    assert "picture.png" not in set(bundle.describe(folder)["name"])  # nor README.md
    assert bundle.describe(folder)["generated"].tolist()[0] == "2025-01-03"

    def broken(path, *, errors="raise"):
        raise ValueError("a bug in a reader")

    monkeypatch.setattr(readers, "read_any", broken)
    for path in folder.iterdir():  # a changed file is read again
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ValueError, match="a bug in a reader"):
        bundle.describe(folder)


def test_data_overrides_its_role(folder, tmp_path_factory):
    mine = tmp_path_factory.mktemp("mine") / "my-register.csv"
    shutil.copy(folder / "old-register.csv", mine)
    files = bundle.bundled_files(folder, data=mine)
    assert files["register"] == mine.resolve()
    assert files["imports"].name == "imports.csv"
    assert bundle.choose(mine, folder) == mine.resolve()
    assert bundle.choose(None, folder).name == "new-register.csv"


def test_choose_rejects_the_wrong_kind_and_missing_files(folder, tmp_path_factory):
    with pytest.raises(ArmsError, match="TIV table by importer; this needs"):
        bundle.choose(folder / "imports.csv", folder)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        bundle.choose(folder / "nope.csv", folder)
    empty = tmp_path_factory.mktemp("empty")
    with pytest.raises(ArmsError, match="has no"):
        bundle.choose(None, empty)
    with pytest.raises(ValueError, match="unknown role"):
        bundle.choose(None, folder, roles=("nonsense",))


@pytest.mark.skipif(not SIPRI_DIR.is_dir(), reason="no bundled extract")
def test_bundled_extract_has_every_role():
    files = bundle.bundled_files()
    roles = {"register", "deliveries", "imports", "exports", "supplier_register"}
    assert roles | {"supplier_deliveries"} <= set(files)
    # SIPRI's per-year figures win where they cover the years; else the register
    assert bundle.supplier_file("Israel") == files["supplier_deliveries"]
    assert bundle.supplier_file("Israel", start=2016, end=2020) == files["supplier_deliveries"]
    assert bundle.supplier_file("Israel", start=1991, end=1995) == files["supplier_register"]
    assert bundle.supplier_file("Narnia") is None
