"""``arms inspect PATH``: what a SIPRI file is and what it holds."""

from __future__ import annotations

import os
import warnings

import pandas as pd

from arms.formats import VARIANTS, detect_format

__all__ = ["inspect_file", "register"]


def inspect_file(path: str | os.PathLike) -> dict:
    r"""Return a summary of a SIPRI export, with the keys ``arms inspect --json`` prints.

    Parameters
    ----------
    path : str or os.PathLike
        Any SIPRI export the readers accept.

    Returns
    -------
    dict
        ``format`` (the variant, ``V1`` ... ``V9``), ``encoding``, ``records`` (deals for a
        register, deal-year rows for a deliveries file, entity rows without totals for a
        table), ``rejected``, ``generated``, ``recipients``, ``suppliers`` (distinct
        counts; ``None`` where the file has no such column), ``tiv_total`` (TIV of
        delivered weapons for a register, sum of yearly TIV for a deliveries file, sum of the
        year cells of the entity rows for a table), plus descriptive extras: ``description``,
        ``kind``, ``header_line``, ``quirks``, ``query``, ``year_from``, ``year_to``,
        ``range``, ``warnings``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("Recipient,2020,2020-2020\nArmenia,4,4\nTotal world import,4,4\n")
    >>> s = inspect_file(p)
    >>> s["format"], s["records"], s["tiv_total"]
    ('V3', 1, 4.0)
    """
    from arms.readers import read_any

    info = detect_format(path)
    with warnings.catch_warnings():
        # rejected lines are counted in the summary; the reader's warning would repeat it
        warnings.simplefilter("ignore", UserWarning)
        frame = read_any(path, errors="warn")
    tiv = frame["tiv_delivered"] if info.kind == "deals" else frame["tiv"]
    src = frame.attrs["source"]
    if info.kind == "tiv":
        entities = frame["entity"].nunique()
        first = frame["table"].iloc[0] if len(frame) else None
        recipients = entities if first == "imports" else None
        suppliers = entities if first in ("exports", "top list", "regional") else None
    else:
        recipients = int(frame["recipient"].nunique())
        suppliers = int(frame["supplier"].nunique())
    total = tiv.sum(min_count=1)
    return {
        "path": str(path),
        "format": info.variant,
        "description": info.description,
        "kind": info.kind,
        "encoding": info.encoding,
        "header_line": info.header_line,
        "quirks": list(info.quirks),
        # a table's frame is long (entity x year): count its entity rows instead
        "records": src["records"] - len(frame.attrs["rejected"])
        if info.kind == "tiv"
        else len(frame),
        "rejected": len(frame.attrs["rejected"]),
        "generated": info.metadata.get("generated"),
        "query": info.metadata.get("query") or info.metadata.get("title"),
        "year_from": info.metadata.get("year_from"),
        "year_to": info.metadata.get("year_to"),
        "range": info.metadata.get("range"),
        "recipients": recipients if recipients is None else int(recipients),
        "suppliers": suppliers if suppliers is None else int(suppliers),
        "tiv_total": None if pd.isna(total) else round(float(total), 6),
        "warnings": len(frame.attrs.get("warnings", [])),
    }


def _print_human(summary: dict) -> None:
    rows = [
        ("file", summary["path"]),
        ("format", f"{summary['format']}: {VARIANTS[summary['format']]}"),
        ("encoding", summary["encoding"] or "(workbook)"),
        ("header line", summary["header_line"]),
        ("quirks", ", ".join(summary["quirks"]) or "none"),
        ("query", summary["query"] or "-"),
        ("years", f"{summary['year_from'] or '?'}-{summary['year_to'] or '?'}"),
        ("data generated", summary["generated"] or "unknown"),
        ("records", summary["records"]),
        ("rejected lines", summary["rejected"]),
        ("recipients", "-" if summary["recipients"] is None else summary["recipients"]),
        ("suppliers", "-" if summary["suppliers"] is None else summary["suppliers"]),
        (
            "TIV total",
            "-"
            if summary["tiv_total"] is None
            else f"{summary['tiv_total']:,.2f} (SIPRI TIV, millions; volume, not US$)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def _run(args) -> int:
    from arms.cli import emit

    summary = inspect_file(args.path)
    emit(summary, as_json=args.json, human=lambda: _print_human(summary))
    return 0


def register(subparsers) -> None:
    """Add ``arms inspect`` to the command line."""
    p = subparsers.add_parser(
        "inspect",
        help="show what a SIPRI export is and what it holds",
        description="Detect a SIPRI export's variant, encoding and preamble, read it, and "
        "summarise its records, rejected lines, parties and TIV total.",
    )
    p.add_argument("path", help="a SIPRI export (.csv, .txt, .json, .xlsx)")
    p.add_argument("--json", action="store_true", help="print JSON (keys as in DESIGN.md)")
    p.set_defaults(func=_run)
