"""The public faces of :mod:`arms.io.fetch`: one function per kind of SIPRI export.

Each returns the path of the written file; :func:`arms.io.fetch.export.fetch_export` does the
work and says more (variant, size, cache use, checksum).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from arms.io.fetch.client import DEFAULT_BACKOFF, DEFAULT_RETRIES, DEFAULT_TIMEOUT
from arms.io.fetch.export import COMMON_PARAMETERS, fetch_export

__all__ = ["fetch_register", "fetch_deliveries", "fetch_tiv"]


def fetch_register(
    recipients: str | Iterable[str] | None = None,
    suppliers: str | Iterable[str] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    output: str | os.PathLike | None = None,
    open_deals: bool = True,
    api_url: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: bool = True,
) -> Path:
    """Return the path of a freshly downloaded SIPRI trade register (V1, one row per deal).

    Parameters
    ----------
    {common}
    open_deals : bool, default True
        Also list orders with no delivery in the range, as SIPRI's own download does.

    Returns
    -------
    pathlib.Path
        The written file, byte for byte what SIPRI sent; read it with
        :func:`arms.read_trade_register`.

    Raises
    ------
    arms.FetchError
        When a name is not in SIPRI's catalog, the backend cannot be reached, or it
        answers anything but a V1 trade register (an HTML page, JSON without the payload,
        bad base64, another variant). No file is written then.
    ValueError
        For an empty year range or a timeout that is not positive.
    TypeError
        When a name is not a str or a year not an int.

    Examples
    --------
    >>> path = arms.fetch_register("Armenia", first_year=1990)  # doctest: +SKIP
    >>> deals = arms.read_trade_register(path)  # doctest: +SKIP
    """
    return fetch_export(
        "register",
        recipients,
        suppliers,
        first_year=first_year,
        last_year=last_year,
        output=output,
        api_url=api_url,
        cache=cache,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
        open_deals=open_deals,
    ).path


def fetch_deliveries(
    recipients: str | Iterable[str] | None = None,
    suppliers: str | Iterable[str] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    output: str | os.PathLike | None = None,
    api_url: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: bool = True,
) -> Path:
    """Return the path of a freshly downloaded SIPRI deliveries register (V2).

    One row per deal and delivery year, with SIPRI's own per-year units and TIV.

    Parameters
    ----------
    {common}

    Returns
    -------
    pathlib.Path
        The written file; read it with :func:`arms.read_deliveries`.

    Raises
    ------
    arms.FetchError
        As :func:`fetch_register`, with V2 the expected variant.

    Examples
    --------
    >>> path = arms.fetch_deliveries(suppliers="Russia", first_year=2014)  # doctest: +SKIP
    >>> arms.read_deliveries(path).groupby("year")["tiv"].sum()  # doctest: +SKIP
    """
    return fetch_export(
        "deliveries",
        recipients,
        suppliers,
        first_year=first_year,
        last_year=last_year,
        output=output,
        api_url=api_url,
        cache=cache,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
    ).path


def fetch_tiv(
    recipients: str | Iterable[str] | None = None,
    suppliers: str | Iterable[str] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    by: str | None = None,
    output: str | os.PathLike | None = None,
    api_url: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: bool = True,
) -> Path:
    """Return the path of a freshly downloaded SIPRI TIV values table (V3).

    Parameters
    ----------
    {common}
    by : {"recipient", "supplier"}, optional
        One row per recipient (imports table) or per supplier (exports table). By
        default ``supplier`` when only suppliers are given, else ``recipient``.

    Returns
    -------
    pathlib.Path
        The written file; read it with :func:`arms.read_tiv_table`.

    Raises
    ------
    arms.FetchError
        As :func:`fetch_register`, with V3 the expected variant.

    Examples
    --------
    >>> path = arms.fetch_tiv(first_year=2000, last_year=2024)  # doctest: +SKIP
    >>> arms.read_tiv_table(path)  # doctest: +SKIP
    """
    return fetch_export(
        "tiv",
        recipients,
        suppliers,
        first_year=first_year,
        last_year=last_year,
        output=output,
        api_url=api_url,
        cache=cache,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
        by=by,
    ).path


# The shared parameters are written once.
for _func in (fetch_register, fetch_deliveries, fetch_tiv):
    _func.__doc__ = _func.__doc__.replace("    {common}", COMMON_PARAMETERS)
del _func
