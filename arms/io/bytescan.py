"""Scans of a file's bytes with numpy, a piece at a time.

A whole-file numpy expression such as ``(arr == 44) | (arr == 10)`` allocates a temporary
as large as the file at each step. On a 3.5 MB register that is megabytes of fresh memory a
scan, and touching fresh memory (a page fault a 4 KB page) costs more than the comparisons
themselves. A piece of 256 KB is reused from the allocator's heap and stays in the
processor's cache, which keeps each scan at the cost of reading the bytes once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PIECE", "any_between", "byte_array", "count_equal", "positions"]

#: Bytes compared at a time.
PIECE = 1 << 18


def byte_array(data: bytes) -> np.ndarray:
    """Return ``data`` as a read-only ``uint8`` array (no copy).

    Examples
    --------
    >>> byte_array(b"a,b").tolist()
    [97, 44, 98]
    """
    return np.frombuffer(data, dtype=np.uint8)


def _mask(piece: np.ndarray, equal: tuple[int, ...], low: int | None, high: int | None):
    if low is not None:
        # uint8 arithmetic wraps: bytes below ``low`` become large
        return (piece - np.uint8(low)) <= np.uint8(high - low)
    mask = piece == equal[0]
    for value in equal[1:]:
        mask |= piece == value
    return mask


def positions(
    arr: np.ndarray,
    *,
    equal: tuple[int, ...] = (),
    low: int | None = None,
    high: int | None = None,
    end: bool = False,
) -> np.ndarray:
    r"""Return the offsets of the bytes equal to one of ``equal`` (or from ``low`` to ``high``).

    Offsets are 32-bit integers for an array under 2 GB. ``end`` adds ``len(arr)`` as a
    last offset (the end of a last field).

    Examples
    --------
    >>> positions(byte_array(b"a,b\nc"), equal=(44, 10)).tolist()
    [1, 3]
    >>> positions(byte_array(b"a\xe9b"), low=0x80, high=0xFF, end=True).tolist()
    [1, 3]
    """
    # 32-bit offsets where they suffice: half the memory to fill (a register's field ends
    # are as many as its bytes are over 8)
    kind = np.int32 if len(arr) < 2**31 else np.intp
    pieces = []
    for start in range(0, len(arr), PIECE):
        hits = np.flatnonzero(_mask(arr[start : start + PIECE], equal, low, high))
        if len(hits):
            pieces.append(hits.astype(kind) + kind(start))
    if end:
        pieces.append(np.array([len(arr)], dtype=kind))
    if not pieces:
        return np.empty(0, dtype=kind)
    return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)


def any_between(arr: np.ndarray, low: int, high: int) -> bool:
    r"""Whether any byte is from ``low`` to ``high`` (stops at the first piece holding one).

    Examples
    --------
    >>> any_between(byte_array(b"caf\xe9"), 0x80, 0x9F)
    False
    >>> any_between(byte_array(b"\x85"), 0x80, 0x9F)
    True
    """
    return any(
        _mask(arr[start : start + PIECE], (), low, high).any()
        for start in range(0, len(arr), PIECE)
    )


def count_equal(arr: np.ndarray, value: int) -> int:
    r"""Return how many bytes equal ``value``.

    Examples
    --------
    >>> count_equal(byte_array(b"a\nb\n"), 10)
    2
    """
    return sum(
        int(np.count_nonzero(arr[start : start + PIECE] == value))
        for start in range(0, len(arr), PIECE)
    )
