"""The ``arms`` command line.

Each sub-command lives in the module that does its job and registers itself through a
``register(subparsers)`` function listed in ``_COMMAND_MODULES``; this module only wires them
up and turns :class:`arms.ArmsError` into one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

__all__ = ["main", "emit"]

# Modules that provide ``register(subparsers)``; each adds one or more sub-commands whose
# parser has ``func`` set to a callable taking the parsed args and returning an exit code.
_COMMAND_MODULES = ("cli_inspect", "cli_deals", "cli_shares", "excerpt", "report", "fetch")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available sub-command."""
    from arms import __version__

    parser = argparse.ArgumentParser(
        prog="arms",
        description="Read, analyse and report SIPRI Arms Transfers Database exports.",
    )
    parser.add_argument("--version", action="version", version=f"arms {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        importlib.import_module(f"arms.{name}").register(sub)
    return parser


def emit(payload, *, as_json: bool, human=None) -> None:
    """Print ``payload`` as JSON, or call ``human()`` to print it for people."""
    if as_json or human is None:
        json.dump(payload, sys.stdout, indent=2, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        human()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from arms.errors import ArmsError

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
        print(f"arms {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"arms {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: still one line, with a way to see more
        if args.debug:
            raise
        print(
            f"arms {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for the traceback, and please report it)",
            file=sys.stderr,
        )
        return 2
