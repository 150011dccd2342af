"""arms: SIPRI Arms Transfers Database exports as tidy, typed pandas frames.

The public API is re-exported here and imported lazily, so ``import arms`` stays cheap
(matplotlib and openpyxl load only when a plot or a workbook is asked for).

Examples
--------
>>> import arms
>>> arms.SipriFormatError.__mro__[1].__name__
'ArmsError'
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str | None] = {
    # errors
    "ArmsError": "errors",
    "SipriFormatError": "errors",
    "UnknownEntityError": "errors",
    "UnknownCategoryError": "errors",
    "FetchError": "errors",
    "NotApplicable": "errors",
    # the one way in, formats and readers
    "load": "frames",
    "CoverageWarning": "frames",
    "FormatInfo": "io.detect",
    "detect_format": "io.detect",
    "read_trade_register": "io.readers",
    "read_deliveries": "io.readers",
    "read_tiv_table": "io.readers",
    "read_any": "io.readers",
    "parse_delivery_years": "io.readers",
    "split_deals": "frames",
    "group_deliveries": "frames",
    "inspect_file": "io.inspect",
    # schema
    "validate": "schema",
    # entities, categories, search
    "harmonize": "entities",
    "canonical_name": "entities",
    "name_key": "entities",
    "party_key": "entities",
    "generated_date": "text",
    "bibtex": "text",
    "csl_json": "text",
    "entity_table": "entities",
    "entity_codes": "entities",
    "resolve": "entities",
    "categorize": "categories",
    "category_table": "categories",
    "category_of": "categories",
    "find_deals": "analysis.search",
    "parse_deal_value": "analysis.search",
    "deal_values": "analysis.search",
    # analysis
    "supplier_shares": "analysis",
    "period_table": "analysis",
    "yearly_series": "analysis",
    "concentration": "analysis",
    "leading_supplier": "analysis",
    "compare_recipients": "analysis",
    "supplier_to_recipients": "analysis",
    "customer_rank": "analysis",
    "category_matrix": "analysis",
    "flows": "analysis",
    "network_edges": "analysis",
    "network_nodes": "analysis",
    "partner_shares": "analysis",
    "deal_timelines": "analysis",
    "deal_table": "analysis",
    "deal_keys": "analysis",
    "reconcile": "analysis",
    "release_diff": "analysis",
    "revisions": "analysis",
    "robustness": "analysis",
    "apply_conventions": "analysis",
    "estimated_share": "analysis",
    "EVENTS": "analysis.events",
    "Event": "analysis",
    "events_frame": "analysis",
    "check_kind": "analysis",
    "fold_text": "analysis",
    "text_mask": "analysis",
    "overtake": "analysis",
    "window": "analysis",
    "period_label": "analysis",
    "five_year_periods": "analysis",
    "require": "analysis",
    # plots and exports
    "to_excel": "export",
    "write_network": "export_network",
    "build_explorer": "report.explore",
    "save_figure": "plotting",
    # fetch and extract
    "fetch_register": "io.fetch",
    "fetch_deliveries": "io.fetch",
    "fetch_tiv": "io.fetch",
    "extract": "io.excerpt",
    # submodules
    "paths": None,
    "text": None,
    "analysis": None,
    "plotting": None,
    "report": None,
    "io": None,
    "frames": None,
    "cli": None,
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'arms' has no attribute {name!r}") from None
    if module is None:
        return importlib.import_module(f"arms.{name}")
    value = getattr(importlib.import_module(f"arms.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
