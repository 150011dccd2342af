"""How far a register's deals split over their delivery years are from SIPRI's per-year figures.

A trade register gives each deal's delivered TIV in total; :func:`arms.split_deals` spreads it
over the deal's listed delivery years. SIPRI's deliveries export of the same release gives the
per-year figures. This measures the error of each rule in :data:`arms.io.convert.SPLIT_RULES`
on the deals present in both files (issue 16):

- ``units``: TIV in proportion to whole units per year, leftover units in the earliest years;
- ``even``: TIV split evenly over the listed years.

Files: the October 2024 register and the January 2025 deliveries export from ``../shared/sipri``
(``ARMS_SHARED_SIPRI`` overrides). A deal is "in both" when supplier, recipient, order year,
designation (folded), delivery years and delivered units agree, the key is unique on both
sides, every year is within the deliveries file's 2000-2023, and the two TIV totals agree
within rounding. Errors are the sum of absolute differences over the sum of SIPRI's TIV, at
three levels: deal-year, recipient-year, and recipient five-year period; and the largest
error in a five-year supplier share (percentage points).

Usage: ``python benchmarks/bench_split.py [--recipient Azerbaijan] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import pandas as pd

import arms
from arms.analysis.search import fold_text
from arms.io.convert import SPLIT_RULES
from arms.paths import SHARED_SIPRI_DIR

REGISTER = "tradereg-newportal-MJHofmann-1.csv"
DELIVERIES = "deliveries-newportal-lucacasu-1.csv"


def _key(f: pd.DataFrame) -> pd.Series:
    return (
        f["supplier"].astype(str)
        + "|"
        + f["recipient"].astype(str)
        + "|"
        + f["order_year"].astype("string").fillna("?")
        + "|"
        + fold_text(f["designation"].astype("string")).astype(str)
        + "|"
        + f["delivery_years"].astype("string").fillna("")
        + "|"
        + f["number_delivered"].astype("string").fillna("?")
    )


def matched_deals(register: pd.DataFrame, deliveries: pd.DataFrame):
    """Return (register deals, SIPRI deliveries rows) of the deals present in both."""
    sipri = arms.group_deliveries(deliveries)
    lo, hi = int(deliveries["year"].min()), int(deliveries["year"].max())
    reg = register.loc[
        (register["first_delivery_year"] >= lo) & (register["last_delivery_year"] <= hi)
    ]
    reg = reg.assign(_k=_key(reg).to_numpy())
    sipri = sipri.assign(_k=_key(sipri).to_numpy())
    reg = reg.loc[~reg["_k"].duplicated(keep=False)]
    sipri = sipri.loc[~sipri["_k"].duplicated(keep=False)]
    both = reg[["_k", "tiv_delivered"]].merge(
        sipri[["_k", "deal_id", "tiv_delivered"]], on="_k", suffixes=("_reg", "_sipri")
    )
    years = both["_k"].str.count(";") + 1
    close = (both["tiv_delivered_reg"] - both["tiv_delivered_sipri"]).abs() <= 0.005 * years + 1e-6
    both = both.loc[close.fillna(False)]
    deals = reg.loc[reg["_k"].isin(both["_k"])].drop(columns="_k").reset_index(drop=True)
    rows = deliveries.loc[deliveries["deal_id"].isin(both["deal_id"])]
    return deals, rows


def _err(split: pd.Series, truth: pd.Series) -> float:
    split, truth = split.align(truth, fill_value=0.0)
    total = float(truth.abs().sum())
    return float((split - truth).abs().sum()) / total if total else float("nan")


def measure(register: pd.DataFrame, deliveries: pd.DataFrame, recipient: str | None = None):
    """Return {rule: error figures} for the deals in both files (and the counts)."""
    deals, rows = matched_deals(register, deliveries)
    if recipient:
        deals = deals.loc[deals["recipient"] == recipient]
        rows = rows.loc[rows["recipient"] == recipient]
    multi = int((deals["delivery_years"].str.count(";") > 0).sum())
    truth = rows.assign(tiv=rows["tiv"].astype(float))
    out: dict = {"deals": len(deals), "multi_year_deals": multi, "rules": {}}
    for rule in SPLIT_RULES:
        split = arms.split_deals(deals, rule=rule)
        split = split.assign(tiv=split["tiv"].astype(float))
        figures = {}
        for name, keys in (
            ("deal_year", ["supplier", "recipient", "order_year", "designation", "year"]),
            ("recipient_year", ["recipient", "year"]),
        ):
            a = split.groupby(keys, dropna=False)["tiv"].sum()
            b = truth.groupby(keys, dropna=False)["tiv"].sum()
            figures[name] = _err(a, b)
        period = lambda f: (f["year"].astype(int) - 2000) // 5  # noqa: E731
        a = split.groupby(["recipient", period(split)])["tiv"].sum()
        b = truth.groupby(["recipient", period(truth)])["tiv"].sum()
        figures["recipient_period"] = _err(a, b)
        sa = split.groupby(["recipient", period(split), "supplier"])["tiv"].sum()
        sb = truth.groupby(["recipient", period(truth), "supplier"])["tiv"].sum()
        sa, sb = sa.align(sb, fill_value=0.0)
        ta = sa.groupby(level=[0, 1]).transform("sum")
        tb = sb.groupby(level=[0, 1]).transform("sum")
        pp = (sa / ta.where(ta > 0) * 100 - sb / tb.where(tb > 0) * 100).abs()
        figures["share_pp_max"] = float(np.nanmax(pp.to_numpy())) if len(pp) else 0.0
        out["rules"][rule] = figures
    out["best"] = min(SPLIT_RULES, key=lambda r: out["rules"][r]["deal_year"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipient", action="append", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    reg_path, del_path = SHARED_SIPRI_DIR / REGISTER, SHARED_SIPRI_DIR / DELIVERIES
    if not (reg_path.exists() and del_path.exists()):
        print(f"needs {REGISTER} and {DELIVERIES} in {SHARED_SIPRI_DIR}", file=sys.stderr)
        return 1
    register = arms.load(reg_path, kind="deals")
    deliveries = arms.load(del_path, kind="deliveries")
    results = {"all": measure(register, deliveries)}
    for r in args.recipient or ["Azerbaijan", "Armenia"]:
        results[r] = measure(register, deliveries, r)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for scope, res in results.items():
        n, multi = res['deals'], res['multi_year_deals']
        print(f"{scope}: {n} deals in both files ({multi} multi-year)")
        for rule, f in res["rules"].items():
            print(
                f"  {rule:6s} deal-year {f['deal_year']:.1%}  recipient-year "
                f"{f['recipient_year']:.1%}  five-year {f['recipient_period']:.1%}  "
                f"share max {f['share_pp_max']:.1f} pp"
            )
        print(f"  smaller error: {res['best']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
