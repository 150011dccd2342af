"""analysis.network and analysis.partners: edges add up, nodes carry codes, partners shares."""

from __future__ import annotations

import pandas as pd
import pytest

import arms
from arms import analysis
from arms.schema import conform


@pytest.fixture(scope="module")
def register():
    return arms.load(arms.io.bundled_files()["register"])


@pytest.fixture(scope="module")
def deliveries():
    return arms.load(arms.io.bundled_files()["deliveries"])


def test_edge_tiv_adds_up_to_the_delivered_tiv_in_the_window(deliveries):
    edges = analysis.network_edges(deliveries, start=2010, end=2020)
    year = deliveries["year"].astype("Int64")
    inside = ((year >= 2010) & (year <= 2020)).fillna(False).astype(bool)
    expected = float(deliveries.loc[inside, "tiv"].astype("Float64").fillna(0).sum())
    assert float(edges["tiv"].sum()) == pytest.approx(expected)
    assert edges.attrs["method"] == "sipri"
    assert (edges["first_year"] >= 2010).all() and (edges["last_year"] <= 2020).all()
    assert (edges["first_year"] <= edges["last_year"]).all()


def test_register_edges_over_all_years_hold_every_deals_delivered_tiv(register):
    # over a window holding every delivery year, the even split gives back each deal's TIV
    edges = analysis.network_edges(register, start=1950, end=2030)
    delivered = register.loc[register["delivery_years"].notna(), "tiv_delivered"]
    assert float(edges["tiv"].sum()) == pytest.approx(float(delivered.fillna(0).sum()))
    assert edges.attrs["method"] == "even"
    # each deal with a delivery is counted once, on its own pair
    assert int(edges["deals"].sum()) == int(register["delivery_years"].notna().sum())


def test_yearly_edges_sum_to_the_window_edges(register):
    whole = analysis.network_edges(register, start=2011, end=2020)
    yearly = analysis.network_edges(register, start=2011, end=2020, yearly=True)
    assert set(yearly["year"]) <= set(range(2011, 2021))
    by_pair = yearly.groupby(["supplier", "recipient"])["tiv"].sum()
    merged = whole.set_index(["supplier", "recipient"])["tiv"]
    pd.testing.assert_series_equal(
        by_pair.sort_index().astype(float),
        merged.sort_index().astype(float),
        check_names=False,
    )


def test_deal_counts_and_years_come_from_the_rows():
    d = conform(
        pd.DataFrame(
            {
                "supplier": ["Israel", "Israel", "Israel", "Russia"],
                "recipient": ["Azerbaijan"] * 4,
                "deal_id": [1, 1, 2, 3],
                "year": [2012, 2015, 2019, 2030],
                "tiv": [1.0, 2.0, 4.0, 8.0],
                "allocation": "sipri",
            }
        ),
        "deliveries",
    )
    e = analysis.network_edges(d, start=2010, end=2020)
    assert e.to_dict("records") == [
        {
            "supplier": "Israel",
            "recipient": "Azerbaijan",
            "tiv": 7.0,
            "tiv_estimated": 0.0,
            "deals": 2,
            "first_year": 2012,
            "last_year": 2019,
        }
    ]
    with pytest.raises(ValueError, match="after"):
        analysis.network_edges(d, start=2021, end=2020)


def test_nodes_have_codes_types_and_regions_and_unknowns_stay(register):
    edges = analysis.network_edges(register, start=1950, end=2030)
    nodes = analysis.network_nodes(edges)
    assert set(nodes["name"]) == set(edges["supplier"]) | set(edges["recipient"])
    row = nodes.set_index("name").loc["Azerbaijan"]
    assert (row["iso3"], row["entity_type"], row["region"]) == ("AZE", "state", "Europe")
    assert float(nodes["tiv_exported"].sum()) == pytest.approx(float(edges["tiv"].sum()))
    assert float(nodes["tiv_imported"].sum()) == pytest.approx(float(edges["tiv"].sum()))
    # a party the entity table does not know keeps its row, with <NA> codes
    odd = analysis.network_nodes(
        pd.DataFrame({"supplier": ["Atlantis"], "recipient": ["Armenia"], "tiv": [1.0]})
    ).set_index("name")
    assert odd.loc["Atlantis"].isna()[["iso3", "entity_type", "region"]].all()


def test_partner_shares_both_ways(register):
    sup = analysis.partner_shares(register, recipient="Azerbaijan", start=1992, end=2023)
    assert sup.attrs["role"] == "supplier" and sup.attrs["party"] == "Azerbaijan"
    assert float(sup["share"].sum()) == pytest.approx(100.0)
    assert list(sup["tiv"]) == sorted(sup["tiv"], reverse=True)
    assert {"Israel", "Russia"} <= set(sup["party"])
    cust = analysis.partner_shares(register, supplier="Israel", start=1992, end=2023)
    assert cust.attrs["role"] == "recipient"
    assert set(cust["party"]) <= {"Azerbaijan", "Armenia"}
    with pytest.raises(ValueError, match="exactly one"):
        analysis.partner_shares(register, start=1992, end=2023)
