"""Conversions between the deals and deliveries frames: the even split and the grouping.

They live with the readers because each reader accepts every variant that can yield its frame
(a register read as deliveries is split, a deliveries file read as deals is grouped);
:mod:`arms.frames` is their public home, beside :func:`arms.frames.load`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from arms import schema

__all__ = ["SPLIT_ERROR", "SPLIT_RULES", "group_deliveries", "listed_years", "split_deals"]


def listed_years(deals: pd.DataFrame) -> list[list[int]]:
    """Return each deal's delivery years from the canonical ``delivery_years`` column.

    The readers write every variant's years in one form (``"2014; 2015"``, ascending), so
    this is a split, not a parse of SIPRI's syntaxes (that is
    :func:`arms.io.readers.parse_delivery_years`).

    Examples
    --------
    >>> deals = schema.conform(pd.DataFrame({"delivery_years": ["2014; 2016", None]}), "deals")
    >>> listed_years(deals)
    [[2014, 2016], []]
    """
    out = []
    for v in deals["delivery_years"].astype(object).where(deals["delivery_years"].notna()):
        if not isinstance(v, str) or not v.strip():
            out.append([])
            continue
        try:
            out.append(sorted({int(y) for y in v.split(";")}))
        except ValueError:
            raise ValueError(
                f"delivery_years {v!r} is not in the readers' form ('2014; 2015'); "
                "convert it with arms.parse_delivery_years"
            ) from None
    return out


#: The ways :func:`split_deals` can spread a deal's TIV over its listed delivery years.
SPLIT_RULES = ("even", "units")

#: The default rule's measured error against SIPRI's per-year figures of the same release
#: (``benchmarks/bench_split.py``; sum of absolute differences over the TIV, all deals in
#: both files): per recipient-year and per recipient five-year total.
SPLIT_ERROR = {"rule": "even", "recipient_year": 0.136, "five_year": 0.036}


def split_deals(deals: pd.DataFrame, *, rule: str = "even") -> pd.DataFrame:
    """Return a deals frame split across each deal's listed delivery years.

    SIPRI registers give a deal's delivered units and TIV in total, not per year. Each deal
    is spread over its listed years: whole units per year (the remainder goes to the earliest
    years) and, by default (``rule="even"``), its TIV evenly over the years; ``rule="units"``
    spreads TIV in proportion to the units instead (evenly when units are unknown). TIV is
    allocated in whole cents so that each deal's years add up exactly to its totals. Rows
    are marked ``allocation="even"``. A deal with no delivery year listed has no rows; each
    such deal is listed in ``attrs["not_split"]`` (its register line and why): an order not
    delivered yet, or one whose delivered units or TIV have no year (those are missing from
    every yearly figure, and a warning says how much TIV that is).

    Error against SIPRI's own per-year figures of the same release (Oct 2024 register
    against the Jan 2025 deliveries export, the 6,390 deals in both, 2,727 of them over
    several years; ``benchmarks/bench_split.py``), as the sum of absolute differences over
    the TIV: ``even`` 28.3% per deal-year, 13.6% per recipient-year, 3.6% per recipient
    five-year total; ``units`` 28.6%, 14.1% and 3.8%. For Azerbaijan (79 deals) ``even`` is
    off by 20.1% per year and 5.3% per five years, and a five-year supplier share by up to
    12.2 pp. ``even`` has the smaller error, hence the default: yearly figures from a
    split register are approximate; prefer a deliveries export where one covers the
    question. :data:`SPLIT_ERROR` holds these figures.

    Parameters
    ----------
    deals : pandas.DataFrame
        A canonical deals frame.
    rule : {"even", "units"}, default "even"
        How a deal's TIV is spread over its years (see above).

    Returns
    -------
    pandas.DataFrame
        A canonical deliveries frame.

    Examples
    --------
    >>> deals = schema.conform(pd.DataFrame({
    ...     "recipient": ["Azerbaijan"], "supplier": ["Israel"], "number_delivered": [5],
    ...     "delivery_years": ["2014; 2015"], "tiv_delivered": [35.0]}), "deals")
    >>> split_deals(deals)[["year", "units", "tiv", "allocation"]].values.tolist()
    [[2014, 3, 17.5, 'even'], [2015, 2, 17.5, 'even']]
    >>> split_deals(deals, rule="units")["tiv"].tolist()
    [21.0, 14.0]
    """
    schema.validate(deals, "deals")
    years = listed_years(deals)
    counts = np.fromiter((len(ys) for ys in years), dtype=np.int64, count=len(years))
    idx = np.repeat(np.arange(len(deals)), counts)
    pos = np.concatenate([np.arange(k) for k in counts]) if len(counts) else np.array([], int)
    k = counts[idx]
    out = deals.iloc[idx].reset_index(drop=True)
    year_values = [y for ys in years for y in ys]

    units_total = out["number_delivered"]
    n = units_total.fillna(0).to_numpy(dtype=np.int64)
    units = n // k + (pos < n % k) if len(k) else np.array([], dtype=np.int64)
    # cents keep the split exact: integer cents sum exactly to the deal's total
    tiv_total = out["tiv_delivered"]
    cents = np.rint(tiv_total.fillna(0).to_numpy(dtype=float) * 100).astype(np.int64)
    if rule not in SPLIT_RULES:
        raise ValueError(f"rule must be one of {SPLIT_RULES}, not {rule!r}")
    by_units = (n > 0) if rule == "units" else np.zeros(len(n), dtype=bool)
    weights = np.where(by_units, units, 1).astype(np.int64)
    wsum = np.where(by_units, n, k)
    share = cents * weights // np.maximum(wsum, 1)
    # hand the leftover cents to the first years of each deal, one each
    group_alloc = np.bincount(idx, weights=share, minlength=len(deals)).astype(np.int64)
    leftover = (
        np.rint(deals["tiv_delivered"].fillna(0).to_numpy(dtype=float) * 100).astype(np.int64)
        - group_alloc
    )[idx]
    share = share + (pos < leftover)
    result = pd.DataFrame(
        {
            "deal_id": out["deal_id"],
            "recipient": out["recipient"],
            "supplier": out["supplier"],
            "order_year": out["order_year"],
            "order_year_estimated": out["order_year_estimated"],
            "designation": out["designation"],
            "description": out["description"],
            "category": out["category"],
            "status": out["status"],
            "local_production": out["local_production"],
            "comments": out["comments"],
            "tiv_per_unit": out["tiv_per_unit"],
            "year": pd.array(year_values, dtype="Int64"),
            # the register's flag for its years (V8's covers them; V1 has none)
            "year_estimated": out["delivery_years_estimated"],
            "units": pd.array(units, dtype="Int64").astype("Int64"),
            "units_estimated": out["number_delivered_estimated"],
            "tiv": pd.array(share / 100.0, dtype="Float64"),
            "allocation": "even",
            "source_line": out["source_line"],
        }
    )
    result["units"] = result["units"].mask(units_total.isna().to_numpy())
    result["tiv"] = result["tiv"].mask(tiv_total.isna().to_numpy())
    result = schema.conform(result, "deliveries")
    result.attrs = dict(deals.attrs)
    result.attrs["not_split"] = _not_split(deals, counts == 0)
    return result


def _not_split(deals: pd.DataFrame, no_years: np.ndarray) -> list[dict]:
    """List the deals that have no rows in the split (no delivery year); warn of lost TIV."""
    rows = deals.loc[no_years, ["source_line", "number_delivered", "tiv_delivered"]]
    units = rows["number_delivered"].fillna(0).to_numpy(dtype=float)
    tiv = rows["tiv_delivered"].fillna(0).to_numpy(dtype=float)
    lines = rows["source_line"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    items = []
    for line, u, t in zip(lines.tolist(), units.tolist(), tiv.tolist(), strict=True):
        delivered = u > 0 or t > 0
        items.append(
            {
                "line": None if line != line else int(line),
                "reason": (
                    f"{u:g} units and {t:g} TIV delivered, but no delivery year listed"
                    if delivered
                    else "not delivered (no delivery year listed)"
                ),
                "units": u,
                "tiv": t,
            }
        )
    lost = [i for i in items if i["units"] > 0 or i["tiv"] > 0]
    if lost:
        warnings.warn(
            f"{len(lost)} deal(s) with deliveries but no delivery year are not in the "
            f"deliveries frame ({sum(i['tiv'] for i in lost):,.2f} TIV, millions, a volume "
            "index); see attrs['not_split']",
            stacklevel=3,
        )
    return items


def group_deliveries(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Return a deliveries frame grouped into deals (by SIPRI deal id, else register line).

    Units and TIV are summed per deal; a deal is estimated where any of its years is;
    ``delivery_years`` lists its years as a register does (``"2014; 2015"``). The deliveries
    files carry no order size, so ``number_ordered`` and ``tiv_order`` are ``<NA>``.

    Parameters
    ----------
    deliveries : pandas.DataFrame
        A canonical deliveries frame with ``deal_id`` set.

    Returns
    -------
    pandas.DataFrame
        A canonical deals frame, one row per deal in order of first appearance.

    Examples
    --------
    >>> d = schema.conform(pd.DataFrame({
    ...     "deal_id": [1, 1], "recipient": ["Armenia"] * 2, "supplier": ["Russia"] * 2,
    ...     "year": [2020, 2019], "units": [1, 3], "tiv": [1.5, 4.5]}), "deliveries")
    >>> group_deliveries(d)[["delivery_years", "number_delivered", "tiv_delivered"]]
      delivery_years  number_delivered  tiv_delivered
    0     2019; 2020                 4            6.0
    """
    schema.validate(deliveries, "deliveries")
    # a deal is its SIPRI id; rows split from a register (no id) keep their register line
    key = (
        deliveries["deal_id"]
        .astype("Float64")
        .fillna(-deliveries["source_line"].astype("Float64"))
    )
    d = deliveries.assign(_deal=key).sort_values(["_deal", "year"], kind="stable")
    g = d.groupby("_deal", sort=False, dropna=False)
    first_cols = [
        "deal_id", "recipient", "supplier", "order_year", "designation", "description",
        "category", "status", "local_production", "comments", "tiv_per_unit",
    ]  # fmt: skip
    out = g[first_cols].first()
    out["order_year_estimated"] = g["order_year_estimated"].max()
    out["number_delivered"] = g["units"].sum(min_count=1)
    out["number_delivered_estimated"] = g["units_estimated"].max()
    out["delivery_years_estimated"] = g["year_estimated"].max()
    out["tiv_delivered"] = g["tiv"].sum(min_count=1).round(6)
    out["first_delivery_year"] = g["year"].min()
    out["last_delivery_year"] = g["year"].max()
    # the years as a register lists them: distinct, ascending (rows are sorted already)
    years = d.loc[d["year"].notna(), ["_deal", "year"]].drop_duplicates()
    listed = years["year"].astype(str).groupby(years["_deal"], sort=False).agg("; ".join)
    out["delivery_years"] = listed.reindex(out.index)
    out["source_line"] = g["source_line"].min()
    out = out.sort_values("source_line", kind="stable").reset_index(drop=True)
    result = schema.conform(out, "deals")
    result.attrs = dict(deliveries.attrs)
    return result
