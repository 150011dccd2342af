"""Read any SIPRI export into the canonical frames of :mod:`arms.schema`.

Three readers, one per frame, each accepting every variant that can yield its frame:

- :func:`read_trade_register` -> deals (V1, V8; V2/V7/V9 are grouped into deals);
- :func:`read_deliveries` -> deliveries (V2, V7, V9; V1/V8 registers are split evenly
  across their listed years and marked ``allocation="even"``);
- :func:`read_tiv_table` -> tiv (V3, V4, V5, V6).

Every input record ends up in the frame or in ``attrs["rejected"]`` (with its line number,
the reason and the text); with ``errors="raise"`` (the default) the first unreadable line
raises :class:`arms.SipriFormatError` instead.

The work is done in one module per job: :mod:`arms.io.sources` (bytes to a decoded
:class:`~arms.io.sources.Source`), :mod:`arms.io.cells` (per-value parsing),
:mod:`arms.io.fastpath` and :mod:`arms.io.records` (records of fields),
:mod:`arms.io.registers` (registers to frames), :mod:`arms.io.tables` (TIV tables) and
:mod:`arms.io.convert` (the even split and the grouping, also public in :mod:`arms.frames`).
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from arms.io.cells import check_errors
from arms.io.convert import group_deliveries, split_deals
from arms.io.registers import read_register, wrong_reader
from arms.io.sources import Source, load_source, reading
from arms.io.tables import read_table

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
    src = _load(path, errors)
    with reading(path):
        frame = read_register(src, errors=errors, want="deals")
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
    src = _load(path, errors)
    with reading(path):
        frame = read_register(src, errors=errors, want="deliveries")
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
        raise wrong_reader(src, "read_tiv_table")
    with reading(path):
        return read_table(src, errors)


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
    >>> from arms import schema
    >>> list(read_any(p).columns) == list(schema.TIV)
    True
    """
    return read_source(_load(path, errors), errors=errors)


def read_source(src: Source, *, errors: str = "raise") -> pd.DataFrame:
    """Return the native frame of a file already loaded with :func:`arms.io.sources.load_source`.

    For callers that need both the file's :class:`~arms.io.formats.FormatInfo` and its frame
    (``arms inspect``), so the file is read and decoded once.
    """
    check_errors(errors)
    with reading(src.info.path):
        if src.info.kind == "tiv":
            return read_table(src, errors)
        return read_register(src, errors=errors, want=src.info.kind)


def _load(path, errors: str) -> Source:
    check_errors(errors)
    return load_source(path)


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
