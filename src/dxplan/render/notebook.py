"""Every result object's view, looked up by type: for rich, for notebooks, for ``repr``.

Domain objects keep only thin hooks (``__rich__``, ``_repr_html_``) that call
:func:`view` or :func:`html_of` here, lazily; this module knows every view.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console, RenderableType

from dxplan.text import Language

__all__ = ["HTML_WIDTH", "MAX_ROWS", "html", "html_of", "view"]

HTML_WIDTH = 100
"""Characters per line of a notebook view."""

MAX_ROWS = 20
"""Rows of a long ranking shown in a notebook; the rest are counted, not dumped."""

_PRE = (
    "<pre style=\"font-family:Menlo,'DejaVu Sans Mono',Consolas,monospace;"
    'line-height:1.25;white-space:pre-wrap">{code}</pre>'
)


def html(renderable: RenderableType, width: int = HTML_WIDTH) -> str:
    """``renderable`` as an HTML fragment for notebooks; rich escapes every text."""
    console = Console(record=True, file=io.StringIO(), width=width, force_jupyter=False)
    console.print(renderable)
    return console.export_html(inline_styles=True, code_format=_PRE)


def _views() -> dict[str, Callable[[Any, Language], RenderableType]]:
    from dxplan.render import attainment, index, plan, report, site_summary, whatif

    def plan_graph(graph: Any, lang: Language) -> RenderableType:
        return plan.execution_tree(graph, lang)

    return {
        "Plan": plan.plan_tree,
        "CheckReport": plan.check_table,
        "PlanGraph": plan_graph,
        "AttainmentReport": attainment.attainment_view,
        "PlanReport": report.report_view,
        "DtiContext": report.dti_context_view,
        "Index": index.index_tree,
        "IndexResult": lambda r, lang: index.ranking_table(r, lang=lang, top=MAX_ROWS),
        "Explanation": index.explanation_view,
        "UncertaintyResult": lambda r, lang: whatif.uncertainty_table(r, top=5, lang=lang),
        "LeverSeek": lambda r, lang: whatif.goal_seek_table(r, lang=lang),
        "LeverMoves": lambda r, lang: whatif.lever_moves_table(r, lang=lang),
        "IndicatorSeek": lambda r, lang: whatif.indicator_seek_table(r, lang=lang),
        "Sweep": lambda r, lang: whatif.sweep_table(r, lang=lang),
        "Scenario": lambda r, lang: whatif.scenario_tree(r),
        "Comparison": lambda r, lang: whatif.comparison_view(r, lang=lang, top=MAX_ROWS),
        "AttainmentComparison": lambda r, lang: whatif.attainment_comparison_view(r, lang=lang),
        "LeaveOneOut": lambda r, lang: whatif.leave_one_out_table(r, lang=lang),
        "SobolIndices": lambda r, lang: whatif.sobol_table(r, lang=lang),
        "Impact": lambda r, lang: plan.impact_summary(r, lang),
        "SiteSummary": site_summary.site_summary_view,
    }


def view(obj: object, lang: Language = "vi") -> RenderableType:
    """The view of a dxplan result object in ``lang`` (for ``__rich__`` hooks).

    Raises:
        TypeError: ``obj`` is not a dxplan object with a view.
    """
    name = type(obj).__name__
    found = _views().get(name)
    if found is None or not type(obj).__module__.startswith("dxplan."):
        raise TypeError(f"no view of {type(obj).__qualname__}")
    return found(obj, lang)


def html_of(obj: object, lang: Language = "vi", width: int = HTML_WIDTH) -> str:
    """The view of ``obj`` as HTML for notebooks (the body of ``_repr_html_`` hooks)."""
    return html(view(obj, lang), width=width)
