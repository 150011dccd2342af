"""Registers (V1, V2, V7, V8, V9) -> the canonical deals and deliveries frames.

One converter per variant turns the fields of each record into canonical columns. SIPRI's
format quirks are repaired here, once: designations lose the trailing ``" -"`` of the
deliveries exports, ``Air-defence`` is spelled as :data:`arms.categories.CATEGORIES` spells it,
V8's ``"2009 - 2011"`` ranges become the years they cover with the uncertainty flag in
``delivery_years_estimated``, and the preamble's query becomes ``supplier_scope`` and
``recipient_scope`` in ``attrs["source"]``.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from arms import schema
from arms.categories import normalize_category
from arms.errors import SipriFormatError
from arms.io.cells import STATUS, YEARS, Cells, Rejects, plausible, strip_dash
from arms.io.fastpath import NotClean, fast_chunks, unescape
from arms.io.formats import VARIANTS
from arms.io.preamble import scope
from arms.io.records import read_records
from arms.io.sources import Source

__all__ = ["provenance", "read_register", "wrong_reader"]


def wrong_reader(src: Source, reader: str) -> SipriFormatError:
    """Return the error for a file of a kind ``reader`` cannot read, naming the right reader."""
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


def provenance(src: Source, records: int) -> dict:
    """Return ``attrs["source"]``: where the frame comes from and what the preamble says.

    ``supplier_scope`` and ``recipient_scope`` are the parties the query was limited to
    (``"China"``), ``None`` for every country (or a file with no query sentence).
    """
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
        "supplier_scope": scope(meta.get("supplier")),
        "recipient_scope": scope(meta.get("recipient")),
        "range": meta.get("range"),
        "year_from": meta.get("year_from"),
        "year_to": meta.get("year_to"),
        "records": records,
        "renamed_columns": dict(info.renamed),
        "sheets": [s["sheet"] for s in src.sheets],
    }


def read_register(src: Source, *, errors: str, want: str) -> pd.DataFrame:
    """Return a register's native frame (deals for V1/V8, deliveries for V2/V7/V9).

    ``want`` names the frame the caller asked for, for the message when ``src`` is a table.
    The fast path is tried first; any irregularity sends the file down the careful path.
    """
    info = src.info
    if info.kind == "tiv":
        raise wrong_reader(src, "read_trade_register" if want == "deals" else "read_deliveries")
    rejects = Rejects(errors, info.path)
    warn_list: list = []
    if info.variant == "V9":
        frame = _v9(src.records, rejects, warn_list)
    else:

        def convert(columns, lines, row_text, stripped=False, escaped=False) -> pd.DataFrame:
            c = Cells(
                columns,
                lines,
                row_text,
                decimal_comma=info.decimal_comma,
                dot_thousands=info.dot_thousands,
                stripped=stripped,
                decode=unescape if escaped else None,
            )
            if info.variant == "V1":
                frame = _v1(c, rejects)
            elif info.variant == "V8":
                frame = _v8(c, rejects, warn_list)
            else:
                frame = _v2(c, rejects)
            notes.extend(c.notes)
            return frame

        frame, notes = None, []
        chunks = fast_chunks(src)
        if chunks is not None:
            try:
                parts = [convert(*chunk) for chunk in chunks]
            except NotClean:
                rejects.items.clear()  # start again, line by line
                notes.clear()
            else:
                frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        if frame is None:
            frame = convert(*read_records(src, rejects))
        if notes:
            warnings.warn(
                f"{info.path}: {len(notes)} row(s) have a number for a designation (a "
                "spreadsheet's doing?); they are kept and listed in attrs['warnings']",
                stacklevel=3,
            )
            warn_list.extend(notes)
    kind = info.kind
    frame = schema.conform(frame, kind)
    frame.attrs["source"] = provenance(src, len(frame) + len(rejects.items))
    frame.attrs["warnings"] = warn_list
    parts = src.parts or [{"header_line": info.header_line, "first_line": info.header_line + 1}]
    for part in parts:  # a workbook's parts are its sheets
        sheet = [s["sheet"] for s in src.sheets if s["first_line"] <= part["header_line"]]
        if sheet:
            part["sheet"] = sheet[-1]
    frame.attrs["parts"] = parts
    if len(parts) > 1:
        _flag_duplicates(frame, parts, warn_list)
    rejects.finish(frame)
    return frame


def _flag_duplicates(frame: pd.DataFrame, parts: list, warn_list: list) -> None:
    """Warn of each row of a later part repeating a row of an earlier part.

    A file joining several downloads (``parts``) repeats the deals they share. Rows equal
    within one download are SIPRI's own (a register lists some deals twice) and are not
    flagged.
    """
    values = frame.drop(columns=["source_line"], errors="ignore").astype("string").fillna("")
    # each row's group of equal rows, and the part each row and each group first appear in
    group = values.groupby(list(values.columns), sort=False, dropna=False).ngroup().to_numpy()
    lines = frame["source_line"].to_numpy(dtype=np.int64)
    starts = sorted(part["header_line"] for part in parts)
    part = np.searchsorted(starts, lines, side="right") - 1
    _, first = np.unique(group, return_index=True)  # (rows are in file order)
    repeated = part > part[first[group]]
    if not repeated.any():
        return
    warnings.warn(
        f"{frame.attrs['source']['path']}: {int(repeated.sum())} row(s) repeat rows of an "
        "earlier part (the file joins several downloads); they are kept and listed in "
        "attrs['warnings'], so totals count them twice unless you drop them",
        stacklevel=4,
    )
    for idx in np.flatnonzero(repeated).tolist():
        earlier = lines[first[group[idx]]]
        reason = f"duplicate of line {earlier} (the file joins downloads)"
        warn_list.append({"line": int(lines[idx]), "reason": reason, "text": ""})


_RE_V1_YEARS = re.compile(r"\d{4}(?:\s*;\s*\d{4})*", re.ASCII)
#: Distinct cells of ``Year(s) of delivery``, one a line, all as SIPRI writes them: nothing,
#: or 4-digit years separated by ``"; "``.
_RE_SIPRI_YEAR_LISTS = re.compile(r"(?:(?:\d{4}(?:; \d{4})*)?\n)*", re.ASCII)
_RE_V8_YEARS = re.compile(r"(\d{1,4})\s*-\s*(\d{1,4})")


def _v1_years(c: Cells) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (normalised list, first year, last year) of V1's ``Year(s) of delivery``."""
    codes, uniques = c.codes("delivery_years")
    lines = "\n".join(uniques) + "\n"
    if lines.count("\n") == len(uniques) and _RE_SIPRI_YEAR_LISTS.fullmatch(lines):
        texts, first, last = _sipri_year_lists(uniques, lines)
    else:
        texts, first, last = _loose_year_lists(uniques)
    low, high = YEARS
    missing = first < 0
    wrong = ~missing & ((first < low) | (last > high))
    if wrong.any():
        c.mark(
            wrong[codes],
            "delivery_years",
            f"expected years ({low}-{high}) like '2019' or '2019; 2020' or nothing",
        )
        texts = [None if w else t for t, w in zip(texts, wrong.tolist(), strict=True)]
    missing |= wrong
    return (
        pd.Series(pd.array(texts, dtype="string").take(codes)),
        pd.Series(pd.arrays.IntegerArray(first, missing).take(codes)),
        pd.Series(pd.arrays.IntegerArray(last, missing).take(codes)),
    )


def _sipri_year_lists(uniques: list[str], lines: str):
    """Return (texts, first, last) for cells all in SIPRI's form (``lines``: one a line).

    A cell's text is itself (SIPRI's list is the normal form); its years are read from the
    bytes by numpy; -1 stands for no year. Each year is 4 digits at 6-character steps.
    """
    data = np.frombuffer(lines.encode("ascii"), dtype=np.uint8).astype(np.int64) - 48
    lengths = np.fromiter(map(len, uniques), dtype=np.int64, count=len(uniques))
    offsets = np.cumsum(lengths + 1) - (lengths + 1)
    counts = (lengths + 2) // 6  # years in each cell: 0 for an empty one
    before = np.cumsum(counts) - counts  # years in the cells before
    owner = np.repeat(np.arange(len(uniques)), counts)
    at = offsets[owner] + 6 * (np.arange(int(counts.sum())) - before[owner])
    years = data[at] * 1000 + data[at + 1] * 100 + data[at + 2] * 10 + data[at + 3]
    first = np.full(len(uniques), -1, dtype=np.int64)
    last = first.copy()
    full = counts > 0
    if full.any():
        first[full] = np.minimum.reduceat(years, before[full])
        last[full] = np.maximum.reduceat(years, before[full])
    return [u or None for u in uniques], first, last


def _loose_year_lists(uniques: list[str]):
    """Return (texts, first, last) for cells in any form (-1: no year or not a list).

    SIPRI's ``"2019; 2020"`` and looser spacing (``"2019;2020"``) are lists of years; a cell
    that is neither gets year 0, which is out of range and rejected.
    """
    texts, first, last = [], [], []
    for u in uniques:
        if not u:
            years = []
        elif _RE_V1_YEARS.fullmatch(u):
            years = re.findall(r"\d{4}", u)
        else:
            texts.append(None)
            first.append(0)
            last.append(0)
            continue
        texts.append("; ".join(years) or None)
        # 4-digit years compare as text as they do as numbers
        first.append(int(min(years)) if years else -1)
        last.append(int(max(years)) if years else -1)
    return texts, np.array(first, dtype=np.int64), np.array(last, dtype=np.int64)


def _v1(c: Cells, rejects) -> pd.DataFrame:
    q = ("?",)
    number_ordered = c.number("number_ordered", integer=True)
    tiv_order = c.number("tiv_order")
    delivery_years, first, last = _v1_years(c)
    frame = {
        "recipient": c.text("recipient"),
        "supplier": c.text("supplier"),
        "order_year": c.number("order_year", year=True),
        "order_year_estimated": c.flag("order_year_flag", q, (), False),
        "number_ordered": number_ordered,
        "number_ordered_estimated": c.flag("number_ordered_flag", q, (), False),
        "designation": c.designation("designation"),
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
    return c.finish(frame, rejects, "deals")


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


def _v8_listed(u: str) -> str | None:
    """Return a V8 cell's years as ``"2009; 2010"`` (a garbled start: the last year only)."""
    first, last, _ = _v8_range(u)
    if last is None:
        return None
    if first is None:
        return str(last)
    if _RE_V8_YEARS.fullmatch(u):
        if last - first >= 100:  # not a range of delivery years: keep the end only
            return str(last)
        return "; ".join(str(y) for y in range(first, last + 1))
    return "; ".join(str(y) for y in sorted({int(y) for y in re.findall(r"\d{4}", u)}))


def _v8(c: Cells, rejects, warn_list) -> pd.DataFrame:
    yes, no = ("yes",), ("no",)
    expected = "a range like '2009 - 2010' or nothing"
    first = c.convert("delivery_years", lambda u: _v8_range(u)[0], expected, "Int64")
    last = c.convert("delivery_years", lambda u: _v8_range(u)[1], expected, "Int64")
    garbled = c.convert("delivery_years", lambda u: _v8_range(u)[2], expected, "boolean")
    # the range as the years it covers, listed as V1 lists them ("2009; 2010; 2011")
    years = c.convert("delivery_years", _v8_listed, expected, "string")
    raw = c.convert(
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
                "text": raw.iloc[idx],
            }
        )
    number_delivered_estimated = c.flag("number_delivered_flag", yes, no, False)
    frame = {
        "deal_id": c.number("deal_id", integer=True),
        "recipient": c.text("recipient"),
        "supplier": c.text("supplier"),
        "order_year": c.number("order_year", year=True),
        "order_year_estimated": c.flag("order_year_flag", yes, no, False),
        "number_ordered": c.number("number_ordered", integer=True),
        "number_ordered_estimated": c.flag("number_ordered_flag", yes, no, False),
        "designation": c.designation("designation"),
        "description": c.text("description"),
        "number_delivered": c.number("number_delivered", integer=True),
        "number_delivered_estimated": number_delivered_estimated,
        "delivery_years": years,
        # V8's flag reads "Year(s) of delivery or no. delivered data uncertain"
        "delivery_years_estimated": number_delivered_estimated.where(years.notna()),
        "first_delivery_year": first,
        "last_delivery_year": last,
        "status": c.status("status"),
        "status_estimated": c.flag("status_flag", yes, no, False),
        "local_production": c.flag("local_production", yes, no, False),
        "comments": c.text("comments"),
    }
    return c.finish(frame, rejects, "deals")


def _v2(c: Cells, rejects) -> pd.DataFrame:
    yes, no = ("yes",), ("no",)
    frame = {
        "deal_id": c.number("deal_id", integer=True),
        "recipient": c.text("recipient"),
        "supplier": c.text("supplier"),
        "designation": c.designation("designation"),
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
    c.number("tiv_per_unit_new")  # validated, not kept: the deal's own unit TIV is
    c.mark(frame["deal_id"].isna().to_numpy(), "deal_id", "a deal id is required")
    c.mark(frame["year"].isna().to_numpy(), "year", "a delivery year is required")
    frame["allocation"] = pd.Series(["sipri"] * c.size, dtype="string")
    return c.finish(frame, rejects, "deliveries")


_V9_KEYS = ("tradeId", "buyer", "seller", "deliveryYr")


def _v9(records: list, rejects: Rejects, warn_list: list) -> pd.DataFrame:
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

    def ints(col: str, *, required: bool, kind: str) -> pd.Series:
        # the same definition as the CSV readers: a whole JSON number or digits, plausible
        def one(v):
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                return None
            if isinstance(v, bool) or not isinstance(v, int | float | str):
                raise ValueError(v)
            if isinstance(v, str):
                if not re.fullmatch(r"\d{1,9}", v.strip()):
                    raise ValueError(v)
                v = int(v.strip())
            if isinstance(v, float):
                if not v.is_integer():
                    raise ValueError(v)
                v = int(v)
            if kind == "year" and v == 0:
                return 0  # the backend's "none": read as missing by the caller
            if not plausible(v, kind):
                raise ValueError(v)
            return v

        out, wrong = [], []
        for v in raw[col]:
            try:
                out.append(one(v))
                wrong.append(required and out[-1] is None)
            except (ValueError, OverflowError):
                out.append(None)
                wrong.append(True)
        if kind == "year":
            zero = [i for i, v in enumerate(out) if v == 0]
            for i in zero:
                out[i] = None
            if zero and col == "deliveryYr":
                warn_list.extend(
                    {
                        "record": keep[i] + 1,
                        "line": None,
                        "reason": "deliveryYr 0 (the backend's 'no year'): read as missing",
                        "text": "",
                    }
                    for i in zero
                    if not wrong[i]
                )
        what = {"year": "a year 1900-2100", "count": "a whole number 0-1,000,000"}.get(
            kind, "a whole number"
        )
        reject(np.asarray(wrong, dtype=bool), f"{col!r} must be {what}")
        return pd.Series(pd.array(out, dtype="Int64"), index=raw.index)

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
    status = status_code.str.lower().map(STATUS).astype("string")
    reject(
        (status.isna() & status_code.notna()).to_numpy(dtype=bool),
        "'status' must be N, S or R (new, second hand, second hand but modernized)",
    )
    frame = pd.DataFrame(
        {
            "deal_id": ints("tradeId", required=True, kind="id"),
            "recipient": text("buyer"),
            "supplier": text("seller"),
            "order_year": ints("orderYr", required=False, kind="year"),
            "order_year_estimated": bools("orderYrEst"),
            "designation": _designation(text("desg")),
            "description": text("desc"),
            "category": _category(text("category")),
            "status": status,
            "year": ints("deliveryYr", required=True, kind="year"),
            "units": ints("units", required=False, kind="count"),
            "units_estimated": bools("unitsEst"),
            "allocation": "sipri",
        }
    )
    frame["source_line"] = pd.array(np.asarray(keep) + 1, dtype="Int64")  # record number
    return frame.loc[~bad].reset_index(drop=True)


def _category(s: pd.Series) -> pd.Series:
    # A Feb 2026 export spells it "Air-defence systems"; one vocabulary downstream, the one
    # arms.categories keeps. Each distinct value is respelled once.
    codes, uniques = pd.factorize(s)
    spelled = pd.array([normalize_category(u) for u in uniques], dtype="string")
    return pd.Series(spelled.take(codes, allow_fill=True), copy=False)


def _designation(s: pd.Series) -> pd.Series:
    # SIPRI's deliveries exports end some designations with " -": only those are touched
    ends = s.str.endswith("-").fillna(False).to_numpy(dtype=bool)
    if not ends.any():
        return s
    out = s.copy()
    out[ends] = [strip_dash(v) for v in s[ends]]
    return out
