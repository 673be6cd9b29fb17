"""The shape of the code: no import cycles, and the layers only import downwards.

The import graph is read from the source with :mod:`ast` (nothing is imported), counting
module-level imports AND imports inside functions, with relative imports resolved. An import of
a package counts as an import of its ``__init__`` module, and ``from package import name`` also
counts as an import of ``package.name`` when that is a module. A string constant that spells a
module's dotted name (``importlib.import_module("site_builder.readme")``, a registry tuple of
module names) counts too: it is an import, only a late one.

Layers, bottom to top: ``catalog`` (what a paper is: model, taxonomy, loading, checks, link
checking), ``site_builder`` (how a catalog looks), ``pruning_catalog`` (the application: the
command registry and the console script). A package may import the ones below it, never one
above it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("catalog", "site_builder", "pruning_catalog")
LAYER = {name: rank for rank, name in enumerate(PACKAGES)}  # a package may only import ranks <= its own


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the checked packages."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every (absolute dotted name, line) imported anywhere in ``tree``, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):  # ast.walk visits function bodies too: imports inside functions count
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            yield node.value, node.lineno  # a dotted module name imported by name later


def import_graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """Module -> {imported module of the checked packages: first line of the import}."""
    modules = module_files(root)
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, int] = {}
        for name, line in _imported_names(tree, module, path.name == "__init__.py"):
            if name in modules and name != module:
                edges.setdefault(name, line)
        graph[module] = edges
    return graph


def strongly_connected(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def find_cycles(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """One shortest cycle per group of modules that import each other."""
    return [_cycle_path(graph, set(c)) for c in strongly_connected(graph)]


def _cycle_path(graph: Mapping[str, Mapping[str, int]], members: set[str]) -> list[str]:
    """One concrete cycle through the first member of a strongly connected component."""
    start = min(members)
    paths = {start: [start]}
    frontier = [start]
    while frontier:  # breadth first, so the cycle shown is a shortest one
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(graph[node]):
                if nxt == start:
                    return [*paths[node], start]
                if nxt in members and nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return sorted(members)  # pragma: no cover - a component always holds a cycle


def describe_cycle(graph: Mapping[str, Mapping[str, int]], cycle: list[str]) -> str:
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in zip(cycle, cycle[1:], strict=False)]
    return "import cycle: " + " ; ".join(steps)


def describe_cycles(graph: Mapping[str, Mapping[str, int]]) -> str:
    """Each group of modules that import each other, with one cycle through it spelled out."""
    lines = []
    for group in strongly_connected(graph):
        lines.append(f"{len(group)} modules import each other: {', '.join(group)}")
        lines.append("  " + describe_cycle(graph, _cycle_path(graph, set(group))))
    return "\n".join(lines)


def upward_imports(graph: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Imports from a lower layer into a higher one (e.g. ``catalog`` -> ``site_builder``)."""
    found = []
    for module, edges in sorted(graph.items()):
        rank = LAYER[module.split(".")[0]]
        for target, line in sorted(edges.items()):
            if LAYER[target.split(".")[0]] > rank:
                found.append(f"{module} (line {line}) imports {target}: {module.split('.')[0]} must not import {target.split('.')[0]}")
    return found


# -- the rules, on the real code ----------------------------------------------------------------


def test_the_checked_packages_exist() -> None:
    modules = module_files()
    for package in PACKAGES:
        assert package in modules, f"{package}/__init__.py is missing"
    assert len(modules) > 40


def test_there_is_no_import_cycle() -> None:
    graph = import_graph()
    if find_cycles(graph):
        pytest.fail(describe_cycles(graph), pytrace=False)


def test_layers_only_import_downwards() -> None:
    problems = upward_imports(import_graph())
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# -- the checker itself, on small trees ---------------------------------------------------------


def _tree(tmp_path: Path, files: Mapping[str, str]) -> Path:
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_cycle_through_a_function_level_import_is_found_and_named(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "catalog/load.py": "def load():\n    from catalog.catalog import Catalog\n",
            "catalog/catalog.py": "from catalog.load import load\n",
        },
    )
    graph = import_graph(root)
    cycles = find_cycles(graph)
    assert cycles == [["catalog.catalog", "catalog.load", "catalog.catalog"]]
    assert describe_cycle(graph, cycles[0]) == (
        "import cycle: catalog.catalog (line 1) -> catalog.load ; catalog.load (line 2) -> catalog.catalog"
    )


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "catalog/links/__init__.py": "",
            "catalog/links/a.py": "from .b import thing\n",
            "catalog/links/b.py": "from .. import errors\nfrom . import a\n",
            "catalog/errors.py": "",
        },
    )
    graph = import_graph(root)
    assert set(graph["catalog.links.a"]) == {"catalog.links.b"}
    assert set(graph["catalog.links.b"]) == {"catalog", "catalog.errors", "catalog.links", "catalog.links.a"}
    assert find_cycles(graph) == [["catalog.links.a", "catalog.links.b", "catalog.links.a"]]


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    root = _tree(
        tmp_path, {"catalog/cli.py": "import argparse\n\n\ndef main():\n    import site_builder.readme\n", "site_builder/readme.py": ""}
    )
    assert upward_imports(import_graph(root)) == ["catalog.cli (line 5) imports site_builder.readme: catalog must not import site_builder"]


@pytest.mark.parametrize("text", ["from catalog import load\n", "import catalog.load\n", "from catalog.load import x\n"])
def test_each_import_spelling_is_an_edge(tmp_path: Path, text: str) -> None:
    root = _tree(tmp_path, {"catalog/load.py": "", "site_builder/readme.py": text})
    assert "catalog.load" in import_graph(root)["site_builder.readme"]
