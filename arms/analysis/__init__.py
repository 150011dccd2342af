"""Analysis of canonical frames: selection, periods, shares, flows, deals, quality.

One job per module: :mod:`~arms.analysis.select` (frame kinds, parties, ``require``),
:mod:`~arms.analysis.periods`, :mod:`~arms.analysis.shares`, :mod:`~arms.analysis.series`,
:mod:`~arms.analysis.flows`, :mod:`~arms.analysis.network`,
:mod:`~arms.analysis.partners`, :mod:`~arms.analysis.customers`,
:mod:`~arms.analysis.suppliers`, :mod:`~arms.analysis.deals`,
:mod:`~arms.analysis.search`, :mod:`~arms.analysis.quality` (``reconcile``),
:mod:`~arms.analysis.releases` (``release_diff``) and :mod:`~arms.analysis.events`.
"""

from __future__ import annotations

from arms.analysis.conventions import CONVENTIONS, apply_conventions, convention_grid
from arms.analysis.customers import customer_rank
from arms.analysis.deals import deal_keys, deal_table, deal_timelines
from arms.analysis.estimates import EstimateFlagWarning, estimated_share, missing_flags
from arms.analysis.events import Event, events_frame
from arms.analysis.flows import category_matrix, flows
from arms.analysis.network import network_edges, network_nodes
from arms.analysis.partners import partner_shares
from arms.analysis.periods import (
    five_year_periods,
    from_year,
    last_complete_year,
    latest_window,
    overtake,
    parse_period,
    period_containing,
    period_label,
    sipri_windows,
    window,
)
from arms.analysis.quality import reconcile
from arms.analysis.releases import release_diff
from arms.analysis.revisions import revisions
from arms.analysis.robustness import robustness
from arms.analysis.search import (
    DEAL_VALUE_COLUMNS,
    SEARCH_COLUMNS,
    deal_values,
    find_deals,
    fold_text,
    parse_deal_value,
    searched_columns,
    text_mask,
)
from arms.analysis.select import (
    ESTIMATE_FLAGS,
    as_deliveries,
    check_kind,
    party_rows,
    recipient_scope,
    require,
    suggest_names,
    supplier_scope,
)
from arms.analysis.series import supplier_to_recipients, yearly_series
from arms.analysis.shares import (
    compare_recipients,
    concentration,
    leading_supplier,
    period_table,
    supplier_shares,
)
from arms.analysis.suppliers import leading_customer

__all__ = [
    "CONVENTIONS",
    "DEAL_VALUE_COLUMNS",
    "EstimateFlagWarning",
    "ESTIMATE_FLAGS",
    "Event",
    "SEARCH_COLUMNS",
    "apply_conventions",
    "as_deliveries",
    "category_matrix",
    "check_kind",
    "compare_recipients",
    "concentration",
    "convention_grid",
    "customer_rank",
    "deal_keys",
    "deal_table",
    "deal_timelines",
    "deal_values",
    "estimated_share",
    "events_frame",
    "find_deals",
    "five_year_periods",
    "from_year",
    "last_complete_year",
    "latest_window",
    "flows",
    "fold_text",
    "leading_customer",
    "leading_supplier",
    "missing_flags",
    "network_edges",
    "network_nodes",
    "overtake",
    "parse_deal_value",
    "parse_period",
    "partner_shares",
    "party_rows",
    "period_containing",
    "period_label",
    "period_table",
    "reconcile",
    "recipient_scope",
    "release_diff",
    "require",
    "revisions",
    "robustness",
    "searched_columns",
    "suggest_names",
    "supplier_scope",
    "supplier_shares",
    "supplier_to_recipients",
    "text_mask",
    "sipri_windows",
    "window",
    "yearly_series",
]
