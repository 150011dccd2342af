"""Deals as Gantt-like rows: the order year, then one bar per delivery year scaled by units."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from arms.plotting.colours import palette
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import (
    numeric,
    require_columns,
    single_value,
    tiv_text,
    with_years,
    year_axis,
)
from arms.plotting.style import hatch_kw, house_style

log = logging.getLogger(__name__)

__all__ = ["plot_deal_timeline"]

_NO_SUPPLIER = "#555555"
#: At most this many unit counts fit side by side on a row; more are thinned.
_YEAR_LABELS = 14


def plot_deal_timeline(
    timeline: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colours: Mapping[str, str] | None = None,
    title: str | None = None,
    generated: object = None,
    max_deals: int = 30,
) -> Axes:
    """Draw deals as Gantt-like rows (order, then deliveries by units); return the axes.

    One row per deal: a diamond at the order year (hollow when SIPRI estimates the year), a
    thin line to the last delivery, and one bar per delivery year whose height grows with the
    units delivered that year (hatched when the number is estimated, with the count written
    beside it). The row label carries the deal, the supplier and the status when the weapons
    were second-hand; the deal's delivered TIV is written at the row's end.

    Parameters
    ----------
    timeline : pandas.DataFrame
        One row per deal and delivery year: ``deal`` (label), ``year``, ``units``, and
        optionally ``deal_key``, ``supplier``, ``recipient``, ``order_year``,
        ``order_year_estimated``, ``units_estimated``, ``tiv``, ``status``. A deal with no
        delivery yet has one row with ``year`` missing.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new figure sized to the number of deals when omitted.
    colours : mapping of str to str, optional
        Colours by supplier, over :data:`~arms.plotting.SUPPLIER_COLOURS`.
    title : str, optional
        Chart title.
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``timeline.attrs``).
    max_deals : int, default 30
        Show at most this many deals (the largest by TIV), to stay readable.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> tl = pd.DataFrame({"deal": ["Su-30K"], "supplier": ["Russia"], "order_year": [2019],
    ...     "year": [2019], "units": [4], "tiv": [190.0], "status": ["New"]})
    >>> ax = plot_deal_timeline(tl, generated="13 Apr 2024")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Su-30K (Russia, ordered 2019): 4 units']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(timeline, ["deal", "year", "units"], "timeline")
    df = _delivery_rows(timeline)
    deals = _deals(df, timeline, max_deals)
    suppliers = list(deals["supplier"].dropna().unique())
    pal = palette(suppliers, colours)
    with house_style():
        if ax is None:
            _, ax = plt.subplots(
                figsize=(8.0, 1.4 + 0.42 * max(len(deals), 2)), layout="constrained"
            )
        labels = _deal_labels(deals)
        xs = pd.concat([deals["order_year"], deals["first"], deals["last"]]).dropna()
        span = int(xs.max() - xs.min()) + 1 if len(xs) else 1
        every = max(1, int(np.ceil(span / _YEAR_LABELS)))  # label every n-th year at most
        counts = []
        for i, (deal_key, deal) in enumerate(deals.iterrows()):
            colour = pal[deal["supplier"]] if pd.notna(deal["supplier"]) else _NO_SUPPLIER
            rows = df[(df["_key"] == deal_key) & df["year"].notna()]
            _draw_order(ax, i, deal)
            counts.append(_draw_deliveries(ax, i, deal, rows, colour, every))
            _draw_deal_tiv(ax, i, deal)
        _timeline_axes(ax, deals, labels)
        _timeline_legend(ax, suppliers if len(suppliers) > 1 else [], pal)
        ax.set_title(with_years(title or _timeline_title(timeline), timeline))
        add_source_note(ax, generated_for(timeline, generated))
        _drop_overlapping(ax, counts)
    return ax


def _drop_overlapping(ax: Axes, rows: list[list[Any]]) -> None:
    """Remove unit counts that would overlap the one before them on their row (as laid out)."""
    if not any(rows):
        return
    figure = ax.figure
    try:
        # lay the figure out without painting pixels: the counts' extents are then final
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
    except Exception:  # a backend without a renderer: the year thinning stays
        return
    for texts in rows:
        kept = None
        for text in sorted(texts, key=lambda t: t.get_position()[0]):
            box = text.get_window_extent(renderer).expanded(1.15, 1.0)
            if kept is not None and box.x0 < kept.x1:
                text.remove()
                continue
            kept = box


def _delivery_rows(timeline: pd.DataFrame) -> pd.DataFrame:
    """Return the rows with plain columns; years and unit counts keep their gaps."""
    df = numeric(timeline, ["tiv"])
    df["deal"] = timeline["deal"].astype("string").fillna("(unnamed deal)").astype(str)
    # a missing order year draws no diamond, a missing unit count is written "?"
    for col in ("year", "order_year", "units"):
        df[col] = (
            pd.to_numeric(timeline[col], errors="coerce").astype(float).to_numpy()
            if col in timeline
            else np.nan
        )
    for col in ("order_year_estimated", "units_estimated"):
        df[col] = (
            timeline[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
            if col in timeline
            else False
        )
    key = "deal_key" if "deal_key" in timeline else "deal"
    df["_key"] = timeline[key].astype(str).to_numpy()
    for col in ("supplier", "status", "designation", "recipient"):
        if col in timeline:  # a bare dash or blank is no value
            values = timeline[col].astype("string").str.strip()
            df[col] = values.where(~values.fillna("").str.fullmatch(r"[-\s?]*"), pd.NA).to_numpy()
    return df


def _deals(df: pd.DataFrame, timeline: pd.DataFrame, max_deals: int) -> pd.DataFrame:
    """One row per deal, the largest ``max_deals`` by TIV, in order of their start."""
    by_deal = df.groupby("_key", sort=False)
    deals = by_deal.agg(
        deal=("deal", "first"),
        order_year=("order_year", "min"),
        first=("year", "min"),
        last=("year", "max"),
        tiv=("tiv", "sum"),
        units=("units", "sum"),
    )
    for col in ("supplier", "status", "designation", "recipient"):
        deals[col] = by_deal[col].first().astype("string") if col in df else pd.NA
    deals["units_estimated"] = by_deal["units_estimated"].any()
    deals["order_estimated"] = by_deal["order_year_estimated"].any()
    if len(deals) > max_deals:
        log.info("showing the %d largest of %d deals", max_deals, len(deals))
        deals = deals.nlargest(max_deals, "tiv")
    return deals.assign(_start=deals["order_year"].fillna(deals["first"])).sort_values(
        ["_start", "first", "deal"], na_position="last"
    )


def _draw_order(ax: Axes, i: int, deal: pd.Series) -> None:
    """Draw the order diamond (hollow when estimated) and the line to the last delivery."""
    if pd.isna(deal["order_year"]):
        return
    end = deal["last"] if pd.notna(deal["last"]) else deal["order_year"]
    est = bool(deal["order_estimated"])
    ax.plot([deal["order_year"], end], [i, i], color="#999999", lw=1, zorder=1, gid="span")
    ax.plot(
        deal["order_year"],
        i,
        marker="D",
        ms=7,
        zorder=3,
        mfc="white" if est else "#222222",
        mec="#222222",
        mew=1.5,
        ls="none",
        gid="order|estimated" if est else "order",
    )


def _draw_deliveries(
    ax: Axes, i: int, deal: pd.Series, rows: pd.DataFrame, colour: str, every: int = 1
) -> list:
    """One bar per delivery year, its height scaled by the units, the count below it.

    Counts are written at least ``every`` years apart (and any that would still overlap
    are dropped once the figure is laid out); the deal's total is in its row label.
    Returns the count labels.
    """
    peak = rows["units"].max() if rows["units"].notna().any() else 1.0
    last_label = -np.inf
    texts = []
    for _, row in rows.sort_values("year").iterrows():
        units = row["units"]
        share = units / peak if pd.notna(units) and peak > 0 else 0.0
        height = 0.2 + 0.55 * share
        est = bool(row["units_estimated"])
        gid = f"{deal['deal']}|{int(row['year'])}" + ("|estimated" if est else "")
        bars = ax.bar(
            row["year"],
            height,
            bottom=i - height / 2,
            width=0.8,
            color=colour,
            zorder=2,
            **hatch_kw(colour, est),
        )
        bars.patches[0].set_gid(gid)
        if row["year"] - last_label < every:
            continue
        last_label = row["year"]
        count = "?" if pd.isna(units) else f"{int(units)}" + ("?" if est else "")
        text = ax.text(
            row["year"],
            i - height / 2 - 0.03,
            count,
            ha="center",
            va="bottom",
            fontsize=7.5,
            color="#333333",
            gid="units",
        )
        texts.append(text)
    return texts


def _draw_deal_tiv(ax: Axes, i: int, deal: pd.Series) -> None:
    """Write the deal's delivered TIV at the end of its row."""
    x_end = np.nanmax([deal["last"], deal["order_year"]])
    if pd.notna(deal["tiv"]) and not np.isnan(x_end):
        ax.text(
            x_end + 0.55,
            i,
            f"{tiv_text(deal['tiv'])} TIV",
            va="center",
            fontsize=8,
            color="#555555",
            gid="deal-tiv",
        )


def _deal_labels(deals: pd.DataFrame) -> list[str]:
    """Return each row's label: designation, supplier and order year; never an internal id.

    "Deal (Supplier, ordered 2019)", with the recipient when the chart shows several, the
    status on a second line unless the weapons were new, and "no. 2" when two deals would
    read the same.
    """
    several = len(set(deals["recipient"].dropna())) > 1
    labels = []
    for _, deal in deals.iterrows():
        name = deal["designation"] if pd.notna(deal["designation"]) else None
        if name is None:  # the analysis label without its key: "TB2 (Turkiye -> ..., 2019)"
            name = re.sub(r"\s*\[[^\]]*\]\s*$", "", str(deal["deal"])).split(" (")[0]
        who = []
        if pd.notna(deal["supplier"]):
            who.append(str(deal["supplier"]) + (f" to {deal['recipient']}" if several else ""))
        if pd.notna(deal["order_year"]):
            who.append(f"ordered {int(deal['order_year'])}")
        label = f"{name} ({', '.join(who)})" if who else str(name)
        if pd.notna(deal["units"]) and deal["units"] > 0:
            label += f": {int(deal['units'])}{'?' if deal['units_estimated'] else ''} units"
        labels.append(label)
    seen: dict[str, int] = {}
    out = []
    for label, (_, deal) in zip(labels, deals.iterrows(), strict=True):
        seen[label] = seen.get(label, 0) + 1
        if labels.count(label) > 1:
            label += f" no. {seen[label]}"
        status = deal["status"]
        if pd.notna(status) and str(status).strip().lower() not in ("new", ""):
            label += f"\n{str(status).lower()}"
        out.append(label)
    return out


def _timeline_axes(ax: Axes, deals: pd.DataFrame, labels: list[str]) -> None:
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.7)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    xs = pd.concat([deals["order_year"], deals["first"], deals["last"]]).dropna()
    if len(xs):
        year_axis(ax, list(range(int(xs.min()), int(xs.max()) + 1)), pad=(0.8, 2.2))
        # The deal labels and the legend leave a narrow axes: let matplotlib choose how
        # many years to label from the width it gets (whole years, every 1, 2, 5 or 10);
        # the minor ticks still mark every year.
        ax.xaxis.set_major_locator(
            mpl.ticker.MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10])
        )
    ax.set_xlabel(
        "Year (◆ order; bars: deliveries; bar height: units that year relative to\n"
        "the deal's peak year, not comparable across deals)"
    )


def _timeline_legend(ax: Axes, suppliers: list[str], colours: Mapping[str, str]) -> None:
    """Draw the marker key, and the suppliers' colours when the deals have several."""
    handles: list[Any] = [
        Line2D([], [], marker="D", color="#222222", ls="none", label="Order year"),
        Line2D(
            [],
            [],
            marker="D",
            color="#222222",
            mfc="white",
            ls="none",
            label="Order year (estimated)",
        ),
        Patch(facecolor="#BBBBBB", label="Units delivered in the year"),
        Patch(facecolor="#BBBBBB", label="Number estimated", **hatch_kw("#BBBBBB", True)),
    ]
    handles += [Patch(facecolor=colours[s], label=s) for s in suppliers]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _timeline_title(frame: pd.DataFrame) -> str:
    supplier, recipient = single_value(frame, "supplier"), single_value(frame, "recipient")
    if supplier and recipient:
        return f"{supplier}'s deals with {recipient}: orders and deliveries"
    if recipient:
        return f"Deals with {recipient}: orders and deliveries"
    return "Orders and deliveries"
