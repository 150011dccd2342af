"""SIPRI's periods: labels, five-year periods, the period rule, windows and overtaking.

Five-year periods end in years ending 0 and 5 (``2016-20``), as in SIPRI's fact sheets.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from arms import entities

__all__ = [
    "PERIOD_ANCHOR",
    "five_year_periods",
    "from_year",
    "last_complete_year",
    "latest_window",
    "overtake",
    "parse_period",
    "period_containing",
    "period_label",
    "resolve_periods",
    "sipri_windows",
    "window",
]

#: SIPRI's five-year periods end in years ending 0 and 5 (2006-10, 2011-15, 2016-20).
PERIOD_ANCHOR = 2020


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


def parse_period(label: str) -> tuple[str, int, int]:
    """Return ``(label, start, end)`` of a period written ``"2016-20"``, ``"1996-2000"``...

    Examples
    --------
    >>> parse_period("2016-20"), parse_period("1996 - 2000")
    (('2016-20', 2016, 2020), ('1996-2000', 1996, 2000))
    """
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


def resolve_periods(periods, d: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Return ``periods`` as ``(label, start, end)`` triples (the period rule).

    ``None`` gives SIPRI's five-year periods over the years ``d`` covers; an int periods
    of that length; a frame from :func:`five_year_periods`; or a list of labels
    (``"2016-20"``), ``(start, end)`` or ``(label, start, end)`` tuples.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [2012, 2019]})
    >>> resolve_periods(None, d)
    [('2016-19', 2016, 2019)]
    >>> resolve_periods(["2016-20", (2021, 2022)], d)
    [('2016-20', 2016, 2020), ('2021-22', 2021, 2022)]
    """
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
            out.append(parse_period(p))
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
        row = shares.loc[at].astype("Float64").fillna(0.0)  # a supplier absent that period
        out["a_share"] = float(row.get(col_a, 0.0))
        out["b_share"] = float(row.get(col_b, 0.0))
    return out


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def period_containing(
    year: int, *, length: int = 5, anchor: int = PERIOD_ANCHOR
) -> tuple[int, int, str]:
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


def from_year(frame: pd.DataFrame, first_year: int | None) -> pd.DataFrame:
    """Return the deliveries of ``first_year`` and later (``None``: the frame unchanged).

    What ``arms report --from YEAR`` does to every page: deliveries before the year are left
    out, so SIPRI's five-year periods start with the first whole period from that year on
    (:func:`five_year_periods` leaves out a part-period) and yearly charts start there.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (one row per deal and year, with ``year``).
    first_year : int or None
        The first year kept.

    Returns
    -------
    pandas.DataFrame
        The rows kept, with the frame's ``attrs`` and ``attrs["first_year"]`` set.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [1988, 1995, 2010], "tiv": [1.0, 2.0, 3.0]})
    >>> from_year(d, 1991)["year"].tolist(), from_year(d, None)["year"].tolist()
    ([1995, 2010], [1988, 1995, 2010])
    """
    if first_year is None:
        return frame
    if "year" not in frame.columns:
        raise ValueError("from_year needs a deliveries frame (one row per deal and year)")
    kept = frame.loc[frame["year"].ge(int(first_year)).fillna(False).astype(bool)].copy()
    kept.attrs = {**frame.attrs, "first_year": int(first_year)}
    return kept


def last_complete_year(frame: pd.DataFrame) -> int | None:
    """Return the last year whose deliveries the data hold in full.

    That is the latest delivery year, unless it is the year SIPRI generated the data in
    (a release made during a year does not hold that year's deliveries in full), in which
    case the year before.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries (``year``) or a register (``last_delivery_year``) as read by
        :func:`arms.load`; its ``attrs["source"]`` gives the generated date.

    Returns
    -------
    int or None
        ``None`` when the data record no delivery year.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [2019, 2024]})
    >>> d.attrs["source"] = {"generated": "2024-10-13T14:20:11"}
    >>> last_complete_year(d), last_complete_year(pd.DataFrame({"year": [2019, 2023]}))
    (2023, 2023)
    """
    column = "year" if "year" in frame.columns else "last_delivery_year"
    years = pd.to_numeric(frame[column], errors="coerce").dropna() if column in frame else None
    if years is None or years.empty:
        return None
    last = int(years.max())
    sources = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    sources = sources if isinstance(sources, list | tuple) else [sources]
    made = [str(x.get("generated"))[:4] for x in sources if isinstance(x, dict)]
    made_years = [int(y) for y in made if y.isdigit()]
    if made_years and last >= min(made_years):
        last = min(made_years) - 1
    return last


def sipri_windows(
    frame: pd.DataFrame, *, n: int = 2, length: int = 5, end: int | None = None
) -> pd.DataFrame:
    """Return the windows SIPRI compares: the ``n`` latest complete ``length``-year windows.

    SIPRI's trend reports compare consecutive five-year windows ending at the data's last
    complete year (data through 2024: 2015-19 against 2020-24). Pass the result as
    ``periods=`` to :func:`arms.analysis.period_table` and its kin; any ``end`` can be
    asked for.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries or a register (see :func:`last_complete_year`).
    n : int, default 2
        How many windows, oldest first.
    length : int, default 5
        Years per window.
    end : int, optional
        The last year of the latest window; default :func:`last_complete_year`.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``start``, ``end``; empty when the data hold no delivery year.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [2001, 2024]})
    >>> sipri_windows(d)["period"].tolist(), sipri_windows(d, end=2020)["period"].tolist()
    (['2015-19', '2020-24'], ['2011-15', '2016-20'])
    """
    last = last_complete_year(frame) if end is None else int(end)
    rows = []
    if last is not None:
        for k in reversed(range(n)):
            e = last - k * length
            rows.append((period_label(e - length + 1, e), e - length + 1, e))
    return pd.DataFrame(rows, columns=["period", "start", "end"]).astype(
        {"period": "string", "start": "Int64", "end": "Int64"}
    )


def latest_window(frame: pd.DataFrame, *, length: int = 5, end: int | None = None) -> tuple:
    """Return ``(start, end)`` of the latest complete window (see :func:`sipri_windows`).

    Examples
    --------
    >>> latest_window(pd.DataFrame({"year": [2001, 2023]}))
    (2019, 2023)
    """
    w = sipri_windows(frame, n=1, length=length, end=end)
    if w.empty:
        raise ValueError("the data hold no delivery year to take a window from")
    return int(w["start"].iloc[0]), int(w["end"].iloc[0])
