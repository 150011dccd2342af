"""Per-value parsing of SIPRI cells: numbers, years, flags, statuses, text; bad cells by row.

:class:`Cells` converts the columns of one chunk of records; :class:`Rejects` collects the
records that could not be read (or raises on the first, with ``errors="raise"``).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from arms.errors import SipriFormatError
from arms.schema import conform

__all__ = [
    "DECIMALS", "ERRORS", "INT_DIGITS", "MAX_COUNT", "MAX_TIV", "RE_NUM", "STATUS",
    "WHOLE_DIGITS", "YEARS", "Cells", "Rejects", "check_errors", "number_text", "plausible",
    "strip_dash",
]  # fmt: skip

#: The values a reader's ``errors=`` accepts.
ERRORS = ("raise", "warn")

#: Every status spelling SIPRI has used, mapped onto :data:`arms.schema.STATUSES`.
STATUS = {
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

# The one definition of a number, for the fast and the careful path, CSV, XLSX and JSON
# (FORMATS.md): digits, at most one decimal point, no sign, exponent or thousands separator;
# short enough never to overflow.
#: Digits a number may have before and after its decimal point, and digits of a whole number
#: (the fast path's byte check, arms.io.fastpath, applies the same limits).
INT_DIGITS, DECIMALS, WHOLE_DIGITS = 12, 6, 9
_RE_INT = rf"\d{{1,{WHOLE_DIGITS}}}"
_RE_YEAR = r"\d{4}"
#: A non-negative decimal number as SIPRI writes it.
RE_NUM = rf"\d{{1,{INT_DIGITS}}}(?:\.\d{{1,{DECIMALS}}})?"
#: Plausible values: outside them a row is refused (years, counts of weapons, TIV millions).
YEARS = (1900, 2100)
MAX_COUNT = 1_000_000
MAX_TIV = 1_000_000.0

# SIPRI's deliveries exports end some designations with " -" or " --" (an empty variant
# field); the designation is the same weapon without it.
_DASH_SUFFIX = re.compile(r"(?:\s+-+)+\s*$")


def check_errors(errors: str) -> None:
    """Raise ValueError unless ``errors`` is one of :data:`ERRORS`.

    Examples
    --------
    >>> check_errors("warn")
    """
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {ERRORS}, not {errors!r}")


def strip_dash(text):
    """Return a designation without SIPRI's trailing ``" -"`` (other values unchanged).

    Examples
    --------
    >>> strip_dash("Marauder -"), strip_dash("Su-30K"), strip_dash("T-72 --")
    ('Marauder', 'Su-30K', 'T-72')
    """
    if isinstance(text, str) and text.endswith("-"):
        return _DASH_SUFFIX.sub("", text) or text
    return text


@dataclass
class Rejects:
    """The records a reader could not read: raised at once, or kept for ``attrs["rejected"]``.

    Parameters
    ----------
    errors : {"raise", "warn"}
        What :meth:`add` does.
    path : str
        The file, for messages.
    """

    errors: str
    path: str
    items: list = field(default_factory=list)

    def add(self, line: int | None, reason: str, text: str, *, record: int | None = None) -> None:
        """Reject one input record: raise, or keep it for ``attrs["rejected"]``.

        ``record`` numbers the element of a JSON array, which has no line of its own.
        """
        if self.errors == "raise":
            shown = text if len(text) <= 80 else text[:77] + "..."
            raise SipriFormatError(f"{reason}; found: {shown!r}", path=self.path, line=line)
        item = {"line": line, "reason": reason, "text": text}
        if record is not None:
            item["record"] = record
        self.items.append(item)

    def finish(self, frame: pd.DataFrame) -> None:
        """Put the rejected records in ``frame.attrs["rejected"]``; warn once if any."""
        self.items.sort(key=lambda r: r["line"] or r.get("record") or 0)
        frame.attrs["rejected"] = self.items
        if self.items:
            warnings.warn(
                f"{self.path}: {len(self.items)} line(s) could not be read and were left out "
                "(see attrs['rejected'])",
                stacklevel=4,
            )


# --------------------------------------------------------------------------------------
# cell conversion (vectorised; bad cells collected per row)


class Cells:
    """Column-wise conversion of text columns, recording bad cells by row.

    Each column is factorised once and every check and conversion runs on its distinct
    values only (a register of 28,000 deals has a few thousand distinct TIVs and year
    lists), which keeps the reader close to the C parser's speed.
    """

    def __init__(
        self,
        columns: dict[str, np.ndarray],
        lines,
        row_text,
        *,
        decimal_comma=False,
        dot_thousands=False,
        stripped=False,
        decode=None,
    ):
        self.decimal_comma = decimal_comma  # ';' and tab files: "0,15" is 0.15
        self.dot_thousands = dot_thousands  # ';' and tab copies: "1.000" a thousand, or one?
        self.stripped = stripped  # the fast path: text cells stripped, empty ones NaN
        self.decode = decode  # the fast path: decodes a distinct value read as escaped bytes
        self.cols = columns
        self.size = len(lines)
        self.lines = np.asarray(lines, dtype=np.int64)
        self.row_text = row_text
        self.bad = np.zeros(self.size, dtype=bool)
        self.reasons: dict[int, str] = {}
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}
        #: rows kept but worth a word (``attrs["warnings"]``): line, reason, text
        self.notes: list[dict] = []

    def codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Return the column's codes and its distinct values, stripped."""
        if name not in self._codes:
            codes, uniques = pd.factorize(self.cols[name])
            fix = self.decode
            values = [
                (u if fix is None or u.isascii() else fix(u)).strip() if isinstance(u, str) else ""
                for u in uniques
            ]
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
            if not self.stripped:
                col = [(v.strip() or None) if isinstance(v, str) else None for v in col]
            return pd.Series(pd.array(col, dtype="string"), copy=False)
        codes, uniques = self.codes(name)
        values = pd.array([u or None for u in uniques], dtype="string")
        return pd.Series(values.take(codes), copy=False)

    def designation(self, name: str) -> pd.Series:
        """Return a designation column: text, without SIPRI's trailing ``" -"``.

        Each distinct value is cleaned once (:func:`strip_dash`).
        """
        codes, uniques = self.codes(name)
        # (a call only for the few ending in "-": there are thousands of distinct designations)
        values = [strip_dash(u) if u.endswith("-") else (u or None) for u in uniques]
        # no SIPRI designation is a number: a spreadsheet read one as a number ("57E6", the
        # Pantsir's system, becomes 57000000 or 5.70E+07), which the copy cannot undo
        numeric = [
            i for i, u in enumerate(uniques) if u[:1].isdigit() and _RE_NUMBERLIKE.fullmatch(u)
        ]
        for i in np.flatnonzero(np.isin(codes, numeric)).tolist() if numeric else ():
            self.notes.append(
                {
                    "line": int(self.lines[i]),
                    "reason": f"designation {uniques[codes[i]]!r} is a number: a spreadsheet "
                    "may have read a designation such as 57E6 as one; check the original export",
                    "text": "",
                }
            )
        return pd.Series(pd.array(values, dtype="string").take(codes), copy=False)

    def number(self, name: str, *, integer: bool = False, year: bool = False) -> pd.Series:
        """Return a number column (``Int64`` for ``integer``/``year``, else ``Float64``).

        Every path hands text here, and each distinct value is checked once against the one
        definition (:data:`RE_NUM`, :func:`plausible`).
        """
        kind = "id" if name == "deal_id" else "year" if year else "count" if integer else "tiv"
        col = self.cols[name]
        if col.dtype.kind == "f":  # the fast path: the C parser converted clean text
            return self._number_parsed(name, col, integer=integer or year, kind=kind)
        pattern = re.compile(_RE_YEAR if year else _RE_INT if integer else RE_NUM)
        cast = int if (integer or year) else float
        decimal_comma = self.decimal_comma and not (integer or year)
        dot_thousands = self.dot_thousands and not (integer or year)

        def fn(u: str):
            if u == "":
                return None
            u = number_text(u, pattern, decimal_comma=decimal_comma, dot_thousands=dot_thousands)
            value = cast(u)
            if not plausible(value, kind):
                raise ValueError(u)
            return value

        expected = (
            f"a 4-digit year ({YEARS[0]}-{YEARS[1]})"
            if year
            else f"a whole number up to {MAX_COUNT:,}"
            if integer
            else f"a number up to {MAX_TIV:,.0f} (no sign, exponent or thousands separator)"
        )
        if decimal_comma:
            expected = expected[:-1] + "; '0,15' is read as 0.15)"
        return self.convert(
            name, fn, expected + " or nothing", "Int64" if cast is int else "Float64"
        )

    def _number_parsed(self, name, col: np.ndarray, *, integer: bool, kind: str) -> pd.Series:
        """Check numbers the C parser converted (NaN: empty cell) by the same rules."""
        low, high = {"year": YEARS, "count": (0, MAX_COUNT), "tiv": (0, MAX_TIV)}.get(
            kind, (0, 999_999_999)
        )
        missing = np.isnan(col)
        with np.errstate(invalid="ignore"):
            wrong = ~np.isfinite(col) | (col < low) | (col > high)
            if integer:
                wrong |= np.mod(col, 1) != 0
            wrong &= ~missing
        if wrong.any():
            for idx in np.flatnonzero(wrong & ~self.bad):
                self.reasons[idx] = (
                    f"column {name!r}: expected a plausible {kind} ({low:,}-{high:,}) or "
                    f"nothing, found {col[idx]:g}"
                )
            self.bad |= wrong
            missing = missing | wrong
        # the masked arrays built from values and mask (pd.array would look at each value)
        if integer:
            array = pd.arrays.IntegerArray(np.where(missing, 0, col).astype(np.int64), missing)
        else:
            array = pd.arrays.FloatingArray(np.where(missing, 0.0, col), missing)
        return pd.Series(array, copy=False)

    def flag(self, name: str, truthy: tuple[str, ...], falsy: tuple[str, ...], empty) -> pd.Series:
        """Return a ``boolean`` column from marker text; ``empty`` for an empty cell.

        The fast path hands V1's ``?`` markers over as booleans already (``?`` true).
        """
        col = self.cols[name]
        if col.dtype == bool and truthy == ("?",) and not falsy:
            return pd.Series(pd.array(col | bool(empty), dtype="boolean"), copy=False)

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
        """Return a status column in :data:`arms.schema.STATUSES` spelling."""

        def fn(u: str):
            if u == "":
                return None
            return STATUS[u.lower()] if u.lower() in STATUS else _raise(u)

        return self.convert(name, fn, "a SIPRI status (New, Second hand, ...)", "string")

    def mark(self, mask, name: str, expected: str) -> None:
        """Reject the rows where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        for idx in np.flatnonzero(mask & ~self.bad):
            self.reasons[idx] = f"column {name!r}: {expected}"
        self.bad |= mask

    def finish(self, columns: dict[str, pd.Series], rejects: Rejects, kind: str) -> pd.DataFrame:
        """Report bad rows to ``rejects``; return the good rows as the canonical ``kind`` frame.

        The frame is built once, from the converted columns and ``source_line``, by
        :func:`arms.schema.conform` (one pandas construction a chunk).
        """
        for idx in sorted(self.reasons):
            rejects.add(int(self.lines[idx]), self.reasons[idx], self.row_text(idx))
        columns = {name: col.array for name, col in columns.items()}
        lines = self.lines
        if self.bad.any():
            good = ~self.bad
            columns = {name: col[good] for name, col in columns.items()}
            lines = lines[good]
        columns["source_line"] = pd.arrays.IntegerArray(lines, np.zeros(len(lines), dtype=bool))
        return conform(columns, kind)


_RE_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
# a number as a spreadsheet writes it back: "57000000", "57000000.0", "5.70E+07" (not the
# designation "57E6" itself)
_RE_NUMBERLIKE = re.compile(r"\d+(?:[.,]\d+)?|\d[.,]\d+E[+-]\d+", re.I)
_RE_DECIMAL_COMMA = re.compile(rf"\d{{1,{INT_DIGITS}}},\d{{1,{DECIMALS}}}")
_RE_NUM = re.compile(RE_NUM)


def number_text(
    text: str, pattern: re.Pattern = _RE_NUM, *, decimal_comma=False, dot_thousands=False
) -> str:
    """Return a number's text as Python reads it; ValueError unless it is a number.

    A number matches ``pattern`` (:data:`RE_NUM` unless told). A copy a spreadsheet saved
    with ``;`` or tabs may write numbers the European way: with ``decimal_comma``, ``"0,15"``
    is 0.15; with ``dot_thousands``, ``"1.000"`` (a thousand, or one?) is refused.

    Examples
    --------
    >>> number_text("47.5"), number_text("0,15", decimal_comma=True)
    ('47.5', '0.15')
    >>> number_text("1.000", dot_thousands=True)
    Traceback (most recent call last):
    ...
    ValueError: 1.000
    """
    if dot_thousands and _RE_THOUSANDS.fullmatch(text):
        raise ValueError(text)
    if decimal_comma and _RE_DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if not pattern.fullmatch(text):
        raise ValueError(text)
    return text


def plausible(value, kind: str) -> bool:
    """Return whether a number is a plausible ``year``, ``count`` or ``tiv`` value.

    Examples
    --------
    >>> plausible(2019, "year"), plausible(20199, "year"), plausible(-3, "count")
    (True, False, False)
    """
    if kind == "year":
        return YEARS[0] <= value <= YEARS[1]
    if kind == "count":
        return 0 <= value <= MAX_COUNT
    if kind == "tiv":
        return 0 <= value <= MAX_TIV
    return value >= 0


def _raise(value):
    raise ValueError(value)
