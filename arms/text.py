"""Words and numbers for people: the citation, the TIV caveat and labels, dates, TIV and shares.

One home for what every chart, table, page and command says about the data: the source line
and citation (text, BibTeX and CSL-JSON), the TIV caveat and axis labels, and how a TIV
figure, a share and SIPRI's "data generated" stamp are written (``3 Jan 2025``).

The readers keep the stamp as an ISO string (``"2025-01-03T21:16:02"``, ``"2023-12-11"``);
SIPRI writes it as ``"Data generated: 13 Apr 2024 3:54:15 PM"``. Every note, sentence,
citation and command output shows it through :func:`generated_date`, so the date reads the
same everywhere: day, English month abbreviation (whatever the locale), year, no clock time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = [
    "CAVEATS",
    "CITATION",
    "SHARE_LABEL",
    "SOURCE",
    "TIV_CAVEAT",
    "PUBLISHER",
    "TIV_LABEL",
    "URL",
    "as_number",
    "bibtex",
    "caveats",
    "citation",
    "citation_key",
    "csl_json",
    "column_label",
    "fmt_share",
    "fmt_tiv",
    "generated_date",
    "join_list",
    "ordinal",
    "plural",
    "compare_tiv",
    "times",
    "year_runs",
]

#: The source every note cites.
SOURCE = "SIPRI Arms Transfers Database"
#: The full citation (SIPRI's terms: cite the database with the data's generated date).
CITATION = (
    "SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, "
    "https://www.sipri.org/databases/armstransfers"
)
#: Label of every axis that shows TIV: a volume index in millions, never money.
TIV_LABEL = "SIPRI TIV (millions; volume, not US$)"
#: Label of share axes (percent of the recipient's TIV in the period).
SHARE_LABEL = "Share of imports (% of SIPRI TIV)"
#: What TIV is and is not, for a page, a workbook or a table note.
TIV_CAVEAT = (
    "Figures are SIPRI trend-indicator values (TIV), in millions. The TIV measures the volume "
    "of military capability transferred, not its financial value: it is not US$, not a price "
    "and not comparable with sales or budget figures. A TIV of 0 means between 0 and 0.5 "
    "million; an empty cell means none identified or not available. Single years fluctuate, "
    "so compare multi-year periods. SIPRI covers major conventional weapons only (no small "
    "arms or ammunition) and revises its data every year."
)

# English month abbreviations, whatever the locale (strftime's %b follows the locale)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {m.casefold(): i for i, m in enumerate(_MONTHS, start=1)}
# "Data generated: ...", "Generated: ..."
_PREFIX = re.compile(r"^\s*(?:data\s+)?generated\s*:\s*", re.I)
# "2025-01-03", "2025-01-03T21:16:02", "2025-01-03 21:16:02.5+00:00"
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
# "13 Apr 2024", "13 April 2024 3:54:15 PM", "11 Dec. 2023,"
_TEXT = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})\b(?:[\s,]+\d{1,2}:\d{2}.*)?$")
# "17-09-2022": day first, as SIPRI's legacy files write it
_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def generated_date(value: object) -> str | None:
    """Return a "data generated" stamp as ``"3 Jan 2025"``, or None when there is none.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, pandas.Timestamp, pandas.DataFrame or None
        A frame (its ``attrs["source"]["generated"]`` is used) or the stamp: an ISO date or
        timestamp as the readers store it, SIPRI's own text (with or without the ``Data
        generated:`` label, with or without the clock time) or a date.

    Returns
    -------
    str or None
        Day, English month abbreviation and year. ``None`` for ``None``, ``NA``/``NaN`` and
        blank text; text that is not a date is returned as given (stripped).

    Examples
    --------
    >>> generated_date("2025-01-03T21:16:02"), generated_date("2023-12-11")
    ('3 Jan 2025', '11 Dec 2023')
    >>> generated_date("13 Apr 2024 3:54:15 PM"), generated_date("Data generated: 11 Dec 2023")
    ('13 Apr 2024', '11 Dec 2023')
    >>> import datetime
    >>> generated_date(datetime.datetime(2024, 10, 13, 14, 20))
    '13 Oct 2024'
    >>> generated_date(datetime.date(2024, 4, 1))
    '1 Apr 2024'
    >>> generated_date(None), generated_date(float("nan")), generated_date("  ")
    (None, None, None)
    >>> generated_date("spring release")
    'spring release'
    """
    if isinstance(value, pd.DataFrame):
        value = (value.attrs.get("source") or {}).get("generated")
    if value is None or _is_na(value):
        return None
    if isinstance(value, dt.date):  # datetime and pandas.Timestamp are dates too
        return _day(value.year, value.month, value.day)
    text = _PREFIX.sub("", str(value)).strip()
    if not text:
        return None
    for pattern, order in ((_ISO, "ymd"), (_TEXT, "dmy"), (_DMY, "dmy")):
        m = pattern.match(text)
        if m is None:
            continue
        parts = dict(zip(order, m.groups(), strict=True))
        month = parts["m"]
        number = int(month) if month.isdigit() else _MONTH_NUMBER.get(month[:3].casefold())
        try:
            # validates the day and month ("31 Feb 2024" is not a date)
            when = dt.date(int(parts["y"]), number or 0, int(parts["d"]))
        except ValueError:
            break
        return _day(when.year, when.month, when.day)
    return text


def _is_na(value: object) -> bool:
    if isinstance(value, float):
        return value != value
    # pandas.NA and NaT without importing pandas: neither equals itself or anything else
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return type(value).__name__ in ("NAType", "NaTType")


def _day(year: int, month: int, day: int) -> str:
    return f"{day} {_MONTHS[month - 1]} {year}"


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


def as_number(value: Any) -> float | None:
    """Return ``value`` as a float, or None when it is missing or not a number.

    Examples
    --------
    >>> as_number("2.5"), as_number(None), as_number(float("nan")), as_number("x")
    (2.5, None, None, None)
    """
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
    number = as_number(value)
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
    number = as_number(value)
    if number is None:
        return "n/a"
    if 0 < abs(number) < 1:
        return f"{number:.1f}%"
    return f"{number:.0f}%"


def join_list(items: Iterable[Any]) -> str:
    """Join items as English prose: ``"A"``, ``"A and B"``, ``"A, B and C"``.

    Examples
    --------
    >>> join_list(["Israel"]), join_list(["Israel", "Russia", "Turkiye"]), join_list([])
    ('Israel', 'Israel, Russia and Turkiye', '')
    """
    words = [str(i) for i in items]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def year_runs(years: Iterable[Any]) -> str:
    """Write years as runs: ``[2015, 2016, 2017, 2019]`` -> ``"2015-2017 and 2019"``.

    Missing values are skipped and repeated years count once.

    Examples
    --------
    >>> year_runs([2019, 2015, 2016, 2017, 2016]), year_runs([2020]), year_runs([])
    ('2015-2017 and 2019', '2020', '')
    """
    ys = sorted({int(n) for n in (as_number(y) for y in years) if n is not None})
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return join_list(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def plural(n: Any, noun: str, many: str | None = None) -> str:
    """Return a count with its noun: ``"1 deal"``, ``"3 deals"``, ``"2 countries"``.

    Examples
    --------
    >>> plural(1, "deal"), plural(3, "deal"), plural(2, "country", "countries")
    ('1 deal', '3 deals', '2 countries')
    """
    count = int(n)
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def ordinal(n: Any) -> str:
    """Return ``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``...

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 22, 101)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '22nd', '101st']
    """
    count = int(n)
    suffix = "th" if 10 <= count % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(count % 10, "th")
    return f"{count}{suffix}"


def times(ratio: Any) -> str:
    """Return a ratio as ``"104 times"`` (from 10) or ``"2.1 times"`` (below 10).

    Examples
    --------
    >>> times(104.41), times(2.106), times(None)
    ('104 times', '2.1 times', 'n/a')
    """
    number = as_number(ratio)
    if number is None:
        return "n/a"
    return f"{number:.0f} times" if number >= 9.95 else f"{number:.1f} times"


def compare_tiv(a: str, a_tiv: Any, b: str, b_tiv: Any, *, min_tiv: float = 50.0) -> str:
    """Return ``a``'s TIV against ``b``'s: a ratio only when both are large enough to carry one.

    A ratio of two small totals (17.5 TIV) swings with a single deal, so below ``min_tiv``
    on either side both TIV figures are given instead.

    Parameters
    ----------
    a, b : str
        The two parties (the ratio is ``a`` over ``b``).
    a_tiv, b_tiv : number
        Their TIV (millions).
    min_tiv : float, default 50.0
        The smallest TIV on either side for which a ratio is given.

    Examples
    --------
    >>> compare_tiv("Azerbaijan", 1234.0, "Armenia", 300.0)
    'Azerbaijan received 4.1 times as much as Armenia (Azerbaijan 1,234 TIV, Armenia 300 TIV)'
    >>> compare_tiv("Azerbaijan", 169.0, "Armenia", 356.0)
    'Armenia received 2.1 times as much as Azerbaijan (Azerbaijan 169 TIV, Armenia 356 TIV)'
    >>> compare_tiv("Azerbaijan", 1827.0, "Armenia", 17.5)
    'Azerbaijan 1,827 TIV, Armenia 17.5 TIV'
    """
    x, y = as_number(a_tiv) or 0.0, as_number(b_tiv) or 0.0
    both = f"{a} {fmt_tiv(x)}, {b} {fmt_tiv(y)}"
    if min(x, y) < min_tiv:
        return both
    (big, hi), (small, lo) = sorted(((a, x), (b, y)), key=lambda p: -p[1])
    return f"{big} received {times(hi / lo)} as much as {small} ({both})"


#: Column headings for readers (tables on the pages and in the workbook), with their units.
COLUMN_LABELS = {
    "tiv": "TIV (millions)",
    "tiv_estimated": "TIV on estimates (millions)",
    "tiv_delivered": "TIV delivered (millions)",
    "tiv_per_unit": "TIV per unit (millions)",
    "tiv_change": "TIV change (millions)",
    "share": "share (%)",
    "estimated_share": "on estimates (%)",
    "estimated_pct": "on estimates (%)",
    "hhi": "HHI (0-10,000)",
    "supplier_total": "supplier total TIV (millions)",
    "deal_value_usd_m": "deal value (US$ millions, reported)",
    "ratio": "ratio (first / second)",
    "% of deal-year rows": "% of deal-year rows",
}


def column_label(name: Any) -> str:
    """Return a column name as a heading for readers: words, with the unit where it has one.

    Examples
    --------
    >>> column_label("tiv_estimated"), column_label("order_year"), column_label("share")
    ('TIV on estimates (millions)', 'order year', 'share (%)')
    """
    text = str(name)
    if text in COLUMN_LABELS:
        return COLUMN_LABELS[text]
    return text.replace("_", " ") if text.islower() or "_" in text else text


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
        A frame read by :mod:`arms.io.readers` (or a result that kept its ``attrs["source"]``).

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


#: Who publishes the database (the author of every citation).
PUBLISHER = "Stockholm International Peace Research Institute"
#: The database's address, as :data:`CITATION` writes it.
URL = CITATION.rsplit(", ", 1)[1]
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#_$^~])")


def _source_of(data: Any) -> dict:
    if isinstance(data, pd.DataFrame):
        data = data.attrs.get("source")
    return dict(data) if isinstance(data, dict) else {}


def _generated_ymd(source: dict) -> tuple[int, int, int] | None:
    text = generated_date(source.get("generated"))
    m = re.match(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$", text or "")
    if m is None:
        return None
    return int(m[3]), _MONTH_NUMBER[m[2].casefold()], int(m[1])


def _file_note(source: dict) -> str:
    parts = []
    date = generated_date(source.get("generated"))
    parts.append(f"Data generated {date}" if date else "Generated date unknown")
    query = source.get("query") or source.get("title")
    if query:
        parts.append(f"Export: {' '.join(str(query).split())}")
    path = source.get("path")
    if path:
        name = str(path).replace(chr(92), "/").rsplit("/", 1)[-1]
        sha = source.get("sha256")
        parts.append(f"File: {name}" + (f" (sha256 {sha})" if sha else ""))
    return ". ".join(parts) + "."


def citation_key(data: Any) -> str:
    """Return the citation key of a file: ``sipri_atd_YYYY_MM_DD`` (``sipri_atd`` undated).

    Examples
    --------
    >>> citation_key({"generated": "2024-10-13T14:20:11"}), citation_key({})
    ('sipri_atd_2024_10_13', 'sipri_atd')
    """
    ymd = _generated_ymd(_source_of(data))
    return "sipri_atd" + ("_{:04d}_{:02d}_{:02d}".format(*ymd) if ymd else "")


def bibtex(data: Any, *, key: str | None = None) -> str:
    r"""Return the BibTeX entry citing a SIPRI file, with its generated date and the URL.

    Parameters
    ----------
    data : pandas.DataFrame or dict
        A frame read by :mod:`arms.io.readers` (its ``attrs["source"]``) or that mapping.
    key : str, optional
        The entry's key; :func:`citation_key` by default.

    Returns
    -------
    str
        One ``@misc`` entry (biblatex reads its ``date`` and ``url`` too).

    Examples
    --------
    >>> print(bibtex({"generated": "2024-10-13T14:20:11", "path": "/x/reg_1.csv"}))
    @misc{sipri_atd_2024_10_13,
      author = {{Stockholm International Peace Research Institute}},
      title = {{SIPRI Arms Transfers Database}},
      howpublished = {\url{https://www.sipri.org/databases/armstransfers}},
      url = {https://www.sipri.org/databases/armstransfers},
      year = {2024},
      month = {10},
      date = {2024-10-13},
      note = {Data generated 13 Oct 2024. File: reg\_1.csv.}
    }
    """
    source = _source_of(data)
    ymd = _generated_ymd(source)
    fields = [
        ("author", "{" + PUBLISHER + "}"),
        ("title", "{" + SOURCE + "}"),
        ("howpublished", "\\url{" + URL + "}"),
        ("url", URL),
    ]
    if ymd:
        fields += [
            ("year", str(ymd[0])),
            ("month", str(ymd[1])),
            ("date", "{:04d}-{:02d}-{:02d}".format(*ymd)),
        ]
    fields.append(("note", _BIBTEX_SPECIAL.sub(r"\\\1", _file_note(source))))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{key or citation_key(source)},\n{body}\n}}"


def csl_json(data: Any, *, key: str | None = None) -> list[dict]:
    """Return the CSL-JSON item citing a SIPRI file (a one-item list, as Zotero reads it).

    Parameters
    ----------
    data : pandas.DataFrame or dict
        A frame read by :mod:`arms.io.readers` (its ``attrs["source"]``) or that mapping.
    key : str, optional
        The item's ``id``; :func:`citation_key` by default.

    Returns
    -------
    list of dict
        ``type`` ``dataset``, ``issued`` the generated date, ``URL`` the database's address.

    Examples
    --------
    >>> item = csl_json({"generated": "13 Apr 2024 3:54:15 PM"})[0]
    >>> item["id"], item["issued"], item["URL"]
    ('sipri_atd_2024_04_13', {'date-parts': [[2024, 4, 13]]}, 'https://www.sipri.org/databases/armstransfers')
    """  # noqa: E501
    source = _source_of(data)
    ymd = _generated_ymd(source)
    item: dict[str, Any] = {
        "id": key or citation_key(source),
        "type": "dataset",
        "title": SOURCE,
        "author": [{"literal": PUBLISHER}],
        "publisher": PUBLISHER,
        "publisher-place": "Stockholm",
        "URL": URL,
        "note": _file_note(source),
    }
    if ymd:
        item["issued"] = {"date-parts": [list(ymd)]}
    return [item]
