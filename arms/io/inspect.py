"""What a SIPRI file is and what it holds: the summary ``arms inspect`` prints."""

from __future__ import annotations

import os
import warnings

import pandas as pd

from arms.categories import categorize, tiv_coverage
from arms.entities import harmonize
from arms.io.readers import read_source
from arms.io.sources import load_source

__all__ = ["inspect_file"]


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
        ``sha256``, ``kind``, ``header_line``, ``quirks``, ``query``, ``year_from``, ``year_to``
        (from the data when the file states no range: ``years_from_data``), ``range``,
        ``warnings`` (count), ``rejected_lines`` and ``warning_lines`` (the first 20 of
        each: line or record, reason, text) and ``tiv_total_note``. Coverage of the knowledge
        tables: ``category_tiv_share`` (share of the TIV whose weapon has a known category;
        ``None`` for a table), ``unplaced_tiv`` and ``unplaced_descriptions`` (descriptions no
        rule places), and ``parties``: distinct party names resolved ``by_table`` (the
        crosswalk), ``by_rule`` (SIPRI's naming conventions) and ``unresolved``, with
        ``rule_names`` and ``unresolved_names``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("Recipient,2020,2020-2020\nArmenia,4,4\nTotal world import,4,4\n")
    >>> s = inspect_file(p)
    >>> s["format"], s["records"], s["tiv_total"]
    ('V3', 1, 4.0)
    >>> s["parties"]["by_table"], s["parties"]["unresolved"], s["category_tiv_share"]
    (1, 0, None)
    """
    src = load_source(path)  # read and decoded once, for the info and the frame
    info = src.info
    with warnings.catch_warnings():
        # rejected lines are counted in the summary; the reader's warning would repeat it
        warnings.simplefilter("ignore", UserWarning)
        frame = read_source(src, errors="warn")
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
    year_from, year_to = info.metadata.get("year_from"), info.metadata.get("year_to")
    years_from_data = year_from is None and year_to is None
    if years_from_data:  # no range in a preamble (V8, V9, re-saved copies): the data's own
        year_from, year_to = _data_years(frame, info.kind)
    return {
        "path": str(path),
        "sha256": info.sha256,
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
        "year_from": year_from,
        "year_to": year_to,
        "years_from_data": years_from_data,
        "range": info.metadata.get("range"),
        "recipients": recipients if recipients is None else int(recipients),
        "suppliers": suppliers if suppliers is None else int(suppliers),
        "tiv_total": None if pd.isna(total) else round(float(total), 6),
        # a regional table repeats countries in overlapping regions: its sum is no total
        "tiv_total_note": "sum over overlapping regional blocks, not a total"
        if info.variant == "V4"
        else None,
        "warnings": len(frame.attrs.get("warnings", [])),
        # a file joining several downloads (or a workbook's sheets): where each part starts
        "parts": [
            {k: part[k] for k in ("header_line", "sheet") if k in part}
            for part in frame.attrs.get("parts", [])
        ],
        **_coverage(frame, info.kind),
        "rejected_lines": [_brief(r) for r in frame.attrs["rejected"][:_SHOWN]],
        "warning_lines": [_brief(r) for r in frame.attrs.get("warnings", [])[:_SHOWN]],
    }


_SHOWN = 20  # rejected or warned lines listed by inspect; the counts cover all of them


def _brief(item: dict) -> dict:
    where = {"line": item.get("line")} if item.get("line") else {"record": item.get("record")}
    return where | {"reason": item["reason"], "text": str(item.get("text", ""))[:120]}


def _coverage(frame: pd.DataFrame, kind: str) -> dict:
    """Count what the knowledge tables place: weapons by TIV, parties by name."""
    named = harmonize(frame, errors="ignore")
    weapons = {"category_tiv_share": None, "unplaced_tiv": None, "unplaced_descriptions": []}
    if kind != "tiv":
        weapons = tiv_coverage(categorize(frame, errors="ignore"))
    how: dict[str, str] = {}
    for col, cov in named.attrs["entity_coverage"].items():
        # harmonize leaves <col>_name empty where the cell holds no party (by-category rows)
        values = named.loc[named[f"{col}_name"].notna(), col].astype(str)
        if col == "counterpart":
            values = values[values.ne("all")]
        unresolved = values[named.loc[values.index, f"{col}_type"].isna()]
        for name in values.unique():
            how.setdefault(name, "table")
        for name in cov["rule_names"]:
            how[name] = "rule"
        for name in unresolved.unique():
            how[name] = "unresolved"
    count = {
        k: sorted(n for n, h in how.items() if h == k) for k in ("table", "rule", "unresolved")
    }
    return weapons | {
        "parties": {
            "by_table": len(count["table"]),
            "by_rule": len(count["rule"]),
            "unresolved": len(count["unresolved"]),
            "rule_names": count["rule"],
            "unresolved_names": count["unresolved"],
        }
    }


def _data_years(frame: pd.DataFrame, kind: str) -> tuple[int | None, int | None]:
    if kind == "deals":
        low = pd.concat([frame["order_year"], frame["first_delivery_year"]]).min()
        high = pd.concat([frame["order_year"], frame["last_delivery_year"]]).max()
    else:
        low, high = frame["year"].min(), frame["year"].max()
    return (None if pd.isna(low) else int(low)), (None if pd.isna(high) else int(high))
