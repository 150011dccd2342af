"""The static report: execute the notebooks, collect their figures and tables, write HTML.

Modules, in the order a build uses them: :mod:`~arms.report.collect` (the helpers notebooks
call), :mod:`~arms.report.config` (``report.toml`` settings, argument checks),
:mod:`~arms.report.execute` (running one page), :mod:`~arms.report.html` (pages and the
index), :mod:`~arms.report.pdf` (Chromium) and :mod:`~arms.report.build` (:func:`build_report`).

``DEFAULT_RECIPIENTS`` and ``TEMPLATE_NOTEBOOK`` are still importable from here; they are read
from ``notebooks/report.toml`` (:func:`settings`), not written in the code.
"""

from __future__ import annotations

from typing import Any

from arms.report.build import (
    FORMATS,
    WORKBOOK_NAME,
    ReportResult,
    build_report,
    plan_pages,
    report_sources,
    select_pages,
    workbook_tables,
)
from arms.report.collect import (
    collect_figure,
    collect_source,
    collect_table,
    key_figure,
    show_key_facts,
)
from arms.report.config import (
    SETTINGS_FILE,
    ReportSettings,
    check_data_file,
    check_recipients,
    settings,
)
from arms.report.execute import CellFailure, PageResult, find_notebooks, inject_parameters
from arms.report.html import clean_html, render_page, write_index
from arms.report.pdf import find_chromium, headless_chromium, print_pdf

__all__ = [
    "CellFailure",
    "DEFAULT_RECIPIENTS",
    "FORMATS",
    "PageResult",
    "ReportResult",
    "ReportSettings",
    "SETTINGS_FILE",
    "TEMPLATE_NOTEBOOK",
    "WORKBOOK_NAME",
    "build_report",
    "check_data_file",
    "check_recipients",
    "clean_html",
    "collect_figure",
    "collect_source",
    "collect_table",
    "find_chromium",
    "find_notebooks",
    "headless_chromium",
    "inject_parameters",
    "key_figure",
    "plan_pages",
    "select_pages",
    "print_pdf",
    "render_page",
    "report_sources",
    "settings",
    "show_key_facts",
    "workbook_tables",
    "write_index",
]


def __getattr__(name: str) -> Any:
    # The bundled notebooks' settings, read when asked for (not at import: no file I/O then).
    if name == "DEFAULT_RECIPIENTS":
        return settings().recipients
    if name == "TEMPLATE_NOTEBOOK":
        return settings().template_notebook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
