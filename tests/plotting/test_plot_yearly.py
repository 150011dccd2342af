"""Tests of arms.plotting.plot_yearly_by_supplier: assert on what was drawn (Agg)."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from plot_checks import EVENTS, NOTE, bars, legend_labels, note_of  # noqa: E402

from arms import plotting as P  # noqa: E402


def test_yearly_bars_per_supplier_and_year(yearly):
    ax = P.plot_yearly_by_supplier(yearly, events=EVENTS)
    drawn = bars(ax)
    for row in yearly.itertuples():
        assert f"{row.supplier}|{row.year}" in drawn
    solid = [g for g in drawn if not g.endswith("estimated")]
    assert len(solid) == len(yearly)
    israel = sorted(g for g in solid if g.startswith("Israel|"))
    assert israel == ["Israel|2015", "Israel|2016", "Israel|2020"]
    # stacked: each year's top equals the year's total
    tops = {}
    for gid, patch in drawn.items():
        year = int(gid.split("|")[1])
        tops[year] = max(tops.get(year, 0), patch.get_y() + patch.get_height())
    assert tops == pytest.approx({2015: 700.0, 2016: 355.0, 2020: 228.8})


def test_yearly_hatching_only_on_estimated_parts(yearly):
    ax = P.plot_yearly_by_supplier(yearly)
    drawn = bars(ax)
    hatched = {g for g, p in drawn.items() if p.get_hatch()}
    assert hatched == {"Russia|2015|estimated", "Israel|2016|estimated", "Israel|2020|estimated"}
    assert drawn["Russia|2015|estimated"].get_height() == pytest.approx(100.0)
    assert drawn["Russia|2015"].get_height() == pytest.approx(300.0)
    # fully estimated: the solid part has zero height, the hatched part carries it all
    assert drawn["Israel|2016"].get_height() == pytest.approx(0.0)
    assert drawn["Israel|2016|estimated"].get_height() == pytest.approx(250.0)


def test_yearly_labels_legend_note_events(yearly):
    ax = P.plot_yearly_by_supplier(yearly, events=EVENTS)
    assert ax.get_ylabel() == P.TIV_LABEL == "SIPRI TIV (millions; volume, not US$)"
    years = f"{yearly['year'].min()}-{yearly['year'].max() % 100:02d}"
    assert ax.get_title() == f"Arms imports of Azerbaijan by supplier, {years}"
    assert legend_labels(ax) == ["Turkiye", "Russia", "Israel", "Rests on SIPRI estimates"]
    assert note_of(ax) == NOTE  # generated date from attrs, clock time dropped
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "event-label"]
    assert labels == ["April 2016 clashes", "2020 war"]
    lines = [a for a in ax.lines if a.get_gid() == "event"]
    # the bar of year Y spans Y-0.5 .. Y+0.5, so 1 April 2016 sits a quarter into it
    assert lines[0].get_xdata()[0] == pytest.approx(2016 - 0.5 + 91 / 366)
    spans = [p for p in ax.patches if p.get_gid() == "event"]
    assert len(spans) == 1  # the war lasted weeks; the April clashes are a line only


def test_yearly_events_as_frame_and_top_lumps_other(yearly):
    events = pd.DataFrame(
        {"label": ["war"], "start": [dt.date(2020, 9, 27)], "end": [dt.date(2020, 11, 10)]}
    )
    ax = P.plot_yearly_by_supplier(yearly, events=events, top=1, generated="1 May 2025")
    assert {g.split("|")[0] for g in bars(ax)} == {"Israel", "Other"}
    assert legend_labels(ax)[0] == "Other"
    assert note_of(ax).endswith("data generated 1 May 2025")  # explicit beats attrs


def test_yearly_draws_into_given_axes(yearly):
    fig, (left, right) = plt.subplots(1, 2)
    out = P.plot_yearly_by_supplier(yearly, ax=right)
    assert out is right and not left.patches


def test_yearly_missing_columns():
    with pytest.raises(ValueError, match="missing columns"):
        P.plot_yearly_by_supplier(pd.DataFrame({"year": [2020]}))
    with pytest.raises(TypeError):
        P.plot_yearly_by_supplier([1, 2, 3])


def test_yearly_draws_no_events_unless_given(yearly):
    ax = P.plot_yearly_by_supplier(yearly)
    assert not [a for a in [*ax.lines, *ax.patches, *ax.texts] if "event" in (a.get_gid() or "")]


def test_yearly_events_as_rows_with_a_date(yearly):
    # rows as a data table gives them: a single-day event has a date and no end
    events = [{"label": "ceasefire", "date": "2016-04-05"}]
    ax = P.plot_yearly_by_supplier(yearly, events=events)
    assert [t.get_text() for t in ax.texts if t.get_gid() == "event-label"] == ["ceasefire"]
    assert not [p for p in ax.patches if p.get_gid() == "event"]


def test_yearly_colours_override_supplier_colours(yearly):
    ax = P.plot_yearly_by_supplier(yearly, colours={"Israel": "#000000"})
    assert bars(ax)["Israel|2015"].get_facecolor()[:3] == (0.0, 0.0, 0.0)
    assert bars(ax)["Russia|2015"].get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(P.colour_for("Russia"))
    )
