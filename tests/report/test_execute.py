"""Tests of arms.report.execute: finding notebooks, injecting parameters, page results."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from report_notebooks import PARAMS, write_notebooks

from arms import report
from arms.errors import ArmsError


def test_inject_parameters_after_parameters_cell():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# T"),
            new_code_cell("RECIPIENT = 'Azerbaijan'", metadata=PARAMS),
            new_code_cell("print(RECIPIENT)"),
        ]
    )
    once = report.inject_parameters(nb, {"RECIPIENT": "Armenia", "DATA_DIR": Path("/d")})
    assert len(nb.cells) == 3  # the input is not modified
    cell = once.cells[2]
    assert cell.metadata["tags"] == ["injected-parameters"]
    assert cell.source.splitlines()[1:] == ["RECIPIENT = 'Armenia'", "DATA_DIR = '/d'"]
    twice = report.inject_parameters(once, {"RECIPIENT": "Georgia"})
    assert len(twice.cells) == 4 and "'Georgia'" in twice.cells[2].source
    nbformat.validate(twice)
    bare = report.inject_parameters(new_notebook(cells=[new_code_cell("x = 1")]), {"A": 1})
    assert bare.cells[0].source.endswith("A = 1") and bare.metadata["arms"]["injected_at"] == 0
    with pytest.raises(ValueError, match="parameter name"):
        report.inject_parameters(nb, {"not a name": 1})


def test_find_notebooks_in_page_order(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs")
    found = report.find_notebooks([notebooks, notebooks / "02-fails.ipynb"])
    assert [p.name for p in found] == [
        "01-good.ipynb",
        "02-fails.ipynb",
        "03-escape.ipynb",
        "05-profile.ipynb",
    ]
    with pytest.raises(ArmsError, match="no such notebook or folder"):
        report.find_notebooks([tmp_path / "missing"])
    with pytest.raises(ArmsError, match="no notebooks found"):
        report.find_notebooks([tmp_path])  # notebooks in a subfolder are not searched


def test_page_status():
    page = report.PageResult(Path("02-x.ipynb"), "02-x", "X", "Armenia", html=Path("x.html"))
    assert (page.ok, page.status, page.collected, page.name) == (
        True,
        "ok",
        True,
        "02-x.ipynb [Armenia]",
    )
    page.not_applicable = "no deliveries"
    assert (page.ok, page.status, page.collected) == (True, "not applicable", False)
    page.failure = report.CellFailure("02-x.ipynb", None, "", "OSError", "gone", recipient="A")
    assert (page.ok, page.status) == (False, "failed")
    assert str(page.failure) == "02-x.ipynb (RECIPIENT='A') failed: OSError: gone"
