"""Turn the notebooks into a static report: HTML pages, an index, figures and a workbook.

:func:`build_report` executes every notebook in its own kernel (several at once, up to the
available cores), renders each to a standalone HTML page with nbconvert, runs the recipient
template (``05-recipient-profile``) once per requested recipient, and writes::

    reports/
      index.html                  title, provenance, citation, TIV caveat, contents, key figures
      NN-name.html                one page per notebook (per recipient for the template)
      figures/<page>/<name>.png   every collected figure, also as .svg
      arms-tables.xlsx            every collected table (arms.export.to_excel)
      *.pdf                       with ``formats=("html", "pdf")`` (system Chromium)

The pages open from a folder or a web server without Python: images are embedded, no script
is loaded from the network, and everything the data can put on a page is escaped (markup in
a weapon name or comment shows as text, in the pages and in the index).

Notebooks feed the index through three helpers that do nothing outside a report build, so the
same notebook runs unchanged in Jupyter:

* :func:`collect_figure` saves a figure (PNG and SVG) into ``$ARMS_REPORT_FIGURES``;
* :func:`collect_table` keeps a table for the workbook (``$ARMS_REPORT_TABLES``);
* :func:`key_figure` records a headline number for the index (``$ARMS_REPORT_KEYS``).

Parameters reach a notebook the way papermill passes them: a code cell tagged
``injected-parameters`` is inserted right after the cell tagged ``parameters``
(:func:`inject_parameters`). ``arms report --data PATH`` passes ``DATA_DIR`` (a directory) or
``DATA`` (a file); the recipient template gets ``RECIPIENT``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from arms import paths
from arms.errors import ArmsError, NotApplicable
from arms.text import CITATION, TIV_CAVEAT, generated_date

log = logging.getLogger(__name__)

__all__ = [
    "CellFailure",
    "DEFAULT_RECIPIENTS",
    "PageResult",
    "ReportResult",
    "TEMPLATE_NOTEBOOK",
    "build_report",
    "check_recipients",
    "clean_html",
    "collect_figure",
    "collect_source",
    "collect_table",
    "find_chromium",
    "find_notebooks",
    "headless_chromium",
    "inject_parameters",
    "key_figure",
    "print_pdf",
    "render_page",
]

#: Environment variables that switch the notebook helpers on (set per kernel by the build).
ENV_FIGURES = "ARMS_REPORT_FIGURES"
ENV_TABLES = "ARMS_REPORT_TABLES"
ENV_KEYS = "ARMS_REPORT_KEYS"
ENV_SOURCES = "ARMS_REPORT_SOURCES"
#: Recipients the template notebook is run for when none are given.
DEFAULT_RECIPIENTS = ("Azerbaijan", "Armenia")
#: Stem of the notebook run once per recipient.
TEMPLATE_NOTEBOOK = "05-recipient-profile"
#: Name of the workbook written next to the index.
WORKBOOK_NAME = "arms-tables.xlsx"
FORMATS = ("html", "pdf")
#: Suffixes of the files listed under "Data provenance".
DATA_SUFFIXES = (".csv", ".txt", ".json", ".xlsx", ".xls")

TITLE = "Who armed Azerbaijan and Armenia? SIPRI arms transfers, notebook report"

_TEMPLATES = Path(__file__).with_name("templates")
_PAGE_TEMPLATE = _TEMPLATES / "report-page.html.j2"
_INDEX_TEMPLATE = "report-index.html.j2"
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_INSTALL_CHROMIUM = (
    "PDF output prints the pages with a system Chromium, which was not found: install it "
    "(Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium) or "
    "set ARMS_CHROMIUM to the browser's path"
)


# --------------------------------------------------------------------------------------------
# Helpers called from notebooks
# --------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    """Return ``text`` as a lower-case ASCII file name part (``"Türkiye"`` -> ``"turkiye"``)."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def collect_figure(fig: Any, name: str) -> None:
    """Save a figure (PNG and SVG) into the report's ``figures/`` folder.

    Outside a report build (``$ARMS_REPORT_FIGURES`` unset) this does nothing, so notebooks
    call it unconditionally. It returns nothing, so a cell ending with it shows no output.

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
    from arms.plotting import save_figure

    stem = Path(directory) / (_slug(name) or "figure")
    save_figure(fig, stem, formats=("png", "svg"))
    records = os.environ.get(ENV_KEYS)
    if records:  # the index's caption keeps the name as written (the slug loses case)
        _append_record(records, {"figure": stem.name, "name": str(name)})


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
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame | pd.Series):
        raise TypeError(f"collect_table needs a DataFrame or Series, not {type(table).__name__}")
    directory = os.environ.get(ENV_TABLES)
    if not directory:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{len(list(folder.glob('*.pkl'))):03d}-{_slug(name) or 'table'}.pkl"
    pd.to_pickle({"name": str(name), "table": table}, path)


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


def collect_source(frame: Any) -> None:
    """Record which SIPRI file a page used, from the frame's ``attrs["source"]``.

    The report cites exactly the files its pages recorded this way (file name, sha256,
    variant, generated date); it never re-opens the data to find out. Outside a report build
    this does nothing.

    Examples
    --------
    >>> import os, pandas as pd
    >>> os.environ.pop("ARMS_REPORT_SOURCES", None) and None
    >>> collect_source(pd.DataFrame())
    """
    path = os.environ.get(ENV_SOURCES)
    source = getattr(frame, "attrs", {}).get("source") or {}
    if not path or not source:
        return
    keys = ("path", "sha256", "variant", "generated", "description", "query")
    record = {k: _plain(source.get(k)) for k in keys if source.get(k) is not None}
    if "path" in record:
        record["path"] = Path(str(record["path"])).name  # never a machine path
    _append_record(path, record)


def _append_record(path: str, record: dict) -> None:
    """Append one JSON line to the page's record file (one file per kernel: no races)."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _format_value(value: Any) -> str:
    """Return a key figure's value as the index shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        text = f"{value:,.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return "" if value is None else str(value)


# --------------------------------------------------------------------------------------------
# Notebooks: finding them, parameters, execution, HTML
# --------------------------------------------------------------------------------------------


def find_notebooks(locations: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """Return the notebooks to report on, in page order.

    Parameters
    ----------
    locations : iterable of path, optional
        Notebook files and folders (a folder contributes its ``*.ipynb`` files, sorted by
        name); defaults to the project's ``notebooks/`` folder.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    ArmsError
        If a location does not exist or no notebook is found.
    """
    locations = [paths.NOTEBOOKS_DIR] if locations is None else [Path(p) for p in locations]
    found: list[Path] = []
    for location in map(Path, locations):
        if location.is_dir():
            found.extend(sorted(location.glob("*.ipynb")))
        elif location.is_file():
            found.append(location)
        else:
            raise ArmsError(f"no such notebook or folder: {location}")
    if not found:
        where = ", ".join(str(p) for p in locations)
        raise ArmsError(
            f"no notebooks found in {where}: the report is built from notebooks/NN-name.ipynb"
        )
    return [p.resolve() for p in dict.fromkeys(found)]


def inject_parameters(nb: Any, parameters: Mapping[str, Any]) -> Any:
    """Return a copy of ``nb`` with ``parameters`` assigned right after its parameters cell.

    This is papermill's contract without papermill: a new code cell tagged
    ``injected-parameters`` holding ``NAME = repr(value)`` lines goes right after the first
    cell tagged ``parameters`` (at the top when there is none), replacing any cell injected
    earlier. Paths are passed as strings.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook (not modified).
    parameters : mapping of str to object
        Names and values; values must have a ``repr`` that evaluates back to them.

    Returns
    -------
    nbformat.NotebookNode
        The new notebook; ``nb.metadata["arms"]["injected_at"]`` is the new cell's index.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("# Title"),
    ...     new_code_cell("RECIPIENT = 'Azerbaijan'", metadata={"tags": ["parameters"]}),
    ...     new_code_cell("print(RECIPIENT)")])
    >>> out = inject_parameters(nb, {"RECIPIENT": "Armenia"})
    >>> out.cells[2].metadata.tags, out.cells[2].source.splitlines()[-1]
    (['injected-parameters'], "RECIPIENT = 'Armenia'")
    """
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    position = 0
    for index, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            position = index + 1
            break
    lines = ["# Parameters injected by arms report"]
    for name, value in parameters.items():
        if not str(name).isidentifier():
            raise ValueError(f"not a valid parameter name: {name!r}")
        value = str(value) if isinstance(value, os.PathLike) else value
        lines.append(f"{name} = {value!r}")
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    cell.pop("id", None)  # ids are optional before nbformat 4.5; keep the notebook's minor
    if nb.get("nbformat_minor", 0) >= 5:
        cell["id"] = f"injected-{len(nb.cells)}"
    nb.cells.insert(position, cell)
    nb.metadata.setdefault("arms", {})["injected_at"] = position
    return nb


@dataclass(frozen=True)
class CellFailure:
    """Why a page failed: the notebook, the failing cell and the error.

    Attributes
    ----------
    notebook : str
        The notebook's file name.
    cell_index : int or None
        0-based index of the failing cell in the notebook file (the injected parameters cell
        is not counted); ``None`` when the failure is not a cell's (the notebook could not be
        read, the kernel did not start).
    source : str
        The failing cell's source.
    ename : str
        The exception's class name (``"CellTimeoutError"`` for a timeout).
    evalue : str
        The exception's message.
    traceback : str
        The kernel's traceback, as plain text.
    recipient : str or None
        The recipient parameter of a template page.
    """

    notebook: str
    cell_index: int | None
    source: str
    ename: str
    evalue: str
    traceback: str = ""
    recipient: str | None = None

    def __str__(self) -> str:
        who = self.notebook + (f" (RECIPIENT={self.recipient!r})" if self.recipient else "")
        if self.cell_index is None:
            return f"{who} failed: {self.ename}: {self.evalue}"
        source = "\n".join("    " + line for line in self.source.splitlines()) or "    (empty)"
        return f"{who} failed at cell {self.cell_index}:\n{source}\n{self.ename}: {self.evalue}"


@dataclass
class PageResult:
    """One page of the report.

    Attributes
    ----------
    notebook : pathlib.Path
        The notebook executed.
    slug : str
        The page's file name without ``.html`` (``05-recipient-profile-armenia``).
    title : str
        The notebook's first heading (plus the recipient for template pages).
    recipient : str or None
        The ``RECIPIENT`` passed to a template page.
    parameters : dict
        Everything injected.
    html : pathlib.Path or None
        The page written (also for a failed notebook, showing its outputs up to the error);
        ``None`` only if rendering itself failed.
    pdf : pathlib.Path or None
        The printed page, when PDF was asked for.
    failure : CellFailure or None
        Why the page failed; ``None`` when it ran through (or does not apply).
    not_applicable : str or None
        The message of the :class:`NotApplicable` the notebook raised: the page does not
        apply to the data. Such a page is not a failure (``ok`` stays true) and contributes
        no figures, tables or key figures.
    kernel_seconds, execution_seconds, conversion_seconds, seconds : float
        Kernel start and shutdown, running the cells, rendering HTML, and the page's total
        wall time.
    figures : list of pathlib.Path
        The PNG files the page collected.
    tables : list of pathlib.Path
        The pickled tables the page collected (in a temporary folder during the build).
    key_figures : list of dict
        ``label``, ``value`` and ``note`` of each key figure, in the order recorded.
    captions : dict of str to str
        Figure file stem to the name given to :func:`collect_figure`.
    """

    notebook: Path
    slug: str
    title: str
    recipient: str | None = None
    parameters: dict = field(default_factory=dict)
    html: Path | None = None
    pdf: Path | None = None
    failure: CellFailure | None = None
    not_applicable: str | None = None
    kernel_seconds: float = 0.0
    execution_seconds: float = 0.0
    conversion_seconds: float = 0.0
    seconds: float = 0.0
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    key_figures: list[dict] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the notebook ran through and its page was written."""
        return self.failure is None and self.html is not None

    @property
    def status(self) -> str:
        """``"ok"``, ``"not applicable"`` or ``"failed"``."""
        if not self.ok:
            return "failed"
        return "not applicable" if self.not_applicable is not None else "ok"

    @property
    def collected(self) -> bool:
        """Whether the page's tables and key figures go into the workbook and the index."""
        return self.status == "ok"

    @property
    def name(self) -> str:
        """The notebook's file name, with the recipient for template pages."""
        extra = f" [{self.recipient}]" if self.recipient else ""
        return self.notebook.name + extra


@dataclass
class ReportResult:
    """What :func:`build_report` wrote and how long it took.

    Attributes
    ----------
    out : pathlib.Path
        The report folder.
    index : pathlib.Path
        ``out/index.html``.
    pages : list of PageResult
        In contents order.
    workbook : pathlib.Path or None
        ``out/arms-tables.xlsx``; ``None`` when no notebook collected a table.
    index_pdf : pathlib.Path or None
        The index printed to PDF.
    data_files : list of dict
        The provenance rows shown in the index.
    problems : list of str
        Build steps other than notebooks that failed (workbook, PDF printing).
    jobs : int
        Notebooks executed at once.
    seconds : float
        Wall time of the whole build.
    """

    out: Path
    index: Path
    pages: list[PageResult]
    workbook: Path | None = None
    index_pdf: Path | None = None
    data_files: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    jobs: int = 1
    seconds: float = 0.0

    @property
    def failures(self) -> list[CellFailure]:
        """The failures of the pages that failed, in page order."""
        return [p.failure for p in self.pages if p.failure is not None]

    @property
    def ok(self) -> bool:
        """Whether every page ran through (or does not apply) and every artefact was written."""
        return all(p.ok for p in self.pages) and not self.problems

    def timings(self) -> dict[str, float]:
        """Return the time spent per phase, summed over pages, and the build's wall time.

        Returns
        -------
        dict
            ``kernel`` (start and shutdown), ``execution``, ``conversion``, ``pages`` (sum of
            the pages' wall times, i.e. what a serial build would take) and ``wall``.
        """
        return {
            "kernel": sum(p.kernel_seconds for p in self.pages),
            "execution": sum(p.execution_seconds for p in self.pages),
            "conversion": sum(p.conversion_seconds for p in self.pages),
            "pages": sum(p.seconds for p in self.pages),
            "wall": self.seconds,
        }


def _project_kernel_manager():
    """Return a kernel manager class that starts ipykernel with this very interpreter.

    ``kernel_name="python3"`` would use whatever ``python3`` kernelspec Jupyter finds first
    (a user-wide one may point at another Python); the report must run the notebooks with the
    environment ``arms`` is installed in.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ProjectKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):  # noqa: D102 - overrides jupyter_client's property
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python 3 (arms)",
                    language="python",
                )
            return self._kernel_spec

    return ProjectKernelManager


def _notebook_title(nb: Any, fallback: str) -> str:
    """Return the first markdown heading of ``nb`` (without ``#`` and markup), or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
            if match and match.group(1):
                return re.sub(r"[*_`]", "", match.group(1))
    return fallback


def _failure_from(exc: BaseException, nb: Any, marks: dict, notebook: Path, recipient):
    """Return the :class:`CellFailure` for an exception raised while executing ``nb``."""
    index = marks.get("error_cell", marks.get("current_cell"))
    source = ""
    if index is not None and 0 <= index < len(nb.cells):
        source = nb.cells[index].source
        injected = nb.metadata.get("arms", {}).get("injected_at")
        if injected is not None and index > injected:
            index -= 1
        elif injected is not None and index == injected:
            index = None  # the injected cell itself: a parameter problem
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    if evalue is None:
        evalue = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
    traceback = _ANSI.sub("", "\n".join(getattr(exc, "traceback", None) or []) or str(exc))
    return CellFailure(notebook.name, index, source, ename, evalue, traceback, recipient)


def clean_html(html: str) -> str:
    """Return ``html`` with only harmless markup left; anything else is shown as text.

    Used for markdown cells and for HTML and markdown outputs. Tables, headings, lists,
    styles (as pandas writes them) and embedded ``data:image`` pictures stay; ``<script>``,
    ``<iframe>``, event handlers (``onerror=``) and ``javascript:`` links do not run: a
    disallowed tag is escaped, so ``<script>`` in a weapon name reads as ``<script>``.
    Nothing is loaded from elsewhere: an ``<img>`` keeps its ``src`` only for a ``data:image``
    URI, and a ``<style>`` element is dropped unless its CSS is plain rules (no ``@import``,
    ``url()``, ``expression()`` or other functions beyond colours and ``calc()``).

    Parameters
    ----------
    html : str
        Markup from a notebook.

    Returns
    -------
    str
        Safe markup.

    Examples
    --------
    >>> clean_html('<p>Harop <script>alert(1)</script></p>')
    '<p>Harop &lt;script&gt;alert(1)&lt;/script&gt;</p>'
    >>> clean_html('<img src="x" onerror="alert(1)">')
    '<img>'
    >>> clean_html('<style>@import url(http://evil.example/x.css)</style><p>x</p>')
    '<p>x</p>'
    """
    return _cleaner().clean(html.decode() if isinstance(html, bytes) else str(html))


_ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small "
    "span strong style sub summary sup table tbody td tfoot th thead tr u ul".split()
)
_GLOBAL_ATTRS = frozenset({"class", "id", "title", "style", "align", "lang", "dir"})
_TAG_ATTRS = {
    "a": {"href", "name", "rel"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "valign", "halign"},
    "th": {"colspan", "rowspan", "valign", "halign", "scope"},
    "table": {"border"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "style": {"type", "scoped"},
    "details": {"open"},
}
_LOCAL = threading.local()  # bleach cleaners keep parser state: one per thread


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _GLOBAL_ATTRS:
        return True
    if name not in _TAG_ATTRS.get(tag, ()):
        return False
    if tag == "a" and name == "href":
        return not value.strip().lower().startswith("data:")
    if tag == "img" and name == "src":  # embedded pictures only: a page loads nothing
        return value.strip().lower().startswith("data:image/")
    return True


# CSS functions a table style may use; anything else (url(), image-set(), expression()...)
# could load a resource or run code, and drops the whole <style> element
_CSS_FUNCTIONS = frozenset(
    "rgb rgba hsl hsla calc var min max clamp not is where nth-child nth-of-type "
    "nth-last-child nth-last-of-type".split()
)
_CSS_FUNCTION = re.compile(r"([\w-]*)\s*\(")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)


def _safe_css(text: str) -> bool:
    """Return whether a ``<style>`` element's text loads nothing and runs nothing."""
    css = _CSS_COMMENT.sub("", text).casefold()
    if "@import" in css or "\\" in css or "<" in css or "javascript:" in css:
        return False
    return all(name in _CSS_FUNCTIONS for name in _CSS_FUNCTION.findall(css))


def _style_filter():
    from bleach.html5lib_shim import Filter

    class StyleFilter(Filter):
        """Drop ``<style>`` elements whose CSS is not :func:`_safe_css` (pandas' CSS stays)."""

        def __iter__(self):
            held = None  # the tokens of an open <style> element
            for token in super().__iter__():
                if held is None:
                    if token["type"] == "StartTag" and token["name"] == "style":
                        held = [token]
                    else:
                        yield token
                    continue
                held.append(token)
                if token["type"] == "EndTag" and token["name"] == "style":
                    text = "".join(str(t.get("data", "")) for t in held[1:-1])
                    if _safe_css(text):
                        yield from held
                    held = None
            # an unclosed <style> (html5lib closes them, but be safe) is dropped

    return StyleFilter


def _cleaner():
    cleaner = getattr(_LOCAL, "cleaner", None)
    if cleaner is None:
        import bleach
        from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer

        cleaner = _LOCAL.cleaner = bleach.Cleaner(
            tags=_ALLOWED_TAGS,
            attributes=_allowed_attribute,
            protocols={"http", "https", "mailto", "data"},
            strip=False,
            strip_comments=True,
            filters=[_style_filter()],
            css_sanitizer=CSSSanitizer(
                allowed_css_properties=ALLOWED_CSS_PROPERTIES
                | {"max-width", "min-width", "max-height", "overflow", "white-space", "display"}
            ),
        )
    return cleaner


def render_page(
    nb: Any,
    *,
    with_code: bool = False,
    title: str | None = None,
    recipient: str | None = None,
    failure: CellFailure | None = None,
    citation: str = CITATION,
    not_applicable: str | None = None,
) -> str:
    """Return a notebook as a standalone HTML page for the report.

    JupyterLab's look (nbconvert's ``lab`` template) with a bar linking back to
    ``index.html``; images embedded; no script loaded from the network; markdown and HTML
    sanitised with :func:`clean_html` (stream and error outputs are escaped by nbconvert).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (a failed one shows its outputs up to the error).
    with_code : bool, default False
        Show code cells and prompts; by default only markdown and outputs are shown.
    title : str, optional
        The page title; defaults to the notebook's first heading.
    recipient : str, optional
        Shown in the bar of a template page.
    failure : CellFailure, optional
        Shown as a banner at the top of a failed page.
    citation : str, optional
        The source line at the foot of the page.
    not_applicable : str, optional
        Why the page does not apply to the data (a :class:`NotApplicable` message), shown
        as a notice at the top; the page ends with the cell that raised it, whose error
        output is dropped.

    Returns
    -------
    str
        The HTML document.
    """
    import copy

    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    if not_applicable is not None:
        # The notice says why; the page ends at the check (no error box, no empty sections).
        for index, cell in enumerate(nb.cells):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
                nb.cells = nb.cells[: index + 1]
                break
    title = title or _notebook_title(nb, "Notebook")
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_file=str(_PAGE_TEMPLATE),
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
        sanitize_html=True,
        filters={"clean_html": clean_html},
    )
    resources = {
        "metadata": {"name": title},
        "arms": {
            "title": title,
            "recipient": recipient,
            "failure": None if failure is None else str(failure),
            "not_applicable": not_applicable,
            "citation": citation,
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _read_records(path: Path) -> tuple[list[dict], dict[str, str]]:
    """Return the key figures and the figure captions a page recorded."""
    keys: list[dict] = []
    captions: dict[str, str] = {}
    if not path.exists():
        return keys, captions
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "label" in record:
            keys.append(record)
        elif isinstance(record, dict) and "figure" in record:
            captions[str(record["figure"])] = str(record.get("name", record["figure"]))
    return keys, captions


def _run_page(
    page: PageResult,
    *,
    out: Path,
    scratch: Path,
    with_code: bool,
    timeout: int,
    kernel_name: str | None,
    citation: str = CITATION,
) -> PageResult:
    """Execute one notebook and write its page; never raises for a notebook's own failure."""
    import nbformat
    from nbclient import NotebookClient

    start = time.perf_counter()
    figures_dir = out / "figures" / page.slug
    tables_dir = scratch / "tables" / page.slug
    keys_file = scratch / "keys" / f"{page.slug}.jsonl"
    keys_file.parent.mkdir(parents=True, exist_ok=True)
    nb = None
    try:
        nb = inject_parameters(nbformat.read(page.notebook, as_version=4), page.parameters)
    except Exception as exc:  # unreadable notebook: a failed page, not a crashed build
        page.failure = CellFailure(
            page.notebook.name, None, "", type(exc).__name__, str(exc), recipient=page.recipient
        )
    marks: dict[str, Any] = {}
    if nb is not None:
        env = dict(os.environ)
        env.update(
            {
                ENV_FIGURES: str(figures_dir),
                ENV_TABLES: str(tables_dir),
                ENV_KEYS: str(keys_file),
                # Charts must be captured as outputs: the inline backend, not Agg.
                "MPLBACKEND": _INLINE_BACKEND,
                "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            }
        )
        now = time.perf_counter
        options: dict[str, Any] = {}
        if kernel_name is None:
            options["kernel_manager_class"] = _project_kernel_manager()
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=kernel_name or "python3",
            resources={"metadata": {"path": str(page.notebook.parent)}},
            on_notebook_start=lambda **kw: marks.__setitem__("ready", now()),
            on_cell_start=lambda cell_index, **kw: marks.__setitem__("current_cell", cell_index),
            # on_cell_executed fires when the kernel has replied (on_cell_complete fires as
            # soon as the request is sent), so "last" is the end of the last cell's run.
            on_cell_executed=lambda **kw: marks.__setitem__("last", now()),
            on_cell_error=lambda cell_index, **kw: marks.setdefault("error_cell", cell_index),
            **options,
        )
        # The kernel process's own output (start-up warnings, a crash) goes to a log, not
        # through the progress bar; the notebook's output arrives as cell outputs.
        kernel_log = scratch / "keys" / f"{page.slug}.kernel.log"
        with open(kernel_log, "wb") as log_fh:
            try:
                client.execute(env=env, stdout=log_fh, stderr=log_fh)
            except Exception as exc:
                if "ready" in marks:  # a timeout or a dead kernel: time to failure is execution
                    marks["last"] = now()
                page.failure = _failure_from(exc, nb, marks, page.notebook, page.recipient)
                if page.failure.ename == NotApplicable.__name__:
                    page.not_applicable, page.failure = page.failure.evalue, None
                elif page.failure.cell_index is None:
                    tail = kernel_log.read_text(errors="replace").strip().splitlines()[-20:]
                    page.failure = replace(
                        page.failure,
                        traceback="\n".join([page.failure.traceback, "kernel log:", *tail]),
                    )
        ran = time.perf_counter() - start
        if "ready" in marks:
            page.execution_seconds = max(marks.get("last", marks["ready"]) - marks["ready"], 0.0)
        page.kernel_seconds = ran - page.execution_seconds
        convert_start = time.perf_counter()
        try:
            html = render_page(
                nb,
                with_code=with_code,
                title=page.title,
                recipient=page.recipient,
                failure=page.failure,
                citation=citation,
                not_applicable=page.not_applicable,
            )
            page.html = out / f"{page.slug}.html"
            page.html.write_text(html, encoding="utf-8")
        except Exception as exc:
            log.exception("rendering %s failed", page.name)
            if page.failure is None:
                page.failure = CellFailure(
                    page.notebook.name,
                    None,
                    "",
                    type(exc).__name__,
                    f"rendering HTML failed: {exc}",
                    recipient=page.recipient,
                )
        page.conversion_seconds = time.perf_counter() - convert_start
    if page.not_applicable is not None:  # nothing it made before the check is shown
        shutil.rmtree(figures_dir, ignore_errors=True)
    page.figures = sorted(figures_dir.glob("*.png"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    page.tables = sorted(tables_dir.glob("*.pkl"))
    page.key_figures, page.captions = _read_records(keys_file)
    if not page.collected:  # a failed page's partial numbers stay out of the index/workbook
        page.tables, page.key_figures = [], []
    page.seconds = time.perf_counter() - start
    return page


# --------------------------------------------------------------------------------------------
# Chromium (PDF and the browser test)
# --------------------------------------------------------------------------------------------


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
        raise ArmsError(_INSTALL_CHROMIUM)
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


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


def _provenance(data: Path | None, tables: Iterable[Any]) -> list[dict]:
    """Return one row per SIPRI file: the data location's files, then other table sources."""
    from arms.io.detect import detect_format

    rows: list[dict] = []
    seen: set[str] = set()
    files: list[Path] = []
    if data is not None and data.is_dir():
        files = sorted(
            p for p in data.iterdir() if p.is_file() and p.name.lower().endswith(DATA_SUFFIXES)
        )
    elif data is not None and data.is_file():
        files = [data]
    for path in files:
        row = {
            "name": path.name,
            "location": None,
            "generated": None,
            "variant": None,
            "description": None,
            "sha256": None,
        }
        try:
            info = detect_format(path)
        except Exception as exc:  # listed, but marked: the index must not fail on a stray file
            row["description"] = f"not read as a SIPRI export: {exc}"
        else:
            meta = info.metadata
            years = ""
            if meta.get("year_from") is not None:
                years = f", {meta.get('year_from')}-{meta.get('year_to', '')}"
            row.update(
                generated=meta.get("generated"),
                variant=info.variant,
                description=f"{info.kind}{years}",
                sha256=getattr(info, "sha256", None),
            )
        seen.add(str(path.resolve()))
        rows.append(row)
    for table in tables:
        sources = table.attrs.get("source") if hasattr(table, "attrs") else None
        for source in sources if isinstance(sources, list | tuple) else [sources]:
            if not isinstance(source, Mapping) or not source.get("path"):
                continue
            path = Path(str(source["path"]))
            key = str(path.resolve()) if path.is_absolute() else str(path)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "name": path.name,
                    "location": str(path.parent),
                    "variant": source.get("variant"),
                    "generated": source.get("generated"),
                    "description": "read by a notebook",
                    "sha256": source.get("sha256"),
                }
            )
    return rows


def _plan(
    notebooks: list[Path], recipients: Sequence[str], data: Path | None, template: str
) -> list[PageResult]:
    import nbformat

    pages: list[PageResult] = []
    used: Counter[str] = Counter()
    base: dict[str, Any] = {}
    if data is not None:
        base["DATA_DIR" if data.is_dir() else "DATA"] = str(data)
    for notebook in notebooks:
        try:
            heading = _notebook_title(nbformat.read(notebook, as_version=4), notebook.stem)
        except Exception:
            heading = notebook.stem  # the run reports why the notebook cannot be read
        runs: list[str | None] = [None]
        if notebook.stem == template:
            runs = list(recipients)
        for recipient in runs:
            slug = _slug(notebook.stem) or "page"
            if recipient is not None:
                slug = f"{slug}-{_slug(recipient) or 'recipient'}"
            used[slug] += 1
            if used[slug] > 1:
                slug = f"{slug}-{used[slug]}"
            parameters = dict(base)
            title = heading
            if recipient is not None:
                parameters["RECIPIENT"] = recipient
                title = f"{heading}: {recipient}"
            pages.append(PageResult(notebook, slug, title, recipient, parameters))
    return pages


def _load_tables(pages: Sequence[PageResult]) -> dict[str, Any]:
    """Return the collected tables by sheet name; names used by several pages get a prefix.

    Only pages that ran through contribute (not failed or not-applicable ones). The prefix is
    the page's recipient, or its number; when the name already holds the recipient
    ("Azerbaijan suppliers by period"), the page number is used instead of repeating it.
    """
    import pandas as pd

    loaded = []
    for page in pages:
        if not page.collected:
            continue
        for path in page.tables:
            try:
                item = pd.read_pickle(path)  # written by collect_table in this very build
            except Exception as exc:
                log.warning("could not read table %s of %s: %s", path.name, page.name, exc)
                continue
            loaded.append((page, str(item["name"]), item["table"]))
    counts = Counter(name for _, name, _ in loaded)
    tables: dict[str, Any] = {}
    for page, name, table in loaded:
        if counts[name] > 1:
            number = page.notebook.stem.split("-", 1)[0]
            prefix = page.recipient or number
            if _contains_words(name, prefix):
                prefix = number
            if not _contains_words(name, prefix):
                name = f"{prefix} {name}"
        while name in tables:
            name += "'"
        tables[name] = table
    return tables


def _contains_words(text: str, words: str) -> bool:
    """Whether ``words`` occurs in ``text`` as whole words, ignoring case and accents.

    Examples
    --------
    >>> _contains_words("Azerbaijan suppliers by period", "azerbaijan")
    True
    >>> _contains_words("Armenian suppliers", "Armenia"), _contains_words("02 shares", "05")
    (False, False)
    """
    from arms.entities import name_key

    def spaced(value: str) -> str:
        return " " + name_key(_NON_WORD.sub(" ", value)) + " "

    return spaced(words) in spaced(text)


_NON_WORD = re.compile(r"[^\w]+")


def _citation(data_files: Iterable[Mapping]) -> str:
    """Return the citation with the data's generated date(s)."""
    stamps = {str(r["generated"]) for r in data_files if r.get("generated")}
    days = dict.fromkeys(generated_date(s) for s in sorted(stamps))  # in date order, once each
    text = ", ".join(d for d in days if d)
    return CITATION + (f" (data generated {text})." if text else ".")


def _href(path: Path, base: Path) -> str:
    return quote(path.relative_to(base).as_posix())


def check_recipients(recipients: Iterable[str]) -> None:
    """Check recipient names against the entity crosswalk before any notebook runs.

    Parameters
    ----------
    recipients : iterable of str
        Names in any SIPRI spelling (case and accents are ignored).

    Raises
    ------
    ArmsError
        Naming every unknown recipient, with the closest known names
        (:func:`arms.analysis.suggest_names`).

    Examples
    --------
    >>> check_recipients(["Azerbaijan", "armenia", "Turkey"])
    >>> check_recipients(["Azerbajan"])
    Traceback (most recent call last):
    ...
    arms.errors.ArmsError: unknown recipient 'Azerbajan'; did you mean Azerbaijan?
    """
    from arms import entities
    from arms.analysis import suggest_names

    unknown = [r for r in recipients if entities.lookup(str(r)) is None]
    if not unknown:
        return
    table = entities.entity_table()
    known = [*table["canonical_name"].dropna(), *table["sipri_name"].dropna()]
    parts = []
    for name in unknown:
        close = suggest_names(str(name), known)
        hint = f"did you mean {', '.join(close)}?" if close else "not a SIPRI party name"
        parts.append(f"{name!r} ({hint})" if len(unknown) > 1 else f"{name!r}; {hint}")
    if len(unknown) == 1:
        raise ArmsError(f"unknown recipient {parts[0]}")
    raise ArmsError(f"unknown recipients: {', '.join(parts)}")


def _check_data_file(path: Path) -> None:
    """Fail before running anything when a ``--data`` file cannot feed the pages."""
    from arms.io.detect import detect_format

    needs = "the report needs a trade register or deliveries file"
    try:
        kind = detect_format(path).kind
    except ArmsError as exc:
        reason = getattr(exc, "reason", exc)
        raise ArmsError(f"{path.name} is not a SIPRI export ({reason}); {needs}") from None
    if kind == "tiv":
        raise ArmsError(f"{path.name} is a TIV table; {needs}")


def _write_index(result: ReportResult, *, title: str, data: Path | None, any_pdf: bool) -> None:
    import jinja2

    from arms import __version__

    out = result.out
    pages, key_figures, figures = [], [], []
    citation = _citation(result.data_files)
    for page in result.pages:
        page_href = _href(page.html, out) if page.html else ""
        pages.append(
            {
                "slug": page.slug,
                "title": page.title,
                "recipient": page.recipient,
                "notebook_name": page.notebook.name,
                "html_href": page_href,
                "pdf_href": _href(page.pdf, out) if page.pdf else "",
                "failure": None if page.failure is None else str(page.failure),
                "not_applicable": page.not_applicable,
                "status": page.status,
                "seconds": f"{page.seconds:.1f} s",
            }
        )
        if not page.collected:
            continue
        for key in page.key_figures:
            key_figures.append(
                {
                    "label": key.get("label"),
                    "value": _format_value(key.get("value")),
                    "note": key.get("note"),
                    "page": page.title,
                    "href": page_href,
                }
            )
        for png in page.figures:
            svg = png.with_suffix(".svg")
            figures.append(
                {
                    "name": page.captions.get(png.stem, png.stem),
                    "png_href": _href(png, out),
                    "svg_href": _href(svg, out) if svg.exists() else "",
                    "page": page.title,
                    "page_href": page_href,
                }
            )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,  # every value on the index is escaped
        undefined=jinja2.StrictUndefined,
    )
    html = env.get_template(_INDEX_TEMPLATE).render(
        title=title,
        version=__version__,
        built=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        citation=citation,
        caveat=TIV_CAVEAT,
        pages=pages,
        failures=result.failures,
        not_applicable=[p for p in result.pages if p.status == "not applicable"],
        problems=result.problems,
        any_pdf=any_pdf,
        key_figures=key_figures,
        figures=figures,
        workbook_href=_href(result.workbook, out) if result.workbook else "",
        workbook_name=WORKBOOK_NAME,
        index_pdf_href="index.pdf" if any_pdf else "",
        data_files=[
            {**row, "generated": generated_date(row.get("generated"))} for row in result.data_files
        ],
        data_location=str(data) if data is not None else "(none)",
    )
    result.index.write_text(html, encoding="utf-8")


def build_report(
    notebooks: Iterable[str | os.PathLike] | None = None,
    out: str | os.PathLike | None = None,
    *,
    recipients: Sequence[str] | None = None,
    data: str | os.PathLike | None = None,
    formats: Iterable[str] = ("html",),
    with_code: bool = False,
    jobs: int | None = None,
    timeout: int = 600,
    template: str = TEMPLATE_NOTEBOOK,
    title: str = TITLE,
    kernel_name: str | None = None,
    progress: Callable[[PageResult | None, int, int], None] | None = None,
) -> ReportResult:
    """Execute the notebooks and write the static report; return what was written.

    A failing notebook does not stop the build: its page is written with the outputs up to
    the error and a banner, the index marks it, and ``result.failures`` says which cell
    failed and why. Check ``result.ok``.

    Parameters
    ----------
    notebooks : iterable of path, optional
        Notebook files or folders; defaults to ``notebooks/`` (see :func:`find_notebooks`).
    out : path, optional
        The report folder, created if needed; defaults to ``reports/``. Its ``figures/``
        subfolder is replaced; other files are overwritten page by page.
    recipients : sequence of str, optional
        ``RECIPIENT`` values the template notebook is run for; default Azerbaijan, Armenia.
    data : path, optional
        A SIPRI folder (passed as ``DATA_DIR``) or file (passed as ``DATA``); by default the
        notebooks use their own defaults and the index lists ``data/sipri/``.
    formats : iterable of {"html", "pdf"}, default ("html",)
        HTML is always written; ``"pdf"`` also prints every page and the index with Chromium.
    with_code : bool, default False
        Show the code cells.
    jobs : int, optional
        Notebooks executed at once; default ``min(len(pages), os.cpu_count())``.
    timeout : int, default 600
        Seconds a single cell may run.
    template : str, default "05-recipient-profile"
        Stem of the notebook run once per recipient.
    title : str
        Title of the index.
    kernel_name : str, optional
        A Jupyter kernelspec name; by default ipykernel is started with the interpreter
        running the build.
    progress : callable, optional
        Called as ``progress(None, 0, total)`` before the first page and
        ``progress(page, done, total)`` as each page finishes.

    Returns
    -------
    ReportResult

    Raises
    ------
    ArmsError
        Before anything runs: no notebooks, ``data`` missing or a file that cannot feed the
        pages (a TIV table, not a SIPRI export), a recipient the entity crosswalk does not
        know (with a "did you mean"), an unknown format, or PDF asked for without Chromium
        installed.
    """
    started = time.perf_counter()
    formats = {f.strip().lower() for f in formats if f.strip()} | {"html"}
    unknown = formats - set(FORMATS)
    if unknown:
        raise ArmsError(f"unknown report format(s): {', '.join(sorted(unknown))}; use html, pdf")
    chromium = None
    if "pdf" in formats:
        chromium = find_chromium()
        if chromium is None:
            raise ArmsError(_INSTALL_CHROMIUM)
    notebook_paths = find_notebooks(notebooks)
    data_path = None if data is None else Path(data).expanduser().resolve()
    if data_path is not None and not data_path.exists():
        raise ArmsError(f"no such data file or folder: {data}")
    recipients = list(DEFAULT_RECIPIENTS if not recipients else recipients)
    check_recipients(recipients)
    if data_path is not None and data_path.is_file():
        _check_data_file(data_path)
    out_path = Path(paths.REPORTS_DIR if out is None else out).expanduser().resolve()
    out_path.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out_path / "figures", ignore_errors=True)
    (out_path / "figures").mkdir()

    pages = _plan(notebook_paths, recipients, data_path, template)
    jobs = max(1, min(len(pages), jobs or os.cpu_count() or 1))
    result = ReportResult(out_path, out_path / "index.html", pages, jobs=jobs)
    if progress:
        progress(None, 0, len(pages))
    citation = _citation(_provenance(data_path or paths.SIPRI_DIR, []))
    with tempfile.TemporaryDirectory(prefix="arms-report-") as scratch:
        pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="arms-report")
        try:
            futures = [
                pool.submit(
                    _run_page,
                    page,
                    out=out_path,
                    scratch=Path(scratch),
                    with_code=with_code,
                    timeout=timeout,
                    kernel_name=kernel_name,
                    citation=citation,
                )
                for page in pages
            ]
            for done, future in enumerate(as_completed(futures), start=1):
                page = future.result()
                if progress:
                    progress(page, done, len(pages))
        finally:
            # On Ctrl-C, notebooks not yet started are dropped; running kernels finish.
            pool.shutdown(wait=True, cancel_futures=True)
        tables = _load_tables(pages)
        if tables:
            from arms.export import to_excel

            try:
                result.workbook = to_excel(tables, out_path / WORKBOOK_NAME)
            except Exception as exc:
                result.problems.append(f"{WORKBOOK_NAME} was not written: {exc}")
        result.data_files = _provenance(
            data_path if data_path is not None else paths.SIPRI_DIR, tables.values()
        )
    _write_index(result, title=title, data=data_path or paths.SIPRI_DIR, any_pdf="pdf" in formats)
    if "pdf" in formats:
        _print_pdfs(result, chromium=chromium, jobs=jobs)
        _write_index(result, title=title, data=data_path or paths.SIPRI_DIR, any_pdf=True)
        try:
            result.index_pdf = print_pdf(result.index, out_path / "index.pdf", chromium=chromium)
        except ArmsError as exc:
            result.problems.append(str(exc))
    result.seconds = time.perf_counter() - started
    return result


def _print_pdfs(result: ReportResult, *, chromium: str, jobs: int) -> None:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {
            pool.submit(
                print_pdf, page.html, page.html.with_suffix(".pdf"), chromium=chromium
            ): page
            for page in result.pages
            if page.html is not None
        }
        for future in as_completed(futures):
            try:
                futures[future].pdf = future.result()
            except ArmsError as exc:
                result.problems.append(str(exc))

