"""No import circles in engine/ or tui/, counting imports inside functions: they hide a circle from Python, not from a reader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGES = ("engine", "tui")
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()
"""Edges a circle may still use while the refactor that removes them is under way (importer, imported)."""


def module_files() -> dict[str, Path]:
    """Every module of the packages, by dotted name (a package by its own name, from its __init__.py)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its file; `from x import y` counts x.y when y is a module."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".") if is_package else name.split(".")[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            # `import a.b.c` names a.b.c; walk up to the nearest module of ours.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]], ignored: set[tuple[str, str]]) -> list[str] | None:
    """One import circle as [a, b, …, a], or None; by depth-first search, skipping the `ignored` edges."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if (node, target) in ignored:
                continue
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_sees_imports_inside_functions_and_from_imports_of_modules():
    graph = import_graph()
    assert "engine.descent.divergence" in graph["engine.descent.descend"]  # a top-level `from engine.descent.divergence import …`
    assert "engine.data.csv_reader" in graph["engine.data.synthetic"]
    assert "engine.descent.descend" in graph["tui.cli.run"]  # imported inside a function there
    assert "engine.fast_paths" in graph["engine.models.linear_models"]  # `from engine import fast_paths`: the module


def test_find_cycle_names_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, set()) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}, {("c", "a")}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}, set()) is None


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_circles(package):
    graph = {name: targets for name, targets in import_graph().items() if name.split(".")[0] == package}
    cycle = find_cycle(graph, KNOWN_CYCLE_EDGES)
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_no_circles_between_the_packages():
    cycle = find_cycle(import_graph(), KNOWN_CYCLE_EDGES)
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_known_exceptions_are_still_edges():
    """An exception whose import is gone must leave the list, so the list never hides a new circle."""
    graph = import_graph()
    assert all(target in graph[source] for source, target in KNOWN_CYCLE_EDGES)
