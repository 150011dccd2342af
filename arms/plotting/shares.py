"""Suppliers' shares of a recipient's imports per period, as 100% stacked bars."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from arms.plotting.colours import ink, palette
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import (
    default_title,
    grouped_by,
    legend,
    lump,
    new_axes,
    numeric,
    require_columns,
    stacked,
    supplier_order,
    tiv_text,
    with_years,
)
from arms.plotting.style import house_style
from arms.text import SHARE_LABEL

__all__ = ["plot_period_shares"]

#: More periods than this get the wide layout (upright labels, a wider figure).
_MANY = 8


def plot_period_shares(
    periods: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colours: Mapping[str, str] | None = None,
    title: str | None = None,
    generated: object = None,
    top: int | None = 6,
    by: str = "supplier",
) -> Axes:
    r"""Draw supplier shares per period as 100% stacked bars; return the axes.

    Each bar is one period (e.g. "2016-20"); its segments are the suppliers' shares of the
    period's TIV, hatched where they rest on estimated numbers. The leading supplier of each
    period is written on its segment with its share, and the period's total TIV above the bar.

    Parameters
    ----------
    periods : pandas.DataFrame
        Long frame with ``period``, ``supplier``, ``tiv`` and optionally ``start`` (orders the
        periods) and ``tiv_estimated``. A ``share`` column may be present; the drawn shares
        are recomputed from ``tiv`` (after lumping small suppliers) so that every bar adds up
        to exactly 100%.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    colours : mapping of str to str, optional
        Colours by supplier, over :data:`~arms.plotting.SUPPLIER_COLOURS`.
    title : str, optional
        Chart title; defaults to "Suppliers' shares of <recipient>'s imports".
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``periods.attrs``).
    top : int or None, default 6
        Keep the ``top`` suppliers (plus every period's leader) and lump the rest into
        "Other".
    by : str, default "supplier"
        The column the bars are split by: ``"recipient"`` for a supplier's customers (from
        ``period_table(frame, supplier=..., by="recipient")``), ``"family"``... The default
        title then names the frame's supplier ("Recipients' shares of Russia's arms exports").

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> periods = pd.DataFrame({"period": ["2011-15", "2011-15", "2016-20", "2016-20"],
    ...     "supplier": ["Russia", "Israel", "Russia", "Israel"],
    ...     "tiv": [600.0, 300.0, 200.0, 800.0]})
    >>> ax = plot_period_shares(periods, generated="13 Apr 2024")
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "leader")
    ['Israel\n80%', 'Russia\n67%']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(periods, ["period", by, "tiv"], "periods")
    what = {"supplier": "Suppliers'", "recipient": "Recipients'"}.get(by, "Weapon groups'")
    template = (
        "Suppliers' shares of {}'s arms imports"
        if by == "supplier"
        else f"{what} shares of {{}}'s arms exports"
    )
    role = "recipient" if by == "supplier" else "supplier"
    periods = grouped_by(periods, by)
    df, order, totals, leaders, labels = _shares(periods, top)
    pos = pd.Series(np.arange(len(labels), dtype=float), index=labels)
    pal = palette(order, colours)
    many = len(labels) > _MANY
    with house_style():
        if ax is None and many:  # a wider figure: every bar keeps room for its labels
            _, ax = plt.subplots(figsize=(3.2 + 0.62 * len(labels), 5.2), layout="constrained")
        ax = new_axes(ax)
        bottom = pd.Series(0.0, index=labels)
        handles = []
        for supplier in order:
            part = df[(df["supplier"] == supplier) & (df["tiv"] > 0)].set_index("period")
            if part.empty:
                continue
            handles.append(
                stacked(
                    ax,
                    pos[part.index].to_numpy(),
                    part["share"],
                    part["share_estimated"].clip(lower=0),
                    bottom.loc[part.index],
                    supplier,
                    width=0.7,
                    colour=pal[supplier],
                    gid_keys=list(part.index),
                )
            )
            for period, row in part.iterrows():
                if leaders.get(period) == supplier:
                    y = bottom[period] + row["share"] / 2
                    _leader_label(
                        ax, pos[period], y, supplier, row["share"], pal[supplier], compact=many
                    )
            bottom.loc[part.index] += part["share"]
        if many:  # upright leader labels longer than their bar would cover the period labels
            _keep_inside(ax, [t for t in ax.texts if t.get_gid() == "leader"])
        _total_labels(ax, pos, totals, vertical=many)
        ax.set_xticks(pos.to_numpy(), labels, rotation=90 if many else 0)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.set_ylim(0, 122 if many else 108)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_ylabel(SHARE_LABEL if role == "recipient" else SHARE_LABEL.replace("imp", "exp"))
        ax.set_xlabel("Period (deliveries)")
        legend(ax, handles[::-1], estimated=bool((df["share_estimated"] > 0).any()))
        ax.set_title(with_years(title or default_title(periods, template, role=role), periods))
        add_source_note(ax, generated_for(periods, generated))
    return ax


def _shares(periods: pd.DataFrame, top: int | None):
    """Shares per period and (lumped) supplier, the supplier order, totals, leaders, periods."""
    df = numeric(periods, ["tiv", "tiv_estimated", "start"])
    df["period"] = df["period"].astype(str)
    sort_key = df.groupby("period")["start"].min() if "start" in periods else None
    df = df.groupby(["period", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    totals = df.groupby("period")["tiv"].sum()
    leaders = (
        df.sort_values(["period", "tiv"], ascending=[True, False])
        .drop_duplicates("period")
        .set_index("period")["supplier"]
    )
    order = supplier_order(df, top, keep=set(leaders[totals.reindex(leaders.index) > 0]))
    df["supplier"] = lump(df["supplier"], order)
    df = df.groupby(["period", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    df["share"] = 100 * df["tiv"] / df["period"].map(totals).where(lambda t: t > 0)
    df["share_estimated"] = df["share"] * (df["tiv_estimated"] / df["tiv"].where(df["tiv"] > 0))
    df = df.fillna({"share": 0.0, "share_estimated": 0.0})
    labels = list(totals.index)
    if sort_key is not None and sort_key.notna().all():
        labels = sorted(labels, key=lambda p: (sort_key[p], p))
    else:
        labels = sorted(labels)
    return df, order, totals, leaders, labels


def _leader_label(
    ax: Axes, x: float, y: float, supplier: str, share: float, colour: str, *, compact=False
):
    """Write the period's leader on its segment (upright and smaller when bars are many)."""
    ax.text(
        x,
        y,
        f"{supplier}\n{share:.0f}%" if not compact else f"{supplier} {share:.0f}%",
        ha="center",
        va="center",
        rotation=90 if compact else 0,
        fontsize=7.5 if compact else 9,
        fontweight="bold",
        gid="leader",
        color=ink(colour),
        bbox={"facecolor": colour, "edgecolor": "none", "pad": 2},
    )


def _keep_inside(ax: Axes, texts: list) -> None:
    """Move each text up or down so that it stays between 0 and 100% (the bar's height)."""
    if not texts:
        return
    ax.set_ylim(0, 122)  # the final limits: the data coordinates below depend on them
    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for text in texts:
        box = text.get_window_extent(renderer)
        (_, low), (_, high) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        x, y = text.get_position()
        if high - low >= 98:
            continue  # longer than the bar: leave it centred
        if low < 1:
            text.set_y(y + (1 - low))
        elif high > 99:
            text.set_y(y - (high - 99))


def _total_labels(ax: Axes, pos: pd.Series, totals: pd.Series, *, vertical: bool = False):
    """Write each period's total TIV above its bar; a small total is flagged as such.

    Every bar is 100% high, so a total under a twentieth of the largest one is written in
    bold with "small total", lest a full bar on 3 TIV read like one on 3,000.
    """
    largest = float(totals.max()) if len(totals) else 0.0
    for period, x in pos.items():
        total = float(totals[period])
        small = 0 < total < largest / 20
        text = f"{tiv_text(total)} TIV" if total > 0 else "no deliveries"
        if small:
            text += " (small total)" if not vertical else "\n(small)"
        ax.text(
            x,
            101,
            text,
            ha="center",
            va="bottom",
            rotation=90 if vertical and not small else 0,
            fontsize=7.5 if vertical else 8,
            fontweight="bold" if small else "normal",
            color="#222222" if small else "#555555",
            gid="total|small" if small else "total",
        )
