"""Report build times against issue 15's targets, on 2 cores.

* the bundled report (every notebook, the case study's recipients), warm: under 20 s;
* a full register (``../shared/sipri``) with three recipients other than the case study's
  (every notebook, plus one supplier profile): under 60 s.

"Warm" means a first build has run (imports compiled, fonts cached, files in the page cache);
the second build is timed. Each build runs ``jobs`` notebooks at once (default 2, the target
machine's cores). Prints pages, wall time and the verdict per target.

Usage::

    python benchmarks/bench_report_targets.py [--jobs 2] [--register FILE]
        [--recipient NAME ...] [--supplier NAME] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from arms import report
from arms.paths import SHARED_SIPRI_DIR

BUNDLED_TARGET = 20.0
FULL_TARGET = 60.0
FULL_REGISTER = "tradereg-newportal-MJHofmann-1.csv"
RECIPIENTS = ["Egypt", "India", "Ukraine"]  # three recipients outside the case study
SUPPLIER = "Russia"


def timed(out: Path, **kwargs) -> tuple[float, report.ReportResult]:
    start = time.perf_counter()
    result = report.build_report(out=out, **kwargs)
    return time.perf_counter() - start, result


def line(label: str, seconds: float, result: report.ReportResult, target: float) -> dict:
    verdict = "PASS" if seconds < target and result.ok else "FAIL"
    states = [p.status for p in result.pages]
    print(
        f"{label}: {len(result.pages)} pages ({states.count('ok')} ok, "
        f"{states.count('not applicable')} not applicable, {states.count('failed')} failed) "
        f"in {seconds:.1f}s on {result.jobs} worker(s); target < {target:.0f}s: {verdict}"
    )
    return {"pages": len(result.pages), "seconds": round(seconds, 2), "verdict": verdict}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--register", type=Path, default=SHARED_SIPRI_DIR / FULL_REGISTER)
    parser.add_argument("--recipient", action="append")
    parser.add_argument("--supplier", default=SUPPLIER)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="arms-bench-targets-") as tmp:
        tmp = Path(tmp)
        timed(tmp / "warm-up", jobs=args.jobs)
        seconds, result = timed(tmp / "bundled", jobs=args.jobs)
        figures["bundled_warm"] = line("Bundled report, warm", seconds, result, BUNDLED_TARGET)
        if args.register.is_file():
            seconds, result = timed(
                tmp / "full",
                jobs=args.jobs,
                data=args.register,
                recipients=args.recipient or RECIPIENTS,
                suppliers=[args.supplier],
            )
            label = f"{args.register.name}, 3 recipients + {args.supplier}"
            figures["full_register"] = line(label, seconds, result, FULL_TARGET)
        else:
            print(f"{args.register} is absent: the full-register target is not measured")
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0 if all(f["verdict"] == "PASS" for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
