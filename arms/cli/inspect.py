"""``arms inspect PATH``: what a SIPRI file is and what it holds."""

from __future__ import annotations

import sys

from arms.cli.output import clean_text, emit
from arms.errors import ArmsError
from arms.io.detect import VARIANTS
from arms.io.inspect import inspect_file

__all__ = ["register"]


def _print_human(summary: dict) -> None:
    rows = [
        ("file", summary["path"]),
        ("format", f"{summary['format']}: {VARIANTS[summary['format']]}"),
        ("encoding", summary["encoding"] or "(workbook)"),
        ("header line", summary["header_line"]),
        ("quirks", ", ".join(summary["quirks"]) or "none"),
        ("query", summary["query"] or "-"),
        (
            "years",
            f"{summary['year_from'] or '?'}-{summary['year_to'] or '?'}"
            + (" (from the data; the file states no range)" if summary["years_from_data"] else ""),
        ),
        ("data generated", summary["generated"] or "unknown"),
        ("records", summary["records"]),
        ("rejected lines", summary["rejected"]),
        ("recipients", "-" if summary["recipients"] is None else summary["recipients"]),
        ("suppliers", "-" if summary["suppliers"] is None else summary["suppliers"]),
        (
            "TIV total",
            "-"
            if summary["tiv_total"] is None
            else f"{summary['tiv_total']:,.2f} (SIPRI TIV, millions; volume, not US$)"
            + (f"; {summary['tiv_total_note']}" if summary["tiv_total_note"] else ""),
        ),
        ("warnings", summary["warnings"]),
        ("parts", _parts(summary["parts"])),
        ("TIV with a category", _share(summary)),
        ("parties", _parties(summary["parties"])),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {clean_text(str(value))}")
    for title, names in (
        ("descriptions no rule places", summary["unplaced_descriptions"]),
        ("party names typed by rule", summary["parties"]["rule_names"]),
        ("party names not resolved", summary["parties"]["unresolved_names"]),
    ):
        if names:
            print(f"\n{title} ({len(names)}): " + clean_text(", ".join(map(repr, names))))
    for title, items, count in (
        ("rejected", summary["rejected_lines"], summary["rejected"]),
        ("warnings", summary["warning_lines"], summary["warnings"]),
    ):
        if items:
            print(
                f"\n{title} ({count}{', first ' + str(len(items)) if count > len(items) else ''}):"
            )
            for item in items:
                where = f"line {item['line']}" if "line" in item else f"record {item['record']}"
                print(f"  {where}: {clean_text(item['reason'])}: {clean_text(repr(item['text']))}")


#: Exit statuses of ``arms inspect`` (documented in --help and the README).
EXIT_CLEAN, EXIT_REJECTED, EXIT_REFUSED = 0, 1, 2


def _parts(parts: list[dict]) -> str:
    if len(parts) <= 1:
        return "1 (one download)"
    where = [p.get("sheet") or f"header at line {p['header_line']}" for p in parts]
    return f"{len(parts)} joined ({', '.join(where)}); repeated rows are listed as warnings"


def _share(summary: dict) -> str:
    share = summary["category_tiv_share"]
    if share is None:
        return "-"
    return f"{share:.2%} ({summary['unplaced_tiv']:,.2f} TIV with no rule)"


def _parties(parties: dict) -> str:
    return (
        f"{parties['by_table']} by table, {parties['by_rule']} by rule, "
        f"{parties['unresolved']} not resolved"
    )


def _run(args) -> int:
    try:
        summary = inspect_file(args.path)
    except (ArmsError, OSError) as exc:
        if getattr(args, "debug", False):
            raise
        print(f"arms inspect: refused: {clean_text(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    emit(summary, as_json=args.json, human=lambda: _print_human(summary))
    return EXIT_REJECTED if summary["rejected"] else EXIT_CLEAN


def register(subparsers) -> None:
    """Add ``arms inspect`` to the command line."""
    p = subparsers.add_parser(
        "inspect",
        help="show what a SIPRI export is and what it holds",
        description="Detect a SIPRI export's variant, encoding and preamble, read it, and "
        "summarise its records, rejected lines, parties and TIV total. Exit status: 0 when "
        "the file reads cleanly, 1 when it reads with rejected lines (listed), 2 when it is "
        "refused (not a SIPRI export, or unreadable).",
    )
    p.add_argument("path", help="a SIPRI export (.csv, .txt, .json, .xlsx)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON: format, encoding, records, rejected, generated, recipients, "
        "suppliers, tiv_total, and the first rejected and warned lines",
    )
    p.set_defaults(func=_run)
