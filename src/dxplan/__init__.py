"""dxplan: model, track and compare government digital-transformation plans.

>>> import dxplan as dx
>>> plan = dx.load_plan("hcmc-2024")
>>> [t.value for t in plan.indicator("2.7").targets]
[70, 60, 55]

The plan model, its checks and loading are imported with the package; the
rest (the graph, attainment, the index engine, scenarios, the bundled
``indices``, ``datasets``, ``provinces`` and ``excel``) is imported on first use, so that ``import
dxplan`` and the command line start fast.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version as _version
from typing import TYPE_CHECKING

from dxplan._deprecated import warn_renamed as _warn_renamed
from dxplan.errors import (
    CyclicDependencyError,
    DxplanError,
    DxplanWarning,
    PlanNotFoundError,
    PlanValidationError,
    UnknownIdError,
)
from dxplan.plan.catalogue import load_plan
from dxplan.plan.model import (
    Comparator,
    Drive,
    Indicator,
    IndicatorGroup,
    Link,
    Plan,
    Priority,
    Provenance,
    Source,
    Target,
    Task,
)
from dxplan.plan.validation import CheckReport, Finding, Severity, check
from dxplan.text import Label
from dxplan.units import Unit

if TYPE_CHECKING:
    from dxplan.formats import excel
    from dxplan.formats.scenario_files import load_scenario
    from dxplan.index import audit, datasets, indices, provinces
    from dxplan.index.audit import correlations, cronbach, effective_weights, pca
    from dxplan.index.data import IndexData
    from dxplan.index.denomination import denominate
    from dxplan.index.imputation import impute
    from dxplan.index.indices import load_index
    from dxplan.index.model import Aggregate, Index, IndexResult, Leaf, PanelResult
    from dxplan.index.pipeline import Pipeline
    from dxplan.index.ranking import rank
    from dxplan.index.screening import screen
    from dxplan.index.treatment import treat
    from dxplan.index.weighting import optimise_weights
    from dxplan.plan.attainment import AttainmentReport, Status, assess, rank_observation
    from dxplan.plan.graph import Impact, PlanGraph
    from dxplan.plan.observations import (
        Observation,
        Observations,
        bundled_observations,
        load_observations,
    )
    from dxplan.render import plots
    from dxplan.render.site import SiteSummary, build_site
    from dxplan.report import plan_report
    from dxplan.whatif.goalseek import (
        AttainmentAtLeast,
        RankAtMost,
        ScoreAtLeast,
        goal_seek,
        goal_seek_attainment,
        goal_seek_levers,
        sweep,
    )
    from dxplan.whatif.scenario import Scenario, compare, compare_attainment
    from dxplan.whatif.tasks import TaskEffects, TaskMoves, goal_seek_tasks, task_effects
    from dxplan.whatif.uncertainty import UncertaintyResult

__version__ = _version("dxplan")

_LAZY: dict[str, str] = {
    "AttainmentAtLeast": "dxplan.whatif.goalseek",
    "AttainmentReport": "dxplan.plan.attainment",
    "Aggregate": "dxplan.index.model",
    "Impact": "dxplan.plan.graph",
    "Index": "dxplan.index.model",
    "IndexData": "dxplan.index.data",
    "IndexResult": "dxplan.index.model",
    "Leaf": "dxplan.index.model",
    "Observation": "dxplan.plan.observations",
    "Observations": "dxplan.plan.observations",
    "PanelResult": "dxplan.index.model",
    "Pipeline": "dxplan.index.pipeline",
    "PlanGraph": "dxplan.plan.graph",
    "RankAtMost": "dxplan.whatif.goalseek",
    "Scenario": "dxplan.whatif.scenario",
    "SiteSummary": "dxplan.render.site",
    "ScoreAtLeast": "dxplan.whatif.goalseek",
    "Status": "dxplan.plan.attainment",
    "TaskEffects": "dxplan.whatif.tasks",
    "TaskMoves": "dxplan.whatif.tasks",
    "UncertaintyResult": "dxplan.whatif.uncertainty",
    "assess": "dxplan.plan.attainment",
    "build_site": "dxplan.render.site",
    "bundled_observations": "dxplan.plan.observations",
    "compare": "dxplan.whatif.scenario",
    "compare_attainment": "dxplan.whatif.scenario",
    "correlations": "dxplan.index.audit",
    "cronbach": "dxplan.index.audit",
    "denominate": "dxplan.index.denomination",
    "effective_weights": "dxplan.index.audit",
    "goal_seek": "dxplan.whatif.goalseek",
    "goal_seek_attainment": "dxplan.whatif.goalseek",
    "goal_seek_levers": "dxplan.whatif.goalseek",
    "goal_seek_tasks": "dxplan.whatif.tasks",
    "impute": "dxplan.index.imputation",
    "load_index": "dxplan.index.indices",
    "load_observations": "dxplan.plan.observations",
    "load_scenario": "dxplan.formats.scenario_files",
    "optimise_weights": "dxplan.index.weighting",
    "pca": "dxplan.index.audit",
    "plan_report": "dxplan.report",
    "rank": "dxplan.index.ranking",
    "rank_observation": "dxplan.plan.attainment",
    "screen": "dxplan.index.screening",
    "sweep": "dxplan.whatif.goalseek",
    "task_effects": "dxplan.whatif.tasks",
    "treat": "dxplan.index.treatment",
}
_SUBMODULES = {
    "audit": "dxplan.index.audit",
    "datasets": "dxplan.index.datasets",
    "excel": "dxplan.formats.excel",
    "indices": "dxplan.index.indices",
    "plots": "dxplan.render.plots",
    "provinces": "dxplan.index.provinces",
}

# Old names, kept with a DeprecationWarning (CHANGELOG.md says what replaced them).
_RENAMED = {
    "TaskPlan": "TaskMoves",
    "compare_plan": "compare_attainment",
    "goal_seek_plan": "goal_seek_attainment",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(_SUBMODULES[name])
    elif name in _RENAMED:
        _warn_renamed(f"dxplan.{name}", f"dxplan.{_RENAMED[name]}")
        return __getattr__(_RENAMED[name])
    else:
        raise AttributeError(f"module 'dxplan' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "Aggregate",
    "AttainmentAtLeast",
    "AttainmentReport",
    "CheckReport",
    "Comparator",
    "CyclicDependencyError",
    "Drive",
    "DxplanError",
    "DxplanWarning",
    "Finding",
    "Impact",
    "Index",
    "IndexData",
    "IndexResult",
    "Indicator",
    "IndicatorGroup",
    "Label",
    "Leaf",
    "Link",
    "Observation",
    "Observations",
    "PanelResult",
    "Pipeline",
    "Plan",
    "PlanGraph",
    "PlanNotFoundError",
    "PlanValidationError",
    "Priority",
    "Provenance",
    "RankAtMost",
    "Scenario",
    "ScoreAtLeast",
    "Severity",
    "SiteSummary",
    "Source",
    "Status",
    "Target",
    "Task",
    "TaskEffects",
    "TaskMoves",
    "UncertaintyResult",
    "Unit",
    "UnknownIdError",
    "__version__",
    "assess",
    "audit",
    "build_site",
    "bundled_observations",
    "check",
    "compare",
    "compare_attainment",
    "correlations",
    "cronbach",
    "datasets",
    "denominate",
    "effective_weights",
    "excel",
    "goal_seek",
    "goal_seek_attainment",
    "goal_seek_levers",
    "goal_seek_tasks",
    "impute",
    "indices",
    "load_index",
    "load_observations",
    "load_plan",
    "load_scenario",
    "optimise_weights",
    "pca",
    "plan_report",
    "plots",
    "provinces",
    "rank",
    "rank_observation",
    "screen",
    "sweep",
    "task_effects",
    "treat",
]
