"""Imports flow one way, layer by layer (DESIGN.md §3)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "dxplan"

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "errors",
        "units",
        "text",
        "_validators",
        "_files",
        "_numbers",
        "_excel",
        "_stats",
        "_sobol_sequence",
    ),
    ("model",),
    ("validation",),
    ("graph", "_graph_export"),
    ("observations", "index_data", "provinces", "_data_excel"),
    ("attainment", "rules", "aggregators", "_engine", "ranking", "index"),
    ("_steps", "screening", "denomination", "imputation", "treatment", "pipeline"),
    ("uncertainty", "sensitivity", "scenario", "goalseek", "audit", "weighting"),
    (
        "io",
        "excel",
        "schema",
        "plans",
        "render",
        "plots",
        "strategies",
        "_hypothesis_plugin",
        "_index_files",
        "indices",
        "datasets",
        "report",
        "cli",
    ),
)

# Upward imports made inside a function, on purpose: each is a convenience the
# API promises (DESIGN.md §9) or a notebook view, and none runs at import time.
ALLOWED_UPWARD = {
    ("model", "graph"): "Plan.graph",
    ("model", "render"): "Plan.__rich__ and Plan._repr_html_",
    ("attainment", "render"): "AttainmentReport._repr_html_",
    ("index", "render"): "IndexResult.__rich__, IndexResult and Explanation _repr_html_",
    ("index", "uncertainty"): "Index.uncertainty",
    ("uncertainty", "render"): "UncertaintyResult.__rich__ and _repr_html_",
    ("goalseek", "render"): "GoalSeekResult.__rich__",
    ("index_data", "excel"): "IndexData.to_excel",
    ("attainment", "excel"): "AttainmentReport.to_excel",
    ("index", "excel"): "IndexResult.to_excel",
    ("uncertainty", "excel"): "UncertaintyResult.to_excel",
    ("provinces", "excel"): "MergedRanking.to_excel",
    ("imputation", "render"): "ImputationResult.__rich__ and _repr_html_",
    ("treatment", "render"): "TreatmentResult.__rich__ and _repr_html_",
    ("screening", "render"): "ScreeningResult.__rich__ and _repr_html_",
    ("denomination", "render"): "DenominationResult.__rich__ and _repr_html_",
    ("audit", "render"): "Correlations.__rich__ and Audit.__rich__",
    ("weighting", "render"): "OptimisedWeights.__rich__",
}


def _layer(module: str) -> int:
    for level, names in enumerate(LAYERS):
        if module in names:
            return level
    raise AssertionError(f"dxplan.{module} is in no layer of this test; add it")


def _imports(path: Path) -> set[str]:
    """dxplan modules imported by ``path``, leaving out `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "dxplan":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("dxplan."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("dxplan."))
    return found


class TestImportDirection:
    """Lower layers never import higher ones."""

    def test_every_module_has_a_layer(self) -> None:
        """Each module of the package is placed in a layer (a new module must be placed)."""
        for path in PACKAGE.glob("*.py"):
            if path.stem != "__init__":
                _layer(path.stem)

    def test_no_upward_imports(self) -> None:
        """No module imports a module of a higher layer, but for the listed conveniences."""
        upward = []
        for path in sorted(PACKAGE.glob("*.py")):
            if path.stem == "__init__":
                continue
            for target in _imports(path):
                edge = (path.stem, target)
                if _layer(target) > _layer(path.stem) and edge not in ALLOWED_UPWARD:
                    upward.append(edge)
        assert upward == []

    def test_errors_import_nothing_of_the_package(self) -> None:
        """The error tree stands alone."""
        assert _imports(PACKAGE / "errors.py") == set()
