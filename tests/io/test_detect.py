"""Detection: variants, encodings, header lines, quirks and preamble metadata; bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import arms

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
SHARED = arms.paths.SHARED_SIPRI_DIR
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real SIPRI files not available at {SHARED}"
)



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



def test_a_file_of_something_else_names_no_variant(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,age,city\nBob,3,Paris\n")
    with pytest.raises(arms.SipriFormatError) as err:
        arms.detect_format(path)
    msg = str(err.value)
    assert "does not look like a SIPRI" in msg and "nearest" not in msg


def test_a_renamed_header_is_found_among_data_lines(shared_sipri, tmp_path):
    lines = (shared_sipri / "tradereg-newportal-MJHofmann-1.csv").read_bytes().split(b"\n")
    lines[11] = (
        lines[11]
        .replace(b"Recipient,Supplier", b"Recipient_x,Suppliers")
        .replace(b"Weapon description", b"Weapon descr.")
        .replace(b"Comments", b"Comment text")
    )
    path = tmp_path / "renamed.csv"
    path.write_bytes(b"\n".join(lines[:60]))
    with pytest.raises(arms.SipriFormatError) as err:
        arms.detect_format(path)
    assert err.value.line == 12 and "nearest known variant is V1" in str(err.value)

def test_truncated_file(tmp_path):
    lines = (DATA / "v1-2024.csv").read_bytes().split(b"\n")
    path = tmp_path / "cut.csv"
    path.write_bytes(b"\n".join(lines[:13]) + b"\n" + lines[13][:40])
    with pytest.raises(arms.SipriFormatError, match=r"line 14: expected 16 fields.*truncated"):
        arms.read_trade_register(path)
