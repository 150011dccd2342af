"""Charts of analysis results: ``plot_x(data, *, ax=None) -> Axes``, one house style."""

from __future__ import annotations

from arms.plotting.core import (  # noqa: F401
    HOUSE_STYLE,
    OTHER,
    RECIPIENT_COLOURS,
    SUPPLIER_COLOURS,
    add_source_note,
    colour_for,
    house_style,
    plot_category_matrix,
    plot_deal_timeline,
    plot_flows,
    plot_period_shares,
    plot_recipient_comparison,
    plot_supplier_to_both_sides,
    plot_yearly_by_supplier,
    save_figure,
    source_note,
)
from arms.text import SHARE_LABEL, SOURCE, TIV_LABEL  # noqa: F401  (re-exported)

__all__ = [
    "HOUSE_STYLE",
    "OTHER",
    "RECIPIENT_COLOURS",
    "SUPPLIER_COLOURS",
    "add_source_note",
    "colour_for",
    "house_style",
    "plot_category_matrix",
    "plot_deal_timeline",
    "plot_flows",
    "plot_period_shares",
    "plot_recipient_comparison",
    "plot_supplier_to_both_sides",
    "plot_yearly_by_supplier",
    "save_figure",
    "source_note",
]
