"""How SIPRI's figures for each year moved across many releases.

SIPRI revises its whole history with every release; the latest year of each release is the
least settled (deliveries still being identified). :func:`revisions` lines up each year's
TIV in every release of one kind of file and says how it moved from one release to the next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from arms.analysis.quality import generated_of
from arms.analysis.select import (
    Names,
    as_deliveries,
    check_kind,
    name_keys,
    party_rows,
    select_deliveries,
)

__all__ = ["revisions"]


def _yearly(frame: pd.DataFrame, kind: str, recipient: Names, supplier: Names) -> pd.Series:
    """TIV per year of one release, over the years it covers (0 where nothing moved)."""
    if kind == "tiv":
        whole = name_keys(frame["counterpart"].astype("string").fillna("all")) == "all"
        covered = frame.loc[frame["tiv"].notna(), "year"].dropna().astype(int)
        names = recipient if recipient is not None else supplier
        rows = frame.loc[party_rows(frame, "entity", names) & whole.astype(bool)]
        per = rows.groupby(rows["year"].astype(int))["tiv"].sum(min_count=1)
    else:
        full = as_deliveries(frame)
        covered = full["year"].dropna().astype(int)
        d = select_deliveries(full, func="revisions", recipient=recipient, supplier=supplier)
        per = d.groupby(d["year"].astype(int))["tiv"].sum()
    if covered.empty:
        return pd.Series(dtype="Float64")
    years = range(int(covered.min()), int(covered.max()) + 1)
    return per.reindex(years).astype("Float64").fillna(0.0)


def revisions(
    releases: Sequence[pd.DataFrame] | Mapping[str, pd.DataFrame],
    *,
    recipient: Names = None,
    supplier: Names = None,
) -> pd.DataFrame:
    """Return each year's TIV in every release, and how it moved from release to release.

    Parameters
    ----------
    releases : list of DataFrame, or mapping of name to DataFrame
        Two or more frames of one kind (registers, split here; deliveries; or TIV tables),
        each from one SIPRI release; they are put in order of their "Data generated" date
        (kept in the order given when a file has none).
    recipient, supplier : str or list of str, optional
        The parties (for a TIV table: the table's entity, an importer or an exporter).

    Returns
    -------
    pandas.DataFrame
        Long, one row per release and year the release covers: ``release`` (its name or its
        generated date), ``generated``, ``year``, ``tiv``, ``previous`` (the same year in the
        previous release, ``<NA>`` for the first or where it did not cover the year),
        ``change`` (``tiv - previous``), ``change_pct`` and ``provisional`` (True for the
        latest year of each release: the least settled). ``attrs``: ``releases`` (names in
        order), ``kind``, ``largest`` (the row of the largest absolute change).

    Raises
    ------
    ValueError
        For fewer than two frames or frames of different kinds.

    Examples
    --------
    >>> from arms.schema import conform
    >>> def release(date, tiv):
    ...     f = conform(pd.DataFrame({"recipient": "Armenia", "year": [2019, 2020],
    ...         "tiv": tiv, "allocation": "sipri"}), "deliveries")
    ...     f.attrs["source"] = {"generated": date}
    ...     return f
    >>> r = revisions([release("2022-03-14", [10.0, 4.0]), release("2021-03-15", [10.0, 2.0])])
    >>> r[["release", "year", "tiv", "change", "provisional"]]
           release  year   tiv  change  provisional
    0  15 Mar 2021  2019  10.0    <NA>        False
    1  15 Mar 2021  2020   2.0    <NA>         True
    2  14 Mar 2022  2019  10.0     0.0        False
    3  14 Mar 2022  2020   4.0     2.0         True
    """
    named = (
        list(releases.items()) if isinstance(releases, Mapping) else [(None, f) for f in releases]
    )
    if len(named) < 2:
        raise ValueError("revisions needs two or more releases of one kind of file")
    kinds = {check_kind(f, "deals", "deliveries", "tiv", func="revisions") for _, f in named}
    if len(kinds) > 1:
        # a register's split years against SIPRI's own would show the split, not a revision
        raise ValueError(
            f"revisions compares files of one kind, not {' and '.join(sorted(kinds))}: give "
            "only registers, only deliveries files or only TIV tables"
        )
    kind = kinds.pop()
    dated = [(generated_of(f), name, f) for name, f in named]
    if all(date for date, _n, _f in dated):  # else the order given (a file with no date)
        dated.sort(key=lambda t: pd.Timestamp(t[0]))
    parts, previous, names = [], None, []
    for i, (date, name, frame) in enumerate(dated):
        label = name or date or f"release {i + 1}"
        names.append(label)
        per = _yearly(frame, kind, recipient, supplier)
        prev = previous.reindex(per.index) if previous is not None else None
        part = pd.DataFrame(
            {
                "release": label,
                "generated": date,
                "year": per.index.astype("int64"),
                "tiv": per.to_numpy(),
                "previous": prev.to_numpy() if prev is not None else pd.NA,
            }
        )
        part["provisional"] = part["year"] == part["year"].max()
        parts.append(part)
        previous = per
    out = pd.concat(parts, ignore_index=True).astype(
        {
            "release": "string",
            "generated": "string",
            "year": "Int64",
            "tiv": "Float64",
            "previous": "Float64",
            "provisional": "boolean",
        }
    )
    out["change"] = (out["tiv"] - out["previous"]).astype("Float64")
    out["change_pct"] = (out["change"] / out["previous"].where(out["previous"] > 0) * 100).astype(
        "Float64"
    )
    out = out[
        ["release", "generated", "year", "tiv", "previous", "change", "change_pct", "provisional"]
    ]
    moved = out["change"].abs().fillna(-1)
    out.attrs = {
        "releases": names,
        "kind": kind,
        "largest": out.loc[moved.idxmax()].to_dict() if (moved > 0).any() else None,
    }
    return out
