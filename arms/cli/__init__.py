"""The ``arms`` command line.

Each sub-command has a module in this package with a ``register(subparsers)`` function; this
module only wires them up and turns :class:`arms.ArmsError` into one line on stderr and a
non-zero exit. Nothing below the command line imports it.
"""

from __future__ import annotations

import argparse
import os
import sys

from arms import __version__
from arms.cli import (
    cite,
    deals,
    diff,
    explore,
    export_network,
    extract,
    fetch,
    inspect,
    report,
    shares,
)
from arms.cli.output import clean_text, emit
from arms.errors import ArmsError

__all__ = ["main", "emit"]

# Each adds one sub-command whose parser has ``func`` set to a callable taking the parsed
# args and returning an exit code.
_COMMANDS = (inspect, deals, shares, diff, extract, report, fetch, export_network, explore, cite)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="arms",
        description="Read, analyse and report SIPRI Arms Transfers Database exports.",
    )
    parser.add_argument("--version", action="version", version=f"arms {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # the reader of our output went away (`arms ... | head`): not an error of ours;
        # point stdout at devnull so the interpreter's final flush stays quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ArmsError, OSError) as exc:
        if args.debug:
            raise
        print(clean_text(f"arms {args.command}: error: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"arms {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: still one line, with a way to see more
        if args.debug:
            raise
        print(
            f"arms {args.command}: internal error: {type(exc).__name__}: "
            f"{clean_text(str(exc))[:300]} "
            "(run with --debug for the traceback, and please report it)",
            file=sys.stderr,
        )
        return 2
