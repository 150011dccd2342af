"""A corpus of damaged and unusual inputs, built at test time from the real SIPRI files.

Nothing of SIPRI's is committed: every case takes a file of ``../shared/sipri`` (skipping
cleanly when it is absent), damages it in one way users' files are damaged (concatenated
downloads, spreadsheet round trips, cut connections, swapped columns, odd encodings) and
states the outcome: the exact rows and values the readers must return (computed from the
clean file, never copied from a run), or a clean refusal (an :class:`arms.ArmsError` naming
the file, under about 300 characters).
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import arms

SHARED = arms.paths.SHARED_SIPRI_DIR

REG26 = "tradereg-newportal2026-DCL2049-1.csv"  # V1, UTF-8, 692 deals
REG24 = "tradereg-newportal-MJHofmann-1.csv"  # V1, cp1252, 27,951 deals
DEL = "deliveries-newportal-ukraine-senapol-1.csv"  # V2, 382 rows
V7 = "dealsandtivs-legacy-michelle352l-1.txt"  # V7, ';'
V8 = "tradereg-legacy2014-stevenlsenior-1.csv"  # V8, quoted
V3 = "tivvalues-newportal-import-MJHofmann-1.csv"
V3X = "tivvalues-newportal-export-AndreiTeodorPetre-1.csv"
V6 = "tivtable-legacy-import-sumn2u-2.csv"
JSON = "apijson-newportal-AndreiTeodorPetre-russia.json"

READERS = {
    "deals": arms.read_trade_register,
    "deliveries": arms.read_deliveries,
    "tiv": arms.read_tiv_table,
}


def raw(name: str) -> bytes:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {SHARED}")
    return path.read_bytes()


@functools.cache
def _clean(name: str, kind: str) -> pd.DataFrame:
    return READERS[kind](SHARED / name)


def clean(name: str, kind: str) -> pd.DataFrame:
    """The frame of the undamaged file (the reference every expectation derives from)."""
    raw(name)
    return _clean(name, kind)


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def header_index(data: bytes) -> int:
    """0-based index of the header line of a real file (the line after the preamble)."""
    for i, line in enumerate(lines_of(data)):
        if re.match(
            rb"^(Recipient,Supplier|SIPRI AT Database ID|Deal ID;|Id,Supplier|Recipient,\d|"
            rb",\d{4}|Exports by)",
            line,
        ):
            return i
    raise AssertionError("no header")


def body(name: str) -> tuple[list[bytes], list[bytes]]:
    """(preamble and header lines, data lines) of a real register, trailing blanks off."""
    lines = lines_of(raw(name))
    h = header_index(raw(name))
    data = lines[h + 1 :]
    while data and not data[-1].strip():
        data.pop()
    return lines[: h + 1], data


def core(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["source_line"], errors="ignore").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# outcomes


@dataclass
class Rows:
    """The reader returns ``frame`` (compared without ``source_line``) and rejects ``rejected``
    lines; every input record is in one or the other."""

    kind: str
    frame: pd.DataFrame
    rejected: int = 0
    records: int | None = None  # input records counted by the reader, if stated
    errors: str = "warn"

    def check(self, path: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = READERS[self.kind](path, errors=self.errors)
        assert len(got.attrs["rejected"]) == self.rejected, got.attrs["rejected"][:3]
        pd.testing.assert_frame_equal(core(got), core(self.frame), check_dtype=False)
        if self.records is not None:
            assert got.attrs["source"]["records"] == self.records


@dataclass
class Refused:
    """The reader refuses the file with an ArmsError naming it (and matching ``pattern``)."""

    kind: str
    pattern: str
    errors: str = "raise"

    def check(self, path: Path) -> None:
        with pytest.raises(arms.ArmsError) as info:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                READERS[self.kind](path, errors=self.errors)
        message = str(info.value)
        assert path.name in message
        assert len(message) < 400, message
        assert re.search(self.pattern, message, re.I), message


CASES: dict[str, object] = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


# --------------------------------------------------------------------------------------
# the cases: each returns (file name, bytes, outcome)


@case
def clean_v1_2026():
    return "a.csv", raw(REG26), Rows("deals", clean(REG26, "deals"))


@case
def clean_v2():
    return "a.csv", raw(DEL), Rows("deliveries", clean(DEL, "deliveries"))


@case
def clean_v7():
    return "a.txt", raw(V7), Rows("deliveries", clean(V7, "deliveries"))


@case
def clean_v8():
    return "a.csv", raw(V8), Rows("deals", clean(V8, "deals"))


@case
def clean_v3():
    return "a.csv", raw(V3), Rows("tiv", clean(V3, "tiv"))


@case
def crlf_v1():
    return "a.csv", raw(REG26).replace(b"\n", b"\r\n"), Rows("deals", clean(REG26, "deals"))


@case
def bom_v1():
    return "a.csv", b"\xef\xbb\xbf" + raw(REG26), Rows("deals", clean(REG26, "deals"))


@case
def v1_as_cp1252():
    data = raw(REG26).decode("utf-8").encode("cp1252")
    return "a.csv", data, Rows("deals", clean(REG26, "deals"))


@case
def truncated_mid_record_v1():
    head, data = body(REG26)
    cut = data[-1][: len(data[-1]) // 2]
    text = b"\n".join(head + data[:-1] + [cut])
    return "a.csv", text, Rows("deals", clean(REG26, "deals").iloc[:-1], rejected=1)


@case
def truncated_refused_v1():
    head, data = body(REG26)
    text = b"\n".join(head + data[:-1] + [data[-1][:20]])
    return "a.csv", text, Refused("deals", r"truncated|fields")


@case
def empty_file():
    return "a.csv", b"", Refused("deals", "empty")


@case
def html_page():
    return "a.csv", b"<!DOCTYPE html><html><body>SIPRI</body></html>", Refused("deals", "HTML")


@case
def pdf_file():
    return "a.csv", b"%PDF-1.4\n" + b"x" * 100, Refused("deals", "PDF")


@case
def zip_not_workbook():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.csv", raw(REG26))
    return "a.zip", buf.getvalue(), Refused("deals", "zip")


@case
def tiv_table_to_register_reader():
    return "a.csv", raw(V3), Refused("deals", "read_tiv_table")


@case
def register_to_tiv_reader():
    return "a.csv", raw(REG26), Refused("tiv", "read_trade_register")


@case
def bad_number_row_v1():
    head, data = body(REG26)
    fields = data[5].split(b",")
    fields[14] = b"abc"
    data = data[:5] + [b",".join(fields)] + data[6:]
    expected = clean(REG26, "deals").drop(index=5)
    return "a.csv", b"\n".join(head + data), Rows("deals", expected, rejected=1)


@case
def bad_number_refused_v1():
    head, data = body(REG26)
    fields = data[5].split(b",")
    fields[14] = b"abc"
    data = data[:5] + [b",".join(fields)] + data[6:]
    return "a.csv", b"\n".join(head + data), Refused("deals", r"line 18.*number")


@case
def negative_tiv_v1():
    head, data = body(REG26)
    fields = data[3].split(b",")
    fields[15] = b"-5"
    data = data[:3] + [b",".join(fields)] + data[4:]
    return "a.csv", b"\n".join(head + data), Refused("deals", "line 16")


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case(name, tmp_path):
    file_name, data, outcome = CASES[name]()
    path = tmp_path / file_name
    path.write_bytes(data)
    outcome.check(path)


def test_corpus_is_large_enough():
    assert len(CASES) >= 15
