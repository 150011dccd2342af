"""analysis.estimates: the share resting on estimates, from every flag a row carries."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import arms
from arms import analysis
from arms.paths import SIPRI_DIR
from arms.schema import conform

REGISTER = SIPRI_DIR / "tradereg-azerbaijan-armenia-2024-10-13.csv"
DELIVERIES = SIPRI_DIR / "deliveries-azerbaijan-armenia-2025-01-03.csv"
needs_bundle = pytest.mark.skipif(not REGISTER.exists(), reason="no bundled extract")


def test_every_flag_counts():
    d = conform(
        pd.DataFrame(
            {
                "recipient": "Armenia",
                "year": [2019, 2020, 2020, 2021],
                "tiv": [30.0, 10.0, 40.0, 20.0],
                "order_year_estimated": [True, False, False, False],
                "units_estimated": [False, True, False, False],
                "year_estimated": [False, False, False, True],
            }
        ),
        "deliveries",
    )
    s = analysis.estimated_share(d)
    assert s["share"] == pytest.approx(60 / 100 * 100)
    assert s["rows_estimated"] == 3 and s["lower_bound"] is False
    assert s["flags"] == ["order_year_estimated", "units_estimated", "year_estimated"]
    # the same rows in supplier_shares: every flag, not only units and years
    w = analysis.supplier_shares(d, "Armenia", start=2019, end=2021)
    assert w.attrs["estimated_share"] == pytest.approx(60.0)


@needs_bundle
def test_register_uses_order_year_and_numbers():
    deals = arms.load(REGISTER)
    s = analysis.estimated_share(deals, recipient="Azerbaijan", start=2016, end=2020)
    only_delivered = s["by_flag"]["number_delivered_estimated"]
    assert s["share"] >= only_delivered
    assert set(s["by_flag"]) >= {"order_year_estimated", "number_ordered_estimated"}
    assert s["lower_bound"] is False


@needs_bundle
@pytest.mark.parametrize("path", [REGISTER, DELIVERIES], ids=["register", "deliveries"])
def test_a_file_lacking_flags_is_a_lower_bound(path):
    frame = arms.load(path)
    flag = "number_delivered_estimated" if "tiv_delivered" in frame else "units_estimated"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        full = analysis.estimated_share(frame)  # the real file: no warning
    # as the March 2025 register did: the flag set on few rows
    stripped = frame.copy()
    stripped[flag] = stripped[flag].where(stripped.index % 10 == 0, False)
    stripped.attrs = dict(frame.attrs)
    assert flag in analysis.missing_flags(stripped)
    with pytest.warns(analysis.EstimateFlagWarning, match="lower bound"):
        low = analysis.estimated_share(stripped)
    assert low["lower_bound"] is True and low["missing_flags"] == [flag]
    assert low["share"] <= full["share"]
    if "year" in frame:
        w = analysis.supplier_shares(stripped, "Azerbaijan", start=2016, end=2020)
        assert w.attrs["estimated_lower_bound"] is True
