"""The fast path: a clean register's data part goes to pandas' C parser in chunks.

SIPRI's own exports (V1, V2, V7, unquoted) are regular enough for ``pandas.read_csv``; this
keeps the reader within about 1.2x of a bare ``read_csv`` of a full register (its checks run
on the second core while the parser reads). Anything irregular makes :func:`fast_chunks`
decline (``None``, or :class:`NotClean` while iterating) and the reader falls back to
:func:`arms.io.records.read_records`.
"""

from __future__ import annotations

import csv
import io
from concurrent import futures

import numpy as np
import pandas as pd

from arms.io.bytescan import byte_array, positions
from arms.io.cells import DECIMALS, INT_DIGITS, WHOLE_DIGITS
from arms.io.sources import Source, in_background

__all__ = ["NotClean", "fast_chunks", "unescape"]


class NotClean(Exception):
    """The fast path met something irregular; the file is read line by line instead."""


# Columns the fast path lets the C parser convert to float, by kind: whole numbers, 4-digit
# years, decimals. Their text is checked first, byte by byte, against the definition of a
# number in arms.io.cells (the careful path's RE_NUM and friends).
_YEAR_COLUMNS = {"order_year", "year"}
_WHOLE_COLUMNS = {"number_ordered", "number_delivered", "deal_id", "units"}
_DECIMAL_COLUMNS = {"tiv_per_unit", "tiv_order", "tiv_delivered", "tiv_per_unit_new", "tiv"}
_NUMERIC = _YEAR_COLUMNS | _WHOLE_COLUMNS | _DECIMAL_COLUMNS


def _field_ends(data: bytes | memoryview, n: int, records: int, delim: str):
    """Return the bytes as an array and each field's end (``records x n`` offsets).

    ``None`` when a line has more or fewer than ``n`` fields.
    """
    arr = byte_array(data)
    ends = positions(arr, equal=(ord(delim), 10), end=True)
    if len(ends) != n * records:
        return None
    ends = ends.reshape(records, n)
    if records > 1 and (arr[ends[:-1, -1]] != 10).any():
        return None
    return arr, ends


def _starts(ends: np.ndarray, j: int) -> np.ndarray:
    """Return where each record's field ``j`` starts, from the fields' ends."""
    if j:
        return ends[:, j - 1] + 1
    first = np.empty(len(ends), dtype=ends.dtype)
    first[:1], first[1:] = 0, ends[:-1, -1] + 1
    return first


def _numbers_are_sipri(arr: np.ndarray, names, ends: np.ndarray) -> bool:
    """Whether every numeric field is empty or a number as arms.io.cells defines it.

    The definition is :data:`arms.io.cells.RE_NUM` and its whole-number and year forms. The
    C parser would also accept signs, exponents, spaces, a leading or trailing dot and any
    number of digits; a file holding any of them goes down the careful path, which refuses
    each such cell. The check is numpy work on the bytes of the numeric fields only, a
    column at a time: a field of up to 8 bytes is read as one 64-bit word and tested a byte
    at a time in its lanes, a longer one byte by byte (about 3 ms on 28,000 deals).
    """
    for j, name in enumerate(names):
        if name not in _NUMERIC:
            continue
        decimal, year = name in _DECIMAL_COLUMNS, name in _YEAR_COLUMNS
        first = _starts(ends, j)
        lengths = ends[:, j] - first
        if lengths.max(initial=0) > (INT_DIGITS + 1 + DECIMALS if decimal else WHOLE_DIGITS):
            return False
        if year and ((lengths != 0) & (lengths != 4)).any():
            return False
        long = lengths > 8
        if long.any():
            if not _bytes_are_numbers(arr, first[long], lengths[long], decimal=decimal):
                return False
            lengths = np.where(long, 0, lengths)  # (checked)
        if not _words_are_numbers(arr, first, lengths, decimal=decimal):
            return False
    return True


# Byte lanes of a 64-bit word (SWAR): each constant repeats one byte eight times.
_LOW7, _HIGH = np.uint64(0x7F7F7F7F7F7F7F7F), np.uint64(0x8080808080808080)
_ZEROS = np.uint64(0x3030303030303030)  # b"00000000"
_OVER_9 = np.uint64(0x7676767676767676)  # added to a lane of 0-127: its top bit is set above 9
_DOTS = np.uint64(0x1E1E1E1E1E1E1E1E)  # b"." ^ b"0" in every lane
#: The low ``k`` bytes of a word, k = 0..8.
_KEEP = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _words(arr: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Return the 8 bytes from each offset in ``first`` (ascending) as little-endian words.

    Bytes past the end of ``arr`` read as zero.
    """
    n = len(arr)
    out = np.zeros(len(first), dtype=np.uint64)
    inner = int(np.searchsorted(first, n - 8, side="right")) if n >= 8 else 0
    if inner:  # an unaligned view: the word at every byte offset, no copy
        out[:inner] = np.ndarray((n - 7,), dtype="<u8", buffer=arr, strides=(1,))[first[:inner]]
    if inner < len(first):  # the last few fields, within 8 bytes of the end
        base = max(0, n - 8)
        tail = np.zeros(16, dtype=np.uint8)
        tail[: n - base] = arr[base:]
        last_words = np.ndarray((9,), dtype="<u8", buffer=tail, strides=(1,))
        out[inner:] = last_words[first[inner:] - base]
    return out


def _words_are_numbers(
    arr: np.ndarray, first: np.ndarray, lengths: np.ndarray, *, decimal: bool
) -> bool:
    """Whether each field of up to 8 bytes (length 0: nothing to check) is a number."""
    keep = _KEEP[lengths]
    words = (_words(arr, first) & keep) | (_ZEROS & ~keep)  # bytes past a field: "0"
    t = words ^ _ZEROS  # a digit's lane now holds 0-9
    other = (((t & _LOW7) + _OVER_9) | t) & _HIGH  # top bit of each lane that is no digit
    if not other.any():
        return True
    e = t ^ _DOTS  # a dot's lane now holds 0
    dots = ~(((e & _LOW7) + _LOW7) | e) & _HIGH  # top bit of each lane that is a dot
    if (other & ~dots).any():
        return False  # a sign, space, letter: never in a number
    if (np.bitwise_count(dots) > 1).any():
        return False  # two dots in one field
    has_dot = dots != 0
    if not decimal and has_dot.any():
        return False  # a dot in a whole number or a year
    # the dot's lane: its top bit is bit 8 * lane + 7, the bits below it are counted
    before = (np.bitwise_count(dots - np.uint64(1)).astype(np.int64) - 7) >> 3
    after = lengths - before - 1
    ok = (before >= 1) & (before <= INT_DIGITS) & (after >= 1) & (after <= DECIMALS)
    return bool((ok | ~has_dot).all())


def _bytes_are_numbers(
    arr: np.ndarray, first: np.ndarray, lengths: np.ndarray, *, decimal: bool
) -> bool:
    """Whether each field (of any length above 0) is a number, checked byte by byte."""
    # the bytes of every field, one after another, and where each field begins in them
    begins = np.cumsum(lengths) - lengths
    chars = arr[np.repeat(first - begins, lengths) + np.arange(int(lengths.sum()))]
    digit = (chars - 48) < 10  # uint8 arithmetic wraps: only b"0".."9" stay below 10
    dot = chars == ord(".")
    if not (digit | dot).all():
        return False  # a sign, space, letter: never in a number
    dots = np.flatnonzero(dot)
    if len(dots) and not decimal:
        return False  # a dot in a whole number or a year
    field = np.searchsorted(begins, dots, side="right") - 1
    whole = np.ones(len(first), dtype=bool)
    whole[field] = False
    if (lengths[whole] > INT_DIGITS).any():
        return False  # more digits than a number has before its point
    if (np.diff(field) == 0).any():  # (dots are in order: so are their fields)
        return False  # two dots in one field
    before = dots - begins[field]
    after = lengths[field] - before - 1
    if (before < 1).any() or (before > INT_DIGITS).any():
        return False
    if (after < 1).any() or (after > DECIMALS).any():
        return False
    return True


# Bytes str.strip() may remove at a field's end: ASCII whitespace, and (to be safe) any
# byte of a multi-byte UTF-8 character, which may be a Unicode space.
_STRIPPABLE = np.zeros(256, dtype=bool)
_STRIPPABLE[list(b" \t\x0b\x0c\x1c\x1d\x1e\x1f")] = True
_STRIPPABLE[0x80:] = True


# Text columns whose cells are mostly all different (Cells.text(distinct=True) takes them as
# they are, without factorising): the fast path strips the few cells that need it.
_DISTINCT = ("comments",)


def _markers_only(arr: np.ndarray, names, ends: np.ndarray) -> bool:
    """Whether every cell of V1's ``?`` marker columns is empty or exactly ``?``.

    The C parser then reads them as booleans (``?`` true); any other cell sends the file
    down the careful path, where :meth:`arms.io.cells.Cells.flag` reports it.
    """
    for j, name in enumerate(names):
        if name.endswith("_flag"):
            first = _starts(ends, j)
            lengths = ends[:, j] - first
            if lengths.max(initial=0) > 1 or (arr[first[lengths == 1]] != ord("?")).any():
                return False
    return True


def _padded_cells(arr: np.ndarray, names, ends: np.ndarray, *, escaped: bool = False) -> dict:
    """Return, for each :data:`_DISTINCT` column, the rows whose cell needs more than reading.

    That is a cell beginning or ending with a space, or with a byte of a non-ASCII character
    (which may be a Unicode space); with ``escaped`` (cp1252 bytes parsed as UTF-8), also
    every cell holding a non-ASCII byte, which is decoded again.
    """
    wide = positions(arr, low=0x80, high=0xFF) if escaped else None
    padded = {}
    for name in _DISTINCT:
        if name not in names:
            continue
        j = names.index(name)
        first, end = _starts(ends, j), ends[:, j]
        full = end > first
        first = np.minimum(first, len(arr) - 1)  # an empty last cell starts at the very end
        rows = np.flatnonzero(full & (_STRIPPABLE[arr[first]] | _STRIPPABLE[arr[end - 1]]))
        if wide is not None and len(wide):
            row = np.searchsorted(first, wide, side="right") - 1
            inside = (row >= 0) & (wide < end[np.maximum(row, 0)])
            rows = np.union1d(rows, row[inside])
        if len(rows):
            padded[name] = rows
    return padded


def _join_split_records(data: bytes | memoryview, delim: str, n: int):
    """Join split records; return the data, the tails' line indexes and the lines before.

    ``None`` when the data holds something else than clean records and split ones.

    FORMATS Q1: a split record's comment ends with a line break, and the next line holds its
    last fields, starting with the delimiter; a space stands in for the break. A spreadsheet
    re-save pads both pieces to full rows (``...,comment,,,`` then ``,0.25,3.5,3.25,,,...``):
    the tail's three numbers take the head's empty TIV fields. ``None`` for anything else
    (a blank line, a tail of another shape): the careful path reads and reports it.
    """
    arr = byte_array(data)
    breaks = positions(arr, equal=(10,))
    if not len(breaks):
        return data, breaks, 1
    if (breaks[1:] - breaks[:-1] == 1).any():
        return None  # a blank line
    split = breaks[arr[breaks + 1] == ord(delim)]
    if not len(split):
        return data, split, len(breaks) + 1
    d = delim.encode()
    ends = np.append(breaks, len(data))
    at = np.searchsorted(breaks, split)  # index of each split break among the breaks
    pieces, start = [], 0
    for k, pos in zip(at.tolist(), split.tolist(), strict=True):
        head_start = int(breaks[k - 1]) + 1 if k else 0
        tail_end = int(ends[k + 1])
        head, tail = bytes(data[head_start:pos]), bytes(data[pos + 1 : tail_end])
        if head.count(d) + tail.count(d) == n - 1:
            pieces += [data[start:pos], b" "]  # Q1: the break sat at the end of Comments
            start = pos + 1
        elif (
            head.count(d) == tail.count(d) == n - 1
            and head.endswith(d * 3)
            and tail.endswith(d * (n - 4))
        ):  # the re-saved two-row form
            pieces += [data[start : pos - 3], tail[: len(tail) - (n - 4)]]
            start = tail_end
        else:
            return None
    pieces.append(data[start:])
    return b"".join(pieces), at + 1, len(breaks) + 1


def fast_chunks(src: Source):
    """Return an iterator of (columns, lines, row_text) chunks, or ``None``.

    For a clean, unquoted file (V1, V2, V7 as SIPRI writes them) the data part goes to
    pandas' C parser in blocks of whole records, and the parser converts the numeric
    columns itself. SIPRI's own split records (FORMATS Q1: a line break at the end of
    Comments, the next line holding the last fields and starting with the delimiter) are
    joined in the text first. ``None`` (or
    :class:`NotClean` raised while iterating) means something else is irregular (short or
    long lines, blank lines, padding, re-saved split records, a non-number in a numeric
    column) and the caller reads the file line by line, where each problem gets a message.
    """
    info = src.info
    if info.variant == "V8" or info.container != "text" or "line padding" in info.quirks:
        return None
    names = info.fields
    delim = info.delimiter
    text = src.text
    end = len(text)
    while end > src.data_offset and text[end - 1] == "\n":
        end -= 1
    base = info.header_line + 1
    if end <= src.data_offset:
        return iter([({name: np.array([], dtype=object) for name in names}, [], None)])
    if text.startswith(delim, src.data_offset):
        return None
    if delim != "," and info.variant != "V7":
        return None  # a ';' or tab copy may write "0,15" or "1.000": the careful path knows
    if info.quoted:
        return None  # CSV quoting (a spreadsheet's): read record by record
    header = text[text.rfind("\n", 0, src.data_offset - 1) + 1 : src.data_offset - 1]
    head = header.encode("utf-8")
    blocks = _blocks(text, src.data_offset, end, delim)
    # the first block is read now, so that a file irregular there is declined at once
    first = _read_block(src, *blocks[0], base, head)
    if first is None:
        return None

    def chunks():
        block, done_lines = first, 0
        for k in range(len(blocks)):
            if k:
                block = _read_block(src, *blocks[k], base + done_lines, head)
                if block is None:
                    raise NotClean
            chunk, physical_lines = block
            yield chunk
            done_lines += physical_lines

    return chunks()


#: Characters of text prepared and parsed at a time: a block stays in the processor's cache
#: through every numpy pass and the C parser, which keeps time per row flat on large files.
_BLOCK_CHARS = 8_000_000


def _blocks(text: str, start: int, end: int, delim: str) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into blocks of whole records.

    A split record's tail, which starts with the delimiter, stays with its head.
    """
    blocks = []
    while end - start > _BLOCK_CHARS:
        cut = text.find("\n", start + _BLOCK_CHARS, end)
        while cut >= 0 and text.startswith(delim, cut + 1):
            cut = text.find("\n", cut + 1, end)
        if cut < 0:
            break
        blocks.append((start, cut))
        start = cut + 1
    blocks.append((start, end))
    return blocks


#: Blocks at least this large are checked on a second thread while the C parser reads them.
_PARALLEL_BYTES = 1_000_000


def _read_block(src: Source, start: int, stop: int, first_line: int, head: bytes):
    """Check and parse one block of the data part; ``None`` when it is not clean.

    Returns ``((columns, lines, row_text, stripped, escaped), physical_lines)``.
    """
    info = src.info
    names, delim = info.fields, info.delimiter
    # UTF-8 bytes are what the C parser reads natively (a StringIO of a large text costs four
    # bytes a character and another conversion); the checks below are numpy work on them. A
    # file of one byte a character gives its own bytes: cp1252 letters then reach the parser
    # as escaped bytes (no UTF-8 sequence is in such a file), decoded again cell by cell.
    escaped = src.raw is not None and info.encoding == "cp1252"
    if src.raw is not None:
        buffer, begin, end = src.raw, start, stop
    else:
        buffer = src.text[start:stop].encode()
        begin, end = 0, len(buffer)
    # another download's header among the data: the careful path splits the parts
    # (a footer or preamble line has fewer delimiters, which the field counts catch)
    if buffer.startswith(head, begin) or buffer.find(b"\n" + head, begin, end) >= 0:
        return None
    # a view, not a copy: the joined records (or the parser's buffer) are the one copy
    data = buffer if (begin, end) == (0, len(buffer)) else memoryview(buffer)[begin:end]
    joined = _join_split_records(data, delim, len(names))
    if joined is None:
        return None
    data, tails, lines = joined
    records = lines - len(tails)
    # each joined record pushes the following ones a line down in the file
    all_lines = first_line + np.arange(records)
    if len(tails):
        all_lines += np.searchsorted(tails - np.arange(len(tails)) - 1, np.arange(records))
    markers = info.variant == "V1"
    if len(data) < _PARALLEL_BYTES:
        padded = _check_block(data, names, records, delim, escaped=escaped, markers=markers)
        frame = None if padded is None else _c_parse(data, names, delim, escaped, markers)
    else:
        # the checks run on the other core while the C parser reads the same bytes (numpy's
        # loops and the parser's tokenizer release the GIL): about 8 ms less on 28,000 deals
        checks = in_background(
            _check_block, data, names, records, delim, escaped=escaped, markers=markers
        )
        try:
            frame = _c_parse(data, names, delim, escaped, markers)
        finally:
            futures.wait([checks])
        padded = checks.result()
    if padded is None or frame is None or len(frame) != records:
        return None
    cols = {
        # V1's markers: "?" was read as true, an empty cell as <NA>
        name: frame[name].array.to_numpy(dtype=bool, na_value=False)
        if markers and name.endswith("_flag")
        else frame[name].to_numpy()
        for name in names
    }
    fix = unescape if escaped else str
    for name, rows in padded.items():  # strip (and decode) the few cells that need it
        col = cols[name] = cols[name].copy()
        col[rows] = [fix(col[i]).strip() or np.nan for i in rows.tolist()]

    def row_text(i: int) -> str:
        return src.lines[all_lines[i] - 1]

    return (cols, all_lines, row_text, True, escaped), lines


def _check_block(data, names, records: int, delim: str, *, escaped: bool, markers: bool):
    """Return a block's padded cells (:func:`_padded_cells`), or ``None`` when not clean."""
    fields = _field_ends(data, len(names), records, delim)
    if fields is None or not _numbers_are_sipri(fields[0], names, fields[1]):
        return None  # a line with more or fewer fields than the header, or not a number
    if (fields[1][:, 0] == _starts(fields[1], 0)).any():
        return None  # an empty first field: a row continuing the one above (a re-saved split)
    if markers and not _markers_only(fields[0], names, fields[1]):
        return None
    return _padded_cells(*fields[:1], names, fields[1], escaped=escaped)


def _c_parse(data, names, delim: str, escaped: bool, markers: bool) -> pd.DataFrame | None:
    """Return the block as parsed by pandas' C parser, or ``None`` when it refuses it.

    With ``markers``, V1's ``?`` columns are read as nullable booleans (``?`` true), which
    costs the parser less than text; :func:`_markers_only` checks they hold nothing else.
    """
    dtype = {name: "float64" if name in _NUMERIC else object for name in names}
    if markers:
        dtype |= {name: "boolean" for name in names if name.endswith("_flag")}
    try:
        return pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            sep=delim,
            header=None,
            names=list(names),
            # numeric columns are converted by the C parser; empty cells become NaN
            dtype=dtype,
            true_values=["?"] if markers else None,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
            encoding_errors="surrogateescape" if escaped else "strict",
        )
    except (pd.errors.ParserError, ValueError, TypeError):
        return None  # too many fields on a line, or a cell that is not a number


def unescape(text: str) -> str:
    r"""Return a cell of cp1252 bytes read as UTF-8 with ``surrogateescape``, decoded right.

    Examples
    --------
    >>> unescape(b"Santa F\xe9".decode("utf-8", "surrogateescape"))
    'Santa Fé'
    """
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
