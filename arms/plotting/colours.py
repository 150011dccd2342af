"""Colours of the charts: one fixed colour per major supplier, stable distinct ones otherwise.

Okabe & Ito (2008) and Paul Tol's "muted"/"high contrast" sets: distinguishable under the
common colour-vision deficiencies. Each major supplier gets its colour here once, so that a
country looks the same in every chart. Any other name (a recipient, a minor supplier) gets a
colour of Tol's "light" palette chosen by a stable hash of the name; a chart that shows several
such names resolves clashes with :func:`palette`, and a caller who wants particular colours
(a notebook's recipients, say) passes them as ``colours=``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.colors import to_rgb

__all__ = ["FALLBACK_COLOURS", "OTHER", "SUPPLIER_COLOURS", "colour_for", "ink", "palette"]

#: The name small suppliers are lumped under.
OTHER = "Other"

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
#: Tol "light": the colours of names without a fixed colour (none of them is a fixed one).
FALLBACK_COLOURS: tuple[str, ...] = (
    "#77AADD",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#EEDD88",
    "#EE8866",
    "#FFAABB",
)


def _hashed(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % len(FALLBACK_COLOURS)


def colour_for(name: str, colours: Mapping[str, str] | None = None) -> str:
    """Return the colour of a supplier (or any other name) as a hex string.

    A colour given in ``colours`` wins; suppliers in :data:`SUPPLIER_COLOURS` keep their
    colour; any other name gets a colour from Paul Tol's light palette chosen by a stable hash
    of the name, so it too is the same in every chart and every session.

    Parameters
    ----------
    name : str
        Country or entity name as in the canonical frames.
    colours : mapping of str to str, optional
        Colours chosen by the caller (e.g. a notebook's recipients), by name.

    Returns
    -------
    str
        ``"#RRGGBB"`` (or the colour as given in ``colours``).

    Examples
    --------
    >>> colour_for("Israel"), colour_for("Russia")
    ('#0072B2', '#D55E00')
    >>> colour_for("Jordan") == colour_for("Jordan")
    True
    >>> colour_for("Armenia", {"Armenia": "#BB5566"})
    '#BB5566'
    """
    name = str(name)
    if colours and name in colours:
        return colours[name]
    if name in SUPPLIER_COLOURS:
        return SUPPLIER_COLOURS[name]
    return FALLBACK_COLOURS[_hashed(name)]


def palette(names: Iterable[Any], colours: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return one colour per name, distinct among the names without a fixed colour.

    Names in ``colours`` or :data:`SUPPLIER_COLOURS` keep that colour. The others take their
    :func:`colour_for` colour unless an earlier one (in sorted order, so the result does not
    depend on the order of ``names``) already took it, or it looks like a colour already in
    the chart; then the next free colour of :data:`FALLBACK_COLOURS` that does not. Names
    only repeat a colour when there are more of them than fallback colours.

    Parameters
    ----------
    names : iterable of str
        The names one chart shows.
    colours : mapping of str to str, optional
        Colours chosen by the caller, by name.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> p = palette(["Azerbaijan", "Armenia", "Israel"])
    >>> p["Israel"], p["Azerbaijan"] != p["Armenia"]
    ('#0072B2', True)
    >>> palette(["Armenia"], {"Armenia": "#BB5566"})
    {'Armenia': '#BB5566'}
    """
    names = list(dict.fromkeys(str(n) for n in names))
    given = colours or {}
    fixed = {n: colour_for(n, colours) for n in names if n in given or n in SUPPLIER_COLOURS}
    used = set(fixed.values())
    out = dict(fixed)
    n_fallback = len(FALLBACK_COLOURS)
    for name in sorted(n for n in names if n not in fixed):
        start = _hashed(name)
        turn = [FALLBACK_COLOURS[(start + step) % n_fallback] for step in range(n_fallback)]
        free = [c for c in turn if c not in used]
        # a free colour that does not look like one already in the chart (India's olive
        # next to a hashed yellow-olive), else any free one, else the hashed one
        apart = [c for c in free if all(_distance(c, u) >= _APART for u in used)]
        colour = (apart or free or [FALLBACK_COLOURS[start]])[0]
        used.add(colour)
        out[name] = colour
    return {n: out[n] for n in names}


#: Two colours closer than this (Euclidean distance in RGB, 0-1 per channel) look alike.
_APART = 0.25


def _distance(a: str, b: str) -> float:
    return float(np.linalg.norm(np.subtract(to_rgb(a), to_rgb(b))))


def ink(colour: Any) -> str:
    """Return black or white, whichever reads better on ``colour`` (WCAG relative luminance).

    Parameters
    ----------
    colour : matplotlib colour
        The background.

    Returns
    -------
    str

    Examples
    --------
    >>> ink("#FFFFFF"), ink("#004488")
    ('#222222', 'white')
    """
    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(lin @ [0.2126, 0.7152, 0.0722])
    return "#222222" if luminance > 0.22 else "white"
