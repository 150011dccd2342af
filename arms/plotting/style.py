"""The house style of every chart and the hatching of numbers SIPRI marks as estimated."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import cycler
from matplotlib.patches import Patch

from arms.plotting.colours import SUPPLIER_COLOURS, ink

__all__ = ["HATCH", "HOUSE_STYLE", "hatch_kw", "house_style"]

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
        "axes.prop_cycle": cycler(color=list(SUPPLIER_COLOURS.values())[:8]),
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

#: The hatch of TIV (or units) resting on numbers SIPRI marks as estimated.
HATCH = "///"
_HAS_HATCHCOLOR = hasattr(Patch, "set_hatchcolor")  # matplotlib >= 3.10


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style (:data:`HOUSE_STYLE`) inside a ``with`` block.

    Every ``plot_*`` helper and :func:`~arms.plotting.save_figure` uses it; it is public so
    that a notebook can draw its own extra charts in the same style. Every rcParam is restored
    on exit except interactive mode, which keeps the value it has at the end of the block: in a
    kernel the first figure can load the inline backend inside the block, which switches it
    on, and switching it back off would stop later figures from being displayed.

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


def hatch_kw(colour: str, estimated: bool) -> dict[str, Any]:
    """Return the bar keywords of a solid (or, if ``estimated``, a hatched) bar of ``colour``.

    Parameters
    ----------
    colour : str
        The bar's face colour; the hatch is drawn in black or white, whichever reads on it.
    estimated : bool
        Hatch the bar.

    Returns
    -------
    dict
        Keywords for :meth:`matplotlib.axes.Axes.bar` or :class:`matplotlib.patches.Patch`.

    Examples
    --------
    >>> hatch_kw("#0072B2", False)
    {'edgecolor': 'white', 'linewidth': 0.5}
    >>> hatch_kw("#0072B2", True)["hatch"]
    '///'
    """
    if not estimated:
        return {"edgecolor": "white", "linewidth": 0.5}
    colour_of_hatch = ink(colour)
    kw: dict[str, Any] = {"hatch": HATCH, "linewidth": 0.5}
    if _HAS_HATCHCOLOR:
        kw.update(edgecolor="white", hatchcolor=colour_of_hatch)
    else:  # before matplotlib 3.10 the hatch takes the edge colour
        kw.update(edgecolor=colour_of_hatch)
    return kw
