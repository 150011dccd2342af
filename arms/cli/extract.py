"""``arms extract``: a SIPRI-format excerpt of an export (see :mod:`arms.io.excerpt`)."""

from __future__ import annotations

from arms.cli.output import emit
from arms.errors import ArmsError
from arms.io.excerpt import extract_summary, fmt_fraction

__all__ = ["register", "run"]


def register(subparsers) -> None:
    """Add the ``extract`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser(
        "extract",
        help="write the matching records of a SIPRI export as a SIPRI-format excerpt",
        description=(
            "Write the records of a SIPRI export (V1 trade register, V2 deliveries, V3 TIV "
            "table) that match the filter to a new file in the same format, byte for byte, "
            "with one preamble line describing the extract. Names given to one option "
            "(--recipient Armenia Azerbaijan, or --recipient repeated) are alternatives; "
            "different options must all match. A table keeps its total rows."
        ),
    )
    parser.add_argument("source", metavar="SOURCE", help="the SIPRI export to take records from")
    parser.add_argument(
        "-o", "--output", required=True, metavar="DEST", help="the extract file to write"
    )
    parser.add_argument(
        "--recipient",
        action="extend",
        nargs="+",
        default=None,
        metavar="NAME",
        help="keep these recipient(s); several names and/or repeated options "
        "(--recipient Armenia Azerbaijan = --recipient Armenia --recipient Azerbaijan)",
    )
    parser.add_argument(
        "--supplier",
        action="extend",
        nargs="+",
        default=None,
        metavar="NAME",
        help="keep these supplier(s); several names and/or repeated options",
    )
    parser.add_argument(
        "--entity",
        action="extend",
        nargs="+",
        default=None,
        metavar="NAME",
        help="keep records with one of these parties on either side (a table: these rows); "
        "several names and/or repeated options",
    )
    parser.add_argument(
        "--from",
        dest="start",
        type=int,
        default=None,
        metavar="YEAR",
        help="first year of the window: a deal is kept if its order year or a delivery "
        "year is in it, a deliveries row if its year is (registers only)",
    )
    parser.add_argument(
        "--to", dest="end", type=int, default=None, metavar="YEAR", help="last year of the window"
    )
    parser.add_argument(
        "--note", default=None, help="a sentence added to the extract line of the preamble"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Run ``arms extract``; return the exit code."""
    years = None if args.start is None and args.end is None else (args.start, args.end)
    try:
        summary = extract_summary(
            args.source,
            args.output,
            recipients=args.recipient,
            suppliers=args.supplier,
            entities=args.entity,
            years=years,
            note=args.note,
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ArmsError):
            raise
        raise ArmsError(str(exc)) from None
    keys = ("source", "dest", "variant", "records_in", "records_out", "share")
    payload = {k: summary[k] for k in keys} | {
        k: summary[k] for k in ("bytes_in", "bytes_out", "sha256", "generated")
    }

    def human() -> None:
        print(
            f"wrote {summary['dest']}: {summary['records_out']:,} of "
            f"{summary['records_in']:,} records ({fmt_fraction(summary['share'])}), "
            f"{summary['bytes_out']:,} of {summary['bytes_in']:,} bytes, "
            f"from {summary['source']} ({summary['variant']})"
        )

    emit(payload, as_json=args.json, human=human)
    return 0
