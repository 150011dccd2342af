"""Maps without a geo stack: partner choropleths and flow maps on Natural Earth 1:110m shapes.

Both maps are plate carrée (longitude and latitude as x and y) drawn with matplotlib patches
from :mod:`arms.plotting.shapes`. Parties without a shape (the Soviet Union and other states
that no longer exist, non-state actors, unknown suppliers, countries too small for the 1:110m
scale) are never dropped: they are listed beside the map with their TIV. Every map's note
says whose boundaries the shapes show (:data:`~arms.plotting.shapes.BOUNDARIES_NOTE`).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, PathPatch

from arms.analysis.network import network_nodes
from arms.plotting.colours import palette
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import new_axes, require_columns, tiv_text
from arms.plotting.shapes import BOUNDARIES_NOTE, country_paths, country_points
from arms.plotting.style import house_style
from arms.text import TIV_LABEL, fmt_share

__all__ = ["MISSING_GID", "plot_flow_map", "plot_partner_map"]

#: ``gid`` of the text listing the parties without a shape.
MISSING_GID = "arms-map-not-shown"
_LAND = "#E6E6E6"
_EDGE = "#FFFFFF"
_FOCUS = "#444444"
_LISTED = 14  # lines of the "not on the map" list before the rest is summed up


def plot_partner_map(
    shares: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    generated: object = None,
    cmap: str = "Blues",
) -> Axes:
    """Shade a recipient's suppliers (or a supplier's customers) by their share of its TIV.

    Parameters
    ----------
    shares : pandas.DataFrame
        A :func:`arms.analysis.partner_shares` result: ``party``, ``iso3``, ``tiv`` and
        ``share``; ``attrs`` ``role``, ``party``, ``start`` and ``end`` make the title.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    title : str, optional
        Chart title (default from ``shares.attrs``).
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``shares.attrs``).
    cmap : str, default "Blues"
        Matplotlib colour map of the shares.

    Returns
    -------
    matplotlib.axes.Axes
        Each shaded country's patch has the gid ``"<ISO3>"``; the focal party is outlined
        (gid ``"focus:<ISO3>"``); the list of parties without a shape has the gid
        :data:`MISSING_GID`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> s = pd.DataFrame({"party": ["Israel", "Soviet Union"], "iso3": ["ISR", "SUHH"],
    ...                   "tiv": [60.0, 40.0], "share": [60.0, 40.0]})
    >>> s.attrs = {"role": "supplier", "party": "Azerbaijan", "start": 1990, "end": 2020}
    >>> ax = plot_partner_map(s, generated="13 Apr 2024")
    >>> sorted({p.get_gid() for p in ax.patches if p.get_gid()})
    ['ISR', 'focus:AZE']
    >>> "Soviet Union" in [t for t in ax.texts if t.get_gid() == MISSING_GID][0].get_text()
    True
    >>> matplotlib.pyplot.close(ax.figure)
    """
    import matplotlib as mpl

    require_columns(shares, ["party", "iso3", "tiv", "share"], "shares")
    attrs = shares.attrs
    role = attrs.get("role", "supplier")
    party = attrs.get("party")
    paths = country_paths()
    data = shares.assign(
        tiv=shares["tiv"].astype("Float64").fillna(0.0),
        share=shares["share"].astype("Float64").fillna(0.0),
    )
    on_map = data["iso3"].notna() & data["iso3"].astype("string").isin(list(paths)).fillna(False)
    with house_style():
        ax = _map_axes(ax)
        _land(ax)
        top = float(data["share"].max()) if len(data) else 0.0
        norm = mpl.colors.Normalize(vmin=0, vmax=max(top, 1e-9))
        colours = mpl.colormaps[cmap]
        for row in data.loc[on_map].itertuples(index=False):
            colour = colours(0.15 + 0.85 * norm(float(row.share)))
            for path in paths[row.iso3]:
                ax.add_patch(
                    PathPatch(path, facecolor=colour, edgecolor=_EDGE, lw=0.3, gid=str(row.iso3))
                )
        focus = _iso3_of(party)
        for path in paths.get(focus, []):
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor="none",
                    edgecolor=_FOCUS,
                    lw=1.2,
                    hatch="////",
                    gid=f"focus:{focus}",
                )
            )
        mappable = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(0, top), cmap=cmap)
        bar = ax.figure.colorbar(
            mappable, ax=ax, orientation="horizontal", shrink=0.5, pad=0.02, aspect=40
        )
        whose = "imports" if role == "supplier" else "exports"
        bar.set_label(
            f"Share of {party or 'the party'}'s {whose} (% of SIPRI TIV, a volume index, not US$)"
        )
        missing = [
            f"{r.party}: {tiv_text(float(r.tiv))} ({fmt_share(float(r.share))})"
            for r in data.loc[~on_map].itertuples(index=False)
        ]
        _missing_list(ax, missing, float(data.loc[~on_map, "tiv"].sum()))
        _frame(ax)
        who = "suppliers" if role == "supplier" else "customers"
        span = f", {attrs['start']}-{attrs['end']}" if "start" in attrs else ""
        ax.set_title(title or f"{party}'s {who} by share of TIV delivered{span}")
        _note(ax, generated_for(shares, generated))
    return ax


def plot_flow_map(
    edges: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    generated: object = None,
    colours=None,
    max_width: float = 8.0,
) -> Axes:
    """Draw arcs from supplier to recipient, as wide as the TIV that moved between them.

    Parameters
    ----------
    edges : pandas.DataFrame
        ``supplier``, ``recipient`` and ``tiv`` (pairs are added up): an
        :func:`arms.analysis.flows` or :func:`arms.analysis.network_edges` result, filtered
        to the parties of interest.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    title : str, optional
        Chart title.
    generated : str or datetime.date, optional
        Data generated date for the source note (default: from ``edges.attrs``).
    colours : mapping of str to str, optional
        Colours by supplier, over :data:`~arms.plotting.SUPPLIER_COLOURS`.
    max_width : float, default 8
        Line width (points) of the largest flow.

    Returns
    -------
    matplotlib.axes.Axes
        Each arc (an arrow pointing at the recipient) has the gid
        ``"<supplier>-><recipient>"``; the list of flows with an end that has no shape has
        the gid :data:`MISSING_GID`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> e = pd.DataFrame({"supplier": ["Israel", "Soviet Union"],
    ...                   "recipient": ["Azerbaijan", "Azerbaijan"], "tiv": [90.0, 10.0]})
    >>> ax = plot_flow_map(e, generated="13 Apr 2024")
    >>> [p.get_gid() for p in ax.patches if "->" in (p.get_gid() or "")]
    ['Israel->Azerbaijan']
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(edges, ["supplier", "recipient", "tiv"], "edges")
    pairs = (
        edges.assign(tiv=edges["tiv"].astype("Float64").fillna(0.0))
        .groupby(["supplier", "recipient"], as_index=False)["tiv"]
        .sum()
        .sort_values("tiv", ascending=False, ignore_index=True)
    )
    nodes = network_nodes(pairs).set_index("name")["iso3"]
    points = country_points()

    def point(name):
        code = nodes.get(name)
        return points.get(code) if isinstance(code, str) else None

    biggest = float(pairs["tiv"].max()) if len(pairs) else 0.0
    hues = palette(pairs["supplier"].unique(), colours)
    with house_style():
        ax = _map_axes(ax)
        _land(ax, highlight={c for c in nodes.dropna() if c in points})
        missing = []
        hidden = 0.0
        for row in pairs.itertuples(index=False):
            a, b = point(row.supplier), point(row.recipient)
            if a is None or b is None or a == b:
                missing.append(f"{row.supplier} -> {row.recipient}: {tiv_text(float(row.tiv))}")
                hidden += float(row.tiv)
                continue
            width = max(0.4, max_width * float(row.tiv) / biggest) if biggest > 0 else 0.4
            ax.add_patch(_arc(a, b, hues[row.supplier], width, f"{row.supplier}->{row.recipient}"))
        _missing_list(ax, missing, hidden)
        _frame(ax)
        ax.set_title(title or "Deliveries by supplier and recipient (arc width: SIPRI TIV)")
        ax.text(
            0.0,
            -0.02,
            f"Arc width: {TIV_LABEL}; largest flow {tiv_text(biggest)}",
            transform=ax.transAxes,
            fontsize=8,
            va="top",
            color="#555555",
        )
        _note(ax, generated_for(edges, generated))
    return ax


def _map_axes(ax: Axes | None) -> Axes:
    """Return ``ax``, or the axes of a new figure shaped for a world map (and its side list)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(11, 5.6), layout="constrained")
    return new_axes(ax)


def _iso3_of(name) -> str | None:
    if not isinstance(name, str):
        return None
    code = network_nodes(pd.DataFrame({"supplier": [name], "recipient": [name], "tiv": [0.0]}))[
        "iso3"
    ].iloc[0]
    return code if isinstance(code, str) else None


def _land(ax: Axes, highlight: set | frozenset = frozenset()) -> None:
    for code, paths in country_paths().items():
        colour = "#CFCFCF" if code in highlight else _LAND
        for path in paths:
            ax.add_patch(PathPatch(path, facecolor=colour, edgecolor=_EDGE, lw=0.3))


def _frame(ax: Axes) -> None:
    ax.set_xlim(-180, 180)
    ax.set_ylim(-58, 84)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _arc(a, b, colour: str, width: float, gid: str) -> FancyArrowPatch:
    """Return an arc from a to b, bowed to the left of the direction of travel, arrow at b."""
    return FancyArrowPatch(
        a,
        b,
        connectionstyle="arc3,rad=-0.25",
        arrowstyle="-|>",
        mutation_scale=6 + 1.5 * width,
        color=colour,
        lw=width,
        alpha=0.8,
        capstyle="round",
        shrinkA=0,
        shrinkB=2,
        gid=gid,
    )


def _missing_list(ax: Axes, lines: list[str], tiv: float) -> None:
    """List the parties (or flows) without a shape beside the map, with their TIV."""
    if not lines:
        return
    shown = lines[:_LISTED]
    if len(lines) > _LISTED:
        shown.append(f"... and {len(lines) - _LISTED} more")
    text = "Not on the map (no shape):\n" + "\n".join(shown) + f"\nTotal: {tiv_text(tiv)}"
    ax.text(
        1.01, 1.0, text, transform=ax.transAxes, fontsize=7.5, va="top", ha="left", gid=MISSING_GID
    )


def _note(ax: Axes, generated: object) -> None:
    note = add_source_note(ax, generated)
    note.set_text(f"{note.get_text()}. TIV is a volume index, not US$.\n{BOUNDARIES_NOTE}.")
