"""TIV tables (V3, V4, V5, V6) -> the long canonical ``tiv`` frame.

:func:`read_table` runs a few named steps: find the header of each table block (V3 files may
concatenate many), read each block's rows (entity rows become data, total rows go to
``attrs["totals"]``), then build the frame and its ``attrs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from arms import schema
from arms.errors import SipriFormatError
from arms.io.cells import Rejects, number_text
from arms.io.formats import (
    VARIANTS,
    FormatInfo,
    comma_form,
    match_header,
    split_header,
    strip_padding,
)
from arms.io.registers import provenance
from arms.io.sources import Source

__all__ = ["read_table"]

_TOTAL_V3 = re.compile(r"^total\b", re.I)
_V3_HEADER = re.compile(r"^(?:Recipient|Exports by|Supplier),\d{4}", re.I)
_PREAMBLE_START = re.compile(
    r"^(?:Volume of |Figures |A '0'|For the method|For a list|For more|Source:|Data generated|"
    r"Generated:|TIV of arms)",
    re.I,
)
_CATEGORIES = {
    "aircraft", "air defence systems", "air-defence systems", "anti-submarine warfare",
    "armoured vehicles", "artillery", "engines", "missiles", "naval weapons", "other",
    "satellites", "sensors", "ships",
}  # fmt: skip


@dataclass
class _Block:
    """One table of a file: its header and what its rows gave."""

    header: list[str]
    years: dict[int, int]  # column index -> year
    table: str
    entity_col: int
    counterpart: str
    records: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    entity_rows: int = 0


def read_table(src: Source, errors: str) -> pd.DataFrame:
    """Return a TIV table file as the canonical ``tiv`` frame (see ``read_tiv_table``)."""
    info = src.info
    rejects = Rejects(errors, info.path)
    lines = src.lines
    starts = _block_starts(info, lines)
    blocks = []
    for b, h in enumerate(starts):
        end = starts[b + 1] if b + 1 < len(starts) else len(lines)
        block = _layout(info, _cells(_unpadded(lines[h], info), info))
        _read_rows(block, info, lines, range(h + 1, end), rejects)
        blocks.append(block)
    return _frame(src, blocks, rejects)


def _block_starts(info: FormatInfo, lines: list[str]) -> list[int]:
    """Return the 0-based index of each table header (files may join several tables).

    A later header of another layout (a V6 table after a V3 one) refuses the file.
    """
    starts = []
    for i in range(info.header_line - 1, len(lines)):
        line = lines[i]
        if i == info.header_line - 1:
            starts.append(i)
            continue
        if line[:1] not in (",", "R", "E", "S", "I", "r", "e", "s", "i", '"'):
            continue  # cheap: no header starts otherwise
        variant = match_header(line)
        if variant is None:
            continue
        if variant == info.variant or (
            info.variant == "V3" and _V3_HEADER.match(comma_form(line))
        ):
            starts.append(i)
        elif variant in ("V3", "V4", "V5", "V6"):
            raise SipriFormatError(
                f"a second table header, of another layout ({variant}: {VARIANTS[variant]}), "
                f"follows the {info.variant} table of line {info.header_line}: the file joins "
                "different exports; split it and read each part",
                path=info.path,
                line=i + 1,
            )
    return starts


def _layout(info: FormatInfo, header: list[str]) -> _Block:
    """Return an empty block for a header: table name, entity column, counterpart, years."""
    first = header[0].strip().lower()
    meta = info.metadata
    counterpart = "all"
    if info.variant == "V4":
        # suppliers broken down by region (",," header) or regions' imports (named header)
        table, entity_col = "regional", 1 if not first else 0
    elif info.variant == "V5":
        table, entity_col = "top list", 3
    elif info.variant == "V6":
        table, entity_col = meta.get("direction", "imports"), 0
        who = meta.get("supplier" if table == "exports" else "recipient") or "all"
        counterpart = "all" if who.lower() == "all" else who
    else:
        table, entity_col = ("exports" if first in ("exports by", "supplier") else "imports"), 0
    years = {j: int(c) for j, c in enumerate(header) if re.fullmatch(r"\d{4}", c.strip())}
    return _Block(header, years, table, entity_col, counterpart)


def _read_rows(block: _Block, info, lines, indices, rejects: Rejects) -> None:
    """Read a block's rows into its records and totals; unreadable rows go to ``rejects``."""
    header = block.header
    region = None
    for i in indices:
        text = _unpadded(lines[i], info)
        if _PREAMBLE_START.match(text.lstrip('"')):
            continue  # a footer, or the next table's preamble
        cells = _cells(text, info)
        if not any(c.strip() for c in cells):
            continue  # blank or spacer line
        if info.container == "xlsx":
            cells += [""] * (len(header) - len(cells))  # a sheet row ends at its last value
        if len(cells) < len(header) or any(c.strip() for c in cells[len(header) :]):
            end_of_file = i == len(lines) - 1
            rejects.add(
                i + 1,
                f"expected {len(header)} fields, found {len(cells)}"
                + (" (the file ends mid-row: truncated?)" if end_of_file else ""),
                lines[i],
            )
            continue
        entity, is_total, region = _entity(info.variant, header, cells, block.entity_col, region)
        if not entity:
            rejects.add(i + 1, "a table row without an entity name", lines[i])
            continue
        values, bad = _values(cells, block.years, info)
        if bad:
            rejects.add(i + 1, bad, lines[i])
            continue
        if is_total:
            block.totals.append({"label": entity, "line": i + 1, "values": values})
            continue
        block.entity_rows += 1
        cp = region if info.variant == "V4" and region else block.counterpart
        block.records.extend(
            {
                "table": block.table,
                "entity": entity,
                "counterpart": cp,
                "year": year,
                "tiv": value,
                "under_half": value == 0,
            }
            for year, value in values.items()
        )
    if info.variant == "V3":
        # The supplier of a one-supplier V3 table is named only in its total row.
        for tot in block.totals:
            m = re.match(r"^Total (?:exports|imports) from (.+)$", tot["label"], re.I)
            if m:
                for r in block.records:
                    r["counterpart"] = m.group(1).strip()


def _entity(variant: str, header, cells, entity_col: int, region):
    """Return (entity, is a total row, current region) for a row."""
    entity = cells[entity_col].strip()
    is_total = False
    if variant == "V4" and cells[0].strip():
        if cells[1].strip().lower() == "regional total":
            region, entity, is_total = cells[0].strip(), cells[0].strip(), True
        elif header[0].strip() == "":
            region = cells[0].strip()
    if variant == "V5" and entity.lower() in ("others", "total"):
        is_total = True
    if _TOTAL_V3.match(entity) or entity.lower() in ("world total", "total"):
        is_total = True
    return entity, is_total, region


def _values(
    cells: list[str], years: dict[int, int], info: FormatInfo
) -> tuple[dict[int, float], str | None]:
    """Return the row's TIV by year (empty cells left out), or the reason it is unreadable.

    A spreadsheet's ``;`` or tab copy may write "0,5" (0.5) or "1.000" (a thousand, or one?
    refused): :attr:`FormatInfo.decimal_comma`, :attr:`FormatInfo.dot_thousands`.
    """
    values = {}
    for j, year in years.items():
        cell = cells[j].strip()
        if cell == "":
            continue
        try:
            text = number_text(
                cell, decimal_comma=info.decimal_comma, dot_thousands=info.dot_thousands
            )
        except ValueError:
            return {}, f"column {year}: expected a TIV number or nothing"
        values[year] = float(text)
    return values, None


def _frame(src: Source, blocks: list[_Block], rejects: Rejects) -> pd.DataFrame:
    """Return the canonical frame of all blocks, with totals and years in ``attrs``."""
    records = [r for b in blocks for r in b.records]
    year_has_value: dict[int, bool] = {}
    for b in blocks:
        for y in b.years.values():
            year_has_value.setdefault(y, False)
        for values in [t["values"] for t in b.totals]:
            for y in values:
                year_has_value[y] = True
    for r in records:
        year_has_value[r["year"]] = True
    totals = [
        {"table": b.table, "label": t["label"], "line": t["line"], "year": y, "tiv": v}
        for b in blocks
        for t in b.totals
        for y, v in t["values"].items()
    ]
    frame = pd.DataFrame.from_records(records, columns=list(schema.TIV))
    if len(frame) and frame["entity"].str.lower().isin(_CATEGORIES).all():
        frame["table"] = "by category"  # V6 summarised by armament category
    frame = schema.conform(frame, "tiv")
    entity_rows = sum(b.entity_rows for b in blocks)
    frame.attrs["source"] = provenance(src, entity_rows + len(rejects.items))
    frame.attrs["totals"] = totals
    frame.attrs["years"] = sorted(y for y, seen in year_has_value.items() if seen)
    frame.attrs["unpublished_years"] = sorted(y for y, seen in year_has_value.items() if not seen)
    frame.attrs["tables"] = len(blocks)
    frame.attrs["warnings"] = []
    rejects.finish(frame)
    return frame


def _unpadded(line: str, info: FormatInfo) -> str:
    """Return a line without a spreadsheet's ``;`` padding (in a ``;`` file: empty cells)."""
    return strip_padding(line) if info.delimiter != ";" else line.rstrip()


def _cells(text: str, info: FormatInfo) -> list[str]:
    return split_header(text, info.delimiter, quoted=info.quoted)
