"""Throwaway notebooks and the report built from them, shared by the tests of arms.report.

The notebooks are written here, not taken from notebooks/: one collects a figure, a table, a
key figure and its data source; one fails at cell 2; one puts ``<script>`` into every kind of
output; one is the recipient template, run for the two recipients listed in the folder's
``report.toml``. Every notebook but the failing one records the SIPRI file it read with
``arms.report.collect_source``; the data folder holds a second file no page reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from arms import report

TESTS_DATA = Path(__file__).resolve().parent.parent / "data"
DATA_FILE = TESTS_DATA / "search_register.csv"  # V1, generated 2024-01-01
UNREAD_FILE = TESTS_DATA / "extract_register.csv"  # in the data folder, read by no page
SCRIPT = "<script>alert(1)</script>"
PARAMS = {"tags": ["parameters"]}
TEMPLATE = "05-profile"
TITLE = "Test report <b>bold</b>"
# a 1x1 GIF: a picture that always resolves
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
RECIPIENTS = ["Azerbaijan", "Armenia"]
# What a notebook does to cite its data: read it with arms, record the frame's source.
CITE = (
    "if DATA_DIR:\n"
    "    register = arms.read_any(Path(DATA_DIR) / 'search_register.csv')\n"
    "    arms.report.collect_source(register)"
)
SETUP = "import arms\nimport arms.report\nimport pandas as pd\nfrom pathlib import Path"


def write_notebooks(folder: Path) -> Path:
    """Write the four test notebooks and a report.toml into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    good = new_notebook(
        cells=[
            new_markdown_cell("# Good page\n\nA chart, a table and a key figure."),
            new_code_cell(SETUP + "\nimport matplotlib.pyplot as plt"),
            new_code_cell("DATA_DIR = None", metadata=PARAMS),
            new_code_cell(
                "print('DATA_DIR is', DATA_DIR)\n" + CITE + "\n"
                "fig, ax = plt.subplots()\nax.bar(['Israel', 'Russia'], [69.2, 17.0])\n"
                "arms.report.collect_figure(fig, 'Supplier shares')"
            ),
            new_code_cell(
                "shares = pd.DataFrame(\n"
                "    {'supplier': ['Israel', 'Russia'], 'share': [69.2, 17.0]})\n"
                "arms.report.collect_table(shares, 'Shares')\n"
                "arms.report.key_figure('Israel share, 2016-20', 69.2, note='% of TIV')\n"
                "shares"
            ),
        ]
    )
    fails = new_notebook(
        cells=[
            new_markdown_cell("# Failing page"),
            new_code_cell("x = 1\nprint('before the error')"),
            new_code_cell("raise ValueError('boom from cell two')"),
            new_code_cell("print('never reached')"),
        ]
    )
    escape = new_notebook(
        cells=[
            new_markdown_cell(f"# Escaping\n\nMarkdown cell: {SCRIPT}\n\n> a blockquote stays"),
            new_code_cell(
                SETUP + "\nfrom IPython.display import HTML, Javascript, Markdown, display\n"
                f"name = {SCRIPT!r}"
            ),
            new_code_cell("DATA_DIR = None", metadata=PARAMS),
            new_code_cell(
                CITE + "\n"
                "display(Markdown(f'Weapon: {name}'))\n"
                "display(HTML(f'<p>comment {name}</p>'\n"
                f'             \'<img src="{PIXEL}" onerror="document.title=1">\'))\n'
                "display(HTML(\"<script>document.title='pwned'</script>\"))\n"
                "display(Javascript(\"document.title='pwned'\"))\n"
                "print(name)\n"
                "arms.report.key_figure(name, name, note=name)\n"
                "pd.DataFrame({'designation': [name], 'comments': [name]})"
            ),
            new_code_cell("pd.DataFrame({'designation': [name]}).style"),
        ]
    )
    profile = new_notebook(
        cells=[
            new_markdown_cell("# Recipient profile"),
            new_code_cell(SETUP),
            new_code_cell("RECIPIENT = 'Default'\nDATA_DIR = None", metadata=PARAMS),
            new_code_cell(
                "print('RECIPIENT is', RECIPIENT)\n" + CITE + "\n"
                "arms.report.key_figure(f'{RECIPIENT} imports', 1234567)\n"
                "arms.report.collect_table(pd.DataFrame({'recipient': [RECIPIENT]}), 'Imports')"
            ),
        ]
    )
    for name, nb in [
        ("01-good", good),
        ("02-fails", fails),
        ("03-escape", escape),
        (TEMPLATE, profile),
    ]:
        nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "report.toml").write_text(
        f"title = {TITLE!r}\nrecipients = {RECIPIENTS!r}\ntemplate_notebook = {TEMPLATE!r}\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The report of the four notebooks: title, recipients and template from report.toml."""
    base = tmp_path_factory.mktemp("report")
    notebooks = write_notebooks(base / "notebooks")
    data = base / "data"
    data.mkdir()
    shutil.copy(DATA_FILE, data)
    shutil.copy(UNREAD_FILE, data)
    calls = []
    formats = ["html", "pdf"] if report.find_chromium() else ["html"]
    result = report.build_report(
        [notebooks],
        base / "reports",
        data=data,
        formats=formats,
        progress=lambda page, done, total: calls.append((page, done, total)),
    )
    return {
        "result": result,
        "calls": calls,
        "data": data,
        "notebooks": notebooks,
        "formats": formats,
    }


def write_na_notebooks(folder: Path) -> Path:
    """Write a not-applicable page, a page failing after collecting, and a good page."""
    folder.mkdir(parents=True, exist_ok=True)
    collect = (
        "fig, ax = plt.subplots()\nax.bar(['a'], [1])\n"
        "arms.report.collect_figure(fig, 'early figure')\n"
        "arms.report.collect_table(pd.DataFrame({'x': [1]}), 'early table')\n"
        "arms.report.key_figure('early key', 76.5203)"
    )
    setup = "import arms.report\nimport matplotlib.pyplot as plt\nimport pandas as pd"
    na = new_notebook(
        cells=[
            new_markdown_cell("# Case study page"),
            new_code_cell(setup),
            new_code_cell(collect),
            new_code_cell(
                "raise arms.NotApplicable('this page needs deliveries to Armenia; "
                "the file x.csv has none')"
            ),
            new_markdown_cell("## A section that needs Armenia"),
            new_code_cell("print('never reached')"),
        ]
    )
    fails = new_notebook(
        cells=[
            new_markdown_cell("# Failing after collecting"),
            new_code_cell(setup),
            new_code_cell(collect.replace("early", "partial")),
            new_code_cell("raise ValueError('late boom')"),
        ]
    )
    good = new_notebook(
        cells=[
            new_markdown_cell("# Good"),
            new_code_cell(setup),
            new_code_cell("arms.report.key_figure('good key', 1)"),
        ]
    )
    for name, nb in [("02-na", na), ("03-fails", fails), ("04-good", good)]:
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.fixture(scope="session")
def na_built(tmp_path_factory):
    base = tmp_path_factory.mktemp("na-report")
    notebooks = write_na_notebooks(base / "notebooks")
    return report.build_report([notebooks], base / "reports", data=DATA_FILE)


def page(result, slug):
    return next(p for p in result.pages if p.slug == slug)


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")
