"""Tests of arms.analysis.search: find_deals, the one text folding, deal values."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest

from arms import paths, schema
from arms.analysis import (
    DEAL_VALUE_COLUMNS,
    deal_timelines,
    deal_values,
    find_deals,
    fold_text,
    parse_deal_value,
    text_mask,
)
from arms.io import readers

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def deals() -> pd.DataFrame:
    """A hand-made deals frame (invented rows in the canonical schema)."""
    rows = [
        dict(
            recipient="Armenia",
            supplier="Russia",
            order_year=2018,
            designation="Su-30K",
            description="FGA aircraft",
            comments="$90 m deal; Su-30SM version",
            delivery_years="2019",
            tiv_delivered=120.0,
        ),
        dict(
            recipient="Armenia",
            supplier="Russia",
            order_year=2012,
            designation="Su-25",
            description="ground attack aircraft",
            comments="Second-hand",
            delivery_years="2013",
            tiv_delivered=20.0,
        ),
        dict(
            recipient="Azerbaijan",
            supplier="Turkiye",
            order_year=2021,
            designation="Bayraktar TB2",
            description="armed UAV",
            comments=None,
            delivery_years="2021",
            tiv_delivered=12.0,
        ),
        dict(
            recipient="Poland",
            supplier="Turkiye",
            order_year=2022,
            designation="Bayraktar TB-2",
            description="armed drone",
            comments="EUR50 m deal; Bayraktar TB2 version",
            delivery_years="2023",
            tiv_delivered=8.0,
        ),
        dict(
            recipient="Thailand",
            supplier="Ukraine",
            order_year=2011,
            designation="BTR-3",
            description="APC",
            comments="Part of THB3b ($100 m) deal",
            delivery_years="2012; 2014",
            tiv_delivered=5.0,
        ),
    ]
    return schema.conform(pd.DataFrame(rows), "deals")


@pytest.mark.parametrize("query", ["Su-30SM", "su30sm", "Su 30 SM", "SU-30 sm"])
def test_su30sm_is_found_in_comments(deals, query):
    out = find_deals(deals, query)
    assert out["designation"].tolist() == ["Su-30K"]
    assert out["recipient"].tolist() == ["Armenia"]
    assert out["matched_in"].tolist() == ["comments"]
    assert str(out["matched_in"].dtype) == "string"


def test_tb2_finds_both_spellings_and_reports_where(deals):
    out = find_deals(deals, "TB2")
    assert set(out["designation"]) == {"Bayraktar TB2", "Bayraktar TB-2"}
    where = dict(zip(out["designation"], out["matched_in"], strict=True))
    assert where["Bayraktar TB2"] == "designation"
    assert where["Bayraktar TB-2"] == "designation,comments"


def test_description_is_searched(deals):
    assert find_deals(deals, "armed-drone")["matched_in"].tolist() == ["description"]


def test_filters_accept_any_spelling(deals):
    assert find_deals(deals, "tb2", supplier="Turkey")["recipient"].tolist() == [
        "Azerbaijan",
        "Poland",
    ]
    assert find_deals(deals, "tb2", recipient="  poland ")["recipient"].tolist() == ["Poland"]
    assert find_deals(deals, "tb2", supplier="Russia").empty


def test_no_match_returns_empty_frame_with_matched_in(deals):
    out = find_deals(deals, "Rafale")
    assert out.empty and "matched_in" in out.columns


def test_find_deals_is_pure_and_keeps_schema(deals):
    before = deals.copy()
    out = find_deals(deals, "TB2")
    pd.testing.assert_frame_equal(deals, before)
    assert list(out.columns) == list(schema.DEALS) + ["matched_in"]


@pytest.mark.parametrize("bad", ["", "  ", "--"])
def test_empty_query_raises(deals, bad):
    with pytest.raises(ValueError, match="no letters or digits"):
        find_deals(deals, bad)


# --- deal values -------------------------------------------------------------------------------

VALUE_CASES = [
    ("$120 m deal; Su-30SM version", 120.0, "USD", 120.0, False),
    ("$427 m 'LAS' deal; incl 4 launchers", 427.0, "USD", 427.0, False),
    ("EUR8.5 m deal; for use in Afghanistan", None, "EUR", 8.5, False),
    ("THB4b ($120 m) deal", 120.0, "THB", 4000.0, False),
    ("Part of THB4b ($120 m) deal (for 96 BTR-3)", 120.0, "THB", 4000.0, True),
    ("CZK14.4 b ($650 m; offsets 150%) deal", 650.0, "CZK", 14400.0, False),
    ("$1.2 b deal", 1200.0, "USD", 1200.0, False),
    ("$17-20 m aid", None, "USD", None, False),
]


@pytest.mark.parametrize(("comment", "usd", "currency", "amount", "part_of"), VALUE_CASES)
def test_parse_deal_value(comment, usd, currency, amount, part_of):
    value = parse_deal_value(comment)
    assert (value["usd_m"], value["currency"], value["amount_m"], value["part_of"]) == (
        usd,
        currency,
        amount,
        part_of,
    )
    assert value["text"] in comment or value["text"].rstrip(")") in comment


@pytest.mark.parametrize("comment", [None, "", "Second-hand; aid", "For 155mm guns; 2 m long"])
def test_parse_deal_value_none(comment):
    assert parse_deal_value(comment) is None


def test_deal_values_columns_are_separate_from_tiv(deals):
    out = deal_values(deals)
    for col, dtype in DEAL_VALUE_COLUMNS.items():
        assert str(out[col].dtype) == dtype
    assert not any(c.startswith("tiv") for c in DEAL_VALUE_COLUMNS)
    pd.testing.assert_series_equal(out["tiv_delivered"], deals["tiv_delivered"])
    assert out["deal_value_usd_m"].tolist() == [90.0, pd.NA, pd.NA, pd.NA, 100.0]
    assert out["deal_value_currency"].tolist()[3] == "EUR"


def test_find_deals_records_searched_columns(deals):
    assert find_deals(deals, "TB2").attrs["searched"] == ["designation", "description", "comments"]
    no_comments = deals.assign(comments=pd.Series(pd.NA, index=deals.index, dtype="string"))
    out = find_deals(no_comments, "Su-30SM")
    assert out.empty
    assert out.attrs["searched"] == ["designation", "description"]
    assert find_deals(deals.drop(columns="comments"), "TB2").attrs["searched"] == [
        "designation",
        "description",
    ]


V2_DELIVERIES = DATA / "readers" / "v2-deliveries.csv"


def test_deliveries_export_searches_designations_only():
    frame = readers.read_trade_register(V2_DELIVERIES)
    assert frame["comments"].isna().all()  # the premise: deliveries exports have no comments
    assert find_deals(frame, "Su-30SM", recipient="Armenia").attrs["searched"] == [
        "designation",
        "description",
    ]
    assert find_deals(frame, "Su-30", recipient="Armenia")["designation"].tolist() == ["Su-30K"]


# --- the real register -------------------------------------------------------------------------

REGISTER = paths.SHARED_SIPRI_DIR / "tradereg-newportal-MJHofmann-1.csv"


@functools.cache
def _register() -> pd.DataFrame:
    return readers.read_trade_register(REGISTER)


@pytest.mark.skipif(not REGISTER.is_file(), reason="shared SIPRI files not available")
@pytest.mark.parametrize("query", ["Su-30SM", "su30sm", "Su 30 SM"])
def test_real_register_su30sm(query):
    out = find_deals(_register(), query, recipient="Armenia")
    assert len(out) >= 1
    assert (out["designation"] == "Su-30K").all()
    assert out["matched_in"].str.contains("comments").all()


@pytest.mark.skipif(not REGISTER.is_file(), reason="shared SIPRI files not available")
def test_real_register_tb2():
    out = find_deals(_register(), "TB2", supplier="Turkiye")
    assert "Bayraktar TB2" in set(out["designation"])
    assert out["matched_in"].str.contains("designation").all()
    values = deal_values(_register())
    has_value = values["deal_value_currency"].notna()
    print(f"{REGISTER.name}: deal values parsed from {int(has_value.sum())} comments")
    # a comment with `$` and a number in millions or billions always yields a currency
    money = values["comments"].str.contains(r"\$\s?\d+(?:\.\d+)? ?(?:m|b)\b", regex=True)
    assert has_value[money.fillna(False)].all()


DELIVERIES = paths.SHARED_SIPRI_DIR / "deliveries-newportal-lucacasu-1.csv"


@pytest.mark.skipif(not DELIVERIES.is_file(), reason="shared SIPRI files not available")
def test_real_deliveries_su30sm_explains_itself():
    frame = readers.read_trade_register(DELIVERIES)
    assert frame["comments"].isna().all()
    out = find_deals(frame, "Su-30SM", recipient="Armenia")
    assert out.empty and out.attrs["searched"] == ["designation", "description"]
    assert "Su-30K" in set(find_deals(frame, "Su-30", recipient="Armenia")["designation"])


def test_one_folding_for_find_deals_and_deal_timelines(deals):
    """find_deals and deal_timelines find the same rows: one text search, one folding."""
    assert (
        fold_text(pd.Series(["Bayraktar TB-2"])).iloc[0]
        == fold_text(pd.Series(["bayraktar  tb2"])).iloc[0]
    )
    split = readers.split_deals(deals)
    for query in ("TB2", "Su 30 SM", "armed UAV"):
        by_search = set(find_deals(split, query)["designation"])
        by_timeline = set(deal_timelines(split, text=query)["designation"])
        assert by_search == by_timeline
        assert text_mask(split, query).sum() == len(find_deals(split, query))
