"""How much of a figure rests on SIPRI's estimates, from every ``?`` a row carries.

SIPRI marks uncertain order years, numbers (ordered, delivered) and delivery years with ``?``.
A row *rests on an estimate* when any of its flags is set. Some exports omit flags that other
exports of the same kind carry (the March 2025 register set the number-delivered flag on
2,595 rows, the October 2025 one on 16,515 of the same data); the reviewed table
``arms/data/estimate_flags.csv`` holds the lowest rate at which each variant's full exports
set each flag, and a file far below it (under a third) is said to lack that flag: its
estimated share is then a lower bound, and :class:`EstimateFlagWarning` says so.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import resources

import pandas as pd

from arms.analysis.select import Names, check_kind, party_rows, source_of

__all__ = ["EstimateFlagWarning", "ROW_FLAGS", "estimated_share", "missing_flags"]

#: The flags a row can carry, by frame kind (order year, numbers, delivery years).
ROW_FLAGS: dict[str, tuple[str, ...]] = {
    "deals": (
        "order_year_estimated",
        "number_ordered_estimated",
        "number_delivered_estimated",
        "delivery_years_estimated",
    ),
    "deliveries": ("order_year_estimated", "units_estimated", "year_estimated"),
}

# a deals flag and its twin in a deliveries frame (a split register keeps its flags there)
_TWIN = {
    "number_delivered_estimated": "units_estimated",
    "delivery_years_estimated": "year_estimated",
}

#: A file sets a flag "far below" the usual rate when under this fraction of it.
TOO_FEW = 1 / 3
#: Smaller selections are not checked (their rates vary too much).
MIN_ROWS = 50


class EstimateFlagWarning(UserWarning):
    """A file sets some estimate flags far less often than other exports of its kind."""


@lru_cache(maxsize=1)
def _usual_rates() -> pd.DataFrame:
    with (resources.files("arms") / "data" / "estimate_flags.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"variant": str, "flag": str, "lowest_rate": float})


def _flags(frame: pd.DataFrame, kind: str) -> list[str]:
    """Return the flags the file carries (a column all ``<NA>`` is one its layout lacks)."""
    return [f for f in ROW_FLAGS[kind] if f in frame.columns and frame[f].notna().any()]


def missing_flags(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Return the flags a frame sets far less often than its variant usually does.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deals or deliveries as loaded (``attrs["source"]["variant"]`` names the layout).

    Returns
    -------
    dict
        ``{flag: (rate in this frame, lowest usual rate)}``; empty when nothing is missing,
        the variant is not in the table, or the frame has under :data:`MIN_ROWS` rows.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"units_estimated": [False] * 60, "year": 2020,
    ...     "order_year_estimated": True, "year_estimated": True}), "deliveries")
    >>> d.attrs["source"] = {"variant": "V2"}
    >>> missing_flags(d)
    {'units_estimated': (0.0, 0.586)}
    """
    kind = check_kind(frame, "deals", "deliveries", func="missing_flags")
    variant = source_of(frame).get("variant")
    if not variant or len(frame) < MIN_ROWS:
        return {}
    usual = _usual_rates()
    out = {}
    for flag, lowest in zip(
        usual.loc[usual["variant"] == variant, "flag"],
        usual.loc[usual["variant"] == variant, "lowest_rate"],
        strict=True,
    ):
        col = flag if kind == "deals" else _TWIN.get(flag, flag)
        if col not in frame.columns:
            continue
        rate = float(frame[col].astype("boolean").fillna(False).mean())
        if rate < lowest * TOO_FEW:
            out[col] = (round(rate, 3), float(lowest))
    return out


def estimated_share(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    start: int | None = None,
    end: int | None = None,
    warn: bool = True,
) -> dict:
    """Return the part of the delivered TIV resting on SIPRI estimates, from every flag.

    A row (a deal of a register, a deal-year of a deliveries file) counts as estimated when
    any ``?`` it carries is set: order year, number ordered, number delivered, delivery
    years (:data:`ROW_FLAGS`). When the file lacks flags other exports of its kind carry
    (:func:`missing_flags`), the share is a lower bound and a warning says so.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deals or deliveries.
    recipient, supplier : str or list of str, optional
        Keep only these parties.
    start, end : int, optional
        Deliveries: count only these years; deals: only deals with a delivery year in them.
    warn : bool, default True
        Issue :class:`EstimateFlagWarning` when flags are missing.

    Returns
    -------
    dict
        ``tiv`` (delivered, millions of TIV; for deals, the whole deals' delivered TIV),
        ``tiv_estimated``, ``share`` (percent, None for no TIV), ``rows``,
        ``rows_estimated``, ``by_flag`` (percent of the TIV each flag marks), ``flags`` (the
        flags the file carries), ``missing_flags`` and ``lower_bound``.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Armenia", "year": [2019, 2020],
    ...     "tiv": [30.0, 10.0], "order_year_estimated": [True, False],
    ...     "units_estimated": [False, False]}), "deliveries")
    >>> s = estimated_share(d)
    >>> s["share"], s["by_flag"]["order_year_estimated"], s["lower_bound"]
    (75.0, 75.0, False)
    """
    kind = check_kind(frame, "deals", "deliveries", func="estimated_share")
    mask = party_rows(frame, "recipient", recipient) & party_rows(frame, "supplier", supplier)
    lo = start if start is not None else -(10**4)
    hi = end if end is not None else 10**4
    if kind == "deliveries":
        year = frame["year"].astype("Int64")
        mask &= ((year >= lo) & (year <= hi)).fillna(False).astype(bool)
        tiv_col = "tiv"
    else:
        first = frame["first_delivery_year"].astype("Int64")
        last = frame["last_delivery_year"].astype("Int64")
        mask &= ((first <= hi) & (last >= lo)).fillna(False).astype(bool)
        tiv_col = "tiv_delivered"
    d = frame.loc[mask]
    tiv = d[tiv_col].astype("Float64").fillna(0.0).astype(float)
    flags = _flags(frame, kind)
    set_ = {f: d[f].astype("boolean").fillna(False).astype(bool) for f in flags}
    any_set = pd.Series(False, index=d.index)
    for s in set_.values():
        any_set |= s
    total = float(tiv.sum())
    estimated = float(tiv[any_set].sum())
    missing = missing_flags(frame)
    if missing and warn:
        named = ", ".join(
            f"{f} on {r:.0%} of rows (other exports: at least {u:.0%})"
            for f, (r, u) in missing.items()
        )
        where = source_of(frame).get("path") or "this file"
        warnings.warn(
            f"{where} sets {named}: it lacks flags other SIPRI exports of its kind carry, "
            "so the share resting on estimates is a lower bound",
            EstimateFlagWarning,
            stacklevel=2,
        )
    return {
        "tiv": total,
        "tiv_estimated": estimated,
        "share": estimated / total * 100 if total > 0 else None,
        "rows": int(len(d)),
        "rows_estimated": int(any_set.sum()),
        "by_flag": {
            f: (float(tiv[s].sum()) / total * 100 if total > 0 else None) for f, s in set_.items()
        },
        "flags": flags,
        "missing_flags": sorted(missing),
        "lower_bound": bool(missing),
    }
