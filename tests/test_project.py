"""Checks on the project itself: one dependency list, clean notebooks, a working command line.

These guard the skeleton every other module stands on: ``environment.yml`` must not drift from
``pyproject.toml`` (country_converter's two lists did), committed notebooks carry no outputs
(PUDL's check, which needs no extra dependency), the ``arms`` command starts both ways, and
``import arms`` stays cheap.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# conda-forge name -> PyPI name, where they differ. matplotlib-base is matplotlib without the
# Qt GUI backend that conda-forge's `matplotlib` adds; pip's matplotlib has none either.
# bleach-with-css is conda-forge's name for pip's bleach[css].
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "bleach-with-css": "bleach"}
# conda packages that are tools of the environment itself, not project dependencies
CONDA_ONLY = {"python", "pip"}
EDITABLE_SELF = {"-e .", "--editable ."}

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(requirement: str) -> tuple[str, str]:
    """Return (normalised name, version specifier without spaces) of a requirement string."""
    match = REQUIREMENT.match(requirement)
    assert match, f"cannot read requirement {requirement!r}"
    return _normalise(match[1]), match[2].replace(" ", "")


def read_environment(text: str) -> tuple[list[str], list[str]]:
    """Return the conda and the pip entries of an ``environment.yml``'s ``dependencies``.

    A small reader for the block-list layout our file uses, so the check needs no YAML
    library; any other layout fails loudly here rather than passing unread.
    """
    conda: list[str] = []
    pip: list[str] = []
    section, pip_indent = None, 0
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            section = "conda" if line == "dependencies:" else None
            continue
        if section is None:
            continue
        item = re.match(r"^(\s*)- (.+)$", line)
        assert item, f"environment.yml: cannot read dependency line {raw!r}"
        indent, value = len(item[1]), item[2].strip()
        if value == "pip:":
            section, pip_indent = "pip", indent
        elif section == "pip" and indent > pip_indent:
            pip.append(value)
        else:
            section = "conda"
            conda.append(value)
    return conda, pip


def dependency_mismatches(pyproject: dict, environment_text: str) -> list[str]:
    """Return every way ``environment.yml`` disagrees with ``pyproject.toml`` (empty if none)."""
    project = pyproject["project"]
    wanted = dict(_split(r) for r in project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        # a self-reference such as `arms[test]` inside another extra is not a dependency
        wanted.update(_split(r) for r in extra if _split(r)[0] != _normalise(project["name"]))
    conda, pip = read_environment(environment_text)
    have: dict[str, str] = {}
    problems = []
    for entry in conda:
        name, spec = _split(entry)
        if name == "python" and spec != project["requires-python"]:
            problems.append(f"python{spec} but requires-python is {project['requires-python']}")
        if name not in CONDA_ONLY:
            have[CONDA_TO_PYPI.get(name, name)] = spec
    have.update(_split(entry) for entry in pip if entry not in EDITABLE_SELF)
    for name in sorted(wanted.keys() - have.keys()):
        problems.append(f"{name}{wanted[name]} is in pyproject.toml but not in environment.yml")
    for name in sorted(have.keys() - wanted.keys()):
        problems.append(f"{name}{have[name]} is in environment.yml but not in pyproject.toml")
    for name in sorted(wanted.keys() & have.keys()):
        if wanted[name] != have[name]:
            problems.append(f"{name}: {wanted[name]!r} in pyproject.toml, {have[name]!r} in env")
    if not EDITABLE_SELF & set(pip):
        problems.append("environment.yml does not install the project itself (pip: [-e .])")
    return problems


def test_environment_yml_mirrors_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert dependency_mismatches(pyproject, environment) == []


def test_dependency_check_reports_every_disagreement():
    pyproject = {
        "project": {
            "name": "arms",
            "requires-python": ">=3.11",
            "dependencies": ["pandas>=2.1", "matplotlib>=3.8"],
            "optional-dependencies": {"test": ["pytest>=7.4", "ruff>=0.5"]},
        }
    }
    environment = """\
name: arms
channels:
  - conda-forge  # the only channel
dependencies:
  - python>=3.10
  - matplotlib-base>=3.8
  - pytest>=8
  - ruff>=0.5
  - seaborn
  - pip:
      - requests
"""
    assert dependency_mismatches(pyproject, environment) == [
        "python>=3.10 but requires-python is >=3.11",
        "pandas>=2.1 is in pyproject.toml but not in environment.yml",
        "requests is in environment.yml but not in pyproject.toml",
        "seaborn is in environment.yml but not in pyproject.toml",
        "pytest: '>=7.4' in pyproject.toml, '>=8' in env",
        "environment.yml does not install the project itself (pip: [-e .])",
    ]


# --- notebooks -------------------------------------------------------------------------------


def dirty_cells(notebook: dict) -> list[str]:
    """Return one line per code cell that carries outputs or an execution count."""
    found = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        problems = []
        if cell.get("outputs"):
            problems.append(f"{len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"execution_count {cell['execution_count']}")
        if problems:
            source = "".join(cell.get("source", "")).strip().splitlines() or [""]
            found.append(f"cell {index} ({source[0][:60]!r}): {', '.join(problems)}")
    return found


# what git would commit: not Jupyter's checkpoints, nor nbconvert's executed copies (ignored)
NOTEBOOKS = sorted(
    p
    for p in (ROOT / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts and not p.name.endswith(".nbconvert.ipynb")
)


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in NOTEBOOKS]
    or [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks in notebooks/ yet"))],
)
def test_committed_notebook_has_no_outputs(path):
    dirty = dirty_cells(json.loads(path.read_text(encoding="utf-8")))
    assert not dirty, (
        f"{path.relative_to(ROOT)} is saved with outputs; run `make clean-notebooks`:\n"
        + "\n".join(dirty)
    )


def test_clean_notebooks_command_strips_outputs_and_keeps_tags(tmp_path):
    """`make clean-notebooks` runs this nbconvert command; it must leave a notebook clean."""
    nbformat = pytest.importorskip("nbformat")
    v4 = nbformat.v4
    cell = v4.new_code_cell("DATA = 1", execution_count=3, metadata={"tags": ["parameters"]})
    cell.outputs = [v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)]
    notebook = v4.new_notebook(cells=[v4.new_markdown_cell("# Title"), cell])
    path = tmp_path / "01-dirty.ipynb"
    nbformat.write(notebook, path)
    assert dirty_cells(json.loads(path.read_text(encoding="utf-8"))) == [
        "cell 1 ('DATA = 1'): 1 output(s), execution_count 3"
    ]

    command = [sys.executable, "-m", "nbconvert", "--clear-output", "--inplace", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    cleaned = json.loads(path.read_text(encoding="utf-8"))
    assert dirty_cells(cleaned) == []
    assert cleaned["cells"][1]["metadata"]["tags"] == ["parameters"]
    assert "python -m nbconvert --clear-output --inplace" in (ROOT / "Makefile").read_text()


# --- command line and import cost ------------------------------------------------------------


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_console_script_arms_help():
    script = Path(sys.executable).with_name("arms")
    found = str(script) if script.exists() else shutil.which("arms")
    assert found, "the `arms` console script is not installed; run `make install`"
    result = _run([found, "--help"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: arms")


def test_python_m_arms_help():
    result = _run([sys.executable, "-m", "arms", "--help"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: arms")


def test_import_arms_loads_neither_matplotlib_nor_openpyxl():
    heavy = ("matplotlib", "openpyxl")
    code = f"import sys, arms; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    result = _run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


# --- the README's promises ------------------------------------------------------------------


def test_make_targets_named_in_readme_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-zA-Z][a-zA-Z_-]*):", makefile, flags=re.MULTILINE))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"(?:^|`)make ([a-z][a-z-]*)", readme, flags=re.MULTILINE))
    assert {"test", "report"} <= named
    assert named <= targets, f"README names missing Makefile targets: {named - targets}"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert "make test" in commands
