"""Tests for arms.analysis: small hand-built frames first, then the real SIPRI files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from arms import analysis as A
from arms.errors import UnknownEntityError
from arms.io import readers
from arms.paths import SHARED_SIPRI_DIR
from arms.schema import conform


def deliveries(rows, *, generated="2025-01-03T21:16:02", allocation="sipri"):
    """A canonical deliveries frame from dicts (missing keys are <NA>)."""
    frame = pd.DataFrame(rows)
    if "allocation" not in frame:
        frame["allocation"] = allocation
    out = conform(frame, "deliveries")
    out.attrs["source"] = {"generated": generated, "path": "test"}
    return out


def row(deal_id, supplier, recipient, year, tiv, units=1, **kw):
    base = {
        "deal_id": deal_id,
        "supplier": supplier,
        "recipient": recipient,
        "designation": kw.pop("designation", f"weapon {deal_id}"),
        "order_year": kw.pop("order_year", year - 1),
        "year": year,
        "units": units,
        "tiv": tiv,
        "units_estimated": kw.pop("units_estimated", False),
        "year_estimated": kw.pop("year_estimated", False),
    }
    base.update(kw)
    return base


@pytest.fixture()
def small():
    """Azerbaijan and Armenia, 2011-2022: a multi-year deal, estimates, a 0 and a blank TIV."""
    return deliveries(
        [
            row(1, "Russia", "Azerbaijan", 2011, 100.0, units=10, category="Armoured vehicles"),
            row(1, "Russia", "Azerbaijan", 2012, 50.0, units=5, category="Armoured vehicles"),
            row(2, "Israel", "Azerbaijan", 2014, 40.0, units_estimated=True, category="Aircraft"),
            row(3, "Israel", "Azerbaijan", 2016, 60.0, category="Missiles"),
            row(3, "Israel", "Azerbaijan", 2017, 30.0, year_estimated=True, category="Missiles"),
            row(4, "Russia", "Azerbaijan", 2016, 10.0, category="Artillery"),
            row(
                5,
                "Turkiye",
                "Azerbaijan",
                2020,
                28.8,
                units=12,
                units_estimated=True,
                designation="Bayraktar TB-2",
                category="Aircraft",
                order_year_estimated=True,
            ),
            row(6, "Belarus", "Azerbaijan", 2018, 0.0, category="Sensors"),  # under 0.5
            row(7, "Slovakia", "Azerbaijan", 2019, None, category="Artillery"),  # not available
            row(8, "Russia", "Armenia", 2016, 20.0, category="Missiles"),
            row(
                9,
                "Russia",
                "Armenia",
                2019,
                190.0,
                units=4,
                designation="Su-30K",
                comments="$120 m deal; Su-30SM version",
                category="Aircraft",
            ),
            row(10, "India", "Armenia", 2022, 21.0, category="Artillery"),
        ]
    )


# --------------------------------------------------------------------------------------------
# shares
# --------------------------------------------------------------------------------------------


def test_supplier_shares_sum_to_100_and_sort_largest_first(small):
    s = A.supplier_shares(small, "Azerbaijan", start=2011, end=2020)
    assert list(s.columns) == ["supplier", "tiv", "share", "tiv_estimated", "estimated_share"]
    assert s["share"].sum() == pytest.approx(100.0)
    assert s["tiv"].is_monotonic_decreasing
    assert s["supplier"].iloc[0] == "Russia"  # 160 against Israel's 130
    assert str(s["share"].dtype) == "Float64"
    assert s.attrs["total_tiv"] == pytest.approx(318.8)
    assert s.attrs["method"] == "sipri"
    assert s.attrs["recipient"] == "Azerbaijan"
    assert (s.attrs["start"], s.attrs["end"]) == (2011, 2020)
    assert s.attrs["source"]["generated"].startswith("2025-01-03")


def test_supplier_shares_window_cuts_deals_at_the_edges(small):
    s = A.supplier_shares(small, "Azerbaijan", start=2012, end=2016).set_index("supplier")
    assert s.loc["Russia", "tiv"] == pytest.approx(60.0)  # 50 of deal 1 in 2012, 10 in 2016
    assert s.loc["Israel", "tiv"] == pytest.approx(100.0)


def test_supplier_shares_estimates(small):
    s = A.supplier_shares(small, "Azerbaijan", start=2014, end=2020).set_index("supplier")
    # Israel: 40 with an uncertain number, 30 in an uncertain year, 60 firm
    assert s.loc["Israel", "tiv_estimated"] == pytest.approx(70.0)
    assert s.loc["Israel", "estimated_share"] == pytest.approx(70 / 130 * 100)
    assert s.loc["Russia", "tiv_estimated"] == 0
    total = s["tiv"].sum()
    assert s.attrs["estimated_share"] == pytest.approx((70 + 28.8) / total * 100)


def test_supplier_shares_keeps_zero_and_counts_blank_tiv_as_nothing(small):
    s = A.supplier_shares(small, "Azerbaijan", start=2018, end=2019).set_index("supplier")
    assert set(s.index) == {"Belarus", "Slovakia"}
    assert s["tiv"].sum() == 0
    assert s["share"].isna().all()  # no volume: shares are undefined, not 0


def test_unknown_recipient_raises(small):
    with pytest.raises(UnknownEntityError, match="Atlantis"):
        A.supplier_shares(small, "Atlantis", start=2011, end=2020)


def test_names_ignore_case_and_accents_and_prefer_harmonised_columns(small):
    harmonised = small.assign(
        supplier_name=small["supplier"].replace({"Turkiye": "Türkiye"}).astype("string")
    )
    s = A.supplier_shares(harmonised, "azerbaijan", start=2020, end=2020)
    assert s["supplier"].tolist() == ["Türkiye"]
    t = A.deal_timelines(harmonised, supplier="TURKIYE")
    assert t["supplier"].unique().tolist() == ["Türkiye"]


def test_alias_through_the_entity_crosswalk(small):
    s = A.supplier_shares(small, "Azerbaijan", start=2020, end=2020)
    t = A.deal_timelines(small, supplier="Turkey")  # the crosswalk maps Turkey to Turkiye
    assert s["supplier"].tolist() == ["Turkiye"]
    assert t["designation"].tolist() == ["Bayraktar TB-2"]
    # ... and the file's own older spelling is found by the current one
    old = small.assign(supplier=small["supplier"].replace({"Turkiye": "Turkey"}))
    t = A.deal_timelines(old, supplier="TÜRKIYE")
    assert t["designation"].tolist() == ["Bayraktar TB-2"]


def test_functions_do_not_modify_their_input(small):
    before = small.copy()
    A.supplier_shares(small, "Azerbaijan", start=2011, end=2020)
    A.period_table(small, recipient="Azerbaijan")
    A.yearly_series(small, by="category")
    A.deal_timelines(small, text="TB2")
    A.reconcile([small, small], recipient="Armenia")
    pd.testing.assert_frame_equal(small, before)


def test_tiv_table_is_not_deliveries():
    table = conform(pd.DataFrame({"entity": ["Armenia"], "year": [2019], "tiv": [248.0]}), "tiv")
    with pytest.raises(ValueError, match="TIV table"):
        A.supplier_shares(table, "Armenia", start=2019, end=2019)
    with pytest.raises(TypeError):
        A.supplier_shares([1, 2], "Armenia", start=2019, end=2019)


def test_a_register_must_be_split_explicitly():
    deals = conform(
        pd.DataFrame(
            {
                "recipient": ["Armenia"],
                "supplier": ["Russia"],
                "delivery_years": ["2019"],
                "tiv_delivered": [4.0],
            }
        ),
        "deals",
    )
    for call in (
        lambda f: A.supplier_shares(f, "Armenia", start=2019, end=2019),
        lambda f: A.yearly_series(f),
        lambda f: A.deal_timelines(f),
    ):
        with pytest.raises(ValueError, match="split_deals"):
            call(deals)
    assert A.release_diff(deals, deals).empty  # deal by deal: registers need no split
    split = readers.split_deals(deals)
    assert A.supplier_shares(split, "Armenia", start=2019, end=2019)["tiv"].tolist() == [4.0]
    A.require(deals, recipients=["Armenia"], suppliers=["Russia"])  # names only: no split


def test_categories_come_from_the_frame(small):
    with pytest.raises(ValueError, match="arms.categorize"):
        A.yearly_series(small.drop(columns="category"), by="category")
    with pytest.raises(ValueError, match="arms.categorize"):
        A.category_matrix(small, recipient="Armenia", start=2016, end=2022)  # no family


# --------------------------------------------------------------------------------------------
# series and periods
# --------------------------------------------------------------------------------------------


def test_yearly_series_is_zero_filled_and_sums_to_the_window_total(small):
    y = A.yearly_series(small, recipient="Azerbaijan", start=2010, end=2021)
    assert list(y.columns) == ["year", "supplier", "tiv", "tiv_estimated"]
    suppliers = y["supplier"].nunique()
    assert len(y) == 12 * suppliers  # every year for every supplier
    assert y.loc[y["year"] == 2010, "tiv"].sum() == 0
    total = A.supplier_shares(small, "Azerbaijan", start=2010, end=2021).attrs["total_tiv"]
    assert y["tiv"].sum() == pytest.approx(total)
    assert (y["tiv_estimated"] <= y["tiv"]).all()


def test_yearly_series_by_recipient_and_category(small):
    y = A.yearly_series(small, supplier="Russia", by="recipient")
    assert set(y["recipient"]) == {"Azerbaijan", "Armenia"}
    assert (y["year"].min(), y["year"].max()) == (2011, 2019)
    c = A.yearly_series(small, recipient="Armenia", by="category")
    assert c.groupby("category")["tiv"].sum().to_dict() == {
        "Aircraft": 190.0,
        "Artillery": 21.0,
        "Missiles": 20.0,
    }
    with pytest.raises(ValueError, match="by must be"):
        A.yearly_series(small, by="weapon")


def test_five_year_periods():
    p = A.five_year_periods(2000, 2023)
    assert p["period"].tolist() == ["2001-05", "2006-10", "2011-15", "2016-20", "2021-23"]
    assert p["start"].tolist() == [2001, 2006, 2011, 2016, 2021]
    assert p["end"].iloc[-1] == 2023
    assert A.five_year_periods(1991, 2000)["period"].tolist() == ["1991-95", "1996-2000"]
    assert A.five_year_periods(2015, 2024, anchor=2024)["period"].tolist() == [
        "2015-19",
        "2020-24",
    ]


def test_period_table_shares_sum_to_100_in_every_period(small):
    t = A.period_table(small, recipient="Azerbaijan")
    assert list(t.columns) == [
        "period",
        "start",
        "end",
        "supplier",
        "tiv",
        "share",
        "tiv_estimated",
    ]
    assert t["period"].unique().tolist() == ["2011-15", "2016-20"]
    sums = t.groupby("period")["share"].sum()
    assert sums.to_numpy() == pytest.approx([100.0, 100.0])
    # each period's groups add up to the window total of the same period
    for label, start, end in [("2011-15", 2011, 2015), ("2016-20", 2016, 2020)]:
        total = A.supplier_shares(small, "Azerbaijan", start=start, end=end).attrs["total_tiv"]
        assert t.loc[t["period"] == label, "tiv"].sum() == pytest.approx(total)


def test_period_table_accepts_labels_tuples_and_overlaps(small):
    t = A.period_table(small, recipient="Azerbaijan", periods=["2011-20", (2016, 2017)])
    assert t["period"].unique().tolist() == ["2011-20", "2016-17"]
    assert t.loc[t["period"] == "2016-17", "tiv"].sum() == pytest.approx(100.0)
    by_cat = A.period_table(small, by="category", periods=[(2011, 2022)])
    assert by_cat["tiv"].sum() == pytest.approx(small["tiv"].sum())
    with pytest.raises(ValueError):
        A.period_table(small, periods=["twenty-ten"])


def test_leading_supplier_and_concentration(small):
    lead = A.leading_supplier(small, "Azerbaijan", periods=["2011-15", "2016-20", "2021-25"])
    assert lead["supplier"].tolist()[:2] == ["Russia", "Israel"]
    assert lead["share"].iloc[0] == pytest.approx(150 / 190 * 100)
    assert pd.isna(lead["supplier"].iloc[2])  # nothing delivered in 2021-25
    hhi = A.concentration(small, "Armenia", periods=["2016-20", "2021-25"])
    assert hhi["hhi"].tolist() == pytest.approx([10000.0, 10000.0])
    assert hhi["suppliers"].tolist() == [1, 1]
    az = A.concentration(small, "Azerbaijan", periods=["2011-15"]).iloc[0]
    shares = [150 / 190 * 100, 40 / 190 * 100]
    assert az["hhi"] == pytest.approx(sum(s * s for s in shares))
    assert az["suppliers"] == 2


def test_compare_recipients_and_supplier_to_recipients(small):
    c = A.compare_recipients(small, ["Azerbaijan", "Armenia"], periods=["2016-20", "2021-25"])
    assert c["recipient"].tolist() == ["Azerbaijan", "Armenia"] * 2
    az_2016 = 60 + 30 + 10 + 28.8 + 0
    assert c["tiv"].tolist() == pytest.approx([az_2016, 210.0, 0.0, 21.0])
    assert c["ratio"].iloc[0] == pytest.approx(az_2016 / 210)
    assert c["ratio"].iloc[0] == c["ratio"].iloc[1]
    russia = A.compare_recipients(
        small, ["Azerbaijan", "Armenia"], supplier="Russia", periods=["2016-20"]
    )
    assert russia["tiv"].tolist() == [10.0, 210.0]
    with pytest.raises(ValueError):
        A.compare_recipients(small, [])
    one = A.compare_recipients(small, ["Azerbaijan"], periods=["2016-20"])
    assert one["tiv"].tolist() == [az_2016] and one["ratio"].isna().all()
    both = A.supplier_to_recipients(
        small, "Russia", ["Azerbaijan", "Armenia"], start=2011, end=2020
    )
    assert len(both) == 20
    assert both.groupby("recipient")["tiv"].sum().to_dict() == {
        "Armenia": 210.0,
        "Azerbaijan": 160.0,
    }
    assert both["recipient"].tolist()[:2] == ["Azerbaijan", "Armenia"]


def test_flows_and_category_matrix(small):
    f = A.flows(small, start=2016, end=2020)
    assert f[["supplier", "recipient"]].iloc[0].tolist() == ["Russia", "Armenia"]
    assert f["tiv"].sum() == pytest.approx(
        small.loc[small["year"].between(2016, 2020), "tiv"].sum()
    )
    m = A.category_matrix(small, recipient="Azerbaijan", start=2011, end=2020, by="category")
    assert list(m.columns) == ["category", "supplier", "tiv", "tiv_estimated"]
    aircraft = m.loc[m["category"] == "Aircraft"]
    assert aircraft["supplier"].tolist() == ["Israel", "Turkiye"]
    with pytest.raises(ValueError):
        A.category_matrix(small, recipient="Azerbaijan", start=2011, end=2020, by="supplier")


def test_family_grouping_uses_an_existing_family_column(small):
    fam = small.assign(family=small["category"].str.lower())
    m = A.category_matrix(fam, recipient="Armenia", start=2016, end=2022)
    assert set(m["family"]) == {"aircraft", "missiles", "artillery"}
    t = A.deal_timelines(fam, family="aircraft", recipient="Azerbaijan")
    assert set(t["designation"]) == {"weapon 2", "Bayraktar TB-2"}
    assert "family" in t.columns


# --------------------------------------------------------------------------------------------
# customers and deals
# --------------------------------------------------------------------------------------------


def test_customer_rank_from_deliveries(small):
    r = A.customer_rank(small, "Russia", "Azerbaijan", start=2011, end=2020).iloc[0]
    assert r["tiv"] == pytest.approx(160.0)
    assert r["supplier_total"] == pytest.approx(370.0)
    assert r["share"] == pytest.approx(160 / 370 * 100)
    assert (r["rank"], r["customers"]) == (2, 2)
    none = A.customer_rank(small, "India", "Azerbaijan", start=2011, end=2022).iloc[0]
    assert none["tiv"] == 0 and pd.isna(none["rank"]) and none["customers"] == 1


def test_customer_rank_from_a_one_supplier_table():
    table = conform(
        pd.DataFrame(
            {
                "table": "imports",
                "entity": ["India", "Azerbaijan", "Viet Nam", "India"],
                "counterpart": "Israel",
                "year": [2016, 2016, 2017, 2030],
                "tiv": [300.0, 200.0, 100.0, 999.0],
                "under_half": False,
            }
        ),
        "tiv",
    )
    r = A.customer_rank(table, "Israel", "Azerbaijan", start=2016, end=2020).iloc[0]
    assert (r["tiv"], r["supplier_total"], r["rank"], r["customers"]) == (200, 600, 2, 3)
    assert r["share"] == pytest.approx(100 / 3)
    with pytest.raises(UnknownEntityError):
        A.customer_rank(table, "France", "Azerbaijan", start=2016, end=2020)


def test_deal_timelines(small):
    t = A.deal_timelines(small, recipient="Azerbaijan", supplier="Russia")
    assert t["deal_key"].tolist() == ["1", "1", "4"]
    assert t["year"].tolist() == [2011, 2012, 2016]
    assert t["units"].tolist() == [10, 5, 1]
    assert t["deal"].iloc[0] == "weapon 1 (Russia \u2192 Azerbaijan, 2010)"
    for col in [
        "deal",
        "deal_key",
        "supplier",
        "recipient",
        "designation",
        "description",
        "order_year",
        "order_year_estimated",
        "year",
        "units",
        "units_estimated",
        "tiv",
        "status",
    ]:
        assert col in t.columns
    su = A.deal_timelines(small, text="su-30sm")  # found in the comments
    assert su["designation"].tolist() == ["Su-30K"]
    assert A.deal_timelines(small, text="tb2")["deal_key"].tolist() == ["5"]


def test_deal_labels_are_unique_per_deal():
    d = deliveries(
        [row(1, "Russia", "Armenia", 2010, 1.0), row(2, "Russia", "Armenia", 2010, 2.0)]
    )
    d = d.assign(designation="engine")
    t = A.deal_timelines(d)
    assert t["deal"].nunique() == 2
    assert t["deal"].str.endswith("[1]").sum() == 1


def test_deal_keys_fall_back_to_source_line_and_composite():
    f = pd.DataFrame(
        {
            "deal_id": pd.array([7, None, None], dtype="Int64"),
            "source_line": pd.array([1, 2, None], dtype="Int64"),
            "supplier": ["Russia"] * 3,
            "recipient": ["Armenia"] * 3,
            "designation": ["Su-30K"] * 3,
            "order_year": [2019] * 3,
        }
    )
    assert A.deal_keys(f).tolist() == ["7", "line 2", "Russia|Armenia|Su-30K|2019"]


# --------------------------------------------------------------------------------------------
# reconciliation
# --------------------------------------------------------------------------------------------


def table_for(recipient, cells, *, generated="2024-10-13T12:33:29", years=range(2010, 2024)):
    """An importer TIV table: cells {year: value or '0 '}; other years empty; one filler row."""
    rows = []
    for y, v in cells.items():
        under = v == "0 "
        rows.append((recipient, y, 0.0 if under else float(v), under))
    rows += [("Elsewhere", y, 1.0, False) for y in years]
    frame = pd.DataFrame(rows, columns=["entity", "year", "tiv", "under_half"])
    out = conform(frame.assign(table="imports", counterpart="all"), "tiv")
    out.attrs["source"] = {"generated": generated}
    return out


def test_reconcile_passes_within_rounding_and_flags_releases(small):
    table = table_for(
        "Azerbaijan", {2011: 100, 2012: 50, 2014: 40, 2016: 70, 2017: 30, 2018: "0 ", 2020: 29}
    )
    r = A.reconcile(
        {"deliveries": small, "table": table}, recipient="Azerbaijan", start=2011, end=2020
    )
    summary = r.attrs["summary"]
    assert summary["passed"], r.loc[~r["passed"].fillna(True)]
    assert summary["checks"] == 11  # ten years and the window
    assert (r["same_release"] == False).all()  # noqa: E712
    assert summary["same_release"] is False
    assert any("different SIPRI releases" in w for w in summary["warnings"])
    assert "WARNING" in summary["message"]
    window = r.loc[r["level"] == "window"].iloc[0]
    assert window["left_tiv"] == pytest.approx(318.8)
    assert window["difference"] == pytest.approx(318.8 - 319)


def test_reconcile_fails_on_a_real_discrepancy(small):
    cells = {2011: 100, 2012: 50, 2014: 40, 2016: 70, 2017: 30, 2018: "0 ", 2020: 29}
    table = table_for("Azerbaijan", cells)
    perturbed = small.assign(tiv=small["tiv"].mask(small["deal_id"] == 3, small["tiv"] + 1))
    r = A.reconcile(
        {"deliveries": perturbed, "table": table}, recipient="Azerbaijan", start=2011, end=2020
    )
    assert not r.attrs["summary"]["passed"]
    failed = r.loc[r["checked"] & ~r["passed"]]
    assert failed["year"].dropna().tolist() == [2016, 2017]
    assert failed["gap"].max() == pytest.approx(0.5, abs=0.01)
    # an empty table cell means none identified: a delivery there is a discrepancy
    table = table_for("Azerbaijan", {k: v for k, v in cells.items() if k != 2014})
    r = A.reconcile([small, table], recipient="Azerbaijan", start=2011, end=2020)
    assert r.loc[r["year"] == 2014, "passed"].tolist() == [False]
    # a '0' (under 0.5) cannot be 1.0
    bumped = small.assign(tiv=small["tiv"].mask(small["deal_id"] == 6, 1.0))
    r = A.reconcile(
        [bumped, table_for("Azerbaijan", cells)], recipient="Azerbaijan", start=2011, end=2020
    )
    assert r.loc[r["year"] == 2018, "passed"].tolist() == [False]


def test_reconcile_same_release_and_tolerance(small):
    table = table_for("Armenia", {2016: 21, 2019: 190, 2022: 21}, generated="2025-01-03T09:00")
    r = A.reconcile([small, table], recipient="Armenia", start=2011, end=2022)
    assert r["same_release"].all()
    assert r.attrs["summary"]["warnings"] == []
    assert not r.attrs["summary"]["passed"]  # 20 against 21 in 2016
    loose = A.reconcile([small, table], recipient="Armenia", start=2011, end=2022, tolerance=0.5)
    assert loose.attrs["summary"]["passed"]


def test_reconcile_even_split_is_checked_over_the_window_only(small):
    even = small.assign(allocation="even")
    # move 20 of deal 1 from 2011 to 2012: same deal total, different yearly profile
    even = even.assign(
        tiv=even["tiv"]
        .mask((even["deal_id"] == 1) & (even["year"] == 2011), 80.0)
        .mask((even["deal_id"] == 1) & (even["year"] == 2012), 70.0)
    )
    r = A.reconcile({"register": even, "deliveries": small}, recipient="Azerbaijan")
    years = r.loc[r["level"] == "year"]
    assert not years["checked"].any() and years["passed"].isna().all()
    assert r.attrs["summary"]["passed"]
    # a deal straddling the window edge may place its TIV anywhere in its years
    r = A.reconcile(
        {"register": even, "deliveries": small}, recipient="Azerbaijan", start=2012, end=2020
    )
    window = r.loc[r["level"] == "window"].iloc[0]
    assert window["difference"] == pytest.approx(20.0)
    assert window["passed"] and "straddle" in window["note"]
    # but a deal inside the window must add up
    wrong = even.assign(tiv=even["tiv"].mask(even["deal_id"] == 3, 0.0))
    r = A.reconcile({"register": wrong, "deliveries": small}, recipient="Azerbaijan")
    assert not r.attrs["summary"]["passed"]


# --------------------------------------------------------------------------------------------
# release diff, events
# --------------------------------------------------------------------------------------------


def test_release_diff_by_id():
    old = deliveries(
        [
            row(1, "Israel", "Azerbaijan", 2016, 10.0),
            row(2, "Israel", "Azerbaijan", 2017, 5.0),
            row(3, "Israel", "Azerbaijan", 2017, 1.0),
        ]
    )
    new = deliveries(
        [
            row(1, "Israel", "Azerbaijan", 2016, 10.0),
            row(2, "Israel", "Azerbaijan", 2018, 5.0, order_year=2016),
            row(4, "Israel", "Azerbaijan", 2019, 7.0),
        ]
    )
    d = A.release_diff(old, new)
    assert d[["change", "deal_key"]].values.tolist() == [
        ["added", "4"],
        ["removed", "3"],
        ["changed", "2"],
    ]
    changed = d.iloc[2]
    assert (changed["years_old"], changed["years_new"], changed["changed"]) == (
        "2017",
        "2018",
        "delivery_years",
    )
    assert changed["changes"] == {"delivery_years": ["2017", "2018"]}
    assert changed["matched_by"] == "id"
    assert d.attrs["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}


def test_release_diff_without_ids_matches_designations_loosely():
    old = deliveries(
        [
            row(
                None,
                "Turkiye",
                "Azerbaijan",
                2020,
                28.8,
                units=12,
                designation="Bayraktar TB2",
                source_line=10,
            )
        ]
    )
    new = deliveries(
        [
            row(
                None,
                "Turkiye",
                "Azerbaijan",
                2020,
                28.8,
                units=12,
                designation="Bayraktar TB-2",
                source_line=99,
            ),
            row(
                None,
                "Turkiye",
                "Azerbaijan",
                2021,
                2.4,
                units=1,
                designation="Bayraktar TB-2",
                order_year=2020,
                source_line=99,
            ),
        ]
    )
    d = A.release_diff(old, new)
    assert d["change"].tolist() == ["changed"]
    assert d.iloc[0]["changed"] == "number_delivered; delivery_years; tiv_delivered"
    assert d.iloc[0]["matched_by"] == "fields"
    assert d.iloc[0]["tiv_change"] == pytest.approx(2.4)
    assert A.release_diff(old, old).empty


def test_events(tmp_path):
    frame = A.events_frame()
    assert frame["label"].tolist() == ["April 2016 clashes", "2020 Nagorno-Karabakh war"]
    war = frame.iloc[1]
    assert (war["start"].date().isoformat(), war["end"].date().isoformat()) == (
        "2020-09-27",
        "2020-11-10",
    )
    assert list(frame.columns) == ["label", "start", "end", "parties", "source"]
    assert (frame["end"] >= frame["start"]).all()
    assert frame["source"].str.len().gt(0).all()  # every event cites its source
    with pytest.raises(AttributeError):
        A.Event("x", war["start"].date(), war["end"].date()).label = "y"
    own = tmp_path / "events.csv"
    own.write_text("start,end,label,parties,source\n2021-01-02,2021-01-01,x,,s\n")
    with pytest.raises(ValueError, match="end before"):
        A.events_frame(own)
    own.write_text("start,label\n2021-01-02,x\n")
    with pytest.raises(ValueError, match="missing columns"):
        A.events_frame(own)


# --------------------------------------------------------------------------------------------
# the real SIPRI files (skipped when ../shared/sipri is absent)
# --------------------------------------------------------------------------------------------

REGISTER = SHARED_SIPRI_DIR / "tradereg-newportal-MJHofmann-1.csv"
DELIVERIES = SHARED_SIPRI_DIR / "deliveries-newportal-lucacasu-1.csv"
IMPORTS = SHARED_SIPRI_DIR / "tivvalues-newportal-import-MJHofmann-1.csv"

real = pytest.mark.skipif(not DELIVERIES.exists(), reason="../shared/sipri is absent")


@pytest.fixture(scope="module")
def real_deliveries():
    if not DELIVERIES.exists():
        pytest.skip("../shared/sipri is absent")
    return readers.read_deliveries(DELIVERIES)


@pytest.fixture(scope="module")
def real_register():
    if not REGISTER.exists():
        pytest.skip("../shared/sipri is absent")
    return readers.read_trade_register(REGISTER)


@pytest.fixture(scope="module")
def real_register_split(real_register):
    return readers.split_deals(real_register)


@pytest.fixture(scope="module")
def real_imports():
    if not IMPORTS.exists():
        pytest.skip("../shared/sipri is absent")
    return readers.read_tiv_table(IMPORTS)


@real
def test_azerbaijan_2016_20_matches_sipri_fact_sheet(real_deliveries):
    s = A.supplier_shares(real_deliveries, "Azerbaijan", start=2016, end=2020)
    assert s.attrs["method"] == "sipri"
    assert s["supplier"].tolist()[:2] == ["Israel", "Russia"]
    israel, russia = s["share"].iloc[0], s["share"].iloc[1]
    assert israel == pytest.approx(69, abs=3)  # SIPRI Fact Sheet, March 2021
    assert russia == pytest.approx(17, abs=3)
    assert s["share"].sum() == pytest.approx(100)
    assert 0 < s.attrs["estimated_share"] <= 100


@real
def test_register_even_split_gives_the_same_leaders(real_register_split):
    s = A.supplier_shares(real_register_split, "Azerbaijan", start=2016, end=2020)
    assert s.attrs["method"] == "even"
    assert s["supplier"].tolist()[:2] == ["Israel", "Russia"]
    assert s["share"].sum() == pytest.approx(100)


@real
@pytest.mark.parametrize("source", ["real_deliveries", "real_register_split"])
def test_tb2_fact(source, request):
    frame = request.getfixturevalue(source)
    t = A.deal_timelines(frame, recipient="Azerbaijan", supplier="Turkiye", text="TB2")
    assert t["deal_key"].nunique() == 1
    tb2 = t.iloc[0]
    assert tb2["order_year"] == 2020 and bool(tb2["order_year_estimated"])
    assert tb2["units"] == 12 and bool(tb2["units_estimated"])
    assert tb2["year"] == 2020
    assert tb2["tiv_per_unit"] == pytest.approx(2.4)
    assert tb2["tiv"] == pytest.approx(12 * 2.4)


@real
def test_su30sm_fact_is_found_in_the_register_comments(real_register_split, real_deliveries):
    t = A.deal_timelines(real_register_split, recipient="Armenia", text="Su-30SM")
    assert t["deal_key"].nunique() == 1
    su = t.iloc[0]
    assert (su["designation"], su["supplier"], su["order_year"]) == ("Su-30K", "Russia", 2019)
    assert (su["year"], su["units"]) == (2019, 4)
    assert su["tiv_per_unit"] == pytest.approx(47.5)
    assert su["tiv"] == pytest.approx(190)
    assert su["deal"] == "Su-30K (Russia \u2192 Armenia, 2019)"
    # the same deal in the deliveries file, by designation (it has no comments)
    d = A.deal_timelines(real_deliveries, recipient="Armenia", text="Su-30K")
    assert d["units"].sum() == 4 and d["tiv"].sum() == pytest.approx(190)
    # its weight in Armenia's imports that year
    year = A.yearly_series(real_deliveries, recipient="Armenia", start=2019, end=2019)
    assert 190 / year["tiv"].sum() > 0.5


@real
def test_case_study_peaks(real_deliveries):
    az = A.yearly_series(real_deliveries, recipient="Azerbaijan", by="recipient")
    assert az.loc[az["tiv"].idxmax(), "year"] == 2014
    israel = A.yearly_series(real_deliveries, recipient="Azerbaijan", supplier="Israel")
    top4 = israel.nlargest(4, "tiv")["year"].tolist()
    assert all(2015 <= y <= 2018 for y in top4[:2])
    russia = A.yearly_series(real_deliveries, recipient="Azerbaijan", supplier="Russia")
    assert russia.loc[russia["tiv"] > 0, "year"].max() == 2018


@real
def test_real_periods_series_and_comparisons_add_up(real_deliveries):
    t = A.period_table(real_deliveries, recipient="Azerbaijan")
    assert t.groupby("period")["share"].sum().to_numpy() == pytest.approx(100)
    lead = A.leading_supplier(real_deliveries, "Azerbaijan").set_index("period")
    assert lead.loc["2016-20", "supplier"] == "Israel"
    assert lead.loc["2011-15", "supplier"] == "Russia"
    hhi = A.concentration(real_deliveries, "Azerbaijan")
    assert hhi["hhi"].between(0, 10000).all()
    for start, end in [(2006, 2010), (2011, 2015), (2016, 2020), (2000, 2023)]:
        total = A.supplier_shares(real_deliveries, "Azerbaijan", start=start, end=end)
        series = A.yearly_series(real_deliveries, recipient="Azerbaijan", start=start, end=end)
        assert series["tiv"].sum() == pytest.approx(total.attrs["total_tiv"])
        assert total["share"].sum() == pytest.approx(100)
    comp = A.compare_recipients(real_deliveries, ["Azerbaijan", "Armenia"])
    az = comp.loc[comp["recipient"] == "Azerbaijan"].set_index("period")
    assert az.loc["2011-15", "ratio"] > 1
    both = A.supplier_to_recipients(real_deliveries, "Russia", ["Azerbaijan", "Armenia"])
    assert set(both["recipient"]) == {"Azerbaijan", "Armenia"}
    rank = A.customer_rank(real_deliveries, "Israel", "Azerbaijan", start=2016, end=2020)
    assert 1 <= rank["rank"].iloc[0] <= rank["customers"].iloc[0]
    assert 0 < rank["share"].iloc[0] < 100


@real
@pytest.mark.parametrize("recipient", ["Azerbaijan", "Armenia"])
def test_reconciliation_of_three_files_passes(
    recipient, real_register, real_deliveries, real_imports
):
    r = A.reconcile(
        {"register": real_register, "deliveries": real_deliveries, "table": real_imports},
        recipient=recipient,
    )
    summary = r.attrs["summary"]
    assert summary["passed"], r.loc[r["checked"] & ~r["passed"]].to_string()
    assert (summary["start"], summary["end"]) == (2000, 2023)
    # Oct 2024 register and table are one release; the Jan 2025 deliveries another
    same = r.set_index(["left", "right"])["same_release"].groupby(level=[0, 1]).first()
    assert bool(same.loc[("register", "table")])
    assert not bool(same.loc[("register", "deliveries")])
    assert not bool(same.loc[("deliveries", "table")])
    assert any("different SIPRI releases" in w for w in summary["warnings"])


@real
def test_reconciliation_catches_a_perturbed_file(real_deliveries, real_imports):
    az = real_deliveries["recipient"] == "Azerbaijan"
    first = az[az].index[0]
    tiv = real_deliveries["tiv"].copy()
    tiv.loc[first] = tiv.loc[first] + 1.0
    perturbed = real_deliveries.assign(tiv=tiv)
    r = A.reconcile([perturbed, real_imports], recipient="Azerbaijan")
    assert not r.attrs["summary"]["passed"]
    year = int(real_deliveries.loc[first, "year"])
    assert r.loc[(r["level"] == "year") & ~r["passed"], "year"].tolist() == [year]


@real
def test_release_diff_between_register_and_itself(real_register_split):
    az = A.release_diff(real_register_split, real_register_split, recipient="Azerbaijan")
    assert az.empty


# --- files limited to some suppliers ("from China to All countries") ------------------------

FROM_CHINA = Path(__file__).parent.parent / "data" / "register-from-china.csv"
FULL_FROM_CHINA = "tradereg-newportal2026-DCL2049-1.csv"


def test_supplier_scope_from_the_preamble():
    scoped = readers.read_deliveries(FROM_CHINA)
    assert scoped.attrs["source"]["supplier_scope"] == "China"
    assert A.supplier_scope(scoped) == "China"
    whole = pd.DataFrame()
    for value in ("All countries", " all  COUNTRIES ", None, ""):
        whole.attrs["source"] = {"supplier_scope": value}
        assert A.supplier_scope(whole) is None
    whole.attrs = {}
    assert A.supplier_scope(whole) is None


def test_recipient_totals_carry_the_scope():
    scoped = readers.read_deliveries(FROM_CHINA)
    shares = A.supplier_shares(scoped, "Pakistan", start=2017, end=2018)
    assert shares.attrs["supplier_scope"] == "China"
    assert shares["supplier"].tolist() == ["China"] and shares.attrs["total_tiv"] == 400.0
    results = [
        A.period_table(scoped, recipient="Pakistan"),
        A.leading_supplier(scoped, "Pakistan"),
        A.concentration(scoped, "Pakistan"),
        A.yearly_series(scoped, recipient="Pakistan"),
        A.compare_recipients(scoped, ["Pakistan", "Bangladesh"]),
    ]
    assert [r.attrs["supplier_scope"] for r in results] == ["China"] * len(results)


def test_unscoped_files_say_none(small):
    assert (
        A.supplier_shares(small, "Azerbaijan", start=2016, end=2020).attrs["supplier_scope"]
        is None
    )
    assert A.period_table(small, recipient="Azerbaijan").attrs["supplier_scope"] is None


def test_scope_of_the_real_china_file(shared_sipri):
    path = shared_sipri / FULL_FROM_CHINA
    if not path.exists():
        pytest.skip(f"{path} is absent")
    shares = A.supplier_shares(readers.read_deliveries(path), "Pakistan", start=2016, end=2020)
    assert shares.attrs["supplier_scope"] == "China"
    assert shares["supplier"].tolist() == ["China"]


def test_suggest_names_ignores_case_and_accents():
    names = ["Azerbaijan", "Armenia", "Türkiye", "Georgia"]
    assert A.suggest_names("Azerbajan", names) == ["Azerbaijan"]
    assert A.suggest_names("TURKIY", names) == ["Türkiye"]
    assert A.suggest_names("Atlantis", names) == []
