"""Read any SIPRI export into the canonical frames of :mod:`arms.schema`.

Three readers, one per frame, each accepting every variant that can yield its frame:

- :func:`read_trade_register` -> deals (V1, V8; V2/V7/V9 are grouped into deals);
- :func:`read_deliveries` -> deliveries (V2, V7, V9; V1/V8 registers are split evenly
  across their listed years and marked ``allocation="even"``);
- :func:`read_tiv_table` -> tiv (V3, V4, V5, V6).

Every input record ends up in the frame or in ``attrs["rejected"]`` (with its line number,
the reason and the text); with ``errors="raise"`` (the default) the first unreadable line
raises :class:`arms.SipriFormatError` instead.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from arms import schema
from arms.errors import SipriFormatError
from arms.io.detect import VARIANTS, Source, load_source, strip_padding

__all__ = [
    "read_any",
    "read_source",
    "read_trade_register",
    "read_deliveries",
    "read_tiv_table",
    "parse_delivery_years",
    "split_deals",
    "group_deliveries",
]

_ERRORS = ("raise", "warn")

# Column layouts by position (V1 has three identical blank flag headers, so names can't be
# trusted); the names are only used in messages.
_V1_FIELDS = (
    "recipient", "supplier", "order_year", "order_year_flag", "number_ordered",
    "number_ordered_flag", "designation", "description", "number_delivered",
    "number_delivered_flag", "delivery_years", "status", "comments", "tiv_per_unit",
    "tiv_order", "tiv_delivered",
)  # fmt: skip
_V2_FIELDS = (
    "deal_id", "supplier", "recipient", "designation", "description", "category",
    "order_year", "order_year_flag", "units", "units_flag", "year", "year_flag", "status",
    "tiv_per_unit_new", "tiv_per_unit", "tiv", "local_production",
)  # fmt: skip
_V8_FIELDS = (
    "deal_id", "supplier", "recipient", "number_ordered", "number_ordered_flag",
    "designation", "description", "status", "status_flag", "order_year", "order_year_flag",
    "delivery_years", "number_delivered", "number_delivered_flag", "local_production",
    "comments",
)  # fmt: skip
_FIELDS = {"V1": _V1_FIELDS, "V2": _V2_FIELDS, "V7": _V2_FIELDS, "V8": _V8_FIELDS}

_STATUS = {
    "new": "New",
    "second hand": "Second hand",
    "secondhand": "Second hand",
    "second-hand": "Second hand",
    "second hand but modernized": "Second hand but modernized",
    "second hand but modernised": "Second hand but modernized",
    "refurbished": "Second hand but modernized",
    "n": "New",
    "s": "Second hand",
    "r": "Second hand but modernized",
}

_FOOTER = re.compile(r"^\s*(?:©|\(c\)|Â©)", re.I)
_RE_INT = r"\d+"
_RE_YEAR = r"\d{4}"
_RE_NUM = r"\d+(?:\.\d+)?"


# --------------------------------------------------------------------------------------
# public readers


def read_trade_register(path: str | os.PathLike, *, errors: str = "raise") -> pd.DataFrame:
    r"""Return a SIPRI export as a deals frame: one row per deal.

    Parameters
    ----------
    path : str or os.PathLike
        A trade register (V1 new portal, V8 legacy, their spreadsheet copies, ``.xlsx``) or a
        per-year deliveries export (V2, V7, V9), whose rows are then grouped into deals by
        their SIPRI deal id.
    errors : {"raise", "warn"}, default "raise"
        ``"raise"`` fails on the first line that cannot be read. ``"warn"`` skips it, lists
        it in ``attrs["rejected"]`` and emits one warning.

    Returns
    -------
    pandas.DataFrame
        The canonical ``deals`` frame (:data:`arms.schema.DEALS`); provenance in
        ``attrs["source"]``, unreadable lines in ``attrs["rejected"]``, recoverable oddities
        (a garbled year range) in ``attrs["warnings"]``.

    Raises
    ------
    SipriFormatError
        For a file that is not a SIPRI export, a TIV table (use :func:`read_tiv_table`),
        or (with ``errors="raise"``) any line that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "reg.csv"
    >>> _ = p.write_text(
    ...     "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
    ...     "Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,"
    ...     "SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    ...     "Armenia,Russia,2019,,4,,Su-30K,FGA aircraft,4,,2019,New,"
    ...     "$120 m deal; Su-30SM version,47.5,190,190\n")
    >>> deals = read_trade_register(p)
    >>> deals[["designation", "number_delivered", "tiv_delivered"]]
      designation  number_delivered  tiv_delivered
    0      Su-30K                 4          190.0
    """
    src, frame = _read(_load(path, errors), errors=errors, want="deals")
    if src.info.kind == "deliveries":
        frame = group_deliveries(frame)
    return frame


def read_deliveries(path: str | os.PathLike, *, errors: str = "raise") -> pd.DataFrame:
    r"""Return a SIPRI export as a deliveries frame: one row per deal and delivery year.

    Parameters
    ----------
    path : str or os.PathLike
        A per-year export (V2, V7, V9: ``allocation="sipri"``) or a trade register (V1, V8),
        whose deals are split across their listed delivery years (``allocation="even"``; see
        :func:`split_deals`).
    errors : {"raise", "warn"}, default "raise"
        As in :func:`read_trade_register`.

    Returns
    -------
    pandas.DataFrame
        The canonical ``deliveries`` frame (:data:`arms.schema.DELIVERIES`).

    Raises
    ------
    SipriFormatError
        As in :func:`read_trade_register`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "del.csv"
    >>> _ = p.write_text(
    ...     "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
    ...     "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
    ...     "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
    ...     "TIV delivery values,Local production\n"
    ...     "59556,Russia,Armenia,Su-30K,FGA aircraft,Aircraft,2019,No,4,No,2019,No,New,"
    ...     "47.5,47.5,190,No\n")
    >>> d = read_deliveries(p)
    >>> d[["year", "units", "tiv", "allocation"]]
       year  units    tiv allocation
    0  2019      4  190.0      sipri
    """
    src, frame = _read(_load(path, errors), errors=errors, want="deliveries")
    if src.info.kind == "deals":
        frame = split_deals(frame)
    return frame


def read_tiv_table(path: str | os.PathLike, *, errors: str = "raise") -> pd.DataFrame:
    r"""Return a SIPRI TIV table in long form: one row per entity, counterpart and year.

    Parameters
    ----------
    path : str or os.PathLike
        A TIV values table (V3, including files that concatenate many tables), a regional
        table (V4), a top list (V5) or a legacy TIV table (V6, also named ``.csv.xls``).
    errors : {"raise", "warn"}, default "raise"
        As in :func:`read_trade_register`.

    Returns
    -------
    pandas.DataFrame
        The canonical ``tiv`` frame (:data:`arms.schema.TIV`). Empty cells (no deliveries
        identified) have no row; SIPRI's ``0`` (under 0.5 million) is ``tiv=0`` with
        ``under_half=True``. Total rows (``Total world import``, ``Regional total``,
        ``Others``...) are kept out of the data, in ``attrs["totals"]`` (list of dicts);
        year columns that are empty in every row (not yet published) are listed in
        ``attrs["unpublished_years"]``; ``attrs["years"]`` lists the published ones.

    Raises
    ------
    SipriFormatError
        For a file that is not a TIV table, or (with ``errors="raise"``) a cell that is not
        a number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiv.csv"
    >>> _ = p.write_text(
    ...     "Recipient,2019,2020,2021,2019-2021,Percentage\n"
    ...     "Armenia,200,0 ,,200,100%\n"
    ...     "Total world import,200,0 ,,200,100%\n")
    >>> t = read_tiv_table(p)
    >>> t[["entity", "year", "tiv", "under_half"]].values.tolist()
    [['Armenia', 2019, 200.0, False], ['Armenia', 2020, 0.0, True]]
    >>> t.attrs["unpublished_years"]
    [2021]
    """
    src = _load(path, errors)
    if src.info.kind != "tiv":
        raise _wrong_reader(src, "read_tiv_table")
    return _read_table(src, errors)


def read_any(path: str | os.PathLike, *, errors: str = "raise") -> pd.DataFrame:
    r"""Return a SIPRI export as the canonical frame it holds natively.

    A trade register gives deals, a per-year file deliveries, a TIV table the long ``tiv``
    frame (:data:`arms.io.detect.KIND_OF_VARIANT` maps each variant to its frame).

    Parameters
    ----------
    path : str or os.PathLike
        Any SIPRI export the readers accept.
    errors : {"raise", "warn"}, default "raise"
        As in :func:`read_trade_register`.

    Returns
    -------
    pandas.DataFrame
        A canonical ``deals``, ``deliveries`` or ``tiv`` frame.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("Recipient,2020,2020-2020\nArmenia,4,4\n")
    >>> list(read_any(p).columns) == list(schema.TIV)
    True
    """
    return read_source(_load(path, errors), errors=errors)


def read_source(src: Source, *, errors: str = "raise") -> pd.DataFrame:
    """Return the native frame of a file already loaded with :func:`arms.io.detect.load_source`.

    For callers that need both the file's :class:`~arms.io.detect.FormatInfo` and its frame
    (``arms inspect``), so the file is read and decoded once.
    """
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")
    if src.info.kind == "tiv":
        return _read_table(src, errors)
    return _read(src, errors=errors, want=src.info.kind)[1]


# --------------------------------------------------------------------------------------
# shared plumbing


@dataclass
class _Rejects:
    errors: str
    path: str
    items: list = field(default_factory=list)

    def add(self, line: int | None, reason: str, text: str, *, record: int | None = None) -> None:
        """Reject one input record: raise, or keep it for ``attrs["rejected"]``.

        ``record`` numbers the element of a JSON array, which has no line of its own.
        """
        if self.errors == "raise":
            raise SipriFormatError(f"{reason}; found: {text[:200]!r}", path=self.path, line=line)
        item = {"line": line, "reason": reason, "text": text}
        if record is not None:
            item["record"] = record
        self.items.append(item)

    def finish(self, frame: pd.DataFrame) -> None:
        self.items.sort(key=lambda r: r["line"] or r.get("record") or 0)
        frame.attrs["rejected"] = self.items
        if self.items:
            warnings.warn(
                f"{self.path}: {len(self.items)} line(s) could not be read and were left out "
                "(see attrs['rejected'])",
                stacklevel=4,
            )


def _load(path, errors: str) -> Source:
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")
    return load_source(path)


def _wrong_reader(src: Source, reader: str) -> SipriFormatError:
    right = {
        "deals": "read_trade_register or read_deliveries",
        "deliveries": "read_deliveries or read_trade_register",
        "tiv": "read_tiv_table",
    }[src.info.kind]
    return SipriFormatError(
        f"is a {src.info.variant} file ({VARIANTS[src.info.variant]}), which {reader} cannot "
        f"read; use {right}",
        path=src.info.path,
        line=src.info.header_line or None,
    )


def _provenance(src: Source, records: int) -> dict:
    info = src.info
    meta = info.metadata
    return {
        "path": info.path,
        "sha256": info.sha256,
        "variant": info.variant,
        "container": info.container,
        "encoding": info.encoding,
        "header_line": info.header_line,
        "quirks": list(info.quirks),
        "generated": meta.get("generated"),
        "title": meta.get("title"),
        "query": meta.get("query"),
        "supplier_scope": meta.get("supplier"),
        "recipient_scope": meta.get("recipient"),
        "range": meta.get("range"),
        "year_from": meta.get("year_from"),
        "year_to": meta.get("year_to"),
        "records": records,
    }


def _read(src: Source, *, errors: str, want: str) -> tuple[Source, pd.DataFrame]:
    info = src.info
    if info.kind == "tiv":
        raise _wrong_reader(src, "read_trade_register" if want == "deals" else "read_deliveries")
    rejects = _Rejects(errors, info.path)
    warn_list: list = []
    if info.variant == "V9":
        frame = _v9(src.records, rejects)
    else:

        def convert(columns, lines, row_text) -> pd.DataFrame:
            if info.variant == "V1":
                return _v1(columns, lines, row_text, rejects)
            if info.variant == "V8":
                return _v8(columns, lines, row_text, rejects, warn_list)
            return _v2(columns, lines, row_text, rejects)

        frame = None
        chunks = _fast_chunks(src)
        if chunks is not None:
            try:
                parts = [convert(*chunk) for chunk in chunks]
            except _NotClean:
                rejects.items.clear()  # start again, line by line
            else:
                frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        if frame is None:
            frame = convert(*_records_slow(src, rejects))
    kind = info.kind
    frame = schema.conform(frame, kind)
    frame.attrs["source"] = _provenance(src, len(frame) + len(rejects.items))
    frame.attrs["warnings"] = warn_list
    rejects.finish(frame)
    return src, frame


# --------------------------------------------------------------------------------------
# records: physical lines -> rows of fields, split records repaired


class _NotClean(Exception):
    """The fast path met something irregular; the file is read line by line instead."""


#: Rows the C parser hands over at a time: the temporary text objects of one chunk are
#: freed before the next, which keeps memory and time per row flat on large files.
_CHUNK_ROWS = 200_000

# Columns the fast path lets the C parser convert to float (validated afterwards).
_NUMERIC = {
    "order_year", "number_ordered", "number_delivered", "tiv_per_unit", "tiv_order",
    "tiv_delivered", "deal_id", "units", "year", "tiv_per_unit_new", "tiv",
}  # fmt: skip


def _fast_chunks(src: Source):
    """Return an iterator of (columns, lines, row_text) chunks, or ``None``.

    For a clean, unquoted file (V1, V2, V7 as SIPRI writes them) the whole data part goes to
    pandas' C parser, which converts the numeric columns itself. SIPRI's own split records
    (FORMATS Q1: a line break at the end of Comments, the next line holding the last fields
    and starting with the delimiter) are joined in the text first. ``None`` (or
    :class:`_NotClean` raised while iterating) means something else is irregular (short or
    long lines, blank lines, padding, re-saved split records, a non-number in a numeric
    column) and the caller reads the file line by line, where each problem gets a message.
    """
    info = src.info
    if info.variant == "V8" or info.container != "text" or "line padding" in info.quirks:
        return None
    names = _FIELDS[info.variant]
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
                    raise _NotClean  # a row continuing the one above: a re-saved split
                lines = all_lines[done : done + len(frame)]
                done += len(frame)
                cols = {name: frame[name].to_numpy() for name in names}
                yield cols, lines, lambda i, lines=lines: src.lines[lines[i] - 1]
        except (pd.errors.ParserError, ValueError, TypeError):
            # too many fields on a line, or a cell that is not a number
            raise _NotClean from None
        if done != records:
            raise _NotClean

    return chunks()


def _records_slow(src: Source, rejects: _Rejects):
    info = src.info
    names = _FIELDS[info.variant]
    delim = info.delimiter
    quoted = info.variant == "V8" or info.container == "xlsx"
    start = info.header_line  # 0-based index of the first data line
    lines = src.lines
    items: list[list[str]] = []
    numbers: list[int] = []
    if quoted:
        reader = csv.reader((x + "\n" for x in lines[start:]), delimiter=delim)
        try:
            for row in reader:
                extra = _extra_lines(row)
                if extra:
                    # a quoted field spanning lines: its line break reads as a space
                    row = [f.replace("\n", " ").strip() if "\n" in f else f for f in row]
                items.append(row)
                numbers.append(start + reader.line_num - extra)
        except csv.Error as exc:
            line_no = start + reader.line_num
            rejects.add(line_no, f"unreadable quoting ({exc})", lines[line_no - 1])
    else:
        padded = "line padding" in info.quirks
        for i in range(start, len(lines)):
            # spreadsheet re-saves pad lines with ';'
            items.append((strip_padding(lines[i]) if padded else lines[i]).split(delim))
            numbers.append(i + 1)
    rows, starts = _assemble(items, numbers, info, rejects, last_line=len(lines))
    columns = (
        {
            name: np.array(col, dtype=object)
            for name, col in zip(names, zip(*rows, strict=True), strict=True)
        }
        if rows
        else {name: np.array([], dtype=object) for name in names}
    )
    return columns, starts, lambda i: delim.join(rows[i])


def _assemble(items: list[list[str]], numbers: list[int], info, rejects: _Rejects, last_line: int):
    """Turn physical rows of fields into records: repair splits, drop blanks and footers."""
    n = len(_FIELDS[info.variant])
    from_xlsx = info.container == "xlsx"
    rows: list[list[str]] = []
    starts: list[int] = []
    total = len(items)
    i = 0
    while i < total:
        fields, line_no = items[i], numbers[i]
        i += 1
        if len(fields) > n:
            fields = _trim_padding(fields, n)
        elif from_xlsx and 1 < len(fields) < n:
            # a workbook row ends at its last non-empty cell: restore the empty fields (a
            # split record then takes the re-saved two-row form handled below)
            fields = fields + [""] * (n - len(fields))
        if not any(f.strip(" ;") for f in fields):
            continue  # blank line, or a spacer row of empty fields
        if _FOOTER.match(fields[0]):
            break  # V7's copyright footer ends the data
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
        if info.variant == "V1" and rows and _is_resaved_tail(fields, rows[-1]):
            # A spreadsheet re-save turned a split record into two padded rows: the numbers
            # of the tail belong in the previous row's empty TIV fields.
            rows[-1] = rows[-1][:13] + fields[1:4]
            continue
        rows.append(fields)
        starts.append(line_no)
    return rows, starts


def _extra_lines(row: list[str]) -> int:
    # csv.reader's line_num is the last line a record used; quoted fields may span lines.
    return sum(f.count("\n") for f in row)


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
        and all(re.fullmatch(_RE_NUM, f.strip()) for f in fields[1:4])
        and not any(f.strip() for f in fields[4:])
        and not any(f.strip() for f in previous[13:16])
    )


# --------------------------------------------------------------------------------------
# cell conversion (vectorised; bad cells collected per row)


class _Cells:
    """Column-wise conversion of text columns, recording bad cells by row.

    Each column is factorised once and every check and conversion runs on its distinct
    values only (a register of 28,000 deals has a few thousand distinct TIVs and year
    lists), which keeps the reader close to the C parser's speed.
    """

    def __init__(self, columns: dict[str, np.ndarray], lines, row_text):
        self.cols = columns
        self.size = len(lines)
        self.lines = np.asarray(lines, dtype=np.int64)
        self.row_text = row_text
        self.bad = np.zeros(self.size, dtype=bool)
        self.reasons: dict[int, str] = {}
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}

    def codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Return the column's codes and its distinct values, stripped."""
        if name not in self._codes:
            codes, uniques = pd.factorize(self.cols[name])
            values = [u.strip() if isinstance(u, str) else "" for u in uniques]
            if len(codes) and codes.min() < 0:  # a missing cell (slow path only) reads as ""
                codes = np.where(codes < 0, len(values), codes)
                values.append("")
            self._codes[name] = (codes, values)
        return self._codes[name]

    def convert(self, name: str, fn, expected: str, dtype: str) -> pd.Series:
        """Apply ``fn`` to each distinct value; ``fn`` raises ValueError for a bad one."""
        codes, uniques = self.codes(name)
        values, wrong = [], []
        for u in uniques:
            try:
                values.append(fn(u))
            except ValueError:
                values.append(None)
                wrong.append(True)
            else:
                wrong.append(False)
        if any(wrong):
            mask = np.asarray(wrong, dtype=bool)[codes]
            for idx in np.flatnonzero(mask & ~self.bad):
                self.reasons[idx] = (
                    f"column {name!r}: expected {expected}, found {uniques[codes[idx]]!r}"
                )
            self.bad |= mask
        return pd.Series(pd.array(values, dtype=dtype).take(codes), copy=False)

    def text(self, name: str, *, distinct: bool = False) -> pd.Series:
        """Return a text column, stripped, empty as ``<NA>``.

        ``distinct=True`` is for columns whose values are mostly different (comments,
        designations): stripping every cell is then cheaper than factorising.
        """
        if distinct:
            col = self.cols[name]
            values = [(v.strip() or None) if isinstance(v, str) else None for v in col]
            return pd.Series(pd.array(values, dtype="string"), copy=False)
        codes, uniques = self.codes(name)
        values = pd.array([u or None for u in uniques], dtype="string")
        return pd.Series(values.take(codes), copy=False)

    def number(self, name: str, *, integer: bool = False, year: bool = False) -> pd.Series:
        col = self.cols[name]
        if col.dtype.kind == "f":
            return self._number_parsed(name, col, integer=integer, year=year)
        # text columns (the line-by-line path): each distinct value is checked once
        return self._number_slow(name, integer=integer, year=year)

    def _number_parsed(self, name, col: np.ndarray, *, integer: bool, year: bool) -> pd.Series:
        """Check numbers the C parser already converted (NaN: empty cell)."""
        with np.errstate(invalid="ignore"):
            wrong = np.isinf(col) | (col < 0)
            if integer or year:
                wrong |= np.mod(col, 1) != 0
            if year:
                wrong |= (col < 1000) | (col > 9999)
            wrong &= ~np.isnan(col)
        if wrong.any():
            kind = "a 4-digit year" if year else "a whole number" if integer else "a number"
            for idx in np.flatnonzero(wrong & ~self.bad):
                found = f"{col[idx]:g}"
                self.reasons[idx] = f"column {name!r}: expected {kind} or nothing, found {found}"
            self.bad |= wrong
            col = np.where(wrong, np.nan, col)
        array = pd.array(col, dtype="Float64")
        return pd.Series(array.astype("Int64") if (integer or year) else array, copy=False)

    def _number_slow(self, name: str, *, integer: bool, year: bool) -> pd.Series:
        pattern = re.compile(_RE_YEAR if year else _RE_INT if integer else _RE_NUM)
        cast = int if (integer or year) else float

        def fn(u: str):
            if u == "":
                return None
            if not pattern.fullmatch(u):
                raise ValueError(u)
            return cast(u)

        expected = "a 4-digit year" if year else "a whole number" if integer else "a number"
        return self.convert(
            name, fn, expected + " or nothing", "Int64" if cast is int else "Float64"
        )

    def flag(self, name: str, truthy: tuple[str, ...], falsy: tuple[str, ...], empty) -> pd.Series:
        col = self.cols[name]
        if truthy == ("?",) and not falsy:
            # V1's markers: "?" or nothing; compared directly, without factorising
            is_true, is_empty = col == "?", (col == "") | pd.isna(col)
            if (is_true | is_empty).all():
                return pd.Series(pd.array(np.where(is_true, True, bool(empty)), dtype="boolean"))

        def fn(u: str):
            low = u.lower()
            if low in truthy:
                return True
            if low in falsy:
                return False
            if low == "":
                return empty
            raise ValueError(u)

        return self.convert(name, fn, f"one of {truthy + falsy} or nothing", "boolean")

    def status(self, name: str) -> pd.Series:
        def fn(u: str):
            if u == "":
                return None
            return _STATUS[u.lower()] if u.lower() in _STATUS else _raise(u)

        return self.convert(name, fn, "a SIPRI status (New, Second hand, ...)", "string")

    def mark(self, mask, name: str, expected: str) -> None:
        """Reject the rows where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        for idx in np.flatnonzero(mask & ~self.bad):
            self.reasons[idx] = f"column {name!r}: {expected}"
        self.bad |= mask

    def finish(self, frame: pd.DataFrame, rejects: _Rejects) -> pd.DataFrame:
        for idx in sorted(self.reasons):
            rejects.add(int(self.lines[idx]), self.reasons[idx], self.row_text(idx))
        frame["source_line"] = pd.array(self.lines, dtype="Int64")
        if not self.bad.any():
            return frame
        return frame.loc[~self.bad].reset_index(drop=True)


def _raise(value):
    raise ValueError(value)


# --------------------------------------------------------------------------------------
# variants -> canonical frames


_RE_V1_YEARS = re.compile(r"\d{4}(?:\s*;\s*\d{4})*")
_RE_V8_YEARS = re.compile(r"(\d{1,4})\s*-\s*(\d{1,4})")


def _v1_years(c: _Cells) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (normalised list, first year, last year) of V1's ``Year(s) of delivery``."""
    codes, uniques = c.codes("delivery_years")
    texts, firsts, lasts, wrong = [], [], [], []
    for u in uniques:
        if u == "":
            years = []
        elif len(u) == 4 and u.isdigit():
            years = [int(u)]
        elif _RE_V1_YEARS.fullmatch(u):
            years = [int(y) for y in re.findall(r"\d{4}", u)]
        else:
            wrong.append(True)
            for out in (texts, firsts, lasts):
                out.append(None)
            continue
        wrong.append(False)
        texts.append("; ".join(map(str, years)) or None)
        firsts.append(min(years, default=None))
        lasts.append(max(years, default=None))
    if any(wrong):
        c.mark(
            np.asarray(wrong, dtype=bool)[codes],
            "delivery_years",
            "expected years like '2019' or '2019; 2020' or nothing",
        )
    return (
        pd.Series(pd.array(texts, dtype="string").take(codes)),
        pd.Series(pd.array(firsts, dtype="Int64").take(codes)),
        pd.Series(pd.array(lasts, dtype="Int64").take(codes)),
    )


def _v1(columns, lines, row_text, rejects) -> pd.DataFrame:
    c = _Cells(columns, lines, row_text)
    q = ("?",)
    number_ordered = c.number("number_ordered", integer=True)
    tiv_order = c.number("tiv_order")
    delivery_years, first, last = _v1_years(c)
    frame = pd.DataFrame(
        {
            "recipient": c.text("recipient"),
            "supplier": c.text("supplier"),
            "order_year": c.number("order_year", year=True),
            "order_year_estimated": c.flag("order_year_flag", q, (), False),
            "number_ordered": number_ordered,
            "number_ordered_estimated": c.flag("number_ordered_flag", q, (), False),
            "designation": c.text("designation", distinct=True),
            "description": c.text("description"),
            "number_delivered": c.number("number_delivered", integer=True),
            "number_delivered_estimated": c.flag("number_delivered_flag", q, (), False),
            "delivery_years": delivery_years,
            "first_delivery_year": first,
            "last_delivery_year": last,
            "status": c.status("status"),
            "comments": c.text("comments", distinct=True),
            "tiv_per_unit": c.number("tiv_per_unit"),
            # FORMATS 1.2: with no number ordered the export writes 0 for the total order; that
            # is "not available", not a zero-value order.
            "tiv_order": tiv_order.mask(number_ordered.isna() & (tiv_order == 0)),
            "tiv_delivered": c.number("tiv_delivered"),
        }
    )
    return c.finish(frame, rejects)


def _v8_range(u: str) -> tuple[int | None, int | None, bool]:
    """Return (first, last, garbled) for a V8 ``YYYY - YYYY`` cell."""
    if u == "":
        return None, None, False
    m = _RE_V8_YEARS.fullmatch(u)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        ok_a, ok_b = 1900 <= a <= 2200, 1900 <= b <= 2200
        if ok_a and ok_b and a <= b:
            return a, b, False
        if ok_b:
            return None, b, True
        raise ValueError(u)
    if _RE_V1_YEARS.fullmatch(u):
        ys = [int(y) for y in re.findall(r"\d{4}", u)]
        return min(ys), max(ys), False
    raise ValueError(u)


def _v8(columns, lines, row_text, rejects, warn_list) -> pd.DataFrame:
    c = _Cells(columns, lines, row_text)
    yes, no = ("yes",), ("no",)
    expected = "a range like '2009 - 2010' or nothing"
    first = c.convert("delivery_years", lambda u: _v8_range(u)[0], expected, "Int64")
    last = c.convert("delivery_years", lambda u: _v8_range(u)[1], expected, "Int64")
    garbled = c.convert("delivery_years", lambda u: _v8_range(u)[2], expected, "boolean")
    years = c.convert(
        "delivery_years",
        lambda u: re.sub(r"\s*-\s*", " - ", u) if u else None,
        expected,
        "string",
    )
    for idx in np.flatnonzero(garbled.to_numpy(dtype=bool, na_value=False)):
        warn_list.append(
            {
                "line": int(c.lines[idx]),
                "reason": "garbled delivery range; row kept, first delivery year unknown",
                "text": years.iloc[idx],
            }
        )
    frame = pd.DataFrame(
        {
            "deal_id": c.number("deal_id", integer=True),
            "recipient": c.text("recipient"),
            "supplier": c.text("supplier"),
            "order_year": c.number("order_year", year=True),
            "order_year_estimated": c.flag("order_year_flag", yes, no, False),
            "number_ordered": c.number("number_ordered", integer=True),
            "number_ordered_estimated": c.flag("number_ordered_flag", yes, no, False),
            "designation": c.text("designation"),
            "description": c.text("description"),
            "number_delivered": c.number("number_delivered", integer=True),
            "number_delivered_estimated": c.flag("number_delivered_flag", yes, no, False),
            "delivery_years": years,
            "first_delivery_year": first,
            "last_delivery_year": last,
            "status": c.status("status"),
            "status_estimated": c.flag("status_flag", yes, no, False),
            "local_production": c.flag("local_production", yes, no, False),
            "comments": c.text("comments"),
        }
    )
    return c.finish(frame, rejects)


def _v2(columns, lines, row_text, rejects) -> pd.DataFrame:
    c = _Cells(columns, lines, row_text)
    yes, no = ("yes",), ("no",)
    frame = pd.DataFrame(
        {
            "deal_id": c.number("deal_id", integer=True),
            "recipient": c.text("recipient"),
            "supplier": c.text("supplier"),
            "designation": c.text("designation"),
            "description": c.text("description"),
            "category": _category(c.text("category")),
            "order_year": c.number("order_year", year=True),
            "order_year_estimated": c.flag("order_year_flag", yes, no, None),
            "units": c.number("units", integer=True),
            "units_estimated": c.flag("units_flag", yes, no, None),
            "year": c.number("year", year=True),
            "year_estimated": c.flag("year_flag", yes, no, None),
            "status": c.status("status"),
            "tiv_per_unit": c.number("tiv_per_unit"),
            "tiv": c.number("tiv"),
            "local_production": c.flag("local_production", yes, no, None),
        }
    )
    c.number("tiv_per_unit_new")  # validated, not kept: the deal's own unit TIV is
    c.mark(frame["deal_id"].isna().to_numpy(), "deal_id", "a deal id is required")
    c.mark(frame["year"].isna().to_numpy(), "year", "a delivery year is required")
    frame["allocation"] = "sipri"
    return c.finish(frame, rejects)


_V9_KEYS = ("tradeId", "buyer", "seller", "deliveryYr")


def _v9(records: list, rejects: _Rejects) -> pd.DataFrame:
    # every element must be a trade object; others are rejected by their position
    keep = []
    for idx, rec in enumerate(records):
        if isinstance(rec, dict) and all(k in rec for k in _V9_KEYS):
            keep.append(idx)
        else:
            rejects.add(
                None,
                f"record {idx + 1}: expected an object with keys {', '.join(_V9_KEYS)}",
                str(rec)[:200],
                record=idx + 1,
            )
    if not keep:
        return schema.empty_frame("deliveries")
    raw = pd.DataFrame.from_records([records[i] for i in keep])
    for key in (
        "orderYr",
        "units",
        "unitsEst",
        "orderYrEst",
        "status",
        "category",
        "desc",
        "desg",
    ):
        if key not in raw:
            raw[key] = pd.NA
    bad = np.zeros(len(raw), dtype=bool)

    def reject(wrong: np.ndarray, what: str) -> None:
        nonlocal bad
        for idx in np.flatnonzero(wrong & ~bad):
            number = keep[idx] + 1
            rejects.add(
                None, f"record {number}: {what}", str(records[number - 1])[:200], record=number
            )
        bad |= wrong

    def ints(col: str, *, required: bool) -> pd.Series:
        values = raw[col]
        numeric = pd.to_numeric(values, errors="coerce")
        wrong = (values.notna() & (numeric.isna() | (numeric % 1 != 0))).to_numpy().copy()
        if required:
            wrong |= values.isna().to_numpy()
        reject(wrong, f"{col!r} must be a whole number")
        return numeric.where(~pd.Series(wrong, index=raw.index)).astype("Int64")

    def bools(col: str) -> pd.Series:
        values = raw[col]
        known = values.map(lambda v: v is True or v is False or v is None or v is pd.NA)
        reject(~known.to_numpy(dtype=bool), f"{col!r} must be true, false or missing")
        return values.map({True: True, False: False}).astype("boolean")

    def text(col: str) -> pd.Series:
        values = raw[col]
        wrong = values.map(lambda v: not (isinstance(v, str) or v is None or v is pd.NA))
        reject(wrong.to_numpy(dtype=bool), f"{col!r} must be text")
        return values.where(~wrong).astype("string").str.strip()

    status_code = text("status")
    status = status_code.str.lower().map(_STATUS).astype("string")
    reject(
        (status.isna() & status_code.notna()).to_numpy(dtype=bool),
        "'status' must be N, S or R (new, second hand, second hand but modernized)",
    )
    frame = pd.DataFrame(
        {
            "deal_id": ints("tradeId", required=True),
            "recipient": text("buyer"),
            "supplier": text("seller"),
            "order_year": ints("orderYr", required=False),
            "order_year_estimated": bools("orderYrEst"),
            "designation": text("desg"),
            "description": text("desc"),
            "category": _category(text("category")),
            "status": status,
            "year": ints("deliveryYr", required=True),
            "units": ints("units", required=False),
            "units_estimated": bools("unitsEst"),
            "allocation": "sipri",
        }
    )
    frame["source_line"] = pd.array(np.asarray(keep) + 1, dtype="Int64")  # record number
    return frame.loc[~bad].reset_index(drop=True)


def _category(s: pd.Series) -> pd.Series:
    # A Feb 2026 export spells it "Air-defence systems"; one vocabulary downstream.
    return s.str.replace("Air-defence", "Air defence", regex=False)


# --------------------------------------------------------------------------------------
# delivery years


def parse_delivery_years(text: str | None) -> list[int]:
    """Return the delivery years a SIPRI ``Year(s) of delivery`` cell lists.

    Accepts every syntax seen in SIPRI exports: ``"2019"``, ``"2019; 2020"`` (V1, with gaps),
    spreadsheet-collapsed ``"2000;2001; 2002"``, legacy ranges ``"2009 - 2011"`` (V8, all
    years inclusive), compact ranges ``"2009-2011"`` and per-year counts ``"2017(2)"`` (the
    counts are dropped). A garbled range end (``"194 - 2008"``) is left out.

    Parameters
    ----------
    text : str or None
        The cell.

    Returns
    -------
    list of int
        Ascending, without duplicates; empty for an empty cell.

    Examples
    --------
    >>> parse_delivery_years("2010; 2012")
    [2010, 2012]
    >>> parse_delivery_years("2009 - 2011")
    [2009, 2010, 2011]
    >>> parse_delivery_years("194 - 2008")
    [2008]
    >>> parse_delivery_years(None)
    []
    """
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return []
    years: set[int] = set()
    for part in re.split(r"[;,]", str(text)):
        part = re.sub(r"\(\s*\d+\s*\)", "", part).strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,4})\s*-\s*(\d{1,4})", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if 1900 <= a <= b <= 2200 and b - a < 100:
                years.update(range(a, b + 1))
            elif 1900 <= b <= 2200:
                years.add(b)
            continue
        if re.fullmatch(r"\d{4}", part) and 1900 <= int(part) <= 2200:
            years.add(int(part))
    return sorted(years)


# --------------------------------------------------------------------------------------
# deals <-> deliveries


def split_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """Return a deals frame split across each deal's listed delivery years.

    SIPRI registers give a deal's delivered units and TIV in total, not per year. Each deal
    is spread evenly: whole units per year (the remainder goes to the earliest years) and
    TIV in proportion to the units (evenly when units are unknown), allocated in whole
    cents so that each deal's years add up exactly to its totals. Rows are marked
    ``allocation="even"``; deals with no delivery year listed have no rows.

    Parameters
    ----------
    deals : pandas.DataFrame
        A canonical deals frame.

    Returns
    -------
    pandas.DataFrame
        A canonical deliveries frame.

    Examples
    --------
    >>> deals = schema.conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan"], "supplier": ["Israel"], "number_delivered": [5],
    ...     "delivery_years": ["2014; 2015"], "tiv_delivered": [35.0]}), "deals")
    >>> split_deals(deals)[["year", "units", "tiv", "allocation"]].values.tolist()
    [[2014, 3, 21.0, 'even'], [2015, 2, 14.0, 'even']]
    """
    schema.validate(deals, "deals")
    years = deals["delivery_years"].map(parse_delivery_years, na_action="ignore")
    years = years.map(lambda v: v if isinstance(v, list) else [])
    counts = years.map(len).to_numpy(dtype=np.int64)
    idx = np.repeat(np.arange(len(deals)), counts)
    pos = np.concatenate([np.arange(k) for k in counts]) if len(counts) else np.array([], int)
    k = counts[idx]
    out = deals.iloc[idx].reset_index(drop=True)
    year_values = [y for ys in years for y in ys]

    units_total = out["number_delivered"]
    n = units_total.fillna(0).to_numpy(dtype=np.int64)
    units = n // k + (pos < n % k) if len(k) else np.array([], dtype=np.int64)
    # cents keep the split exact: integer cents sum exactly to the deal's total
    tiv_total = out["tiv_delivered"]
    cents = np.rint(tiv_total.fillna(0).to_numpy(dtype=float) * 100).astype(np.int64)
    weights = np.where(n > 0, units, 1).astype(np.int64)
    wsum = np.where(n > 0, n, k)
    share = cents * weights // np.maximum(wsum, 1)
    # hand the leftover cents to the first years of each deal, one each
    group_alloc = np.bincount(idx, weights=share, minlength=len(deals)).astype(np.int64)
    leftover = (
        np.rint(deals["tiv_delivered"].fillna(0).to_numpy(dtype=float) * 100).astype(np.int64)
        - group_alloc
    )[idx]
    share = share + (pos < leftover)
    result = pd.DataFrame(
        {
            "deal_id": out["deal_id"],
            "recipient": out["recipient"],
            "supplier": out["supplier"],
            "order_year": out["order_year"],
            "order_year_estimated": out["order_year_estimated"],
            "designation": out["designation"],
            "description": out["description"],
            "category": out["category"],
            "status": out["status"],
            "local_production": out["local_production"],
            "comments": out["comments"],
            "tiv_per_unit": out["tiv_per_unit"],
            "year": pd.array(year_values, dtype="Int64"),
            # V8's flag covers the years as well as the numbers; V1's only the numbers
            "year_estimated": out["number_delivered_estimated"].where(
                out["delivery_years"].str.contains(" - ", regex=False).fillna(False)
            ),
            "units": pd.array(units, dtype="Int64").astype("Int64"),
            "units_estimated": out["number_delivered_estimated"],
            "tiv": pd.array(share / 100.0, dtype="Float64"),
            "allocation": "even",
            "source_line": out["source_line"],
        }
    )
    result["units"] = result["units"].mask(units_total.isna().to_numpy())
    result["tiv"] = result["tiv"].mask(tiv_total.isna().to_numpy())
    result = schema.conform(result, "deliveries")
    result.attrs = dict(deals.attrs)
    return result


def group_deliveries(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Return a deliveries frame grouped into deals (by SIPRI deal id, else register line).

    Units and TIV are summed per deal; a deal is estimated where any of its years is;
    ``delivery_years`` lists its years as a register does (``"2014; 2015"``). The deliveries
    files carry no order size, so ``number_ordered`` and ``tiv_order`` are ``<NA>``.

    Parameters
    ----------
    deliveries : pandas.DataFrame
        A canonical deliveries frame with ``deal_id`` set.

    Returns
    -------
    pandas.DataFrame
        A canonical deals frame, one row per deal in order of first appearance.

    Examples
    --------
    >>> d = schema.conform(pd.DataFrame({
    ...     "deal_id": [1, 1], "recipient": ["Armenia"] * 2, "supplier": ["Russia"] * 2,
    ...     "year": [2020, 2019], "units": [1, 3], "tiv": [1.5, 4.5]}), "deliveries")
    >>> group_deliveries(d)[["delivery_years", "number_delivered", "tiv_delivered"]]
      delivery_years  number_delivered  tiv_delivered
    0     2019; 2020                 4            6.0
    """
    schema.validate(deliveries, "deliveries")
    # a deal is its SIPRI id; rows split from a register (no id) keep their register line
    key = (
        deliveries["deal_id"]
        .astype("Float64")
        .fillna(-deliveries["source_line"].astype("Float64"))
    )
    d = deliveries.assign(_deal=key).sort_values(["_deal", "year"], kind="stable")
    g = d.groupby("_deal", sort=False, dropna=False)
    first_cols = [
        "deal_id", "recipient", "supplier", "order_year", "designation", "description",
        "category", "status", "local_production", "comments", "tiv_per_unit",
    ]  # fmt: skip
    out = g[first_cols].first()
    out["order_year_estimated"] = g["order_year_estimated"].max()
    out["number_delivered"] = g["units"].sum(min_count=1)
    out["number_delivered_estimated"] = g["units_estimated"].max()
    out["tiv_delivered"] = g["tiv"].sum(min_count=1).round(6)
    out["first_delivery_year"] = g["year"].min()
    out["last_delivery_year"] = g["year"].max()
    # the years as a register lists them: distinct, ascending (rows are sorted already)
    years = d.loc[d["year"].notna(), ["_deal", "year"]].drop_duplicates()
    listed = years["year"].astype(str).groupby(years["_deal"], sort=False).agg("; ".join)
    out["delivery_years"] = listed.reindex(out.index)
    out["source_line"] = g["source_line"].min()
    out = out.sort_values("source_line", kind="stable").reset_index(drop=True)
    result = schema.conform(out, "deals")
    result.attrs = dict(deliveries.attrs)
    return result


# --------------------------------------------------------------------------------------
# TIV tables (V3-V6)

_TOTAL_V3 = re.compile(r"^total\b", re.I)
_PREAMBLE_START = re.compile(
    r"^(?:Volume of |Figures |A '0'|For the method|For a list|For more|Source:|Data generated|"
    r"Generated:|TIV of arms)",
    re.I,
)
_CATEGORIES = {
    "aircraft", "air defence systems", "air-defence systems", "anti-submarine warfare",
    "armoured vehicles", "artillery", "engines", "missiles", "naval weapons", "other",
    "satellites", "sensors", "ships",
}  # fmt: skip


def _read_table(src: Source, errors: str) -> pd.DataFrame:
    info = src.info
    rejects = _Rejects(errors, info.path)
    lines = src.lines
    quoted = info.variant == "V6" or info.container == "xlsx"
    blocks: list[tuple[int, list[str]]] = []  # (header index, header cells)
    for i, line in enumerate(lines):
        stripped = strip_padding(line)
        if i == info.header_line - 1 or (
            info.variant == "V3"
            and re.match(r"^(?:Recipient|Exports by|Supplier),\d{4}", stripped, re.I)
        ):
            blocks.append((i, _cells(stripped, quoted)))
    records: list[dict] = []
    totals: list[dict] = []
    year_has_value: dict[int, bool] = {}
    entity_rows = 0
    for b, (h, header) in enumerate(blocks):
        end = blocks[b + 1][0] if b + 1 < len(blocks) else len(lines)
        year_cols = {j: int(c) for j, c in enumerate(header) if re.fullmatch(r"\d{4}", c.strip())}
        for y in year_cols.values():
            year_has_value.setdefault(y, False)
        table, ent_col, counterpart = _table_layout(info, header)
        block_records: list[dict] = []
        block_totals: list[dict] = []
        region = None
        for i in range(h + 1, end):
            text = strip_padding(lines[i])
            if _PREAMBLE_START.match(text.lstrip('"')):
                break
            cells = _cells(text, quoted)
            if not any(c.strip() for c in cells):
                continue  # blank or spacer line
            if info.container == "xlsx":
                cells += [""] * (len(header) - len(cells))  # a sheet row ends at its last value
            if len(cells) < len(header) or any(c.strip() for c in cells[len(header) :]):
                end_of_file = i == len(lines) - 1
                rejects.add(
                    i + 1,
                    f"expected {len(header)} fields, found {len(cells)}"
                    + (" (the file ends mid-row: truncated?)" if end_of_file else ""),
                    lines[i],
                )
                continue
            entity = cells[ent_col].strip()
            is_total = False
            if info.variant == "V4" and cells[0].strip():
                if cells[1].strip().lower() == "regional total":
                    region, entity, is_total = cells[0].strip(), cells[0].strip(), True
                elif header[0].strip() == "":
                    region = cells[0].strip()
            if info.variant == "V5" and entity.lower() in ("others", "total"):
                is_total = True
            if _TOTAL_V3.match(entity) or entity.lower() in ("world total", "total"):
                is_total = True
            if not entity:
                rejects.add(i + 1, "a table row without an entity name", lines[i])
                continue
            values = {}
            bad = None
            for j, year in year_cols.items():
                cell = cells[j].strip()
                if cell == "":
                    continue
                if not re.fullmatch(_RE_NUM, cell):
                    bad = f"column {year}: expected a TIV number or nothing"
                    break
                values[year] = float(cell)
            if bad:
                rejects.add(i + 1, bad, lines[i])
                continue
            for year in values:
                year_has_value[year] = True
            cp = region if info.variant == "V4" and region and not is_total else counterpart
            rows = [
                {
                    "table": table,
                    "entity": entity,
                    "counterpart": cp,
                    "year": year,
                    "tiv": value,
                    "under_half": value == 0,
                }
                for year, value in values.items()
            ]
            if is_total:
                block_totals.append({"label": entity, "line": i + 1, "values": values})
            else:
                entity_rows += 1
                block_records.extend(rows)
        # The supplier of a one-supplier V3 table is named only in its total row.
        for tot in block_totals:
            m = re.match(r"^Total (?:exports|imports) from (.+)$", tot["label"], re.I)
            if m and info.variant == "V3":
                for r in block_records:
                    r["counterpart"] = m.group(1).strip()
        records.extend(block_records)
        totals.extend(
            {"table": table, "label": t["label"], "line": t["line"], "year": y, "tiv": v}
            for t in block_totals
            for y, v in t["values"].items()
        )
    frame = pd.DataFrame.from_records(records, columns=list(schema.TIV))
    if len(frame) and frame["entity"].str.lower().isin(_CATEGORIES).all():
        frame["table"] = "by category"  # V6 summarised by armament category
    frame = schema.conform(frame, "tiv")
    unpublished = sorted(y for y, seen in year_has_value.items() if not seen)
    frame.attrs["source"] = _provenance(src, entity_rows + len(rejects.items))
    frame.attrs["totals"] = totals
    frame.attrs["years"] = sorted(y for y, seen in year_has_value.items() if seen)
    frame.attrs["unpublished_years"] = unpublished
    frame.attrs["tables"] = len(blocks)
    frame.attrs["warnings"] = []
    rejects.finish(frame)
    return frame


def _cells(text: str, quoted: bool) -> list[str]:
    if quoted and '"' in text:
        return next(csv.reader([text]))
    return text.split(",")


def _table_layout(info, header: list[str]) -> tuple[str, int, str]:
    """Return (table name, entity column, counterpart) for a table header."""
    first = header[0].strip().lower()
    meta = info.metadata
    if info.variant == "V4":
        # suppliers broken down by region (",," header) or regions' imports (named header)
        return "regional", 1 if not first else 0, "all"
    if info.variant == "V5":
        return "top list", 3, "all"
    if info.variant == "V6":
        direction = meta.get("direction", "imports")
        who = meta.get("supplier" if direction == "exports" else "recipient") or "all"
        return direction, 0, "all" if who.lower() == "all" else who
    if first == "exports by":
        return "exports", 0, "all"
    if first == "supplier":
        return "exports", 0, "all"
    return "imports", 0, "all"
