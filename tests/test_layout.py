"""The package's layout holds: small modules, imports that run one way, no private names.

These are the measured facts of the architecture note in the README ("Layout"): each module
has one job and stays under about 800 lines; the layers import downwards only (reading,
knowledge tables, frames, analysis, plotting/export, report, command line); no module reaches
into another module's private names; arms modules are imported at the top of a file, so that
the import graph is what the file's header says.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "arms"
MODULES = sorted(PACKAGE.rglob("*.py"))
TESTS = sorted(Path(__file__).resolve().parent.rglob("*.py"))
MAX_LINES = 800

# Layer of each part of the package, lowest first. A module may import its own layer and the
# layers below it, never one above. The low-level modules (errors, paths, schema, text,
# entities, categories) sit at the bottom and may be imported from anywhere.
LAYERS = {
    "errors": 0,
    "paths": 0,
    "schema": 0,
    "text": 0,
    "entities": 0,
    "categories": 0,
    "io": 1,
    "frames": 2,
    "analysis": 3,
    "plotting": 4,
    "export": 4,
    "export_network": 4,
    "report": 5,
    "cli": 6,
    "__main__": 7,
}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str | None:
    """``arms.io.readers`` -> ``io``; ``arms`` itself -> None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "arms" else None


def _arms_imports(tree: ast.Module, here: str):
    """Yield (node, imported module, imported names) for every import of an arms module."""
    package = here if here.count(".") == 0 else here.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "arms" or alias.name.startswith("arms."):
                    yield node, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative import: resolve against this package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            if module == "arms" or module.startswith("arms."):
                yield node, module, [a.name for a in node.names]


def _parents(tree: ast.Module) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


@pytest.fixture(scope="module")
def parsed():
    return {_name(p): (p, ast.parse(p.read_text(encoding="utf-8"))) for p in MODULES}


def test_every_module_is_small():
    sizes = {str(p.relative_to(PACKAGE.parent)): len(p.read_text().splitlines()) for p in MODULES}
    too_big = {p: n for p, n in sizes.items() if n > MAX_LINES}
    assert not too_big, f"modules over {MAX_LINES} lines: {too_big}"


def test_every_part_has_a_layer(parsed):
    parts = {_part(here) for here in parsed} - {None}
    assert parts <= set(LAYERS), f"parts without a layer: {sorted(parts - set(LAYERS))}"


def test_imports_run_one_way(parsed):
    wrong = []
    for here, (_, tree) in parsed.items():
        mine = _part(here)
        if mine is None:  # arms/__init__.py: the lazy public API, importing nothing eagerly
            continue
        for _, module, names in _arms_imports(tree, here):
            targets = [module] if _part(module) else [f"arms.{n}" for n in names]
            for target in targets:
                theirs = _part(target)
                if theirs is None or theirs == mine or {mine, theirs} - set(LAYERS):
                    continue
                if LAYERS[theirs] > LAYERS[mine]:
                    wrong.append(f"{here} imports {target}")
    assert not wrong, "imports that run up the layers:\n" + "\n".join(wrong)


def test_only_the_command_line_imports_it(parsed):
    wrong = [
        f"{here} imports {module}"
        for here, (_, tree) in parsed.items()
        if _part(here) not in ("cli", "__main__")
        for _, module, names in _arms_imports(tree, here)
        if _part(module) == "cli" or (module == "arms" and "cli" in names)
    ]
    assert not wrong, wrong


def test_no_private_names_of_other_modules(parsed):
    tests = {
        f"tests.{p.stem}": (p, ast.parse(p.read_text(encoding="utf-8")))
        for p in TESTS
        if p.name != "test_layout.py"
    }
    wrong = []
    for here, (_, tree) in {**parsed, **tests}.items():
        bound: set[str] = set()  # local names of imported arms modules
        for _, module, names in _arms_imports(tree, here):
            if module == here:
                continue
            wrong += [f"{here}: from {module} import {n}" for n in names if _private(n)]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                bound |= {
                    (a.asname or a.name).split(".")[0]
                    for a in node.names
                    if a.name.startswith("arms")
                }
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("arms"):
                bound |= {a.asname or a.name for a in node.names if not _private(a.name)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
            ):
                wrong.append(f"{here}: {node.value.id}.{node.attr}")
    assert not wrong, "private names used across modules:\n" + "\n".join(sorted(set(wrong)))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_arms_modules_are_imported_at_the_top(parsed):
    inside = []
    for here, (_, tree) in parsed.items():
        parents = _parents(tree)
        for node, module, _ in _arms_imports(tree, here):
            parent = parents.get(node)
            if not isinstance(parent, ast.Module):
                inside.append(f"{here}:{node.lineno} imports {module} inside a block")
    assert not inside, "\n".join(inside)
