"""Fetch fresh exports from the SIPRI Arms Transfers Database backend.

SIPRI's current portal (armstransfers.sipri.org) is a JavaScript application over an
undocumented JSON backend. The legacy export endpoint that older tools call now redirects to
SIPRI's website, and a client that does not check what came back saves that HTML page as
"data". This module asks the backend for the same CSV files the portal's download buttons
produce, checks that each one *is* a SIPRI export of the expected variant (with
:func:`arms.io.detect.detect_format`) and writes it byte for byte, preamble included, so the
file in ``data/sipri/`` is indistinguishable from a manual download.

What is known about the backend comes from public clients, not from SIPRI documentation:

- base URL ``https://atbackend.sipri.org/api/p`` (override with ``api_url=``, ``--api-url``
  or the ``ARMS_SIPRI_API`` environment variable);
- ``POST /trades/trade-register-csv/`` with ``{"filters": [...], "logic": "AND"}`` answers
  ``{"bytes": "<base64 CSV>"}``: a trade register (V1), or the per-year deliveries register
  (V2) when the filters contain an ``exportOption`` filter;
- ``POST /trades/import-export-csv/`` answers a TIV values table (V3) the same way;
- ``GET /trades/getMaxYear`` is the latest data year; it keys the cache, so a new SIPRI
  release never serves stale files;
- ``GET /countries/getAllCountriesTrimmed`` is the entity catalog
  (``[{"EntityId": int, "Name": str, ...}]``). Ids are looked up at run time, never
  hard-coded.

Requests are sequential (one at a time per process), carry a User-Agent naming this
package, time out, and are retried with exponential backoff on 5xx, 429 and connection
errors (``Retry-After`` is honoured). Redirects are not followed: a redirect is the
symptom of a moved or retired endpoint and is reported as :class:`arms.FetchError`.

Answers are cached on disk under ``$ARMS_CACHE_DIR`` or ``~/.cache/arms/fetch``, keyed by
the endpoint, the exact request body and the backend's max year.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import datetime as dt
import difflib
import email.utils
import hashlib
import http.client
import json
import logging
import os
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from arms import paths
from arms.errors import FetchError, SipriFormatError

__all__ = [
    "DEFAULT_API_URL",
    "fetch_register",
    "fetch_deliveries",
    "fetch_tiv",
    "request_body",
    "default_output_path",
    "cache_location",
]

log = logging.getLogger(__name__)

#: The backend the SIPRI portal talks to (``ARMS_SIPRI_API`` overrides it).
DEFAULT_API_URL = "https://atbackend.sipri.org/api/p"
API_URL_ENV = "ARMS_SIPRI_API"
CACHE_DIR_ENV = "ARMS_CACHE_DIR"

#: Seconds to wait for one answer. SIPRI takes 7-40 s for a CSV; leave headroom.
DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 2.0
#: Longest pause between attempts, whatever ``Retry-After`` asks for.
MAX_WAIT = 300.0
#: The first year in the SIPRI database; the default start of a request.
FIRST_YEAR = 1950

KINDS = ("register", "deliveries", "tiv")

_REGISTER_PATH = "trades/trade-register-csv/"
_TIV_PATH = "trades/import-export-csv/"
_MAX_YEAR_PATH = "trades/getMaxYear"
_CATALOG_PATH = "countries/getAllCountriesTrimmed"

#: The variant :func:`arms.io.detect.detect_format` must report for each kind of request.
_EXPECTED_VARIANTS: dict[str, frozenset[str]] = {
    "register": frozenset({"V1"}),
    "deliveries": frozenset({"V2"}),
    "tiv": frozenset({"V3"}),
}

#: Seconds between progress updates on a terminal (tests shorten it).
_PROGRESS_INTERVAL = 1.0

# One request at a time per process, even when callers use threads: the backend is a
# public service answering slow queries, and parallel calls gain nothing but load.
_REQUEST_LOCK = threading.Lock()


def _user_agent() -> str:
    from arms import __version__

    return (
        f"arms/{__version__} (Python package reading SIPRI Arms Transfers Database "
        f"exports; urllib/{sys.version_info.major}.{sys.version_info.minor})"
    )


def _sleep(seconds: float) -> None:
    """Wait between attempts (a seam for tests)."""
    time.sleep(seconds)


# --------------------------------------------------------------------------------------
# request bodies


def _filter(
    field: str,
    *,
    condition: str = "",
    value1: Any = "",
    value2: Any = "",
    list_data: Sequence[int] = (),
) -> dict[str, Any]:
    # The portal always sends all six keys, empty ones as "" or [].
    return {
        "field": field,
        "oldField": "",
        "condition": condition,
        "value1": value1,
        "value2": value2,
        "listData": list(list_data),
    }


def request_body(
    kind: str,
    *,
    first_year: int,
    last_year: int,
    recipient_ids: Sequence[int] = (),
    supplier_ids: Sequence[int] = (),
    by: str | None = None,
    open_deals: bool = True,
) -> dict[str, Any]:
    """Return the JSON body the SIPRI portal sends for an export.

    The filter objects copy the portal's own requests (as seen in public clients), so
    that the backend answers exactly what a manual download would give.

    Parameters
    ----------
    kind : {"register", "deliveries", "tiv"}
        ``register``: one row per deal (V1). ``deliveries``: one row per deal and delivery
        year (V2). ``tiv``: TIV values table (V3).
    first_year, last_year : int
        The delivery-year range (``Delivery year`` for registers, ``Year range 1`` for
        TIV tables).
    recipient_ids, supplier_ids : sequence of int, optional
        Catalog ``EntityId`` values; empty means all.
    by : {"recipient", "supplier"}, optional
        TIV tables only: one row per recipient (imports table) or per supplier (exports
        table, the portal's ``orderbyseller`` option). Default: ``supplier`` when only
        suppliers are given, else ``recipient``.
    open_deals : bool, default True
        Registers only: also list deals ordered but with no delivery in the range
        (the portal's ``opendeals`` option; SIPRI's default download includes them).

    Returns
    -------
    dict
        ``{"filters": [...], "logic": "AND"}``, ready for :func:`json.dumps`.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or ``by``, or ``by`` given for a register.

    Examples
    --------
    >>> body = request_body("deliveries", first_year=2020, last_year=2024,
    ...                     recipient_ids=[1050423])
    >>> [f["field"] for f in body["filters"]]
    ['Delivery year', 'Recipient', 'exportOption']
    >>> body["filters"][1]["condition"], body["filters"][1]["listData"]
    ('contains', [1050423])
    >>> [f["field"] for f in request_body("tiv", first_year=2000, last_year=2024,
    ...                                   supplier_ids=[7])["filters"]]
    ['Year range 1', 'Supplier', 'orderbyseller', 'DeliveryType']
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    parties = []
    if recipient_ids:
        parties.append(_filter("Recipient", condition="contains", list_data=recipient_ids))
    if supplier_ids:
        parties.append(_filter("Supplier", condition="contains", list_data=supplier_ids))

    if kind == "tiv":
        if by is None:
            by = "supplier" if supplier_ids and not recipient_ids else "recipient"
        if by not in ("recipient", "supplier"):
            raise ValueError(f"by must be 'recipient' or 'supplier', not {by!r}")
        filters = [
            _filter("Year range 1", condition="contains", value1=first_year, value2=last_year),
            *parties,
        ]
        if by == "supplier":
            filters.append(_filter("orderbyseller"))
        # Volumes actually delivered: the figures SIPRI publishes in its tables.
        filters.append(_filter("DeliveryType", value1="delivered"))
        return {"filters": filters, "logic": "AND"}

    if by is not None:
        raise ValueError("by= applies to TIV tables only")
    filters = [
        _filter("Delivery year", condition="contains", value1=first_year, value2=last_year),
        *parties,
    ]
    if kind == "register" and open_deals:
        filters.append(_filter("opendeals"))
    if kind == "deliveries":
        filters.append(_filter("exportOption"))
    return {"filters": filters, "logic": "AND"}


# --------------------------------------------------------------------------------------
# HTTP


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an HTTPError, so it is reported instead of followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


def _snippet(data: bytes, limit: int = 120) -> str:
    """Return the start of a payload, readable in an error message."""
    text = data[:limit].decode("utf-8", errors="replace")
    title = re.search(rb"<title[^>]*>(.*?)</title>", data[:20000], re.I | re.S)
    if title:
        name = title.group(1).decode("utf-8", errors="replace").strip()
        return f"HTML page titled {name!r}"
    more = "..." if len(data) > limit else ""
    return repr(text + more)


def _looks_like_html(data: bytes, content_type: str) -> bool:
    head = data[:512].lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<"))


def _retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (delta or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class _Progress:
    """Show that a slow request is alive: a ticking counter on a terminal, else one line."""

    def __init__(self, label: str, *, enabled: bool):
        self.label = label
        self.enabled = enabled
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = 0.0
        self._stream = None
        self._tty = False

    def __enter__(self) -> _Progress:
        if not self.enabled:
            return self
        self._stream = sys.stderr
        self._start = time.monotonic()
        isatty = getattr(self._stream, "isatty", None)
        self._tty = bool(isatty and isatty())
        if self._tty:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        else:
            self._stream.write(f"{self.label} (SIPRI usually answers in 7-40 s)\n")
            self._stream.flush()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(_PROGRESS_INTERVAL):
            elapsed = time.monotonic() - self._start
            self._stream.write(f"\r{self.label}: waiting {elapsed:.0f} s ")
            self._stream.flush()

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            elapsed = time.monotonic() - self._start
            outcome = "failed" if exc_type else "done"
            self._stream.write(f"\r{self.label}: {outcome} after {elapsed:.0f} s\n")
            self._stream.flush()


@dataclasses.dataclass
class _Client:
    """A polite, sequential HTTP client for the backend (one base URL)."""

    base_url: str
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    progress: bool = True

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def get_json(self, path: str) -> Any:
        return self._decode_json(path, *self.request("GET", path))

    def post_json(self, path: str, body: dict[str, Any], *, label: str) -> Any:
        with _Progress(label, enabled=self.progress):
            return self._decode_json(path, *self.request("POST", path, body))

    def _decode_json(self, path: str, data: bytes, content_type: str) -> Any:
        where = self.url(path)
        if _looks_like_html(data, content_type):
            raise FetchError(
                f"{where} answered an HTML page instead of JSON ({_snippet(data)}); "
                "the backend may have moved: set --api-url or ARMS_SIPRI_API"
            )
        try:
            return json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FetchError(
                f"{where} answered something that is not JSON ({content_type or 'no type'}, "
                f"{len(data)} bytes: {_snippet(data)})"
            ) from exc

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[bytes, str]:
        """Return ``(body bytes, content type)``, retrying transient failures."""
        url = self.url(path)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"User-Agent": _user_agent(), "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        opener = urllib.request.build_opener(_NoRedirect)
        attempts = max(0, int(self.retries)) + 1
        last = ""
        for attempt in range(1, attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with _REQUEST_LOCK, opener.open(req, timeout=self.timeout) as resp:
                    payload = resp.read()
                    return payload, resp.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                status = exc.code
                content = _read_error_body(exc)
                if 300 <= status < 400:
                    target = exc.headers.get("Location", "?")
                    raise FetchError(
                        f"{method} {url} was redirected (HTTP {status}) to {target}; "
                        "the endpoint has moved or been retired, so no data was saved "
                        "(set --api-url or ARMS_SIPRI_API if SIPRI moved the backend)"
                    ) from None
                last = f"HTTP {status} {exc.reason}: {_snippet(content)}"
                if status != 429 and status < 500:
                    raise FetchError(f"{method} {url} failed with {last}") from None
                asked = _retry_after(exc.headers.get("Retry-After"))
                if asked is not None:
                    wait = asked
            except TimeoutError as exc:
                last = f"no answer within {self.timeout:g} s ({exc or 'timed out'})"
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, TimeoutError):
                    last = f"no answer within {self.timeout:g} s (timed out)"
                else:
                    last = f"connection failed: {reason}"
            except (OSError, http.client.HTTPException) as exc:
                last = f"connection failed: {type(exc).__name__}: {exc}"
            if attempt < attempts:
                wait = min(max(wait, 0.0), MAX_WAIT)
                log.warning(
                    "%s %s: %s; retrying in %.1f s (attempt %d of %d)",
                    method,
                    url,
                    last,
                    wait,
                    attempt + 1,
                    attempts,
                )
                _sleep(wait)
        raise FetchError(f"{method} {url} gave up after {attempts} attempt(s): {last}")


def _read_error_body(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read() or b""
    except OSError:
        return b""


# --------------------------------------------------------------------------------------
# cache


def cache_location(cache_dir: str | os.PathLike | None = None) -> Path:
    """Return the directory that holds cached backend answers.

    Parameters
    ----------
    cache_dir : str or path-like, optional
        An explicit directory; it wins over everything else.

    Returns
    -------
    pathlib.Path
        ``cache_dir``, else ``$ARMS_CACHE_DIR``, else ``~/.cache/arms/fetch``. The
        directory is not created here.

    Examples
    --------
    >>> cache_location("/tmp/arms-cache").as_posix()
    '/tmp/arms-cache'
    """
    if cache_dir is not None:
        return Path(cache_dir)
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    return Path.home() / ".cache" / "arms" / "fetch"


def _cache_key(url: str, body: Any, max_year: int) -> str:
    blob = json.dumps({"url": url, "body": body, "max_year": max_year}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either complete or untouched.

    The bytes go to a hidden temporary file in the same directory (same file system),
    which then replaces ``path`` in one step; on any failure the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _Cache:
    """Payloads and catalogs on disk, one pair of files per request."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def get(self, key: str) -> bytes | None:
        if self.directory is None:
            return None
        data_path = self.directory / f"{key}.bin"
        meta_path = self.directory / f"{key}.json"
        try:
            data = data_path.read_bytes()
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("sha256") != hashlib.sha256(data).hexdigest():
            log.warning("ignoring corrupt cache entry %s", data_path)
            return None
        return data

    def put(self, key: str, data: bytes, meta: dict[str, Any]) -> None:
        if self.directory is None:
            return
        meta = {**meta, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        try:
            _write_atomic(self.directory / f"{key}.bin", data)
            _write_atomic(
                self.directory / f"{key}.json",
                json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"),
            )
        except OSError as exc:  # a read-only cache must not fail a good download
            log.warning("could not write the fetch cache in %s: %s", self.directory, exc)


# --------------------------------------------------------------------------------------
# backend calls


def _max_year(client: _Client) -> int:
    answer = client.get_json(_MAX_YEAR_PATH)
    value = answer
    if isinstance(answer, dict) and len(answer) == 1:
        (value,) = answer.values()
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1950 <= value <= 2200:
        return value
    raise FetchError(
        f"GET {client.url(_MAX_YEAR_PATH)} did not answer a year: {str(answer)[:100]!r}"
    )


def _catalog(client: _Client, cache: _Cache, max_year: int) -> list[dict[str, Any]]:
    url = client.url(_CATALOG_PATH)
    key = "catalog-" + _cache_key(url, None, max_year)
    cached = cache.get(key)
    if cached is not None:
        return json.loads(cached)
    answer = client.get_json(_CATALOG_PATH)
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
            f"([{{'EntityId': ..., 'Name': ...}}, ...]): {str(answer)[:100]!r}"
        )
    raw = json.dumps(entries, ensure_ascii=False).encode("utf-8")
    cache.put(key, raw, {"url": url, "max_year": max_year})
    return entries


def _resolve(names: Sequence[str], catalog: list[dict[str, Any]], role: str) -> list[int]:
    """Return the catalog ids of ``names``; raise one error listing every unknown name.

    Names are compared the way every other part of :mod:`arms` compares them. A name
    matches a catalog entry, in this order: exactly; by :func:`arms.entities.name_key`
    (case, accents and spacing ignored: `` armenia`` finds ``Armenia``); by
    :func:`arms.entities.party_key`, i.e. through the entity crosswalk, when the name and the
    entry are spellings of one party (``Turkey`` finds ``Turkiye`` and ``Libya HoR*`` finds
    whatever SIPRI calls that party now).
    """
    from arms.entities import name_key, party_key

    # Prefer live entries when a name also has a deleted one.
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
        by_key = {name_key(n): n for n in sorted(exact)}
        parts = []
        for name in unknown:
            close = difflib.get_close_matches(name_key(name), list(by_key), n=4, cutoff=0.6)
            hint = ", ".join(by_key[c] for c in close) if close else "no close match"
            parts.append(f"{name!r} (did you mean: {hint}?)")
        raise FetchError(f"unknown {role} name(s) in the SIPRI catalog: " + "; ".join(parts))
    return ids


def _verify_payload(data: bytes, expected: set[str] | frozenset[str]) -> str:
    """Return the variant of ``data`` if it is a SIPRI export of an ``expected`` variant.

    The bytes are written to a temporary file and checked by the project's own detector,
    :func:`arms.io.detect.detect_format`, so "is this a SIPRI file" means the same here as
    in every reader.

    Raises
    ------
    arms.FetchError
        When the bytes are not a SIPRI export, or are one of another variant.
    """
    if not data.strip():
        raise FetchError("the payload is empty")
    from arms.io.detect import detect_format

    with tempfile.TemporaryDirectory(prefix="arms-fetch-") as tmp:
        path = Path(tmp) / "payload.csv"
        path.write_bytes(data)
        try:
            info = detect_format(path)
        except SipriFormatError as exc:
            raise FetchError(
                f"the payload is not a SIPRI export: {exc.reason}; it starts with {_snippet(data)}"
            ) from exc
    variant = info.variant
    if variant not in expected:
        raise FetchError(
            f"the payload is a SIPRI {variant} file, not the expected "
            f"{' or '.join(sorted(expected))}; it starts with {_snippet(data)}"
        )
    return variant


def _decode_payload(answer: Any) -> bytes:
    if not isinstance(answer, dict) or "bytes" not in answer:
        keys = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
        raise FetchError(
            f"the JSON answer has no 'bytes' payload (got {keys}: {str(answer)[:120]!r})"
        )
    encoded = answer["bytes"]
    if not isinstance(encoded, str) or not encoded.strip():
        raise FetchError(f"the 'bytes' payload is empty ({str(encoded)[:40]!r})")
    try:
        return base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FetchError(
            f"the 'bytes' payload is not valid base64 ({exc}; starts {encoded[:40]!r})"
        ) from exc


# --------------------------------------------------------------------------------------
# the fetch itself


@dataclasses.dataclass(frozen=True)
class FetchResult:
    path: Path
    variant: str
    size: int
    cached: bool
    sha256: str
    max_year: int
    url: str


def _names(value: str | Iterable[str] | None, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    names = list(value)
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise TypeError(f"{what} must be names (str), got {bad!r}")
    return names


def _slug(names: Sequence[str]) -> str:
    if not names:
        return "all"
    slugs = [re.sub(r"[^a-z0-9]+", "-", n.casefold()).strip("-") or "x" for n in names]
    if len(slugs) > 3:
        slugs = [*slugs[:3], f"and-{len(slugs) - 3}-more"]
    return "+".join(slugs)


def _today() -> dt.date:
    return dt.date.today()


def default_output_path(
    kind: str,
    *,
    recipients: Sequence[str] = (),
    suppliers: Sequence[str] = (),
    first_year: int,
    last_year: int,
    fetched: dt.date | None = None,
) -> Path:
    """Return where a fetch is saved when no output path is given.

    The file lands in the bundled-data folder (:data:`arms.paths.SIPRI_DIR`) under a name
    that says what was asked and when: kind, suppliers, recipients, years and the date
    of the download. A new download never overwrites an older one from another day.

    Parameters
    ----------
    kind : {"register", "deliveries", "tiv"}
        The export asked for.
    recipients, suppliers : sequence of str, optional
        The names as the user gave them; none means all.
    first_year, last_year : int
        The year range.
    fetched : datetime.date, optional
        The download date; today by default.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import datetime
    >>> default_output_path("register", recipients=["Armenia"], first_year=1990,
    ...                     last_year=2025, fetched=datetime.date(2026, 7, 14)).name
    'sipri-register_all-to-armenia_1990-2025_fetched-2026-07-14.csv'
    """
    fetched = fetched or _today()
    name = (
        f"sipri-{kind}_{_slug(suppliers)}-to-{_slug(recipients)}_"
        f"{first_year}-{last_year}_fetched-{fetched.isoformat()}.csv"
    )
    return Path(paths.SIPRI_DIR) / name


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
    recipient_names = _names(recipients, "recipients")
    supplier_names = _names(suppliers, "suppliers")
    for label, year in (("first_year", first_year), ("last_year", last_year)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise TypeError(f"{label} must be an int, not {type(year).__name__}")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout!r}")
    if by is not None and kind != "tiv":
        raise ValueError("by= applies to TIV tables only")
    if first_year is not None and last_year is not None and first_year > last_year:
        raise ValueError(f"the year range is empty: {first_year} is after {last_year}")

    base = api_url or os.environ.get(API_URL_ENV) or DEFAULT_API_URL
    client = _Client(base, timeout=timeout, retries=retries, backoff=backoff, progress=progress)
    store = _Cache(cache_location(cache_dir) if cache else None)

    max_year = _max_year(client)
    first = FIRST_YEAR if first_year is None else first_year
    last = max_year if last_year is None else last_year
    if first > last:
        raise ValueError(f"the year range is empty: {first} is after {last}")
    if last > max_year:
        log.warning("SIPRI's data end in %d; years after it will be empty", max_year)

    needs_catalog = recipient_names or supplier_names
    catalog = _catalog(client, store, max_year) if needs_catalog else []
    recipient_ids = _resolve(recipient_names, catalog, "recipient")
    supplier_ids = _resolve(supplier_names, catalog, "supplier")
    body = request_body(
        kind,
        first_year=first,
        last_year=last,
        recipient_ids=recipient_ids,
        supplier_ids=supplier_ids,
        by=by,
        open_deals=open_deals,
    )
    endpoint = _TIV_PATH if kind == "tiv" else _REGISTER_PATH
    url = client.url(endpoint)
    asked = (
        f"{kind} of {', '.join(supplier_names) or 'all suppliers'} to "
        f"{', '.join(recipient_names) or 'all recipients'}, {first}-{last}"
    )
    expected = _EXPECTED_VARIANTS[kind]

    key = _cache_key(url, body, max_year)
    data = store.get(key)
    cached = data is not None
    if data is None:
        try:
            answer = client.post_json(endpoint, body, label=f"arms fetch: {kind} {first}-{last}")
        except FetchError as exc:
            raise FetchError(f"fetching the {asked}: {exc}") from exc
        try:
            data = _decode_payload(answer)
            variant = _verify_payload(data, expected)
        except FetchError as exc:
            raise FetchError(f"fetching the {asked}: POST {url} answered, but {exc}") from exc
        meta = {"url": url, "body": body, "max_year": max_year, "kind": kind}
        store.put(key, data, {**meta, "fetched": dt.datetime.now(dt.UTC).isoformat()})
    else:
        log.info("using the cached answer %s for the %s", key, asked)
        try:
            variant = _verify_payload(data, expected)
        except FetchError as exc:
            where = store.directory / f"{key}.bin"
            raise FetchError(f"the cached answer {where} for the {asked}: {exc}") from exc

    out = (
        Path(output)
        if output is not None
        else default_output_path(
            kind,
            recipients=recipient_names,
            suppliers=supplier_names,
            first_year=first,
            last_year=last,
        )
    )
    _write_atomic(out, data)
    return FetchResult(
        path=out,
        variant=variant,
        size=len(data),
        cached=cached,
        sha256=hashlib.sha256(data).hexdigest(),
        max_year=max_year,
        url=url,
    )


_COMMON_DOC = """    recipients, suppliers : str or iterable of str, optional
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
        Seconds to wait for each answer.
    retries : int, default 3
        Further attempts after a 5xx/429 answer, a timeout or a connection error.
    backoff : float, default 2
        Seconds before the first retry, doubled each time (``Retry-After`` wins).
    progress : bool, default True
        Show on stderr that the (slow) request is running."""


def fetch_register(
    recipients: str | Iterable[str] | None = None,
    suppliers: str | Iterable[str] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    output: str | os.PathLike | None = None,
    open_deals: bool = True,
    api_url: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: bool = True,
) -> Path:
    """Return the path of a freshly downloaded SIPRI trade register (V1, one row per deal).

    Parameters
    ----------
    {common}
    open_deals : bool, default True
        Also list orders with no delivery in the range, as SIPRI's own download does.

    Returns
    -------
    pathlib.Path
        The written file, byte for byte what SIPRI sent; read it with
        :func:`arms.read_trade_register`.

    Raises
    ------
    arms.FetchError
        When a name is not in SIPRI's catalog, the backend cannot be reached, or it
        answers anything but a V1 trade register (an HTML page, JSON without the payload,
        bad base64, another variant). No file is written then.
    ValueError
        For an empty year range or a timeout that is not positive.
    TypeError
        When a name is not a str or a year not an int.

    Examples
    --------
    >>> path = arms.fetch_register("Armenia", first_year=1990)  # doctest: +SKIP
    >>> deals = arms.read_trade_register(path)  # doctest: +SKIP
    """
    return fetch_export(
        "register",
        recipients,
        suppliers,
        first_year=first_year,
        last_year=last_year,
        output=output,
        api_url=api_url,
        cache=cache,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
        open_deals=open_deals,
    ).path


def fetch_deliveries(
    recipients: str | Iterable[str] | None = None,
    suppliers: str | Iterable[str] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    output: str | os.PathLike | None = None,
    api_url: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: bool = True,
) -> Path:
    """Return the path of a freshly downloaded SIPRI deliveries register (V2).

    One row per deal and delivery year, with SIPRI's own per-year units and TIV.

    Parameters
    ----------
    {common}

    Returns
    -------
    pathlib.Path
        The written file; read it with :func:`arms.read_deliveries`.

    Raises
    ------
    arms.FetchError
        As :func:`fetch_register`, with V2 the expected variant.

    Examples
    --------
    >>> path = arms.fetch_deliveries(suppliers="Russia", first_year=2014)  # doctest: +SKIP
    >>> arms.read_deliveries(path).groupby("year")["tiv"].sum()  # doctest: +SKIP
    """
    return fetch_export(
        "deliveries",
        recipients,
        suppliers,
        first_year=first_year,
        last_year=last_year,
        output=output,
        api_url=api_url,
        cache=cache,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
    ).path


def fetch_tiv(
    recipients: str | Iterable[str] | None = None,
    suppliers: str | Iterable[str] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    by: str | None = None,
    output: str | os.PathLike | None = None,
    api_url: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: bool = True,
) -> Path:
    """Return the path of a freshly downloaded SIPRI TIV values table (V3).

    Parameters
    ----------
    {common}
    by : {"recipient", "supplier"}, optional
        One row per recipient (imports table) or per supplier (exports table). By
        default ``supplier`` when only suppliers are given, else ``recipient``.

    Returns
    -------
    pathlib.Path
        The written file; read it with :func:`arms.read_tiv_table`.

    Raises
    ------
    arms.FetchError
        As :func:`fetch_register`, with V3 the expected variant.

    Examples
    --------
    >>> path = arms.fetch_tiv(first_year=2000, last_year=2024)  # doctest: +SKIP
    >>> arms.read_tiv_table(path)  # doctest: +SKIP
    """
    return fetch_export(
        "tiv",
        recipients,
        suppliers,
        first_year=first_year,
        last_year=last_year,
        output=output,
        api_url=api_url,
        cache=cache,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
        by=by,
    ).path


# The shared parameters are written once (pandas does the same with its doc templates).
for _func in (fetch_register, fetch_deliveries, fetch_tiv):
    _func.__doc__ = _func.__doc__.replace("    {common}", _COMMON_DOC)
del _func

