"""The quick and the careful way through a register give the same frame, cell for cell.

A clean SIPRI register goes to pandas' C parser; one unreadable line sends the whole file
down the line-by-line path. Adding such a line to a real file (at test time) therefore reads
the same records the other way: every other row must come back identical, and a number the
one path refuses the other must refuse too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import arms

SHARED = arms.paths.SHARED_SIPRI_DIR
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real SIPRI files not available at {SHARED}"
)

FULL_REGISTERS = (
    "tradereg-newportal-MJHofmann-1.csv",
    "tradereg-newportal-nopreamble-greggmaloy-1.csv",
    "tradereg-newportal2026-DCL2049-1.csv",
)
# a line no reader accepts: too few fields for a V1 register
BAD_LINE = b"Nowhere,Nobody,2019\n"


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return arms.read_trade_register(path, **kw)


def _careful_copy(path, out):
    """Write ``path`` with one unreadable line after its last record."""
    data = path.read_bytes()
    out.write_bytes(data.rstrip(b"\r\n") + b"\n" + BAD_LINE)
    return out


@needs_shared
@pytest.mark.parametrize("name", FULL_REGISTERS)
def test_every_register_reads_the_same_both_ways(name, tmp_path):
    path = SHARED / name
    quick = _read(path)
    careful = _read(_careful_copy(path, tmp_path / name), errors="warn")
    assert [r["text"] for r in careful.attrs["rejected"]] == [BAD_LINE.decode().strip()]
    assert quick.attrs["rejected"] == []
    assert_frame_equal(quick, careful)


DELIVERIES = (
    "deliveries-newportal-lucacasu-1.csv",
    "deliveries-newportal-ukraine-senapol-1.csv",
    "dealsandtivs-legacy-michelle352l-1.txt",
)


@needs_shared
@pytest.mark.parametrize("name", DELIVERIES)
def test_every_deliveries_file_reads_the_same_both_ways(name, tmp_path):
    path = SHARED / name
    data = path.read_bytes()
    # the bad line goes before the footer (V7 ends with one) and uses the file's delimiter
    bad = BAD_LINE.replace(b",", b";") if name.endswith(".txt") else BAD_LINE
    lines = data.rstrip(b"\r\n").split(b"\n")
    footer = [i for i, line in enumerate(lines) if line.lstrip().startswith(b"\xc2\xa9")]
    at = footer[0] if footer else len(lines)
    damaged = tmp_path / name
    damaged.write_bytes(b"\n".join(lines[:at] + [bad.strip()] + lines[at:]) + b"\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quick = arms.read_deliveries(path)
        careful = arms.read_deliveries(damaged, errors="warn")
    assert len(careful.attrs["rejected"]) == 1
    lines_after = careful["source_line"] > at
    careful.loc[lines_after, "source_line"] -= 1  # the rows after the bad line moved down
    assert_frame_equal(quick, careful)


@needs_shared
def test_split_records_read_the_same_both_ways(tmp_path):
    """A 2025-style file, every 40th record split by a CRLF inside Comments."""
    lines = (SHARED / FULL_REGISTERS[0]).read_bytes().split(b"\n")
    head, body = lines[:12], [x for x in lines[12:] if x]
    for i in range(0, len(body), 40):
        fields = body[i].split(b",")
        if len(fields) == 16:
            body[i] = b",".join(fields[:13]) + b"\r\n," + b",".join(fields[13:])
    split = tmp_path / "split.csv"
    split.write_bytes(b"\n".join(head + body) + b"\n")
    quick = _read(split)
    careful = _read(_careful_copy(split, tmp_path / "split-careful.csv"), errors="warn")
    assert len(careful.attrs["rejected"]) == 1
    assert_frame_equal(quick, careful)
    assert len(quick) == len(_read(SHARED / FULL_REGISTERS[0]))


# the header of the hand-made V1 fixture (the same one SIPRI writes)
HEADER = next(
    line
    for line in (Path(__file__).parents[1] / "data/readers/v1-2024.csv")
    .read_text(encoding="cp1252")
    .splitlines()
    if line.startswith("Recipient,")
)
ROW = "Armenia,Russia,2015,,4,,Su-30K,FGA aircraft,4,,2019,New,Su-30SM version,{per},190,{tiv}"
# what may stand in a TIV cell: digits, dots, signs, exponents, spaces
cells = st.text(alphabet="0123456789.+-eE ", min_size=1, max_size=22)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(per=cells, tiv=cells)
def test_a_number_is_read_alike_by_both_paths(tmp_path_factory, per, tiv):
    folder = tmp_path_factory.mktemp("num")
    body = HEADER + "\n" + ROW.format(per=per, tiv=tiv) + "\n"
    quick_file, careful_file = folder / "quick.csv", folder / "careful.csv"
    quick_file.write_text(body)
    careful_file.write_bytes(body.encode() + BAD_LINE)
    quick, careful = _read(quick_file, errors="warn"), _read(careful_file, errors="warn")
    assert len(careful.attrs["rejected"]) == 1 + len(quick.attrs["rejected"])
    assert_frame_equal(quick, careful)
    if len(quick):  # what was read is a number as FORMATS.md writes them
        assert "e" not in per.lower() and "+" not in per and "-" not in per


@needs_shared
def test_a_register_read_in_blocks_reads_as_one(tmp_path):
    """Three copies of the 27,951-deal body (10 MB): the quick path reads it in blocks."""
    lines = (SHARED / FULL_REGISTERS[0]).read_bytes().split(b"\n")
    head, body = lines[:12], [x for x in lines[12:] if x]
    big = tmp_path / "x3.csv"
    big.write_bytes(b"\n".join(head + body * 3) + b"\n")
    quick = _read(big)
    careful = _read(_careful_copy(big, tmp_path / "x3-careful.csv"), errors="warn")
    assert_frame_equal(quick, careful)
    one = _read(SHARED / FULL_REGISTERS[0])
    assert len(quick) == 3 * len(one)
    # the third copy's rows sit two bodies further down the file
    assert (quick["source_line"].iloc[-len(one) :].to_numpy() - 2 * len(body)).tolist() == (
        one["source_line"].tolist()
    )


@needs_shared
@pytest.mark.parametrize(
    "recode",
    [
        pytest.param(lambda b: b.decode("cp1252").encode("utf-8"), id="utf-8 (2026 exports)"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="CRLF throughout"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.decode("cp1252").encode("utf-8"), id="BOM"),
    ],
)
def test_a_register_recoded_reads_the_same(recode, tmp_path):
    """The Oct 2024 register saved in other encodings and line breaks: the same frame."""
    path = SHARED / FULL_REGISTERS[0]
    copy = tmp_path / "copy.csv"
    copy.write_bytes(recode(path.read_bytes()))
    assert_frame_equal(_read(copy), _read(path))
    careful = _read(_careful_copy(copy, tmp_path / "careful.csv"), errors="warn")
    assert_frame_equal(_read(copy), careful)


@pytest.mark.parametrize("marker", ["?", "", "Y", "1", "True", "0", " ?", "??", "\u00a0"])
def test_an_estimate_marker_is_read_alike_by_both_paths(tmp_path, marker):
    """V1's marker columns hold "?" or nothing; anything else is refused by both paths."""
    row = ROW.format(per="47.5", tiv="190").split(",")
    row[3] = marker  # the marker after Year of order
    body = HEADER + "\n" + ",".join(row) + "\n" + ROW.format(per="1", tiv="4") + "\n"
    quick_file, careful_file = tmp_path / "quick.csv", tmp_path / "careful.csv"
    quick_file.write_text(body, encoding="utf-8")
    careful_file.write_bytes(body.encode() + BAD_LINE)
    quick, careful = _read(quick_file, errors="warn"), _read(careful_file, errors="warn")
    assert len(careful.attrs["rejected"]) == 1 + len(quick.attrs["rejected"])
    assert_frame_equal(quick, careful)
    if marker in ("?", ""):
        assert quick["order_year_estimated"].tolist() == [marker == "?", False]
    elif marker.strip() not in ("?", ""):  # (padding is stripped, a no-break space too)
        assert len(quick) == 1  # the row with the unknown marker is reported, not read
