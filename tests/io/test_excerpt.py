"""Tests for arms.io.excerpt (``arms.extract``; the command line is in tests/cli).

The fixtures ``tests/data/extract_*`` are hand-made files in SIPRI's layouts with invented
rows; the V1 one reproduces the Q1 split record (a comment ending in a line break).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import arms
from arms.entities import party_mask
from arms.errors import ArmsError, SipriFormatError
from arms.io.detect import detect_format
from arms.io.excerpt import extract, extract_summary, fmt_fraction
from arms.io.readers import (
    parse_delivery_years,
    read_deliveries,
    read_tiv_table,
    read_trade_register,
)
from arms.paths import SHARED_SIPRI_DIR

DATA = Path(__file__).parents[1] / "data"
REGISTER = DATA / "extract_register.csv"
DELIVERIES = DATA / "extract_deliveries.csv"
TABLE = DATA / "extract_tiv_imports.csv"


def lines_of(data: bytes) -> list[bytes]:
    return re.findall(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", data)


def same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    drop = [c for c in ("source_line",) if c in got.columns]
    assert_frame_equal(
        got.drop(columns=drop).reset_index(drop=True),
        want.drop(columns=drop).reset_index(drop=True),
    )


def deals_filter(deals, *, recipients=(), suppliers=(), years=None):
    """An independent statement of the filter on a deals frame (exact names)."""
    mask = pd.Series(True, index=deals.index)
    if recipients:
        mask &= deals["recipient"].isin(recipients)
    if suppliers:
        mask &= deals["supplier"].isin(suppliers)
    if years:
        lo, hi = years

        def hit(row):
            ys = parse_delivery_years(row.delivery_years) + [int(row.order_year)]
            return any(lo <= y <= hi for y in ys)

        mask &= deals.apply(hit, axis=1)
    return deals[mask]


# --------------------------------------------------------------------------------------
# V1 trade register


def test_register_round_trip_with_split_record(tmp_path):
    out = extract(REGISTER, tmp_path / "x.csv", recipients=["Azerbaijan", "Armenia"])
    source = read_trade_register(REGISTER)
    got = read_trade_register(out)
    same_rows(got, deals_filter(source, recipients=["Azerbaijan", "Armenia"]))
    assert len(got) == 6
    # the split record is there, joined as the reader joins the original
    apc = got[got["designation"] == "APC-E"].iloc[0]
    assert apc["comments"].endswith("refusal to export engines")
    assert apc["tiv_delivered"] == 10


def test_register_bytes_are_the_sources_lines(tmp_path):
    out = extract(REGISTER, tmp_path / "x.csv", recipients=["Azerbaijan", "Armenia"])
    src, ext = lines_of(REGISTER.read_bytes()), lines_of(out.read_bytes())
    # 1-based: preamble 1-11, header 12, records 14-20 (18-19 is the split record)
    kept = list(range(0, 12)) + [13, 14, 15, 16, 17, 18, 19]
    assert ext[:11] == src[:11]
    assert ext[11].startswith(b"Extract of extract_register.csv (SIPRI data generated 13 Oct")
    assert ext[11].endswith(b"\n") and b"," not in ext[11]
    assert ext[12:] == [src[i] for i in kept[11:]]
    assert b"Santa F\xe9 yard" in out.read_bytes()  # cp1252 byte copied as it is
    assert out.read_bytes().endswith(b"0,0.4,0.4\n")


def test_register_metadata_survives_the_extra_line(tmp_path):
    out = extract(REGISTER, tmp_path / "x.csv", suppliers=["Israel"])  # has a cp1252 byte
    before, after = detect_format(REGISTER), detect_format(out)
    assert (after.variant, after.header_line, after.encoding) == ("V1", 13, "cp1252")
    assert after.metadata == before.metadata
    assert after.metadata["generated"] == "2024-10-13T14:20:11"
    assert after.metadata["year_from"] == 1950
    assert after.quirks == before.quirks


def test_register_last_record_split(tmp_path):
    # the Thailand record is the file's last one, and split over two lines
    out = extract(REGISTER, tmp_path / "x.csv", recipients=["Thailand"])
    assert out.read_bytes().endswith(b"after redesign\n,0.25,3.5,3.25\n")
    same_rows(
        read_trade_register(out),
        deals_filter(read_trade_register(REGISTER), recipients=["Thailand"]),
    )


def test_register_crlf_split_record(tmp_path):
    # 2025 exports split records with the file's only CRLFs (FORMATS Q1)
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(REGISTER.read_bytes().replace(b"engines\n,", b"engines\r\n,"))
    out = extract(crlf, tmp_path / "x.csv", recipients=["Azerbaijan"])
    assert b"engines\r\n,0.5,10,10\n" in out.read_bytes()
    same_rows(
        read_trade_register(out),
        deals_filter(read_trade_register(crlf), recipients=["Azerbaijan"]),
    )


def test_register_crlf_file_keeps_its_line_ends(tmp_path):
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(REGISTER.read_bytes().replace(b"\n", b"\r\n"))
    out = extract(crlf, tmp_path / "x.csv", recipients=["Georgia"])
    data = out.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") == 14
    same_rows(
        read_trade_register(out), deals_filter(read_trade_register(crlf), recipients=["Georgia"])
    )


def test_register_no_preamble_bom_copy(tmp_path):
    # a user copy without preamble and with a BOM: the note goes first, after the BOM
    raw = REGISTER.read_bytes()
    body = raw[raw.index(b"Recipient,Supplier") :]
    copy = tmp_path / "copy.csv"
    copy.write_bytes(b"\xef\xbb\xbf" + body.decode("cp1252").encode("utf-8"))
    out = extract(copy, tmp_path / "x.csv", recipients=["Azerbaijan"])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfExtract of copy.csv made by arms")
    same_rows(
        read_trade_register(out),
        deals_filter(read_trade_register(copy), recipients=["Azerbaijan"]),
    )


def test_register_years_and_combined_filters(tmp_path):
    source = read_trade_register(REGISTER)
    out = extract(REGISTER, tmp_path / "a.csv", years=(2016, 2020))
    same_rows(read_trade_register(out), deals_filter(source, years=(2016, 2020)))
    assert set(read_trade_register(out)["designation"]) == {"Patrol-X", "Boat-C", "Drone-D"}
    out = extract(REGISTER, tmp_path / "b.csv", recipients=["Azerbaijan"], suppliers=["Ukraine"])
    assert read_trade_register(out)["designation"].tolist() == ["APC-E"]
    out = extract(REGISTER, tmp_path / "c.csv", years=(None, 1996))
    assert set(read_trade_register(out)["designation"]) == {"Tank-A", "Missile-F"}


def test_names_are_matched_through_the_crosswalk(tmp_path):
    out = extract(REGISTER, tmp_path / "a.csv", suppliers=["Turkey"])  # legacy spelling
    assert read_trade_register(out)["supplier"].tolist() == ["Turkiye"]
    out = extract(REGISTER, tmp_path / "b.csv", recipients=["  azerbaijan "])
    assert len(read_trade_register(out)) == 4
    # either side
    out = extract(REGISTER, tmp_path / "c.csv", entities=["Azerbaijan"])
    got = read_trade_register(out)
    assert len(got) == 5 and "Chile" in set(got["recipient"])


@pytest.mark.parametrize("name", ["Turkiye", "TÜRKIYE", " turkey ", "Azerbaijan"])
def test_selection_is_the_one_party_matcher(tmp_path, name):
    # extract selects exactly the rows arms.entities.party_mask selects, as every other part
    source = read_trade_register(REGISTER)
    for role in ("supplier", "recipient"):
        want = source[party_mask(source[role], name)]
        if want.empty:
            continue
        out = extract(REGISTER, tmp_path / f"{role}.csv", **{f"{role}s": [name]})
        same_rows(read_trade_register(out), want)


# --------------------------------------------------------------------------------------
# V2 deliveries


def test_deliveries_round_trip(tmp_path):
    out = extract(DELIVERIES, tmp_path / "d.csv", recipients=["Azerbaijan", "Armenia"])
    source = read_deliveries(DELIVERIES)
    want = source[source["recipient"].isin(["Azerbaijan", "Armenia"])]
    same_rows(read_deliveries(out), want)
    # the register view of it agrees too
    same_rows(
        read_trade_register(out),
        read_trade_register(DELIVERIES).pipe(
            lambda d: d[d["recipient"].isin(["Azerbaijan", "Armenia"])]
        ),
    )
    assert detect_format(out).metadata == detect_format(DELIVERIES).metadata


def test_deliveries_years_filter_rows(tmp_path):
    out = extract(DELIVERIES, tmp_path / "d.csv", years=(2010, 2016))
    source = read_deliveries(DELIVERIES)
    same_rows(read_deliveries(out), source[source["year"].between(2010, 2016)])


# --------------------------------------------------------------------------------------
# V3 tables


def test_table_round_trip_keeps_totals(tmp_path):
    summary = extract_summary(TABLE, tmp_path / "t.csv", entities=["Azerbaijan", "Armenia"])
    assert (summary["records_in"], summary["records_out"]) == (6, 2)
    out = Path(summary["dest"])
    source, got = read_tiv_table(TABLE), read_tiv_table(out)
    same_rows(got, source[source["entity"].isin(["Azerbaijan", "Armenia"])])

    def totals(frame):
        return [{k: v for k, v in t.items() if k != "line"} for t in frame.attrs["totals"]]

    assert totals(got) == totals(source) and totals(got)
    assert got.attrs["unpublished_years"] == source.attrs["unpublished_years"] == [2024]
    data = out.read_bytes()
    assert data.endswith(b"Total world import,440,300,190,70,,1000,100%,1000,\n\n")
    lines = data.decode().split("\n")
    assert lines[8].startswith("Extract of extract_tiv_imports.csv") and lines[9] == ""
    assert detect_format(out).metadata == detect_format(TABLE).metadata


def test_table_row_without_values_and_unknown_names(tmp_path):
    out = extract(TABLE, tmp_path / "t.csv", entities=["Freedonia", "unknown rebel group*"])
    text = out.read_text()
    assert "Freedonia,,,,,,,,," in text and "Ruritania" not in text
    got = read_tiv_table(out)
    assert got["entity"].unique().tolist() == ["unknown rebel group*"]


def test_concatenated_tables_keep_every_block(tmp_path):
    block = TABLE.read_text()
    both = tmp_path / "both.csv"
    both.write_text(block + block.replace("Ruritania", "Azerbaijan-free"))
    out = extract(both, tmp_path / "t.csv", entities=["Armenia"])
    got = read_tiv_table(out)
    assert got.attrs["tables"] == 2 and len(got.attrs["totals"]) == 2 * 4
    source = read_tiv_table(both)
    same_rows(got, source[source["entity"] == "Armenia"])


# --------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"recipients": ["Azerbijan"]}, ArmsError, "did you mean Azerbaijan"),
        ({"suppliers": ["Atlantis"]}, ArmsError, "no record has supplier 'Atlantis'"),
        ({}, ValueError, "no filter given"),
        ({"recipients": "Armenia"}, TypeError, "list of names"),
        ({"years": (2020, 2010)}, ValueError, "after the last"),
        ({"years": 2020}, TypeError, "pair"),
    ],
)
def test_bad_filters(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        extract(REGISTER, tmp_path / "x.csv", **kwargs)
    assert not (tmp_path / "x.csv").exists()


def test_table_takes_entities_only(tmp_path):
    with pytest.raises(ValueError, match="entities"):
        extract(TABLE, tmp_path / "x.csv", recipients=["Armenia"])
    with pytest.raises(ValueError, match="entities"):
        extract(TABLE, tmp_path / "x.csv", entities=["Armenia"], years=(2020, 2021))


def test_refuses_to_overwrite_source_and_other_variants(tmp_path):
    copy = tmp_path / "r.csv"
    copy.write_bytes(REGISTER.read_bytes())
    with pytest.raises(ArmsError, match="overwrite its source"):
        extract(copy, copy, recipients=["Armenia"])
    regional = tmp_path / "v4.csv"
    regional.write_text(
        ",,2022,2023,2022-2023,% of regional total\nAfrica,Regional total,1,2,3,100%\n"
    )
    with pytest.raises(SipriFormatError, match="supports V1, V2, V3"):
        extract(regional, tmp_path / "x.csv", entities=["Africa"])


def test_extract_is_callable_from_the_package(tmp_path):
    from arms.cli import build_parser

    build_parser()  # imports every command module, as the CLI does
    out = arms.extract(REGISTER, tmp_path / "x.csv", recipients=["Georgia"])
    assert out == tmp_path / "x.csv"


@pytest.mark.parametrize("wanted", [["Armenia", "Azerbaijan"], ["Armenia", "Azerbaijan", "Chile"]])
def test_several_names_are_alternatives(tmp_path, wanted):
    summary = extract_summary(REGISTER, tmp_path / "x.csv", recipients=wanted)
    source = read_trade_register(REGISTER)
    same_rows(read_trade_register(tmp_path / "x.csv"), deals_filter(source, recipients=wanted))
    assert summary["records_out"] == len(deals_filter(source, recipients=wanted)) > 0
    assert summary["command"] == "arms extract extract_register.csv " + " ".join(
        f"--recipient {n}" for n in wanted
    )


def test_fmt_fraction_is_the_extract_lines_percentage():
    assert [fmt_fraction(x) for x in (1.0, 0.6, 1 / 6, 0.0625, 0.0)] == [
        "100%",
        "60%",
        "17%",
        "6.2%",
        "0%",
    ]


# --------------------------------------------------------------------------------------
# the real SIPRI files (development machines only)

AZ_ARM = {"recipients": ["Azerbaijan", "Armenia"]}
REAL = [
    ("tradereg-newportal-MJHofmann-1.csv", read_trade_register, AZ_ARM),
    ("tradereg-newportal-MJHofmann-1.csv", read_trade_register, {"suppliers": ["Israel"]}),
    ("tradereg-newportal-MJHofmann-1.csv", read_trade_register, {"recipients": ["Thailand"]}),
    ("deliveries-newportal-lucacasu-1.csv", read_deliveries, AZ_ARM),
    (
        "tivvalues-newportal-import-MJHofmann-1.csv",
        read_tiv_table,
        {"entities": ["Azerbaijan", "Armenia"]},
    ),
    (
        "tivvalues-newportal-export-AndreiTeodorPetre-1.csv",
        read_tiv_table,
        {"entities": ["Israel", "Turkiye", "Russia"]},
    ),
]


@pytest.mark.parametrize(("name", "reader", "kwargs"), REAL, ids=lambda v: str(v)[:40])
def test_real_files_round_trip(tmp_path, name, reader, kwargs):
    path = SHARED_SIPRI_DIR / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    out = extract(path, tmp_path / "x.csv", **kwargs)
    source, got = reader(path), reader(out)
    if "entities" in kwargs:
        want = source[source["entity"].isin(kwargs["entities"])]
        assert [t["label"] for t in got.attrs["totals"]][:1] == [
            t["label"] for t in source.attrs["totals"]
        ][:1]
    else:
        col, names = (
            ("recipient", kwargs.get("recipients"))
            if "recipients" in kwargs
            else ("supplier", kwargs.get("suppliers"))
        )
        want = source[source[col].isin(names)]
    assert len(want)
    same_rows(got, want)
    before, after = detect_format(path), detect_format(out)
    assert after.metadata == before.metadata
    # the bytes are the source's; an all-ASCII extract of a cp1252 file reads as UTF-8
    assert after.encoding == before.encoding or out.read_bytes().isascii()
    # every line but the added one is a line of the source, in the source's order
    src_lines = lines_of(path.read_bytes())
    ext_lines = [x for x in lines_of(out.read_bytes()) if not x.startswith(b"Extract of ")]
    pos = -1
    for x in ext_lines:  # (identical deals occur, so search forward from the last match)
        pos = src_lines.index(x, pos + 1)
