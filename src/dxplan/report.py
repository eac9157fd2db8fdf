"""The main report: a plan, how far it is reached, its DTI context and its checks.

:func:`plan_report` gathers what ``dxplan report`` shows; it computes nothing of
its own beyond joining the pieces: :func:`~dxplan.plan.attainment.assess` for the
targets, the bundled DTI definition and data for the rank indicator, and
:func:`~dxplan.check` for the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from dxplan._display import Displayable
from dxplan.index.datasets import PublishedRanking
from dxplan.index.model import Explanation, IndexResult
from dxplan.plan.attainment import AttainmentReport, assess, rank_observation
from dxplan.plan.model import Plan
from dxplan.plan.observations import Observation, Observations
from dxplan.plan.validation import CheckReport, check

if TYPE_CHECKING:
    from dxplan.text import Language
    from dxplan.whatif.tasks import TaskEffects

__all__ = ["DTI_RANK", "DtiContext", "PlanReport", "dti_context", "plan_report"]


@attrs.frozen(kw_only=True)
class DtiContext(Displayable):
    """Where the plan's entity stands on the DTI, and its rank indicator scored from it."""

    entity: str
    year: int
    result: IndexResult
    published: PublishedRanking
    explanation: Explanation
    observation: Observation
    history: tuple[Observation, ...]
    target_rank: int
    p_target: float
    p_first: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        published = dict(self.published.entries)
        return {
            "year": self.year,
            "index": self.result.index.title(),
            "data_source": self.result.data.source,
            "ranking": [
                {
                    "rank": rank,
                    "entity": entity,
                    "value": value,
                    "published_rank": published.get(entity),
                }
                for rank, entity, value in self.result.ranking()
            ],
            "entity": self.entity,
            "points": self.explanation.points,
            "above": self.explanation.above,
            "gap_to_above": self.explanation.gap_to_above,
            "rank_indicator": {
                "indicator": self.observation.indicator,
                "period": self.observation.period,
                "rank": self.observation.value,
                "source": self.observation.source,
            },
            "history": [
                {"year": o.period, "rank": o.value, "source": o.source} for o in self.history
            ],
        }

    def __repr__(self) -> str:
        return (
            f"<DtiContext {self.entity!r} {self.year}: rank {self.observation.value:g} of "
            f"{len(self.result.entities)}, P(rank <= {self.target_rank}) = {self.p_target:.1%}>"
        )


UNCERTAINTY_DRAWS = 2_000
UNCERTAINTY_NOISE = 0.25
UNCERTAINTY_SEED = 1
"""The report's Monte Carlo: COINr's weight noise w·(1 + U(−1, 1)·0.25), seeded."""

DTI_RANK = "dti-rank"
"""The ``Indicator.measures`` key of an indicator that is a DTI rank (HCMC's 1.1)."""


def dti_context(plan: Plan, observations: Observations) -> DtiContext | None:
    """The DTI 2022 context of ``plan``'s entity, from the bundled definition and data.

    The plan's DTI rank indicator (``measures="dti-rank"``) is scored from the
    recomputed result, and its published history is read from
    ``observations``. ``None`` when the plan has no such indicator or its
    entity is not in the bundled data (the published top five).
    """
    from dxplan.index.datasets import dti_2022, dti_2022_ranking
    from dxplan.index.indices import dti_922
    from dxplan.whatif.uncertainty import run as run_uncertainty

    indicator = next((i for i in plan.indicators if i.measures == DTI_RANK), None)
    data = dti_2022()
    entity = plan.entity
    if indicator is None or entity is None or entity not in data.entities:
        return None
    index = dti_922()
    result = index.evaluate(data)
    target_rank = int(indicator.targets[0].value)
    spread = run_uncertainty(
        index, data, draws=UNCERTAINTY_DRAWS, weight_noise=UNCERTAINTY_NOISE, seed=UNCERTAINTY_SEED
    )
    return DtiContext(
        entity=entity,
        year=2022,
        result=result,
        published=dti_2022_ranking(),
        explanation=result.explain(entity),
        observation=rank_observation(result, entity=entity, indicator=indicator.id, period=2022),
        history=observations.series(entity, indicator.id),
        target_rank=target_rank,
        p_target=spread.p_rank_at_most(entity, target_rank),
        p_first=spread.p_rank_at_most(entity, 1),
    )


@attrs.frozen(kw_only=True)
class PlanReport(Displayable):
    """What ``dxplan report`` shows: overview, attainment, DTI context, checks."""

    plan: Plan
    attainment: AttainmentReport
    dti: DtiContext | None
    findings: CheckReport
    task_effects: TaskEffects | None = None
    """Which of the plan's tasks lift its entity's DTI most (when its tasks drive dti-922)."""

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """Plain data for JSON, its text in ``lang``."""
        return {
            "plan": {
                "id": self.plan.id,
                "label": self.plan.label.to_dict(),
                "priorities": len(self.plan.priorities),
                "groups": len(self.plan.groups),
                "declared": self.plan.declared_count,
                "listed": len(self.plan.indicators),
                "tasks": len(self.plan.tasks),
            },
            "attainment": self.attainment.to_dict(lang),
            "dti": None if self.dti is None else self.dti.to_dict(),
            "task_effects": None if self.task_effects is None else self.task_effects.to_dict(),
            "findings": [f.to_dict() for f in self.findings.findings],
        }

    def __repr__(self) -> str:
        return (
            f"<PlanReport {self.plan.id!r}: {self.attainment!r}, "
            f"{len(self.findings.findings)} findings>"
        )


def plan_report(plan: Plan, observations: Observations) -> PlanReport:
    """Assess ``plan`` against ``observations``, with its DTI context where it has one."""
    dti = dti_context(plan, observations)
    return PlanReport(
        plan=plan,
        attainment=assess(plan, observations),
        dti=dti,
        findings=check(plan),
        task_effects=_task_effects(plan, dti),
    )


def _task_effects(plan: Plan, dti: DtiContext | None) -> TaskEffects | None:
    """The effects of the tasks that drive the bundled DTI, on the DTI context's data."""
    from dxplan.whatif.tasks import task_effects

    if dti is None or not any(d.index == "dti-922" for t in plan.tasks for d in t.drives):
        return None
    return task_effects(plan, "dti-922", dti.result.data, entity=dti.entity)
