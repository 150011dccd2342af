"""Tests of arms.text: one way to write SIPRI's "data generated" stamp for people."""

from __future__ import annotations

import datetime as dt
import locale

import numpy as np
import pandas as pd
import pytest

from arms.text import generated_date


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2025-01-03T21:16:02", "3 Jan 2025"),  # how the readers store it
        ("2023-12-11", "11 Dec 2023"),
        ("2024-10-13 14:20:11", "13 Oct 2024"),
        ("13 Apr 2024 3:54:15 PM", "13 Apr 2024"),  # SIPRI's own text
        ("Data generated: 13 Apr 2024 3:54:15 PM", "13 Apr 2024"),
        ("data generated:3 Jan 2025 9:16:02 PM", "3 Jan 2025"),
        ("11 December 2023", "11 Dec 2023"),
        ("1 Sept 2022", "1 Sep 2022"),
        ("17-09-2022", "17 Sep 2022"),  # the legacy day-first form
        ("  13 Apr 2024  ", "13 Apr 2024"),
        (dt.date(2024, 4, 13), "13 Apr 2024"),
        (dt.datetime(2025, 1, 3, 21, 16, 2), "3 Jan 2025"),
        (pd.Timestamp("2025-01-03T21:16:02"), "3 Jan 2025"),
        (np.datetime64("2023-12-11"), "11 Dec 2023"),
    ],
)
def test_dates_for_people(value, text):
    assert generated_date(value) == text


@pytest.mark.parametrize("value", [None, pd.NA, pd.NaT, float("nan"), np.nan, "", "   "])
def test_missing_is_none(value):
    assert generated_date(value) is None


def test_text_that_is_not_a_date_is_kept():
    assert generated_date("spring release") == "spring release"
    assert generated_date("31 Feb 2024") == "31 Feb 2024"


def test_months_are_english_whatever_the_locale():
    try:
        old = locale.setlocale(locale.LC_TIME)
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pytest.skip("no German locale")
    try:
        assert generated_date("2024-03-01") == "1 Mar 2024"
        assert generated_date("1 Mar 2024") == "1 Mar 2024"
    finally:
        locale.setlocale(locale.LC_TIME, old)


def test_every_place_writes_the_same_date():
    from arms import plotting, text

    frame = pd.DataFrame()
    frame.attrs["source"] = {"generated": "2025-01-03T21:16:02"}
    assert text.generated_date(frame) == "3 Jan 2025"
    assert text.citation(frame).endswith("data generated 3 Jan 2025.")
    assert plotting.source_note("2025-01-03T21:16:02").endswith("data generated 3 Jan 2025")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (190.0, "190 TIV"),
        (1826.7, "1,827 TIV"),
        (28.8, "28.8 TIV"),
        (0.0, "0 TIV"),
        (pd.NA, "no TIV figure"),
        (np.float64("nan"), "no TIV figure"),
    ],
)
def test_fmt_tiv(value, text):
    from arms.text import fmt_tiv

    assert fmt_tiv(value) == text


def test_fmt_share_and_citation():
    from arms.text import citation, fmt_share

    assert fmt_share(68.49) == "68%" and fmt_share(0.34) == "0.3%"
    frame = pd.DataFrame()
    frame.attrs["source"] = {"generated": "2025-01-03T21:16:02", "path": "C:\\data\\d.csv"}
    assert citation(frame) == (
        "Source: SIPRI Arms Transfers Database, data generated 3 Jan 2025 (file `d.csv`)."
    )


def test_caveats_cover_the_case_study_list():
    from arms.text import caveats

    text = caveats(["Extra caveat."])
    for needle in (
        "not a price",
        "fluctuate",
        "Major conventional weapons only",
        "truncate deals",
        "OPV-62",
        "Su-30K",
        "generated",
    ):
        assert needle in text
    assert text.splitlines()[-1] == "- Extra caveat."


def test_prose_helpers():
    from arms.text import join_list, ordinal, plural, times, year_runs

    assert join_list(["A", "B", "C"]) == "A, B and C" and join_list(iter(["A"])) == "A"
    assert year_runs([2019, 2015, 2016, 2017, pd.NA, np.nan]) == "2015-2017 and 2019"
    assert year_runs(pd.array([2020, 2021], dtype="Int64")) == "2020-2021"
    assert plural(1, "deal") == "1 deal" and plural(np.int64(0), "deal") == "0 deals"
    assert [ordinal(n) for n in (1, 2, 3, 11, 21, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "21st",
        "112th",
    ]
    assert times(104.4) == "104 times" and times(2.06) == "2.1 times"
