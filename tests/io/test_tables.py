"""TIV tables (V3-V6) into the long tiv frame; totals, unpublished years, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

import arms
from arms import schema

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
SHARED = arms.paths.SHARED_SIPRI_DIR
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real SIPRI files not available at {SHARED}"
)



def without_lines(frame):
    return frame.drop(columns=["source_line"], errors="ignore").reset_index(drop=True)


# ------------------------------------------------------------------------------------
# TIV tables


def test_v3_zero_space_empty_column_totals():
    t = arms.read_tiv_table(DATA / "v3-imports.csv")
    schema.validate(t, "tiv")
    assert t.attrs["unpublished_years"] == [2024]
    assert 2024 not in set(t["year"])
    rebels = t.loc[t["entity"] == "unknown rebel group*"]
    assert rebels["tiv"].tolist() == [0.0, 0.0] and rebels["under_half"].all()
    assert not t.loc[t["tiv"] > 0, "under_half"].any()
    az = t.loc[t["entity"] == "Azerbaijan"].set_index("year")["tiv"]
    assert az.to_dict() == {2020: 369.0, 2021: 44.0, 2022: 51.0}  # empty 2023: no row
    assert "Total world import" not in set(t["entity"])
    totals = {(x["label"], x["year"]): x["tiv"] for x in t.attrs["totals"]}
    assert totals[("Total world import", 2020)] == 469.0
    assert t.attrs["source"]["records"] == 4


def test_v3_concatenated_tables_and_empty_table():
    t = arms.read_tiv_table(DATA / "v3-concatenated.csv")
    assert t.attrs["tables"] == 3
    by = t.groupby("counterpart")["entity"].apply(list).to_dict()
    assert by == {"India": ["Armenia", "Guyana"], "China": ["Pakistan", "Azerbaijan", "Serbia"]}
    assert len(t.attrs["totals"]) == 2


def test_v4_v5_v6_tables():
    r = arms.read_tiv_table(DATA / "v4-regional.csv")
    assert set(r["counterpart"]) == {"Africa", "COCOM"}
    assert r.attrs["source"]["records"] == 4
    assert {x["label"] for x in r.attrs["totals"]} == {"Africa", "COCOM"}
    imports = arms.read_tiv_table(DATA / "v4-imports-by-region-resaved.csv")
    assert list(dict.fromkeys(imports["entity"])) == ["Africa", "Asia and Oceania", "Europe"]
    assert (imports["counterpart"] == "all").all()
    assert {x["label"] for x in imports.attrs["totals"]} == {"World total"}
    top = arms.read_tiv_table(DATA / "v5-toplist.csv")
    assert list(dict.fromkeys(top["entity"])) == ["United States", "Israel", "Armenia"]
    assert {x["label"] for x in top.attrs["totals"]} == {"Others", "Total"}
    legacy = arms.read_tiv_table(DATA / "tiv-import-all-2018-2022.csv.xls")
    assert (legacy["table"] == "imports").all()
    assert legacy.attrs["source"]["records"] == 3
    az = legacy.loc[legacy["entity"] == "Azerbaijan"].set_index("year")
    assert az.loc[2022, "under_half"] and az.loc[2022, "tiv"] == 0


def test_table_rows_with_missing_or_extra_cells_are_reported(tmp_path):
    text = (DATA / "v3-imports.csv").read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text.split("Kazakhstan")[0] + "Kazakhstan,100,80")  # the file ends mid-row
    with pytest.raises(
        arms.SipriFormatError, match=r"line 14: expected 10 fields, found 3.*truncated"
    ):
        arms.read_tiv_table(cut)
    longer = tmp_path / "long.csv"
    longer.write_text(
        text.replace("Armenia,,32,29,7,,68,8.5%,68,8.5%", "Armenia,,32,29,7,,68,8.5%,68,8.5%,9")
    )
    with pytest.warns(UserWarning):
        t = arms.read_tiv_table(longer, errors="warn")
    assert [r["line"] for r in t.attrs["rejected"]] == [12]
    assert "Armenia" not in set(t["entity"]) and t.attrs["source"]["records"] == 4
