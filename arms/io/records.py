"""Physical lines -> records of fields, the careful way: quoting, split records, padding.

This is the line-by-line path every register takes when :mod:`arms.io.fastpath` declines
(quoted fields, re-saved copies, short or long lines); each problem gets a message.
"""

from __future__ import annotations

import csv
import re

import numpy as np

from arms.errors import SipriFormatError
from arms.io.cells import RE_NUM, Rejects
from arms.io.formats import FIELDS, VARIANTS, field_names, match_header, strip_padding
from arms.io.sources import Source

__all__ = ["FIELDS", "STRUCTURE", "read_records"]

_FOOTER = re.compile(r"^\s*(?:©|\(c\)|Â©)", re.I)
#: Lines of a preamble or footer: in the middle of a file they start another download.
STRUCTURE = re.compile(
    r"^\s*\"?(?:©|\(c\)|Â©|Transfers of major|A '[?0]'|An empty field|SIPRI trend|"
    r"SIPRI Transfers Database|SIPRI Arms Transfers|Figures |For the method|For more|Source:|"
    r"Data generated|Generated:|Database search results|Volume of |TIV of arms)",
    re.I,
)


def read_records(src: Source, rejects: Rejects):
    """Return (columns, record lines, row_text) for the records of a register, line by line.

    Columns are arrays of field text by name (:data:`FIELDS`); unreadable records go to
    ``rejects``.
    """
    info = src.info
    names = info.fields
    delim = info.delimiter
    start = info.header_line  # 0-based index of the first data line
    lines = src.lines
    items: list[list[str]] = []
    numbers: list[int] = []
    if info.quoted:
        for row, first, last in _quoted_records(lines, start, delim, len(names), rejects):
            if last > first:
                # a quoted field spanning lines: its line break reads as a space
                row = [f.replace("\n", " ").strip() if "\n" in f else f for f in row]
            items.append(row)
            numbers.append(first)
    else:
        padded = "line padding" in info.quirks
        for i in range(start, len(lines)):
            # spreadsheet re-saves pad lines with ';'
            items.append((strip_padding(lines[i]) if padded else lines[i]).split(delim))
            numbers.append(i + 1)
    rows, starts = _assemble(items, numbers, info, rejects, last_line=len(lines), src=src)
    columns = (
        {
            name: np.array(col, dtype=object)
            for name, col in zip(names, zip(*rows, strict=True), strict=True)
        }
        if rows
        else {name: np.array([], dtype=object) for name in names}
    )
    return columns, starts, lambda i: delim.join(rows[i])


#: Lines a quoted field may span before a lone quote is taken for damage (SIPRI's longest
#: comments run to a few lines).
MAX_QUOTED_LINES = 12


def _quoted_records(lines, start: int, delim: str, n: int, rejects: Rejects):
    """Yield (fields, first line, last line) of a quoted CSV, one record at a time.

    A record whose line ends inside a quoted field continues on the next lines until the
    field closes, as CSV says. Where that does not give ``n`` fields (a stray quote would
    swallow the lines after it into one field), only the line of the stray quote is rejected
    and reading goes on at the next line; a file that ends inside a quoted field is cut
    short, and its last record is rejected. A quote inside an unquoted field is text.
    """
    i, total = start, len(lines)
    while i < total:
        line = lines[i]
        row = _parse(line, delim)
        if row is not None:
            yield row, i + 1, i + 1
            i += 1
            continue
        j, text = i, line
        while row is None and j + 1 < total and j - i < MAX_QUOTED_LINES:
            j += 1
            text += "\n" + lines[j]
            row = _parse(text, delim)
        if row is not None and len(row) == n:
            yield row, i + 1, j + 1
            i = j + 1
        elif row is None and j + 1 >= total and j - i < MAX_QUOTED_LINES:
            # the last record, cut inside a quoted field: one rejection for all its lines
            rejects.add(i + 1, "the file ends inside a quoted field (truncated?)", text)
            return
        else:
            rejects.add(i + 1, f"a quote that is never closed (expected {n} fields)", line)
            i += 1


def _parse(text: str, delim: str) -> list[str] | None:
    """Return the fields of one CSV record, or ``None`` if it ends inside a quoted field."""
    try:
        return next(csv.reader([text], delimiter=delim, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return None
        # other damage (text after a closing quote): read leniently, the caller checks it
        return next(csv.reader([text], delimiter=delim))


def _assemble(items, numbers, info, rejects: Rejects, last_line: int, src: Source):
    """Turn physical rows of fields into records: repair splits, drop blanks and footers.

    A footer, preamble or header in the middle (concatenated downloads) starts another part:
    its lines are skipped, a header must be the same as the first; ``src.parts`` lists them.
    """
    n = len(info.fields)
    canonical = info.fields == FIELDS[info.variant]
    header_first = {"recipient", "sipri at database id", "deal id", "id"}
    if info.columns:
        header_first.add(info.columns[0].strip().lower())
    src.parts = [{"header_line": info.header_line, "first_line": info.header_line + 1}]
    from_xlsx = info.container == "xlsx"
    rows: list[list[str]] = []
    starts: list[int] = []
    total = len(items)
    i = 0
    while i < total:
        fields, line_no = items[i], numbers[i]
        i += 1
        if not fields:
            continue
        first = fields[0].strip().strip('"').lower()
        if first in header_first or STRUCTURE.match(fields[0]):
            _structure(fields, line_no, info, src)
            continue
        if len(fields) > n:
            fields = _trim_padding(fields, n)
        elif from_xlsx and 1 < len(fields) < n:
            # a workbook row ends at its last non-empty cell: restore the empty fields (a
            # split record then takes the re-saved two-row form handled below)
            fields = fields + [""] * (n - len(fields))
        if not any(f.strip(" ;") for f in fields):
            continue  # blank line, or a spacer row of empty fields
        # FORMATS Q1: a line break inside Comments splits a record; join the pieces (the
        # break sat at a field's end, so a space stands in for it) until n fields.
        while len(fields) < n and i < total and not _is_record_start(items[i], info.variant):
            nxt = items[i]
            fields = fields[:-1] + [fields[-1] + " " + nxt[0]] + nxt[1:]
            i += 1
            if len(fields) > n:
                fields = _trim_padding(fields, n)
        if len(fields) != n:
            what = "fewer" if len(fields) < n else "more"
            truncated = what == "fewer" and numbers[i - 1] == last_line
            hint = " (the file ends mid-record: truncated?)" if truncated else ""
            rejects.add(
                line_no,
                f"expected {n} fields, found {len(fields)} ({what} than the "
                f"{info.variant} header){hint}",
                info.delimiter.join(fields),
            )
            continue
        if canonical and info.variant == "V1" and rows and _is_resaved_tail(fields, rows[-1]):
            # A spreadsheet re-save turned a split record into two padded rows: the numbers
            # of the tail belong in the previous row's empty TIV fields.
            rows[-1] = rows[-1][:13] + fields[1:4]
            continue
        rows.append(fields)
        starts.append(line_no)
    return rows, starts


def _structure(fields: list[str], line_no: int, info, src: Source) -> None:
    """Note a footer, preamble or header line met among the data (another part begins)."""
    line = info.delimiter.join(fields)
    variant = match_header(line)
    if variant is None:
        if not src.parts[-1].get("footer"):
            src.parts[-1]["footer"] = line_no
        return
    columns = tuple(c.strip().strip('"') for c in line.split(info.delimiter))
    while columns and not columns[-1]:
        columns = columns[:-1]
    if variant != info.variant or field_names(variant, columns)[0] != info.fields:
        raise SipriFormatError(
            f"a second header, of another layout ({variant}: {VARIANTS[variant]}), follows "
            f"the data of the {info.variant} header of line {info.header_line}: the file "
            "joins different exports; split it and read each part",
            path=info.path,
            line=line_no,
        )
    src.parts.append({"header_line": line_no, "first_line": line_no + 1})


def _trim_padding(fields: list[str], n: int) -> list[str]:
    # Re-saved copies pad lines with empty fields; only empty extras may go.
    k = len(fields)
    while k > n and not fields[k - 1].strip(" ;"):
        k -= 1
    return fields[:k]


def _is_record_start(fields: list[str], variant: str) -> bool:
    # A continuation line of a split V1 record starts with an empty field followed by
    # numbers; anything with a recipient in the first field starts a new record.
    if variant != "V1":
        return bool(fields[0].strip())
    return bool(fields[0].strip()) or len(_trim_padding(fields, 1)) >= 16


def _is_resaved_tail(fields: list[str], previous: list[str]) -> bool:
    return (
        not fields[0].strip()
        and all(re.fullmatch(RE_NUM, f.strip()) for f in fields[1:4])
        and not any(f.strip() for f in fields[4:])
        and not any(f.strip() for f in previous[13:16])
    )
