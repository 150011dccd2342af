"""Tests of arms.plotting.plot_deal_timeline."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from plot_checks import NOTE, bars, legend_labels, note_of, year_labels  # noqa: E402

from arms import plotting as P  # noqa: E402


def test_timeline_rows_bars_markers(timeline):
    ax = P.plot_deal_timeline(timeline)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Heron (Israel, ordered 2010): 5 units\nsecond hand",
        "Harop (Israel, ordered 2011): 75? units",
        "Su-30K (Russia, ordered 2019): 4 units",
    ]
    drawn = bars(ax)
    assert set(drawn) == {
        "Harop|2014|estimated",
        "Harop|2016|estimated",
        "Heron|2011",
        "Su-30K|2019",
    }
    assert all(p.get_hatch() for g, p in drawn.items() if g.endswith("estimated"))
    assert not drawn["Su-30K|2019"].get_hatch()
    # heights scale with units within a deal
    assert drawn["Harop|2016|estimated"].get_height() > drawn["Harop|2014|estimated"].get_height()
    orders = [line for line in ax.lines if (line.get_gid() or "").startswith("order")]
    assert sorted(line.get_gid() for line in orders) == ["order", "order", "order|estimated"]
    assert sorted(line.get_xdata()[0] for line in orders) == [2010, 2011, 2019]
    units = sorted(t.get_text() for t in ax.texts if t.get_gid() == "units")
    assert units == ["25?", "4", "5", "50?"]
    assert "190 TIV" in [t.get_text() for t in ax.texts if t.get_gid() == "deal-tiv"]
    assert {"Order year", "Order year (estimated)", "Number estimated", "Israel", "Russia"} <= set(
        legend_labels(ax)
    )
    assert note_of(ax) == NOTE


def test_timeline_long_deal_years_labelled_sparsely(timeline):
    long = pd.DataFrame(
        {
            "deal": "T-72",
            "deal_key": "t72",
            "supplier": "Russia",
            "order_year": 1993,
            "year": range(1994, 2025),
            "units": 10,
        }
    )
    frame = pd.concat([timeline, long], ignore_index=True)
    ax = P.plot_deal_timeline(frame, generated="13 Apr 2024")
    labels = year_labels(ax)
    years = [loc for loc, _, _ in labels]
    assert all(float(y).is_integer() for y in years)  # whole years only
    assert [text for _, text, _ in labels] == [str(int(y)) for y in years]
    steps = {b - a for a, b in itertools.pairwise(years)}
    assert len(steps) == 1 and steps.pop() >= 2  # evenly spaced, not every year
    assert 3 <= len(years) < 2024 - 1993
    boxes = [box for _, _, box in labels]
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(boxes))  # no label overlaps
    ticked = {*ax.xaxis.get_minorticklocs(), *ax.xaxis.get_majorticklocs()}
    assert set(range(1993, 2025)) <= ticked  # every year still gets a (minor) tick


def test_timeline_short_deal_every_year_labelled(timeline):
    short = timeline[timeline["deal"] == "Su-30K"]
    ax = P.plot_deal_timeline(short)
    assert [text for _, text, _ in year_labels(ax)] == ["2019", "2020", "2021"]


def test_timeline_deal_without_deliveries(timeline):
    pending = pd.DataFrame(
        {
            "deal": ["Pending"],
            "deal_key": ["p"],
            "supplier": ["Israel"],
            "order_year": [2023],
            "year": [None],
            "units": [None],
        }
    )
    ax = P.plot_deal_timeline(pd.concat([timeline, pending], ignore_index=True))
    assert "Pending (Israel, ordered 2023)" in [t.get_text() for t in ax.get_yticklabels()]
    assert not [g for g in bars(ax) if g.startswith("Pending")]


def test_timeline_labels_never_show_keys_dashes_or_overlap(timeline):
    keyed = pd.DataFrame(
        {
            "deal": "T-72 (Russia \u2192 Azerbaijan, 1993) [line 10387]",
            "deal_key": "line 10387",
            "designation": "T-72",
            "supplier": "Russia",
            "status": "-",
            "order_year": 1993,
            "year": range(1994, 2025),
            "units": 10,
            "units_estimated": True,
        }
    )
    ax = P.plot_deal_timeline(pd.concat([timeline, keyed], ignore_index=True))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "T-72 (Russia, ordered 1993): 310? units" in labels
    assert not any("[" in label or label.endswith("-") for label in labels)
    row = labels.index("T-72 (Russia, ordered 1993): 310? units")
    counts = sorted(
        t.get_position()[0]
        for t in ax.texts
        if t.get_gid() == "units" and round(t.get_position()[1]) == row
    )
    gaps = [b - a for a, b in itertools.pairwise(counts)]
    assert len(counts) > 2 and min(gaps) >= (2024 - 1993 + 1) / 14  # thinned, never crowded
    assert "not comparable across deals" in ax.get_xlabel()
