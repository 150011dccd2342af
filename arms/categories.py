"""Weapon descriptions mapped to SIPRI's armament category and a finer analyst family.

SIPRI's ``Weapon description`` vocabulary drifted: 2024 exports abbreviate (``FGA aircraft``,
``SAM system``, ``APC``, ``armed UAV``), exports from about mid-2025 spell out
(``fighter/ground-attack aircraft``, ``surface-to-air missile``, ``armoured personnel
carrier``, ``armed drone``), and the legacy site used capitalised and shorter forms
(``Ground attack ac``, ``light transport ac``, ``combat ac radar``, ``Towed gun``). Only the
deliveries exports (V2), the legacy DealsAndTIVs text (V7) and the backend JSON (V9) carry
SIPRI's ``Armament category``; trade registers do not. The map in
``arms/data/categories.csv`` (reviewed like code) gives every description in every
vocabulary a category and a family.

Columns of the map:

``description``
    Matched case-insensitively, with outer and repeated whitespace ignored.
``designation``
    Empty for the rule that covers a description. A few deals SIPRI files under another
    category than the rest of their description (the US lease of ``Iron Dome`` to Israel is
    ``Other``, not ``Air defence systems``; Pakistan's ``C-602`` coastal defence system is
    ``Artillery`` where other coastal defence systems are ``Sensors``). Those deals get a row
    with their designation, which wins over the description's rule. Designations are matched
    like descriptions, after dropping the V2 suffixes `` -`` and `` --``.
``category``
    One of :data:`CATEGORIES`.
``family``
    A finer, analyst-defined grouping (``combat aircraft``, ``armed drone``,
    ``loitering munition``, ``SAM``, ``air defence system``, ``tank``, ``IFV``, ``APC``,
    ``MRL``, ``warship``, ``radar``, ``engine`` ...). ``SAM`` is the missile, ``air defence
    system`` the launcher/system; SIPRI's ``SSM`` is counted as ``ballistic missile`` because
    the SSMs SIPRI lists are overwhelmingly short-range ballistic missiles.
``category_source``
    ``sipri`` where a shared SIPRI file gives this category for the description, ``analogy``
    where the category is that of the equivalent abbreviated or spelled-out description, and
    ``inferred`` for an analyst's judgement.
"""

from __future__ import annotations

import functools
import re
import warnings
from importlib import resources

import pandas as pd

from arms.errors import UnknownCategoryError

__all__ = [
    "CATEGORIES",
    "CategoryCoverageWarning",
    "categorize",
    "category_of",
    "category_table",
    "normalize_category",
]

#: SIPRI's armament categories.
CATEGORIES = (
    "Aircraft",
    "Air defence systems",
    "Anti-submarine warfare",
    "Armoured vehicles",
    "Artillery",
    "Engines",
    "Missiles",
    "Naval weapons",
    "Satellites",
    "Sensors",
    "Ships",
    "Other",
)
_SOURCES = ("sipri", "analogy", "inferred")
_COLUMNS = ("description", "designation", "category", "family", "category_source", "note")
_CANONICAL_CATEGORY = {c.casefold(): c for c in CATEGORIES}
_DASH_SUFFIX = re.compile(r"(\s+-+)+$")


class CategoryCoverageWarning(UserWarning):
    """Some weapon descriptions are not in the map (issued by ``categorize(errors="warn")``)."""


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _designation_key(text: str) -> str:
    return _key(_DASH_SUFFIX.sub("", str(text).strip()))


def normalize_category(category):
    """Return SIPRI's category in the package's spelling, or ``<NA>`` for a missing one.

    The Feb 2026 export writes ``Air-defence systems``; every other file ``Air defence
    systems``. Case and outer whitespace are ignored.

    Parameters
    ----------
    category : str or NA
        A category as a file writes it.

    Returns
    -------
    str or NA
        One of :data:`CATEGORIES`; an unrecognised value is returned stripped but unchanged.

    Examples
    --------
    >>> normalize_category("Air-defence systems")
    'Air defence systems'
    >>> normalize_category(" ships ")
    'Ships'
    """
    if category is None or pd.isna(category):
        return pd.NA
    text = " ".join(str(category).replace("-", " ").split())
    return _CANONICAL_CATEGORY.get(text.casefold(), str(category).strip())


@functools.lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    """Read and check the packaged map once; every problem is reported together."""
    source = resources.files("arms") / "data" / "categories.csv"
    with source.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if tuple(raw.columns) != _COLUMNS:
        raise ValueError(f"categories.csv: columns {list(raw.columns)}, expected {list(_COLUMNS)}")
    table = raw.apply(lambda col: col.str.strip()).replace("", pd.NA).astype("string")
    problems = []
    for col in ("description", "category", "family", "category_source"):
        if table[col].isna().any():
            problems.append(f"empty {col} on lines {list(table.index[table[col].isna()] + 2)}")
    keys = (
        table["description"].map(_key, na_action="ignore")
        + "\x00"
        + table["designation"].fillna("").map(_designation_key)
    )
    if keys.duplicated().any():
        dup = sorted(set(keys[keys.duplicated()].str.replace("\x00", " | ")))
        problems.append(f"duplicate keys {dup}")
    bad = sorted(set(table["category"].dropna()) - set(CATEGORIES))
    if bad:
        problems.append(f"unknown category {bad}")
    bad = sorted(set(table["category_source"].dropna()) - set(_SOURCES))
    if bad:
        problems.append(f"unknown category_source {bad}")
    base = set(table.loc[table["designation"].isna(), "description"].map(_key))
    orphans = sorted(set(table.loc[table["designation"].notna(), "description"].map(_key)) - base)
    if orphans:
        problems.append(f"designation rows without a description rule {orphans}")
    if problems:
        raise ValueError("categories.csv: " + "; ".join(problems))
    return table


def category_table() -> pd.DataFrame:
    """Return the weapon-category map, one row per description (plus per-deal exceptions).

    Returns
    -------
    pandas.DataFrame
        Columns ``description``, ``designation``, ``category``, ``family``,
        ``category_source`` and ``note``, ``string`` dtype (a copy of the cached table).

    Examples
    --------
    >>> table = category_table()
    >>> row = table[table["description"] == "armed drone"].iloc[0]
    >>> row["category"], row["family"]
    ('Aircraft', 'armed drone')
    """
    return _load().copy()


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    table = _load()
    by_desc, by_pair = {}, {}
    for row in table.itertuples(index=False):
        value = (row.category, row.family)
        if row.designation is pd.NA:
            by_desc[_key(row.description)] = value
        else:
            by_pair[(_key(row.description), _designation_key(row.designation))] = value
    return by_desc, by_pair


def category_of(description: str, designation: str | None = None) -> tuple[str, str] | None:
    """Return ``(category, family)`` for a weapon description, or None if it is unknown.

    Parameters
    ----------
    description : str
        SIPRI's weapon description in any vocabulary.
    designation : str, optional
        The weapon designation; it matters only for the few deals SIPRI categorises apart.

    Returns
    -------
    tuple of str, or None

    Examples
    --------
    >>> category_of("Ground attack ac")
    ('Aircraft', 'combat aircraft')
    >>> category_of("surface-to-air missile")
    ('Missiles', 'SAM')
    >>> category_of("SAM system"), category_of("SAM system", "Iron Dome")
    (('Air defence systems', 'air defence system'), ('Other', 'air defence system'))
    """
    by_desc, by_pair = _rules()
    key = _key(description)
    if designation is not None and designation is not pd.NA:
        hit = by_pair.get((key, _designation_key(designation)))
        if hit is not None:
            return hit
    return by_desc.get(key)


def categorize(frame: pd.DataFrame, *, errors="raise") -> pd.DataFrame:
    """Return ``frame`` with SIPRI's armament ``category`` filled in and a ``family`` column.

    Where the frame already has a category (deliveries exports, legacy DealsAndTIVs, backend
    JSON) it is kept, only respelled to :data:`CATEGORIES` (``Air-defence systems`` becomes
    ``Air defence systems``); where it is missing (trade registers) the map fills it. The map
    agrees with SIPRI on every row of the shared files (a test checks this). ``family`` always
    comes from the map.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame with a ``description`` column, optionally ``designation`` and ``category``.
    errors : {"raise", "warn", "ignore"}, default "raise"
        What to do with descriptions the map does not know: raise
        :class:`~arms.UnknownCategoryError` listing all of them, or leave their family (and a
        missing category) ``<NA>``, with a :class:`CategoryCoverageWarning` for ``"warn"``.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``category`` and ``family`` are ``string`` dtype, ``family`` placed
        right after ``category``. ``attrs`` are carried over.

    Raises
    ------
    UnknownCategoryError
        With ``errors="raise"``, if any description is unknown.

    Examples
    --------
    >>> deals = pd.DataFrame({"designation": ["Bayraktar TB2", "Bayraktar TB-2", "Su-30K"],
    ...                       "description": ["armed UAV", "armed drone", "FGA aircraft"]})
    >>> categorize(deals)[["description", "category", "family"]]
        description  category           family
    0     armed UAV  Aircraft      armed drone
    1   armed drone  Aircraft      armed drone
    2  FGA aircraft  Aircraft  combat aircraft
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    if errors not in ("raise", "warn", "ignore"):
        raise ValueError(f"errors must be 'raise', 'warn' or 'ignore', not {errors!r}")
    if "description" not in frame.columns:
        raise ValueError("frame has no 'description' column")
    description = frame["description"].astype("string")
    if "designation" in frame.columns:
        designation = frame["designation"].astype("string")
    else:
        designation = pd.Series(pd.NA, index=frame.index, dtype="string")
    pairs = pd.DataFrame({"d": description, "g": designation}).drop_duplicates()
    found = {
        (d, g): category_of(d, None if g is pd.NA else g)
        for d, g in pairs.itertuples(index=False)
        if d is not pd.NA
    }
    unknown = sorted({d for (d, _), hit in found.items() if hit is None})
    keys = list(zip(description, designation, strict=True))
    mapped_cat = pd.Series(
        [found.get(k, None)[0] if found.get(k) else pd.NA for k in keys],
        index=frame.index,
        dtype="string",
    )
    family = pd.Series(
        [found.get(k, None)[1] if found.get(k) else pd.NA for k in keys],
        index=frame.index,
        dtype="string",
    )
    if "category" in frame.columns:
        given = frame["category"].astype("string").map(normalize_category, na_action="ignore")
        category = given.astype("string").fillna(mapped_cat)
    else:
        category = mapped_cat
    out = frame.copy()
    out["category"] = category
    if "family" in out.columns:
        out = out.drop(columns="family")
    out.insert(out.columns.get_loc("category") + 1, "family", family)
    out.attrs = dict(frame.attrs)
    if unknown:
        if errors == "raise":
            raise UnknownCategoryError(unknown)
        if errors == "warn":
            n = description.dropna().nunique()
            warnings.warn(
                f"{len(unknown)} of {n} weapon descriptions not in the map: "
                + ", ".join(map(repr, unknown)),
                CategoryCoverageWarning,
                stacklevel=2,
            )
    return out
