"""``arms export-network FILE --from Y1 --to Y2 --format graphml|gexf|csv -o OUT``.

Writes the supplier -> recipient network of delivered TIV (:func:`arms.export_network.
write_network`). JSON output (``--json``): ``{"format", "from", "to", "method", "nodes",
"edges", "total_tiv", "files"}``.
"""

from __future__ import annotations

import sys
import warnings

from arms.cli.output import emit
from arms.errors import ArmsError
from arms.export_network import FORMATS, write_network
from arms.frames import CoverageWarning, load

__all__ = ["NO_TIV_NOTE", "register", "run"]

#: Printed on stderr for a file without TIV figures (legacy 2014 registers, portal JSON).
NO_TIV_NOTE = (
    "note: this file carries no TIV figures, so every edge's TIV is 0; deal counts and "
    "years are still right"
)


def register(subparsers) -> None:
    """Add the ``export-network`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser(
        "export-network",
        help="write the supplier-recipient network as GraphML, GEXF or CSV",
        description=(
            "Write the parties (name, ISO3, entity type, region) and the directed supplier -> "
            "recipient edges (TIV delivered in the window: SIPRI trend-indicator values, a "
            "volume index, not money; deal count; first and last delivery year). A trade "
            "register is split evenly over each deal's delivery years."
        ),
    )
    parser.add_argument("path", metavar="FILE", help="a SIPRI trade register or deliveries export")
    parser.add_argument(
        "--from",
        dest="start",
        type=int,
        default=None,
        help="first delivery year (default: the file's first)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=int,
        default=None,
        help="last delivery year (default: the file's last)",
    )
    parser.add_argument("--format", choices=FORMATS, default="graphml", help="default: graphml")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write (a folder with --yearly)",
    )
    parser.add_argument(
        "--yearly",
        action="store_true",
        help="one edge list (or graph) per year, written into the folder OUT",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Run ``arms export-network``; return the exit code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoverageWarning)
        frame = load(args.path)
    if "designation" not in frame.columns:
        raise ArmsError(
            f"{args.path}: a TIV table has no supplier-recipient deals to link; use a trade "
            "register or a deliveries export"
        )
    if "year" in frame.columns:
        years = frame["year"].dropna()
    else:
        years = frame[["first_delivery_year", "last_delivery_year"]].stack().dropna()
    years = years[years > 0]  # a year of 0 is no year
    start = args.start if args.start is not None else (int(years.min()) if len(years) else 0)
    end = args.end if args.end is not None else (int(years.max()) if len(years) else 0)
    if start > end:
        raise ArmsError(f"--from {start} is after --to {end}")
    try:
        summary = write_network(
            frame, args.output, start=start, end=end, format=args.format, yearly=args.yearly
        )
    except ModuleNotFoundError as exc:
        raise ArmsError(
            f"{args.format} needs networkx ({exc}); install it with pip install 'arms[network]'"
        ) from None

    def human() -> None:
        print(
            f"{summary['nodes']} parties, {summary['edges']} edges, "
            f"{summary['total_tiv']:,.1f} million TIV (a volume index, not US$) delivered "
            f"{start}-{end} ({summary['method']}); wrote:"
        )
        for f in summary["files"]:
            print(f"  {f}")

    emit(summary, as_json=args.json, human=human)
    tiv = frame["tiv" if "tiv" in frame.columns else "tiv_delivered"]
    if not tiv.notna().any():
        sys.stdout.flush()
        print(f"arms export-network: {NO_TIV_NOTE}", file=sys.stderr)
    return 0
