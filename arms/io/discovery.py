"""Find the SIPRI files in a folder by what they contain, so notebooks never hard-code names.

The bundled extract (``data/sipri/``) holds a trade register, a per-year deliveries file, an
importer TIV table, an exporter TIV table and a register of one supplier's exports; a newer
download may call them anything. :func:`bundled_files` reads each file's header and preamble
with :func:`arms.detect_format` (and, for registers, who is on each side) and gives every file
a *role*:

``register``
    a trade register (one row per deal; V1, V8) of several suppliers;
``supplier_register``
    a trade register of one supplier's exports to several recipients (Israel's customers);
``deliveries``
    a per-year deliveries file (V2, V7, V9) of several suppliers;
``supplier_deliveries``
    a per-year deliveries file of one supplier;
``imports``, ``exports``
    TIV tables with one row per importer / exporter (V3, V6);
``table``
    any other TIV table (regional tables, top lists).

When two files share a role, the one SIPRI generated last wins (then the name). A notebook's
``DATA`` parameter, a single file, overrides the bundled file of its role. This module finds
files; reading one into its final frame is :func:`arms.frames.load` (``arms.load``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from arms import paths
from arms.entities import party_key
from arms.errors import ArmsError, SipriFormatError
from arms.io import readers
from arms.io.detect import detect_format

__all__ = ["ROLES", "bundled_files", "choose", "describe", "supplier_file"]

#: The roles a SIPRI file can play, in the order :func:`describe` lists them.
ROLES: dict[str, str] = {
    "register": "trade register (one row per deal)",
    "supplier_register": "trade register of one supplier's exports",
    "deliveries": "deliveries register (one row per deal and delivery year)",
    "supplier_deliveries": "deliveries register of one supplier's exports",
    "imports": "TIV table by importer",
    "exports": "TIV table by exporter",
    "table": "other TIV table",
}


@functools.lru_cache(maxsize=64)
def _classify(path: str, _stamp: tuple[int, int]) -> dict | None:
    """Return what a file is (``None`` for a file that is not a SIPRI export).

    Cached by path and (mtime, size): a changed file is read again.
    """
    try:
        info = detect_format(path)
        frame = readers.read_any(path, errors="warn")
    except SipriFormatError:
        return None
    if info.kind == "tiv":
        tables = set(frame["table"].dropna().astype(str)) if len(frame) else set()
        role = tables.pop() if len(tables) == 1 else "table"
        role = role if role in ("imports", "exports") else "table"
        suppliers = recipients = exporter = None
        records = int(frame["entity"].nunique())
        years = frame["year"] if "year" in frame else pd.Series([], dtype="Int64")
    else:
        suppliers = int(frame["supplier"].nunique())
        recipients = int(frame["recipient"].nunique())
        base = "register" if info.kind == "deals" else "deliveries"
        single = suppliers == 1 and recipients > 1
        role = f"supplier_{base}" if single else base
        exporter = str(frame["supplier"].dropna().iloc[0]) if single else None
        records = len(frame)
        years = frame["year"] if info.kind == "deliveries" else frame["last_delivery_year"]
        if info.kind == "deals":
            years = pd.concat([frame["first_delivery_year"], years])
    years = pd.to_numeric(pd.Series(years), errors="coerce").dropna()
    generated = info.metadata.get("generated")
    return {
        "name": Path(path).name,
        "role": role,
        "variant": info.variant,
        "kind": info.kind,
        "description": info.description,
        "generated": str(generated)[:10] if generated else None,
        "records": records,
        "suppliers": suppliers,
        "recipients": recipients,
        "exporter": exporter,
        "first_year": int(years.min()) if len(years) else None,
        "last_year": int(years.max()) if len(years) else None,
        "sha256": info.sha256[:12],
        "path": str(path),
    }


def _info(path: Path) -> dict | None:
    stat = path.stat()
    return _classify(str(path.resolve()), (stat.st_mtime_ns, stat.st_size))


def describe(
    data_dir: str | os.PathLike | None = None, *, data: str | os.PathLike | None = None
) -> pd.DataFrame:
    r"""Return one row per SIPRI file in a folder: its role, variant, release and size.

    Files that are not SIPRI exports (a README, a script) are left out.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The folder; :data:`arms.paths.SIPRI_DIR` (the bundled extract) by default.
    data : str or os.PathLike, optional
        A file chosen by the user (a notebook's ``DATA``); it replaces the folder's files of
        the same role.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``role`` (see :data:`ROLES`), ``variant``, ``kind``, ``description``,
        ``generated`` (the date SIPRI generated the data, ISO), ``records`` (deals, deal-year
        rows, or a table's entity rows), ``suppliers``, ``recipients`` (distinct parties;
        ``<NA>`` for tables), ``exporter`` (the one supplier of a ``supplier_*`` file),
        ``first_year`` and ``last_year`` (the delivery years it covers), ``sha256`` (first 12
        hex digits) and ``path``; ordered by role, newest release first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "notes.md").write_text("not SIPRI data")
    >>> _ = (d / "t.csv").write_text("Recipient,2020,2020-2020\nArmenia,4,4\n")
    >>> describe(d)[["name", "role", "variant", "records"]]
        name     role variant  records
    0  t.csv  imports      V3        1
    """
    folder = Path(data_dir) if data_dir is not None else _default_dir()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of SIPRI files")
    rows = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        info = _info(path)
        if info is not None:
            rows.append(info)
    if data is not None:
        chosen = _info(_existing(data))
        if chosen is None:
            raise SipriFormatError("is not a SIPRI export the readers know", path=str(data))
        rows = [r for r in rows if r["role"] != chosen["role"]] + [chosen]
    columns = [
        "name",
        "role",
        "variant",
        "kind",
        "description",
        "generated",
        "records",
        "suppliers",
        "recipients",
        "exporter",
        "first_year",
        "last_year",
        "sha256",
        "path",
    ]
    out = pd.DataFrame(rows, columns=columns)
    order = {role: i for i, role in enumerate(ROLES)}
    out = (
        out.assign(_order=out["role"].map(order), _gen=out["generated"].fillna(""))
        .sort_values(["_order", "_gen", "name"], ascending=[True, False, True])
        .drop(columns=["_order", "_gen"])
        .reset_index(drop=True)
    )
    return out.astype(
        {
            "name": "string",
            "role": "string",
            "variant": "string",
            "kind": "string",
            "description": "string",
            "generated": "string",
            "records": "Int64",
            "suppliers": "Int64",
            "recipients": "Int64",
            "exporter": "string",
            "first_year": "Int64",
            "last_year": "Int64",
            "sha256": "string",
            "path": "string",
        }
    )


def _default_dir() -> Path:
    return paths.SIPRI_DIR


def _role_of(path: Path) -> str:
    info = _info(path)
    if info is None:
        raise SipriFormatError("is not a SIPRI export the readers know", path=str(path))
    return info["role"]


def bundled_files(
    data_dir: str | os.PathLike | None = None, *, data: str | os.PathLike | None = None
) -> dict[str, Path]:
    r"""Return the SIPRI file playing each role in a folder, found by content.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The folder; :data:`arms.paths.SIPRI_DIR` (the bundled extract) by default.
    data : str or os.PathLike, optional
        A file that replaces the folder's file of the same role (a notebook's ``DATA``).

    Returns
    -------
    dict of str to pathlib.Path
        Role (see :data:`ROLES`) to file; roles no file plays are absent. Where several files
        play a role, the newest SIPRI release wins, then the first name.

    Raises
    ------
    FileNotFoundError
        If ``data_dir`` or ``data`` does not exist.
    arms.SipriFormatError
        If ``data`` is not a SIPRI export.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "old.csv").write_text(
    ...     "Data generated: 13 Oct 2024 2:20:11 PM\nRecipient,2020,2020-2020\nArmenia,4,4\n")
    >>> _ = (d / "new.csv").write_text(
    ...     "Data generated: 3 Jan 2025 9:16:02 PM\nRecipient,2020,2020-2020\nArmenia,5,5\n")
    >>> bundled_files(d)["imports"].name
    'new.csv'
    """
    found = describe(data_dir, data=data)
    out: dict[str, Path] = {}
    for role, path in zip(found["role"], found["path"], strict=True):
        out.setdefault(str(role), Path(str(path)))
    return out


def supplier_file(
    supplier: str,
    data_dir: str | os.PathLike | None = None,
    *,
    data: str | os.PathLike | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Path | None:
    """Return a file of one supplier's exports, SIPRI's per-year figures first.

    Such a file lists all of the supplier's customers, which is what ranking a recipient
    among them (:func:`arms.analysis.customer_rank`) needs. A deliveries file (SIPRI's own
    per-year figures) is preferred whenever its delivery years cover ``start``-``end``; else
    a register (split over its delivery years by the package), else any deliveries file.

    Parameters
    ----------
    supplier : str
        The exporter, as SIPRI names it (case and accents are ignored; ``Turkey`` finds
        ``Turkiye`` through the entity crosswalk).
    data_dir : str or os.PathLike, optional
        The folder; :data:`arms.paths.SIPRI_DIR` by default.
    data : str or os.PathLike, optional
        A user's file considered as well (it wins when it qualifies).
    start, end : int, optional
        The years of the question; a deliveries file must cover them to be preferred.

    Returns
    -------
    pathlib.Path or None
        The best such file (per-year figures that cover the years, then the newest
        register); None when there is none.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> supplier_file("Israel", pathlib.Path(tempfile.mkdtemp())) is None
    True
    """
    found = describe(data_dir, data=data)
    found = found.loc[found["role"].isin(["supplier_register", "supplier_deliveries"])]
    want = party_key(supplier)
    found = found.loc[[e is not pd.NA and party_key(str(e)) == want for e in found["exporter"]]]
    if found.empty:
        return None
    per_year = found["role"] == "supplier_deliveries"
    covers = per_year.copy()
    if start is not None:
        covers &= found["first_year"].fillna(10**4) <= start
    if end is not None:
        covers &= found["last_year"].fillna(-1) >= end
    rank = (~covers).astype(int) * 2 + (per_year & ~covers).astype(int)
    best = found.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
    return Path(str(best["path"].iloc[0]))


def _existing(data: str | os.PathLike) -> Path:
    path = Path(data).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist (relative paths start at {Path.cwd()})")
    return path.resolve()


def choose(
    data: str | os.PathLike | None,
    data_dir: str | os.PathLike | None = None,
    *,
    roles: tuple[str, ...] = ("deliveries", "register"),
) -> Path:
    r"""Return the file a notebook analyses: ``data`` if given, else the folder's best match.

    Parameters
    ----------
    data : str or os.PathLike or None
        A file chosen by the user (a notebook's ``DATA`` parameter). It must hold the kind
        of data the first acceptable role holds (a register, deliveries or TIV table).
    data_dir : str or os.PathLike, optional
        Where to look when ``data`` is None; :data:`arms.paths.SIPRI_DIR` by default.
    roles : tuple of str, default ("deliveries", "register")
        Acceptable roles, best first (per-year deliveries are SIPRI's own yearly figures; a
        register is split evenly across its delivery years).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    arms.ArmsError
        If ``data`` plays none of the acceptable kinds of role, or the folder has no file
        playing any of them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "t.csv").write_text("Recipient,2020,2020-2020\nArmenia,4,4\n")
    >>> choose(None, d, roles=("register", "imports")).name
    't.csv'
    >>> choose(d / "t.csv", roles=("register",))
    Traceback (most recent call last):
    ...
    arms.errors.ArmsError: ...t.csv is a TIV table by importer; this needs a trade register ...
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {unknown}; known: {list(ROLES)}")
    if data is not None:
        path = _existing(data)
        role = _role_of(path)
        kinds = {_kind_of_role(r) for r in roles}
        if role not in roles and _kind_of_role(role) not in kinds:
            wanted = " or ".join(ROLES[r] for r in roles)
            raise ArmsError(f"{path} is a {ROLES[role]}; this needs a {wanted}")
        return path
    files = bundled_files(data_dir)
    for role in roles:
        if role in files:
            return files[role]
    where = data_dir if data_dir is not None else _default_dir()
    wanted = ", ".join(ROLES[r] for r in roles)
    raise ArmsError(f"{where} has no {wanted}; found: {sorted(files) or 'no SIPRI files'}")


def _kind_of_role(role: str) -> str:
    if role.endswith("register"):
        return "deals"
    if role.endswith("deliveries"):
        return "deliveries"
    return "tiv"
