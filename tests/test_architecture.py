"""The package's import graph has no cycle.

Every ``import`` counts, at module level or inside a function (a function-level import is
still a dependency, only a later one); imports under ``if TYPE_CHECKING:`` do not, since
they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import callrail_async

PACKAGE = Path(callrail_async.__file__).parent


def module_name(path: Path, root: Path) -> str:
    """``root/a/b.py`` -> ``pkg.a.b``; ``root/a/__init__.py`` -> ``pkg.a``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _runtime_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node`` that can run (skips ``if TYPE_CHECKING:``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for statement in child.orelse:
                yield from _runtime_imports(ast.Module(body=[statement], type_ignores=[]))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        else:
            yield from _runtime_imports(child)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (at run time)."""
    paths = {module_name(path, root): path for path in root.rglob("*.py")}

    def owner(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for statement in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(statement, ast.Import):
                targets.update(alias.name for alias in statement.names)
                continue
            base = statement.module or ""
            if statement.level:
                parts = package.split(".")[: len(package.split(".")) - statement.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            targets.update(f"{base}.{alias.name}" for alias in statement.names)
        graph[name] = {found for t in targets if (found := owner(t)) and found != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_the_package() -> None:
    graph = import_graph(PACKAGE)
    assert "callrail_async.client" in graph["callrail_async.testing._server"]
    assert cycles(graph) == []


def test_the_check_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from .sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from ..a import thing\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"
    )
    (package / "d.py").write_text("import pkg.c\n")

    graph = import_graph(package)

    assert cycles(graph) == [["pkg.a", "pkg.sub.b"]]
    assert graph["pkg.c"] == set()
    assert graph["pkg.d"] == {"pkg.c"}
