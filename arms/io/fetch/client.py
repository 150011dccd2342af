"""The HTTP client of :mod:`arms.io.fetch`: polite, sequential, retried, with progress.

Requests are sequential (one at a time per process), carry a User-Agent naming this
package, time out, and are retried with exponential backoff on 5xx, 429 and connection
errors (``Retry-After`` is honoured). Redirects are not followed: a redirect is the
symptom of a moved or retired endpoint and is reported as :class:`arms.FetchError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import http.client
import json
import logging
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TextIO

from arms import __version__
from arms.errors import FetchError

__all__ = [
    "DEFAULT_API_URL",
    "API_URL_ENV",
    "DEFAULT_TIMEOUT",
    "DEFAULT_RETRIES",
    "DEFAULT_BACKOFF",
    "MAX_WAIT",
    "PROGRESS_INTERVAL",
    "Client",
    "Progress",
    "user_agent",
    "snippet",
    "looks_like_html",
    "retry_after",
]

log = logging.getLogger(__name__)

#: The backend the SIPRI portal talks to (``ARMS_SIPRI_API`` overrides it).
DEFAULT_API_URL = "https://atbackend.sipri.org/api/p"
API_URL_ENV = "ARMS_SIPRI_API"

#: Seconds to wait for one answer. SIPRI takes 7-40 s for a CSV; leave headroom.
DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 2.0
#: Longest pause between attempts, whatever ``Retry-After`` asks for.
MAX_WAIT = 300.0
#: Seconds between progress updates on a terminal.
PROGRESS_INTERVAL = 1.0

# One request at a time per process, even when callers use threads: the backend is a
# public service answering slow queries, and parallel calls gain nothing but load.
_REQUEST_LOCK = threading.Lock()


#: The largest answer read (a full register is about 4 MB, base64 and JSON add a third).
MAX_ANSWER_BYTES = 64 * 2**20
_CHUNK = 1 << 16


def user_agent() -> str:
    """Return the User-Agent every request carries: this package, its version and urllib.

    Examples
    --------
    >>> user_agent().startswith("arms/")
    True
    """
    return (
        f"arms/{__version__} (Python package reading SIPRI Arms Transfers Database "
        f"exports; urllib/{sys.version_info.major}.{sys.version_info.minor})"
    )


def snippet(data: bytes, limit: int = 120) -> str:
    """Return the start of a payload, readable in an error message.

    Parameters
    ----------
    data : bytes
        What the backend answered.
    limit : int, default 120
        Bytes shown at most.

    Returns
    -------
    str
        The title of an HTML page, else the first ``limit`` bytes as a repr.

    Examples
    --------
    >>> snippet(b"<html><title>Moved</title></html>")
    "HTML page titled 'Moved'"
    >>> snippet(b"abcdef", limit=3)
    "'abc...'"
    """
    text = data[:limit].decode("utf-8", errors="replace")
    title = re.search(rb"<title[^>]*>(.*?)</title>", data[:20000], re.I | re.S)
    if title:
        name = title.group(1).decode("utf-8", errors="replace").strip()
        return f"HTML page titled {name!r}"
    more = "..." if len(data) > limit else ""
    return repr(text + more)


def looks_like_html(data: bytes, content_type: str) -> bool:
    """Return whether an answer is a web page (by its type or its first bytes).

    Examples
    --------
    >>> looks_like_html(b"  <!DOCTYPE html>", ""), looks_like_html(b"{}", "application/json")
    (True, False)
    """
    head = data[:512].lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<"))


def retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (delta or HTTP date).

    Examples
    --------
    >>> retry_after("7"), retry_after(None), retry_after("soon")
    (7.0, None, None)
    >>> retry_after("Mon, 01 Jan 2001 00:00:00 GMT")  # a date in the past: no wait
    0.0
    """
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


class Progress:
    r"""Show that a slow request is alive: a ticking counter on a terminal, else one line.

    Parameters
    ----------
    label : str
        What is running (``arms fetch: register 2000-2025``).
    enabled : bool
        False shows nothing.
    interval : float, default :data:`PROGRESS_INTERVAL`
        Seconds between updates on a terminal.
    stream : text stream, optional
        Where to write; ``sys.stderr`` (as it is when the block starts) by default.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with Progress("arms fetch: tiv 2000-2024", enabled=True, stream=out):
    ...     pass
    >>> out.getvalue()
    'arms fetch: tiv 2000-2024 (SIPRI usually answers in 7-40 s)\n'
    """

    def __init__(
        self,
        label: str,
        *,
        enabled: bool,
        interval: float = PROGRESS_INTERVAL,
        stream: TextIO | None = None,
    ):
        self.label = label
        self.enabled = enabled
        self.interval = interval
        self._given_stream = stream
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = 0.0
        self._stream: TextIO | None = None

    def __enter__(self) -> Progress:
        if not self.enabled:
            return self
        self._stream = self._given_stream or sys.stderr
        self._start = time.monotonic()
        isatty = getattr(self._stream, "isatty", None)
        if isatty and isatty():
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        else:
            self._stream.write(f"{self.label} (SIPRI usually answers in 7-40 s)\n")
            self._stream.flush()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an HTTPError, so it is reported instead of followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


@dataclasses.dataclass
class Client:
    """A polite, sequential HTTP client for the backend (one base URL).

    Parameters
    ----------
    base_url : str
        The backend's base URL; paths are joined to it.
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds to wait for each answer.
    retries : int, default :data:`DEFAULT_RETRIES`
        Further attempts after a 5xx/429 answer, a timeout or a connection error.
    backoff : float, default :data:`DEFAULT_BACKOFF`
        Seconds before the first retry, doubled each time (``Retry-After`` wins; never more
        than :data:`MAX_WAIT`).
    progress : bool, default True
        Show on stderr that a POST (the slow request) is running.
    sleep : callable, default :func:`time.sleep`
        How to wait between attempts (a caller that schedules its own waits passes another).

    Examples
    --------
    >>> Client("https://example.org/api/p/").url("/trades/getMaxYear")
    'https://example.org/api/p/trades/getMaxYear'
    """

    base_url: str
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    progress: bool = True
    sleep: Callable[[float], Any] = time.sleep

    def url(self, path: str) -> str:
        """Return the full URL of ``path``."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def get_json(self, path: str) -> Any:
        """GET ``path``; return the decoded JSON answer."""
        return self._decode_json(path, *self.request("GET", path))

    def post_json(self, path: str, body: dict[str, Any], *, label: str) -> Any:
        """POST ``body`` as JSON to ``path``, showing progress as ``label``; return the JSON."""
        with Progress(label, enabled=self.progress):
            return self._decode_json(path, *self.request("POST", path, body))

    def _decode_json(self, path: str, data: bytes, content_type: str) -> Any:
        where = self.url(path)
        if looks_like_html(data, content_type):
            raise FetchError(
                f"{where} answered an HTML page instead of JSON ({snippet(data)}); "
                "the backend may have moved: set --api-url or ARMS_SIPRI_API"
            )
        try:
            return json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FetchError(
                f"{where} answered something that is not JSON ({content_type or 'no type'}, "
                f"{len(data)} bytes: {snippet(data)})"
            ) from exc

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[bytes, str]:
        """Return ``(body bytes, content type)``, retrying transient failures.

        Raises
        ------
        arms.FetchError
            On a redirect or a 4xx answer (not retried), or when the last attempt failed.
        """
        url = self.url(path)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"User-Agent": user_agent(), "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        opener = urllib.request.build_opener(_NoRedirect)
        attempts = max(0, int(self.retries)) + 1
        last = ""
        for attempt in range(1, attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with _REQUEST_LOCK:
                    deadline = time.monotonic() + self.timeout  # the whole attempt
                    with opener.open(req, timeout=self.timeout) as resp:
                        payload = self._read_bounded(resp, method, url, deadline)
                        return payload, resp.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                last, asked = self._http_failure(method, url, exc)
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
                self.sleep(wait)
        raise FetchError(f"{method} {url} gave up after {attempts} attempt(s): {last}")

    def _read_bounded(self, resp, method: str, url: str, deadline: float) -> bytes:
        """Read an answer within the overall deadline and the size cap.

        ``timeout`` bounds each read of a socket; a server dripping a byte at a time would
        never trip it, so the whole attempt (answer included) has ``timeout`` seconds.
        """
        parts, size = [], 0
        while True:
            chunk = resp.read(_CHUNK)
            if not chunk:
                return b"".join(parts)
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise FetchError(
                    f"{method} {url}: the answer exceeds {MAX_ANSWER_BYTES // 2**20} MB; "
                    "ask for fewer years or parties"
                )
            parts.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(
                    f"{method} {url}: the answer did not arrive within {self.timeout:g} s "
                    "(a slow or stalled transfer)"
                )

    @staticmethod
    def _http_failure(
        method: str, url: str, exc: urllib.error.HTTPError
    ) -> tuple[str, float | None]:
        """Return what a retryable HTTP error says and the wait it asks for; raise the rest."""
        status = exc.code
        try:
            content = exc.read() or b""
        except OSError:
            content = b""
        if 300 <= status < 400:
            target = exc.headers.get("Location", "?")
            raise FetchError(
                f"{method} {url} was redirected (HTTP {status}) to {target}; "
                "the endpoint has moved or been retired, so no data was saved "
                "(set --api-url or ARMS_SIPRI_API if SIPRI moved the backend)"
            ) from None
        last = f"HTTP {status} {exc.reason}: {snippet(content)}"
        if status != 429 and status < 500:
            raise FetchError(f"{method} {url} failed with {last}") from None
        return last, retry_after(exc.headers.get("Retry-After"))
