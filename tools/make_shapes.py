"""Make ``arms/data/shapes.json`` (country outlines for the maps) from Natural Earth 1:110m.

Run once by a maintainer, not at install or run time: the output is committed as package data
and its provenance is in ``arms/data/shapes.md``. The script lives in ``tools/`` because it is
neither part of the package (it needs npm and two downloaded packages) nor a benchmark.

Inputs (fetch with ``npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0`` and unpack):

- ``world-atlas/countries-110m.json``: Natural Earth 1:110m admin-0 countries (public domain)
  as TopoJSON, quantized; each geometry carries its ISO 3166-1 numeric code as ``id``.
- ``i18n-iso-countries/codes.json``: rows ``[alpha2, alpha3, numeric, ...]``, the crosswalk
  from the numeric ``id`` to the ISO3 code ``arms``' entity table uses. A geometry without an
  ``id`` (Kosovo, Northern Cyprus, Somaliland in Natural Earth) is matched by its name
  through the entity table; one it does not know is kept under its name.

Output: ``{"source": ..., "boundaries": ..., "countries": {KEY: {"name": str, "point":
[lon, lat], "polygons": [[ring, ...], ...]}}}`` where a ring is a flat list ``[lon0, lat0,
lon1, lat1, ...]`` rounded to 0.01 degree (the 110m scale resolves about 0.1 degree), the
first ring of a polygon is its outline and the rest are holes, a ring crossing the
antimeridian runs past +-180 degrees (the plot draws it again shifted by 360), and ``point``
is the centroid of the largest ring (where the flow map draws its arcs to and from).
Antarctica is left out.

Usage: ``python tools/make_shapes.py WORLD_ATLAS_DIR I18N_ISO_COUNTRIES_DIR``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "arms" / "data" / "shapes.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return the topology's arcs as absolute (lon, lat) points (delta decoding + transform)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Return one ring from its arc indexes (a negative index ``~i`` is arc ``i`` reversed)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining point
        points.extend(arc if not points else arc[1:])
    return unwrap(points)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return a ring whose longitudes never jump by more than 180 degrees between points.

    Natural Earth cuts Russia and Fiji at the antimeridian inside one ring (a step from 180 to
    -180); drawn on a flat map such a ring would cross the whole world. Unwrapped, it runs past
    180 (or -180) and the plot draws it a second time shifted by 360 degrees.
    """
    out = [points[0]]
    for x, y in points[1:]:
        previous = out[-1][0]
        while x - previous > 180:
            x -= 360
        while previous - x > 180:
            x += 360
        out.append((x, y))
    return out


def area_centroid(points: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """Return the absolute area and centroid of a ring (shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        xs, ys = zip(*points, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


def main(world_atlas: Path, iso_codes: Path) -> None:
    """Write ``arms/data/shapes.json``."""
    sys.path.insert(0, str(ROOT))
    from arms.entities import lookup

    topology = json.loads((world_atlas / "countries-110m.json").read_text())
    alpha3 = {row[2]: row[1] for row in json.loads((iso_codes / "codes.json").read_text())}
    arcs = decode_arcs(topology)
    countries: dict[str, dict] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if "id" in geometry:
            key = alpha3[geometry["id"]]
        else:
            known = lookup(name.replace("N. ", "Northern "))
            key = str(known[1]) if known is not None and isinstance(known[1], str) else name
        if key == "ATA":
            continue
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        polygons = [[ring(r, arcs) for r in polygon] for polygon in parts]
        largest = max((area_centroid(p[0]) for p in polygons), key=lambda ac: ac[0])
        countries[key] = {
            "name": name,
            "point": [round((largest[1][0] + 180) % 360 - 180, 2), round(largest[1][1], 2)],
            "polygons": [
                [[round(v, 2) for point in r for v in point] for r in polygon]
                for polygon in polygons
            ],
        }
    out = {
        "source": (
            "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain), "
            "via the npm package world-atlas 2.0.2 (countries-110m.json)"
        ),
        "boundaries": (
            "Natural Earth's de facto boundaries; they imply no position of SIPRI or of "
            "arms on any disputed territory"
        ),
        "countries": countries,
    }
    OUT.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: {len(countries)} shapes, {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
