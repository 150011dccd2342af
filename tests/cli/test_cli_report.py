"""Tests of ``arms report``: errors on one line, exit codes, --json keys, --title."""

from __future__ import annotations

import io
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from arms import paths
from arms.cli import main
from arms.cli.report import ProgressBar
from arms.report import PageResult

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "search_register.csv"


def write(folder: Path, **notebooks: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, cells in notebooks.items():
        nbformat.write(new_notebook(cells=cells), folder / f"{name.replace('_', '-')}.ipynb")
    return folder


def failing(folder: Path) -> Path:
    return write(
        folder,
        **{
            "02_fails": [
                new_markdown_cell("# Failing page"),
                new_code_cell("x = 1\nprint('before the error')"),
                new_code_cell("raise ValueError('boom from cell two')"),
                new_code_cell("print('never reached')"),
            ]
        },
    )


def test_cli_errors_are_one_line(tmp_path, monkeypatch, capsys):
    assert main(["report", "--notebooks", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("arms report: error: no notebooks found")
    notebooks = failing(tmp_path / "nbs")
    monkeypatch.setenv("ARMS_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert main(["report", "--notebooks", str(notebooks), "--format", "html,pdf"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "install it" in err and "apt-get install chromium" in err
    with pytest.raises(SystemExit):
        main(["report", "--format", "docx"])


def test_unknown_recipient_fails_before_running(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path / "o"), "--recipient", "Azerbajan"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "arms report: error: unknown recipient 'Azerbajan'; did you mean Azerbaijan?"
    )
    assert not (tmp_path / "o").exists()


def test_tiv_table_fails_before_running(tmp_path, capsys):
    tiv = Path(paths.SIPRI_DIR) / "tiv-imports-2024-10-13.csv"
    assert main(["report", "--out", str(tmp_path / "o"), "--data", str(tiv)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "arms report: error: tiv-imports-2024-10-13.csv is a TIV table; the report needs a "
        "trade register or deliveries file"
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_cli_failing_notebook_json_and_title(tmp_path, capsys):
    notebooks = failing(tmp_path / "nbs")
    out = tmp_path / "out"
    code = main(
        [
            "report",
            "--notebooks",
            str(notebooks / "02-fails.ipynb"),
            "--out",
            str(out),
            "--title",
            "My <report>",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert (
        "02-fails.ipynb failed at cell 2:\n    raise ValueError('boom from cell two')\n"
        "ValueError: boom from cell two" in captured.err
    )
    assert "1 of 1 page(s) failed" in captured.err
    assert '"ok": false' in captured.out and '"cell_index": 2' in captured.out
    summary = json.loads(captured.out)
    assert sorted(summary) == [
        "figures",
        "index",
        "jobs",
        "ok",
        "pages",
        "problems",
        "timings",
        "workbook",
    ]
    assert sorted(summary["pages"][0]) == [
        "conversion_seconds",
        "execution_seconds",
        "failure",
        "html",
        "kernel_seconds",
        "not_applicable",
        "notebook",
        "ok",
        "pdf",
        "recipient",
        "seconds",
        "status",
        "supplier",
    ]
    assert sorted(summary["pages"][0]["failure"]) == ["cell_index", "ename", "evalue", "source"]
    assert sorted(summary["timings"]) == ["conversion", "execution", "kernel", "pages", "wall"]
    assert (out / "02-fails.html").exists()
    assert "<title>My &lt;report&gt;</title>" in (out / "index.html").read_text()


@pytest.mark.slow
def test_cli_exit_code_zero_with_not_applicable_pages(tmp_path, capsys):
    setup = new_code_cell("import arms")
    notebooks = write(
        tmp_path / "nb",
        **{
            "02_na": [
                new_markdown_cell("# Case study page"),
                setup,
                new_code_cell(
                    "raise arms.NotApplicable('this page needs deliveries to Armenia; "
                    "the file x.csv has none')"
                ),
            ],
            "04_good": [new_markdown_cell("# Good"), setup],
        },
    )
    code = main(
        [
            "report",
            "--notebooks",
            str(notebooks),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--data",
            str(DATA_FILE),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "02-na.ipynb: not applicable: this page needs deliveries to Armenia" in out


def test_progress_bar_plain_and_tty():
    result = PageResult(
        Path("02-x.ipynb"),
        "02-x",
        "X",
        html=Path("x.html"),
        seconds=2.5,
        kernel_seconds=1.5,
        execution_seconds=0.75,
        conversion_seconds=0.25,
    )
    plain = io.StringIO()
    bar = ProgressBar(plain)
    bar(None, 0, 2)
    bar(result, 1, 2)
    assert plain.getvalue().splitlines() == [
        "Executing 2 notebook(s)",
        "[1/2] 02-x.ipynb ok in 2.5s (kernel 1.5s, run 0.8s, html 0.2s)",
    ]

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    bar = ProgressBar(tty, width=10)
    bar(None, 0, 2)
    bar(result, 1, 2)
    bar(result, 2, 2)
    out = tty.getvalue()
    assert "\r[#####-----] 1/2" in out and "\r[##########] 2/2" in out
    assert "02-x.ipynb ok 2.5s" in out and out.endswith("\n")


@pytest.mark.slow
def test_cli_supplier_profile_and_from(tmp_path, capsys):
    out = tmp_path / "out"
    args = ["report", "--out", str(out), "--pages", "05,06", "--json", "--jobs", "2"]
    args += ["--recipient", "Armenia", "--supplier", "Israel", "--supplier", "Rusia"]
    assert main(args) == 1  # a misspelt supplier stops the build before anything runs
    assert "unknown supplier 'Rusia'" in capsys.readouterr().err
    args[-1] = "Russia"
    assert main([*args, "--from", "2011"]) == 0
    summary = json.loads(capsys.readouterr().out)
    pages = {(p["recipient"], p["supplier"]): p for p in summary["pages"]}
    assert set(pages) == {("Armenia", None), (None, "Israel"), (None, "Russia")}
    assert all(p["status"] == "ok" for p in pages.values())
    israel = (out / "06-supplier-profile-israel.html").read_text(encoding="utf-8")
    assert "Supplier: Israel" in israel
    assert "Recipients' shares of Israel's arms exports, 2011-23" in israel
    # --from 2011: the periods of every page start in 2011 (2011-15 the first)
    armenia = (out / "05-recipient-profile-armenia.html").read_text(encoding="utf-8")
    for html in (israel, armenia):
        assert "2011-15" in html and "2006-10" not in html
