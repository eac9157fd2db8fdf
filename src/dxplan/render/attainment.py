"""Views of target attainment: statuses, targets and gaps in words, the report's tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from dxplan.plan.model import Comparator
from dxplan.render._layout import Column, Grid
from dxplan.render._names import entity_name
from dxplan.render.numbers import comparison, is_percent, number, percent, quantity
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.plan.attainment import AttainmentReport, Status, TargetResult

__all__ = [
    "attainment_view",
    "gap_text",
    "observed_text",
    "status_label",
    "target_result_text",
]


def status_label(status: Status, lang: Language = "vi") -> str:
    """A progress status in words: ``"cần đẩy nhanh"`` / ``"needs acceleration"``."""
    return phrase(f"status.{status.value}", language(lang))


def target_result_text(result: TargetResult, lang: Language = "vi") -> str:
    """The target as a reader writes it: ``"≥ 25 %"``, ``"hạng ≤ 5/63"``."""
    return comparison(result.comparator, result.target, result.unit, lang, out_of=result.out_of)


def observed_text(result: TargetResult, lang: Language = "vi") -> str:
    """The observed value and its period (``"22 % (2024)"``), or "no data"."""
    from dxplan.plan.attainment import Status

    if result.observed is None:
        return status_label(Status.NO_DATA, lang)
    if result.comparator.is_rank:
        text = f"{phrase('rank', lang)} {number(result.observed, lang)}"
    else:
        text = quantity(result.observed, result.unit, lang)
    return f"{text} ({result.period})"


def gap_text(result: TargetResult, lang: Language = "vi") -> str:
    """How far short the value is, in words: ``"3 percentage points short"``.

    A difference of percentages is said in percentage points, not percent.
    """
    from dxplan.plan.attainment import Status

    lang = language(lang)
    if result.gap is None:
        return status_label(Status.NO_DATA, lang)
    if result.met:
        return phrase("gap.met", lang)
    if result.gap == 0:
        need = phrase("gap.above" if result.comparator is Comparator.ABOVE else "gap.below", lang)
        bound = quantity(result.target, result.unit, lang)
        return phrase("gap.boundary", lang, need=need, bound=bound)
    one = result.gap == 1
    if result.comparator.is_rank:
        what = phrase("gap.place" if one else "gap.places", lang)
    elif is_percent(result.unit):
        what = phrase("gap.point" if one else "gap.points", lang)
    elif result.unit.symbol in ("dimensionless", "1"):
        what = ""
    else:
        what = result.unit.symbol
    amount = f"{number(result.gap, lang)} {what}".strip()
    lower = not result.comparator.higher_is_better and not result.comparator.is_rank
    return phrase("gap.over" if lower else "gap.short", lang, quantity=amount)


def attainment_view(report: AttainmentReport, lang: Language = "vi") -> Group:
    """The target table, then groups with the whole plan, then tasks."""
    lang = language(lang)

    def col(key: str, *, wrap: bool = False, right: bool = False) -> Column:
        return Column(
            header=phrase(f"col.{key}", lang), wrap=wrap, justify="right" if right else "left"
        )

    title = (
        f"{phrase('attainment title', lang)} — {report.plan_label.text(lang)}"
        f" — {entity_name(report.entity, lang)}"
    )
    if report.as_of is not None:
        title += f" ({report.as_of})"
    targets = Grid(
        (
            col("id"),
            col("indicator", wrap=True),
            col("target"),
            col("observed"),
            col("attainment", right=True),
            col("status"),
            col("gap", wrap=True),
        ),
        title=title,
    )
    for indicator in report.indicators:
        for t in indicator.targets:
            label = indicator.label.text(lang)
            if t.scope:
                label += f" [{t.scope_label.text(lang) if t.scope_label else t.scope}]"
            targets.add_row(
                indicator.id,
                label,
                target_result_text(t, lang),
                # Without data the status says so; the empty cell keeps the row short.
                observed_text(t, lang) if t.has_data else "—",
                percent(t.attainment, lang),
                status_label(t.status, lang),
                gap_text(t, lang) if t.has_data else "—",
            )
    groups = Grid(
        (
            col("id"),
            col("group", wrap=True),
            col("attainment", right=True),
            col("coverage", right=True),
            col("unknown", right=True),
        )
    )
    for g in report.groups:
        groups.add_row(
            g.id,
            g.label.text(lang),
            percent(g.attainment, lang),
            f"{g.observed_count}/{g.listed_count}",
            str(g.unknown_count),
        )
    groups.add_row(
        "",
        phrase("whole plan", lang),
        percent(report.attainment, lang),
        f"{report.observed_count}/{report.listed_count}",
        str(report.unknown_count),
        style="bold",
    )
    tasks = Grid(
        (
            col("id"),
            col("task", wrap=True),
            col("attainment", right=True),
            col("coverage", right=True),
        )
    )
    for task in report.tasks:
        tasks.add_row(
            task.id,
            task.label.text(lang),
            percent(task.attainment, lang),
            f"{task.observed_count}/{len(task.indicators)}",
        )
    return Group(targets, groups, tasks)


def attainment_summary(report: AttainmentReport, lang: Language = "vi") -> Text:
    """One line: the plan's attainment, coverage and met count."""
    lang = language(lang)
    return Text.assemble(
        (f"{phrase('report.attainment', lang)}: ", "bold"),
        percent(report.attainment, lang),
        f" · {report.observed_count}/{report.listed_count} {phrase('report.with data', lang)}"
        f" · {report.met_count} {phrase('report.met', lang)}",
    )
