"""A recipient's place among a supplier's customers.

:func:`customer_rank` takes a *deliveries* frame, or a TIV table (SIPRI's rounded per-year
tables), and says which of the two it got in ``attrs["method"]``.
"""

from __future__ import annotations

import pandas as pd

from arms.analysis.select import (
    allocation_method,
    check_kind,
    display_name,
    group_labels,
    name_keys,
    party_rows,
    select_deliveries,
    source_of,
    sum_tiv,
)
from arms.errors import UnknownEntityError

__all__ = [
    "customer_rank",
]


def customer_rank(
    frame: pd.DataFrame, supplier: str, recipient: str, *, start: int, end: int
) -> pd.DataFrame:
    """Return a recipient's share of a supplier's exports and its rank among its customers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (all of the supplier's customers must be in it), or a TIV
        table that lists the supplier's recipients (a one-supplier export table, with the
        supplier as ``counterpart``) or the recipient's suppliers by name. TIV tables are
        rounded to whole millions, so shares from them are approximate.
    supplier : str
        The exporting party.
    recipient : str
        The customer.
    start, end : int
        The window, inclusive.

    Returns
    -------
    pandas.DataFrame
        One row: ``supplier``, ``recipient``, ``start``, ``end``, ``tiv`` (to the
        recipient), ``supplier_total`` (to all customers), ``share`` (percent), ``rank``
        (1 = largest customer; ties share the best rank; ``<NA>`` if the recipient got
        nothing) and ``customers`` (how many received anything).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "supplier": "Israel", "recipient": ["India", "Azerbaijan", "Viet Nam"],
    ...     "year": [2017, 2018, 2018], "tiv": [50.0, 30.0, 20.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> r = customer_rank(d, "Israel", "Azerbaijan", start=2016, end=2020)
    >>> r[["tiv", "supplier_total", "share", "rank", "customers"]]
        tiv  supplier_total  share  rank  customers
    0  30.0           100.0   30.0     2          3
    """
    if check_kind(frame, "deliveries", "tiv", func="customer_rank") == "tiv":
        per, shown_supplier, who = _table_customers(frame, supplier, recipient, start, end)
        method = "table"
    else:
        full = frame
        party_rows(full, "recipient", recipient)  # raises when the frame never names it
        d = select_deliveries(full, func="customer_rank", supplier=supplier, start=start, end=end)
        labels = group_labels(d, "recipient")
        per = sum_tiv(d, {"recipient": labels})[["recipient", "tiv"]]
        who = set(labels.loc[party_rows(d, "recipient", recipient, errors="ignore")])
        shown_supplier = display_name(full, "supplier", supplier)
        method = allocation_method(d)
    per = per.loc[per["tiv"] > 0]
    total = float(per["tiv"].sum())
    ranks = per["tiv"].rank(method="min", ascending=False)
    mine = per["recipient"].isin(who)
    tiv = float(per.loc[mine, "tiv"].sum())
    rank = int(ranks.loc[mine].min()) if mine.any() else pd.NA
    shown = sorted(who)[0] if len(who) == 1 else recipient
    out = pd.DataFrame(
        {
            "supplier": [shown_supplier],
            "recipient": [shown],
            "start": [start],
            "end": [end],
            "tiv": [tiv],
            "supplier_total": [total],
            "share": [tiv / total * 100 if total > 0 else pd.NA],
            "rank": [rank],
            "customers": [len(per)],
        }
    ).astype(
        {
            "supplier": "string",
            "recipient": "string",
            "start": "Int64",
            "end": "Int64",
            "tiv": "Float64",
            "supplier_total": "Float64",
            "share": "Float64",
            "rank": "Int64",
            "customers": "Int64",
        }
    )
    out.attrs = {"source": source_of(frame), "method": method}
    return out


def _table_customers(table, supplier, recipient, start, end):
    """Per-recipient totals of ``supplier`` from a TIV table, in either orientation."""
    t = table.loc[table["year"].between(start, end).fillna(False).astype(bool)]
    as_counterpart = party_rows(table, "counterpart", supplier, errors="ignore")
    as_entity = party_rows(table, "entity", supplier, errors="ignore")
    if as_counterpart.any():
        rows = t.loc[as_counterpart.reindex(t.index)]
        other, shown = "entity", _first(table.loc[as_counterpart, "counterpart"], supplier)
    elif as_entity.any():
        rows = t.loc[as_entity.reindex(t.index)]
        rows = rows.loc[name_keys(rows["counterpart"]) != "all"]
        other, shown = "counterpart", _first(table.loc[as_entity, "entity"], supplier)
    else:
        raise UnknownEntityError([supplier])
    if not party_rows(table, other, recipient, errors="ignore").any():
        raise UnknownEntityError([recipient])
    names = rows[other].astype("string")
    per = (
        pd.DataFrame({"recipient": names, "tiv": rows["tiv"].astype("Float64").fillna(0.0)})
        .groupby("recipient", sort=True)["tiv"]
        .sum()
        .reset_index()
    )
    who = set(rows.loc[party_rows(rows, other, recipient, errors="ignore"), other])
    return per, shown, who


def _first(values: pd.Series, default: str) -> str:
    values = values.dropna()
    return str(values.iloc[0]) if len(values) else default
