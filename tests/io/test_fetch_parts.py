"""Tests for the parts of arms.io.fetch that need no backend: catalog resolution, payload
checks, request bodies, default paths, the cache and atomic writes."""

from __future__ import annotations

import datetime
import os

import pytest
from fetch_backend import HTML, V1, V2, V3

from arms.entities import name_key, party_key
from arms.errors import FetchError
from arms.io.fetch import cache_location, default_output_path, request_body
from arms.io.fetch.cache import CACHE_DIR_ENV, Cache, cache_key, write_atomic
from arms.io.fetch.catalog import resolve
from arms.io.fetch.payload import decode_payload, verify_payload


def test_resolve_agrees_with_entities_keys():
    catalog = [{"EntityId": i, "Name": n} for i, n in enumerate(["Turkiye", "Cote d'Ivoire"])]
    for query in ("turkey", "TÜRKIYE", " Turkiye ", "cote  d'ivoire", "Côte d'Ivoire"):
        (found,) = resolve([query], catalog, "recipient")
        name = catalog[found]["Name"]
        assert name_key(query) == name_key(name) or party_key(query) == party_key(name)


def test_resolve_prefers_live_entries_and_lists_every_unknown_name():
    catalog = [
        {"EntityId": 9, "Name": "Armenia", "deleted": True},
        {"EntityId": 1, "Name": "Armenia"},
    ]
    assert resolve(["Armenia", "armenia"], catalog, "supplier") == [1]
    with pytest.raises(FetchError, match=r"unknown supplier name\(s\).*'Armenai'.*'Atlantis'"):
        resolve(["Armenai", "Atlantis"], catalog, "supplier")


def test_verify_payload_uses_the_project_detector():
    assert verify_payload(V1, {"V1"}) == "V1"
    assert verify_payload(V2, {"V2"}) == "V2"
    assert verify_payload(V3, {"V3"}) == "V3"
    with pytest.raises(FetchError, match="not the expected V1"):
        verify_payload(V3, {"V1"})
    with pytest.raises(FetchError, match="empty"):
        verify_payload(b"\n", {"V1"})
    with pytest.raises(FetchError, match="not a SIPRI export.*HTML page titled"):
        verify_payload(HTML, {"V1"})


def test_decode_payload_tolerates_line_breaks_in_base64():
    assert decode_payload({"bytes": "YSxi\nCg=="}) == b"a,b\n"


def test_request_body_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="kind must be one of"):
        request_body("milex", first_year=2000, last_year=2001)
    with pytest.raises(ValueError, match="TIV tables only"):
        request_body("register", first_year=2000, last_year=2001, by="supplier")
    with pytest.raises(ValueError, match="by must be"):
        request_body("tiv", first_year=2000, last_year=2001, by="seller")


def test_register_without_open_deals():
    body = request_body("register", first_year=2000, last_year=2001, open_deals=False)
    assert [f["field"] for f in body["filters"]] == ["Delivery year"]


def test_default_output_path_shortens_long_name_lists():
    path = default_output_path(
        "tiv",
        recipients=["A", "B", "C", "D", "E"],
        first_year=2000,
        last_year=2024,
        fetched=datetime.date(2026, 1, 2),
    )
    assert path.name == "sipri-tiv_all-to-a+b+c+and-2-more_2000-2024_fetched-2026-01-02.csv"


def test_cache_location_order(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "env"))
    assert cache_location(tmp_path / "given") == tmp_path / "given"
    assert cache_location() == tmp_path / "env"
    monkeypatch.delenv(CACHE_DIR_ENV)
    assert cache_location() == cache_location().home() / ".cache" / "arms" / "fetch"


def test_cache_ignores_a_corrupt_entry(tmp_path):
    cache = Cache(tmp_path)
    key = cache_key("https://x", {"filters": []}, 2025)
    cache.put(key, b"payload", {"url": "https://x"})
    assert cache.get(key) == b"payload"
    cache.path(key).write_bytes(b"tampered")
    assert cache.get(key) is None


def test_write_failure_leaves_no_partial_file(tmp_path):
    # the temporary file exists when the write fails: it is removed, the old file stays
    out = tmp_path / "r.csv"
    out.write_bytes(b"older download")
    with pytest.raises(TypeError):
        write_atomic(out, "not bytes")
    assert sorted(os.listdir(tmp_path)) == ["r.csv"]
    assert out.read_bytes() == b"older download"


def test_verify_payload_reads_the_whole_payload():
    # a cut answer, and one followed by an HTML page, pass the header check but not the readers
    cut = V1[: V1.rindex(b"\n", 0, len(V1) - 2) + 10]
    for bad in (cut, V1 + b"<html><body>Service unavailable</body></html>\n"):
        with pytest.raises(FetchError, match="does not read as a whole") as info:
            verify_payload(bad, {"V1"})
        assert len(str(info.value)) < 300
