"""Every result object's view, registered by class: for rich, for notebooks, for ``rich(lang)``.

Domain classes inherit :class:`dxplan._display.Displayable`, whose hooks look
their view up by class; :mod:`dxplan._display` imports this module on the first
look-up, and importing it registers every view and every phrase a domain object
speaks (a status's label, a target's texts). This module is the one place that
says which view shows which class, in which language and at which width.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console, RenderableType

from dxplan._display import View, register_text, register_view
from dxplan._display import view as _view
from dxplan._display import view_of as _view_of
from dxplan.render import attainment, audit, build, index, plan, report, site_summary, tasks, whatif
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


def view(obj: object, lang: Language | None = None) -> RenderableType:
    """The view of a dxplan result object in ``lang`` (its class's own language when None).

    Raises:
        TypeError: ``obj`` is not a dxplan object with a view.
    """
    return _view(obj, lang)


def html_of(obj: object, lang: Language | None = None, width: int | None = None) -> str:
    """The view of ``obj`` as HTML for notebooks (what its ``_repr_html_`` shows)."""
    found = _view_of(obj)
    return html(found.show(obj, found.lang if lang is None else lang), width or found.width)


def _keyword(show: Callable[..., RenderableType], **options: Any) -> Callable[[Any, Language], Any]:
    """A view whose language (and options) are keyword arguments, called as ``show(obj, lang)``."""
    return lambda obj, lang: show(obj, lang=lang, **options)


_VIEWS: dict[str, View] = {
    "dxplan.plan.model.Plan": View(show=plan.plan_tree, lang="vi"),
    "dxplan.plan.validation.CheckReport": View(show=plan.check_table, lang="vi"),
    "dxplan.plan.graph.PlanGraph": View(show=plan.execution_tree, lang="vi"),
    "dxplan.plan.graph.Impact": View(show=plan.impact_summary, lang="en"),
    "dxplan.plan.attainment.AttainmentReport": View(
        show=attainment.attainment_view, lang="vi", width=120
    ),
    "dxplan.report.PlanReport": View(show=report.report_view, lang="vi", width=120),
    "dxplan.report.DtiContext": View(show=report.dti_context_view, lang="vi"),
    "dxplan.index.model.Index": View(show=index.index_tree),
    "dxplan.index.model.IndexResult": View(show=_keyword(index.ranking_table, top=MAX_ROWS)),
    "dxplan.index.model.PanelResult": View(
        show=lambda panel, lang: index.ranking_table(panel.period(), lang=lang)
    ),
    "dxplan.index.model.Explanation": View(show=index.explanation_view),
    "dxplan.index.model.ScoreChange": View(show=index.change_view),
    "dxplan.index.screening.ScreeningResult": View(show=build.screening_table),
    "dxplan.index.denomination.DenominationResult": View(show=build.denomination_table),
    "dxplan.index.imputation.ImputationResult": View(show=build.imputation_table),
    "dxplan.index.treatment.TreatmentResult": View(show=build.treatment_table),
    "dxplan.index.audit.Correlations": View(show=audit.correlation_table),
    "dxplan.index.audit.Audit": View(show=audit.audit_view),
    "dxplan.index.weighting.OptimisedWeights": View(show=audit.optimised_weights_table),
    "dxplan.whatif.uncertainty.UncertaintyResult": View(
        show=_keyword(whatif.uncertainty_table, top=5)
    ),
    "dxplan.whatif.sensitivity.LeaveOneOut": View(show=_keyword(whatif.leave_one_out_table)),
    "dxplan.whatif.sensitivity.SobolIndices": View(show=_keyword(whatif.sobol_table)),
    "dxplan.whatif.scenario.Scenario": View(
        show=lambda scenario, lang: whatif.scenario_tree(scenario, lang)
    ),
    "dxplan.whatif.scenario.Comparison": View(show=_keyword(whatif.comparison_view, top=MAX_ROWS)),
    "dxplan.whatif.scenario.AttainmentComparison": View(
        show=_keyword(whatif.attainment_comparison_view), lang="vi"
    ),
    "dxplan.whatif.goalseek.LeverSeek": View(show=_keyword(whatif.goal_seek_table)),
    "dxplan.whatif.goalseek.IndicatorSeek": View(
        show=_keyword(whatif.indicator_seek_table), lang="vi"
    ),
    "dxplan.whatif.goalseek.LeverMoves": View(show=_keyword(whatif.lever_moves_table)),
    "dxplan.whatif.goalseek.Sweep": View(show=_keyword(whatif.sweep_table)),
    "dxplan.whatif.tasks.TaskEffects": View(show=_keyword(tasks.task_effects_view)),
    "dxplan.whatif.tasks.TaskMoves": View(show=_keyword(tasks.task_moves_view)),
    "dxplan.render.site.SiteSummary": View(show=site_summary.site_summary_view, lang="vi"),
}

_TEXTS: dict[tuple[str, str], Callable[[Any, Language], str]] = {
    ("dxplan.plan.attainment.Status", "label"): attainment.status_label,
    ("dxplan.plan.attainment.TargetResult", "target"): attainment.target_result_text,
    ("dxplan.plan.attainment.TargetResult", "observed"): attainment.observed_text,
    ("dxplan.plan.attainment.TargetResult", "gap"): attainment.gap_text,
}

for _path, _found in _VIEWS.items():
    register_view(_path, _found)
for (_path, _kind), _say in _TEXTS.items():
    register_text(_path, _kind, _say)
