"""Imports flow one way, layer by layer, with no cycles (DESIGN.md §3)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "dxplan"

# Lowest first (DESIGN.md §3): the base, then the index (which imports only the
# base, its own folder and the readers of its files), the plan above it, the
# what-ifs, and at the top the catalogues, plan and scenario files, views and CLI.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "units", "text", "_validators", "_files", "_numbers", "_deprecated", "_extras"),
    ("_display",),
    (
        "formats._excel",
        # Tables and a README to a workbook; each result builds its own tables.
        "formats.excel",
        "formats.converter",
        "plan._cycles",
        "plan._digraph",
        "plan._provenance",
        "index._stats",
        "index._outline",
        "whatif._sobol_sequence",
    ),
    ("index.provinces",),
    # A data sheet of Excel, read into index data or observations.
    ("formats._data_excel",),
    ("index.data",),
    ("index.rules", "index.aggregators", "index._engine", "index.ranking", "index.model"),
    (
        "index._steps",
        "index.screening",
        "index.denomination",
        "index.imputation",
        "index.treatment",
        "index.pipeline",
        "index.audit",
        "index.weighting",
    ),
    # The bundled indices and data, and index definition files, which hold steps.
    ("formats._index_files", "index.indices", "index.datasets"),
    ("plan._links",),
    # Plan.graph builds the graph, so the graph reads the plan's classes for type
    # checking only and sits below the model.
    ("plan.graph", "plan._graph_export"),
    ("plan.model",),
    ("plan.validation",),
    ("plan.observations",),
    ("plan.attainment",),
    (
        "whatif.uncertainty",
        "whatif.sensitivity",
        "whatif.scenario",
        "whatif.goalseek",
        "whatif.tasks",
    ),
    (
        "formats.io",
        "formats.schema",
        "formats.scenario_files",
        "plan.catalogue",
        "render",
        "strategies",
        "_hypothesis_plugin",
        "report",
        "cli",
    ),
)

PRESENTATION = "render"

# Domain objects show themselves through dxplan._display (the Displayable
# mixin and text()), where dxplan.render registers every view. That module is the
# one loader of the presentation package outside the presentation side: it
# imports PRESENTATION_LOADER by name on the first look-up.
DISPLAY = "_display"
PRESENTATION_LOADER = "dxplan.render.notebook"

RICH_USERS = {"render", "cli"}

# The folders' rule (DESIGN.md §3): the index never reaches into the plan, the
# what-ifs or the views; the plan never into the what-ifs or the views.
FORBIDDEN = {"index": ("plan", "whatif", "render"), "plan": ("whatif", "render")}


def _module(path: Path) -> str:
    """The module ``path`` holds, dotted from the package (``plan.model``); ``render`` is one."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[0] == PRESENTATION:
        return PRESENTATION
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "__init__.py" or path.parent.name == PRESENTATION:
            yield _module(path), path


def _layer(module: str) -> int:
    for level, names in enumerate(LAYERS):
        if module in names:
            return level
    raise AssertionError(f"dxplan.{module} is in no layer of this test; add it")


def _tree(path: Path) -> ast.Module:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    return tree


def _names(node: ast.AST) -> set[str]:
    """Modules (``dxplan.plan.model``; others bare) imported by ``node``."""
    found: set[str] = set()
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        if node.module.split(".")[0] == "dxplan":
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (dotted.replace(".", "/") + ".py")).exists()
                found.add(_collapse(dotted if is_module else node.module))
        else:
            found.add(node.module.split(".")[0])
    elif isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            found.add(_collapse(alias.name) if parts[0] == "dxplan" else parts[0])
    return found


def _collapse(dotted: str) -> str:
    """``dxplan.render.x`` as ``dxplan.render``: the presentation package counts as one."""
    parts = dotted.split(".")
    return "dxplan.render" if parts[1:2] == [PRESENTATION] else dotted


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """What ``path`` imports at module level, and inside functions (outside TYPE_CHECKING)."""
    tree = _tree(path)
    top: set[str] = set()
    lazy: set[str] = set()
    inner = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
    }
    for node in ast.walk(tree):
        (lazy if id(node) in inner else top).update(_names(node))
    return top, lazy


def _package(names: set[str]) -> set[str]:
    return {n.removeprefix("dxplan.") for n in names if n.startswith("dxplan.")}


def _edges(*, lazy: bool) -> set[tuple[str, str]]:
    edges = set()
    for module, path in _sources():
        top, inner = _imports(path)
        for target in _package(top | inner if lazy else top):
            if target != module:
                edges.add((module, target))
    return edges


class TestImportDirection:
    """Lower layers never import higher ones."""

    def test_every_module_has_a_layer(self) -> None:
        """Each module of the package is placed in a layer (a new module must be placed)."""
        for module, _ in _sources():
            _layer(module)

    def test_no_upward_imports(self) -> None:
        """No module imports a module of a higher layer, at import time or inside a function."""
        upward = [e for e in _edges(lazy=True) if _layer(e[1]) > _layer(e[0])]
        assert sorted(upward) == []

    def test_no_import_cycles(self) -> None:
        """Counting every import, at module level and inside functions, the graph has no cycle."""
        edges = _edges(lazy=True)
        graph: dict[str, set[str]] = {}
        for a, b in edges:
            graph.setdefault(a, set()).add(b)
        state: dict[str, int] = {}
        cycles: list[list[str]] = []

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            for nxt in sorted(graph.get(node, ())):
                if state.get(nxt) == 1:
                    cycles.append([*path[path.index(nxt) :], nxt])
                elif nxt not in state:
                    visit(nxt, [*path, nxt])
            state[node] = 2

        for node in sorted(graph):
            if node not in state:
                visit(node, [node])
        assert cycles == []

    def test_presentation_imports_no_domain_back(self) -> None:
        """The views import domain modules; no domain module imports the views, even lazily."""
        importers = {e[0] for e in _edges(lazy=True) if e[1] == PRESENTATION}
        assert importers == {"cli"}

    def test_the_display_hook_is_the_only_loader_of_the_views(self) -> None:
        """Outside the CLI and the views, only dxplan._display names dxplan.render, to load it."""
        from dxplan import _display

        assert _display.PRESENTATION == PRESENTATION_LOADER
        naming = {
            module
            for module, path in _sources()
            if module not in {PRESENTATION, "cli"}
            for node in ast.walk(_tree(path))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.fullmatch(r"dxplan\.render(\.\w+)*", node.value)
        }
        assert naming == {DISPLAY}

    def test_only_the_presentation_layer_imports_rich(self) -> None:
        """rich is imported (outside TYPE_CHECKING) only by dxplan.render and the CLI."""
        users = set()
        for module, path in _sources():
            top, lazy = _imports(path)
            if "rich" in top | lazy:
                users.add(module)
        assert users == RICH_USERS

    def test_errors_import_nothing_of_the_package(self) -> None:
        """The error tree stands alone."""
        top, lazy = _imports(PACKAGE / "errors.py")
        assert _package(top | lazy) == set()

    def test_folders_import_one_way(self) -> None:
        """index/ never imports plan/, whatif/ or render/; plan/ never whatif/ or render/.

        Counted at import time and inside functions.
        """
        crossing = [
            (a, b)
            for a, b in _edges(lazy=True)
            if a.split(".")[0] in FORBIDDEN and b.split(".")[0] in FORBIDDEN[a.split(".")[0]]
        ]
        assert crossing == []
