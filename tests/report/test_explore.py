"""report.explore: the explorer's data and charts (the page itself: tests/cli/test_cli_explore)."""

from __future__ import annotations

import pytest

import arms
from arms.report import explore


@pytest.fixture(scope="module")
def register():
    return arms.load(arms.io.bundled_files()["register"])


def test_flows_add_up_to_the_split_register(register):
    flows, deals = explore.explorer_data(register)
    split = arms.split_deals(register)
    total = float(split.loc[split["year"].notna(), "tiv"].astype("Float64").fillna(0).sum())
    assert float(flows["tiv"].sum()) == pytest.approx(total)
    assert len(deals) == len(register)
    assert list(deals["order_year"].dropna()) == sorted(deals["order_year"].dropna(), reverse=True)


def test_the_chart_works_inline_in_jupyter(register):
    flows, _ = explore.explorer_data(register)
    chart = explore.explorer_chart(flows, party="Armenia", start=2000, end=2020)
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    params = {p["name"]: p for p in spec["params"]}
    assert params["party"]["value"] == "Armenia" and "bind" in params["party"]
    assert (params["start"]["value"], params["end"]["value"]) == (2000, 2020)
    assert len(spec["datasets"]["flows"]) == len(flows)
    import altair as alt

    # JupyterLab's renderer: the Vega-Lite spec as a mimetype (the default is inline HTML)
    with alt.renderers.enable("mimetype"):
        bundle = chart._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert any(k.startswith("application/vnd.vegalite") for k in data)
    assert "vegaEmbed" in chart._repr_mimebundle_()["text/html"]
    titles = str(spec)
    assert "volume, not US$" in titles
    assert "bind" not in {
        k for p in explore.explorer_chart(flows, bind=False).to_dict()["params"] for k in p
    }
    with pytest.raises(ValueError, match="role"):
        explore.explorer_chart(flows, role="broker")


def test_offline_chart_inlines_the_javascript(register):
    flows, _ = explore.explorer_data(register)
    chart = explore.explorer_chart(flows.loc[flows["recipient"] == "Armenia"], party="Armenia")
    page = explore.OfflineChart(chart)._repr_html_()
    assert page.startswith("<iframe srcdoc=") and "vegaEmbed" in page
    assert "cdn.jsdelivr" not in page and "&lt;script src=" not in page
