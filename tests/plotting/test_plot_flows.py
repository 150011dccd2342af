"""Tests of arms.plotting.plot_flows."""

from __future__ import annotations

import matplotlib
from matplotlib.patches import PathPatch

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from plot_checks import NOTE, note_of, with_source  # noqa: E402

from arms import plotting as P  # noqa: E402


def test_flows_bands_nodes_and_lumping():
    flows = with_source(
        pd.DataFrame(
            {
                "supplier": ["Israel", "Russia", "Russia", "Turkiye", "Belarus"],
                "recipient": ["Azerbaijan", "Azerbaijan", "Armenia", "Azerbaijan", "Azerbaijan"],
                "tiv": [900.0, 300.0, 400.0, 50.0, 10.0],
            }
        )
    )
    ax = P.plot_flows(flows, top=2)
    bands = {p.get_gid(): p for p in ax.patches if isinstance(p, PathPatch)}
    assert set(bands) == {
        "Israel->Azerbaijan",
        "Russia->Azerbaijan",
        "Russia->Armenia",
        "Other->Azerbaijan",
    }
    assert bands["Israel->Azerbaijan"].get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(P.colour_for("Israel"))
    )
    # band width at the supplier end equals the flow's TIV
    vertices = bands["Russia->Armenia"].get_path().vertices
    assert vertices[7, 1] - vertices[0, 1] == pytest.approx(400.0)  # left edge
    assert vertices[4, 1] - vertices[3, 1] == pytest.approx(400.0)  # right edge
    nodes = {
        p.get_gid(): p.get_height() for p in ax.patches if (p.get_gid() or "").startswith("node")
    }
    assert nodes["node|left|Russia"] == pytest.approx(700.0)
    assert nodes["node|right|Azerbaijan"] == pytest.approx(1260.0)
    assert P.TIV_LABEL in [t.get_text().removeprefix("Band width: ") for t in ax.texts]
    assert note_of(ax) == NOTE
