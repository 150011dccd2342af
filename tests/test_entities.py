"""Tests of arms.entities: the crosswalk table, name cases, harmonize() and real-file coverage."""

from __future__ import annotations

import csv
import functools
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import arms
from arms import entities, paths
from arms.entities import (
    ENTITY_TYPES,
    EntityCoverageWarning,
    canonical_name,
    entity_table,
    harmonize,
    lookup,
)
from arms.errors import UnknownEntityError
from arms.io import readers

DATA = Path(__file__).parent / "data"


def _cases() -> list[dict]:
    with (DATA / "entity_cases.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


CASES = _cases()


# --- the table ------------------------------------------------------------------------------


def test_table_is_strict_and_typed():
    table = entity_table()
    assert all(str(t) == "string" for t in table.dtypes)
    keys = table["sipri_name"].str.strip().str.casefold()
    assert keys.is_unique
    assert set(table["entity_type"]) <= set(ENTITY_TYPES)
    iso = table["iso3"].dropna()
    assert iso.str.fullmatch(r"[A-Z]{3}[A-Z]?").all()
    assert table["sipri_code"].dropna().str.fullmatch(r"[A-Z]{3}").all()


def test_table_is_a_copy():
    table = entity_table()
    table.loc[0, "canonical_name"] = "changed"
    assert entity_table().loc[0, "canonical_name"] != "changed"


def test_one_canonical_entity_has_one_iso3_and_type():
    table = entity_table()
    per_entity = table.groupby("canonical_name")[["iso3", "entity_type"]].nunique(dropna=False)
    assert (per_entity <= 1).all().all()


def test_type_follows_sipri_star_markers():
    table = entity_table()
    names = table["sipri_name"]
    organisations = table.loc[names.str.endswith("**"), "entity_type"]
    assert (organisations == "international organisation").all()
    single = names.str.endswith("*") & ~names.str.endswith("**")
    assert table.loc[single, "entity_type"].isin(["non-state armed actor"]).all()


def test_sipri_codes_are_kept_apart_from_iso():
    table = entity_table().set_index("sipri_name")
    # SIPRI's legacy CHE is Chile, ISO's CHE is Switzerland: separate columns
    assert table.loc["Chile", "sipri_code"] == "CHE"
    assert table.loc["Chile", "iso3"] != table.loc["Chile", "sipri_code"]
    assert pd.isna(table.loc["Switzerland", "sipri_code"])


# --- data-driven name cases (one row per case in tests/data/entity_cases.tsv) ---------------


@pytest.mark.parametrize("case", CASES, ids=[c["sipri_name"].strip() for c in CASES])
def test_name_case(case):
    found = lookup(case["sipri_name"])
    assert found is not None, f"{case['sipri_name']!r} not in the crosswalk"
    name, iso3, etype = found
    assert name == case["canonical_name"]
    assert (None if pd.isna(iso3) else iso3) == (case["iso3"] or None)
    assert etype == case["entity_type"]
    assert canonical_name(case["sipri_name"]) == case["canonical_name"]


def test_aliases_in_the_cases_join():
    groups: dict[str, set[str]] = {}
    for case in CASES:
        groups.setdefault(case["canonical_name"], set()).add(case["sipri_name"])
    joined = [names for names in groups.values() if len(names) > 1]
    assert joined  # the case file does exercise aliases
    for names in joined:
        assert len({canonical_name(n) for n in names}) == 1


def test_canonical_name_unknown_raises():
    with pytest.raises(UnknownEntityError, match="Atlantis"):
        canonical_name("Atlantis")


def test_lookup_rejects_non_strings():
    with pytest.raises(TypeError):
        lookup(3)


# --- harmonize -------------------------------------------------------------------------------


def _deals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recipient": pd.array(
                ["Azerbaijan", "Czech Republic", None, "Libya HoR*"], dtype="string"
            ),
            "supplier": pd.array(
                ["Turkey", "Soviet Union", "Turkiye", "unknown supplier(s)"], dtype="string"
            ),
            "tiv_delivered": pd.array([1.0, 2.0, 3.0, None], dtype="Float64"),
        }
    )


def test_harmonize_adds_three_columns_after_each_party_column():
    out = harmonize(_deals())
    assert list(out.columns) == [
        "recipient",
        "recipient_name",
        "recipient_iso3",
        "recipient_type",
        "supplier",
        "supplier_name",
        "supplier_iso3",
        "supplier_type",
        "tiv_delivered",
    ]
    for col in out.columns[:-1]:
        assert str(out[col].dtype) == "string"
    assert out["supplier_name"].tolist()[:3] == ["Turkiye", "Soviet Union", "Turkiye"]
    assert out["recipient_name"].isna().tolist() == [False, False, True, False]
    coverage = out.attrs["entity_coverage"]["supplier"]
    assert {k: coverage[k] for k in ("names", "mapped", "by_table", "unresolved")} == {
        "names": 4,
        "mapped": 4,
        "by_table": 4,
        "unresolved": 0,
    }


def test_harmonize_is_pure():
    deals = _deals()
    before = deals.copy()
    harmonize(deals)
    pd.testing.assert_frame_equal(deals, before)


def test_harmonize_raises_with_every_unknown_name():
    deals = _deals()
    deals.loc[0, "recipient"] = "Atlantis"
    deals.loc[1, "supplier"] = "Ruritania"
    with pytest.raises(UnknownEntityError) as info:
        harmonize(deals)
    assert info.value.names == ["Atlantis", "Ruritania"]


def test_harmonize_warn_keeps_raw_names_and_reports_coverage():
    deals = _deals()
    deals.loc[0, "recipient"] = "Atlantis"
    with pytest.warns(EntityCoverageWarning, match=r"recipient 2/3"):
        out = harmonize(deals, errors="warn")
    assert out.loc[0, "recipient_name"] == "Atlantis"
    assert pd.isna(out.loc[0, "recipient_iso3"]) and pd.isna(out.loc[0, "recipient_type"])


def test_harmonize_ignore_is_silent():
    deals = _deals()
    deals.loc[0, "recipient"] = "Atlantis"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        harmonize(deals, errors="ignore")


def test_harmonize_tiv_counterpart_all_and_category_rows():
    tiv = pd.DataFrame(
        {
            "table": ["imports", "imports", "by category"],
            "entity": ["Azerbaijan", "Armenia", "Aircraft"],
            "counterpart": ["all", "all", "all"],
        },
        dtype="string",
    )
    out = harmonize(tiv)
    assert out["counterpart_type"].unique().tolist() == ["aggregate"]
    assert out["entity_iso3"].tolist()[:2] == ["AZE", "ARM"]
    assert pd.isna(out.loc[2, "entity_name"])  # a category, not a party


def test_harmonize_explicit_columns_and_argument_checks():
    out = harmonize(_deals(), columns=["supplier"])
    assert "recipient_name" not in out.columns
    with pytest.raises(ValueError, match="no column"):
        harmonize(_deals(), columns=["entity"])
    with pytest.raises(ValueError, match="errors"):
        harmonize(_deals(), errors="coerce")
    with pytest.raises(TypeError):
        harmonize(["Turkey"])


# --- every name in every shared SIPRI file maps ----------------------------------------------

SHARED = paths.SHARED_SIPRI_DIR
SHARED_FILES = (
    sorted(p.name for p in SHARED.glob("*") if p.suffix != ".md") if SHARED.is_dir() else []
)


def _reader_for(name: str):
    if re.match(r"(tradereg|dealsandtivs)", name):
        return readers.read_trade_register
    if re.match(r"(deliveries|apijson)", name):
        return readers.read_deliveries
    return readers.read_tiv_table


@functools.cache
def _frame(name: str) -> pd.DataFrame:
    return _reader_for(name)(SHARED / name)


@pytest.mark.skipif(not SHARED_FILES, reason="shared SIPRI files not available")
@pytest.mark.parametrize("name", SHARED_FILES)
def test_every_party_name_in_shared_files_maps(name):
    frame = _frame(name)
    out = harmonize(frame, errors="warn")
    coverage = out.attrs["entity_coverage"]
    print(
        name,
        ", ".join(
            f"{c} {v['names']} names: {v['by_table']} by table, {v['by_rule']} by rule, "
            f"{v['unresolved']} unresolved"
            for c, v in coverage.items()
        ),
    )
    assert coverage
    for col, v in coverage.items():
        assert v["unresolved"] == 0 and v["mapped"] == v["names"], f"{name}: unresolved {col}"
    harmonize(frame)  # and the strict default does not raise


def test_name_key_folds_case_accents_and_spaces_but_keeps_sipri_markers():
    assert entities.name_key("  Unknown \t recipient(s) ") == "unknown recipient(s)"
    assert entities.name_key("Türkiye") == entities.name_key("TURKIYE") == "turkiye"
    assert entities.name_key("Côte d'Ivoire") == "cote d'ivoire"
    # the crosswalk tells NATO (SIPRI's aggregate) from NATO** (the organisation)
    assert entities.name_key("NATO") != entities.name_key("NATO**")
    assert lookup("NATO")[0] != lookup("nato**")[0]
    assert lookup("Hezbollah (Lebanon)*") == lookup("hezbollah (lebanon)")
    assert lookup("TÜRKEY") == lookup("Turkey")  # accents do not matter to the crosswalk


def test_party_key_joins_spellings_and_canonical_names():
    assert entities.party_key("Turkey") == entities.party_key("Türkiye") == "turkiye"
    assert entities.party_key("Libya HoR*") == entities.party_key(
        "House of Representatives (Libya)"
    )
    assert entities.party_key("Czech Republic") == entities.party_key("czechia")
    assert entities.party_key("Atlantis") == "atlantis"  # unknown: its own key


def test_a_name_matches_the_same_way_everywhere():
    """arms shares (analysis), arms deals (search), arms extract and the notebooks agree.

    They all select parties through entities.party_mask; find_deals is checked here as one of
    its callers, the others in their own tests.
    """
    deals = pd.DataFrame(
        {
            "supplier": ["Turkey", "Israel"],
            "recipient": ["Azerbaijan", "Azerbaijan"],
            "designation": ["Bayraktar TB2", "Harop"],
        }
    )
    for name in ("Turkiye", "TÜRKIYE", " turkey "):
        assert entities.party_mask(deals["supplier"], name).tolist() == [True, False]
        found = arms.find_deals(deals, "TB2", supplier=name)
        assert found["designation"].tolist() == ["Bayraktar TB2"]


# --- names the crosswalk does not know: typed by SIPRI's conventions ------------------------


def _rule_cases() -> list[dict]:
    with (DATA / "entity_rule_cases.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


RULE_CASES = _rule_cases()


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["sipri_name"] for c in RULE_CASES])
def test_new_names_are_typed_by_rule(case):
    assert lookup(case["sipri_name"]) is None  # not in the crosswalk: the rule must do it
    name, iso3, etype, country, how = entities.resolve(case["sipri_name"])
    assert (name, etype, how) == (case["canonical_name"], case["entity_type"], "rule")
    assert pd.isna(iso3)
    assert (None if pd.isna(country) else country) == (case["country_iso3"] or None)


def test_rules_agree_with_the_crosswalk_on_every_marked_sipri_name():
    """Every real SIPRI name with a * / ** marker or 'unknown ...' is typed alike by rule."""
    table = entity_table()
    marked = table["sipri_name"].str.endswith("*") | table["sipri_name"].str.match(
        r"(?i)unknown(\s|$)"
    )
    assert marked.sum() >= 60
    for row in table[marked].itertuples(index=False):
        hit = entities.by_rule(row.sipri_name)
        assert hit is not None and hit[2] == row.entity_type, row.sipri_name
        if not pd.isna(hit[3]):
            assert hit[3] == row.country_iso3, row.sipri_name


def test_a_state_is_never_made_by_rule():
    assert entities.by_rule("Atlantis") is None
    assert entities.resolve("Atlantis") is None
    with pytest.raises(UnknownEntityError):
        harmonize(pd.DataFrame({"supplier": ["Atlantis"]}))


def test_harmonize_resolves_new_names_and_counts_how():
    frame = pd.DataFrame(
        {"supplier": ["Russia", "UAE", "Atlantis"], "recipient": ["RSF (Sudan)*"] * 3}
    )
    out = harmonize(frame, errors="ignore")
    assert out["recipient_type"].tolist() == ["non-state armed actor"] * 3
    assert out["recipient_name"].tolist() == ["RSF (Sudan)"] * 3
    cov = out.attrs["entity_coverage"]
    assert (cov["recipient"]["by_rule"], cov["recipient"]["rule_names"]) == (1, ["RSF (Sudan)*"])
    assert (cov["supplier"]["by_table"], cov["supplier"]["unresolved"]) == (2, 1)


# --- state codes (COW, Gleditsch-Ward) --------------------------------------------------------


def test_every_state_has_a_codes_row_with_the_same_iso3():
    codes = entities.entity_codes().set_index("canonical_name")
    table = entity_table()
    states = table.loc[table["entity_type"] == "state", ["canonical_name", "iso3"]]
    states = states.drop_duplicates().set_index("canonical_name")["iso3"]
    assert set(states.index) == set(codes.index)
    assert codes.loc[states.index, "iso3"].fillna("").tolist() == states.fillna("").tolist()
    assert codes["source"].str.startswith("countrycode").all()
    with_iso = codes["iso3"].notna() & codes["iso3"].str.len().eq(3)
    assert codes.loc[with_iso, "cow_code"].notna().mean() > 0.9  # most states have a COW code


HISTORIC = ["Soviet Union", "East Germany (GDR)", "Czechoslovakia", "Yugoslavia"]


@pytest.mark.parametrize("name", HISTORIC)
def test_historic_states_carry_codes_years_and_source(name):
    row = entities.entity_codes().set_index("canonical_name").loc[name]
    assert not pd.isna(row["cow_code"]) and not pd.isna(row["gw_code"])
    assert not pd.isna(row["to_year"]) and not pd.isna(row["note"])
    assert "countrycode" in row["source"]


def test_historic_codes_differ_from_their_successors_where_cow_does():
    codes = entities.entity_codes().set_index("canonical_name")["cow_code"]
    assert codes["Czechoslovakia"] != codes["Czechia"]
    assert codes["East Germany (GDR)"] != codes["Germany"]


@pytest.mark.skipif(not SHARED_FILES, reason="shared SIPRI files not available")
def test_historic_states_order_nothing_after_their_years():
    frame = _frame("tradereg-newportal-MJHofmann-1.csv")
    codes = entities.entity_codes().set_index("canonical_name")
    for name in HISTORIC:
        mask = entities.party_mask(frame["supplier"], name) | entities.party_mask(
            frame["recipient"], name
        )
        assert mask.any(), name
        assert frame.loc[mask, "order_year"].max() <= codes.loc[name, "to_year"], name


def test_harmonize_codes_adds_cow_gw_and_country_columns():
    frame = pd.DataFrame(
        {
            "supplier": ["Soviet Union", "NATO**", None],
            "recipient": ["Armenia", "PKK (Turkey)*", "X*"],
        }
    )
    out = harmonize(frame, codes=True)
    assert list(out.columns[:7]) == [
        "supplier",
        "supplier_name",
        "supplier_iso3",
        "supplier_type",
        "supplier_cow",
        "supplier_gwcode",
        "supplier_country_iso3",
    ]
    codes = entities.entity_codes().set_index("canonical_name")
    assert out["supplier_cow"].tolist()[0] == codes.loc["Soviet Union", "cow_code"]
    assert out["supplier_cow"].isna().tolist() == [False, True, True]
    assert str(out["recipient_gwcode"].dtype) == "Int64"
    assert out["recipient_country_iso3"].tolist()[:2] == ["ARM", "TUR"]
    assert "recipient_cow" not in harmonize(frame).columns
