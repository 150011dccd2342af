"""Tests of arms.report.collect: the notebook helpers, inside and outside a build."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from arms import plotting, report
from arms.report import collect


@pytest.fixture
def no_build(monkeypatch):
    for name in (collect.ENV_FIGURES, collect.ENV_TABLES, collect.ENV_KEYS, collect.ENV_SOURCES):
        monkeypatch.delenv(name, raising=False)


def test_notebook_helpers_are_no_ops_outside_a_build(no_build):
    assert report.collect_table(pd.DataFrame({"a": [1]}), "t") is None
    assert report.key_figure("k", 1) is None
    assert report.collect_source(pd.DataFrame()) is None
    assert report.collect_figure(None, "f") is None
    with pytest.raises(TypeError, match="DataFrame"):
        report.collect_table([1, 2], "t")


def test_helpers_record_inside_a_build(no_build, monkeypatch, tmp_path):
    keys, sources = tmp_path / "keys.jsonl", tmp_path / "sources.jsonl"
    monkeypatch.setenv(collect.ENV_FIGURES, str(tmp_path / "figures"))
    monkeypatch.setenv(collect.ENV_KEYS, str(keys))
    monkeypatch.setenv(collect.ENV_SOURCES, str(sources))
    fig, ax = plt.subplots()
    report.collect_figure(ax, "Supplier shares, 2016-20")  # axes lead to their figure
    plt.close(fig)
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "supplier-shares-2016-20.png",
        "supplier-shares-2016-20.svg",
    ]
    report.key_figure("Share", pd.Series([69.25]).iloc[0], note="`%` of TIV")
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["source"] = {
        "path": "/home/someone/data/register.csv",
        "sha256": "ab" * 32,
        "generated": "2024-01-01T13:00:00",
        "variant": "V1",
        "encoding": "utf-8",
    }
    report.collect_source(frame)
    report.collect_source(frame.head(1))  # derived frames keep attrs; one row per file
    figures, captions = collect.read_records(keys)
    assert figures == [{"label": "Share", "value": 69.25, "note": "% of TIV"}]
    assert captions == {"supplier-shares-2016-20": "Supplier shares, 2016-20"}
    assert collect.read_sources(sources) == [
        {
            "path": "register.csv",  # never a machine path
            "sha256": "ab" * 32,
            "variant": "V1",
            "generated": "2024-01-01T13:00:00",
        }
    ]


def test_save_style_matches_house_style():
    for key, value in collect.SAVE_STYLE.items():
        assert plotting.HOUSE_STYLE[key] == value, key


def test_collect_is_cheap_to_import():
    code = (
        "import sys, arms.report\n"
        "heavy = {'matplotlib', 'nbconvert', 'nbclient', 'jinja2', 'bleach', 'openpyxl'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_alt_text_names_a_colour_bar_as_the_scale_not_a_second_axis():
    fig, ax = plt.subplots()
    image = ax.imshow([[1.0, 2.0], [3.0, 4.0]])
    ax.set_ylabel("Weapon family")
    fig.colorbar(image, ax=ax).set_label("TIV (millions)")
    alt = collect.describe_figure(fig)
    plt.close(fig)
    assert alt.count("Vertical axis") == 1
    assert "Colour scale: TIV (millions)." in alt
