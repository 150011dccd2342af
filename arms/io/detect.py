"""Recognise a SIPRI export by its content: variant, encoding, header line, preamble metadata.

:func:`detect_format` is the public entry point. The knowledge it draws on lives in one module
per job: :mod:`arms.io.formats` (variants, header signatures, :class:`FormatInfo`),
:mod:`arms.io.preamble` (the lines above the header) and :mod:`arms.io.sources` (bytes,
decoding, JSON and XLSX containers). Their public names are re-exported here, so
``from arms.io.detect import load_source`` keeps working.
"""

from __future__ import annotations

import os

from arms.io.formats import (
    KIND_OF_VARIANT,
    VARIANTS,
    FormatInfo,
    match_header,
    strip_padding,
)
from arms.io.preamble import parse_generated, parse_preamble
from arms.io.sources import Source, load_source

__all__ = [
    "FormatInfo",
    "KIND_OF_VARIANT",
    "Source",
    "VARIANTS",
    "detect_format",
    "load_source",
    "match_header",
    "parse_generated",
    "parse_preamble",
    "strip_padding",
]


def detect_format(path: str | os.PathLike) -> FormatInfo:
    r"""Return what kind of SIPRI export ``path`` is, found from its content.

    Parameters
    ----------
    path : str or os.PathLike
        A SIPRI export: ``.csv``, ``.txt``, ``.json``, ``.xlsx`` or the legacy ``.csv.xls``
        (which is CSV text). The suffix is not trusted; the bytes decide.

    Returns
    -------
    FormatInfo
        Variant, encoding, delimiter, header line, columns and preamble metadata.

    Raises
    ------
    SipriFormatError
        For an empty file, an HTML page, a PDF, a zip that is not a workbook, binary data, or
        a header that matches no known variant (the message lists the columns seen against
        the nearest known header).
    TypeError
        If ``path`` is not a path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> p = d / "t.csv"
    >>> _ = p.write_text("Recipient,2020,2020-2020,Percentage\nArmenia,4,4,100%\n")
    >>> info = detect_format(p)
    >>> info.variant, info.kind, info.header_line
    ('V3', 'tiv', 1)
    """
    return load_source(path).info
