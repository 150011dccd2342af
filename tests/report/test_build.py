"""Tests of arms.report.build: one report of throwaway notebooks, checked many ways."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from report_notebooks import (
    DATA_FILE,
    RECIPIENTS,
    TEMPLATE,
    TITLE,
    UNREAD_FILE,
    page,
    text,
    write_notebooks,
)

from arms import paths, report
from arms import text as report_text
from arms.errors import ArmsError
from arms.report.collect import ENV_TABLES

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
    assert [p.recipient for p in result.pages][-2:] == RECIPIENTS  # from report.toml
    assert all(p.html is not None and p.html.exists() for p in result.pages)
    assert result.index == result.out / "index.html" and result.index.exists()
    assert page(result, "05-profile-armenia").title == "Recipient profile: Armenia"


@pytest.mark.slow
def test_title_from_settings_escaped(built):
    index = text(built["result"].index)
    assert "<title>Test report &lt;b&gt;bold&lt;/b&gt;</title>" in index
    assert TITLE not in index


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
    # for handing on: the title and a source line above headers in words with units
    shares = pd.read_excel(result.workbook, sheet_name="Shares", header=2)
    assert shares.to_dict("list") == {"supplier": ["Israel", "Russia"], "share (%)": [69.2, 17.0]}
    top = pd.read_excel(result.workbook, sheet_name="Shares", header=None, nrows=2)[0].tolist()
    assert top[0] == "Shares" and top[1].startswith("Source: SIPRI Arms Transfers Database")
    imports = pd.read_excel(result.workbook, sheet_name="Armenia Imports", header=2)
    assert imports["recipient"].tolist() == ["Armenia"]
    # the README sheet lists the files the index cites (these tables carry no attrs of theirs)
    readme = pd.read_excel(result.workbook, sheet_name="README", header=None)
    rows = dict(zip(readme[0], readme[1], strict=True))
    assert rows["Source files"] == "; ".join(s["path"] for s in result.data_files)
    assert rows["Source files"] == DATA_FILE.name and rows["Data generated"] == "1 Jan 2024"
    assert 'href="arms-tables.xlsx"' in text(result.index)


@pytest.mark.slow
def test_index_cites_exactly_the_recorded_sources(built):
    result = built["result"]
    index = text(result.index)
    # one row for the file four pages recorded; the unread file in the folder is not cited
    assert [row["path"] for row in result.data_files] == [DATA_FILE.name]
    assert UNREAD_FILE.name not in index
    assert [row["variant"] for row in result.data_files] == ["V1"]
    assert [str(row["generated"])[:10] for row in result.data_files] == ["2024-01-01"]
    sha = result.data_files[0]["sha256"]
    assert len(sha) == 64 and f"<code>{sha[:12]}</code>" in index
    assert "search_register.csv" in index and "<td>1 Jan 2024</td>" in index
    assert "2010-2024, used by 01-good, 03-escape, 05-profile-azerbaijan" in index
    assert "SIPRI Arms Transfers Database" in index and "(data generated 1 Jan 2024)" in index
    assert "not US$" in index and "trend-indicator values" in index
    assert "Israel share, 2016-20" in index and "69.2" in index and "% of TIV" in index
    assert "Azerbaijan imports" in index and "1,234,567" in index
    for p in result.pages:
        assert f'href="{p.slug}.html"' in index
        html = text(p.html)
        assert "Arms Transfers Database" in html
        # each footer cites the page's own sources: the failing page recorded none
        cited = "(data generated 1 Jan 2024)" in html
        assert cited == (p.slug != "02-fails"), p.slug
        assert [s["path"] for s in p.sources] == ([] if p.slug == "02-fails" else [DATA_FILE.name])


@pytest.mark.slow
def test_citation_files_next_to_the_index(built):
    import json

    result = built["result"]
    bib = (result.out / "citation.bib").read_text(encoding="utf-8")
    items = json.loads((result.out / "citation.json").read_text(encoding="utf-8"))
    # the same entry `arms cite` prints for the one file the pages recorded
    assert bib.strip() == report_text.bibtex(result.data_files[0])
    assert items == report_text.csl_json(result.data_files[0])
    assert items[0]["issued"] == {"date-parts": [[2024, 1, 1]]}
    assert DATA_FILE.name in items[0]["note"] and DATA_FILE.name.replace("_", r"\_") in bib
    index = text(result.index)
    assert 'href="citation.bib"' in index and 'href="citation.json"' in index


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


# ------------------------------------------------------------------ not applicable, failures


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
    # no page recorded a source: none is cited, though --data named a file
    assert result.data_files == [] and DATA_FILE.name not in index.split("Data location")[0]
    assert "No page recorded the SIPRI files it read" in index
    assert "SIPRI Arms Transfers Database" in index and "data generated" not in index


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


def test_unknown_recipient_fails_before_running(tmp_path):
    with pytest.raises(ArmsError, match="unknown recipient 'Azerbajan'; did you mean Azerbaijan"):
        report.build_report(out=tmp_path / "out", recipients=["Azerbajan"])
    assert not (tmp_path / "out").exists()


def test_tiv_table_fails_before_running(tmp_path):
    tiv = Path(paths.SIPRI_DIR) / "tiv-imports-2024-10-13.csv"
    with pytest.raises(ArmsError, match="is a TIV table; the report needs a trade register"):
        report.build_report(out=tmp_path / "o", data=tiv)
    assert not (tmp_path / "o").exists()


def test_template_without_recipients_fails_before_running(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    (notebooks / "report.toml").write_text(f"template_notebook = {TEMPLATE!r}\n")
    with pytest.raises(ArmsError, match="05-profile.ipynb needs recipients"):
        report.build_report([notebooks], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_plan_passes_data_as_dir_or_file(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    found = report.find_notebooks([notebooks])
    pages = report.plan_pages(found, ["Türkiye"], DATA_FILE, TEMPLATE)
    assert [p.slug for p in pages][-1] == "05-profile-turkiye"
    assert pages[0].parameters == {"DATA": str(DATA_FILE)}
    assert pages[-1].parameters == {"DATA": str(DATA_FILE), "RECIPIENT": "Türkiye"}
    pages = report.plan_pages(found, RECIPIENTS, tmp_path, TEMPLATE)
    assert pages[0].parameters == {"DATA_DIR": str(tmp_path)}
    assert report.plan_pages(found, RECIPIENTS, None, TEMPLATE)[0].parameters == {}
    assert [p.slug for p in report.plan_pages(found, RECIPIENTS, None, None)][-1] == TEMPLATE


def test_sheet_prefix_not_repeated(tmp_path, monkeypatch):
    def fake_page(stem, recipient, names):
        folder = tmp_path / stem / (recipient or "")
        monkeypatch.setenv(ENV_TABLES, str(folder))  # as the build sets it for a kernel
        for i, name in enumerate(names):
            report.collect_table(pd.DataFrame({"x": [f"{stem} {recipient} {i}"]}), name)
        page = report.PageResult(Path(f"{stem}.ipynb"), stem, stem, recipient, html=folder)
        page.tables = sorted(folder.glob("*.pkl"))
        return page

    pages = [
        fake_page("02-azerbaijan", None, ["Azerbaijan suppliers by period"]),
        fake_page("05-profile", "Azerbaijan", ["Azerbaijan suppliers by period"]),
        fake_page("05-profile", "Armenia", ["Armenia suppliers by period", "Imports"]),
        fake_page("03-armenia", None, ["Armenia suppliers by period"]),
        fake_page("05-profile", "Georgia", ["Imports"]),
    ]
    tables = report.workbook_tables(pages)
    names = list(tables)
    assert names == [
        "02 Azerbaijan suppliers by period",
        "05 Azerbaijan suppliers by period",
        "05 Armenia suppliers by period",
        "Armenia Imports",
        "03 Armenia suppliers by period",
        "Georgia Imports",
    ]
    assert not any("Azerbaijan Azerbaijan" in n or "Armenia Armenia" in n for n in names)
    assert tables["Armenia Imports"]["x"].tolist() == ["05-profile Armenia 1"]


def test_same_table_of_two_pages_is_one_sheet(tmp_path, monkeypatch):
    def fake_page(stem, recipient):
        folder = tmp_path / stem / (recipient or "")
        monkeypatch.setenv(ENV_TABLES, str(folder))
        report.collect_table(pd.DataFrame({"tiv": [1.5]}), "Azerbaijan suppliers by period")
        page = report.PageResult(Path(f"{stem}.ipynb"), stem, stem, recipient, html=folder)
        page.tables = sorted(folder.glob("*.pkl"))
        return page

    pages = [fake_page("02-azerbaijan", None), fake_page("05-profile", "Azerbaijan")]
    assert list(report.workbook_tables(pages)) == ["Azerbaijan suppliers by period"]


# ------------------------------------------------------------------ data scope, --pages, stale


def test_select_pages_by_number_stem_or_name(tmp_path):
    notebooks = report.find_notebooks([write_notebooks(tmp_path / "nbs")])
    assert [p.stem for p in report.select_pages(notebooks, ["1", "profile"])] == [
        "01-good",
        TEMPLATE,
    ]
    assert report.select_pages(notebooks, None) == notebooks
    with pytest.raises(ArmsError, match="no notebook matches --pages 'nothing'; there are: 01"):
        report.select_pages(notebooks, ["nothing"])


@pytest.mark.slow
def test_given_files_only_and_stale_pages_removed(tmp_path):
    from nbformat.v4 import new_code_cell, new_notebook

    folder = tmp_path / "nbs"
    folder.mkdir()
    params = new_code_cell(
        "DATA_DIR = None\nDATA = None\nRECIPIENTS = ['Default']", metadata={"tags": ["parameters"]}
    )
    body = new_code_cell(
        "from arms.io import discovery\n"
        "print('FILES', sorted(discovery.describe(DATA_DIR)['name']))\n"
        "print('DATA', Path(DATA).name)\n"
        "print('RECIPIENTS', RECIPIENTS)"
    )
    nb = new_notebook(cells=[new_code_cell("from pathlib import Path"), params, body])
    (folder / "01-files.ipynb").write_text(nbformat_text(nb), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "07-old-page.html").write_text("stale")
    (out / "notes.txt").write_text("the user's own file")
    result = report.build_report([folder], out, data=DATA_FILE, recipients=["Georgia"])
    html = text(result.pages[0].html)
    assert f"FILES [&#x27;{DATA_FILE.name}&#x27;]" in html or f"FILES ['{DATA_FILE.name}']" in html
    assert "RECIPIENTS [&#x27;Georgia&#x27;]" in html or "RECIPIENTS ['Georgia']" in html
    assert str(DATA_FILE.parent) not in html and str(DATA_FILE.parent) not in text(result.index)
    assert not (out / "07-old-page.html").exists() and (out / "notes.txt").exists()
    assert sorted(p.name for p in out.glob("*.html")) == ["01-files.html", "index.html"]


def nbformat_text(nb) -> str:
    import nbformat

    return nbformat.writes(nb)
