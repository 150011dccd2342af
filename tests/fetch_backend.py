"""A fake SIPRI backend on 127.0.0.1 for the fetch tests (never the real one).

The fake serves small synthetic payloads shaped like real V1/V2/V3 exports (preamble and
header text as SIPRI writes them, invented rows) and records every request, so the tests
can assert the exact bodies, the order of calls, retries and caching.

Test modules load the fixtures with ``pytest_plugins = ["fetch_backend"]`` and mark
themselves ``pytest.mark.usefixtures("isolated")`` (not autouse: a plugin's fixtures reach the
whole session). The module holds no assertions, so pytest need not rewrite it:
PYTEST_DONT_REWRITE (the test modules import it before pytest loads it as their plugin).
"""

from __future__ import annotations

import base64
import dataclasses
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterable

import pytest

import arms

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


def filter_(field, condition="", value1="", value2="", list_data=()):
    """Return one filter object as the portal writes it (all six keys)."""
    return {
        "field": field,
        "oldField": "",
        "condition": condition,
        "value1": value1,
        "value2": value2,
        "listData": list(list_data),
    }


# the fake backend


@dataclasses.dataclass
class Reply:
    """One answer of the fake backend.

    ``drip`` sends the body one byte every ``drip`` seconds (with ``drip_all``, the status
    line and headers too); ``stream`` returns the chunks of a body of unknown length (sent
    without Content-Length, the connection closed at its end); ``length`` announces a
    Content-Length other than the body's.
    """

    status: int = 200
    body: bytes = b""
    headers: dict = dataclasses.field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/json"
    drip: float = 0.0
    drip_all: bool = False
    stream: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None


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
        counted = True
        try:
            if reply is None:
                reply = Reply(404, b"not found", content_type="text/plain")
            if reply.delay:
                time.sleep(reply.delay)
            # The request is answered from here on. A client can read the answer and send
            # its next request before this thread runs again, so the count drops first.
            with backend.lock:
                backend.in_flight -= 1
            counted = False
            self._answer(reply)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up first
            self.close_connection = True
        finally:
            if counted:
                with backend.lock:
                    backend.in_flight -= 1

    def _answer(self, reply: Reply) -> None:
        reason = self.responses.get(reply.status, ("?",))[0]
        headers = {"Content-Type": reply.content_type, **reply.headers}
        if reply.stream is None:
            size = len(reply.body) if reply.length is None else reply.length
            headers["Content-Length"] = str(size)
        else:
            headers["Connection"] = "close"
            self.close_connection = True
        head = "".join(
            [f"HTTP/1.1 {reply.status} {reason}\r\n"]
            + [f"{name}: {value}\r\n" for name, value in headers.items()]
            + ["\r\n"]
        ).encode("latin-1")
        chunks = reply.stream() if reply.stream is not None else [reply.body]
        if not reply.drip:
            self.wfile.write(head)
            for chunk in chunks:
                self.wfile.write(chunk)
                self.server.backend.sent += len(chunk)
            return
        if not reply.drip_all:
            self.wfile.write(head)
            head = b""
        for is_body, chunk in [(False, head), *((True, c) for c in chunks)]:
            for i in range(len(chunk)):
                self.wfile.write(chunk[i : i + 1])
                self.server.backend.sent += is_body
                time.sleep(reply.drip)

    def log_message(self, *args):  # keep test output clean
        pass


class FakeBackend:
    def __init__(self):
        self.seen: list[Seen] = []
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.sent = 0  # bytes of answer bodies written
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


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No proxies, no real cache, no writes to the bundled data, no real backend."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("ARMS_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.setenv("ARMS_SIPRI_API", "http://127.0.0.1:9/never-used")
    monkeypatch.setattr(arms.paths, "SIPRI_DIR", tmp_path / "sipri")


@pytest.fixture
def opts(backend, tmp_path):
    """Keyword arguments of the fetch functions that point them at the fake backend."""
    return {
        "api_url": backend.url,
        "cache_dir": tmp_path / "cache",
        "timeout": 2.0,
        "retries": 2,
        "backoff": 0.01,
        "progress": False,
    }


def leftovers(directory):
    """Return the names of the files in ``directory`` (none when it does not exist)."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []
