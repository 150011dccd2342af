"""Deals year by year: deal keys and deal timelines.

:func:`deal_timelines` takes a canonical *deliveries* frame; the text search is the one of
:mod:`arms.analysis.search`.
"""

from __future__ import annotations

import pandas as pd

from arms import entities
from arms.analysis.search import text_mask
from arms.analysis.select import (
    Names,
    allocation_method,
    category_labels,
    check_kind,
    group_labels,
    name_keys,
    names_list,
    party_rows,
    source_of,
)

__all__ = ["deal_keys", "deal_table", "deal_timelines"]


def deal_keys(frame: pd.DataFrame) -> pd.Series:
    """Return a key identifying each row's deal.

    SIPRI's deal id where the file has one; otherwise ``"line <n>"`` after the line the deal
    starts on (trade registers have no id); otherwise supplier, recipient, designation and
    order year joined by ``|``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deals or deliveries (only the id columns are read: ``deal_id``, ``source_line``,
        else the parties, designation and order year).

    Returns
    -------
    pandas.Series
        ``string`` dtype, aligned with ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"deal_id": pd.array([59556, None], dtype="Int64"),
    ...                   "source_line": pd.array([12, 1221], dtype="Int64")})
    >>> deal_keys(f).tolist()
    ['59556', 'line 1221']
    """
    n = len(frame)
    key = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "deal_id" in frame.columns:
        key = key.fillna(frame["deal_id"].astype("Int64").astype("string"))
    if "source_line" in frame.columns:
        line = "line " + frame["source_line"].astype("Int64").astype("string")
        key = key.fillna(line)
    if key.isna().any() and n:
        parts = [
            frame[c].astype("string").fillna("")
            if c in frame.columns
            else pd.Series("", index=frame.index, dtype="string")
            for c in ("supplier", "recipient", "designation", "order_year")
        ]
        composite = parts[0] + "|" + parts[1] + "|" + parts[2] + "|" + parts[3]
        key = key.fillna(composite)
    return key.rename("deal_key")


def deal_timelines(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    family: Names = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Return each deal's deliveries year by year: order, units, TIV and estimate flags.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries. Only registers have ``comments``: to search text SIPRI keeps there
        (such as "Su-30SM version"), split a register with ``arms.split_deals``.
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    family : str or list of str, optional
        Keep only these weapon families (or SIPRI categories): the frame's ``family``
        column (added by ``arms.load`` or ``arms.categorize``).
    text : str, optional
        Keep deals whose designation, description or comments contain it, ignoring case,
        accents and punctuation (``"TB2"`` finds ``"Bayraktar TB-2"``; see
        :func:`arms.analysis.search.text_mask`).

    Returns
    -------
    pandas.DataFrame
        One row per deal and delivery year: ``deal`` (a readable label, unique per deal),
        ``deal_key`` (see :func:`deal_keys`), ``supplier``, ``recipient``, ``designation``,
        ``description``, ``category``, ``order_year``, ``order_year_estimated``, ``year``,
        ``year_estimated``, ``units``, ``units_estimated``, ``tiv_per_unit``, ``tiv``,
        ``status``, ``comments``, ``allocation``; and ``family`` when the frame has it. Sorted
        by recipient, supplier, order year, deal and year. Undelivered deals keep one row
        with ``<NA>`` year when the input has one.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "deal_id": [59556], "supplier": ["Russia"], "recipient": ["Armenia"],
    ...     "designation": ["Su-30K"], "order_year": [2019], "year": [2019], "units": [4],
    ...     "tiv": [190.0], "comments": ["$120 m deal; Su-30SM version"],
    ...     "allocation": ["sipri"]}), "deliveries")
    >>> t = deal_timelines(d, text="su30sm")
    >>> t.loc[0, "deal"], int(t.loc[0, "units"]), float(t.loc[0, "tiv"])
    ('Su-30K (Russia → Armenia, 2019)', 4, 190.0)
    """
    check_kind(frame, "deliveries", func="deal_timelines")
    d = frame
    mask = party_rows(d, "recipient", recipient) & party_rows(d, "supplier", supplier)
    if text is not None:
        mask &= text_mask(d, text)
    if family is not None:
        wanted = {entities.name_key(f) for f in names_list(family)}
        in_family = name_keys(category_labels(d, "family")).isin(wanted)
        if "category" in d.columns:
            in_family |= name_keys(d["category"]).isin(wanted)
        mask &= in_family.astype(bool)
    d = d.loc[mask]
    families = d["family"] if "family" in d.columns else None
    key = deal_keys(d)
    supplier_label = group_labels(d, "supplier")
    recipient_label = group_labels(d, "recipient")
    designation = d["designation"].astype("string").str.strip()
    order = d["order_year"].astype("Int64").astype("string").fillna("?")
    label = (
        designation.fillna("?")
        + " ("
        + supplier_label
        + " \u2192 "
        + recipient_label
        + ", "
        + order
        + ")"
    )
    # a label shared by two deals gets the deal key appended
    keys_per_label = pd.DataFrame({"label": label, "key": key}).groupby("label")["key"]
    shared = keys_per_label.transform("nunique") > 1 if len(d) else label.astype(bool)
    label = label.where(~shared, label + " [" + key + "]")
    columns = {
        "deal": label.astype("string"),
        "deal_key": key,
        "supplier": supplier_label,
        "recipient": recipient_label,
        "designation": designation,
    }
    for col, dtype in [
        ("description", "string"),
        ("category", "string"),
        ("order_year", "Int64"),
        ("order_year_estimated", "boolean"),
        ("year", "Int64"),
        ("year_estimated", "boolean"),
        ("units", "Int64"),
        ("units_estimated", "boolean"),
        ("tiv_per_unit", "Float64"),
        ("tiv", "Float64"),
        ("status", "string"),
        ("comments", "string"),
        ("allocation", "string"),
    ]:
        if col in d.columns:
            columns[col] = d[col].astype(dtype)
        else:
            columns[col] = pd.Series(pd.NA, index=d.index, dtype=dtype)
    if families is not None:
        columns["family"] = families.loc[d.index].astype("string")
    out = pd.DataFrame(columns).sort_values(
        ["recipient", "supplier", "order_year", "deal", "year"], ignore_index=True
    )
    out.attrs = {"source": source_of(frame), "method": allocation_method(d)}
    return out


#: How each column of a deal's yearly rows folds into the deal's one row in :func:`deal_table`.
_DEAL_COLUMNS = {
    "designation": ("designation", "first"),
    "description": ("description", "first"),
    "supplier": ("supplier", "first"),
    "recipient": ("recipient", "first"),
    "order_year": ("order_year", "first"),
    "years": ("year", list),
    "units": ("units", "sum"),
    "units_estimated": ("units_estimated", "any"),
    "tiv": ("tiv", "sum"),
    "tiv_per_unit": ("tiv_per_unit", "first"),
    "comments": ("comments", "first"),
}


def deal_table(timeline: pd.DataFrame, *, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return one row per deal of a :func:`deal_timelines` frame, the largest TIV first.

    Parameters
    ----------
    timeline : pandas.DataFrame
        From :func:`deal_timelines` (one row per deal and delivery year).
    keep : tuple of str
        Further columns to carry (their first value per deal), e.g. ``("search",)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``deal_key``: ``designation``, ``description``, ``supplier``,
        ``recipient``, ``order_year``, ``years`` (the delivery years, a list), ``units`` and
        ``tiv`` (summed), ``units_estimated`` (any year estimated), ``tiv_per_unit``,
        ``comments`` and the ``keep`` columns. ``attrs`` are carried over.

    Examples
    --------
    >>> t = pd.DataFrame({"deal_key": ["a", "a", "b"], "designation": ["T-90S", "T-90S", "Harop"],
    ...     "description": "x", "supplier": ["Russia", "Russia", "Israel"],
    ...     "recipient": "Azerbaijan", "order_year": [2010, 2010, 2016],
    ...     "year": [2011, 2012, 2017], "units": [20, 30, 10], "units_estimated": False,
    ...     "tiv": [80.0, 120.0, 5.0], "tiv_per_unit": [4.0, 4.0, 0.5], "comments": None})
    >>> deal_table(t)[["designation", "years", "units", "tiv"]].to_dict("index")["a"]
    {'designation': 'T-90S', 'years': [2011, 2012], 'units': 50, 'tiv': 200.0}
    """
    columns = {**_DEAL_COLUMNS, **{name: (name, "first") for name in keep}}
    out = (
        timeline.groupby("deal_key", sort=False)
        .agg(**columns)
        .sort_values("tiv", ascending=False, kind="stable")
    )
    out.attrs = dict(timeline.attrs)
    return out
