"""What every command prints: JSON for scripts, or text for people."""

from __future__ import annotations

import json
import sys

__all__ = ["emit"]


def emit(payload, *, as_json: bool, human=None) -> None:
    """Print ``payload`` as JSON, or call ``human()`` to print it for people."""
    if as_json or human is None:
        json.dump(payload, sys.stdout, indent=2, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        human()
