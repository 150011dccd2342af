"""The fast path: a clean register's data part goes to pandas' C parser in chunks.

SIPRI's own exports (V1, V2, V7, unquoted) are regular enough for ``pandas.read_csv``; this
keeps the reader within about 2x of a bare ``read_csv``. Anything irregular makes
:func:`fast_chunks` decline (``None``, or :class:`NotClean` while iterating) and the reader
falls back to :func:`arms.io.records.read_records`.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from arms.io.sources import Source

__all__ = ["NotClean", "fast_chunks"]


class NotClean(Exception):
    """The fast path met something irregular; the file is read line by line instead."""


#: Rows the C parser hands over at a time: the temporary text objects of one chunk are
#: freed before the next, which keeps memory and time per row flat on large files.
_CHUNK_ROWS = 200_000


# Columns the fast path lets the C parser convert to float (checked afterwards by
# arms.io.cells against the same definition as the careful path).
_NUMERIC = {
    "order_year", "number_ordered", "number_delivered", "tiv_per_unit", "tiv_order",
    "tiv_delivered", "deal_id", "units", "year", "tiv_per_unit_new", "tiv",
}  # fmt: skip
# What the C parser would read as a number but FORMATS.md's numbers never hold: a sign, an
# exponent, inf/nan, a leading dot. A field like that in a numeric column sends the file down
# the careful path, where each such cell is refused (designations such as 57E6 look alike:
# only the few lines that match are split and checked).
_NOT_SIPRI_NUMBER = re.compile(r"\s*(?:[+\-]|\.|inf|nan)|.*[eE]|.*\s$", re.I)
# digits -> "0", signs and dots -> "+": one pass in C, then four literal searches find every
# candidate (a sign or dot opening a field, an exponent)
_FOLD = bytes.maketrans(b"0123456789E+-.", b"0000000000e+++")


def _suspect_numbers(data: bytes, names, delim: str) -> bool:
    """Whether a numeric field of ``data`` holds what only the careful path may judge."""
    numeric = [j for j, name in enumerate(names) if name in _NUMERIC]
    d = delim.encode()
    folded = b"\n" + data.translate(_FOLD)
    # (inf parses as infinity, which arms.io.cells refuses; nan fails the C parser)
    probes = (b"0e0", b"0e+", d + b"+", b"\n+")
    for probe in probes:
        pos = folded.find(probe)
        while pos >= 0:
            start = folded.rfind(b"\n", 0, pos + 1) + 1
            end = folded.find(b"\n", pos + 1)
            line = data[start - 1 : (len(data) if end < 0 else end - 1)]
            fields = line.decode("utf-8", "replace").split(delim)
            if len(fields) != len(names):
                return True
            if any(fields[j] and _NOT_SIPRI_NUMBER.match(fields[j]) for j in numeric):
                return True
            pos = folded.find(probe, pos + 1)
    return False


def fast_chunks(src: Source):
    """Return an iterator of (columns, lines, row_text) chunks, or ``None``.

    For a clean, unquoted file (V1, V2, V7 as SIPRI writes them) the whole data part goes to
    pandas' C parser, which converts the numeric columns itself. SIPRI's own split records
    (FORMATS Q1: a line break at the end of Comments, the next line holding the last fields
    and starting with the delimiter) are joined in the text first. ``None`` (or
    :class:`NotClean` raised while iterating) means something else is irregular (short or
    long lines, blank lines, padding, re-saved split records, a non-number in a numeric
    column) and the caller reads the file line by line, where each problem gets a message.
    """
    info = src.info
    if info.variant == "V8" or info.container != "text" or "line padding" in info.quirks:
        return None
    names = info.fields
    n, delim = len(names), info.delimiter
    text = src.text
    end = len(text)
    while end > src.data_offset and text[end - 1] == "\n":
        end -= 1
    body = text[src.data_offset : end]  # one copy of the data part, trailing breaks off
    base = info.header_line + 1
    if not body:
        return iter([({name: np.array([], dtype=object) for name in names}, [], None)])
    if body.startswith(delim):
        return None
    header = src.lines[info.header_line - 1]
    # another download's header among the data: the careful path splits the parts
    # (a footer or preamble line has fewer delimiters, which the counts below catch)
    if body.startswith(header) or ("\n" + header) in body:
        return None
    if delim == ";" and info.variant != "V7":
        return None  # a ';' copy may write thousands as "1.000": only the careful path knows

    lines_in_body = body.count("\n") + 1
    commas = body.count(delim)
    joined_at: list[int] = []  # record index after which each joined record's lines shift
    # a clean file has exactly n-1 delimiters a line; only otherwise look for split records
    pos = body.find("\n" + delim) if commas != (n - 1) * lines_in_body else -1
    if pos >= 0:
        parts, start, removed, line_index, counted = [], 0, 0, 0, 0
        while pos >= 0:
            head_start = body.rfind("\n", 0, pos) + 1
            tail_end = body.find("\n", pos + 1)
            tail_end = len(body) if tail_end < 0 else tail_end
            if body.count(delim, head_start, tail_end) != n - 1:
                return None  # not a plain Q1 split (e.g. the re-saved two-row form)
            line_index += body.count("\n", counted, pos + 1)  # the tail's line in body
            counted = pos + 1
            joined_at.append(line_index - removed)
            removed += 1
            # the break sat at the end of Comments: a space stands in for it
            parts.append(body[start:pos])
            parts.append(" ")
            start = pos + 1
            pos = body.find("\n" + delim, pos + 1)
        parts.append(body[start:])
        body = "".join(parts)
    records = lines_in_body - len(joined_at)
    if commas != (n - 1) * records:
        return None  # some line has the wrong number of fields, or there are blank lines
    all_lines = base + np.arange(records)
    for record in joined_at:  # each joined record pushes the following ones a line down
        all_lines[record:] += 1
    # UTF-8 bytes are what the C parser reads natively (a StringIO of a large text costs four
    # bytes a character and another conversion)
    data = body.encode("utf-8")
    del body
    if _suspect_numbers(data, names, delim):
        return None

    def chunks():
        try:
            reader = pd.read_csv(
                io.BytesIO(data),
                encoding="utf-8",
                sep=delim,
                header=None,
                names=list(names),
                # numeric columns are converted by the C parser; empty cells become NaN
                dtype={name: "float64" if name in _NUMERIC else object for name in names},
                keep_default_na=False,
                na_values=[""],
                quoting=csv.QUOTE_NONE,
                skip_blank_lines=False,
                engine="c",
                chunksize=_CHUNK_ROWS,
            )
            done = 0
            for frame in reader:
                if frame[names[0]].isna().any():
                    raise NotClean  # a row continuing the one above: a re-saved split
                lines = all_lines[done : done + len(frame)]
                done += len(frame)
                cols = {name: frame[name].to_numpy() for name in names}
                yield cols, lines, lambda i, lines=lines: src.lines[lines[i] - 1]
        except (pd.errors.ParserError, ValueError, TypeError):
            # too many fields on a line, or a cell that is not a number
            raise NotClean from None
        if done != records:
            raise NotClean

    return chunks()
