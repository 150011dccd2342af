"""The fetch itself: :func:`fetch_export` and what it returns, :class:`FetchResult`.

:func:`fetch_export` works in a few steps: check the arguments, ask the backend's latest data
year, resolve names against the catalog, build the portal's request body, take the answer
from the cache or the backend, check it, and write it atomically. The public faces,
:func:`~arms.io.fetch.api.fetch_register` and its siblings, are in :mod:`arms.io.fetch.api`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from arms.errors import FetchError
from arms.io.fetch.cache import Cache, cache_key, cache_location, write_atomic
from arms.io.fetch.catalog import load_catalog, max_year, resolve
from arms.io.fetch.client import API_URL_ENV, DEFAULT_API_URL, Client, bounded, clip
from arms.io.fetch.payload import EXPECTED_VARIANTS, decode_payload, verify_payload
from arms.io.fetch.request import (
    FIRST_YEAR,
    default_output_path,
    endpoint_of,
    party_names,
    request_body,
)

__all__ = ["COMMON_PARAMETERS", "FetchResult", "fetch_export"]

log = logging.getLogger(__name__)

#: The parameters every fetch function shares, written once into each docstring
#: (pandas does the same with its doc templates).
COMMON_PARAMETERS = """    recipients, suppliers : str or iterable of str, optional
        Party names as SIPRI writes them or as the entity crosswalk knows them
        (``"Turkey"`` finds ``Turkiye``); matching ignores case. None means all.
    first_year, last_year : int, optional
        The delivery-year range; by default 1950 to the backend's latest data year.
    output : str or path-like, optional
        Where to write the file. By default a dated name in ``data/sipri/``
        (:func:`default_output_path`).
    api_url : str, optional
        The backend's base URL; default ``$ARMS_SIPRI_API`` or :data:`DEFAULT_API_URL`.
    cache : bool, default True
        Reuse (and store) answers in the cache, keyed by the request and the backend's
        latest data year. ``False`` always asks the backend and stores nothing.
    cache_dir : str or path-like, optional
        The cache directory; default ``$ARMS_CACHE_DIR`` or ``~/.cache/arms/fetch``.
    timeout : float, default 120
        Seconds each request may take in all (connecting, waiting, reading the answer);
        a request that runs out of time fails at once, without retries.
    retries : int, default 3
        Further attempts after a 5xx/429 answer or a connection error.
    backoff : float, default 2
        Seconds before the first retry, doubled each time (``Retry-After`` wins).
    progress : bool, default True
        Show on stderr that the (slow) request is running."""


@dataclasses.dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch_export` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The written file.
    variant : str
        ``V1``, ``V2`` or ``V3``, as :func:`arms.io.detect.detect_format` reads the file.
    size : int
        Bytes written.
    cached : bool
        Whether the answer came from the cache.
    sha256 : str
        Of the written bytes.
    max_year : int
        The backend's latest data year (part of the cache key).
    url : str
        The endpoint asked.
    """

    path: Path
    variant: str
    size: int
    cached: bool
    sha256: str
    max_year: int
    url: str


def fetch_export(
    kind: str,
    recipients: str | Iterable[str] | None,
    suppliers: str | Iterable[str] | None,
    *,
    first_year: int | None,
    last_year: int | None,
    output: str | os.PathLike | None,
    api_url: str | None,
    cache: bool,
    cache_dir: str | os.PathLike | None,
    timeout: float,
    retries: int,
    backoff: float,
    progress: bool,
    by: str | None = None,
    open_deals: bool = True,
) -> FetchResult:
    """Download one export of ``kind``, check it and write it; return what was done.

    Parameters
    ----------
    kind : {"register", "deliveries", "tiv"}
        What to download (see :func:`arms.io.fetch.request.request_body`).
    {common}
    by : {"recipient", "supplier"}, optional
        TIV tables only (see :func:`fetch_tiv`).
    open_deals : bool, default True
        Registers only (see :func:`fetch_register`).

    Returns
    -------
    FetchResult
        The path, variant, size, cache use, checksum, data year and URL.

    Raises
    ------
    arms.FetchError, ValueError, TypeError
        As :func:`fetch_register`.

    Examples
    --------
    >>> result = fetch_export("tiv", None, "Israel", first_year=2000, last_year=2024,
    ...                       output=None, api_url=None, cache=True, cache_dir=None,
    ...                       timeout=120, retries=3, backoff=2, progress=True)  # doctest: +SKIP
    >>> result.variant  # doctest: +SKIP
    'V3'
    """
    recipient_names = party_names(recipients, "recipients")
    supplier_names = party_names(suppliers, "suppliers")
    _check_arguments(kind, first_year, last_year, timeout, by)

    base = api_url or os.environ.get(API_URL_ENV) or DEFAULT_API_URL
    client = Client(base, timeout=timeout, retries=retries, backoff=backoff, progress=progress)
    store = Cache(cache_location(cache_dir) if cache else None)

    year = max_year(client)
    first, last = _year_range(first_year, last_year, year)
    catalog = load_catalog(client, store, year) if recipient_names or supplier_names else []
    body = request_body(
        kind,
        first_year=first,
        last_year=last,
        recipient_ids=resolve(recipient_names, catalog, "recipient"),
        supplier_ids=resolve(supplier_names, catalog, "supplier"),
        by=by,
        open_deals=open_deals,
    )
    asked = (
        f"{kind} of {', '.join(supplier_names) or 'all suppliers'} to "
        f"{', '.join(recipient_names) or 'all recipients'}, {first}-{last}"
    )
    label = f"arms fetch: {kind} {first}-{last}"
    data, variant, cached = _answer(client, store, kind, body, year, asked=asked, label=label)

    if output is not None:
        out = Path(output)
    else:
        out = default_output_path(
            kind,
            recipients=recipient_names,
            suppliers=supplier_names,
            first_year=first,
            last_year=last,
        )
    _check_output(out)
    write_atomic(out, data)
    return FetchResult(
        path=out,
        variant=variant,
        size=len(data),
        cached=cached,
        sha256=hashlib.sha256(data).hexdigest(),
        max_year=year,
        url=client.url(endpoint_of(kind)),
    )


def _check_output(out: Path) -> None:
    """Refuse an output that is a symlink or not a regular file (a device, a folder)."""
    if out.is_symlink():
        raise FetchError(f"{out}: is a symbolic link; give a regular file or a new path")
    if out.exists() and not out.is_file():
        raise FetchError(f"{out}: not a regular file; give a regular file or a new path")


def _check_arguments(
    kind: str, first_year: int | None, last_year: int | None, timeout: float, by: str | None
) -> None:
    """Refuse a bad call before anything is asked of the backend."""
    for label, year in (("first_year", first_year), ("last_year", last_year)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise TypeError(f"{label} must be an int, not {type(year).__name__}")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout!r}")
    if by is not None and kind != "tiv":
        raise ValueError("by= applies to TIV tables only")
    if first_year is not None and last_year is not None and first_year > last_year:
        raise ValueError(f"the year range is empty: {first_year} is after {last_year}")


def _year_range(first_year: int | None, last_year: int | None, year: int) -> tuple[int, int]:
    """Return the years asked for, by default 1950 to the backend's latest data year."""
    first = FIRST_YEAR if first_year is None else first_year
    last = year if last_year is None else last_year
    if first > last:
        raise ValueError(f"the year range is empty: {first} is after {last}")
    if last > year:
        log.warning("SIPRI's data end in %d; years after it will be empty", year)
    return first, last


def _answer(
    client: Client,
    store: Cache,
    kind: str,
    body: dict[str, Any],
    year: int,
    *,
    asked: str,
    label: str,
) -> tuple[bytes, str, bool]:
    """Return ``(bytes, variant, cached)``: the cached answer, else the backend's (then cached).

    Only an answer that passed :func:`verify_payload` is stored, so a bad one is asked
    again next time.
    """
    endpoint = endpoint_of(kind)
    url = client.url(endpoint)
    expected = EXPECTED_VARIANTS[kind]
    key = cache_key(url, body, year)
    data = store.get(key)
    if data is not None:
        log.info("using the cached answer %s for the %s", key, asked)
        try:
            return data, verify_payload(data, expected), True
        except FetchError as exc:
            # a cached file that no longer validates is not an answer: ask again
            log.warning(
                "ignoring the cached answer %s for the %s: %s", store.path(key), asked, exc
            )
    try:
        answer = client.post_json(endpoint, body, label=label)
    except FetchError as exc:
        raise FetchError(bounded(f"fetching the {clip(asked, 70)}: {exc}")) from exc
    try:
        data = decode_payload(answer)
        variant = verify_payload(data, expected)
    except FetchError as exc:
        raise FetchError(bounded(f"fetching the {clip(asked, 70)}: POST {url}: {exc}")) from exc
    meta = {"url": url, "body": body, "max_year": year, "kind": kind}
    store.put(key, data, {**meta, "fetched": dt.datetime.now(dt.UTC).isoformat()})
    return data, variant, False


fetch_export.__doc__ = fetch_export.__doc__.replace("    {common}", COMMON_PARAMETERS)
