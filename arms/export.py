"""Write analysis tables to an Excel workbook worth sending.

:func:`to_excel` writes one sheet per table, after a README sheet that cites the source, states
the data's generated date and the TIV caveat, and points at SIPRI's terms of use. Every table
sheet has a styled, frozen header row with an autofilter, column widths fitted to the content,
and number formats that keep the stored values exact:

* columns named ``tiv*`` are shown with two decimals (``0.00``); the full value is stored;
* columns named ``share*`` hold percent numbers as given (``69.2`` means 69.2%), shown as
  ``69.2%`` through the format ``0.0"%"``: reading the sheet back gives the same numbers,
  which a true Excel percentage (stored as ``0.692``) would not;
* booleans are Excel ``TRUE``/``FALSE``; missing values (``<NA>``, ``NaN``) are empty cells;
* list-like cells (e.g. delivery years) are written as ``"2019; 2020"``;
* text is always stored as text: a string starting with ``=``, ``+``, ``-`` or ``@`` (which a
  spreadsheet would run as a formula, "formula injection") is written as a string cell
  marked with Excel's quote prefix, never as a formula.

Reading a sheet back with ``pandas.read_excel(path, sheet_name=name)`` returns the values
that were written. With ``dtype_backend="numpy_nullable"`` it also returns pandas' nullable
dtypes (``Int64``, ``Float64``, ``boolean``, ``string``), as the canonical frames use; without
it pandas infers numpy dtypes, and a boolean column with empty cells reads as ``1.0``/``0.0``.
Two things do not survive any spreadsheet: a float column whose values are all whole numbers
reads back as integers, and pandas reads the text ``"NA"`` (and its other NA spellings) as
missing unless ``keep_default_na=False, na_values=[""]`` is passed. Control characters, which
the file format cannot hold, are dropped from text.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from arms.text import CITATION, TIV_CAVEAT, column_label, generated_date

log = logging.getLogger(__name__)

__all__ = ["to_excel", "sheet_name", "README_SHEET", "TIV_FORMAT", "SHARE_FORMAT"]

#: Name of the citation sheet written first.
README_SHEET = "README"
#: Number format of ``tiv*`` columns.
TIV_FORMAT = "0.00"
#: Number format of ``share*`` columns (percent numbers stored as given).
SHARE_FORMAT = '0.0"%"'
_DATE_FORMAT = "yyyy-mm-dd"
_FLOAT_FORMAT = "#,##0.0"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

# The README sheet shows the source and its address on rows of their own: both come from the
# one citation (arms.text), "<database>, <institute>, <url>".
_SOURCE, _URL = CITATION.rsplit(", ", 1)
_TERMS_URL = "https://www.sipri.org/databases/terms"
_TERMS = (
    "The data are SIPRI's (c) Stockholm International Peace Research Institute and are used "
    f"under SIPRI's terms and conditions of use ({_TERMS_URL}). Cite the source with the "
    "data's generated date; do not redistribute more than excerpts of the database."
)
_CONVENTIONS = (
    "TIV columns are shown with two decimals (full values stored). Share columns hold percent "
    'numbers (69.2 means 69.2%), formatted 0.0"%". TRUE/FALSE are booleans; an empty cell is a '
    "missing value. Lists (e.g. delivery years) are written as '2019; 2020'. Text that starts "
    "with =, +, - or @ is stored as text, never as a formula."
)
_FORMULA_START = ("=", "+", "-", "@")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XML (and so .xlsx) cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_MAX_ROWS = 1_048_576
_HEADER_FILL = "1F3A5F"


def to_excel(
    tables: Mapping[str, pd.DataFrame | pd.Series],
    path: str | os.PathLike,
    *,
    generated: object = None,
    source_files: Iterable[str | os.PathLike] | None = None,
    readable: bool = False,
) -> Path:
    r"""Write ``tables`` to a multi-sheet workbook with a README sheet first; return the path.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Sheet name to table, in the order the sheets should appear (e.g. ``deals``,
        ``deliveries``, ``shares per period``, ``yearly``, ``timelines``). Names are made
        valid for Excel (at most 31 characters, none of ``[]:*?/\``, unique ignoring case).
        A Series is written as a one-column table. A default ``RangeIndex`` is not written;
        any other index is written as leading columns.
    path : str or os.PathLike
        The ``.xlsx`` file to write (parent folders are created; an existing file is
        replaced).
    generated : str or datetime.date, optional
        The data's generated date for the README; defaults to the ``generated`` stamps found
        in the tables' ``attrs["source"]``.
    source_files : iterable of str or path, optional
        The SIPRI files the tables were made from, listed in the README by file name (no
        folders); defaults to the ``path`` entries of the tables' ``attrs["source"]``.
    readable : bool, default False
        For handing on: each sheet starts with the table's full title and its source line
        (file and generated date, from its ``attrs["source"]``), then headers in words with
        units (``TIV (millions)``, ``share (%)``); read such a sheet back with
        ``header=2``. By default the header is row 1 and holds the column names as given.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    TypeError
        If ``tables`` is not a mapping of frames.
    ValueError
        If a table has more rows than an Excel sheet holds.

    Examples
    --------
    >>> import tempfile
    >>> shares = pd.DataFrame({"supplier": ["Israel", "Russia"], "tiv": [1234.5, 300.0],
    ...                        "share": [80.45, 19.55]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = to_excel({"shares 2016-20": shares}, Path(tmp) / "tables.xlsx",
    ...                    generated="13 Apr 2024")
    ...     book = pd.read_excel(out, sheet_name=None)
    >>> list(book)
    ['README', 'shares 2016-20']
    >>> book["shares 2016-20"]["share"].tolist()
    [80.45, 19.55]
    """
    from openpyxl import Workbook

    if not isinstance(tables, Mapping):
        raise TypeError(f"tables must be a mapping of sheet name to DataFrame, not {tables!r}")
    frames: dict[str, pd.DataFrame] = {}
    taken = {README_SHEET.lower()}
    titles: dict[str, str] = {}
    for name, table in tables.items():
        if isinstance(table, pd.Series):
            table = table.to_frame()
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"table {name!r} must be a DataFrame, not {type(table).__name__}")
        if len(table) + 1 > _MAX_ROWS:
            raise ValueError(f"table {name!r} has {len(table):,} rows; a sheet holds 1,048,575")
        sheet = sheet_name(name, taken=taken)
        frames[sheet], titles[sheet] = table, str(name)
    generated = generated if generated is not None else _attr_values(tables, "generated")
    files = [str(f) for f in source_files] if source_files is not None else None
    if files is None:
        files = _attr_values(tables, "path", joined=False) or []
    # file names only: the folders they were read from are the builder's, not the reader's
    files = list(dict.fromkeys(Path(f).name or f for f in files))

    book = Workbook()
    readme = book.active
    readme.title = README_SHEET
    _write_readme(readme, frames, generated, files, titles)
    for name, frame in frames.items():
        top = [titles[name], _source_line(frame)] if readable else []
        _write_table(book.create_sheet(name), frame, top=top, labels=readable)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    log.info("wrote %d tables to %s", len(frames), path)
    return path


def sheet_name(name: object, *, taken: set[str] | None = None) -> str:
    r"""Return ``name`` made into a valid, unused Excel sheet name.

    Excel forbids ``[ ] : * ? / \``, names longer than 31 characters, names starting or
    ending with an apostrophe, empty names and the reserved name "History"; names are unique
    ignoring case. ``taken`` (lower-cased names already used) is updated in place.

    Parameters
    ----------
    name : object
        The wanted name (converted with ``str``).
    taken : set of str, optional
        Lower-cased names already in the workbook.

    Returns
    -------
    str

    Examples
    --------
    >>> sheet_name("shares 2016/20: Azerbaijan [by supplier]")
    'shares 2016_20_ Azerbaijan _by'
    >>> used = {"deals"}
    >>> sheet_name("Deals", taken=used), sorted(used)
    ('Deals (2)', ['deals', 'deals (2)'])
    """
    taken = set() if taken is None else taken
    base = _SHEET_BAD.sub("_", str(name)).strip().strip("'").strip() or "Sheet"
    if base.lower() == "history":
        base = "History_"
    base = _cut(base, 31)
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = _cut(base, 31 - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _cut(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters at a word boundary where there is one."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    return (head[:space] if space >= limit // 2 else text[:limit]).rstrip(" -,;_")


def _source_line(frame: pd.DataFrame) -> str:
    """Return "Source: ... (file X, data generated D)" from the table's ``attrs["source"]``."""
    source = getattr(frame, "attrs", {}).get("source")
    sources = [source] if isinstance(source, Mapping) else list(source or [])
    files = []
    for entry in sources:
        if isinstance(entry, Mapping) and entry.get("path"):
            made = generated_date(entry.get("generated")) or "an unknown date"
            files.append(f"{Path(str(entry['path'])).name}, data generated {made}")
    return f"Source: {_SOURCE}" + (f" ({'; '.join(files)})." if files else ".")


# ---------------------------------------------------------------------------------------------


def _write_readme(
    ws, frames: Mapping[str, pd.DataFrame], generated: object, files, titles=None
) -> None:
    from openpyxl.styles import Alignment, Font

    stamp = _text(generated) if generated is not None else "not recorded"
    citation = f"{CITATION}, data generated {stamp}."
    rows: list[tuple[str, str]] = [
        ("Source", _SOURCE),
        ("URL", _URL),
        ("Data generated", stamp),
        ("Source files", "; ".join(files) if files else "not recorded"),
        ("Cite as", citation),
        ("TIV caveat", TIV_CAVEAT),
        ("Terms of use", _TERMS),
        ("Conventions", _CONVENTIONS),
    ]
    ws["A1"] = "SIPRI arms transfers: tables"
    ws["A1"].font = Font(bold=True, size=14)
    for i, (key, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=key).font = Font(bold=True)
        _set(ws.cell(row=i, column=2), value)
    start = len(rows) + 4
    ws.cell(row=start, column=1, value="Sheet").font = Font(bold=True)
    ws.cell(row=start, column=2, value="Rows, columns").font = Font(bold=True)
    ws.cell(row=start, column=3, value="Full title").font = Font(bold=True)
    for i, (name, frame) in enumerate(frames.items(), start=start + 1):
        _set(ws.cell(row=i, column=1), name)
        columns = ", ".join(map(str, _flat(frame).columns))
        _set(ws.cell(row=i, column=2), f"{len(frame):,} rows: {columns}")
        _set(ws.cell(row=i, column=3), (titles or {}).get(name, name))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 60


def _write_table(ws, frame: pd.DataFrame, *, top: Sequence[str] = (), labels=False) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    frame = _flat(frame)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    header_border = Border(bottom=Side(style="thin", color="000000"))
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center")
    ncols = frame.shape[1]
    for i, line in enumerate(top, start=1):  # the title, the source line
        _set(ws.cell(row=i, column=1), line)
        ws.cell(row=i, column=1).font = Font(bold=i == 1, italic=i > 1)
    head = len(top) + 1
    for j, column in enumerate(frame.columns, start=1):
        cell = ws.cell(row=head, column=j)
        _set(cell, column_label(column) if labels else str(column))
        cell.font, cell.fill, cell.border = header_font, header_fill, header_border
        cell.alignment = header_align
        note = _header_note(str(column))
        if note:  # the unit travels with the column, also when the sheet is copied alone
            cell.comment = Comment(note, "arms")
    for j, column in enumerate(frame.columns, start=1):
        values = _cell_values(frame.iloc[:, j - 1])
        fmt = _number_format(str(column), frame.iloc[:, j - 1])
        is_bool = pd.api.types.is_bool_dtype(frame.iloc[:, j - 1].dtype)
        width = min(len(column_label(column) if labels else str(column)), 24)
        for i, value in enumerate(values, start=head + 1):
            cell = ws.cell(row=i, column=j)
            _set(cell, value)
            if value is None:
                continue
            if fmt and isinstance(value, Real | dt.date) and not isinstance(value, bool):
                cell.number_format = fmt
            if is_bool or isinstance(value, bool):
                cell.alignment = centre
            if i <= head + 1000:  # fit the width on the first thousand rows
                width = max(width, _display_width(value, fmt))
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = f"A{head + 1}"
    if ncols:
        ws.auto_filter.ref = f"A{head}:{get_column_letter(ncols)}{len(frame) + head}"
    ws.row_dimensions[head].height = 30


def _set(cell, value: Any) -> None:
    """Assign ``value``; text that looks like a formula stays text."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        cell.value = value
        if value.startswith(_FORMULA_START):
            cell.data_type = "s"  # openpyxl would have made it a formula ("f")
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return
    cell.value = value


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with index columns written out and flat string column names."""
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None):
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.set_axis(
            [" / ".join(str(p) for p in c if str(p) != "") for c in frame.columns], axis=1
        )
    return frame


def _cell_values(series: pd.Series) -> list[Any]:
    """Return the column as plain Python values openpyxl can write."""
    return [_cell_value(v) for v in series.astype(object).tolist()]


def _cell_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value):
            return None
        return value if math.isfinite(value) else str(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date | str):
        return value
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        items = sorted(value) if isinstance(value, set | frozenset) else list(value)
        text = "; ".join(_text(v) for v in items if _cell_value(v) is not None)
        return text or None
    return str(value)


def _header_note(column: str) -> str | None:
    """Return the unit note for a column header (``tiv*``, ``share*``), if any."""
    name = column.lower()
    if name.startswith("tiv"):
        return "SIPRI TIV (millions; volume, not US$): a volume index, never money."
    if name.startswith("share") or name.endswith("_share"):
        return "Percent (0-100) of the SIPRI TIV in the same table."
    return None


def _number_format(column: str, series: pd.Series) -> str | None:
    name = column.lower()
    if name.startswith("tiv"):
        return TIV_FORMAT
    if name.startswith("share"):
        return SHARE_FORMAT
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _DATETIME_FORMAT
    if pd.api.types.is_float_dtype(series.dtype):
        return _FLOAT_FORMAT  # shown rounded, stored in full
    return None


def _display_width(value: Any, fmt: str | None) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, Real) and fmt in (TIV_FORMAT, SHARE_FORMAT):
        return len(f"{value:.2f}") + 1
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _attr_values(
    tables: Mapping[str, Any], key: str, *, joined: bool = True
) -> str | list[str] | None:
    """Collect ``attrs["source"][key]`` over the tables (sources may be a dict or a list)."""
    found: list[str] = []
    for table in tables.values():
        source = getattr(table, "attrs", {}).get("source")
        sources: Sequence[Any] = [source] if isinstance(source, Mapping) else source or []
        if isinstance(sources, str):
            continue
        for entry in sources:
            if isinstance(entry, Mapping) and entry.get(key) is not None:
                text = _text(entry[key])
                if text not in found:
                    found.append(text)
    if not found:
        return None
    return "; ".join(found) if joined else found
