"""Checking what the backend answered: a base64 payload that must be a SIPRI export.

A client that does not check what came back saves an HTML page as "data". Every payload is
decoded here and checked by the project's own detector (:func:`arms.io.detect.detect_format`),
so "is this a SIPRI file" means the same here as in every reader.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
import warnings
from pathlib import Path
from typing import Any

from arms.errors import ArmsError, FetchError, SipriFormatError
from arms.io.detect import detect_format
from arms.io.fetch.client import clip, snippet
from arms.io.readers import read_any

__all__ = ["EXPECTED_VARIANTS", "decode_payload", "verify_payload"]

#: The variant :func:`arms.io.detect.detect_format` must report for each kind of request.
EXPECTED_VARIANTS: dict[str, frozenset[str]] = {
    "register": frozenset({"V1"}),
    "deliveries": frozenset({"V2"}),
    "tiv": frozenset({"V3"}),
}


# What a reader may raise on bytes it cannot read (its own errors, and the ones it lets slip).
_UNREADABLE = (ArmsError, ValueError, TypeError, UnicodeError, OverflowError, RecursionError)


def verify_payload(data: bytes, expected: set[str] | frozenset[str]) -> str:
    r"""Return the variant of ``data`` if it is a SIPRI export of an ``expected`` variant.

    The bytes are written to a temporary file, checked by the project's own detector,
    :func:`arms.io.detect.detect_format`, and then read whole by the readers (any line that
    cannot be read refuses the payload), so "is this a SIPRI file" means the same here as
    in every reader.

    Parameters
    ----------
    data : bytes
        The decoded payload.
    expected : set of str
        The variants accepted (:data:`EXPECTED_VARIANTS`).

    Returns
    -------
    str
        The variant.

    Raises
    ------
    arms.FetchError
        When the bytes are empty, not a SIPRI export, or one of another variant.

    Examples
    --------
    >>> try:
    ...     verify_payload(b"Recipient,Supplier\n", {"V1"})
    ... except FetchError as exc:
    ...     str(exc).startswith("the payload is not a SIPRI export")
    True
    """
    if not data.strip():
        raise FetchError("the payload is empty")
    with tempfile.TemporaryDirectory(prefix="arms-fetch-") as tmp:
        path = Path(tmp) / "payload.csv"
        path.write_bytes(data)
        try:
            info = detect_format(path)
        except SipriFormatError as exc:
            raise FetchError(
                f"the payload is not a SIPRI export: {clip(exc.reason, 70)}; "
                f"it starts with {snippet(data)}"
            ) from exc
        variant = info.variant
        if variant not in expected:
            raise FetchError(
                f"the payload is a SIPRI {variant} file, not the expected "
                f"{' or '.join(sorted(expected))}; it starts with {snippet(data)}"
            )
        # the whole payload, not only its header: a cut or padded answer must not be saved
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = read_any(path, errors="raise")
        except _UNREADABLE as exc:  # whatever stops a reader, the payload is not saved
            if isinstance(exc, SipriFormatError):
                where = f"line {exc.line}: " if exc.line else ""
                reason = exc.reason
            else:
                where, reason = "", f"{type(exc).__name__}: {exc}"
            raise FetchError(
                f"the {variant} payload ({len(data):,} bytes) does not read as a whole: "
                f"{where}{clip(reason, 60)}"
            ) from None
    parts = frame.attrs.get("parts") or []
    if len(parts) > 1:  # one answer is one export: a second header means a spliced answer
        lines = ", ".join(str(part["header_line"]) for part in parts[:4])
        raise FetchError(
            f"the {variant} payload ({len(data):,} bytes) holds {len(parts)} exports one "
            f"after another (headers at lines {clip(lines, 40)}), not one"
        )
    return variant


def decode_payload(answer: Any) -> bytes:
    r"""Return the bytes of a ``{"bytes": "<base64>"}`` answer.

    Raises
    ------
    arms.FetchError
        When the answer has no ``bytes`` payload, an empty one or one that is not base64.

    Examples
    --------
    >>> decode_payload({"bytes": "YSxiCg=="})
    b'a,b\n'
    """
    if not isinstance(answer, dict) or "bytes" not in answer:
        got = type(answer).__name__
        if isinstance(answer, dict):
            keys = sorted(map(str, answer))
            got = repr(keys[:5])[:-1] + (f", ... {len(keys)} keys]" if len(keys) > 5 else "]")
        raise FetchError(
            f"the JSON answer has no 'bytes' payload (got {clip(got, 80)}: "
            f"{clip(repr(answer)[:200], 60)})"
        )
    encoded = answer["bytes"]
    if not isinstance(encoded, str) or not encoded.strip():
        raise FetchError(f"the 'bytes' payload is empty ({clip(repr(encoded)[:80], 40)})")
    try:
        return base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FetchError(
            f"the 'bytes' payload is not valid base64 ({clip(exc, 80)}; "
            f"starts {clip(repr(encoded[:40]), 50)})"
        ) from exc
