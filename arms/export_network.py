"""Write a supplier-recipient network as GraphML, GEXF or CSV edge and node lists.

The frames come from :func:`arms.analysis.network_edges` and
:func:`arms.analysis.network_nodes`; this module only writes them. GraphML and GEXF are
written by ``networkx`` (an optional dependency, imported when asked for: ``pip install
arms[network]``); CSV needs nothing beyond pandas.

Files written (``out`` is the path given):

* ``csv``: the edge list at ``out`` and the node list beside it (``<stem>.nodes.csv``);
* ``graphml``/``gexf``: one directed graph at ``out``, the parties as nodes (id: the
  harmonised name), the pairs as edges;
* ``yearly=True``: ``out`` is a folder holding ``nodes.csv`` (for CSV) and one edge list or
  graph per year with deliveries, ``edges-YYYY.csv`` or ``network-YYYY.graphml``/``.gexf``.

Every graph carries the citation and the TIV caveat as graph attributes; missing node values
(a party without an ISO3 code or region) are written as empty strings, since neither format
has a missing value.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from arms.analysis.network import network_edges, network_nodes
from arms.text import TIV_CAVEAT, citation

__all__ = ["FORMATS", "write_network"]

#: The formats :func:`write_network` writes.
FORMATS = ("graphml", "gexf", "csv")


def write_network(
    frame: pd.DataFrame,
    out: str | os.PathLike,
    *,
    start: int,
    end: int,
    format: str = "graphml",  # noqa: A002  (the word users know)
    yearly: bool = False,
) -> dict:
    """Write the supplier -> recipient network of delivered TIV over a window.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries, or deals (a trade register, split evenly over delivery years).
    out : str or os.PathLike
        The file to write, or the folder for ``yearly=True`` (created if missing).
    start, end : int
        First and last delivery year, inclusive.
    format : {"graphml", "gexf", "csv"}, default "graphml"
    yearly : bool, default False
        One edge list (or graph) per year instead of one for the whole window.

    Returns
    -------
    dict
        ``format``, ``from``, ``to``, ``method``, ``nodes`` and ``edges`` (counts; edges
        summed over the years when yearly), ``total_tiv`` (the delivered TIV in the window,
        what the edges add up to) and ``files`` (paths written, as str).

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import tempfile
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": ["Azerbaijan", "Armenia"],
    ...     "supplier": ["Israel", "Russia"], "year": [2016, 2017], "tiv": [5.0, 7.0],
    ...     "allocation": "sipri"}), "deliveries")
    >>> out = Path(tempfile.mkdtemp()) / "edges.csv"
    >>> summary = write_network(d, out, start=2016, end=2020, format="csv")
    >>> summary["edges"], summary["total_tiv"], [Path(f).name for f in summary["files"]]
    (2, 12.0, ['edges.csv', 'edges.nodes.csv'])
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    edges = network_edges(frame, start=start, end=end, yearly=yearly)
    nodes = network_nodes(edges)
    out = Path(out)
    files: list[Path] = []
    if yearly:
        out.mkdir(parents=True, exist_ok=True)
        if format == "csv":
            files.append(_csv(nodes, out / "nodes.csv"))
        for year, group in edges.groupby("year", sort=True):
            part = group.drop(columns="year")
            if format == "csv":
                files.append(_csv(part, out / f"edges-{year}.csv"))
            else:
                graph = _graph(network_nodes(part), part, frame, start=year, end=year)
                files.append(_write_graph(graph, out / f"network-{year}.{format}", format))
    elif format == "csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        files.append(_csv(edges, out))
        files.append(_csv(nodes, out.with_name(f"{out.stem}.nodes.csv")))
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        files.append(_write_graph(_graph(nodes, edges, frame, start, end), out, format))
    return {
        "format": format,
        "from": start,
        "to": end,
        "method": edges.attrs["method"],
        "nodes": len(nodes),
        "edges": len(edges),
        "total_tiv": round(edges.attrs["total_tiv"], 2),
        "files": [str(f) for f in files],
    }


def _csv(table: pd.DataFrame, path: Path) -> Path:
    table.to_csv(path, index=False, encoding="utf-8")
    return path


def _plain(value):
    """Return a value GraphML and GEXF can hold: no NA, plain Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return value.item() if hasattr(value, "item") else value


def _graph(nodes: pd.DataFrame, edges: pd.DataFrame, frame: pd.DataFrame, start, end):
    import networkx as nx

    graph = nx.DiGraph(
        name=f"SIPRI arms transfers {start}-{end}",
        citation=citation(frame),
        tiv=TIV_CAVEAT,
        start=int(start),
        end=int(end),
    )
    for row in nodes.to_dict("records"):
        name = row.pop("name")
        graph.add_node(name, label=name, **{k: _plain(v) for k, v in row.items()})
    for row in edges.to_dict("records"):
        a, b = row.pop("supplier"), row.pop("recipient")
        attrs = {k: _plain(v) for k, v in row.items()}
        graph.add_edge(a, b, weight=float(attrs["tiv"]), **attrs)
    return graph


def _write_graph(graph, path: Path, format: str) -> Path:  # noqa: A002
    import networkx as nx

    if format == "graphml":
        nx.write_graphml(graph, path)
    else:
        nx.write_gexf(graph, path)
    return path
