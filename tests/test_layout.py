"""The package layout: no import cycle between vigie's packages, and no flat bag of prefixed modules in `nlp/`.

Every module under src/vigie is parsed with `ast` (function-level imports included); each `vigie.X...` import
counts as an edge to the top-level node `vigie.X` (a package, or a top-level module such as `vigie.cli`).
Imports inside one top-level package are not edges.
"""
from __future__ import annotations

import ast
from pathlib import Path

import vigie

ROOT = Path(vigie.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path) -> set[str]:
    """Every vigie module (or `module.name`) the file imports, anywhere in it."""
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)  # `from vigie import cli`
    return {name for name in found if name == "vigie" or name.startswith("vigie.")}


def _node(name: str) -> str | None:
    """The top-level node of a dotted vigie name (`vigie.quotes.fr` -> `vigie.quotes`); None for `vigie`."""
    parts = name.split(".")
    if len(parts) < 2:
        return None
    candidate = ROOT / parts[1]
    if candidate.is_dir() or candidate.with_suffix(".py").exists():
        return f"vigie.{parts[1]}"
    return None  # a name imported from vigie/__init__ (e.g. __version__)


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        source = _node(_module_name(path))
        if source is None:
            continue  # vigie/__init__.py itself
        edges = graph.setdefault(source, set())
        for name in _imported(path):
            target = _node(name)
            if target is not None and target != source:
                edges.add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of nodes (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walker_sees_the_packages() -> None:
    graph = package_graph()
    assert {"vigie.quotes", "vigie.dates", "vigie.places", "vigie.analysis", "vigie.nlp"} <= set(graph)
    assert "vigie.quotes" in graph["vigie.analysis"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_between_packages() -> None:
    cycle = find_cycle(package_graph())
    assert cycle is None, "import cycle between packages: " + " -> ".join(cycle or [])


def test_leaf_packages_import_no_capability() -> None:
    graph = package_graph()
    assert graph.get("vigie.lexicons", set()) == set(), graph.get("vigie.lexicons")  # the resource reader
    assert graph.get("vigie.language", set()) <= {"vigie.lexicons"}, graph.get("vigie.language")
    assert graph.get("vigie.nlp", set()) <= {"vigie.language", "vigie.lexicons"}, graph.get("vigie.nlp")


def test_nlp_is_no_flat_bag_of_capability_modules() -> None:
    nlp = ROOT / "nlp"
    if not nlp.exists():
        return
    prefixed = sorted(
        p.name for p in nlp.glob("*.py")
        if p.stem.startswith(("quotes", "dates", "quantities", "places", "coref", "events"))
    )
    assert prefixed == [], f"capability modules left in vigie/nlp: {prefixed}"
