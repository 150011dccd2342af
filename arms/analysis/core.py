"""The case-study questions as pure functions on the canonical frames.

Every function takes a canonical frame first (see :mod:`arms.schema`) and returns a new frame,
so calls chain with ``DataFrame.pipe``. A *deliveries* frame (one row per deal and year) is
the natural input; a *deals* frame (a trade register) is accepted everywhere too and split
evenly across its delivery years with :func:`arms.io.readers.split_deals` (the result says so:
``attrs["method"] == "even"``, an estimate of the yearly profile, exact per deal).

Conventions, all SIPRI's own:

* TIV is a volume index in millions, not money. A ``<NA>`` TIV (not available) counts as
  nothing in sums; a ``0`` stays a (tiny) delivery.
* "Delivered TIV over a window" sums the per-year TIV of the deliveries whose year falls in
  the window, so deals that straddle the window's edges count only their years inside it.
* Five-year periods end in years ending 0 and 5 (``2016-20``), as in SIPRI's fact sheets.
* TIV *rests on estimates* when SIPRI marks the delivered number (``units_estimated``) or the
  delivery year (``year_estimated``) of that year's row with ``?`` -- the two flags that change
  how much TIV is counted, and in which year (:data:`ESTIMATE_FLAGS`). An uncertain order
  year does not change delivered volumes and is not counted; a missing flag counts as not
  estimated.
* Names: raw SIPRI names are accepted, compared by :func:`arms.entities.name_key` (ignoring
  case, accents and extra spaces). When a frame has harmonised columns (``recipient_name``/
  ``supplier_name`` from :func:`arms.entities.harmonize`) those label the output, and the
  crosswalk (:func:`arms.entities.party_key`) lets ``"Turkey"`` find ``"Turkiye"``. A name
  the frame does not contain raises :class:`arms.UnknownEntityError`.

Every result carries ``attrs["source"]`` of its input (for the chart's source note and the
data's generated date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import itertools
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from arms import categories, entities, text
from arms.errors import NotApplicable, UnknownEntityError
from arms.io.readers import split_deals

log = logging.getLogger(__name__)

__all__ = [
    "ESTIMATE_FLAGS",
    "EVENTS",
    "Event",
    "as_deliveries",
    "category_matrix",
    "compare_recipients",
    "concentration",
    "customer_rank",
    "deal_keys",
    "deal_timelines",
    "events_frame",
    "five_year_periods",
    "flows",
    "leading_supplier",
    "period_label",
    "period_table",
    "reconcile",
    "overtake",
    "period_containing",
    "release_diff",
    "window",
    "require",
    "suggest_names",
    "supplier_scope",
    "supplier_shares",
    "supplier_to_recipients",
    "yearly_series",
]

#: The flags that make a year's delivered TIV an estimate: how many units (``?`` on the
#: number delivered) and when (``?`` on the delivery year).
ESTIMATE_FLAGS: tuple[str, ...] = ("units_estimated", "year_estimated")

#: SIPRI's five-year periods end in years ending 0 and 5 (2006-10, 2011-15, 2016-20).
PERIOD_ANCHOR = 2020

_GROUPINGS = ("supplier", "recipient", "category", "family")
_EPS = 1e-6
_CENT = 0.005  # half the last printed digit of a register's or deliveries file's TIV
Names = str | Iterable[str] | None


# --------------------------------------------------------------------------------------------
# events
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Event:
    """A dated event to mark on charts.

    Parameters
    ----------
    label : str
        What happened.
    start, end : datetime.date
        First and last day, inclusive.
    """

    label: str
    start: dt.date
    end: dt.date


#: The fighting the case study is about: the April 2016 clashes ("four-day war", 1-5 April)
#: and the 2020 war (27 September - 10 November, ended by the Russian-brokered ceasefire).
EVENTS: tuple[Event, ...] = (
    Event("April 2016 clashes", dt.date(2016, 4, 1), dt.date(2016, 4, 5)),
    Event("2020 Nagorno-Karabakh war", dt.date(2020, 9, 27), dt.date(2020, 11, 10)),
)


def events_frame(events: Iterable[Event] = EVENTS) -> pd.DataFrame:
    """Return chart event markers as a frame.

    Parameters
    ----------
    events : iterable of Event, default EVENTS
        The events.

    Returns
    -------
    pandas.DataFrame
        ``label`` (string), ``start`` and ``end`` (datetime64, inclusive days).

    Examples
    --------
    >>> events_frame()[["label", "start"]].iloc[1].tolist()
    ['2020 Nagorno-Karabakh war', Timestamp('2020-09-27 00:00:00')]
    """
    rows = [dataclasses.asdict(e) for e in events]
    return pd.DataFrame(
        {
            "label": pd.Series([r["label"] for r in rows], dtype="string"),
            "start": pd.to_datetime(pd.Series([r["start"] for r in rows], dtype="object")),
            "end": pd.to_datetime(pd.Series([r["end"] for r in rows], dtype="object")),
        }
    )


# --------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------


def _kind(frame: pd.DataFrame) -> str:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, not {type(frame).__name__}")
    cols = set(frame.columns)
    if {"entity", "counterpart", "tiv"} <= cols:
        return "tiv"
    if {"year", "tiv"} <= cols:
        return "deliveries"
    if {"tiv_delivered", "delivery_years"} & cols:
        return "deals"
    raise ValueError(
        "expected a canonical deliveries frame (year, tiv, allocation), deals frame "
        "(tiv_delivered, delivery_years) or TIV table (entity, counterpart, year, tiv); "
        f"got columns {sorted(map(str, cols))}"
    )


def as_deliveries(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as a deliveries frame, splitting a deals frame evenly.

    A deals frame (a trade register) goes through :func:`arms.io.readers.split_deals`, which
    spreads each deal's delivered units and TIV evenly over its delivery years
    (``allocation="even"``). Columns the deals frame has beyond the canonical ones (such as
    harmonised names) are carried over to every year of their deal.

    Parameters
    ----------
    frame : pandas.DataFrame
        A canonical deliveries or deals frame.

    Returns
    -------
    pandas.DataFrame
        Deliveries; the input itself when it already is one.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If it is neither deliveries nor deals (for example a TIV table).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"year": [2020], "tiv": [1.0]}), "deliveries")
    >>> as_deliveries(d) is d
    True
    """
    kind = _kind(frame)
    if kind == "deliveries":
        return frame
    if kind == "tiv":
        raise ValueError("a TIV table has no deliveries; pass a register or deliveries frame")
    split = split_deals(frame)
    extra = [c for c in frame.columns if c not in split.columns]
    if extra and "source_line" in split.columns and frame["source_line"].is_unique:
        lookup = frame.set_index("source_line")[extra]
        carried = lookup.reindex(split["source_line"].to_numpy())
        split = split.assign(**{c: carried[c].to_numpy() for c in extra})
    return split


def deal_keys(frame: pd.DataFrame) -> pd.Series:
    """Return a key identifying each row's deal.

    SIPRI's deal id where the file has one; otherwise ``"line <n>"`` after the line the deal
    starts on (trade registers have no id); otherwise supplier, recipient, designation and
    order year joined by ``|``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deals or deliveries.

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


def _as_list(names: Names) -> list[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        return [names]
    return [str(n) for n in names]


def _name_columns(frame: pd.DataFrame, role: str) -> list[str]:
    return [c for c in (role, f"{role}_name") if c in frame.columns]


def _match_one(frame: pd.DataFrame, role: str, name: str) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    want = entities.name_key(name)
    columns = _name_columns(frame, role)
    for col in columns:
        values = frame[col]
        uniques = [u for u in values.dropna().unique()]
        hits = [u for u in uniques if entities.name_key(u) == want]
        if hits:
            mask |= values.isin(hits).fillna(False).astype(bool)
    if not mask.any():  # another spelling of the party (Turkey for Turkiye)
        canon = entities.party_key(name)
        for col in columns:
            values = frame[col]
            hits = [u for u in values.dropna().unique() if entities.party_key(str(u)) == canon]
            if hits:
                mask |= values.isin(hits).fillna(False).astype(bool)
    return mask


def _match(frame: pd.DataFrame, role: str, names: Names, *, errors: str = "raise") -> pd.Series:
    """Boolean mask of rows whose ``role`` party is one of ``names`` (all rows for None)."""
    wanted = _as_list(names)
    if wanted is None:
        return pd.Series(True, index=frame.index)
    if not _name_columns(frame, role):
        raise ValueError(f"the frame has no {role!r} column")
    mask = pd.Series(False, index=frame.index)
    missing = []
    for name in wanted:
        hit = _match_one(frame, role, name)
        if not hit.any():
            missing.append(name)
        mask |= hit
    if missing and errors == "raise":
        raise UnknownEntityError(missing)
    return mask


def _labels(frame: pd.DataFrame, by: str) -> pd.Series:
    """Return the value each row is grouped under (harmonised names first, else raw)."""
    if by not in _GROUPINGS:
        raise ValueError(f"by must be one of {list(_GROUPINGS)}, not {by!r}")
    if by in ("supplier", "recipient"):
        values = frame[by].astype("string")
        named = f"{by}_name"
        if named in frame.columns:
            values = frame[named].astype("string").fillna(values)
    else:
        values = _category_column(frame, by)
    return values.fillna("unknown").rename(by)


def _category_column(frame: pd.DataFrame, by: str) -> pd.Series:
    if by in frame.columns and frame[by].notna().any():
        return frame[by].astype("string")
    if frame.empty:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    categorized = categories.categorize(frame, errors="ignore")
    if by not in categorized.columns or len(categorized) != len(frame):
        raise ValueError(f"arms.categories.categorize gave no {by!r} column")
    return pd.Series(categorized[by].to_numpy(), index=frame.index, dtype="string")


def _estimated(frame: pd.DataFrame) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    for flag in ESTIMATE_FLAGS:
        if flag in frame.columns:
            mask |= frame[flag].astype("boolean").fillna(False).astype(bool)
    return mask


def _select(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Deliveries of the parties asked for, in the window, with ``tiv_estimated`` added.

    Rows without a delivery year (undelivered orders) are dropped; ``<NA>`` TIV counts 0.
    """
    d = as_deliveries(frame)
    mask = _match(d, "recipient", recipient) & _match(d, "supplier", supplier)
    year = d["year"].astype("Int64")
    mask &= year.notna().fillna(False).astype(bool)
    if start is not None:
        mask &= (year >= start).fillna(False).astype(bool)
    if end is not None:
        mask &= (year <= end).fillna(False).astype(bool)
    d = d.loc[mask]
    tiv = d["tiv"].astype("Float64").fillna(0.0)
    return d.assign(tiv=tiv, tiv_estimated=tiv.where(_estimated(d), 0.0))


def _sum(d: pd.DataFrame, keys: dict[str, pd.Series]) -> pd.DataFrame:
    """TIV and estimated TIV summed over the key columns (empty frame for no rows)."""
    data = pd.DataFrame(
        {**keys, "tiv": d["tiv"].astype("Float64"), "tiv_estimated": d["tiv_estimated"]}
    )
    out = data.groupby(list(keys), sort=False, dropna=False)[["tiv", "tiv_estimated"]].sum()
    out = out.reset_index()
    for k in keys:
        out[k] = out[k].astype(keys[k].dtype)
    return out.astype({"tiv": "Float64", "tiv_estimated": "Float64"})


def _percent(part: pd.Series, total: float) -> pd.Series:
    if total > 0:
        return (part.astype("Float64") / total * 100).astype("Float64")
    return pd.Series(pd.NA, index=part.index, dtype="Float64")


def _method(d: pd.DataFrame) -> str:
    """``sipri`` (per-year figures from the file), ``even`` (a split register) or ``mixed``."""
    if "allocation" not in d.columns:
        return "unknown"
    values = set(d["allocation"].dropna().unique())
    if values == {"sipri"}:
        return "sipri"
    if values == {"even"}:
        return "even"
    return "mixed" if values else "unknown"


def _source(frame: pd.DataFrame) -> dict:
    return dict(frame.attrs.get("source", {}) or {})


#: Preamble values of the supplier side that mean "every supplier" (compared casefolded).
_ALL_SUPPLIERS = ("", "all", "all countries", "all suppliers")


def supplier_scope(frame: pd.DataFrame) -> str | None:
    """Return the suppliers a file is limited to, or ``None`` for a file of every supplier.

    A register or deliveries export queried "from China to All countries" says so in its
    preamble (``attrs["source"]["supplier_scope"] == "China"``) and holds only those
    suppliers' deals: shares computed from it are shares of those suppliers' deliveries,
    not of a recipient's imports.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame read by :mod:`arms.io.readers` (or a result carrying its ``source``).

    Returns
    -------
    str or None
        The preamble's supplier side (``"China"``); ``None`` when it is missing or says
        "All countries".

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame()
    >>> f.attrs["source"] = {"supplier_scope": "China"}
    >>> supplier_scope(f)
    'China'
    >>> f.attrs["source"] = {"supplier_scope": "All countries"}
    >>> supplier_scope(f) is None
    True
    """
    sources = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    if isinstance(sources, Mapping):
        sources = [sources]
    scopes = []
    for source in sources or []:
        if not isinstance(source, Mapping):
            continue
        scope = source.get("supplier_scope")
        text = " ".join(str(scope).split()) if scope is not None else ""
        if text.casefold() in _ALL_SUPPLIERS:
            return None  # one source of every supplier: the frame is not limited
        scopes.append(text)
    return ", ".join(dict.fromkeys(scopes)) or None


def suggest_names(name: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` of ``names`` close to a misspelt ``name``, closest first.

    Names are compared by :func:`arms.entities.name_key` (case and accents ignored) with
    :func:`difflib.get_close_matches`; each suggestion is returned as ``names`` spells it.

    Examples
    --------
    >>> suggest_names("Azerbajan", ["Armenia", "Azerbaijan", "Georgia"])
    ['Azerbaijan']
    >>> suggest_names("Atlantis", ["Armenia"])
    []
    """
    by_key: dict[str, str] = {}
    for candidate in names:
        if candidate is None or candidate != candidate:
            continue
        by_key.setdefault(entities.name_key(candidate), str(candidate))
    close = difflib.get_close_matches(entities.name_key(name), list(by_key), n=n)
    return [by_key[k] for k in close]


def _display(d: pd.DataFrame, role: str, name: str) -> str:
    """Return the data's own label for ``name`` when it is unambiguous, else ``name``."""
    labels = _labels(d.loc[_match(d, role, name)], role).unique()
    return str(labels[0]) if len(labels) == 1 else name


def _sort_desc(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return frame.sort_values(["tiv", label], ascending=[False, True], ignore_index=True)


# --------------------------------------------------------------------------------------------
# shares, series, periods
# --------------------------------------------------------------------------------------------


def supplier_shares(frame: pd.DataFrame, recipient: str, *, start: int, end: int) -> pd.DataFrame:
    """Return each supplier's share of a recipient's delivered TIV over a window.

    SIPRI's own figures (per-year deliveries, ``method="sipri"``) are exact; from a register
    the yearly split is even (``method="even"``) and the shares are an estimate whenever a
    deal straddles the window's edges.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipient : str
        The importing party, as SIPRI names it (see the module notes on names).
    start, end : int
        First and last delivery year, inclusive.

    Returns
    -------
    pandas.DataFrame
        One row per supplier, largest first: ``supplier``, ``tiv``, ``share`` (percent of the
        recipient's total, Float64, summing to 100), ``tiv_estimated`` (the part of ``tiv``
        resting on estimated numbers or years) and ``estimated_share`` (that part as a percent
        of the supplier's ``tiv``). ``attrs``: ``method``, ``recipient``, ``start``, ``end``,
        ``total_tiv``, ``tiv_estimated``, ``estimated_share`` (percent of the total),
        ``source`` and ``supplier_scope`` (see :func:`supplier_scope`: ``"China"`` when the
        file only holds China's exports, so the shares are of those, not of all imports;
        ``None`` for a file of every supplier).

    Raises
    ------
    arms.UnknownEntityError
        If the frame has no deliveries to ``recipient`` at all.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Israel", "Israel", "Russia", "Russia"],
    ...     "year": [2016, 2017, 2016, 2021], "tiv": [60.0, 15.0, 25.0, 99.0],
    ...     "units_estimated": [False, True, False, False], "allocation": "sipri"}),
    ...     "deliveries")
    >>> s = supplier_shares(d, "Azerbaijan", start=2016, end=2020)
    >>> s[["supplier", "tiv", "share", "tiv_estimated"]]
      supplier   tiv  share  tiv_estimated
    0   Israel  75.0   75.0           15.0
    1   Russia  25.0   25.0            0.0
    >>> s.attrs["method"], s.attrs["total_tiv"]
    ('sipri', 100.0)
    """
    full = as_deliveries(frame)
    d = _select(full, recipient=recipient, start=start, end=end)
    g = _sum(d, {"supplier": _labels(d, "supplier")})
    total = float(g["tiv"].sum())
    out = g.assign(
        share=_percent(g["tiv"], total),
        estimated_share=(g["tiv_estimated"] / g["tiv"].where(g["tiv"] > 0) * 100).astype(
            "Float64"
        ),
    )
    out = _sort_desc(out, "supplier")[
        ["supplier", "tiv", "share", "tiv_estimated", "estimated_share"]
    ]
    estimated = float(g["tiv_estimated"].sum())
    out.attrs = {
        "method": _method(d) if len(d) else _method(full),
        "recipient": _display(full, "recipient", recipient),
        "start": start,
        "end": end,
        "total_tiv": total,
        "tiv_estimated": estimated,
        "estimated_share": estimated / total * 100 if total > 0 else None,
        "source": _source(frame),
        "supplier_scope": supplier_scope(frame),
    }
    return out


def yearly_series(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    by: str = "supplier",
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Return delivered TIV per year and group (supplier, recipient, category or family).

    Every year of the window appears for every group that has a delivery in it, with ``0``
    where nothing was delivered, so lines and stacked areas drop to zero instead of
    interpolating across gaps, and the years add up to the window total.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    by : {"supplier", "recipient", "category", "family"}, default "supplier"
        The grouping. ``family`` (and ``category`` when the frame lacks it) comes from
        :func:`arms.categories.categorize`.
    start, end : int, optional
        The window; by default the first and last year with a delivery in the selection.

    Returns
    -------
    pandas.DataFrame
        Long: ``year`` (Int64), ``<by>``, ``tiv`` and ``tiv_estimated``, sorted by year and
        group.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia", "Azerbaijan"],
    ...     "supplier": "Russia", "year": [2016, 2016, 2018], "tiv": [5.0, 7.0, 3.0],
    ...     "allocation": "sipri"}), "deliveries")
    >>> yearly_series(d, supplier="Russia", by="recipient", start=2016, end=2018)
       year   recipient  tiv  tiv_estimated
    0  2016     Armenia  7.0            0.0
    1  2016  Azerbaijan  5.0            0.0
    2  2017     Armenia  0.0            0.0
    3  2017  Azerbaijan  0.0            0.0
    4  2018     Armenia  0.0            0.0
    5  2018  Azerbaijan  3.0            0.0
    """
    d = _select(frame, recipient=recipient, supplier=supplier, start=start, end=end)
    labels = _labels(d, by)
    g = _sum(d, {"year": d["year"].astype("Int64"), by: labels})
    groups = sorted(labels.unique())
    out = _grid(g, by, groups, start, end, _source(frame))
    out.attrs["supplier_scope"] = supplier_scope(frame)
    return out


def _grid(g, by, groups, start, end, source) -> pd.DataFrame:
    if start is None:
        start = int(g["year"].min()) if len(g) else None
    if end is None:
        end = int(g["year"].max()) if len(g) else None
    if start is None or end is None or not groups:
        out = pd.DataFrame(
            {
                "year": pd.Series(dtype="Int64"),
                by: pd.Series(dtype="string"),
                "tiv": pd.Series(dtype="Float64"),
                "tiv_estimated": pd.Series(dtype="Float64"),
            }
        )
    else:
        index = pd.MultiIndex.from_product([range(start, end + 1), groups], names=["year", by])
        out = (
            g.astype({"year": "int64", by: "object"})
            .set_index(["year", by])
            .reindex(index, fill_value=0.0)
            .reset_index()
            .astype({"year": "Int64", by: "string", "tiv": "Float64", "tiv_estimated": "Float64"})
        )
    out.attrs = {"source": source, "start": start, "end": end}
    return out


def period_label(start: int, end: int) -> str:
    """Return SIPRI's label for a period of years.

    Parameters
    ----------
    start, end : int
        First and last year, inclusive.

    Returns
    -------
    str
        ``"2016-20"``; ``"1996-2000"`` across a century; ``"2023"`` for a single year.

    Examples
    --------
    >>> period_label(2016, 2020), period_label(1996, 2000), period_label(2023, 2023)
    ('2016-20', '1996-2000', '2023')
    """
    if start == end:
        return str(start)
    if start // 100 == end // 100:
        return f"{start}-{end % 100:02d}"
    return f"{start}-{end}"


def five_year_periods(
    first: int, last: int, *, length: int = 5, anchor: int = PERIOD_ANCHOR
) -> pd.DataFrame:
    """Return SIPRI-style consecutive periods covering ``first``..``last``.

    Periods end in ``anchor`` plus multiples of ``length`` (by default years ending 0 and 5,
    as in SIPRI's fact sheets: 2006-10, 2011-15, 2016-20). A leading period that would start
    before ``first`` is left out (a part-period would compare badly with full ones); the last
    period is cut at ``last`` and labelled with its real years (``2021-23``) so that nobody
    mistakes it for a full one.

    Parameters
    ----------
    first, last : int
        The years the data covers.
    length : int, default 5
        Years per period.
    anchor : int, default 2020
        A year on which a period ends. ``anchor=2024`` gives 2015-19, 2020-24.

    Returns
    -------
    pandas.DataFrame
        ``period`` (label), ``start``, ``end``.

    Examples
    --------
    >>> five_year_periods(2004, 2023)["period"].tolist()
    ['2006-10', '2011-15', '2016-20', '2021-23']
    >>> five_year_periods(2015, 2024, anchor=2024)["period"].tolist()
    ['2015-19', '2020-24']
    """
    if length < 1:
        raise ValueError("length must be at least 1")
    # the first period that starts at or after `first`
    end = anchor + math.ceil((first + length - 1 - anchor) / length) * length
    rows = []
    while end - length + 1 <= last:
        s, e = end - length + 1, min(end, last)
        rows.append((period_label(s, e), s, e))
        end += length
    return pd.DataFrame(rows, columns=["period", "start", "end"]).astype(
        {"period": "string", "start": "Int64", "end": "Int64"}
    )


_RE_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-\u2013]\s*(\d{2}|\d{4}))?\s*$")


def _parse_period(label: str) -> tuple[str, int, int]:
    m = _RE_PERIOD.match(str(label))
    if not m:
        raise ValueError(f"cannot read period {label!r}; use '2016-20' or (2016, 2020)")
    s = int(m.group(1))
    e = m.group(2)
    if e is None:
        e = s
    elif len(e) == 2:
        e = s // 100 * 100 + int(e)
        if e < s:
            e += 100
    else:
        e = int(e)
    return period_label(s, int(e)), s, int(e)


def _periods(periods, d: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Normalise ``periods`` to (label, start, end) triples."""
    if periods is None or isinstance(periods, int):
        years = d["year"].dropna()
        if years.empty:
            return []
        length = 5 if periods is None else periods
        table = five_year_periods(int(years.min()), int(years.max()), length=length)
        return [(str(p), int(s), int(e)) for p, s, e in table.itertuples(index=False)]
    if isinstance(periods, pd.DataFrame):
        periods = [
            (str(p), int(s), int(e))
            for p, s, e in periods[["period", "start", "end"]].itertuples(index=False)
        ]
    out = []
    for p in periods:
        if isinstance(p, str):
            out.append(_parse_period(p))
        elif len(p) == 2:
            s, e = int(p[0]), int(p[1])
            out.append((period_label(s, e), s, e))
        elif len(p) == 3:
            out.append((str(p[0]), int(p[1]), int(p[2])))
        else:
            raise ValueError(f"cannot read period {p!r}")
    for label, s, e in out:
        if e < s:
            raise ValueError(f"period {label!r} ends before it starts")
    return out


def period_table(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    by: str = "supplier",
    periods=None,
) -> pd.DataFrame:
    """Return delivered TIV per period and group, with each group's share of the period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    by : {"supplier", "recipient", "category", "family"}, default "supplier"
        The grouping.
    periods : optional
        ``None`` for SIPRI's five-year periods over the years the frame covers (see
        :func:`five_year_periods`); an int for periods of that length; a list of labels
        (``"2016-20"``), ``(start, end)`` or ``(label, start, end)`` tuples; or a frame
        from :func:`five_year_periods`. Periods may overlap.

    Returns
    -------
    pandas.DataFrame
        Long, one row per period and group with a delivery in it, largest first within each
        period: ``period``, ``start``, ``end``, ``<by>``, ``tiv``, ``share`` (percent of the
        period's total in the selection), ``tiv_estimated``.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Russia", "Israel", "Israel"],
    ...     "year": [2012, 2013, 2017], "tiv": [30.0, 10.0, 50.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> period_table(d, periods=["2011-15", "2016-20"])[["period", "supplier", "tiv", "share"]]
        period supplier   tiv  share
    0  2011-15   Russia  30.0   75.0
    1  2011-15   Israel  10.0   25.0
    2  2016-20   Israel  50.0  100.0
    """
    full = as_deliveries(frame)
    spans = _periods(periods, full)
    d = _select(full, recipient=recipient, supplier=supplier)
    labels = _labels(d, by)
    parts = []
    for label, s, e in spans:
        inside = d["year"].between(s, e).fillna(False).astype(bool)
        g = _sum(d.loc[inside], {by: labels.loc[inside]})
        g = _sort_desc(g.assign(share=_percent(g["tiv"], float(g["tiv"].sum()))), by)
        parts.append(g.assign(period=label, start=s, end=e))
    columns = ["period", "start", "end", by, "tiv", "share", "tiv_estimated"]
    dtypes = {
        "period": "string",
        "start": "Int64",
        "end": "Int64",
        by: "string",
        "tiv": "Float64",
        "share": "Float64",
        "tiv_estimated": "Float64",
    }
    parts = [p for p in parts if len(p)]
    if parts:
        out = pd.concat(parts, ignore_index=True)[columns].astype(dtypes)
    else:
        out = pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})
    out.attrs = {
        "source": _source(frame),
        "method": _method(d),
        "periods": spans,
        "supplier_scope": supplier_scope(frame),
    }
    return out


def leading_supplier(
    frame: pd.DataFrame, recipient: Names = None, *, periods=None
) -> pd.DataFrame:
    """Return the largest supplier in each period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipient : str or list of str, optional
        The importing party (all recipients together when omitted).
    periods : optional
        As for :func:`period_table`.

    Returns
    -------
    pandas.DataFrame
        One row per period, in period order: ``period``, ``supplier`` (``<NA>`` when nothing
        was delivered), ``tiv``, ``share`` (percent). Ties go to the name first in
        alphabetical order.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Azerbaijan", "supplier": ["Russia", "Israel", "Israel"],
    ...     "year": [2012, 2013, 2017], "tiv": [30.0, 10.0, 50.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> leading_supplier(d, "Azerbaijan", periods=["2011-15", "2016-20"])
        period supplier   tiv  share
    0  2011-15   Russia  30.0   75.0
    1  2016-20   Israel  50.0  100.0
    """
    table = period_table(frame, recipient=recipient, periods=periods)
    rows = []
    for label, _s, _e in table.attrs["periods"]:
        part = table.loc[table["period"] == label]
        if len(part) and float(part["tiv"].iloc[0]) > 0:
            top = part.iloc[0]
            rows.append((label, top["supplier"], top["tiv"], top["share"]))
        else:
            rows.append((label, pd.NA, 0.0, pd.NA))
    out = pd.DataFrame(rows, columns=["period", "supplier", "tiv", "share"]).astype(
        {"period": "string", "supplier": "string", "tiv": "Float64", "share": "Float64"}
    )
    out.attrs = {"source": _source(frame), "supplier_scope": table.attrs["supplier_scope"]}
    return out


def concentration(frame: pd.DataFrame, recipient: Names = None, *, periods=None) -> pd.DataFrame:
    """Return the Herfindahl-Hirschman index of a recipient's suppliers per period.

    The index is the sum of the squared supplier shares in percent: 10000 for a single
    supplier, near 0 for many small ones (above 2500 counts as highly concentrated in
    competition practice).

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipient : str or list of str, optional
        The importing party.
    periods : optional
        As for :func:`period_table`.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period``, ``hhi`` (Float64, 0-10000; ``<NA>`` when nothing was
        delivered), ``suppliers`` (how many delivered anything in the period).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Armenia", "supplier": ["Russia", "India"],
    ...     "year": [2021, 2022], "tiv": [50.0, 50.0], "allocation": "sipri"}), "deliveries")
    >>> concentration(d, "Armenia", periods=[(2021, 2025)])
        period     hhi  suppliers
    0  2021-25  5000.0          2
    """
    table = period_table(frame, recipient=recipient, periods=periods)
    rows = []
    for label, _s, _e in table.attrs["periods"]:
        part = table.loc[table["period"] == label]
        share = part["share"].dropna()
        hhi = float((share**2).sum()) if len(share) else pd.NA
        rows.append((label, hhi, len(part)))
    out = pd.DataFrame(rows, columns=["period", "hhi", "suppliers"]).astype(
        {"period": "string", "hhi": "Float64", "suppliers": "Int64"}
    )
    out.attrs = {"source": _source(frame), "supplier_scope": table.attrs["supplier_scope"]}
    return out


def compare_recipients(
    frame: pd.DataFrame, recipients: Sequence[str], *, supplier: Names = None, periods=None
) -> pd.DataFrame:
    """Return two (or more) recipients' delivered TIV side by side per period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipients : sequence of str
        At least two importing parties; ``ratio`` divides the first by the second.
    supplier : str or list of str, optional
        Count only deliveries from these suppliers (Russia to each side, say).
    periods : optional
        As for :func:`period_table`.

    Returns
    -------
    pandas.DataFrame
        One row per period and recipient (``0`` when nothing was delivered): ``period``,
        ``start``, ``end``, ``recipient``, ``tiv``, ``tiv_estimated`` and ``ratio`` (the
        first recipient's TIV over the second's in that period, the same on each row of the
        period; ``<NA>`` when the second got nothing).

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia", "Azerbaijan"], "supplier": "Russia",
    ...     "year": [2011, 2012, 2017], "tiv": [90.0, 30.0, 10.0], "allocation": "sipri"}),
    ...     "deliveries")
    >>> compare_recipients(d, ["Azerbaijan", "Armenia"], periods=["2011-15", "2016-20"])[
    ...     ["period", "recipient", "tiv", "ratio"]]
        period   recipient   tiv  ratio
    0  2011-15  Azerbaijan  90.0    3.0
    1  2011-15     Armenia  30.0    3.0
    2  2016-20  Azerbaijan  10.0   <NA>
    3  2016-20     Armenia   0.0   <NA>
    """
    names = _as_list(recipients) or []
    if len(names) < 2:
        raise ValueError("compare_recipients needs at least two recipients")
    full = as_deliveries(frame)
    spans = _periods(periods, full)
    d = _select(full, supplier=supplier)
    masks = [_match(full, "recipient", n).reindex(d.index) for n in names]
    shown = [_display(full, "recipient", n) for n in names]
    rows = []
    for label, s, e in spans:
        inside = d["year"].between(s, e).fillna(False).astype(bool)
        totals = []
        for mask in masks:
            part = d.loc[inside & mask]
            totals.append((float(part["tiv"].sum()), float(part["tiv_estimated"].sum())))
        second = totals[1][0]
        ratio = totals[0][0] / second if second > 0 else pd.NA
        for name, (tiv, est) in zip(shown, totals, strict=True):
            rows.append((label, s, e, name, tiv, est, ratio))
    out = pd.DataFrame(
        rows, columns=["period", "start", "end", "recipient", "tiv", "tiv_estimated", "ratio"]
    ).astype(
        {
            "period": "string",
            "start": "Int64",
            "end": "Int64",
            "recipient": "string",
            "tiv": "Float64",
            "tiv_estimated": "Float64",
            "ratio": "Float64",
        }
    )
    out.attrs = {
        "source": _source(frame),
        "method": _method(d),
        "supplier_scope": supplier_scope(frame),
    }
    return out


def supplier_to_recipients(
    frame: pd.DataFrame,
    supplier: str,
    recipients: Sequence[str],
    *,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Return one supplier's deliveries to each of several recipients, by year.

    Russia to Azerbaijan and to Armenia, say. Every recipient asked for appears in every
    year of the window, with ``0`` when it received nothing.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    supplier : str
        The exporting party.
    recipients : sequence of str
        The importing parties.
    start, end : int, optional
        The window; by default the years with a delivery in the selection.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``recipient``, ``tiv``, ``tiv_estimated``; recipients in the order given.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan", "Armenia"], "supplier": "Russia",
    ...     "year": [2016, 2017], "tiv": [5.0, 7.0], "allocation": "sipri"}), "deliveries")
    >>> s = supplier_to_recipients(d, "Russia", ["Azerbaijan", "Armenia"])
    >>> s[["year", "recipient", "tiv"]]
       year   recipient  tiv
    0  2016  Azerbaijan  5.0
    1  2016     Armenia  0.0
    2  2017  Azerbaijan  0.0
    3  2017     Armenia  7.0
    """
    names = _as_list(recipients) or []
    full = as_deliveries(frame)
    d = _select(full, recipient=names, supplier=supplier, start=start, end=end)
    parts = []
    shown = []
    for name in names:
        part = d.loc[_match(d, "recipient", name, errors="ignore")]
        label = _display(full, "recipient", name)
        shown.append(label)
        key = pd.Series(label, index=part.index, dtype="string")
        parts.append(_sum(part, {"year": part["year"].astype("Int64"), "recipient": key}))
    g = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out = _grid(g, "recipient", shown, start, end, _source(frame))
    order = {name: i for i, name in enumerate(shown)}
    out = out.sort_values(
        ["year", "recipient"], key=lambda s: s.map(order) if s.name == "recipient" else s
    ).reset_index(drop=True)
    return out


def flows(frame: pd.DataFrame, *, recipient: Names = None, start: int, end: int) -> pd.DataFrame:
    """Return delivered TIV per supplier-recipient pair over a window (for Sankey charts).

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
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
    d = _select(frame, recipient=recipient, start=start, end=end)
    g = _sum(d, {"supplier": _labels(d, "supplier"), "recipient": _labels(d, "recipient")})
    out = g.sort_values(
        ["tiv", "supplier", "recipient"], ascending=[False, True, True], ignore_index=True
    )[["supplier", "recipient", "tiv", "tiv_estimated"]]
    out.attrs = {"source": _source(frame), "start": start, "end": end, "method": _method(d)}
    return out


def category_matrix(
    frame: pd.DataFrame,
    *,
    recipient: Names,
    start: int,
    end: int,
    by: str = "family",
) -> pd.DataFrame:
    """Return delivered TIV per weapon group and supplier over a window.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (split evenly).
    recipient : str or list of str
        The importing party.
    start, end : int
        The window, inclusive.
    by : {"family", "category"}, default "family"
        SIPRI's armament category, or the package's finer weapon family (both via
        :func:`arms.categories.categorize` when the frame lacks the column).

    Returns
    -------
    pandas.DataFrame
        Long: ``<by>``, ``supplier``, ``tiv``, ``tiv_estimated``; sorted by group, then
        largest supplier first.

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
    d = _select(frame, recipient=recipient, start=start, end=end)
    g = _sum(d, {by: _labels(d, by), "supplier": _labels(d, "supplier")})
    out = g.sort_values([by, "tiv", "supplier"], ascending=[True, False, True], ignore_index=True)[
        [by, "supplier", "tiv", "tiv_estimated"]
    ]
    out.attrs = {"source": _source(frame), "start": start, "end": end, "method": _method(d)}
    return out


# --------------------------------------------------------------------------------------------
# customers
# --------------------------------------------------------------------------------------------


def customer_rank(
    frame: pd.DataFrame, supplier: str, recipient: str, *, start: int, end: int
) -> pd.DataFrame:
    """Return a recipient's share of a supplier's exports and its rank among its customers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries or deals (all of the supplier's customers must be in it), or a TIV
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
    if _kind(frame) == "tiv":
        per, shown_supplier, who = _table_customers(frame, supplier, recipient, start, end)
        method = "table"
    else:
        full = as_deliveries(frame)
        _match(full, "recipient", recipient)  # raises when the frame never names it
        d = _select(full, supplier=supplier, start=start, end=end)
        labels = _labels(d, "recipient")
        per = _sum(d, {"recipient": labels})[["recipient", "tiv"]]
        who = set(labels.loc[_match(d, "recipient", recipient, errors="ignore")])
        shown_supplier = _display(full, "supplier", supplier)
        method = _method(d)
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
    out.attrs = {"source": _source(frame), "method": method}
    return out


def _table_customers(table, supplier, recipient, start, end):
    """Per-recipient totals of ``supplier`` from a TIV table, in either orientation."""
    t = table.loc[table["year"].between(start, end).fillna(False).astype(bool)]
    as_counterpart = _match(table, "counterpart", supplier, errors="ignore")
    as_entity = _match(table, "entity", supplier, errors="ignore")
    if as_counterpart.any():
        rows = t.loc[as_counterpart.reindex(t.index)]
        other, shown = "entity", _first(table.loc[as_counterpart, "counterpart"], supplier)
    elif as_entity.any():
        rows = t.loc[as_entity.reindex(t.index)]
        rows = rows.loc[_key_series(rows["counterpart"]) != "all"]
        other, shown = "counterpart", _first(table.loc[as_entity, "entity"], supplier)
    else:
        raise UnknownEntityError([supplier])
    if not _match(table, other, recipient, errors="ignore").any():
        raise UnknownEntityError([recipient])
    names = rows[other].astype("string")
    per = (
        pd.DataFrame({"recipient": names, "tiv": rows["tiv"].astype("Float64").fillna(0.0)})
        .groupby("recipient", sort=True)["tiv"]
        .sum()
        .reset_index()
    )
    who = set(rows.loc[_match(rows, other, recipient, errors="ignore"), other])
    return per, shown, who


def _first(values: pd.Series, default: str) -> str:
    values = values.dropna()
    return str(values.iloc[0]) if len(values) else default


# --------------------------------------------------------------------------------------------
# deals
# --------------------------------------------------------------------------------------------


def _key_series(text: pd.Series) -> pd.Series:
    """:func:`arms.entities.name_key` of each value (once per distinct value); ``<NA>`` is ''."""
    text = text.astype("string").fillna("")
    folded = {u: entities.name_key(u) for u in text.unique()}
    return text.map(folded).astype("string")


def _squash(text: pd.Series) -> pd.Series:
    """Lower case, letters and digits only: 'Bayraktar TB-2' and 'TB2' meet as 'tb2'."""
    return _key_series(text).str.replace(r"[^0-9a-z]+", "", regex=True)


def _text_mask(d: pd.DataFrame, text: str) -> pd.Series:
    needle = _squash(pd.Series([text])).iloc[0]
    plain = entities.name_key(text)
    mask = pd.Series(False, index=d.index)
    for col in ("designation", "description", "comments"):
        if col in d.columns:
            folded = _key_series(d[col])
            mask |= folded.str.contains(plain, regex=False)
            if needle:
                squashed = folded.str.replace(r"[^0-9a-z]+", "", regex=True)
                mask |= squashed.str.contains(needle, regex=False)
    return mask.fillna(False).astype(bool)


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
        Deliveries, or deals (split evenly; only registers have ``comments``, so search a
        register for text SIPRI keeps there, such as "Su-30SM version").
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    family : str or list of str, optional
        Keep only these weapon families (or SIPRI categories), via
        :func:`arms.categories.categorize` when the frame has no ``family`` column.
    text : str, optional
        Keep deals whose designation, description or comments contain it, ignoring case,
        accents and punctuation (``"TB2"`` finds ``"Bayraktar TB-2"``).

    Returns
    -------
    pandas.DataFrame
        One row per deal and delivery year: ``deal`` (a readable label, unique per deal),
        ``deal_key`` (see :func:`deal_keys`), ``supplier``, ``recipient``, ``designation``,
        ``description``, ``category``, ``order_year``, ``order_year_estimated``, ``year``,
        ``year_estimated``, ``units``, ``units_estimated``, ``tiv_per_unit``, ``tiv``,
        ``status``, ``comments``, ``allocation``; and ``family`` (from the frame, else from
        :func:`arms.categories.categorize`) unless neither is available. Sorted
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
    d = as_deliveries(frame)
    mask = _match(d, "recipient", recipient) & _match(d, "supplier", supplier)
    if text is not None:
        mask &= _text_mask(d, text)
    if family is not None:
        wanted = {entities.name_key(f) for f in _as_list(family)}
        in_family = _key_series(_category_column(d, "family")).isin(wanted)
        if "category" in d.columns:
            in_family |= _key_series(d["category"]).isin(wanted)
        mask &= in_family.astype(bool)
    d = d.loc[mask]
    try:  # the weapon family, when the frame has it or arms.categories can tell
        families = _category_column(d, "family") if len(d) else None
    except ValueError:
        families = None
    key = deal_keys(d)
    supplier_label = _labels(d, "supplier")
    recipient_label = _labels(d, "recipient")
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
    out.attrs = {"source": _source(frame), "method": _method(d)}
    return out


# --------------------------------------------------------------------------------------------
# reconciliation
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Yearly:
    """One source's yearly figures for one recipient.

    Each year is an interval [lo, hi] of what SIPRI's exact value can be, around ``value``.
    """

    name: str
    kind: str  # "sipri", "even" or "table"
    generated: str | None
    years: range
    value: dict[int, float]
    lo: dict[int, float]
    hi: dict[int, float]
    note: dict[int, str]
    deliveries: pd.DataFrame | None = None  # for even splits: recipient's rows, all years
    label: str | None = None  # the recipient as the source names it


def _generated(frame: pd.DataFrame) -> str | None:
    return text.generated_date(_source(frame).get("generated"))


def _yearly(name: str, frame: pd.DataFrame, recipient: str) -> _Yearly:
    kind = _kind(frame)
    generated = _generated(frame)
    if kind == "tiv":
        whole = _key_series(frame["counterpart"].astype("string").fillna("all")) == "all"
        mine = _match(frame, "entity", recipient) & whole.astype(bool)
        rows = frame.loc[mine]
        covered = frame.loc[frame["tiv"].notna() | frame["under_half"].fillna(False), "year"]
        years = range(int(covered.min()), int(covered.max()) + 1)
        value, lo, hi, note = {}, {}, {}, {}
        for y in years:
            cell = rows.loc[rows["year"] == y]
            under = bool(cell["under_half"].fillna(False).any())
            tiv = cell["tiv"].dropna()
            if under:
                value[y], lo[y], hi[y], note[y] = 0.0, 0.0, 0.5, "table: under 0.5"
            elif len(tiv):
                v = float(tiv.sum())
                value[y], lo[y], hi[y] = v, max(v - 0.5, 0.0), v + 0.5
            else:  # an empty cell: no deliveries identified
                value[y], lo[y], hi[y] = 0.0, 0.0, 0.0
        return _Yearly(name, "table", generated, years, value, lo, hi, note)
    full = as_deliveries(frame)
    method = _method(full)
    d = _select(full, recipient=recipient)
    covered = full["year"].dropna()
    years = range(int(covered.min()), int(covered.max()) + 1)
    per = d.groupby(d["year"].astype(int))["tiv"].agg(["sum", "size"])
    value = {y: float(per["sum"].get(y, 0.0)) for y in years}
    if method == "even":
        label = _display(full, "recipient", recipient)
        return _Yearly(name, "even", generated, years, value, {}, {}, {}, d, label)
    if method != "sipri":
        log.warning("%s: allocation %r is treated as SIPRI's per-year figures", name, method)
    # each row's TIV is printed to the cent
    cents = {y: _CENT * int(per["size"].get(y, 0)) for y in years}
    lo = {y: max(value[y] - cents[y], 0.0) for y in years}
    hi = {y: value[y] + cents[y] for y in years}
    label = _display(full, "recipient", recipient)
    return _Yearly(name, "sipri", generated, years, value, lo, hi, {}, None, label)


def _window_interval(src: _Yearly, start: int, end: int) -> tuple[float, float, float, str]:
    """(value, lo, hi, note) of a source's total over ``start``..``end``."""
    years = range(start, end + 1)
    value = sum(src.value.get(y, 0.0) for y in years)
    if src.kind != "even":
        lo = sum(src.lo.get(y, 0.0) for y in years)
        hi = sum(src.hi.get(y, 0.0) for y in years)
        return value, lo, hi, ""
    # An even split is exact per deal; only deals with years on both sides of the window
    # edge can have put more (or less) of their TIV inside the window than SIPRI did.
    d = src.deliveries
    inside = d["year"].between(start, end).fillna(False).astype(bool)
    key = deal_keys(d)
    tiv = d["tiv"].astype("Float64").fillna(0.0)
    per = pd.DataFrame(
        {"key": key, "inside": tiv.where(inside, 0.0), "out": tiv.where(~inside, 0.0)}
    )
    per = per.groupby("key")[["inside", "out"]].sum()
    straddling = per.loc[(per["inside"] > 0) & (per["out"] > 0)]
    # each deal's delivered TIV is printed to the cent
    cents = _CENT * int((per["inside"] > 0).sum())
    lo = value - float(straddling["inside"].sum()) - cents
    hi = value + float(straddling["out"].sum()) + cents
    note = f"even split; {len(straddling)} deal(s) straddle the window" if len(straddling) else ""
    return value, lo, hi, note


def _gap(a_lo: float, a_hi: float, b_lo: float, b_hi: float) -> float:
    """How far apart two intervals are (0 when they overlap)."""
    return max(0.0, a_lo - b_hi, b_lo - a_hi)


def reconcile(
    sources: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame],
    *,
    recipient: str,
    start: int | None = None,
    end: int | None = None,
    tolerance: float = 0.0,
) -> pd.DataFrame:
    """Return how a recipient's yearly TIV agrees between registers, deliveries and tables.

    Each source is turned into an interval of the values SIPRI's exact figure can have:

    * per-year deliveries (``allocation="sipri"``): the figure itself, give or take half a
      cent per row (SIPRI prints each row's TIV to two decimals);
    * a TIV table: a printed whole number ``v`` is ``[v - 0.5, v + 0.5]``; ``0`` marked
      under 0.5 is ``[0, 0.5]``; an empty cell is exactly 0 (none identified);
    * an evenly split register: per year, nothing can be said (an even split is not SIPRI's
      yearly profile), so year rows are reported but not checked; over the window the total
      is exact (to half a cent per deal) except for the deals that straddle the window's
      edges, whose part inside the window can be anything between none and all of it.

    Two sources agree on a cell when their intervals overlap, widened by ``tolerance`` (0 by
    default: on the real files, the Jan 2025 deliveries and the Oct 2024 importer table agree
    on every Azerbaijan and Armenia year to within the table's rounding, and a single
    misread delivery of 1 TIV shows up). Every pair of sources is compared for every year in
    the years all of them cover, and over that window as a whole.

    Different SIPRI releases are never hidden: each row says whether its two sources were
    generated on the same day (``same_release``), and the summary warns when they were not,
    because a disagreement between releases can be SIPRI's revision rather than an error.

    Parameters
    ----------
    sources : mapping of name to frame, or sequence of frames
        Deals, deliveries or TIV tables (an importer table: the recipient's row with
        counterpart ``all``). Unnamed frames are named after their kind.
    recipient : str
        The importing party.
    start, end : int, optional
        The years to compare; by default (and at most) the years every source covers.
    tolerance : float, default 0.0
        Extra TIV (millions) allowed per comparison, for example to accept known revisions.

    Returns
    -------
    pandas.DataFrame
        One row per pair of sources and year, plus one per pair for the whole window
        (``level`` ``"year"`` or ``"window"``, ``year`` ``<NA>`` on window rows):
        ``recipient``, ``level``, ``year``, ``start``, ``end``, ``left``, ``right``,
        ``left_tiv``, ``right_tiv``, ``difference`` (left minus right), ``gap`` (how far the
        intervals are apart, 0 when they overlap), ``checked``, ``passed`` (``<NA>`` when not
        checked), ``same_release`` (``<NA>`` when a date is unknown), ``left_generated``,
        ``right_generated`` and ``note``. ``attrs["summary"]`` is a dict with ``passed``,
        ``checks``, ``failures``, ``releases`` (name to generated date), ``same_release``,
        ``warnings`` and a one-line ``message``.

    Raises
    ------
    ValueError
        With fewer than two sources, or when they share no year.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Armenia", "supplier": "Russia", "year": [2019, 2021],
    ...     "tiv": [248.3, 32.0], "allocation": "sipri"}), "deliveries")
    >>> t = conform(pd.DataFrame({
    ...     "table": "imports", "entity": "Armenia", "counterpart": "all",
    ...     "year": [2019, 2021], "tiv": [248.0, 32.0], "under_half": False}), "tiv")
    >>> r = reconcile({"deliveries": d, "table": t}, recipient="Armenia")
    >>> r[["level", "year", "left_tiv", "right_tiv", "passed"]]
        level  year  left_tiv  right_tiv  passed
    0    year  2019     248.3      248.0    True
    1    year  2020       0.0        0.0    True
    2    year  2021      32.0       32.0    True
    3  window  <NA>     280.3      280.0    True
    >>> r.attrs["summary"]["passed"]
    True
    """
    if isinstance(sources, Mapping):
        named = list(sources.items())
    else:
        named = []
        for frame in sources:
            base = {"deals": "register", "deliveries": "deliveries", "tiv": "table"}[_kind(frame)]
            name, n = base, 2
            while name in dict(named):
                name, n = f"{base}{n}", n + 1
            named.append((name, frame))
    if len(named) < 2:
        raise ValueError("reconcile needs at least two sources")
    srcs = [_yearly(name, frame, recipient) for name, frame in named]
    first = max(s.years.start for s in srcs)
    last = min(s.years.stop - 1 for s in srcs)
    warnings = []
    if start is not None and start < first or end is not None and end > last:
        warnings.append(f"years outside {first}-{last} are not covered by every source")
    first = first if start is None else max(start, first)
    last = last if end is None else min(end, last)
    if first > last:
        raise ValueError("the sources share no year to compare")
    shown = next((s.label for s in srcs if s.label), recipient)
    rows = []
    for a, b in itertools.combinations(srcs, 2):
        same = pd.NA if not (a.generated and b.generated) else a.generated == b.generated
        checked_years = a.kind != "even" and b.kind != "even"
        base = {
            "recipient": shown,
            "start": first,
            "end": last,
            "left": a.name,
            "right": b.name,
            "same_release": same,
            "left_generated": a.generated,
            "right_generated": b.generated,
        }
        for y in range(first, last + 1):
            av, bv = a.value.get(y, 0.0), b.value.get(y, 0.0)
            notes = [n for n in (a.note.get(y), b.note.get(y)) if n]
            if checked_years:
                gap = _gap(a.lo[y], a.hi[y], b.lo[y], b.hi[y])
                passed = gap <= tolerance + _EPS
            else:
                gap, passed = pd.NA, pd.NA
                notes.append("even split: per-year figures are not SIPRI's; not checked")
            rows.append(
                {
                    **base,
                    "level": "year",
                    "year": y,
                    "left_tiv": av,
                    "right_tiv": bv,
                    "gap": gap,
                    "checked": checked_years,
                    "passed": passed,
                    "note": "; ".join(notes),
                }
            )
        av, alo, ahi, anote = _window_interval(a, first, last)
        bv, blo, bhi, bnote = _window_interval(b, first, last)
        gap = _gap(alo, ahi, blo, bhi)
        rows.append(
            {
                **base,
                "level": "window",
                "year": pd.NA,
                "left_tiv": av,
                "right_tiv": bv,
                "gap": gap,
                "checked": True,
                "passed": gap <= tolerance + _EPS,
                "note": "; ".join(n for n in (anote, bnote) if n),
            }
        )
    out = pd.DataFrame(rows)
    out = out.assign(difference=out["left_tiv"] - out["right_tiv"])
    out = out[
        [
            "recipient",
            "level",
            "year",
            "start",
            "end",
            "left",
            "right",
            "left_tiv",
            "right_tiv",
            "difference",
            "gap",
            "checked",
            "passed",
            "same_release",
            "left_generated",
            "right_generated",
            "note",
        ]
    ].astype(
        {
            "recipient": "string",
            "level": "string",
            "year": "Int64",
            "start": "Int64",
            "end": "Int64",
            "left": "string",
            "right": "string",
            "left_tiv": "Float64",
            "right_tiv": "Float64",
            "difference": "Float64",
            "gap": "Float64",
            "checked": "boolean",
            "passed": "boolean",
            "same_release": "boolean",
            "left_generated": "string",
            "right_generated": "string",
            "note": "string",
        }
    )
    releases = {s.name: s.generated for s in srcs}
    dates = set(releases.values())
    if None in dates:
        unknown = sorted(n for n, g in releases.items() if g is None)
        warnings.append(f"release date unknown for {', '.join(unknown)}")
    if len(dates - {None}) > 1:
        listing = ", ".join(f"{n} {g}" for n, g in releases.items() if g)
        warnings.append(
            f"different SIPRI releases ({listing}): differences can be SIPRI's revisions"
        )
    checked = out.loc[out["checked"]]
    failures = int((~checked["passed"]).sum())
    passed = failures == 0
    message = (
        f"{'PASS' if passed else 'FAIL'}: {shown} {first}-{last}, {len(srcs)} sources, "
        f"{len(checked)} checks, {failures} failed"
    )
    if warnings:
        message += "; WARNING: " + "; ".join(warnings)
    out.attrs = {
        "summary": {
            "recipient": shown,
            "start": first,
            "end": last,
            "passed": passed,
            "checks": len(checked),
            "failures": failures,
            "releases": releases,
            "same_release": len(dates) == 1 and None not in dates,
            "tolerance": tolerance,
            "warnings": warnings,
            "message": message,
        }
    }
    (log.info if passed else log.warning)("reconcile: %s", message)
    return out


# --------------------------------------------------------------------------------------------
# release diff
# --------------------------------------------------------------------------------------------


def _squash_designation(text: pd.Series) -> pd.Series:
    """Designation as a matching key: V2's trailing ' -'/' --' and punctuation dropped."""
    stripped = text.astype("string").fillna("").str.replace(r"\s+-+\s*$", "", regex=True)
    return _squash(stripped)


def _deal_level(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """One row per deal: parties, designation, order year, units, years and TIV delivered."""
    d = _select(frame, **filters)
    data = pd.DataFrame(
        {
            "deal_key": deal_keys(d),
            "deal_id": d["deal_id"].astype("Int64") if "deal_id" in d else pd.NA,
            "supplier": _labels(d, "supplier"),
            "recipient": _labels(d, "recipient"),
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
        _key_series(out["supplier"])
        + "|"
        + _key_series(out["recipient"])
        + "|"
        + out["order_year"].astype("string").fillna("?")
    )
    name = parties + "|" + _squash_designation(out["designation"])
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
    register's ``EMB-314 Super Tucano`` against a deliveries file's ``EMB-314 -``). A
    matched deal is *changed* when its delivered units, its delivery years or its delivered
    TIV differ; TIV differences within the rounding of the printed figures (half a cent
    each) do not count.
    Compare like with like: exports with different year ranges differ at their edges (use
    ``start``/``end``).

    Parameters
    ----------
    old, new : pandas.DataFrame
        Deliveries or deals from the earlier and the later release.
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
    units_moved = out["units_old"].fillna(-1) != out["units_new"].fillna(-1)
    years_moved = out["years_old"].fillna("") != out["years_new"].fillna("")
    tiv_change = (out["tiv_new"].fillna(0) - out["tiv_old"].fillna(0)).astype("Float64")
    # every printed TIV carries half a cent of rounding: sums of them differ by that much
    noise = _CENT * (out["rows_old"].fillna(0) + out["rows_new"].fillna(0)).astype("Float64")
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
        "old_generated": _generated(old),
        "new_generated": _generated(new),
        "counts": {k: int((out["change"] == k).sum()) for k in order},
        "matched_on": "deal id"
        if by_id
        else "supplier, recipient, order year and designation, then delivery years and units",
    }
    return out


def _and(names: list[str], word: str = "and") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


def require(
    frame: pd.DataFrame,
    *,
    recipients: list[str] | tuple[str, ...] = (),
    suppliers: list[str] | tuple[str, ...] = (),
    all_suppliers: bool = False,
) -> None:
    """Check that the data can answer a page's questions; raise ``NotApplicable`` if not.

    A notebook calls this right after loading its data, so that a file without the page's
    parties (a user's own download for another country) gives one clear sentence instead of
    an error deep in the page. ``arms report`` marks such a page "not applicable".

    Parameters
    ----------
    frame : pandas.DataFrame
        A register or deliveries frame as read by :func:`arms.load` (its ``attrs["source"]``
        names the file in the message).
    recipients : list of str
        Each must have received at least one delivery in the data.
    suppliers : list of str
        Each must have delivered at least once (to one of ``recipients``, when given).
    all_suppliers : bool, default False
        The page needs every supplier's exports: a file limited to some suppliers ("from
        China to All countries", see :func:`arms.analysis.supplier_scope`) does not do.

    Raises
    ------
    arms.NotApplicable
        Saying what the page needs and what the file lacks.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Azerbaijan", "supplier": "Israel",
    ...     "year": [2017], "tiv": [5.0], "allocation": "sipri"}), "deliveries")
    >>> d.attrs["source"] = {"path": "/data/az.csv"}
    >>> require(d, recipients=["Azerbaijan"], suppliers=["Israel"])
    >>> try:
    ...     require(d, recipients=["Azerbaijan", "Armenia"])
    ... except Exception as exc:
    ...     print(type(exc).__name__, exc)  # doctest: +NORMALIZE_WHITESPACE
    NotApplicable this page needs deliveries to Azerbaijan and Armenia; the file az.csv has
    none to Armenia
    """
    source = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    path = source.get("path") if isinstance(source, dict) else None
    the_file = f"the file {Path(str(path)).name}" if path else "the data"
    d = as_deliveries(frame)
    d = d.loc[d["year"].notna().fillna(False).astype(bool)] if "year" in d.columns else d
    recipients, suppliers = [str(r) for r in recipients], [str(s) for s in suppliers]
    missing = [
        r for r in recipients if not _match(d, "recipient", r, errors="ignore").any()
    ]
    if missing:
        raise NotApplicable(
            f"this page needs deliveries to {_and(recipients)}; {the_file} has none to "
            f"{_and(missing, 'or')}"
        )
    to = _match(d, "recipient", recipients or None)
    missing = [
        s for s in suppliers if not (to & _match(d, "supplier", s, errors="ignore")).any()
    ]
    if missing:
        where = f" to {_and(recipients)}" if recipients else ""
        raise NotApplicable(
            f"this page needs deliveries from {_and(suppliers)}{where}; {the_file} has none "
            f"from {_and(missing, 'or')}"
        )
    scope = supplier_scope(frame) if all_suppliers else None
    if scope:
        raise NotApplicable(
            f"this page needs a file of every supplier's exports; {the_file} only holds "
            f"deliveries from {scope}"
        )


def overtake(table: pd.DataFrame, a: str, b: str) -> dict:
    """Return when supplier ``a`` overtook supplier ``b`` (``a`` delivered more than ``b``).

    Parameters
    ----------
    table : pandas.DataFrame
        Long, with ``supplier``, ``tiv`` and either ``period`` (from
        :func:`arms.analysis.period_table`, in period order) or ``year`` (from
        :func:`arms.analysis.yearly_series`).
    a, b : str
        The suppliers to compare (as the table names them; case is ignored).

    Returns
    -------
    dict
        ``unit`` (``"period"`` or ``"year"``), ``status`` (``"overtook"``, ``"never behind"``,
        ``"not yet"`` or ``"no deliveries"``), ``when`` (the period or year ``a`` overtook
        ``b``, else None), ``last_behind`` (the last period or year ``b`` delivered more),
        and the two values ``a_tiv``, ``b_tiv`` (and ``a_share``, ``b_share`` when the
        table has shares) at ``when`` (or, for ``"not yet"``, at ``last_behind``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"year": [2015, 2015, 2016, 2016], "supplier": ["Russia", "Israel"] * 2,
    ...                   "tiv": [213.7, 111.5, 7.2, 250.45]})
    >>> o = overtake(t, "Israel", "Russia")
    >>> o["status"], o["when"], o["last_behind"]
    ('overtook', 2016, 2015)
    """
    unit = "period" if "period" in table.columns else "year"
    names = {entities.party_key(n): n for n in table["supplier"].dropna().unique()}
    col_a = names.get(entities.party_key(a), a)
    col_b = names.get(entities.party_key(b), b)
    order = list(dict.fromkeys(table[unit].tolist()))
    pivot = table.pivot_table(index=unit, columns="supplier", values="tiv", aggfunc="sum")
    pivot = pivot.reindex(order).astype(float).fillna(0.0)
    zero = pd.Series(0.0, index=pivot.index)
    va = pivot[col_a] if col_a in pivot.columns else zero
    vb = pivot[col_b] if col_b in pivot.columns else zero
    shares = None
    if "share" in table.columns:
        shares = table.pivot_table(index=unit, columns="supplier", values="share", aggfunc="sum")
    units = [u for u in order if va[u] > 0 or vb[u] > 0]
    out = {"unit": unit, "a": a, "b": b, "when": None, "last_behind": None}
    if not units:
        return {**out, "status": "no deliveries"}
    behind = [u for u in units if vb[u] > va[u]]
    if not behind:
        return {**out, "status": "never behind"}
    last = behind[-1]
    at = last if last == units[-1] else units[units.index(last) + 1]
    out.update(
        status="not yet" if at == last else "overtook",
        when=None if at == last else _scalar(at),
        last_behind=_scalar(last),
        a_tiv=float(va[at]),
        b_tiv=float(vb[at]),
        a_last=float(va[last]),
        b_last=float(vb[last]),
    )
    if shares is not None and at in shares.index:
        out["a_share"] = float(shares.loc[at].get(col_a, 0.0))
        out["b_share"] = float(shares.loc[at].get(col_b, 0.0))
    return out


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def period_containing(year: int, *, length: int = 5, anchor: int = 2020) -> tuple[int, int, str]:
    """Return SIPRI's five-year period around a year: ``(start, end, label)``.

    Examples
    --------
    >>> period_containing(2019), period_containing(2021)
    ((2016, 2020, '2016-20'), (2021, 2025, '2021-25'))
    """
    end = year + (anchor - year) % length
    start = end - length + 1
    return start, end, period_label(start, end)


def window(periods: pd.DataFrame, start: int | None = None, end: int | None = None) -> tuple:
    """Return ``(start, end)``: the given years, else the latest full period with data.

    Parameters
    ----------
    periods : pandas.DataFrame
        From :func:`arms.analysis.period_table` (``period``, ``start``, ``end``, ``tiv``).
    start, end : int, optional
        The window asked for; either missing one is taken from the latest five-year period
        that is complete (``2016-20`` when the data stop in 2023) and has deliveries.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"period": ["2016-20", "2021-23"], "start": [2016, 2021],
    ...                   "end": [2020, 2023], "tiv": [10.0, 5.0]})
    >>> window(p), window(p, 2011, None)
    ((2016, 2020), (2011, 2020))
    """
    if start is not None and end is not None:
        return int(start), int(end)
    spans = periods.loc[periods["tiv"].astype("Float64").fillna(0) > 0]
    full = spans.loc[(spans["end"] - spans["start"]) >= 4]
    pick = full if len(full) else spans
    if pick.empty:
        raise ValueError("the data hold no deliveries to take a window from")
    last = pick.sort_values("start").iloc[-1]
    return (
        int(start) if start is not None else int(last["start"]),
        int(end) if end is not None else int(last["end"]),
    )
