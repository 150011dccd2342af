"""``arms shares``: supplier shares of a recipient's delivered TIV over a window.

Any file :func:`arms.io.readers.read_deliveries` reads will do: a deliveries export gives SIPRI's
own per-year figures (``method`` ``sipri``); a trade register is split evenly over each deal's
delivery years (``method`` ``even``, an estimate of the yearly profile).
"""

from __future__ import annotations

import pandas as pd

from arms.analysis import suggest_names, supplier_shares
from arms.cli.output import emit
from arms.errors import ArmsError, UnknownEntityError
from arms.io.readers import read_deliveries
from arms.text import generated_date

__all__ = ["register", "run", "shares_payload"]


def register(subparsers) -> None:
    """Add the ``shares`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser(
        "shares",
        help="supplier shares of a recipient's delivered TIV",
        description=(
            "Supplier shares of a recipient's delivered TIV (SIPRI trend-indicator values, "
            "a volume index, not money) over a window of delivery years."
        ),
    )
    parser.add_argument("path", help="a SIPRI deliveries export or trade register")
    parser.add_argument("--recipient", required=True, help="the importing party, e.g. Azerbaijan")
    parser.add_argument(
        "--from",
        dest="start",
        type=int,
        default=None,
        help="first delivery year (default: the file's first)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=int,
        default=None,
        help="last delivery year (default: the file's last)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def shares_payload(shares) -> dict:
    """Return the JSON payload for a :func:`arms.analysis.supplier_shares` result.

    Parameters
    ----------
    shares : pandas.DataFrame
        The result, with its ``attrs``.

    Returns
    -------
    dict
        ``recipient``, ``from``, ``to``, ``total_tiv``, ``method``, ``estimated_share``
        (percent of the total resting on SIPRI estimates), ``generated`` (the data's date),
        ``shares``: ``{supplier, tiv, share}`` records, share in percent, largest first, and
        ``supplier_scope``: ``None``, or the suppliers the file is limited to (``"China"``
        for a "from China to All countries" export), in which case the shares are of those
        suppliers' deliveries, not of all the recipient's imports; ``split_error`` (for a
        split register: the split's measured error against SIPRI's per-year figures, else
        ``None``) and ``estimated_lower_bound``. Figures are rounded to two decimals.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.analysis import supplier_shares
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Armenia", "supplier": ["Russia", "India"],
    ...     "year": 2022, "tiv": [29.0, 21.0], "allocation": "sipri"}), "deliveries")
    >>> p = shares_payload(supplier_shares(d, "Armenia", start=2022, end=2022))
    >>> p["total_tiv"], p["shares"][0]
    (50.0, {'supplier': 'Russia', 'tiv': 29.0, 'share': 58.0})
    """
    attrs = shares.attrs

    def num(value):
        # pd.NA (a file without TIV, such as the backend JSON) has no truth value
        return (
            None if value is None or value is pd.NA or value != value else round(float(value), 2)
        )

    return {
        "recipient": attrs.get("recipient"),
        "from": attrs.get("start"),
        "to": attrs.get("end"),
        "total_tiv": num(attrs.get("total_tiv")),
        "method": attrs.get("method"),
        "estimated_share": num(attrs.get("estimated_share")),
        "generated": (attrs.get("source") or {}).get("generated"),
        "shares": [
            {"supplier": str(r.supplier), "tiv": num(r.tiv), "share": num(r.share)}
            for r in shares.itertuples(index=False)
        ],
        "supplier_scope": attrs.get("supplier_scope"),
        "split_error": attrs.get("split_error"),
        "estimated_lower_bound": attrs.get("estimated_lower_bound", False),
    }


def run(args) -> int:
    """Run ``arms shares``; return the exit code."""
    frame = read_deliveries(args.path)
    if len(frame) and frame["tiv"].isna().all():
        raise ArmsError(
            f"{args.path}: the file holds no TIV values (a {frame.attrs['source']['variant']} "
            "export lists units, not TIV); supplier shares need a trade register or a "
            "deliveries export with TIV"
        )
    years = frame["year"].dropna()
    start = args.start if args.start is not None else (int(years.min()) if len(years) else 0)
    end = args.end if args.end is not None else (int(years.max()) if len(years) else 0)
    if start > end:
        raise ArmsError(f"--from {start} is after --to {end}")
    try:
        shares = supplier_shares(frame, args.recipient, start=start, end=end)
    except UnknownEntityError:
        names = sorted(set(frame["recipient"].dropna().astype(str)))
        close = suggest_names(args.recipient, names)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ArmsError(f"{args.path}: no deliveries to {args.recipient!r}{hint}") from None
    payload = shares_payload(shares)
    emit(payload, as_json=args.json, human=lambda: _print(payload))
    return 0


def _print(payload: dict) -> None:
    method = {
        "sipri": "SIPRI's per-year figures",
        "even": "register split evenly over delivery years (estimate)",
    }.get(payload["method"], payload["method"])
    total = payload["total_tiv"] or 0.0
    print(
        f"{payload['recipient']}, deliveries {payload['from']}-{payload['to']}: "
        f"{total:,.1f} million TIV ({method})"
    )
    scope = payload.get("supplier_scope")
    if scope:
        print(
            f"Note: this file only holds deliveries from {scope}; these are shares of those, "
            f"not of all {payload['recipient']}'s imports"
        )
    if not payload["shares"]:
        print("no deliveries in these years")
        return
    width = max(len("supplier"), *(len(s["supplier"]) for s in payload["shares"]))
    print(f"{'supplier':<{width}}  {'TIV':>9}  {'share':>6}")
    for s in payload["shares"]:
        share = "" if s["share"] is None else f"{s['share']:.1f}%"
        print(f"{s['supplier']:<{width}}  {s['tiv']:>9,.1f}  {share:>6}")
    notes = []
    if payload["estimated_share"] is not None:
        bound = "at least " if payload.get("estimated_lower_bound") else ""
        notes.append(
            f"{bound}{payload['estimated_share']:.0f}% of the TIV rests on SIPRI estimates"
        )
    err = payload.get("split_error")
    if err:
        notes.append(
            f"yearly figures from a split register are off by about {err['recipient_year']:.0%} "
            f"per recipient-year ({err['five_year']:.0%} per five years) against SIPRI's own"
        )
    generated = generated_date(payload["generated"])
    if generated:
        notes.append(f"data generated {generated}")
    notes.append("Source: SIPRI Arms Transfers Database; TIV is a volume index, not money")
    print("; ".join(notes))
