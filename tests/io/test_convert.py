"""Deals <-> deliveries: the even split and the grouping, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

import arms
from arms.frames import group_deliveries, split_deals

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
SHARED = arms.paths.SHARED_SIPRI_DIR
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real SIPRI files not available at {SHARED}"
)


def read_any(path, **kw):
    kind = arms.detect_format(path).kind
    reader = {
        "deals": arms.read_trade_register,
        "deliveries": arms.read_deliveries,
        "tiv": arms.read_tiv_table,
    }[kind]
    return reader(path, **kw)


def without_lines(frame):
    return frame.drop(columns=["source_line"], errors="ignore").reset_index(drop=True)


# ------------------------------------------------------------------------------------
# splitting and grouping


def test_split_then_group_round_trip():
    deals = arms.read_trade_register(DATA / "v7-dealsandtivs.txt")
    again = group_deliveries(split_deals(deals))
    cols = ["deal_id", "number_delivered", "tiv_delivered", "delivery_years"]
    assert_frame_equal(again[cols], deals[cols])


def test_register_split_and_grouped_back_without_deal_ids():
    deals = arms.read_trade_register(DATA / "v1-2024.csv")  # V1 has no deal ids
    again = group_deliveries(split_deals(deals))
    delivered = deals.loc[deals["delivery_years"].notna()].reset_index(drop=True)
    cols = ["designation", "number_delivered", "tiv_delivered", "delivery_years", "source_line"]
    assert_frame_equal(again[cols], delivered[cols])
