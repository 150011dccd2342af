"""Frame kinds, party selection and the building blocks every analysis shares.

Analysis functions take ONE frame kind and never guess it. :func:`check_kind` says which
canonical kind (:mod:`arms.schema`) a function got and raises a clear error naming the
conversion to call when it is not the one expected: a trade register (a *deals* frame)
becomes deliveries with ``arms.split_deals(deals)`` or ``arms.load(path, kind="deliveries")``.

Parties are selected with :func:`arms.entities.party_mask`, the one party matcher of the
package, over the raw column and its harmonised twin (``recipient`` and ``recipient_name``).

Conventions, all SIPRI's own:

* TIV is a volume index in millions, not money. A ``<NA>`` TIV (not available) counts as
  nothing in sums; a ``0`` stays a (tiny) delivery.
* TIV *rests on estimates* when SIPRI marks any of the row's flags with ``?``: the order year
  (``order_year_estimated``), the delivered number (``units_estimated``) or the delivery year
  (``year_estimated``) (:data:`ESTIMATE_FLAGS`; :mod:`arms.analysis.estimates` says when a
  file lacks flags, making the share a lower bound).
* Every result carries ``attrs["source"]`` of its input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from arms import entities
from arms.errors import NotApplicable, UnknownEntityError
from arms.frames import split_deals
from arms.io import parse_delivery_years

__all__ = [
    "ESTIMATE_FLAGS",
    "GROUPINGS",
    "Names",
    "allocation_method",
    "as_deliveries",
    "category_labels",
    "check_kind",
    "display_name",
    "estimated_mask",
    "group_labels",
    "name_keys",
    "names_list",
    "party_rows",
    "percent",
    "require",
    "select_deliveries",
    "source_of",
    "suggest_names",
    "sum_tiv",
    "recipient_scope",
    "supplier_scope",
]

#: The flags that make a year's delivered TIV an estimate: every ``?`` a row carries, on the
#: order year, the number delivered and the delivery year.
ESTIMATE_FLAGS: tuple[str, ...] = ("order_year_estimated", "units_estimated", "year_estimated")

#: What results can be grouped by.
GROUPINGS: tuple[str, ...] = ("supplier", "recipient", "category", "family")

Names = str | Iterable[str] | None

#: The columns that identify each canonical kind (see :mod:`arms.schema`).
_KIND_COLUMNS = {
    "tiv": {"entity", "counterpart", "tiv"},
    "deliveries": {"year", "tiv"},
    "deals": {"tiv_delivered", "delivery_years"},
}
_KIND_NAMES = {
    "deliveries": "a deliveries frame",
    "deals": "a deals frame (a trade register)",
    "tiv": "a TIV table",
}
_CONVERSION = {
    "deliveries": (
        "split a register with arms.split_deals(deals) (an even split per year) or read the "
        'file with arms.load(path, kind="deliveries")'
    ),
    "deals": 'read a trade register with arms.load(path, kind="deals")',
    "tiv": "read a TIV table with arms.load(path)",
}


def _kind_of(frame: pd.DataFrame) -> str | None:
    cols = set(frame.columns)
    for kind, needed in _KIND_COLUMNS.items():  # the TIV table first: it also has year, tiv
        if kind == "deals" and needed & cols or needed <= cols:
            return kind
    return None


def check_kind(frame: pd.DataFrame, *kinds: str, func: str = "this function") -> str:
    """Return which of ``kinds`` the canonical ``frame`` is; raise if it is none of them.

    Parameters
    ----------
    frame : pandas.DataFrame
        A canonical frame.
    *kinds : {"deliveries", "deals", "tiv"}
        The kinds the caller accepts.
    func : str
        The caller's name, for the message.

    Returns
    -------
    str
        The frame's kind.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If it is not of an accepted kind; the message names the conversion to call.

    Examples
    --------
    >>> from arms.schema import conform
    >>> check_kind(conform(pd.DataFrame({"year": [2020], "tiv": [1.0]}), "deliveries"),
    ...            "deliveries")
    'deliveries'
    >>> deals = conform(pd.DataFrame({"delivery_years": ["2020"]}), "deals")
    >>> check_kind(deals, "deliveries", func="flows")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: flows needs a deliveries frame, not a deals frame (a trade register); split ...
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{func} needs a pandas DataFrame, not {type(frame).__name__}")
    kind = _kind_of(frame)
    if kind in kinds:
        return kind
    wanted = " or ".join(_KIND_NAMES[k] for k in kinds)
    got = _KIND_NAMES[kind] if kind else f"columns {sorted(map(str, frame.columns))}"
    hints = "; ".join(_CONVERSION[k] for k in kinds)
    raise ValueError(f"{func} needs {wanted}, not {got}; {hints}")


def as_deliveries(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a deliveries frame: the input itself, or a register split evenly.

    An explicit conversion: analysis functions never call it for you. A deals frame (a
    trade register) goes through :func:`arms.split_deals`, which spreads each
    deal's delivered units and TIV evenly over its delivery years (``allocation="even"``).
    Columns the deals frame has beyond the canonical ones (such as harmonised names) are
    carried over to every year of their deal.

    Parameters
    ----------
    frame : pandas.DataFrame
        A canonical deliveries or deals frame.

    Returns
    -------
    pandas.DataFrame
        Deliveries; the input itself when it already is one.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If it is neither deliveries nor deals (for example a TIV table).

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"year": [2020], "tiv": [1.0]}), "deliveries")
    >>> as_deliveries(d) is d
    True
    """
    if check_kind(frame, "deliveries", "deals", func="as_deliveries") == "deliveries":
        return frame
    split = split_deals(frame)
    extra = [c for c in frame.columns if c not in split.columns]
    if extra and "source_line" in split.columns and frame["source_line"].is_unique:
        lookup = frame.set_index("source_line")[extra]
        carried = lookup.reindex(split["source_line"].to_numpy())
        split = split.assign(**{c: carried[c].to_numpy() for c in extra})
    return split


def names_list(names: Names) -> list[str] | None:
    """Return ``names`` as a list of str (``None`` stays ``None``).

    Examples
    --------
    >>> names_list("Armenia"), names_list(("Armenia", "Iran")), names_list(None)
    (['Armenia'], ['Armenia', 'Iran'], None)
    """
    if names is None:
        return None
    if isinstance(names, str):
        return [names]
    return [str(n) for n in names]


def name_keys(values: pd.Series) -> pd.Series:
    """Return :func:`arms.entities.name_key` of each value (once per distinct value).

    ``<NA>`` becomes ``""``.

    Examples
    --------
    >>> name_keys(pd.Series(["Türkiye ", None])).tolist()
    ['turkiye', '']
    """
    values = values.astype("string").fillna("")
    folded = {u: entities.name_key(u) for u in values.unique()}
    return values.map(folded).astype("string")


def party_rows(
    frame: pd.DataFrame, role: str, names: Names, *, errors: str = "raise"
) -> pd.Series:
    """Return a mask of the rows whose ``role`` party is one of ``names`` (all for None).

    Both the raw column (``supplier``) and its harmonised twin (``supplier_name``) are
    searched with :func:`arms.entities.party_mask`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a ``role`` or ``<role>_name`` column.
    role : str
        ``"supplier"``, ``"recipient"``, ``"entity"``, ``"counterpart"``...
    names : str or list of str or None
        The parties wanted.
    errors : {"raise", "ignore"}
        Whether a name matching no row raises :class:`arms.UnknownEntityError`.

    Examples
    --------
    >>> f = pd.DataFrame({"supplier": ["Turkey", "Israel"]})
    >>> party_rows(f, "supplier", "Türkiye").tolist()
    [True, False]
    """
    wanted = names_list(names)
    if wanted is None:
        return pd.Series(True, index=frame.index)
    columns = [c for c in (role, f"{role}_name") if c in frame.columns]
    if not columns:
        raise ValueError(f"the frame has no {role!r} column")
    mask = pd.Series(False, index=frame.index)
    missing = []
    for name in wanted:
        hit = pd.Series(False, index=frame.index)
        for col in columns:
            hit |= entities.party_mask(frame[col], name).to_numpy()
        if not hit.any():
            missing.append(name)
        mask |= hit
    if missing and errors == "raise":
        raise UnknownEntityError(missing)
    return mask


def category_labels(frame: pd.DataFrame, by: str) -> pd.Series:
    """Return the ``category`` or ``family`` column; raise if the frame was not categorized.

    Examples
    --------
    >>> category_labels(pd.DataFrame({"family": ["drones"]}), "family").tolist()
    ['drones']
    """
    if by not in frame.columns:
        raise ValueError(
            f"the frame has no {by!r} column; read it with arms.load or add it with "
            "arms.categorize(frame)"
        )
    return frame[by].astype("string")


def group_labels(frame: pd.DataFrame, by: str) -> pd.Series:
    """Return the value each row is grouped under (harmonised names first, else raw).

    Examples
    --------
    >>> f = pd.DataFrame({"supplier": ["Turkey", None], "supplier_name": ["Türkiye", None]})
    >>> group_labels(f, "supplier").tolist()
    ['Türkiye', 'unknown']
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {list(GROUPINGS)}, not {by!r}")
    if by in ("supplier", "recipient"):
        values = frame[by].astype("string")
        named = f"{by}_name"
        if named in frame.columns:
            values = frame[named].astype("string").fillna(values)
    else:
        values = category_labels(frame, by)
    return values.fillna("unknown").rename(by)


def estimated_mask(frame: pd.DataFrame) -> pd.Series:
    """Return a mask of the rows whose TIV rests on an estimate (:data:`ESTIMATE_FLAGS`).

    Examples
    --------
    >>> estimated_mask(pd.DataFrame({"units_estimated": [True, None]})).tolist()
    [True, False]
    """
    mask = pd.Series(False, index=frame.index)
    for flag in ESTIMATE_FLAGS:
        if flag in frame.columns:
            mask |= frame[flag].astype("boolean").fillna(False).astype(bool)
    return mask


def select_deliveries(
    frame: pd.DataFrame,
    *,
    recipient: Names = None,
    supplier: Names = None,
    start: int | None = None,
    end: int | None = None,
    func: str = "this function",
) -> pd.DataFrame:
    """Return the deliveries of the parties asked for, in the window, with ``tiv_estimated``.

    Rows without a delivery year (undelivered orders) are dropped; ``<NA>`` TIV counts 0.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Armenia", "year": [2019, 2021],
    ...                           "tiv": [None, 2.0]}), "deliveries")
    >>> select_deliveries(d, start=2019, end=2020)["tiv"].tolist()
    [0.0]
    """
    check_kind(frame, "deliveries", func=func)
    mask = party_rows(frame, "recipient", recipient) & party_rows(frame, "supplier", supplier)
    year = frame["year"].astype("Int64")
    mask &= year.notna().fillna(False).astype(bool)
    if start is not None:
        mask &= (year >= start).fillna(False).astype(bool)
    if end is not None:
        mask &= (year <= end).fillna(False).astype(bool)
    d = frame.loc[mask]
    tiv = d["tiv"].astype("Float64").fillna(0.0)
    return d.assign(tiv=tiv, tiv_estimated=tiv.where(estimated_mask(d), 0.0))


def sum_tiv(d: pd.DataFrame, keys: dict[str, pd.Series]) -> pd.DataFrame:
    """Return TIV and estimated TIV summed over the key columns (empty frame for no rows).

    Examples
    --------
    >>> d = pd.DataFrame({"tiv": [1.0, 2.0], "tiv_estimated": [0.0, 2.0]})
    >>> sum_tiv(d, {"k": pd.Series(["a", "a"])}).to_dict("records")
    [{'k': 'a', 'tiv': 3.0, 'tiv_estimated': 2.0}]
    """
    data = pd.DataFrame(
        {**keys, "tiv": d["tiv"].astype("Float64"), "tiv_estimated": d["tiv_estimated"]}
    )
    out = data.groupby(list(keys), sort=False, dropna=False)[["tiv", "tiv_estimated"]].sum()
    out = out.reset_index()
    for k in keys:
        out[k] = out[k].astype(keys[k].dtype)
    return out.astype({"tiv": "Float64", "tiv_estimated": "Float64"})


def percent(part: pd.Series, total: float) -> pd.Series:
    """Return ``part`` as a percent of ``total`` (``<NA>`` when the total is not positive).

    Examples
    --------
    >>> percent(pd.Series([1.0, 3.0]), 4.0).tolist()
    [25.0, 75.0]
    """
    if total > 0:
        return (part.astype("Float64") / total * 100).astype("Float64")
    return pd.Series(pd.NA, index=part.index, dtype="Float64")


def allocation_method(d: pd.DataFrame) -> str:
    """Return ``sipri`` (per-year figures from the file), ``even`` (a split register) or ``mixed``.

    Examples
    --------
    >>> allocation_method(pd.DataFrame({"allocation": ["even", "even"]}))
    'even'
    """
    if "allocation" not in d.columns:
        return "unknown"
    values = set(d["allocation"].dropna().unique())
    if values == {"sipri"}:
        return "sipri"
    if values == {"even"}:
        return "even"
    return "mixed" if values else "unknown"


def source_of(frame: pd.DataFrame) -> dict:
    """Return a copy of ``frame.attrs["source"]`` (an empty dict when there is none).

    Examples
    --------
    >>> source_of(pd.DataFrame())
    {}
    """
    return dict(frame.attrs.get("source", {}) or {})


#: ``supplier_scope`` values that mean "every supplier" (compared casefolded).
_ALL_SUPPLIERS = ("", "all", "all countries", "all suppliers", "all recipients")


def recipient_scope(frame: pd.DataFrame) -> str | None:
    """Return the recipients a file is limited to, or ``None`` for a file of every recipient.

    The recipient side of the export's query ("from All countries to Ukraine"), as the
    readers record it in ``attrs["source"]["recipient_scope"]``: a supplier's exports read
    from such a file are its deliveries to those recipients only.

    Examples
    --------
    >>> f = pd.DataFrame()
    >>> f.attrs["source"] = {"recipient_scope": "Ukraine"}
    >>> recipient_scope(f)
    'Ukraine'
    >>> f.attrs["source"] = [{"recipient_scope": None}]
    >>> recipient_scope(f) is None
    True
    """
    return _scope(frame, "recipient_scope")


def supplier_scope(frame: pd.DataFrame) -> str | None:
    """Return the suppliers a file is limited to, or ``None`` for a file of every supplier.

    A register or deliveries export queried "from China to All countries" holds only those
    suppliers' deals: shares computed from it are shares of those suppliers' deliveries,
    not of a recipient's imports. The readers record the query's supplier side in
    ``attrs["source"]["supplier_scope"]``; this reads it (and never the preamble).

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame read by :mod:`arms.io.readers` (or a result carrying its ``source``).

    Returns
    -------
    str or None
        The supplier side (``"China"``); ``None`` when it is missing or says "All countries".

    Examples
    --------
    >>> f = pd.DataFrame()
    >>> f.attrs["source"] = {"supplier_scope": "China"}
    >>> supplier_scope(f)
    'China'
    >>> f.attrs["source"] = {"supplier_scope": "All countries"}
    >>> supplier_scope(f) is None
    True
    """
    return _scope(frame, "supplier_scope")


def _scope(frame: pd.DataFrame, key: str) -> str | None:
    """Return the parties one side of the queries is limited to (``None``: every one)."""
    sources = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    if isinstance(sources, Mapping):
        sources = [sources]
    scopes = []
    for source in sources or []:
        if not isinstance(source, Mapping):
            continue
        scope = source.get(key)
        text = " ".join(str(scope).split()) if scope is not None else ""
        # TODO(lead): the "All countries" wording is the readers' to normalise to None;
        # drop this comparison once attrs["source"]["supplier_scope"] is canonical.
        if text.casefold() in _ALL_SUPPLIERS:
            return None  # one source of every supplier: the frame is not limited
        scopes.append(text)
    return ", ".join(dict.fromkeys(scopes)) or None


def suggest_names(name: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` of ``names`` close to a misspelt ``name``, closest first.

    Names are compared by :func:`arms.entities.name_key` (case and accents ignored) with
    :func:`difflib.get_close_matches`; each suggestion is returned as ``names`` spells it.

    Examples
    --------
    >>> suggest_names("Azerbajan", ["Armenia", "Azerbaijan", "Georgia"])
    ['Azerbaijan']
    >>> suggest_names("Atlantis", ["Armenia"])
    []
    """
    by_key: dict[str, str] = {}
    for candidate in names:
        if candidate is None or candidate != candidate:
            continue
        by_key.setdefault(entities.name_key(candidate), str(candidate))
    close = difflib.get_close_matches(entities.name_key(name), list(by_key), n=n)
    return [by_key[k] for k in close]


def display_name(d: pd.DataFrame, role: str, name: str) -> str:
    """Return the data's own label for ``name`` when it is unambiguous, else ``name``.

    Examples
    --------
    >>> display_name(pd.DataFrame({"recipient": ["Turkiye"]}), "recipient", "turkey")
    'Turkiye'
    """
    labels = group_labels(d.loc[party_rows(d, role, name)], role).unique()
    return str(labels[0]) if len(labels) == 1 else name


def _and(names: list[str], word: str = "and") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


def require(
    frame: pd.DataFrame,
    *,
    recipients: list[str] | tuple[str, ...] = (),
    suppliers: list[str] | tuple[str, ...] = (),
    all_suppliers: bool = False,
    all_recipients: bool = False,
) -> None:
    """Check that the data can answer a page's questions; raise ``NotApplicable`` if not.

    A notebook calls this right after loading its data, so that a file without the page's
    parties (a user's own download for another country) gives one clear sentence instead of
    an error deep in the page. ``arms report`` marks such a page "not applicable".

    Parameters
    ----------
    frame : pandas.DataFrame
        A deals or deliveries frame as read by :func:`arms.load` (its ``attrs["source"]``
        names the file in the message). Only which parties it names is checked, which a
        register answers as well as its even split.
    recipients : list of str
        Each must have received at least one delivery in the data.
    suppliers : list of str
        Each must have delivered at least once (to one of ``recipients``, when given).
    all_suppliers : bool, default False
        The page needs every supplier's exports: a file limited to some suppliers ("from
        China to All countries", see :func:`supplier_scope`) does not do.
    all_recipients : bool, default False
        The page needs the suppliers' exports to every recipient: a file limited to some
        recipients ("from All countries to Ukraine", see :func:`recipient_scope`) does not do.

    Raises
    ------
    arms.NotApplicable
        Saying what the page needs and what the file lacks.

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Azerbaijan", "supplier": "Israel",
    ...     "year": [2017], "tiv": [5.0], "allocation": "sipri"}), "deliveries")
    >>> d.attrs["source"] = {"path": "/data/az.csv"}
    >>> require(d, recipients=["Azerbaijan"], suppliers=["Israel"])
    >>> try:
    ...     require(d, recipients=["Azerbaijan", "Armenia"])
    ... except Exception as exc:
    ...     print(type(exc).__name__, exc)  # doctest: +NORMALIZE_WHITESPACE
    NotApplicable this page needs deliveries to Azerbaijan and Armenia; the file az.csv has
    none to Armenia
    """
    source = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    path = source.get("path") if isinstance(source, dict) else None
    the_file = f"the file {Path(str(path)).name}" if path else "the data"
    if check_kind(frame, "deliveries", "deals", func="require") == "deliveries":
        delivered = frame["year"].notna().fillna(False).astype(bool)
    else:  # a deal counts once it lists a delivery year, as in its even split
        years = frame["delivery_years"].map(parse_delivery_years, na_action="ignore")
        delivered = years.map(bool, na_action="ignore").fillna(False).astype(bool)
    d = frame.loc[delivered]
    recipients, suppliers = [str(r) for r in recipients], [str(s) for s in suppliers]
    missing = [r for r in recipients if not party_rows(d, "recipient", r, errors="ignore").any()]
    if missing:
        raise NotApplicable(
            f"this page needs deliveries to {_and(recipients)}; {the_file} has none to "
            f"{_and(missing, 'or')}"
        )
    to = party_rows(d, "recipient", recipients or None)
    missing = [
        s for s in suppliers if not (to & party_rows(d, "supplier", s, errors="ignore")).any()
    ]
    if missing:
        where = f" to {_and(recipients)}" if recipients else ""
        raise NotApplicable(
            f"this page needs deliveries from {_and(suppliers)}{where}; {the_file} has none "
            f"from {_and(missing, 'or')}"
        )
    scope = supplier_scope(frame) if all_suppliers else None
    if scope:
        raise NotApplicable(
            f"this page needs a file of every supplier's exports; {the_file} only holds "
            f"deliveries from {scope}"
        )
    scope = recipient_scope(frame) if all_recipients else None
    if scope:
        raise NotApplicable(
            f"this page needs a file of {_and(suppliers) or 'the suppliers'}'s exports to "
            f"every recipient; {the_file} only holds deliveries to {scope}"
        )
