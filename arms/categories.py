"""Weapon descriptions placed in SIPRI's armament category and a finer analyst family, by rule.

SIPRI's ``Weapon description`` vocabulary drifts: 2024 exports abbreviate (``FGA aircraft``,
``SAM system``, ``APC``, ``armed UAV``), exports from about mid-2025 spell out
(``fighter/ground-attack aircraft``, ``surface-to-air missile``, ``armoured personnel
carrier``, ``armed drone``), and the legacy site used capitalised and shorter forms
(``Ground attack ac``, ``light transport ac``, ``combat ac radar``, ``Towed gun``). Only the
deliveries exports (V2), the legacy DealsAndTIVs text (V7) and the backend JSON (V9) carry
SIPRI's ``Armament category``; trade registers do not.

A description is placed by its parts, not looked up, so a new vintage's spellings are placed
too. Three reviewed tables in ``arms/data/`` hold the knowledge:

``category_terms.csv`` (``term``, ``replacement``, ``kind``, ``note``)
    SIPRI's abbreviations (``ac``, ``FGA``, ``AEW``, ``ASW``, ``MP``, ``SAM``, ``APC``,
    ``IFV``, ``MRL``, ``UAV``, ``UGV``, ``FAC``, ``OPV`` ...), spelling variants and typos
    (``aicraft``, ``iinfantry``, ``air-defence``) and qualifiers (``(armed)``), each
    replaced as a whole word. The result is the description's *normal form*: lower case,
    single spaces, spelled out (``combat ac radar`` -> ``combat aircraft radar``).
``category_rules.csv`` (``pattern``, ``category``, ``family``, ``note``)
    Ordered regular expressions searched in the normal form; the first that matches wins.
    Components come first and are placed by their head noun (``... radar``, ``... sonar``,
    ``... turret``, ``... engine``), then systems, missiles, aircraft, vehicles, artillery
    and ships; a combined description (``patrol ship/frigate``,
    ``anti-ship/surface-to-surface missile``) takes the first rule that fits it.
``category_exceptions.csv`` (``designation``, ``description``, ``category``, ``family``,
``note``)
    The few deals SIPRI files under another category than their words say (the US lease
    of ``Iron Dome`` to Israel is ``Other``; Pakistan's ``C-602`` coastal defence system is
    ``Artillery``). Designations are matched after dropping the V2 suffixes `` -`` and
    `` --``; the exception wins over the rules.

``family`` is analyst-defined (``combat aircraft``, ``armed drone``, ``loitering munition``,
``SAM``, ``air defence system``, ``tank``, ``IFV``, ``APC``, ``MRL``, ``warship``, ``radar``,
``engine`` ...). ``SAM`` is the missile, ``air defence system`` the launcher/system; SIPRI's
``SSM`` is counted as ``ballistic missile`` because the SSMs SIPRI lists are overwhelmingly
short-range ballistic missiles. Agreement with SIPRI's own labels is measured on every
deliveries file (tests/test_categories.py).
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
    "normal_form",
    "normalize_category",
    "tiv_coverage",
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
_TERM_COLUMNS = ("term", "replacement", "kind", "note")
_RULE_COLUMNS = ("pattern", "category", "family", "note")
_EXCEPTION_COLUMNS = ("designation", "description", "category", "family", "note")
_CANONICAL_CATEGORY = {c.casefold(): c for c in CATEGORIES}
_DASH_SUFFIX = re.compile(r"(\s+-+)+$")


class CategoryCoverageWarning(UserWarning):
    """No rule places some weapon descriptions (issued by ``categorize(errors="warn")``)."""


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


@functools.cache
def _read(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    source = resources.files("arms") / "data" / name
    with source.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if tuple(raw.columns) != columns:
        raise ValueError(f"{name}: columns {list(raw.columns)}, expected {list(columns)}")
    table = raw.apply(lambda col: col.str.strip()).replace("", pd.NA).astype("string")
    problems = []
    for col in columns:
        if col != "note" and table[col].isna().any():
            problems.append(f"empty {col} on lines {list(table.index[table[col].isna()] + 2)}")
    if "category" in columns:
        bad = sorted(set(table["category"].dropna()) - set(CATEGORIES))
        if bad:
            problems.append(f"unknown category {bad}")
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems))
    return table


@functools.lru_cache(maxsize=1)
def _terms() -> tuple[tuple[re.Pattern, str], ...]:
    table = _read("category_terms.csv", _TERM_COLUMNS)
    if table["term"].str.casefold().duplicated().any():
        raise ValueError("category_terms.csv: duplicate terms")
    rows = sorted(table.itertuples(index=False), key=lambda r: -len(r.term))
    return tuple(
        (re.compile(rf"(?<![\w-]){re.escape(r.term.casefold())}(?![\w-])"), r.replacement)
        for r in rows
    )


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, str, str], ...]:
    table = _read("category_rules.csv", _RULE_COLUMNS)
    rules, bad = [], []
    for line, row in enumerate(table.itertuples(index=False), start=2):
        try:
            rules.append((re.compile(row.pattern), row.category, row.family))
        except re.error as exc:
            bad.append(f"line {line}: {row.pattern!r} ({exc})")
    if bad:
        raise ValueError("category_rules.csv: bad patterns " + "; ".join(bad))
    return tuple(rules)


@functools.lru_cache(maxsize=1)
def _exceptions() -> dict[tuple[str, str], tuple[str, str]]:
    table = _read("category_exceptions.csv", _EXCEPTION_COLUMNS)
    out = {}
    for row in table.itertuples(index=False):
        key = (normal_form(row.description), _designation_key(row.designation))
        if key in out:
            raise ValueError(f"category_exceptions.csv: duplicate {row.designation!r}")
        out[key] = (row.category, row.family)
    return out


def normal_form(description: str) -> str:
    """Return a weapon description spelled out, lower case, with single spaces.

    Parameters
    ----------
    description : str
        SIPRI's weapon description in any vocabulary.

    Returns
    -------
    str
        The form the rules of ``category_rules.csv`` are matched against.

    Examples
    --------
    >>> normal_form("  combat ac   radar ")
    'combat aircraft radar'
    >>> normal_form("(armed) MP aircraft")
    'armed maritime patrol aircraft'
    >>> normal_form("iinfantry fighting vehicle turret")
    'infantry fighting vehicle turret'
    """
    text = _key(description)
    for pattern, replacement in _terms():
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def category_table() -> pd.DataFrame:
    """Return the ordered placement rules (the first that matches a description wins).

    Returns
    -------
    pandas.DataFrame
        Columns ``pattern`` (a regular expression searched in :func:`normal_form`),
        ``category``, ``family`` and ``note``, ``string`` dtype (a copy).

    Examples
    --------
    >>> table = category_table()
    >>> row = table[table["family"] == "armed drone"].iloc[0]
    >>> row["category"]
    'Aircraft'
    """
    return _read("category_rules.csv", _RULE_COLUMNS).copy()


@functools.lru_cache(maxsize=4096)
def _place(normal: str) -> tuple[str, str] | None:
    for pattern, category, family in _compiled():
        if pattern.search(normal):
            return category, family
    return None


def category_of(description: str, designation: str | None = None) -> tuple[str, str] | None:
    """Return ``(category, family)`` for a weapon description, or None if no rule places it.

    Parameters
    ----------
    description : str
        SIPRI's weapon description in any vocabulary.
    designation : str, optional
        The weapon designation; it matters only for the few deals SIPRI categorises apart
        (``category_exceptions.csv``).

    Returns
    -------
    tuple of str, or None

    Examples
    --------
    >>> category_of("Ground attack ac")
    ('Aircraft', 'combat aircraft')
    >>> category_of("surface-to-air missile")
    ('Missiles', 'SAM')
    >>> category_of("one-way attack drone")
    ('Missiles', 'loitering munition')
    >>> category_of("SAM system"), category_of("SAM system", "Iron Dome")
    (('Air defence systems', 'air defence system'), ('Other', 'air defence system'))
    """
    if description is None or description is pd.NA:
        return None
    normal = normal_form(description)
    if designation is not None and designation is not pd.NA:
        hit = _exceptions().get((normal, _designation_key(designation)))
        if hit is not None:
            return hit
    return _place(normal)


def categorize(frame: pd.DataFrame, *, errors="raise") -> pd.DataFrame:
    """Return ``frame`` with SIPRI's armament ``category`` filled in and a ``family`` column.

    Where the frame already has a category (deliveries exports, legacy DealsAndTIVs, backend
    JSON) it is kept, only respelled to :data:`CATEGORIES` (``Air-defence systems`` becomes
    ``Air defence systems``); where it is missing (trade registers) the rules fill it. The rules
    agree with SIPRI on at least 99.5% of the rows of every deliveries file (a test measures
    it). ``family`` always comes from the rules.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame with a ``description`` column, optionally ``designation`` and ``category``.
    errors : {"raise", "warn", "ignore"}, default "raise"
        What to do with descriptions no rule places: raise
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
                f"{len(unknown)} of {n} weapon descriptions placed by no rule: "
                + ", ".join(map(repr, unknown)),
                CategoryCoverageWarning,
                stacklevel=2,
            )
    return out


def tiv_coverage(frame: pd.DataFrame) -> dict:
    """Return how much of a categorized frame's TIV has a known category and family.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame returned by :func:`categorize`, with ``tiv_delivered`` (deals) or ``tiv``
        (deliveries).

    Returns
    -------
    dict
        ``category_tiv_share``: share (0 to 1) of the frame's TIV whose row has a category
        (``None`` when the TIV sums to 0 or the frame has no TIV column);
        ``unplaced_tiv``: TIV (millions, a volume index, not money) of rows no rule places
        (no family); ``unplaced_descriptions``: those rows' descriptions, sorted.

    Examples
    --------
    >>> deals = categorize(pd.DataFrame({"description": ["tank", "death ray"],
    ...                                  "tiv_delivered": [30.0, 10.0]}), errors="ignore")
    >>> tiv_coverage(deals)
    {'category_tiv_share': 0.75, 'unplaced_tiv': 10.0, 'unplaced_descriptions': ['death ray']}
    """
    col = "tiv_delivered" if "tiv_delivered" in frame.columns else "tiv"
    unplaced = frame["family"].isna() & frame["description"].notna()
    descriptions = sorted(set(frame.loc[unplaced, "description"].astype(str)))
    if col not in frame.columns:
        return {
            "category_tiv_share": None,
            "unplaced_tiv": None,
            "unplaced_descriptions": descriptions,
        }
    tiv = pd.to_numeric(frame[col], errors="coerce").fillna(0.0)
    total = float(tiv.sum())
    known = float(tiv[frame["category"].notna()].sum())
    return {
        "category_tiv_share": round(known / total, 6) if total > 0 else None,
        "unplaced_tiv": round(float(tiv[unplaced].sum()), 6),
        "unplaced_descriptions": descriptions,
    }
