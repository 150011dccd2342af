"""What each SIPRI export layout looks like: variants, header signatures, :class:`FormatInfo`.

SIPRI has shipped at least nine export layouts since 2014 (``../shared/FORMATS.md`` calls them
V1-V9), and users re-save them in spreadsheets (V10). Nothing here trusts a file name or a
fixed ``skiprows``: the header is found by what it says (:func:`match_header`). Decoding and
the containers are in :mod:`arms.io.sources`; :func:`arms.io.detect.detect_format` is the
public entry point.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from arms.errors import SipriFormatError

__all__ = [
    "FIELDS",
    "FormatInfo",
    "KIND_OF_VARIANT",
    "DELIMITERS",
    "MAX_PREAMBLE",
    "VARIANTS",
    "comma_form",
    "delimiter_of",
    "field_names",
    "is_quoted",
    "match_header",
    "split_header",
    "strip_padding",
    "unknown_header",
]

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
    ("V1", re.compile(r"^Recipient[,;\t]Supplier[,;\t]Year of order[,;\t]", re.I)),
    ("V2", re.compile(r"^SIPRI AT Database ID[,;\t]Supplier[,;\t]Recipient[,;\t]", re.I)),
    ("V7", re.compile(r"^Deal ID[;,\t]Seller[;,\t]Buyer[;,\t]", re.I)),
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

#: Lines searched for a header: no real preamble is longer than 12 lines; V3 concatenations
#: repeat it.
MAX_PREAMBLE = 60


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
    fields : tuple of str
        For registers: the field each column holds, in the file's order (columns are read by
        name, :func:`field_names`); empty for tables and JSON.
    renamed : tuple of (str, str)
        Columns known under another name: (name in the file, SIPRI's usual name).
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
    #: the SHA-256 as text, or a Future of it (a large file's digest is computed on another
    #: core while the file is parsed: hashlib releases the GIL); read it as ``sha256``
    digest: object = field(default="", repr=False, compare=False)
    fields: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes, as hex."""
        digest = self.digest
        return digest.result() if hasattr(digest, "result") else digest

    @property
    def derivative(self) -> bool:
        """Whether the file is a user-modified copy rather than SIPRI's own bytes (V10)."""
        spreadsheet = ("no preamble", "line padding", "bom", "crlf", "quoted")
        return self.dot_thousands or any(q in self.quirks for q in spreadsheet)

    @property
    def quoted(self) -> bool:
        """Whether fields are read as CSV, with quotes.

        V6 and V8 quote their own fields, a workbook's rows are rendered so, and a spreadsheet
        may have quoted any other file (quirk ``quoted``).
        """
        return self.variant in ("V6", "V8") or self.container == "xlsx" or "quoted" in self.quirks

    @property
    def decimal_comma(self) -> bool:
        """Whether a number may be written ``"0,15"``: a ``;`` or tab file.

        A spreadsheet in a European locale writes the decimal comma; SIPRI never does.
        """
        return self.delimiter in (";", "\t")

    @property
    def dot_thousands(self) -> bool:
        """Whether ``"1.000"`` may be a thousand, and is refused as ambiguous.

        So in a ``;`` or tab copy of a comma export; V7, SIPRI's own ``;`` file, writes
        ``1.000`` for one.
        """
        return self.decimal_comma and self.variant != "V7"

    @property
    def description(self) -> str:
        """Return a one-line, human description of the variant."""
        text = VARIANTS[self.variant]
        return text + (" (re-saved copy)" if self.derivative else "")


# --------------------------------------------------------------------------------------
# register columns by name

# Column layouts in SIPRI's order (V1 has three identical blank flag headers: a blank column
# is the "?" marker of the column before it).
_V1_FIELDS = (
    "recipient", "supplier", "order_year", "order_year_flag", "number_ordered",
    "number_ordered_flag", "designation", "description", "number_delivered",
    "number_delivered_flag", "delivery_years", "status", "comments", "tiv_per_unit",
    "tiv_order", "tiv_delivered",
)  # fmt: skip
_V2_FIELDS = (
    "deal_id", "supplier", "recipient", "designation", "description", "category",
    "order_year", "order_year_flag", "units", "units_flag", "year", "year_flag", "status",
    "tiv_per_unit_new", "tiv_per_unit", "tiv", "local_production",
)  # fmt: skip
_V8_FIELDS = (
    "deal_id", "supplier", "recipient", "number_ordered", "number_ordered_flag",
    "designation", "description", "status", "status_flag", "order_year", "order_year_flag",
    "delivery_years", "number_delivered", "number_delivered_flag", "local_production",
    "comments",
)  # fmt: skip
#: Field names in SIPRI's column order, per register variant.
FIELDS = {"V1": _V1_FIELDS, "V2": _V2_FIELDS, "V7": _V2_FIELDS, "V8": _V8_FIELDS}

# Every header name each field has had (the first is SIPRI's usual one), lower case.
_V2_NAMES = {
    "deal_id": ("sipri at database id", "deal id"),
    "supplier": ("supplier", "seller"),
    "recipient": ("recipient", "buyer"),
    "designation": ("designation",),
    "description": ("description",),
    "category": ("armament category",),
    "order_year": ("order date",),
    "order_year_flag": ("order date is estimate",),
    "units": ("numbers delivered",),
    "units_flag": ("numbers delivered is estimate",),
    "year": ("delivery year",),
    "year_flag": ("delivery year is estimate",),
    "status": ("status",),
    "tiv_per_unit_new": ("sipri estimate",),
    "tiv_per_unit": ("tiv deal unit",),
    "tiv": ("tiv delivery values",),
    "local_production": ("local production",),
}
_NAMES = {
    "V1": {
        "recipient": ("recipient", "buyer"),
        "supplier": ("supplier", "seller"),
        "order_year": ("year of order", "order date"),
        "number_ordered": ("number ordered",),
        "designation": ("weapon designation",),
        "description": ("weapon description",),
        "number_delivered": ("number delivered", "deliveries in the year range"),
        "delivery_years": ("year(s) of delivery", "year(s) of deliveries"),
        "status": ("status",),
        "comments": ("comments",),
        "tiv_per_unit": ("sipri tiv per unit",),
        "tiv_order": ("sipri tiv for total order",),
        "tiv_delivered": ("sipri tiv of delivered weapons",),
    },
    "V2": _V2_NAMES,
    "V7": _V2_NAMES,
    "V8": {
        "deal_id": ("id",),
        "supplier": ("supplier",),
        "recipient": ("recipient",),
        "number_ordered": ("no. ordered",),
        "number_ordered_flag": ("no. ordered data uncertain",),
        "designation": ("designation",),
        "description": ("description",),
        "status": ("status",),
        "status_flag": ("status data uncertain",),
        "order_year": ("year of order",),
        "order_year_flag": ("year of order data uncertain",),
        "delivery_years": ("year(s) of deliveries",),
        "number_delivered": ("no. delivered",),
        "number_delivered_flag": ("year(s) of delivery or no. delivered data uncertain",),
        "local_production": ("recipient involvement",),
        "comments": ("comment", "comments"),
    },
}
_V1_BLANK = {"order_year": "order_year_flag", "number_ordered": "number_ordered_flag",
             "number_delivered": "number_delivered_flag"}  # fmt: skip
_LOOKUP = {
    v: {alias: name for name, aliases in names.items() for alias in aliases}
    for v, names in _NAMES.items()
}


def _norm(cell: str) -> str:
    return " ".join(cell.strip().strip('"').split()).lower()


def field_names(
    variant: str, columns, *, path: str = "", line: int | None = None
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Return (field of each column, renamed columns) for a register header.

    Columns are matched by name (any known alias, case and spacing ignored), so reordered
    columns read correctly. Missing, unknown and duplicated columns are refused together.

    Raises
    ------
    SipriFormatError
        Listing every missing, unknown or duplicated column.

    Examples
    --------
    >>> fields, renamed = field_names("V1", ["Supplier", "Recipient", "Year of order", " ",
    ...     "Number ordered", " ", "Weapon designation", "Weapon description",
    ...     "Deliveries in the Year Range", " ", "Year(s) of delivery", "status", "Comments",
    ...     "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"])
    >>> fields[:4]
    ('supplier', 'recipient', 'order_year', 'order_year_flag')
    >>> renamed
    (('Deliveries in the Year Range', 'Number delivered'),)
    """
    lookup = _LOOKUP[variant]
    cols = list(columns)
    while cols and not cols[-1].strip():
        cols.pop()  # padding after the last column
    fields: list[str] = []
    unknown, duplicated, renamed = [], [], []
    previous = None
    for cell in cols:
        key = _norm(cell)
        name = lookup.get(key)
        if not key and variant == "V1" and previous in _V1_BLANK:
            name = _V1_BLANK[previous]
        if name is None:
            unknown.append(cell.strip() or "(blank)")
            fields.append("")
        elif name in fields:
            duplicated.append(cell.strip() or "(blank)")
            fields.append("")
        else:
            fields.append(name)
            usual = _NAMES[variant].get(name, ("",))[0]
            if (
                key
                and key != usual
                and not (variant == "V7" and key in ("deal id", "seller", "buyer"))
            ):
                renamed.append((cell.strip(), usual.capitalize() if usual else cell.strip()))
        previous = name if key else None
    missing = [n for n in FIELDS[variant] if n not in fields]
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unknown:
            parts.append("unknown " + ", ".join(repr(c[:40]) for c in unknown[:8]))
        if duplicated:
            parts.append("duplicated " + ", ".join(repr(c[:40]) for c in duplicated))
        raise SipriFormatError(
            f"{variant} header columns do not match SIPRI's: " + "; ".join(parts),
            path=path or None,
            line=line,
        )
    return tuple(fields), tuple(renamed)


def _register_by_names(cleaned: str) -> str | None:
    """Return the register variant of a reordered header (most cells known names)."""
    cells = [_norm(c) for c in cleaned.split(delimiter_of(cleaned))]
    named = [c for c in cells if c]
    if len(named) < 8:
        return None
    best, hits = None, 0
    for variant in ("V1", "V8", "V2", "V7"):
        n = sum(1 for c in named if c in _LOOKUP[variant])
        if n > hits or (n == hits and variant == "V7" and ";" in cleaned):
            best, hits = variant, n
    return best if hits >= 0.75 * len(named) else None


#: The delimiters a register may have: SIPRI's ``,`` (``;`` in V7), and a spreadsheet's
#: ``;`` (a European locale) or tab ("Text (Tab delimited)") when a copy is saved again.
DELIMITERS = (",", ";", "\t")


def delimiter_of(header: str) -> str:
    r"""Return the delimiter of a header line: the most frequent of :data:`DELIMITERS`.

    A tie goes to ``,`` (a header with no delimiter at all is one column).

    Examples
    --------
    >>> delimiter_of("Deal ID;Seller;Buyer"), delimiter_of("Recipient\tSupplier")
    (';', '\t')
    """
    return max(DELIMITERS, key=lambda d: (header.count(d), d == ","))


def strip_padding(line: str) -> str:
    """Return ``line`` without trailing ``;`` padding that spreadsheet re-saves add.

    Examples
    --------
    >>> strip_padding("Armenia,Russia,2019;;;;")
    'Armenia,Russia,2019'
    """
    return line.rstrip(";").rstrip()


def match_header(line: str) -> str | None:
    """Return the variant whose header ``line`` is, or ``None``.

    Examples
    --------
    >>> match_header("Recipient,2020,2021,2020-2021")
    'V3'
    >>> match_header("Armenia,Russia,2019") is None
    True
    """
    cleaned = strip_padding(line)
    canonical = comma_form(cleaned)
    for variant, pattern in _HEADERS:
        if pattern.search(canonical):
            return variant
    if max(cleaned.count(d) for d in DELIMITERS) >= 7:
        return _register_by_names(cleaned)
    return None


def split_header(line: str, delimiter: str, *, quoted: bool) -> list[str]:
    """Return the cells of a header line (``quoted``: the variant quotes its fields).

    Examples
    --------
    >>> split_header('Id,"No. ordered",Designation', ",", quoted=True)
    ['Id', 'No. ordered', 'Designation']
    """
    if not (quoted or is_quoted(line, delimiter)):
        return line.split(delimiter)
    return next(csv.reader([line], delimiter=delimiter))


def comma_form(line: str) -> str:
    """Return a line of a spreadsheet's copy (``;`` or tabs, CSV quotes) as SIPRI writes it.

    Header signatures are written for SIPRI's comma lines; a line in that form comes back
    unchanged.

    Examples
    --------
    >>> comma_form('"Recipient";"1950";"1951"')
    'Recipient,1950,1951'
    """
    delimiter = delimiter_of(line)
    if delimiter == "," and not line.startswith('"'):
        return line
    return ",".join(c.strip() for c in split_header(line, delimiter, quoted=True))


def is_quoted(text: str, delimiter: str) -> bool:
    """Whether a field of ``text`` starts with a double quote (CSV quoting).

    SIPRI's own registers, deliveries and DealsAndTIVs files never hold a ``"``; a copy saved
    again by a spreadsheet quotes the fields that contain the delimiter (or all of them).

    Examples
    --------
    >>> is_quoted('Armenia,"2019; 2020"', ","), is_quoted('a 6" gun,b', ",")
    (True, False)
    """
    return text.startswith('"') or (delimiter + '"') in text or ('\n"' in text)


def _columns_of(line: str) -> list[str]:
    return [c.strip().lower() for c in re.split(r"[,;\t]", line) if c.strip()]


def _similarity(seen: list[str], known: list[str]) -> float:
    """Share of column names two headers have in common, allowing near spellings."""
    if not seen or not known:
        return 0.0
    hits = sum(1 for c in seen if difflib.get_close_matches(c, known, n=1, cutoff=0.75))
    # share of the seen columns that the variant knows; ties go to the closer width
    return hits / len(seen) - abs(len(known) - len(seen)) / 1000


def _scores(cols: list[str]) -> dict[str, float]:
    """Each variant's similarity to a line's columns."""
    return {v: _similarity(cols, _columns_of(h)) for v, h in _KNOWN_HEADERS.items()}


def unknown_header(p: Path, lines: list[str]) -> SipriFormatError:
    """Return the error for a file whose first lines hold no known header.

    The message lists the columns seen and the nearest known variant's header.
    """
    candidates = [strip_padding(x) for x in lines[:MAX_PREAMBLE] if re.search("[,;\t]", x)]
    # the line most like a SIPRI header (a renamed header, not the widest data line)
    scored = [(_scores(_columns_of(x)), x) for x in candidates]
    score, seen = max(
        scored,
        key=lambda pair: (max(pair[0].values()), len(_columns_of(pair[1]))),
        default=(_scores(_columns_of(lines[0] if lines else "")), lines[0] if lines else ""),
    )
    best = max(score, key=score.get)
    shown = [c.strip()[:24] for c in re.split(r"[,;\t]", seen[:2000])][:6]
    known = _KNOWN_HEADERS[best]
    known = known if len(known) <= 90 else known[:87] + "..."
    # a variant is named only when the columns seen are mostly its own: a file of something
    # else gets no misleading "nearest" guess
    nearest = (
        f"nearest known variant is {best} ({VARIANTS[best]}), whose header is: {known}"
        if score[best] >= CLOSE_HEADER
        else "it does not look like a SIPRI Arms Transfers export (a trade register, "
        "deliveries or TIV table)"
    )
    return SipriFormatError(
        f"no SIPRI header found in the first {min(len(lines), MAX_PREAMBLE)} lines; "
        f"columns seen: {shown}; {nearest}",
        path=str(p),
        line=1 + (lines.index(seen) if seen in lines else 0),
    )


#: Share of a header's columns a SIPRI variant must know for a message to name it.
CLOSE_HEADER = 0.5
