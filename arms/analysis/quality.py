"""Data quality: does a recipient's yearly TIV agree between registers, deliveries, tables.

:func:`reconcile` compares sources of different kinds on purpose: each source names its kind
by its canonical columns (:func:`arms.analysis.select.check_kind`); a register is compared
through its even split (:func:`arms.analysis.select.as_deliveries`), per window only.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from arms import text
from arms.analysis.deals import deal_keys
from arms.analysis.select import (
    allocation_method,
    as_deliveries,
    check_kind,
    display_name,
    name_keys,
    party_rows,
    select_deliveries,
    source_of,
)

log = logging.getLogger(__name__)

__all__ = ["CENT", "generated_of", "reconcile"]

#: Half the last printed digit of a register's or deliveries file's TIV (SIPRI prints cents).
CENT = 0.005
_EPS = 1e-6


@dataclasses.dataclass
class _Yearly:
    """One source's yearly figures for one recipient.

    Each year is an interval [lo, hi] of what SIPRI's exact value can be, around ``value``.
    """

    name: str
    kind: str  # "sipri", "even" or "table"
    generated: str | None
    years: range
    value: dict[int, float]
    lo: dict[int, float]
    hi: dict[int, float]
    note: dict[int, str]
    deliveries: pd.DataFrame | None = None  # for even splits: recipient's rows, all years
    label: str | None = None  # the recipient as the source names it


def generated_of(frame: pd.DataFrame) -> str | None:
    """Return the release date of the SIPRI file a frame was read from (``None`` if unknown).

    Examples
    --------
    >>> generated_of(pd.DataFrame()) is None
    True
    """
    return text.generated_date(source_of(frame).get("generated"))


def _yearly(name: str, frame: pd.DataFrame, recipient: str) -> _Yearly:
    kind = check_kind(frame, "deliveries", "deals", "tiv", func="reconcile")
    generated = generated_of(frame)
    if kind == "tiv":
        whole = name_keys(frame["counterpart"].astype("string").fillna("all")) == "all"
        mine = party_rows(frame, "entity", recipient) & whole.astype(bool)
        rows = frame.loc[mine]
        covered = frame.loc[frame["tiv"].notna() | frame["under_half"].fillna(False), "year"]
        years = range(int(covered.min()), int(covered.max()) + 1)
        value, lo, hi, note = {}, {}, {}, {}
        for y in years:
            cell = rows.loc[rows["year"] == y]
            under = bool(cell["under_half"].fillna(False).any())
            tiv = cell["tiv"].dropna()
            if under:
                value[y], lo[y], hi[y], note[y] = 0.0, 0.0, 0.5, "table: under 0.5"
            elif len(tiv):
                v = float(tiv.sum())
                value[y], lo[y], hi[y] = v, max(v - 0.5, 0.0), v + 0.5
            else:  # an empty cell: no deliveries identified
                value[y], lo[y], hi[y] = 0.0, 0.0, 0.0
        return _Yearly(name, "table", generated, years, value, lo, hi, note)
    # a register is compared through its even split, which reconcile() checks per window only
    full = as_deliveries(frame)
    method = allocation_method(full)
    d = select_deliveries(full, func="reconcile", recipient=recipient)
    covered = full["year"].dropna()
    years = range(int(covered.min()), int(covered.max()) + 1)
    per = d.groupby(d["year"].astype(int))["tiv"].agg(["sum", "size"])
    value = {y: float(per["sum"].get(y, 0.0)) for y in years}
    if method == "even":
        label = display_name(full, "recipient", recipient)
        return _Yearly(name, "even", generated, years, value, {}, {}, {}, d, label)
    if method != "sipri":
        log.warning("%s: allocation %r is treated as SIPRI's per-year figures", name, method)
    # each row's TIV is printed to the cent
    cents = {y: CENT * int(per["size"].get(y, 0)) for y in years}
    lo = {y: max(value[y] - cents[y], 0.0) for y in years}
    hi = {y: value[y] + cents[y] for y in years}
    label = display_name(full, "recipient", recipient)
    return _Yearly(name, "sipri", generated, years, value, lo, hi, {}, None, label)


def _window_interval(src: _Yearly, start: int, end: int) -> tuple[float, float, float, str]:
    """(value, lo, hi, note) of a source's total over ``start``..``end``."""
    years = range(start, end + 1)
    value = sum(src.value.get(y, 0.0) for y in years)
    if src.kind != "even":
        lo = sum(src.lo.get(y, 0.0) for y in years)
        hi = sum(src.hi.get(y, 0.0) for y in years)
        return value, lo, hi, ""
    # An even split is exact per deal; only deals with years on both sides of the window
    # edge can have put more (or less) of their TIV inside the window than SIPRI did.
    d = src.deliveries
    inside = d["year"].between(start, end).fillna(False).astype(bool)
    key = deal_keys(d)
    tiv = d["tiv"].astype("Float64").fillna(0.0)
    per = pd.DataFrame(
        {"key": key, "inside": tiv.where(inside, 0.0), "out": tiv.where(~inside, 0.0)}
    )
    per = per.groupby("key")[["inside", "out"]].sum()
    straddling = per.loc[(per["inside"] > 0) & (per["out"] > 0)]
    # each deal's delivered TIV is printed to the cent
    cents = CENT * int((per["inside"] > 0).sum())
    lo = value - float(straddling["inside"].sum()) - cents
    hi = value + float(straddling["out"].sum()) + cents
    note = f"even split; {len(straddling)} deal(s) straddle the window" if len(straddling) else ""
    return value, lo, hi, note


def _named_sources(sources) -> list[tuple[str, pd.DataFrame]]:
    """(name, frame) pairs; unnamed frames are named after their kind (register2...)."""
    if isinstance(sources, Mapping):
        return list(sources.items())
    named: list[tuple[str, pd.DataFrame]] = []
    for frame in sources:
        kind = check_kind(frame, "deliveries", "deals", "tiv", func="reconcile")
        base = {"deals": "register", "deliveries": "deliveries", "tiv": "table"}[kind]
        name, n = base, 2
        while name in dict(named):
            name, n = f"{base}{n}", n + 1
        named.append((name, frame))
    return named


def _gap(a_lo: float, a_hi: float, b_lo: float, b_hi: float) -> float:
    """How far apart two intervals are (0 when they overlap)."""
    return max(0.0, a_lo - b_hi, b_lo - a_hi)


def _summary(out, srcs, shown, first, last, tolerance, warnings) -> dict:
    """Return the verdict of :func:`reconcile`: checks, failures, releases, warnings, message."""
    releases = {s.name: s.generated for s in srcs}
    dates = set(releases.values())
    if None in dates:
        unknown = sorted(n for n, g in releases.items() if g is None)
        warnings.append(f"release date unknown for {', '.join(unknown)}")
    if len(dates - {None}) > 1:
        listing = ", ".join(f"{n} {g}" for n, g in releases.items() if g)
        warnings.append(
            f"different SIPRI releases ({listing}): differences can be SIPRI's revisions"
        )
    checked = out.loc[out["checked"]]
    failures = int((~checked["passed"]).sum())
    passed = failures == 0
    message = (
        f"{'PASS' if passed else 'FAIL'}: {shown} {first}-{last}, {len(srcs)} sources, "
        f"{len(checked)} checks, {failures} failed"
    )
    if warnings:
        message += "; WARNING: " + "; ".join(warnings)
    return {
        "recipient": shown,
        "start": first,
        "end": last,
        "passed": passed,
        "checks": len(checked),
        "failures": failures,
        "releases": releases,
        "same_release": len(dates) == 1 and None not in dates,
        "tolerance": tolerance,
        "warnings": warnings,
        "message": message,
    }


def reconcile(
    sources: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame],
    *,
    recipient: str,
    start: int | None = None,
    end: int | None = None,
    tolerance: float = 0.0,
) -> pd.DataFrame:
    """Return how a recipient's yearly TIV agrees between registers, deliveries and tables.

    Each source is turned into an interval of the values SIPRI's exact figure can have:

    * per-year deliveries (``allocation="sipri"``): the figure itself, give or take half a
      cent per row (SIPRI prints each row's TIV to two decimals);
    * a TIV table: a printed whole number ``v`` is ``[v - 0.5, v + 0.5]``; ``0`` marked
      under 0.5 is ``[0, 0.5]``; an empty cell is exactly 0 (none identified);
    * an evenly split register: per year, nothing can be said (an even split is not SIPRI's
      yearly profile), so year rows are reported but not checked; over the window the total
      is exact (to half a cent per deal) except for the deals that straddle the window's
      edges, whose part inside the window can be anything between none and all of it.

    Two sources agree on a cell when their intervals overlap, widened by ``tolerance`` (0 by
    default: on the real files, the Jan 2025 deliveries and the Oct 2024 importer table agree
    on every Azerbaijan and Armenia year to within the table's rounding, and a single
    misread delivery of 1 TIV shows up). Every pair of sources is compared for every year in
    the years all of them cover, and over that window as a whole.

    Different SIPRI releases are never hidden: each row says whether its two sources were
    generated on the same day (``same_release``), and the summary warns when they were not,
    because a disagreement between releases can be SIPRI's revision rather than an error.

    Parameters
    ----------
    sources : mapping of name to frame, or sequence of frames
        Deals, deliveries or TIV tables (an importer table: the recipient's row with
        counterpart ``all``). Unnamed frames are named after their kind.
    recipient : str
        The importing party.
    start, end : int, optional
        The years to compare; by default (and at most) the years every source covers.
    tolerance : float, default 0.0
        Extra TIV (millions) allowed per comparison, for example to accept known revisions.

    Returns
    -------
    pandas.DataFrame
        One row per pair of sources and year, plus one per pair for the whole window
        (``level`` ``"year"`` or ``"window"``, ``year`` ``<NA>`` on window rows):
        ``recipient``, ``level``, ``year``, ``start``, ``end``, ``left``, ``right``,
        ``left_tiv``, ``right_tiv``, ``difference`` (left minus right), ``gap`` (how far the
        intervals are apart, 0 when they overlap), ``checked``, ``passed`` (``<NA>`` when not
        checked), ``same_release`` (``<NA>`` when a date is unknown), ``left_generated``,
        ``right_generated`` and ``note``. ``attrs["summary"]`` is a dict with ``passed``,
        ``checks``, ``failures``, ``releases`` (name to generated date), ``same_release``,
        ``warnings`` and a one-line ``message``.

    Raises
    ------
    ValueError
        With fewer than two sources, or when they share no year.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({
    ...     "recipient": "Armenia", "supplier": "Russia", "year": [2019, 2021],
    ...     "tiv": [248.3, 32.0], "allocation": "sipri"}), "deliveries")
    >>> t = conform(pd.DataFrame({
    ...     "table": "imports", "entity": "Armenia", "counterpart": "all",
    ...     "year": [2019, 2021], "tiv": [248.0, 32.0], "under_half": False}), "tiv")
    >>> r = reconcile({"deliveries": d, "table": t}, recipient="Armenia")
    >>> r[["level", "year", "left_tiv", "right_tiv", "passed"]]
        level  year  left_tiv  right_tiv  passed
    0    year  2019     248.3      248.0    True
    1    year  2020       0.0        0.0    True
    2    year  2021      32.0       32.0    True
    3  window  <NA>     280.3      280.0    True
    >>> r.attrs["summary"]["passed"]
    True
    """
    named = _named_sources(sources)
    if len(named) < 2:
        raise ValueError("reconcile needs at least two sources")
    srcs = [_yearly(name, frame, recipient) for name, frame in named]
    first = max(s.years.start for s in srcs)
    last = min(s.years.stop - 1 for s in srcs)
    warnings = []
    if start is not None and start < first or end is not None and end > last:
        warnings.append(f"years outside {first}-{last} are not covered by every source")
    first = first if start is None else max(start, first)
    last = last if end is None else min(end, last)
    if first > last:
        raise ValueError("the sources share no year to compare")
    shown = next((s.label for s in srcs if s.label), recipient)
    rows = []
    for a, b in itertools.combinations(srcs, 2):
        same = pd.NA if not (a.generated and b.generated) else a.generated == b.generated
        checked_years = a.kind != "even" and b.kind != "even"
        base = {
            "recipient": shown,
            "start": first,
            "end": last,
            "left": a.name,
            "right": b.name,
            "same_release": same,
            "left_generated": a.generated,
            "right_generated": b.generated,
        }
        for y in range(first, last + 1):
            av, bv = a.value.get(y, 0.0), b.value.get(y, 0.0)
            notes = [n for n in (a.note.get(y), b.note.get(y)) if n]
            if checked_years:
                gap = _gap(a.lo[y], a.hi[y], b.lo[y], b.hi[y])
                passed = gap <= tolerance + _EPS
            else:
                gap, passed = pd.NA, pd.NA
                notes.append("even split: per-year figures are not SIPRI's; not checked")
            rows.append(
                {
                    **base,
                    "level": "year",
                    "year": y,
                    "left_tiv": av,
                    "right_tiv": bv,
                    "gap": gap,
                    "checked": checked_years,
                    "passed": passed,
                    "note": "; ".join(notes),
                }
            )
        av, alo, ahi, anote = _window_interval(a, first, last)
        bv, blo, bhi, bnote = _window_interval(b, first, last)
        gap = _gap(alo, ahi, blo, bhi)
        rows.append(
            {
                **base,
                "level": "window",
                "year": pd.NA,
                "left_tiv": av,
                "right_tiv": bv,
                "gap": gap,
                "checked": True,
                "passed": gap <= tolerance + _EPS,
                "note": "; ".join(n for n in (anote, bnote) if n),
            }
        )
    out = pd.DataFrame(rows)
    out = out.assign(difference=out["left_tiv"] - out["right_tiv"])
    out = out[
        [
            "recipient",
            "level",
            "year",
            "start",
            "end",
            "left",
            "right",
            "left_tiv",
            "right_tiv",
            "difference",
            "gap",
            "checked",
            "passed",
            "same_release",
            "left_generated",
            "right_generated",
            "note",
        ]
    ].astype(
        {
            "recipient": "string",
            "level": "string",
            "year": "Int64",
            "start": "Int64",
            "end": "Int64",
            "left": "string",
            "right": "string",
            "left_tiv": "Float64",
            "right_tiv": "Float64",
            "difference": "Float64",
            "gap": "Float64",
            "checked": "boolean",
            "passed": "boolean",
            "same_release": "boolean",
            "left_generated": "string",
            "right_generated": "string",
            "note": "string",
        }
    )
    out.attrs = {"summary": _summary(out, srcs, shown, first, last, tolerance, warnings)}
    summary = out.attrs["summary"]
    passed, message = summary["passed"], summary["message"]
    (log.info if passed else log.warning)("reconcile: %s", message)
    return out
