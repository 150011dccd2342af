"""What :mod:`arms.io.fetch` asks for: request bodies, party-name lists, default output paths.

- ``POST /trades/trade-register-csv/`` with ``{"filters": [...], "logic": "AND"}`` answers
  a trade register (V1), or the per-year deliveries register (V2) when the filters contain
  an ``exportOption`` filter;
- ``POST /trades/import-export-csv/`` answers a TIV values table (V3) the same way.

The filter objects copy the portal's own requests (as seen in public clients).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from arms import paths

__all__ = [
    "FIRST_YEAR",
    "KINDS",
    "REGISTER_PATH",
    "TIV_PATH",
    "default_output_path",
    "endpoint_of",
    "party_names",
    "request_body",
]

#: The first year in the SIPRI database; the default start of a request.
FIRST_YEAR = 1950

KINDS = ("register", "deliveries", "tiv")

REGISTER_PATH = "trades/trade-register-csv/"
TIV_PATH = "trades/import-export-csv/"


def endpoint_of(kind: str) -> str:
    """Return the backend path that answers exports of ``kind``.

    Examples
    --------
    >>> endpoint_of("tiv"), endpoint_of("deliveries")
    ('trades/import-export-csv/', 'trades/trade-register-csv/')
    """
    return TIV_PATH if kind == "tiv" else REGISTER_PATH


def _filter(
    field: str,
    *,
    condition: str = "",
    value1: Any = "",
    value2: Any = "",
    list_data: Sequence[int] = (),
) -> dict[str, Any]:
    # The portal always sends all six keys, empty ones as "" or [].
    return {
        "field": field,
        "oldField": "",
        "condition": condition,
        "value1": value1,
        "value2": value2,
        "listData": list(list_data),
    }


def request_body(
    kind: str,
    *,
    first_year: int,
    last_year: int,
    recipient_ids: Sequence[int] = (),
    supplier_ids: Sequence[int] = (),
    by: str | None = None,
    open_deals: bool = True,
) -> dict[str, Any]:
    """Return the JSON body the SIPRI portal sends for an export.

    The filter objects copy the portal's own requests (as seen in public clients), so
    that the backend answers exactly what a manual download would give.

    Parameters
    ----------
    kind : {"register", "deliveries", "tiv"}
        ``register``: one row per deal (V1). ``deliveries``: one row per deal and delivery
        year (V2). ``tiv``: TIV values table (V3).
    first_year, last_year : int
        The delivery-year range (``Delivery year`` for registers, ``Year range 1`` for
        TIV tables).
    recipient_ids, supplier_ids : sequence of int, optional
        Catalog ``EntityId`` values; empty means all.
    by : {"recipient", "supplier"}, optional
        TIV tables only: one row per recipient (imports table) or per supplier (exports
        table, the portal's ``orderbyseller`` option). Default: ``supplier`` when only
        suppliers are given, else ``recipient``.
    open_deals : bool, default True
        Registers only: also list deals ordered but with no delivery in the range
        (the portal's ``opendeals`` option; SIPRI's default download includes them).

    Returns
    -------
    dict
        ``{"filters": [...], "logic": "AND"}``, ready for :func:`json.dumps`.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or ``by``, or ``by`` given for a register.

    Examples
    --------
    >>> body = request_body("deliveries", first_year=2020, last_year=2024,
    ...                     recipient_ids=[1050423])
    >>> [f["field"] for f in body["filters"]]
    ['Delivery year', 'Recipient', 'exportOption']
    >>> body["filters"][1]["condition"], body["filters"][1]["listData"]
    ('contains', [1050423])
    >>> [f["field"] for f in request_body("tiv", first_year=2000, last_year=2024,
    ...                                   supplier_ids=[7])["filters"]]
    ['Year range 1', 'Supplier', 'orderbyseller', 'DeliveryType']
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    parties = []
    if recipient_ids:
        parties.append(_filter("Recipient", condition="contains", list_data=recipient_ids))
    if supplier_ids:
        parties.append(_filter("Supplier", condition="contains", list_data=supplier_ids))

    if kind == "tiv":
        if by is None:
            by = "supplier" if supplier_ids and not recipient_ids else "recipient"
        if by not in ("recipient", "supplier"):
            raise ValueError(f"by must be 'recipient' or 'supplier', not {by!r}")
        filters = [
            _filter("Year range 1", condition="contains", value1=first_year, value2=last_year),
            *parties,
        ]
        if by == "supplier":
            filters.append(_filter("orderbyseller"))
        # Volumes actually delivered: the figures SIPRI publishes in its tables.
        filters.append(_filter("DeliveryType", value1="delivered"))
        return {"filters": filters, "logic": "AND"}

    if by is not None:
        raise ValueError("by= applies to TIV tables only")
    filters = [
        _filter("Delivery year", condition="contains", value1=first_year, value2=last_year),
        *parties,
    ]
    if kind == "register" and open_deals:
        filters.append(_filter("opendeals"))
    if kind == "deliveries":
        filters.append(_filter("exportOption"))
    return {"filters": filters, "logic": "AND"}


def party_names(value: str | Iterable[str] | None, what: str) -> list[str]:
    """Return the names of a ``recipients``/``suppliers`` argument as a list.

    Parameters
    ----------
    value : str, iterable of str or None
        One name, several, or None (all).
    what : str
        The argument's name, for the error message.

    Raises
    ------
    TypeError
        When an item is not a str.

    Examples
    --------
    >>> party_names("Armenia", "recipients"), party_names(None, "suppliers")
    (['Armenia'], [])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    names = list(value)
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise TypeError(f"{what} must be names (str), got {bad!r}")
    return names


def _slug(names: Sequence[str]) -> str:
    if not names:
        return "all"
    slugs = [re.sub(r"[^a-z0-9]+", "-", n.casefold()).strip("-") or "x" for n in names]
    if len(slugs) > 3:
        slugs = [*slugs[:3], f"and-{len(slugs) - 3}-more"]
    return "+".join(slugs)


def default_output_path(
    kind: str,
    *,
    recipients: Sequence[str] = (),
    suppliers: Sequence[str] = (),
    first_year: int,
    last_year: int,
    fetched: dt.date | None = None,
) -> Path:
    """Return where a fetch is saved when no output path is given.

    The file lands in the bundled-data folder (:data:`arms.paths.SIPRI_DIR`) under a name
    that says what was asked and when: kind, suppliers, recipients, years and the date
    of the download. A new download never overwrites an older one from another day.

    Parameters
    ----------
    kind : {"register", "deliveries", "tiv"}
        The export asked for.
    recipients, suppliers : sequence of str, optional
        The names as the user gave them; none means all.
    first_year, last_year : int
        The year range.
    fetched : datetime.date, optional
        The download date; today by default.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import datetime
    >>> default_output_path("register", recipients=["Armenia"], first_year=1990,
    ...                     last_year=2025, fetched=datetime.date(2026, 7, 14)).name
    'sipri-register_all-to-armenia_1990-2025_fetched-2026-07-14.csv'
    """
    fetched = fetched or dt.date.today()
    name = (
        f"sipri-{kind}_{_slug(suppliers)}-to-{_slug(recipients)}_"
        f"{first_year}-{last_year}_fetched-{fetched.isoformat()}.csv"
    )
    return Path(paths.SIPRI_DIR) / name
