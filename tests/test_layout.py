"""The package's shape: imports run one way (no cycle, even in functions), modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

GEO = ROOT / "geo"
MAX_PY_LINES = 420
MAX_JS_LINES = 320


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GEO.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ``geo`` that ``path`` imports when it runs (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(
        ".")[0]
    found: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m in known}


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports(path, known) - {name} for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"geo.a": {"geo.b"}, "geo.b": {"geo.a"}, "geo.c": {"geo.a"}}
    assert cycles(graph) == [["geo.a", "geo.b"]]


def test_imports_are_read_inside_functions_but_not_under_type_checking() -> None:
    graph = import_graph()
    assert "geo.places.gazetteer" in graph["geo.join"]
    assert "geo.render" in graph["geo.api"]  # imported inside build_map
    assert "geo.build" in graph["geo.cli"]  # imported inside a command


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(import_graph()) == []


def test_modules_stay_small_enough_to_read_whole() -> None:
    long = {str(p.relative_to(ROOT)): n for p in GEO.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_PY_LINES}
    long |= {str(p.relative_to(ROOT)): n for p in GEO.rglob("*.js")
             if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_JS_LINES}
    assert long == {}
