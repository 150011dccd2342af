"""What changed between two SIPRI releases of the same query: deals added, removed, changed.

Both releases are canonical *deliveries* frames.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from arms.analysis.deals import deal_keys
from arms.analysis.quality import CENT, generated_of
from arms.analysis.search import fold_text
from arms.analysis.select import Names, group_labels, name_keys, select_deliveries

__all__ = ["release_diff"]

_EPS = 1e-6


def _deal_level(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """One row per deal: parties, designation, order year, units, years and TIV delivered."""
    d = select_deliveries(frame, func="release_diff", **filters)
    data = pd.DataFrame(
        {
            "deal_key": deal_keys(d),
            "deal_id": d["deal_id"].astype("Int64") if "deal_id" in d else pd.NA,
            "supplier": group_labels(d, "supplier"),
            "recipient": group_labels(d, "recipient"),
            "designation": d["designation"].astype("string").str.strip(),
            "order_year": d["order_year"].astype("Int64"),
            "year": d["year"].astype("Int64"),
            "units": d["units"].astype("Int64"),
            "tiv": d["tiv"].astype("Float64"),
        }
    )
    out = (
        data.groupby("deal_key", sort=False)
        .agg(
            deal_id=("deal_id", "first"),
            supplier=("supplier", "first"),
            recipient=("recipient", "first"),
            designation=("designation", "first"),
            order_year=("order_year", "first"),
            units=("units", lambda s: s.sum(min_count=1)),
            tiv=("tiv", "sum"),
            years=("year", lambda s: "; ".join(str(y) for y in sorted(set(s.dropna())))),
            rows=("year", "size"),
        )
        .reset_index()
    )
    parties = (
        name_keys(out["supplier"])
        + "|"
        + name_keys(out["recipient"])
        + "|"
        + out["order_year"].astype("string").fillna("?")
    )
    name = parties + "|" + fold_text(out["designation"])
    shape = parties + "|" + out["years"] + "|" + out["units"].astype("string").fillna("?")
    return out.assign(
        by_name_shape=name + "|" + shape,
        by_name=name,
        by_shape_tiv=shape + "|" + out["tiv"].round(1).astype("string"),
        by_shape=shape,
    )


def _pair(a: pd.DataFrame, b: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Match rows of ``a`` and ``b`` on each key column in turn; return (i, j) positions.

    Within a key, duplicates pair up in order of delivery years, units and deal key.
    """
    pairs = []
    left, right = a, b
    for key in keys:
        if left.empty or right.empty:
            break

        def numbered(f, key=key):
            f = f.sort_values([key, "years", "units", "deal_key"])
            return pd.DataFrame(
                {"k": f[key] + "#" + f.groupby(key).cumcount().astype(str), "pos": f.index}
            )

        m = numbered(left).merge(numbered(right), on="k", suffixes=("_a", "_b"))
        pairs.append(m[["pos_a", "pos_b"]])
        left = left.drop(index=m["pos_a"])
        right = right.drop(index=m["pos_b"])
    if not pairs:
        return pd.DataFrame({"pos_a": [], "pos_b": []}, dtype="int64")
    return pd.concat(pairs, ignore_index=True)


def _what_changed(out: pd.DataFrame) -> pd.DataFrame:
    """Add ``tiv_change`` and ``changed``; drop matched deals where nothing moved."""
    units_moved = out["units_old"].fillna(-1) != out["units_new"].fillna(-1)
    years_moved = out["years_old"].fillna("") != out["years_new"].fillna("")
    tiv_change = (out["tiv_new"].fillna(0) - out["tiv_old"].fillna(0)).astype("Float64")
    # every printed TIV carries half a cent of rounding: sums of them differ by that much
    noise = CENT * (out["rows_old"].fillna(0) + out["rows_new"].fillna(0)).astype("Float64")
    tiv_moved = tiv_change.abs() > noise + _EPS
    changed = [
        "; ".join(n for n, m in (("units", u), ("years", y), ("tiv", t)) if m)
        for u, y, t in zip(units_moved, years_moved, tiv_moved, strict=True)
    ]
    matched = out["change"] == "changed"
    out = out.assign(
        tiv_change=tiv_change,
        changed=pd.Series(changed, index=out.index, dtype="string").where(matched, ""),
    )
    out = out.loc[~matched | (out["changed"] != "")]
    return out


def release_diff(
    old: pd.DataFrame,
    new: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Return the deals added, removed and changed between two releases of the same query.

    Deals are matched on SIPRI's deal id when both frames carry one. Otherwise (registers
    have no id) on supplier, recipient, order year and designation, compared without case
    or punctuation so that ``Bayraktar TB2`` meets ``Bayraktar TB-2``; then, for deals still
    unmatched, on supplier, recipient, order year, delivery years and units (and TIV, to
    break ties), which catches deals SIPRI renamed (``OPV-62`` for ``Sa'ar-62``, or a
    register's ``EMB-314 Super Tucano`` against a deliveries file's ``EMB-314``). A
    matched deal is *changed* when its delivered units, its delivery years or its delivered
    TIV differ; TIV differences within the rounding of the printed figures (half a cent
    each) do not count.
    Compare like with like: exports with different year ranges differ at their edges (use
    ``start``/``end``).

    Parameters
    ----------
    old, new : pandas.DataFrame
        Deliveries from the earlier and the later release (split a register first with
        ``arms.split_deals``).
    recipient, supplier : str or list of str, optional
        Keep only these parties (in both).
    start, end : int, optional
        Count only deliveries in these years.

    Returns
    -------
    pandas.DataFrame
        One row per deal that differs: ``change`` (``added``, ``removed``, ``changed``),
        ``deal_key`` (the new release's, for removed deals the old one's), ``supplier``,
        ``recipient``, ``designation``, ``order_year``, ``units_old``, ``units_new``,
        ``years_old``, ``years_new`` (``"2019; 2020"``), ``tiv_old``, ``tiv_new``,
        ``tiv_change`` and ``changed`` (which of ``units``, ``years``, ``tiv`` moved; empty
        for added and removed deals). Added first, then removed, then changed; largest TIV
        change first within each. ``attrs``: ``old_generated``, ``new_generated``,
        ``counts``, ``matched_on``.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> old = conform(pd.DataFrame({
    ...     "deal_id": [1, 2], "supplier": "Israel", "recipient": "Azerbaijan",
    ...     "designation": ["Harop", "Barak-8"], "order_year": 2016, "year": 2017,
    ...     "units": [50, 1], "tiv": [25.0, 40.0], "allocation": "sipri"}), "deliveries")
    >>> new = conform(pd.DataFrame({
    ...     "deal_id": [1, 3], "supplier": "Israel", "recipient": "Azerbaijan",
    ...     "designation": ["Harop", "LORA"], "order_year": 2016, "year": 2017,
    ...     "units": [60, 4], "tiv": [30.0, 20.0], "allocation": "sipri"}), "deliveries")
    >>> diff = release_diff(old, new)
    >>> diff[["change", "designation", "units_old", "units_new", "tiv_change"]]
        change designation  units_old  units_new  tiv_change
    0    added        LORA       <NA>          4        20.0
    1  removed     Barak-8          1       <NA>       -40.0
    2  changed       Harop         50         60         5.0
    >>> diff["changed"].tolist()
    ['', '', 'units; tiv']
    """
    filters = {"recipient": recipient, "supplier": supplier, "start": start, "end": end}
    a = _deal_level(old, filters)
    b = _deal_level(new, filters)
    by_id = a["deal_id"].notna().all() and b["deal_id"].notna().all()
    if by_id:
        a = a.assign(by_id=a["deal_id"].astype("string"))
        b = b.assign(by_id=b["deal_id"].astype("string"))
        keys = ["by_id"]
    else:
        keys = ["by_name_shape", "by_name", "by_shape_tiv", "by_shape"]
    pairs = _pair(a, b, keys)
    removed = a.drop(index=pairs["pos_a"])
    added = b.drop(index=pairs["pos_b"])
    ma = a.loc[pairs["pos_a"]].reset_index(drop=True)
    mb = b.loc[pairs["pos_b"]].reset_index(drop=True)

    def side(f: pd.DataFrame, suffix: str) -> pd.DataFrame:
        return f[["units", "years", "tiv", "rows"]].add_suffix(suffix).reset_index(drop=True)

    ident = ["deal_key", "supplier", "recipient", "designation", "order_year"]
    both = pd.concat([mb[ident], side(ma, "_old"), side(mb, "_new")], axis=1)
    gone = pd.concat([removed[ident].reset_index(drop=True), side(removed, "_old")], axis=1)
    new_ = pd.concat([added[ident].reset_index(drop=True), side(added, "_new")], axis=1)
    out = pd.concat(
        [
            new_.assign(change="added"),
            gone.assign(change="removed"),
            both.assign(change="changed"),
        ],
        ignore_index=True,
    )
    for col in (
        "units_old",
        "units_new",
        "years_old",
        "years_new",
        "tiv_old",
        "tiv_new",
        "rows_old",
        "rows_new",
    ):
        if col not in out.columns:
            out[col] = pd.NA
    out = out.astype(
        {
            "change": "string",
            "deal_key": "string",
            "supplier": "string",
            "recipient": "string",
            "designation": "string",
            "order_year": "Int64",
            "units_old": "Int64",
            "units_new": "Int64",
            "years_old": "string",
            "years_new": "string",
            "tiv_old": "Float64",
            "tiv_new": "Float64",
        }
    )
    out = _what_changed(out)
    order = {"added": 0, "removed": 1, "changed": 2}
    out = (
        out.assign(_o=out["change"].map(order), _m=-out["tiv_change"].abs())
        .sort_values(["_o", "_m", "deal_key"])
        .reset_index(drop=True)
    )[
        [
            "change",
            *ident,
            "units_old",
            "units_new",
            "years_old",
            "years_new",
            "tiv_old",
            "tiv_new",
            "tiv_change",
            "changed",
        ]
    ]
    out.attrs = {
        "old_generated": generated_of(old),
        "new_generated": generated_of(new),
        "counts": {k: int((out["change"] == k).sum()) for k in order},
        "matched_on": "deal id"
        if by_id
        else "supplier, recipient, order year and designation, then delivery years and units",
    }
    return out
