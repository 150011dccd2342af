"""What the plotting tests look for in a drawn chart (imported by the tests of this folder)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
from matplotlib.patches import Rectangle

NOTE = "Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024"
EVENTS = [
    SimpleNamespace(
        label="April 2016 clashes", start=dt.date(2016, 4, 1), end=dt.date(2016, 4, 5)
    ),
    SimpleNamespace(label="2020 war", start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10)),
]


def with_source(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["source"] = {"generated": "13 Apr 2024 3:54:15 PM", "path": "x.csv"}
    return frame


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
