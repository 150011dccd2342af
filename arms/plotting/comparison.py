"""Recipients side by side: their imports per period, one supplier's deliveries to each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from arms.plotting.colours import palette
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import (
    colour_handles,
    draw_events,
    grouped,
    legend,
    new_axes,
    numeric,
    require_columns,
    single_value,
    with_years,
    year_axis,
)
from arms.plotting.style import house_style
from arms.text import TIV_LABEL

__all__ = ["plot_recipient_comparison", "plot_supplier_to_both_sides"]


def plot_recipient_comparison(
    comparison: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colours: Mapping[str, str] | None = None,
    title: str | None = None,
    generated: object = None,
) -> Axes:
    """Draw two (or more) recipients' imports side by side per period; return the axes.

    Each period is a group of bars, one per recipient, with the TIV written on top; with
    exactly two recipients the ratio of the first to the second is written above the group.

    Parameters
    ----------
    comparison : pandas.DataFrame
        Long frame with ``period``, ``recipient``, ``tiv`` (and optionally ``start`` to order
        the periods).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    colours : mapping of str to str, optional
        Colours by recipient (e.g. from a notebook's parameters); recipients without one get
        distinct stable colours (:func:`~arms.plotting.palette`).
    title : str, optional
        Defaults to "Arms imports: A vs B".
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``comparison.attrs``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> c = pd.DataFrame({"period": ["2016-20", "2016-20"],
    ...     "recipient": ["Azerbaijan", "Armenia"], "tiv": [1200.0, 400.0]})
    >>> ax = plot_recipient_comparison(c, generated="13 Apr 2024")
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "ratio"]
    ['3.0×']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(comparison, ["period", "recipient", "tiv"], "comparison")
    df = numeric(comparison, ["tiv", "tiv_estimated", "start"])
    df["period"] = df["period"].astype(str)
    recipients = list(dict.fromkeys(df["recipient"].astype(str)))
    table, est = (
        df.pivot_table(index="period", columns="recipient", values=col, aggfunc="sum")
        for col in ("tiv", "tiv_estimated")
    )
    if "start" in comparison:
        table = table.loc[df.groupby("period")["start"].min().sort_values(kind="stable").index]
    table = table.reindex(columns=recipients).fillna(0.0)
    est = est.reindex_like(table).fillna(0.0)
    pal = palette(recipients, colours)
    with house_style():
        ax = new_axes(ax)
        hatched = grouped(ax, table, colours=pal, estimated=est, value_labels=True)
        if len(recipients) == 2:
            _ratio_labels(ax, table, *recipients)
        ax.set_xticks(np.arange(len(table)), list(table.index))
        key = (
            f"; ratio = {recipients[0]} / {recipients[1]} (where both exceed "
            f"{RATIO_MIN_TIV:.0f} TIV)"
            if len(recipients) == 2
            else ""
        )
        ax.set_xlabel(f"Period (deliveries){key}")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(0, max(float(table.to_numpy().max()) if table.size else 0.0, 1.0) * 1.22)
        legend(ax, colour_handles(recipients, pal), estimated=hatched, loc="upper left")
        ax.set_title(with_years(title or "Arms imports: " + " vs ".join(recipients), comparison))
        add_source_note(ax, generated_for(comparison, generated))
    return ax


#: A ratio is written only where both sides received at least this TIV (millions).
RATIO_MIN_TIV = 50.0


def _ratio_labels(ax: Axes, table: pd.DataFrame, a: str, b: str) -> None:
    """Write ``a / b`` above each period's group, where both totals can carry a ratio.

    A ratio of small totals (17.5 TIV) swings with one deal, and one of nothing is no
    ratio: there the bars' own TIV labels say it.
    """
    for x, (_, row) in enumerate(table.iterrows()):
        if min(row[a], row[b]) >= RATIO_MIN_TIV:
            ax.annotate(
                f"{row[a] / row[b]:.1f}×",
                (x, row.max()),
                xytext=(0, 16),
                textcoords="offset points",
                ha="center",
                fontsize=9,
                fontweight="bold",
                color="#333333",
                gid="ratio",
            )


def plot_supplier_to_both_sides(
    yearly: pd.DataFrame,
    *,
    ax: Axes | None = None,
    supplier: str | None = None,
    events: Iterable[Any] | pd.DataFrame | None = None,
    colours: Mapping[str, str] | None = None,
    title: str | None = None,
    generated: object = None,
) -> Axes:
    """Draw one supplier's yearly deliveries to each side as grouped bars; return the axes.

    Parameters
    ----------
    yearly : pandas.DataFrame
        Long frame with ``year``, ``recipient``, ``tiv`` (optionally ``supplier``, used for
        the title when it holds a single name).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    supplier : str, optional
        Supplier named in the title (default: the frame's single ``supplier``).
    events : iterable or DataFrame, optional
        Events to mark, as in :func:`~arms.plotting.plot_yearly_by_supplier`; none by default.
    colours : mapping of str to str, optional
        Colours by recipient, as in :func:`plot_recipient_comparison`.
    title : str, optional
        Defaults to "<supplier>'s arms deliveries to A and B".
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``yearly.attrs``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> y = pd.DataFrame({"year": [2013, 2013, 2014], "recipient": ["Azerbaijan",
    ...     "Armenia", "Azerbaijan"], "tiv": [600.0, 20.0, 700.0]})
    >>> ax = plot_supplier_to_both_sides(y, supplier="Russia", generated="13 Apr 2024")
    >>> ax.get_title()
    "Russia's arms deliveries to Azerbaijan and Armenia, 2013-14"
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(yearly, ["year", "recipient", "tiv"], "yearly")
    df = numeric(yearly[yearly["year"].notna()], ["year", "tiv", "tiv_estimated"])
    df["year"] = df["year"].astype(int)
    supplier = supplier or single_value(yearly, "supplier")
    recipients = list(dict.fromkeys(df["recipient"].astype(str)))
    table, est = (
        df.pivot_table(index="year", columns="recipient", values=col, aggfunc="sum")
        for col in ("tiv", "tiv_estimated")
    )
    if len(table):
        table = table.reindex(range(table.index.min(), table.index.max() + 1))
    table = table.reindex(columns=recipients).fillna(0.0)
    est = est.reindex_like(table).fillna(0.0)
    pal = palette(recipients, colours)
    with house_style():
        ax = new_axes(ax)
        x = table.index.to_numpy(dtype=float)
        hatched = grouped(ax, table, colours=pal, x=x, estimated=est, value_labels=False)
        year_axis(ax, list(table.index))
        ax.set_xlabel("Year of delivery")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(0, max(float(table.to_numpy().max()) if table.size else 0.0, 1.0) * 1.1)
        draw_events(ax, events)
        legend(ax, colour_handles(recipients, pal), estimated=hatched)
        who = f"{supplier}'s arms deliveries" if supplier else "Arms deliveries"
        ax.set_title(with_years(title or f"{who} to " + " and ".join(recipients), yearly))
        add_source_note(ax, generated_for(yearly, generated))
    return ax
