"""``arms diff OLD NEW``: what changed, deal by deal, between two SIPRI releases.

Both files are trade registers or deliveries exports (or one of each); undelivered orders
are compared like any deal. JSON output (``--json``)::

    {"old": {"path": ..., "generated": ...}, "new": {...},
     "counts": {"added": n, "removed": n, "changed": n, "unchanged": n},
     "tiv_moved": {"added": x, "removed": x, "changed": x, "gross": x},
     "matched_on": "...",
     "deals": [{"status": "added" | "removed" | "changed", "recipient": ..., "supplier": ...,
                "designation": ..., "order_year": ..., "changes": {field: [old, new]},
                "matched_by": "id" | "fields" | "tolerant" | null,
                "tiv_old": x, "tiv_new": x, "tiv_change": x}, ...]}

TIV is SIPRI's trend-indicator value, a volume index in millions, not money.
"""

from __future__ import annotations

import pandas as pd

from arms.analysis import release_diff
from arms.cli.output import emit
from arms.errors import ArmsError
from arms.frames import load
from arms.text import fmt_tiv, plural

__all__ = ["payload", "register"]

_TITLES = {
    "added": "Added (in the new release only)",
    "removed": "Removed (in the old release only)",
    "changed": "Changed",
}


def register(subparsers) -> None:
    """Add the ``diff`` sub-command to the ``arms`` parser."""
    parser = subparsers.add_parser(
        "diff",
        help="compare two SIPRI releases deal by deal (added, removed, changed)",
        description=(
            "Compare two releases of a SIPRI trade register or deliveries export deal by "
            "deal, undelivered orders included: which deals were added, removed or changed "
            "(order year, designation, numbers, delivery years, TIV, status). Deals are "
            "matched on SIPRI's deal id when both files have one, else on supplier, "
            "recipient, order year and designation, then tolerantly (a moved order year, a "
            "respelled designation). TIV is a volume index in millions, not money."
        ),
    )
    parser.add_argument("old", metavar="OLD", help="the earlier release")
    parser.add_argument("new", metavar="NEW", help="the later release")
    parser.add_argument("--recipient", metavar="NAME", action="append", help="only this recipient")
    parser.add_argument("--supplier", metavar="NAME", action="append", help="only this supplier")
    parser.add_argument("--from", dest="start", type=int, metavar="YEAR", help="first year")
    parser.add_argument("--to", dest="end", type=int, metavar="YEAR", help="last year")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_run)


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def payload(diff: pd.DataFrame, old_path: str, new_path: str) -> dict:
    """Return the JSON payload of a :func:`arms.release_diff` result.

    Examples
    --------
    >>> import pandas as pd
    >>> from arms.schema import conform
    >>> old = conform(pd.DataFrame({"deal_id": [1], "supplier": "Israel",
    ...     "recipient": "Azerbaijan", "designation": "Harop", "order_year": 2016,
    ...     "year": 2017, "units": [50], "tiv": [25.0]}), "deliveries")
    >>> new = old.assign(units=pd.array([60], dtype="Int64"))
    >>> p = payload(release_diff(old, new), "old.csv", "new.csv")
    >>> p["counts"], p["deals"][0]["changes"]
    ({'added': 0, 'removed': 0, 'changed': 1, 'unchanged': 0}, {'number_delivered': [50, 60]})
    """
    deals = [
        {
            "status": str(r["change"]),
            "recipient": _plain(r["recipient"]),
            "supplier": _plain(r["supplier"]),
            "designation": _plain(r["designation"]),
            "order_year": _plain(r["order_year"]),
            "changes": r["changes"],
            "matched_by": _plain(r["matched_by"]),
            "tiv_old": _plain(r["tiv_old"]),
            "tiv_new": _plain(r["tiv_new"]),
            "tiv_change": _plain(r["tiv_change"]),
        }
        for r in diff.astype(object).to_dict(orient="records")
    ]
    return {
        "old": {"path": str(old_path), "generated": diff.attrs.get("old_generated")},
        "new": {"path": str(new_path), "generated": diff.attrs.get("new_generated")},
        "counts": diff.attrs["counts"],
        "tiv_moved": diff.attrs["tiv_moved"],
        "matched_on": diff.attrs["matched_on"],
        "deals": deals,
    }


def _signed(x: float) -> str:
    return ("+" if x > 0 else "-" if x < 0 else "") + fmt_tiv(abs(x))


def _human(p: dict) -> None:
    c, m = p["counts"], p["tiv_moved"]
    old = p["old"]["generated"] or p["old"]["path"]
    new = p["new"]["generated"] or p["new"]["path"]
    print(
        f"TIV moved from {old} to {new} (millions of TIV, a volume index, not money): "
        f"{_signed(m['added'])} in added deals, {_signed(m['removed'])} in removed deals, "
        f"{_signed(m['changed'])} net in changed deals ({fmt_tiv(m['gross'])} gross)"
    )
    print(
        f"{plural(c['added'], 'deal')} added, {c['removed']} removed, {c['changed']} changed, "
        f"{c['unchanged']} unchanged"
    )
    for status in ("added", "removed", "changed"):
        rows = [d for d in p["deals"] if d["status"] == status]
        if not rows:
            continue
        print(f"\n{_TITLES[status]}: {len(rows)}")
        for d in rows:
            order = d["order_year"] if d["order_year"] is not None else "?"
            head = f"  {d['supplier']} -> {d['recipient']}, {d['designation']} (ordered {order})"
            if status == "changed":
                moved = "; ".join(f"{k} {v[0]} -> {v[1]}" for k, v in d["changes"].items())
                print(f"{head} [{d['matched_by']}]: {moved}")
            else:
                tiv = d["tiv_new"] if status == "added" else d["tiv_old"]
                print(f"{head}: TIV delivered {fmt_tiv(tiv) if tiv is not None else 'none'}")


def _run(args) -> int:
    frames = []
    for path in (args.old, args.new):
        frame = load(path)
        if "tiv" in frame.columns and "entity" in frame.columns:
            raise ArmsError(f"{path} is a TIV table; arms diff compares registers or deliveries")
        frames.append(frame)
    diff = release_diff(
        frames[0],
        frames[1],
        recipient=args.recipient,
        supplier=args.supplier,
        start=args.start,
        end=args.end,
    )
    p = payload(diff, args.old, args.new)
    emit(p, as_json=args.json, human=lambda: _human(p))
    return 0
