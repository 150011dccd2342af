"""Supplier shares of a recipient's deliveries, per window and per period.

Every function takes a canonical *deliveries* frame (one row per deal and year; split a
trade register first with ``arms.split_deals``). "Delivered TIV over a window" sums the
per-year TIV of the deliveries whose year falls in the window, so deals that straddle the
window's edges count only their years inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from arms.analysis.conventions import DEFAULTS, apply_conventions
from arms.analysis.estimates import missing_flags
from arms.analysis.periods import resolve_periods
from arms.analysis.select import (
    Names,
    allocation_method,
    check_kind,
    display_name,
    group_labels,
    names_list,
    party_rows,
    percent,
    select_deliveries,
    source_of,
    sum_tiv,
    supplier_scope,
)
from arms.io.convert import SPLIT_ERROR

__all__ = [
    "compare_recipients",
    "concentration",
    "leading_supplier",
    "period_table",
    "supplier_shares",
]


def _read(frame: pd.DataFrame, local_production: bool, zero: float, estimated: bool):
    """Return the frame under the conventions asked for (itself under SIPRI's own)."""
    choice = {"local_production": local_production, "zero": zero, "estimated": estimated}
    if choice == DEFAULTS:
        return frame, choice
    return apply_conventions(frame, **choice), choice


def _notes(full: pd.DataFrame, method: str, choice: dict) -> dict:
    """Return the attrs every share carries: conventions, the split's error, missing flags."""
    missing = sorted(missing_flags(full))
    return {
        "conventions": choice,
        # shares from split years: the split rule's measured error (arms.split_deals)
        "split_error": dict(SPLIT_ERROR) if method == "even" else None,
        "missing_flags": missing,
        "estimated_lower_bound": bool(missing),
    }


def _sort_desc(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return frame.sort_values(["tiv", label], ascending=[False, True], ignore_index=True)


def supplier_shares(
    frame: pd.DataFrame,
    recipient: str,
    *,
    start: int,
    end: int,
    local_production: bool = True,
    zero: float = 0.0,
    estimated: bool = True,
) -> pd.DataFrame:
    """Return each supplier's share of a recipient's delivered TIV over a window.

    SIPRI's own figures (per-year deliveries, ``method="sipri"``) are exact; from a register
    the yearly split is even (``method="even"``) and the shares are an estimate whenever a
    deal straddles the window's edges.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient : str
        The importing party, as SIPRI names it (see the module notes on names).
    start, end : int
        First and last delivery year, inclusive.
    local_production : bool, default True
        False leaves out deliveries SIPRI marks as local production (licensed assembly).
    zero : {0.0, 0.25, 0.5}, default 0.0
        The TIV a SIPRI ``0`` (between 0 and 0.5 million) stands for.
    estimated : bool, default True
        False leaves out rows resting on SIPRI estimates (any ``?``).

    Returns
    -------
    pandas.DataFrame
        One row per supplier, largest first: ``supplier``, ``tiv``, ``share`` (percent of the
        recipient's total, Float64, summing to 100), ``tiv_estimated`` (the part of ``tiv``
        resting on estimated numbers or years) and ``estimated_share`` (that part as a percent
        of the supplier's ``tiv``). ``attrs``: ``method``, ``recipient``, ``start``, ``end``,
        ``total_tiv``, ``tiv_estimated``, ``estimated_share`` (percent of the total),
        ``source`` and ``supplier_scope`` (see :func:`supplier_scope`: ``"China"`` when the
        file only holds China's exports, so the shares are of those, not of all imports;
        ``None`` for a file of every supplier), ``conventions`` (the three switches),
        ``split_error`` (for ``method="even"``: the split rule's measured error against
        SIPRI's per-year figures, :data:`arms.io.convert.SPLIT_ERROR`; else None),
        ``missing_flags`` and ``estimated_lower_bound`` (the file lacks estimate flags other
        exports carry, so ``estimated_share`` is a lower bound).

    Raises
    ------
    arms.UnknownEntityError
        If the frame has no deliveries to ``recipient`` at all.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Israel", "Israel", "Russia", "Russia"],
    ...     "year": [2016, 2017, 2016, 2021], "tiv": [60.0, 15.0, 25.0, 99.0],
    ...     "units_estimated": [False, True, False, False], "allocation": "sipri"}),
    ...     "deliveries")
    >>> s = supplier_shares(d, "Azerbaijan", start=2016, end=2020)
    >>> s[["supplier", "tiv", "share", "tiv_estimated"]]
      supplier   tiv  share  tiv_estimated
    0   Israel  75.0   75.0           15.0
    1   Russia  25.0   25.0            0.0
    >>> s.attrs["method"], s.attrs["total_tiv"]
    ('sipri', 100.0)
    """
    check_kind(frame, "deliveries", func="supplier_shares")
    full, choice = _read(frame, local_production, zero, estimated)
    d = select_deliveries(full, func="supplier_shares", recipient=recipient, start=start, end=end)
    g = sum_tiv(d, {"supplier": group_labels(d, "supplier")})
    total = float(g["tiv"].sum())
    out = g.assign(
        share=percent(g["tiv"], total),
        estimated_share=(g["tiv_estimated"] / g["tiv"].where(g["tiv"] > 0) * 100).astype(
            "Float64"
        ),
    )
    out = _sort_desc(out, "supplier")[
        ["supplier", "tiv", "share", "tiv_estimated", "estimated_share"]
    ]
    tiv_estimated = float(g["tiv_estimated"].sum())
    method = allocation_method(d) if len(d) else allocation_method(full)
    out.attrs = {
        "method": method,
        "recipient": display_name(full, "recipient", recipient),
        "start": start,
        "end": end,
        "total_tiv": total,
        "tiv_estimated": tiv_estimated,
        "estimated_share": tiv_estimated / total * 100 if total > 0 else None,
        "source": source_of(frame),
        "supplier_scope": supplier_scope(frame),
        **_notes(frame, method, choice),
    }
    return out


def _from_first_delivery(spans: list, d: pd.DataFrame) -> list:
    """Drop the leading periods before the selection's first delivery (SIPRI's default)."""
    years = d.loc[d["tiv"].astype("Float64").fillna(0) > 0, "year"].dropna()
    if years.empty:
        return spans
    first = int(years.min())
    return [span for span in spans if span[2] >= first]


def period_table(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    by: str = "supplier",
    periods=None,
    local_production: bool = True,
    zero: float = 0.0,
    estimated: bool = True,
) -> pd.DataFrame:
    """Return delivered TIV per period and group, with each group's share of the period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    by : {"supplier", "recipient", "category", "family"}, default "supplier"
        The grouping.
    periods : optional
        ``None`` for SIPRI's five-year periods over the years the frame covers (see
        :func:`five_year_periods`), from the first period with a delivery in the
        selection; an int for periods of that length; a list of labels (``"2016-20"``),
        ``(start, end)`` or ``(label, start, end)`` tuples; or a frame from
        :func:`five_year_periods`. Periods may overlap.
    local_production, zero, estimated : optional
        SIPRI's conventions as switches, as for :func:`supplier_shares`.

    Returns
    -------
    pandas.DataFrame
        Long, one row per period and group with a delivery in it, largest first within each
        period: ``period``, ``start``, ``end``, ``<by>``, ``tiv``, ``share`` (percent of the
        period's total in the selection), ``tiv_estimated``. ``attrs``: ``source``,
        ``method``, ``periods``, ``supplier_scope``, ``conventions``, ``split_error``,
        ``missing_flags``, ``estimated_lower_bound`` (as for :func:`supplier_shares`).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Russia", "Israel", "Israel"],
    ...     "year": [2012, 2013, 2017], "tiv": [30.0, 10.0, 50.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> period_table(d, periods=["2011-15", "2016-20"])[["period", "supplier", "tiv", "share"]]
        period supplier   tiv  share
    0  2011-15   Russia  30.0   75.0
    1  2011-15   Israel  10.0   25.0
    2  2016-20   Israel  50.0  100.0
    """
    check_kind(frame, "deliveries", func="period_table")
    spans = resolve_periods(periods, frame)
    full, choice = _read(frame, local_production, zero, estimated)
    d = select_deliveries(full, func="period_table", recipient=recipient, supplier=supplier)
    if periods is None:
        spans = _from_first_delivery(spans, d)
    labels = group_labels(d, by)
    parts = []
    for label, s, e in spans:
        inside = d["year"].between(s, e).fillna(False).astype(bool)
        g = sum_tiv(d.loc[inside], {by: labels.loc[inside]})
        g = _sort_desc(g.assign(share=percent(g["tiv"], float(g["tiv"].sum()))), by)
        parts.append(g.assign(period=label, start=s, end=e))
    columns = ["period", "start", "end", by, "tiv", "share", "tiv_estimated"]
    dtypes = {
        "period": "string",
        "start": "Int64",
        "end": "Int64",
        by: "string",
        "tiv": "Float64",
        "share": "Float64",
        "tiv_estimated": "Float64",
    }
    parts = [p for p in parts if len(p)]
    if parts:
        out = pd.concat(parts, ignore_index=True)[columns].astype(dtypes)
    else:
        out = pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})
    method = allocation_method(d)
    one = names_list(recipient) or []
    sup = names_list(supplier) or []
    out.attrs = {
        "source": source_of(frame),
        "method": method,
        "periods": spans,
        "supplier_scope": supplier_scope(frame),
        **_notes(frame, method, choice),
        "recipient": display_name(full, "recipient", one[0]) if len(one) == 1 else None,
        "supplier": display_name(full, "supplier", sup[0]) if len(sup) == 1 else None,
    }
    return out


def leading_supplier(
    frame: pd.DataFrame,
    recipient: Names = None,
    *,
    periods=None,
    local_production: bool = True,
    zero: float = 0.0,
    estimated: bool = True,
) -> pd.DataFrame:
    """Return the largest supplier in each period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient : str or list of str, optional
        The importing party (all recipients together when omitted).
    periods : optional
        As for :func:`period_table`.
    local_production, zero, estimated : optional
        SIPRI's conventions as switches, as for :func:`supplier_shares`.

    Returns
    -------
    pandas.DataFrame
        One row per period, in period order: ``period``, ``supplier`` (``<NA>`` when nothing
        was delivered), ``tiv``, ``share`` (percent). Ties go to the name first in
        alphabetical order.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Russia", "Israel", "Israel"],
    ...     "year": [2012, 2013, 2017], "tiv": [30.0, 10.0, 50.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> leading_supplier(d, "Azerbaijan", periods=["2011-15", "2016-20"])
        period supplier   tiv  share
    0  2011-15   Russia  30.0   75.0
    1  2016-20   Israel  50.0  100.0
    """
    table = period_table(
        frame,
        recipient=recipient,
        periods=periods,
        local_production=local_production,
        zero=zero,
        estimated=estimated,
    )
    rows = []
    for label, _s, _e in table.attrs["periods"]:
        part = table.loc[table["period"] == label]
        if len(part) and float(part["tiv"].iloc[0]) > 0:
            top = part.iloc[0]
            rows.append((label, top["supplier"], top["tiv"], top["share"]))
        else:
            rows.append((label, pd.NA, 0.0, pd.NA))
    out = pd.DataFrame(rows, columns=["period", "supplier", "tiv", "share"]).astype(
        {"period": "string", "supplier": "string", "tiv": "Float64", "share": "Float64"}
    )
    out.attrs = {
        "source": source_of(frame),
        "supplier_scope": table.attrs["supplier_scope"],
        "conventions": table.attrs["conventions"],
        "split_error": table.attrs["split_error"],
    }
    return out


def concentration(frame: pd.DataFrame, recipient: Names = None, *, periods=None) -> pd.DataFrame:
    """Return the Herfindahl-Hirschman index of a recipient's suppliers per period.

    The index is the sum of the squared supplier shares in percent: 10000 for a single
    supplier, near 0 for many small ones (above 2500 counts as highly concentrated in
    competition practice).

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient : str or list of str, optional
        The importing party.
    periods : optional
        As for :func:`period_table`.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period``, ``hhi`` (Float64, 0-10000; ``<NA>`` when nothing was
        delivered), ``suppliers`` (how many delivered anything in the period).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Armenia", "supplier": ["Russia", "India"],
    ...     "year": [2021, 2022], "tiv": [50.0, 50.0], "allocation": "sipri"}), "deliveries")
    >>> concentration(d, "Armenia", periods=[(2021, 2025)])
        period     hhi  suppliers
    0  2021-25  5000.0          2
    """
    table = period_table(frame, recipient=recipient, periods=periods)
    rows = []
    for label, _s, _e in table.attrs["periods"]:
        part = table.loc[table["period"] == label]
        share = part["share"].dropna()
        hhi = float((share**2).sum()) if len(share) else pd.NA
        rows.append((label, hhi, len(part)))
    out = pd.DataFrame(rows, columns=["period", "hhi", "suppliers"]).astype(
        {"period": "string", "hhi": "Float64", "suppliers": "Int64"}
    )
    out.attrs = {"source": source_of(frame), "supplier_scope": table.attrs["supplier_scope"]}
    return out


def compare_recipients(
    frame: pd.DataFrame, recipients: Sequence[str], *, supplier: Names = None, periods=None
) -> pd.DataFrame:
    """Return two (or more) recipients' delivered TIV side by side per period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipients : sequence of str
        Importing parties; ``ratio`` divides the first by the second (``<NA>`` for one).
    supplier : str or list of str, optional
        Count only deliveries from these suppliers (Russia to each side, say).
    periods : optional
        As for :func:`period_table`.

    Returns
    -------
    pandas.DataFrame
        One row per period and recipient (``0`` when nothing was delivered): ``period``,
        ``start``, ``end``, ``recipient``, ``tiv``, ``tiv_estimated`` and ``ratio`` (the
        first recipient's TIV over the second's in that period, the same on each row of the
        period; ``<NA>`` when the second got nothing).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia", "Azerbaijan"], "supplier": "Russia",
    ...     "year": [2011, 2012, 2017], "tiv": [90.0, 30.0, 10.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> compare_recipients(d, ["Azerbaijan", "Armenia"], periods=["2011-15", "2016-20"])[
    ...     ["period", "recipient", "tiv", "ratio"]]
        period   recipient   tiv  ratio
    0  2011-15  Azerbaijan  90.0    3.0
    1  2011-15     Armenia  30.0    3.0
    2  2016-20  Azerbaijan  10.0   <NA>
    3  2016-20     Armenia   0.0   <NA>
    """
    names = names_list(recipients) or []
    if not names:
        raise ValueError("compare_recipients needs at least one recipient")
    full = frame
    check_kind(full, "deliveries", func="compare_recipients")
    spans = resolve_periods(periods, full)
    d = select_deliveries(full, func="compare_recipients", supplier=supplier)
    masks = [party_rows(full, "recipient", n).reindex(d.index) for n in names]
    shown = [display_name(full, "recipient", n) for n in names]
    if periods is None:
        anyone = pd.concat(masks, axis=1).fillna(False).astype(bool).any(axis=1)
        spans = _from_first_delivery(spans, d.loc[anyone])
    rows = []
    for label, s, e in spans:
        inside = d["year"].between(s, e).fillna(False).astype(bool)
        totals = []
        for mask in masks:
            part = d.loc[inside & mask]
            totals.append((float(part["tiv"].sum()), float(part["tiv_estimated"].sum())))
        second = totals[1][0] if len(totals) > 1 else 0.0
        ratio = totals[0][0] / second if second > 0 else pd.NA
        for name, (tiv, est) in zip(shown, totals, strict=True):
            rows.append((label, s, e, name, tiv, est, ratio))
    out = pd.DataFrame(
        rows, columns=["period", "start", "end", "recipient", "tiv", "tiv_estimated", "ratio"]
    ).astype(
        {
            "period": "string",
            "start": "Int64",
            "end": "Int64",
            "recipient": "string",
            "tiv": "Float64",
            "tiv_estimated": "Float64",
            "ratio": "Float64",
        }
    )
    out.attrs = {
        "source": source_of(frame),
        "method": allocation_method(d),
        "supplier_scope": supplier_scope(frame),
    }
    return out
