"""What notebooks call to feed the report: figures, tables, key figures and their sources.

Each helper does nothing outside a report build, so the same notebook runs unchanged in
Jupyter. During a build, :func:`arms.report.build_report` sets one environment variable per
kind of record in every page's kernel:

* :func:`collect_figure` saves a figure (PNG and SVG) into ``$ARMS_REPORT_FIGURES``;
* :func:`collect_table` keeps a table for the workbook (``$ARMS_REPORT_TABLES``);
* :func:`key_figure` records a headline number for the index (``$ARMS_REPORT_KEYS``);
* :func:`collect_source` records the SIPRI file a frame came from (``$ARMS_REPORT_SOURCES``),
  from its ``attrs["source"]``: the index and the page footers cite exactly these files.

This module is imported by every notebook that calls the helpers, so it stays cheap: pandas
and matplotlib are imported only inside the helpers that need them.
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

__all__ = [
    "ENV_FIGURES",
    "ENV_KEYS",
    "ENV_SOURCES",
    "ENV_TABLES",
    "collect_figure",
    "collect_source",
    "collect_table",
    "key_figure",
    "read_records",
    "fact_label",
    "fact_text",
    "read_sources",
    "show_key_facts",
    "slug",
]

#: Environment variables that switch the notebook helpers on (set per kernel by the build).
ENV_FIGURES = "ARMS_REPORT_FIGURES"
ENV_TABLES = "ARMS_REPORT_TABLES"
ENV_KEYS = "ARMS_REPORT_KEYS"
ENV_SOURCES = "ARMS_REPORT_SOURCES"

# The save-time part of arms.plotting.HOUSE_STYLE (a test checks they agree). Not imported
# from there: arms.plotting loads matplotlib, and this module must stay cheap to import.
SAVE_STYLE = {
    "savefig.dpi": 200,
    "savefig.facecolor": "white",
    "svg.fonttype": "none",
    "svg.hashsalt": "arms",
}
#: Keys of ``attrs["source"]`` a page's source record keeps.
SOURCE_KEYS = ("path", "sha256", "variant", "generated", "year_from", "year_to", "query")


def slug(text: str) -> str:
    """Return ``text`` as a lower-case ASCII file name part.

    Examples
    --------
    >>> slug("Türkiye"), slug("Supplier shares, 2016-20")
    ('turkiye', 'supplier-shares-2016-20')
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def describe_figure(fig: Any) -> str:
    """Return a text description of a chart for readers who cannot see it (its alt text).

    Title, axis labels, the legend's entries and the source note, from the figure itself.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["Israel"], [1.0], label="Israel"); _ = ax.legend()
    >>> _ = ax.set_title("Imports of Azerbaijan, 2016-20"); _ = ax.set_ylabel("TIV")
    >>> describe_figure(fig)
    'Chart: Imports of Azerbaijan, 2016-20. Vertical axis: TIV. Legend: Israel.'
    >>> plt.close(fig)
    """
    parts: list[str] = []
    for ax in getattr(fig, "axes", []):
        if ax.get_label() == "<colorbar>":  # matplotlib's name for a colour bar's axes
            scale = ax.get_ylabel() or ax.get_xlabel()
            parts.append(f"Colour scale: {scale}." if scale else "")
            continue
        title = ax.get_title() or ""
        bits = [f"Chart: {title}."] if title else []
        if ax.get_xlabel():
            bits.append(f"Horizontal axis: {ax.get_xlabel()}.")
        if ax.get_ylabel():
            bits.append(f"Vertical axis: {ax.get_ylabel()}.")
        leg = ax.get_legend()
        if leg is not None:
            entries = [t.get_text() for t in leg.get_texts() if t.get_text()]
            if entries:
                bits.append("Legend: " + ", ".join(entries) + ".")
        parts.extend(bits)
    for text in [*getattr(fig, "texts", []), *(t for ax in fig.axes for t in ax.texts)]:
        if str(text.get_gid() or "").endswith("source-note") and text.get_text():
            parts.append(" ".join(text.get_text().split()))
            break
    return " ".join(" ".join(parts).split()) or "Chart"


def collect_figure(fig: Any, name: str) -> None:
    """Save a figure (PNG and SVG) into the report's ``figures/`` folder, and show it.

    Outside a report build (``$ARMS_REPORT_FIGURES`` unset) this does nothing, so notebooks
    call it unconditionally. It returns nothing, so a cell ending with it shows no output.
    In a build it shows the figure itself, with its description (:func:`describe_figure`)
    as the image's alt text, and closes it (so it is not shown twice).

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or any axes on it.
    name : str
        A short name; the file is ``<slug of name>.png`` (and ``.svg``), the index shows the
        name as the caption.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("ARMS_REPORT_FIGURES", None) and None
    >>> collect_figure(None, "Supplier shares")
    """
    directory = os.environ.get(ENV_FIGURES)
    if not directory:
        return
    import matplotlib

    figure = fig
    while not hasattr(figure, "savefig"):  # axes and subfigures lead to their figure
        if getattr(figure, "figure", None) is None:
            raise TypeError(f"expected a matplotlib Figure or Axes, not {type(fig).__name__}")
        figure = figure.figure
    stem = Path(directory) / (slug(name) or "figure")
    stem.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with matplotlib.rc_context(SAVE_STYLE):
        # laid out once: the PNG (also shown, scaled down, on the page) and the SVG are then
        # drawn with the layout engine paused, in the same tight box (two drawings, not four)
        box = _settled_box(figure)
        engine = figure.get_layout_engine()
        with matplotlib.rc_context(
            {"figure.autolayout": False, "figure.constrained_layout.use": False}
        ):
            figure.set_layout_engine(None)  # (None, not "none": savefig then draws once)
        try:
            figure.savefig(buffer, format="png", bbox_inches=box)
            # no timestamp in the SVG: re-running a report does not change it
            figure.savefig(
                stem.with_name(stem.name + ".svg"),
                format="svg",
                metadata={"Date": None},
                bbox_inches=box,
            )
        finally:
            if engine is not None:
                figure.set_layout_engine(engine)
    png = buffer.getvalue()
    stem.with_name(stem.name + ".png").write_bytes(png)
    alt = describe_figure(figure)
    records = os.environ.get(ENV_KEYS)
    if records:  # the index's caption keeps the name as written (the slug loses case)
        title = next((ax.get_title() for ax in figure.axes if ax.get_title()), "")
        record = {"figure": stem.name, "name": str(name), "alt": alt, "title": title}
        _append_record(records, record)
    _show(figure, alt, png)


def _settled_box(figure: Any) -> Any:
    """Lay ``figure`` out without painting it; return its tight box (in inches), padded."""
    import matplotlib

    figure.draw_without_rendering()
    box = figure.get_tightbbox(figure.canvas.get_renderer())
    return box.padded(matplotlib.rcParams["savefig.pad_inches"])


def _show(figure: Any, alt: str, png: bytes) -> None:
    """Display ``figure`` once, as ``png`` with ``alt`` text, and close it (in IPython only).

    ``png`` is the file's picture (at ``savefig.dpi`` of :data:`SAVE_STYLE`), scaled to the
    figure's own dpi, so that the page shows the chart at its usual size without rendering
    it a third time.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the notebooks' kernel
        return
    if get_ipython() is None:
        return
    import base64

    import matplotlib.pyplot as plt
    from PIL import Image

    scale = float(figure.dpi) / float(SAVE_STYLE["savefig.dpi"])
    if scale < 1:
        image = Image.open(io.BytesIO(png))
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        buffer = io.BytesIO()
        image.resize(size, Image.Resampling.LANCZOS).save(buffer, format="png", optimize=False)
        png = buffer.getvalue()
    data = base64.b64encode(png).decode("ascii")
    display({"image/png": data}, raw=True, metadata={"image/png": {"alt": alt}})
    plt.close(figure)


def collect_table(table: Any, name: str) -> None:
    """Keep a table for the report's workbook (``arms-tables.xlsx``).

    Outside a report build (``$ARMS_REPORT_TABLES`` unset) this does nothing. The table is
    pickled with its ``attrs`` (the provenance ``to_excel`` cites); nothing is returned, so a
    cell ending with it shows no output.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        The table, as it should appear on its sheet.
    name : str
        The sheet name (made valid for Excel when the workbook is written; a name used by
        several pages is prefixed with the page's recipient or number).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or Series (also outside a report build).

    Examples
    --------
    >>> import os, pandas as pd
    >>> os.environ.pop("ARMS_REPORT_TABLES", None) and None
    >>> collect_table(pd.DataFrame({"a": [1]}), "t")
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame | pd.Series):
        raise TypeError(f"collect_table needs a DataFrame or Series, not {type(table).__name__}")
    directory = os.environ.get(ENV_TABLES)
    if not directory:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{len(list(folder.glob('*.pkl'))):03d}-{slug(name) or 'table'}.pkl"
    pd.to_pickle({"name": str(name), "table": table}, path)


def key_figure(label: str, value: Any, note: str | None = None) -> None:
    """Record a headline number for the report's index.

    Outside a report build (``$ARMS_REPORT_KEYS`` unset) this does nothing. The index shows
    the label, the value (numbers with thousands separators, floats to two decimals at most)
    and the note, escaped, with a link to the page that recorded it.

    Parameters
    ----------
    label : str
        What the number is, e.g. ``"Israel's share of Azerbaijan's imports, 2016-20"``.
    value : int, float or str
        The number (computed by the notebook, never typed in) or a formatted text.
    note : str, optional
        Unit or caveat, e.g. ``"% of TIV"``. Plain text: markdown code marks (backticks)
        are dropped, since the index shows the note as text.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("ARMS_REPORT_KEYS", None) and None
    >>> key_figure("Su-30SM delivered", 4)
    """
    path = os.environ.get(ENV_KEYS)
    if not path:
        return
    record = {
        "label": str(label),
        "value": _plain(value),
        "note": None if note is None else str(note).replace("`", ""),
    }
    _append_record(path, record)


def show_key_facts(facts: dict) -> None:
    """Show a page's key facts: a table for readers, the exact values as JSON for scripts.

    One output with two forms: ``application/json`` holds ``{"key_facts": {...}}`` with the
    values as computed (what the tests and scripts read); ``text/html`` is the same facts
    as a reader sees them, labelled in words, numbers rounded for display, mappings written
    out (``1951-55: Soviet Union; ...``) and missing values as a dash.

    Examples
    --------
    >>> show_key_facts({"first_share": 25.345447})  # outside IPython: nothing is shown
    >>> fact_text({"2016-20": "Israel", "2021-23": None}), fact_text(25.345447)
    ('2016-20: Israel; 2021-23: –', '25.3')
    """
    values = json.loads(json.dumps({k: _facts_json(v) for k, v in facts.items()}))
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the notebooks' kernel
        return
    if get_ipython() is None:
        return
    import html

    rows = "".join(
        f"<tr><th>{html.escape(fact_label(key))}</th><td>{html.escape(fact_text(value))}</td></tr>"
        for key, value in values.items()
    )
    table = f'<table class="dataframe key-facts"><tbody>{rows}</tbody></table>'
    display({"application/json": {"key_facts": values}, "text/html": table}, raw=True)


def fact_label(key: str) -> str:
    """Return a key fact's name in words (``total_tiv`` -> ``Total TIV (millions)``).

    Examples
    --------
    >>> fact_label("total_tiv"), fact_label("first_share")
    ('Total TIV (millions)', 'First share (%)')
    """
    words = key.replace("_", " ").capitalize()
    words = re.sub(r"\btiv\b", "TIV", words, flags=re.I)
    if words.endswith("TIV"):
        words += " (millions)"
    elif words.endswith("share"):
        words += " (%)"
    return words


def fact_text(value: Any) -> str:
    """Return a key fact as a reader reads it (see :func:`show_key_facts`)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fact_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(fact_text(v) for v in value)
    return str(value)


def _facts_json(value: Any) -> Any:
    """Return a fact as plain JSON (numpy and pandas scalars and NA made Python values)."""
    if isinstance(value, dict):
        return {str(k): _facts_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_facts_json(v) for v in value]
    try:
        if value is not None and not isinstance(value, str) and value != value:
            return None  # NaN, NA
    except (TypeError, ValueError):  # pd.NA compares ambiguously
        return None
    return _plain(value)


def collect_source(frame: Any) -> None:
    """Record which SIPRI file a page used, from the frame's ``attrs["source"]``.

    The report cites exactly the files its pages recorded this way (file name, generated
    date, sha256, variant); it never re-opens the data to find out. A frame built from
    several files (``attrs["source"]`` a list) records each. Outside a report build
    (``$ARMS_REPORT_SOURCES`` unset) this does nothing.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        A frame read by :mod:`arms.io` (or derived from one: pandas keeps ``attrs``).

    Examples
    --------
    >>> import os, pandas as pd
    >>> os.environ.pop("ARMS_REPORT_SOURCES", None) and None
    >>> collect_source(pd.DataFrame())
    """
    path = os.environ.get(ENV_SOURCES)
    sources = getattr(frame, "attrs", {}).get("source") or []
    if not path or not sources:
        return
    for source in sources if isinstance(sources, list | tuple) else [sources]:
        if not isinstance(source, dict):
            continue
        record = {k: _plain(source[k]) for k in SOURCE_KEYS if source.get(k) is not None}
        if "path" in record:
            record["path"] = Path(str(record["path"])).name  # never a machine path
        if record:
            _append_record(path, record)


def read_records(path: str | os.PathLike) -> tuple[list[dict], dict[str, str]]:
    """Return the key figures and the figure captions a page recorded.

    Parameters
    ----------
    path : path
        The page's ``$ARMS_REPORT_KEYS`` file (missing: nothing was recorded).

    Returns
    -------
    key_figures : list of dict
        ``label``, ``value`` and ``note``, in the order recorded.
    captions : dict of str to str
        Figure file stem to the chart's title (else the name given to
        :func:`collect_figure`).
    """
    keys: list[dict] = []
    captions: dict[str, str] = {}
    for record in _records(Path(path)):
        if "label" in record:
            keys.append(record)
        elif "figure" in record:
            caption = record.get("title") or record.get("name") or record["figure"]
            captions[str(record["figure"])] = str(caption)
    return keys, captions


def read_sources(path: str | os.PathLike) -> list[dict]:
    """Return the sources a page recorded with :func:`collect_source`, each file once.

    Parameters
    ----------
    path : path
        The page's ``$ARMS_REPORT_SOURCES`` file (missing: nothing was recorded).

    Returns
    -------
    list of dict
        The first record of each file (by sha256, else by name), in the order recorded.
    """
    seen: dict[Any, dict] = {}
    for record in _records(Path(path)):
        seen.setdefault(record.get("sha256") or record.get("path"), record)
    return list(seen.values())


def _records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # a kernel killed mid-write: the rest still counts
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _plain(value: Any) -> Any:
    """Return ``value`` as something JSON can hold (numpy scalars become Python numbers)."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _append_record(path: str, record: dict) -> None:
    """Append one JSON line to the page's record file (one file per kernel: no races)."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
