"""Tests for arms.io.fetch against a fake SIPRI backend on 127.0.0.1 (never the real one).

The fake serves small synthetic payloads shaped like real V1/V2/V3 exports (preamble and
header text as SIPRI writes them, invented rows) and records every request, so the tests
can assert the exact bodies, the order of calls, retries and caching.
"""

from __future__ import annotations

import base64
import dataclasses
import http.server
import io
import json
import sys
import threading
import time

import pytest

import arms
from arms.cli import main
from arms.errors import FetchError
from arms.io import fetch

# --------------------------------------------------------------------------------------
# synthetic payloads (invented rows; preamble and header shaped like FORMATS.md §1-§3)

_PREAMBLE = (
    "Transfers of major conventional arms from All countries  to Armenia  . Deals with "
    "deliveries or orders made for year range '1990' to '2025' \n"
    "A '?' in a column indicates uncertain data. The 'Number delivered' and the "
    "'Year(s) of deliveries' refer only to deliveries in the selected year(s).\n"
    "An empty field for 'Number ordered' indicates that data is not yet available.\n"
    "SIPRI trend-indicator values (TIVs) are in millions.\n"
    "An empty field for 'SIPRI TIV for total order' indicates that data (on the number "
    "ordered and/or the TIV per unit) is not available.\n"
    "A '0' for 'SIPRI TIV of delivered weapons' indicates that the volume of deliveries is "
    "between 0 and 0.5 million SIPRI TIV; and an empty field indicates that no deliveries "
    "have been identified.\n"
    "Figures may not add up to stated totals due to the conventions of rounding.\n"
    "For the method used for the SIPRI TIV and explanations of the conventions; "
    "abbreviations and acronyms see "
    "<https://www.sipri.org/databases/armstransfers/sources-and-methods>.\n"
    "\n"
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 2 Feb 2026 9:05:07 AM\n"
)

# cp1252 bytes on purpose ("Fé"): the file must be written exactly as received.
V1 = (
    _PREAMBLE + "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
    "Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,"
    "SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    "Armenia,Russia,2016,?,3,,Test-Fé 9,air search radar,3,?,2017; 2019,New,,5,15,15\n"
    "Armenia,India,2022,,8,?,Mock-7,self-propelled gun,2,?,2024,New,Invented row,1.5,12,3\n"
).encode("cp1252")

V2 = (
    _PREAMBLE
    + "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
    "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
    "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
    "TIV delivery values,Local production\n"
    "90001,Russia,Armenia,Test-9 radar,air search radar,Sensors,2016,Yes,1,No,2017,No,"
    "New,5,5,5,No\n"
    "90001,Russia,Armenia,Test-9 radar,air search radar,Sensors,2016,Yes,2,Yes,2019,No,"
    "New,5,5,10,No\n"
).encode("ascii")

V3 = (
    "Volume of transfers of major arms\n"
    "Figures are in millions of SIPRI trend-indicator values (TIVs).\n"
    "A '0' indicates that the volume of deliveries is between 0 and 0.5 million SIPRI TIV. "
    "An empty field indicates that no deliveries have been identified.\n"
    "Figures may not add up to stated totals due to the conventions of rounding.\n"
    "For the method used for the SIPRI TIV see "
    "<https://www.sipri.org/databases/armstransfers/sources-and-methods>.\n"
    "\n"
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 2 Feb 2026 9:05:07 AM\n"
    "\n"
    "Recipient,2023,2024,2023-2024,Percentage,Sum total years,Percentage of total\n"
    "Armenia,12,0 ,12,80%,12,80%\n"
    "Azerbaijan,,3,3,20%,3,20%\n"
    "Total world import,12,3,15,100%,15,\n"
    "\n"
).encode("ascii")

HTML = (
    b"<!DOCTYPE html><html><head><title>SIPRI Arms Transfers Database | SIPRI</title>"
    b"</head><body>The database has moved.</body></html>"
)

CATALOG = [
    {"EntityId": 999, "Name": "Armenia", "deleted": True},  # a retired duplicate
    {"EntityId": 101, "Name": "Armenia", "Code": "ARM"},
    {"EntityId": 102, "Name": "Azerbaijan", "Code": "AZE"},
    {"EntityId": 103, "Name": "Turkiye", "Code": "TUR"},
    {"EntityId": 104, "Name": "Russia", "Code": "RUS"},
    {"EntityId": 105, "Name": "Israel", "Code": "ISR"},
    {"EntityId": 106, "Name": "India", "Code": "IND"},
    {"EntityId": 107, "Name": "House of Representatives (Libya)*", "Code": ""},
]

REGISTER = "/api/p/trades/trade-register-csv/"
TIV = "/api/p/trades/import-export-csv/"
MAX_YEAR = "/api/p/trades/getMaxYear"
COUNTRIES = "/api/p/countries/getAllCountriesTrimmed"


def payload(data: bytes) -> bytes:
    return json.dumps({"bytes": base64.b64encode(data).decode("ascii")}).encode()


def _filter(field, condition="", value1="", value2="", list_data=()):
    return {
        "field": field,
        "oldField": "",
        "condition": condition,
        "value1": value1,
        "value2": value2,
        "listData": list(list_data),
    }


# --------------------------------------------------------------------------------------
# the fake backend


@dataclasses.dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = dataclasses.field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/json"


@dataclasses.dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        backend = self.server.backend
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with backend.lock:
            backend.seen.append(Seen(self.command, self.path, dict(self.headers), body))
            backend.in_flight += 1
            backend.peak = max(backend.peak, backend.in_flight)
            queue = backend.routes.get((self.command, self.path))
            reply = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else None
        try:
            if reply is None:
                reply = Reply(404, b"not found", content_type="text/plain")
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out first
            pass
        finally:
            with backend.lock:
                backend.in_flight -= 1

    def log_message(self, *args):  # keep test output clean
        pass


class FakeBackend:
    def __init__(self):
        self.seen: list[Seen] = []
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.backend = self
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/p"

    def route(self, method: str, path: str, *replies: Reply) -> None:
        """Answer ``replies`` in turn; the last one repeats."""
        self.routes[(method, path)] = list(replies)

    def calls(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        return [
            s
            for s in self.seen
            if (method is None or s.method == method) and (path is None or s.path == path)
        ]


@pytest.fixture
def backend():
    fake = FakeBackend()
    fake.route("GET", MAX_YEAR, Reply(body=b"2025"))
    fake.route("GET", COUNTRIES, Reply(body=json.dumps(CATALOG).encode()))
    fake.route("POST", REGISTER, Reply(body=payload(V1)))
    fake.route("POST", TIV, Reply(body=payload(V3)))
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No proxies, no real cache, no writes to the bundled data, no real backend."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("ARMS_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.setenv("ARMS_SIPRI_API", "http://127.0.0.1:9/never-used")
    monkeypatch.setattr(arms.paths, "SIPRI_DIR", tmp_path / "sipri")


@pytest.fixture
def waits(monkeypatch):
    """Record the pauses between attempts instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr(fetch, "_sleep", recorded.append)
    return recorded


@pytest.fixture
def opts(backend, tmp_path):
    return {
        "api_url": backend.url,
        "cache_dir": tmp_path / "cache",
        "timeout": 2.0,
        "retries": 2,
        "backoff": 0.01,
        "progress": False,
    }


def leftovers(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# --------------------------------------------------------------------------------------
# request bodies and name resolution


def test_register_sends_portal_body_and_writes_bytes_verbatim(backend, opts, tmp_path):
    out = tmp_path / "out" / "register.csv"
    path = fetch.fetch_register(
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
            _filter("Delivery year", "contains", 1990, 2025),
            _filter("Recipient", "contains", list_data=[101]),  # not the deleted 999
            _filter("Supplier", "contains", list_data=[104, 106]),
            _filter("opendeals"),
        ],
        "logic": "AND",
    }
    assert post.headers["Content-Type"] == "application/json"
    for seen in backend.seen:
        assert seen.headers["User-Agent"].startswith(f"arms/{arms.__version__} ")


def test_deliveries_asks_for_export_option_and_defaults_to_all_years(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(V2)))
    out = fetch.fetch_deliveries(recipients=["Azerbaijan"], output=tmp_path / "d.csv", **opts)
    assert out.read_bytes() == V2
    assert backend.calls("POST")[0].json() == {
        "filters": [
            _filter("Delivery year", "contains", 1950, 2025),  # 2025 = getMaxYear
            _filter("Recipient", "contains", list_data=[102]),
            _filter("exportOption"),
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
                _filter("Year range 1", "contains", 2000, 2024),
                _filter("Supplier", "contains", list_data=[105]),
                _filter("orderbyseller"),
                _filter("DeliveryType", value1="delivered"),
            ],
        ),
        (
            {"recipients": ["Armenia", "Azerbaijan"]},
            None,
            [
                _filter("Year range 1", "contains", 2000, 2024),
                _filter("Recipient", "contains", list_data=[101, 102]),
                _filter("DeliveryType", value1="delivered"),
            ],
        ),
        (
            {},
            "supplier",
            [
                _filter("Year range 1", "contains", 2000, 2024),
                _filter("orderbyseller"),
                _filter("DeliveryType", value1="delivered"),
            ],
        ),
    ],
)
def test_tiv_table_bodies(backend, opts, tmp_path, names, by, expected):
    out = fetch.fetch_tiv(
        **names, by=by, first_year=2000, last_year=2024, output=tmp_path / "t.csv", **opts
    )
    assert out.read_bytes() == V3
    assert backend.calls("POST", TIV)[0].json() == {"filters": expected, "logic": "AND"}
    assert bool(names) == bool(backend.calls("GET", COUNTRIES))  # catalog only when needed


def test_aliases_resolve_through_the_entity_crosswalk(backend, opts, tmp_path):
    # the packaged crosswalk: Turkey is Turkiye; Libya HoR* is the catalog's
    # "House of Representatives (Libya)*", though no spelling of it is shared
    fetch.fetch_register(
        ["Armenia", "Libya HoR*"],
        "Turkey",
        first_year=2000,
        last_year=2001,
        output=tmp_path / "r.csv",
        **opts,
    )
    filters = backend.calls("POST")[0].json()["filters"]
    assert filters[1] == _filter("Recipient", "contains", list_data=[101, 107])
    assert filters[2] == _filter("Supplier", "contains", list_data=[103])


def test_names_match_by_the_entities_name_key(backend, opts, tmp_path):
    # case, accents and spacing are ignored, as everywhere in arms (arms.entities.name_key)
    fetch.fetch_register(
        [" armenia", "AZERBAIJAN"],
        ["Türkiye", "  russia "],
        first_year=2000,
        last_year=2001,
        output=tmp_path / "r.csv",
        **opts,
    )
    filters = backend.calls("POST")[0].json()["filters"]
    assert [f["listData"] for f in filters[1:3]] == [[101, 102], [103, 104]]


def test_resolve_agrees_with_entities_keys():
    from arms.entities import name_key, party_key

    catalog = [{"EntityId": i, "Name": n} for i, n in enumerate(["Turkiye", "Cote d'Ivoire"])]
    for query in ("turkey", "TÜRKIYE", " Turkiye ", "cote  d'ivoire", "Côte d'Ivoire"):
        (found,) = fetch._resolve([query], catalog, "recipient")
        name = catalog[found]["Name"]
        assert name_key(query) == name_key(name) or party_key(query) == party_key(name)


def test_unknown_names_fail_with_close_matches_and_send_nothing(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    with pytest.raises(FetchError) as info:
        fetch.fetch_register(["Armenai", "Atlantis"], output=out, **opts)
    message = str(info.value)
    assert "'Armenai' (did you mean: Armenia?)" in message
    assert "'Atlantis' (did you mean: no close match?)" in message
    assert backend.calls("POST") == []
    assert not out.exists()


# --------------------------------------------------------------------------------------
# caching


def test_cache_is_keyed_by_request_and_max_year(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    fetch.fetch_register("Armenia", first_year=2000, last_year=2010, output=out, **opts)
    assert len(backend.calls("POST")) == 1
    out.unlink()

    fetch.fetch_register("Armenia", first_year=2000, last_year=2010, output=out, **opts)
    assert out.read_bytes() == V1
    assert len(backend.calls("POST")) == 1  # served from the cache
    assert len(backend.calls("GET", COUNTRIES)) == 1  # the catalog is cached too
    assert len(backend.calls("GET", MAX_YEAR)) == 2  # but freshness is always checked

    fetch.fetch_register("Armenia", first_year=2000, last_year=2011, output=out, **opts)
    assert len(backend.calls("POST")) == 2  # another request, another key

    backend.route("GET", MAX_YEAR, Reply(body=b"2026"))  # SIPRI published a new year
    fetch.fetch_register("Armenia", first_year=2000, last_year=2010, output=out, **opts)
    assert len(backend.calls("POST")) == 3


def test_cache_can_be_turned_off(backend, opts, tmp_path):
    opts["cache"] = False
    for _ in range(2):
        fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 2
    assert not opts["cache_dir"].exists()


def test_cache_directory_comes_from_the_environment(backend, opts, tmp_path):
    del opts["cache_dir"]
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert any(p.suffix == ".bin" for p in (tmp_path / "env-cache").iterdir())
    assert fetch.cache_location() == tmp_path / "env-cache"


def test_a_bad_answer_is_never_cached(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(HTML)), Reply(body=payload(V1)))
    with pytest.raises(FetchError):
        fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 2
    assert (tmp_path / "r.csv").read_bytes() == V1


# --------------------------------------------------------------------------------------
# robustness: retries, timeouts, politeness


def test_retries_a_500_then_succeeds(backend, opts, tmp_path, waits):
    backend.route("POST", REGISTER, Reply(500, b"Internal Server Error"), Reply(body=payload(V1)))
    out = fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert out.read_bytes() == V1
    posts = backend.calls("POST")
    assert len(posts) == 2 and posts[0].body == posts[1].body
    assert waits == [0.01]


def test_honours_retry_after_and_backs_off_exponentially(backend, opts, tmp_path, waits):
    backend.route(
        "POST",
        REGISTER,
        Reply(503, headers={"Retry-After": "7"}),
        Reply(502),
        Reply(body=payload(V1)),
    )
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert waits == [7.0, 0.02]


def test_gives_up_after_the_last_retry(backend, opts, tmp_path, waits):
    backend.route("POST", REGISTER, Reply(502, b"Bad Gateway", content_type="text/plain"))
    with pytest.raises(FetchError, match=r"gave up after 3 attempt\(s\): HTTP 502"):
        fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 3
    assert leftovers(tmp_path) == ["cache"] or leftovers(tmp_path) == []


def test_client_errors_are_not_retried(backend, opts, tmp_path, waits):
    backend.route("POST", REGISTER, Reply(400, b'{"title": "bad filter"}'))
    with pytest.raises(FetchError, match=r"HTTP 400 .*bad filter"):
        fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert len(backend.calls("POST")) == 1 and waits == []


def test_timeout_is_retried_then_reported(backend, opts, tmp_path, waits):
    backend.route("POST", REGISTER, Reply(body=payload(V1), delay=0.6))
    opts.update(timeout=0.15, retries=1)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 2 attempt\(s\): no answer within 0.15 s"):
        fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert time.monotonic() - start < 1.0  # did not wait for the slow answers
    assert len(backend.calls("POST")) == 2
    assert not (tmp_path / "r.csv").exists()


def test_connection_refused_is_a_fetch_error(opts, tmp_path, waits):
    backend_gone = FakeBackend()  # bound, never serving, then closed: the port refuses
    url = backend_gone.url
    backend_gone.server.server_close()
    opts.update(api_url=url, retries=1)
    with pytest.raises(FetchError, match="connection failed"):
        fetch.fetch_register(output=tmp_path / "r.csv", **opts)
    assert waits == [0.01]


def test_requests_never_overlap(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(V1), delay=0.1))
    opts["cache"] = False
    errors = []

    def run(i):
        try:
            fetch.fetch_register(output=tmp_path / f"r{i}.csv", first_year=2000, **opts)
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
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert [s.path for s in backend.seen] == [MAX_YEAR, REGISTER]


# --------------------------------------------------------------------------------------
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
        fetch.fetch_register(output=out, first_year=2000, **opts)
    assert len(backend.calls("POST")) == 1  # not retried either
    assert not out.exists()


def test_html_page_instead_of_json(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=HTML, content_type="text/html; charset=utf-8"))
    with pytest.raises(FetchError, match=r"HTML page .*'SIPRI Arms Transfers Database \| SIPRI'"):
        fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
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
        fetch.fetch_register("Armenia", output=tmp_path / "r.csv", first_year=2000, **opts)
    assert "Armenia" in str(info.value) or "not JSON" in str(info.value)
    assert not (tmp_path / "r.csv").exists()


def test_max_year_must_be_a_year(backend, opts, tmp_path):
    backend.route("GET", MAX_YEAR, Reply(body=b'{"status": "down"}'))
    with pytest.raises(FetchError, match="did not answer a year"):
        fetch.fetch_register(output=tmp_path / "r.csv", **opts)


def test_html_inside_the_payload_is_not_a_sipri_file(backend, opts, tmp_path):
    backend.route("POST", REGISTER, Reply(body=payload(HTML)))
    with pytest.raises(FetchError, match="not a SIPRI export") as info:
        fetch.fetch_register(
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
        fetch.fetch_deliveries(output=tmp_path / "d.csv", first_year=2000, **opts)
    assert not (tmp_path / "d.csv").exists()


def test_verify_payload_uses_the_project_detector():
    assert fetch._verify_payload(V2, {"V2"}) == "V2"
    assert fetch._verify_payload(V3, {"V3"}) == "V3"
    with pytest.raises(FetchError, match="not the expected V1"):
        fetch._verify_payload(V3, {"V1"})
    with pytest.raises(FetchError, match="empty"):
        fetch._verify_payload(b"\n", {"V1"})


# --------------------------------------------------------------------------------------
# atomic write


def test_failed_download_leaves_an_existing_file_untouched(backend, opts, tmp_path):
    out = tmp_path / "r.csv"
    out.write_bytes(b"older download")
    backend.route("POST", REGISTER, Reply(body=payload(HTML)))
    with pytest.raises(FetchError):
        fetch.fetch_register(output=out, first_year=2000, **opts)
    assert out.read_bytes() == b"older download"


@pytest.mark.parametrize("broken", ["fsync", "replace"])
def test_write_failure_leaves_no_partial_file(backend, opts, tmp_path, monkeypatch, broken):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "r.csv"
    out.write_bytes(b"older download")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fetch.os, broken, fail)
    with pytest.raises(OSError, match="No space left"):
        fetch.fetch_register(
            output=out,
            first_year=2000,
            cache=False,
            **{k: v for k, v in opts.items() if k != "cache_dir"},
        )
    assert leftovers(out_dir) == ["r.csv"]  # no .part file
    assert out.read_bytes() == b"older download"


def test_default_output_lands_in_data_sipri_with_a_dated_name(backend, opts, monkeypatch):
    import datetime

    monkeypatch.setattr(fetch, "_today", lambda: datetime.date(2026, 2, 2))
    path = fetch.fetch_register(["Armenia", "Azerbaijan"], "Turkiye", first_year=2020, **opts)
    assert path == (
        arms.paths.SIPRI_DIR
        / "sipri-register_turkiye-to-armenia+azerbaijan_2020-2025_fetched-2026-02-02.csv"
    )
    assert path.read_bytes() == V1


# --------------------------------------------------------------------------------------
# progress


def test_progress_is_one_line_when_not_a_terminal(backend, opts, tmp_path, capsys):
    opts["progress"] = True
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "arms fetch: register 2000-2025" in captured.err


def test_progress_is_silent_when_disabled(backend, opts, tmp_path, capsys):
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    assert capsys.readouterr().err == ""


def test_progress_ticks_on_a_terminal(backend, opts, tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(fetch, "_PROGRESS_INTERVAL", 0.02)
    backend.route("POST", REGISTER, Reply(body=payload(V1), delay=0.2))
    opts["progress"] = True
    fetch.fetch_register(output=tmp_path / "r.csv", first_year=2000, **opts)
    text = terminal.getvalue()
    assert "\rarms fetch: register 2000-2025: waiting" in text
    assert text.endswith(" s\n") and ": done after " in text


# --------------------------------------------------------------------------------------
# command line


def cli(backend, tmp_path, *args):
    return main(["fetch", *args, "--api-url", backend.url, "--cache-dir", str(tmp_path / "cache")])


def test_cli_json_reports_path_variant_size_and_cache(backend, tmp_path, capsys):
    out = tmp_path / "t.csv"
    argv = ["tiv", "--recipient", "Armenia", "Azerbaijan", "--from", "2023", "--to", "2024"]
    assert cli(backend, tmp_path, *argv, "-o", str(out), "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert first["path"] == str(out) and out.read_bytes() == V3
    assert (first["variant"], first["bytes"], first["cached"]) == ("V3", len(V3), False)

    assert cli(backend, tmp_path, *argv, "-o", str(out), "--json") == 0
    assert json.loads(capsys.readouterr().out)["cached"] is True
    assert len(backend.calls("POST")) == 1


def test_cli_repeated_options_accumulate(backend, tmp_path, capsys):
    out = tmp_path / "r.csv"
    argv = ["register", "--supplier", "Russia", "--supplier", "India", "--from", "2000"]
    assert cli(backend, tmp_path, *argv, "-o", str(out), "--no-cache") == 0
    assert "wrote" in capsys.readouterr().out
    supplier = backend.calls("POST")[0].json()["filters"][1]
    assert supplier == _filter("Supplier", "contains", list_data=[104, 106])
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


def test_request_body_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="kind must be one of"):
        fetch.request_body("milex", first_year=2000, last_year=2001)
    with pytest.raises(ValueError, match="TIV tables only"):
        fetch.request_body("register", first_year=2000, last_year=2001, by="supplier")


def test_public_api_is_exported():
    assert arms.fetch_register is fetch.fetch_register
    assert arms.fetch_deliveries is fetch.fetch_deliveries
    assert arms.fetch_tiv is fetch.fetch_tiv


def test_fetched_file_reads_back_with_the_readers(backend, opts, tmp_path):
    path = fetch.fetch_register("Armenia", first_year=1990, output=tmp_path / "r.csv", **opts)
    deals = arms.read_trade_register(path)
    assert len(deals) == 2
    assert set(deals["designation"]) == {"Test-Fé 9", "Mock-7"}  # cp1252 survived
