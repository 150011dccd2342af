"""Country outlines for the maps: the packaged Natural Earth 1:110m shapes, as matplotlib paths.

``arms/data/shapes.json`` is made once by ``tools/make_shapes.py``; its provenance is in
``arms/data/shapes.md``. No geo library is needed: the shapes are unprojected longitude and
latitude, drawn on a plate carrée (equirectangular) map.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np
from matplotlib.path import Path as MplPath

__all__ = ["BOUNDARIES_NOTE", "country_paths", "country_points", "shapes"]

#: Whose boundaries the maps show; every map carries it.
BOUNDARIES_NOTE = (
    "Map: Natural Earth 1:110m (public domain), de facto boundaries; "
    "no position on disputed territory is implied"
)


@functools.lru_cache(maxsize=1)
def shapes() -> dict:
    """Return the packaged shapes file (``source``, ``boundaries``, ``countries`` by ISO3).

    Examples
    --------
    >>> s = shapes()
    >>> "Natural Earth" in s["source"], s["countries"]["AZE"]["name"]
    (True, 'Azerbaijan')
    """
    return json.loads(
        (resources.files("arms") / "data" / "shapes.json").read_text(encoding="utf-8")
    )


@functools.lru_cache(maxsize=1)
def country_paths() -> dict[str, list[MplPath]]:
    """Return the compound paths of each country, by ISO3 code.

    A polygon that runs past the antimeridian (Russia, Fiji) gets a second path shifted by
    360 degrees, so the map shows both ends.

    Examples
    --------
    >>> paths = country_paths()
    >>> len(paths["RUS"]) > 1, paths["AZE"][0].vertices.shape[1]
    (True, 2)
    """
    out: dict[str, list[MplPath]] = {}
    for key, country in shapes()["countries"].items():
        paths = []
        for polygon in country["polygons"]:
            rings = [np.asarray(r, dtype=float).reshape(-1, 2) for r in polygon]
            low = min(r[:, 0].min() for r in rings)
            high = max(r[:, 0].max() for r in rings)
            shifts = [0.0] + ([-360.0] if high > 180 else []) + ([360.0] if low < -180 else [])
            for shift in shifts:
                paths.append(_compound([r + (shift, 0.0) for r in rings]))
        out[key] = paths
    return out


def _compound(rings: list[np.ndarray]) -> MplPath:
    vertices, codes = [], []
    for r in rings:
        vertices.extend([*r.tolist(), r[0].tolist()])
        codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 1) + [MplPath.CLOSEPOLY])
    return MplPath(np.asarray(vertices), codes)


def country_points() -> dict[str, tuple[float, float]]:
    """Return the (longitude, latitude) where flow arcs start and end, by ISO3 code.

    Examples
    --------
    >>> lon, lat = country_points()["ISR"]
    >>> 34 < lon < 36 and 30 < lat < 33
    True
    """
    return {k: tuple(c["point"]) for k, c in shapes()["countries"].items()}
