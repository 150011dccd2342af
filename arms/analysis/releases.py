"""What changed between two SIPRI releases of the same query: deals added, removed, changed.

Both releases are canonical *deals* or *deliveries* frames; undelivered orders count.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from arms.analysis.deals import deal_keys
from arms.analysis.quality import CENT, generated_of
from arms.analysis.search import fold_text
from arms.analysis.select import Names, check_kind, group_labels, name_keys, party_rows
from arms.frames import group_deliveries

__all__ = ["SPELLING", "YEAR_SLACK", "release_diff"]

_EPS = 1e-6

#: The tolerant pass: how far an order year may move, and how alike (``difflib`` ratio of
#: the folded names, 0-1) a respelled designation must be, for a deal to stay the same deal.
YEAR_SLACK = 2
SPELLING = 0.6


_FIELDS = {
    # field in the output: column of the deal-level frame
    "order_year": "order_year",
    "designation": "designation",
    "number_ordered": "number_ordered",
    "number_delivered": "units",
    "delivery_years": "years",
    "tiv_delivered": "tiv",
    "status": "status",
}


def _window(frame: pd.DataFrame, kind: str, start, end) -> pd.Series:
    """Rows in the window: a delivery year in it, or (undelivered) an order year in it."""
    keep = pd.Series(True, index=frame.index)
    if start is None and end is None:
        return keep
    lo = start if start is not None else -(10**4)
    hi = end if end is not None else 10**4
    order = frame["order_year"].astype("Int64")
    ordered_in = ((order >= lo) & (order <= hi)).fillna(False).astype(bool)
    if kind == "deliveries":
        year = frame["year"].astype("Int64")
        delivered_in = ((year >= lo) & (year <= hi)).fillna(False).astype(bool)
        return delivered_in | (year.isna().to_numpy() & ordered_in)
    first = frame["first_delivery_year"].astype("Int64")
    last = frame["last_delivery_year"].astype("Int64")
    overlaps = ((first <= hi) & (last >= lo)).fillna(False).astype(bool)
    return overlaps | (first.isna().to_numpy() & ordered_in)


def _deal_level(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """One row per deal (undelivered orders too): parties, designation, order, units, TIV."""
    kind = check_kind(frame, "deals", "deliveries", func="release_diff")
    mask = party_rows(frame, "recipient", filters["recipient"]) & party_rows(
        frame, "supplier", filters["supplier"]
    )
    f = frame.loc[mask]
    f = f.loc[_window(f, kind, filters["start"], filters["end"])]
    deals = group_deliveries(f) if kind == "deliveries" else f.reset_index(drop=True)
    years = deals["delivery_years"].astype("string").fillna("")
    out = pd.DataFrame(
        {
            "deal_key": deal_keys(deals),
            "deal_id": deals["deal_id"].astype("Int64"),
            "supplier": group_labels(deals, "supplier"),
            "recipient": group_labels(deals, "recipient"),
            "designation": deals["designation"].astype("string").str.strip(),
            "order_year": deals["order_year"].astype("Int64"),
            "number_ordered": deals["number_ordered"].astype("Int64"),
            "units": deals["number_delivered"].astype("Int64"),
            "tiv": deals["tiv_delivered"].astype("Float64"),
            "years": years,
            "status": deals["status"].astype("string"),
            # printed TIVs: a deliveries file prints one per year, a register one per deal
            "rows": (years.str.count(";") + 1).where(years != "", 1)
            if kind == "deliveries"
            else 1,
        }
    ).reset_index(drop=True)
    parties = name_keys(out["supplier"]) + "|" + name_keys(out["recipient"])
    dated = parties + "|" + out["order_year"].astype("string").fillna("?")
    folded = fold_text(out["designation"].fillna(""))
    out["folded"] = folded.astype(str)
    shape = out["years"] + "|" + out["units"].astype("string").fillna("?")
    return out.assign(
        by_name_shape=dated + "|" + folded + "|" + shape,
        by_name=dated + "|" + folded,
        by_shape_tiv=dated + "|" + shape + "|" + out["tiv"].round(1).astype("string").fillna("?"),
        by_shape=dated + "|" + shape,
        by_name_any_year=parties + "|" + folded,
        by_parties=dated,
    )


def _pair(a: pd.DataFrame, b: pd.DataFrame, keys: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Match rows of ``a`` and ``b`` on each key column in turn; return (i, j, pass) rows.

    Within a key, duplicates pair up in order of delivery years, units and deal key.
    """
    pairs = []
    left, right = a, b
    for key, label in keys:
        if left.empty or right.empty:
            break

        def numbered(f, key=key):
            f = f.sort_values([key, "years", "units", "deal_key"])
            return pd.DataFrame(
                {"k": f[key] + "#" + f.groupby(key).cumcount().astype(str), "pos": f.index}
            )

        m = numbered(left).merge(numbered(right), on="k", suffixes=("_a", "_b"))
        pairs.append(m[["pos_a", "pos_b"]].assign(matched_by=label))
        left = left.drop(index=m["pos_a"])
        right = right.drop(index=m["pos_b"])
    if not left.empty and not right.empty:
        pairs.append(_close_pairs(left, right))
    if not pairs:
        return pd.DataFrame({"pos_a": [], "pos_b": [], "matched_by": []}).astype(
            {"pos_a": "int64", "pos_b": "int64", "matched_by": "string"}
        )
    return pd.concat(pairs, ignore_index=True)


def _close_pairs(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Pair what is left tolerantly; return (i, j, pass) rows.

    The same parties and designation with an order year moved by up to :data:`YEAR_SLACK`,
    or the same parties and order year with a designation at least :data:`SPELLING` alike
    (``difflib`` ratio of the folded names). Best candidates first; each deal is used once.
    """
    cand = []
    for key, score in (
        ("by_name_any_year", lambda i, j: abs(_year(left, i) - _year(right, j))),
        (
            "by_parties",
            lambda i, j: 1 - _alike(left.loc[i, "folded"], right.loc[j, "folded"]),
        ),
    ):
        groups = right.groupby(key).groups
        for i, k in left[key].items():
            for j in groups.get(k, ()):
                s = score(i, j)
                ok = s <= YEAR_SLACK if key == "by_name_any_year" else s <= 1 - SPELLING
                if ok:
                    cand.append((key != "by_name_any_year", s, i, j))
    used_a, used_b, rows = set(), set(), []
    for _p, _s, i, j in sorted(cand):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            rows.append((i, j))
    out = pd.DataFrame(rows, columns=["pos_a", "pos_b"], dtype="int64")
    return out.assign(matched_by="tolerant")


def _year(f: pd.DataFrame, i) -> int:
    y = f.loc[i, "order_year"]
    return 10**4 if pd.isna(y) else int(y)


def _alike(a: str, b: str) -> float:
    """Return how alike two folded designations are (``difflib`` ratio, 0-1)."""
    return difflib.SequenceMatcher(None, a, b).ratio()


def _same(old, new) -> bool:
    if pd.isna(old) and pd.isna(new):
        return True
    if pd.isna(old) or pd.isna(new):
        return False
    return old == new


def _changes(ma: pd.DataFrame, mb: pd.DataFrame, compare: set[str]) -> list[dict]:
    """Each matched deal's changed fields as {field: [old, new]} (JSON-ready values)."""
    out = []
    for a, b in zip(
        ma.astype(object).to_dict("records"), mb.astype(object).to_dict("records"), strict=True
    ):
        moved: dict = {}
        for field, col in _FIELDS.items():
            if field not in compare:
                continue
            old, new = a[col], b[col]
            if field == "tiv_delivered":
                # every printed TIV carries half a cent of rounding
                noise = CENT * (int(a["rows"]) + int(b["rows"]))
                o = 0.0 if pd.isna(old) else float(old)
                n = 0.0 if pd.isna(new) else float(new)
                if pd.isna(old) != pd.isna(new) or abs(n - o) > noise + _EPS:
                    moved[field] = [_plain(old), _plain(new)]
            elif field == "designation":
                # a change of case or punctuation only (TB2, TB-2) is the same name
                if a["folded"] != b["folded"]:
                    moved[field] = [_plain(old), _plain(new)]
            elif not _same(old, new):
                moved[field] = [_plain(old), _plain(new)]
        out.append(moved)
    return out


def _plain(v):
    """Return a JSON-ready scalar: None for missing, int/float/str otherwise."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        return round(v, 6)
    return v


def release_diff(
    old: pd.DataFrame,
    new: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Return the deals added, removed and changed between two releases, orders included.

    Both frames may be deals (a trade register) or deliveries (one row per deal and year,
    grouped into deals here); undelivered orders count like any deal. Deals are matched on
    SIPRI's deal id when both frames carry one (``matched_by="id"``). Otherwise (registers
    have no id) on supplier, recipient, order year and designation, compared without case
    or punctuation so that ``Bayraktar TB2`` meets ``Bayraktar TB-2`` (``"fields"``); then
    a tolerant pass for deals still unmatched (``"tolerant"``): the same parties, order
    year, delivery years and units under another designation (``OPV-62`` for
    ``Sa'ar-62``); the same designation with an order year moved by up to
    :data:`YEAR_SLACK` years; or a designation at least :data:`SPELLING` alike. A matched
    deal is *changed* when one of its fields (order year, designation, number ordered,
    number delivered, delivery years, delivered TIV, status) differs; fields one file does
    not carry (a deliveries file has no number ordered) are not compared, and TIV
    differences within the rounding of the printed figures (half a cent each) do not count.
    Compare like with like: exports with different year ranges differ at their edges (use
    ``start``/``end``).

    Parameters
    ----------
    old, new : pandas.DataFrame
        Deals or deliveries from the earlier and the later release.
    recipient, supplier : str or list of str, optional
        Keep only these parties (in both).
    start, end : int, optional
        Keep deals with a delivery in these years (deliveries: count only those years), or
        undelivered orders placed in them.

    Returns
    -------
    pandas.DataFrame
        One row per deal that differs: ``change`` (``added``, ``removed``, ``changed``),
        ``deal_key`` (the new release's, for removed deals the old one's), ``supplier``,
        ``recipient``, ``designation``, ``order_year`` (the new release's where matched),
        ``units_old``, ``units_new``, ``years_old``, ``years_new`` (``"2019; 2020"``),
        ``tiv_old``, ``tiv_new``, ``tiv_change``, ``changed`` (the changed fields joined by
        ``"; "``, empty for added and removed deals), ``changes`` (``{field: [old, new]}``)
        and ``matched_by`` (``id``, ``fields``, ``tolerant``; ``<NA>`` for added and removed).
        Added first, then removed, then changed; largest TIV change first within each.
        ``attrs``: ``old_generated``, ``new_generated``, ``counts`` (``added``, ``removed``,
        ``changed``, ``unchanged``), ``matched_on`` and ``tiv_moved`` (``added``,
        ``removed``, ``changed``: TIV in, out and the net of changed deals; ``gross``).

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
    >>> diff["changes"].iloc[2]
    {'number_delivered': [50, 60], 'tiv_delivered': [25.0, 30.0]}
    >>> diff.attrs["counts"]
    {'added': 1, 'removed': 1, 'changed': 1, 'unchanged': 0}
    """
    filters = {"recipient": recipient, "supplier": supplier, "start": start, "end": end}
    a = _deal_level(old, filters)
    b = _deal_level(new, filters)
    by_id = bool(len(a) and len(b)) and a["deal_id"].notna().all() and b["deal_id"].notna().all()
    if by_id:
        a = a.assign(by_id=a["deal_id"].astype("string"))
        b = b.assign(by_id=b["deal_id"].astype("string"))
        keys = [("by_id", "id")]
    else:
        keys = [
            ("by_name_shape", "fields"),
            ("by_name", "fields"),
            ("by_shape_tiv", "tolerant"),
            ("by_shape", "tolerant"),
        ]
    pairs = _pair(a, b, keys)
    if by_id:
        pairs = pairs.loc[pairs["matched_by"] == "id"]
    removed = a.drop(index=pairs["pos_a"])
    added = b.drop(index=pairs["pos_b"])
    ma = a.loc[pairs["pos_a"]].reset_index(drop=True)
    mb = b.loc[pairs["pos_b"]].reset_index(drop=True)
    # compare only fields both files carry
    compare = {
        f
        for f, col in _FIELDS.items()
        if f not in ("number_ordered", "status") or (a[col].notna().any() and b[col].notna().any())
    }
    changes = _changes(ma, mb, compare)

    def side(f: pd.DataFrame, suffix: str) -> pd.DataFrame:
        return f[["units", "years", "tiv"]].add_suffix(suffix).reset_index(drop=True)

    ident = ["deal_key", "supplier", "recipient", "designation", "order_year"]
    both = pd.concat([mb[ident], side(ma, "_old"), side(mb, "_new")], axis=1).assign(
        change="changed",
        changes=changes,
        matched_by=pairs["matched_by"].to_numpy(),
    )
    gone = pd.concat([removed[ident].reset_index(drop=True), side(removed, "_old")], axis=1)
    new_ = pd.concat([added[ident].reset_index(drop=True), side(added, "_new")], axis=1)
    unchanged = int(sum(1 for c in changes if not c))
    out = pd.concat(
        [
            new_.assign(change="added", changes=[{} for _ in range(len(new_))]),
            gone.assign(change="removed", changes=[{} for _ in range(len(gone))]),
            both.loc[[bool(c) for c in changes]],
        ],
        ignore_index=True,
    )
    for col in ("units_old", "units_new", "years_old", "years_new", "tiv_old", "tiv_new"):
        if col not in out.columns:
            out[col] = pd.NA
    if "matched_by" not in out.columns:
        out["matched_by"] = pd.NA
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
            "matched_by": "string",
        }
    )
    out["tiv_change"] = (out["tiv_new"].fillna(0) - out["tiv_old"].fillna(0)).astype("Float64")
    out["changed"] = pd.Series(
        ["; ".join(c) for c in out["changes"]], index=out.index, dtype="string"
    )
    order = {"added": 0, "removed": 1, "changed": 2}
    out = (
        out.assign(_o=out["change"].map(order), _m=-out["tiv_change"].abs())
        .sort_values(["_o", "_m", "deal_key"], kind="stable")
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
            "changes",
            "matched_by",
        ]
    ]
    counts = {k: int((out["change"] == k).sum()) for k in order}
    moved = {k: round(float(out.loc[out["change"] == k, "tiv_change"].sum()), 6) for k in order}
    moved["gross"] = round(float(out["tiv_change"].abs().sum()), 6)
    out.attrs = {
        "old_generated": generated_of(old),
        "new_generated": generated_of(new),
        "counts": {**counts, "unchanged": unchanged},
        "tiv_moved": moved,
        "matched_on": "deal id"
        if by_id
        else "supplier, recipient, order year and designation, then a tolerant pass (delivery "
        "years and units, a moved order year, a respelled designation)",
    }
    return out
