"""Planning the supplier profile pages (``--supplier``) and ``--from`` (no kernel runs)."""

from __future__ import annotations

import pytest
from report_notebooks import RECIPIENTS, TEMPLATE, write_notebooks

from arms import report
from arms.errors import ArmsError

SUPPLIER_TEMPLATE = "03-escape"  # any of the throwaway notebooks serves as the template


def _settings(folder, extra=""):
    (folder / "report.toml").write_text(
        f"template_notebook = {TEMPLATE!r}\nrecipients = {RECIPIENTS!r}\n"
        f"supplier_template_notebook = {SUPPLIER_TEMPLATE!r}\n" + extra
    )


def test_one_page_per_supplier_and_none_without(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    found = report.find_notebooks([notebooks])
    pages = report.plan_pages(
        found,
        RECIPIENTS,
        None,
        TEMPLATE,
        suppliers=["Russia", "Türkiye"],
        supplier_template=SUPPLIER_TEMPLATE,
        shared={"FIRST_YEAR": 1991},
    )
    suppliers = [p for p in pages if p.supplier]
    assert [p.slug for p in suppliers] == ["03-escape-russia", "03-escape-turkiye"]
    assert [p.parameters.get("SUPPLIER") for p in suppliers] == ["Russia", "Türkiye"]
    assert all(p.recipient is None and "RECIPIENT" not in p.parameters for p in suppliers)
    assert suppliers[0].name.endswith("[Russia]") and suppliers[0].title.endswith(": Russia")
    # FIRST_YEAR only reaches notebooks that declare it (none of these does)
    assert not any("FIRST_YEAR" in p.parameters for p in pages)
    without = report.plan_pages(found, RECIPIENTS, None, TEMPLATE, supplier_template="03-escape")
    assert "03-escape" not in [p.notebook.stem for p in without]


def test_first_year_reaches_notebooks_that_declare_it(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    (notebooks / "07-years.ipynb").write_text(
        (notebooks / "01-good.ipynb").read_text().replace("DATA_DIR = None", "FIRST_YEAR = None")
    )
    found = report.find_notebooks([notebooks])
    pages = report.plan_pages(found, RECIPIENTS, None, TEMPLATE, shared={"FIRST_YEAR": 2001})
    assert {p.notebook.stem: p.parameters.get("FIRST_YEAR") for p in pages}["07-years"] == 2001
    assert {p.notebook.stem: p.parameters.get("FIRST_YEAR") for p in pages}["01-good"] is None


def test_settings_read_suppliers(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    _settings(notebooks, 'suppliers = ["Russia"]\n')
    s = report.settings(notebooks)
    assert s.suppliers == ("Russia",) and s.supplier_template_notebook == SUPPLIER_TEMPLATE
    assert report.settings().supplier_template_notebook == "06-supplier-profile"
    assert report.settings().suppliers == ()  # the case study asks for no supplier page


def test_unknown_supplier_and_bad_year_fail_before_running(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    _settings(notebooks)
    with pytest.raises(ArmsError, match="unknown supplier 'Rusia'; did you mean Russia"):
        report.build_report([notebooks], tmp_path / "out", suppliers=["Rusia"])
    with pytest.raises(ArmsError, match="--from takes a year"):
        report.build_report([notebooks], tmp_path / "out", first_year=91)
    (notebooks / "report.toml").write_text(f"template_notebook = {TEMPLATE!r}\n")
    with pytest.raises(ArmsError, match="needs a supplier template notebook"):
        report.build_report(
            [notebooks], tmp_path / "out", recipients=RECIPIENTS, suppliers=["Russia"]
        )
    assert not (tmp_path / "out").exists()
