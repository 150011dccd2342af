"""Readers: every SIPRI register variant and quirk into the canonical frames, nothing lost."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

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
# V1 registers


def test_v1_values_flags_and_zero_vs_empty():
    deals = arms.read_trade_register(DATA / "v1-2024.csv")
    schema.validate(deals, "deals")
    assert len(deals) == 7
    su = deals.loc[deals["designation"] == "Su-30K"].iloc[0]
    assert (su["number_ordered"], su["number_delivered"], su["tiv_delivered"]) == (4, 4, 190.0)
    assert su["comments"] == "$120 m deal; Su-30SM version"
    tb2 = deals.loc[deals["designation"] == "Bayraktar TB2"].iloc[0]
    assert tb2["order_year_estimated"] and tb2["number_ordered_estimated"]
    assert tb2["number_delivered_estimated"]
    # cp1252 text decoded, trailing space of a designation stripped
    assert deals["comments"].str.contains("Santa Fé").any()
    assert "Type-X" in set(deals["designation"])
    # undelivered order: SIPRI's 0 stays 0, years empty
    frigate = deals.loc[deals["designation"] == "Type-X"].iloc[0]
    assert frigate["number_delivered"] == 0 and pd.isna(frigate["delivery_years"])
    assert frigate["tiv_delivered"] == 0
    # empty Number ordered with a 0 total-order TIV: unknown, not zero
    wing = deals.loc[deals["designation"] == "Wing Loong-2"].iloc[0]
    assert pd.isna(wing["number_ordered"]) and pd.isna(wing["tiv_order"])
    # a rounded 0 TIV per unit stays 0 (not missing) and the total is kept
    fagot = deals.loc[deals["designation"] == "Fagot"].iloc[0]
    assert fagot["tiv_per_unit"] == 0 and fagot["tiv_delivered"] == 0.4
    assert (fagot["first_delivery_year"], fagot["last_delivery_year"]) == (1990, 1991)
    assert deals["status"].isin(schema.STATUSES).all()


def test_v1_split_record_repaired_lf_and_crlf():
    lf = arms.read_trade_register(DATA / "v1-2024.csv")
    crlf = arms.read_trade_register(DATA / "v1-2025-crlf-split.csv")
    for deals, line in ((lf, 16), (crlf, 15)):
        btr = deals.loc[deals["designation"] == "BTR-3"].iloc[0]
        assert btr["comments"].endswith("after redesign")
        assert (btr["tiv_per_unit"], btr["tiv_order"], btr["tiv_delivered"]) == (0.25, 3.5, 3.25)
        assert btr["delivery_years"] == "2010; 2012"  # a gap, kept
        assert btr["source_line"] == line
    # the record after the split one is not shifted
    assert lf.loc[lf["designation"] == "Fagot", "source_line"].item() == 18
    order = ["designation"]
    assert_frame_equal(
        without_lines(lf).sort_values(order).reset_index(drop=True),
        without_lines(crlf).sort_values(order).reset_index(drop=True),
    )


def test_v1_resaved_copies_read_like_the_original():
    original = without_lines(arms.read_trade_register(DATA / "v1-2024.csv"))
    resaved = without_lines(arms.read_trade_register(DATA / "v10-nopreamble-bom.csv"))
    assert_frame_equal(original, resaved)
    padded = without_lines(arms.read_trade_register(DATA / "v10-semicolon-padded.csv"))
    without_split = original.loc[original["designation"] != "BTR-3"].reset_index(drop=True)
    assert_frame_equal(without_split, padded)
    appended = without_lines(arms.read_trade_register(DATA / "v10-crlf-appended.csv"))
    assert_frame_equal(original.iloc[:3], appended)


def test_v1_2026_renamed_column_and_empty_undelivered():
    deals = arms.read_trade_register(DATA / "v1-2026.csv")
    frigate = deals.loc[deals["designation"] == "Type-X"].iloc[0]
    assert pd.isna(frigate["number_delivered"])  # 2026: undelivered is empty, not 0
    assert deals.loc[deals["recipient"] == "Venezuela", "comments"].item() == "Guaiquerí unit"
    assert deals.attrs["source"]["encoding"] == "utf-8"


def test_register_read_as_deliveries_is_split_evenly():
    deals = arms.read_trade_register(DATA / "v1-2024.csv")
    deliveries = arms.read_deliveries(DATA / "v1-2024.csv")
    schema.validate(deliveries, "deliveries")
    assert (deliveries["allocation"] == "even").all()
    sums = deliveries.groupby("source_line")[["units", "tiv"]].sum()
    delivered = deals.set_index("source_line").loc[sums.index]
    assert (sums["units"] == delivered["number_delivered"]).all()
    assert ((sums["tiv"] - delivered["tiv_delivered"]).abs() < 1e-9).all()
    boat = deliveries.loc[deliveries["designation"] == "Patrolboat X"]
    assert boat["year"].tolist() == [2014, 2016]
    assert boat["units"].tolist() == [3, 2]  # whole units, remainder to the first year
    # deals with nothing delivered have no delivery rows
    assert "Type-X" not in set(deliveries["designation"])


# ------------------------------------------------------------------------------------
# per-year variants


def test_v2_deliveries_and_grouping():
    d = arms.read_deliveries(DATA / "v2-deliveries.csv")
    schema.validate(d, "deliveries")
    assert len(d) == 7 and (d["allocation"] == "sipri").all()
    assert not d["designation"].str.endswith("-").any()  # V2 " -" suffixes stripped once, here
    assert (d["designation"] == "Patrolboat X").sum() == 2
    assert "vehicle engine 201-300" in set(d["designation"])  # not a year range
    assert "Air defence systems" in set(d["category"])  # 'Air-defence' respelled
    empty_flags = d.loc[d["deal_id"] == 90005].iloc[0]
    assert pd.isna(empty_flags["units_estimated"]) and pd.isna(empty_flags["local_production"])
    deals = arms.read_trade_register(DATA / "v2-deliveries.csv")
    schema.validate(deals, "deals")
    boat = deals.loc[deals["deal_id"] == 90001].iloc[0]
    assert boat["delivery_years"] == "2014; 2016"
    assert (boat["number_delivered"], boat["tiv_delivered"]) == (5, 15.0)
    assert boat["number_delivered_estimated"]  # one of its years is estimated
    assert deals["deal_id"].is_unique and len(deals) == 5


def test_v7_footer_and_semicolons():
    d = arms.read_deliveries(DATA / "v7-dealsandtivs.txt")
    assert len(d) == 4 and d.attrs["rejected"] == []
    assert d["recipient"].tolist()[0] == "Turkey"
    assert d.loc[d["deal_id"] == 91002, "tiv_per_unit"].item() == 54.0
    deals = arms.read_trade_register(DATA / "v7-dealsandtivs.txt")
    engine = deals.loc[deals["deal_id"] == 91003].iloc[0]
    assert (engine["number_delivered"], engine["delivery_years"]) == (18, "2013; 2014")


def test_v8_quoting_ranges_and_garbled_range():
    deals = arms.read_trade_register(DATA / "v8-legacy2014.csv")
    assert len(deals) == 6
    pandur = deals.loc[deals["designation"] == "Pandur-2"].iloc[0]
    assert pandur["comments"].startswith("CZK14.4 b ($650 m, offsets 150%) deal")
    assert (pandur["first_delivery_year"], pandur["last_delivery_year"]) == (2009, 2012)
    cobra = deals.loc[deals["designation"] == "Cobra"].iloc[0]
    assert pd.isna(cobra["first_delivery_year"]) and cobra["last_delivery_year"] == 2008
    assert deals.attrs["warnings"][0]["text"] == "194 - 2008"
    assert deals.attrs["rejected"] == []
    assert set(deals["status"]) == {"New", "Second hand", "Second hand but modernized"}
    assert deals.loc[deals["designation"] == "Aerostar", "local_production"].item()
    kornet = deals.loc[deals["designation"] == "Kornet"].iloc[0]
    assert kornet["comments"] == "Supplier uncertain, via Syria"  # quoted line break
    assert kornet["source_line"] == 7
    split = arms.read_deliveries(DATA / "v8-legacy2014.csv")
    assert split.loc[split["designation"] == "Pandur-2", "year"].tolist() == [
        2009,
        2010,
        2011,
        2012,
    ]
    assert split.loc[split["designation"] == "Pandur-2", "units"].sum() == 107


def test_v9_json():
    d = arms.read_deliveries(DATA / "v9-backend.json")
    assert len(d) == 4
    assert d["status"].tolist() == ["Second hand", "New", "New", "Second hand but modernized"]
    assert pd.isna(d.loc[d["deal_id"] == 93003, "units"].item())  # key missing
    assert d["order_year_estimated"].tolist() == [True, False, False, True]
    deals = arms.read_trade_register(DATA / "v9-backend.json")
    assert deals.loc[deals["deal_id"] == 93002, "number_delivered"].item() == 100


# ------------------------------------------------------------------------------------
# XLSX: the same layouts saved as workbooks read to the same frames

CSV_FIXTURES = [p.name for p in sorted(DATA.iterdir()) if p.suffix != ".json"]


def _to_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    """Save a CSV fixture as a workbook the way a spreadsheet would: numbers as numbers."""
    import csv

    from openpyxl import Workbook

    info = arms.detect_format(csv_path)
    text = csv_path.read_bytes().decode(info.encoding or "utf-8")
    wb = Workbook()
    ws = wb.active
    delim = info.delimiter
    lines = text.replace("\r\n", "\n").split("\n")
    if "line padding" in info.quirks:
        lines = [line.rstrip(";") for line in lines]
    quoting = csv.QUOTE_MINIMAL if info.variant in ("V6", "V8") else csv.QUOTE_NONE
    for cells in csv.reader([x + "\n" for x in lines], delimiter=delim, quoting=quoting):
        row = []
        for cell in cells:
            if re.fullmatch(r"\d+", cell):
                row.append(int(cell))
            elif re.fullmatch(r"\d+\.\d+", cell):
                row.append(float(cell))
            else:
                row.append(cell)
        ws.append(row)
    wb.save(xlsx_path)


@pytest.mark.parametrize("name", CSV_FIXTURES)
def test_xlsx_reads_like_csv(name, tmp_path):
    src = DATA / name
    xlsx = tmp_path / (Path(name).stem.split(".")[0] + ".xlsx")
    _to_xlsx(src, xlsx)
    assert arms.detect_format(xlsx).variant == arms.detect_format(src).variant
    assert arms.detect_format(xlsx).container == "xlsx"
    a, b = arms.read_any(src), arms.read_any(xlsx)
    assert_frame_equal(without_lines(a), without_lines(b))
    assert a.attrs["source"]["generated"] == b.attrs["source"]["generated"]


def test_wrong_reader(tmp_path):
    with pytest.raises(arms.SipriFormatError, match="use read_tiv_table"):
        arms.read_trade_register(DATA / "v3-imports.csv")
    with pytest.raises(arms.SipriFormatError, match="use read_trade_register or read_deliveries"):
        arms.read_tiv_table(DATA / "v1-2024.csv")


def test_bad_cell_raise_names_line_column_and_value(tmp_path):
    text = (
        (DATA / "v1-2024.csv")
        .read_bytes()
        .replace(b"Armenia,Russia,2019,", b"Armenia,Russia,20x9,")
    )
    path = tmp_path / "badcell.csv"
    path.write_bytes(text)
    with pytest.raises(arms.SipriFormatError) as err:
        arms.read_trade_register(path)
    assert err.value.line == 13
    assert "'order_year': expected a 4-digit year" in str(err.value) and "20x9" in str(err.value)


def test_errors_warn_keeps_going_and_reports_every_line(tmp_path):
    lines = (DATA / "v1-2024.csv").read_bytes().split(b"\n")
    lines[12] = lines[12].replace(b",47.5,", b",lots,")  # Su-30K: bad TIV per unit
    lines[13] = lines[13] + b",extra"  # TB2: a 17th field with text
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.warns(UserWarning, match="2 line"):
        deals = arms.read_trade_register(path, errors="warn")
    rejected = deals.attrs["rejected"]
    assert [r["line"] for r in rejected] == [13, 14]
    assert "tiv_per_unit" in rejected[0]["reason"] and "lots" in rejected[0]["text"]
    assert "expected 16 fields, found 17" in rejected[1]["reason"]
    assert len(deals) + len(rejected) == 7 == deals.attrs["source"]["records"]
    assert "Su-30K" not in set(deals["designation"])
    # nothing shifted: the rows after the bad ones are intact
    assert deals.loc[deals["designation"] == "Fagot", "source_line"].item() == 18


def test_bad_tiv_cell_warn(tmp_path):
    text = (DATA / "v3-imports.csv").read_text().replace("Armenia,,32,", "Armenia,,3x2,")
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(arms.SipriFormatError, match="line 12: column 2021"):
        arms.read_tiv_table(path)
    with pytest.warns(UserWarning):
        t = arms.read_tiv_table(path, errors="warn")
    assert "Armenia" not in set(t["entity"]) and t.attrs["rejected"][0]["line"] == 12


def test_argument_errors():
    with pytest.raises(ValueError, match="errors must be one of"):
        arms.read_trade_register(DATA / "v1-2024.csv", errors="ignore")
    with pytest.raises(TypeError):
        arms.read_trade_register(42)


def test_provenance_attrs():
    deals = arms.read_trade_register(DATA / "v1-2024.csv")
    src = deals.attrs["source"]
    assert src["variant"] == "V1" and src["encoding"] == "cp1252"
    assert len(src["sha256"]) == 64 and src["records"] == 7
    assert src["query"].startswith("Transfers of major conventional arms")
    json.dumps(deals.attrs)  # plain data only, so attrs survive concat/copy


# ------------------------------------------------------------------------------------
# real SIPRI files (../shared/sipri), record counts from its MANIFEST

# MANIFEST says 1,984 supplier rows for the regional file; the file has 2,037 lines = 11
# preamble/header + 43 regional totals + 1,983 supplier rows, so 1,983 is what is there.
REAL = [
    ("tradereg-newportal-MJHofmann-1.csv", "V1", 27951),
    ("tradereg-newportal2026-DCL2049-1.csv", "V1", 692),
    ("tradereg-newportal-nopreamble-greggmaloy-1.csv", "V1", 13497),
    ("deliveries-newportal-lucacasu-1.csv", "V2", 20480),
    ("deliveries-newportal-ukraine-senapol-1.csv", "V2", 382),
    ("tivvalues-newportal-export-AndreiTeodorPetre-1.csv", "V3", 119),
    ("tivvalues-newportal-import-MJHofmann-1.csv", "V3", 261),
    ("regional-newportal-AndreiTeodorPetre-1.csv", "V4", 1983),
    ("toplist-newportal-suppliers-nguyenlamvu88-1.csv", "V5", 136),
    ("tivtable-legacy-import-sumn2u-2.csv", "V6", 261),
    ("tivtable-legacy-export-sumn2u-1.csv", "V6", 11),
    ("dealsandtivs-legacy-michelle352l-1.txt", "V7", 2009),
    ("tradereg-legacy2014-stevenlsenior-1.csv", "V8", 2757),
    ("apijson-newportal-AndreiTeodorPetre-russia.json", "V9", 1213),
]
TOTAL_ROWS = {
    "tivvalues-newportal-export-AndreiTeodorPetre-1.csv": {"Total world export"},
    "tivvalues-newportal-import-MJHofmann-1.csv": {"Total world import"},
    "toplist-newportal-suppliers-nguyenlamvu88-1.csv": {"Others", "Total"},
    "tivtable-legacy-import-sumn2u-2.csv": {"Total"},
    "tivtable-legacy-export-sumn2u-1.csv": {"Total"},
}


@needs_shared
@pytest.mark.parametrize(("name", "variant", "records"), REAL)
def test_real_files_read_completely(name, variant, records):
    path = SHARED / name
    info = arms.detect_format(path)
    assert info.variant == variant
    frame = arms.read_any(path)  # errors="raise": any unreadable line fails the test
    assert frame.attrs["rejected"] == []
    assert frame.attrs["source"]["records"] == records
    if info.kind != "tiv":
        assert len(frame) == records
        schema.validate(frame, info.kind)
    else:
        schema.validate(frame, "tiv")
        labels = {t["label"] for t in frame.attrs["totals"]}
        if name in TOTAL_ROWS:
            assert labels == TOTAL_ROWS[name]
        assert not frame["entity"].str.match(r"(?i)^(total|others$)").any()


@needs_shared
def test_real_v1_split_records_and_case_study_rows():
    deals = arms.read_trade_register(SHARED / "tradereg-newportal-MJHofmann-1.csv")
    btr = deals.loc[(deals["recipient"] == "Thailand") & (deals["designation"] == "BTR-3")]
    assert (btr["tiv_per_unit"] == 0.25).any()
    assert deals.attrs["source"]["encoding"] == "cp1252"
    su = deals.loc[(deals["recipient"] == "Armenia") & (deals["designation"] == "Su-30K")]
    assert len(su) == 1
    row = su.iloc[0]
    assert (row["order_year"], row["number_ordered"], row["number_delivered"]) == (2019, 4, 4)
    assert (row["delivery_years"], row["tiv_per_unit"], row["tiv_delivered"]) == (
        "2019",
        47.5,
        190.0,
    )
    assert "Su-30SM" in row["comments"]
    # the re-saved copy of a later export holds the same split records, repaired
    resaved = arms.read_trade_register(SHARED / "tradereg-newportal-nopreamble-greggmaloy-1.csv")
    tail = resaved.loc[resaved["recipient"] == "Thailand"]
    assert (tail["tiv_order"] == 3.5).any() and resaved["recipient"].notna().all()


@needs_shared
def test_real_unpublished_year_and_total():
    t = arms.read_tiv_table(SHARED / "tivvalues-newportal-import-MJHofmann-1.csv")
    assert t.attrs["unpublished_years"] == [2024]
    assert t["year"].max() == 2023


@needs_shared
def test_real_deliveries_group_to_register_like_deals():
    deals = arms.read_trade_register(SHARED / "deliveries-newportal-lucacasu-1.csv")
    su = deals.loc[(deals["recipient"] == "Armenia") & (deals["designation"] == "Su-30K")]
    assert su["tiv_delivered"].tolist() == [190.0]
    assert su["category"].tolist() == ["Aircraft"]


@needs_shared
def test_real_warn_mode_accounts_for_every_record(tmp_path):
    lines = (SHARED / "tradereg-legacy2014-stevenlsenior-1.csv").read_bytes().split(b"\n")
    for i in (10, 500, 2000):
        lines[i] = lines[i].replace(b",", b";", 3)
    path = tmp_path / "damaged.csv"
    path.write_bytes(b"\n".join(lines))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        deals = arms.read_trade_register(path, errors="warn")
    assert len(deals) + len(deals.attrs["rejected"]) == 2757
    assert [r["line"] for r in deals.attrs["rejected"]] == [11, 501, 2001]


@needs_shared
def test_real_csv_xls_copy(tmp_path):
    copy = tmp_path / "TIV-Import-All-1950-2022.csv.xls"
    shutil.copy(SHARED / "tivtable-legacy-import-sumn2u-2.csv", copy)
    assert arms.read_tiv_table(copy).attrs["source"]["records"] == 261


def test_v9_bad_records_are_rejected_one_by_one(tmp_path):
    good = json.loads((DATA / "v9-backend.json").read_text())
    bad_status = dict(good[0], tradeId=94001, status="X")
    bad_flag = dict(good[0], tradeId=94002, unitsEst="yes")
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([*good, "not an object", bad_status, bad_flag, {"id": 9}]))
    with pytest.raises(arms.SipriFormatError, match="record 5: expected an object"):
        arms.read_deliveries(path)
    with pytest.warns(UserWarning, match="4 line"):
        d = arms.read_deliveries(path, errors="warn")
    reasons = [r["reason"] for r in d.attrs["rejected"]]
    assert reasons[0].startswith("record 5:") and "'status' must be N, S or R" in reasons[1]
    assert "'unitsEst' must be true, false or missing" in reasons[2]
    assert reasons[3].startswith("record 8:")
    assert len(d) == 4 and d["source_line"].tolist() == [1, 2, 3, 4]
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    assert len(arms.read_deliveries(empty)) == 0 and len(arms.read_trade_register(empty)) == 0
