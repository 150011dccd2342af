"""Dated events to mark on charts, read from a small reviewed table (``arms/data/events.csv``).

The events are case-study data, not defaults: a notebook passes ``events_frame()`` (or a
selection of its rows, or its own table) to a chart explicitly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from importlib import resources

import pandas as pd

__all__ = ["EVENT_COLUMNS", "Event", "events_frame"]

#: The columns of an events table: first and last day (inclusive), what happened, the
#: parties involved (``;``-separated) and the source the dates come from.
EVENT_COLUMNS: tuple[str, ...] = ("start", "end", "label", "parties", "source")


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


def events_frame(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return an events table: the packaged one (``arms/data/events.csv``) or ``path``'s.

    Parameters
    ----------
    path : path-like, optional
        A CSV with the columns of :data:`EVENT_COLUMNS`; by default the packaged table (the
        April 2016 clashes and the 2020 Nagorno-Karabakh war, each with its source).

    Returns
    -------
    pandas.DataFrame
        ``label``, ``parties``, ``source`` (string), ``start`` and ``end`` (datetime64,
        inclusive days), in the file's order.

    Raises
    ------
    ValueError
        If a column is missing, a date cannot be read, or an event ends before it starts.

    Examples
    --------
    >>> events_frame()[["label", "start"]].iloc[1].tolist()
    ['2020 Nagorno-Karabakh war', Timestamp('2020-09-27 00:00:00')]
    """
    if path is None:
        with (resources.files("arms") / "data" / "events.csv").open("r", encoding="utf-8") as fh:
            raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
        where = "arms/data/events.csv"
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        where = str(path)
    missing = [c for c in EVENT_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"{where}: missing columns {missing}; expected {list(EVENT_COLUMNS)}")
    try:
        start = pd.to_datetime(raw["start"].str.strip(), format="%Y-%m-%d")
        end = pd.to_datetime(raw["end"].str.strip(), format="%Y-%m-%d")
    except ValueError as exc:
        raise ValueError(f"{where}: dates must be YYYY-MM-DD ({exc})") from None
    if (end < start).any():
        late = list(raw.loc[end < start, "label"])
        raise ValueError(f"{where}: events end before they start: {late}")
    return pd.DataFrame(
        {
            "label": raw["label"].str.strip().astype("string"),
            "start": start,
            "end": end,
            "parties": raw["parties"].str.strip().astype("string"),
            "source": raw["source"].str.strip().astype("string"),
        }
    )


def __getattr__(name: str):
    # ``arms.EVENTS`` (a tuple of :class:`Event`) predates the events table and scripts use
    # it: it is the packaged table's rows, read when first asked for, so that importing the
    # analysis layer never reads a data file.
    if name == "EVENTS":
        table = events_frame()
        return tuple(Event(str(r.label), r.start.date(), r.end.date()) for r in table.itertuples())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
