"""What every command prints: JSON for scripts, or text for people."""

from __future__ import annotations

import json
import re
import sys

__all__ = ["clean_text", "emit"]

# C0 and C1 control characters (ESC sequences, bells, carriage returns), but not tab/newline
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Return ``text`` without terminal control characters (data must not drive the terminal).

    Examples
    --------
    >>> clean_text("Su-30" + chr(27) + "[2J" + chr(7) + "K")
    'Su-30[2JK'
    """
    return _CONTROL.sub("", text)


def emit(payload, *, as_json: bool, human=None) -> None:
    """Print ``payload`` as JSON, or call ``human()`` to print it for people."""
    if as_json or human is None:
        json.dump(payload, sys.stdout, indent=2, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        human()
