"""Tests of arms.report: one report is built from throwaway notebooks and checked many ways.

The notebooks are written here, not taken from notebooks/: one collects a figure, a table and
a key figure; one fails at cell 2; one puts ``<script>`` into every kind of output; one is the
recipient template, run for two recipients. The browser test opens every page in headless
Chromium (installed by .ci/run) and skips, saying why, where Chromium is not installed.
"""

from __future__ import annotations

import io
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import openpyxl
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from arms.cli import main
from arms.cli.report import ProgressBar
from arms.errors import ArmsError
from arms.report import core as report

DATA_FILE = Path(__file__).parent / "data" / "search_register.csv"  # V1, generated 2024-01-01
SCRIPT = "<script>alert(1)</script>"
PARAMS = {"tags": ["parameters"]}
TEMPLATE = "05-profile"
# a 1x1 GIF: a picture that always resolves
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
RECIPIENTS = ["Azerbaijan", "Armenia"]


def write_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    good = new_notebook(
        cells=[
            new_markdown_cell("# Good page\n\nA chart, a table and a key figure."),
            new_code_cell(
                "import arms.report\nimport matplotlib.pyplot as plt\nimport pandas as pd"
            ),
            new_code_cell("DATA_DIR = None", metadata=PARAMS),
            new_code_cell(
                "print('DATA_DIR is', DATA_DIR)\n"
                "fig, ax = plt.subplots()\nax.bar(['Israel', 'Russia'], [69.2, 17.0])\n"
                "arms.report.collect_figure(fig, 'Supplier shares')"
            ),
            new_code_cell(
                "shares = pd.DataFrame(\n"
                "    {'supplier': ['Israel', 'Russia'], 'share': [69.2, 17.0]})\n"
                "arms.report.collect_table(shares, 'Shares')\n"
                "arms.report.key_figure('Israel share, 2016-20', 69.2, note='% of TIV')\n"
                "shares"
            ),
        ]
    )
    fails = new_notebook(
        cells=[
            new_markdown_cell("# Failing page"),
            new_code_cell("x = 1\nprint('before the error')"),
            new_code_cell("raise ValueError('boom from cell two')"),
            new_code_cell("print('never reached')"),
        ]
    )
    escape = new_notebook(
        cells=[
            new_markdown_cell(f"# Escaping\n\nMarkdown cell: {SCRIPT}\n\n> a blockquote stays"),
            new_code_cell(
                "import arms.report\nimport pandas as pd\n"
                "from IPython.display import HTML, Javascript, Markdown, display\n"
                f"name = {SCRIPT!r}"
            ),
            new_code_cell(
                "display(Markdown(f'Weapon: {name}'))\n"
                "display(HTML(f'<p>comment {name}</p>'\n"
                f'             \'<img src="{PIXEL}" onerror="document.title=1">\'))\n'
                "display(HTML(\"<script>document.title='pwned'</script>\"))\n"
                "display(Javascript(\"document.title='pwned'\"))\n"
                "print(name)\n"
                "arms.report.key_figure(name, name, note=name)\n"
                "pd.DataFrame({'designation': [name], 'comments': [name]})"
            ),
            new_code_cell("pd.DataFrame({'designation': [name]}).style"),
        ]
    )
    profile = new_notebook(
        cells=[
            new_markdown_cell("# Recipient profile"),
            new_code_cell("import arms.report\nimport pandas as pd"),
            new_code_cell("RECIPIENT = 'Default'", metadata=PARAMS),
            new_code_cell(
                "print('RECIPIENT is', RECIPIENT)\n"
                "arms.report.key_figure(f'{RECIPIENT} imports', 1234567)\n"
                "arms.report.collect_table(pd.DataFrame({'recipient': [RECIPIENT]}), 'Imports')"
            ),
        ]
    )
    for name, nb in [
        ("01-good", good),
        ("02-fails", fails),
        ("03-escape", escape),
        (TEMPLATE, profile),
    ]:
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    notebooks = write_notebooks(base / "notebooks")
    data = base / "data"
    data.mkdir()
    shutil.copy(DATA_FILE, data)
    calls = []
    formats = ["html", "pdf"] if report.find_chromium() else ["html"]
    result = report.build_report(
        [notebooks],
        base / "reports",
        recipients=RECIPIENTS,
        data=data,
        formats=formats,
        template=TEMPLATE,
        progress=lambda page, done, total: calls.append((page, done, total)),
    )
    return {
        "result": result,
        "calls": calls,
        "data": data,
        "notebooks": notebooks,
        "formats": formats,
    }


def page(result, slug):
    return next(p for p in result.pages if p.slug == slug)


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the build (one report)


@pytest.mark.slow
def test_pages_in_order_with_one_per_recipient(built):
    result = built["result"]
    assert [p.slug for p in result.pages] == [
        "01-good",
        "02-fails",
        "03-escape",
        "05-profile-azerbaijan",
        "05-profile-armenia",
    ]
    assert [p.recipient for p in result.pages][-2:] == RECIPIENTS
    assert all(p.html is not None and p.html.exists() for p in result.pages)
    assert result.index == result.out / "index.html" and result.index.exists()
    assert page(result, "05-profile-armenia").title == "Recipient profile: Armenia"


@pytest.mark.slow
def test_parameters_injected(built):
    result = built["result"]
    assert f"DATA_DIR is {built['data']}" in text(page(result, "01-good").html)
    for recipient in RECIPIENTS:
        html = text(page(result, f"05-profile-{recipient.lower()}").html)
        assert f"RECIPIENT is {recipient}" in html
        assert "RECIPIENT is Default" not in html


@pytest.mark.slow
def test_failing_notebook_is_reported_and_marked(built):
    result = built["result"]
    assert not result.ok
    [failure] = result.failures
    assert (failure.notebook, failure.cell_index) == ("02-fails.ipynb", 2)
    assert failure.source == "raise ValueError('boom from cell two')"
    assert (failure.ename, failure.evalue) == ("ValueError", "boom from cell two")
    message = str(failure)
    assert message.startswith("02-fails.ipynb failed at cell 2:")
    assert "raise ValueError('boom from cell two')" in message
    assert message.endswith("ValueError: boom from cell two")
    # The failed page is still written, with what ran and a banner; later cells did not run.
    html = text(page(result, "02-fails").html)
    assert "This page failed to build." in html and "before the error" in html
    assert "never reached" not in html
    index = text(result.index)
    assert 'class="failed-page" id="page-02-fails"' in index
    assert "boom from cell two" in index and "1 failed" in index
    assert index.count('class="ok-page"') == 4


@pytest.mark.slow
def test_code_hidden_by_default(built):
    html = text(page(built["result"], "01-good").html)
    assert "collect_figure" not in html and "import matplotlib" not in html
    assert "Good page" in html and "A chart, a table and a key figure." in html


@pytest.mark.slow
def test_figures_collected_as_png_and_svg(built):
    result = built["result"]
    good = page(result, "01-good")
    png = result.out / "figures" / "01-good" / "supplier-shares.png"
    assert good.figures == [png]
    assert sorted(f.name for f in png.parent.iterdir()) == [png.name, "supplier-shares.svg"]
    assert good.captions == {"supplier-shares": "Supplier shares"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.with_suffix(".svg").read_text().lstrip().startswith("<?xml")
    index = text(result.index)
    assert 'src="figures/01-good/supplier-shares.png"' in index
    assert 'href="figures/01-good/supplier-shares.svg"' in index
    assert "Supplier shares" in index
    # Charts are also inline in the page (inline backend, not Agg).
    assert "data:image/png;base64," in text(good.html)


@pytest.mark.slow
def test_workbook_has_every_table(built):
    result = built["result"]
    assert result.workbook == result.out / "arms-tables.xlsx"
    sheets = openpyxl.load_workbook(result.workbook, read_only=True).sheetnames
    # Same table name on two template pages: qualified by the recipient.
    assert sheets == ["README", "Shares", "Azerbaijan Imports", "Armenia Imports"]
    shares = pd.read_excel(result.workbook, sheet_name="Shares")
    assert shares.to_dict("list") == {"supplier": ["Israel", "Russia"], "share": [69.2, 17.0]}
    assert pd.read_excel(result.workbook, sheet_name="Armenia Imports")["recipient"].tolist() == [
        "Armenia"
    ]
    assert 'href="arms-tables.xlsx"' in text(result.index)


@pytest.mark.slow
def test_index_shows_provenance_citation_caveat_and_key_figures(built):
    result = built["result"]
    index = text(result.index)
    assert "search_register.csv" in index and "<td>1 Jan 2024</td>" in index  # provenance row
    assert [row["variant"] for row in result.data_files] == ["V1"]
    assert [str(row["generated"])[:10] for row in result.data_files] == ["2024-01-01"]
    assert "SIPRI Arms Transfers Database" in index and "(data generated 1 Jan 2024)" in index
    assert "not US$" in index and "trend-indicator values" in index
    assert "Israel share, 2016-20" in index and "69.2" in index and "% of TIV" in index
    assert "Azerbaijan imports" in index and "1,234,567" in index
    for p in result.pages:
        assert f'href="{p.slug}.html"' in index
        assert "Arms Transfers Database" in text(p.html) and "(data generated 1 Jan 2024)" in text(
            p.html
        )


@pytest.mark.slow
def test_everything_is_escaped(built):
    result = built["result"]
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for path in [page(result, "03-escape").html, result.index]:
        html = text(path)
        assert "<script" not in html  # neither page runs any script: markup is text
        assert escaped in html
    html = text(page(result, "03-escape").html)
    assert f"Markdown cell: {escaped}" in html
    assert f"Weapon: {escaped}" in html  # markdown output
    assert f"comment {escaped}" in html  # HTML output
    assert f"<td>{escaped}</td>" in html  # DataFrame
    assert "onerror" not in html and "<blockquote>" in html
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in html
    assert text(result.index).count(escaped) == 3  # label, value, note of the key figure


@pytest.mark.slow
def test_timings_and_progress(built):
    result = built["result"]
    for p in result.pages:
        assert p.kernel_seconds > 0 and p.execution_seconds >= 0 and p.conversion_seconds > 0
        split = p.kernel_seconds + p.execution_seconds + p.conversion_seconds
        assert split == pytest.approx(p.seconds, abs=0.5)
    t = result.timings()
    assert t["pages"] == pytest.approx(sum(p.seconds for p in result.pages))
    assert 0 < t["wall"] and result.jobs == min(5, os.cpu_count())
    calls = built["calls"]
    assert calls[0] == (None, 0, 5)
    assert [done for _, done, _ in calls[1:]] == [1, 2, 3, 4, 5]
    assert {p.slug for p, _, _ in calls[1:]} == {p.slug for p in result.pages}


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


# ------------------------------------------------------------------ without a kernel


def test_pdf_without_chromium_fails_before_running(tmp_path, monkeypatch):
    monkeypatch.setenv("ARMS_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(ArmsError, match="apt-get install chromium"):
        report.build_report([tmp_path], tmp_path / "out", formats=["html", "pdf"])
    assert not (tmp_path / "out").exists()


def test_no_notebooks_is_a_clear_error(tmp_path):
    with pytest.raises(ArmsError, match="no notebooks found"):
        report.build_report([tmp_path], tmp_path / "out")
    with pytest.raises(ArmsError, match="unknown report format"):
        report.build_report([tmp_path], tmp_path / "out", formats=["docx"])


def test_cli_errors_are_one_line(tmp_path, monkeypatch, capsys):
    assert main(["report", "--notebooks", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("arms report: error: no notebooks found")
    write_notebooks(tmp_path / "nbs")
    monkeypatch.setenv("ARMS_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert main(["report", "--notebooks", str(tmp_path / "nbs"), "--format", "html,pdf"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "install it" in err and "apt-get install chromium" in err
    with pytest.raises(SystemExit):
        main(["report", "--format", "docx"])


@pytest.mark.slow
def test_cli_failing_notebook(tmp_path, capsys):
    notebooks = write_notebooks(tmp_path / "nbs")
    code = main(
        [
            "report",
            "--notebooks",
            str(notebooks / "02-fails.ipynb"),
            "--out",
            str(tmp_path / "out"),
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert (
        "02-fails.ipynb failed at cell 2:\n    raise ValueError('boom from cell two')\n"
        "ValueError: boom from cell two" in captured.err
    )
    assert "1 of 1 page(s) failed" in captured.err
    assert '"ok": false' in captured.out and '"cell_index": 2' in captured.out
    assert (tmp_path / "out" / "02-fails.html").exists()
    assert (tmp_path / "out" / "index.html").exists()


def test_inject_parameters_after_parameters_cell():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# T"),
            new_code_cell("RECIPIENT = 'Azerbaijan'", metadata=PARAMS),
            new_code_cell("print(RECIPIENT)"),
        ]
    )
    once = report.inject_parameters(nb, {"RECIPIENT": "Armenia", "DATA_DIR": Path("/d")})
    assert len(nb.cells) == 3  # the input is not modified
    cell = once.cells[2]
    assert cell.metadata["tags"] == ["injected-parameters"]
    assert cell.source.splitlines()[1:] == ["RECIPIENT = 'Armenia'", "DATA_DIR = '/d'"]
    twice = report.inject_parameters(once, {"RECIPIENT": "Georgia"})
    assert len(twice.cells) == 4 and "'Georgia'" in twice.cells[2].source
    nbformat.validate(twice)
    bare = report.inject_parameters(new_notebook(cells=[new_code_cell("x = 1")]), {"A": 1})
    assert bare.cells[0].source.endswith("A = 1") and bare.metadata["arms"]["injected_at"] == 0
    with pytest.raises(ValueError, match="parameter name"):
        report.inject_parameters(nb, {"not a name": 1})


def test_render_page_with_code(tmp_path):
    nb = nbformat.read(write_notebooks(tmp_path) / "01-good.ipynb", as_version=4)
    assert "collect_figure" in report.render_page(nb, with_code=True)
    html = report.render_page(nb, title="T <b>", recipient="R&D")
    assert "collect_figure" not in html
    assert "<title>T &lt;b&gt;</title>" in html and "Recipient: R&amp;D" in html


def test_clean_html_keeps_tables_and_pictures():
    table = (
        '<style scoped>.dataframe td {color: red;}</style><table border="1" '
        'class="dataframe"><thead><tr style="text-align: right;"><th>a</th></tr></thead>'
        "<tbody><tr><td>1</td></tr></tbody></table>"
    )
    assert report.clean_html(table) == table
    img = '<img src="data:image/png;base64,AAAA" alt="x">'
    assert report.clean_html(img) == img
    assert report.clean_html('<a href="javascript:alert(1)">x</a>') == "<a>x</a>"
    assert report.clean_html('<a href="data:text/html,x">x</a>') == "<a>x</a>"
    assert report.clean_html('<iframe src="x"></iframe>').startswith("&lt;iframe")


def test_clean_html_keeps_pandas_and_styler_css():
    frame = pd.DataFrame({"tiv": [1.5, 2.5]}, index=["Israel", "Russia"])
    for html in (frame._repr_html_(), frame.style.background_gradient().to_html()):
        assert "<style" in html
        cleaned = report.clean_html(html)
        assert cleaned.count("<style") == html.count("<style")
        assert "vertical-align" in cleaned or "background-color" in cleaned
    rgb = "<style>td { color: rgb(1, 2, 3); width: calc(100% - 2em); }</style>"
    assert report.clean_html(rgb) == rgb


@pytest.mark.parametrize(
    "css",
    [
        "@import url(http://evil.example/x.css);",
        '@IMPORT "http://evil.example/x.css";',
        "td { background: url(http://evil.example/x.png) }",
        "td { background: URL ( 'http://evil.example/x.png' ) }",
        'td { background-image: image-set("http://evil.example/x.png" 1x) }',
        "td { width: expression(alert(1)) }",
        r"td { background: u\72l(http://evil.example/x.png) }",  # a CSS escape for "r"
        "@im/**/port 'http://evil.example/x.css';",
    ],
)
def test_clean_html_drops_style_that_loads_or_runs(css):
    cleaned = report.clean_html(f"<style>{css}</style><p>kept</p>")
    assert cleaned == "<p>kept</p>"
    nested = report.clean_html(f"<div><style scoped>{css}</style>x</div>")
    assert "evil" not in nested and "expression" not in nested and nested == "<div>x</div>"


@pytest.mark.parametrize(
    "src",
    [
        "http://evil.example/x.png",
        "https://evil.example/x.png",
        "//evil.example/x.png",
        "x.png",
        "data:text/html,<script>alert(1)</script>",
        "javascript:alert(1)",
    ],
)
def test_clean_html_keeps_only_embedded_pictures(src):
    assert report.clean_html(f'<img src="{src}" alt="x">') == '<img alt="x">'


def test_plan_passes_data_as_dir_or_file(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    found = report.find_notebooks([notebooks])
    pages = report._plan(found, ["Türkiye"], DATA_FILE, TEMPLATE)
    assert [p.slug for p in pages][-1] == "05-profile-turkiye"
    assert pages[0].parameters == {"DATA": str(DATA_FILE)}
    assert pages[-1].parameters == {"DATA": str(DATA_FILE), "RECIPIENT": "Türkiye"}
    pages = report._plan(found, RECIPIENTS, tmp_path, TEMPLATE)
    assert pages[0].parameters == {"DATA_DIR": str(tmp_path)}
    assert report._plan(found, RECIPIENTS, None, TEMPLATE)[0].parameters == {}


def test_notebook_helpers_are_no_ops_outside_a_build(monkeypatch):
    for name in (report.ENV_FIGURES, report.ENV_TABLES, report.ENV_KEYS):
        monkeypatch.delenv(name, raising=False)
    assert report.collect_table(pd.DataFrame({"a": [1]}), "t") is None
    assert report.key_figure("k", 1) is None
    with pytest.raises(TypeError, match="DataFrame"):
        report.collect_table([1, 2], "t")


def test_progress_bar_plain_and_tty():
    result = report.PageResult(
        Path("02-x.ipynb"),
        "02-x",
        "X",
        html=Path("x.html"),
        seconds=2.5,
        kernel_seconds=1.5,
        execution_seconds=0.75,
        conversion_seconds=0.25,
    )
    plain = io.StringIO()
    bar = ProgressBar(plain)
    bar(None, 0, 2)
    bar(result, 1, 2)
    assert plain.getvalue().splitlines() == [
        "Executing 2 notebook(s)",
        "[1/2] 02-x.ipynb ok in 2.5s (kernel 1.5s, run 0.8s, html 0.2s)",
    ]

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    bar = ProgressBar(tty, width=10)
    bar(None, 0, 2)
    bar(result, 1, 2)
    bar(result, 2, 2)
    out = tty.getvalue()
    assert "\r[#####-----] 1/2" in out and "\r[##########] 2/2" in out
    assert "02-x.ipynb ok 2.5s" in out and out.endswith("\n")


# ------------------------------------------------------------------ not applicable, failures


def write_na_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    collect = (
        "fig, ax = plt.subplots()\nax.bar(['a'], [1])\n"
        "arms.report.collect_figure(fig, 'early figure')\n"
        "arms.report.collect_table(pd.DataFrame({'x': [1]}), 'early table')\n"
        "arms.report.key_figure('early key', 76.5203)"
    )
    setup = "import arms.report\nimport matplotlib.pyplot as plt\nimport pandas as pd"
    na = new_notebook(
        cells=[
            new_markdown_cell("# Case study page"),
            new_code_cell(setup),
            new_code_cell(collect),
            new_code_cell(
                "raise arms.NotApplicable('this page needs deliveries to Armenia; "
                "the file x.csv has none')"
            ),
            new_markdown_cell("## A section that needs Armenia"),
            new_code_cell("print('never reached')"),
        ]
    )
    fails = new_notebook(
        cells=[
            new_markdown_cell("# Failing after collecting"),
            new_code_cell(setup),
            new_code_cell(collect.replace("early", "partial")),
            new_code_cell("raise ValueError('late boom')"),
        ]
    )
    good = new_notebook(
        cells=[
            new_markdown_cell("# Good"),
            new_code_cell(setup),
            new_code_cell("arms.report.key_figure('good key', 1)"),
        ]
    )
    for name, nb in [("02-na", na), ("03-fails", fails), ("04-good", good)]:
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.fixture(scope="module")
def na_built(tmp_path_factory):
    base = tmp_path_factory.mktemp("na-report")
    notebooks = write_na_notebooks(base / "notebooks")
    return report.build_report([notebooks], base / "reports", data=DATA_FILE, template="none")


@pytest.mark.slow
def test_not_applicable_page_is_not_a_failure(na_built):
    result = na_built
    na, fails, good = result.pages
    assert (na.status, fails.status, good.status) == ("not applicable", "failed", "ok")
    assert na.ok and na.failure is None
    assert na.not_applicable == "this page needs deliveries to Armenia; the file x.csv has none"
    assert [f.notebook for f in result.failures] == ["03-fails.ipynb"]
    html = text(na.html)
    assert "Not applicable to these data." in html and "the file x.csv has none" in html
    assert "A section that needs Armenia" not in html and "Traceback" not in html
    # nothing the page made before the check is collected
    assert na.figures == [] and na.tables == [] and na.key_figures == []
    assert not (result.out / "figures" / "02-na").exists()
    index = text(result.index)
    assert 'class="na-page" id="page-02-na"' in index
    assert "not applicable" in index and "1 not applicable to these data" in index
    assert "early key" not in index and "early figure" not in index


@pytest.mark.slow
def test_failed_page_contributes_no_tables_or_key_figures(na_built):
    result = na_built
    # the failed and the not-applicable pages collected a table each; neither is written
    assert [len(p.tables) for p in result.pages] == [0, 0, 0]
    assert result.workbook is None
    index = text(result.index)
    assert "partial key" not in index and "good key" in index


@pytest.mark.slow
def test_cli_exit_code_zero_with_not_applicable_pages(tmp_path, capsys):
    notebooks = write_na_notebooks(tmp_path / "nb")
    (notebooks / "03-fails.ipynb").unlink()
    code = main(
        [
            "report",
            "--notebooks",
            str(notebooks),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--data",
            str(DATA_FILE),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "02-na.ipynb: not applicable: this page needs deliveries to Armenia" in out


def test_unknown_recipient_fails_before_running(tmp_path, capsys):
    with pytest.raises(ArmsError, match="unknown recipient 'Azerbajan'; did you mean Azerbaijan"):
        report.build_report(out=tmp_path / "out", recipients=["Azerbajan"])
    assert not (tmp_path / "out").exists()
    assert main(["report", "--out", str(tmp_path / "o"), "--recipient", "Azerbajan"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "arms report: error: unknown recipient 'Azerbajan'; did you mean Azerbaijan?"
    )
    report.check_recipients(["azerbaijan", "Turkey", "Pakistan"])  # any SIPRI spelling


def test_tiv_table_fails_before_running(tmp_path, capsys):
    tiv = Path(report.paths.SIPRI_DIR) / "tiv-imports-2024-10-13.csv"
    assert main(["report", "--out", str(tmp_path / "o"), "--data", str(tiv)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "arms report: error: tiv-imports-2024-10-13.csv is a TIV table; the report needs a "
        "trade register or deliveries file"
    )
    assert not (tmp_path / "o").exists()


def test_sheet_prefix_not_repeated(tmp_path):
    def fake_page(stem, recipient, names):
        folder = tmp_path / stem / (recipient or "")
        folder.mkdir(parents=True)
        tables = []
        for i, name in enumerate(names):
            path = folder / f"{i}.pkl"
            pd.to_pickle({"name": name, "table": pd.DataFrame({"x": [i]})}, path)
            tables.append(path)
        page = report.PageResult(Path(f"{stem}.ipynb"), stem, stem, recipient, html=path)
        page.tables = tables
        return page

    pages = [
        fake_page("02-azerbaijan", None, ["Azerbaijan suppliers by period"]),
        fake_page("05-profile", "Azerbaijan", ["Azerbaijan suppliers by period"]),
        fake_page("05-profile", "Armenia", ["Armenia suppliers by period", "Imports"]),
        fake_page("03-armenia", None, ["Armenia suppliers by period"]),
        fake_page("05-profile", "Georgia", ["Imports"]),
    ]
    names = list(report._load_tables(pages))
    assert names == [
        "02 Azerbaijan suppliers by period",
        "05 Azerbaijan suppliers by period",
        "05 Armenia suppliers by period",
        "Armenia Imports",
        "03 Armenia suppliers by period",
        "Georgia Imports",
    ]
    assert not any("Azerbaijan Azerbaijan" in n or "Armenia Armenia" in n for n in names)
