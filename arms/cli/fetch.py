"""``arms fetch``: a fresh export from SIPRI's portal backend (see :mod:`arms.io.fetch`)."""

from __future__ import annotations

from pathlib import Path

from arms.cli.output import emit
from arms.errors import FetchError
from arms.io.fetch import (
    API_URL_ENV,
    CACHE_DIR_ENV,
    DEFAULT_API_URL,
    DEFAULT_BACKOFF,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    FIRST_YEAR,
    KINDS,
    fetch_export,
)

__all__ = ["register"]


def register(subparsers) -> None:
    """Add the ``fetch`` sub-command to the ``arms`` command line."""
    p = subparsers.add_parser(
        "fetch",
        help="download a fresh export from the SIPRI backend",
        description=(
            "Download a trade register (V1), deliveries register (V2) or TIV table (V3) "
            "from SIPRI's backend, check it is a SIPRI export of that kind, and write it "
            "byte for byte. Answers are cached under $ARMS_CACHE_DIR or "
            "~/.cache/arms/fetch until SIPRI publishes a new data year."
        ),
    )
    p.add_argument("kind", choices=KINDS, help="what to download")
    p.add_argument(
        "--recipient",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="recipient name(s); repeatable; default all",
    )
    p.add_argument(
        "--supplier",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="supplier name(s); repeatable; default all",
    )
    p.add_argument(
        "--from",
        dest="first_year",
        type=int,
        metavar="Y1",
        help=f"first delivery year (default {FIRST_YEAR})",
    )
    p.add_argument(
        "--to",
        dest="last_year",
        type=int,
        metavar="Y2",
        help="last delivery year (default: SIPRI's latest data year)",
    )
    p.add_argument(
        "--by",
        choices=("recipient", "supplier"),
        help="tiv only: one row per recipient (imports) or per supplier (exports)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="output file (default: a dated name in data/sipri/)",
    )
    p.add_argument(
        "--api-url",
        metavar="URL",
        help=f"backend base URL (default ${API_URL_ENV} or {DEFAULT_API_URL})",
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"cache directory (default ${CACHE_DIR_ENV} or ~/.cache/arms/fetch)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=(
            f"seconds each request may take in all, a slow transfer included; one that "
            f"runs out of time is not retried (default {DEFAULT_TIMEOUT:g})"
        ),
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    if args.by is not None and args.kind != "tiv":
        raise FetchError("--by applies to 'arms fetch tiv' only")
    try:
        result = fetch_export(
            args.kind,
            args.recipient,
            args.supplier,
            first_year=args.first_year,
            last_year=args.last_year,
            output=args.output,
            api_url=args.api_url,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
            timeout=args.timeout,
            retries=DEFAULT_RETRIES,
            backoff=DEFAULT_BACKOFF,
            progress=True,
            by=args.by,
        )
    except ValueError as exc:  # bad year range or timeout: a usage error, one line
        raise FetchError(str(exc)) from exc
    payload = {
        "path": str(result.path),
        "variant": result.variant,
        "bytes": result.size,
        "cached": result.cached,
        "sha256": result.sha256,
        "max_year": result.max_year,
        "url": result.url,
    }

    def human() -> None:
        source = "from the cache" if result.cached else "from SIPRI"
        print(f"wrote {result.path} ({result.variant}, {result.size:,} bytes, {source})")

    emit(payload, as_json=args.json, human=human)
    return 0
