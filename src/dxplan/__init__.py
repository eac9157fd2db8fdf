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

from dxplan.errors import (
    CyclicDependencyError,
    DxplanError,
    DxplanWarning,
    PlanNotFoundError,
    PlanValidationError,
    UnknownIdError,
)
from dxplan.model import (
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
from dxplan.plans import load_plan
from dxplan.text import Label
from dxplan.units import Unit
from dxplan.validation import CheckReport, Finding, Severity, check

if TYPE_CHECKING:
    from dxplan import audit, datasets, excel, indices, provinces
    from dxplan.attainment import AttainmentReport, Status, assess, rank_observation
    from dxplan.audit import correlations, cronbach, effective_weights, pca
    from dxplan.denomination import denominate
    from dxplan.goalseek import (
        AttainmentAtLeast,
        RankAtMost,
        ScoreAtLeast,
        goal_seek,
        goal_seek_levers,
        goal_seek_plan,
        sweep,
    )
    from dxplan.graph import Impact, PlanGraph
    from dxplan.imputation import impute
    from dxplan.index import Aggregate, Index, IndexResult, Leaf, PanelResult
    from dxplan.index_data import IndexData
    from dxplan.indices import load_index
    from dxplan.observations import (
        Observation,
        Observations,
        bundled_observations,
        load_observations,
    )
    from dxplan.pipeline import Pipeline
    from dxplan.ranking import rank
    from dxplan.report import plan_report
    from dxplan.scenario import Scenario, compare, compare_plan, load_scenario
    from dxplan.screening import screen
    from dxplan.site import SiteSummary, build_site
    from dxplan.tasks import TaskEffects, TaskPlan, goal_seek_tasks, task_effects
    from dxplan.treatment import treat
    from dxplan.uncertainty import UncertaintyResult
    from dxplan.weighting import optimise_weights

__version__ = _version("dxplan")

_LAZY: dict[str, str] = {
    "AttainmentAtLeast": "dxplan.goalseek",
    "AttainmentReport": "dxplan.attainment",
    "Aggregate": "dxplan.index",
    "Impact": "dxplan.graph",
    "Index": "dxplan.index",
    "IndexData": "dxplan.index_data",
    "IndexResult": "dxplan.index",
    "Leaf": "dxplan.index",
    "Observation": "dxplan.observations",
    "Observations": "dxplan.observations",
    "PanelResult": "dxplan.index",
    "Pipeline": "dxplan.pipeline",
    "PlanGraph": "dxplan.graph",
    "RankAtMost": "dxplan.goalseek",
    "Scenario": "dxplan.scenario",
    "SiteSummary": "dxplan.site",
    "ScoreAtLeast": "dxplan.goalseek",
    "Status": "dxplan.attainment",
    "TaskEffects": "dxplan.tasks",
    "TaskPlan": "dxplan.tasks",
    "UncertaintyResult": "dxplan.uncertainty",
    "assess": "dxplan.attainment",
    "build_site": "dxplan.site",
    "bundled_observations": "dxplan.observations",
    "compare": "dxplan.scenario",
    "compare_plan": "dxplan.scenario",
    "correlations": "dxplan.audit",
    "cronbach": "dxplan.audit",
    "denominate": "dxplan.denomination",
    "effective_weights": "dxplan.audit",
    "goal_seek": "dxplan.goalseek",
    "goal_seek_levers": "dxplan.goalseek",
    "goal_seek_plan": "dxplan.goalseek",
    "goal_seek_tasks": "dxplan.tasks",
    "impute": "dxplan.imputation",
    "load_index": "dxplan.indices",
    "load_observations": "dxplan.observations",
    "load_scenario": "dxplan.scenario",
    "optimise_weights": "dxplan.weighting",
    "pca": "dxplan.audit",
    "plan_report": "dxplan.report",
    "rank": "dxplan.ranking",
    "rank_observation": "dxplan.attainment",
    "screen": "dxplan.screening",
    "sweep": "dxplan.goalseek",
    "task_effects": "dxplan.tasks",
    "treat": "dxplan.treatment",
}
_SUBMODULES = ("audit", "datasets", "excel", "indices", "provinces")


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"dxplan.{name}")
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
    "TaskPlan",
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
    "compare_plan",
    "correlations",
    "cronbach",
    "datasets",
    "denominate",
    "effective_weights",
    "excel",
    "goal_seek",
    "goal_seek_levers",
    "goal_seek_plan",
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
    "provinces",
    "rank",
    "rank_observation",
    "screen",
    "sweep",
    "task_effects",
    "treat",
]
