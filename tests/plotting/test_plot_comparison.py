"""Tests of arms.plotting.plot_recipient_comparison and plot_supplier_to_both_sides."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from plot_checks import EVENTS, NOTE, bars, legend_labels, note_of, with_source  # noqa: E402

from arms import plotting as P  # noqa: E402

# the case study's colours, as a notebook's parameters cell passes them
RECIPIENTS = {"Azerbaijan": "#004488", "Armenia": "#BB5566"}


def test_recipient_comparison():
    comparison = with_source(
        pd.DataFrame(
            {
                "period": ["2011-15", "2011-15", "2016-20", "2016-20"],
                "recipient": ["Azerbaijan", "Armenia", "Azerbaijan", "Armenia"],
                "tiv": [1500.0, 300.0, 1200.0, 400.0],
            }
        )
    )
    ax = P.plot_recipient_comparison(comparison, colours=RECIPIENTS)
    drawn = bars(ax)
    assert set(drawn) == {
        "Azerbaijan|2011-15",
        "Armenia|2011-15",
        "Azerbaijan|2016-20",
        "Armenia|2016-20",
    }
    assert drawn["Azerbaijan|2011-15"].get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(RECIPIENTS["Azerbaijan"])
    )
    assert [t.get_text() for t in ax.texts if t.get_gid() == "ratio"] == ["5.0×", "3.0×"]
    small = comparison.assign(tiv=[1827.0, 17.5, 0.0, 29.0])
    ax = P.plot_recipient_comparison(small, colours=RECIPIENTS)
    assert not [t for t in ax.texts if t.get_gid() == "ratio"]  # no 104.4x, no 0.0x
    assert legend_labels(ax) == ["Azerbaijan", "Armenia"]
    assert ax.get_ylabel() == P.TIV_LABEL
    assert note_of(ax) == NOTE


def test_supplier_to_both_sides():
    yearly = with_source(
        pd.DataFrame(
            {
                "year": [2013, 2013, 2016, 2019],
                "supplier": ["Russia"] * 4,
                "recipient": ["Azerbaijan", "Armenia", "Armenia", "Armenia"],
                "tiv": [600.0, 20.0, 100.0, 190.0],
                "tiv_estimated": [0.0, 0.0, 40.0, 0.0],
            }
        )
    )
    ax = P.plot_supplier_to_both_sides(yearly, events=EVENTS)
    assert ax.get_title() == "Russia's arms deliveries to Azerbaijan and Armenia, 2013-19"
    drawn = bars(ax)
    # every year in the range gets a slot for each side (zero-height where nothing came)
    assert len([g for g in drawn if g.startswith("Armenia|") and "estimated" not in g]) == 7
    assert drawn["Armenia|2016|estimated"].get_hatch()
    assert drawn["Armenia|2019"].get_height() == pytest.approx(190.0)
    assert legend_labels(ax) == ["Azerbaijan", "Armenia", "Rests on SIPRI estimates"]
    assert ax.get_ylabel() == P.TIV_LABEL
    assert note_of(ax) == NOTE


def face(ax, gid: str) -> tuple[float, float, float]:
    return tuple(bars(ax)[gid].get_facecolor()[:3])


def test_recipient_colours_without_colours_are_distinct_and_stable():
    comparison = pd.DataFrame(
        {
            "period": ["2016-20"] * 3,
            "recipient": ["Armenia", "Georgia", "Azerbaijan"],  # Armenia, Georgia share a hash
            "tiv": [400.0, 50.0, 1200.0],
        }
    )
    ax = P.plot_recipient_comparison(comparison, generated="13 Apr 2024")
    colours = {r: face(ax, f"{r}|2016-20") for r in comparison["recipient"]}
    assert len(set(colours.values())) == 3
    again = P.plot_recipient_comparison(comparison.iloc[::-1], generated="13 Apr 2024")
    assert {r: face(again, f"{r}|2016-20") for r in comparison["recipient"]} == colours
    assert legend_labels(ax) == ["Armenia", "Georgia", "Azerbaijan"]  # no colour is built in


def test_supplier_to_both_sides_colours_and_no_events_by_default():
    yearly = pd.DataFrame(
        {"year": [2016, 2016], "recipient": ["Azerbaijan", "Armenia"], "tiv": [10.0, 20.0]}
    )
    ax = P.plot_supplier_to_both_sides(yearly, colours=RECIPIENTS, generated="13 Apr 2024")
    assert face(ax, "Armenia|2016") == pytest.approx(matplotlib.colors.to_rgb("#BB5566"))
    assert not [a for a in [*ax.lines, *ax.patches, *ax.texts] if "event" in (a.get_gid() or "")]
