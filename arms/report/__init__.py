"""The static report: execute the notebooks, collect their figures and tables, write HTML."""

from __future__ import annotations

from arms.report.core import (  # noqa: F401
    DEFAULT_RECIPIENTS,
    TEMPLATE_NOTEBOOK,
    CellFailure,
    PageResult,
    ReportResult,
    build_report,
    check_recipients,
    clean_html,
    collect_figure,
    collect_source,
    collect_table,
    find_chromium,
    find_notebooks,
    headless_chromium,
    inject_parameters,
    key_figure,
    print_pdf,
    render_page,
)

__all__ = [
    "CellFailure",
    "DEFAULT_RECIPIENTS",
    "PageResult",
    "ReportResult",
    "TEMPLATE_NOTEBOOK",
    "build_report",
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
    "print_pdf",
    "render_page",
]
