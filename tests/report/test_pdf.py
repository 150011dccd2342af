"""Tests of arms.report.pdf: PDF pages and the report opened in a real (headless) browser.

The browser test opens every page in headless Chromium (installed by .ci/run) and skips,
saying why, where Chromium is not installed.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from report_notebooks import SCRIPT, text

from arms import report
from arms.errors import ArmsError


@pytest.mark.slow
def test_pdf_pages(built):
    if "pdf" not in built["formats"]:
        pytest.skip("Chromium is not installed (apt-get install chromium): no PDF printed")
    result = built["result"]
    for p in result.pages:
        assert p.pdf == p.html.with_suffix(".pdf")
        assert p.pdf.read_bytes()[:5] == b"%PDF-"
    assert result.index_pdf.read_bytes()[:5] == b"%PDF-"
    assert 'href="01-good.pdf"' in text(result.index)
    assert not result.problems


# ------------------------------------------------------------------ a real browser


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.scripts, self.text = [], [], [], []
        self.title = ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src") or "")
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "title":
            self.title += data
        else:
            self.text.append(data)


def _resolves(page_path: Path, target: str) -> bool:
    parts = urlsplit(target)
    if parts.scheme in ("http", "https", "mailto") or (not parts.path and parts.fragment):
        return True
    if parts.scheme == "data":
        return target.startswith("data:image/")
    if parts.scheme == "file":
        return Path(unquote(parts.path)).exists()
    return (page_path.parent / unquote(parts.path)).exists()


@pytest.mark.slow
def test_report_in_headless_chromium(built, tmp_path_factory):
    chromium = report.find_chromium()
    if chromium is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium; .ci/run "
            "installs it): the report was not opened in a browser"
        )
    result = built["result"]
    shots = Path(os.environ.get("ARMS_TEST_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    pages = [result.index, *(p.html for p in result.pages)]

    def visit(path: Path):
        url = path.as_uri()
        dom = report.headless_chromium(
            ["--virtual-time-budget=3000", "--dump-dom", url], chromium=chromium
        )
        shot = shots / f"{path.stem}.png"
        report.headless_chromium(
            ["--window-size=1280,900", f"--screenshot={shot}", url], chromium=chromium
        )
        return path, dom.stdout, shot

    with ThreadPoolExecutor(max_workers=2) as pool:
        visits = list(pool.map(visit, pages))
    for path, dom_text, shot in visits:
        dom = _Dom()
        dom.feed(dom_text)
        assert dom.links, f"{path.name}: Chromium rendered no links"
        broken = [h for h in dom.links if not _resolves(path, h)]
        assert not broken, f"{path.name}: links that do not resolve: {broken}"
        missing = [s[:60] for s in dom.images if not _resolves(path, s)]
        assert not missing, f"{path.name}: images that do not resolve: {missing}"
        assert dom.title.strip() and dom.title not in ("pwned", "1")  # no injected script ran
        assert not any("alert(1)" in s or "pwned" in s for s in dom.scripts)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
        if path == result.index:
            assert len(dom.images) == 1 and any(h.endswith("02-fails.html") for h in dom.links)
        if path.stem == "03-escape":
            assert f"Weapon: {SCRIPT}" in "".join(dom.text)  # shown as text
            assert any(SCRIPT in t for t in dom.text)


def test_print_pdf_without_chromium(tmp_path, monkeypatch):
    monkeypatch.setenv("ARMS_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert report.find_chromium() is None
    with pytest.raises(ArmsError, match="apt-get install chromium"):
        report.print_pdf(tmp_path / "x.html", tmp_path / "x.pdf")
