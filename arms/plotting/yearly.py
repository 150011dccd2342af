"""A recipient's yearly imports as bars stacked by supplier."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from arms.plotting.colours import palette
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import (
    default_title,
    draw_events,
    grouped_by,
    legend,
    lump,
    new_axes,
    numeric,
    require_columns,
    stacked,
    supplier_order,
    with_years,
    year_axis,
)
from arms.plotting.style import house_style
from arms.text import TIV_LABEL

__all__ = ["plot_yearly_by_supplier"]


def plot_yearly_by_supplier(
    yearly: pd.DataFrame,
    *,
    ax: Axes | None = None,
    events: Iterable[Any] | pd.DataFrame | None = None,
    colours: Mapping[str, str] | None = None,
    title: str | None = None,
    generated: object = None,
    top: int | None = 8,
    by: str = "supplier",
) -> Axes:
    """Draw a recipient's yearly imports as bars stacked by supplier; return the axes.

    The part of each bar that rests on numbers SIPRI marks as estimated is hatched. Events
    given in ``events`` are marked at their position within the year: a bar centred on year
    *Y* spans 1 January to 31 December. Nothing is marked unless events are given.

    Parameters
    ----------
    yearly : pandas.DataFrame
        Long frame with ``year``, ``supplier``, ``tiv`` and optionally ``tiv_estimated`` (the
        part of ``tiv`` resting on estimated numbers). Duplicate year-supplier rows are added.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    events : iterable or DataFrame, optional
        Items with ``label``, ``start`` (or ``date``) and ``end`` (dates; ``end`` may be
        missing) as attributes, keys or columns.
    colours : mapping of str to str, optional
        Colours by supplier, over :data:`~arms.plotting.SUPPLIER_COLOURS`.
    title : str, optional
        Defaults to "Arms imports of <recipient> by supplier" when the frame has a single
        ``recipient``.
    generated : str or datetime.date, optional
        Data generated date for the source note; defaults to
        ``yearly.attrs["source"]["generated"]``.
    top : int or None, default 8
        Keep the ``top`` suppliers by total TIV and lump the rest into "Other".
    by : str, default "supplier"
        The column the bars are stacked by: ``"recipient"`` draws a supplier's yearly
        exports by customer (from ``yearly_series(frame, supplier=..., by="recipient")``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> yearly = pd.DataFrame({"year": [2015, 2015, 2016], "supplier": ["Israel", "Russia",
    ...     "Israel"], "tiv": [300.0, 120.0, 250.0], "tiv_estimated": [50.0, 0.0, 0.0]})
    >>> ax = plot_yearly_by_supplier(yearly, generated="13 Apr 2024")
    >>> ax.get_ylabel()
    'SIPRI TIV (millions; volume, not US$)'
    >>> [t.get_text() for t in ax.get_legend().get_texts()][:2]
    ['Russia', 'Israel']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(yearly, ["year", by, "tiv"], "yearly")
    template, role = "Arms imports of {} by supplier", "recipient"
    if by != "supplier":
        template, role = f"Arms exports of {{}} by {by}", "supplier"
    yearly = grouped_by(yearly, by)
    df, order = _by_year_and_supplier(yearly, top)
    years = sorted(df["year"].unique())
    pal = palette(order, colours)
    with house_style():
        ax = new_axes(ax)
        bottom = pd.Series(0.0, index=years)
        handles = []
        for supplier in order:
            part = df[df["supplier"] == supplier].set_index("year")
            if part.empty:
                continue
            handles.append(
                stacked(
                    ax,
                    part.index.to_numpy(),
                    part["tiv"],
                    part["tiv_estimated"],
                    bottom.loc[part.index],
                    supplier,
                    width=0.8,
                    colour=pal[supplier],
                )
            )
            bottom.loc[part.index] += part["tiv"]
        if not years:
            ax.text(0.5, 0.5, "No deliveries", transform=ax.transAxes, ha="center")
        year_axis(ax, years)
        ax.set_xlabel("Year of delivery")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(0, max(float(bottom.max()) if years else 0, 1) * 1.12)
        draw_events(ax, events)
        legend(ax, handles[::-1], estimated=bool((df["tiv_estimated"] > 0).any()))
        ax.set_title(with_years(title or default_title(yearly, template, role=role), yearly))
        add_source_note(ax, generated_for(yearly, generated))
    return ax


def _by_year_and_supplier(yearly: pd.DataFrame, top: int | None) -> tuple[pd.DataFrame, list]:
    """One row per year and (lumped) supplier; the suppliers in stacking order."""
    df = numeric(yearly[yearly["year"].notna()], ["year", "tiv", "tiv_estimated"])
    df = df.groupby(["year", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    df["year"] = df["year"].astype(int)
    order = supplier_order(df, top)
    df["supplier"] = lump(df["supplier"], order)
    df = df.groupby(["year", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    df["tiv_estimated"] = df["tiv_estimated"].clip(lower=0).combine(df["tiv"], min)
    return df, order
