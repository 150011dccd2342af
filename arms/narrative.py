"""Sentences for the notebooks, written from computed results so that no number is typed.

A notebook's markdown cells cannot compute, so the numbers its interpretation states come from
here: each helper takes a frame made by :mod:`arms.analysis` (or a summary dict) and returns a
short markdown string to show with ``IPython.display.Markdown``. The wording stays true when a
newer SIPRI release is loaded: whatever the data say is what the sentence says, and a claim
that may stop holding is phrased conditionally ("Israel overtook Russia in ..." only when it
did; otherwise "has not overtaken").

Conventions: TIV (SIPRI's trend-indicator value, millions) is a volume index, never money, and
is written as ``"190 TIV"``; shares are percentages of the TIV in question; SIPRI's period
labels (``2016-20``) are used for five-year windows.

:class:`KeyFacts` shows a notebook's headline numbers both as a table (for readers) and as
JSON (for the tests and scripts that check them).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from arms import dates, entities

__all__ = [
    "CAVEATS",
    "KeyFacts",
    "caveats",
    "citation",
    "customer_sentence",
    "deal_sentence",
    "estimates_sentence",
    "fmt_share",
    "fmt_tiv",
    "generated_date",
    "imports_of",
    "inspect_sentence",
    "last_delivery_sentence",
    "leaders_sentence",
    "overtake",
    "overtake_sentence",
    "share_of_sentence",
    "deal_table",
    "peak_sentence",
    "period_containing",
    "ratio_sentence",
    "reconcile_sentence",
    "release_sentence",
    "scope_note",
    "search_sentence",
    "shares_sentence",
    "weight_sentence",
    "window",
]

#: The caveats every reader of SIPRI arms-transfer figures should know (CASE-STUDY.md).
CAVEATS: tuple[str, ...] = (
    "**TIV is a volume, not a price.** SIPRI's trend-indicator value (TIV, in millions) "
    "measures the military resources transferred, valued by a fixed index of capability; it "
    "is not what the buyer paid and must not be compared with money figures.",
    "**Single years fluctuate.** One large delivery can make a year; compare multi-year "
    "periods (SIPRI uses five-year periods such as 2016-20).",
    "**Major conventional weapons only.** SIPRI covers aircraft, armoured vehicles, "
    "artillery, missiles, ships, air defence, sensors and engines; small arms, light weapons "
    "and most ammunition are not in the data.",
    "**Windowed exports truncate deals.** An export limited to a range of years counts only "
    "the deliveries inside it; deals that straddle its edges are cut.",
    "**SIPRI's own designations.** SIPRI names weapons its own way (OPV-62 for the Sa'ar-62, "
    "Barak-MX, and Su-30K for Armenia's Su-30SM, with the press name in the comments), so "
    "search comments as well as designations.",
    "**Estimates.** Numbers and years marked `?` by SIPRI are estimates; the notebooks say how "
    "much TIV rests on them.",
    "**Cite the release.** SIPRI revises its data every year: cite *SIPRI Arms Transfers "
    "Database* with the date the data were generated.",
)

# --------------------------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def fmt_tiv(value: Any) -> str:
    """Return a TIV figure as text: whole millions from 100, one decimal below.

    Parameters
    ----------
    value : float or None
        TIV in millions.

    Returns
    -------
    str
        ``"1,827 TIV"``, ``"28.8 TIV"``, ``"190 TIV"``; ``"no TIV figure"`` when missing.

    Examples
    --------
    >>> fmt_tiv(1826.7), fmt_tiv(28.8), fmt_tiv(190.0), fmt_tiv(None)
    ('1,827 TIV', '28.8 TIV', '190 TIV', 'no TIV figure')
    """
    number = _num(value)
    if number is None:
        return "no TIV figure"
    if abs(number) >= 100 or number == round(number):
        return f"{number:,.0f} TIV"
    return f"{number:,.1f} TIV"


def fmt_share(value: Any) -> str:
    """Return a percentage as text: whole percent, one decimal under 1%.

    Examples
    --------
    >>> fmt_share(67.74), fmt_share(0.39), fmt_share(None)
    ('68%', '0.4%', 'n/a')
    """
    number = _num(value)
    if number is None:
        return "n/a"
    if 0 < abs(number) < 1:
        return f"{number:.1f}%"
    return f"{number:.0f}%"


def generated_date(frame_or_value: Any) -> str | None:
    """Return the data's generated date as ``"3 Jan 2025"`` (None when unknown).

    Parameters
    ----------
    frame_or_value : pandas.DataFrame or str or datetime.date or None
        A frame with ``attrs["source"]["generated"]``, or the date itself (ISO or as SIPRI
        writes it); formatted by :func:`arms.dates.generated_date`.

    Examples
    --------
    >>> generated_date("2025-01-03T21:16:02"), generated_date(None)
    ('3 Jan 2025', None)
    """
    value = frame_or_value
    if isinstance(value, pd.DataFrame):
        value = (value.attrs.get("source") or {}).get("generated")
    return dates.generated_date(value)


def _named(values: pd.Series, name: str) -> pd.Series:
    """Return a mask of the values that name the same party as ``name`` (any spelling)."""
    want = entities.party_key(name)
    hits = [v for v in values.dropna().unique() if entities.party_key(v) == want]
    return values.isin(hits).fillna(False).astype(bool)


def _list(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _years(years: Iterable[int]) -> str:
    """``[2015, 2016, 2017, 2019]`` -> ``"2015-2017 and 2019"``."""
    ys = sorted({int(y) for y in years})
    runs: list[str] = []
    start = prev = None
    for y in ys:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
            start = prev = y
    if start is not None:
        runs.append(str(start) if start == prev else f"{start}-{prev}")
    return _list(runs)


# --------------------------------------------------------------------------------------------
# provenance and caveats
# --------------------------------------------------------------------------------------------


def caveats(extra: Iterable[str] = ()) -> str:
    """Return the caveats as a markdown list (see :data:`CAVEATS`).

    Parameters
    ----------
    extra : iterable of str
        Further caveats to append.

    Examples
    --------
    >>> text = caveats()
    >>> text.splitlines()[0].startswith("- **TIV is a volume, not a price.**")
    True
    """
    return "\n".join(f"- {c}" for c in (*CAVEATS, *extra))


def citation(frame: pd.DataFrame) -> str:
    """Return the citation for the data a frame came from.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame read by :mod:`arms.readers` (or a result that kept its ``attrs["source"]``).

    Returns
    -------
    str
        ``"Source: SIPRI Arms Transfers Database, data generated 3 Jan 2025 (file ...)."``

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame()
    >>> f.attrs["source"] = {"generated": "2024-10-13T14:20:11", "path": "/x/reg.csv"}
    >>> citation(f)
    'Source: SIPRI Arms Transfers Database, data generated 13 Oct 2024 (file `reg.csv`).'
    >>> citation(pd.DataFrame())
    'Source: SIPRI Arms Transfers Database (generated date unknown).'
    """
    source = frame.attrs.get("source") or {}
    date = generated_date(source.get("generated"))
    text = "Source: SIPRI Arms Transfers Database"
    text += f", data generated {date}" if date else " (generated date unknown)"
    path = source.get("path")
    if path:
        text += f" (file `{str(path).replace(chr(92), '/').rsplit('/', 1)[-1]}`)"
    return text + "."


def inspect_sentence(summary: Mapping[str, Any]) -> str:
    """Describe a file from :func:`arms.cli_inspect.inspect_file`'s summary.

    Examples
    --------
    >>> inspect_sentence({"path": "reg.csv", "format": "V1",
    ...     "description": "new-portal trade register (one row per deal)", "kind": "deals",
    ...     "records": 152, "rejected": 0, "generated": "2024-10-13T14:20:11",
    ...     "year_from": 1950, "year_to": 2024, "recipients": 2, "suppliers": 19,
    ...     "tiv_total": 5441.6})
    ... # doctest: +NORMALIZE_WHITESPACE
    '`reg.csv` is a V1 file, a new-portal trade register (one row per deal), generated by
    SIPRI on 13 Oct 2024 for the years 1950-2024. It holds 152 deals (no line rejected),
    with 2 recipients and 19 suppliers, and 5,442 TIV in total.'
    """
    name = str(summary.get("path", "the file")).replace("\\", "/").rsplit("/", 1)[-1]
    unit = {"deals": "deals", "deliveries": "deal-year rows", "tiv": "table rows"}.get(
        summary.get("kind"), "records"
    )
    date = generated_date(summary.get("generated"))
    text = f"`{name}` is a {summary.get('format')} file, a {summary.get('description')}"
    text += f", generated by SIPRI on {date}" if date else " (generated date unknown)"
    if summary.get("year_from") and summary.get("year_to"):
        text += f" for the years {summary['year_from']}-{summary['year_to']}"
    rejected = summary.get("rejected") or 0
    text += f". It holds {summary.get('records')} {unit} ("
    text += "no line rejected" if not rejected else f"{rejected} line(s) could not be read"
    text += ")"
    parties = []
    if summary.get("recipients") is not None:
        parties.append(_count(summary["recipients"], "recipient"))
    if summary.get("suppliers") is not None:
        parties.append(_count(summary["suppliers"], "supplier"))
    if parties:
        text += ", with " + _list(parties)
    if summary.get("tiv_total") is not None:
        text += f", and {fmt_tiv(summary['tiv_total'])} in total"
    return text + "."


# --------------------------------------------------------------------------------------------
# shares, leaders, overtaking
# --------------------------------------------------------------------------------------------


def _scope(result: Any) -> str | None:
    """Return the suppliers a result (or a frame from a reader) is limited to, or None."""
    attrs = getattr(result, "attrs", None)
    if not isinstance(attrs, Mapping):
        return None
    if "supplier_scope" in attrs:
        return attrs.get("supplier_scope") or None
    from arms.analysis import supplier_scope

    return supplier_scope(result)


def imports_of(result: Any, who: str, *, major: bool = True, capital: bool = False) -> str:
    """Name what a result's totals are: a recipient's imports, or a scoped file's deliveries.

    A file queried "from China to All countries" holds China's exports only, so what it
    says about a recipient is the deliveries from China, not the recipient's imports.

    Parameters
    ----------
    result : pandas.DataFrame
        A result of :mod:`arms.analysis` (its ``attrs["supplier_scope"]`` is read).
    who : str
        The recipient.
    major : bool, default True
        Say "imports of major arms" rather than "imports".
    capital : bool, default False
        Start with a capital letter (to open a sentence).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame()
    >>> imports_of(s, "Pakistan")
    "Pakistan's imports of major arms"
    >>> s.attrs["supplier_scope"] = "China"
    >>> imports_of(s, "Pakistan")
    'the deliveries from China to Pakistan in this file'
    >>> imports_of(s, "Pakistan", capital=True)
    'The deliveries from China to Pakistan in this file'
    """
    scope = _scope(result)
    if scope:
        text = f"the deliveries from {scope} to {who} in this file"
    else:
        text = f"{who}'s imports of major arms" if major else f"{who}'s imports"
    return text[:1].upper() + text[1:] if capital else text


def scope_note(result: Any, who: str | None = None) -> str:
    """Return a note for a file limited to some suppliers' exports ("" for any other file).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame()
    >>> s.attrs = {"recipient": "Pakistan", "supplier_scope": "China"}
    >>> print(scope_note(s))  # doctest: +NORMALIZE_WHITESPACE
    **Note:** this file only holds deliveries from China, so the totals and shares here are
    of those deliveries, not of all Pakistan's imports.
    >>> scope_note(pd.DataFrame())
    ''
    """
    scope = _scope(result)
    if not scope:
        return ""
    who = who or (result.attrs.get("recipient") if hasattr(result, "attrs") else None)
    whose = f"all {who}'s imports" if who else "all imports"
    return (
        f"**Note:** this file only holds deliveries from {scope}, so the totals and shares "
        f"here are of those deliveries, not of {whose}."
    )


def shares_sentence(shares: pd.DataFrame, top: int = 3) -> str:
    """Say who supplied a recipient over a window, from :func:`arms.analysis.supplier_shares`.

    Parameters
    ----------
    shares : pandas.DataFrame
        The result of ``supplier_shares`` (uses its ``attrs``: recipient, start, end, total).
    top : int, default 3
        How many suppliers to name.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"supplier": ["Israel", "Russia"], "tiv": [697.45, 169.0],
    ...                   "share": [67.7, 16.4]})
    >>> s.attrs = {"recipient": "Azerbaijan", "start": 2016, "end": 2020,
    ...            "total_tiv": 1029.6, "method": "sipri"}
    >>> print(shares_sentence(s))  # doctest: +NORMALIZE_WHITESPACE
    In 2016-20, Azerbaijan's imports of major arms totalled 1,030 TIV. Israel was the largest
    supplier with 68% (697 TIV), followed by Russia (16%).

    From a file of one supplier's exports (``attrs["supplier_scope"]``) it says so:

    >>> s.attrs["supplier_scope"] = "Israel, Russia"
    >>> print(shares_sentence(s))  # doctest: +NORMALIZE_WHITESPACE
    In 2016-20, the deliveries from Israel, Russia to Azerbaijan in this file totalled 1,030
    TIV. Israel was the largest supplier with 68% of the deliveries from Israel, Russia in
    this file (697 TIV), followed by Russia (16%).
    """
    a = shares.attrs
    who, label = a.get("recipient", "the recipient"), _window_label(a.get("start"), a.get("end"))
    rows = shares.loc[shares["tiv"].astype("Float64").fillna(0) > 0].head(top)
    if rows.empty:
        return f"No deliveries to {who} are recorded in {label} in these data."
    first = rows.iloc[0]
    scope = _scope(shares)
    of = f" of the deliveries from {scope} in this file" if scope else ""
    text = (
        f"In {label}, {imports_of(shares, who)} totalled {fmt_tiv(a.get('total_tiv'))}. "
        f"{first['supplier']} was the largest supplier with {fmt_share(first['share'])}{of} "
        f"({fmt_tiv(first['tiv'])})"
    )
    others = [f"{r['supplier']} ({fmt_share(r['share'])})" for _, r in rows.iloc[1:].iterrows()]
    if others:
        text += ", followed by " + _list(others)
    text += "."
    if a.get("method") == "even":
        text += (
            " (From a trade register: deals spanning several years are split evenly across "
            "them, so shares over a window are estimates.)"
        )
    return text


def _window_label(start: Any, end: Any) -> str:
    from arms.analysis import period_label

    if start is None or end is None:
        return "the years covered"
    return period_label(int(start), int(end))


def leaders_sentence(leaders: pd.DataFrame) -> str:
    """List the largest supplier of each period, from :func:`arms.analysis.leading_supplier`.

    Examples
    --------
    >>> import pandas as pd
    >>> lead = pd.DataFrame({"period": ["2011-15", "2016-20"], "supplier": ["Russia", "Israel"],
    ...                      "tiv": [1826.7, 697.45], "share": [78.9, 67.7]})
    >>> leaders_sentence(lead)
    'The largest supplier was Russia in 2011-15 (79% of the TIV) and Israel in 2016-20 (68%).'
    >>> lead["supplier"] = "Russia"
    >>> print(leaders_sentence(lead))  # doctest: +NORMALIZE_WHITESPACE
    The largest supplier was Russia in every period from 2011-15 to 2016-20 (79% and 68% of
    the TIV).
    """
    runs: list[tuple[str | None, list[str], list[str]]] = []  # supplier, periods, shares
    for _, row in leaders.iterrows():
        name = None if pd.isna(row["supplier"]) else str(row["supplier"])
        share = fmt_share(row["share"]) if name else ""
        if runs and runs[-1][0] == name:
            runs[-1][1].append(str(row["period"]))
            runs[-1][2].append(share)
        else:
            runs.append((name, [str(row["period"])], [share]))
    if not runs:
        return "No deliveries are recorded in these data."
    parts = []
    for i, (name, periods, shares) in enumerate(runs):
        of = " of the TIV" if i == 0 else ""
        if name is None:
            parts.append(f"nobody in {_list(periods)} (no deliveries)")
        elif len(periods) == 1:
            parts.append(f"{name} in {periods[0]} ({shares[0]}{of})")
        else:
            parts.append(
                f"{name} in every period from {periods[0]} to {periods[-1]} ({_list(shares)}{of})"
            )
    scope = _scope(leaders)
    if scope:
        return (
            f"Among the deliveries from {scope} in this file, the largest supplier was "
            + _list(parts)
            + "."
        )
    return "The largest supplier was " + _list(parts) + "."


def overtake(table: pd.DataFrame, a: str = "Israel", b: str = "Russia") -> dict:
    """Return when supplier ``a`` overtook supplier ``b`` (see :func:`overtake_sentence`).

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
    >>> o = overtake(t)
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


def overtake_sentence(table: pd.DataFrame, a: str = "Israel", b: str = "Russia") -> str:
    """Say whether and when supplier ``a`` overtook supplier ``b``.

    ``a`` *overtook* ``b`` at the first period (or year) after the last one in which ``b``
    delivered more than ``a``. The sentence says so only when that happened; otherwise it says
    that ``a`` has not overtaken ``b`` (or was never behind).

    Parameters
    ----------
    table : pandas.DataFrame
        As for :func:`overtake`.
    a, b : str
        The suppliers to compare.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"period": ["2011-15", "2011-15", "2016-20", "2016-20"],
    ...                   "supplier": ["Russia", "Israel", "Israel", "Russia"],
    ...                   "tiv": [1826.7, 170.0, 697.45, 169.0], "share": [79, 7, 68, 16]})
    >>> print(overtake_sentence(t))  # doctest: +NORMALIZE_WHITESPACE
    Israel overtook Russia in 2016-20: 697 TIV (68%) against 169 TIV (16%). Russia was last
    ahead in 2011-15 (1,827 TIV against 170 TIV) and has not delivered more than Israel in any
    period since.
    >>> print(overtake_sentence(t.iloc[:2]))  # doctest: +NORMALIZE_WHITESPACE
    Israel has not overtaken Russia in these data: in 2011-15, the last period, Russia
    delivered 1,827 TIV and Israel 170 TIV.
    """
    o = overtake(table, a, b)
    unit = o["unit"]
    if o["status"] == "no deliveries":
        return f"Neither {a} nor {b} delivered anything in these data."
    if o["status"] == "never behind":
        return (
            f"{a} delivered at least as much as {b} in every {unit} with deliveries from either."
        )
    if o["status"] == "not yet":
        return (
            f"{a} has not overtaken {b} in these data: in {o['last_behind']}, the last {unit}, "
            f"{b} delivered {fmt_tiv(o['b_tiv'])} and {a} {fmt_tiv(o['a_tiv'])}."
        )

    def value(name: str) -> str:
        text = fmt_tiv(o[f"{name}_tiv"])
        return text + (f" ({fmt_share(o[f'{name}_share'])})" if f"{name}_share" in o else "")

    return (
        f"{a} overtook {b} in {o['when']}: {value('a')} against {value('b')}. {b} was last "
        f"ahead in {o['last_behind']} ({fmt_tiv(o['b_last'])} against {fmt_tiv(o['a_last'])}) "
        f"and has not delivered more than {a} in any {unit} since."
    )


def share_of_sentence(shares: pd.DataFrame, supplier: str) -> str:
    """Say how much one supplier contributed, from :func:`arms.analysis.supplier_shares`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"supplier": ["Russia", "Israel", "Turkiye"],
    ...                   "tiv": [2016.2, 231.6, 91.2], "share": [80.1, 9.2, 3.6]})
    >>> s.attrs = {"recipient": "Azerbaijan", "start": 2006, "end": 2019, "total_tiv": 2517.2}
    >>> print(share_of_sentence(s, "Turkiye"))  # doctest: +NORMALIZE_WHITESPACE
    From 2006 to 2019, Turkiye supplied 3.6% of Azerbaijan's imports of major arms (91.2 TIV
    of 2,517 TIV), the 3rd largest of 3 suppliers.
    """
    a = shares.attrs
    who = a.get("recipient", "the recipient")
    start, end = a.get("start"), a.get("end")
    five = start is not None and end is not None and int(end) - int(start) == 4
    span = f"In {_window_label(start, end)}" if five or start == end else f"From {start} to {end}"
    mine = shares.loc[_named(shares["supplier"], supplier)]
    if mine.empty or not _num(mine["tiv"].iloc[0]):
        return f"{span}, no deliveries from {supplier} to {who} are recorded in these data."
    row = mine.iloc[0]
    n = int(shares.index.get_loc(mine.index[0])) + 1
    share = _num(row["share"])
    exact = f"{share:.1f}%" if share is not None and share < 10 else fmt_share(share)
    return (
        f"{span}, {row['supplier']} supplied {exact} of {imports_of(shares, who)} "
        f"({fmt_tiv(row['tiv'])} of {fmt_tiv(a.get('total_tiv'))}), the "
        f"{'largest' if n == 1 else _ordinal(n) + ' largest'} of {len(shares)} suppliers."
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------------------------
# yearly series
# --------------------------------------------------------------------------------------------


def peak_sentence(
    yearly: pd.DataFrame, *, who: str, group: str | None = None, top: int = 3
) -> str:
    """Say in which year deliveries peaked, from :func:`arms.analysis.yearly_series`.

    Parameters
    ----------
    yearly : pandas.DataFrame
        ``year``, ``tiv`` and a group column (``supplier``, ``recipient`` ...).
    who : str
        How to name the series ("Azerbaijan's imports", "Israel's deliveries").
    group : str, optional
        Keep only rows whose group column (the one that is not year/tiv) equals this.
    top : int, default 3
        How many of the largest years to list.

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.DataFrame({"year": [2014, 2014, 2015], "supplier": ["Russia", "Israel", "Israel"],
    ...                   "tiv": [554.6, 19.25, 111.5]})
    >>> peak_sentence(y, who="Azerbaijan's imports")
    "Azerbaijan's imports peaked in 2014 (574 TIV); the largest years were 2014 and 2015."
    >>> peak_sentence(y, who="Israel's deliveries", group="Israel")
    "Israel's deliveries peaked in 2015 (112 TIV); the largest years were 2015 and 2014."
    """
    data = _group_rows(yearly, group)
    per = data.groupby(data["year"].astype(int))["tiv"].sum().astype(float)
    per = per[per > 0]
    if per.empty:
        return f"{who}: no deliveries are recorded in these data."
    largest = per.sort_values(ascending=False, kind="stable").head(top)
    peak = int(largest.index[0])
    text = f"{who} peaked in {peak} ({fmt_tiv(per[peak])})"
    if len(largest) > 1:
        text += "; the largest years were " + _list([str(int(y)) for y in largest.index])
    return text + "."


def _group_rows(yearly: pd.DataFrame, group: str | None) -> pd.DataFrame:
    if group is None:
        return yearly
    columns = [c for c in yearly.columns if c not in ("year", "tiv", "tiv_estimated")]
    mask = pd.Series(False, index=yearly.index)
    for col in columns:
        mask |= _named(yearly[col], group)
    return yearly.loc[mask]


def last_delivery_sentence(
    yearly: pd.DataFrame, *, supplier: str, recipient: str, through: int | None = None
) -> str:
    """Say when the last delivery from a supplier to a recipient was recorded.

    Parameters
    ----------
    yearly : pandas.DataFrame
        ``year``, ``tiv`` and a ``supplier`` and/or ``recipient`` column: from
        :func:`arms.analysis.yearly_series` (one recipient, by supplier) or
        :func:`arms.analysis.supplier_to_recipients` (one supplier, by recipient). Rows are
        selected on whichever of the two columns the frame has.
    supplier, recipient : str
        The parties.
    through : int, optional
        The last year the data cover (default: the last year in ``yearly``).

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.DataFrame({"year": [2017, 2018, 2019, 2023], "supplier": "Russia",
    ...                   "tiv": [109.2, 52.6, 0.0, 0.0]})
    >>> text = last_delivery_sentence(y, supplier="Russia", recipient="Azerbaijan")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    The last delivery from Russia to Azerbaijan recorded in these data was in 2018; none is
    recorded from 2019 to 2023.
    """
    mask = pd.Series(True, index=yearly.index)
    for col, name in (("supplier", supplier), ("recipient", recipient)):
        if col in yearly.columns:
            mask &= _named(yearly[col], name)
    data = yearly.loc[mask]
    years = data.loc[data["tiv"].astype("Float64").fillna(0) > 0, "year"].astype(int)
    if through is None:
        through = int(yearly["year"].max()) if len(yearly) else None
    if years.empty:
        return f"No delivery from {supplier} to {recipient} is recorded in these data."
    last = int(years.max())
    text = f"The last delivery from {supplier} to {recipient} recorded in these data was in {last}"
    if through is not None and last + 1 == through:
        text += f"; none is recorded in {through}"
    elif through is not None and last < through:
        text += f"; none is recorded from {last + 1} to {through}"
    else:
        text += ", the last year the data cover"
    return text + "."


# --------------------------------------------------------------------------------------------
# deals
# --------------------------------------------------------------------------------------------


def _flag(value: Any) -> bool:
    return bool(value) if value is not pd.NA and not pd.isna(value) else False


def deal_sentence(timeline: pd.DataFrame, top: int | None = None) -> str:
    """Describe deals from :func:`arms.analysis.deal_timelines`, one markdown bullet each.

    Each bullet gives the designation (and description), supplier and recipient, the order
    year, the units delivered by year, the delivered TIV and SIPRI's comment, marking every
    number SIPRI estimates.

    Parameters
    ----------
    timeline : pandas.DataFrame
        One row per deal and delivery year.
    top : int, optional
        Describe only the ``top`` deals with the most delivered TIV (largest first).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"deal": ["Su-30K (Russia → Armenia, 2019)"], "deal_key": ["1"],
    ...     "supplier": ["Russia"], "recipient": ["Armenia"], "designation": ["Su-30K"],
    ...     "description": ["FGA aircraft"], "order_year": [2019],
    ...     "order_year_estimated": [False], "year": [2019], "year_estimated": [False],
    ...     "units": [4], "units_estimated": [False], "tiv_per_unit": [47.5], "tiv": [190.0],
    ...     "comments": ["$120 m deal; Su-30SM version"]})
    >>> print(deal_sentence(t))  # doctest: +NORMALIZE_WHITESPACE
    - **Su-30K** (FGA aircraft) from Russia to Armenia, ordered in 2019: 4 delivered in 2019;
    190 TIV delivered (47.5 TIV per unit). SIPRI's comment: "$120 m deal; Su-30SM version".
    """
    if timeline.empty:
        return "No matching deal is recorded in these data."
    key = "deal_key" if "deal_key" in timeline.columns else "deal"
    groups = list(timeline.groupby(key, sort=False))
    if top is not None:
        size = [float(g["tiv"].astype("Float64").fillna(0).sum()) for _, g in groups]
        ranked = sorted(range(len(groups)), key=lambda i: -size[i])[:top]
        groups = [groups[i] for i in ranked]
    lines = []
    for _, rows in groups:
        first = rows.iloc[0]
        desc = first.get("description")
        text = f"- **{_designation(first['designation'])}**"
        if isinstance(desc, str) and desc:
            text += f" ({desc})"
        text += f" from {first['supplier']} to {first['recipient']}"
        order = first.get("order_year")
        if _num(order) is not None:
            text += f", ordered in {int(order)}"
            if _flag(first.get("order_year_estimated")):
                text += " (year estimated by SIPRI)"
        delivered = rows.loc[rows["year"].notna()]
        if delivered.empty:
            text += ": nothing delivered yet in these data"
        else:
            years = delivered["year"].astype(int).tolist()
            units = delivered["units"].astype("Int64")
            total = units.sum(min_count=1)
            number = "?" if total is pd.NA else f"{int(total)}"
            text += f": {number} delivered in {_years(years)}"
            notes = []
            if len(years) > 1:
                notes.append(
                    ", ".join(
                        f"{y}: {'?' if u is pd.NA else int(u)}"
                        for y, u in zip(years, units, strict=True)
                    )
                )
            for flag, what in (("units_estimated", "number"), ("year_estimated", "year")):
                if flag not in delivered.columns:
                    continue
                marked = delivered[flag].astype("boolean").fillna(False).astype(bool).tolist()
                if all(marked):
                    notes.append(f"{what} estimated")
                elif any(marked):
                    which = _years(y for y, m in zip(years, marked, strict=True) if m)
                    notes.append(f"{what} estimated for {which}")
            if notes:
                text += " (" + "; ".join(notes) + ")"
            tiv = float(delivered["tiv"].astype("Float64").fillna(0).sum())
            text += f"; {fmt_tiv(tiv)} delivered"
            unit = _num(first.get("tiv_per_unit"))
            if unit is not None:
                text += f" ({fmt_tiv(unit)} per unit)"
            if str(first.get("allocation")) == "even" and len(delivered) > 1:
                text += " (register: split evenly across the years)"
        comment = first.get("comments")
        if isinstance(comment, str) and comment:
            text += f'. SIPRI\'s comment: "{comment}"'
        lines.append(text + ".")
    return "\n".join(lines)


def _designation(text: Any) -> str:
    """Return a designation without the trailing ``-`` of deliveries exports (``OPV-62 FAC -``)."""
    return re.sub(r"\s+-+\s*$", "", str(text)) if isinstance(text, str) else "?"


def deal_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """Return one readable row per deal from :func:`arms.analysis.deal_timelines`.

    Parameters
    ----------
    timeline : pandas.DataFrame
        One row per deal and delivery year (extra columns such as ``search`` are kept, from
        the deal's first row).

    Returns
    -------
    pandas.DataFrame
        ``supplier``, ``designation``, ``description``, ``family`` (when known),
        ``order_year``, ``units`` (delivered), ``years`` (``"2019-2020"``), ``tiv``
        (delivered), ``estimated`` (True when a number or year is a SIPRI estimate) and any
        extra columns; largest TIV first.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"deal_key": ["1", "1"], "supplier": "Israel",
    ...     "designation": "Harop", "description": "loitering munition", "order_year": 2014,
    ...     "year": [2016, 2017], "units": [25, 25], "units_estimated": [True, False],
    ...     "tiv": [30.0, 30.0]})
    >>> deal_table(t)[["designation", "units", "years", "tiv", "estimated"]]
      designation  units      years   tiv  estimated
    0       Harop     50  2016-2017  60.0       True
    """
    columns = ["supplier", "designation", "description", "family", "order_year"]
    flags = [c for c in ("units_estimated", "year_estimated") if c in timeline.columns]
    core = {
        "deal",
        "deal_key",
        "recipient",
        "category",
        "order_year_estimated",
        "year",
        "units",
        "tiv",
        "tiv_per_unit",
        "status",
        "comments",
        "allocation",
        *flags,
    }
    extra = [c for c in timeline.columns if c not in core and c not in columns]
    key = "deal_key" if "deal_key" in timeline.columns else "deal"
    rows = []
    for _, g in timeline.groupby(key, sort=False):
        first = g.iloc[0]
        row = {c: first[c] for c in [*columns, *extra] if c in g.columns}
        row["designation"] = _designation(row.get("designation"))
        years = g["year"].dropna().astype(int).tolist()
        row["units"] = g["units"].astype("Int64").sum(min_count=1)
        row["years"] = _years(years).replace(" and ", ", ") if years else ""
        row["tiv"] = float(g["tiv"].astype("Float64").fillna(0).sum())
        row["estimated"] = bool(any(g[f].astype("boolean").fillna(False).any() for f in flags))
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = out.sort_values("tiv", ascending=False, kind="stable", ignore_index=True)
    return out.astype({"units": "Int64", "tiv": "Float64"})


def search_sentence(hits: pd.DataFrame, text: str) -> str:
    """Say what a search with :func:`arms.find_deals` found and where it matched.

    Examples
    --------
    >>> import pandas as pd
    >>> hits = pd.DataFrame({"designation": ["Su-30K"], "supplier": ["Russia"],
    ...     "recipient": ["Armenia"], "order_year": [2019],
    ...     "comments": ["$120 m deal; Su-30SM version"], "matched_in": ["comments"]})
    >>> print(search_sentence(hits, "Su-30SM"))  # doctest: +NORMALIZE_WHITESPACE
    Searching for "Su-30SM" finds 1 deal: Su-30K (Russia to Armenia, ordered 2019), found
    through its comments ("$120 m deal; Su-30SM version"). SIPRI files it under a designation
    that does not contain the search text, so a search of designations alone would miss it.
    """
    if hits.empty:
        return f'Searching for "{text}" finds no deal in these data.'
    parts = []
    comment_only = 0
    for _, h in hits.iterrows():
        where = str(h.get("matched_in", ""))
        order = _num(h.get("order_year"))
        label = f"{h['designation']} ({h['supplier']} to {h['recipient']}"
        label += f", ordered {int(order)})" if order is not None else ")"
        if where == "comments":
            comment_only += 1
            label += f', found through its comments ("{h.get("comments")}")'
        else:
            label += f", matched in its {where.replace(',', ' and ')}"
        parts.append(label)
    n = len(hits)
    out = f'Searching for "{text}" finds {n} deal{"s" if n != 1 else ""}: ' + "; ".join(parts)
    out += "."
    if comment_only:
        out += (
            " SIPRI files it under a designation that does not contain the search text, so a "
            "search of designations alone would miss it."
            if comment_only == 1
            else f" {comment_only} of them are found only through their comments."
        )
    return out


def weight_sentence(
    deal_tiv: float,
    in_year: pd.DataFrame,
    in_period: pd.DataFrame | None = None,
    deal_tiv_period: float | None = None,
) -> str:
    """Say how large a deal is against a recipient's imports in its year (and period).

    Parameters
    ----------
    deal_tiv : float
        The deal's TIV delivered in the year of ``in_year``.
    in_year, in_period : pandas.DataFrame
        :func:`arms.analysis.supplier_shares` for the recipient over the delivery year and
        over the five-year period around it.
    deal_tiv_period : float, optional
        The deal's TIV delivered in the period (default: ``deal_tiv``).

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.DataFrame({"supplier": ["Russia"], "tiv": [248.0], "share": [100.0]})
    >>> y.attrs = {"recipient": "Armenia", "start": 2019, "end": 2019, "total_tiv": 248.0}
    >>> p = y.copy()
    >>> p.attrs = {"recipient": "Armenia", "start": 2016, "end": 2020, "total_tiv": 376.5}
    >>> print(weight_sentence(190.0, y, p))  # doctest: +NORMALIZE_WHITESPACE
    The deal's 190 TIV delivered in 2019 is 77% of Armenia's imports of major arms that year
    (248 TIV); over 2016-20 its 190 TIV are 50% of Armenia's imports (376 TIV).
    """
    who = in_year.attrs.get("recipient", "the recipient")

    def share(value: float, shares: pd.DataFrame) -> tuple[str, str]:
        total = _num(shares.attrs.get("total_tiv")) or 0.0
        return fmt_share(value / total * 100 if total > 0 else None), fmt_tiv(total)

    year = _window_label(in_year.attrs.get("start"), in_year.attrs.get("end"))
    pct, total = share(deal_tiv, in_year)
    text = (
        f"The deal's {fmt_tiv(deal_tiv)} delivered in {year} is {pct} of "
        f"{imports_of(in_year, who)} that year ({total})"
    )
    if in_period is not None:
        value = deal_tiv if deal_tiv_period is None else deal_tiv_period
        label = _window_label(in_period.attrs.get("start"), in_period.attrs.get("end"))
        pct, total = share(value, in_period)
        text += (
            f"; over {label} its {fmt_tiv(value)} are {pct} of "
            f"{imports_of(in_period, who, major=False)} ({total})"
        )
    return text + "."


def period_containing(year: int, *, length: int = 5, anchor: int = 2020) -> tuple[int, int, str]:
    """Return SIPRI's five-year period around a year: ``(start, end, label)``.

    Examples
    --------
    >>> period_containing(2019), period_containing(2021)
    ((2016, 2020, '2016-20'), (2021, 2025, '2021-25'))
    """
    from arms.analysis import period_label

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


def customer_sentence(rank: pd.DataFrame) -> str:
    """Say where a recipient ranks among a supplier's customers (:func:`customer_rank`).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"supplier": ["Israel"], "recipient": ["Azerbaijan"], "start": [2016],
    ...     "end": [2020], "tiv": [639.2], "supplier_total": [4430.3], "share": [14.4],
    ...     "rank": [2], "customers": [46]})
    >>> print(customer_sentence(r))  # doctest: +NORMALIZE_WHITESPACE
    In 2016-20, Azerbaijan received 14% of Israel's arms exports (639 TIV of 4,430 TIV), which
    makes it Israel's 2nd largest customer of 46.
    """
    r = rank.iloc[0]
    label = _window_label(r["start"], r["end"])
    if _num(r["tiv"]) in (None, 0.0) or r["rank"] is pd.NA:
        return f"In {label}, {r['recipient']} received nothing from {r['supplier']} in these data."
    n = int(r["rank"])
    place = "largest customer" if n == 1 else f"{_ordinal(n)} largest customer"
    return (
        f"In {label}, {r['recipient']} received {fmt_share(r['share'])} of {r['supplier']}'s "
        f"arms exports ({fmt_tiv(r['tiv'])} of {fmt_tiv(r['supplier_total'])}), which makes it "
        f"{r['supplier']}'s {place} of {int(r['customers'])}."
    )


# --------------------------------------------------------------------------------------------
# comparisons, uncertainty, releases
# --------------------------------------------------------------------------------------------


def ratio_sentence(comparison: pd.DataFrame, *, what: str | None = None) -> str:
    """Compare two recipients period by period, from :func:`compare_recipients`.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"period": ["2011-15"] * 2 + ["2016-20"] * 2,
    ...     "recipient": ["Azerbaijan", "Armenia"] * 2, "tiv": [1826.7, 17.5, 169.0, 355.7],
    ...     "ratio": [104.4, 104.4, 0.475, 0.475]})
    >>> print(ratio_sentence(c, what="Russian deliveries"))
    - 2011-15: Azerbaijan 1,827 TIV, Armenia 17.5 TIV; Azerbaijan received 104 times as much.
    - 2016-20: Azerbaijan 169 TIV, Armenia 356 TIV; Armenia received 2.1 times as much.

    ``what`` defaults to "imports of major arms", or to the deliveries from the suppliers a
    file is limited to (``attrs["supplier_scope"]``).
    """
    if what is None:
        scope = _scope(comparison)
        what = f"deliveries from {scope} in this file" if scope else "imports of major arms"
    lines = []
    for period, rows in comparison.groupby("period", sort=False):
        names = rows["recipient"].tolist()
        tivs = [float(v) for v in rows["tiv"].astype("Float64").fillna(0)]
        if len(names) < 2:
            continue
        (n1, n2), (t1, t2) = names[:2], tivs[:2]
        head = f"- {period}: {n1} {fmt_tiv(t1)}, {n2} {fmt_tiv(t2)}; "
        if t1 == 0 and t2 == 0:
            lines.append(head + f"no {what} to either.")
        elif t2 == 0:
            lines.append(head + f"only {n1} received {what}.")
        elif t1 == 0:
            lines.append(head + f"only {n2} received {what}.")
        elif max(t1, t2) / min(t1, t2) < 1.05:
            lines.append(head + "about as much each.")
        elif t1 > t2:
            lines.append(head + f"{n1} received {_times(t1 / t2)} as much.")
        else:
            lines.append(head + f"{n2} received {_times(t2 / t1)} as much.")
    return "\n".join(lines) if lines else f"No {what} are recorded in these data."


def _times(ratio: float) -> str:
    return f"{ratio:.0f} times" if ratio >= 9.95 else f"{ratio:.1f} times"


def estimates_sentence(shares: pd.DataFrame) -> str:
    """Say how much of a recipient's TIV rests on SIPRI estimates (``?`` numbers or years).

    Parameters
    ----------
    shares : pandas.DataFrame
        From :func:`arms.analysis.supplier_shares` (uses ``attrs``: ``estimated_share``,
        ``tiv_estimated``, ``total_tiv``, ``method``) and its per-supplier
        ``estimated_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"supplier": ["Israel", "Russia"], "tiv": [697.45, 169.0],
    ...                   "share": [80.5, 19.5], "estimated_share": [75.3, 100.0]})
    >>> s.attrs = {"recipient": "Azerbaijan", "start": 2016, "end": 2020, "total_tiv": 866.45,
    ...            "tiv_estimated": 693.95, "estimated_share": 80.1, "method": "sipri"}
    >>> print(estimates_sentence(s))  # doctest: +NORMALIZE_WHITESPACE
    Of Azerbaijan's imports in 2016-20 (866 TIV), 694 TIV (80%) rest on numbers or delivery
    years SIPRI marks as estimates; by supplier: Israel 75%, Russia 100%.
    """
    a = shares.attrs
    label = _window_label(a.get("start"), a.get("end"))
    who = a.get("recipient", "the recipient")
    if not _num(a.get("total_tiv")):
        return f"No deliveries to {who} are recorded in {label} in these data."
    by = [
        f"{r['supplier']} {fmt_share(r['estimated_share'])}"
        for _, r in shares.head(3).iterrows()
        if _num(r.get("estimated_share")) is not None
    ]
    text = (
        f"Of {imports_of(shares, who, major=False)} in {label} ({fmt_tiv(a['total_tiv'])}), "
        f"{fmt_tiv(a.get('tiv_estimated'))} ({fmt_share(a.get('estimated_share'))}) rest on "
        "numbers or delivery years SIPRI marks as estimates"
    )
    if by:
        text += "; by supplier: " + ", ".join(by)
    text += "."
    if a.get("method") == "even":
        text += (
            " (A register gives no per-year figures: splitting its deals across their years is "
            "itself an estimate.)"
        )
    return text


def reconcile_sentence(result: pd.DataFrame) -> str:
    """Summarise :func:`arms.analysis.reconcile` in words.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame()
    >>> r.attrs["summary"] = {"recipient": "Armenia", "start": 2000, "end": 2023,
    ...     "passed": True, "checks": 75, "failures": 0, "same_release": False,
    ...     "releases": {"register": "2024-10-13", "deliveries": "2025-01-03"}, "warnings": []}
    >>> print(reconcile_sentence(r))  # doctest: +NORMALIZE_WHITESPACE
    Armenia, 2000-23: the 2 sources agree in all 75 checks (to within their rounding). They
    were generated on different dates (register 13 Oct 2024, deliveries 3 Jan 2025); where
    they disagree, the cause can be a SIPRI revision between the two rather than an error.
    """
    s = result.attrs["summary"]
    label = _window_label(s["start"], s["end"])
    n = len(s.get("releases", {}))
    if s["passed"]:
        text = (
            f"{s['recipient']}, {label}: the {n} sources agree in all {s['checks']} checks "
            "(to within their rounding)."
        )
    else:
        text = (
            f"{s['recipient']}, {label}: {s['failures']} of {s['checks']} checks fail; the "
            "rows marked as failed below show where the sources disagree."
        )
    if not s.get("same_release"):
        listing = ", ".join(
            f"{name} {generated_date(date) or 'of unknown date'}"
            for name, date in s.get("releases", {}).items()
        )
        text += (
            f" They were generated on different dates ({listing}); where they disagree, the "
            "cause can be a SIPRI revision between the two rather than an error."
        )
    return text


def release_sentence(diff: pd.DataFrame) -> str:
    """Summarise :func:`arms.analysis.release_diff`: deals added, removed and changed.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"change": ["changed"], "tiv_change": [5.0]})
    >>> d.attrs = {"old_generated": "2024-10-13", "new_generated": "2025-01-03",
    ...            "counts": {"added": 0, "removed": 0, "changed": 1}}
    >>> print(release_sentence(d))  # doctest: +NORMALIZE_WHITESPACE
    Between the data generated on 13 Oct 2024 and on 3 Jan 2025, 0 deals added, 0 removed
    and 1 changed (in units, years or TIV); the net change in delivered TIV is +5 TIV.
    """
    a = diff.attrs
    counts = a.get("counts", {})
    old = generated_date(a.get("old_generated")) or "an unknown date"
    new = generated_date(a.get("new_generated")) or "an unknown date"
    head = (
        f"Both files were generated on {old}: "
        if old == new
        else f"Between the data generated on {old} and on {new}, "
    )
    added, removed, changed = (counts.get(k, 0) for k in ("added", "removed", "changed"))
    if not (added or removed or changed):
        return head + (
            "no deal was added, removed or changed: both hold the same deals with the same "
            "units, delivery years and TIV."
        )
    net = float(diff["tiv_change"].astype("Float64").fillna(0).sum()) if len(diff) else 0.0
    sign = "+" if net > 0 else ""
    return head + (
        f"{_count(added, 'deal')} added, {removed} removed and {changed} changed (in units, "
        f"years or TIV); the net change in delivered TIV is {sign}{fmt_tiv(net)}."
    )


# --------------------------------------------------------------------------------------------
# key facts
# --------------------------------------------------------------------------------------------


class KeyFacts(dict):
    """A notebook's headline numbers, shown as a table and as JSON.

    ``display(KeyFacts(...))`` in a notebook writes a markdown table for readers and an
    ``application/json`` copy (``{"key_facts": {...}}``) that tests and scripts read from the
    executed notebook.

    Parameters
    ----------
    facts : mapping
        Name to value (numbers, strings, booleans or None).

    Examples
    --------
    Numbers are rounded: percentages (a name with ``share``, ``pct`` or ``percent`` in it)
    to one decimal, other floats to two; the table shows floats with one decimal (two below
    10) and thousands separators.

    >>> k = KeyFacts({"su30_units": 4, "su30_tiv": 1190.0, "first_share": 76.52031,
    ...               "ratio": {"2011-15": 104.41234}})
    >>> k._repr_json_()  # doctest: +NORMALIZE_WHITESPACE
    {'key_facts': {'su30_units': 4, 'su30_tiv': 1190.0, 'first_share': 76.5,
                   'ratio': {'2011-15': 104.41}}}
    >>> print(k._repr_markdown_())
    | key fact | value |
    |---|---|
    | su30_units | 4 |
    | su30_tiv | 1,190.0 |
    | first_share | 76.5 |
    | ratio | 2011-15: 104.4 |
    """

    def __init__(self, facts: Mapping[str, Any] = (), **more: Any) -> None:
        super().__init__(
            {k: _plain(v, percent=_is_percent(k)) for k, v in {**dict(facts), **more}.items()}
        )

    def _repr_json_(self) -> dict:
        return {"key_facts": dict(self)}

    def _repr_markdown_(self) -> str:
        rows = [f"| {k} | {_shown(v)} |" for k, v in self.items()]
        return "\n".join(["| key fact | value |", "|---|---|", *rows])

    def __repr__(self) -> str:
        return "KeyFacts(" + json.dumps(dict(self)) + ")"


def _is_percent(name: Any) -> bool:
    """Whether a key fact's name says it is a percentage."""
    text = str(name).casefold()
    return any(word in text for word in ("share", "pct", "percent"))


def _plain(value: Any, percent: bool = False) -> Any:
    """Make a value JSON-friendly (numpy and pandas scalars, NA), floats rounded.

    Percentages are rounded to one decimal, other floats to two.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float):
        if math.isnan(value):
            return None
        rounded = round(value, 1 if percent else 2)
        return 0.0 if rounded == 0 else rounded  # no "-0.0"
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v, percent) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, percent) for v in value]
    return str(value)


def _shown(value: Any) -> str:
    """Return a key fact's value as the table shows it."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        small = 0 < abs(value) < 10 and value != round(value, 1)
        return f"{value:,.2f}" if small else f"{value:,.1f}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) or "none"
    return str(value)
