"""Fetch fresh exports from the SIPRI Arms Transfers Database backend.

SIPRI's current portal (armstransfers.sipri.org) is a JavaScript application over an
undocumented JSON backend. The legacy export endpoint that older tools call now redirects to
SIPRI's website, and a client that does not check what came back saves that HTML page as
"data". This subpackage asks the backend for the same CSV files the portal's download buttons
produce, checks that each one *is* a SIPRI export of the expected variant (with
:func:`arms.io.detect.detect_format`) and writes it byte for byte, preamble included, so the
file in ``data/sipri/`` is indistinguishable from a manual download.

What is known about the backend comes from public clients, not from SIPRI documentation:

- base URL ``https://atbackend.sipri.org/api/p`` (override with ``api_url=``, ``--api-url``
  or the ``ARMS_SIPRI_API`` environment variable);
- ``POST /trades/trade-register-csv/`` and ``POST /trades/import-export-csv/`` answer
  ``{"bytes": "<base64 CSV>"}`` (:mod:`~arms.io.fetch.request`, :mod:`~arms.io.fetch.payload`);
- ``GET /trades/getMaxYear`` is the latest data year; it keys the cache, so a new SIPRI
  release never serves stale files; ``GET /countries/getAllCountriesTrimmed`` is the entity
  catalog (:mod:`~arms.io.fetch.catalog`).

The parts: :mod:`~arms.io.fetch.client` (HTTP, retries, progress, timeouts),
:mod:`~arms.io.fetch.cache` (cache location, keys, atomic writes),
:mod:`~arms.io.fetch.catalog` (data year, name resolution), :mod:`~arms.io.fetch.request`
(request bodies, default output paths), :mod:`~arms.io.fetch.payload` (checking answers) and
:mod:`~arms.io.fetch.export` (the fetch itself) and :mod:`~arms.io.fetch.api` (one function per
kind of export).
"""

from __future__ import annotations

from arms.io.fetch.api import fetch_deliveries, fetch_register, fetch_tiv
from arms.io.fetch.cache import CACHE_DIR_ENV, cache_location
from arms.io.fetch.client import (
    API_URL_ENV,
    DEFAULT_API_URL,
    DEFAULT_BACKOFF,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    MAX_WAIT,
)
from arms.io.fetch.export import FetchResult, fetch_export
from arms.io.fetch.request import FIRST_YEAR, KINDS, default_output_path, request_body

__all__ = [
    "API_URL_ENV",
    "CACHE_DIR_ENV",
    "DEFAULT_API_URL",
    "DEFAULT_BACKOFF",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "FIRST_YEAR",
    "FetchResult",
    "KINDS",
    "MAX_WAIT",
    "cache_location",
    "default_output_path",
    "fetch_deliveries",
    "fetch_export",
    "fetch_register",
    "fetch_tiv",
    "request_body",
]
