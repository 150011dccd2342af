"""Who sent what to whom over a window: supplier-recipient flows and weapon-group matrices.

The input is a canonical *deliveries* frame; the weapon groups come from its ``category``
and ``family`` columns (added by ``arms.load`` or ``arms.categorize``).
"""

from __future__ import annotations

import pandas as pd

from arms.analysis.select import (
    Names,
    allocation_method,
    display_name,
    group_labels,
    names_list,
    select_deliveries,
    source_of,
    sum_tiv,
)

__all__ = [
    "category_matrix",
    "flows",
]


def flows(frame: pd.DataFrame, *, recipient: Names = None, start: int, end: int) -> pd.DataFrame:
    """Return delivered TIV per supplier-recipient pair over a window (for Sankey charts).

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient : str or list of str, optional
        Keep only these importing parties.
    start, end : int
        The window, inclusive.

    Returns
    -------
    pandas.DataFrame
        ``supplier``, ``recipient``, ``tiv``, ``tiv_estimated``; largest flow first.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia", "Azerbaijan"],
    ...     "supplier": ["Israel", "Russia", "Israel"],
    ...     "year": [2016, 2017, 2018], "tiv": [5.0, 7.0, 3.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> flows(d, start=2016, end=2020)[["supplier", "recipient", "tiv"]]
      supplier   recipient  tiv
    0   Israel  Azerbaijan  8.0
    1   Russia     Armenia  7.0
    """
    d = select_deliveries(frame, func="flows", recipient=recipient, start=start, end=end)
    g = sum_tiv(
        d, {"supplier": group_labels(d, "supplier"), "recipient": group_labels(d, "recipient")}
    )
    out = g.sort_values(
        ["tiv", "supplier", "recipient"], ascending=[False, True, True], ignore_index=True
    )[["supplier", "recipient", "tiv", "tiv_estimated"]]
    out.attrs = {
        "source": source_of(frame),
        "start": start,
        "end": end,
        "method": allocation_method(d),
    }
    return out


def category_matrix(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    start: int,
    end: int,
    by: str = "family",
    supplier: Names = None,
    across: str = "supplier",
) -> pd.DataFrame:
    """Return delivered TIV per weapon group and supplier (or recipient) over a window.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    recipient : str or list of str, optional
        The importing party.
    start, end : int
        The window, inclusive.
    by : {"family", "category"}, default "family"
        SIPRI's armament category, or the package's finer weapon family (the frame's
        columns, added by ``arms.load`` or ``arms.categorize``).
    supplier : str or list of str, optional
        The exporting party (a supplier profile: ``supplier="Russia", across="recipient"``).
    across : {"supplier", "recipient"}, default "supplier"
        The second grouping.

    Returns
    -------
    pandas.DataFrame
        Long: ``<by>``, ``<across>``, ``tiv``, ``tiv_estimated``; sorted by group, then
        largest first. ``attrs`` name the single ``recipient`` and ``supplier`` (or
        ``None``).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Israel", "Turkiye", "Israel"],
    ...     "category": ["Aircraft", "Aircraft", "Missiles"],
    ...     "year": [2016, 2020, 2018], "tiv": [5.0, 28.8, 3.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> category_matrix(d, recipient="Azerbaijan", start=2016, end=2020, by="category")[
    ...     ["category", "supplier", "tiv"]]
       category supplier   tiv
    0  Aircraft  Turkiye  28.8
    1  Aircraft   Israel   5.0
    2  Missiles   Israel   3.0
    """
    if by not in ("family", "category"):
        raise ValueError(f"by must be 'family' or 'category', not {by!r}")
    if across not in ("supplier", "recipient"):
        raise ValueError(f"across must be 'supplier' or 'recipient', not {across!r}")
    d = select_deliveries(
        frame,
        func="category_matrix",
        recipient=recipient,
        supplier=supplier,
        start=start,
        end=end,
    )
    g = sum_tiv(d, {by: group_labels(d, by), across: group_labels(d, across)})
    one = names_list(recipient) or []
    sup = names_list(supplier) or []
    out = g.sort_values([by, "tiv", across], ascending=[True, False, True], ignore_index=True)[
        [by, across, "tiv", "tiv_estimated"]
    ]
    out.attrs = {
        "source": source_of(frame),
        "start": start,
        "end": end,
        "method": allocation_method(d),
        "recipient": display_name(frame, "recipient", one[0]) if len(one) == 1 else None,
        "supplier": display_name(frame, "supplier", sup[0]) if len(sup) == 1 else None,
    }
    return out
