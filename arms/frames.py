"""The frames between layers: the one way in (:func:`load`) and the conversions between kinds.

:func:`load` reads any SIPRI file and returns a final, canonical frame: the reader's frame
(format quirks already repaired, provenance in ``attrs["source"]``), converted to the kind
asked for, with party names harmonized (:func:`arms.entities.harmonize`) and armament
category and family filled (:func:`arms.categories.categorize`). What the knowledge tables
do not know is reported in ``attrs["coverage"]``, never raised.

Conversions are explicit calls: :func:`split_deals` (deals -> deliveries, split evenly) and
:func:`group_deliveries` (deliveries -> deals). Their code sits in :mod:`arms.io.convert`,
because each reader accepts every variant that can yield its frame; this is their public home.
"""

from __future__ import annotations

import os
import warnings

import pandas as pd

from arms.categories import categorize, tiv_coverage
from arms.entities import PARTY_COLUMNS, harmonize
from arms.io.convert import group_deliveries, split_deals
from arms.io.detect import KIND_OF_VARIANT
from arms.io.readers import read_any, read_deliveries, read_tiv_table, read_trade_register

__all__ = ["KINDS", "CoverageWarning", "group_deliveries", "load", "split_deals"]

#: The canonical frame kinds :func:`load` and :func:`convert` know.
KINDS = ("deals", "deliveries", "tiv")

_READERS = {
    "deals": read_trade_register,
    "deliveries": read_deliveries,
    "tiv": read_tiv_table,
}


class CoverageWarning(UserWarning):
    """Some names or weapon descriptions of a loaded file are not in the knowledge tables."""


def load(
    path: str | os.PathLike, kind: str | None = None, *, errors: str = "raise"
) -> pd.DataFrame:
    r"""Read a SIPRI file into its final, canonical frame: the one way in.

    Parameters
    ----------
    path : str or os.PathLike
        Any SIPRI export the readers accept (``.csv``, ``.txt``, ``.json``, ``.xlsx``).
    kind : {"deals", "deliveries", "tiv"}, optional
        The frame wanted; the file's own by default. A register read as ``deliveries`` is
        split evenly across its delivery years (``allocation="even"``); a deliveries file
        read as ``deals`` is grouped into deals.
    errors : {"raise", "warn"}, default "raise"
        Passed to the reader: fail on the first unreadable line, or leave it out and list
        it in ``attrs["rejected"]``. Unknown names and descriptions never raise.

    Returns
    -------
    pandas.DataFrame
        The canonical frame with ``<col>_name``, ``<col>_iso3`` and ``<col>_type`` beside
        each party column, ``category`` and ``family`` filled where the weapon is known
        (deals and deliveries), and in ``attrs``: ``source`` (provenance), ``rejected``,
        ``totals`` (tables) and ``coverage``: ``{"unknown_names": [...],
        "unknown_descriptions": [...], "rejected": count, "names_by_rule": [...],
        "category_tiv_share": share, "unplaced_tiv": TIV}``: names neither the crosswalk nor
        a naming rule resolves, descriptions no rule places, rejected lines, names typed by
        SIPRI's naming rules only (``RSF (Sudan)*``), the share (0 to 1) of the frame's TIV
        with a known category and the TIV (millions) of rows no rule places (both ``None``
        for tables). Unresolved names or unplaced descriptions also raise one
        :class:`CoverageWarning`; a chart or table by category should say how much TIV
        ``unplaced_tiv`` leaves out.

    Raises
    ------
    arms.SipriFormatError
        For a file that is not a SIPRI export, a table asked for as deals or deliveries (or
        the reverse), or (with ``errors="raise"``) an unreadable line.
    ValueError
        For an unknown ``kind`` or ``errors``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("Recipient,2020,2020-2020\nTurkey,4,4\n")
    >>> t = load(p)
    >>> t[["entity", "entity_name", "year", "tiv"]].values.tolist()
    [['Turkey', 'Turkiye', 2020, 4.0]]
    >>> t.attrs["coverage"]["unknown_names"], t.attrs["coverage"]["category_tiv_share"]
    ([], None)
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None, not {kind!r}")
    if kind is None:
        frame = read_any(path, errors=errors)
        kind = KIND_OF_VARIANT[frame.attrs["source"]["variant"]]
    else:
        frame = _READERS[kind](path, errors=errors)
    return _finish(frame, kind)


def _finish(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Harmonize names, categorize weapons and put the coverage in ``attrs``."""
    out = harmonize(frame, errors="ignore")
    unknown_names = _unknown_names(out)
    weapons = {"category_tiv_share": None, "unplaced_tiv": None, "unplaced_descriptions": []}
    if kind != "tiv":
        out = categorize(out, errors="ignore")
        weapons = tiv_coverage(out)
    unknown_descriptions = weapons["unplaced_descriptions"]
    by_rule = sorted(
        {n for c in out.attrs.get("entity_coverage", {}).values() for n in c["rule_names"]}
    )
    out.attrs["coverage"] = {
        "unknown_names": unknown_names,
        "unknown_descriptions": unknown_descriptions,
        "rejected": len(out.attrs.get("rejected", [])),
        "names_by_rule": by_rule,
        "category_tiv_share": weapons["category_tiv_share"],
        "unplaced_tiv": weapons["unplaced_tiv"],
    }
    if unknown_names or unknown_descriptions:
        where = out.attrs.get("source", {}).get("path", "the file")
        warnings.warn(
            f"{where}: {len(unknown_names)} party name(s) and {len(unknown_descriptions)} "
            "weapon description(s) are not in the knowledge tables "
            "(see attrs['coverage']): "
            + ", ".join(map(repr, unknown_names + unknown_descriptions))[:500],
            CoverageWarning,
            stacklevel=3,
        )
    return out


def _unknown_names(frame: pd.DataFrame) -> list[str]:
    """Names harmonize kept raw: a raw name with no entity type."""
    unknown: set[str] = set()
    skip = pd.Series(False, index=frame.index)
    if "table" in frame.columns:  # a by-category table holds categories, not parties
        skip = frame["table"].eq("by category").fillna(False)
    for col in PARTY_COLUMNS:
        if col in frame.columns and f"{col}_type" in frame.columns:
            raw = frame[col]
            missing = raw.notna() & frame[f"{col}_type"].isna() & ~skip
            if col == "counterpart":
                missing &= raw.ne("all").fillna(False)
            unknown.update(raw[missing].astype(str))
    return sorted(unknown)
