"""Write a filtered excerpt of a SIPRI export in the export's own format (``arms extract``).

The project may bundle SIPRI data only as an excerpt (SIPRI allows excerpts under 10% of the
database, with citation). An excerpt has to stay a SIPRI file that every reader of this
package (and any tool written for SIPRI's exports) reads as it reads the original, so the
work is done on **physical lines and bytes**, never by re-serialising a frame:

- the source's preamble is copied verbatim, and one line is added at its end saying that the
  file is an extract, how it was made, from which file and of which SIPRI release;
- the header line is copied verbatim;
- the selected records are copied verbatim, in the source's order, with the source's encoding
  and line ends. A V1 record that SIPRI split over two physical lines (FORMATS.md Q1) is
  copied whole, with the line break inside it;
- whatever follows the last record (a V3 table's final empty line) is copied too.

Which records are selected is decided on the canonical frame the package's own reader
returns, so reading the extract gives exactly the source's records that match the filter
(``source_line`` aside). Supported variants: V1 trade registers, V2 deliveries registers and
V3 TIV values tables (including files that concatenate several tables).

Filters
-------
``recipients``, ``suppliers``
    Party names, compared through the entity crosswalk (``Turkey`` matches ``Turkiye``;
    case and spacing do not matter). Several names in one filter are alternatives; different
    filters must all hold (``suppliers=["Israel"], recipients=["Azerbaijan"]`` keeps Israel's
    deals with Azerbaijan).
``entities``
    Party names that may be on either side of a deal; for a V3 table, the names of its rows.
``years``
    ``(first, last)``, inclusive, either end may be ``None``. A register deal is kept when its
    order year or any of its delivery years is in the window (SIPRI's own "deliveries or
    orders made for year range" rule); a deliveries row when its delivery year is. Cutting a
    V3 table's year columns would change its layout, so tables take no year filter.

A V3 table keeps its total rows (``Total world import`` ...) whatever the filter: they are
not records of an entity but the table's denominators, which analyses of the excerpt need.
A requested name that matches no record is an error, so that a misspelt name cannot produce
an empty excerpt silently.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import re
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from arms import __version__
from arms.entities import party_mask
from arms.errors import ArmsError, SipriFormatError
from arms.io.detect import load_source
from arms.io.readers import parse_delivery_years, read_any, read_tiv_table

__all__ = ["extract", "extract_summary", "fmt_fraction"]

#: The variants whose records can be cut out line by line.
SUPPORTED = ("V1", "V2", "V3")

_EOL = re.compile(rb"\r\n|\r|\n")
# A V3 row that is a table total, as arms.io.readers recognises it.
_TOTAL = re.compile(r"^(?:total\b|world total$)", re.I)
_V3_HEADER = re.compile(r"^(?:Recipient|Exports by|Supplier|Imports by[^,]*),\d{4}", re.I)


@dataclass(frozen=True)
class _Filter:
    recipients: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    years: tuple[int | None, int | None] | None = None


def extract(
    source: str | os.PathLike,
    dest: str | os.PathLike,
    *,
    recipients: list[str] | tuple[str, ...] | None = None,
    suppliers: list[str] | tuple[str, ...] | None = None,
    years: tuple[int | None, int | None] | None = None,
    entities: list[str] | tuple[str, ...] | None = None,
    note: str | None = None,
) -> Path:
    r"""Write the records of a SIPRI export that match a filter to a new file; return its path.

    The new file is in the source's own format (variant, encoding, line ends), with the
    source's preamble plus one line that describes the extract (see the module docstring).

    Parameters
    ----------
    source : str or os.PathLike
        A SIPRI export: V1 trade register, V2 deliveries register or V3 TIV values table.
    dest : str or os.PathLike
        The file to write (parent folders are created; an existing file is replaced).
    recipients, suppliers : sequence of str, optional
        Keep records with one of these recipients / suppliers (registers only).
    years : tuple of (int or None, int or None), optional
        Inclusive window: a deal is kept if its order year or a delivery year is in it, a
        deliveries row if its delivery year is (registers only).
    entities : sequence of str, optional
        Keep records with one of these parties on either side; for a V3 table, its rows
        for these entities (the total rows are always kept).
    note : str, optional
        A sentence appended to the extract line of the preamble (for example where the
        extract's provenance is documented). Commas are written as ``;``, as SIPRI does.

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    SipriFormatError
        If the source is not readable, or is a variant that cannot be extracted.
    ArmsError
        If a requested name matches no record, or ``dest`` is the source.
    TypeError, ValueError
        For a malformed filter (a bare string instead of a list, a reversed window, a year
        filter on a table, or no filter at all).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from arms.io.readers import read_trade_register
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "reg.csv").write_text(
    ...     "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    ...     "Data generated: 13 Oct 2024 2:20:11 PM\n"
    ...     "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
    ...     "Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,"
    ...     "SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    ...     "Armenia,Russia,2019,,4,,Jet X,FGA aircraft,4,,2019,New,,40,160,160\n"
    ...     "Chile,Spain,2018,,2,,Ship Y,OPV,2,,2020,New,,50,100,100\n")
    >>> out = extract(d / "reg.csv", d / "arm.csv", recipients=["Armenia"])
    >>> note = out.read_text().splitlines()[2]  # the line added to the preamble
    >>> note.split(" made by ")[0]
    'Extract of reg.csv (SIPRI data generated 13 Oct 2024 2:20:11 PM)'
    >>> note.split(" with: ")[1]
    'arms extract reg.csv --recipient Armenia; 1 of 2 records (50%). Not an original SIPRI export.'
    >>> read_trade_register(out)["designation"].tolist()
    ['Jet X']
    """
    extract_summary(
        source,
        dest,
        recipients=recipients,
        suppliers=suppliers,
        years=years,
        entities=entities,
        note=note,
    )
    return Path(dest)


def extract_summary(
    source: str | os.PathLike,
    dest: str | os.PathLike,
    *,
    recipients: list[str] | tuple[str, ...] | None = None,
    suppliers: list[str] | tuple[str, ...] | None = None,
    years: tuple[int | None, int | None] | None = None,
    entities: list[str] | tuple[str, ...] | None = None,
    note: str | None = None,
) -> dict:
    r"""Write an extract as :func:`extract` does; return what was done.

    Parameters
    ----------
    source, dest, recipients, suppliers, years, entities, note
        As in :func:`extract`.

    Returns
    -------
    dict
        ``source``, ``dest``, ``variant``, ``records_in`` (deals of a register, rows of a
        deliveries file, entity rows of a table, totals excluded), ``records_out``,
        ``share`` (``records_out / records_in``), ``bytes_in``, ``bytes_out``,
        ``sha256`` (of the extract), ``generated`` (the SIPRI data's date, as written) and
        ``command`` (the equivalent command line, as written into the preamble).

    Raises
    ------
    SipriFormatError, ArmsError, TypeError, ValueError
        As in :func:`extract`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "tiv.csv").write_text(
    ...     "Volume of transfers of major arms\n\n"
    ...     "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    ...     "Data generated: 13 Oct 2024 12:33:29 PM\n\n"
    ...     "Recipient,2022,2023,2022-2023,Percentage,Sum total years,Percentage of total\n"
    ...     "Ruritania,10,20,30,60%,30,60%\nArmenia,5,15,20,40%,20,40%\n"
    ...     "Total world import,15,35,50,100%,50,\n\n")
    >>> s = extract_summary(d / "tiv.csv", d / "out.csv", entities=["Armenia"])
    >>> s["variant"], s["records_in"], s["records_out"], s["share"]
    ('V3', 2, 1, 0.5)
    >>> (d / "out.csv").read_text().splitlines()[-3:]
    ['Armenia,5,15,20,40%,20,40%', 'Total world import,15,35,50,100%,50,', '']
    """
    flt = _check_filter(recipients, suppliers, years, entities)
    src, src_path, dest_path = _open_source(source, dest)
    info = src.info
    data = src_path.read_bytes()
    physical = _physical_lines(data)
    if len(physical) != len(src.lines):  # the same splitting rule as arms.io.detect
        raise SipriFormatError(
            f"line count mismatch ({len(physical)} physical lines, {len(src.lines)} decoded)",
            path=str(src_path),
        )
    keep, records_in, records_out = _select(src, flt)
    command = _command(src_path.name, flt)
    generated = info.metadata.get("generated_text") or info.metadata.get("generated")
    share = records_out / records_in if records_in else 0.0
    line = _extract_line(
        src_path.name,
        variant=info.variant,
        generated=generated,
        command=command,
        counts=(records_out, records_in),
        note=note,
    )
    out = _assemble(physical, src, keep, line)
    _write_replacing(dest_path, out)
    return {
        "source": str(source),
        "dest": str(dest),
        "variant": info.variant,
        "records_in": records_in,
        "records_out": records_out,
        "share": share,
        "bytes_in": len(data),
        "bytes_out": len(out),
        "sha256": hashlib.sha256(out).hexdigest(),
        "generated": generated,
        "command": command,
    }


def fmt_fraction(share: float) -> str:
    """Return a fraction as the percentage an extract line shows (two digits under 10%).

    Parameters
    ----------
    share : float
        A fraction between 0 and 1 (``records_out / records_in``).

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_fraction(0.6), fmt_fraction(1 / 6), fmt_fraction(0.0625), fmt_fraction(0.00052)
    ('60%', '17%', '6.2%', '0.052%')
    """
    return f"{share * 100:.2g}%" if share < 0.1 else f"{share * 100:.0f}%"


# --------------------------------------------------------------------------------------
# the steps of extract_summary


def _open_source(source, dest):
    """Return the decoded source and both paths; refuse what cannot be extracted."""
    for name, value in (("source", source), ("dest", dest)):
        if not isinstance(value, str | os.PathLike):
            raise TypeError(f"{name} must be a str or os.PathLike, not {type(value).__name__}")
    src_path, dest_path = Path(source), Path(dest)
    src = load_source(src_path)
    info = src.info
    if info.container != "text" or info.variant not in SUPPORTED:
        raise SipriFormatError(
            f"is a {info.variant} file in a {info.container} container; arms extract copies "
            f"records line by line and supports {', '.join(SUPPORTED)} text exports only",
            path=str(src_path),
        )
    if dest_path.exists() and (
        dest_path.resolve() == src_path.resolve() or os.path.samefile(dest_path, src_path)
    ):
        raise ArmsError(f"{dest_path}: the extract would overwrite its source (or a link to it)")
    if dest_path.exists() and not dest_path.is_file():
        raise ArmsError(f"{dest_path}: not a regular file; give a file path for the extract")
    return src, src_path, dest_path


def _write_replacing(dest: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``dest``, then rename it into place.

    A full disk or an interruption leaves ``dest`` as it was, never half written.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _select(src, flt: _Filter) -> tuple[np.ndarray, int, int]:
    """Return which physical lines to keep, the records in the source and those kept."""
    if src.info.variant != "V3":
        return _select_register(src, flt)
    if flt.recipients or flt.suppliers or flt.years:
        raise ValueError(
            "a TIV table is filtered by its row names only: use entities= (--entity); "
            "recipients, suppliers and years apply to registers"
        )
    return _select_table(src, flt)


def _extract_line(
    name: str,
    *,
    variant: str,
    generated: str | None,
    command: str,
    counts: tuple[int, int],
    note: str | None,
) -> str:
    """Return the preamble line that says what the extract is: one line, no commas."""
    records_out, records_in = counts
    share = records_out / records_in if records_in else 0.0
    line = (
        f"Extract of {name}"
        + (f" (SIPRI data generated {generated})" if generated else "")
        + f" made by arms {__version__} with: {command}; {records_out} of "
        f"{records_in} records ({fmt_fraction(share)})"
        + ("; table totals kept" if variant == "V3" else "")
        + ". Not an original SIPRI export."
        + (f" {note.strip()}" if note and note.strip() else "")
    )
    return " ".join(line.replace(",", ";").split())  # one physical line; no commas


def _assemble(physical: list[bytes], src, keep: np.ndarray, line: str) -> bytes:
    """Return the extract's bytes: the preamble, the new line, the header, the kept lines.

    The new line follows the last non-blank preamble line, with that line's line end and in
    the source's encoding; a UTF-8 byte order mark stays the file's first bytes.
    """
    info = src.info
    header = info.header_line - 1
    anchor = _note_anchor(src.lines, header)
    eol = _eol_of(physical[anchor] if anchor >= 0 else physical[header])
    encoding = "utf-8" if info.encoding in ("utf-8", "utf-8-sig") else info.encoding
    note_bytes = line.encode(encoding, errors="replace") + eol
    out = bytearray()
    for i, chunk in enumerate(physical):
        if i == anchor + 1:
            if i == 0 and chunk.startswith(b"\xef\xbb\xbf"):
                out += b"\xef\xbb\xbf" + note_bytes + chunk[3:]  # the BOM stays first
                continue
            out += note_bytes
        if i <= header or keep[i]:
            out += chunk
    return bytes(out)


# --------------------------------------------------------------------------------------
# filters


def _names(value, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise TypeError(f"{what} must be a list of names, not a str (did you mean [{value!r}]?)")
    names = tuple(value)
    bad = [n for n in names if not isinstance(n, str) or not n.strip()]
    if bad:
        raise TypeError(f"{what} must be non-empty names, got {bad!r}")
    return names


def _check_filter(recipients, suppliers, years, entities) -> _Filter:
    flt = _Filter(
        recipients=_names(recipients, "recipients"),
        suppliers=_names(suppliers, "suppliers"),
        entities=_names(entities, "entities"),
        years=None,
    )
    if years is not None:
        if not isinstance(years, tuple | list) or len(years) != 2:
            raise TypeError("years must be a (first, last) pair; either may be None")
        first, last = years
        for y in (first, last):
            if y is not None and (isinstance(y, bool) or not isinstance(y, int | np.integer)):
                raise TypeError(f"years must be whole numbers or None, not {y!r}")
        if first is not None and last is not None and first > last:
            raise ValueError(f"years: the first year {first} is after the last {last}")
        if first is not None or last is not None:
            flt = _Filter(flt.recipients, flt.suppliers, flt.entities, (first, last))
    if not (flt.recipients or flt.suppliers or flt.entities or flt.years):
        raise ValueError(
            "no filter given: an extract needs recipients, suppliers, entities or years "
            "(a copy of the whole file is not an excerpt)"
        )
    return flt


def _matches(column: pd.Series, wanted: tuple[str, ...], role: str, path: str) -> np.ndarray:
    """Return a mask of the rows whose name is one of ``wanted``; every name must match.

    Names are compared by :func:`arms.entities.party_mask`, the package's one matcher.
    """
    values = column.astype("string")
    mask = np.zeros(len(values), dtype=bool)
    missing = []
    for name in wanted:
        hit = party_mask(values, name).to_numpy(dtype=bool)
        if not hit.any():
            missing.append(name)
        mask |= hit
    if missing:
        uniques = [u for u in pd.unique(values.dropna().to_numpy(dtype=object)) if u]
        close = {w: difflib.get_close_matches(w, uniques, n=3) for w in missing}
        hints = "; ".join(
            f"{w!r}" + (f" (did you mean {', '.join(c)}?)" if c else "") for w, c in close.items()
        )
        raise ArmsError(f"{path}: no record has {role} {hints}")
    return mask


def _any_side(frame: pd.DataFrame, wanted: tuple[str, ...], path: str) -> np.ndarray:
    """Return a mask of the rows with one of ``wanted`` as recipient or supplier."""
    recipients = frame["recipient"].astype("string")
    suppliers = frame["supplier"].astype("string")
    mask = np.zeros(len(frame), dtype=bool)
    missing = []
    for name in wanted:
        hit = (party_mask(recipients, name) | party_mask(suppliers, name)).to_numpy(dtype=bool)
        if not hit.any():
            missing.append(name)
        mask |= hit
    if missing:
        raise ArmsError(f"{path}: no record has a party {', '.join(map(repr, missing))}")
    return mask


def _in_window(years: pd.Series, window: tuple[int | None, int | None]) -> np.ndarray:
    first, last = window
    values = years.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(values)
    if first is not None:
        ok &= values >= first
    if last is not None:
        ok &= values <= last
    return ok


# --------------------------------------------------------------------------------------
# selection: which physical lines to keep


def _select_register(src, flt: _Filter) -> tuple[np.ndarray, int, int]:
    info = src.info
    path = info.path
    # Each file as it is: a V1 row is a deal, a V2 row a deal's delivery year (one line each,
    # not grouped into deals), so every frame row is one record of the file.
    frame = read_any(path)
    mask = np.ones(len(frame), dtype=bool)
    if flt.recipients:
        mask &= _matches(frame["recipient"], flt.recipients, "recipient", path)
    if flt.suppliers:
        mask &= _matches(frame["supplier"], flt.suppliers, "supplier", path)
    if flt.entities:
        mask &= _any_side(frame, flt.entities, path)
    if flt.years:
        if info.variant == "V2":
            mask &= _in_window(frame["year"], flt.years)
        else:
            in_order = _in_window(frame["order_year"], flt.years)
            years = frame["delivery_years"].map(parse_delivery_years, na_action="ignore")
            years = years.explode()  # one row per delivery year, index = the deal's position
            hit = pd.Series(_in_window(years, flt.years), index=years.index)
            in_delivery = hit.groupby(level=0).any().to_numpy(dtype=bool)
            mask &= in_order | in_delivery

    # Each record owns the physical lines from its first one up to the next record's first
    # (a split record's continuation line), less trailing blank lines.
    lines = src.lines
    n = len(lines)
    starts = frame["source_line"].to_numpy(dtype=np.int64) - 1
    order = np.argsort(starts, kind="stable")
    starts, selected = starts[order], mask[order]
    keep = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(selected):
        begin = int(starts[k])
        end = int(starts[k + 1]) if k + 1 < len(starts) else n
        while end - 1 > begin and _blank(lines[end - 1]):
            end -= 1
        keep[begin:end] = True
    # what follows the last record (blank lines) is copied as it is
    if len(starts):
        tail = int(starts[-1]) + 1
        while tail < n and not _blank(lines[tail]):
            tail += 1
        keep[tail:] = True
    return keep, len(frame), int(selected.sum())


def _select_table(src, flt: _Filter) -> tuple[np.ndarray, int, int]:
    info = src.info
    frame = read_tiv_table(info.path)  # validates every row and finds the totals
    total_lines = {t["line"] - 1 for t in frame.attrs.get("totals", [])}
    lines = src.lines
    header = info.header_line - 1
    keep = np.ones(len(lines), dtype=bool)
    rows, names = [], []
    for i in range(header + 1, len(lines)):
        text = lines[i].rstrip(";").rstrip()
        if "," not in text or _V3_HEADER.match(text):
            continue  # preamble, blank and header lines of (concatenated) tables stay
        name = text.split(",", 1)[0].strip()
        if not name or i in total_lines or _TOTAL.match(name):
            continue  # totals stay; a nameless row was rejected by the reader already
        rows.append(i)
        names.append(name)
    mask = _matches(pd.Series(names, dtype="string"), flt.entities, "entity", info.path)
    keep[np.asarray(rows, dtype=np.int64)[~mask]] = False
    return keep, len(rows), int(mask.sum())


# --------------------------------------------------------------------------------------
# bytes


def _physical_lines(data: bytes) -> list[bytes]:
    """Split bytes into lines that keep their line ends, as arms.io.detect counts lines."""
    out, pos = [], 0
    for m in _EOL.finditer(data):
        out.append(data[pos : m.end()])
        pos = m.end()
    if pos < len(data):
        out.append(data[pos:])
    return out


def _eol_of(chunk: bytes, default: bytes = b"\n") -> bytes:
    for eol in (b"\r\n", b"\n", b"\r"):
        if chunk.endswith(eol):
            return eol
    return default


def _blank(line: str) -> bool:
    return not line.strip(" \t;")


def _note_anchor(lines: list[str], header: int) -> int:
    """Return the index of the last non-blank preamble line, which the note follows.

    -1 when there is no preamble: the note then goes first.
    """
    for i in range(header - 1, -1, -1):
        if not _blank(lines[i]):
            return i
    return -1


def _command(name: str, flt: _Filter) -> str:
    parts = [name]
    for opt, values in (
        ("--recipient", flt.recipients),
        ("--supplier", flt.suppliers),
        ("--entity", flt.entities),
    ):
        for v in values:
            parts += [opt, v]
    if flt.years:
        if flt.years[0] is not None:
            parts += ["--from", str(flt.years[0])]
        if flt.years[1] is not None:
            parts += ["--to", str(flt.years[1])]
    return "arms extract " + shlex.join(parts)
