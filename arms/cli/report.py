"""``arms report``: build the static report (see :mod:`arms.report`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from arms import paths
from arms.cli.output import emit
from arms.report import FORMATS, SETTINGS_FILE, PageResult, ReportResult, build_report

__all__ = ["ProgressBar", "register"]


class ProgressBar:
    """Show report progress: a redrawn bar on a terminal, one plain line per page otherwise.

    Parameters
    ----------
    stream : file-like, optional
        Where to write; default ``sys.stderr``.
    width : int, default 24
        Characters of the bar.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> bar = ProgressBar(buf)
    >>> bar(None, 0, 2)
    >>> print(buf.getvalue().strip())
    Executing 2 notebook(s)
    """

    def __init__(self, stream: TextIO | None = None, *, width: int = 24):
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = width
        self.started = time.perf_counter()
        self._last_len = 0

    def __call__(self, page: PageResult | None, done: int, total: int) -> None:
        """Report that ``page`` finished (``None``: the build starts)."""
        if page is None:
            self.started = time.perf_counter()
            self.stream.write(f"Executing {total} notebook(s)\n")
            self.stream.flush()
            return
        status = {"failed": "FAILED"}.get(page.status, page.status)
        detail = (
            f"{page.name} {status} in {page.seconds:.1f}s (kernel {page.kernel_seconds:.1f}s,"
            f" run {page.execution_seconds:.1f}s, html {page.conversion_seconds:.1f}s)"
        )
        if not self.tty:
            self.stream.write(f"[{done}/{total}] {detail}\n")
        else:
            filled = round(self.width * done / total)
            bar = "#" * filled + "-" * (self.width - filled)
            elapsed = time.perf_counter() - self.started
            line = f"\r[{bar}] {done}/{total} {elapsed:5.1f}s  {page.name} {status}"
            line += f" {page.seconds:.1f}s"
            self.stream.write(line.ljust(self._last_len))
            self._last_len = len(line)
            if done == total:
                self.stream.write("\n")
        self.stream.flush()


def _formats(text: str) -> list[str]:
    values = [v.strip().lower() for v in text.split(",") if v.strip()]
    unknown = sorted(set(values) - set(FORMATS))
    if unknown or not values:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or repr(text)}; choose from html, pdf"
        )
    return values


def _summary(result: ReportResult) -> dict:
    return {
        "index": str(result.index),
        "ok": result.ok,
        "pages": [
            {
                "notebook": p.notebook.name,
                "recipient": p.recipient,
                "supplier": p.supplier,
                "html": str(p.html or ""),
                "pdf": str(p.pdf or ""),
                "ok": p.ok,
                "status": p.status,
                "not_applicable": p.not_applicable,
                "seconds": round(p.seconds, 3),
                "kernel_seconds": round(p.kernel_seconds, 3),
                "execution_seconds": round(p.execution_seconds, 3),
                "conversion_seconds": round(p.conversion_seconds, 3),
                "failure": None
                if p.failure is None
                else {
                    "cell_index": p.failure.cell_index,
                    "source": p.failure.source,
                    "ename": p.failure.ename,
                    "evalue": p.failure.evalue,
                },
            }
            for p in result.pages
        ],
        "workbook": str(result.workbook or ""),
        "figures": [str(f) for p in result.pages for f in p.figures],
        "problems": result.problems,
        "jobs": result.jobs,
        "timings": {k: round(v, 3) for k, v in result.timings().items()},
    }


def _cmd_report(args: argparse.Namespace) -> int:
    progress = None if args.quiet or args.json else ProgressBar(sys.stderr)
    result = build_report(
        args.notebooks or None,
        args.out,
        title=args.title,
        recipients=args.recipient,
        data=args.data,
        formats=args.format,
        with_code=args.with_code,
        jobs=args.jobs,
        timeout=args.timeout,
        progress=progress,
        pages=args.pages,
        suppliers=args.supplier,
        first_year=args.first_year,
    )
    t = result.timings()

    def human() -> None:
        print(f"Report: {result.index}")
        print(
            f"{len(result.pages)} page(s) in {t['wall']:.1f}s on {result.jobs} worker(s); "
            f"kernel {t['kernel']:.1f}s, execution {t['execution']:.1f}s, "
            f"conversion {t['conversion']:.1f}s (summed over pages)"
        )
        for p in result.pages:
            if p.status == "not applicable":
                print(f"{p.name}: not applicable: {p.not_applicable}")

    emit(_summary(result), as_json=args.json, human=human)
    for failure in result.failures:
        print(str(failure), file=sys.stderr)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.ok:
        failed = len(result.failures)
        what = [f"{failed} of {len(result.pages)} page(s) failed"] if failed else []
        what += [f"{len(result.problems)} other problem(s)"] if result.problems else []
        print(
            f"arms report: error: {'; '.join(what)}; the report was written to "
            f"{result.index} with the failures marked",
            file=sys.stderr,
        )
        return 1
    return 0


def register(subparsers: Any) -> None:
    """Add the ``report`` sub-command to the ``arms`` command line.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From :meth:`argparse.ArgumentParser.add_subparsers`.
    """
    p = subparsers.add_parser(
        "report",
        help="execute the notebooks and build the static HTML report",
        description=(
            "Execute the notebooks (in parallel), render each to standalone HTML, run the "
            "recipient profile once per recipient (and the supplier profile once per "
            "--supplier), and write index.html with provenance, "
            "citation, contents and key figures, plus figures/ and arms-tables.xlsx."
        ),
    )
    p.add_argument(
        "--out",
        type=Path,
        default=paths.REPORTS_DIR,
        metavar="DIR",
        help="report folder (default: reports/)",
    )
    p.add_argument(
        "--recipient",
        action="append",
        metavar="NAME",
        help="run the recipient profile for NAME; repeat for several "
        f"(default: the recipients in the notebooks' {SETTINGS_FILE})",
    )
    p.add_argument(
        "--supplier",
        action="append",
        metavar="NAME",
        help="add a supplier profile page for NAME (whom it armed, by period, its top "
        "customers, weapon families and deals); repeat for several (default: none)",
    )
    p.add_argument(
        "--from",
        dest="first_year",
        type=int,
        metavar="YEAR",
        help="leave out deliveries before YEAR on every page (02, 04-06): the charts start "
        "there and the periods with the first whole five-year period from YEAR (default: "
        "the first period with a delivery)",
    )
    p.add_argument(
        "--title",
        metavar="TEXT",
        help=f"title of the index (default: the title in the notebooks' {SETTINGS_FILE})",
    )
    p.add_argument(
        "--data",
        type=Path,
        action="append",
        metavar="PATH",
        help="a SIPRI folder, or a SIPRI file (repeat for several): every page then uses "
        "only these files",
    )
    p.add_argument(
        "--pages",
        action="append",
        metavar="NN,...",
        help="build only these notebooks: numbers (00,05), stems or name parts "
        "(recipient-profile); repeat or separate with commas (default: all)",
    )
    p.add_argument(
        "--format",
        type=_formats,
        default=["html"],
        metavar="html,pdf",
        help="output formats, comma separated; pdf needs a system Chromium",
    )
    p.add_argument("--with-code", action="store_true", help="show the code cells")
    p.add_argument(
        "--notebooks",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="notebook files or folders (default: notebooks/)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="notebooks executed at once (default: the number of cores)",
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=600,
        metavar="SECONDS",
        help="time limit of a single cell (default: 600)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_cmd_report)
