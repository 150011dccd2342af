"""Recognise a SIPRI export by its content: variant, encoding, header line, preamble metadata.

SIPRI has shipped at least nine export layouts since 2014 (``../shared/FORMATS.md`` calls them
V1-V9), and users re-save them in spreadsheets (V10). Nothing here trusts a file name or a
fixed ``skiprows``: the header is found by what it says, and the preamble above it is parsed
into metadata. The readers in :mod:`arms.io.readers` build on :func:`load_source`.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from arms.errors import SipriFormatError

__all__ = ["FormatInfo", "detect_format", "VARIANTS", "KIND_OF_VARIANT"]

#: What each variant is, as ``../shared/FORMATS.md`` names them.
VARIANTS = {
    "V1": "new-portal trade register (one row per deal)",
    "V2": "new-portal deliveries register (one row per deal and delivery year)",
    "V3": "new-portal TIV values table",
    "V4": "new-portal regional table",
    "V5": "new-portal top list",
    "V6": "legacy TIV table (armstrade.sipri.org)",
    "V7": "legacy DealsAndTIVs text (armstrade.sipri.org)",
    "V8": "legacy 2014-era trade register",
    "V9": "portal backend JSON",
}

#: Which canonical frame a variant holds natively.
KIND_OF_VARIANT = {
    "V1": "deals",
    "V8": "deals",
    "V2": "deliveries",
    "V7": "deliveries",
    "V9": "deliveries",
    "V3": "tiv",
    "V4": "tiv",
    "V5": "tiv",
    "V6": "tiv",
}

# Header signatures, matched against the header line with padding removed. Order matters:
# the specific register headers come before the generic TIV-table shapes.
_YEAR = r"(?:1[89]|2[01])\d\d"
_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    ("V1", re.compile(r"^Recipient[,;]Supplier[,;]Year of order[,;]", re.I)),
    ("V2", re.compile(r"^SIPRI AT Database ID[,;]Supplier[,;]Recipient[,;]", re.I)),
    ("V7", re.compile(r"^Deal ID[;,]Seller[;,]Buyer[;,]", re.I)),
    ("V8", re.compile(r"^Id,Supplier,Recipient,No\. ordered", re.I)),
    ("V5", re.compile(r"^,Rank [^,]*,,Supplier,", re.I)),
    # regional tables: suppliers broken down by region, or the import side by region
    ("V4", re.compile(rf"^(?:,,|Imports by Regions?,){_YEAR}(?:,|$)", re.I)),
    ("V6", re.compile(rf"^,{_YEAR}(?:,|$)")),
    (
        "V3",
        re.compile(rf"^(?:Recipient|Exports by|Supplier),{_YEAR}(?:,|$)", re.I),
    ),
]

# Known headers, for "nearest variant" messages when a header is not recognised.
_KNOWN_HEADERS = {
    "V1": "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon "
    "description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons",
    "V2": "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
    "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
    "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
    "TIV delivery values,Local production",
    "V3": "Recipient,1990,1991,...,1990-1991,Percentage,Sum total years,Percentage of total",
    "V4": ",,1990,1991,...,1990-1991,% of regional total",
    "V5": ",Rank 1950-2023,,Supplier,1950,...,1950-2023, Share of global arms imports,",
    "V6": ",1950,1951,...,Total",
    "V7": "Deal ID;Seller;Buyer;Designation;Description;Armament category;Order date;"
    "Order date is estimate;Numbers delivered;Numbers delivered is estimate;Delivery year;"
    "Delivery year is estimate;Status;SIPRI estimate;TIV deal unit;TIV delivery values;"
    "Local production",
    "V8": "Id,Supplier,Recipient,No. ordered,No. ordered data uncertain,Designation,"
    "Description,Status,Status data uncertain,Year of order,Year of order data uncertain,"
    "Year(s) of deliveries,No. delivered,Year(s) of delivery or no. delivered data uncertain,"
    "Recipient Involvement,Comment",
}

_MAX_PREAMBLE = 60  # no real preamble is longer than 12 lines; V3 concatenations repeat it


@dataclass(frozen=True)
class FormatInfo:
    """What :func:`detect_format` found out about a file.

    Attributes
    ----------
    path : str
        The file.
    variant : str
        ``"V1"`` ... ``"V9"`` (see ``VARIANTS``). A spreadsheet-mangled copy (FORMATS.md's V10)
        reports the variant it derives from and lists what was done to it in ``quirks``.
    kind : str
        The canonical frame the file holds natively: ``deals``, ``deliveries`` or ``tiv``.
    container : str
        ``"text"``, ``"json"`` or ``"xlsx"``.
    encoding : str
        ``"utf-8"``, ``"utf-8-sig"`` (with BOM) or ``"cp1252"``; ``None`` for XLSX.
    delimiter : str
        ``","`` or ``";"`` (``""`` for JSON).
    header_line : int
        1-based physical line of the (first) header; 0 for JSON.
    columns : tuple of str
        The header cells, padding removed.
    metadata : dict
        Parsed preamble: ``title``, ``supplier``, ``recipient``, ``year_from``, ``year_to``,
        ``range`` (``"deliveries"`` or ``"deliveries or orders"``), ``generated`` (ISO
        string), ``generated_text`` (as written). Keys the file has no information for are
        absent.
    quirks : tuple of str
        Deviations from SIPRI's own bytes: ``"bom"``, ``"crlf"``, ``"no preamble"``,
        ``"line padding"``, ``"split records"`` and the like.
    sha256 : str
        Of the file's bytes.
    """

    path: str
    variant: str
    kind: str
    container: str
    encoding: str | None
    delimiter: str
    header_line: int
    columns: tuple[str, ...]
    metadata: dict = field(default_factory=dict)
    quirks: tuple[str, ...] = ()
    sha256: str = ""

    @property
    def derivative(self) -> bool:
        """Whether the file is a user-modified copy rather than SIPRI's own bytes (V10)."""
        return any(q in self.quirks for q in ("no preamble", "line padding", "bom", "crlf"))

    @property
    def description(self) -> str:
        """Return a one-line, human description of the variant."""
        text = VARIANTS[self.variant]
        return text + (" (re-saved copy)" if self.derivative else "")


@dataclass
class Source:
    """A decoded file, ready for the readers: its text (or JSON records) and what was seen."""

    info: FormatInfo
    text: str | None = None  # text files: decoded, line breaks normalised to "\n"
    data_offset: int = 0  # index in ``text`` of the first character after the header line
    records: list | None = None  # JSON: the array of objects
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """Physical lines without line-break characters (split on first use)."""
        if self._lines is None:
            lines = self.text.split("\n") if self.text is not None else []
            if lines and lines[-1] == "":
                lines.pop()
            self._lines = lines
        return self._lines


def detect_format(path: str | os.PathLike) -> FormatInfo:
    r"""Return what kind of SIPRI export ``path`` is, found from its content.

    Parameters
    ----------
    path : str or os.PathLike
        A SIPRI export: ``.csv``, ``.txt``, ``.json``, ``.xlsx`` or the legacy ``.csv.xls``
        (which is CSV text). The suffix is not trusted; the bytes decide.

    Returns
    -------
    FormatInfo
        Variant, encoding, delimiter, header line, columns and preamble metadata.

    Raises
    ------
    SipriFormatError
        For an empty file, an HTML page, a PDF, a zip that is not a workbook, binary data, or
        a header that matches no known variant (the message lists the columns seen against
        the nearest known header).
    TypeError
        If ``path`` is not a path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> p = d / "t.csv"
    >>> _ = p.write_text("Recipient,2020,2020-2020,Percentage\nArmenia,4,4,100%\n")
    >>> info = detect_format(p)
    >>> info.variant, info.kind, info.header_line
    ('V3', 'tiv', 1)
    """
    return load_source(path).info


def load_source(path: str | os.PathLike) -> Source:
    """Read, decode and recognise ``path``; return its lines (or JSON records) and info."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise SipriFormatError("is a directory, not a SIPRI export file", path=str(p)) from None
    sha = hashlib.sha256(data).hexdigest()
    _reject_non_text(data, str(p))
    if data[:4] == b"PK\x03\x04":
        return _load_xlsx(p, data, sha)
    text, encoding = _decode(data)
    if text.lstrip()[:1] in ("[", "{"):
        return _load_json(p, text, encoding, sha)
    return _load_text(p, text, encoding, sha)


# --------------------------------------------------------------------------------------
# decoding and sniffing


def _reject_non_text(data: bytes, path: str) -> None:
    if not data.strip():
        raise SipriFormatError("file is empty; expected a SIPRI export", path=path, line=1)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise SipriFormatError(
            "is an HTML page, not a SIPRI export (SIPRI's old export endpoint now returns its "
            "website; download the file again from https://armstransfers.sipri.org or use "
            "`arms fetch`)",
            path=path,
            line=1,
        )
    if data[:5] == b"%PDF-":
        raise SipriFormatError("is a PDF document, not a SIPRI export", path=path, line=1)
    if data[:4] == b"PK\x03\x04":
        if b"xl/" not in data[:65536] and b"[Content_Types].xml" not in data[:65536]:
            raise SipriFormatError(
                "is a zip archive, not a SIPRI export or an .xlsx workbook; unzip it first",
                path=path,
                line=1,
            )
        return
    if b"\x00" in data[:65536]:
        raise SipriFormatError("is binary data (NUL bytes), not a SIPRI export", path=path, line=1)


def _decode(data: bytes) -> tuple[str, str]:
    # SIPRI's 2024-25 exports are cp1252 and not valid UTF-8; the 2026 ones are UTF-8, and
    # spreadsheet copies may add a BOM. Try UTF-8 first: cp1252 would accept anything.
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps them, so decoding never fails.
        return data.decode("cp1252", errors="replace"), "cp1252"


def strip_padding(line: str) -> str:
    """Return ``line`` without trailing ``;`` padding that spreadsheet re-saves add.

    Examples
    --------
    >>> strip_padding("Armenia,Russia,2019;;;;")
    'Armenia,Russia,2019'
    """
    return line.rstrip(";").rstrip()


def _match_header(line: str) -> str | None:
    cleaned = strip_padding(line)
    for variant, pattern in _HEADERS:
        if pattern.search(cleaned):
            return variant
    return None


def _load_text(p: Path, text: str, encoding: str, sha: str) -> Source:
    quirks: list[str] = []
    if encoding == "utf-8-sig":
        quirks.append("bom")
    if "\r" in text:  # one-character search: cheap on files without any CR
        # A 2025 split record carries the only CRLF of the file: that is not a CRLF file.
        if text.count("\r\n") > text.count("\n") // 2:
            quirks.append("crlf")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # only the top of the file is needed to recognise it; the readers take the rest
    lines = text.split("\n", _MAX_PREAMBLE)[:_MAX_PREAMBLE]
    variant, index = None, None
    for i, line in enumerate(lines):
        variant = _match_header(line)
        if variant:
            index = i
            break
    if variant is None:
        raise _unknown_header(p, lines)
    header = strip_padding(lines[index])
    # V7 is ';'-separated; any register re-saved with ';' keeps its header that way
    delimiter = ";" if ";" in header and "," not in header else ","
    columns = tuple(c.strip() for c in _split(header, delimiter, quoted=variant in ("V6", "V8")))
    while columns and columns[-1] == "" and variant in ("V3", "V6"):
        columns = columns[:-1]
    preamble = lines[:index]
    if index == 0 and variant != "V8":  # V8 never had a preamble
        quirks.append("no preamble")
    if delimiter != ";" and lines[index].rstrip().endswith(";"):
        # spreadsheet re-saves pad the header as well as the data; a data line alone ending
        # in ';' may be a comment, so only the header decides
        quirks.append("line padding")
    metadata = parse_preamble(preamble, variant)
    years = [int(c) for c in columns if re.fullmatch(r"\d{4}", c)]
    if years and "year_from" not in metadata:
        metadata["year_from"], metadata["year_to"] = min(years), max(years)
    info = FormatInfo(
        path=str(p),
        variant=variant,
        kind=KIND_OF_VARIANT[variant],
        container="text",
        encoding=encoding,
        delimiter=delimiter,
        header_line=index + 1,
        columns=columns,
        metadata=metadata,
        quirks=tuple(quirks),
        sha256=sha,
    )
    offset = sum(len(line) + 1 for line in lines[: index + 1])
    return Source(info=info, text=text, data_offset=min(offset, len(text)))


def _split(line: str, delimiter: str, *, quoted: bool) -> list[str]:
    if not quoted or '"' not in line:
        return line.split(delimiter)
    return next(csv.reader([line], delimiter=delimiter))


def _columns_of(line: str) -> list[str]:
    return [c.strip().lower() for c in re.split(r"[,;]", line) if c.strip()]


def _similarity(seen: list[str], known: list[str]) -> float:
    """Share of column names two headers have in common, allowing near spellings."""
    if not seen or not known:
        return 0.0
    hits = sum(1 for c in seen if difflib.get_close_matches(c, known, n=1, cutoff=0.75))
    # share of the seen columns that the variant knows; ties go to the closer width
    return hits / len(seen) - abs(len(known) - len(seen)) / 1000


def _unknown_header(p: Path, lines: list[str]) -> SipriFormatError:
    candidates = [strip_padding(x) for x in lines[:_MAX_PREAMBLE] if re.search("[,;]", x)]
    seen = max(candidates, key=lambda x: len(_columns_of(x)), default=(lines[0] if lines else ""))
    cols = _columns_of(seen)
    best = max(_KNOWN_HEADERS, key=lambda v: _similarity(cols, _columns_of(_KNOWN_HEADERS[v])))
    shown = [c.strip() for c in re.split(r"[,;]", seen)][:20]
    return SipriFormatError(
        "no SIPRI header found in the first "
        f"{min(len(lines), _MAX_PREAMBLE)} lines; columns seen: {shown}; nearest known variant "
        f"is {best} ({VARIANTS[best]}), whose header is: {_KNOWN_HEADERS[best]}",
        path=str(p),
        line=1 + (lines.index(seen) if seen in lines else 0),
    )


# --------------------------------------------------------------------------------------
# JSON and XLSX containers

_JSON_KEYS = {"tradeId", "buyer", "seller", "deliveryYr"}


def _load_json(p: Path, text: str, encoding: str, sha: str) -> Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SipriFormatError(
            f"invalid JSON ({exc.msg}); expected a SIPRI backend array (V9)",
            path=str(p),
            line=exc.lineno,
        ) from None
    if isinstance(data, dict):
        # Some clients save the whole response envelope; accept the usual wrappers.
        for key in ("data", "results", "items", "trades"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    # the first element decides what the file is; the reader checks every element
    if not isinstance(data, list) or (data and not isinstance(data[0], dict)):
        raise SipriFormatError(
            "JSON is not an array of trade objects; expected the SIPRI backend layout (V9) "
            "with keys " + ", ".join(sorted(_JSON_KEYS)),
            path=str(p),
            line=1,
        )
    if data and not _JSON_KEYS <= set(data[0]):
        raise SipriFormatError(
            f"JSON objects have keys {sorted(data[0])}; expected at least "
            f"{sorted(_JSON_KEYS)} (SIPRI backend layout V9)",
            path=str(p),
            line=1,
        )
    info = FormatInfo(
        path=str(p),
        variant="V9",
        kind="deliveries",
        container="json",
        encoding=encoding,
        delimiter="",
        header_line=0,
        columns=tuple(sorted({k for rec in data[:50] for k in rec})),
        metadata={},
        quirks=(),
        sha256=sha,
    )
    return Source(info=info, records=data)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    # Excel keeps a cell's line break; in a CSV it split the record (FORMATS Q1).
    return str(value).replace("\r\n", " ").replace("\n", " ")


def _load_xlsx(p: Path, data: bytes, sha: str) -> Source:
    from openpyxl import load_workbook  # lazy: only XLSX users pay for it

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise SipriFormatError(f"cannot open the workbook: {exc}", path=str(p), line=1) from None
    try:
        ws = wb.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    # Render each row as a CSV line (quoted only where needed) so that header detection and
    # every reader run unchanged; the readers parse XLSX lines with the quoting parser.
    lines = []
    for row in rows:
        while row and row[-1] == "":
            row = row[:-1]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        lines.append(buf.getvalue())
    while lines and lines[-1] == "":
        lines.pop()
    source = _load_text(p, "\n".join(lines), "utf-8", sha)
    info = source.info
    source.info = FormatInfo(
        path=info.path,
        variant=info.variant,
        kind=info.kind,
        container="xlsx",
        encoding=None,
        delimiter=",",
        header_line=info.header_line,
        columns=info.columns,
        metadata=info.metadata,
        quirks=tuple(q for q in info.quirks if q not in ("line padding",)),
        sha256=sha,
    )
    return source


# --------------------------------------------------------------------------------------
# preamble metadata

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
