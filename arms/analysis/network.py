"""Supplier-recipient networks: the nodes and directed edges of delivered TIV over a window.

Yearly supplier-recipient graphs are a staple of arms-trade research. These functions build
them as plain frames (one row per party, one row per supplier -> recipient pair, or pair and
year); writing GraphML, GEXF or CSV is the export layer's job (:mod:`arms.network`).

TIV is SIPRI's per-year figure in a deliveries file; a trade register is split evenly over
each deal's delivery years first (:func:`arms.analysis.as_deliveries`, ``allocation="even"``),
so the edges of a window that cuts a deal carry its share of the deal's TIV. Either way the
edges add up to the TIV delivered in the window.
"""

from __future__ import annotations

import functools

import pandas as pd

from arms.analysis.deals import deal_keys
from arms.analysis.select import (
    allocation_method,
    as_deliveries,
    group_labels,
    select_deliveries,
    source_of,
)
from arms.entities import entity_table

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "network_edges", "network_nodes"]

#: Columns of :func:`network_edges` (``year`` follows ``recipient`` when ``yearly``).
EDGE_COLUMNS = (
    "supplier",
    "recipient",
    "tiv",
    "tiv_estimated",
    "deals",
    "first_year",
    "last_year",
)
#: Columns of :func:`network_nodes`.
NODE_COLUMNS = ("name", "iso3", "entity_type", "region", "tiv_exported", "tiv_imported")


def network_edges(
    frame: pd.DataFrame, *, start: int, end: int, yearly: bool = False
) -> pd.DataFrame:
    """Return the directed supplier -> recipient edges of delivered TIV over a window.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (a trade register, split evenly over delivery years here).
    start, end : int
        First and last delivery year, inclusive.
    yearly : bool, default False
        One edge per pair and year (with a ``year`` column) instead of one per pair.

    Returns
    -------
    pandas.DataFrame
        :data:`EDGE_COLUMNS`: harmonised party names, ``tiv`` (millions; a volume index, not
        money), ``tiv_estimated`` (the part resting on estimates), ``deals`` (distinct deals
        with a delivery in the window) and the ``first_year``/``last_year`` of those
        deliveries; largest edge first. ``attrs``: ``start``, ``end``, ``method`` (``sipri``
        or ``even``), ``total_tiv`` and ``source``.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Azerbaijan", "Armenia"],
    ...     "supplier": ["Israel", "Israel", "Russia"], "deal_id": [1, 2, 3],
    ...     "year": [2016, 2018, 2017], "tiv": [5.0, 3.0, 7.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> e = network_edges(d, start=2016, end=2020)
    >>> e[["supplier", "recipient", "tiv", "deals", "first_year", "last_year"]]
      supplier   recipient  tiv  deals  first_year  last_year
    0   Israel  Azerbaijan  8.0      2        2016       2018
    1   Russia     Armenia  7.0      1        2017       2017
    >>> network_edges(d, start=2016, end=2020, yearly=True)["year"].tolist()
    [2016, 2017, 2018]
    """
    if start > end:
        raise ValueError(f"start ({start}) is after end ({end})")
    full = as_deliveries(frame)
    d = select_deliveries(full, start=start, end=end, func="network_edges")
    keys = {"supplier": group_labels(d, "supplier"), "recipient": group_labels(d, "recipient")}
    if yearly:
        keys["year"] = d["year"].astype("Int64")
    data = pd.DataFrame(
        {
            **keys,
            "tiv": d["tiv"].astype("Float64"),
            "tiv_estimated": d["tiv_estimated"].astype("Float64"),
            "deal": deal_keys(d),
            "year_": d["year"].astype("Int64"),
        }
    )
    g = data.groupby(list(keys), sort=False, dropna=False)
    out = pd.DataFrame(
        {
            "tiv": g["tiv"].sum(),
            "tiv_estimated": g["tiv_estimated"].sum(),
            "deals": g["deal"].nunique().astype("Int64"),
            "first_year": g["year_"].min().astype("Int64"),
            "last_year": g["year_"].max().astype("Int64"),
        }
    ).reset_index()
    columns = ["supplier", "recipient", *(["year"] if yearly else []), *EDGE_COLUMNS[2:]]
    order = ["year", "tiv"] if yearly else ["tiv"]
    out = out.sort_values(
        [*order, "supplier", "recipient"],
        ascending=[*([True] if yearly else []), False, True, True],
        ignore_index=True,
    )[columns]
    for name in ("supplier", "recipient"):
        out[name] = out[name].astype("string")
    out.attrs = {
        "start": start,
        "end": end,
        "method": allocation_method(d) if len(d) else allocation_method(full),
        "total_tiv": float(d["tiv"].sum()),
        "source": source_of(frame),
    }
    return out


@functools.lru_cache(maxsize=1)
def _parties() -> dict[str, tuple]:
    table = entity_table().drop_duplicates("canonical_name")
    return {
        row.canonical_name: (row.iso3, row.entity_type, row.region)
        for row in table.itertuples(index=False)
    }


def network_nodes(edges: pd.DataFrame) -> pd.DataFrame:
    """Return one row per party of a set of edges, with its ISO3 code, type and region.

    Parameters
    ----------
    edges : pandas.DataFrame
        A :func:`network_edges` result (``supplier``, ``recipient``, ``tiv``).

    Returns
    -------
    pandas.DataFrame
        :data:`NODE_COLUMNS`, sorted by name. ``iso3``, ``entity_type`` and ``region``
        come from the entity table (``arms/data/entities.csv``; its ``region`` is SIPRI's
        top-level region: Africa, Americas, Asia and Oceania, Europe, Middle East) and are
        ``<NA>`` for a party it does not know (an ``unknown`` supplier, a misspelt name).
        ``tiv_exported``/``tiv_imported``: the party's TIV on outgoing/incoming edges.

    Examples
    --------
    >>> e = pd.DataFrame({"supplier": ["Israel", "Soviet Union"],
    ...                   "recipient": ["Azerbaijan", "Azerbaijan"], "tiv": [8.0, 2.0]})
    >>> network_nodes(e)[["name", "iso3", "region", "tiv_imported"]]
               name  iso3       region  tiv_imported
    0    Azerbaijan   AZE       Europe          10.0
    1        Israel   ISR  Middle East           0.0
    2  Soviet Union  SUHH       Europe           0.0
    """
    tiv = edges["tiv"].astype("Float64")
    exported = tiv.groupby(edges["supplier"].astype("string")).sum()
    imported = tiv.groupby(edges["recipient"].astype("string")).sum()
    names = sorted(set(exported.index) | set(imported.index))
    known = _parties()
    info = [known.get(name, (pd.NA, pd.NA, pd.NA)) for name in names]
    out = pd.DataFrame(
        {
            "name": pd.array(names, dtype="string"),
            "iso3": pd.array([i[0] for i in info], dtype="string"),
            "entity_type": pd.array([i[1] for i in info], dtype="string"),
            "region": pd.array([i[2] for i in info], dtype="string"),
            "tiv_exported": exported.reindex(names, fill_value=0.0).to_numpy(),
            "tiv_imported": imported.reindex(names, fill_value=0.0).to_numpy(),
        }
    )
    out.attrs = dict(edges.attrs)
    return out.astype({"tiv_exported": "Float64", "tiv_imported": "Float64"})
