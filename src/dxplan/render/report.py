"""The main report's view: overview, attainment, DTI context and checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from dxplan.render._layout import Column, Grid
from dxplan.render.attainment import attainment_view
from dxplan.render.index import explanation_view
from dxplan.render.numbers import number, percent
from dxplan.render.phrasebook import language, phrase
from dxplan.render.plan import check_table
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.report import DtiContext, PlanReport

__all__ = ["dti_context_view", "report_view"]


def dti_context_view(context: DtiContext, lang: Language = "vi") -> Group:
    """The recomputed ranking, the entity's explanation and its rank history."""
    from dxplan.report import UNCERTAINTY_DRAWS, UNCERTAINTY_NOISE

    lang = language(lang)
    c = context
    names = dict(zip((e for e, _ in c.published.entries), c.published.names, strict=True))
    published = dict(c.published.entries)
    ranking = Grid(
        (
            Column(header=phrase("report.rank", lang), justify="right"),
            Column(header=phrase("report.province", lang), wrap=True),
            Column(header=phrase("report.value", lang), justify="right"),
            Column(header=phrase("report.published", lang), justify="right", wrap=True),
        ),
        title=f"DTI {c.year} — {c.result.index.title(lang)} ({phrase('report.recomputed', lang)})",
    )
    for rank, entity, value in c.result.ranking():
        ranking.add_row(
            str(rank),
            names.get(entity, entity),
            number(value, lang, decimals=4),
            str(published.get(entity, "—")),
            style="bold" if entity == c.entity else "",
        )
    scored = Text(
        phrase(
            "report.scored",
            lang,
            id=c.observation.indicator,
            rank=number(c.observation.value, lang),
            period=c.observation.period,
        ),
        style="bold",
    )
    sure = Text(
        phrase(
            "report.sure",
            lang,
            k=c.target_rank,
            p=percent(c.p_target, lang),
            first=percent(c.p_first, lang),
            draws=number(UNCERTAINTY_DRAWS, lang),
            noise=percent(UNCERTAINTY_NOISE, lang, decimals=0),
            ranked=len(c.result.entities),
        )
    )
    history = Grid(
        (
            Column(header=phrase("report.year", lang)),
            Column(header=phrase("report.rank", lang), justify="right"),
            Column(header=phrase("report.source", lang), wrap=True),
        ),
        title=phrase("report.history", lang, name=names.get(c.entity, c.entity)),
        label=2,
    )
    for observation in c.history:
        history.add_row(
            str(observation.period), number(observation.value, lang), observation.source
        )
    return Group(ranking, scored, sure, explanation_view(c.explanation, lang), history)


def report_view(report: PlanReport, lang: Language = "vi") -> Group:
    """The report for a terminal or a notebook, in ``lang``."""
    lang = language(lang)
    plan, attainment = report.plan, report.attainment
    overview = Text.assemble(
        (plan.label.text(lang), "bold"),
        "\n",
        f"{len(plan.priorities)} {phrase('report.priorities', lang)} · "
        f"{len(plan.groups)} {phrase('report.groups', lang)} · "
        f"{plan.declared_count} {phrase('report.declared', lang)}, "
        f"{len(plan.indicators)} {phrase('report.listed', lang)} · "
        f"{len(plan.tasks)} {phrase('report.tasks', lang)}\n",
        (f"{phrase('report.attainment', lang)}: ", "bold"),
        percent(attainment.attainment, lang),
        f" · {attainment.observed_count}/{attainment.listed_count} "
        f"{phrase('report.with data', lang)}"
        f" · {attainment.met_count} {phrase('report.met', lang)}"
        f" · {attainment.unknown_count} {phrase('report.unknown', lang)}",
    )
    parts: list[RenderableType] = [
        Panel(overview, title=phrase("overview", lang)),
        attainment_view(attainment, lang),
    ]
    if report.dti is not None:
        parts.append(Panel(dti_context_view(report.dti, lang), title=phrase("report.dti", lang)))
    if report.task_effects is not None:
        from dxplan.render.tasks import task_effects_view

        parts.append(
            Panel(
                task_effects_view(report.task_effects, lang=lang), title=phrase("tasks.lift", lang)
            )
        )
    parts.append(check_table(report.findings, lang))
    return Group(*parts)
