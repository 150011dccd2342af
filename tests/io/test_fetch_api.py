"""Tests for arms.io.fetch (the fetch functions) against the fake backend of fetch_backend.py.

Each test drives the public functions end to end: the bodies sent, name resolution through the
entity crosswalk, caching, answers that are not SIPRI files, atomic writes, default paths.
"""

from __future__ import annotations

import datetime

import pytest
from fetch_backend import (
    COUNTRIES,
    HTML,
    MAX_YEAR,
    REGISTER,
    TIV,
    V1,
    V2,
    V3,
    Reply,
    filter_,
    leftovers,
    payload,
)

import arms
from arms.errors import FetchError
from arms.io.fetch import (
    cache_location,
    fetch_deliveries,
    fetch_register,
    fetch_tiv,
)

pytest_plugins = ["fetch_backend"]
pytestmark = pytest.mark.usefixtures("isolated")


# request bodies and name resolution


def test_register_sends_portal_body_and_writes_bytes_verbatim(backend, opts, tmp_path):
    out = tmp_path / "out" / "register.csv"
    path = fetch_register(
        "Armenia", ["Russia", "India"], first_year=1990, last_year=2025, output=out, **opts
    )
    assert path == out
    assert out.read_bytes() == V1  # cp1252 preamble and rows untouched
    assert [(s.method, s.path) for s in backend.seen] == [
        ("GET", MAX_YEAR),
        ("GET", COUNTRIES),
        ("POST", REGISTER),
    ]
    post = backend.calls("POST")[0]
    assert post.json() == {
        "filters": [
            filter_("Delivery year", "contains", 1990, 2025),
            filter_("Recipient", "contains", list_data=[101]),  # not the deleted 999
            filter_("Supplier", "contains", list_data=[104, 106]),
            filter_("opendeals"),
        ],
        "logic": "AND",
    }
    assert post.headers["Content-Type"] == "application/json"
    for seen in backend.seen:
        assert seen.headers["User-Agent"].startswith(f"arms/{arms.__version__} ")


def test_deliveries_asks_for_export_option_and_defaults_to_all_years(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(V2)))
    out = fetch_deliveries(recipients=["Azerbaijan"], output=tmp_path / "d.csv", **opts)
    assert out.read_bytes() == V2
    assert backend.calls("POST")[0].json() == {
        "filters": [
            filter_("Delivery year", "contains", 1950, 2025),  # 2025 = getMaxYear
            filter_("Recipient", "contains", list_data=[102]),
            filter_("exportOption"),
        ],
        "logic": "AND",
    }


@pytest.mark.parametrize(
    ("names", "by", "expected"),
    [
        (
            {"suppliers": "Israel"},
            None,
            [
                filter_("Year range 1", "contains", 2000, 2024),
                filter_("Supplier", "contains", list_data=[105]),
                filter_("orderbyseller"),
                filter_("DeliveryType", value1="delivered"),
            ],
        ),
        (
            {"recipients": ["Armenia", "Azerbaijan"]},
            None,
            [
                filter_("Year range 1", "contains", 2000, 2024),
                filter_("Recipient", "contains", list_data=[101, 102]),
                filter_("DeliveryType", value1="delivered"),
            ],
        ),
        (
            {},
            "supplier",
            [
                filter_("Year range 1", "contains", 2000, 2024),
                filter_("orderbyseller"),
                filter_("DeliveryType", value1="delivered"),
            ],
        ),
    ],
)
def test_tiv_table_bodies(backend, opts, tmp_path, names, by, expected):
    out = fetch_tiv(
        **names, by=by, first_year=2000, last_year=2024, output=tmp_path / "t.csv", **opts
    )
    assert out.read_bytes() == V3
    assert backend.calls("POST", TIV)[0].json() == {"filters": expected, "logic": "AND"}
    assert bool(names) == bool(backend.calls("GET", COUNTRIES))  # catalog only when needed


def test_aliases_resolve_through_the_entity_crosswalk(backend, opts, tmp_path):
    # the packaged crosswalk: Turkey is Turkiye; Libya HoR* is the catalog's
    # "House of Representatives (Libya)*", though no spelling of it is shared
    fetch_register(
        ["Armenia", "Libya HoR*"],
        "Turkey",
        first_year=2000,
        last_year=2001,
        output=tmp_path / "r.csv",
        **opts,
    )
    filters = backend.calls("POST")[0].json()["filters"]
    assert filters[1] == filter_("Recipient", "contains", list_data=[101, 107])
    assert filters[2] == filter_("Supplier", "contains", list_data=[103])


def test_names_match_by_the_entities_name_key(backend, opts, tmp_path):
    # case, accents and spacing are ignored, as everywhere in arms (arms.entities.name_key)
    fetch_register(
        [" armenia", "AZERBAIJAN"],
        ["Türkiye", "  russia "],
        first_year=2000,
        last_year=2001,
        output=tmp_path / "r.csv",
        **opts,
    )
    filters = backend.calls("POST")[0].json()["filters"]
    assert [f["listData"] for f in filters[1:3]] == [[101, 102], [103, 104]]


def test_unknown_names_fail_with_close_matches_and_send_nothing(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    with pytest.raises(FetchError) as info:
        fetch_register(["Armenai", "Atlantis"], output=out, **opts)
    message = str(info.value)
    assert "'Armenai' (did you mean: Armenia?)" in message
    assert "'Atlantis' (did you mean: no close match?)" in message
    assert backend.calls("POST") == []
    assert not out.exists()


# caching


def test_cache_is_keyed_by_request_and_max_year(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    fetch_register("Armenia", first_year=2000, last_year=2010, output=out, **opts)
    assert len(backend.calls("POST")) == 1
    out.unlink()

    fetch_register("Armenia", first_year=2000, last_year=2010, output=out, **opts)
    assert out.read_bytes() == V1
    assert len(backend.calls("POST")) == 1  # served from the cache
    assert len(backend.calls("GET", COUNTRIES)) == 1  # the catalog is cached too
    assert len(backend.calls("GET", MAX_YEAR)) == 2  # but freshness is always checked

    fetch_register("Armenia", first_year=2000, last_year=2011, output=out, **opts)
    assert len(backend.calls("POST")) == 2  # another request, another key

    backend.route("GET", MAX_YEAR, Reply(body=b"2026"))  # SIPRI published a new year
    fetch_register("Armenia", first_year=2000, last_year=2010, output=out, **opts)
    assert len(backend.calls("POST")) == 3


def test_cache_can_be_turned_off(backend, opts, tmp_path):
    opts["cache"] = False
    for _ in range(2):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 2
    assert not opts["cache_dir"].exists()


def test_cache_directory_comes_from_the_environment(backend, opts, tmp_path):
    del opts["cache_dir"]
    fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert any(p.suffix == ".bin" for p in (tmp_path / "env-cache").iterdir())
    assert cache_location() == tmp_path / "env-cache"


def test_a_bad_answer_is_never_cached(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(HTML)), Reply(body=payload(V1)))
    with pytest.raises(FetchError):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 2
    assert (tmp_path / "r.csv").read_bytes() == V1


# garbage in, FetchError out (and nothing written)


def test_redirect_to_the_website_is_reported_not_followed(backend, opts, tmp_path):
    backend.route(
        "POST",
        REGISTER,
        Reply(
            302, HTML, {"Location": "https://www.sipri.org/databases"}, content_type="text/html"
        ),
    )
    out = tmp_path / "r.csv"
    with pytest.raises(FetchError, match=r"redirected \(HTTP 302\) to https://www.sipri.org"):
        fetch_register(output=out, first_year=2000, **opts)
    assert len(backend.calls("POST")) == 1  # not retried either
    assert not out.exists()


def test_html_page_instead_of_json(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=HTML, content_type="text/html; charset=utf-8"))
    with pytest.raises(FetchError, match=r"HTML page .*'SIPRI Arms Transfers Database \| SIPRI'"):
        fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{"error": "no data"}', r"no 'bytes' payload \(got \['error'\]"),
        (b"[1, 2]", r"no 'bytes' payload \(got list"),
        (b'{"bytes": ""}', "'bytes' payload is empty"),
        (b'{"bytes": "not*base64!"}', "not valid base64"),
        (b"Recipient,Supplier\n", "not JSON"),
    ],
)
def test_malformed_answers(backend, opts, tmp_path, body, match):
    backend.route("POST", REGISTER, Reply(body=body))
    with pytest.raises(FetchError, match=match) as info:
        fetch_register("Armenia", output=tmp_path / "r.csv", first_year=2000, **opts)
    assert "Armenia" in str(info.value) or "not JSON" in str(info.value)
    assert not (tmp_path / "r.csv").exists()


def test_max_year_must_be_a_year(backend, opts, tmp_path):
    backend.route("GET", MAX_YEAR, Reply(body=b'{"status": "down"}'))
    with pytest.raises(FetchError, match="did not answer a year"):
        fetch_register(output=tmp_path / "r.csv", **opts)


def test_html_inside_the_payload_is_not_a_sipri_file(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(HTML)))
    with pytest.raises(FetchError, match="not a SIPRI export") as info:
        fetch_register(
            "Armenia",
            "Russia",
            first_year=1990,
            last_year=2025,
            output=tmp_path / "r.csv",
            **opts,
        )
    assert "register of Russia to Armenia, 1990-2025" in str(info.value)  # what was asked


def test_unexpected_variant_is_refused(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(V1)))  # a V1 when V2 was asked
    with pytest.raises(FetchError, match=r"SIPRI V1 file, not the expected V2"):
        fetch_deliveries(output=tmp_path / "d.csv", first_year=2000, **opts)
    assert not (tmp_path / "d.csv").exists()


# atomic write and default paths


def test_failed_download_leaves_an_existing_file_untouched(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    out.write_bytes(b"older download")
    backend.route("POST", REGISTER, Reply(body=payload(HTML)))
    with pytest.raises(FetchError):
        fetch_register(output=out, first_year=2000, **opts)
    assert out.read_bytes() == b"older download"


def test_failed_replace_leaves_no_partial_file(backend, opts, tmp_path):
    # the output path is a directory that is not empty: os.replace fails after the bytes
    # were written to the temporary file, which must be removed
    out_dir = tmp_path / "out"
    (out_dir / "r.csv").mkdir(parents=True)
    (out_dir / "r.csv" / "older download").write_bytes(b"older download")
    opts = {k: v for k, v in opts.items() if k != "cache_dir"}
    with pytest.raises(arms.FetchError, match="not a regular file"):
        fetch_register(output=out_dir / "r.csv", first_year=2000, cache=False, **opts)
    assert leftovers(out_dir) == ["r.csv"]  # no .part file
    assert leftovers(out_dir / "r.csv") == ["older download"]


def test_output_through_a_symlink_is_refused(backend, opts, tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"keep me")
    link = tmp_path / "r.csv"
    link.symlink_to(target)
    opts = {k: v for k, v in opts.items() if k != "cache_dir"}
    with pytest.raises(arms.FetchError, match="symbolic link"):
        fetch_register(output=link, first_year=2000, cache=False, **opts)
    assert target.read_bytes() == b"keep me" and link.is_symlink()


def test_default_output_lands_in_data_sipri_with_a_dated_name(backend, opts):
    before = datetime.date.today()
    path = fetch_register(["Armenia", "Azerbaijan"], "Turkiye", first_year=2020, **opts)
    names = {
        f"sipri-register_turkiye-to-armenia+azerbaijan_2020-2025_fetched-{day.isoformat()}.csv"
        for day in (before, datetime.date.today())  # the test may run over midnight
    }
    assert path.parent == arms.paths.SIPRI_DIR and path.name in names
    assert path.read_bytes() == V1


def test_fetched_file_reads_back_with_the_readers(backend, opts, tmp_path):
    path = fetch_register("Armenia", first_year=1990, output=tmp_path / "r.csv", **opts)
    deals = arms.read_trade_register(path)
    assert len(deals) == 2
    assert set(deals["designation"]) == {"Test-Fé 9", "Mock-7"}  # cp1252 survived


def test_public_api_is_exported():
    assert arms.fetch_register is fetch_register
    assert arms.fetch_deliveries is fetch_deliveries
    assert arms.fetch_tiv is fetch_tiv
