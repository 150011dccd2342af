"""Each year's TIV in every SIPRI release: how the figures moved, provisional years marked."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from arms.plotting.colours import palette
from arms.plotting.notes import add_source_note
from arms.plotting.parts import new_axes, numeric, require_columns, year_axis
from arms.plotting.style import house_style
from arms.text import TIV_LABEL

__all__ = ["plot_revisions"]


def plot_revisions(
    revisions: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Draw one line per release over the years; hollow markers for provisional years.

    Parameters
    ----------
    revisions : pandas.DataFrame
        From :func:`arms.analysis.revisions`: ``release``, ``year``, ``tiv``, ``provisional``
        (and ``generated``), one row per release and year.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new constrained-layout figure when omitted.
    title : str, optional
        Defaults to "Yearly TIV in each SIPRI release".

    Returns
    -------
    matplotlib.axes.Axes
        Lines carry ``gid`` ``"<release>"``, provisional markers ``"<release>|provisional"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> r = pd.DataFrame({"release": ["A", "A", "B", "B"], "year": [2019, 2020] * 2,
    ...     "tiv": [10.0, 2.0, 10.0, 4.0], "provisional": [False, True, False, True],
    ...     "generated": ["13 Oct 2024"] * 2 + ["14 Jul 2026"] * 2})
    >>> ax = plot_revisions(r)
    >>> ax.get_ylabel(), [ln.get_gid() for ln in ax.get_lines()]
    ('SIPRI TIV (millions; volume, not US$)', ['A', 'A|provisional', 'B', 'B|provisional'])
    >>> matplotlib.pyplot.close(ax.figure)
    """
    require_columns(revisions, ["release", "year", "tiv", "provisional"], "revisions")
    df = numeric(revisions[revisions["year"].notna()], ["year", "tiv"])
    order = list(dict.fromkeys(df["release"].astype(str)))
    pal = palette(order)
    years = sorted(int(y) for y in df["year"].unique())
    with house_style():
        ax = new_axes(ax)
        for name in order:
            part = df[df["release"].astype(str) == name].sort_values("year")
            colour = pal[name]
            ax.plot(part["year"], part["tiv"], color=colour, marker="o", ms=3, label=name)
            ax.get_lines()[-1].set_gid(name)
            prov = part[part["provisional"].astype("boolean").fillna(False).astype(bool)]
            ax.plot(
                prov["year"],
                prov["tiv"],
                linestyle="none",
                marker="o",
                ms=8,
                markerfacecolor="white",
                markeredgecolor=colour,
                gid=f"{name}|provisional",
                label="_nolegend_",
            )
        if years:
            year_axis(ax, years)
        else:
            ax.text(0.5, 0.5, "No deliveries", transform=ax.transAxes, ha="center")
        ax.set_xlabel("Year of delivery")
        ax.set_ylabel(TIV_LABEL)
        ax.set_ylim(bottom=0)
        ax.legend(title="Release (hollow: latest year, provisional)", frameon=False)
        ax.set_title(title or "Yearly TIV in each SIPRI release")
        last = revisions["generated"].dropna() if "generated" in revisions else pd.Series([])
        add_source_note(ax, last.iloc[-1] if len(last) else None)
    return ax
