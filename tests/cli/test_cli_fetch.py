"""Tests for ``arms fetch`` (arms.cli.fetch) against the fake backend of fetch_backend.py."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from fetch_backend import REGISTER, V1, V3, Reply, filter_, leftovers, payload

from arms.cli import main

pytest_plugins = ["fetch_backend"]
pytestmark = pytest.mark.usefixtures("isolated")


def cli(backend, tmp_path, *args):
    return main(["fetch", *args, "--api-url", backend.url, "--cache-dir", str(tmp_path / "cache")])


def test_cli_json_reports_path_variant_size_and_cache(backend, tmp_path, capsys):
    out = tmp_path / "t.csv"
    argv = ["tiv", "--recipient", "Armenia", "Azerbaijan", "--from", "2023", "--to", "2024"]
    assert cli(backend, tmp_path, *argv, "-o", str(out), "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert first["path"] == str(out) and out.read_bytes() == V3
    assert (first["variant"], first["bytes"], first["cached"]) == ("V3", len(V3), False)
    assert set(first) == {"path", "variant", "bytes", "cached", "sha256", "max_year", "url"}
    assert first["sha256"] == hashlib.sha256(V3).hexdigest()
    assert first["max_year"] == 2025 and first["url"] == backend.url + "/trades/import-export-csv/"

    assert cli(backend, tmp_path, *argv, "-o", str(out), "--json") == 0
    assert json.loads(capsys.readouterr().out)["cached"] is True
    assert len(backend.calls("POST")) == 1


def test_cli_repeated_options_accumulate(backend, tmp_path, capsys):
    out = tmp_path / "r.csv"
    argv = ["register", "--supplier", "Russia", "--supplier", "India", "--from", "2000"]
    assert cli(backend, tmp_path, *argv, "-o", str(out), "--no-cache") == 0
    assert "wrote" in capsys.readouterr().out
    supplier = backend.calls("POST")[0].json()["filters"][1]
    assert supplier == filter_("Supplier", "contains", list_data=[104, 106])
    assert not (tmp_path / "cache").exists()


def test_cli_errors_are_one_line(backend, tmp_path, capsys):
    assert cli(backend, tmp_path, "register", "--recipient", "Armenai") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("arms fetch: error: unknown recipient name(s)")
    assert "Armenia" in err[-1]
    before = len(backend.seen)
    assert cli(backend, tmp_path, "register", "--from", "2020", "--to", "2010") == 1
    assert "2020 is after 2010" in capsys.readouterr().err
    assert len(backend.seen) == before  # refused before asking anything


def test_cli_timeout_bounds_a_slow_drip(backend, tmp_path, capsys):
    # one byte every 0.2 s: `--timeout 1` ends it after about a second, retries or not
    backend.route("POST", REGISTER, Reply(body=payload(V1)[:40], drip=0.2))
    out = tmp_path / "r.csv"
    start = time.monotonic()
    assert cli(backend, tmp_path, "register", "--timeout", "1", "-o", str(out)) == 1
    elapsed = time.monotonic() - start
    assert elapsed < 2.0, elapsed
    (line,) = capsys.readouterr().err.strip().splitlines()[-1:]
    assert "no complete answer within 1 s" in line
    assert len(line.removeprefix("arms fetch: error: ")) < 300
    assert len(backend.calls("POST")) == 1
    assert leftovers(tmp_path) == []
