"""analysis.periods: the period rule and when one supplier overtook another."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import arms
from arms import analysis

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def deliveries():
    path = arms.io.bundled_files().get("deliveries")
    if path is None:
        pytest.skip("no bundled deliveries file")
    return arms.load(path, kind="deliveries")


def yearly(a_values, b_values, years=range(2014, 2018)):
    rows = []
    for y, a, b in zip(years, a_values, b_values, strict=True):
        rows += [(y, "Israel", a), (y, "Russia", b)]
    return pd.DataFrame(rows, columns=["year", "supplier", "tiv"])


# --- overtake ----------------------------------------------------------------------------------


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
    result = analysis.overtake(yearly(a, b), "Israel", "Russia")
    assert (result["status"], result["when"], result["last_behind"]) == (status, when, last)


def test_overtake_ignores_case_of_names():
    result = analysis.overtake(yearly([1, 9, 9, 9], [5, 1, 1, 1]), "israel", "RUSSIA")
    assert result["when"] == 2015


def test_overtake_on_bundled_periods(deliveries):
    periods = analysis.period_table(deliveries, recipient="Azerbaijan")
    result = analysis.overtake(periods, "Israel", "Russia")
    assert result["status"] == "overtook"
    assert result["when"] == "2016-20"
    assert result["a_share"] > result["b_share"]
