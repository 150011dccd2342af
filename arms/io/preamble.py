"""The preamble above a SIPRI header: title, query sentence, scope, year range, generated date.

Every wording SIPRI has used is parsed here, once: downstream code reads the parsed values
(:class:`arms.io.formats.FormatInfo` ``metadata`` and ``attrs["source"]``), never the text.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime

__all__ = ["ALL_COUNTRIES", "parse_generated", "parse_preamble", "scope"]

#: How a preamble says "no restriction" on one side of the query.
ALL_COUNTRIES = ("", "all", "all countries", "all suppliers", "all recipients")

_RE_QUERY = re.compile(
    r"Transfers of major conventional arms from (?P<supplier>.*?)\s+to (?P<recipient>.*?)\s*\."
    r"\s*Deals with (?P<range>deliveries or orders|deliveries) made for (?:the )?year range "
    r"'(?P<y1>[^']*)' to '(?P<y2>[^']*)'",
    re.I,
)
_RE_LEGACY_QUERY = re.compile(
    r"buyer '(?P<recipient>[^']*)' and seller\s+'(?P<supplier>[^']*)' and the years from "
    r"(?P<y1>\d{4}) to (?P<y2>\d{4})(?:.*created: (?P<created>[\d-]+))?",
    re.I,
)
_RE_TITLE_YEARS = re.compile(r"(?P<y1>\d{4})\s*-\s*(?P<y2>\d{4})")
_RE_V6_TITLE = re.compile(
    r"TIV of arms exports (?P<dir>from|to) (?P<who>.*?),\s*\d{4}-\d{4}", re.I
)
_RE_GENERATED = re.compile(r"^(?:Data )?generated:\s*(?P<when>.+?)\s*$", re.I)


def parse_generated(text: str) -> str | None:
    """Return SIPRI's "generated" timestamp as an ISO string, or ``None``.

    Examples
    --------
    >>> parse_generated("13 Oct 2024 2:20:11 PM")
    '2024-10-13T14:20:11'
    >>> parse_generated("11 December 2023")
    '2023-12-11'
    >>> parse_generated("17-09-2022")
    '2022-09-17'
    """
    text = text.strip().strip(",").strip()
    for fmt, is_date in (
        ("%d %b %Y %I:%M:%S %p", False),
        ("%d %B %Y %I:%M:%S %p", False),
        ("%d %b %Y", True),
        ("%d %B %Y", True),
        ("%d-%m-%Y", True),
    ):
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return value.date().isoformat() if is_date else value.isoformat()
    return None


def parse_preamble(lines: list[str], variant: str) -> dict:
    """Return the metadata a SIPRI preamble states.

    Parameters
    ----------
    lines : list of str
        The lines above the header.
    variant : str
        The file's variant (the title sentence differs between them).

    Returns
    -------
    dict
        See :class:`FormatInfo` ``metadata``.

    Examples
    --------
    >>> m = parse_preamble(
    ...     ["Transfers of major conventional arms from All countries  to Ukraine  . Deals with "
    ...      "deliveries made for the year range '2000' to '2024' ",
    ...      "Data generated: 17 Feb 2025 7:10:21 PM"], "V2")
    >>> m["recipient"], m["range"], m["year_from"], m["generated"]
    ('Ukraine', 'deliveries', 2000, '2025-02-17T19:10:21')
    """
    meta: dict = {}
    cells = [_first_cell(line) for line in lines]
    nonempty = [c for c in cells if c]
    if nonempty:
        meta["title"] = nonempty[0]
    for cell in cells:
        m = _RE_GENERATED.match(cell)
        if m:
            meta["generated_text"] = m.group("when")
            generated = parse_generated(m.group("when"))
            if generated:
                meta["generated"] = generated
        m = _RE_QUERY.search(cell)
        if m:
            meta["query"] = cell
            meta["supplier"] = m.group("supplier").strip()
            meta["recipient"] = m.group("recipient").strip()
            meta["range"] = m.group("range").lower()
            meta["year_from"] = _year_or_none(m.group("y1"))
            meta["year_to"] = _year_or_none(m.group("y2"))
        m = _RE_LEGACY_QUERY.search(cell)
        if m:
            meta["query"] = cell
            meta["supplier"] = m.group("supplier").strip()
            meta["recipient"] = m.group("recipient").strip()
            meta["range"] = "deliveries"
            meta["year_from"] = int(m.group("y1"))
            meta["year_to"] = int(m.group("y2"))
            if m.group("created"):
                meta["generated_text"] = m.group("created")
                meta["generated"] = parse_generated(m.group("created"))
    title = meta.get("title", "")
    if variant in ("V3", "V4", "V5", "V6") and title:
        m = _RE_TITLE_YEARS.search(title)
        if m:
            meta["year_from"], meta["year_to"] = int(m.group("y1")), int(m.group("y2"))
        m = _RE_V6_TITLE.search(title)
        if m:
            # The legacy import table is titled "exports to <who>": the direction is in the
            # preposition, not in the noun.
            meta["direction"] = "exports" if m.group("dir").lower() == "from" else "imports"
            meta["supplier" if meta["direction"] == "exports" else "recipient"] = m.group("who")
    return meta


def _first_cell(line: str) -> str:
    line = line.strip()
    if line.startswith('"'):
        try:
            return next(csv.reader([line]))[0].strip()
        except (StopIteration, csv.Error):
            return line.strip('"')
    # V6 pads preamble lines with commas; V5's title ends with ';'.
    return re.sub(r"[,;]+$", "", line).strip()


def _year_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def scope(side: str | None) -> str | None:
    """Return the parties a query side is limited to, or ``None`` for every country.

    Parameters
    ----------
    side : str or None
        The preamble's supplier or recipient wording (``"China"``, ``"All countries"``).

    Returns
    -------
    str or None
        The side, whitespace collapsed; ``None`` when missing or "All countries".

    Examples
    --------
    >>> scope("China "), scope("All  countries"), scope(None)
    ('China', None, None)
    """
    text = " ".join(str(side).split()) if side is not None else ""
    return None if text.casefold() in ALL_COUNTRIES else text
