"""Views of the analyses: uncertainty, sensitivity, scenarios and goal-seek."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from dxplan.render._layout import Column, Grid
from dxplan.render._names import node_name
from dxplan.render.numbers import DASH, number, percent, round_away, signed
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.index.model import IndexResult
    from dxplan.whatif.goalseek import (
        AttainmentAtLeast,
        GoalSeekResult,
        IndicatorSeek,
        LeverMoves,
        LeverSeek,
        RankAtMost,
        ScoreAtLeast,
        Sweep,
    )
    from dxplan.whatif.scenario import AttainmentComparison, Comparison, Edit, Scenario
    from dxplan.whatif.sensitivity import LeaveOneOut, SobolIndices
    from dxplan.whatif.uncertainty import UncertaintyResult

__all__ = [
    "FEW_DRAWS",
    "attainment_comparison_view",
    "comparison_view",
    "goal_seek_table",
    "goal_text",
    "indicator_seek_table",
    "leave_one_out_table",
    "lever_moves_table",
    "scenario_tree",
    "sobol_table",
    "sweep_table",
    "uncertainty_table",
    "verdict",
]

#: Fewer draws than this give quantiles too rough to read much into.
FEW_DRAWS = 20


def _rank(value: int | None) -> str:
    return DASH if value is None else str(value)


def _move(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def uncertainty_table(
    result: UncertaintyResult, *, top: int | None = None, lang: Language = "vi"
) -> RenderableType:
    """Each entity's rank over the draws: nominal, mean, median, 5 %–95 %; P(rank ≤ top).

    Rank quantiles are ranks that occurred (whole numbers). With fewer than
    :data:`FEW_DRAWS` draws a caption says the quantiles are rough.
    """
    lang = language(lang)
    draws = result.draws
    noise = result.settings.get("weight_noise", "")
    title = phrase(
        "draws title",
        lang,
        index=result.nominal.index.title(lang),
        draws=number(draws, lang),
        draw_word="draw" if draws == 1 else "draws",
        noise=number(noise, lang) if isinstance(noise, float | int) else str(noise),
    )
    caption = (
        Text(
            phrase(
                "few draws",
                lang,
                draws=draws,
                few=FEW_DRAWS,
                draw_word="draw" if draws == 1 else "draws",
            ),
            style="yellow",
        )
        if draws < FEW_DRAWS
        else None
    )
    columns = [
        Column(header=phrase("nominal", lang), justify="right"),
        Column(header=phrase("entity", lang), wrap=True),
        Column(header=phrase("mean", lang), justify="right"),
        Column(header=phrase("median", lang), justify="right"),
        Column(header="5–95 %", justify="right"),
    ]
    if top is not None:
        columns.append(Column(header=f"P({phrase('rank', lang)} ≤ {top})", justify="right"))
    table = Grid(columns, title=title, caption=caption)
    for r in result.rank_summaries():
        spread = DASH if math.isnan(r.q05) else f"{number(r.q05, lang)}–{number(r.q95, lang)}"
        cells = [
            _rank(r.nominal),
            r.name,
            number(r.mean, lang, decimals=1),
            number(r.median, lang),
            spread,
        ]
        if top is not None:
            cells.append(percent(result.p_rank_at_most(r.entity, top), lang))
        table.add_row(*cells)
    return table


def goal_text(goal: RankAtMost | ScoreAtLeast | AttainmentAtLeast, lang: Language = "vi") -> str:
    """A goal in words: ``"hạng ≤ 1 (DTI)"``, ``"điểm số ≥ 0,8"``, ``"mức đạt ≥ 100,0 %"``."""
    from dxplan.whatif.goalseek import AttainmentAtLeast, RankAtMost

    lang = language(lang)
    if isinstance(goal, AttainmentAtLeast):
        return phrase("goal.attainment", lang, attainment=percent(goal.attainment, lang))
    if isinstance(goal, RankAtMost):
        text = f"{phrase('rank', lang)} ≤ {goal.k}"
    else:
        text = f"{phrase('score', lang).lower()} ≥ {number(goal.score, lang)}"
    return f"{text} ({goal.node})" if goal.node else text


def verdict(result: GoalSeekResult[Any], lang: Language = "vi") -> Text:
    """Whether a goal-seek reached its goal: already, reached, or not within the bounds."""
    if result.already:
        return Text(phrase("already reached", lang), style="green")
    if result.feasible:
        return Text(phrase("reached", lang), style="green")
    return Text(phrase("not reachable", lang), style="red")


def goal_seek_table(
    result: LeverSeek,
    *,
    lang: Language = "vi",
    entity_name: str | None = None,
    lever_name: str | None = None,
    decimals: int | None = None,
    after: IndexResult | None = None,
) -> RenderableType:
    """The lever's move and the entity's rank and score before → after.

    Scores are on the index's own scale, as :func:`ranking_table` shows them
    (the DTI: 0–1, not points). ``entity_name`` and ``lever_name`` replace
    the ids in the title; with ``decimals`` (the published precision) values
    are rounded so; with ``after`` (the index evaluated at the found value) a
    note names the entities the result ties with.
    """
    lang = language(lang)
    title = Text.assemble(
        entity_name or result.entity, f": {goal_text(result.goal, lang)} — ", verdict(result, lang)
    )
    caption = (
        None
        if result.scale == 1.0
        else Text(phrase("scale note", lang, points=number(result.scale, lang)), style="dim")
    )
    table = Grid(
        tuple(
            Column(
                header=phrase(key, lang),
                wrap=key == "lever",
                justify="left" if key == "lever" else "right",
            )
            for key in ("lever", "start", "value", "change", "report.rank", "score")
        ),
        title=title,
        caption=caption,
    )

    def value(x: float) -> str:
        return (
            number(x, lang, decimals=decimals)
            if decimals is not None
            else number(x, lang, significant=6)
        )

    reached = round_away(result.value, result.start, 6 if decimals is None else decimals)
    table.add_row(
        lever_name or result.lever,
        value(result.start),
        value(reached),
        signed(reached - result.start, lang, decimals=decimals)
        if decimals is not None
        else signed(float(f"{reached - result.start:.6g}"), lang),
        f"{_rank(result.rank_before)} → {_rank(result.rank_after)}",
        f"{value(result.score_before)} → {value(result.score_after)}",
    )
    notes: list[RenderableType] = []
    if decimals is not None:
        notes.append(Text(phrase("published precision", lang, decimals=decimals), style="dim"))
    if after is not None and result.rank_after is not None:
        node = result.node
        tied = [
            after.data.name(e)
            for r, e, _ in after.ranking(node, decimals=decimals)
            if r == result.rank_after and e != result.entity
        ]
        if tied:
            notes.append(
                Text(
                    phrase(
                        "tie note",
                        lang,
                        entity=entity_name or result.entity,
                        others=", ".join(tied),
                        decimals=DASH if decimals is None else decimals,
                    ),
                    style="yellow",
                )
            )
    return Group(table, *notes) if notes else table


def indicator_seek_table(result: IndicatorSeek, *, lang: Language = "vi") -> RenderableType:
    """An indicator's latest value before → after, and its attainment and met before → after."""
    lang = language(lang)
    title = Text.assemble(
        f"{result.entity} · {result.indicator}: {goal_text(result.goal, lang)} — ",
        verdict(result, lang),
    )
    table = Grid(
        tuple(
            Column(header=phrase(key, lang), justify="right")
            for key in ("start", "value", "change", "col.attainment", "col.met")
        ),
        title=title,
        label=None,
    )

    def met(x: bool | None) -> str:
        return DASH if x is None else phrase("yes" if x else "no", lang)

    table.add_row(
        number(result.start, lang, significant=6),
        number(result.value, lang, significant=6),
        signed(float(f"{result.change:.6g}"), lang),
        f"{percent(result.attainment_before, lang)} → {percent(result.attainment_after, lang)}",
        _move(met(result.met_before), met(result.met_after)),
    )
    return table


def lever_moves_table(result: LeverMoves, *, lang: Language = "vi") -> RenderableType:
    """Each lever's move and cost, under the goal and the verdict (no table: nothing moved)."""
    lang = language(lang)
    title = Text.assemble(
        result.entity,
        f": {goal_text(result.goal, lang)} — ",
        verdict(result, lang),
        f", {phrase('total cost', lang, cost=number(result.cost, lang, significant=6))}",
    )
    if not result.moves:
        return title
    table = Grid(
        tuple(
            Column(
                header=phrase(k, lang),
                wrap=k == "lever",
                justify="left" if k == "lever" else "right",
            )
            for k in ("lever", "start", "value", "change", "cost")
        ),
        title=title,
    )
    for m in result.moves:
        table.add_row(
            m.lever,
            number(m.start, lang, significant=6),
            number(m.value, lang, significant=6),
            signed(float(f"{m.change:.6g}"), lang),
            number(m.cost, lang, significant=6),
        )
    return table


def sweep_table(sweep: Sweep, *, lang: Language = "vi") -> RenderableType:
    """The swept entity's score and rank, and the leader, at each lever value."""
    import numpy as np

    lang = language(lang)
    e = sweep.entities.index(sweep.entity)
    table = Grid(
        (
            Column(header=sweep.lever, justify="right"),
            Column(header=phrase("score", lang), justify="right"),
            Column(header=phrase("rank", lang).capitalize(), justify="right"),
            Column(header=phrase("leader", lang), wrap=True),
        ),
        title=f"{sweep.names[e]}: {sweep.lever} → {sweep.node}",
        label=3,
    )
    for k, v in enumerate(sweep.values):
        lead = int(np.nanargmax(sweep.scores[k])) if not np.isnan(sweep.scores[k]).all() else e
        rank = sweep.ranks[k, e]
        table.add_row(
            number(v, lang, significant=6),
            number(float(sweep.scores[k, e]) * sweep.scale, lang, significant=6),
            DASH if math.isnan(rank) else str(int(rank)),
            sweep.names[lead],
        )
    return table


def edit_text(edit: Edit, lang: Language = "vi") -> str:
    """One edit of a scenario in ``lang``: its ids as the file writes them, numbers localised."""
    fields: dict[str, str | None] = {}
    for name in ("entity", "component", "node", "child", "task", "indicator", "scope"):
        fields[name] = getattr(edit, name, None)
    for name in ("value", "by", "factor", "reaches", "weight", "points", "share"):
        amount = getattr(edit, name, None)
        shown = signed if name == "by" else number
        fields[name] = None if amount is None else shown(amount, lang)
    if fields["scope"]:
        fields["indicator"] = f"{fields['indicator']} [{fields['scope']}]"
    key = f"edit.{edit.op}"
    if edit.op == "weight":
        key += next(f" {k}" for k in ("points", "share", "weight") if fields[k] is not None)
    elif edit.op == "task" and fields["entity"]:
        key += " for"
    elif edit.op == "baseline" and fields["value"] is None:
        key = "edit.no baseline"
    elif fields["entity"] is None:
        fields["entity"] = "*"  # a value edit of every entity
    return phrase(key, lang, **fields)


def scenario_tree(scenario: Scenario, lang: Language = "vi") -> Tree:
    """A scenario's name, description and edits, in ``lang``."""
    tree = Tree(
        Text.assemble(
            (scenario.name, "bold"), f" — {scenario.description}" if scenario.description else ""
        )
    )
    for edit in scenario.edits:
        tree.add(Text(edit_text(edit, language(lang))))
    return tree


def comparison_view(
    comparison: Comparison, *, lang: Language = "vi", top: int | None = None
) -> RenderableType:
    """Every entity's score and rank before → after a scenario, and who overtakes whom."""
    lang = language(lang)
    c = comparison
    unit = phrase("points", lang) if c.scale != 1 else phrase("score", lang)
    digits = 3 if c.scale >= 100 else 4
    table = Grid(
        (
            Column(header=phrase("rank", lang).capitalize(), justify="right"),
            Column(header=phrase("entity", lang), wrap=True),
            Column(header=f"{unit}: {phrase('before', lang).lower()}", justify="right", wrap=True),
            Column(header=f"{unit}: {phrase('after', lang).lower()}", justify="right", wrap=True),
            Column(header=phrase("change", lang), justify="right"),
        ),
        title=f"{c.scenario.name}: {node_name(c.after.index, c.node, lang)}",
    )

    def shown(x: float) -> str:
        return number(x * c.scale, lang, decimals=digits)

    ordered = sorted(c.changes, key=lambda ch: (ch.rank_after is None, ch.rank_after or 0))
    rows = ordered if top is None else ordered[:top]
    for ch in rows:
        table.add_row(
            _move(_rank(ch.rank_before), _rank(ch.rank_after)),
            ch.name,
            shown(ch.score_before),
            shown(ch.score_after),
            signed(ch.score_change * c.scale, lang, decimals=digits),
        )
    names = {ch.entity: ch.name for ch in c.changes}
    lines: list[RenderableType] = [
        Text(
            phrase(
                "overtakes",
                lang,
                entity=names.get(o.entity, o.entity),
                passed=names.get(o.passed, o.passed),
            )
        )
        for o in c.overtakes
    ]
    if len(rows) < len(ordered):
        lines.append(Text(phrase("more rows", lang, count=len(ordered) - len(rows)), style="dim"))
    return Group(table, *lines) if lines else table


def attainment_comparison_view(
    comparison: AttainmentComparison, *, lang: Language = "vi"
) -> RenderableType:
    """The plan's attainment before → after, and every indicator that changes."""
    from dxplan.plan.attainment import Status
    from dxplan.render.attainment import status_label

    lang = language(lang)
    c = comparison

    def met(x: bool | None) -> str:
        return DASH if x is None else phrase("yes" if x else "no", lang)

    title = phrase(
        "plan attainment change",
        lang,
        scenario=c.scenario.name,
        before=percent(c.before.attainment, lang),
        after=percent(c.after.attainment, lang),
    )
    if not c.changed:
        return Group(Text(title, style="bold"), Text(phrase("no change", lang)))
    table = Grid(
        (
            Column(header=phrase("col.indicator", lang)),
            Column(header=phrase("col.attainment", lang), justify="right"),
            Column(header=phrase("col.met", lang)),
            Column(header=phrase("col.status", lang)),
        ),
        title=title,
        label=None,
    )
    for ch in c.changed:
        table.add_row(
            ch.indicator,
            _move(percent(ch.attainment_before, lang), percent(ch.attainment_after, lang)),
            _move(met(ch.met_before), met(ch.met_after)),
            _move(
                status_label(Status(ch.status_before), lang),
                status_label(Status(ch.status_after), lang),
            ),
        )
    return table


def leave_one_out_table(result: LeaveOneOut, *, lang: Language = "vi") -> RenderableType:
    """Mean absolute rank shift per component left out, largest first."""
    lang = language(lang)
    table = Grid(
        (
            Column(header=phrase("left out", lang), wrap=True),
            Column(header=phrase("mean shift", lang), justify="right", wrap=True),
        ),
        title=phrase("leave one out", lang, node=result.node),
        label=None,
    )
    for component, shift in result.by_component().items():
        table.add_row(component, number(shift, lang, decimals=2))
    return table


def sobol_table(result: SobolIndices, *, lang: Language = "vi") -> RenderableType:
    """First- and total-order indices with their bootstrap intervals."""
    lang = language(lang)
    level = percent(result.confidence, lang, decimals=0)
    interval = phrase("interval", lang, level=level)
    table = Grid(
        (
            Column(header=phrase("input", lang), wrap=True),
            Column(header=phrase("first order", lang), justify="right", wrap=True),
            Column(header=interval, justify="right", wrap=True),
            Column(header=phrase("total order", lang), justify="right", wrap=True),
            Column(header=interval, justify="right", wrap=True),
        ),
        title=phrase(
            "sobol title", lang, output=result.output, samples=number(result.samples, lang)
        ),
        label=None,
    )

    def n(x: float) -> str:
        return number(x, lang, decimals=3)

    for i in result.indices:
        table.add_row(
            i.name,
            n(i.first),
            f"{n(i.first_interval[0])}–{n(i.first_interval[1])}",
            n(i.total),
            f"{n(i.total_interval[0])}–{n(i.total_interval[1])}",
        )
    return table
