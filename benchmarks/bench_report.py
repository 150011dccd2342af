"""Report build time: kernel start vs execution vs conversion, and parallel vs serial.

Target (issue 8): ``make report`` (``arms report``) with the environment installed completes in
under 90 seconds on a 2-core machine.

The script builds the report twice into temporary folders, once serially (``jobs=1``) and
once in parallel (``jobs`` = the number of cores, as ``arms report`` does), and prints:

* per page: kernel start and shutdown, cell execution, HTML conversion, total;
* the split summed over pages, and each phase's share;
* the wall time of both builds and the speed-up of parallel over serial;
* with ``--cli``, also the wall time of ``python -m arms report`` end to end (what
  ``make report`` runs), checked against the 90 s target.

By default it uses the real notebooks in ``notebooks/``; ``--demo`` writes throwaway notebooks
shaped like them (imports, a parameters cell, a groupby over 30,000 rows, two charts, a table,
key figures; the ``05`` template runs for two recipients) so the script runs before the
notebooks exist.

Usage::

    python benchmarks/bench_report.py [NOTEBOOK_OR_DIR ...] [--demo] [--jobs N] [--cli]
                                      [--data PATH] [--recipient NAME ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from arms import paths, report
from arms.cli.report import ProgressBar

TARGET_SECONDS = 90.0

_DEMO_SETUP = """\
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import arms
import arms.report
"""
_DEMO_WORK = """\
rng = np.random.default_rng(len(RECIPIENT))
deals = pd.DataFrame({
    "supplier": rng.choice(["Israel", "Russia", "Turkiye", "Belarus", "Ukraine"], 30_000),
    "year": rng.integers(1990, 2025, 30_000),
    "tiv": rng.gamma(2.0, 5.0, 30_000),
})
yearly = deals.pivot_table(index="year", columns="supplier", values="tiv", aggfunc="sum")
shares = (deals.groupby("supplier")["tiv"].sum() / deals["tiv"].sum() * 100).round(1)
arms.report.key_figure(f"Leading supplier ({RECIPIENT})", shares.idxmax())
arms.report.key_figure(f"Its share ({RECIPIENT})", float(shares.max()), note="% of TIV")
arms.report.collect_table(shares.rename("share").reset_index(), "Shares")
shares.to_frame("share")
"""
_DEMO_PLOTS = """\
fig, ax = plt.subplots(layout="constrained")
yearly.plot(ax=ax)
ax.set_ylabel("SIPRI TIV (millions)")
arms.report.collect_figure(fig, f"Yearly TIV {RECIPIENT}")
fig2, ax2 = plt.subplots(layout="constrained")
shares.sort_values().plot.barh(ax=ax2)
ax2.set_xlabel("share of TIV (%)")
arms.report.collect_figure(fig2, f"Shares {RECIPIENT}")
"""
DEMO_NAMES = (
    "00-start-here",
    "01-data-quality",
    "02-azerbaijan-suppliers",
    "03-armenia-su30sm",
    "04-russia-both-sides",
    "05-recipient-profile",
)


def write_demo_notebooks(folder: Path) -> Path:
    """Write six throwaway notebooks shaped like the real ones; return the folder."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    folder.mkdir(parents=True, exist_ok=True)
    for name in DEMO_NAMES:
        nb = new_notebook(
            cells=[
                new_markdown_cell(f"# {name[3:].replace('-', ' ').capitalize()}\n\nDemo page."),
                new_code_cell(_DEMO_SETUP),
                new_code_cell(
                    "DATA_DIR = arms.paths.SIPRI_DIR\nRECIPIENT = 'Azerbaijan'",
                    metadata={"tags": ["parameters"]},
                ),
                new_code_cell(_DEMO_WORK),
                new_markdown_cell("The shares above are computed, not typed."),
                new_code_cell(_DEMO_PLOTS),
            ]
        )
        nbformat.write(nb, folder / f"{name}.ipynb")
    # the real report's settings (title, recipients, template), so the pages are the same
    settings = paths.NOTEBOOKS_DIR / report.SETTINGS_FILE
    (folder / report.SETTINGS_FILE).write_text(settings.read_text(encoding="utf-8"))
    return folder


def build(notebooks, out: Path, *, jobs: int, data, recipients) -> report.ReportResult:
    return report.build_report(
        notebooks,
        out,
        jobs=jobs,
        data=data,
        recipients=recipients,
        progress=ProgressBar(sys.stderr),
    )


def describe(label: str, result: report.ReportResult) -> dict:
    t = result.timings()
    phases = t["kernel"] + t["execution"] + t["conversion"]
    print(
        f"\n{label}: {len(result.pages)} pages, {result.jobs} worker(s), "
        f"wall {t['wall']:.1f}s{'' if result.ok else '  (FAILURES: see above)'}"
    )
    print(f"  {'page':44} {'kernel':>7} {'exec':>7} {'html':>7} {'total':>7}")
    for p in result.pages:
        print(
            f"  {p.name[:44]:44} {p.kernel_seconds:7.2f} {p.execution_seconds:7.2f} "
            f"{p.conversion_seconds:7.2f} {p.seconds:7.2f}"
        )
    print(
        f"  {'sum over pages':44} {t['kernel']:7.2f} {t['execution']:7.2f} "
        f"{t['conversion']:7.2f} {t['pages']:7.2f}"
    )
    if phases:
        print(
            f"  split: kernel start/stop {t['kernel'] / phases:.0%}, execution "
            f"{t['execution'] / phases:.0%}, conversion {t['conversion'] / phases:.0%}; "
            f"index, workbook and PDF {max(t['wall'] - t['pages'] / result.jobs, 0):.1f}s "
            "(approx.)"
        )
    return {"jobs": result.jobs, "ok": result.ok, **{k: round(v, 3) for k, v in t.items()}}


def time_cli(notebooks, out: Path, *, data, recipients) -> tuple[float, int]:
    command = [sys.executable, "-m", "arms", "report", "--out", str(out), "--quiet"]
    if notebooks:
        command += ["--notebooks", *map(str, notebooks)]
    if data:
        command += ["--data", str(data)]
    for recipient in recipients or []:
        command += ["--recipient", recipient]
    start = time.perf_counter()
    done = subprocess.run(command, check=False)
    return time.perf_counter() - start, done.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebook files or folders (default: notebooks/)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="benchmark throwaway notebooks shaped like the real ones",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--recipient", action="append")
    parser.add_argument(
        "--cli",
        action="store_true",
        help="also time `python -m arms report` end to end (make report)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="arms-bench-report-") as tmp:
        tmp = Path(tmp)
        notebooks = list(args.notebooks) or None
        if args.demo:
            notebooks = [write_demo_notebooks(tmp / "notebooks")]
        print(
            f"{os.cpu_count()} core(s); notebooks: "
            f"{', '.join(map(str, notebooks or [paths.NOTEBOOKS_DIR]))}"
        )
        serial = build(
            notebooks, tmp / "serial", jobs=1, data=args.data, recipients=args.recipient
        )
        parallel = build(
            notebooks, tmp / "parallel", jobs=args.jobs, data=args.data, recipients=args.recipient
        )
        figures = {
            "serial": describe("Serial", serial),
            "parallel": describe("Parallel", parallel),
        }
        speedup = serial.seconds / parallel.seconds
        figures["speedup"] = round(speedup, 2)
        print(
            f"\nSpeed-up of parallel ({parallel.jobs} workers) over serial: {speedup:.2f}x "
            f"({serial.seconds:.1f}s -> {parallel.seconds:.1f}s)"
        )
        ok = serial.ok and parallel.ok
        if args.cli:
            seconds, code = time_cli(
                notebooks, tmp / "cli", data=args.data, recipients=args.recipient
            )
            figures["cli_seconds"] = round(seconds, 2)
            verdict = "PASS" if seconds < TARGET_SECONDS and code == 0 else "FAIL"
            print(
                f"`arms report` end to end: {seconds:.1f}s (exit {code}; target "
                f"< {TARGET_SECONDS:.0f}s): {verdict}"
            )
            ok = ok and verdict == "PASS"
        if args.json:
            print(json.dumps(figures, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
