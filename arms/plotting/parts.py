"""Drawing steps the charts share: checked input, lumping, stacked and grouped bars, axes, events.

These helpers are public within :mod:`arms.plotting` (each chart module uses them) but are not
re-exported by the package: callers draw with the ``plot_*`` functions.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from arms.analysis.periods import period_label
from arms.plotting.colours import OTHER
from arms.plotting.style import hatch_kw

__all__ = [
    "ESTIMATED_LABEL",
    "colour_handles",
    "default_title",
    "frame_years",
    "with_years",
    "draw_events",
    "grouped",
    "legend",
    "lump",
    "new_axes",
    "numeric",
    "require_columns",
    "single_value",
    "stacked",
    "supplier_order",
    "grouped_by",
    "tiv_text",
    "year_axis",
    "year_position",
]

#: Legend entry of hatched parts.
ESTIMATED_LABEL = "Rests on SIPRI estimates"


def new_axes(ax: Axes | None) -> Axes:
    """Return ``ax``, or the axes of a new constrained-layout figure when it is None.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or None

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``ax`` is neither None nor an axes.
    """
    if ax is None:
        _, ax = plt.subplots(layout="constrained")
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
    return ax


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise unless ``frame`` is a DataFrame with ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : sequence of str
    name : str
        What the frame is, for the message.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If a column is missing.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} frame is missing columns {missing}")


def numeric(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Copy ``frame`` with ``columns`` as plain floats (missing columns and NA become 0).

    Name columns (``supplier``, ``recipient``, ``period``) become plain strings, a missing
    name ``"(unknown)"``.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : sequence of str

    Returns
    -------
    pandas.DataFrame
    """
    out = frame.copy()
    for col in columns:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float).fillna(0.0)
        else:
            out[col] = 0.0
    for col in ("supplier", "recipient", "period"):
        if col in out:
            out[col] = out[col].astype("string").fillna("(unknown)").astype(str)
    return out


def supplier_order(
    df: pd.DataFrame, top: int | None, keep: frozenset[str] | set[str] = frozenset()
) -> list:
    """Return suppliers by total TIV, largest first; beyond ``top`` (except ``keep``) Other.

    Parameters
    ----------
    df : pandas.DataFrame
        With ``supplier`` and ``tiv``.
    top : int or None
        How many to keep (None: all).
    keep : set of str
        Names kept whatever their rank.

    Returns
    -------
    list of str
        The kept names, then :data:`~arms.plotting.OTHER` if anything is lumped.
    """
    totals = df.groupby("supplier")["tiv"].sum().sort_values(ascending=False, kind="stable")
    names = [n for n in totals.index if n != OTHER]
    if top is not None and len(names) > top:
        kept = names[:top] + [n for n in names[top:] if n in keep]
        names = [n for n in names if n in kept]
        return names + [OTHER]
    return names + ([OTHER] if OTHER in totals.index else [])


def lump(names: pd.Series, order: Sequence[str]) -> pd.Series:
    """Return ``names`` with every name not in ``order`` replaced by Other.

    Parameters
    ----------
    names : pandas.Series
    order : sequence of str

    Returns
    -------
    pandas.Series
    """
    return names.where(names.isin(list(order)), OTHER)


def tiv_text(value: float) -> str:
    """Return a TIV figure as written on a chart (``1,234``, ``29``, ``4.5``).

    Parameters
    ----------
    value : float

    Returns
    -------
    str
    """
    return f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:.1f}"


def stacked(ax, x, total, estimated, bottom, supplier, *, width, colour, gid_keys=None) -> Patch:
    """Draw one supplier's stacked segments: solid sure part, hatched estimated part on top.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, total, estimated, bottom : array-like
        Positions, heights, the estimated part of each height and the segments' bottoms.
    supplier : str
        Name of the segments (``gid`` ``"<supplier>|<key>"``, ``"...|estimated"``).
    width : float
        Bar width.
    colour : str
        Face colour.
    gid_keys : sequence, optional
        Keys of the ``gid``; default the integer positions (years).

    Returns
    -------
    matplotlib.patches.Patch
        The legend handle.
    """
    total = np.asarray(total, dtype=float)
    estimated = np.minimum(np.asarray(estimated, dtype=float), total)
    sure = total - estimated
    bottom = np.asarray(bottom, dtype=float)
    keys = list(gid_keys) if gid_keys is not None else [int(v) for v in x]
    bars = ax.bar(
        x,
        sure,
        bottom=bottom,
        width=width,
        color=colour,
        label=supplier,
        **hatch_kw(colour, False),
    )
    for patch, key in zip(bars.patches, keys, strict=True):
        patch.set_gid(f"{supplier}|{key}")
    mask = estimated > 0
    if mask.any():
        hatched = ax.bar(
            x[mask],
            estimated[mask],
            bottom=(bottom + sure)[mask],
            width=width,
            color=colour,
            label=f"_{supplier} (estimated)",
            **hatch_kw(colour, True),
        )
        for patch, key in zip(hatched.patches, np.asarray(keys, dtype=object)[mask], strict=True):
            patch.set_gid(f"{supplier}|{key}|estimated")
    return Patch(facecolor=colour, label=supplier)


def colour_handles(names: Sequence[str], colours: Mapping[str, str]) -> list[Patch]:
    """Return one legend patch per name in its colour.

    Parameters
    ----------
    names : sequence of str
    colours : mapping of str to str

    Returns
    -------
    list of matplotlib.patches.Patch
    """
    return [Patch(facecolor=colours[n], label=n) for n in names]


def legend(ax: Axes, handles: list, *, estimated: bool, loc: str | None = None) -> None:
    """Draw the legend (outside on the right unless ``loc``), with the hatch key if needed.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    handles : list of artists
    estimated : bool
        Add the "Rests on SIPRI estimates" entry.
    loc : str, optional
        A matplotlib legend location inside the axes.
    """
    if estimated:
        handles = handles + [
            Patch(facecolor="#BBBBBB", label=ESTIMATED_LABEL, **hatch_kw("#BBBBBB", True))
        ]
    if loc is None:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(handles=handles, loc=loc)


def grouped(
    ax: Axes,
    table: pd.DataFrame,
    *,
    colours: Mapping[str, str],
    x: np.ndarray | None = None,
    estimated: pd.DataFrame | None = None,
    value_labels: bool,
) -> bool:
    """Draw grouped bars, one per column of ``table``, the estimated part hatched on top.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    table : pandas.DataFrame
        One row per group (its index keys the ``gid``), one column per bar.
    colours : mapping of str to str
        Colour of each column.
    x : numpy.ndarray, optional
        Group positions; default 0, 1, 2...
    estimated : pandas.DataFrame, optional
        The estimated part of each value, shaped like ``table``.
    value_labels : bool
        Write each value above its bar.

    Returns
    -------
    bool
        Whether anything was hatched.
    """
    n = max(table.shape[1], 1)
    width = 0.8 / n
    x = np.arange(len(table), dtype=float) if x is None else x
    hatched_any = False
    for i, name in enumerate(table.columns):
        offset = (i - (n - 1) / 2) * width
        colour = colours[name]
        total = table[name].to_numpy(dtype=float)
        est = np.zeros_like(total)
        if estimated is not None and name in estimated:
            est = np.clip(estimated[name].to_numpy(dtype=float), 0, total)
        bars = ax.bar(x + offset, total - est, width=width * 0.95, color=colour, label=name)
        for patch, key in zip(bars.patches, table.index, strict=True):
            patch.set_gid(f"{name}|{key}")
        mask = est > 0
        if mask.any():
            hatched_any = True
            extra = ax.bar(
                (x + offset)[mask],
                est[mask],
                bottom=(total - est)[mask],
                width=width * 0.95,
                color=colour,
                label=f"_{name} (estimated)",
                **hatch_kw(colour, True),
            )
            for patch, key in zip(extra.patches, table.index[mask], strict=True):
                patch.set_gid(f"{name}|{key}|estimated")
        if value_labels:
            _value_labels(ax, x + offset, total)
    return hatched_any


def _value_labels(ax: Axes, xs: np.ndarray, values: np.ndarray) -> None:
    for xi, value in zip(xs, values, strict=True):
        if value > 0:
            ax.annotate(
                f"{value:,.0f}",
                (xi, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                color="#333333",
                gid="value",
            )


def year_axis(ax: Axes, years: Sequence[int], pad: tuple[float, float] = (0.6, 0.6)) -> None:
    """Tick a year axis (every 1, 2, 5 or 10 years by span; a minor tick every year).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : sequence of int
    pad : tuple of float
        Room left of the first and right of the last year.
    """
    if not len(years):
        return
    lo, hi = int(min(years)), int(max(years))
    span = hi - lo
    step = 1 if span <= 12 else 2 if span <= 22 else 5 if span <= 60 else 10
    first = lo if step == 1 else lo + (-lo) % step
    ax.set_xticks(list(range(first, hi + 1, step)))
    ax.set_xlim(lo - pad[0], hi + pad[1])
    ax.xaxis.set_minor_locator(mpl.ticker.MultipleLocator(1))
    ax.tick_params(axis="x", which="minor", length=2)


def draw_events(ax: Axes, events: Iterable[Any] | pd.DataFrame | None) -> None:
    """Mark events on a year axis: a dashed line at the start, a band to the end, a label.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    events : iterable or DataFrame or None
        Items with ``label`` and ``start`` (or ``date``), optionally ``end``, as attributes,
        keys or columns. Nothing is drawn when None or empty.
    """
    if events is None:
        return
    if isinstance(events, pd.DataFrame):
        events = events.to_dict("records")
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for event in events:
        label, start, end = (_field(event, k) for k in ("label", "start", "end"))
        if start is None or _missing(start):
            start = _field(event, "date")
        x0 = year_position(start)
        x1 = year_position(end) if end is not None and not _missing(end) else x0
        if x1 - x0 > 0.02:
            ax.axvspan(x0, x1, color="#333333", alpha=0.22, lw=0, zorder=2.5, gid="event")
        ax.axvline(x0, color="#333333", lw=1, ls="--", zorder=2.6, gid="event")
        ax.text(
            x0 - 0.06,
            0.98,
            str(label),
            transform=trans,
            rotation=90,
            ha="right",
            va="top",
            fontsize=8,
            color="#333333",
            gid="event-label",
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )


def _missing(value: Any) -> bool:
    with contextlib.suppress(TypeError, ValueError):
        return bool(pd.isna(value))
    return False


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    value = getattr(obj, name, None)
    if value is None:
        with contextlib.suppress(KeyError, IndexError, TypeError):
            value = obj[name]
    return value


def year_position(when: Any) -> float:
    """Return the position of a date on a year axis whose bar for year Y spans Y-0.5 .. Y+0.5.

    Parameters
    ----------
    when : date-like

    Returns
    -------
    float

    Examples
    --------
    >>> import datetime
    >>> year_position(datetime.date(2020, 1, 1))
    2019.5
    """
    ts = pd.Timestamp(when)
    days = 366 if ts.is_leap_year else 365
    return ts.year - 0.5 + (ts.day_of_year - 1) / days


def grouped_by(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return ``frame`` with its ``by`` column as ``supplier``, the column the charts stack.

    A chart of a supplier's customers (``by="recipient"``) or of weapon families is drawn by
    the same code as one of a recipient's suppliers. The frame's one ``supplier`` (if any)
    moves to ``attrs["supplier"]`` so that default titles can still name it.

    Examples
    --------
    >>> f = pd.DataFrame({"supplier": "Russia", "recipient": ["India", "China"], "tiv": [1, 2]})
    >>> g = grouped_by(f, "recipient")
    >>> g["supplier"].tolist(), g.attrs["supplier"]
    (['India', 'China'], 'Russia')
    """
    if by == "supplier":
        return frame
    if by not in frame.columns:
        raise ValueError(f"the frame has no {by!r} column to group by")
    attrs = dict(frame.attrs)
    attrs.setdefault("supplier", single_value(frame, "supplier"))
    out = frame.drop(columns=["supplier"], errors="ignore").rename(columns={by: "supplier"})
    out.attrs = attrs
    return out


def single_value(frame: pd.DataFrame, column: str) -> str | None:
    """Return the one value of ``column`` when the frame holds exactly one, else None.

    Parameters
    ----------
    frame : pandas.DataFrame
    column : str

    Returns
    -------
    str or None
    """
    if column in frame:
        names = frame[column].dropna().unique()
        if len(names) == 1:
            return str(names[0])
    return None


def default_title(frame: pd.DataFrame, template: str, *, role: str = "recipient") -> str:
    """Return ``template`` filled with the frame's single recipient (or supplier), or ``""``.

    The recipient is the frame's one ``recipient`` value, else its ``attrs["recipient"]``
    (which :func:`arms.analysis.period_table` sets); likewise for ``role="supplier"``.

    Parameters
    ----------
    frame : pandas.DataFrame
    template : str
        With one ``{}``.
    role : {"recipient", "supplier"}, default "recipient"
        Whose name fills the template.

    Returns
    -------
    str
    """
    names = single_value(frame, role) or frame.attrs.get(role)
    return template.format(names) if names else ""


def frame_years(frame: pd.DataFrame) -> str | None:
    """Return the years a frame covers as SIPRI writes them (``"1991-2023"``), if it says.

    From ``year`` (deliveries), else ``start``/``end`` (periods), else the frame's
    ``attrs["start"]``/``attrs["end"]``.

    Examples
    --------
    >>> frame_years(pd.DataFrame({"year": [2016, 2020]})), frame_years(pd.DataFrame())
    ('2016-20', None)
    """
    for first, last in (("year", "year"), ("start", "end")):
        if first in frame and last in frame:
            a = pd.to_numeric(frame[first], errors="coerce").dropna()
            b = pd.to_numeric(frame[last], errors="coerce").dropna()
            if len(a) and len(b):
                return period_label(int(a.min()), int(b.max()))
    start, end = frame.attrs.get("start"), frame.attrs.get("end")  # e.g. analysis.flows
    if start is not None and end is not None:
        return period_label(int(start), int(end))
    return None


_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def with_years(title: str, frame: pd.DataFrame) -> str:
    """Return ``title`` naming the years the chart shows (added when it names none).

    Examples
    --------
    >>> with_years("Arms imports of Egypt", pd.DataFrame({"year": [1951, 2023]}))
    'Arms imports of Egypt, 1951-2023'
    >>> with_years("Shares, 2016-20", pd.DataFrame({"year": [2000, 2023]}))
    'Shares, 2016-20'
    """
    years = frame_years(frame)
    if not title or not years or _YEAR.search(title):
        return title
    return f"{title}, {years}"
