"""Whether a headline holds under every reading of SIPRI's conventions.

"Israel overtook Russia as Azerbaijan's main supplier, and when" is computed under each
combination of :data:`arms.analysis.conventions.CONVENTIONS` (local production in or out,
SIPRI's ``0`` as 0, 0.25 or 0.5, estimated rows in or out), by five-year period and by year.
"""

from __future__ import annotations

import pandas as pd

from arms.analysis.conventions import apply_conventions, convention_grid
from arms.analysis.periods import overtake, resolve_periods
from arms.analysis.select import source_of
from arms.analysis.series import yearly_series
from arms.analysis.shares import period_table

__all__ = ["robustness"]


def robustness(
    frame: pd.DataFrame, recipient: str, a: str, b: str, *, periods=None
) -> pd.DataFrame:
    """Return whether supplier ``a`` overtook ``b``, and when, under every convention.

    ``a`` and ``b`` are compared as ``recipient``'s suppliers under every combination of
    :data:`~arms.analysis.conventions.CONVENTIONS`, by period and by year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (split a register first).
    recipient, a, b : str
        The importer and the two suppliers.
    periods : optional
        As for :func:`arms.analysis.period_table` (SIPRI's five-year periods by default).

    Returns
    -------
    pandas.DataFrame
        One row per combination (:func:`convention_grid`): ``local_production``, ``zero``,
        ``estimated``, ``status``, ``when`` and ``last_behind`` (by period, see
        :func:`arms.analysis.overtake`), ``a_tiv``, ``b_tiv``, ``a_share``, ``b_share`` at
        ``when`` (for ``"not yet"``: at ``last_behind``), ``year_status``, ``year_when``
        (the first year of the last overtaking, yearly), ``total_tiv`` (the recipient's
        imports kept). ``attrs``: ``recipient``, ``a``, ``b``, ``holds`` (the default's
        status and period under every combination), ``statuses`` and ``whens`` (the
        distinct ones), ``source``.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Azerbaijan",
    ...     "supplier": ["Russia", "Israel", "Israel", "Russia"],
    ...     "year": [2012, 2013, 2017, 2018], "tiv": [30.0, 10.0, 50.0, 0.0],
    ...     "local_production": [False, False, True, False], "allocation": "sipri"}),
    ...     "deliveries")
    >>> r = robustness(d, "Azerbaijan", "Israel", "Russia", periods=["2011-15", "2016-20"])
    >>> r.attrs["holds"], sorted(r.attrs["statuses"])
    (False, ['not yet', 'overtook'])
    """
    # the same periods under every reading (dropping rows must not shorten the last one)
    spans = resolve_periods(periods, frame)
    rows = []
    for choice in convention_grid():
        d = apply_conventions(frame, **choice)
        table = period_table(d, recipient=recipient, periods=spans)
        o = overtake(table, a, b)
        yearly = yearly_series(d, recipient=recipient, start=spans[0][1], end=spans[-1][2])
        y = overtake(yearly, a, b)
        rows.append(
            {
                **choice,
                "status": o["status"],
                "when": o.get("when"),
                "last_behind": o.get("last_behind"),
                "a_tiv": o.get("a_tiv"),
                "b_tiv": o.get("b_tiv"),
                "a_share": o.get("a_share"),
                "b_share": o.get("b_share"),
                "year_status": y["status"],
                "year_when": y.get("when"),
                "total_tiv": float(table["tiv"].sum()) if len(table) else 0.0,
            }
        )
    out = pd.DataFrame(rows).astype(
        {
            "local_production": "boolean",
            "zero": "Float64",
            "estimated": "boolean",
            "status": "string",
            "when": "string",
            "last_behind": "string",
            "a_tiv": "Float64",
            "b_tiv": "Float64",
            "a_share": "Float64",
            "b_share": "Float64",
            "year_status": "string",
            "year_when": "Int64",
            "total_tiv": "Float64",
        }
    )
    first = out.iloc[0]
    same = (out["status"] == first["status"]) & (
        out["when"].fillna("") == ("" if pd.isna(first["when"]) else first["when"])
    )
    out.attrs = {
        "recipient": recipient,
        "a": a,
        "b": b,
        "holds": bool(same.all()),
        "statuses": sorted(set(out["status"].dropna())),
        "whens": sorted(set(out["when"].dropna())),
        "source": source_of(frame),
    }
    return out
