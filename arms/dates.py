"""SIPRI's "data generated" stamp written for people: ``3 Jan 2025``.

The readers keep the stamp as an ISO string (``"2025-01-03T21:16:02"``, ``"2023-12-11"``);
SIPRI writes it as ``"Data generated: 13 Apr 2024 3:54:15 PM"``. Every note, sentence,
citation and command output shows it through :func:`generated_date`, so the date reads the
same everywhere: day, English month abbreviation (whatever the locale), year, no clock time.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["generated_date"]

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
    value : str, datetime.date, datetime.datetime, pandas.Timestamp or None
        The stamp: an ISO date or timestamp as the readers store it, SIPRI's own text (with
        or without the ``Data generated:`` label, with or without the clock time) or a date.

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
