"""Charts of analysis results: ``plot_x(data, *, ax=None) -> Axes``, one house style.

Every ``plot_*`` helper follows the same contract (STYLE §8.4):

* the first argument is a tidy frame made by :mod:`arms.analysis`; options are keyword-only;
* ``ax=None`` creates a new figure with ``plt.subplots(layout="constrained")``, otherwise the
  chart is drawn into the given axes, so notebooks can compose subplots;
* drawing uses the object-oriented API, the axes is returned, and nothing is shown or saved
  (:func:`save_figure` writes PNG and SVG when the caller asks for it);
* the house style (:func:`house_style`) is applied in this one place, and each supplier keeps
  the same colour in every chart (:data:`SUPPLIER_COLOURS`, colour-blind-safe Okabe-Ito and
  Paul Tol colours); other names get stable colours, distinct within a chart
  (:func:`palette`), unless the caller passes ``colours=``;
* nothing case-specific is drawn by default: events are marked only when passed as
  ``events=``;
* every axis that shows TIV is labelled :data:`TIV_LABEL`, because the SIPRI trend-indicator
  value measures a volume of military capability, not money;
* every figure carries a source note with the data's generated date (:func:`add_source_note`),
  taken from ``generated=`` or else from ``frame.attrs["source"]["generated"]``;
* TIV that rests on numbers SIPRI marks as estimated (``tiv_estimated``) is drawn hatched.

The drawn artists carry ``gid`` strings (``"Israel|2016"``, ``"Israel|2016|estimated"``,
``"Russia->Armenia"``, ``"event"``...) so that tests and callers can find what was drawn.

Modules: :mod:`~arms.plotting.colours`, :mod:`~arms.plotting.style`,
:mod:`~arms.plotting.notes` (source note, saving), :mod:`~arms.plotting.parts` (shared drawing
steps) and one module per chart family: ``yearly``, ``shares``, ``timeline``, ``matrix``,
``comparison``, ``flows``, ``revisions``, ``maps`` (on the Natural Earth shapes of
:mod:`~arms.plotting.shapes`).
"""

from __future__ import annotations

from arms.plotting.colours import FALLBACK_COLOURS, OTHER, SUPPLIER_COLOURS, colour_for, palette
from arms.plotting.comparison import plot_recipient_comparison, plot_supplier_to_both_sides
from arms.plotting.flows import plot_flows
from arms.plotting.maps import plot_flow_map, plot_partner_map
from arms.plotting.matrix import plot_category_matrix
from arms.plotting.notes import add_source_note, save_figure, source_note
from arms.plotting.revisions import plot_revisions
from arms.plotting.shares import plot_period_shares
from arms.plotting.style import HOUSE_STYLE, house_style
from arms.plotting.timeline import plot_deal_timeline
from arms.plotting.yearly import plot_yearly_by_supplier
from arms.text import SHARE_LABEL, SOURCE, TIV_LABEL  # noqa: F401  (re-exported)

__all__ = [
    "FALLBACK_COLOURS",
    "HOUSE_STYLE",
    "OTHER",
    "SUPPLIER_COLOURS",
    "add_source_note",
    "colour_for",
    "house_style",
    "palette",
    "plot_category_matrix",
    "plot_deal_timeline",
    "plot_flow_map",
    "plot_flows",
    "plot_partner_map",
    "plot_period_shares",
    "plot_recipient_comparison",
    "plot_revisions",
    "plot_supplier_to_both_sides",
    "plot_yearly_by_supplier",
    "save_figure",
    "source_note",
]
