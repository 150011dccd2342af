"""SIPRI's entity catalog: the backend's latest data year and name-to-id resolution.

``GET /trades/getMaxYear`` is the latest data year (it keys the cache);
``GET /countries/getAllCountriesTrimmed`` is the entity catalog
(``[{"EntityId": int, "Name": str, ...}]``). Ids are looked up at run time, never
hard-coded. Resolving a name against the catalog is name resolution, not row selection,
but it compares names with the same keys as every other part of :mod:`arms`
(:func:`arms.entities.name_key`, :func:`arms.entities.party_key`).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from typing import Any

from arms.entities import name_key, party_key
from arms.errors import FetchError
from arms.io.fetch.cache import Cache, cache_key
from arms.io.fetch.client import Client, clip

__all__ = ["CATALOG_PATH", "MAX_YEAR_PATH", "load_catalog", "max_year", "resolve"]

MAX_YEAR_PATH = "trades/getMaxYear"
CATALOG_PATH = "countries/getAllCountriesTrimmed"


def max_year(client: Client) -> int:
    """Return the backend's latest data year.

    Raises
    ------
    arms.FetchError
        When the answer is not a year (a bare number, a digit string or a one-key object).
    """
    answer = client.get_json(MAX_YEAR_PATH)
    value = answer
    if isinstance(answer, dict) and len(answer) == 1:
        (value,) = answer.values()
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1950 <= value <= 2200:
        return value
    raise FetchError(
        f"GET {client.url(MAX_YEAR_PATH)} did not answer a year: {clip(repr(answer)[:200], 60)}"
    )


def load_catalog(client: Client, cache: Cache, year: int) -> list[dict[str, Any]]:
    """Return the entity catalog, from ``cache`` when it holds this data year's copy.

    Raises
    ------
    arms.FetchError
        When the answer has no ``{"EntityId": ..., "Name": ...}`` entries.
    """
    url = client.url(CATALOG_PATH)
    key = "catalog-" + cache_key(url, None, year)
    cached = cache.get(key)
    if cached is not None:
        return json.loads(cached)
    answer = client.get_json(CATALOG_PATH)
    entries = []
    if isinstance(answer, list):
        entries = [
            e
            for e in answer
            if isinstance(e, dict) and isinstance(e.get("Name"), str) and "EntityId" in e
        ]
    if not entries:
        raise FetchError(
            f"GET {url} did not answer an entity catalog "
            f"([{{'EntityId': ..., 'Name': ...}}, ...]): {clip(repr(answer)[:200], 60)}"
        )
    raw = json.dumps(entries, ensure_ascii=False).encode("utf-8")
    cache.put(key, raw, {"url": url, "max_year": year})
    return entries


def resolve(names: Sequence[str], catalog: list[dict[str, Any]], role: str) -> list[int]:
    """Return the catalog ids of ``names``; raise one error listing every unknown name.

    A name matches a catalog entry, in this order: exactly; by
    :func:`arms.entities.name_key` (case, accents and spacing ignored: `` armenia`` finds
    ``Armenia``); by :func:`arms.entities.party_key`, i.e. through the entity crosswalk,
    when the name and the entry are spellings of one party (``Turkey`` finds ``Turkiye``).
    Live entries win over deleted ones of the same name.

    Parameters
    ----------
    names : sequence of str
        The names asked for.
    catalog : list of dict
        The entries of :func:`load_catalog`.
    role : str
        ``recipient`` or ``supplier``, for the error message.

    Returns
    -------
    list of int
        The ``EntityId`` values, in the order of ``names``, without repeats.

    Raises
    ------
    arms.FetchError
        For names the catalog does not know, with close matches as hints.

    Examples
    --------
    >>> catalog = [{"EntityId": 1, "Name": "Turkiye"}, {"EntityId": 2, "Name": "Armenia"}]
    >>> resolve(["turkey", " ARMENIA", "Türkiye"], catalog, "recipient")
    [1, 2]
    """
    entries = sorted(catalog, key=lambda e: bool(e.get("deleted")))
    exact: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for entry in entries:
        name = entry["Name"].strip()
        exact.setdefault(name, entry["EntityId"])
        by_name.setdefault(name_key(name), entry["EntityId"])
    by_party: dict[str, int] | None = None  # built only when needed

    ids: list[int] = []
    unknown: list[str] = []
    for raw in names:
        name = raw.strip()
        found = exact.get(name, by_name.get(name_key(name)))
        if found is None:
            if by_party is None:
                by_party = {}
                for entry in entries:
                    by_party.setdefault(party_key(entry["Name"].strip()), entry["EntityId"])
            found = by_party.get(party_key(name))
        if found is None:
            unknown.append(raw)
        elif found not in ids:
            ids.append(found)
    if unknown:
        raise FetchError(_unknown_message(unknown, exact, role))
    return ids


def _unknown_message(unknown: list[str], exact: dict[str, int], role: str) -> str:
    by_key = {name_key(n): n for n in sorted(exact)}
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name_key(name), list(by_key), n=4, cutoff=0.6)
        hint = ", ".join(by_key[c] for c in close) if close else "no close match"
        parts.append(f"{name!r} (did you mean: {hint}?)")
    return f"unknown {role} name(s) in the SIPRI catalog: " + "; ".join(parts)
