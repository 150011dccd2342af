"""Agreement of the category rules with SIPRI's own labels, per file (issue 13).

Every deliveries-type export (V2 deliveries CSV, V7 DealsAndTIVs, V9 backend JSON) carries
SIPRI's ``Armament category``. For each such file this blanks that column, places every row
from its description and designation alone (:func:`arms.categorize`) and prints the share
of rows that agree with SIPRI, then each disagreement (description, designation, SIPRI's
category, ours, rows). For every file (registers and tables too) it prints the descriptions
no rule places and the party names neither the crosswalk nor a naming rule resolves. The
target is at least 99.5% agreement per file, zero unplaced, zero unresolved.

Usage: ``python benchmarks/bench_categories.py [FOLDER ...] [--json]``; the default folder is
``../shared/sipri`` (``ARMS_SHARED_SIPRI`` overrides). Point it at a folder of newer SIPRI
exports to check them. Exit status 1 if a file misses a target.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import pandas as pd

import arms
from arms.categories import categorize, normalize_category

TARGET = 0.995


def measure(path: Path) -> dict:
    """Return the agreement and coverage figures of one SIPRI file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = arms.read_any(path, errors="warn")
        loaded = arms.load(path, errors="warn")
    coverage = loaded.attrs["coverage"]
    result = {
        "file": path.name,
        "format": frame.attrs["source"]["variant"],
        "rows": len(frame),
        "unplaced_descriptions": coverage["unknown_descriptions"],
        "unresolved_names": coverage["unknown_names"],
        "names_by_rule": coverage["names_by_rule"],
        "agreement": None,
        "disagreements": [],
    }
    if "category" in frame.columns and "description" in frame.columns:
        sipri = frame["category"].map(normalize_category, na_action="ignore").astype("string")
        if sipri.notna().any():
            ours = categorize(frame.assign(category=pd.NA), errors="ignore")["category"]
            given = sipri.notna()
            agree = ours[given].eq(sipri[given]).fillna(False)
            result["agreement"] = round(float(agree.mean()), 6)
            wrong = frame.loc[given][~agree.to_numpy()]
            table = (
                pd.DataFrame(
                    {
                        "description": wrong["description"],
                        "designation": wrong.get("designation"),
                        "sipri": sipri[wrong.index],
                        "ours": ours[wrong.index],
                    }
                )
                .value_counts(dropna=False)
                .rename("rows")
                .reset_index()
            )
            result["disagreements"] = (
                table.astype(object).where(table.notna(), None).to_dict("records")
            )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[arms.paths.SHARED_SIPRI_DIR])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    files = sorted(
        p
        for folder in args.folders
        for p in folder.iterdir()
        if p.suffix.lower() in (".csv", ".txt", ".json", ".xlsx")
    )
    results = [measure(p) for p in files]
    ok = all(
        (r["agreement"] is None or r["agreement"] >= TARGET)
        and not r["unplaced_descriptions"]
        and not r["unresolved_names"]
        for r in results
    )
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0 if ok else 1
    for r in results:
        share = "-" if r["agreement"] is None else f"{r['agreement']:.2%}"
        print(
            f"{r['file']} ({r['format']}, {r['rows']} rows): agreement with SIPRI {share}, "
            f"{len(r['unplaced_descriptions'])} unplaced descriptions, "
            f"{len(r['unresolved_names'])} unresolved names, "
            f"{len(r['names_by_rule'])} names typed by rule"
        )
        for d in r["disagreements"]:
            print(
                f"    {d['rows']:>5} x {d['description']!r} / {d['designation']!r}: "
                f"SIPRI {d['sipri']}, rules {d['ours']}"
            )
        for key in ("unplaced_descriptions", "unresolved_names", "names_by_rule"):
            if r[key]:
                print(f"    {key}: " + ", ".join(map(repr, r[key])))
    print(
        f"target: >= {TARGET:.1%} per file, zero unplaced, zero unresolved: "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
