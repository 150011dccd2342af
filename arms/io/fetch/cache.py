"""The on-disk cache of :mod:`arms.io.fetch`: where it lives, its keys, atomic writes.

Answers are cached under ``$ARMS_CACHE_DIR`` or ``~/.cache/arms/fetch``, keyed by the
endpoint, the exact request body and the backend's max year, so a new SIPRI release never
serves stale files. Every file (cache entry or fetched export) is written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Any

__all__ = ["CACHE_DIR_ENV", "Cache", "cache_key", "cache_location", "write_atomic"]

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "ARMS_CACHE_DIR"


def cache_location(cache_dir: str | os.PathLike | None = None) -> Path:
    """Return the directory that holds cached backend answers.

    Parameters
    ----------
    cache_dir : str or path-like, optional
        An explicit directory; it wins over everything else.

    Returns
    -------
    pathlib.Path
        ``cache_dir``, else ``$ARMS_CACHE_DIR``, else ``~/.cache/arms/fetch``. The
        directory is not created here.

    Examples
    --------
    >>> cache_location("/tmp/arms-cache").as_posix()
    '/tmp/arms-cache'
    """
    if cache_dir is not None:
        return Path(cache_dir)
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    return Path.home() / ".cache" / "arms" / "fetch"


def cache_key(url: str, body: Any, max_year: int) -> str:
    """Return the cache key of a request: its URL, its exact body and the data year.

    Examples
    --------
    >>> a = cache_key("https://x/api", {"filters": []}, 2025)
    >>> a == cache_key("https://x/api", {"filters": []}, 2026), len(a)
    (False, 32)
    """
    blob = json.dumps({"url": url, "body": body, "max_year": max_year}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    r"""Write ``data`` to ``path`` so that ``path`` is either complete or untouched.

    The bytes go to a hidden temporary file in the same directory (same file system),
    which then replaces ``path`` in one step; on any failure the temporary file is removed
    and the error raised. A replaced file keeps its permissions; a new one gets the usual
    ones (``0o666`` less the umask), not a temporary file's ``0o600``.

    Parameters
    ----------
    path : str or path-like
        The file to write; parent folders are created.
    data : bytes
        Its new content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "x.csv"
    >>> write_atomic(target, b"a,b\n")
    >>> target.read_bytes(), [p.name for p in target.parent.iterdir()]
    (b'a,b\n', ['x.csv'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # a file replaced keeps its mode; a new one gets the umask's, as with open()
        mode = stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    except OSError:
        mode = None
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"{path}: no free temporary name next to it")
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Cache:
    """Payloads and catalogs on disk, one pair of files (``KEY.bin``, ``KEY.json``) per request.

    Parameters
    ----------
    directory : pathlib.Path or None
        Where the entries live; None is a cache that stores nothing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> cache = Cache(pathlib.Path(tempfile.mkdtemp()))
    >>> cache.put("k", b"payload", {"url": "https://x"})
    >>> cache.get("k"), cache.get("other"), Cache(None).get("k")
    (b'payload', None, None)
    """

    def __init__(self, directory: Path | None):
        self.directory = directory

    def path(self, key: str) -> Path | None:
        """Return the payload file of ``key`` (None for a cache that stores nothing)."""
        return None if self.directory is None else self.directory / f"{key}.bin"

    def get(self, key: str) -> bytes | None:
        """Return the stored payload of ``key``; None when absent or corrupt."""
        if self.directory is None:
            return None
        data_path = self.directory / f"{key}.bin"
        meta_path = self.directory / f"{key}.json"
        try:
            data = data_path.read_bytes()
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("sha256") != hashlib.sha256(data).hexdigest():
            log.warning("ignoring corrupt cache entry %s", data_path)
            return None
        return data

    def put(self, key: str, data: bytes, meta: dict[str, Any]) -> None:
        """Store ``data`` under ``key`` with ``meta`` (a failure to write is only logged)."""
        if self.directory is None:
            return
        meta = {**meta, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        try:
            write_atomic(self.directory / f"{key}.bin", data)
            write_atomic(
                self.directory / f"{key}.json",
                json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"),
            )
        except OSError as exc:  # a read-only cache must not fail a good download
            log.warning("could not write the fetch cache in %s: %s", self.directory, exc)
