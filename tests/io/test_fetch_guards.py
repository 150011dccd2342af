"""What arms.io.fetch refuses, end to end against the fake backend of fetch_backend.py.

No error message quotes more than a short excerpt of what the backend sent, whatever it sent;
a payload is written and cached only when the readers read all of it; ``output`` is only
ever a regular file or a new path.
"""

from __future__ import annotations

import hashlib
import json
import os
import random

import pytest
from fetch_backend import COUNTRIES, MAX_YEAR, REGISTER, V1, V3, Reply, leftovers, payload

from arms.cli import main
from arms.errors import FetchError
from arms.io.fetch import fetch_register

pytest_plugins = ["fetch_backend"]
pytestmark = pytest.mark.usefixtures("isolated")

# 1 MB of letters, spaces and terminal escape sequences: what a message must never carry
_rng = random.Random(14)
GARBAGE = "".join(
    _rng.choice(["\x1b[2J", "\x1b[31m", "\r", *"abcdefghijklmnopqrstuvwxyz  "])
    for _ in range(2**20)
)
JUNK = GARBAGE.encode()
HUGE_HTML = b"<!DOCTYPE html><html><head><title>" + JUNK + b"</title></head></html>"


def quotes_the_payload(message: str, width: int = 40) -> bool:
    """Return whether ``message`` holds ``width`` characters in a row of :data:`GARBAGE`."""
    return any(message[i : i + width] in GARBAGE for i in range(len(message) - width + 1))


CASES = {
    "html page": (REGISTER, Reply(body=HUGE_HTML, content_type="text/html")),
    "not json": (REGISTER, Reply(body=JUNK, content_type="application/octet-stream")),
    "no bytes key": (
        REGISTER,
        Reply(body=json.dumps({f"k{GARBAGE[:9000]}{i}": 1 for i in range(99)}).encode()),
    ),
    "bad base64": (REGISTER, Reply(body=json.dumps({"bytes": GARBAGE}).encode())),
    "bytes not a sipri file": (REGISTER, Reply(body=payload(JUNK))),
    "bytes an html page": (REGISTER, Reply(body=payload(HUGE_HTML))),
    "register then garbage": (REGISTER, Reply(body=payload(V1 + JUNK))),
    "register then html": (REGISTER, Reply(body=payload(V1 + HUGE_HTML))),
    "another variant": (REGISTER, Reply(body=payload(V3 + JUNK))),
    "http 400": (REGISTER, Reply(400, JUNK, content_type="text/plain")),
    "http 503": (REGISTER, Reply(503, HUGE_HTML, content_type="text/html")),
    "redirect": (REGISTER, Reply(302, JUNK, {"Location": "https://x.org/" + GARBAGE[:8000]})),
    "max year": (MAX_YEAR, Reply(body=json.dumps([GARBAGE]).encode())),
    "catalog": (COUNTRIES, Reply(body=json.dumps([GARBAGE, GARBAGE]).encode())),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_message_carries_the_payload(backend, opts, tmp_path, case):
    path, reply = CASES[case]
    backend.route("GET" if path in (MAX_YEAR, COUNTRIES) else "POST", path, reply)
    opts["retries"] = 0
    with pytest.raises(FetchError) as info:
        fetch_register("Armenia", output=tmp_path / "r.csv", first_year=2000, **opts)
    message = str(info.value)
    assert len(message) < 300, message
    assert not quotes_the_payload(message), message
    assert "\x1b" not in message and "\r" not in message
    assert leftovers(tmp_path) == ["cache"] or leftovers(tmp_path) == []
    assert not any(
        p.suffix == ".bin" and "catalog" not in p.name for p in (tmp_path / "cache").glob("*")
    )


# the whole payload is read before anything is written or cached


def cut_inside_last_record(data: bytes) -> bytes:
    return data[: data.rindex(b"\n", 0, len(data) - 2) + 12]


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (cut_inside_last_record(V1), "does not read as a whole"),
        (
            V1 + b"<!DOCTYPE html><html><body>Service unavailable</body></html>\n",
            "does not read as a whole",
        ),
        (V1 + V1, "holds 2 exports one after another"),
    ],
    ids=["truncated", "html-after", "two-exports"],
)
def test_cli_refuses_a_payload_that_does_not_read_whole(backend, tmp_path, capsys, bad, says):
    backend.route("POST", REGISTER, Reply(body=payload(bad)))
    out = tmp_path / "r.csv"
    argv = ["fetch", "register", "-o", str(out), "--api-url", backend.url]
    assert main([*argv, "--cache-dir", str(tmp_path / "cache")]) == 1
    line = capsys.readouterr().err.strip().splitlines()[-1]
    message = line.removeprefix("arms fetch: error: ")
    assert says in message and len(message) < 300, message
    assert not out.exists()
    assert [p for p in leftovers(tmp_path / "cache") if not p.startswith("catalog")] == []


def test_a_cached_answer_that_no_longer_reads_is_fetched_again(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    fetch_register(output=out, first_year=2000, **opts)
    (entry,) = opts["cache_dir"].glob("*.bin")
    # the entry is intact (its checksum matches) but no longer a whole register
    bad = cut_inside_last_record(V1)
    entry.write_bytes(bad)
    meta = entry.with_suffix(".json")
    info = json.loads(meta.read_text())
    meta.write_text(json.dumps({**info, "sha256": hashlib.sha256(bad).hexdigest()}))
    out.unlink()
    fetch_register(output=out, first_year=2000, **opts)
    assert out.read_bytes() == V1
    assert len(backend.calls("POST")) == 2  # asked again
    assert entry.read_bytes() == V1  # and the entry replaced


# where the file goes


def refused(opts, out):
    opts = {**opts, "cache": False}
    with pytest.raises(FetchError) as info:
        fetch_register(output=out, first_year=2000, **opts)
    return str(info.value)


def test_output_through_a_dangling_symlink_is_refused(backend, opts, tmp_path):
    link = tmp_path / "r.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    assert "symbolic link" in refused(opts, link)
    assert link.is_symlink() and not (tmp_path / "nowhere.csv").exists()


def test_output_through_a_symlink_to_a_folder_is_refused(backend, opts, tmp_path):
    (tmp_path / "folder").mkdir()
    link = tmp_path / "r.csv"
    link.symlink_to(tmp_path / "folder")
    assert "symbolic link" in refused(opts, link)
    assert leftovers(tmp_path / "folder") == []


def test_output_onto_a_folder_is_refused(backend, opts, tmp_path):
    (tmp_path / "r.csv").mkdir()
    assert "not a regular file" in refused(opts, tmp_path / "r.csv")
    assert (tmp_path / "r.csv").is_dir() and leftovers(tmp_path / "r.csv") == []


def test_output_onto_a_fifo_is_refused(backend, opts, tmp_path):
    # a named pipe stands in for a device file: /dev/null itself is not risked in a test
    fifo = tmp_path / "r.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(opts, fifo)
    assert fifo.is_fifo() and leftovers(tmp_path) == ["r.csv"]


def test_output_replaces_a_regular_file_keeping_its_mode(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    out.write_bytes(b"older download")
    out.chmod(0o640)
    fetch_register(output=out, first_year=2000, **{**opts, "cache": False})
    assert out.read_bytes() == V1 and (out.stat().st_mode & 0o777) == 0o640
    assert leftovers(tmp_path) == ["r.csv"]  # no temporary file left


def test_a_new_output_gets_the_usual_permissions(backend, opts, tmp_path):
    out = tmp_path / "new" / "r.csv"
    mask = os.umask(0o022)
    try:
        fetch_register(output=out, first_year=2000, **{**opts, "cache": False})
    finally:
        os.umask(mask)
    assert (out.stat().st_mode & 0o777) == 0o644  # not the 0600 of a temporary file
