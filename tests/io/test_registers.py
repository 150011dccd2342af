"""Format quirks repaired once, in the readers: what downstream code can rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import arms
from arms.categories import CATEGORIES

DATA = Path(__file__).resolve().parents[1] / "data"
READERS = DATA / "readers"


def test_deliveries_designations_lose_the_trailing_dash():
    d = arms.read_deliveries(READERS / "v2-deliveries.csv")
    assert not d["designation"].str.endswith("-").any()
    assert (d["designation"] == "Patrolboat X").sum() == 2


def test_backend_json_designations_lose_the_trailing_dash(tmp_path):
    record = {"tradeId": 1, "buyer": "Armenia", "seller": "Russia", "deliveryYr": 2020}
    path = tmp_path / "t.json"
    path.write_text(json.dumps([record | {"desg": "Marauder -", "category": "Air-defence"}]))
    d = arms.read_deliveries(path)
    assert d["designation"].tolist() == ["Marauder"]


def test_categories_in_the_package_spelling():
    d = arms.read_deliveries(READERS / "v2-deliveries.csv")
    assert "Air defence systems" in set(d["category"])
    assert set(d["category"].dropna()) <= set(CATEGORIES)


def test_v8_ranges_become_listed_years_with_their_flag():
    deals = arms.read_trade_register(READERS / "v8-legacy2014.csv")
    pandur = deals.loc[deals["designation"] == "Pandur-2"].iloc[0]
    assert pandur["delivery_years"] == "2009; 2010; 2011; 2012"
    assert not pd.isna(pandur["delivery_years_estimated"])
    cobra = deals.loc[deals["designation"] == "Cobra"].iloc[0]
    assert cobra["delivery_years"] == "2008"  # "194 - 2008": the garbled start is left out
    assert deals.attrs["warnings"][0]["text"] == "194 - 2008"  # as the file wrote it
    v1 = arms.read_trade_register(READERS / "v1-2024.csv")
    assert v1["delivery_years_estimated"].isna().all()  # V1 has no flag for its years


def test_split_takes_the_years_flag_from_the_register():
    deals = arms.read_trade_register(READERS / "v8-legacy2014.csv")
    split = arms.read_deliveries(READERS / "v8-legacy2014.csv")
    for _, deal in deals.loc[deals["delivery_years"].notna()].iterrows():
        rows = split.loc[split["source_line"] == deal["source_line"]]
        assert (rows["year_estimated"] == deal["delivery_years_estimated"]).all()


def test_query_scope_is_parsed_into_attrs():
    china = arms.read_trade_register(DATA / "register-from-china.csv").attrs["source"]
    assert china["supplier_scope"] == "China"
    assert china["recipient_scope"] is None  # "All countries"
    v2 = arms.read_deliveries(READERS / "v2-deliveries.csv").attrs["source"]
    assert v2["supplier_scope"] is None
    no_preamble = arms.read_trade_register(READERS / "v10-nopreamble-bom.csv").attrs["source"]
    assert no_preamble["supplier_scope"] is None and no_preamble["recipient_scope"] is None
