"""Tests of arms.plotting colours, house style, source note and saving."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from plot_checks import NOTE, note_of  # noqa: E402

from arms import plotting as P  # noqa: E402


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
    root = Path(__file__).resolve().parents[2]
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


def test_palette_distinct_within_a_chart_and_order_independent():
    names = ["Armenia", "Georgia", "Israel", "Other"]
    assert P.colour_for("Armenia") == P.colour_for("Georgia")  # one hashed colour...
    pal = P.palette(names)
    assert len(set(pal.values())) == len(names)  # ...two colours in one chart
    assert P.palette(names[::-1]) == pal
    assert pal["Israel"] == P.SUPPLIER_COLOURS["Israel"]
    assert pal["Other"] == P.SUPPLIER_COLOURS["Other"]
    assert set(pal.values()) - set(P.SUPPLIER_COLOURS.values()) <= set(P.FALLBACK_COLOURS)
    assert P.palette(["Armenia"], {"Armenia": "#BB5566"}) == {"Armenia": "#BB5566"}


def test_no_case_study_colours_built_in():
    assert not hasattr(P, "RECIPIENT_COLOURS")
    assert P.colour_for("Azerbaijan") in P.FALLBACK_COLOURS
