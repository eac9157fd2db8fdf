"""The presentation layer: one phrasebook, one number formatter, every view.

Functions here return rich renderables and never print; the CLI prints them,
notebooks show them through the thin ``_repr_html_`` hooks of the result
objects (:func:`dxplan.render.notebook.html_of`), and tests read them through
``Console(record=True)``. Domain modules never import this package at module
level, and no module but this package and the CLI imports rich.

- :mod:`~dxplan.render.phrasebook`: every fixed phrase, in Vietnamese and English;
- :mod:`~dxplan.render.numbers`: numbers, percentages and comparators in a locale;
- :mod:`~dxplan.render.plan`, :mod:`~dxplan.render.attainment`,
  :mod:`~dxplan.render.index`, :mod:`~dxplan.render.whatif`,
  :mod:`~dxplan.render.report`: the views;
- :mod:`~dxplan.render.notebook`: the view of any result object, as HTML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from dxplan._deprecated import warn_renamed as _warn_renamed

if TYPE_CHECKING:
    from dxplan.render.attainment import attainment_view
    from dxplan.render.audit import audit_view, correlation_table, optimised_weights_table
    from dxplan.render.build import (
        denomination_table,
        imputation_table,
        screening_table,
        treatment_table,
    )
    from dxplan.render.index import (
        change_view,
        explanation_view,
        index_tree,
        merged_ranking_table,
        ranking_table,
    )
    from dxplan.render.notebook import html, html_of, view
    from dxplan.render.numbers import comparison, number, percent
    from dxplan.render.phrasebook import phrase
    from dxplan.render.plan import check_table, execution_tree, impact_tree, plan_tree, target_text
    from dxplan.render.report import report_view
    from dxplan.render.tasks import task_effects_view, task_moves_view
    from dxplan.render.whatif import (
        FEW_DRAWS,
        attainment_comparison_view,
        comparison_view,
        goal_seek_table,
        uncertainty_table,
    )

__all__ = [
    "FEW_DRAWS",
    "attainment_comparison_view",
    "attainment_view",
    "audit_view",
    "change_view",
    "check_table",
    "comparison",
    "comparison_view",
    "correlation_table",
    "denomination_table",
    "execution_tree",
    "explanation_view",
    "goal_seek_table",
    "html",
    "html_of",
    "impact_tree",
    "imputation_table",
    "index_tree",
    "merged_ranking_table",
    "number",
    "optimised_weights_table",
    "percent",
    "phrase",
    "plan_tree",
    "ranking_table",
    "report_view",
    "screening_table",
    "target_text",
    "task_effects_view",
    "task_moves_view",
    "treatment_table",
    "uncertainty_table",
    "view",
]

# Views load on first use, so that `dxplan rank` does not import the plan's views.
_LAZY: dict[str, str] = {
    "task_effects_view": "dxplan.render.tasks",
    "task_moves_view": "dxplan.render.tasks",
    "FEW_DRAWS": "dxplan.render.whatif",
    "attainment_comparison_view": "dxplan.render.whatif",
    "attainment_view": "dxplan.render.attainment",
    "audit_view": "dxplan.render.audit",
    "correlation_table": "dxplan.render.audit",
    "optimised_weights_table": "dxplan.render.audit",
    "change_view": "dxplan.render.index",
    "check_table": "dxplan.render.plan",
    "comparison": "dxplan.render.numbers",
    "comparison_view": "dxplan.render.whatif",
    "denomination_table": "dxplan.render.build",
    "execution_tree": "dxplan.render.plan",
    "explanation_view": "dxplan.render.index",
    "goal_seek_table": "dxplan.render.whatif",
    "html": "dxplan.render.notebook",
    "html_of": "dxplan.render.notebook",
    "impact_tree": "dxplan.render.plan",
    "imputation_table": "dxplan.render.build",
    "index_tree": "dxplan.render.index",
    "merged_ranking_table": "dxplan.render.index",
    "number": "dxplan.render.numbers",
    "percent": "dxplan.render.numbers",
    "phrase": "dxplan.render.phrasebook",
    "plan_tree": "dxplan.render.plan",
    "ranking_table": "dxplan.render.index",
    "report_view": "dxplan.render.report",
    "screening_table": "dxplan.render.build",
    "target_text": "dxplan.render.plan",
    "treatment_table": "dxplan.render.build",
    "uncertainty_table": "dxplan.render.whatif",
    "view": "dxplan.render.notebook",
}

_RENAMED = {
    "plan_comparison_view": "attainment_comparison_view",
    "task_plan_view": "task_moves_view",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _RENAMED:
        _warn_renamed(f"dxplan.render.{name}", f"dxplan.render.{_RENAMED[name]}")
        return __getattr__(_RENAMED[name])
    raise AttributeError(f"module 'dxplan.render' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
