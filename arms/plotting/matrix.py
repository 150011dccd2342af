"""A weapon family (or category) by supplier heatmap of TIV."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from arms.plotting.colours import ink
from arms.plotting.notes import add_source_note, generated_for
from arms.plotting.parts import default_title, grouped_by, require_columns, with_years
from arms.plotting.style import house_style
from arms.text import TIV_LABEL

__all__ = ["plot_category_matrix"]

_ROW_LABELS = {"family": "Weapon family", "category": "SIPRI armament category"}


def plot_category_matrix(
    matrix: pd.DataFrame,
    *,
    by: str = "family",
    ax: Axes | None = None,
    title: str | None = None,
    generated: object = None,
    cmap: str = "cividis",
    across: str = "supplier",
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
    across : str, default "supplier"
        The column variable: ``"recipient"`` for a supplier's customers (from
        ``category_matrix(frame, supplier=..., across="recipient")``); the default title
        then names the frame's supplier.

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
    require_columns(matrix, [by, across, "tiv"], "matrix")
    template, role = f"Imports of {{}} by {by} and supplier", "recipient"
    if across != "supplier":
        template, role = f"Exports of {{}} by {by} and {across}", "supplier"
    matrix = grouped_by(matrix, across)
    table = _table(matrix, by)
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
                c, r, text, ha="center", va="center", fontsize=9, color=ink(colormap(v / vmax))
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
        ax.set_xlabel(across.replace("_", " ").capitalize())
        ax.set_ylabel(_ROW_LABELS.get(by, by.replace("_", " ").capitalize()))
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
        bar.set_label(TIV_LABEL)
        bar.outline.set_visible(False)
        ax.set_title(with_years(title or default_title(matrix, template, role=role), matrix))
        add_source_note(ax, generated_for(matrix, generated))
    return ax


def _table(matrix: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows by ``by``, columns by supplier, largest totals first; NaN where nothing came."""
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
    return table.loc[
        table.sum(axis=1).sort_values(ascending=False).index,
        table.sum(axis=0).sort_values(ascending=False).index,
    ]
