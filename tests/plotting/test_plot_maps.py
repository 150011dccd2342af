"""plotting.maps: shaded partners, arcs, parties without a shape listed, the boundaries note."""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd
import pytest
from plot_checks import note_of, with_source

from arms.plotting import maps, shapes


def _shares(rows, role="supplier", party="Azerbaijan"):
    frame = pd.DataFrame(rows, columns=["party", "iso3", "tiv"])
    frame["share"] = 100 * frame["tiv"] / frame["tiv"].sum()
    frame = with_source(frame)
    frame.attrs.update(role=role, party=party, start=1992, end=2023)
    return frame


def _listed(ax) -> str:
    texts = [t.get_text() for t in ax.texts if t.get_gid() == maps.MISSING_GID]
    return texts[0] if texts else ""


def test_the_shipped_shapes_are_small_natural_earth_with_provenance():
    path = resources.files("arms") / "data" / "shapes.json"
    data = json.loads(path.read_text())
    assert len(path.read_bytes()) < 300_000
    assert "Natural Earth" in data["source"] and "de facto" in data["boundaries"]
    assert len(data["countries"]) > 150
    provenance = (resources.files("arms") / "data" / "shapes.md").read_text()
    assert "tools/make_shapes.py" in provenance and "public domain" in provenance
    # every longitude stays on one side of the antimeridian within a ring (no world-wide streak)
    for country in data["countries"].values():
        for polygon in country["polygons"]:
            for ring in polygon:
                xs = ring[0::2]
                assert max(abs(a - b) for a, b in zip(xs, xs[1:], strict=False)) < 180


def test_choropleth_shades_by_share_and_lists_parties_without_a_shape():
    s = _shares(
        [
            ("Russia", "RUS", 600.0),
            ("Israel", "ISR", 300.0),
            ("Soviet Union", "SUHH", 80.0),
            ("Unknown", None, 20.0),
        ]
    )
    ax = maps.plot_partner_map(s)
    shaded = {p.get_gid(): p for p in ax.patches if p.get_gid() in ("RUS", "ISR")}
    assert set(shaded) == {"RUS", "ISR"}
    # the bigger share is the darker blue
    assert sum(shaded["RUS"].get_facecolor()[:3]) < sum(shaded["ISR"].get_facecolor()[:3])
    listed = _listed(ax)
    assert "Soviet Union: 80" in listed and "Unknown: 20" in listed and "Total: 100" in listed
    assert any(p.get_gid() == "focus:AZE" for p in ax.patches)
    note = note_of(ax)
    assert "13 Apr 2024" in note and "de facto boundaries" in note and "not US$" in note
    assert "volume" in ax.figure.axes[-1].get_xlabel()  # the colour bar
    assert "Azerbaijan's suppliers" in ax.get_title()


def test_customers_map_says_exports():
    s = _shares(
        [("Azerbaijan", "AZE", 5.0), ("Singapore", "SGP", 1.0)], role="recipient", party="Israel"
    )
    ax = maps.plot_partner_map(s)
    assert "exports" in ax.figure.axes[-1].get_xlabel() and "customers" in ax.get_title()
    # Singapore is too small for the 1:110m shapes: listed, not dropped
    assert "SGP" not in shapes.country_paths() and "Singapore: 1.0" in _listed(ax)


def test_flow_map_widths_follow_tiv_and_unshaped_flows_are_listed():
    e = with_source(
        pd.DataFrame(
            {
                "supplier": ["Israel", "Russia", "Soviet Union", "Hezbollah (Lebanon)"],
                "recipient": ["Azerbaijan", "Azerbaijan", "Azerbaijan", "Israel"],
                "tiv": [90.0, 30.0, 10.0, 1.0],
            }
        )
    )
    ax = maps.plot_flow_map(e)
    arcs = {p.get_gid(): p for p in ax.patches if "->" in (p.get_gid() or "")}
    assert set(arcs) == {"Israel->Azerbaijan", "Russia->Azerbaijan"}
    assert arcs["Israel->Azerbaijan"].get_linewidth() == pytest.approx(
        3 * arcs["Russia->Azerbaijan"].get_linewidth()
    )
    listed = _listed(ax)
    assert "Soviet Union -> Azerbaijan: 10" in listed
    assert "Hezbollah (Lebanon) -> Israel: 1.0" in listed
    assert "de facto boundaries" in note_of(ax)
    assert any("volume" in t.get_text() for t in ax.texts)


def test_maps_draw_into_given_axes_and_a_missing_column_is_named():
    import matplotlib.pyplot as plt

    _, (a, b) = plt.subplots(1, 2)
    s = _shares([("Israel", "ISR", 1.0)])
    assert maps.plot_partner_map(s, ax=a) is a
    with pytest.raises((KeyError, ValueError), match="tiv"):
        maps.plot_flow_map(pd.DataFrame({"supplier": ["A"], "recipient": ["B"]}), ax=b)
