"""Supplier-to-recipient flows as a Sankey-style diagram drawn with plain matplotlib paths."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from arms.plotting.colours import palette
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import lump, numeric, require_columns, supplier_order, with_years
from arms.plotting.style import house_style
from arms.text import TIV_LABEL

__all__ = ["plot_flows"]

_NODE_W = 0.025
_RECIPIENT_NODE = "#777777"


def plot_flows(
    flows: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int | None = 8,
    colours: Mapping[str, str] | None = None,
    title: str | None = None,
    generated: object = None,
) -> Axes:
    """Draw supplier-to-recipient flows as a Sankey-style diagram; return the axes.

    Suppliers stand on the left and recipients on the right, each as a block as tall as its
    total TIV; every supplier-recipient pair is a band as wide as the TIV that moved between
    them, in the supplier's colour. Drawn with plain matplotlib paths.

    Parameters
    ----------
    flows : pandas.DataFrame
        Long frame with ``supplier``, ``recipient`` and ``tiv`` (pairs are added up).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    top : int or None, default 8
        Keep the ``top`` suppliers and the ``top`` recipients by TIV; the rest of each side
        is lumped into "Other".
    colours : mapping of str to str, optional
        Colours by supplier, over :data:`~arms.plotting.SUPPLIER_COLOURS`.
    title : str, optional
        Chart title.
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``flows.attrs``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> f = pd.DataFrame({"supplier": ["Israel", "Russia", "Russia"],
    ...     "recipient": ["Azerbaijan", "Azerbaijan", "Armenia"], "tiv": [900.0, 300.0, 400.0]})
    >>> ax = plot_flows(f, generated="13 Apr 2024")
    >>> sorted(p.get_gid() for p in ax.patches if p.get_gid().count("->"))
    ['Israel->Azerbaijan', 'Russia->Armenia', 'Russia->Azerbaijan']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(flows, ["supplier", "recipient", "tiv"], "flows")
    pairs, suppliers, recipients = _pairs(flows, top)
    total = float(pairs["tiv"].sum())
    gap = 0.03 * total if total > 0 else 1.0
    out = pairs.groupby("supplier")["tiv"].sum().reindex(suppliers).dropna()
    into = pairs.groupby("recipient")["tiv"].sum().reindex(recipients).dropna()
    left = _node_positions(out, gap)
    right = _node_positions(into, gap)
    pal = palette(out.index, colours)
    with house_style():
        if ax is None:
            _, ax = plt.subplots(
                figsize=(8.0, max(4.5, 0.45 * max(len(out), len(into)) + 1.5)),
                layout="constrained",
            )
        _draw_bands(ax, pairs, out, into, left, right, pal)
        for name, y in left.items():
            _node(ax, 0.0, y, out[name], pal[name], name, side="left")
        for name, y in right.items():
            _node(ax, 1 - _NODE_W, y, into[name], _RECIPIENT_NODE, name, side="right")
        height = max(
            float(out.sum()) + gap * (len(out) - 1), float(into.sum()) + gap * (len(into) - 1), 1.0
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(height * 1.02, -height * 0.02)
        ax.set_axis_off()
        _flow_labels(ax)
        ax.set_title(
            with_years(title or "Arms transfers by supplier and recipient", flows), pad=18
        )
        add_source_note(ax, generated_for(flows, generated))
    return ax


def _pairs(flows: pd.DataFrame, top: int | None) -> tuple[pd.DataFrame, list, list]:
    """TIV per (lumped) supplier and recipient pair; both sides' names, largest first."""
    df = numeric(flows, ["tiv"])
    df = df[df["tiv"] > 0]
    suppliers = supplier_order(df, top)
    df["supplier"] = lump(df["supplier"], suppliers)
    # rank the recipients with the same helper: it ranks the "supplier" column
    df = df.rename(columns={"supplier": "_s", "recipient": "supplier"})
    recipients = supplier_order(df, top)
    df["supplier"] = lump(df["supplier"], recipients)
    df = df.rename(columns={"supplier": "recipient", "_s": "supplier"})
    pairs = df.groupby(["supplier", "recipient"], as_index=False, sort=False)["tiv"].sum()
    return pairs, suppliers, recipients


def _draw_bands(ax, pairs, out, into, left, right, colours) -> None:
    """Bands leave each supplier in recipient order and enter each recipient in supplier order."""
    out_cursor = {s: left[s] for s in out.index}
    in_cursor = {r: right[r] for r in into.index}
    pairs = pairs.assign(
        _s=pairs["supplier"].map({s: i for i, s in enumerate(out.index)}),
        _r=pairs["recipient"].map({r: i for i, r in enumerate(into.index)}),
    )
    for _, row in pairs.sort_values(["_s", "_r"]).iterrows():
        s, r, v = row["supplier"], row["recipient"], row["tiv"]
        y0, y1 = out_cursor[s], in_cursor[r]
        out_cursor[s] += v
        in_cursor[r] += v
        ax.add_patch(_band(_NODE_W, y0, 1 - _NODE_W, y1, v, colours[s], f"{s}->{r}"))


def _node_positions(totals: pd.Series, gap: float) -> dict[str, float]:
    positions, y = {}, 0.0
    for name, value in totals.items():
        positions[name] = y
        y += float(value) + gap
    return positions


def _band(x0: float, y0: float, x1: float, y1: float, width: float, colour: str, gid: str):
    xm = (x0 + x1) / 2
    verts = [
        (x0, y0),
        (xm, y0),
        (xm, y1),
        (x1, y1),
        (x1, y1 + width),
        (xm, y1 + width),
        (xm, y0 + width),
        (x0, y0 + width),
        (x0, y0),
    ]
    codes = [
        MplPath.MOVETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.LINETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CLOSEPOLY,
    ]
    return PathPatch(MplPath(verts, codes), facecolor=colour, alpha=0.55, lw=0, gid=gid)


def _node(ax, x, y, value, colour, name, *, side):
    ax.add_patch(
        mpl.patches.Rectangle(
            (x, y), _NODE_W, value, facecolor=colour, lw=0, gid=f"node|{side}|{name}"
        )
    )
    tx, ha = (x - 0.01, "right") if side == "left" else (x + _NODE_W + 0.01, "left")
    ax.text(
        tx,
        y + value / 2,
        f"{name}  {value:,.0f}",
        ha=ha,
        va="center",
        fontsize=9,
        gid=f"label|{side}",
    )


def _flow_labels(ax: Axes) -> None:
    """Write the band-width key below the diagram and the two column headings above it."""
    ax.text(
        0.5,
        -0.02,
        f"Band width: {TIV_LABEL}",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=8.5,
        color="#333333",
        gid="tiv-label",
    )
    for x, ha, text in ((0.0, "right", "Suppliers"), (1.0, "left", "Recipients")):
        ax.text(
            x, 1.0, text, transform=ax.transAxes, ha=ha, va="bottom", fontsize=9, fontweight="bold"
        )
