"""Tests for arms.io.fetch.client: retries, timeouts, politeness and progress.

End to end through the fetch functions against the fake backend of fetch_backend.py; the
exact pauses between attempts are asserted on :class:`arms.io.fetch.client.Client`, whose
``sleep`` records them instead of sleeping.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import time
import tracemalloc

import pytest
from fetch_backend import MAX_YEAR, REGISTER, V1, FakeBackend, Reply, leftovers, payload

import arms.io.fetch.client
from arms.errors import FetchError
from arms.io.fetch import fetch_register
from arms.io.fetch.client import MAX_WAIT, Client, Progress

pytest_plugins = ["fetch_backend"]
pytestmark = pytest.mark.usefixtures("isolated")


def retries_logged(caplog) -> list[str]:
    """Return the "retrying in ..." warnings the client logged."""
    return [r.getMessage() for r in caplog.records if "retrying in" in r.getMessage()]


@pytest.fixture
def waits():
    """The pauses a :class:`Client` asked for, recorded instead of slept."""
    return []


@pytest.fixture
def client(backend, waits):
    """A client of the fake backend that records its pauses in ``waits``."""
    return Client(
        backend.url, timeout=2.0, retries=2, backoff=0.01, progress=False, sleep=waits.append
    )


def test_retries_a_500_then_succeeds(backend, opts, tmp_path, caplog):
    backend.route("POST", REGISTER, Reply(500, b"Internal Server Error"), Reply(body=payload(V1)))
    with caplog.at_level(logging.WARNING):
        out = fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert out.read_bytes() == V1
    posts = backend.calls("POST")
    assert len(posts) == 2 and posts[0].body == posts[1].body
    (retry,) = retries_logged(caplog)
    assert "HTTP 500" in retry and "(attempt 2 of 3)" in retry


def test_client_waits_the_backoff_between_attempts(backend, client, waits):
    backend.route("POST", REGISTER, Reply(500, b"Internal Server Error"), Reply(body=payload(V1)))
    data, _ = client.request("POST", REGISTER.removeprefix("/api/p/"), {"filters": []})
    assert data == payload(V1)
    assert waits == [0.01]


def test_honours_retry_after_and_backs_off_exponentially(backend, client, waits):
    backend.route(
        "POST",
        REGISTER,
        Reply(503, headers={"Retry-After": "7"}),
        Reply(502),
        Reply(body=payload(V1)),
    )
    client.post_json(REGISTER.removeprefix("/api/p/"), {"filters": []}, label="test")
    assert waits == [7.0, 0.02]


def test_never_waits_longer_than_max_wait(backend, client, waits):
    backend.route("POST", REGISTER, Reply(429, headers={"Retry-After": "86400"}), Reply(body=b"1"))
    assert client.post_json(REGISTER.removeprefix("/api/p/"), {}, label="test") == 1
    assert waits == [MAX_WAIT]


def test_gives_up_after_the_last_retry(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(502, b"Bad Gateway", content_type="text/plain"))
    with pytest.raises(FetchError, match=r"gave up after 3 attempt\(s\): HTTP 502"):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 3
    assert leftovers(tmp_path) == ["cache"] or leftovers(tmp_path) == []


def test_client_errors_are_not_retried(backend, opts, tmp_path, caplog):
    backend.route("POST", REGISTER, Reply(400, b'{"title": "bad filter"}'))
    with caplog.at_level(logging.WARNING), pytest.raises(FetchError, match=r"HTTP 400 .*bad"):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 1 and retries_logged(caplog) == []


def test_timeout_is_reported_not_retried(backend, opts, tmp_path):
    # the timeout is the longest a caller waits: an attempt that used it up is not repeated
    backend.route("POST", REGISTER, Reply(body=payload(V1), delay=0.6))
    opts.update(timeout=0.15, retries=1)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"no complete answer within 0.15 s .*not retried"):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert time.monotonic() - start < 0.5  # did not wait for the slow answer
    assert len(backend.calls("POST")) == 1
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    "reply",
    [
        # headers at once, then the body one byte every 0.2 s: every read gets a byte well
        # within the socket timeout, so only an overall deadline ends it (8 s without one)
        Reply(body=payload(V1)[:40], drip=0.2),
        # the status line itself dripped (about 20 s without an overall deadline)
        Reply(body=b"2025", drip=0.2, drip_all=True),
    ],
    ids=["body", "status-line"],
)
def test_slow_drip_is_cut_at_the_overall_deadline(backend, opts, tmp_path, reply):
    backend.route("POST", REGISTER, reply)
    opts.update(timeout=1.0, retries=3, backoff=0.01)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"no complete answer within 1 s") as info:
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    elapsed = time.monotonic() - start
    assert 0.9 < elapsed < 2.0, elapsed
    assert len(backend.calls("POST")) == 1 and len(str(info.value)) < 300
    assert leftovers(tmp_path) == []  # nothing written, nothing cached


def test_connection_refused_is_a_fetch_error(opts, tmp_path, caplog):
    backend_gone = FakeBackend()  # bound, never serving, then closed: the port refuses
    url = backend_gone.url
    backend_gone.server.server_close()
    opts.update(api_url=url, retries=1)
    with caplog.at_level(logging.WARNING), pytest.raises(FetchError, match="connection failed"):
        fetch_register(output=tmp_path / "r.csv", **opts)
    (retry,) = retries_logged(caplog)
    assert "connection failed" in retry and "retrying in 0.0 s" in retry


def test_requests_never_overlap(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(V1), delay=0.1))
    opts["cache"] = False
    errors = []

    def run(i):
        try:
            fetch_register(output=tmp_path / f"r{i}.csv", first_year=2000, **opts)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(backend.calls("POST")) == 3
    assert backend.peak == 1


def test_api_url_comes_from_the_environment(backend, opts, tmp_path, monkeypatch):
    del opts["api_url"]
    monkeypatch.setenv("ARMS_SIPRI_API", backend.url + "/")  # a trailing slash is fine
    fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert [s.path for s in backend.seen] == [MAX_YEAR, REGISTER]


# progress


def test_progress_is_one_line_when_not_a_terminal(backend, opts, tmp_path, capsys):
    opts["progress"] = True
    fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "arms fetch: register 2000-2025" in captured.err


def test_progress_is_silent_when_disabled(backend, opts, tmp_path, capsys):
    fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert capsys.readouterr().err == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_ticks_on_a_terminal(backend, opts, tmp_path, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    backend.route("POST", REGISTER, Reply(body=payload(V1), delay=0.2))
    opts["progress"] = True
    fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    text = terminal.getvalue()
    assert text.startswith("\rarms fetch: register 2000-2025: ")
    assert text.endswith(" s\n") and ": done after " in text


def test_progress_counter_ticks_and_reports_failure():
    terminal = Terminal()
    with (
        pytest.raises(RuntimeError),
        Progress("arms fetch: x", enabled=True, interval=0.02, stream=terminal),
    ):
        time.sleep(0.2)
        raise RuntimeError("boom")
    text = terminal.getvalue()
    assert "\rarms fetch: x: waiting 0 s " in text
    assert text.endswith("\rarms fetch: x: failed after 0 s\n")


# the size cap


def endless(chunks: int = 1024, size: int = 1 << 16):
    """Return a stream of ``chunks`` chunks of ``size`` bytes (64 MB by default)."""
    block = b"x" * size
    return lambda: (block for _ in range(chunks))


def test_an_answer_over_the_cap_is_refused_without_reading_it_all(
    backend, opts, tmp_path, monkeypatch
):
    monkeypatch.setattr(arms.io.fetch.client, "MAX_ANSWER_BYTES", 2**20)
    backend.route("POST", REGISTER, Reply(stream=endless()))  # no Content-Length
    opts["timeout"] = 20.0
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"passed 1,048,576 bytes, over") as info:
            fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, peak  # the 64 MB answer was never held
    assert backend.sent < 32 * 2**20, backend.sent  # the read stopped at the cap
    assert len(str(info.value)) < 300
    assert len(backend.calls("POST")) == 1  # not retried
    assert leftovers(tmp_path) == []


def test_an_announced_length_over_the_cap_is_refused_before_reading(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(V1), length=10**10))
    with pytest.raises(FetchError, match=r"announces 10,000,000,000 bytes, over the"):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 1
    assert leftovers(tmp_path) == []


def test_an_error_page_is_never_read_whole(backend, opts, tmp_path):
    # a 500 with a 64 MB page: quoted from its first bytes, not read into memory
    backend.route("POST", REGISTER, Reply(500, stream=endless(), content_type="text/html"))
    opts.update(retries=0, timeout=20.0)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="HTTP 500") as info:
            fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, peak
    assert len(str(info.value)) < 300
