"""Tests of arms.report.html: sanitising, one page, the citation line."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from report_notebooks import write_notebooks

from arms import report
from arms.report.html import tidy_tables
from arms.text import CITATION


def test_render_page_with_code(tmp_path):
    nb = nbformat.read(write_notebooks(tmp_path) / "01-good.ipynb", as_version=4)
    assert "collect_figure" in report.render_page(nb, with_code=True)
    html = report.render_page(nb, title="T <b>", recipient="R&D", citation="Cite <i>me</i>")
    assert "collect_figure" not in html
    assert "<title>T &lt;b&gt;</title>" in html and "Recipient: R&amp;D" in html
    assert "Source: Cite &lt;i&gt;me&lt;/i&gt;" in html
    assert f"Source: {CITATION}" in report.render_page(nb)


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
    # _repr_html_ is what Jupyter shows for a frame (IPython's display protocol)
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


def test_wide_tables_are_marked_and_print_rules_keep_figures_whole():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    wide = pd.DataFrame([range(10)], columns=[f"c{i}" for i in range(10)])
    narrow = pd.DataFrame({"supplier": ["Russia"], "tiv": [190.0]})
    assert 'class="dataframe arms-wide' in tidy_tables(wide.to_html())
    assert "arms-wide" not in tidy_tables(narrow.to_html())
    cell = new_code_cell("x", outputs=[new_output("display_data", {"text/html": wide.to_html()})])
    page = report.render_page(new_notebook(cells=[cell]), title="T")
    assert "arms-wide" in page
    print_css = page.split("@media print", 1)[1]
    assert "break-inside: avoid" in print_css and "white-space: normal" in print_css
    assert "table.arms-wide" in print_css


def test_a_page_shows_no_warnings_from_stderr_but_keeps_stdout():
    """A reader's warning names a file on the machine that built the report: off the page."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    warning = "/home/me/data/register.csv: 7 row(s) have a number for a designation"
    cell = new_code_cell(
        "x",
        outputs=[
            new_output("stream", name="stderr", text=f"UserWarning: {warning}\n"),
            new_output("stream", name="stdout", text="27,951 deals\n"),
        ],
    )
    nb = new_notebook(cells=[cell])
    page = report.render_page(nb, title="T")
    assert "27,951 deals" in page
    assert "/home/me" not in page and "UserWarning" not in page
    assert report.html.stderr_text(nb) == [f"UserWarning: {warning}"]  # for the build log
