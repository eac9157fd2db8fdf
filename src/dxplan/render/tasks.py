"""Views of :mod:`dxplan.whatif.tasks`: which tasks lift an index most, and outcomes for a goal."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from dxplan.render._layout import DASH, Column, Grid
from dxplan.render.numbers import number, percent, round_away, signed
from dxplan.render.phrasebook import phrase
from dxplan.render.whatif import goal_text, verdict
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.whatif.tasks import TaskEffects, TaskMoves

__all__ = ["task_effects_view", "task_moves_view"]


def task_effects_view(effects: TaskEffects, *, lang: Language = "vi") -> RenderableType:
    """Which tasks lift the entity's index score and rank most, one row per driven component.

    Where the table does not fit, each component is a block of ``header: value`` lines.
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
    grid = Grid(
        (
            Column(header=phrase("tasks.task", lang)),
            Column(header=phrase("tasks.component", lang), wrap=True),
            *(
                Column(header=phrase(f"tasks.{key}", lang), justify="right")
                for key in ("value", "headroom", "per unit", "at bound", "best rank", "needs")
            ),
        ),
        title=title,
        caption=Text(phrase("tasks.one task alone", lang), style="dim"),
    )
    for e in effects.effects:
        outcome = dict(e.outcome or ())
        best = DASH if e.best_rank is None else str(e.best_rank)
        for n, c in enumerate(e.components):
            missing = math.isnan(c.value)
            name = Text(f"{e.label.text(lang)}\n", style="bold") if n == 0 else Text()
            name.append(c.component, style="dim")
            if missing:
                name.append(f" ({phrase('tasks.no data', lang)})", style="dim")
            grid.add_row(
                e.task if n == 0 else "",
                name,
                DASH if missing else number(c.value, lang, decimals=4),
                DASH if missing else number(c.headroom, lang, decimals=4),
                DASH if missing else number(c.points_per_unit, lang, decimals=1),
                DASH if missing else signed(c.points_at_bound, lang, decimals=1),
                best if n == 0 else "",
                number(round_away(outcome[c.component], c.value, 4), lang, decimals=4)
                if c.component in outcome
                else DASH,
            )
    return grid


def task_moves_view(result: TaskMoves, *, lang: Language = "vi") -> RenderableType:
    """The task outcomes that reach a goal, their cost, and the rank and indicators after.

    Where the table does not fit, each move is a block of ``header: value`` lines.
    """
    from dxplan.whatif.goalseek import RankAtMost

    title = Text(
        phrase("tasks.plan title", lang).format(
            name=result.name,
            goal=goal_text(result.goal, lang),
            index=result.index,
            verdict=verdict(result, lang).plain,
            cost=number(result.cost, lang, decimals=4),
        ),
        style="bold",
    )
    grid = Grid(
        (
            Column(header=phrase("tasks.task", lang)),
            Column(header=phrase("tasks.component", lang)),
            *(
                Column(header=phrase(f"tasks.{key}", lang), justify="right")
                for key in ("start", "value", "change", "cost per unit", "cost")
            ),
        ),
        title=title,
    )
    for m in result.moves:
        grid.add_row(
            m.task,
            m.component,
            number(m.start, lang, decimals=4),
            number(round_away(m.value, m.start, 4), lang, decimals=4),
            signed(m.change, lang, decimals=4),
            number(m.cost_per_unit, lang),
            number(m.cost, lang, decimals=4),
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
    # Nothing moved (the goal was reached already): the title, and no empty table.
    return Group(grid if result.moves else title, *notes)
