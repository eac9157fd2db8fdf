"""Views of :mod:`dxplan.whatif.tasks`: which tasks lift an index most, and outcomes for a goal."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from dxplan.render.numbers import number, percent, round_away, signed
from dxplan.render.phrasebook import phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.whatif.tasks import TaskEffects, TaskPlan

__all__ = ["task_effects_view", "task_plan_view"]


class _ByWidth:
    """A table where it fits, else one block of wrapped text per row (never a word cut)."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int) -> None:
        self.wide, self.narrow, self.min_width = wide, narrow, min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.min_width else self.narrow


def task_effects_view(effects: TaskEffects, *, lang: Language = "vi") -> RenderableType:
    """Which tasks lift the entity's index score and rank most, one row per driven component.

    Below 90 columns each task is a block of wrapped lines instead of a table row.
    """
    title = Text(
        phrase("tasks.effects title", lang).format(
            name=effects.name,
            index=effects.index,
            rank=effects.rank_before,
            n=effects.entities,
            points=number(effects.score_before * effects.scale, lang, decimals=2),
            scale=effects.scale,
        ),
        style="bold",
    )
    caption = Text(phrase("tasks.one task alone", lang), style="dim")
    table = Table(title=title, caption=caption)
    table.add_column(f"{phrase('tasks.task', lang)} / {phrase('tasks.component', lang)}", ratio=1)
    for key in ("value", "headroom", "per unit", "at bound", "best rank", "needs"):
        table.add_column(phrase(f"tasks.{key}", lang), justify="right", no_wrap=True)
    blocks: list[RenderableType] = [title]
    for e in effects.effects:
        outcome = dict(e.outcome or ())
        best = "—" if e.best_rank is None else str(e.best_rank)
        blocks.append(Text(f"{e.task} {e.label.text(lang)}", style="bold"))
        for n, c in enumerate(e.components):
            missing = math.isnan(c.value)
            cells = (
                "—" if missing else number(c.value, lang, decimals=4),
                "—" if missing else number(c.headroom, lang, decimals=4),
                "—" if missing else number(c.points_per_unit, lang, decimals=1),
                "—" if missing else signed(c.points_at_bound, lang, decimals=1),
                best if n == 0 else "",
                number(round_away(outcome[c.component], c.value, 4), lang, decimals=4)
                if c.component in outcome
                else "—",
            )
            name = Text(f"{e.task} {e.label.text(lang)}\n", style="bold") if n == 0 else Text()
            name.append(c.component, style="dim")
            if missing:
                name.append(f" ({phrase('tasks.no data', lang)})", style="dim")
            table.add_row(name, *cells)
            line = Text(c.component, style="dim")
            if missing:
                line.append(f": {phrase('tasks.no data', lang)}")
            else:
                line.append(
                    phrase("tasks.effect line", lang).format(
                        value=cells[0], headroom=cells[1], per_unit=cells[2], gain=cells[3]
                    )
                )
            blocks.append(Padding(line, (0, 0, 0, 2)))
        summary = phrase("tasks.best line", lang).format(rank=best)
        if outcome:
            start = {c.component: c.value for c in e.components}
            values = ", ".join(
                f"{k} {number(round_away(x, start[k], 4), lang, decimals=4)}"
                for k, x in outcome.items()
            )
            summary += ", " + phrase("tasks.needs line", lang).format(values=values)
        blocks.append(Padding(Text(summary), (0, 0, 0, 2)))
    blocks.append(caption)
    return _ByWidth(table, Group(*blocks), min_width=90)


def _goal_text(result: TaskPlan, lang: Language) -> str:
    from dxplan.whatif.goalseek import RankAtMost

    goal = result.goal
    if isinstance(goal, RankAtMost):
        return f"{phrase('tasks.rank', lang)} ≤ {goal.k}"
    return f"{phrase('tasks.score', lang)} ≥ {number(goal.score, lang)}"


def task_plan_view(result: TaskPlan, *, lang: Language = "vi") -> RenderableType:
    """The task outcomes that reach a goal, their cost, and the rank and indicators after.

    Below 72 columns each move is a wrapped line instead of a table row.
    """
    from dxplan.whatif.goalseek import RankAtMost

    verdict = phrase("tasks.reached" if result.feasible else "tasks.not reachable", lang)
    title = Text(
        phrase("tasks.plan title", lang).format(
            name=result.name,
            goal=_goal_text(result, lang),
            index=result.index,
            verdict=verdict,
            cost=number(result.cost, lang, decimals=4),
        ),
        style="bold",
    )
    table = Table(title=title)
    table.add_column(phrase("tasks.task", lang), no_wrap=True)
    table.add_column(phrase("tasks.component", lang), overflow="fold")
    for key in ("start", "value", "change", "cost per unit", "cost"):
        table.add_column(phrase(f"tasks.{key}", lang), justify="right", no_wrap=True)
    lines: list[RenderableType] = [title]
    for m in result.moves:
        cells = (
            number(m.start, lang, decimals=4),
            number(round_away(m.value, m.start, 4), lang, decimals=4),
            signed(m.change, lang, decimals=4),
            number(m.cost_per_unit, lang),
            number(m.cost, lang, decimals=4),
        )
        table.add_row(Text(m.task), Text(m.component), *cells)
        lines.append(
            Text(
                phrase("tasks.move line", lang).format(
                    task=m.task,
                    component=m.component,
                    start=cells[0],
                    value=cells[1],
                    change=cells[2],
                    cost=cells[4],
                )
            )
        )
    notes: list[RenderableType] = [
        Text(
            phrase("tasks.after", lang).format(
                before=result.rank_before,
                after=result.rank_after,
                n=result.entities,
                s0=number(result.score_before * result.scale, lang, decimals=2),
                s1=number(result.score_after * result.scale, lang, decimals=2),
                scale=result.scale,
            )
        ),
        Text(phrase("tasks.optimal" if result.optimal else "tasks.greedy", lang), style="dim"),
    ]
    for i in result.indicators:
        notes.append(
            Text(
                phrase("tasks.indicator scored", lang).format(
                    id=i.indicator,
                    a0=percent(i.attainment_before, lang),
                    a1=percent(i.attainment_after, lang),
                )
            )
        )
    if result.p_before is not None and isinstance(result.goal, RankAtMost):
        notes.append(
            Text(
                phrase("tasks.p rank", lang).format(
                    k=result.goal.k,
                    noise=f"{number(result.weight_noise * 100, lang)} %",
                    draws=result.draws,
                    p0=percent(result.p_before, lang),
                    p1=percent(result.p_after, lang),
                )
            )
        )
    for component, why in result.left_out:
        notes.append(
            Text(
                phrase("tasks.left out", lang).format(
                    component=component, why=phrase(f"tasks.{why}", lang)
                ),
                style="dim",
            )
        )
    return Group(_ByWidth(table, Group(*lines), min_width=72), *notes)
