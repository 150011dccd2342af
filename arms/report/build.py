"""Building the report: plan the pages, run them, write the workbook, the index and PDFs.

:func:`build_report` executes every notebook in its own kernel (several at once, up to the
available cores), renders each to a standalone HTML page, runs the recipient template once
per recipient, and writes::

    reports/
      index.html                  title, provenance, citation, TIV caveat, contents, key figures
      NN-name.html                one page per notebook (per recipient for the template)
      figures/<page>/<name>.png   every collected figure, also as .svg
      arms-tables.xlsx            every collected table (arms.export.to_excel)
      citation.bib, citation.json the data files' citations (what `arms cite FILE` prints)
      *.pdf                       with ``formats=("html", "pdf")`` (system Chromium)

The case study's values (the title, the recipients, which notebook is the recipient
template) are not defaults of this code: they are read from ``report.toml`` next to the
notebooks (:func:`settings`), and the caller's arguments override them.

Parameters reach a notebook the way papermill passes them (:func:`inject_parameters`):
``data`` is passed as ``DATA_DIR`` (a directory) or ``DATA`` (a file); the recipient template
gets ``RECIPIENT``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arms import entities, paths
from arms.errors import ArmsError
from arms.report.citations import write_citations
from arms.report.collect import slug
from arms.report.config import (
    SETTINGS_FILE,
    ReportSettings,
    check_data_file,
    check_recipients,
    settings,
)
from arms.report.execute import CellFailure, PageResult, find_notebooks, run_page
from arms.report.html import notebook_title, write_index
from arms.report.pdf import INSTALL_CHROMIUM, find_chromium, print_pdf, print_pdfs
from arms.report.workbook import WORKBOOK_NAME, workbook_tables, write_workbook

log = logging.getLogger(__name__)

__all__ = [
    "FORMATS",
    "WORKBOOK_NAME",
    "ReportResult",
    "build_report",
    "plan_pages",
    "report_sources",
    "select_pages",
    "workbook_tables",
]

FORMATS = ("html", "pdf")


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
        The sources the pages recorded (:func:`arms.report.collect_source`), each file
        once, in page order: what the index cites.
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


def plan_pages(
    notebooks: Sequence[Path],
    recipients: Sequence[str],
    data: Path | None,
    template: str | None,
    *,
    data_dir: Path | None = None,
    suppliers: Sequence[str] = (),
    supplier_template: str | None = None,
    shared: Mapping[str, Any] | None = None,
) -> list[PageResult]:
    """Return the pages to run, in contents order: one per notebook, one per recipient.

    A notebook whose parameters cell declares ``RECIPIENTS`` (a list) gets ``recipients``
    as well, so that a page about several recipients is about the report's recipients.
    The supplier template is run once per supplier (``SUPPLIER``); without suppliers it is
    left out of the report.

    Parameters
    ----------
    notebooks : sequence of pathlib.Path
        From :func:`find_notebooks`.
    recipients : sequence of str
        ``RECIPIENT`` values the template notebook is run for.
    data : pathlib.Path, optional
        Passed to every page as ``DATA_DIR`` (a folder) or ``DATA`` (a file).
    template : str, optional
        Stem of the template notebook.
    data_dir : pathlib.Path, optional
        With a ``data`` file: a folder holding only the user's files, passed as ``DATA_DIR``
        so that no page falls back on the bundled extract.
    suppliers : sequence of str, optional
        ``SUPPLIER`` values the supplier template notebook is run for.
    supplier_template : str, optional
        Stem of the supplier template notebook.
    shared : mapping, optional
        Parameters (``FIRST_YEAR``) passed to every notebook whose parameters cell declares
        them, and to no other.

    Returns
    -------
    list of PageResult
        Not yet run: notebook, slug, title and parameters set.
    """
    import nbformat

    pages: list[PageResult] = []
    used: Counter[str] = Counter()
    base: dict[str, Any] = {}
    if data is not None:
        base["DATA_DIR" if data.is_dir() else "DATA"] = str(data)
    if data_dir is not None:
        base["DATA_DIR"] = str(data_dir)
    for notebook in notebooks:
        declared: set[str] = set()
        try:
            nb = nbformat.read(notebook, as_version=4)
            heading = notebook_title(nb, notebook.stem)
            declared = declared_parameters(nb)
        except Exception:
            heading = notebook.stem  # the run reports why the notebook cannot be read
        runs: list[tuple[str, str | None]] = [("", None)]
        if notebook.stem == template:
            runs = [("RECIPIENT", r) for r in recipients]
        elif supplier_template is not None and notebook.stem == supplier_template:
            runs = [("SUPPLIER", s) for s in suppliers]  # none asked for: no page
        for role, who in runs:
            name = slug(notebook.stem) or "page"
            if who is not None:
                name = f"{name}-{slug(who) or role.lower()}"
            used[name] += 1
            if used[name] > 1:
                name = f"{name}-{used[name]}"
            parameters = dict(base)
            parameters.update({k: v for k, v in (shared or {}).items() if k in declared})
            if "RECIPIENTS" in declared and recipients:
                parameters["RECIPIENTS"] = list(recipients)
            title = heading
            if who is not None:
                parameters[role] = who
                title = f"{heading}: {who}"
            page = PageResult(notebook, name, title, who if role == "RECIPIENT" else None)
            page.parameters = parameters
            page.supplier = who if role == "SUPPLIER" else None
            pages.append(page)
    return pages


def declared_parameters(nb: Any) -> set[str]:
    r"""Return the names the notebook's cell tagged ``parameters`` assigns.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("DATA = None\nSTART, END = 1, 2",
    ...     metadata={"tags": ["parameters"]})])
    >>> sorted(declared_parameters(nb))
    ['DATA', 'END', 'START']
    """
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            names: set[str] = set()
            for line in str(cell.source).splitlines():
                head = line.split("=", 1)[0] if "=" in line and not line.startswith(" ") else ""
                names |= {n.strip() for n in head.split(",") if n.strip().isidentifier()}
            return names
    return set()


def report_sources(pages: Iterable[PageResult]) -> list[dict]:
    """Return the sources the pages recorded, each file once (by sha256, else name)."""
    seen: dict[Any, dict] = {}
    for page in pages:
        for source in page.sources:
            seen.setdefault(source.get("sha256") or source.get("path"), source)
    return list(seen.values())


def build_report(
    notebooks: Iterable[str | os.PathLike] | None = None,
    out: str | os.PathLike | None = None,
    *,
    title: str | None = None,
    recipients: Sequence[str] | None = None,
    template: str | None = None,
    data: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    formats: Iterable[str] = ("html",),
    with_code: bool = False,
    jobs: int | None = None,
    timeout: int = 600,
    kernel_name: str | None = None,
    progress: Callable[[PageResult | None, int, int], None] | None = None,
    pages: Sequence[str] | None = None,
    suppliers: Sequence[str] | None = None,
    first_year: int | None = None,
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
    title : str, optional
        Title of the index; default ``title`` of the settings (:func:`settings` of the first
        notebook's folder).
    recipients : sequence of str, optional
        ``RECIPIENT`` values the template notebook is run for; default ``recipients`` of the
        settings.
    template : str, optional
        Stem of the notebook run once per recipient; default ``template_notebook`` of the
        settings.
    data : path or sequence of paths, optional
        A SIPRI folder (passed as ``DATA_DIR``), or one or more files: these are linked into a
        folder of their own passed as ``DATA_DIR`` (a single file is passed as ``DATA`` too),
        so every page uses only the given files. By default the notebooks use their own
        defaults (the bundled extract).
    formats : iterable of {"html", "pdf"}, default ("html",)
        HTML is always written; ``"pdf"`` also prints every page and the index with Chromium.
    with_code : bool, default False
        Show the code cells.
    jobs : int, optional
        Notebooks executed at once; default ``min(len(pages), os.cpu_count())``.
    timeout : int, default 600
        Seconds a single cell may run.
    kernel_name : str, optional
        A Jupyter kernelspec name; by default ipykernel is started with the interpreter
        running the build.
    progress : callable, optional
        Called as ``progress(None, 0, total)`` before the first page and
        ``progress(page, done, total)`` as each page finishes.
    pages : sequence of str, optional
        Build only these notebooks (see :func:`select_pages`): numbers (``"00"``, ``"05"``),
        stems or name parts (``"recipient-profile"``); by default every notebook.
    suppliers : sequence of str, optional
        ``SUPPLIER`` values the supplier template notebook (``supplier_template_notebook``
        of the settings) is run for; default ``suppliers`` of the settings (none: no
        supplier page).
    first_year : int, optional
        The first year of every page's periods and charts, passed as ``FIRST_YEAR`` to the
        notebooks that declare it; by default each page starts at its first delivery.

    Returns
    -------
    ReportResult

    Raises
    ------
    ArmsError
        Before anything runs: no notebooks, ``data`` missing or a file that cannot feed the
        pages (a TIV table, not a SIPRI export), a recipient the entity crosswalk does not
        know (with a "did you mean"), a supplier without a supplier template, a first year
        that is not a year, a template notebook without recipients, an unknown
        format, or PDF asked for without Chromium installed.
    """
    started = time.perf_counter()
    chromium = _check_formats(formats)
    notebook_paths = find_notebooks(notebooks)
    found = settings(notebook_paths[0].parent)
    notebook_paths = select_pages(notebook_paths, pages)
    data_paths = _check_data(data)
    with tempfile.TemporaryDirectory(prefix="arms-report-") as scratch:
        data_path, data_dir = _data_location(data_paths, Path(scratch))
        asked = {"suppliers": suppliers, "first_year": first_year}
        planned = _plan(notebook_paths, found, recipients, template, data_path, data_dir, **asked)
        out_path = _prepare_out(out)
        jobs = max(1, min(len(planned), jobs or os.cpu_count() or 1))
        result = ReportResult(out_path, out_path / "index.html", planned, jobs=jobs)
        run = (jobs, progress, with_code, timeout, kernel_name)
        _run_pages(planned, out_path, Path(scratch), *run)
        result.data_files = report_sources(planned)
        book = out_path / WORKBOOK_NAME
        problem = write_workbook(result.pages, book, result.data_files)
        result.workbook = book if problem is None and book.is_file() else None
        result.problems += [problem] if problem else []
    write_citations(result.data_files, out_path)
    index = {
        "title": found.title if title is None else title,
        "data_location": _location_label(data_paths),
        "workbook_name": WORKBOOK_NAME,
    }
    write_index(result, any_pdf=chromium is not None, **index)
    if chromium is not None:
        _print_pdfs(result, chromium, index)
    _write_manifest(result)
    result.seconds = time.perf_counter() - started
    return result


def select_pages(notebooks: Sequence[Path], wanted: Sequence[str] | None) -> list[Path]:
    """Return the notebooks ``wanted`` names, in page order (all when ``wanted`` is empty).

    A notebook is named by its number (``"05"``, ``"5"``), its stem, or a part of its name
    after the number (``"recipient-profile"``).

    Raises
    ------
    ArmsError
        For a name that matches no notebook, listing the notebooks there are.

    Examples
    --------
    >>> from pathlib import Path
    >>> nbs = [Path("00-start-here.ipynb"), Path("05-recipient-profile.ipynb")]
    >>> [p.stem for p in select_pages(nbs, ["5"])]
    ['05-recipient-profile']
    >>> [p.stem for p in select_pages(nbs, ["recipient-profile", "00"])]
    ['00-start-here', '05-recipient-profile']
    """
    if not wanted:
        return list(notebooks)
    chosen: set[Path] = set()
    for item in (w.strip() for text in wanted for w in str(text).split(",")):
        if not item:
            continue
        key = item.removesuffix(".ipynb").lower()
        hits = [
            p
            for p in notebooks
            if key == p.stem.lower()
            or (
                key.isdigit()
                and p.stem.split("-", 1)[0].isdigit()
                and int(key) == int(p.stem.split("-", 1)[0])
            )
            or (not key.isdigit() and key in p.stem.lower().split("-", 1)[-1])
        ]
        if not hits:
            names = ", ".join(p.stem for p in notebooks)
            raise ArmsError(f"no notebook matches --pages {item!r}; there are: {names}")
        chosen.update(hits)
    return [p for p in notebooks if p in chosen]


def _location_label(data_paths: Sequence[Path]) -> str:
    """Where the data came from, as the index shows it: names only, never a machine path."""
    if not data_paths:
        return "the extract bundled with the package (data/sipri/)"
    if len(data_paths) == 1 and data_paths[0].is_dir():
        return f"the folder {data_paths[0].name}/ given with --data"
    return ", ".join(p.name for p in data_paths) + " (given with --data)"


def _data_location(data_paths: Sequence[Path], scratch: Path) -> tuple[Path | None, Path | None]:
    """Return ``(data, data_dir)`` for :func:`plan_pages`.

    A folder is passed as it is. Files are linked into a folder of their own, which the pages
    get as ``DATA_DIR``: a page then finds only the user's files (never a bundled one), and a
    single file is also passed as ``DATA``.
    """
    if not data_paths:
        return None, None
    if len(data_paths) == 1 and data_paths[0].is_dir():
        return data_paths[0], None
    folder = scratch / "data"
    folder.mkdir()
    for i, path in enumerate(data_paths):
        link = folder / (path.name if i == 0 else f"{i}-{path.name}")
        try:
            link.symlink_to(path)
        except OSError:
            shutil.copyfile(path, link)
    return (data_paths[0] if len(data_paths) == 1 else None), folder


def _check_formats(formats: Iterable[str]) -> str | None:
    """Check the formats; return the Chromium that prints PDFs (``None``: HTML only)."""
    chosen = {f.strip().lower() for f in formats if f.strip()} | {"html"}
    unknown = chosen - set(FORMATS)
    if unknown:
        raise ArmsError(f"unknown report format(s): {', '.join(sorted(unknown))}; use html, pdf")
    if "pdf" not in chosen:
        return None
    chromium = find_chromium()
    if chromium is None:
        raise ArmsError(INSTALL_CHROMIUM)
    return chromium


def _plan(
    notebooks: Sequence[Path],
    found: ReportSettings,
    recipients: Sequence[str] | None,
    template: str | None,
    data: Path | None,
    data_dir: Path | None = None,
    *,
    suppliers: Sequence[str] | None = None,
    first_year: int | None = None,
) -> list[PageResult]:
    """Return the pages; the caller's recipients, suppliers, template override the settings."""
    template = found.template_notebook if template is None else template
    recipients = list(found.recipients if not recipients else recipients)
    check_recipients(recipients)
    # one spelling on every page and in the index ("Turkey" is shown as Turkiye)
    recipients = list(dict.fromkeys(entities.canonical_name(str(r)) for r in recipients))
    if template is not None and not recipients and template in {p.stem for p in notebooks}:
        raise ArmsError(
            f"the recipient template {template}.ipynb needs recipients: pass them "
            f"(arms report --recipient NAME) or list them in {SETTINGS_FILE}"
        )
    wanted = list(found.suppliers if not suppliers else suppliers)
    if wanted and found.supplier_template_notebook is None:
        raise ArmsError(
            "--supplier needs a supplier template notebook: set supplier_template_notebook "
            f"in {SETTINGS_FILE}"
        )
    check_recipients(wanted, role="supplier")
    wanted = list(dict.fromkeys(entities.canonical_name(str(s)) for s in wanted))
    shared: dict[str, Any] = {}
    if first_year is not None:
        if not 1900 <= int(first_year) <= 2100:
            raise ArmsError(f"--from takes a year such as 1991, not {first_year}")
        shared["FIRST_YEAR"] = int(first_year)
    return plan_pages(
        notebooks,
        recipients,
        data,
        template,
        data_dir=data_dir,
        suppliers=wanted,
        supplier_template=found.supplier_template_notebook,
        shared=shared,
    )


def _print_pdfs(result: ReportResult, chromium: str, index: dict) -> None:
    """Print every page, then the index (rewritten first, with its PDF links)."""
    result.problems += print_pdfs(result.pages, chromium=chromium, jobs=result.jobs)
    write_index(result, any_pdf=True, **index)
    try:
        result.index_pdf = print_pdf(result.index, result.out / "index.pdf", chromium=chromium)
    except ArmsError as exc:
        result.problems.append(str(exc))


def _check_data(data: str | os.PathLike | Sequence[str | os.PathLike] | None) -> list[Path]:
    """Return the ``--data`` paths, checked: one folder, or files of which one has deals."""
    if data is None:
        return []
    items = [data] if isinstance(data, str | os.PathLike) else list(data)
    found = []
    for item in items:
        path = Path(item).expanduser().resolve()
        if not path.exists():
            raise ArmsError(f"no such data file or folder: {item}")
        found.append(path)
    if any(p.is_dir() for p in found) and len(found) > 1:
        raise ArmsError("--data takes one folder, or one or more files")
    files = [p for p in found if p.is_file()]
    problems = []
    for path in files:
        try:
            check_data_file(path)
            return found
        except ArmsError as exc:
            problems.append(exc)
    if problems:
        raise problems[0]
    return found


#: Lists what the last build wrote in its folder, so the next build removes exactly that.
MANIFEST_NAME = ".arms-report-files"
_PAGE_FILE = re.compile(r"^(\d\d-[\w.-]+|index)\.(html|pdf)$")


def _prepare_out(out: str | os.PathLike | None) -> Path:
    """Create the folder and remove what an earlier build wrote there (nothing else).

    Removed: ``figures/``, the files the last build listed in its manifest, and files named
    like the report's own pages (``NN-name.html``/``.pdf``, ``index.*``, the workbook).
    """
    out_path = Path(paths.REPORTS_DIR if out is None else out).expanduser().resolve()
    out_path.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out_path / "figures", ignore_errors=True)
    manifest = out_path / MANIFEST_NAME
    listed = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
    for name in listed:
        target = out_path / name
        if "/" not in name and target.is_file():
            target.unlink()
    for path in out_path.iterdir():
        if path.is_file() and (_PAGE_FILE.match(path.name) or path.name == WORKBOOK_NAME):
            path.unlink()
    (out_path / "figures").mkdir()
    return out_path


def _write_manifest(result: ReportResult) -> None:
    written = [result.index, result.index_pdf, result.workbook]
    written += [f for p in result.pages for f in (p.html, p.pdf)]
    names = [f.name for f in written if f is not None and f.exists()]
    (result.out / MANIFEST_NAME).write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")


def _run_pages(
    pages: Sequence[PageResult],
    out: Path,
    scratch: Path,
    jobs: int,
    progress: Callable[[PageResult | None, int, int], None] | None,
    with_code: bool,
    timeout: int,
    kernel_name: str | None,
) -> None:
    """Run the pages, ``jobs`` at once, reporting each as it finishes."""
    if progress:
        progress(None, 0, len(pages))
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="arms-report")
    # the longest pages first, so that no long page starts last while the other workers
    # idle (pages keep their order in the index; only the order of execution changes)
    by_cost = sorted(pages, key=expected_cost, reverse=True)
    try:
        futures = [
            pool.submit(
                run_page,
                page,
                out=out,
                scratch=scratch,
                with_code=with_code,
                timeout=timeout,
                kernel_name=kernel_name,
            )
            for page in by_cost
        ]
        for done, future in enumerate(as_completed(futures), start=1):
            page = future.result()
            if progress:
                progress(page, done, len(pages))
    finally:
        # On Ctrl-C, notebooks not yet started are dropped; running kernels finish.
        pool.shutdown(wait=True, cancel_futures=True)


def expected_cost(page: PageResult) -> tuple[int, int]:
    """Return a page's expected run time, as (charts drawn, characters of code).

    Drawing and saving charts takes most of a page's time, so their count orders the pages;
    the notebook is read for it (a few milliseconds).

    Examples
    --------
    >>> from arms.paths import NOTEBOOKS_DIR
    >>> page = PageResult(notebook=NOTEBOOKS_DIR / "00-start-here.ipynb", slug="00", title="")
    >>> expected_cost(page)[0] >= 1
    True
    """
    import nbformat

    try:
        nb = nbformat.read(page.notebook, as_version=4)
    except (OSError, ValueError):
        return (0, 0)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return (sum(src.count("plot_") for src in code), sum(map(len, code)))
