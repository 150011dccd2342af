"""analysis.conventions and analysis.robustness: SIPRI's conventions as switches."""

from __future__ import annotations

import pandas as pd
import pytest

import arms
from arms import analysis
from arms.paths import SIPRI_DIR
from arms.schema import conform

DELIVERIES = SIPRI_DIR / "deliveries-azerbaijan-armenia-2025-01-03.csv"
REGISTER = SIPRI_DIR / "tradereg-azerbaijan-armenia-2024-10-13.csv"
needs_bundle = pytest.mark.skipif(not DELIVERIES.exists(), reason="no bundled extract")


def frame():
    d = conform(
        pd.DataFrame(
            {
                "recipient": "Azerbaijan",
                "supplier": ["Russia", "Israel", "Israel", "Russia", "Turkiye"],
                "year": [2012, 2013, 2017, 2018, 2019],
                "tiv": [30.0, 10.0, 50.0, 0.0, 0.0],
                "local_production": [False, False, True, False, False],
                "units_estimated": [False, True, False, False, False],
                "allocation": "sipri",
            }
        ),
        "deliveries",
    )
    d.attrs["source"] = {"path": "test"}
    return d


def test_grid_and_apply():
    grid = analysis.convention_grid()
    assert len(grid) == 12
    assert grid[0] == {"local_production": True, "zero": 0.0, "estimated": True}
    assert len({tuple(g.values()) for g in grid}) == 12
    d = frame()
    assert analysis.apply_conventions(d, zero=0.25)["tiv"].tolist() == [30, 10, 50, 0.25, 0.25]
    kept = analysis.apply_conventions(d, local_production=False, estimated=False)
    assert kept["supplier"].tolist() == ["Russia", "Russia", "Turkiye"]
    with pytest.raises(ValueError, match="zero"):
        analysis.apply_conventions(d, zero=1.0)


def test_switches_on_shares_and_leaders():
    d = frame()
    s = analysis.supplier_shares(d, "Azerbaijan", start=2016, end=2020, zero=0.5)
    assert dict(zip(s["supplier"], s["tiv"], strict=True)) == {
        "Israel": 50.0,
        "Russia": 0.5,
        "Turkiye": 0.5,
    }
    assert s.attrs["conventions"] == {"local_production": True, "zero": 0.5, "estimated": True}
    s = analysis.supplier_shares(d, "Azerbaijan", start=2016, end=2020, local_production=False)
    assert s["tiv"].sum() == 0.0
    lead = analysis.leading_supplier(d, "Azerbaijan", periods=["2011-15", "2016-20"])
    assert lead["supplier"].tolist() == ["Russia", "Israel"]
    lead = analysis.leading_supplier(
        d, "Azerbaijan", periods=["2011-15", "2016-20"], local_production=False, zero=0.25
    )
    assert lead["supplier"].tolist() == ["Russia", "Russia"]  # ties: first by name
    t = analysis.period_table(d, recipient="Azerbaijan", periods=["2011-15"], estimated=False)
    assert t["supplier"].tolist() == ["Russia"]


def test_split_shares_carry_the_split_error():
    deals = conform(
        pd.DataFrame(
            {
                "recipient": ["Armenia"],
                "supplier": ["Russia"],
                "delivery_years": ["2019; 2020"],
                "tiv_delivered": [4.0],
            }
        ),
        "deals",
    )
    split = arms.split_deals(deals)
    s = analysis.supplier_shares(split, "Armenia", start=2019, end=2019)
    assert s.attrs["method"] == "even"
    err = s.attrs["split_error"]
    assert err["rule"] == "even" and 0 < err["recipient_year"] < 1
    assert analysis.supplier_shares(frame(), "Azerbaijan", start=2016, end=2020).attrs[
        "split_error"
    ] is None
    assert analysis.period_table(split, periods=["2016-20"]).attrs["split_error"] == err


def test_robustness_synthetic():
    periods = ["2011-15", "2016-20"]
    r = analysis.robustness(frame(), "Azerbaijan", "Israel", "Russia", periods=periods)
    assert len(r) == 12
    base = r.iloc[0]
    assert (base["status"], base["when"]) == ("overtook", "2016-20")
    no_local = r.loc[~r["local_production"].astype(bool)]
    assert set(no_local["status"]) == {"not yet"}  # Israel's 2017 delivery was local production
    assert r.attrs["holds"] is False


@needs_bundle
def test_robustness_on_the_bundled_deliveries():
    d = arms.load(DELIVERIES)
    r = analysis.robustness(d, "Azerbaijan", "Israel", "Russia")
    assert len(r) == 12
    # under SIPRI's own reading, the period Israel overtook Russia
    base = r.iloc[0]
    shares = analysis.period_table(d, recipient="Azerbaijan")
    o = analysis.overtake(shares, "Israel", "Russia")
    assert (base["status"], base["when"]) == (o["status"], o["when"])
    # dropping rows can only lower the total
    assert (r["total_tiv"] <= base["total_tiv"] + 1e-9).all()
    # the 0 readings change nothing when neither supplier has a 0 row
    for (lp, est), part in r.groupby(["local_production", "estimated"]):
        assert part["status"].nunique() == 1, (lp, est)
