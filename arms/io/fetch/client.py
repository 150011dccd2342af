"""The HTTP client of :mod:`arms.io.fetch`: polite, sequential, retried, with progress.

Requests are sequential (one at a time per process), carry a User-Agent naming this
package, and are retried with exponential backoff on 5xx, 429 and connection errors
(``Retry-After`` is honoured). Redirects are not followed: a redirect is the symptom of a
moved or retired endpoint and is reported as :class:`arms.FetchError`.

Each attempt has one overall deadline, ``timeout`` seconds for everything (connecting,
waiting, reading the answer): a server that drips a byte at a time never trips a socket's
per-read timeout, so a timer shuts the connection down when the deadline passes. An attempt
that ran out of time is not retried: ``timeout`` is the longest a caller waits for an answer.
An answer longer than :data:`MAX_ANSWER_BYTES` is refused as soon as it is known to be (by
its Content-Length, or once that many bytes arrived), never read whole into memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email.utils
import http.client
import json
import logging
import re
import socket
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
    "clip",
    "bounded",
    "looks_like_html",
    "retry_after",
]

log = logging.getLogger(__name__)

#: The backend the SIPRI portal talks to (``ARMS_SIPRI_API`` overrides it).
DEFAULT_API_URL = "https://atbackend.sipri.org/api/p"
API_URL_ENV = "ARMS_SIPRI_API"

#: Seconds one request may take in all. SIPRI takes 7-40 s for a CSV; leave headroom.
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


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def clip(text: str, limit: int) -> str:
    r"""Return ``text`` on one line without control characters, at most ``limit`` long.

    Everything a server or a payload says passes through here before it reaches a message,
    so no message quotes more than a short excerpt or moves a terminal's cursor.

    Examples
    --------
    >>> clip("a\x1b[2Jb\nc", 80), clip("x" * 50, 10)
    ('a [2Jb c', 'xxxxxxx...')
    """
    text = _CONTROL.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bounded(message: str, limit: int = 290) -> str:
    """Return ``message`` cut in its middle to at most ``limit`` characters, ends kept.

    The last guard of every fetch error: its start says what was asked, its end what to do.

    Examples
    --------
    >>> bounded("a" * 10 + "b" * 10, 12)
    'aaaaa ... bb'
    """
    if len(message) <= limit:
        return message
    tail = (limit - 5) // 3
    return message[: limit - 5 - tail] + " ... " + message[len(message) - tail :]


def snippet(data: bytes, limit: int = 40) -> str:
    """Return a short excerpt of the start of a payload, readable in an error message.

    Parameters
    ----------
    data : bytes
        What the backend answered.
    limit : int, default 40
        Characters of the excerpt at most (control characters become spaces).

    Returns
    -------
    str
        The title of an HTML page (cut to ``limit``), else the first bytes as a repr.

    Examples
    --------
    >>> snippet(b"<html><title>Moved</title></html>")
    "HTML page titled 'Moved'"
    >>> snippet(b"abcdef", limit=3)
    "'abc...'"
    """
    title = re.search(rb"<title[^>]*>(.{0,2000}?)</title>", data[:20000], re.I | re.S)
    if title:
        name = title.group(1).decode("utf-8", errors="replace")
        return f"HTML page titled {clip(name, limit)!r}"
    text = clip(data[: limit * 4].decode("utf-8", errors="replace"), 10 * limit)
    more = "..." if len(text) > limit or len(data) > len(text.encode()) else ""
    return repr(text[:limit].rstrip() + more) if text else f"{len(data):,} blank bytes"


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


class _Deadline:
    """The end of one attempt: when it passes, the attempt's sockets are shut down.

    Shutting a socket down wakes a read blocked on it in another thread, so no read, however
    slowly the bytes drip, outlives the deadline. The sockets are watched through duplicates
    (a shutdown acts on the connection, whichever descriptor names it), which also covers a
    TLS socket later wrapped around the same connection.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._watched: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._watched:
                with contextlib.suppress(OSError):
                    sock.close()
            self._watched.clear()

    def remaining(self) -> float:
        """Return the seconds left (never less than a millisecond, for socket timeouts)."""
        return max(self.end - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        with self._lock:
            twin = sock.dup()
            self._watched.append(twin)
            if self.expired:
                self._shut(twin)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._watched:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> type:
    """Return a connection class like ``base`` whose sockets ``deadline`` shuts down."""

    class _Watched(http.client.HTTPConnection):
        def connect(self) -> None:
            self.timeout = min(self.timeout, deadline.remaining())
            super().connect()  # the TCP connection (and a proxy tunnel), before any TLS
            deadline.watch(self.sock)

    if base is http.client.HTTPConnection:
        return _Watched
    # HTTPSConnection.connect calls _Watched.connect for the TCP part, then wraps it in TLS
    return type("_WatchedHTTPS", (base, _Watched), {})


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):  # noqa: D102
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):  # noqa: D102
        return self.do_open(_watched(http.client.HTTPSConnection, self.deadline), req)


class _Transient(Exception):
    """A failed attempt worth another: what went wrong and the wait the server asked for."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.message = message
        self.wait = wait


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
        Seconds each request may take in all (connecting, waiting, reading the answer);
        a request that runs out of time fails at once, without retries.
    retries : int, default :data:`DEFAULT_RETRIES`
        Further attempts after a 5xx/429 answer or a connection error.
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
                f"{where} answered an HTML page, not JSON ({snippet(data)}); "
                "moved? (set --api-url or ARMS_SIPRI_API)"
            )
        try:
            return json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FetchError(
                f"{where} answered something that is not JSON "
                f"({clip(content_type, 40) or 'no type'}, {len(data):,} bytes: {snippet(data)})"
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
        attempts = max(0, int(self.retries)) + 1
        last = ""
        for attempt in range(1, attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with _REQUEST_LOCK, _Deadline(self.timeout) as deadline:
                    return self._attempt(req, method, url, deadline)
            except _Transient as exc:
                last = exc.message
                if exc.wait is not None:
                    wait = exc.wait
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
        raise FetchError(bounded(f"{method} {url} gave up after {attempts} attempt(s): {last}"))

    def _attempt(
        self, req: urllib.request.Request, method: str, url: str, deadline: _Deadline
    ) -> tuple[bytes, str]:
        """Make one attempt within ``deadline``; raise :class:`_Transient` if worth another."""
        opener = urllib.request.build_opener(
            _NoRedirect, _HTTPHandler(deadline), _HTTPSHandler(deadline)
        )
        try:
            with opener.open(req, timeout=deadline.remaining()) as resp:
                payload = self._read_bounded(resp, method, url, deadline)
                return payload, resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            if deadline.expired:
                raise self._too_slow(method, url) from None
            raise _Transient(*self._http_failure(method, url, exc)) from None
        except (OSError, http.client.HTTPException) as exc:  # URLError is an OSError
            reason = getattr(exc, "reason", None) or exc
            if deadline.expired or isinstance(reason, TimeoutError):
                raise self._too_slow(method, url) from None
            text = reason if isinstance(reason, str) else f"{type(reason).__name__}: {reason}"
            raise _Transient(f"connection failed: {clip(str(text), 100)}") from None

    def _too_slow(self, method: str, url: str) -> FetchError:
        return FetchError(
            f"{method} {url}: no complete answer within {self.timeout:g} s (the timeout "
            "bounds the whole request, a slow transfer included; not retried)"
        )

    def _read_bounded(self, resp, method: str, url: str, deadline: _Deadline) -> bytes:
        """Read an answer within the overall deadline and the size cap.

        An answer whose Content-Length is over the cap is refused before its first byte is
        read; any other is read in chunks and refused once it passes the cap, so at most
        :data:`MAX_ANSWER_BYTES` plus one chunk is ever held.
        """
        cap = MAX_ANSWER_BYTES
        announced = (resp.headers.get("Content-Length") or "").strip()
        if announced.isdigit() and int(announced) > cap:
            raise self._too_big(method, url, f"announces {int(announced):,} bytes")
        parts, size = [], 0
        while True:
            chunk = resp.read(_CHUNK)
            if deadline.expired:  # a cut-short read is not the end of the answer
                raise self._too_slow(method, url)
            if not chunk:
                return b"".join(parts)
            size += len(chunk)
            if size > cap:
                raise self._too_big(method, url, f"passed {cap:,} bytes")
            parts.append(chunk)

    @staticmethod
    def _too_big(method: str, url: str, what: str) -> FetchError:
        return FetchError(
            f"{method} {url}: the answer {what}, over the {MAX_ANSWER_BYTES:,}-byte limit "
            "(a full register is 5 MB); ask for fewer years or parties"
        )

    @staticmethod
    def _http_failure(
        method: str, url: str, exc: urllib.error.HTTPError
    ) -> tuple[str, float | None]:
        """Return what a retryable HTTP error says and the wait it asks for; raise the rest."""
        status = exc.code
        try:
            content = exc.read(4096) or b""  # an error page is quoted, never read whole
        except OSError:
            content = b""
        if 300 <= status < 400:
            target = clip(exc.headers.get("Location", "?"), 60)
            raise FetchError(
                f"{method} {url} was redirected (HTTP {status}) to {target}: moved or "
                "retired; nothing saved (set --api-url or ARMS_SIPRI_API)"
            ) from None
        last = f"HTTP {status} {clip(exc.reason, 40)}: {snippet(content)}"
        if status != 429 and status < 500:
            raise FetchError(f"{method} {url} failed with {last}") from None
        return last, retry_after(exc.headers.get("Retry-After"))
