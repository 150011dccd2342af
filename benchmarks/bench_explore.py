"""Explorer size and build time on the full SIPRI register (issue 17).

Targets: ``arms explore`` on the whole database writes a page under 10 MB in under 15 s.
The build runs in a fresh process, as a user runs it; the script prints the median of
``--repeat`` runs and the page size.

Usage: ``python benchmarks/bench_explore.py [--repeat 3]``; the register comes from
``../shared/sipri`` (``ARMS_SHARED_SIPRI`` overrides).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import arms

REGISTER = "tradereg-newportal-MJHofmann-1.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = arms.paths.SHARED_SIPRI_DIR / REGISTER
    if not path.is_file():
        print(f"{path} is missing: nothing to measure", file=sys.stderr)
        return 1
    times, size = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "explorer.html"
        for _ in range(args.repeat):
            started = time.perf_counter()
            cmd = [sys.executable, "-m", "arms", "explore", str(path), "-o", str(out)]
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
            size = out.stat().st_size
    median = statistics.median(times)
    print(
        f"arms explore, full register: {median:.1f} s (median of {args.repeat}; target < 15 s), "
        f"page {size / 1e6:.2f} MB (target < 10 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
