"""The offline explorer: one self-contained HTML page to explore a recipient or a supplier.

A reader picks a recipient or a supplier and a year range and sees the yearly stacked chart of
deliveries by partner, the partners' shares by five-year period and a searchable table of
the deals, with TIV labelled as a volume and the data's citation. Nothing is fetched: the
Vega, Vega-Lite and vega-embed JavaScript (shipped by ``vl-convert-python``), the styles and
the data are inlined in the one file, so it opens from a USB stick or an e-mail attachment.

The charts are Vega-Lite, written with Altair (:func:`explorer_chart`); the same chart,
with its controls bound to widgets, displays inline in Jupyter. Vega-Lite was chosen because
it is a declarative grammar whose interactive filters run in the browser on data embedded in
the spec (no server, no kernel), Altair is well kept and already the notebook idiom for it,
and ``vl-convert-python`` ships the whole JavaScript stack as one wheel (no npm, no CDN).

Test hook: the page reads its first selection from the URL fragment
(``explorer.html#recipient=Armenia&from=2000&to=2020`` or ``#supplier=Israel``).
"""

from __future__ import annotations

import html
import json
import os
import re
from importlib import resources
from pathlib import Path

import pandas as pd

from arms.analysis.select import as_deliveries, group_labels, select_deliveries
from arms.frames import group_deliveries
from arms.text import SOURCE, TIV_CAVEAT, TIV_LABEL, bibtex, citation, csl_json

__all__ = [
    "TOP_PARTNERS",
    "OfflineChart",
    "build_explorer",
    "explorer_chart",
    "explorer_data",
]

#: Partners shown by name in the charts; the rest are lumped into "Other".
TOP_PARTNERS = 8
_DEAL_COLUMNS = (
    "supplier",
    "recipient",
    "order_year",
    "number_ordered",
    "designation",
    "description",
    "delivery_years",
    "tiv_delivered",
    "status",
)


def explorer_data(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the yearly flows and the deals the explorer embeds.

    Parameters
    ----------
    frame : pandas.DataFrame
        A canonical deals frame (trade register: split evenly over delivery years for the
        yearly flows) or deliveries frame (SIPRI's per-year figures; grouped into deals for
        the table).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``flows``: ``supplier``, ``recipient``, ``year``, ``tiv`` (harmonised names, one row
        per pair and year with deliveries); ``deals``: :data:`_DEAL_COLUMNS` that the frame
        has, names harmonised.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Armenia", "supplier": ["Russia", "Russia"],
    ...     "deal_id": [1, 1], "year": [2019, 2020], "tiv": [2.0, 3.0],
    ...     "allocation": "sipri"}), "deliveries")
    >>> flows, deals = explorer_data(d)
    >>> flows.to_dict("records")[0], len(deals)
    ({'supplier': 'Russia', 'recipient': 'Armenia', 'year': 2019, 'tiv': 2.0}, 1)
    """
    kind = frame.attrs.get("kind") or ("deliveries" if "year" in frame.columns else "deals")
    d = select_deliveries(as_deliveries(frame), func="explorer_data")
    flows = (
        pd.DataFrame(
            {
                "supplier": group_labels(d, "supplier"),
                "recipient": group_labels(d, "recipient"),
                "year": d["year"].astype("Int64"),
                "tiv": d["tiv"].astype("Float64"),
            }
        )
        .groupby(["supplier", "recipient", "year"], as_index=False, sort=True)["tiv"]
        .sum()
    )
    deals = group_deliveries(frame) if kind == "deliveries" else frame
    out = pd.DataFrame(index=deals.index)
    for column in _DEAL_COLUMNS:
        if column in ("supplier", "recipient"):
            out[column] = group_labels(deals, column)
        elif column in deals.columns:
            out[column] = deals[column]
    if "order_year" in out.columns:  # newest orders first
        out = out.sort_values("order_year", ascending=False, kind="stable", na_position="last")
    return flows, out.reset_index(drop=True)


def explorer_chart(
    flows: pd.DataFrame,
    *,
    role: str = "recipient",
    party: str | None = None,
    start: int | None = None,
    end: int | None = None,
    bind: bool = True,
):
    """Return the explorer's Vega-Lite charts (yearly stacked bars over period shares).

    Parameters
    ----------
    flows : pandas.DataFrame
        The first frame of :func:`explorer_data`.
    role : {"recipient", "supplier"}, default "recipient"
        Whether ``party`` is a recipient (the charts show its suppliers) or a supplier (its
        customers).
    party : str, optional
        The party shown first; the largest of the role by TIV when omitted.
    start, end : int, optional
        The year range shown first (default: all years).
    bind : bool, default True
        Bind the parameters to widgets under the chart (for Jupyter); the HTML page drives
        them from its own controls instead.

    Returns
    -------
    altair.VConcatChart
        Parameters ``role``, ``party``, ``start`` and ``end``; marks carry tooltips.

    Examples
    --------
    >>> flows = pd.DataFrame({"supplier": ["Israel", "Russia"], "recipient": "Armenia",
    ...                       "year": [2019, 2020], "tiv": [1.0, 2.0]})
    >>> spec = explorer_chart(flows, party="Armenia").to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['end', 'party', 'role', 'start']
    """
    import altair as alt

    if role not in ("recipient", "supplier"):
        raise ValueError(f"role must be 'recipient' or 'supplier', not {role!r}")
    years = flows["year"].dropna().astype(int)
    first, last = (int(years.min()), int(years.max())) if len(years) else (1950, 2025)
    if party is None:
        totals = flows.groupby(role)["tiv"].sum()
        party = str(totals.idxmax()) if len(totals) else ""
    names = sorted(set(flows["supplier"]) | set(flows["recipient"]))
    widgets = {
        "role": alt.binding_radio(options=["recipient", "supplier"], name="Role "),
        "party": alt.binding_select(options=names, name="Party "),
        "start": alt.binding_range(min=first, max=last, step=1, name="From "),
        "end": alt.binding_range(min=first, max=last, step=1, name="To "),
    }
    values = {"role": role, "party": party, "start": start or first, "end": end or last}
    params = [
        alt.param(name=name, value=value, **({"bind": widgets[name]} if bind else {}))
        for name, value in values.items()
    ]
    records = [
        {"s": r.supplier, "r": r.recipient, "y": int(r.year), "t": round(float(r.tiv), 3)}
        for r in flows.itertuples(index=False)
    ]
    # named data: the records sit once in the spec's datasets and are not schema-validated
    # row by row (23,000 rows of the full database take seconds to validate)
    base = (
        alt.Chart(alt.NamedData(name="flows"))
        .transform_filter(
            "(role == 'recipient' ? datum.r : datum.s) == party"
            " && datum.y >= start && datum.y <= end"
        )
        .transform_calculate(partner="role == 'recipient' ? datum.s : datum.r")
        .transform_joinaggregate(partner_total="sum(t)", groupby=["partner"])
        .transform_window(rank="dense_rank()", sort=[alt.SortField("partner_total", "descending")])
        .transform_calculate(
            label=f"datum.rank <= {TOP_PARTNERS} ? datum.partner : 'Other'",
            order=f"datum.rank <= {TOP_PARTNERS} ? datum.rank : {TOP_PARTNERS + 1}",
        )
    )
    colour = alt.Color(
        "label:N",
        title="Partner",
        sort=alt.SortField("order"),
        scale=alt.Scale(scheme="tableau10"),
    )
    yearly = (
        base.mark_bar()
        .encode(
            x=alt.X("y:O", title="Delivery year"),
            y=alt.Y("sum(t):Q", title=TIV_LABEL, stack="zero"),
            color=colour,
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Partner"),
                alt.Tooltip("y:O", title="Year"),
                alt.Tooltip("sum(t):Q", title="TIV (millions, volume)", format=",.1f"),
            ],
        )
        .properties(
            title="Deliveries by year and partner (TIV: a volume index, not US$)",
            width=720,
            height=300,
        )
    )
    shares = (
        base.transform_calculate(
            p0="floor((datum.y - 1) / 5) * 5 + 1",
        )
        .transform_calculate(period="datum.p0 + '-' + substring(toString(datum.p0 + 4), 2, 4)")
        .mark_bar()
        .encode(
            y=alt.Y("period:N", title="Period", sort="descending"),
            x=alt.X(
                "sum(t):Q",
                stack="normalize",
                title="Share of the period's TIV (volume, not US$)",
                axis=alt.Axis(format="%"),
            ),
            color=colour,
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("label:N", title="Partner"),
                alt.Tooltip("sum(t):Q", title="TIV (millions, volume)", format=",.1f"),
            ],
        )
        .properties(title="Shares by five-year period", width=720)
    )
    chart = alt.vconcat(yearly, shares).add_params(*params).configure_view(stroke=None)
    chart.datasets = {"flows": records}
    return chart


class OfflineChart:
    """A chart that Jupyter shows with the Vega JavaScript inlined (no CDN, works offline).

    Altair's own renderers load Vega from a CDN; this wraps the chart's standalone HTML
    (``vl_convert.vegalite_to_html(..., bundle=True)``) in an ``<iframe srcdoc>``, so the
    chart, its widgets and its tooltips work in a notebook without a network.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        For example :func:`explorer_chart`'s result.
    height : int, default 760
        Height of the frame in pixels.
    """

    def __init__(self, chart, *, height: int = 760) -> None:
        self.chart = chart
        self.height = height

    def _repr_html_(self) -> str:
        import vl_convert

        page = vl_convert.vegalite_to_html(json.dumps(self.chart.to_dict()), bundle=True)
        return (
            f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;'
            f'height:{self.height}px;border:0" sandbox="allow-scripts"></iframe>'
        )


def build_explorer(
    frame: pd.DataFrame,
    out: str | os.PathLike | None = None,
    *,
    role: str = "recipient",
    party: str | None = None,
    title: str | None = None,
    data: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> str | Path:
    """Write (or return) the explorer page for a frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        A canonical deals or deliveries frame (:func:`arms.load`).
    out : str or os.PathLike, optional
        Where to write the page; the HTML is returned when omitted.
    role, party : str, optional
        The first selection (see :func:`explorer_chart`).
    title : str, optional
        The page's heading.
    data : (pandas.DataFrame, pandas.DataFrame), optional
        :func:`explorer_data`'s result for ``frame``, when the caller has it already.

    Returns
    -------
    pathlib.Path or str
        The path written, or the HTML.
    """
    import altair as alt
    import vl_convert
    from altair.utils.schemapi import debug_mode

    flows, deals = data if data is not None else explorer_data(frame)
    # no schema validation while the chart is built (it would load jsonschema's format
    # checkers, seconds of grammar compiling); the spec is the one explorer_chart validates
    # in Jupyter and in the tests
    with debug_mode(False):
        chart = explorer_chart(flows, role=role, party=party, bind=False)
    # the records go into the spec after serialisation: Altair would copy 23,000 rows again
    records, chart.datasets = chart.datasets["flows"], {"flows": []}
    spec = chart.to_dict(validate=False)
    spec["datasets"]["flows"] = records
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    try:
        bundle = vl_convert.javascript_bundle(vl_version=version)
    except ValueError:  # this vl-convert does not know Altair's Vega-Lite: its own newest
        bundle = vl_convert.javascript_bundle()
    parties = {
        "recipient": sorted(set(flows["recipient"])),
        "supplier": sorted(set(flows["supplier"])),
    }
    years = flows["year"].dropna().astype(int)
    data = {
        "spec": spec,
        "parties": parties,
        "years": [int(years.min()), int(years.max())] if len(years) else [1950, 2025],
        "first": {
            "role": role,
            "party": next(p["value"] for p in spec["params"] if p["name"] == "party"),
        },
        "columns": list(deals.columns),
        "deals": _rows(deals),
    }
    page = _fill(
        _template("explorer.html"),
        TITLE=html.escape(title or "SIPRI arms transfers explorer"),
        CITATION=html.escape(citation(frame)),
        CAVEAT=html.escape(TIV_CAVEAT),
        SOURCE=html.escape(SOURCE),
        BIBTEX=html.escape(bibtex(frame)),
        CSL=html.escape(json.dumps(csl_json(frame), indent=2, ensure_ascii=False)),
        TIV_LABEL=html.escape(TIV_LABEL),
        STYLE=_template("explorer.css"),
        BUNDLE=bundle.replace("</script", "<\\/script"),
        DATA=_script_json(data),
        APP=_template("explorer.js"),
    )
    if out is None:
        return page
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _rows(deals: pd.DataFrame) -> list[list]:
    rows = []
    for row in deals.astype(object).itertuples(index=False):
        rows.append(
            [
                None
                if v is None or v is pd.NA or v != v
                else (v.item() if hasattr(v, "item") else v)
                for v in row
            ]
        )
    return rows


def _script_json(value) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


def _template(name: str) -> str:
    return (resources.files("arms.report") / "templates" / name).read_text(encoding="utf-8")


def _fill(template: str, **values: str) -> str:
    """Put each value at its ``@@NAME@@`` marker, in one pass (values are never re-scanned)."""
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m[1]], template)
