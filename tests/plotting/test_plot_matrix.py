"""Tests of arms.plotting.plot_category_matrix."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from plot_checks import NOTE, note_of, with_source  # noqa: E402

from arms import plotting as P  # noqa: E402


def test_category_matrix_values_and_colourbar():
    matrix = with_source(
        pd.DataFrame(
            {
                "family": ["UAV", "UAV", "Missiles", "Air defence"],
                "supplier": ["Israel", "Turkiye", "Israel", "Russia"],
                "tiv": [500.0, 28.8, 300.0, 0.0],
            }
        )
    )
    ax = P.plot_category_matrix(matrix)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["0", "29", "300", "500"]  # 0 is shown (under 0.5), empty cells are not
    assert [t.get_text() for t in ax.get_yticklabels()] == ["UAV", "Missiles", "Air defence"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Israel", "Turkiye", "Russia"]
    colourbar = ax.images[0].colorbar
    assert colourbar.ax.get_ylabel() == P.TIV_LABEL
    assert note_of(ax) == NOTE


def test_category_matrix_by_category():
    matrix = pd.DataFrame({"category": ["Aircraft"], "supplier": ["Russia"], "tiv": [190.0]})
    ax = P.plot_category_matrix(matrix, by="category", generated="13 Apr 2024")
    assert ax.get_ylabel() == "SIPRI armament category"
