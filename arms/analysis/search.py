"""Find deals by weapon name, and read the money values SIPRI writes into comments.

Two jobs that both work on the free text of a deals frame:

- :func:`find_deals` searches designation, description and comments. SIPRI hides a lot in
  the comments: Armenia's Su-30SM fighters are filed under designation ``Su-30K`` with the
  comment "Su-30SM version", and a designation can change spelling between releases
  (``Bayraktar TB2`` in 2024, ``Bayraktar TB-2`` in 2026). Matching therefore ignores case,
  spaces and punctuation: ``Su-30SM``, ``su30sm`` and ``Su 30 SM`` are the same query.
- :func:`parse_deal_value` and :func:`deal_values` pull the contract value out of comments
  such as ``$120 m deal``, ``EUR8.5 m deal`` or ``THB4b ($120 m) deal``. That is money as
  reported in the sources SIPRI cites, **not** a TIV (TIV is a volume index), so it lives in
  its own ``deal_value_*`` columns and is never mixed with the ``tiv_*`` ones.
"""

from __future__ import annotations

import re

import pandas as pd

from arms import entities
from arms.analysis.select import party_rows

__all__ = [
    "DEAL_VALUE_COLUMNS",
    "SEARCH_COLUMNS",
    "deal_values",
    "find_deals",
    "fold_text",
    "parse_deal_value",
    "searched_columns",
    "text_hits",
    "text_mask",
]

#: Columns :func:`find_deals` looks in, in the order ``matched_in`` lists them.
SEARCH_COLUMNS = ("designation", "description", "comments")

#: Columns :func:`deal_values` adds, with their dtypes.
DEAL_VALUE_COLUMNS = {
    "deal_value_usd_m": "Float64",
    "deal_value_currency": "string",
    "deal_value_amount_m": "Float64",
    "deal_value_part_of": "boolean",
    "deal_value_text": "string",
}

_NUMBER = r"\d+(?:\.\d+)?"
# `$120 m`, `$1.2 b`, `EUR8.5 m`, `THB4b`, `CZK14.4 b`, `$17-20 m`; a currency code is three
# capitals stuck to the number, as SIPRI writes it.
_MONEY = re.compile(
    rf"(?<![A-Za-z0-9])(?P<cur>\$|[A-Z]{{3}})\s?(?P<num>{_NUMBER})"
    rf"(?:\s?-\s?(?P<num2>{_NUMBER}))?\s?(?P<unit>bn|b|m)(?![A-Za-z0-9])"
)
# the US$ equivalent SIPRI adds in brackets right after a foreign-currency amount
_USD_AFTER = re.compile(rf"^\s*\(\s*\$\s?(?P<num>{_NUMBER})\s?(?P<unit>bn|b|m)(?![A-Za-z0-9])")
_SCALE = {"m": 1.0, "b": 1000.0, "bn": 1000.0}
_PUNCT = re.compile(r"[\W_]+")


def parse_deal_value(comment) -> dict | None:
    """Return the deal value a SIPRI comment states, or None if it states none.

    The first money amount in the comment is taken as the deal value (SIPRI writes it first:
    ``$427 m 'LAS' deal; ...``). Amounts in billions are converted to millions. When the
    amount is in another currency, SIPRI usually adds the US$ figure in brackets
    (``THB4b ($120 m) deal``), which becomes ``usd_m``; otherwise ``usd_m`` is None and the
    currency and amount are reported as written. A range (``$17-20 m aid``) is not reduced
    to one number: ``usd_m`` and ``amount_m`` are None and ``text`` keeps it.

    This is money, not SIPRI TIV.

    Parameters
    ----------
    comment : str or None
        A ``Comments`` value.

    Returns
    -------
    dict or None
        ``usd_m`` (float or None, millions of US$), ``currency`` (``"USD"`` or the ISO 4217
        code as written), ``amount_m`` (float or None, millions of that currency),
        ``part_of`` (True when the comment says the value is that of a larger package:
        "Part of ...") and ``text`` (the matched words).

    Examples
    --------
    >>> parse_deal_value("$120 m deal; Su-30SM version")["usd_m"]
    120.0
    >>> parse_deal_value("EUR8.5 m deal; for use in Afghanistan")
    {'usd_m': None, 'currency': 'EUR', 'amount_m': 8.5, 'part_of': False, 'text': 'EUR8.5 m'}
    >>> v = parse_deal_value("Part of THB4b ($120 m) deal (for 96 BTR-3)")
    >>> v["usd_m"], v["currency"], v["amount_m"], v["part_of"]
    (120.0, 'THB', 4000.0, True)
    >>> parse_deal_value("Second-hand; aid") is None
    True
    """
    if comment is None or not isinstance(comment, str):
        return None
    match = _MONEY.search(comment)
    if match is None:
        return None
    currency = "USD" if match["cur"] == "$" else match["cur"]
    scale = _SCALE[match["unit"]]
    amount = None if match["num2"] else float(match["num"]) * scale
    text = match.group(0)
    usd = amount if currency == "USD" else None
    if currency != "USD":
        after = _USD_AFTER.match(comment[match.end() :])
        if after:
            usd = float(after["num"]) * _SCALE[after["unit"]]
            text = comment[match.start() : match.end() + after.end()].strip() + ")"
    segment = comment[: match.start()].rsplit(";", 1)[-1]
    part_of = bool(re.search(r"\bpart of\b", segment, re.IGNORECASE))
    return {
        "usd_m": usd,
        "currency": currency,
        "amount_m": amount,
        "part_of": part_of,
        "text": text,
    }


def deal_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the deal values stated in its comments, in ``deal_value_*`` columns.

    Adds ``deal_value_usd_m`` (millions of US$, where SIPRI gives a US$ figure),
    ``deal_value_currency``, ``deal_value_amount_m`` (millions, in that currency),
    ``deal_value_part_of`` and ``deal_value_text`` (see :func:`parse_deal_value`). Rows
    whose comment states no value get ``<NA>``. None of these is a TIV.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame with a ``comments`` column (deals or deliveries).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``attrs`` are carried over.

    Examples
    --------
    >>> deals = pd.DataFrame({"comments": ["$120 m deal; Su-30SM version", None,
    ...                                    "THB4b ($120 m) deal"]})
    >>> deal_values(deals)[["deal_value_usd_m", "deal_value_currency", "deal_value_amount_m"]]
       deal_value_usd_m deal_value_currency  deal_value_amount_m
    0             120.0                 USD                120.0
    1              <NA>                <NA>                 <NA>
    2             120.0                 THB               4000.0
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    if "comments" not in frame.columns:
        raise ValueError("frame has no 'comments' column")
    comments = frame["comments"].astype("string")
    parsed = {c: parse_deal_value(c) for c in comments.dropna().unique()}
    keys = {
        "deal_value_usd_m": "usd_m",
        "deal_value_currency": "currency",
        "deal_value_amount_m": "amount_m",
        "deal_value_part_of": "part_of",
        "deal_value_text": "text",
    }
    out = frame.copy()
    for col, key in keys.items():
        values = {
            c: (p[key] if p is not None and p[key] is not None else pd.NA)
            for c, p in parsed.items()
        }
        series = comments.map(values, na_action="ignore")
        out[col] = (
            series.astype("object").where(series.notna(), pd.NA).astype(DEAL_VALUE_COLUMNS[col])
        )
    out.attrs = dict(frame.attrs)
    return out


def fold_text(values: pd.Series) -> pd.Series:
    """Return each value folded for text search: :func:`arms.entities.name_key`, no punctuation.

    Case, accents, spaces and punctuation are dropped, so ``"Bayraktar TB-2"`` and
    ``"bayraktar tb2"`` fold alike. The one folding of the package's text search
    (:func:`find_deals`, :func:`arms.analysis.deal_timelines`); ``<NA>`` folds to ``""``.

    Examples
    --------
    >>> fold_text(pd.Series(["Bayraktar TB-2", "Su 30 SM", None])).tolist()
    ['bayraktartb2', 'su30sm', '']
    """
    values = pd.Series(values).astype("string").fillna("")
    folded = {u: _PUNCT.sub("", entities.name_key(u)) for u in values.unique()}
    return values.map(folded).astype("string")


def text_hits(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Return, per searched column the frame has, which rows mention ``text`` (folded).

    Parameters
    ----------
    frame : pandas.DataFrame
        Deals or deliveries with some of :data:`SEARCH_COLUMNS`.
    text : str
        What to look for.

    Returns
    -------
    pandas.DataFrame
        One ``bool`` column per searched column present, in :data:`SEARCH_COLUMNS` order.

    Raises
    ------
    ValueError
        If ``text`` has no letters or digits, or the frame has none of the searched columns.

    Examples
    --------
    >>> f = pd.DataFrame({"designation": ["Su-30K"], "comments": ["Su-30SM version"]})
    >>> text_hits(f, "su 30 sm").to_dict("records")
    [{'designation': False, 'comments': True}]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    needle = fold_text(pd.Series([text])).iloc[0]
    if not needle:
        raise ValueError(f"search text {text!r} has no letters or digits")
    columns = [c for c in SEARCH_COLUMNS if c in frame.columns]
    if not columns:
        raise ValueError(f"frame has none of the columns {list(SEARCH_COLUMNS)}")
    return pd.DataFrame(
        {c: fold_text(frame[c]).str.contains(needle, regex=False).astype(bool) for c in columns},
        index=frame.index,
    )


def text_mask(frame: pd.DataFrame, text: str) -> pd.Series:
    """Return a mask of the rows whose designation, description or comments mention ``text``.

    See :func:`text_hits` (the same search, per column).

    Examples
    --------
    >>> f = pd.DataFrame({"designation": ["Bayraktar TB2", "Bayraktar TB-2", "Harop"]})
    >>> text_mask(f, "tb2").tolist()
    [True, True, False]
    """
    return text_hits(frame, text).any(axis=1)


def find_deals(
    deals: pd.DataFrame,
    text: str,
    *,
    recipient: str | None = None,
    supplier: str | None = None,
) -> pd.DataFrame:
    """Return the deals whose designation, description or comments mention ``text``.

    Matching ignores case, spaces and punctuation, so ``Su-30SM``, ``su30sm`` and
    ``Su 30 SM`` all find a row with the comment "Su-30SM version", and ``TB2`` finds both
    ``Bayraktar TB2`` and ``Bayraktar TB-2``. ``recipient`` and ``supplier`` filter on the
    party, in any SIPRI spelling (``Turkey`` finds ``Turkiye``), case-insensitively.

    Parameters
    ----------
    deals : pandas.DataFrame
        A deals frame (or deliveries: any frame with some of the searched columns).
    text : str
        What to look for.
    recipient, supplier : str, optional
        Keep only deals with this recipient / supplier.

    Returns
    -------
    pandas.DataFrame
        The matching rows (a new frame, index reset, ``attrs`` kept) with a ``matched_in``
        column (``string``): the searched columns that matched, comma-separated in the order
        designation, description, comments (e.g. ``"comments"`` or
        ``"designation,comments"``). ``attrs["searched"]`` lists the searched columns the
        frame actually has data in (present and not all missing), in that order: a
        deliveries or JSON export has no Comments, so it gives
        ``["designation", "description"]`` and a deal named only in its comments (the
        Su-30SM, filed as ``Su-30K``) cannot be found there.

    Raises
    ------
    ValueError
        If ``text`` has no letters or digits, or the frame has none of the searched columns.

    Examples
    --------
    >>> deals = pd.DataFrame({
    ...     "recipient": ["Armenia", "Azerbaijan", "Ukraine"],
    ...     "supplier": ["Russia", "Turkiye", "Turkiye"],
    ...     "designation": ["Su-30K", "Bayraktar TB2", "Bayraktar TB-2"],
    ...     "description": ["FGA aircraft", "armed UAV", "armed drone"],
    ...     "comments": ["$120 m deal; Su-30SM version", None, None]})
    >>> find_deals(deals, "Su 30 SM")[["designation", "matched_in"]]
      designation matched_in
    0      Su-30K   comments
    >>> find_deals(deals, "tb2", supplier="Turkey")["recipient"].tolist()
    ['Azerbaijan', 'Ukraine']
    >>> find_deals(deals, "tb2").attrs["searched"]
    ['designation', 'description', 'comments']
    >>> find_deals(deals.assign(comments=None), "Su 30 SM").attrs["searched"]
    ['designation', 'description']
    """
    if not isinstance(deals, pd.DataFrame):
        raise TypeError(f"deals must be a pandas DataFrame, not {type(deals).__name__}")
    hits = text_hits(deals, text)
    keep = pd.Series(True, index=deals.index)
    for col, wanted in (("recipient", recipient), ("supplier", supplier)):
        if wanted is None:
            continue
        if col not in deals.columns:
            raise ValueError(f"frame has no {col!r} column to filter on")
        keep &= party_rows(deals, col, wanted, errors="ignore")
    columns = list(hits.columns)
    hit_frame = hits & keep.to_numpy()[:, None]
    any_hit = hit_frame.any(axis=1)
    matched_in = [
        ",".join(c for c, hit in zip(columns, row, strict=True) if hit)
        for row in hit_frame[any_hit].to_numpy()
    ]
    out = deals[any_hit].copy()
    out["matched_in"] = pd.Series(matched_in, index=out.index, dtype="string")
    out = out.reset_index(drop=True)
    out.attrs = dict(deals.attrs)
    out.attrs["searched"] = searched_columns(deals)
    return out


def searched_columns(frame: pd.DataFrame) -> list[str]:
    """Return the columns of :data:`SEARCH_COLUMNS` that ``frame`` has data in.

    A column counts when it is present and not entirely missing (a frame with no rows
    counts every present column). Deliveries and JSON exports carry no Comments, so the
    readers fill ``comments`` with ``<NA>``: such a frame gives
    ``["designation", "description"]``.

    Examples
    --------
    >>> searched_columns(pd.DataFrame({"designation": ["Su-30K"], "comments": [None]}))
    ['designation']
    """
    return [
        c
        for c in SEARCH_COLUMNS
        if c in frame.columns and (frame.empty or bool(frame[c].notna().any()))
    ]
