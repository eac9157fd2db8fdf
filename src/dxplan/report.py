"""The main report: a plan, how far it is reached, its DTI context and its checks.

:func:`plan_report` gathers what ``dxplan report`` shows; it computes nothing of
its own beyond joining the pieces: :func:`~dxplan.attainment.assess` for the
targets, the bundled DTI definition and data for the rank indicator, and
:func:`~dxplan.check` for the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from dxplan.attainment import AttainmentReport, assess, rank_observation
from dxplan.datasets import PublishedRanking
from dxplan.index import Explanation, IndexResult
from dxplan.model import Plan
from dxplan.observations import Observation, Observations
from dxplan.text import Language
from dxplan.validation import CheckReport, check

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = ["DTI_RANK", "DtiContext", "PlanReport", "dti_context", "plan_report"]

_WORDS: dict[str, tuple[str, str]] = {
    "overview": ("Tổng quan", "Overview"),
    "priorities": ("ưu tiên", "priorities"),
    "groups": ("nhóm chỉ tiêu", "indicator groups"),
    "declared": ("chỉ tiêu công bố", "indicators declared"),
    "listed": ("liệt kê", "listed"),
    "tasks": ("nhiệm vụ", "tasks"),
    "attainment": ("Mức đạt toàn kế hoạch", "Plan attainment"),
    "with data": ("chỉ tiêu có số liệu", "indicators with data"),
    "met": ("đạt", "met"),
    "unknown": ("chỉ tiêu chưa liệt kê (không rõ)", "declared but unlisted (unknown)"),
    "dti": ("Bối cảnh DTI", "DTI context"),
    "history": ("Thứ hạng DTI của", "DTI rank of"),
    "year": ("Năm", "Year"),
    "rank": ("Hạng", "Rank"),
    "source": ("Nguồn", "Source"),
    "recomputed": ("tính lại bằng dxplan", "recomputed by dxplan"),
    "province": ("Tỉnh/thành", "Province"),
    "value": ("Giá trị", "Value"),
    "published": ("Hạng công bố", "Published rank"),
    "scored": ("Chỉ tiêu {id} chấm từ kết quả này", "Indicator {id} scored from this result"),
    "sure": (
        "Với trọng số nhiễu ±{noise:.0%} ({draws} lần rút): P(hạng ≤ {k}) = {p:.1%}, "
        "P(hạng 1) = {first:.1%} (trong {ranked} tỉnh có số liệu công bố)",
        "With weights perturbed by ±{noise:.0%} ({draws} draws): P(rank ≤ {k}) = {p:.1%}, "
        "P(rank 1) = {first:.1%} (among the {ranked} provinces with published values)",
    ),
}


def _percent(value: float | None, lang: Language) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.1f} %"
    return text.replace(".", ",") if lang == "vi" else text


def _word(key: str, lang: Language) -> str:
    vi, en = _WORDS[key]
    return vi if lang == "vi" else en


@attrs.frozen(kw_only=True)
class DtiContext:
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
            "index": self.result.index.name,
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

    def rich(self, lang: Language = "vi") -> RenderableType:
        """The recomputed ranking, the entity's explanation and its rank history."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        from dxplan.render import explanation_view

        names = dict(zip((e for e, _ in self.published.entries), self.published.names, strict=True))
        published = dict(self.published.entries)
        ranking = Table(
            title=f"DTI {self.year} — {self.result.index.name} ({_word('recomputed', lang)})",
            title_justify="left",
        )
        for key in ("rank", "province", "value", "published"):
            ranking.add_column(_word(key, lang), no_wrap=key != "province")
        for rank, entity, value in self.result.ranking():
            style = "bold" if entity == self.entity else ""
            ranking.add_row(
                str(rank),
                names.get(entity, entity),
                f"{value:.4f}",
                str(published.get(entity, "—")),
                style=style,
            )
        scored = Text(
            f"{_word('scored', lang).format(id=self.observation.indicator)}: "
            f"{_word('rank', lang).lower()} {self.observation.value:g} ({self.observation.period})",
            style="bold",
        )
        history = Table(
            title=f"{_word('history', lang)} {names.get(self.entity, self.entity)}",
            title_justify="left",
        )
        history.add_column(_word("year", lang), no_wrap=True)
        history.add_column(_word("rank", lang), no_wrap=True)
        history.add_column(_word("source", lang), overflow="fold")
        for observation in self.history:
            history.add_row(str(observation.period), f"{observation.value:g}", observation.source)
        sure = Text(
            _word("sure", lang).format(
                k=self.target_rank,
                p=self.p_target,
                first=self.p_first,
                draws=UNCERTAINTY_DRAWS,
                noise=UNCERTAINTY_NOISE,
                ranked=len(self.result.entities),
            )
        )
        return Group(ranking, scored, sure, explanation_view(self.explanation, lang), history)


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
    from dxplan.datasets import dti_2022, dti_2022_ranking
    from dxplan.indices import dti_922

    indicator = next((i for i in plan.indicators if i.measures == DTI_RANK), None)
    data = dti_2022()
    entity = plan.entity
    if indicator is None or entity is None or entity not in data.entities:
        return None
    index = dti_922()
    result = index.evaluate(data)
    target_rank = int(indicator.targets[0].value)
    spread = index.uncertainty(
        data, draws=UNCERTAINTY_DRAWS, weight_noise=UNCERTAINTY_NOISE, seed=UNCERTAINTY_SEED
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
class PlanReport:
    """What ``dxplan report`` shows: overview, attainment, DTI context, checks."""

    plan: Plan
    attainment: AttainmentReport
    dti: DtiContext | None
    findings: CheckReport

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "plan": {
                "id": self.plan.id,
                "label": {"vi": self.plan.label.vi, "en": self.plan.label.en},
                "priorities": len(self.plan.priorities),
                "groups": len(self.plan.groups),
                "declared": self.plan.declared_count,
                "listed": len(self.plan.indicators),
                "tasks": len(self.plan.tasks),
            },
            "attainment": self.attainment.to_dict(),
            "dti": None if self.dti is None else self.dti.to_dict(),
            "findings": [f.to_dict() for f in self.findings.findings],
        }

    def rich(self, lang: Language = "vi") -> RenderableType:
        """The report for a terminal, in ``lang``."""
        from rich.console import Group
        from rich.panel import Panel
        from rich.text import Text

        from dxplan.render import check_table

        plan, attainment = self.plan, self.attainment
        overview = Text.assemble(
            (plan.label.text(lang), "bold"),
            "\n",
            f"{len(plan.priorities)} {_word('priorities', lang)} · "
            f"{len(plan.groups)} {_word('groups', lang)} · "
            f"{plan.declared_count} {_word('declared', lang)}, "
            f"{len(plan.indicators)} {_word('listed', lang)} · "
            f"{len(plan.tasks)} {_word('tasks', lang)}\n",
            (f"{_word('attainment', lang)}: ", "bold"),
            _percent(attainment.attainment, lang),
            f" · {attainment.observed_count}/{attainment.listed_count} {_word('with data', lang)}"
            f" · {attainment.met_count} {_word('met', lang)}"
            f" · {attainment.unknown_count} {_word('unknown', lang)}",
        )
        parts: list[RenderableType] = [
            Panel(overview, title=_word("overview", lang)),
            attainment.rich(lang),
        ]
        if self.dti is not None:
            parts.append(Panel(self.dti.rich(lang), title=_word("dti", lang)))
        parts.append(check_table(self.findings, lang))
        return Group(*parts)


def plan_report(plan: Plan, observations: Observations) -> PlanReport:
    """Assess ``plan`` against ``observations``, with its DTI context where it has one."""
    return PlanReport(
        plan=plan,
        attainment=assess(plan, observations),
        dti=dti_context(plan, observations),
        findings=check(plan),
    )
