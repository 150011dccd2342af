"""HTML of the report: sanitising notebook output, rendering a page, writing the index.

Everything the data can put on a page is escaped or cleaned: :func:`clean_html` keeps
tables, headings, lists, pandas' CSS and embedded pictures, and shows any other markup as
text; the index is rendered with autoescape on. Nothing is loaded from the network.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import threading
from collections.abc import Iterable, Mapping
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from arms import __version__
from arms.text import CITATION, TIV_CAVEAT, column_label, generated_date

__all__ = [
    "cite",
    "clean_html",
    "format_value",
    "notebook_title",
    "render_page",
    "tidy_tables",
    "write_index",
]

TEMPLATES = Path(__file__).with_name("templates")
PAGE_TEMPLATE = TEMPLATES / "report-page.html.j2"
INDEX_TEMPLATE = "report-index.html.j2"


_TABLE = re.compile(r"<table\b[^>]*\bdataframe\b[^>]*>.*?</table>", re.S)
_ROW_HEAD = re.compile(r"(<tr[^>]*>\s*)<th[^>]*>(\d+)</th>\s*", re.S)
_EMPTY_HEAD = re.compile(r"(<tr[^>]*>\s*)<th[^>]*>\s*</th>\s*", re.S)
_HEAD_CELL = re.compile(r"(<th\b[^>]*>)([^<]*)(</th>)")
_NUMBER_CELL = re.compile(r"(<td[^>]*>)\s*(-0(?:\.0+)?|&lt;NA&gt;|<NA>|nan|NaN|None)\s*(</td>)")


def tidy_tables(html: str) -> str:
    """Return ``html`` with the pandas tables made readable.

    In every ``<table class="dataframe">``: a plain row-number index (0, 1, 2, ...) is
    dropped, headers become words with units (:func:`arms.text.column_label`), and missing
    values (``<NA>``, ``nan``) show as empty cells and ``-0.0`` as ``0.0``. A table of more
    than :data:`WIDE_TABLE` columns gets the class ``arms-wide`` (printed smaller).

    Examples
    --------
    >>> t = ('<table class="dataframe"><thead><tr><th></th><th>tiv</th></tr></thead>'
    ...      '<tbody><tr><th>0</th><td>-0.0</td></tr><tr><th>1</th><td>&lt;NA&gt;</td></tr>'
    ...      '</tbody></table>')
    >>> out = tidy_tables(t)
    >>> "<th>0</th>" in out, "<th>TIV (millions)</th>" in out, "<td>0.0</td><" in out
    (False, True, True)
    >>> "NA" in out
    False
    """

    def one(match: re.Match) -> str:
        table = match.group(0)
        body = table.split("<tbody>", 1)
        if len(body) == 2:
            numbers = [int(n) for _, n in _ROW_HEAD.findall(body[1])]
            rows = body[1].count("<tr")
            if numbers and numbers == list(range(rows)):
                head = _EMPTY_HEAD.sub(r"\1", body[0])
                table = head + "<tbody>" + _ROW_HEAD.sub(r"\1", body[1])
        head, sep, rest = table.partition("</thead>")
        if sep:
            table = _HEAD_CELL.sub(
                lambda m: m[1] + escape(column_label(unescape(m[2]))) + m[3], head
            )
            table += sep + rest
        table = _NUMBER_CELL.sub(
            lambda m: m[1] + ("0.0" if m[2].startswith("-0") else "") + m[3], table
        )
        first_row = table.split("</tr>", 1)[0]
        if first_row.count("<th") > WIDE_TABLE:  # printed smaller, so that it fits the page
            table = table.replace('class="dataframe', 'class="dataframe arms-wide', 1)
        return table

    return _TABLE.sub(one, html)


#: Tables with more columns than this are printed in a smaller type (class ``arms-wide``).
WIDE_TABLE = 8


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
    failure: Any = None,
    citation: str = CITATION,
    not_applicable: str | None = None,
    supplier: str | None = None,
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
    failure : CellFailure or str, optional
        Shown (as text) as a banner at the top of a failed page.
    citation : str, optional
        The source line at the foot of the page.
    not_applicable : str, optional
        Why the page does not apply to the data (a :class:`NotApplicable` message), shown
        as a notice at the top; the page ends with the cell that raised it, whose error
        output is dropped.
    supplier : str, optional
        Shown in the bar of a supplier template page.

    Returns
    -------
    str
        The HTML document.
    """
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    # the injected parameters hold the data's paths on this machine: never on a page
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    # Python's warnings (the stderr stream) are for whoever builds the report: they name
    # files on this machine, and what a reader needs of them the page says from attrs
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if not _is_stderr(o)]
    if not_applicable is not None:
        # The notice says why; the page ends at the check (no error box, no empty sections).
        for index, cell in enumerate(nb.cells):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
                nb.cells = nb.cells[: index + 1]
                break
    title = title or notebook_title(nb, "Notebook")
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_file=str(PAGE_TEMPLATE),
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
        sanitize_html=True,
        filters={"clean_html": lambda markup: clean_html(tidy_tables(str(markup)))},
    )
    resources = {
        "metadata": {"name": title},
        "arms": {
            "title": title,
            "recipient": recipient,
            "supplier": supplier,
            "failure": None if failure is None else str(failure),
            "not_applicable": not_applicable,
            "citation": citation,
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _is_stderr(output: Mapping) -> bool:
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


def stderr_text(nb: Any) -> list[str]:
    r"""Return the text each cell of ``nb`` wrote to stderr (its warnings), for the build log.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> cell = new_code_cell("1", outputs=[new_output("stream", name="stderr", text="w\n")])
    >>> stderr_text(new_notebook(cells=[cell]))
    ['w']
    """
    return [
        str(o.get("text", "")).strip()
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if _is_stderr(o)
    ]


def notebook_title(nb: Any, fallback: str) -> str:
    """Return the first markdown heading of ``nb`` (without ``#`` and markup), or ``fallback``.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> notebook_title(new_notebook(cells=[new_markdown_cell("# The *Su-30SM* deal")]), "x")
    'The Su-30SM deal'
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
            if match and match.group(1):
                return re.sub(r"[*_`]", "", match.group(1))
    return fallback


def cite(sources: Iterable[Mapping]) -> str:
    """Return the citation with the generated date(s) of the files a page or report used.

    Parameters
    ----------
    sources : iterable of mapping
        Source records (:func:`arms.report.collect.read_sources`), with ``generated``.

    Returns
    -------
    str

    Examples
    --------
    >>> cite([{"generated": "2024-01-01T13:00:00"}]).endswith("(data generated 1 Jan 2024).")
    True
    >>> cite([]) == CITATION + "."
    True
    """
    stamps = {str(r["generated"]) for r in sources if r.get("generated")}
    days = dict.fromkeys(generated_date(s) for s in sorted(stamps))  # in date order, once each
    text = ", ".join(d for d in days if d)
    return CITATION + (f" (data generated {text})." if text else ".")


def format_value(value: Any) -> str:
    """Return a key figure's value as the index shows it.

    Examples
    --------
    >>> format_value(1234567), format_value(69.20), format_value(76.5203), format_value(True)
    ('1,234,567', '69.2', '76.52', 'yes')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        text = f"{value:,.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return "" if value is None else str(value)


def _href(path: Path, base: Path) -> str:
    return quote(path.relative_to(base).as_posix())


def _data_row(source: Mapping, pages: list[str]) -> dict:
    """Return the index's provenance row of one recorded source."""
    years = ""
    if source.get("year_from") is not None:
        years = f"{source['year_from']}-{source.get('year_to', '')}, "
    return {
        "name": str(source.get("path") or "(unnamed file)"),
        "location": None,
        "generated": generated_date(source.get("generated")),
        "variant": source.get("variant"),
        "description": f"{years}used by {', '.join(pages)}",
        "sha256": source.get("sha256"),
    }


def _page_rows(result: Any) -> tuple[list[dict], list[dict], list[dict]]:
    """Return the contents rows, key figures and figures of the index."""
    out = result.out
    pages, key_figures, figures = [], [], []
    for page in result.pages:
        page_href = _href(page.html, out) if page.html else ""
        pages.append(
            {
                "slug": page.slug,
                "title": page.title,
                "recipient": page.recipient,
                "supplier": page.supplier,
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
                    "value": format_value(key.get("value")),
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
    return pages, key_figures, figures


def write_index(
    result: Any,
    *,
    title: str,
    data_location: str | os.PathLike,
    any_pdf: bool,
    workbook_name: str = "arms-tables.xlsx",
) -> Path:
    """Write ``result.index``: title, citation, caveat, contents, key figures, provenance.

    The provenance table lists exactly the sources the pages recorded
    (``result.data_files``, from :func:`arms.report.collect_source`), with the pages that
    used each; the citation carries their generated dates.

    Parameters
    ----------
    result : ReportResult
        The build so far (pages run, workbook written).
    title : str
        The index's title.
    data_location : str or os.PathLike
        Where the pages read their data (shown, not opened).
    any_pdf : bool
        Whether PDFs were printed (adds the PDF column and the index PDF link).
    workbook_name : str, default "arms-tables.xlsx"
        Shown with the workbook link.

    Returns
    -------
    pathlib.Path
        ``result.index``.
    """
    import jinja2

    pages, key_figures, figures = _page_rows(result)
    used: dict[Any, list[str]] = {}
    for page in result.pages:
        for source in page.sources:
            used.setdefault(source.get("sha256") or source.get("path"), []).append(page.slug)
    data_files = [
        _data_row(row, used.get(row.get("sha256") or row.get("path"), []))
        for row in result.data_files
    ]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every value on the index is escaped
        undefined=jinja2.StrictUndefined,
    )
    html = env.get_template(INDEX_TEMPLATE).render(
        title=title,
        version=__version__,
        built=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        citation=cite(result.data_files),
        caveat=TIV_CAVEAT,
        pages=pages,
        failures=result.failures,
        not_applicable=[p for p in result.pages if p.status == "not applicable"],
        problems=result.problems,
        any_pdf=any_pdf,
        key_figures=key_figures,
        figures=figures,
        workbook_href=_href(result.workbook, result.out) if result.workbook else "",
        workbook_name=workbook_name,
        index_pdf_href="index.pdf" if any_pdf else "",
        data_files=data_files,
        data_location=str(data_location),
    )
    result.index.write_text(html, encoding="utf-8")
    return result.index
