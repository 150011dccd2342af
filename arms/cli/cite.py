"""``arms cite FILE``: the citation of a SIPRI export as BibTeX and CSL-JSON.

Prints the BibTeX entry, a blank line and the CSL-JSON item (a one-item list), both with the
file's "data generated" date and the database's URL (:func:`arms.text.bibtex`,
:func:`arms.text.csl_json`). ``--format bibtex`` or ``--format csl`` prints one of them.
JSON output (``--json``): ``{"generated", "url", "bibtex", "csl"}``.
"""

from __future__ import annotations

import json

from arms.cli.output import emit
from arms.io.readers import read_any
from arms.text import URL, bibtex, csl_json

__all__ = ["register", "run"]


def register(subparsers) -> None:
    """Add the ``cite`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser(
        "cite",
        help="print the citation of a SIPRI file (BibTeX and CSL-JSON)",
        description="Print how to cite a SIPRI export: BibTeX and CSL-JSON, with its "
        "generated date and the database's URL.",
    )
    parser.add_argument("path", metavar="FILE", help="a SIPRI export file")
    parser.add_argument("--format", choices=("both", "bibtex", "csl"), default="both")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Run ``arms cite``; return the exit code."""
    source = read_any(args.path, errors="warn").attrs.get("source", {})
    bib, csl = bibtex(source), csl_json(source)
    payload = {"generated": source.get("generated"), "url": URL, "bibtex": bib, "csl": csl}

    def human() -> None:
        if args.format in ("both", "bibtex"):
            print(bib)
        if args.format == "both":
            print()
        if args.format in ("both", "csl"):
            print(json.dumps(csl, indent=2, ensure_ascii=False))

    emit(payload, as_json=args.json, human=human)
    return 0
