"""The canonical frames: column names, dtypes and a validator.

This module is the contract between the readers (which know SIPRI's formats) and everything
downstream (which knows only these columns). Three frames exist:

``deals``
    One row per deal (what a trade register lists).
``deliveries``
    One row per deal and delivery year.
``tiv``
    TIV tables in long form: one row per entity, counterpart and year.

All dtypes are pandas' nullable ones, so a SIPRI ``0`` (a volume between 0 and 0.5 million
TIV) stays distinct from an empty cell (nothing identified), which is ``<NA>``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "DEALS",
    "DELIVERIES",
    "TIV",
    "SCHEMAS",
    "empty_frame",
    "conform",
    "validate",
]

#: One row per deal. ``source_line`` is the physical line where the record starts in the
#: file (the first of its lines for a deliveries file), so every row can be traced back.
#: ``delivery_years`` lists the years in one form for every variant (``"2009; 2010"``, V8's
#: ranges expanded); ``delivery_years_estimated`` is the file's uncertainty flag for those
#: years (V8, and deliveries grouped into deals), ``<NA>`` where the file has none (V1).
DEALS: dict[str, str] = {
    "deal_id": "Int64",
    "recipient": "string",
    "supplier": "string",
    "order_year": "Int64",
    "order_year_estimated": "boolean",
    "number_ordered": "Int64",
    "number_ordered_estimated": "boolean",
    "designation": "string",
    "description": "string",
    "category": "string",
    "number_delivered": "Int64",
    "number_delivered_estimated": "boolean",
    "delivery_years": "string",
    "delivery_years_estimated": "boolean",
    "first_delivery_year": "Int64",
    "last_delivery_year": "Int64",
    "status": "string",
    "status_estimated": "boolean",
    "local_production": "boolean",
    "comments": "string",
    "tiv_per_unit": "Float64",
    "tiv_order": "Float64",
    "tiv_delivered": "Float64",
    "source_line": "Int64",
}

#: One row per deal and delivery year. ``allocation`` is ``"sipri"`` when the file gave the
#: per-year figures and ``"even"`` when a deal-level register was split by the package.
DELIVERIES: dict[str, str] = {
    "deal_id": "Int64",
    "recipient": "string",
    "supplier": "string",
    "order_year": "Int64",
    "order_year_estimated": "boolean",
    "designation": "string",
    "description": "string",
    "category": "string",
    "status": "string",
    "local_production": "boolean",
    "comments": "string",
    "tiv_per_unit": "Float64",
    "year": "Int64",
    "year_estimated": "boolean",
    "units": "Int64",
    "units_estimated": "boolean",
    "tiv": "Float64",
    "allocation": "string",
    "source_line": "Int64",
}

#: TIV tables, long. ``table`` is one of ``imports``, ``exports``, ``regional``,
#: ``top list``, ``by category``; ``counterpart`` is ``"all"`` unless the file names one.
TIV: dict[str, str] = {
    "table": "string",
    "entity": "string",
    "counterpart": "string",
    "year": "Int64",
    "tiv": "Float64",
    "under_half": "boolean",
}

SCHEMAS: dict[str, dict[str, str]] = {"deals": DEALS, "deliveries": DELIVERIES, "tiv": TIV}

#: The status vocabulary every variant is mapped onto.
STATUSES = ("New", "Second hand", "Second hand but modernized")


def empty_frame(kind: str) -> pd.DataFrame:
    """Return an empty frame of one of the canonical kinds.

    Parameters
    ----------
    kind : {"deals", "deliveries", "tiv"}
        Which frame.

    Returns
    -------
    pandas.DataFrame
        No rows, the canonical columns and dtypes.

    Examples
    --------
    >>> empty_frame("tiv").dtypes["tiv"]
    Float64Dtype()
    """
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _schema(kind).items()})


def conform(frame, kind: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns, in order, with canonical dtypes.

    Missing columns are added as all-``<NA>``; extra columns are dropped.

    Parameters
    ----------
    frame : pandas.DataFrame or dict of str to array
        Columns named as in the schema (a dict of equally long arrays: the frame is built
        once, already conformed).
    kind : {"deals", "deliveries", "tiv"}
        Which frame.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``attrs`` are carried over.

    Examples
    --------
    >>> conform({"recipient": ["Armenia"], "tiv": [190.0]}, "deliveries")[["recipient", "tiv"]]
      recipient    tiv
    0   Armenia  190.0
    """
    schema = _schema(kind)
    if isinstance(frame, pd.DataFrame):
        if list(frame.columns) == list(schema) and all(
            str(t) == schema[c] for c, t in frame.dtypes.items()
        ):  # canonical already (a reader's parts, concatenated)
            out = frame.copy(deep=False)
            out.attrs = dict(frame.attrs)
            return out
        columns = {c: frame[c].array for c in schema if c in frame.columns}
        attrs, n = frame.attrs, len(frame)
    else:
        columns, attrs = frame, {}
        n = len(next(iter(columns.values()))) if columns else 0
    data = {}
    for col, dtype in schema.items():
        if col in columns:
            values = columns[col]
            if not isinstance(values, pd.api.extensions.ExtensionArray):
                values = pd.array(values)  # (a list or a numpy array; pd.array would copy)
            data[col] = values if str(values.dtype) == dtype else values.astype(dtype)
        else:
            data[col] = _all_missing(dtype, n)
    out = pd.DataFrame(data, copy=False)
    out.attrs = dict(attrs)
    return out


#: The masked (nullable) arrays, built from values and an all-true mask when all missing.
_MASKED = {
    "Int64": (pd.arrays.IntegerArray, np.int64),
    "Float64": (pd.arrays.FloatingArray, np.float64),
    "boolean": (pd.arrays.BooleanArray, np.bool_),
}


def _all_missing(dtype: str, n: int):
    """Return an array of ``n`` missing values of ``dtype``."""
    if dtype in _MASKED:
        cls, values = _MASKED[dtype]
        return cls(np.zeros(n, dtype=values), np.ones(n, dtype=bool))
    # a fill-take (a list of n NAs is slow to convert)
    return pd.array([], dtype=dtype).take(np.full(n, -1), allow_fill=True)


def validate(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Check that ``frame`` is a canonical frame of ``kind``; return it unchanged.

    Every violation is collected and reported at once.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame to check.
    kind : {"deals", "deliveries", "tiv"}
        Which frame it should be.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself, so the call chains with ``.pipe``.

    Raises
    ------
    ValueError
        Listing every missing column, wrong dtype and out-of-range value.

    Examples
    --------
    >>> validate(empty_frame("deals"), "deals").shape
    (0, 24)
    """
    schema = _schema(kind)
    problems = []
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        problems.append(f"missing columns {missing}")
    for col, dtype in schema.items():
        if col in frame.columns and str(frame[col].dtype) != dtype:
            problems.append(f"column {col!r} is {frame[col].dtype}, expected {dtype}")
    for col in ("tiv", "tiv_per_unit", "tiv_order", "tiv_delivered"):
        if col in frame.columns and (frame[col] < 0).any():
            problems.append(f"negative values in {col!r}")
    for col in ("units", "number_ordered", "number_delivered"):
        if col in frame.columns and (frame[col] < 0).any():
            problems.append(f"negative values in {col!r}")
    if problems:
        raise ValueError(f"not a canonical {kind} frame: " + "; ".join(problems))
    return frame


def _schema(kind: str) -> dict[str, str]:
    try:
        return SCHEMAS[kind]
    except KeyError:
        raise ValueError(f"kind must be one of {sorted(SCHEMAS)}, not {kind!r}") from None
