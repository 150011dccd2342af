"""Read a file's bytes into a :class:`Source`: decoded text (or JSON records) and its format.

Text (CSV/TXT, UTF-8 or cp1252, with or without BOM and CRLF), the backend's JSON and XLSX
workbooks (rendered as CSV lines so every reader runs unchanged) all end up here.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gzip
import hashlib
import io
import json
import os
import re
import threading
import zipfile
import zlib
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from arms.errors import SipriFormatError
from arms.io.bytescan import any_between, byte_array, count_equal, positions
from arms.io.formats import (
    FIELDS,
    KIND_OF_VARIANT,
    MAX_PREAMBLE,
    FormatInfo,
    delimiter_of,
    field_names,
    is_quoted,
    match_header,
    split_header,
    strip_padding,
    unknown_header,
)
from arms.io.preamble import parse_preamble

__all__ = ["Source", "in_background", "load_source", "reading"]


@dataclass
class Source:
    """A decoded file, ready for the readers: its text (or JSON records) and what was seen."""

    info: FormatInfo
    text: str | None = None  # text files: decoded, line breaks normalised to "\n"
    data_offset: int = 0  # index in ``text`` of the first character after the header line
    records: list | None = None  # JSON: the array of objects
    _lines: list[str] | None = field(default=None, repr=False)  # split on first use
    #: the parts of a file that joins several downloads (header line, first data line)
    parts: list = field(default_factory=list)
    #: a workbook's sheets read, each with its first line among the rendered lines
    sheets: list = field(default_factory=list)
    #: the text's bytes where each character is one byte (ASCII, or cp1252 without UTF-8):
    #: offsets into ``text`` are offsets into ``raw``; ``None`` otherwise
    raw: bytes | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """Physical lines without line-break characters (split on first use)."""
        if self._lines is None:
            lines = self.text.split("\n") if self.text is not None else []
            if lines and lines[-1] == "":
                lines.pop()
            self._lines = lines
        return self._lines


@contextlib.contextmanager
def reading(path):
    """Turn any failure while reading ``path`` into a :class:`SipriFormatError` naming it.

    A damaged file must never reach the user as an "internal error" without its name:
    decoding, recursion, overflow, type and value errors become one short message.
    """
    try:
        yield
    except SipriFormatError:
        raise
    except (
        UnicodeError,
        RecursionError,
        OverflowError,
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        csv.Error,
        MemoryError,
    ) as exc:
        detail = " ".join(str(exc).split())[:120]
        raise SipriFormatError(
            f"cannot be read as a SIPRI export ({type(exc).__name__}: {detail})",
            path=str(path),
            line=_line_of(exc),
        ) from None


def _line_of(exc) -> int | None:
    line = getattr(exc, "lineno", None)
    return line if isinstance(line, int) else None


def load_source(path: str | os.PathLike) -> Source:
    """Read, decode and recognise ``path``; return its lines (or JSON records) and info."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    with reading(path):
        return _load_source(Path(path))


def _load_source(p: Path) -> Source:
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise SipriFormatError("is a directory, not a SIPRI export file", path=str(p)) from None
    sha = _sha256(data)  # (of the file as it is: compressed, if it is)
    gzipped = data[:2] == b"\x1f\x8b"
    if gzipped:
        data = _gunzip(data, str(p))
    _reject_non_text(data, str(p))
    if data[:4] == b"PK\x03\x04":
        source = _load_xlsx(p, data, sha)
    else:
        source = _load_decoded(p, data, sha)
    if gzipped:
        source.info = dataclasses.replace(source.info, quirks=(*source.info.quirks, "gzip"))
    return source


def _load_decoded(p: Path, data: bytes, sha) -> Source:
    crlf = None
    if data[:2] not in (b"\xff\xfe", b"\xfe\xff"):  # (UTF-16 breaks are two bytes each)
        data, crlf = _normalise_breaks(data)
    text, encoding = _decode(data)
    if text.lstrip()[:1] in ("[", "{"):
        return _load_json(p, text, encoding, sha)
    source = _load_text(p, text, encoding, sha, crlf=crlf)
    body = data[3:] if encoding == "utf-8-sig" else data
    if encoding in ("cp1252", "utf-8") and len(body) == len(text):
        source.raw = body  # one byte a character: the fast path parses these bytes directly
    return source


#: A gzip-compressed export is read up to this size once decompressed (a full register is
#: 5 MB): a file that grows past it is refused, never decompressed whole.
MAX_GUNZIPPED_BYTES = 256 * 2**20


def _gunzip(data: bytes, path: str) -> bytes:
    """Return a gzip file's content (``.csv.gz``), bounded by :data:`MAX_GUNZIPPED_BYTES`."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(MAX_GUNZIPPED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        detail = " ".join(str(exc).split())[:80]
        raise SipriFormatError(
            f"is a damaged gzip file ({detail}): download or compress it again",
            path=path,
        ) from None
    if len(out) > MAX_GUNZIPPED_BYTES:
        raise SipriFormatError(
            f"is a gzip file that decompresses past {MAX_GUNZIPPED_BYTES // 2**20} MB, more "
            "than any SIPRI export; refused",
            path=path,
        )
    return out


def _normalise_breaks(data: bytes) -> tuple[bytes, bool]:
    r"""Return ``data`` with CRLF and CR line breaks as LF, and whether it was a CRLF file.

    The CRs are found with numpy and the pieces between them joined in one copy
    (``bytes.replace(b"\r\n", b"\n")`` costs several times more on a 3.5 MB register).
    """
    if b"\r" not in data:
        return data, False
    arr = byte_array(data)
    cr = positions(arr, equal=(13,))
    paired = (cr + 1 < len(arr)) & (arr[np.minimum(cr + 1, len(arr) - 1)] == 10)
    cut = cr[paired].tolist()
    crlf = _is_crlf_file(len(cut), count_equal(arr, 10))
    if len(cut) > 1000 and paired.all():  # CRLF throughout: drop every CR in one C loop
        return data.translate(None, b"\r"), crlf
    if cut:
        view = memoryview(data)
        data = b"".join(
            [view[a:b] for a, b in zip([0] + [c + 1 for c in cut], cut + [len(data)], strict=True)]
        )
    if not paired.all():
        data = data.replace(b"\r", b"\n")  # a lone CR ends a line too
    return data, crlf


# --------------------------------------------------------------------------------------
# decoding and sniffing


_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<!-- saved from",
                b"<meta", b"<title")  # fmt: skip


#: Files at least this large have their digest computed on a second thread.
_DIGEST_IN_BACKGROUND = 1_000_000


def _sha256(data: bytes):
    """Return the SHA-256 of ``data`` as hex, or for a large file a Future of it.

    hashlib releases the GIL on large buffers, so the digest of a register costs no time
    while its text is decoded and parsed on the other core.
    """
    if len(data) < _DIGEST_IN_BACKGROUND:
        return hashlib.sha256(data).hexdigest()
    return in_background(lambda: hashlib.sha256(data).hexdigest())


def in_background(fn, /, *args, **kwargs) -> Future:
    """Run ``fn(*args, **kwargs)`` on a new (daemon) thread; return the Future of its result.

    Examples
    --------
    >>> in_background(sum, [1, 2]).result()
    3
    """
    future: Future = Future()

    def work() -> None:
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)

    try:
        threading.Thread(target=work, name="arms-background", daemon=True).start()
    except RuntimeError:  # no thread to be had (an interpreter shutting down): run it here
        work()
    return future


def _reject_non_text(data: bytes, path: str) -> None:
    if not data or data.isspace():  # (isspace stops at the first other byte: no copy)
        raise SipriFormatError("file is empty; expected a SIPRI export", path=path, line=1)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return  # UTF-16 text (Excel's "Unicode Text"): decoded, then recognised
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_STARTS) or (head[:1] == b"<" and b"<html" in head):
        raise SipriFormatError(
            "is an HTML page, not a SIPRI export (SIPRI's old export endpoint now returns its "
            "website; download the file again from https://armstransfers.sipri.org or use "
            "`arms fetch`)",
            path=path,
            line=1,
        )
    if data[:5] == b"%PDF-":
        raise SipriFormatError("is a PDF document, not a SIPRI export", path=path, line=1)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SipriFormatError(
            "is an old binary Excel workbook (.xls, BIFF), which arms cannot read; open it in "
            "Excel or LibreOffice and save it as .xlsx or CSV",
            path=path,
            line=1,
        )
    if data[:4] == b"PK\x03\x04":
        if b"xl/" not in data[:65536] and b"[Content_Types].xml" not in data[:65536]:
            raise SipriFormatError(
                "is a zip archive, not a SIPRI export or an .xlsx workbook; unzip it first",
                path=path,
                line=1,
            )
        return
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        what = "binary data (NUL bytes)" if nul < 65536 and line < 3 else "damaged text"
        raise SipriFormatError(
            f"is {what}, not a SIPRI export: a NUL byte at line {line}", path=path, line=line
        )


def _decode(data: bytes) -> tuple[str, str]:
    # SIPRI's 2024-25 exports are cp1252 and not valid UTF-8; the 2026 ones are UTF-8, and
    # spreadsheet copies may add a BOM. Try UTF-8 first: cp1252 would accept anything.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    # a large file goes in blocks of whole lines (a line break never falls inside a UTF-8
    # character): each stays in the processor's cache through its passes
    texts, kinds = [], set()
    for block in _line_blocks(data, _DECODE_BLOCK):
        text, kind = _decode_block(block)
        texts.append(text)
        kinds.add(kind)
    kinds.discard("ascii")
    kind = kinds.pop() if len(kinds) == 1 else "utf-8+cp1252" if kinds else "utf-8"
    if kind == "utf-8" and bom:
        kind = "utf-8-sig"
    return texts[0] if len(texts) == 1 else "".join(texts), kind


#: Bytes decoded at a time.
_DECODE_BLOCK = 4_000_000


def _line_blocks(data: bytes, size: int):
    """Yield ``data`` in pieces of about ``size`` bytes, each ending after a line break."""
    start = 0
    while len(data) - start > size:
        cut = data.find(b"\n", start + size)
        if cut < 0:
            break
        yield data[start : cut + 1]
        start = cut + 1
    yield data[start:] if start else data


def _decode_block(data: bytes) -> tuple[str, str]:
    """Decode one block; return its text and ``ascii``, ``utf-8``, ``cp1252`` or a mix."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "ascii" if len(text) == len(data) else "utf-8"
    # a valid UTF-8 character among bytes that are not UTF-8: a file with lines of both
    text = data.decode("utf-8", errors="surrogateescape") if _may_hold_utf8(data) else None
    if text is None or len(text) == len(data):
        # one character per byte: no valid multi-byte UTF-8 sequence anywhere, every
        # non-ASCII byte failed as UTF-8 (plain cp1252).
        # Without bytes 0x80-0x9f (where cp1252 puts its extra letters) cp1252 is latin-1,
        # whose decoding is a copy; five bytes cp1252 leaves undefined become U+FFFD.
        if not _has_cp1252_extras(data):
            return data.decode("latin-1"), "cp1252"
        return data.decode("cp1252", errors="replace"), "cp1252"
    # UTF-8 with some cp1252 lines (a file edited in two editors): each line by itself
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _SURROGATE.search(line):
            raw = line.encode("utf-8", errors="surrogateescape")
            lines[i] = raw.decode("cp1252", errors="replace")
    return "\n".join(lines), "utf-8+cp1252"


_SURROGATE = re.compile("[\udc80-\udcff]")


def _may_hold_utf8(data: bytes) -> bool:
    """Whether a lead byte of a multi-byte UTF-8 character is followed by a continuation byte.

    Without one, no byte sequence of ``data`` is UTF-8 beyond ASCII (one numpy pass, where
    decoding with ``surrogateescape`` to find out costs ten times as much).
    """
    arr = byte_array(data)
    leads = positions(arr[:-1], low=0xC2, high=0xF4)
    return bool(((arr[leads + 1] - 0x80) < 0x40).any())  # then 0x80-0xBF (uint8 wraps)


def _has_cp1252_extras(data: bytes) -> bool:
    """Whether ``data`` holds a byte from 0x80 to 0x9f."""
    return any_between(byte_array(data), 0x80, 0x9F)


def _is_crlf_file(crlf_pairs: int, line_feeds: int) -> bool:
    """Whether most line breaks are CRLF (a 2025 split record's lone CRLF does not count)."""
    return crlf_pairs > line_feeds // 2


def _load_text(p: Path, text: str, encoding: str, sha: str, *, crlf=None) -> Source:
    quirks: list[str] = []
    if encoding == "utf-8-sig":
        quirks.append("bom")
    if encoding in ("utf-16", "utf-8+cp1252"):
        quirks.append(encoding)
    if crlf is None and "\r" in text:  # UTF-16: breaks normalised once decoded
        crlf = _is_crlf_file(text.count("\r\n"), text.count("\n"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if crlf:
        quirks.append("crlf")
    # only the top of the file is needed to recognise it; the readers take the rest
    lines = text.split("\n", MAX_PREAMBLE)[:MAX_PREAMBLE]
    variant, index = None, None
    for i, line in enumerate(lines):
        variant = match_header(line)
        if variant:
            index = i
            break
    if variant is None:
        if encoding == "utf-16" and any("\t" in x for x in lines):
            raise SipriFormatError(
                'is UTF-16 tab-separated text (Excel\'s "Unicode Text"), not a SIPRI CSV; '
                'save it from Excel as "CSV UTF-8" instead',
                path=str(p),
                line=1,
            )
        raise unknown_header(p, lines)
    header = strip_padding(lines[index])
    # V7 is ';'-separated; a copy saved again by a spreadsheet may use ';' or tabs
    delimiter = delimiter_of(header)
    quoted = variant in ("V6", "V8") or is_quoted(header, delimiter)
    columns = tuple(c.strip() for c in split_header(header, delimiter, quoted=quoted))
    while columns and columns[-1] == "" and variant in ("V3", "V6"):
        columns = columns[:-1]
    preamble = lines[:index]
    if index == 0 and variant != "V8":  # V8 never had a preamble
        quirks.append("no preamble")
    if delimiter != ";" and lines[index].rstrip().endswith(";"):
        # spreadsheet re-saves pad the header as well as the data; a data line alone ending
        # in ';' may be a comment, so only the header decides
        quirks.append("line padding")
    fields, renamed = (), ()
    if variant in FIELDS:
        fields, renamed = field_names(variant, columns, path=str(p), line=index + 1)
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
        digest=sha,
        fields=fields,
        renamed=renamed,
    )
    offset = min(sum(len(line) + 1 for line in lines[: index + 1]), len(text))
    if variant not in ("V6", "V8") and (
        quoted or (text.find('"', offset) >= 0 and is_quoted(text[offset:], delimiter))
    ):  # SIPRI never quotes these: a spreadsheet did, so the fields are read as CSV
        info = dataclasses.replace(info, quirks=(*info.quirks, "quoted"))
    return Source(info=info, text=text, data_offset=offset)


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
            f"JSON objects have keys {sorted(map(str, data[0]))[:10]}; expected at least "
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
        digest=sha,
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


#: Bounds on a workbook (a SIPRI register is under 5 MB uncompressed): past them it is refused.
MAX_XLSX_BYTES = 200 * 2**20
MAX_SHARED_STRINGS_BYTES = 50 * 2**20


def _workbook_parts(p: Path, data: bytes) -> dict[str, dict]:
    """Check a workbook's size bounds; return each sheet's merged ranges and bare formulas.

    openpyxl's read-only mode sees neither merged cells nor formulas without a cached value;
    the sheet XML shows both.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SipriFormatError(f"cannot open the workbook: {exc}", path=str(p), line=1) from None
    total = sum(i.file_size for i in infos)
    shared = sum(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml"))
    if total > MAX_XLSX_BYTES or shared > MAX_SHARED_STRINGS_BYTES:
        raise SipriFormatError(
            f"the workbook unpacks to {total / 2**20:,.0f} MB ({shared / 2**20:,.0f} MB of "
            f"shared strings), past the {MAX_XLSX_BYTES // 2**20} MB this reader accepts; "
            "export the sheet as CSV",
            path=str(p),
            line=1,
        )
    names = {i.filename for i in infos}
    try:
        book = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {
        k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
    }
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', book):
        target = targets.get(rid, "").lstrip("/")
        target = target if target.startswith("xl/") else "xl/" + target
        if target not in names:
            continue
        xml = z.read(target).decode("utf-8", "replace")
        merged = re.findall(r'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', xml)
        bare = re.findall(r'<c r="([A-Z]+\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*</c>', xml)
        bare += re.findall(r'<c r="([A-Z]+\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*<v\s*/>', xml)
        parts[name] = {"merged": merged, "bare_formulas": bare}
    return parts


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _fill_merged(rows: list[list[str]], merged) -> None:
    """Give every cell of a merged range its anchor's value (Excel shows it in all)."""
    for c1, r1, c2, r2 in merged:
        top, left = int(r1) - 1, _column_index(c1)
        bottom, right = int(r2) - 1, _column_index(c2)
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    row[c] = value


def _load_xlsx(p: Path, data: bytes, sha: str) -> Source:
    from openpyxl import load_workbook  # lazy: only XLSX users pay for it

    parts = _workbook_parts(p, data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise SipriFormatError(
            f"cannot open the workbook: {str(exc)[:120]}", path=str(p), line=1
        ) from None
    try:
        # every sheet that holds a SIPRI header is read (a notes sheet is skipped): the sheets
        # follow one another as the parts of a file joining several downloads do
        data_sheets, first = [], None
        for ws in wb.worksheets:
            # the top of each sheet tells whether it holds SIPRI data; only those are read
            # whole (a sheet of notes or a hostile one with a million rows costs a glance)
            top = [
                [_cell_text(v) for v in row]
                for row in ws.iter_rows(max_row=MAX_PREAMBLE, values_only=True)
            ]
            first = (ws.title, top) if first is None else first
            head = [",".join(r) for r in top]
            at = next((i for i, line in enumerate(head) if match_header(line)), None)
            if at is not None:
                sheet = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
                data_sheets.append((ws.title, sheet, at))
    finally:
        wb.close()
    if not data_sheets:  # no sheet has a header: the first one's message says what it holds
        title, sheet = first or ("", [])
        data_sheets = [(title, sheet, 0)]
    lines, sheets = [], []
    for k, (title, rows, at) in enumerate(data_sheets):
        _check_formulas(p, title, parts.get(title, {}), offset=len(lines) - (at if k else 0))
        _fill_merged(rows, parts.get(title, {}).get("merged", []))
        # a later sheet starts at its header (its preamble repeats the first one's)
        rows = rows if k == 0 else rows[at:]
        sheets.append({"sheet": title, "first_line": len(lines) + 1})
        lines += _csv_lines(rows)
    while lines and lines[-1] == "":
        lines.pop()
    source = _load_text(p, "\n".join(lines), "utf-8", sha)
    source.sheets = sheets
    info = source.info
    source.info = dataclasses.replace(
        info,
        container="xlsx",
        encoding=None,
        delimiter=",",
        quirks=tuple(q for q in info.quirks if q not in ("line padding",)),
    )
    return source


def _check_formulas(p: Path, title: str, sheet_parts: dict, *, offset: int) -> None:
    """Refuse a sheet with formula cells that have no computed value, naming the cells."""
    cells = sheet_parts.get("bare_formulas")
    if not cells:
        return
    raise SipriFormatError(
        f"sheet {title!r}: formula cell(s) without a computed value ({', '.join(cells[:5])}"
        f"{', ...' if len(cells) > 5 else ''}); open the workbook in Excel or LibreOffice, "
        "let it recalculate, and save it again",
        path=str(p),
        line=offset + int(re.sub(r"[A-Z]", "", cells[0])),
    )


def _csv_lines(rows: list[list[str]]) -> list[str]:
    """Render rows as CSV lines (quoted only where needed): every reader then runs unchanged.

    The readers parse workbook lines with the quoting parser.
    """
    lines = []
    for row in rows:
        while row and row[-1] == "":
            row = row[:-1]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        lines.append(buf.getvalue())
    return lines
