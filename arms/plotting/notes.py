"""The source note every figure carries, and saving figures as PNG and SVG."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.text import Text

from arms.plotting.style import house_style
from arms.text import SOURCE, generated_date

log = logging.getLogger(__name__)

__all__ = ["NOTE_GID", "add_source_note", "generated_for", "save_figure", "source_note"]

#: ``gid`` of the source-note text, so callers and tests can find it.
NOTE_GID = "arms-source-note"


def source_note(generated: object = None) -> str:
    """Return the source-note text for data generated on ``generated``.

    Parameters
    ----------
    generated : str, datetime.date or None
        The "data generated" stamp of the export: an ISO date or timestamp as the readers
        store it (``"2025-01-03T21:16:02"``), SIPRI's own text (``"13 Apr 2024 3:54:15 PM"``)
        or a date. Dates are written as ``13 Apr 2024``, without the clock time; other
        strings as given, several stamps joined by ``;`` one by one. ``None`` leaves the date
        out.

    Returns
    -------
    str

    Examples
    --------
    >>> source_note("13 Apr 2024")
    'Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024'
    >>> source_note("2025-01-03T21:16:02")
    'Source: SIPRI Arms Transfers Database, data generated 3 Jan 2025'
    >>> import datetime
    >>> source_note(datetime.date(2024, 4, 13))
    'Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024'
    """
    text = _format_generated(generated)
    if text is None:
        return f"Source: {SOURCE}"
    return f"Source: {SOURCE}, data generated {text}"


def add_source_note(ax_or_fig: Axes | Figure, generated: object = None) -> Text:
    """Write the source note at the bottom left of the figure; return the text artist.

    The note is the figure's ``supxlabel``, so a constrained layout leaves room for it and a
    second call replaces the note instead of stacking another one.

    Parameters
    ----------
    ax_or_fig : matplotlib.axes.Axes or matplotlib.figure.Figure
        Any axes of the figure, or the figure.
    generated : str, datetime.date or None
        The data's generated date (see :func:`source_note`).

    Returns
    -------
    matplotlib.text.Text

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> add_source_note(ax, "13 Apr 2024").get_text()
    'Source: SIPRI Arms Transfers Database, data generated 13 Apr 2024'
    >>> plt.close(fig)
    """
    fig = _figure_of(ax_or_fig)
    if generated is None:
        log.warning("no generated date for the source note; the chart will not show it")
    text = fig.supxlabel(
        source_note(generated), x=0.01, ha="left", fontsize=8, color="#555555", style="italic"
    )
    text.set_gid(NOTE_GID)
    return text


def generated_for(frame: pd.DataFrame, generated: object = None) -> object:
    """Return ``generated`` if given, else the frame's ``attrs["source"]["generated"]``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The charted frame; ``attrs["source"]`` is one mapping or a list of them (several
        sources: their stamps are joined by ``"; "``).
    generated : object, optional
        The caller's stamp, which wins.

    Returns
    -------
    object
        The stamp, or None when there is none.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame()
    >>> f.attrs["source"] = [{"generated": "2025-01-03"}, {"generated": "2023-12-11"}]
    >>> generated_for(f)
    '2023-12-11; 2025-01-03'
    >>> generated_for(f, "13 Apr 2024")
    '13 Apr 2024'
    """
    if generated is not None:
        return generated
    source = frame.attrs.get("source") if hasattr(frame, "attrs") else None
    if isinstance(source, Mapping):
        return source.get("generated")
    if isinstance(source, Sequence) and not isinstance(source, str):
        stamps = {str(s.get("generated")) for s in source if isinstance(s, Mapping)}
        stamps.discard("None")
        return "; ".join(sorted(stamps)) or None
    return None


def save_figure(
    fig_or_ax: Figure | Axes,
    path_stem: str | Path,
    *,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int | None = None,
) -> list[Path]:
    """Save a figure once per format next to ``path_stem``; return the written paths.

    ``reports/fig-shares`` becomes ``reports/fig-shares.png`` and ``reports/fig-shares.svg``;
    missing parent folders are created. PNGs are written at the house-style resolution
    (200 dpi, sharp at report size), SVGs keep text as text and carry no timestamp, so
    re-running a report does not change them.

    Parameters
    ----------
    fig_or_ax : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or any axes on it.
    path_stem : str or os.PathLike
        Path without suffix (a suffix equal to one of ``formats`` is dropped).
    formats : sequence of {"png", "svg", "pdf"}, default ("png", "svg")
        One file per format.
    dpi : int, optional
        Overrides the house-style resolution of raster formats.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    TypeError
        If ``fig_or_ax`` is neither a figure nor an axes.
    ValueError
        If a format is not one of png, svg or pdf, or ``formats`` is empty.

    Examples
    --------
    >>> import tempfile, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, Path(tmp) / "chart")]
    ['chart.png', 'chart.svg']
    >>> plt.close(fig)
    """
    fig = _figure_of(fig_or_ax)
    formats = [str(f).lower().lstrip(".") for f in formats]
    bad = sorted(set(formats) - {"png", "svg", "pdf"})
    if bad or not formats:
        raise ValueError(f"formats must be among png, svg, pdf; got {bad or 'none'}")
    stem = Path(path_stem)
    if stem.suffix.lower().lstrip(".") in formats:
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with house_style():
        for fmt in formats:
            path = stem.parent / f"{stem.name}.{fmt}"
            metadata = {"Date": None} if fmt in ("svg", "pdf") else None
            kw: dict[str, Any] = {"format": fmt, "metadata": metadata}
            if dpi is not None:
                kw["dpi"] = dpi
            fig.savefig(path, **kw)
            written.append(path)
    log.info("saved figure to %s", ", ".join(map(str, written)))
    return written


def _figure_of(obj: Axes | Figure) -> Figure:
    if isinstance(obj, Axes):
        fig = obj.figure
    elif isinstance(obj, Figure | SubFigure):
        fig = obj
    else:
        raise TypeError(f"expected a matplotlib Figure or Axes, not {type(obj).__name__}")
    while isinstance(fig, SubFigure):
        fig = fig.figure
    return fig


def _format_generated(generated: object) -> str | None:
    """Return the stamp(s) as :func:`arms.text.generated_date` writes them (``;`` joins)."""
    if isinstance(generated, str):  # generated_for joins the stamps of several sources
        parts = (generated_date(part) for part in generated.split(";"))
        return "; ".join(part for part in parts if part) or None
    return generated_date(generated)
