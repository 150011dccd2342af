"""PDF output and the browser test: a system Chromium, run headless (nothing is downloaded)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from arms.errors import ArmsError

__all__ = ["INSTALL_CHROMIUM", "find_chromium", "headless_chromium", "print_pdf", "print_pdfs"]

_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: The error when PDF output is asked for and no browser is installed.
INSTALL_CHROMIUM = (
    "PDF output prints the pages with a system Chromium, which was not found: install it "
    "(Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium) or "
    "set ARMS_CHROMIUM to the browser's path"
)


def find_chromium() -> str | None:
    """Return the path of a system Chromium (or Chrome), or ``None`` if none is installed.

    ``$ARMS_CHROMIUM`` names the browser explicitly. Nothing is ever downloaded.

    Returns
    -------
    str or None
    """
    explicit = os.environ.get("ARMS_CHROMIUM")
    if explicit:
        return shutil.which(explicit) or (explicit if Path(explicit).is_file() else None)
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def headless_chromium(
    args: Sequence[str], *, chromium: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run a headless Chromium with a throwaway profile and no background traffic.

    Parameters
    ----------
    args : sequence of str
        The action and the URL, e.g. ``["--dump-dom", "file:///.../index.html"]``.
    chromium : str, optional
        The browser; defaults to :func:`find_chromium`.
    timeout : float, default 120
        Seconds before the browser is killed.

    Returns
    -------
    subprocess.CompletedProcess
        With ``stdout`` and ``stderr`` as text.

    Raises
    ------
    ArmsError
        If no Chromium is installed, or it did not finish within ``timeout``.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise ArmsError(INSTALL_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="arms-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={profile}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            return subprocess.run(
                [*command, *args], capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ArmsError(f"Chromium did not finish within {timeout:g} s: {args}") from exc


def print_pdf(
    html: str | os.PathLike, pdf: str | os.PathLike, *, chromium: str | None = None
) -> Path:
    """Print an HTML file to PDF with headless Chromium; return the PDF's path.

    Parameters
    ----------
    html : str or os.PathLike
        The page.
    pdf : str or os.PathLike
        The PDF to write.
    chromium : str, optional
        The browser; defaults to :func:`find_chromium`.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ArmsError
        If Chromium is missing or wrote no PDF.
    """
    pdf = Path(pdf).resolve()
    pdf.unlink(missing_ok=True)
    done = headless_chromium(
        ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", Path(html).resolve().as_uri()],
        chromium=chromium,
    )
    if not pdf.exists() or pdf.stat().st_size == 0:
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ArmsError(f"Chromium wrote no PDF for {Path(html).name}: {detail}")
    return pdf


def print_pdfs(pages: Sequence[Any], *, chromium: str, jobs: int = 1) -> list[str]:
    """Print every written page to PDF next to its HTML, ``jobs`` at once.

    Parameters
    ----------
    pages : sequence of PageResult
        Pages with ``html`` set get ``pdf`` set.
    chromium : str
        The browser (:func:`find_chromium`).
    jobs : int, default 1
        Browsers run at once.

    Returns
    -------
    list of str
        One message per page that could not be printed.
    """
    problems: list[str] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(print_pdf, page.html, page.html.with_suffix(".pdf"), chromium=chromium): (
                page
            )
            for page in pages
            if page.html is not None
        }
        for future in as_completed(futures):
            try:
                futures[future].pdf = future.result()
            except ArmsError as exc:
                problems.append(str(exc))
    return problems
