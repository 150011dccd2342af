"""analysis.revisions and plotting.plot_revisions: each year's TIV across releases."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import arms  # noqa: E402
from arms import analysis, plotting  # noqa: E402
from arms.paths import SHARED_SIPRI_DIR  # noqa: E402
from arms.schema import conform  # noqa: E402


def release(date, years, tiv):
    f = conform(
        pd.DataFrame({"recipient": "Armenia", "supplier": "Russia", "year": years, "tiv": tiv,
                      "allocation": "sipri"}),
        "deliveries",
    )  # fmt: skip
    f.attrs["source"] = {"generated": date}
    return f


def test_three_releases_in_date_order():
    r = analysis.revisions(
        {
            "2026": release("2026-05-01", [2019, 2020, 2021, 2022, 2023, 2024, 2025],
                            [5.0, 4.0, 3.0, 3.0, 3.0, 9.0, 1.0]),
            "2024": release("2024-03-11", [2019, 2020, 2021, 2022, 2023],
                            [5.0, 4.0, 3.0, 2.0, 0.5]),
            "2025": release("2025-03-10", [2019, 2020, 2021, 2022, 2023, 2024],
                            [5.0, 4.0, 3.0, 3.0, 2.0, 6.0]),
        },
        recipient="Armenia",
    )  # fmt: skip
    assert r.attrs["releases"] == ["2024", "2025", "2026"]
    prov = r.loc[r["provisional"].astype(bool)]
    assert prov[["release", "year"]].values.tolist() == [
        ["2024", 2023],
        ["2025", 2024],
        ["2026", 2025],
    ]
    y2023 = r.loc[r["year"] == 2023, ["release", "tiv", "change"]]
    assert y2023["tiv"].tolist() == [0.5, 2.0, 3.0]
    assert y2023["change"].tolist()[1:] == [1.5, 1.0]
    assert r.attrs["largest"]["year"] == 2024 and r.attrs["largest"]["change"] == 3.0
    ax = plotting.plot_revisions(r)
    gids = [ln.get_gid() for ln in ax.get_lines()]
    assert gids == ["2024", "2024|provisional", "2025", "2025|provisional", "2026",
                    "2026|provisional"]  # fmt: skip
    hollow = ax.get_lines()[1]
    assert hollow.get_markerfacecolor() == "white" and list(hollow.get_xdata()) == [2023]
    assert "not US$" in ax.get_ylabel()
    matplotlib.pyplot.close(ax.figure)


def test_needs_two_of_one_kind():
    with pytest.raises(ValueError, match="two or more"):
        analysis.revisions([release("2024-03-11", [2020], [1.0])])
    table = conform(pd.DataFrame({"entity": "Armenia", "year": [2020], "tiv": [1.0]}), "tiv")
    with pytest.raises(ValueError, match="one kind"):
        analysis.revisions([release("2024-03-11", [2020], [1.0]), table])
    register = conform(pd.DataFrame({"recipient": ["Armenia"], "delivery_years": ["2020"],
                                     "tiv_delivered": [1.0]}), "deals")  # fmt: skip
    with pytest.raises(ValueError, match="one kind"):
        analysis.revisions([release("2024-03-11", [2020], [1.0]), register])


REGISTERS = [
    SHARED_SIPRI_DIR / "tradereg-newportal-MJHofmann-1.csv",
    SHARED_SIPRI_DIR / "tradereg-newportal2026-DCL2049-1.csv",
]


@pytest.mark.skipif(not all(p.exists() for p in REGISTERS), reason="no shared files")
def test_real_registers_two_years_apart():
    frames = {p.name: arms.load(p) for p in REGISTERS}
    r = analysis.revisions(frames, recipient="Pakistan", supplier="China")
    last = r.loc[r["provisional"].astype(bool), "year"].tolist()
    assert last == [2023, 2025]
    moved = r.loc[r["release"] == REGISTERS[1].name].set_index("year")
    old = r.loc[r["release"] == REGISTERS[0].name].set_index("year")
    assert moved.loc[2015, "previous"] == old.loc[2015, "tiv"]
    assert moved.loc[2024, "previous"] is pd.NA  # the older release did not cover 2024
