"""Fixtures of the plotting tests: small analysis frames, figures closed after each test."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from plot_checks import with_source  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def yearly() -> pd.DataFrame:
    rows = [
        (2015, "Israel", 300.0, 0.0),
        (2015, "Russia", 400.0, 100.0),
        (2016, "Israel", 250.0, 250.0),
        (2016, "Russia", 100.0, 0.0),
        (2016, "Turkiye", 5.0, 0.0),
        (2020, "Turkiye", 28.8, 0.0),
        (2020, "Israel", 200.0, 50.0),
    ]
    frame = pd.DataFrame(rows, columns=["year", "supplier", "tiv", "tiv_estimated"]).astype(
        {"year": "Int64", "supplier": "string", "tiv": "Float64", "tiv_estimated": "Float64"}
    )
    frame["recipient"] = pd.array(["Azerbaijan"] * len(frame), dtype="string")
    return with_source(frame)


@pytest.fixture
def periods() -> pd.DataFrame:
    rows = [
        ("2011-15", 2011, "Russia", 600.0, 0.0),
        ("2011-15", 2011, "Israel", 300.0, 0.0),
        ("2016-20", 2016, "Israel", 690.0, 90.0),
        ("2016-20", 2016, "Russia", 170.0, 0.0),
        ("2016-20", 2016, "Turkiye", 140.0, 0.0),
        ("2006-10", 2006, "Russia", 100.0, 0.0),
    ]
    frame = pd.DataFrame(rows, columns=["period", "start", "supplier", "tiv", "tiv_estimated"])
    frame["share"] = 100 * frame["tiv"] / frame.groupby("period")["tiv"].transform("sum")
    return with_source(frame)


@pytest.fixture
def timeline() -> pd.DataFrame:
    rows = [
        ("Harop", "h", "Israel", 2011, True, 2014, 25, True, 50.0, "New"),
        ("Harop", "h", "Israel", 2011, True, 2016, 50, True, 100.0, "New"),
        ("Heron", "he", "Israel", 2010, False, 2011, 5, False, 60.0, "Second hand"),
        ("Su-30K", "su", "Russia", 2019, False, 2019, 4, False, 190.0, "New"),
    ]
    cols = [
        "deal",
        "deal_key",
        "supplier",
        "order_year",
        "order_year_estimated",
        "year",
        "units",
        "units_estimated",
        "tiv",
        "status",
    ]
    frame = pd.DataFrame(rows, columns=cols).astype(
        {
            "order_year": "Int64",
            "order_year_estimated": "boolean",
            "year": "Int64",
            "units": "Int64",
            "units_estimated": "boolean",
            "tiv": "Float64",
        }
    )
    return with_source(frame)
