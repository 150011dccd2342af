"""Tests for ``arms export-network``: read back with networkx, edges add up, yearly files."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

import arms
from arms.cli import main


@pytest.fixture(scope="module")
def register():
    return arms.io.bundled_files()["register"]


def _delivered_in(path, start, end) -> float:
    """The register's TIV split evenly over delivery years, summed over the window."""
    d = arms.split_deals(arms.read_trade_register(path))
    year = d["year"].astype("Int64")
    inside = ((year >= start) & (year <= end)).fillna(False).astype(bool)
    return float(d.loc[inside, "tiv"].astype("Float64").fillna(0).sum())


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_read_back_in_networkx(register, tmp_path, capsys, fmt, reader):
    out = tmp_path / f"net.{fmt}"
    argv = [
        "export-network",
        str(register),
        "--from",
        "2011",
        "--to",
        "2020",
        "--format",
        fmt,
        "-o",
        str(out),
        "--json",
    ]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {
        "format",
        "from",
        "to",
        "method",
        "nodes",
        "edges",
        "total_tiv",
        "files",
    }
    g = reader(out)
    assert g.is_directed()
    assert g.number_of_nodes() == summary["nodes"] and g.number_of_edges() == summary["edges"]
    tiv = sum(float(d["tiv"]) for _, _, d in g.edges(data=True))
    assert tiv == pytest.approx(_delivered_in(register, 2011, 2020), abs=0.01)
    assert tiv == pytest.approx(summary["total_tiv"], abs=0.01)
    israel = g.nodes["Israel"]
    assert israel["iso3"] == "ISR" and israel["entity_type"] == "state"
    assert israel["region"] == "Middle East"
    edge = g.edges["Israel", "Azerbaijan"]
    assert int(edge["deals"]) >= 1
    assert 2011 <= int(edge["first_year"]) <= int(edge["last_year"]) <= 2020


def test_csv_edges_and_nodes(register, tmp_path):
    out = tmp_path / "edges.csv"
    assert (
        main(
            [
                "export-network",
                str(register),
                "--from",
                "2016",
                "--to",
                "2020",
                "--format",
                "csv",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    edges = pd.read_csv(out)
    nodes = pd.read_csv(tmp_path / "edges.nodes.csv", keep_default_na=False, na_values=[""])
    assert list(edges.columns) == list(arms.analysis.network.EDGE_COLUMNS)
    assert list(nodes.columns) == list(arms.analysis.network.NODE_COLUMNS)
    assert edges["tiv"].sum() == pytest.approx(_delivered_in(register, 2016, 2020))
    assert set(edges["supplier"]) | set(edges["recipient"]) == set(nodes["name"])


def test_yearly_writes_one_edge_list_per_year(register, tmp_path):
    out = tmp_path / "years"
    assert (
        main(
            [
                "export-network",
                str(register),
                "--from",
                "2016",
                "--to",
                "2020",
                "--format",
                "csv",
                "--yearly",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    files = sorted(p.name for p in out.glob("edges-*.csv"))
    assert files and set(files) <= {f"edges-{y}.csv" for y in range(2016, 2021)}
    total = 0.0
    for name in files:
        year = int(name[6:10])
        part = pd.read_csv(out / name)
        assert part["tiv"].sum() == pytest.approx(_delivered_in(register, year, year))
        total += part["tiv"].sum()
    assert total == pytest.approx(_delivered_in(register, 2016, 2020))
    assert (out / "nodes.csv").is_file()
    assert (
        main(
            [
                "export-network",
                str(register),
                "--from",
                "2016",
                "--to",
                "2017",
                "--format",
                "graphml",
                "--yearly",
                "-o",
                str(tmp_path / "g"),
            ]
        )
        == 0
    )
    for path in (tmp_path / "g").glob("network-*.graphml"):
        assert nx.read_graphml(path).number_of_edges() > 0


def test_bad_window_and_bad_file_are_one_line_errors(register, tmp_path, capsys):
    assert (
        main(
            [
                "export-network",
                str(register),
                "--from",
                "2020",
                "--to",
                "2010",
                "-o",
                str(tmp_path / "x.graphml"),
            ]
        )
        == 1
    )
    assert "after" in capsys.readouterr().err
    table = arms.io.bundled_files()["imports"]
    assert main(["export-network", str(table), "-o", str(tmp_path / "t.graphml")]) == 1
    assert "TIV table" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,sipri\nfile,at,all\n")
    assert main(["export-network", str(bad), "-o", str(tmp_path / "y.graphml")]) == 1
    assert "bad.csv" in capsys.readouterr().err


def test_full_database_edges_add_up(shared_sipri, tmp_path):
    path = shared_sipri / "tradereg-newportal-MJHofmann-1.csv"
    if not path.exists():
        pytest.skip("full trade register absent")
    out = tmp_path / "all.gexf"
    assert (
        main(
            [
                "export-network",
                str(path),
                "--from",
                "2000",
                "--to",
                "2023",
                "--format",
                "gexf",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    g = nx.read_gexf(out)
    tiv = sum(float(d["tiv"]) for _, _, d in g.edges(data=True))
    assert tiv == pytest.approx(_delivered_in(path, 2000, 2023), rel=1e-9)
    assert g.number_of_nodes() > 150
