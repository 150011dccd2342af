"""Tests for arms.narrative (sentences from results); discovery: tests/io/test_discovery.py."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from arms import analysis, narrative
from arms.io import discovery as bundle
from arms.io import readers

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


def frame(rows: dict, **attrs) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out.attrs = attrs
    return out


@pytest.fixture(scope="module")
def deliveries():
    path = bundle.bundled_files().get("deliveries")
    if path is None:
        pytest.skip("no bundled deliveries file")
    return readers.read_deliveries(path)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "README.md").write_text("# not SIPRI data\n")
    (tmp_path / "old-register.csv").write_text(REGISTER_CSV.format(date="13 Oct 2024 2:20:11 PM"))
    (tmp_path / "new-register.csv").write_text(REGISTER_CSV.format(date="3 Jan 2025 9:16:02 PM"))
    (tmp_path / "imports.csv").write_text(TABLE_CSV)
    return tmp_path


# --- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (190.0, "190 TIV"),
        (1826.7, "1,827 TIV"),
        (28.8, "28.8 TIV"),
        (0.0, "0 TIV"),
        (pd.NA, "no TIV figure"),
        (np.float64("nan"), "no TIV figure"),
    ],
)
def test_fmt_tiv(value, text):
    assert narrative.fmt_tiv(value) == text


def test_fmt_share_and_dates():
    assert narrative.fmt_share(68.49) == "68%"
    assert narrative.fmt_share(0.34) == "0.3%"
    assert narrative.generated_date("13 Oct 2024 2:20:11 PM") == "13 Oct 2024"
    assert narrative.generated_date(frame({}, source={"generated": "2025-01-03"})) == "3 Jan 2025"
    assert narrative.generated_date(frame({})) is None


def test_citation_names_the_database_and_date():
    f = frame({}, source={"generated": "2025-01-03T21:16:02", "path": "C:\\data\\d.csv"})
    assert narrative.citation(f) == (
        "Source: SIPRI Arms Transfers Database, data generated 3 Jan 2025 (file `d.csv`)."
    )


def test_caveats_cover_the_case_study_list():
    text = narrative.caveats(["Extra caveat."])
    for needle in (
        "not a price",
        "fluctuate",
        "Major conventional weapons only",
        "truncate deals",
        "OPV-62",
        "Su-30K",
        "generated",
    ):
        assert needle in text
    assert text.splitlines()[-1] == "- Extra caveat."


# --- shares, leaders, overtaking ------------------------------------------------------------


def test_shares_sentence_on_bundled_data(deliveries):
    shares = analysis.supplier_shares(deliveries, "Azerbaijan", start=2016, end=2020)
    text = narrative.shares_sentence(shares)
    assert text.startswith("In 2016-20, Azerbaijan's imports of major arms totalled ")
    assert "Israel was the largest supplier with " in text
    assert "followed by Russia" in text
    assert "%" in narrative.estimates_sentence(shares)


def test_shares_sentence_without_deliveries_and_even_split():
    empty = frame(
        {"supplier": [], "tiv": [], "share": []}, recipient="Chile", start=2000, end=2004
    )
    assert narrative.shares_sentence(empty) == (
        "No deliveries to Chile are recorded in 2000-04 in these data."
    )
    even = frame(
        {"supplier": ["Israel"], "tiv": [5.0], "share": [100.0]},
        recipient="X",
        start=2016,
        end=2020,
        total_tiv=5.0,
        method="even",
    )
    assert "split evenly" in narrative.shares_sentence(even)


def test_leaders_sentence_groups_runs_and_gaps():
    leaders = frame(
        {
            "period": ["2006-10", "2011-15", "2016-20", "2021-23"],
            "supplier": pd.array(["Russia", "Russia", pd.NA, "India"], dtype="string"),
            "tiv": [10.0, 20.0, 0.0, 5.0],
            "share": pd.array([90.0, 80.0, pd.NA, 52.0], dtype="Float64"),
        }
    )
    assert narrative.leaders_sentence(leaders) == (
        "The largest supplier was Russia in every period from 2006-10 to 2011-15 (90% and 80% "
        "of the TIV), nobody in 2016-20 (no deliveries) and India in 2021-23 (52%)."
    )


def yearly(a_values, b_values, years=range(2014, 2018)):
    rows = []
    for y, a, b in zip(years, a_values, b_values, strict=True):
        rows += [(y, "Israel", a), (y, "Russia", b)]
    return pd.DataFrame(rows, columns=["year", "supplier", "tiv"])


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
    result = narrative.overtake(yearly(a, b), "Israel", "Russia")
    assert (result["status"], result["when"], result["last_behind"]) == (status, when, last)
    sentence = narrative.overtake_sentence(yearly(a, b))
    if status == "overtook":
        assert sentence.startswith(f"Israel overtook Russia in {when}: ")
    else:
        assert "overtook" not in sentence


def test_overtake_ignores_case_of_names():
    assert (
        narrative.overtake(yearly([1, 9, 9, 9], [5, 1, 1, 1]), "israel", "RUSSIA")["when"] == 2015
    )


def test_overtake_on_bundled_periods(deliveries):
    periods = analysis.period_table(deliveries, recipient="Azerbaijan")
    result = narrative.overtake(periods, "Israel", "Russia")
    assert result["status"] == "overtook"
    assert result["when"] == "2016-20"
    assert result["a_share"] > result["b_share"]


def test_share_of_sentence_and_ranks():
    s = frame(
        {"supplier": ["Russia", "Israel"], "tiv": [80.0, 20.0], "share": [80.0, 20.0]},
        recipient="Azerbaijan",
        start=2016,
        end=2020,
        total_tiv=100.0,
    )
    assert narrative.share_of_sentence(s, "russia") == (
        "In 2016-20, Russia supplied 80% of Azerbaijan's imports of major arms (80 TIV of "
        "100 TIV), the largest of 2 suppliers."
    )
    assert "2nd largest" in narrative.share_of_sentence(s, "Israel")
    assert "no deliveries from Spain" in narrative.share_of_sentence(s, "Spain")
    t = s.assign(supplier=["Russia", "Turkiye"])  # any spelling of a party finds it
    assert t.attrs == s.attrs
    assert "Turkiye supplied 20%" in narrative.share_of_sentence(t, "Turkey")
    assert narrative.share_of_sentence(t, "TÜRKIYE") == narrative.share_of_sentence(t, "Turkey")


def test_customer_sentence_without_deliveries():
    r = frame(
        {
            "supplier": ["Israel"],
            "recipient": ["Chile"],
            "start": [2016],
            "end": [2020],
            "tiv": [0.0],
            "supplier_total": [10.0],
            "share": [0.0],
            "rank": pd.array([pd.NA], dtype="Int64"),
            "customers": [3],
        }
    )
    assert narrative.customer_sentence(r) == (
        "In 2016-20, Chile received nothing from Israel in these data."
    )


# --- yearly series -----------------------------------------------------------------------


def test_peak_and_last_delivery_sentences():
    y = pd.DataFrame(
        {"year": [2017, 2018, 2019, 2020], "recipient": "Azerbaijan", "tiv": [5.0, 7.0, 0.0, 0.0]}
    )
    assert narrative.peak_sentence(y, who="X", group="azerbaijan").startswith(
        "X peaked in 2018 (7 TIV)"
    )
    text = narrative.last_delivery_sentence(y, supplier="Russia", recipient="Azerbaijan")
    assert text.endswith("was in 2018; none is recorded from 2019 to 2020.")
    text = narrative.last_delivery_sentence(
        y, supplier="Russia", recipient="Azerbaijan", through=2019
    )
    assert text.endswith("none is recorded in 2019.")
    assert narrative.last_delivery_sentence(y, supplier="Russia", recipient="Armenia") == (
        "No delivery from Russia to Armenia is recorded in these data."
    )


# --- deals -------------------------------------------------------------------------------


def timeline():
    return pd.DataFrame(
        {
            "deal_key": ["1", "1", "2"],
            "supplier": ["Israel", "Israel", "Turkiye"],
            "recipient": "Azerbaijan",
            "designation": ["OPV-62 FAC -", "OPV-62 FAC -", "Bayraktar TB-2"],
            "description": ["FAC", "FAC", "armed UAV"],
            "order_year": pd.array([2013, 2013, 2020], dtype="Int64"),
            "order_year_estimated": [False, False, True],
            "year": pd.array([2017, 2018, 2020], dtype="Int64"),
            "year_estimated": [False, False, False],
            "units": pd.array([2, 2, 12], dtype="Int64"),
            "units_estimated": [False, True, True],
            "tiv_per_unit": [57.5, 57.5, 2.4],
            "tiv": [115.0, 115.0, 28.8],
            "comments": pd.array([pd.NA, pd.NA, pd.NA], dtype="string"),
        }
    )


def test_deal_sentence_condenses_years_and_flags():
    text = narrative.deal_sentence(timeline())
    first, second = text.splitlines()
    assert first == (
        "- **OPV-62 FAC** (FAC) from Israel to Azerbaijan, ordered in 2013: 4 delivered in "
        "2017-2018 (2017: 2, 2018: 2; number estimated for 2018); 230 TIV delivered "
        "(57.5 TIV per unit)."
    )
    assert (
        "ordered in 2020 (year estimated by SIPRI): 12 delivered in 2020 (number estimated)"
        in (second)
    )
    assert narrative.deal_sentence(timeline(), top=1) == first
    assert narrative.deal_sentence(timeline().iloc[:0]) == (
        "No matching deal is recorded in these data."
    )


def test_deal_table_one_row_per_deal():
    table = narrative.deal_table(timeline())
    assert table["designation"].tolist() == ["OPV-62 FAC", "Bayraktar TB-2"]
    assert table["units"].tolist() == [4, 12]
    assert table["years"].tolist() == ["2017-2018", "2020"]
    assert table["estimated"].tolist() == [True, True]
    assert narrative.deal_table(timeline().iloc[:0]).empty


def test_search_sentence_says_where_it_matched():
    hits = pd.DataFrame(
        {
            "designation": ["Bayraktar TB-2"],
            "supplier": ["Turkiye"],
            "recipient": ["Azerbaijan"],
            "order_year": [2020],
            "comments": [None],
            "matched_in": ["designation"],
        }
    )
    text = narrative.search_sentence(hits, "TB2")
    assert "matched in its designation" in text and "comments" not in text
    assert narrative.search_sentence(hits.iloc[:0], "x") == (
        'Searching for "x" finds no deal in these data.'
    )


def test_weight_sentence_and_periods():
    year = frame(
        {"supplier": ["Russia"]}, recipient="Armenia", start=2019, end=2019, total_tiv=200.0
    )
    assert narrative.weight_sentence(50.0, year) == (
        "The deal's 50 TIV delivered in 2019 is 25% of Armenia's imports of major arms that "
        "year (200 TIV)."
    )
    assert narrative.period_containing(2020) == (2016, 2020, "2016-20")
    assert narrative.period_containing(2016) == (2016, 2020, "2016-20")
    p = pd.DataFrame(
        {
            "period": ["2011-15", "2016-20", "2021-23"],
            "start": [2011, 2016, 2021],
            "end": [2015, 2020, 2023],
            "tiv": [1.0, 0.0, 2.0],
        }
    )
    assert narrative.window(p) == (2011, 2015)  # 2016-20 has no deliveries, 2021-23 is short
    assert narrative.window(p, 2000, 2001) == (2000, 2001)
    with pytest.raises(ValueError, match="no deliveries"):
        narrative.window(p.assign(tiv=0.0))


def test_ratio_sentence_cases():
    c = pd.DataFrame(
        {
            "period": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "recipient": ["X", "Y"] * 4,
            "tiv": [0.0, 0.0, 5.0, 0.0, 10.0, 10.2, 1.0, 4.0],
        }
    )
    lines = narrative.ratio_sentence(c, what="deliveries").splitlines()
    assert lines[0].endswith("no deliveries to either.")
    assert lines[1].endswith("only X received deliveries.")
    assert lines[2].endswith("about as much each.")
    assert lines[3].endswith("Y received 4.0 times as much.")


def test_reconcile_and_release_sentences_on_bundled_data(deliveries):
    register = readers.read_trade_register(bundle.bundled_files()["register"])
    result = analysis.reconcile(
        {"register": register, "deliveries": deliveries}, recipient="Armenia"
    )
    assert "agree in all" in narrative.reconcile_sentence(result)
    diff = analysis.release_diff(register, deliveries, recipient="Armenia", start=2000, end=2023)
    assert narrative.release_sentence(diff).startswith("Between the data generated on ")


# --- key facts ---------------------------------------------------------------------------


def test_key_facts_are_json():
    # floats are rounded: two decimals, one for percentages (see test_key_facts_are_rounded)
    facts = narrative.KeyFacts(
        {"a": np.int64(4), "b": np.float64(67.739241)},
        c=pd.NA,
        d={"x": np.float64("nan"), "y": [np.int64(1)]},
        e=pd.Timestamp("2020-01-01"),
    )
    payload = facts._repr_json_()
    assert json.loads(json.dumps(payload)) == {
        "key_facts": {
            "a": 4,
            "b": 67.74,
            "c": None,
            "d": {"x": None, "y": [1]},
            "e": "2020-01-01 00:00:00",
        }
    }
    assert "| a | 4 |" in facts._repr_markdown_()


# --- files of some suppliers' exports only, and the bundle.require check ---------------------

FROM_CHINA = "register-from-china.csv"


@pytest.fixture()
def from_china():
    from pathlib import Path

    return readers.read_deliveries(Path(__file__).parent / "data" / FROM_CHINA)


def test_scoped_sentences_say_deliveries_not_imports(from_china):
    shares = analysis.supplier_shares(from_china, "Pakistan", start=2017, end=2018)
    texts = [
        narrative.shares_sentence(shares),
        narrative.share_of_sentence(shares, "China"),
        narrative.estimates_sentence(shares),
        narrative.leaders_sentence(
            analysis.leading_supplier(from_china, "Pakistan", periods=[(2016, 2020)])
        ),
        narrative.weight_sentence(100.0, shares, shares),
        narrative.ratio_sentence(
            analysis.compare_recipients(from_china, ["Pakistan", "Bangladesh"])
        ),
    ]
    for text in texts:
        assert "imports" not in text, text
        assert "deliveries from China" in text, text
    assert "100% of the deliveries from China in this file" in texts[0]
    note = narrative.scope_note(from_china, "Pakistan")
    assert "only holds deliveries from China" in note and "Pakistan's imports" in note
    assert narrative.imports_of(shares, "Pakistan", capital=True).startswith("The deliveries")


def test_unscoped_sentences_keep_imports(deliveries):
    shares = analysis.supplier_shares(deliveries, "Azerbaijan", start=2016, end=2020)
    assert "Azerbaijan's imports of major arms totalled" in narrative.shares_sentence(shares)
    assert narrative.scope_note(shares) == "" and narrative.scope_note(deliveries) == ""


def test_key_facts_are_rounded():
    facts = narrative.KeyFacts(
        first_share=76.520312,
        estimated_pct={"Azerbaijan 2016-20": 80.0621},
        total_tiv=1029.61234,
        ratio=np.float64(104.41234),
        year=np.int64(2019),
    )
    assert facts["first_share"] == 76.5
    assert facts["estimated_pct"] == {"Azerbaijan 2016-20": 80.1}
    assert facts["total_tiv"] == 1029.61 and facts["ratio"] == 104.41
    table = facts._repr_markdown_()
    assert "| first_share | 76.5 |" in table and "| total_tiv | 1,029.6 |" in table
    assert "| year | 2019 |" in table and "76.52" not in table


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
