"""``arms deals PATH --search TEXT``: find deals by weapon name in a SIPRI export.

JSON output (``--json``): ``{"search": ..., "recipient": ..., "supplier": ..., "searched":
[...], "matches": [...]}`` where ``searched`` lists the columns the file has data in
(``designation``, ``description``, ``comments``) and each match is a deal record with the
canonical column names of the deals frame, ``delivery_years`` as a list of ints, ``<NA>`` as
``null``, and ``matched_in``.

Deliveries and JSON exports have no Comments column, so only designations and descriptions
are searched there; the command then prints :data:`NO_COMMENTS_NOTE` on stderr (in both
human and JSON modes).
"""

from __future__ import annotations

import math
import re
import sys

import pandas as pd

from arms.analysis import find_deals
from arms.cli.output import clean_text, emit
from arms.errors import ArmsError
from arms.io.readers import read_trade_register

__all__ = ["NO_COMMENTS_NOTE", "register", "records"]

#: Printed on stderr when the file has no comments to search.
NO_COMMENTS_NOTE = (
    "note: this file has no Comments column (deliveries/JSON exports); searched designations "
    "and descriptions only — a deal named differently in its designation (e.g. the Su-30SM, "
    "filed as Su-30K) is only found through a trade register's comments"
)

_YEAR = re.compile(r"\b(\d{4})\b")
_RANGE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")
_HUMAN_COLUMNS = (
    "recipient",
    "supplier",
    "order_year",
    "number_ordered",
    "designation",
    "description",
    "delivery_years",
    "tiv_delivered",
    "matched_in",
)


def register(subparsers) -> None:
    """Add the ``deals`` sub-command to the ``arms`` parser."""
    parser = subparsers.add_parser(
        "deals",
        help="find deals whose designation, description or comments mention a weapon",
        description=(
            "Search a SIPRI trade register (or deliveries export) for deals whose "
            "designation, description or comments mention TEXT, ignoring case, spaces "
            "and punctuation (Su-30SM = su30sm = 'Su 30 SM'). Deliveries and JSON exports "
            "have no comments, so only designations and descriptions are searched there."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="a SIPRI export file")
    parser.add_argument("--search", required=True, metavar="TEXT", help="what to look for")
    parser.add_argument("--recipient", metavar="NAME", help="only deals with this recipient")
    parser.add_argument("--supplier", metavar="NAME", help="only deals with this supplier")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_run)


def _delivery_years(value) -> list[int]:
    """Return SIPRI's delivery-year text as a list of ints (``YYYY - YYYY`` is expanded)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    text = str(value)
    span = _RANGE.match(text)
    if span:
        first, last = int(span[1]), int(span[2])
        if first <= last:
            return list(range(first, last + 1))
    return [int(y) for y in _YEAR.findall(text)]


def records(matches: pd.DataFrame) -> list[dict]:
    """Return the rows of a :func:`arms.find_deals` result as JSON-ready dicts.

    Parameters
    ----------
    matches : pandas.DataFrame
        A deals frame, with ``matched_in``.

    Returns
    -------
    list of dict
        Missing values are None, numbers are plain ints and floats, and
        ``delivery_years`` is a list of ints.

    Examples
    --------
    >>> frame = pd.DataFrame({"designation": ["Su-30K"], "delivery_years": ["2019"],
    ...                       "tiv_delivered": pd.array([190.0], dtype="Float64"),
    ...                       "matched_in": ["comments"]})
    >>> records(frame)
    [{'designation': 'Su-30K', 'delivery_years': [2019], 'tiv_delivered': 190.0, 'matched_in': 'comments'}]
    """  # noqa: E501
    out = []
    for row in matches.astype(object).to_dict(orient="records"):
        clean = {}
        for key, value in row.items():
            if key == "delivery_years":
                clean[key] = _delivery_years(value)
            elif (
                value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
            ):
                clean[key] = None
            elif hasattr(value, "item"):  # numpy scalars
                clean[key] = value.item()
            else:
                clean[key] = value
        out.append(clean)
    return out


def _run(args) -> int:

    deals = read_trade_register(args.path)
    try:
        matches = find_deals(deals, args.search, recipient=args.recipient, supplier=args.supplier)
    except ValueError as exc:  # an empty query is the user's error, not a bug
        raise ArmsError(str(exc)) from exc
    searched = list(matches.attrs.get("searched", []))
    payload = {
        "search": args.search,
        "recipient": args.recipient,
        "supplier": args.supplier,
        "searched": searched,
        "matches": records(matches),
    }

    def human() -> None:
        if matches.empty:
            print(clean_text(f"no deals match {args.search!r}"))
            return
        shown = [c for c in _HUMAN_COLUMNS if c in matches.columns]
        print(clean_text(matches[shown].to_string(index=False)))
        print(clean_text(f"\n{len(matches)} deal(s) match {args.search!r}"))

    emit(payload, as_json=args.json, human=human)
    if "comments" not in searched:
        sys.stdout.flush()  # so the note follows the result on a terminal
        print(f"arms deals: {NO_COMMENTS_NOTE}", file=sys.stderr)
    return 0
