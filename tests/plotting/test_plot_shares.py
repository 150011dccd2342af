"""Tests of arms.plotting.plot_period_shares."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from plot_checks import NOTE, bars, legend_labels, note_of  # noqa: E402

from arms import plotting as P  # noqa: E402


def test_period_shares_stack_to_100_and_leader_labelled(periods):
    ax = P.plot_period_shares(periods)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2006-10", "2011-15", "2016-20"]
    tops = {}
    for gid, patch in bars(ax).items():
        period = gid.split("|")[1]
        tops[period] = max(tops.get(period, 0), patch.get_y() + patch.get_height())
    assert tops == pytest.approx({"2006-10": 100.0, "2011-15": 100.0, "2016-20": 100.0})
    leaders = sorted(t.get_text() for t in ax.texts if t.get_gid() == "leader")
    assert leaders == ["Israel\n69%", "Russia\n100%", "Russia\n67%"]
    hatched = {g for g, p in bars(ax).items() if p.get_hatch()}
    assert hatched == {"Israel|2016-20|estimated"}
    assert bars(ax)["Israel|2016-20|estimated"].get_height() == pytest.approx(9.0)
    assert "Rests on SIPRI estimates" in legend_labels(ax)
    assert "%" in ax.get_ylabel()
    totals = [t.get_text() for t in ax.texts if t.get_gid() == "total"]
    assert totals == ["100 TIV", "900 TIV", "1,000 TIV"]
    assert note_of(ax) == NOTE


def test_period_shares_keep_leader_when_lumping(periods):
    ax = P.plot_period_shares(periods, top=1)
    suppliers = {g.split("|")[0] for g in bars(ax)}
    assert suppliers == {"Israel", "Russia", "Other"}  # Russia led 2006-15, so it stays


def test_upright_leader_labels_stay_inside_the_bars():
    # many periods: upright labels; a long leader name on a short bottom segment
    rows = []
    for start in range(1951, 2001, 5):
        label = f"{start}-{str(start + 4)[-2:]}"
        rows += [(label, start, "long weapon family name", 30.0), (label, start, "b", 25.0)]
        rows += [(label, start, "c", 25.0), (label, start, "d", 20.0)]
    periods = pd.DataFrame(rows, columns=["period", "start", "family", "tiv"])
    ax = P.plot_period_shares(periods, by="family", generated="13 Oct 2024")
    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    leaders = [t for t in ax.texts if t.get_gid() == "leader"]
    assert len(leaders) == 10
    for text in leaders:
        box = text.get_window_extent(renderer)
        (_, low), (_, high) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        assert 0 <= low and high <= 100, (text.get_text(), low, high)
    assert ax.get_ylabel().startswith("Share of exports")
