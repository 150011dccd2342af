"""analysis.select: which parties a file holds, and pages that do not apply."""

from __future__ import annotations

from pathlib import Path

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


@pytest.fixture()
def from_china():
    return arms.read_deliveries(DATA / "register-from-china.csv")


def test_a_scoped_file_says_so(from_china, deliveries):
    assert analysis.supplier_scope(from_china) == "China"
    shares = analysis.supplier_shares(from_china, "Pakistan", start=2017, end=2018)
    assert shares.attrs["supplier_scope"] == "China"
    assert analysis.supplier_scope(deliveries) is None


def test_require_passes_with_the_parties(deliveries):
    analysis.require(deliveries, recipients=["Azerbaijan", "Armenia"], suppliers=["Russia"])
    analysis.require(deliveries, recipients=["Azerbaijan"], all_suppliers=True)


def test_require_raises_not_applicable(from_china):
    NotApplicable = arms.NotApplicable

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
