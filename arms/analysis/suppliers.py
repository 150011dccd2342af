"""A supplier's exports: whom it armed in each period (its leading customer)."""

from __future__ import annotations

import pandas as pd

from arms.analysis.select import Names, source_of
from arms.analysis.shares import period_table

__all__ = ["leading_customer"]


def leading_customer(
    frame: pd.DataFrame,
    supplier: Names,
    *,
    periods=None,
) -> pd.DataFrame:
    """Return the largest recipient of a supplier's deliveries in each period.

    The counterpart of :func:`arms.analysis.leading_supplier` for a supplier profile: the
    periods are those of :func:`arms.analysis.period_table` (SIPRI's five-year periods from
    the supplier's first delivery to its last, by default).

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first: ``arms.split_deals``).
    supplier : str or list of str
        The exporting party.
    periods : optional
        As for :func:`arms.analysis.period_table`.

    Returns
    -------
    pandas.DataFrame
        One row per period, in period order: ``period``, ``recipient`` (``<NA>`` when
        nothing was delivered), ``tiv``, ``share`` (percent of the supplier's deliveries in
        the period), ``supplier_total`` (the supplier's deliveries in the period) and
        ``customers`` (how many recipients got anything). Ties go to the name first in
        alphabetical order.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "supplier": ["Russia"] * 4 + ["France"],
    ...     "recipient": ["India", "China", "India", "Algeria", "India"],
    ...     "year": [2011, 2013, 2017, 2018, 2023], "tiv": [30.0, 10.0, 50.0, 50.0, 5.0],
    ...     "allocation": "sipri"}), "deliveries")
    >>> leading_customer(d, "Russia", periods=["2011-15", "2016-20", "2021-25"])
        period recipient   tiv  share  supplier_total  customers
    0  2011-15     India  30.0   75.0            40.0          2
    1  2016-20   Algeria  50.0   50.0           100.0          2
    2  2021-25      <NA>   0.0   <NA>             0.0          0
    >>> leading_customer(d, "Russia")["period"].tolist()  # up to its last delivery
    ['2011-15', '2016-20']
    """
    table = period_table(frame, supplier=supplier, by="recipient", periods=periods)
    rows = []
    for label, _s, _e in table.attrs["periods"]:
        part = table.loc[(table["period"] == label) & (table["tiv"] > 0)]
        total = float(part["tiv"].sum())
        if len(part):
            top = part.sort_values(["tiv", "recipient"], ascending=[False, True]).iloc[0]
            rows.append((label, top["recipient"], top["tiv"], top["share"], total, len(part)))
        else:
            rows.append((label, pd.NA, 0.0, pd.NA, 0.0, 0))
    # periods after the supplier's last delivery (the Soviet Union after 1991) say nothing
    while rows and rows[-1][5] == 0 and periods is None:
        rows.pop()
    columns = ["period", "recipient", "tiv", "share", "supplier_total", "customers"]
    out = pd.DataFrame(rows, columns=columns).astype(
        {
            "period": "string",
            "recipient": "string",
            "tiv": "Float64",
            "share": "Float64",
            "supplier_total": "Float64",
            "customers": "Int64",
        }
    )
    out.attrs = {
        "source": source_of(frame),
        "supplier": table.attrs.get("supplier"),
        "method": table.attrs.get("method"),
    }
    return out
