"""Charts of a full register (../shared/sipri; skipped without it): legends and colours.

Over 1950-2023 a recipient has dozens of suppliers: the legend must still show the leading
supplier of every period (not lump it into "Other"), and every supplier in one chart must
have a colour of its own that does not look like another's.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb

import arms
from arms import analysis, plotting

FULL_REGISTER = "tradereg-newportal-MJHofmann-1.csv"


@pytest.fixture(scope="module")
def deliveries(shared_sipri):
    path = shared_sipri / FULL_REGISTER
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return arms.load(path, kind="deliveries")


def _legend(ax) -> dict[str, tuple]:
    return {
        t.get_text(): tuple(to_rgb(h.get_facecolor()))
        for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)
        if not t.get_text().startswith("Rests on")
    }


@pytest.mark.parametrize(
    "who",
    [
        ("recipient", "India"),
        ("recipient", "Egypt"),
        ("recipient", "Iraq"),
        ("supplier", "Russia"),
    ],
)
def test_every_period_leader_in_the_legend_with_a_colour_of_its_own(deliveries, who):
    role, name = who
    by = "supplier" if role == "recipient" else "recipient"
    periods = analysis.period_table(deliveries, **{role: name}, by=by)
    assert periods["period"].nunique() >= 5  # a full-history chart
    ax = plotting.plot_period_shares(periods, by=by, top=6)
    shown = _legend(ax)
    leaders = (
        periods.loc[periods["tiv"] > 0]
        .sort_values(["period", "tiv"], ascending=[True, False])
        .drop_duplicates("period")[by]
    )
    assert set(leaders) <= set(shown), set(leaders) - set(shown)
    assert name in ax.get_title() and "20" in ax.get_title()
    colours = list(shown.values())
    assert len(set(colours)) == len(colours), shown
    # a name without a fixed colour never gets one that looks like another in the chart
    # (the fixed ones are at least 0.2 apart: United States and United Kingdom are closest)
    fixed = {n for n in shown if n in plotting.SUPPLIER_COLOURS}
    for (a, ca), (b, cb) in itertools.combinations(shown.items(), 2):
        apart = float(np.linalg.norm(np.subtract(ca, cb)))
        assert apart >= (0.2 if {a, b} <= fixed else 0.25), (a, b, apart)
