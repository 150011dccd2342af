"""Tests for ``arms diff``: two releases compared deal by deal, undelivered orders included."""

from __future__ import annotations

import json

import pytest

import arms
from arms.cli import main
from arms.paths import SHARED_SIPRI_DIR, SIPRI_DIR

REGISTER = SIPRI_DIR / "tradereg-azerbaijan-armenia-2024-10-13.csv"
DELIVERIES = SIPRI_DIR / "deliveries-azerbaijan-armenia-2025-01-03.csv"
needs_bundle = pytest.mark.skipif(not REGISTER.exists(), reason="no bundled extract")


def run(capsys, *argv, as_json=True):
    code = main(["diff", *map(str, argv), *(["--json"] if as_json else [])])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out) if as_json else out


def edited(src, dest, edits: dict[str, str | None], extra: list[str] = ()):
    """Copy ``src`` with lines starting with a key replaced (None drops them), plus lines."""
    lines = src.read_text(encoding="cp1252").splitlines(keepends=True)
    out, hits = [], set()
    for line in lines:
        key = next((k for k in edits if line.startswith(k)), None)
        if key is None:
            out.append(line)
            continue
        hits.add(key)
        if edits[key] is not None:
            out.append(edits[key] + "\n")
    assert hits == set(edits), f"edits that matched no line: {set(edits) - hits}"
    out.extend(x + "\n" for x in extra)
    dest.write_text("".join(out), encoding="cp1252")
    return dest


@pytest.fixture()
def register_pair(tmp_path):
    base = "Azerbaijan,Israel,"
    new = edited(
        REGISTER,
        tmp_path / "new.csv",
        {
            # removed
            base + "2011,?,5,?,Heron,": None,
            # order year moved 2013 -> 2012
            base + "2013,?,6,,Shaldag,": base + "2012,?,6,,Shaldag,FAC,6,?,2014; 2015,New,"
            "Assembled or produced in Azerbaijan,7,42,42",
            # respelled designation
            base + "2016,?,250,?,SkyStriker,": base + "2016,?,250,?,Sky Striker-X,loitering "
            "munition,250,?,2018; 2019; 2020,New,,0.15,37.5,37.5",
            # more delivered
            base + "2011,?,40,?,Barak-LRAD,": base + "2011,?,45,?,Barak-LRAD,SAM,45,?,2016,New,"
            "For Barak-MX SAM system,0.9,40.5,40.5",
        },
        # added: an order nothing of which is delivered yet
        [base + "2024,,2,,Hermes-900,UAV,,,,New,,5,10,"],
    )
    return REGISTER, new


@needs_bundle
def test_registers_known_changes(register_pair, capsys):
    old, new = register_pair
    out = run(capsys, old, new, "--recipient", "Azerbaijan")
    assert set(out) >= {"old", "new", "counts", "deals"}
    assert set(out["old"]) == {"path", "generated"} and out["old"]["generated"] == "13 Oct 2024"
    n_az = int((arms.load(old)["recipient"] == "Azerbaijan").sum())
    assert out["counts"] == {"added": 1, "removed": 1, "changed": 3, "unchanged": n_az - 4}
    by = {(d["status"], d["designation"]): d for d in out["deals"]}
    for d in out["deals"]:
        assert {"status", "recipient", "supplier", "designation", "order_year", "changes"} <= set(
            d
        )
    added = by[("added", "Hermes-900")]
    assert (added["order_year"], added["changes"], added["tiv_new"]) == (2024, {}, None)
    assert by[("removed", "Heron")]["order_year"] == 2011
    shaldag = by[("changed", "Shaldag")]
    assert shaldag["changes"] == {"order_year": [2013, 2012]}
    assert shaldag["matched_by"] == "tolerant"
    sky = by[("changed", "Sky Striker-X")]
    assert sky["changes"] == {"designation": ["SkyStriker", "Sky Striker-X"]}
    assert sky["matched_by"] == "tolerant"
    barak = by[("changed", "Barak-LRAD")]
    assert barak["matched_by"] == "fields"
    assert barak["changes"] == {
        "number_ordered": [40, 45],
        "number_delivered": [40, 45],
        "tiv_delivered": [36.0, 40.5],
    }
    # statuses come grouped: added, removed, changed
    order = [d["status"] for d in out["deals"]]
    assert order == sorted(order, key=["added", "removed", "changed"].index)
    assert out["tiv_moved"]["removed"] == pytest.approx(-15.0)


@needs_bundle
def test_same_file_is_all_unchanged_and_text_leads_with_tiv(register_pair, capsys):
    old, new = register_pair
    out = run(capsys, old, old, "--supplier", "Israel")
    assert out["counts"]["added"] == out["counts"]["removed"] == out["counts"]["changed"] == 0
    assert out["counts"]["unchanged"] > 0 and out["deals"] == []
    text = run(capsys, old, new, "--recipient", "Azerbaijan", as_json=False)
    assert text.startswith("TIV moved")
    assert "not money" in text.splitlines()[0]
    heads = [h for h in ("Added", "Removed", "Changed") if f"\n{h}" in text]
    assert heads == ["Added", "Removed", "Changed"]
    assert text.index("\nAdded") < text.index("\nRemoved") < text.index("\nChanged")
    assert "Hermes-900" in text and "order_year 2013 -> 2012" in text


@needs_bundle
def test_deliveries_files_by_id(tmp_path, capsys):
    lines = DELIVERIES.read_text(encoding="ascii").splitlines()
    header = next(i for i, x in enumerate(lines) if x.startswith("SIPRI AT Database ID"))
    rows = lines[header + 1 :]
    ids = sorted({r.split(",")[0] for r in rows if r})
    gone, moved = ids[0], ids[1]
    new_rows = []
    for r in rows:
        f = r.split(",")
        if f[0] == gone:
            continue
        if f[0] == moved:
            f[10] = str(int(f[10]) + 1)  # a delivery year moves on
        new_rows.append(",".join(f))
    new = tmp_path / "new.csv"
    new.write_text("\n".join(lines[: header + 1] + new_rows) + "\n", encoding="ascii")
    out = run(capsys, DELIVERIES, new)
    assert (out["counts"]["added"], out["counts"]["removed"], out["counts"]["changed"]) == (
        0,
        1,
        1,
    )
    changed = next(d for d in out["deals"] if d["status"] == "changed")
    assert changed["matched_by"] == "id" and list(changed["changes"]) == ["delivery_years"]
    assert out["counts"]["unchanged"] == len(ids) - 2


def test_a_table_is_refused(tmp_path, capsys):
    t = tmp_path / "t.csv"
    t.write_text("Recipient,2020,2020-2020\nArmenia,4,4\n")
    assert main(["diff", str(t), str(t)]) == 1
    assert "TIV table" in capsys.readouterr().err


OCT_2024 = SHARED_SIPRI_DIR / "tradereg-newportal-MJHofmann-1.csv"
JUL_2026 = SHARED_SIPRI_DIR / "tradereg-newportal2026-DCL2049-1.csv"
NO_PREAMBLE = SHARED_SIPRI_DIR / "tradereg-newportal-nopreamble-greggmaloy-1.csv"


@pytest.mark.skipif(not (OCT_2024.exists() and NO_PREAMBLE.exists()), reason="no shared files")
def test_real_same_release_differs_only_by_the_year_filter(capsys):
    # the same Oct 2024 release; the copy was exported with deliveries from 1991 only
    out = run(capsys, OCT_2024, NO_PREAMBLE, "--recipient", "Azerbaijan")
    assert out["counts"]["added"] == out["counts"]["removed"] == 0
    assert out["counts"]["unchanged"] == int(
        (arms.load(OCT_2024)["recipient"] == "Azerbaijan").sum()
    )


@pytest.mark.skipif(not (OCT_2024.exists() and JUL_2026.exists()), reason="no shared files")
def test_real_releases_two_years_apart(capsys):
    out = run(
        capsys, OCT_2024, JUL_2026, "--supplier", "China", "--recipient", "Azerbaijan",
        "--from", 2000,
    )  # fmt: skip
    assert (out["old"]["generated"], out["new"]["generated"]) == ("13 Oct 2024", "14 Jul 2026")
    new = arms.load(JUL_2026)
    n_new = int((new["recipient"] == "Azerbaijan").sum())
    c = out["counts"]
    assert c["added"] + c["changed"] + c["unchanged"] == n_new
    added = [d for d in out["deals"] if d["status"] == "added"]
    assert added and all(d["order_year"] >= 2023 for d in added)  # ordered after Oct 2024's data
