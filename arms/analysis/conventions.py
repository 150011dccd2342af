"""SIPRI's conventions as switches, to test how robust a headline is to them.

Three conventions shape every share and leader: local production (licensed assembly or
production in the recipient) counts as a transfer; a TIV of ``0`` means "between 0 and 0.5
million", not nothing; and most figures rest on SIPRI estimates (a ``?`` on the order year,
number or delivery year). :func:`apply_conventions` reads a deliveries frame under other
choices (:data:`CONVENTIONS`); :func:`arms.analysis.robustness.robustness` asks whether a
headline holds under every combination of them.
"""

from __future__ import annotations

import itertools

import pandas as pd

from arms.analysis.select import check_kind, estimated_mask

__all__ = ["CONVENTIONS", "DEFAULTS", "apply_conventions", "convention_grid"]

#: Every choice of each convention; the first is SIPRI's own reading.
CONVENTIONS: dict[str, tuple] = {
    "local_production": (True, False),
    "zero": (0.0, 0.25, 0.5),
    "estimated": (True, False),
}

#: SIPRI's reading: local production in, ``0`` as 0, estimated rows in.
DEFAULTS: dict = {k: v[0] for k, v in CONVENTIONS.items()}


def apply_conventions(
    frame: pd.DataFrame,
    *,
    local_production: bool = True,
    zero: float = 0.0,
    estimated: bool = True,
) -> pd.DataFrame:
    """Return deliveries read under the given conventions.

    Parameters
    ----------
    frame : pandas.DataFrame
        Deliveries.
    local_production : bool, default True
        Keep deliveries SIPRI marks as local production (licensed assembly or production in
        the recipient); False drops them.
    zero : float, default 0.0
        The TIV a SIPRI ``0`` (between 0 and 0.5 million) stands for: 0, 0.25 or 0.5.
    estimated : bool, default True
        Keep rows resting on estimates (:func:`arms.analysis.select.estimated_mask`); False
        drops them.

    Returns
    -------
    pandas.DataFrame
        The rows kept, with ``tiv`` rewritten where it was 0; ``attrs`` as the input's plus
        ``conventions`` (the three choices).

    Examples
    --------
    >>> from arms.schema import conform
    >>> d = conform(pd.DataFrame({"recipient": "Armenia", "year": 2020, "tiv": [0.0, 5.0, 2.0],
    ...     "local_production": [False, True, False],
    ...     "units_estimated": [False, False, True]}), "deliveries")
    >>> apply_conventions(d, zero=0.5)["tiv"].tolist()
    [0.5, 5.0, 2.0]
    >>> apply_conventions(d, local_production=False, estimated=False)["tiv"].tolist()
    [0.0]
    """
    check_kind(frame, "deliveries", func="apply_conventions")
    if zero not in CONVENTIONS["zero"]:
        raise ValueError(f"zero must be one of {CONVENTIONS['zero']}, not {zero!r}")
    keep = pd.Series(True, index=frame.index)
    if not local_production and "local_production" in frame.columns:
        keep &= ~frame["local_production"].astype("boolean").fillna(False).astype(bool)
    if not estimated:
        keep &= ~estimated_mask(frame)
    out = frame.loc[keep]
    if zero:
        tiv = out["tiv"].astype("Float64")
        out = out.assign(tiv=tiv.mask(tiv == 0, zero))
    out.attrs = {
        **frame.attrs,
        "conventions": {
            "local_production": local_production,
            "zero": zero,
            "estimated": estimated,
        },
    }
    return out


def convention_grid() -> list[dict]:
    """Return every combination of :data:`CONVENTIONS` (12), SIPRI's reading first.

    Examples
    --------
    >>> len(convention_grid()), convention_grid()[0]
    (12, {'local_production': True, 'zero': 0.0, 'estimated': True})
    """
    keys = list(CONVENTIONS)
    return [dict(zip(keys, v, strict=True)) for v in itertools.product(*CONVENTIONS.values())]
