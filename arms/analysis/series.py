"""Delivered TIV year by year: per group, and one supplier to several recipients.

Every year of the window appears for every group, with ``0`` where nothing was delivered,
so that lines and stacked areas drop to zero instead of interpolating across gaps. The
input is a canonical *deliveries* frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from arms.analysis.select import (
    Names,
    display_name,
    group_labels,
    names_list,
    party_rows,
    select_deliveries,
    source_of,
    sum_tiv,
    supplier_scope,
)

__all__ = [
    "supplier_to_recipients",
    "year_grid",
    "yearly_series",
]


def yearly_series(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    by: str = "supplier",
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Return delivered TIV per year and group (supplier, recipient, category or family).

    Every year of the window appears for every group that has a delivery in it, with ``0``
    where nothing was delivered, so lines and stacked areas drop to zero instead of
    interpolating across gaps, and the years add up to the window total.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    by : {"supplier", "recipient", "category", "family"}, default "supplier"
        The grouping. ``category`` and ``family`` are the frame's columns (added by
        ``arms.load`` or ``arms.categorize``).
    start, end : int, optional
        The window; by default the first and last year with a delivery in the selection.

    Returns
    -------
    pandas.DataFrame
        Long: ``year`` (Int64), ``<by>``, ``tiv`` and ``tiv_estimated``, sorted by year and
        group.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia", "Azerbaijan"],
    ...     "supplier": "Russia", "year": [2016, 2016, 2018], "tiv": [5.0, 7.0, 3.0],
    ...     "allocation": "sipri"}), "deliveries")
    >>> yearly_series(d, supplier="Russia", by="recipient", start=2016, end=2018)
       year   recipient  tiv  tiv_estimated
    0  2016     Armenia  7.0            0.0
    1  2016  Azerbaijan  5.0            0.0
    2  2017     Armenia  0.0            0.0
    3  2017  Azerbaijan  0.0            0.0
    4  2018     Armenia  0.0            0.0
    5  2018  Azerbaijan  3.0            0.0
    """
    d = select_deliveries(
        frame, func="yearly_series", recipient=recipient, supplier=supplier, start=start, end=end
    )
    labels = group_labels(d, by)
    g = sum_tiv(d, {"year": d["year"].astype("Int64"), by: labels})
    groups = sorted(labels.unique())
    out = year_grid(g, by, groups, start, end, source_of(frame))
    out.attrs["supplier_scope"] = supplier_scope(frame)
    one = names_list(recipient) or []
    if len(one) == 1 and by != "recipient":  # chart titles name the recipient
        out.attrs["recipient"] = display_name(frame, "recipient", one[0])
    return out


def year_grid(g, by, groups, start, end, source) -> pd.DataFrame:
    """Return ``g`` (``year``, ``<by>``, TIV sums) with every year and group, 0 where missing.

    Examples
    --------
    >>> g = pd.DataFrame({"year": [2016], "k": ["a"], "tiv": [1.0], "tiv_estimated": [0.0]})
    >>> year_grid(g, "k", ["a"], 2016, 2017, {})["tiv"].tolist()
    [1.0, 0.0]
    """
    if start is None:
        start = int(g["year"].min()) if len(g) else None
    if end is None:
        end = int(g["year"].max()) if len(g) else None
    if start is None or end is None or not groups:
        out = pd.DataFrame(
            {
                "year": pd.Series(dtype="Int64"),
                by: pd.Series(dtype="string"),
                "tiv": pd.Series(dtype="Float64"),
                "tiv_estimated": pd.Series(dtype="Float64"),
            }
        )
    else:
        index = pd.MultiIndex.from_product([range(start, end + 1), groups], names=["year", by])
        out = (
            g.astype({"year": "int64", by: "object"})
            .set_index(["year", by])
            .reindex(index, fill_value=0.0)
            .reset_index()
            .astype({"year": "Int64", by: "string", "tiv": "Float64", "tiv_estimated": "Float64"})
        )
    out.attrs = {"source": source, "start": start, "end": end}
    return out


def supplier_to_recipients(
    frame: pd.DataFrame,
    supplier: str,
    recipients: Sequence[str],
    *,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Return one supplier's deliveries to each of several recipients, by year.

    Russia to Azerbaijan and to Armenia, say. Every recipient asked for appears in every
    year of the window, with ``0`` when it received nothing.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    supplier : str
        The exporting party.
    recipients : sequence of str
        The importing parties.
    start, end : int, optional
        The window; by default the years with a delivery in the selection.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``recipient``, ``tiv``, ``tiv_estimated``; recipients in the order given.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia"], "supplier": "Russia",
    ...     "year": [2016, 2017], "tiv": [5.0, 7.0], "allocation": "sipri"}), "deliveries")
    >>> s = supplier_to_recipients(d, "Russia", ["Azerbaijan", "Armenia"])
    >>> s[["year", "recipient", "tiv"]]
       year   recipient  tiv
    0  2016  Azerbaijan  5.0
    1  2016     Armenia  0.0
    2  2017  Azerbaijan  0.0
    3  2017     Armenia  7.0
    """
    names = names_list(recipients) or []
    full = frame
    d = select_deliveries(
        full,
        func="supplier_to_recipients",
        recipient=names,
        supplier=supplier,
        start=start,
        end=end,
    )
    parts = []
    shown = []
    for name in names:
        part = d.loc[party_rows(d, "recipient", name, errors="ignore")]
        label = display_name(full, "recipient", name)
        shown.append(label)
        key = pd.Series(label, index=part.index, dtype="string")
        parts.append(sum_tiv(part, {"year": part["year"].astype("Int64"), "recipient": key}))
    g = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out = year_grid(g, "recipient", shown, start, end, source_of(frame))
    order = {name: i for i, name in enumerate(shown)}
    out = out.sort_values(
        ["year", "recipient"], key=lambda s: s.map(order) if s.name == "recipient" else s
    ).reset_index(drop=True)
    return out
