"""Running the notebooks: finding them, injecting parameters, executing one page.

Each page runs in its own kernel, started with the interpreter running the build, with the
report's record files switched on through environment variables (:mod:`arms.report.collect`).
A notebook's own failure never raises: it becomes the page's :class:`CellFailure`, and a
:class:`arms.errors.NotApplicable` raised by the notebook marks the page "not applicable".
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arms import paths
from arms.errors import ArmsError, NotApplicable
from arms.report.collect import (
    ENV_FIGURES,
    ENV_KEYS,
    ENV_SOURCES,
    ENV_TABLES,
    read_records,
    read_sources,
)
from arms.report.html import cite, render_page, stderr_text

log = logging.getLogger(__name__)

__all__ = ["CellFailure", "PageResult", "find_notebooks", "inject_parameters", "run_page"]

_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
    supplier : str or None
        The supplier parameter of a supplier template page.
    """

    notebook: str
    cell_index: int | None
    source: str
    ename: str
    evalue: str
    traceback: str = ""
    recipient: str | None = None
    supplier: str | None = None

    def __str__(self) -> str:
        who = self.notebook + (f" (RECIPIENT={self.recipient!r})" if self.recipient else "")
        who += f" (SUPPLIER={self.supplier!r})" if self.supplier else ""
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
    sources : list of dict
        The SIPRI files the page recorded with :func:`collect_source` (also for a failed
        or not-applicable page: what it showed came from them); its footer cites them.
    supplier : str or None
        The ``SUPPLIER`` passed to a supplier template page.
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
    sources: list[dict] = field(default_factory=list)
    supplier: str | None = None

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
        """The notebook's file name, with the recipient or supplier for template pages."""
        who = self.recipient or self.supplier
        extra = f" [{who}]" if who else ""
        return self.notebook.name + extra


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


def run_page(
    page: PageResult,
    *,
    out: Path,
    scratch: Path,
    with_code: bool = False,
    timeout: int = 600,
    kernel_name: str | None = None,
) -> PageResult:
    """Execute one notebook and write its page; never raises for a notebook's own failure.

    Parameters
    ----------
    page : PageResult
        The planned page (notebook, slug, title, parameters); filled in and returned.
    out : pathlib.Path
        The report folder: the page is ``out/<slug>.html``, its figures
        ``out/figures/<slug>/``.
    scratch : pathlib.Path
        A temporary folder for the page's tables, records and kernel log.
    with_code : bool, default False
        Show the code cells.
    timeout : int, default 600
        Seconds a single cell may run.
    kernel_name : str, optional
        A Jupyter kernelspec; by default ipykernel with the interpreter running the build.

    Returns
    -------
    PageResult
        ``page``, with its outcome, timings and what it collected.
    """
    start = time.perf_counter()
    figures_dir = out / "figures" / page.slug
    tables_dir = scratch / "tables" / page.slug
    records = scratch / "records"
    records.mkdir(parents=True, exist_ok=True)
    env = {
        ENV_FIGURES: str(figures_dir),
        ENV_TABLES: str(tables_dir),
        ENV_KEYS: str(records / f"{page.slug}.jsonl"),
        ENV_SOURCES: str(records / f"{page.slug}.sources.jsonl"),
    }
    nb = _read_notebook(page)
    if nb is not None:
        _execute(page, nb, env, records / f"{page.slug}.kernel.log", timeout, kernel_name)
        page.kernel_seconds = time.perf_counter() - start - page.execution_seconds
        page.sources = read_sources(env[ENV_SOURCES])
        _write_html(page, nb, out, with_code)
    _gather(page, figures_dir, tables_dir, Path(env[ENV_KEYS]))
    page.seconds = time.perf_counter() - start
    return page


def _read_notebook(page: PageResult) -> Any:
    """Return the notebook with its parameters injected; ``None`` (and a failure) if unreadable."""
    import nbformat

    try:
        return inject_parameters(nbformat.read(page.notebook, as_version=4), page.parameters)
    except Exception as exc:  # unreadable notebook: a failed page, not a crashed build
        page.failure = CellFailure(
            page.notebook.name,
            None,
            "",
            type(exc).__name__,
            str(exc),
            recipient=page.recipient,
            supplier=page.supplier,
        )
        return None


def _execute(
    page: PageResult,
    nb: Any,
    records: Mapping[str, str],
    kernel_log: Path,
    timeout: int,
    kernel_name: str | None,
) -> None:
    """Run the cells of ``nb`` in a fresh kernel; set the page's failure and execution time."""
    from nbclient import NotebookClient

    env = dict(os.environ)
    env.update(records)
    # Charts must be captured as outputs: the inline backend, not Agg.
    env.update({"MPLBACKEND": _INLINE_BACKEND, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    marks: dict[str, Any] = {}
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
    with open(kernel_log, "wb") as log_fh:
        try:
            client.execute(env=env, stdout=log_fh, stderr=log_fh)
        except Exception as exc:
            if "ready" in marks:  # a timeout or a dead kernel: time to failure is execution
                marks["last"] = now()
            failure = _failure_from(exc, nb, marks, page.notebook, page.recipient)
            page.failure = replace(failure, supplier=page.supplier)
            if page.failure.ename == NotApplicable.__name__:
                page.not_applicable, page.failure = page.failure.evalue, None
            elif page.failure.cell_index is None:
                tail = kernel_log.read_text(errors="replace").strip().splitlines()[-20:]
                page.failure = replace(
                    page.failure,
                    traceback="\n".join([page.failure.traceback, "kernel log:", *tail]),
                )
    if "ready" in marks:
        page.execution_seconds = max(marks.get("last", marks["ready"]) - marks["ready"], 0.0)


def _write_html(page: PageResult, nb: Any, out: Path, with_code: bool) -> None:
    """Render the executed notebook to ``out/<slug>.html``, citing the page's own sources."""
    convert_start = time.perf_counter()
    for text in stderr_text(nb):  # kept off the page (it names this machine's files)
        log.info("%s wrote to stderr: %s", page.name, text[:500])
    try:
        html = render_page(
            nb,
            with_code=with_code,
            title=page.title,
            recipient=page.recipient,
            supplier=page.supplier,
            failure=page.failure,
            citation=cite(page.sources),
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
                supplier=page.supplier,
            )
    page.conversion_seconds = time.perf_counter() - convert_start


def _gather(page: PageResult, figures_dir: Path, tables_dir: Path, keys_file: Path) -> None:
    """Attach what the page collected; a page that did not run through keeps none of it."""
    if page.not_applicable is not None:  # nothing it made before the check is shown
        shutil.rmtree(figures_dir, ignore_errors=True)
    page.figures = sorted(figures_dir.glob("*.png"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    page.tables = sorted(tables_dir.glob("*.pkl"))
    page.key_figures, page.captions = read_records(keys_file)
    if not page.collected:  # a failed page's partial numbers stay out of the index/workbook
        page.tables, page.key_figures = [], []
