"""Report-ready charts of SIPRI arms transfers: tidy frame in, :class:`~matplotlib.axes.Axes` out.

Every ``plot_*`` helper follows the same contract (STYLE §8.4):

* the first argument is a tidy frame made by :mod:`arms.analysis`; options are keyword-only;
* ``ax=None`` creates a new figure with ``plt.subplots(layout="constrained")``, otherwise the
  chart is drawn into the given axes, so notebooks can compose subplots;
* drawing uses the object-oriented API, the axes is returned, and nothing is shown or saved
  (:func:`save_figure` writes PNG and SVG when the caller asks for it);
* the house style (:func:`house_style`) is applied in this one place, and each supplier keeps
  the same colour in every chart (:data:`SUPPLIER_COLOURS`, colour-blind-safe Okabe-Ito and
  Paul Tol colours, with a deterministic fallback for other names);
* every axis that shows TIV is labelled :data:`TIV_LABEL`, because the SIPRI trend-indicator
  value measures a volume of military capability, not money;
* every figure carries a source note with the data's generated date (:func:`add_source_note`),
  taken from ``generated=`` or else from ``frame.attrs["source"]["generated"]``;
* TIV that rests on numbers SIPRI marks as estimated (``tiv_estimated``) is drawn hatched.

The drawn artists carry ``gid`` strings (``"Israel|2016"``, ``"Israel|2016|estimated"``,
``"Russia->Armenia"``, ``"event"``...) so that tests and callers can find what was drawn.
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import cycler
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory

from arms.text import SHARE_LABEL, SOURCE, TIV_LABEL, generated_date

log = logging.getLogger(__name__)

__all__ = [
    "SUPPLIER_COLOURS",
    "RECIPIENT_COLOURS",
    "OTHER",
    "HOUSE_STYLE",
    "house_style",
    "colour_for",
    "source_note",
    "add_source_note",
    "save_figure",
    "plot_yearly_by_supplier",
    "plot_period_shares",
    "plot_deal_timeline",
    "plot_category_matrix",
    "plot_recipient_comparison",
    "plot_supplier_to_both_sides",
    "plot_flows",
]

#: The name small suppliers are lumped under.
OTHER = "Other"

# Okabe & Ito (2008) and Paul Tol's "muted"/"high contrast" sets: distinguishable under the
# common colour-vision deficiencies.  Each major supplier of the case study gets its own
# colour, fixed here once so that a country looks the same in every chart.
_SUPPLIERS: dict[str, str] = {
    "Israel": "#0072B2",  # Okabe-Ito blue
    "Russia": "#D55E00",  # Okabe-Ito vermillion
    "Turkiye": "#009E73",  # Okabe-Ito bluish green
    "Ukraine": "#F0E442",  # Okabe-Ito yellow
    "Belarus": "#CC79A7",  # Okabe-Ito reddish purple
    "United States": "#56B4E9",  # Okabe-Ito sky blue
    "China": "#E69F00",  # Okabe-Ito orange
    "France": "#332288",  # Tol indigo
    "India": "#999933",  # Tol olive
    "Soviet Union": "#882255",  # Tol wine
    "South Africa": "#44AA99",  # Tol teal
    "United Kingdom": "#88CCEE",  # Tol cyan
    "Germany": "#DDCC77",  # Tol sand
    "Italy": "#CC6677",  # Tol rose
    "Pakistan": "#117733",  # Tol green
    "Czechia": "#AA4499",  # Tol purple
    "Unknown supplier(s)": "#777777",
    OTHER: "#BBBBBB",
}
# Names SIPRI used in other releases map to the same colour.
_ALIASES = {
    "Turkey": "Turkiye",
    "Türkiye": "Turkiye",
    "USA": "United States",
    "UK": "United Kingdom",
    "Czech Republic": "Czechia",
    "USSR": "Soviet Union",
}
#: Fixed colour per supplier (read-only); :func:`colour_for` adds a deterministic fallback.
SUPPLIER_COLOURS: Mapping[str, str] = MappingProxyType(
    {**_SUPPLIERS, **{alias: _SUPPLIERS[name] for alias, name in _ALIASES.items()}}
)
#: Fixed colours of the two recipients compared (Tol's high-contrast pair).
RECIPIENT_COLOURS: Mapping[str, str] = MappingProxyType(
    {"Azerbaijan": "#004488", "Armenia": "#BB5566"}
)
# Tol "light": the fallback colours for suppliers without a fixed colour.
_FALLBACK = (
    "#77AADD",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#EEDD88",
    "#EE8866",
    "#FFAABB",
)

#: The house style, applied with :func:`house_style` (read-only).
HOUSE_STYLE: Mapping[str, Any] = MappingProxyType(
    {
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "savefig.facecolor": "white",
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 10,
        "axes.labelcolor": "#333333",
        "axes.edgecolor": "#555555",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=list(_SUPPLIERS.values())[:8]),
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.6,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "legend.fontsize": 9,
        "legend.frameon": False,
        "hatch.linewidth": 0.8,
        "image.cmap": "cividis",
        "svg.fonttype": "none",  # text stays text (editable, searchable) in SVG
        "svg.hashsalt": "arms",  # reproducible SVG ids
    }
)

_HATCH = "///"
_NOTE_GID = "arms-source-note"
_HAS_HATCHCOLOR = hasattr(Patch, "set_hatchcolor")  # matplotlib >= 3.10


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style (:data:`HOUSE_STYLE`) inside a ``with`` block.

    Every ``plot_*`` helper and :func:`save_figure` uses it; it is public so that a notebook
    can draw its own extra charts in the same style. Every rcParam is restored on exit except
    interactive mode, which keeps the value it has at the end of the block: in a kernel the
    first figure can load the inline backend inside the block, which switches it on, and
    switching it back off would stop later figures from being displayed.

    Yields
    ------
    None

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with house_style():
    ...     plt.rcParams["axes.spines.top"]
    False
    """
    # style.context (rc_context) would restore ``interactive`` too: keep the block's final value
    interactive = mpl.is_interactive()
    try:
        with plt.style.context(dict(HOUSE_STYLE)):
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        mpl.interactive(interactive)


def colour_for(name: str) -> str:
    """Return the fixed colour of a supplier (or recipient) as a hex string.

    Suppliers in :data:`SUPPLIER_COLOURS` keep their colour; any other name gets a colour
    from Paul Tol's light palette chosen by a stable hash of the name, so it too is the
    same in every chart and every session.

    Parameters
    ----------
    name : str
        Country or entity name as in the canonical frames.

    Returns
    -------
    str
        ``"#RRGGBB"``.

    Examples
    --------
    >>> colour_for("Israel"), colour_for("Russia")
    ('#0072B2', '#D55E00')
    >>> colour_for("Jordan") == colour_for("Jordan")
    True
    """
    name = str(name)
    if name in SUPPLIER_COLOURS:
        return SUPPLIER_COLOURS[name]
    if name in RECIPIENT_COLOURS:
        return RECIPIENT_COLOURS[name]
    return _FALLBACK[zlib.crc32(name.encode("utf-8")) % len(_FALLBACK)]


# ---------------------------------------------------------------------------------------------
# source note and saving


def source_note(generated: object = None) -> str:
    """Return the source-note text for data generated on ``generated``.

    Parameters
    ----------
    generated : str, datetime.date or None
        The "data generated" stamp of the export: an ISO date or timestamp as the readers
        store it (``"2025-01-03T21:16:02"``), SIPRI's own text (``"13 Apr 2024 3:54:15 PM"``)
        or a date. Dates are written as ``13 Apr 2024``, without the clock time; other
        strings as given, several stamps joined by ``;`` one by one. ``None`` leaves the date
        out.

    Returns
    -------
    str

    Examples
    --------
    >>> source_note("13 Apr 2024")
    'Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024'
    >>> source_note("2025-01-03T21:16:02")
    'Source: SIPRI Arms Transfers Database, data generated 3 Jan 2025'
    >>> import datetime
    >>> source_note(datetime.date(2024, 4, 13))
    'Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024'
    """
    text = _format_generated(generated)
    if text is None:
        return f"Source: {SOURCE}"
    return f"Source: {SOURCE}, data generated {text}"


def add_source_note(ax_or_fig: Axes | Figure, generated: object = None) -> Text:
    """Write the source note at the bottom left of the figure; return the text artist.

    The note is the figure's ``supxlabel``, so a constrained layout leaves room for it and a
    second call replaces the note instead of stacking another one.

    Parameters
    ----------
    ax_or_fig : matplotlib.axes.Axes or matplotlib.figure.Figure
        Any axes of the figure, or the figure.
    generated : str, datetime.date or None
        The data's generated date (see :func:`source_note`).

    Returns
    -------
    matplotlib.text.Text

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> add_source_note(ax, "13 Apr 2024").get_text()
    'Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024'
    >>> plt.close(fig)
    """
    fig = _figure_of(ax_or_fig)
    if generated is None:
        log.warning("no generated date for the source note; the chart will not show it")
    text = fig.supxlabel(
        source_note(generated), x=0.01, ha="left", fontsize=8, color="#555555", style="italic"
    )
    text.set_gid(_NOTE_GID)
    return text


def save_figure(
    fig_or_ax: Figure | Axes,
    path_stem: str | Path,
    *,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int | None = None,
) -> list[Path]:
    """Save a figure once per format next to ``path_stem``; return the written paths.

    ``reports/fig-shares`` becomes ``reports/fig-shares.png`` and ``reports/fig-shares.svg``;
    missing parent folders are created. PNGs are written at the house-style resolution
    (200 dpi, sharp at report size), SVGs keep text as text and carry no timestamp, so
    re-running a report does not change them.

    Parameters
    ----------
    fig_or_ax : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or any axes on it.
    path_stem : str or os.PathLike
        Path without suffix (a suffix equal to one of ``formats`` is dropped).
    formats : sequence of {"png", "svg", "pdf"}, default ("png", "svg")
        One file per format.
    dpi : int, optional
        Overrides the house-style resolution of raster formats.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    TypeError
        If ``fig_or_ax`` is neither a figure nor an axes.
    ValueError
        If a format is not one of png, svg or pdf, or ``formats`` is empty.

    Examples
    --------
    >>> import tempfile, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, Path(tmp) / "chart")]
    ['chart.png', 'chart.svg']
    >>> plt.close(fig)
    """
    fig = _figure_of(fig_or_ax)
    formats = [str(f).lower().lstrip(".") for f in formats]
    bad = sorted(set(formats) - {"png", "svg", "pdf"})
    if bad or not formats:
        raise ValueError(f"formats must be among png, svg, pdf; got {bad or 'none'}")
    stem = Path(path_stem)
    if stem.suffix.lower().lstrip(".") in formats:
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with house_style():
        for fmt in formats:
            path = stem.parent / f"{stem.name}.{fmt}"
            metadata = {"Date": None} if fmt in ("svg", "pdf") else None
            kw: dict[str, Any] = {"format": fmt, "metadata": metadata}
            if dpi is not None:
                kw["dpi"] = dpi
            fig.savefig(path, **kw)
            written.append(path)
    log.info("saved figure to %s", ", ".join(map(str, written)))
    return written


# ---------------------------------------------------------------------------------------------
# charts


def plot_yearly_by_supplier(
    yearly: pd.DataFrame,
    *,
    ax: Axes | None = None,
    events: Iterable[Any] | pd.DataFrame | None = None,
    title: str | None = None,
    generated: object = None,
    top: int | None = 8,
) -> Axes:
    """Draw a recipient's yearly imports as bars stacked by supplier; return the axes.

    The part of each bar that rests on numbers SIPRI marks as estimated is hatched. Events
    (e.g. ``arms.EVENTS``: the April 2016 clashes, the 2020 war) are marked at their
    position within the year: a bar centred on year *Y* spans 1 January to 31 December.

    Parameters
    ----------
    yearly : pandas.DataFrame
        Long frame with ``year``, ``supplier``, ``tiv`` and optionally ``tiv_estimated`` (the
        part of ``tiv`` resting on estimated numbers). Duplicate year-supplier rows are added.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    events : iterable or DataFrame, optional
        Items with ``label``, ``start`` and ``end`` (dates; ``end`` may be missing) as
        attributes, keys or columns.
    title : str, optional
        Defaults to "Arms imports of <recipient> by supplier" when the frame has a single
        ``recipient``.
    generated : str or datetime.date, optional
        Data generated date for the source note; defaults to
        ``yearly.attrs["source"]["generated"]``.
    top : int or None, default 8
        Keep the ``top`` suppliers by total TIV and lump the rest into "Other".

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
    _require(yearly, ["year", "supplier", "tiv"], "yearly")
    df = _numeric(yearly[yearly["year"].notna()], ["year", "tiv", "tiv_estimated"])
    df = df.groupby(["year", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    df["year"] = df["year"].astype(int)
    order = _supplier_order(df, top)
    df["supplier"] = _lump(df["supplier"], order)
    df = df.groupby(["year", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    df["tiv_estimated"] = df["tiv_estimated"].clip(lower=0).combine(df["tiv"], min)
    years = sorted(df["year"].unique())
    with house_style():
        ax = _axes(ax)
        bottom = pd.Series(0.0, index=years)
        handles = []
        for supplier in order:
            part = df[df["supplier"] == supplier].set_index("year")
            if part.empty:
                continue
            handles.append(
                _stacked(
                    ax,
                    part.index.to_numpy(),
                    part["tiv"],
                    part["tiv_estimated"],
                    bottom.loc[part.index],
                    supplier,
                    width=0.8,
                )
            )
            bottom.loc[part.index] += part["tiv"]
        if not years:
            ax.text(0.5, 0.5, "No deliveries", transform=ax.transAxes, ha="center")
        _year_axis(ax, years)
        ax.set_xlabel("Year of delivery")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(0, max(float(bottom.max()) if years else 0, 1) * 1.12)
        _draw_events(ax, events)
        _legend(ax, handles[::-1], estimated=bool((df["tiv_estimated"] > 0).any()))
        ax.set_title(title or _default_title(yearly, "Arms imports of {} by supplier"))
        add_source_note(ax, _generated(yearly, generated))
    return ax


def plot_period_shares(
    periods: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    generated: object = None,
    top: int | None = 6,
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
    title : str, optional
        Chart title; defaults to "Suppliers' shares of <recipient>'s imports".
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``periods.attrs``).
    top : int or None, default 6
        Keep the ``top`` suppliers (plus every period's leader) and lump the rest into
        "Other".

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
    _require(periods, ["period", "supplier", "tiv"], "periods")
    df = _numeric(periods, ["tiv", "tiv_estimated", "start"])
    df["period"] = df["period"].astype(str)
    sort_key = df.groupby("period")["start"].min() if "start" in periods else None
    df = df.groupby(["period", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    totals = df.groupby("period")["tiv"].sum()
    leaders = (
        df.sort_values(["period", "tiv"], ascending=[True, False])
        .drop_duplicates("period")
        .set_index("period")["supplier"]
    )
    order = _supplier_order(df, top, keep=set(leaders[totals.reindex(leaders.index) > 0]))
    df["supplier"] = _lump(df["supplier"], order)
    df = df.groupby(["period", "supplier"], as_index=False)[["tiv", "tiv_estimated"]].sum()
    df["share"] = 100 * df["tiv"] / df["period"].map(totals).where(lambda t: t > 0)
    df["share_estimated"] = df["share"] * (df["tiv_estimated"] / df["tiv"].where(df["tiv"] > 0))
    df = df.fillna({"share": 0.0, "share_estimated": 0.0})
    labels = list(totals.index)
    if sort_key is not None and sort_key.notna().all():
        labels = sorted(labels, key=lambda p: (sort_key[p], p))
    else:
        labels = sorted(labels)
    pos = pd.Series(np.arange(len(labels), dtype=float), index=labels)
    with house_style():
        ax = _axes(ax)
        bottom = pd.Series(0.0, index=labels)
        handles = []
        for supplier in order:
            part = df[(df["supplier"] == supplier) & (df["tiv"] > 0)].set_index("period")
            if part.empty:
                continue
            handles.append(
                _stacked(
                    ax,
                    pos[part.index].to_numpy(),
                    part["share"],
                    part["share_estimated"].clip(lower=0),
                    bottom.loc[part.index],
                    supplier,
                    width=0.7,
                    gid_keys=list(part.index),
                )
            )
            for period, row in part.iterrows():
                if leaders.get(period) == supplier:
                    y = bottom[period] + row["share"] / 2
                    ax.text(
                        pos[period],
                        y,
                        f"{supplier}\n{row['share']:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=9,
                        fontweight="bold",
                        gid="leader",
                        color=_ink(colour_for(supplier)),
                        bbox={"facecolor": colour_for(supplier), "edgecolor": "none", "pad": 2},
                    )
            bottom.loc[part.index] += part["share"]
        for period in labels:
            total = totals[period]
            text = f"{total:,.0f} TIV" if total > 0 else "no deliveries"
            ax.text(
                pos[period],
                101,
                text,
                ha="center",
                va="bottom",
                fontsize=8,
                color="#555555",
                gid="total",
            )
        ax.set_xticks(pos.to_numpy(), labels)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.set_ylim(0, 108)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_ylabel(SHARE_LABEL)
        ax.set_xlabel("Period (deliveries)")
        _legend(ax, handles[::-1], estimated=bool((df["share_estimated"] > 0).any()))
        ax.set_title(title or _default_title(periods, "Suppliers' shares of {}'s arms imports"))
        add_source_note(ax, _generated(periods, generated))
    return ax


def plot_deal_timeline(
    timeline: pd.DataFrame,
    *,
    ax: Axes | None = None,
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
    ['Su-30K (Russia)']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    _require(timeline, ["deal", "year", "units"], "timeline")
    df = _numeric(timeline, ["tiv"])
    df["deal"] = timeline["deal"].astype("string").fillna("(unnamed deal)").astype(str)
    # years and unit counts keep their gaps: a missing order year draws no diamond
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
    deals = df.groupby("_key", sort=False).agg(
        deal=("deal", "first"),
        order_year=("order_year", "min"),
        first=("year", "min"),
        last=("year", "max"),
        tiv=("tiv", "sum"),
        units=("units", "sum"),
    )
    for col in ("supplier", "status"):
        deals[col] = (
            df.groupby("_key", sort=False)[col].first().astype("string")
            if col in timeline
            else pd.NA
        )
    deals["order_estimated"] = df.groupby("_key", sort=False)["order_year_estimated"].any()
    if len(deals) > max_deals:
        log.info("showing the %d largest of %d deals", max_deals, len(deals))
        deals = deals.nlargest(max_deals, "tiv")
    deals = deals.assign(_start=deals["order_year"].fillna(deals["first"])).sort_values(
        ["_start", "first", "deal"], na_position="last"
    )
    suppliers = [s for s in deals["supplier"].dropna().unique()]
    several = len(suppliers) > 1
    with house_style():
        if ax is None:
            _, ax = plt.subplots(
                figsize=(8.0, 1.4 + 0.42 * max(len(deals), 2)), layout="constrained"
            )
        labels = []
        x_max = -np.inf
        for i, (deal_key, deal) in enumerate(deals.iterrows()):
            colour = colour_for(deal["supplier"]) if pd.notna(deal["supplier"]) else "#555555"
            rows = df[(df["_key"] == deal_key) & df["year"].notna()]
            end = deal["last"] if pd.notna(deal["last"]) else deal["order_year"]
            if pd.notna(deal["order_year"]):
                est = bool(deal["order_estimated"])
                ax.plot(
                    [deal["order_year"], end], [i, i], color="#999999", lw=1, zorder=1, gid="span"
                )
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
            peak = rows["units"].max() if rows["units"].notna().any() else 1.0
            for _, row in rows.iterrows():
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
                    **_hatch_kw(colour, est),
                )
                bars.patches[0].set_gid(gid)
                count = "?" if pd.isna(units) else f"{int(units)}" + ("?" if est else "")
                ax.text(
                    row["year"],
                    i - height / 2 - 0.03,
                    count,
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color="#333333",
                    gid="units",
                )
            x_end = np.nanmax([deal["last"], deal["order_year"]])
            if pd.notna(deal["tiv"]) and not np.isnan(x_end):
                ax.text(
                    x_end + 0.55,
                    i,
                    f"{_tiv_text(deal['tiv'])} TIV",
                    va="center",
                    fontsize=8,
                    color="#555555",
                    gid="deal-tiv",
                )
            x_max = np.nanmax([x_max, x_end])
            label = str(deal["deal"])
            if pd.notna(deal["supplier"]) and str(deal["supplier"]) not in label:
                label += f" ({deal['supplier']})"
            status = deal["status"]
            if pd.notna(status) and str(status).strip().lower() not in ("new", ""):
                label += f"\n{str(status).lower()}"
            labels.append(label)
        ax.set_yticks(np.arange(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.5, -0.7)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        xs = pd.concat([deals["order_year"], deals["first"], deals["last"]]).dropna()
        if len(xs):
            _year_axis(ax, list(range(int(xs.min()), int(xs.max()) + 1)), pad=(0.8, 2.2))
            # The deal labels and the legend leave a narrow axes: let matplotlib choose how
            # many years to label from the width it gets (whole years, every 1, 2, 5 or 10);
            # the minor ticks still mark every year.
            ax.xaxis.set_major_locator(
                mpl.ticker.MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10])
            )
        ax.set_xlabel("Year (◆ order; bars: deliveries, height scaled by units delivered)")
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
            Patch(facecolor="#BBBBBB", label="Number estimated", **_hatch_kw("#BBBBBB", True)),
        ]
        if several:
            handles += [Patch(facecolor=colour_for(s), label=s) for s in suppliers]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(title or _timeline_title(timeline))
        add_source_note(ax, _generated(timeline, generated))
    return ax


def plot_category_matrix(
    matrix: pd.DataFrame,
    *,
    by: str = "family",
    ax: Axes | None = None,
    title: str | None = None,
    generated: object = None,
    cmap: str = "cividis",
) -> Axes:
    """Draw a weapon family (or category) by supplier heatmap of TIV; return the axes.

    Rows and columns are ordered by their totals, largest first. Empty cells (nothing
    delivered) stay blank; a recorded ``0`` (SIPRI: under 0.5 million) is written as ``0``.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Long frame with ``by`` (``family`` or ``category``), ``supplier`` and ``tiv``.
    by : str, default "family"
        The row variable.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    title : str, optional
        Chart title.
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``matrix.attrs``).
    cmap : str, default "cividis"
        A colour-blind-safe sequential colour map.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> m = pd.DataFrame({"family": ["UAV", "Missiles", "UAV"],
    ...     "supplier": ["Israel", "Israel", "Turkiye"], "tiv": [500.0, 300.0, 29.0]})
    >>> ax = plot_category_matrix(m, generated="13 Apr 2024")
    >>> sorted(t.get_text() for t in ax.texts)
    ['29', '300', '500']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    _require(matrix, [by, "supplier", "tiv"], "matrix")
    df = pd.DataFrame(
        {
            "row": matrix[by].astype("string").fillna("(none)").to_numpy(),
            "supplier": matrix["supplier"].astype("string").to_numpy(),
            "tiv": pd.to_numeric(matrix["tiv"], errors="coerce").astype(float).to_numpy(),
        }
    )
    table = df.pivot_table(
        index="row", columns="supplier", values="tiv", aggfunc="sum", dropna=False
    )
    present = df.dropna(subset=["tiv"]).pivot_table(
        index="row", columns="supplier", values="tiv", aggfunc="size"
    )
    table = table.where(present.reindex_like(table).fillna(0) > 0)
    table = table.loc[
        table.sum(axis=1).sort_values(ascending=False).index,
        table.sum(axis=0).sort_values(ascending=False).index,
    ]
    values = table.to_numpy(dtype=float)
    with house_style():
        if ax is None:
            _, ax = plt.subplots(
                figsize=(max(5.0, 1.6 + 1.0 * table.shape[1]), max(3.0, 1.4 + 0.45 * len(table))),
                layout="constrained",
            )
        finite = values[np.isfinite(values)]
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        image = ax.imshow(
            np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=vmax, aspect="auto"
        )
        colormap = image.get_cmap()
        for (r, c), v in np.ndenumerate(values):
            if np.isnan(v):
                continue
            text = f"{v:,.0f}" if v >= 10 or v == 0 else f"{v:.1f}"
            ax.text(
                c, r, text, ha="center", va="center", fontsize=9, color=_ink(colormap(v / vmax))
            )
        ax.set_xticks(
            np.arange(table.shape[1]),
            list(table.columns),
            rotation=30,
            ha="right",
            rotation_mode="anchor",
        )
        ax.set_yticks(np.arange(len(table)), list(table.index))
        ax.grid(False)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel("Supplier")
        ax.set_ylabel(
            {"family": "Weapon family", "category": "SIPRI armament category"}.get(
                by, by.replace("_", " ").capitalize()
            )
        )
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
        bar.set_label(TIV_LABEL)
        bar.outline.set_visible(False)
        ax.set_title(title or _default_title(matrix, f"Imports of {{}} by {by} and supplier"))
        add_source_note(ax, _generated(matrix, generated))
    return ax


def plot_recipient_comparison(
    comparison: pd.DataFrame,
    *,
    ax: Axes | None = None,
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
    _require(comparison, ["period", "recipient", "tiv"], "comparison")
    df = _numeric(comparison, ["tiv", "tiv_estimated", "start"])
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
    with house_style():
        ax = _axes(ax)
        hatched = _grouped(ax, table, estimated=est, value_labels=True)
        if len(recipients) == 2:
            a, b = recipients
            for x, (_, row) in enumerate(table.iterrows()):
                if row[b] > 0:
                    top = row.max()
                    ax.annotate(
                        f"{row[a] / row[b]:.1f}×",
                        (x, top),
                        xytext=(0, 16),
                        textcoords="offset points",
                        ha="center",
                        fontsize=9,
                        fontweight="bold",
                        color="#333333",
                        gid="ratio",
                    )
        ax.set_xticks(np.arange(len(table)), list(table.index))
        key = f"; ratio = {recipients[0]} / {recipients[1]}" if len(recipients) == 2 else ""
        ax.set_xlabel(f"Period (deliveries){key}")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(0, max(float(table.to_numpy().max()) if table.size else 0.0, 1.0) * 1.22)
        _legend(ax, _recipient_handles(recipients), estimated=hatched, loc="upper left")
        ax.set_title(title or "Arms imports: " + " vs ".join(recipients))
        add_source_note(ax, _generated(comparison, generated))
    return ax


def plot_supplier_to_both_sides(
    yearly: pd.DataFrame,
    *,
    ax: Axes | None = None,
    supplier: str | None = None,
    events: Iterable[Any] | pd.DataFrame | None = None,
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
        Events to mark, as in :func:`plot_yearly_by_supplier`.
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
    "Russia's arms deliveries to Azerbaijan and Armenia"
    >>> matplotlib.pyplot.close(ax.figure)
    """
    _require(yearly, ["year", "recipient", "tiv"], "yearly")
    df = _numeric(yearly[yearly["year"].notna()], ["year", "tiv", "tiv_estimated"])
    df["year"] = df["year"].astype(int)
    supplier = supplier or _single(yearly, "supplier")
    recipients = list(dict.fromkeys(df["recipient"].astype(str)))
    table, est = (
        df.pivot_table(index="year", columns="recipient", values=col, aggfunc="sum")
        for col in ("tiv", "tiv_estimated")
    )
    if len(table):
        table = table.reindex(range(table.index.min(), table.index.max() + 1))
    table = table.reindex(columns=recipients).fillna(0.0)
    est = est.reindex_like(table).fillna(0.0)
    with house_style():
        ax = _axes(ax)
        x = table.index.to_numpy(dtype=float)
        hatched = _grouped(ax, table, x=x, estimated=est, value_labels=False)
        _year_axis(ax, list(table.index))
        ax.set_xlabel("Year of delivery")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(0, max(float(table.to_numpy().max()) if table.size else 0.0, 1.0) * 1.1)
        _draw_events(ax, events)
        _legend(ax, _recipient_handles(recipients), estimated=hatched)
        who = f"{supplier}'s arms deliveries" if supplier else "Arms deliveries"
        ax.set_title(title or f"{who} to " + " and ".join(recipients))
        add_source_note(ax, _generated(yearly, generated))
    return ax


def plot_flows(
    flows: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int | None = 8,
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
    _require(flows, ["supplier", "recipient", "tiv"], "flows")
    df = _numeric(flows, ["tiv"])
    df = df[df["tiv"] > 0]
    suppliers = _supplier_order(df, top)
    df["supplier"] = _lump(df["supplier"], suppliers)
    df = df.rename(columns={"supplier": "_s", "recipient": "supplier"})
    recipients = _supplier_order(df, top)
    df["supplier"] = _lump(df["supplier"], recipients)
    df = df.rename(columns={"supplier": "recipient", "_s": "supplier"})
    pairs = df.groupby(["supplier", "recipient"], as_index=False, sort=False)["tiv"].sum()
    total = float(pairs["tiv"].sum())
    gap = 0.03 * total if total > 0 else 1.0
    out = pairs.groupby("supplier")["tiv"].sum().reindex(suppliers).dropna()
    into = pairs.groupby("recipient")["tiv"].sum().reindex(recipients).dropna()
    left = _node_positions(out, gap)
    right = _node_positions(into, gap)
    node_w = 0.025
    with house_style():
        if ax is None:
            _, ax = plt.subplots(
                figsize=(8.0, max(4.5, 0.45 * max(len(out), len(into)) + 1.5)),
                layout="constrained",
            )
        # bands: leave each supplier in recipient order, enter each recipient in supplier order
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
            ax.add_patch(_band(node_w, y0, 1 - node_w, y1, v, colour_for(s), f"{s}->{r}"))
        for name, y in left.items():
            _node(ax, 0.0, y, node_w, out[name], colour_for(name), name, side="left")
        for name, y in right.items():
            _node(ax, 1 - node_w, y, node_w, into[name], "#777777", name, side="right")
        height = max(
            float(out.sum()) + gap * (len(out) - 1), float(into.sum()) + gap * (len(into) - 1), 1.0
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(height * 1.02, -height * 0.02)
        ax.set_axis_off()
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
        ax.text(
            0.0,
            1.0,
            "Suppliers",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            fontweight="bold",
        )
        ax.text(
            1.0,
            1.0,
            "Recipients",
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=9,
            fontweight="bold",
        )
        ax.set_title(title or "Arms transfers by supplier and recipient", pad=18)
        add_source_note(ax, _generated(flows, generated))
    return ax


# ---------------------------------------------------------------------------------------------
# helpers


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(layout="constrained")
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
    return ax


def _figure_of(obj: Axes | Figure) -> Figure:
    if isinstance(obj, Axes):
        fig = obj.figure
    elif isinstance(obj, Figure | SubFigure):
        fig = obj
    else:
        raise TypeError(f"expected a matplotlib Figure or Axes, not {type(obj).__name__}")
    while isinstance(fig, SubFigure):
        fig = fig.figure
    return fig


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} frame is missing columns {missing}")


def _numeric(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Copy ``frame`` with ``columns`` as plain floats (missing columns and NA become 0)."""
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


def _supplier_order(
    df: pd.DataFrame, top: int | None, keep: frozenset[str] | set[str] = frozenset()
) -> list:
    """Suppliers by total TIV, largest first; beyond ``top`` (except ``keep``) -> Other."""
    totals = df.groupby("supplier")["tiv"].sum().sort_values(ascending=False, kind="stable")
    names = [n for n in totals.index if n != OTHER]
    if top is not None and len(names) > top:
        kept = names[:top] + [n for n in names[top:] if n in keep]
        names = [n for n in names if n in kept]
        return names + [OTHER]
    return names + ([OTHER] if OTHER in totals.index else [])


def _lump(names: pd.Series, order: Sequence[str]) -> pd.Series:
    return names.where(names.isin(list(order)), OTHER)


def _hatch_kw(colour: str, estimated: bool) -> dict[str, Any]:
    if not estimated:
        return {"edgecolor": "white", "linewidth": 0.5}
    ink = _ink(colour)
    kw: dict[str, Any] = {"hatch": _HATCH, "linewidth": 0.5}
    if _HAS_HATCHCOLOR:
        kw.update(edgecolor="white", hatchcolor=ink)
    else:  # before matplotlib 3.10 the hatch takes the edge colour
        kw.update(edgecolor=ink)
    return kw


def _tiv_text(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:.1f}"


def _ink(colour: Any) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""
    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(lin @ [0.2126, 0.7152, 0.0722])
    return "#222222" if luminance > 0.22 else "white"


def _stacked(ax, x, total, estimated, bottom, supplier, *, width, gid_keys=None):
    """One supplier's stacked segment: solid sure part, hatched estimated part on top."""
    colour = colour_for(supplier)
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
        **_hatch_kw(colour, False),
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
            **_hatch_kw(colour, True),
        )
        for patch, key in zip(hatched.patches, np.asarray(keys, dtype=object)[mask], strict=True):
            patch.set_gid(f"{supplier}|{key}|estimated")
    return Patch(facecolor=colour, label=supplier)


def _recipient_handles(names: Sequence[str]) -> list[Patch]:
    return [Patch(facecolor=colour_for(n), label=n) for n in names]


def _legend(ax: Axes, handles: list, *, estimated: bool, loc: str | None = None) -> None:
    if estimated:
        handles = handles + [
            Patch(
                facecolor="#BBBBBB", label="Rests on SIPRI estimates", **_hatch_kw("#BBBBBB", True)
            )
        ]
    if loc is None:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(handles=handles, loc=loc)


def _grouped(
    ax: Axes,
    table: pd.DataFrame,
    *,
    x: np.ndarray | None = None,
    estimated: pd.DataFrame | None = None,
    value_labels: bool,
) -> bool:
    """Draw grouped bars, one per column of ``table``, the estimated part hatched on top.

    Returns whether anything was hatched.
    """
    n = max(table.shape[1], 1)
    width = 0.8 / n
    x = np.arange(len(table), dtype=float) if x is None else x
    hatched_any = False
    for i, name in enumerate(table.columns):
        offset = (i - (n - 1) / 2) * width
        colour = colour_for(name)
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
                **_hatch_kw(colour, True),
            )
            for patch, key in zip(extra.patches, table.index[mask], strict=True):
                patch.set_gid(f"{name}|{key}|estimated")
        if value_labels:
            for xi, value in zip(x + offset, total, strict=True):
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
    return hatched_any


def _year_axis(ax: Axes, years: Sequence[int], pad: tuple[float, float] = (0.6, 0.6)) -> None:
    if not len(years):
        return
    lo, hi = int(min(years)), int(max(years))
    step = 1 if hi - lo <= 16 else 2 if hi - lo <= 32 else 5
    first = lo if step == 1 else lo + (-lo) % step
    ax.set_xticks(list(range(first, hi + 1, step)))
    ax.set_xlim(lo - pad[0], hi + pad[1])
    ax.xaxis.set_minor_locator(mpl.ticker.MultipleLocator(1))
    ax.tick_params(axis="x", which="minor", length=2)


def _draw_events(ax: Axes, events: Iterable[Any] | pd.DataFrame | None) -> None:
    if events is None:
        return
    if isinstance(events, pd.DataFrame):
        events = events.to_dict("records")
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for event in events:
        label, start, end = (_field(event, k) for k in ("label", "start", "end"))
        x0 = _year_position(start)
        x1 = _year_position(end) if end is not None and not pd.isna(end) else x0
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


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    value = getattr(obj, name, None)
    if value is None:
        with contextlib.suppress(KeyError, IndexError, TypeError):
            value = obj[name]
    return value


def _year_position(when: Any) -> float:
    """Position of a date on a year axis whose bar for year Y spans Y-0.5 .. Y+0.5."""
    ts = pd.Timestamp(when)
    days = 366 if ts.is_leap_year else 365
    return ts.year - 0.5 + (ts.day_of_year - 1) / days


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


def _node(ax, x, y, w, value, colour, name, *, side):
    ax.add_patch(
        mpl.patches.Rectangle((x, y), w, value, facecolor=colour, lw=0, gid=f"node|{side}|{name}")
    )
    tx, ha = (x - 0.01, "right") if side == "left" else (x + w + 0.01, "left")
    ax.text(
        tx,
        y + value / 2,
        f"{name}  {value:,.0f}",
        ha=ha,
        va="center",
        fontsize=9,
        gid=f"label|{side}",
    )


def _generated(frame: pd.DataFrame, generated: object) -> object:
    """Return ``generated`` if given, else the frame's ``attrs["source"]["generated"]``."""
    if generated is not None:
        return generated
    source = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    if isinstance(source, Mapping):
        return source.get("generated")
    if isinstance(source, Sequence) and not isinstance(source, str):
        stamps = {str(s.get("generated")) for s in source if isinstance(s, Mapping)}
        stamps.discard("None")
        return "; ".join(sorted(stamps)) or None
    return None


def _format_generated(generated: object) -> str | None:
    """Return the stamp(s) as :func:`arms.text.generated_date` writes them (``;`` joins)."""
    if isinstance(generated, str):  # _generated joins the stamps of several sources with "; "
        parts = (generated_date(part) for part in generated.split(";"))
        return "; ".join(part for part in parts if part) or None
    return generated_date(generated)


def _default_title(frame: pd.DataFrame, template: str) -> str:
    names = _single(frame, "recipient")
    return template.format(names) if names else ""


def _single(frame: pd.DataFrame, column: str) -> str | None:
    if column in frame:
        names = frame[column].dropna().unique()
        if len(names) == 1:
            return str(names[0])
    return None


def _timeline_title(frame: pd.DataFrame) -> str:
    supplier, recipient = _single(frame, "supplier"), _single(frame, "recipient")
    if supplier and recipient:
        return f"{supplier}'s deals with {recipient}: orders and deliveries"
    if recipient:
        return f"Deals with {recipient}: orders and deliveries"
    return "Orders and deliveries"
