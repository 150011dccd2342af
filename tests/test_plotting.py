"""Tests for arms.plotting: assert on what was drawn (Agg backend)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import PathPatch, Rectangle  # noqa: E402

from arms import plotting as P  # noqa: E402

NOTE = "Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024"
EVENTS = [
    SimpleNamespace(
        label="April 2016 clashes", start=dt.date(2016, 4, 1), end=dt.date(2016, 4, 5)
    ),
    SimpleNamespace(label="2020 war", start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10)),
]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def with_source(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["source"] = {"generated": "13 Apr 2024 3:54:15 PM", "path": "x.csv"}
    return frame


@pytest.fixture
def yearly() -> pd.DataFrame:
    rows = [
        (2015, "Israel", 300.0, 0.0),
        (2015, "Russia", 400.0, 100.0),
        (2016, "Israel", 250.0, 250.0),
        (2016, "Russia", 100.0, 0.0),
        (2016, "Turkiye", 5.0, 0.0),
        (2020, "Turkiye", 28.8, 0.0),
        (2020, "Israel", 200.0, 50.0),
    ]
    frame = pd.DataFrame(rows, columns=["year", "supplier", "tiv", "tiv_estimated"]).astype(
        {"year": "Int64", "supplier": "string", "tiv": "Float64", "tiv_estimated": "Float64"}
    )
    frame["recipient"] = pd.array(["Azerbaijan"] * len(frame), dtype="string")
    return with_source(frame)


def bars(ax, prefix: str = "") -> dict[str, Rectangle]:
    return {
        p.get_gid(): p
        for p in ax.patches
        if isinstance(p, Rectangle)
        and "|" in (p.get_gid() or "")
        and p.get_gid().startswith(prefix)
        and not p.get_gid().startswith("node|")
    }


def note_of(ax) -> str:
    texts = [t.get_text() for t in ax.figure.texts if t.get_gid() == "arms-source-note"]
    assert len(texts) == 1
    return texts[0]


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --- house style, colours, notes, saving -----------------------------------------------------


def test_supplier_colours_fixed_distinct_and_fallback_deterministic():
    majors = [
        "Israel",
        "Russia",
        "Turkiye",
        "Ukraine",
        "Belarus",
        "United States",
        "China",
        "France",
        "India",
        "Soviet Union",
        "South Africa",
        "Other",
    ]
    colours = [P.colour_for(s) for s in majors]
    assert len(set(colours)) == len(colours)
    assert P.colour_for("Turkey") == P.colour_for("Turkiye")
    assert P.colour_for("Jordan") == P.colour_for("Jordan")
    assert P.colour_for("Jordan").startswith("#")
    with pytest.raises(TypeError):
        P.SUPPLIER_COLOURS["Israel"] = "red"  # read-only: one mapping for every chart


def test_house_style_is_scoped():
    before = plt.rcParams["axes.spines.top"]
    with P.house_style():
        assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.spines.top"] == before


@pytest.fixture
def interactive_mode():
    """Restore matplotlib's interactive mode after the test."""
    before = matplotlib.is_interactive()
    yield
    matplotlib.interactive(before)


@pytest.mark.usefixtures("interactive_mode")
def test_house_style_keeps_interactive_mode(yearly):
    # on before -> still on after a plot helper call
    matplotlib.interactive(True)
    P.plot_yearly_by_supplier(yearly)
    assert matplotlib.is_interactive()
    # off before, switched on inside the block (as loading the inline backend does when a
    # kernel's first figure is drawn there) -> still on after; the style itself is undone
    matplotlib.interactive(False)
    with P.house_style():
        matplotlib.interactive(True)
    assert matplotlib.is_interactive()
    assert plt.rcParams["axes.spines.top"] is True
    with P.house_style():
        matplotlib.interactive(False)
    assert not matplotlib.is_interactive()


def test_inline_backend_stays_interactive_after_first_chart():
    """The notebook case: the first chart loads the inline backend inside house_style."""
    pytest.importorskip("IPython")
    pytest.importorskip("matplotlib_inline")
    script = textwrap.dedent(
        """
        from IPython.core.interactiveshell import InteractiveShell
        InteractiveShell.instance()
        import matplotlib as mpl
        import pandas as pd
        from arms import plotting
        before = mpl.is_interactive()
        yearly = pd.DataFrame({"year": [2015], "supplier": ["Israel"], "tiv": [1.0]})
        plotting.plot_yearly_by_supplier(yearly, generated="13 Apr 2024")
        print(before, mpl.is_interactive(), mpl.get_backend())
        """
    )
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    before, after, backend = result.stdout.split()
    assert backend == "module://matplotlib_inline.backend_inline"
    assert (before, after) == ("False", "True")  # the backend switched it on; it stays on


@pytest.mark.parametrize(
    ("generated", "expected"),
    [
        ("13 Apr 2024", NOTE),
        ("13 Apr 2024 3:54:15 PM", NOTE),
        (dt.date(2024, 4, 13), NOTE),
        (dt.datetime(2024, 4, 13, 15, 54, 15), NOTE),
        ("2024-04-13T15:54:15", NOTE),  # ISO, as the readers store it
        ("2024-04-13", NOTE),
        ("2025-01-03T21:16:02", NOTE.replace("13 Apr 2024", "3 Jan 2025")),
        ("2023-12-11", NOTE.replace("13 Apr 2024", "11 Dec 2023")),
        ("2023-12-11; 2025-01-03", NOTE.replace("13 Apr 2024", "11 Dec 2023; 3 Jan 2025")),
        ("Dec 2023 release", NOTE.replace("13 Apr 2024", "Dec 2023 release")),  # kept as given
        (None, "Source: SIPRI Arms Transfers Database"),
    ],
)
def test_source_note_text(generated, expected):
    assert P.source_note(generated) == expected


def test_source_note_from_iso_attrs(yearly):
    yearly.attrs["source"] = {"generated": "2025-01-03T21:16:02"}
    ax = P.plot_yearly_by_supplier(yearly)
    assert note_of(ax) == "Source: SIPRI Arms Transfers Database, data generated 3 Jan 2025"


def test_add_source_note_replaces_not_stacks():
    fig, ax = plt.subplots()
    P.add_source_note(ax, "1 Jan 2020")
    P.add_source_note(fig, "13 Apr 2024")
    assert note_of(ax) == NOTE


def test_save_figure_png_and_svg(tmp_path, yearly):
    ax = P.plot_yearly_by_supplier(yearly)
    paths = P.save_figure(ax, tmp_path / "figs" / "yearly.png")
    assert [p.name for p in paths] == ["yearly.png", "yearly.svg"]
    for path in paths:
        assert path.stat().st_size > 1000
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text()
    assert "SIPRI TIV (millions; volume, not US$)" in svg  # text kept as text
    assert NOTE in svg


def test_save_figure_rejects_bad_input(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="formats"):
        P.save_figure(fig, tmp_path / "x", formats=("gif",))
    with pytest.raises(TypeError):
        P.save_figure("not a figure", tmp_path / "x")


# --- yearly stacked bars ---------------------------------------------------------------------


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
    assert ax.get_title() == "Arms imports of Azerbaijan by supplier"
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


# --- period shares ---------------------------------------------------------------------------


@pytest.fixture
def periods() -> pd.DataFrame:
    rows = [
        ("2011-15", 2011, "Russia", 600.0, 0.0),
        ("2011-15", 2011, "Israel", 300.0, 0.0),
        ("2016-20", 2016, "Israel", 690.0, 90.0),
        ("2016-20", 2016, "Russia", 170.0, 0.0),
        ("2016-20", 2016, "Turkiye", 140.0, 0.0),
        ("2006-10", 2006, "Russia", 100.0, 0.0),
    ]
    frame = pd.DataFrame(rows, columns=["period", "start", "supplier", "tiv", "tiv_estimated"])
    frame["share"] = 100 * frame["tiv"] / frame.groupby("period")["tiv"].transform("sum")
    return with_source(frame)


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


# --- deal timeline ---------------------------------------------------------------------------


@pytest.fixture
def timeline() -> pd.DataFrame:
    rows = [
        ("Harop", "h", "Israel", 2011, True, 2014, 25, True, 50.0, "New"),
        ("Harop", "h", "Israel", 2011, True, 2016, 50, True, 100.0, "New"),
        ("Heron", "he", "Israel", 2010, False, 2011, 5, False, 60.0, "Second hand"),
        ("Su-30K", "su", "Russia", 2019, False, 2019, 4, False, 190.0, "New"),
    ]
    cols = [
        "deal",
        "deal_key",
        "supplier",
        "order_year",
        "order_year_estimated",
        "year",
        "units",
        "units_estimated",
        "tiv",
        "status",
    ]
    frame = pd.DataFrame(rows, columns=cols).astype(
        {
            "order_year": "Int64",
            "order_year_estimated": "boolean",
            "year": "Int64",
            "units": "Int64",
            "units_estimated": "boolean",
            "tiv": "Float64",
        }
    )
    return with_source(frame)


def test_timeline_rows_bars_markers(timeline):
    ax = P.plot_deal_timeline(timeline)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Heron (Israel)\nsecond hand",
        "Harop (Israel)",
        "Su-30K (Russia)",
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


def year_labels(ax) -> list[tuple[float, str, object]]:
    """The drawn year labels inside the x limits: (year, text, window extent)."""
    ax.figure.canvas.draw()
    lo, hi = sorted(ax.get_xlim())
    renderer = ax.figure.canvas.get_renderer()
    return [
        (tick.get_loc(), tick.label1.get_text(), tick.label1.get_window_extent(renderer))
        for tick in ax.xaxis.get_major_ticks()
        if lo <= tick.get_loc() <= hi and tick.label1.get_visible() and tick.label1.get_text()
    ]


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
    assert "Pending (Israel)" in [t.get_text() for t in ax.get_yticklabels()]
    assert not [g for g in bars(ax) if g.startswith("Pending")]


# --- matrix, comparison, both sides, flows ---------------------------------------------------


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
    ax = P.plot_recipient_comparison(comparison)
    drawn = bars(ax)
    assert set(drawn) == {
        "Azerbaijan|2011-15",
        "Armenia|2011-15",
        "Azerbaijan|2016-20",
        "Armenia|2016-20",
    }
    assert drawn["Azerbaijan|2011-15"].get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(P.RECIPIENT_COLOURS["Azerbaijan"])
    )
    assert [t.get_text() for t in ax.texts if t.get_gid() == "ratio"] == ["5.0×", "3.0×"]
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
    assert ax.get_title() == "Russia's arms deliveries to Azerbaijan and Armenia"
    drawn = bars(ax)
    # every year in the range gets a slot for each side (zero-height where nothing came)
    assert len([g for g in drawn if g.startswith("Armenia|") and "estimated" not in g]) == 7
    assert drawn["Armenia|2016|estimated"].get_hatch()
    assert drawn["Armenia|2019"].get_height() == pytest.approx(190.0)
    assert legend_labels(ax) == ["Azerbaijan", "Armenia", "Rests on SIPRI estimates"]
    assert ax.get_ylabel() == P.TIV_LABEL
    assert note_of(ax) == NOTE


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
