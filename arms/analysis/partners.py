"""A recipient's suppliers or a supplier's customers, with ISO3 codes: what a map shades."""

from __future__ import annotations

import pandas as pd

from arms.analysis.network import network_edges, network_nodes
from arms.analysis.select import party_rows, percent

__all__ = ["partner_shares"]


def partner_shares(
    frame: pd.DataFrame,
    *,
    recipient: str | None = None,
    supplier: str | None = None,
    start: int,
    end: int,
) -> pd.DataFrame:
    """Return each partner's TIV and share for one recipient (its suppliers) or one supplier.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly over delivery years).
    recipient, supplier : str
        Exactly one: the recipient whose suppliers, or the supplier whose customers, are
        wanted (SIPRI's or the harmonised name).
    start, end : int
        The window, inclusive.

    Returns
    -------
    pandas.DataFrame
        One row per partner, largest first: ``party``, ``iso3``, ``entity_type``,
        ``region``, ``tiv`` (millions; a volume index, not money) and ``share`` (percent of
        the total). ``attrs``: ``role`` (``"supplier"`` when the partners are suppliers),
        ``party`` (the recipient or supplier), ``start``, ``end``, ``total_tiv``,
        ``method``, ``source``.

    Raises
    ------
    ValueError
        Unless exactly one of ``recipient`` and ``supplier`` is given.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Israel", "Soviet Union", "Israel"],
    ...     "year": [2016, 1990, 2018], "tiv": [6.0, 9.0, 2.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> s = partner_shares(d, recipient="Azerbaijan", start=1990, end=2020)
    >>> s[["party", "iso3", "share"]].round(1)
              party  iso3  share
    0  Soviet Union  SUHH   52.9
    1        Israel   ISR   47.1
    """
    if (recipient is None) == (supplier is None):
        raise ValueError("give exactly one of recipient= and supplier=")
    role, other, name = (
        ("supplier", "recipient", recipient)
        if recipient is not None
        else ("recipient", "supplier", supplier)
    )
    edges = network_edges(frame, start=start, end=end)
    # match on the harmonised name or on any SIPRI spelling
    mine = party_rows(edges, other, name)
    picked = edges.loc[mine]
    by = picked.groupby(role, sort=False)["tiv"].sum()
    nodes = network_nodes(picked).set_index("name")
    out = pd.DataFrame(
        {
            "party": pd.array(by.index, dtype="string"),
            "iso3": nodes["iso3"].reindex(by.index).array,
            "entity_type": nodes["entity_type"].reindex(by.index).array,
            "region": nodes["region"].reindex(by.index).array,
            "tiv": by.astype("Float64").array,
        }
    )
    total = float(out["tiv"].sum())
    out["share"] = percent(out["tiv"], total)
    out = out.sort_values(["tiv", "party"], ascending=[False, True], ignore_index=True)
    shown = picked[other].iloc[0] if len(picked) else name
    out.attrs = {
        "role": role,
        "party": str(shown),
        "start": start,
        "end": end,
        "total_tiv": total,
        "method": edges.attrs["method"],
        "source": edges.attrs["source"],
    }
    return out
