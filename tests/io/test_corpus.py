"""A corpus of damaged and unusual inputs, built at test time from the real SIPRI files.

Nothing of SIPRI's is committed: every case takes a file of ``../shared/sipri`` (skipping
cleanly when it is absent), damages it in one way users' files are damaged (concatenated
downloads, spreadsheet round trips, cut connections, swapped columns, odd encodings) and
states the outcome: the exact rows and values the readers must return (computed from the
clean file, never copied from a run), or a clean refusal (an :class:`arms.ArmsError` naming
the file, under about 300 characters).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
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
    return _clean(name, kind).copy()  # a copy: cases may edit their expectation


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


# -- item 2: every part of a file read or refused


def concat(*names: str) -> bytes:
    out = b""
    for name in names:
        data = raw(name)
        out += data if data.endswith(b"\n") else data + b"\n"
    return out


def twice(name: str, kind: str) -> pd.DataFrame:
    frame = clean(name, kind)
    return pd.concat([frame, frame], ignore_index=True)


@case
def concat_v7_twice():
    return "a.txt", concat(V7, V7), Rows("deliveries", twice(V7, "deliveries"))


@case
def concat_v1_twice():
    return "a.csv", concat(REG26, REG26), Rows("deals", twice(REG26, "deals"))


@case
def concat_v1_twice_raise():
    return "a.csv", concat(REG26, REG26), Rows("deals", twice(REG26, "deals"), errors="raise")


@case
def concat_v2_twice():
    return "a.csv", concat(DEL, DEL), Rows("deliveries", twice(DEL, "deliveries"))


@case
def concat_v1_no_preamble_twice():
    head, data = body(REG26)
    part = b"\n".join(head[-1:] + data) + b"\n"
    return "a.csv", part + part, Rows("deals", twice(REG26, "deals"))


@case
def concat_v1_then_v2_refused():
    return "a.csv", concat(REG26, DEL), Refused("deals", "second header.*V2")


@case
def copyright_line_mid_v1():
    head, data = body(REG26)
    text = b"\n".join(head + data[:199] + [b"(c) SIPRI 2026"] + data[199:])
    return "a.csv", text, Rows("deals", clean(REG26, "deals"))


@case
def copyright_line_mid_v7():
    head, data = body(V7)
    text = b"\n".join(head + data[:500] + [data[-1]] + data[500:-1])
    return "a.txt", text, Rows("deliveries", clean(V7, "deliveries"))


@case
def source_line_mid_v2():
    head, data = body(DEL)
    text = b"\n".join(head + data[:100] + [b"Source: SIPRI Arms Transfers Database"] + data[100:])
    return "a.csv", text, Rows("deliveries", clean(DEL, "deliveries"))


@case
def concat_v3_import_export():
    expected = pd.concat([clean(V3, "tiv"), clean(V3X, "tiv")], ignore_index=True)
    return "a.csv", concat(V3, V3X), Rows("tiv", expected)


@case
def concat_v6_twice():
    return "a.csv", concat(V6, V6), Rows("tiv", twice(V6, "tiv"))


@case
def concat_v3_then_v6_refused():
    return "a.csv", concat(V3, V6), Refused("tiv", "second table header.*V6")


# -- item 1: columns by name


# a stray or missing quote in the 2014-style register, whose comments are quoted


def v8_quoted_comment_record() -> tuple[int, int]:
    """(data line, offset in it) of a point inside the first quoted comment of V8."""
    _, data = body(V8)
    i = next(i for i, line in enumerate(data) if b',"' in line)
    return i, data[i].index(b',"') + 12


@case
def v8_cut_inside_quoted_comment():
    head, data = body(V8)
    i, cut = v8_quoted_comment_record()
    text = b"\n".join(head + data[:i] + [data[i][:cut]])
    return "a.csv", text, Rows("deals", clean(V8, "deals").iloc[:i], rejected=1)


@case
def v8_cut_inside_quoted_comment_refused():
    head, data = body(V8)
    i, cut = v8_quoted_comment_record()
    text = b"\n".join(head + data[:i] + [data[i][:cut]])
    return "a.csv", text, Refused("deals", r"ends inside a quoted field.*truncated")


@case
def v8_quoted_comment_over_two_lines():
    head, data = body(V8)
    data = list(data)
    i, inside = v8_quoted_comment_record()
    space = data[i].index(b" ", inside)
    data[i] = data[i][:space] + b"\n" + data[i][space + 1 :]  # a break for a space
    return "a.csv", b"\n".join(head + data), Rows("deals", clean(V8, "deals"))


@case
def v8_stray_opening_quote_rejects_one_line():
    head, data = body(V8)
    data = list(data)
    fields = data[9].split(b",")
    fields[5] = b'"' + fields[5]  # a designation that opens a quote and never closes it
    data[9] = b",".join(fields)
    return "a.csv", b"\n".join(head + data), Rows("deals", without_row(V8, "deals", 9), rejected=1)


@case
def v8_quote_inside_a_field_is_text():
    head, data = body(V8)
    data = list(data)
    fields = data[9].split(b",")
    fields[5] = fields[5] + b'"'  # 12" (inches): a quote inside an unquoted field
    data[9] = b",".join(fields)
    expected = clean(V8, "deals")
    expected.loc[9, "designation"] = expected.loc[9, "designation"] + '"'
    return "a.csv", b"\n".join(head + data), Rows("deals", expected)


def permuted(name: str, order: list[int], *, delim: bytes = b",") -> bytes:
    head, data = body(name)
    n = len(head[-1].split(delim))
    out = []
    for line in head[-1:] + data:
        cells = line.split(delim)
        assert len(cells) == n, line
        out.append(delim.join(cells[j] for j in order))
    return b"\n".join(head[:-1] + out) + b"\n"


def swap(n: int, a: int, b: int) -> list[int]:
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return order


@case
def v1_tiv_columns_swapped():
    data = permuted(REG26, swap(16, 13, 15))
    return "a.csv", data, Rows("deals", clean(REG26, "deals"))


@case
def v1_designation_description_swapped():
    data = permuted(REG26, swap(16, 6, 7))
    return "a.csv", data, Rows("deals", clean(REG26, "deals"))


@case
def v1_columns_reversed_blocks():
    # recipient and supplier swapped (the header no longer starts "Recipient,Supplier")
    data = permuted(REG26, swap(16, 0, 1))
    return "a.csv", data, Rows("deals", clean(REG26, "deals"))


@case
def v2_columns_swapped():
    data = permuted(DEL, swap(17, 14, 15))
    return "a.csv", data, Rows("deliveries", clean(DEL, "deliveries"))


@case
def v7_columns_swapped():
    head, data = body(V7)
    n = len(head[-1].split(b";"))
    order = swap(n, 8, 10)
    lines = [b";".join(x.split(b";")[j] for j in order) for x in head[-1:] + data[:-2]]
    text = b"\n".join(head[:-1] + lines + data[-2:])
    return "a.txt", text, Rows("deliveries", clean(V7, "deliveries"))


@case
def v1_alias_renamed_back():
    data = raw(REG26).replace(b"Deliveries in the Year Range", b"Number delivered", 1)
    return "a.csv", data, Rows("deals", clean(REG26, "deals"))


def header_edit(name: str, old: bytes, new: bytes) -> bytes:
    data = raw(name)
    head, _ = body(name)
    assert old in head[-1]
    return data.replace(head[-1], head[-1].replace(old, new, 1), 1)


@case
def v1_missing_column_refused():
    head, data = body(REG26)
    lines = [b",".join(x.split(b",")[:12] + x.split(b",")[13:]) for x in head[-1:] + data]
    text = b"\n".join(head[:-1] + lines)
    return "a.csv", text, Refused("deals", "missing comments")


@case
def v1_unknown_column_refused():
    data = header_edit(REG26, b"Comments", b"Remarks")
    return "a.csv", data, Refused("deals", "missing comments.*unknown 'Remarks'")


@case
def v1_duplicated_column_refused():
    data = header_edit(REG26, b"SIPRI TIV per unit", b"SIPRI TIV for total order")
    return "a.csv", data, Refused("deals", "missing tiv_per_unit.*duplicated")


@case
def v2_unknown_column_refused():
    data = header_edit(DEL, b"Armament category", b"Weapon class")
    return "a.csv", data, Refused("deliveries", "unknown 'Weapon class'")


# -- item 3: encodings


@case
def utf16_le_bom_v1():
    data = raw(REG26).decode("utf-8").encode("utf-16")
    return "a.csv", data, Rows("deals", clean(REG26, "deals"))


@case
def utf16_be_bom_v2():
    data = b"\xfe\xff" + raw(DEL).decode("utf-8").encode("utf-16-be")
    return "a.csv", data, Rows("deliveries", clean(DEL, "deliveries"))


@case
def utf16_tab_separated():
    """Excel's "Unicode Text": UTF-16 with tabs; V1 text holds no comma, nothing is lost."""
    text = raw(REG26).decode("utf-8").replace(",", "\t")
    return "a.txt", text.encode("utf-16"), Rows("deals", clean(REG26, "deals"))


@case
def tab_separated_cp1252():
    """Excel's "Text (Tab delimited)" of a 2024 register (split records and all)."""
    return "a.txt", raw(REG24).replace(b",", b"\t"), Rows("deals", clean(REG24, "deals"))


def _resaved(name: str, delimiter: str, quoting: int, *, decimal: str = ".") -> bytes:
    """A SIPRI file as a spreadsheet saves it again: every line read as CSV and written
    with ``delimiter``, ``quoting`` and CRLF, numbers with ``decimal`` (a European locale
    writes "0,15")."""
    source = ";" if name == V7 else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    for line in raw(name).decode("utf-8").rstrip("\n").split("\n"):
        fields = next(csv.reader([line], delimiter=source)) if line.strip() else []
        writer.writerow(
            [f.replace(".", decimal) if re.fullmatch(r"\d+\.\d+", f) else f for f in fields]
        )
    return out.getvalue().encode("utf-8")


#: Spreadsheet copies of real files, each with the same frame as the file: (file, kind,
#: delimiter, quoting, decimal mark, patterns the copy must hold: what the case is about).
RESAVED = {
    # ';', fields with ';' quoted ("2004; 2005"), "0,15" for 0.15
    "resaved_european_semicolons_decimal_commas": (
        REG26,
        "deals",
        ";",
        csv.QUOTE_MINIMAL,
        ",",
        (rb'"2004; 2005"', rb";0,15;"),
    ),
    "resaved_every_field_quoted": (REG26, "deals", ",", csv.QUOTE_ALL, ".", (rb'^"Recipient","',)),
    "resaved_tiv_table_european": (V3, "tiv", ";", csv.QUOTE_MINIMAL, ",", (rb"\nRecipient;19",)),
    "resaved_legacy_tiv_table_every_field_quoted": (
        V6,
        "tiv",
        ",",
        csv.QUOTE_ALL,
        ".",
        (rb'\n"","1950"',),
    ),
    # SIPRI's own ';' file saved again in a European locale: "0,25" for 0.25
    "resaved_dealsandtivs_decimal_commas": (
        V7,
        "deliveries",
        ";",
        csv.QUOTE_MINIMAL,
        ",",
        (rb";\d+,\d+;",),
    ),
}


def _resaved_case(name: str):
    file, kind, delimiter, quoting, decimal, holds = RESAVED[name]
    data = _resaved(file, delimiter, quoting, decimal=decimal)
    assert all(re.search(pattern, data, re.M) for pattern in holds), name
    return ("a.txt" if file == V7 else "a.csv"), data, Rows(kind, clean(file, kind))


for _name in RESAVED:
    CASES[_name] = functools.partial(_resaved_case, _name)


@case
def resaved_quoted_split_record_spans_two_lines():
    """A quoting spreadsheet keeps a split record's line break inside its quoted comment."""
    head, data = body(REG26)
    fields = data[5].decode("utf-8").split(",")
    quoted = [f'"{f}"' for f in fields]
    quoted[12] = f'"{fields[12]}\n(continued)"'
    lines = [*head, *data[:5], ",".join(quoted).encode(), *data[6:]]
    expected = clean(REG26, "deals")
    expected.loc[5, "comments"] = f"{fields[12]} (continued)".strip()
    return "a.csv", b"\n".join(lines) + b"\n", Rows("deals", expected)


@case
def gzip_compressed_register():
    """A ``.csv.gz`` (how pandas users often keep exports) reads as the file itself."""
    return "a.csv.gz", gzip.compress(raw(REG24)), Rows("deals", clean(REG24, "deals"))


@case
def gzip_cut_short_refused():
    data = gzip.compress(raw(REG26))
    return "a.csv.gz", data[: len(data) // 2], Refused("deals", "damaged gzip")


@case
def european_thousands_dot_refused_by_row():
    """In a ';' copy "1.000" may be a thousand or one: that row is reported, not guessed."""
    data = _resaved(REG26, ";", csv.QUOTE_MINIMAL, decimal=",")
    lines = data.split(b"\r\n")
    h = next(i for i, x in enumerate(lines) if x.startswith(b"Recipient;"))
    fields = lines[h + 1].split(b";")
    fields[-1] = b"1.000"
    lines[h + 1] = b";".join(fields)
    expected = clean(REG26, "deals").iloc[1:]
    return "a.csv", b"\r\n".join(lines), Rows("deals", expected, rejected=1)


@case
def mixed_utf8_and_cp1252_line():
    head, data = body(REG26)
    assert any("Guaiquer\u00ed".encode() in x for x in data)  # UTF-8 elsewhere
    i = 3
    fields = data[i].decode("utf-8").split(",")
    fields[12] = "T\u00fcrkiye r\u00e9sum\u00e9"
    data = data[:i] + [",".join(fields).encode("cp1252")] + data[i + 1 :]
    expected = clean(REG26, "deals").copy()
    expected.loc[i, "comments"] = "T\u00fcrkiye r\u00e9sum\u00e9"
    return "a.csv", b"\n".join(head + data), Rows("deals", expected)


@case
def nul_byte_after_64k_refused():
    head, data = body(REG26)
    i = len(data) - 5
    data = data[:i] + [data[i].replace(b",", b"\x00,", 1)] + data[i + 1 :]
    line = len(head) + i + 1
    return "a.csv", b"\n".join(head + data), Refused("deals", f"NUL byte at line {line}")


@case
def nul_bytes_binary_refused():
    return "a.csv", b"\x00\x01\x02" * 100, Refused("deals", "binary")


@case
def old_xls_refused():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    return "a.xls", data, Refused("deals", r"\.xls.*save it as")


@case
def html_saved_by_browser():
    data = b"<!-- saved from url=(0031)https://armstransfers.sipri.org -->\n<html><body>"
    return "a.csv", data + b"x" * 100, Refused("deals", "HTML")


@case
def html_after_bom_and_blank_lines():
    data = b"\xef\xbb\xbf\n\n  <!DOCTYPE HTML PUBLIC>\n<html><head></head></html>"
    return "a.csv", data, Refused("deals", "HTML")


# -- item 6: errors name the file, stay short


@case
def json_invalid_refused():
    return "a.json", raw(JSON)[:5000], Refused("deliveries", "invalid JSON")


@case
def json_deeply_nested_refused():
    return "a.json", b"[" * 200_000 + b"]" * 200_000, Refused("deliveries", "")


@case
def json_wrong_keys_short_message():
    keys = ",".join(f'"k{i}": {i}' for i in range(5000))
    return "a.json", ("[{" + keys + "}]").encode(), Refused("deliveries", "expected at least")


@case
def json_not_array_refused():
    return "a.json", b'{"x": 1}', Refused("deliveries", "not an array")


@case
def huge_garbage_line_short_message():
    return "a.csv", b"a," * 500_000 + b"\n", Refused("deals", "no SIPRI header")


@case
def long_bad_line_short_message():
    head, data = body(REG26)
    data = data[:2] + [data[2] + b"x" * 1_000_000 + b",1"] + data[3:]
    return "a.csv", b"\n".join(head + data), Refused("deals", "line 15")


# -- item 5: one definition of a number


def cell_edit(name: str, row: int, col: int, value: bytes, *, delim: bytes = b",") -> bytes:
    head, data = body(name)
    fields = data[row].split(delim)
    fields[col] = value
    data = data[:row] + [delim.join(fields)] + data[row + 1 :]
    return b"\n".join(head + data) + b"\n"


def without_row(name: str, kind: str, row: int) -> pd.DataFrame:
    return clean(name, kind).drop(index=row)


def _number_case(name, kind, col, value, row=7):
    def build():
        data = cell_edit(name, row, col, value)
        return "a.csv", data, Rows(kind, without_row(name, kind, row), rejected=1)

    return build


for _label, _col, _value in [
    ("exponent_tiv", 15, b"1e2"),
    ("plus_sign_tiv", 14, b"+10"),
    ("minus_sign_count", 4, b"-3"),
    ("twenty_digit_count", 4, b"9" * 20),
    ("twenty_digit_tiv", 15, b"9" * 20),
    ("implausible_tiv", 15, b"5000000"),
    ("implausible_order_year", 2, b"1850"),
    ("five_digit_order_year", 2, b"20199"),
    ("decimal_count", 8, b"2.5"),
    ("inf_tiv", 13, b"inf"),
    ("nan_tiv", 13, b"nan"),
    ("hex_count", 4, b"0x10"),
    ("space_inside_number", 14, b"1 000"),
    ("comma_decimal_tiv", 13, b"0"),
]:
    if _label == "comma_decimal_tiv":
        continue
    CASES[f"v1_{_label}"] = _number_case(REG26, "deals", _col, _value)

for _label, _col, _value in [
    ("exponent_units", 8, b"1e1"),
    ("plus_year", 10, b"+2022"),
    ("huge_tiv", 15, b"1" * 25),
]:
    CASES[f"v2_{_label}"] = _number_case(DEL, "deliveries", _col, _value)


def semicolon_copy(name: str) -> tuple[list[bytes], list[bytes]]:
    head, data = body(name)
    assert not any(b";" in x for x in data)
    return head[:-1] + [head[-1].replace(b",", b";")], [x.replace(b",", b";") for x in data]


@case
def semicolon_copy_v2_reads():
    head, data = semicolon_copy(DEL)
    return "a.csv", b"\n".join(head + data), Rows("deliveries", clean(DEL, "deliveries"))


@case
def semicolon_copy_thousands_tiv_refused():
    head, data = semicolon_copy(DEL)
    fields = data[4].split(b";")
    fields[15] = b"1.000"
    data[4] = b";".join(fields)
    expected = without_row(DEL, "deliveries", 4)
    return "a.csv", b"\n".join(head + data), Rows("deliveries", expected, rejected=1)


@case
def semicolon_copy_thousands_units_refused():
    head, data = semicolon_copy(DEL)
    fields = data[6].split(b";")
    fields[8] = b"1.000"
    data[6] = b";".join(fields)
    expected = without_row(DEL, "deliveries", 6)
    return "a.csv", b"\n".join(head + data), Rows("deliveries", expected, rejected=1)


def json_edit(index: int, key: str, value) -> bytes:
    import json

    records = json.loads(raw(JSON))
    records[index][key] = value
    return json.dumps(records).encode()


def _json_case(key, value, index=3):
    def build():
        data = json_edit(index, key, value)
        expected = clean(JSON, "deliveries")
        expected = expected[expected["source_line"] != index + 1]
        return "a.json", data, Rows("deliveries", expected, rejected=1)

    return build


for _label, _key, _value in [
    ("five_digit_year", "deliveryYr", 20199),
    ("negative_units", "units", -4),
    ("true_as_id", "tradeId", True),
    ("text_id", "tradeId", "12a"),
    ("float_year", "deliveryYr", 2019.5),
    ("huge_units", "units", 10**30),
    ("list_as_year", "deliveryYr", [2019]),
]:
    CASES[f"json_{_label}"] = _json_case(_key, _value)


# -- item 4: spreadsheets


def workbook(name: str, *, notes_first=False, second_sheet=False, merge=False, formula=False):
    """The register as an .xlsx (cells as text, numbers as numbers), damaged as asked."""
    import csv
    import io

    from openpyxl import Workbook

    text = raw(name).decode("utf-8")
    wb = Workbook()
    ws = wb.active
    if notes_first:
        ws.title = "Notes"
        ws.append(["Downloaded from SIPRI; see the next sheet"])
        ws = wb.create_sheet("Register")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        ws.append([float(c) if re.fullmatch(r"\d+(\.\d+)?", c) else c for c in row])
    header = next(i for i, r in enumerate(rows) if r[:2] == ["Recipient", "Supplier"]) + 1
    if merge:
        # the first recipient's rows merged into one cell, as a user tidying the sheet does
        first = rows[header][0]
        n = sum(1 for r in rows[header:] if r and r[0] == first)
        for r in range(header + 2, header + n + 1):
            ws.cell(row=r, column=1).value = None
        ws.merge_cells(start_row=header + 1, start_column=1, end_row=header + n, end_column=1)
    if formula:
        ws.cell(row=header + 3, column=16).value = "=N14*E14"
    if second_sheet:
        other = wb.create_sheet("Copy")
        for row in rows:
            other.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@case
def xlsx_register():
    return "a.xlsx", workbook(REG26), Rows("deals", clean(REG26, "deals"))


@case
def xlsx_notes_sheet_first():
    return "a.xlsx", workbook(REG26, notes_first=True), Rows("deals", clean(REG26, "deals"))


@case
def xlsx_merged_recipient_cells_filled():
    return "a.xlsx", workbook(REG26, merge=True), Rows("deals", clean(REG26, "deals"))


@case
def xlsx_formula_without_value_refused():
    return "a.xlsx", workbook(REG26, formula=True), Refused("deals", r"formula.*P15")


@case
def xlsx_two_data_sheets_both_read():
    data = workbook(REG26, second_sheet=True)
    return "a.xlsx", data, Rows("deals", twice(REG26, "deals"))


@case
def xlsx_truncated_refused():
    return "a.xlsx", workbook(REG26)[:3000], Refused("deals", "workbook")


def test_workbook_past_the_size_bound_is_refused(tmp_path, monkeypatch):
    import arms.io.sources

    monkeypatch.setattr(arms.io.sources, "MAX_XLSX_BYTES", 100_000)
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook(REG26))
    with pytest.raises(arms.ArmsError, match="unpacks to"):
        arms.read_trade_register(path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case(name, tmp_path):
    file_name, data, outcome = CASES[name]()
    path = tmp_path / file_name
    path.write_bytes(data)
    outcome.check(path)


def test_corpus_is_large_enough():
    assert len(CASES) >= 60


def test_concatenated_parts_and_duplicates_are_reported(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(concat(V7, V7))
    with pytest.warns(UserWarning, match="2009 row.s. repeat rows of an earlier part"):
        got = arms.read_deliveries(path)
    assert len(got.attrs["parts"]) == 2
    once = clean(V7, "deliveries")
    repeated = [w for w in got.attrs["warnings"] if "duplicate of line" in w["reason"]]
    assert len(repeated) == len(once)


def test_a_full_register_downloaded_twice_lists_each_repeat(tmp_path):
    """27,951 repeated deals, each listed with the line of the deal it repeats."""
    path = tmp_path / "a.csv"
    path.write_bytes(concat(REG24, REG24))
    with pytest.warns(UserWarning, match="27951 row.s. repeat rows of an earlier part"):
        got = arms.read_trade_register(path)
    once = clean(REG24, "deals")
    repeats = [w for w in got.attrs["warnings"] if "duplicate of line" in w["reason"]]
    assert len(got) == 2 * len(once) and len(repeats) == len(once)
    second = got.iloc[len(once) :]
    assert [w["line"] for w in repeats] == second["source_line"].tolist()
    # each names a line of the first download holding the same deal
    earlier = [int(w["reason"].split()[3]) for w in repeats]
    assert max(earlier) <= once["source_line"].max()
    named = got.set_index("source_line").loc[earlier].reset_index(drop=True)
    pd.testing.assert_frame_equal(named, core(second))


def test_a_designation_a_spreadsheet_turned_into_a_number_is_flagged(tmp_path):
    """The user-modified copy went through a spreadsheet: "57E6" (the Pantsir's system) came
    back as "5.70E+07". The rows are kept and listed; SIPRI's own file has no such note."""
    copy = "tradereg-newportal-nopreamble-greggmaloy-1.csv"
    raw(copy)
    with pytest.warns(UserWarning, match="7 row.s. have a number for a designation"):
        got = arms.read_trade_register(SHARED / copy)
    notes = [w for w in got.attrs["warnings"] if "is a number" in w["reason"]]
    assert {w["reason"].split("'")[1] for w in notes} == {"5.70E+07"}
    assert sorted(w["line"] for w in notes) == sorted(
        got.loc[got["designation"] == "5.70E+07", "source_line"].tolist()
    )
    original = clean(REG24, "deals")
    assert (original["designation"] == "57E6").sum() == len(notes)
    assert not [w for w in original.attrs["warnings"] if "is a number" in w["reason"]]
    # the same where a copy holds the number's digits
    path = tmp_path / "a.csv"
    path.write_bytes(raw(REG24).replace(b",57E6,", b",57000000,"))
    with pytest.warns(UserWarning, match="7 row.s. have a number for a designation"):
        arms.read_trade_register(path)


def test_renamed_columns_are_recorded():
    got = clean(REG26, "deals")
    assert got.attrs["source"]["renamed_columns"] == {
        "Deliveries in the Year Range": "Number delivered"
    }


@pytest.mark.parametrize("name", [REG26, DEL, V7])
def test_every_input_record_is_in_the_frame_or_rejected(name, tmp_path):
    """Damage every 7th data line; count data lines in, rows + rejections out."""
    head, data = body(name)
    delim = b";" if name == V7 else b","
    damaged = [
        x.replace(delim, b"", 2) if i % 7 == 3 and delim in x else x for i, x in enumerate(data)
    ]
    text = b"\n".join(head + damaged + head + damaged)  # and the whole download twice
    path = tmp_path / "a.csv"
    path.write_bytes(text)
    kind = "deals" if name == REG26 else "deliveries"
    reader = arms.read_trade_register if kind == "deals" else arms.read_deliveries
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = reader(path, errors="warn")
    records = sum(1 for x in damaged if x.strip() and not x.startswith(b"\xc2\xa9")) * 2
    assert len(got) + len(got.attrs["rejected"]) == records
    assert len(got.attrs["rejected"]) == 2 * sum(
        1 for i, x in enumerate(data) if i % 7 == 3 and delim in x
    )


def test_every_sheet_of_a_workbook_is_a_part(tmp_path):
    path = tmp_path / "two-sheets.xlsx"
    path.write_bytes(workbook(REG26, notes_first=True, second_sheet=True))
    with pytest.warns(UserWarning):
        frame = arms.read_trade_register(path)
    assert frame.attrs["source"]["sheets"] == ["Register", "Copy"]
    assert [part["sheet"] for part in frame.attrs["parts"]] == ["Register", "Copy"]
    duplicates = [w for w in frame.attrs["warnings"] if "duplicate" in w["reason"]]
    assert len(duplicates) == len(frame) // 2 == len(clean(REG26, "deals"))
