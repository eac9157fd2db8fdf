"""dxplan: model, track and compare government digital-transformation plans.

>>> import dxplan as dx
>>> plan = dx.load_plan("hcmc-2024")
>>> [t.value for t in plan.indicator("2.7").targets]
[70, 60, 55]

Every name is imported on first use, so that ``import dxplan`` and the command
line start fast. The names are listed once, in ``_EXPORTS``; ``__all__`` and
the imports for type checkers are generated from it by ``tools/public_api.py``.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING

from dxplan._deprecated import warn_renamed as _warn_renamed

# The public API: each name, and where it is imported from ("module" or
# "module:attribute" when the name differs). Modules are listed under their package.
_EXPORTS: dict[str, str] = {
    # plans
    "Comparator": "dxplan.plan.model",
    "Drive": "dxplan.plan.model",
    "Indicator": "dxplan.plan.model",
    "IndicatorGroup": "dxplan.plan.model",
    "Label": "dxplan.text",
    "Link": "dxplan.plan.model",
    "Plan": "dxplan.plan.model",
    "Priority": "dxplan.plan.model",
    "Provenance": "dxplan.plan.model",
    "Target": "dxplan.plan.model",
    "Task": "dxplan.plan.model",
    "Unit": "dxplan.units",
    "load_plan": "dxplan.plan.catalogue",
    "check": "dxplan.plan.validation",
    "CheckReport": "dxplan.plan.validation",
    "PlanGraph": "dxplan.plan.graph",
    "Impact": "dxplan.plan.graph",
    # observations and attainment
    "Observation": "dxplan.plan.observations",
    "Observations": "dxplan.plan.observations",
    "load_observations": "dxplan.plan.observations",
    "bundled_observations": "dxplan.plan.observations",
    "assess": "dxplan.plan.attainment",
    "AttainmentReport": "dxplan.plan.attainment",
    "Status": "dxplan.plan.attainment",
    "plan_report": "dxplan.report",
    # composite indices
    "Index": "dxplan.index.model",
    "Leaf": "dxplan.index.model",
    "Aggregate": "dxplan.index.model",
    "IndexData": "dxplan.index.data",
    "IndexResult": "dxplan.index.model",
    "PanelResult": "dxplan.index.model",
    "load_index": "dxplan.index.indices",
    "rank": "dxplan.index.ranking",
    "indices": "dxplan.index",
    "datasets": "dxplan.index",
    "provinces": "dxplan.index",
    # the rules that score a leaf, and the aggregators of an inner node
    "Rule": "dxplan.index.rules",
    "Categories": "dxplan.index.rules",
    "DistanceToMax": "dxplan.index.rules",
    "DistanceToTarget": "dxplan.index.rules",
    "FractionOfMax": "dxplan.index.rules",
    "Goalposts": "dxplan.index.rules",
    "Identity": "dxplan.index.rules",
    "MinMax": "dxplan.index.rules",
    "PercentileRank": "dxplan.index.rules",
    "Rank": "dxplan.index.rules",
    "Ratio": "dxplan.index.rules",
    "Steps": "dxplan.index.rules",
    "ZScore": "dxplan.index.rules",
    "Aggregator": "dxplan.index.aggregators",
    "ArithmeticMean": "dxplan.index.aggregators",
    "GeneralisedMean": "dxplan.index.aggregators",
    "GeometricMean": "dxplan.index.aggregators",
    "HarmonicMean": "dxplan.index.aggregators",
    "Minimum": "dxplan.index.aggregators",
    "WeightedSum": "dxplan.index.aggregators",
    # building an index, and its audit
    "Pipeline": "dxplan.index.pipeline",
    "screen": "dxplan.index.screening",
    "denominate": "dxplan.index.denomination",
    "impute": "dxplan.index.imputation",
    "treat": "dxplan.index.treatment",
    "optimise_weights": "dxplan.index.weighting",
    "audit": "dxplan.index",
    # what if
    "uncertainty": "dxplan.whatif.uncertainty:run",
    "UncertaintyResult": "dxplan.whatif.uncertainty",
    "Scenario": "dxplan.whatif.scenario",
    "load_scenario": "dxplan.formats.scenario_files",
    "compare": "dxplan.whatif.scenario",
    "compare_attainment": "dxplan.whatif.scenario",
    "goal_seek": "dxplan.whatif.goalseek",
    "goal_seek_levers": "dxplan.whatif.goalseek",
    "goal_seek_attainment": "dxplan.whatif.goalseek",
    "sweep": "dxplan.whatif.goalseek",
    "RankAtMost": "dxplan.whatif.goalseek",
    "ScoreAtLeast": "dxplan.whatif.goalseek",
    "AttainmentAtLeast": "dxplan.whatif.goalseek",
    "task_effects": "dxplan.whatif.tasks",
    "goal_seek_tasks": "dxplan.whatif.tasks",
    "TaskEffects": "dxplan.whatif.tasks",
    "TaskMoves": "dxplan.whatif.tasks",
    # output
    "excel": "dxplan.formats",
    "plots": "dxplan.render",
    "build_site": "dxplan.render.site",
    # errors a caller catches, and warnings a caller filters
    "DxplanError": "dxplan.errors",
    "InvalidValueError": "dxplan.errors",
    "UnitError": "dxplan.errors",
    "PlanValidationError": "dxplan.errors",
    "CyclicDependencyError": "dxplan.errors",
    "PlanNotFoundError": "dxplan.errors",
    "UnknownIdError": "dxplan.errors",
    "FileFormatError": "dxplan.errors",
    "ObservationError": "dxplan.errors",
    "IndexDefinitionError": "dxplan.errors",
    "EvaluationError": "dxplan.errors",
    "ScenarioError": "dxplan.errors",
    "ConstructionError": "dxplan.errors",
    "MissingExtraError": "dxplan.errors",
    "DxplanWarning": "dxplan.errors",
    "UnitWarning": "dxplan.errors",
    "ObservationWarning": "dxplan.errors",
}

# Names that were exported and now live only in their modules: they still work,
# with a DeprecationWarning naming the module to import them from.
_DEPRECATED: dict[str, str] = {
    "Finding": "dxplan.plan.validation",
    "Severity": "dxplan.plan.validation",
    "SiteSummary": "dxplan.render.site",
    "Source": "dxplan.plan.model",
    "correlations": "dxplan.index.audit",
    "cronbach": "dxplan.index.audit",
    "effective_weights": "dxplan.index.audit",
    "pca": "dxplan.index.audit",
    "rank_observation": "dxplan.plan.attainment",
}

# Old names of renamed ones, kept with a DeprecationWarning (CHANGELOG.md says what
# replaced them).
_RENAMED: dict[str, str] = {
    "TaskPlan": "TaskMoves",
    "compare_plan": "compare_attainment",
    "goal_seek_plan": "goal_seek_attainment",
}

# --- generated by tools/public_api.py from _EXPORTS; do not edit by hand ---
if TYPE_CHECKING:
    from dxplan.errors import (
        ConstructionError,
        CyclicDependencyError,
        DxplanError,
        DxplanWarning,
        EvaluationError,
        FileFormatError,
        IndexDefinitionError,
        InvalidValueError,
        MissingExtraError,
        ObservationError,
        ObservationWarning,
        PlanNotFoundError,
        PlanValidationError,
        ScenarioError,
        UnitError,
        UnitWarning,
        UnknownIdError,
    )
    from dxplan.formats import excel
    from dxplan.formats.scenario_files import load_scenario
    from dxplan.index import audit, datasets, indices, provinces
    from dxplan.index.aggregators import (
        Aggregator,
        ArithmeticMean,
        GeneralisedMean,
        GeometricMean,
        HarmonicMean,
        Minimum,
        WeightedSum,
    )
    from dxplan.index.data import IndexData
    from dxplan.index.denomination import denominate
    from dxplan.index.imputation import impute
    from dxplan.index.indices import load_index
    from dxplan.index.model import Aggregate, Index, IndexResult, Leaf, PanelResult
    from dxplan.index.pipeline import Pipeline
    from dxplan.index.ranking import rank
    from dxplan.index.rules import (
        Categories,
        DistanceToMax,
        DistanceToTarget,
        FractionOfMax,
        Goalposts,
        Identity,
        MinMax,
        PercentileRank,
        Rank,
        Ratio,
        Rule,
        Steps,
        ZScore,
    )
    from dxplan.index.screening import screen
    from dxplan.index.treatment import treat
    from dxplan.index.weighting import optimise_weights
    from dxplan.plan.attainment import AttainmentReport, Status, assess
    from dxplan.plan.catalogue import load_plan
    from dxplan.plan.graph import Impact, PlanGraph
    from dxplan.plan.model import (
        Comparator,
        Drive,
        Indicator,
        IndicatorGroup,
        Link,
        Plan,
        Priority,
        Provenance,
        Target,
        Task,
    )
    from dxplan.plan.observations import (
        Observation,
        Observations,
        bundled_observations,
        load_observations,
    )
    from dxplan.plan.validation import CheckReport, check
    from dxplan.render import plots
    from dxplan.render.site import build_site
    from dxplan.report import plan_report
    from dxplan.text import Label
    from dxplan.units import Unit
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
    from dxplan.whatif.uncertainty import run as uncertainty

    __version__: str  # read from the installed metadata on first use

__all__ = [
    "Aggregate",
    "Aggregator",
    "ArithmeticMean",
    "AttainmentAtLeast",
    "AttainmentReport",
    "Categories",
    "CheckReport",
    "Comparator",
    "ConstructionError",
    "CyclicDependencyError",
    "DistanceToMax",
    "DistanceToTarget",
    "Drive",
    "DxplanError",
    "DxplanWarning",
    "EvaluationError",
    "FileFormatError",
    "FractionOfMax",
    "GeneralisedMean",
    "GeometricMean",
    "Goalposts",
    "HarmonicMean",
    "Identity",
    "Impact",
    "Index",
    "IndexData",
    "IndexDefinitionError",
    "IndexResult",
    "Indicator",
    "IndicatorGroup",
    "InvalidValueError",
    "Label",
    "Leaf",
    "Link",
    "MinMax",
    "Minimum",
    "MissingExtraError",
    "Observation",
    "ObservationError",
    "ObservationWarning",
    "Observations",
    "PanelResult",
    "PercentileRank",
    "Pipeline",
    "Plan",
    "PlanGraph",
    "PlanNotFoundError",
    "PlanValidationError",
    "Priority",
    "Provenance",
    "Rank",
    "RankAtMost",
    "Ratio",
    "Rule",
    "Scenario",
    "ScenarioError",
    "ScoreAtLeast",
    "Status",
    "Steps",
    "Target",
    "Task",
    "TaskEffects",
    "TaskMoves",
    "UncertaintyResult",
    "Unit",
    "UnitError",
    "UnitWarning",
    "UnknownIdError",
    "WeightedSum",
    "ZScore",
    "__version__",
    "assess",
    "audit",
    "build_site",
    "bundled_observations",
    "check",
    "compare",
    "compare_attainment",
    "datasets",
    "denominate",
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
    "plan_report",
    "plots",
    "provinces",
    "rank",
    "screen",
    "sweep",
    "task_effects",
    "treat",
    "uncertainty",
]
# --- end of the generated part ---


def _load(module: str, name: str) -> object:
    """``from module import name``: an attribute, or else a submodule."""
    found = importlib.import_module(module)
    try:
        return getattr(found, name)
    except AttributeError:
        return importlib.import_module(f"{module}.{name}")


def __getattr__(name: str) -> object:
    if name == "__version__":  # importlib.metadata costs a tenth of the CLI's start
        from importlib.metadata import version

        globals()[name] = version("dxplan")
        return globals()[name]
    if name in _EXPORTS:
        module, _, attribute = _EXPORTS[name].partition(":")
        value = _load(module, attribute or name)
        globals()[name] = value
        return value
    if name in _RENAMED:
        _warn_renamed(f"dxplan.{name}", f"dxplan.{_RENAMED[name]}")
        return __getattr__(_RENAMED[name])
    if name in _DEPRECATED:
        warnings.warn(
            f"dxplan.{name} is deprecated; import it from {_DEPRECATED[name]}",
            DeprecationWarning,
            stacklevel=2,
        )
        return _load(_DEPRECATED[name], name)
    raise AttributeError(f"module 'dxplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
