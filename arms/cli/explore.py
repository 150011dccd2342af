"""``arms explore FILE [-o explorer.html]``: the offline explorer page of a SIPRI export.

Writes one self-contained HTML file (:func:`arms.report.explore.build_explorer`): scripts,
styles and data inlined, nothing fetched. JSON output (``--json``): ``{"path", "bytes",
"seconds", "recipients", "suppliers", "deals"}``.
"""

from __future__ import annotations

import sys
import time
import warnings

from arms.cli.output import emit
from arms.errors import ArmsError
from arms.frames import CoverageWarning, load
from arms.report.explore import build_explorer, explorer_data

__all__ = ["register", "run"]


def register(subparsers) -> None:
    """Add the ``explore`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser(
        "explore",
        help="write an offline, interactive HTML explorer of a SIPRI export",
        description=(
            "Write one self-contained HTML page (no URL fetched) where a reader picks a "
            "recipient or a supplier and a year range, and sees the yearly stacked chart, "
            "the shares by five-year period and a searchable deals table. TIV is SIPRI's "
            "trend-indicator value: a volume index, not money."
        ),
    )
    parser.add_argument("path", metavar="FILE", help="a SIPRI trade register or deliveries export")
    parser.add_argument(
        "-o",
        "--output",
        default="explorer.html",
        metavar="HTML",
        help="the page to write (default: explorer.html)",
    )
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--recipient", metavar="NAME", help="the recipient shown first")
    who.add_argument("--supplier", metavar="NAME", help="the supplier shown first")
    parser.add_argument("--title", help="the page's heading")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _skip_iri_checker() -> None:
    """Keep jsonschema from loading its IRI format checker in this process.

    Altair imports jsonschema, which imports ``rfc3987_syntax`` when it is installed (Jupyter
    pulls it in) and compiles its grammars: 3-7 s of the build, for a checker of a string
    format no Vega-Lite spec of ours uses. The command runs in its own process, so marking
    the module missing there changes nothing else; a library caller keeps the full checks.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def run(args) -> int:
    """Run ``arms explore``; return the exit code."""
    started = time.perf_counter()
    _skip_iri_checker()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoverageWarning)
        frame = load(args.path)
    if "designation" not in frame.columns:
        raise ArmsError(
            f"{args.path}: a TIV table has no deals to explore; use a trade "
            "register or a deliveries export"
        )
    role, party = ("supplier", args.supplier) if args.supplier else ("recipient", args.recipient)
    flows, deals = explorer_data(frame)
    try:
        out = build_explorer(
            frame, args.output, role=role, party=party, title=args.title, data=(flows, deals)
        )
    except ModuleNotFoundError as exc:
        raise ArmsError(
            f"arms explore needs altair and vl-convert-python ({exc}); install "
            "them with pip install 'arms[explore]'"
        ) from None
    payload = {
        "path": str(out),
        "bytes": out.stat().st_size,
        "seconds": round(time.perf_counter() - started, 2),
        "recipients": int(flows["recipient"].nunique()),
        "suppliers": int(flows["supplier"].nunique()),
        "deals": len(deals),
    }

    def human() -> None:
        print(
            f"wrote {out} ({payload['bytes'] / 1e6:.1f} MB, {payload['deals']} deals, "
            f"{payload['recipients']} recipients, {payload['suppliers']} suppliers) "
            f"in {payload['seconds']} s"
        )

    emit(payload, as_json=args.json, human=human)
    tiv = frame["tiv" if "tiv" in frame.columns else "tiv_delivered"]
    if not tiv.notna().any():
        sys.stdout.flush()
        print(
            "arms explore: note: this file carries no TIV figures, so the charts are empty; "
            "the deals table is complete",
            file=sys.stderr,
        )
    return 0
