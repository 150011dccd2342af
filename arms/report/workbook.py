"""The report's workbook: every page's tables, its deals and yearly series, one sheet each.

:func:`write_workbook` writes ``arms-tables.xlsx`` next to the index from the tables the
pages collected (:func:`arms.report.collect_table`), after a README sheet that lists every
file the build used: the same list the index cites (:func:`arms.report.report_sources`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from arms import entities
from arms.export import to_excel
from arms.report.execute import PageResult
from arms.text import generated_date

log = logging.getLogger(__name__)

__all__ = ["WORKBOOK_NAME", "workbook_tables", "write_workbook"]

#: Name of the workbook written next to the index.
WORKBOOK_NAME = "arms-tables.xlsx"


def workbook_tables(pages: Sequence[PageResult]) -> dict[str, Any]:
    """Return the collected tables by sheet name; names used by several pages get a prefix.

    Only pages that ran through contribute (not failed or not-applicable ones). The prefix is
    the page's recipient, or its number; when the name already holds the recipient
    ("Azerbaijan suppliers by period"), the page number is used instead of repeating it.

    Parameters
    ----------
    pages : sequence of PageResult
        Run pages, with the tables :func:`arms.report.collect_table` wrote.

    Returns
    -------
    dict of str to pandas.DataFrame or pandas.Series
    """
    import pandas as pd

    loaded = []
    for page in pages:
        if not page.collected:
            continue
        for path in page.tables:
            try:
                item = pd.read_pickle(path)  # written by collect_table in this very build
            except Exception as exc:
                log.warning("could not read table %s of %s: %s", path.name, page.name, exc)
                continue
            loaded.append((page, str(item["name"]), item["table"]))
    distinct = []  # the same table collected by two pages (a profile and a case-study page)
    for page, name, table in loaded:
        if not any(name == n and _same(table, t) for _, n, t in distinct):
            distinct.append((page, name, table))
    loaded = distinct
    counts = Counter(name for _, name, _ in loaded)
    tables: dict[str, Any] = {}
    for page, name, table in loaded:
        if counts[name] > 1:
            number = page.notebook.stem.split("-", 1)[0]
            prefix = page.recipient or page.supplier or number
            if _contains_words(name, prefix):
                prefix = number
            if not _contains_words(name, prefix):
                name = f"{prefix} {name}"
        while name in tables:
            name += "'"
        tables[name] = table
    return tables


_NON_WORD = re.compile(r"[^\w]+")


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a.equals(b))
    except Exception:
        return False


def _contains_words(text: str, words: str) -> bool:
    """Whether ``words`` occurs in ``text`` as whole words, ignoring case and accents.

    Examples
    --------
    >>> _contains_words("Azerbaijan suppliers by period", "azerbaijan")
    True
    >>> _contains_words("Armenian suppliers", "Armenia"), _contains_words("02 shares", "05")
    (False, False)
    """

    def spaced(value: str) -> str:
        return " " + entities.name_key(_NON_WORD.sub(" ", value)) + " "

    return spaced(words) in spaced(text)


def write_workbook(
    pages: Sequence[PageResult], path: Path, data_files: Sequence[dict]
) -> str | None:
    """Write the pages' tables to ``path``; return what went wrong, or ``None``.

    Parameters
    ----------
    pages : sequence of PageResult
        Run pages (see :func:`workbook_tables`).
    path : pathlib.Path
        The ``.xlsx`` file.
    data_files : sequence of dict
        The sources the index cites (``path``: file name, ``generated``): the README sheet
        lists every one of them, and their generated dates.

    Returns
    -------
    str or None
        A message when the workbook could not be written; ``None`` when it was written or
        no page collected a table (then nothing is written).
    """
    tables = workbook_tables(pages)
    if not tables:
        return None
    names = [str(s.get("path")) for s in data_files if s.get("path")]
    dates = [
        f"{generated_date(s['generated'])} ({s.get('path')})"
        if len(data_files) > 1
        else str(generated_date(s["generated"]))
        for s in data_files
        if generated_date(s.get("generated"))
    ]
    try:
        to_excel(
            tables,
            path,
            readable=True,
            source_files=names or None,
            generated="; ".join(dict.fromkeys(dates)) or None,
        )
    except Exception as exc:
        return f"{path.name} was not written: {exc}"
    return None
