"""Readers: every SIPRI variant and quirk into the canonical frames, nothing lost."""

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
from arms.io.readers import group_deliveries, split_deals

DATA = Path(__file__).parent / "data" / "readers"
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
# detection


@pytest.mark.parametrize(
    ("name", "variant", "encoding", "header_line", "quirks"),
    [
        ("v1-2024.csv", "V1", "cp1252", 12, ()),
        ("v1-2024-april.csv", "V1", "utf-8", 12, ()),  # ASCII rows only
        ("v1-2025-crlf-split.csv", "V1", "cp1252", 12, ()),
        ("v1-2026.csv", "V1", "utf-8", 12, ()),
        ("v10-nopreamble-bom.csv", "V1", "utf-8-sig", 1, ("bom", "no preamble")),
        ("v10-semicolon-padded.csv", "V1", "cp1252", 1, ("crlf", "no preamble", "line padding")),
        ("v10-crlf-appended.csv", "V1", "cp1252", 12, ("crlf", "line padding")),
        ("v2-deliveries.csv", "V2", "utf-8", 12, ()),
        ("v3-imports.csv", "V3", "utf-8", 10, ()),
        ("v3-concatenated.csv", "V3", "utf-8", 10, ()),
        ("v4-regional.csv", "V4", "utf-8", 11, ()),
        ("v4-imports-by-region-resaved.csv", "V4", "utf-8", 7, ()),
        ("v5-toplist.csv", "V5", "utf-8", 11, ()),
        ("tiv-import-all-2018-2022.csv.xls", "V6", "utf-8", 11, ()),
        ("v7-dealsandtivs.txt", "V7", "utf-8", 6, ()),
        ("v8-legacy2014.csv", "V8", "utf-8", 1, ()),
        ("v9-backend.json", "V9", "utf-8", 0, ()),
    ],
)
def test_detect_format(name, variant, encoding, header_line, quirks):
    info = arms.detect_format(DATA / name)
    assert info.variant == variant
    assert info.encoding == encoding
    assert info.header_line == header_line
    assert set(info.quirks) == set(quirks)
    assert info.derivative == bool(set(quirks) - {"split records"})


def test_preamble_metadata_v1_forms():
    m24 = arms.detect_format(DATA / "v1-2024.csv").metadata
    assert m24["range"] == "deliveries or orders"
    assert (m24["year_from"], m24["year_to"]) == (1950, 2024)
    assert (m24["supplier"], m24["recipient"]) == ("All countries", "All countries")
    assert m24["generated"] == "2024-10-13T14:20:11"
    m25 = arms.detect_format(DATA / "v1-2025-crlf-split.csv").metadata
    assert m25["range"] == "deliveries"
    assert m25["year_from"] is None and m25["year_to"] is None  # 'Not specified'
    m26 = arms.detect_format(DATA / "v1-2026.csv").metadata
    assert (m26["supplier"], m26["year_from"], m26["year_to"]) == ("China", 2000, 2025)
    apr = arms.detect_format(DATA / "v1-2024-april.csv").metadata
    assert apr["recipient"] == "All countries" and apr["year_to"] == 2023


def test_preamble_metadata_legacy_and_tables():
    v7 = arms.detect_format(DATA / "v7-dealsandtivs.txt").metadata
    assert v7["supplier"] == "United States" and v7["generated"] == "2022-09-17"
    assert (v7["year_from"], v7["year_to"]) == (2008, 2015)
    v6 = arms.detect_format(DATA / "tiv-import-all-2018-2022.csv.xls").metadata
    assert v6["direction"] == "imports"  # titled "exports to all"
    assert v6["generated"] == "2023-12-11"
    v5 = arms.detect_format(DATA / "v5-toplist.csv").metadata
    assert (v5["year_from"], v5["year_to"]) == (2021, 2023)


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
    a, b = read_any(src), read_any(xlsx)
    assert_frame_equal(without_lines(a), without_lines(b))
    assert a.attrs["source"]["generated"] == b.attrs["source"]["generated"]


# ------------------------------------------------------------------------------------
# bad input: one clear error, naming file, line and what was expected

V1_HEADER = (DATA / "v10-nopreamble-bom.csv").read_text(encoding="utf-8-sig").splitlines()[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        (b"<!DOCTYPE html><html><head><title>SIPRI</title></head></html>", "HTML page"),
        (b"\xef\xbb\xbf<html lang='en'><body>", "HTML page"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00some.csv", "zip archive"),
        (b"\x00\x01\x02\x03binary\x00", "binary data"),
        (b"Country,Year,Value\nArmenia,2019,190\n", "no SIPRI header"),
        (b'[{"a": 1}]', "expected at least"),
        (b"[1, 2", "invalid JSON"),
    ],
)
def test_bad_input_messages(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(arms.SipriFormatError, match=re.escape(message)) as err:
        arms.read_trade_register(path)
    assert str(path) in str(err.value)
    assert isinstance(err.value, ValueError)


def test_unknown_header_lists_columns_and_nearest_variant(tmp_path):
    path = tmp_path / "renamed.csv"
    path.write_text("supplier,recipients,Year of order,Number ordered,Weapon designation\n")
    with pytest.raises(arms.SipriFormatError) as err:
        arms.detect_format(path)
    msg = str(err.value)
    assert "'supplier', 'recipients'" in msg and "nearest known variant is V1" in msg
    assert err.value.line == 1


def test_truncated_file(tmp_path):
    lines = (DATA / "v1-2024.csv").read_bytes().split(b"\n")
    path = tmp_path / "cut.csv"
    path.write_bytes(b"\n".join(lines[:13]) + b"\n" + lines[13][:40])
    with pytest.raises(arms.SipriFormatError, match=r"line 14: expected 16 fields.*truncated"):
        arms.read_trade_register(path)


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
    frame = read_any(path)  # errors="raise": any unreadable line fails the test
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
