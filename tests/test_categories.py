"""Tests of arms.categories: the map, the vocabularies and agreement with SIPRI's categories."""

from __future__ import annotations

import functools
import re

import pandas as pd
import pytest

from arms import paths
from arms.categories import (
    CATEGORIES,
    CategoryCoverageWarning,
    categorize,
    category_of,
    category_table,
    normalize_category,
)
from arms.errors import UnknownCategoryError
from arms.io import readers


def test_table_is_strict():
    table = category_table()
    assert all(str(t) == "string" for t in table.dtypes)
    assert set(table["category"]) <= set(CATEGORIES)
    assert table["family"].notna().all()
    designation = table["designation"].fillna("").str.casefold()
    key = table["description"].str.casefold() + "|" + designation
    assert key.is_unique


# one row per vocabulary example named in the issue: (description, category, family)
VOCABULARY = [
    ("FGA aircraft", "Aircraft", "combat aircraft"),
    ("fighter/ground-attack aircraft", "Aircraft", "combat aircraft"),
    ("SAM system", "Air defence systems", "air defence system"),
    ("surface-to-air missile system", "Air defence systems", "air defence system"),
    ("SAM", "Missiles", "SAM"),
    ("surface-to-air missile", "Missiles", "SAM"),
    ("APC", "Armoured vehicles", "APC"),
    ("armoured personnel carrier", "Armoured vehicles", "APC"),
    ("armed UAV", "Aircraft", "armed drone"),
    ("armed drone", "Aircraft", "armed drone"),
    ("UAV", "Aircraft", "reconnaissance drone"),
    ("reconnaissance drone", "Aircraft", "reconnaissance drone"),
    ("loitering munition", "Missiles", "loitering munition"),
    ("Ground attack ac", "Aircraft", "combat aircraft"),
    ("light transport ac", "Aircraft", "transport aircraft"),
    ("combat ac radar", "Sensors", "radar"),
    ("Towed gun", "Artillery", "towed artillery"),
    ("self-propelled MRL", "Artillery", "MRL"),
    ("multiple rocket launcher", "Artillery", "MRL"),
    ("self-propelled gun", "Artillery", "self-propelled artillery"),
    ("anti-tank missile", "Missiles", "anti-tank missile"),
    ("tank", "Armoured vehicles", "tank"),
    ("IFV", "Armoured vehicles", "IFV"),
    ("infantry fighting vehicle", "Armoured vehicles", "IFV"),
    ("frigate", "Ships", "warship"),
    ("combat helicopter", "Aircraft", "combat helicopter"),
    ("transport helicopter", "Aircraft", "helicopter"),
    ("SSM", "Missiles", "ballistic missile"),
    ("vehicle engine", "Engines", "engine"),
    ("recce satellite", "Satellites", "satellite"),
    ("IFV turret", "Other", "turret"),
    ("naval gun", "Naval weapons", "naval gun"),
]


@pytest.mark.parametrize(("description", "category", "family"), VOCABULARY)
def test_vocabulary(description, category, family):
    assert category_of(description) == (category, family)


@pytest.mark.parametrize("variant", ["  towed   GUN ", "TOWED GUN", "towed gun"])
def test_matching_ignores_case_and_whitespace(variant):
    assert category_of(variant) == category_of("Towed gun")


def test_unknown_description_is_none():
    assert category_of("death ray") is None


def test_designation_exception_and_dash_suffix():
    default = category_of("coastal defence system")
    exception = category_of("coastal defence system", "C-602 CDS")
    assert default[0] != exception[0]
    assert category_of("coastal defence system", "C-602 CDS -") == exception


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Air-defence systems", "Air defence systems"),
        ("air defence systems", "Air defence systems"),
        ("Aircraft", "Aircraft"),
    ],
)
def test_normalize_category(raw, expected):
    assert normalize_category(raw) == expected


def test_categorize_keeps_file_category_fills_missing_adds_family():
    frame = pd.DataFrame(
        {
            "designation": ["Iron Dome", "Akash", "X"],
            "description": ["SAM system", "SAM system", "APC"],
            "category": pd.array(["Other", None, "Air-defence systems"], dtype="string"),
        }
    )
    out = categorize(frame)
    assert out["category"].tolist() == ["Other", "Air defence systems", "Air defence systems"]
    assert out["family"].tolist() == ["air defence system", "air defence system", "APC"]
    assert list(out.columns) == ["designation", "description", "category", "family"]
    assert frame["category"].tolist()[2] == "Air-defence systems"  # input untouched


def test_categorize_unknown_descriptions():
    frame = pd.DataFrame({"description": ["death ray", "APC", "flux capacitor"]})
    with pytest.raises(UnknownCategoryError) as info:
        categorize(frame)
    assert info.value.descriptions == ["death ray", "flux capacitor"]
    with pytest.warns(CategoryCoverageWarning, match="2 of 3"):
        out = categorize(frame, errors="warn")
    assert out["family"].isna().tolist() == [True, False, True]
    assert str(out["category"].dtype) == "string"


# --- every description in the shared files maps, and agrees with SIPRI where SIPRI says ------

SHARED = paths.SHARED_SIPRI_DIR
_DEAL_FILE = re.compile(r"(tradereg|dealsandtivs|deliveries|apijson)")
DEAL_FILES = (
    sorted(p.name for p in SHARED.glob("*") if _DEAL_FILE.match(p.name)) if SHARED.is_dir() else []
)


@functools.cache
def _frame(name: str) -> pd.DataFrame:
    if re.match(r"(deliveries|apijson|dealsandtivs)", name):
        return readers.read_deliveries(SHARED / name)
    return readers.read_trade_register(SHARED / name)


@pytest.mark.skipif(not DEAL_FILES, reason="shared SIPRI files not available")
@pytest.mark.parametrize("name", DEAL_FILES)
def test_every_description_in_shared_files_maps(name):
    frame = _frame(name)
    out = categorize(frame, errors="warn")
    described = frame["description"].notna()
    n = frame.loc[described, "description"].nunique()
    mapped = out.loc[described & out["family"].notna(), "description"].nunique()
    print(f"{name}: descriptions mapped {mapped}/{n}")
    assert mapped == n
    assert out.loc[described, "category"].notna().all()
    categorize(frame)  # strict default does not raise


# the variants whose files give SIPRI's own armament category (V2, V7, V9); registers don't
CATEGORY_FILES = [n for n in DEAL_FILES if re.match(r"(deliveries|apijson|dealsandtivs)", n)]


@pytest.mark.skipif(not CATEGORY_FILES, reason="shared SIPRI files not available")
@pytest.mark.parametrize("name", CATEGORY_FILES)
def test_map_agrees_with_sipri_category_on_every_row(name):
    frame = _frame(name)
    given = frame["category"].notna()
    assert given.all(), f"{name}: rows without SIPRI's category"
    rows = frame.loc[given, ["description", "designation", "category"]]
    disagree = []
    for description, designation, category in rows.drop_duplicates().itertuples(index=False):
        mapped = category_of(description, designation)
        if mapped is None or mapped[0] != normalize_category(category):
            disagree.append((description, designation, category, mapped))
    print(f"{name}: {len(rows)} rows with SIPRI's category, {len(disagree)} disagreements")
    assert not disagree
