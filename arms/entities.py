"""Party names: SIPRI's spellings across variants and vintages mapped to one entity each.

SIPRI renames parties between releases (``Turkey`` -> ``Turkiye``, ``Czech Republic`` ->
``Czechia``, ``Libya HoR*`` -> ``HoR (Libya)*`` -> ``House of Representatives (Libya)*``) and
the 2014 legacy register used yet other forms (``Korea, South``, ``Hezbollah (Lebanon)``
without the ``*``). Joining frames from different vintages on the raw names silently splits
one party in two, so every name goes through the crosswalk shipped in
``arms/data/entities.csv`` (a reviewed table, like code; see FORMATS.md section 11).

The crosswalk has one row per SIPRI spelling:

``sipri_name``
    The name as a file writes it. Matching ignores case, accents and surrounding or repeated
    whitespace (V7 writes ``Unknown recipient(s)``, the new portal ``unknown recipient(s)``);
    see :func:`name_key`.
``canonical_name``
    One display name per entity: SIPRI's current spelling without the ``*``/``**`` markers.
``iso3``
    ISO 3166-1 alpha-3; ISO 3166-3 four-letter codes for dissolved states (``SUHH``,
    ``CSHH``, ``DDDE``, ``YUCS``, ``YDYE``; ``YEYE`` and ``VNVN`` follow that style for North
    Yemen and South Vietnam, which ISO never coded); ``XKX`` for Kosovo. Empty for parties
    that are not states with a code (armed groups, organisations, Biafra, Libya GNC ...).
``entity_type``
    ``state``, ``non-state armed actor`` (SIPRI's ``*``), ``international organisation``
    (``**``), ``unknown`` (unknown supplier or recipient) or ``aggregate`` (table labels such
    as the tiv frame's ``all`` counterpart, ``Others`` and the regional tables' regions).
``region``
    SIPRI's top-level region (Africa, Americas, Asia and Oceania, Europe, Middle East;
    ``International`` for NATO and the UN).
``country_iso3``
    The state a party belongs to or, for an armed group, the state SIPRI names in brackets.
``sipri_code``
    SIPRI's own legacy three-letter code where known. These are **not** ISO codes (SIPRI's
    ``CHE`` is Chile), so they are kept in their own column.

A name the crosswalk does not know is typed by SIPRI's conventions
(``arms/data/entity_rules.csv``, ordered patterns, the first match wins): a trailing ``*``
marks a non-state actor, with its state in brackets (``RSF (Sudan)*`` is a non-state armed
actor in Sudan), ``**`` an international organisation; ``unknown supplier(s)``,
multinational bodies (NATO, African Union, UN) and regions are typed as such. Such a name is
*resolved by rule*: its canonical name is the name without the markers.

State codes for joins with UCDP, COW or World Bank data sit in ``arms/data/entity_codes.csv``
(one row per canonical state: ``iso3``, ``cow_code``, ``cow_abb``, ``gw_code``, the
``from_year``/``to_year`` a historic state's codes apply to, ``source``, ``note``). They were
derived from the ``countrycode`` package's codelist (PyPI ``countrycode`` 0.6.0, Arel-Bundock
et al.; ``tests/data/derive_entity_codes.py`` repeats the derivation), not typed by hand:
Correlates of War (``cown``/``cowc``) and Gleditsch-Ward (``gwn``) codes, matched on ISO3 and,
for SIPRI's historic states, on the codelist row named in the table's note.
:func:`harmonize` adds them with ``codes=True``.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
import warnings
from importlib import resources

import pandas as pd

from arms.errors import UnknownEntityError

__all__ = [
    "ENTITY_TYPES",
    "PARTY_COLUMNS",
    "party_mask",
    "EntityCoverageWarning",
    "canonical_name",
    "entity_codes",
    "entity_table",
    "harmonize",
    "lookup",
    "name_key",
    "party_key",
    "by_rule",
    "resolve",
]

log = logging.getLogger(__name__)

#: The values ``entity_type`` may take.
ENTITY_TYPES = (
    "state",
    "non-state armed actor",
    "international organisation",
    "unknown",
    "aggregate",
)

#: Columns of the canonical frames that hold party names, in the order they are harmonised.
PARTY_COLUMNS = ("supplier", "recipient", "entity", "counterpart")

#: Suffixes of the columns :func:`harmonize` adds after each party column.
SUFFIXES = ("_name", "_iso3", "_type")

#: Suffixes of the columns ``harmonize(..., codes=True)`` adds after those.
CODE_SUFFIXES = ("_cow", "_gwcode", "_country_iso3")

_RULE_COLUMNS = ("pattern", "entity_type", "note")
_CODE_COLUMNS = (
    "canonical_name",
    "iso3",
    "cow_code",
    "cow_abb",
    "gw_code",
    "from_year",
    "to_year",
    "source",
    "note",
)

_COLUMNS = (
    "sipri_name",
    "canonical_name",
    "iso3",
    "entity_type",
    "region",
    "country_iso3",
    "sipri_code",
    "note",
)
_ISO3 = re.compile(r"^[A-Z]{3}[A-Z]?$")  # alpha-3, or an ISO 3166-3 style four-letter code
_SIPRI_CODE = re.compile(r"^[A-Z]{3}$")


class EntityCoverageWarning(UserWarning):
    """Some party names are not in the crosswalk (issued by ``harmonize(errors="warn")``)."""


def name_key(name: object) -> str:
    """Return the key two spellings of a name are compared by.

    Case is ignored (casefolded), accents are folded (``Türkiye`` meets ``Turkiye``) and
    whitespace is trimmed and collapsed. Everything else counts, SIPRI's trailing ``*``
    (armed group) and ``**`` (organisation) markers included: the crosswalk keeps ``NATO``
    (SIPRI's aggregate) and ``NATO**`` (the organisation) apart. Every comparison of party
    names in :mod:`arms` goes through this key, or through :func:`party_key` when spellings
    of different releases must meet.

    Parameters
    ----------
    name : str
        A name (anything else is converted with ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> name_key("  Unknown   Recipient(s) "), name_key("Türkiye"), name_key("NATO**")
    ('unknown recipient(s)', 'turkiye', 'nato**')
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@functools.lru_cache(maxsize=8192)
def party_key(name: object) -> str:
    """Return :func:`name_key` of a party's canonical name (of the name itself if unknown).

    Spellings of one party in different releases or variants get the same key
    (``Turkey``, ``Turkiye`` and ``turkiye``), and so does the canonical name.

    Examples
    --------
    >>> party_key("Turkey") == party_key("TURKIYE") == "turkiye"
    True
    >>> party_key("Libya HoR*") == party_key("House of Representatives (Libya)")
    True
    >>> party_key("Atlantis")
    'atlantis'
    """
    found = _index().get(name_key(name))
    return name_key(found[0] if found is not None else name)


def party_mask(values: pd.Series, names: str | list[str] | tuple[str, ...]) -> pd.Series:
    """Return a boolean mask of the values that name one of ``names`` (any spelling).

    The one matcher of party names: analysis, search, extract, the report and the command line
    select parties through it. A value matches a name when their :func:`name_key` agree
    (case, accents and spacing ignored); a name that matches no value that way is looked up
    as another spelling of the same party (:func:`party_key`: ``Turkey`` finds ``Turkiye``).

    Parameters
    ----------
    values : pandas.Series
        Party names as the data spell them.
    names : str or sequence of str
        The parties wanted.

    Returns
    -------
    pandas.Series
        ``bool`` dtype, aligned with ``values``; missing values never match.

    Examples
    --------
    >>> s = pd.Series(["Turkey", "Israel", None])
    >>> party_mask(s, "TÜRKIYE").tolist(), party_mask(s, ["israel", "Armenia"]).tolist()
    ([True, False, False], [False, True, False])
    """
    wanted = [names] if isinstance(names, str) else list(names)
    uniques = [u for u in pd.Series(values).dropna().unique()]
    keys = {u: name_key(u) for u in uniques}
    hits: set = set()
    for name in wanted:
        want = name_key(name)
        found = {u for u, k in keys.items() if k == want}
        if not found:  # another spelling of the party (Turkey for Turkiye)
            canon = party_key(name)
            found = {u for u in uniques if party_key(str(u)) == canon}
        hits |= found
    return pd.Series(values).isin(hits).fillna(False).astype(bool)


@functools.lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    """Read and check the packaged crosswalk once; every problem is reported together."""
    source = resources.files("arms") / "data" / "entities.csv"
    with source.open("r", encoding="utf-8") as fh:
        # keep_default_na=False: no name or code may turn into NaN by accident
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    problems = []
    if tuple(raw.columns) != _COLUMNS:
        raise ValueError(f"entities.csv: columns {list(raw.columns)}, expected {list(_COLUMNS)}")
    table = raw.apply(lambda col: col.str.strip()).replace("", pd.NA).astype("string")
    keys = table["sipri_name"].map(name_key, na_action="ignore")
    dup = keys[keys.duplicated(keep=False)]
    if dup.notna().any():
        problems.append(f"duplicate sipri_name (ignoring case) {sorted(set(dup.dropna()))}")
    for col in ("sipri_name", "canonical_name", "entity_type"):
        if table[col].isna().any():
            problems.append(f"empty {col} on lines {list(table.index[table[col].isna()] + 2)}")
    bad_type = sorted(set(table["entity_type"].dropna()) - set(ENTITY_TYPES))
    if bad_type:
        problems.append(f"unknown entity_type {bad_type}")
    for col, pattern in (("iso3", _ISO3), ("country_iso3", _ISO3), ("sipri_code", _SIPRI_CODE)):
        values = table[col].dropna()
        bad = sorted(v for v in values if not pattern.match(v))
        if bad:
            problems.append(f"malformed {col} {bad}")
    states = table["entity_type"] == "state"
    no_iso = table.loc[states & table["iso3"].isna() & table["note"].isna(), "sipri_name"]
    if len(no_iso):
        problems.append(f"states without iso3 and without a note {list(no_iso)}")
    # one canonical entity has one set of attributes, whichever spelling points at it
    attrs = table[["canonical_name", "iso3", "entity_type", "region"]].drop_duplicates()
    clash = attrs["canonical_name"][attrs["canonical_name"].duplicated()]
    if len(clash):
        problems.append(f"canonical names with conflicting attributes {sorted(set(clash))}")
    if problems:
        raise ValueError("entities.csv: " + "; ".join(problems))
    return table


def entity_table() -> pd.DataFrame:
    """Return the entity crosswalk, one row per SIPRI spelling.

    Returns
    -------
    pandas.DataFrame
        Columns ``sipri_name``, ``canonical_name``, ``iso3``, ``entity_type``, ``region``,
        ``country_iso3``, ``sipri_code`` and ``note``, all ``string`` dtype (a copy; the
        packaged table is read once per process).

    Examples
    --------
    >>> table = entity_table()
    >>> table.loc[table["sipri_name"] == "Soviet Union", ["iso3", "entity_type"]].iloc[0].tolist()
    ['SUHH', 'state']
    >>> sorted(table.loc[table["canonical_name"] == "Turkiye", "sipri_name"])
    ['Turkey', 'Turkiye']
    """
    return _load().copy()


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, object, object]]:
    table = _load()
    return {
        name_key(row.sipri_name): (row.canonical_name, row.iso3, row.entity_type)
        for row in table.itertuples(index=False)
    }


def lookup(name: str) -> tuple[str, object, str] | None:
    """Return ``(canonical_name, iso3, entity_type)`` for a SIPRI name, or None if unknown.

    ``iso3`` is ``<NA>`` for parties without a code.

    Parameters
    ----------
    name : str
        A party name as a SIPRI file writes it (compared by :func:`name_key`).

    Returns
    -------
    tuple or None

    Examples
    --------
    >>> lookup("  hezbollah (LEBANON) ")
    ('Hezbollah (Lebanon)', <NA>, 'non-state armed actor')
    >>> lookup("Atlantis") is None
    True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    return _index().get(name_key(name))


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern, str], ...]:
    source = resources.files("arms") / "data" / "entity_rules.csv"
    with source.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if tuple(table.columns) != _RULE_COLUMNS:
        raise ValueError(f"entity_rules.csv: columns {list(table.columns)}")
    bad = sorted(set(table["entity_type"]) - set(ENTITY_TYPES))
    if bad:
        raise ValueError(f"entity_rules.csv: unknown entity_type {bad}")
    return tuple(
        (re.compile(p), t) for p, t in zip(table["pattern"], table["entity_type"], strict=True)
    )


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, object]:
    """``country_iso3`` of every spelling in the crosswalk."""
    table = _load()
    return {
        name_key(n): c for n, c in zip(table["sipri_name"], table["country_iso3"], strict=True)
    }


@functools.lru_cache(maxsize=8192)
def resolve(name: str) -> tuple[str, object, str, object, str] | None:
    """Return how a party name resolves: by the crosswalk, by SIPRI's naming rules, or None.

    Parameters
    ----------
    name : str
        A party name as a SIPRI file writes it.

    Returns
    -------
    tuple or None
        ``(canonical_name, iso3, entity_type, country_iso3, how)`` with ``how`` ``"table"``
        (the crosswalk knows the spelling) or ``"rule"`` (``entity_rules.csv`` types it; the
        canonical name drops SIPRI's ``*``/``**``, an unknown party is ``Unknown``); None if
        neither places it.

    Examples
    --------
    >>> resolve("Turkey")
    ('Turkiye', 'TUR', 'state', 'TUR', 'table')
    >>> resolve("RSF (Sudan)*")
    ('RSF (Sudan)', <NA>, 'non-state armed actor', 'SDN', 'rule')
    >>> resolve("unknown suppliers")[2], resolve("Atlantis")
    ('unknown', None)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    key = name_key(name)
    found = _index().get(key)
    if found is not None:
        return (*found, _countries().get(key, pd.NA), "table")
    hit = by_rule(name)
    return None if hit is None else (*hit, "rule")


def by_rule(name: str) -> tuple[str, object, str, object] | None:
    """Type a party name by SIPRI's naming conventions alone (``entity_rules.csv``).

    :func:`resolve` uses it for names the crosswalk does not know.

    Parameters
    ----------
    name : str
        A party name as a SIPRI file writes it.

    Returns
    -------
    tuple or None
        ``(canonical_name, iso3, entity_type, country_iso3)``; ``iso3`` is always ``<NA>``
        (a rule never makes a state), None if no rule fits.

    Examples
    --------
    >>> by_rule("Wagner Group (Mali)*")
    ('Wagner Group (Mali)', <NA>, 'non-state armed actor', 'MLI')
    >>> by_rule("ECOWAS**")[2], by_rule("Unknown supplier(s)")[0], by_rule("Eastern Asia")[2]
    ('international organisation', 'Unknown', 'aggregate')
    """
    key = name_key(name)
    text = " ".join(str(name).split())
    if len(text) != len(key):  # folding changed the length (accents): spans follow the key
        text = key
    for pattern, entity_type in _rules():
        match = pattern.match(key)
        if match is None:
            continue
        if entity_type == "unknown":
            return ("Unknown", pd.NA, entity_type, pd.NA)
        span = match.span("name") if "name" in pattern.groupindex else (0, len(key))
        country = pd.NA
        if "country" in pattern.groupindex:
            country = _countries().get(match.group("country"), pd.NA)
        # the key is casefolded; the canonical name keeps the file's own spelling
        return (text[span[0] : span[1]].strip(), pd.NA, entity_type, country)
    return None


@functools.lru_cache(maxsize=1)
def _codes() -> pd.DataFrame:
    source = resources.files("arms") / "data" / "entity_codes.csv"
    with source.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if tuple(raw.columns) != _CODE_COLUMNS:
        raise ValueError(f"entity_codes.csv: columns {list(raw.columns)}")
    table = raw.apply(lambda col: col.str.strip()).replace("", pd.NA)
    for col in ("cow_code", "gw_code", "from_year", "to_year"):
        table[col] = pd.to_numeric(table[col]).astype("Int64")
    for col in ("canonical_name", "iso3", "cow_abb", "source", "note"):
        table[col] = table[col].astype("string")
    if table["canonical_name"].duplicated().any():
        raise ValueError("entity_codes.csv: duplicate canonical_name")
    return table


def entity_codes() -> pd.DataFrame:
    """Return the state codes table: ISO3, Correlates of War and Gleditsch-Ward codes.

    Returns
    -------
    pandas.DataFrame
        One row per canonical state: ``canonical_name``, ``iso3``, ``cow_code``, ``cow_abb``,
        ``gw_code``, ``from_year``, ``to_year`` (the years a historic state's codes apply
        to), ``source`` and ``note``; codes and years ``Int64`` (a copy).

    Examples
    --------
    >>> codes = entity_codes().set_index("canonical_name")
    >>> row = codes.loc["Armenia"]
    >>> row["iso3"], int(row["cow_code"]), int(row["gw_code"])
    ('ARM', 371, 371)
    >>> int(codes.loc["Soviet Union", "to_year"])
    1991
    """
    return _codes().copy()


def canonical_name(name: str) -> str:
    """Return the canonical name of a party.

    Parameters
    ----------
    name : str
        A party name in any SIPRI spelling.

    Returns
    -------
    str

    Raises
    ------
    UnknownEntityError
        If the crosswalk does not know the name.

    Examples
    --------
    >>> canonical_name("Libya HoR*")
    'House of Representatives (Libya)'
    >>> canonical_name("Czech Republic")
    'Czechia'
    """
    found = lookup(name)
    if found is None:
        raise UnknownEntityError([name])
    return found[0]


def harmonize(
    frame: pd.DataFrame,
    *,
    columns: list[str] | tuple[str, ...] | None = None,
    errors="raise",
    codes: bool = False,
) -> pd.DataFrame:
    """Return ``frame`` with canonical name, ISO3 and entity type beside each party column.

    For every party column ``<col>`` (by default each of ``supplier``, ``recipient``,
    ``entity`` and ``counterpart`` that the frame has) three columns are inserted right after
    it: ``<col>_name`` (canonical name), ``<col>_iso3`` and ``<col>_type`` (see
    :data:`ENTITY_TYPES`), all ``string`` dtype. The raw column is kept unchanged. Readers
    never call this; analysis helpers accept raw or harmonised frames. A name the crosswalk
    does not know but SIPRI's naming rules type (``RSF (Sudan)*``) is resolved by rule (see
    :func:`resolve`).

    Missing names stay ``<NA>``. In a tiv frame, rows of a ``by category`` table hold an
    armament category in ``entity``, not a party, and are left ``<NA>``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A deals, deliveries or tiv frame (or any frame with party columns).
    columns : sequence of str, optional
        The party columns to harmonise; each must exist.
    errors : {"raise", "warn", "ignore"}, default "raise"
        What to do with names neither the crosswalk nor a rule resolves. ``"raise"`` raises
        :class:`~arms.UnknownEntityError` listing all of them; ``"warn"`` keeps the raw name
        in ``<col>_name`` (ISO3 and type ``<NA>``) and issues an
        :class:`EntityCoverageWarning` with the coverage; ``"ignore"`` does the same silently.
    codes : bool, default False
        Also add ``<col>_cow`` and ``<col>_gwcode`` (Correlates of War and Gleditsch-Ward
        state codes, ``Int64``, from :func:`entity_codes`) and ``<col>_country_iso3`` (the
        state a party belongs to: itself for a state, the bracketed state for an armed group).

    Returns
    -------
    pandas.DataFrame
        A new frame. ``attrs`` are carried over, plus ``attrs["entity_coverage"]``:
        ``{column: {"names": distinct names, "mapped": resolved, "by_table": ...,
        "by_rule": ..., "unresolved": ..., "rule_names": [...]}}``.

    Raises
    ------
    UnknownEntityError
        With ``errors="raise"``, if any name is unresolved.
    TypeError, ValueError
        For a non-frame, a bad ``errors`` value or a missing column.

    Examples
    --------
    >>> deals = pd.DataFrame({"supplier": ["Turkey", "Soviet Union"],
    ...                       "recipient": ["Hezbollah (Lebanon)", "RSF (Sudan)*"]})
    >>> out = harmonize(deals, codes=True)
    >>> out[["supplier_name", "supplier_iso3", "supplier_cow", "recipient_type"]]
      supplier_name supplier_iso3  supplier_cow         recipient_type
    0       Turkiye           TUR           640  non-state armed actor
    1  Soviet Union          SUHH           365  non-state armed actor
    >>> out["recipient_country_iso3"].tolist()
    ['LBN', 'SDN']
    >>> out.attrs["entity_coverage"]["recipient"]["rule_names"]
    ['RSF (Sudan)*']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    if errors not in ("raise", "warn", "ignore"):
        raise ValueError(f"errors must be 'raise', 'warn' or 'ignore', not {errors!r}")
    if columns is None:
        columns = [c for c in PARTY_COLUMNS if c in frame.columns]
    else:
        columns = list(columns)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"frame has no column(s) {missing}")
    skip = pd.Series(False, index=frame.index)
    if "table" in frame.columns:
        skip = frame["table"].astype("string").eq("by category").fillna(False)
    state_codes = _codes().set_index("canonical_name") if codes else None

    out = frame.copy()
    unknown: set[str] = set()
    coverage = {}
    for col in columns:
        raw = frame[col].astype("string").mask(skip & (col == "entity"))
        names = raw.dropna().unique()
        found = {n: resolve(str(n)) for n in names}
        missing = sorted(n for n, hit in found.items() if hit is None)
        by_rule = sorted(n for n, hit in found.items() if hit is not None and hit[4] == "rule")
        unknown.update(missing)
        coverage[col] = {
            "names": len(found),
            "mapped": len(found) - len(missing),
            "by_table": len(found) - len(missing) - len(by_rule),
            "by_rule": len(by_rule),
            "unresolved": len(missing),
            "rule_names": by_rule,
        }
        new = {
            col + suffix: _column(raw, found, i)
            for i, suffix in ((0, "_name"), (1, "_iso3"), (2, "_type"))
        }
        if codes:
            new.update(_code_columns(col, raw, found, state_codes))
        position = out.columns.get_loc(col) + 1
        for offset, (name, values) in enumerate(new.items()):
            if name in out.columns:
                out = out.drop(columns=name)
            out.insert(position + offset, name, values)
    out.attrs = dict(frame.attrs)
    out.attrs["entity_coverage"] = coverage
    if unknown:
        if errors == "raise":
            raise UnknownEntityError(unknown)
        if errors == "warn":
            summary = ", ".join(f"{c} {v['mapped']}/{v['names']}" for c, v in coverage.items())
            warnings.warn(
                f"{len(unknown)} unknown party name(s) kept raw ({summary} names mapped): "
                + ", ".join(map(repr, sorted(unknown))),
                EntityCoverageWarning,
                stacklevel=2,
            )
        log.info("unknown party names: %s", sorted(unknown))
    return out


def _column(raw: pd.Series, found: dict, i: int) -> pd.Series:
    """Field ``i`` of each name's resolution; an unresolved name keeps itself as its name."""
    values = {
        n: (hit[i] if hit is not None else (n if i == 0 else pd.NA)) for n, hit in found.items()
    }
    return raw.map(values, na_action="ignore").astype("string")


def _code_columns(col: str, raw: pd.Series, found: dict, codes: pd.DataFrame) -> dict:
    canonical = {n: hit[0] for n, hit in found.items() if hit is not None and hit[2] == "state"}
    names = raw.map(canonical, na_action="ignore")
    out = {}
    for suffix, field in (("_cow", "cow_code"), ("_gwcode", "gw_code")):
        out[col + suffix] = names.map(codes[field], na_action="ignore").astype("Int64")
    out[col + "_country_iso3"] = _column(raw, found, 3).where(raw.notna())
    return out
