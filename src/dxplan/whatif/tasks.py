"""From task to rank: which of a plan's tasks moves an entity's place on a composite index.

A plan states that a task *drives* components of a named index
(:class:`dxplan.plan.model.Drive`) and that an indicator is *scored from* that
index (:attr:`dxplan.plan.model.Indicator.scored_from`; HCMC's 1.1 is its DTI rank).
This module answers the questions that link the two:

- :func:`task_effects`: for each driving task, the entity's gain in the index's
  points per unit of each component it drives, the headroom to the component's
  bound, the best rank the task can reach alone (all its components at their
  bounds) and the least outcome that reaches it, and what that does to the
  attainment of the indicators scored from the index.
- :func:`goal_seek_tasks`: the cheapest combination of task outcomes that
  reaches a rank or a score, built on :func:`dxplan.whatif.goalseek.goal_seek_levers`
  (exact where the problem is a fractional knapsack, greedy and said so
  elsewhere), with the new score and rank, the indicators' attainment and,
  on request, P(rank ≤ k) under weight noise before and after
  (:func:`dxplan.whatif.uncertainty.run`).

A task's *outcome* is the values its components reach; its cost is the cost
per unit of the task times the change of each component. A component driven by
several tasks is moved by the cheapest of them (the first in plan order on a tie).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from dxplan import _files
from dxplan import _validators as v
from dxplan._deprecated import renamed
from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan.errors import (
    FileFormatError,
    InvalidValueError,
    Problem,
    ScenarioError,
)
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, IndexResult
from dxplan.plan.attainment import combine, target_attainment
from dxplan.plan.model import Plan, Target
from dxplan.plan.validation import load_indices
from dxplan.text import Label
from dxplan.whatif.goalseek import (
    GoalSeekResult,
    LeverMove,
    RankAtMost,
    ScoreAtLeast,
    goal_seek_levers,
)
from dxplan.whatif.uncertainty import run as run_uncertainty

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ComponentEffect",
    "IndicatorEffect",
    "TaskEffect",
    "TaskEffects",
    "TaskMove",
    "TaskMoves",
    "driven_components",
    "goal_seek_tasks",
    "load_costs",
    "task_effects",
]

if not TYPE_CHECKING:  # the old name works, with a warning
    __getattr__ = renamed(__name__, {"TaskPlan": "TaskMoves"})

Bounds = tuple[float, float] | Mapping[str, tuple[float, float]]

_WHY = {
    "no-data": "the entity has no value of it",
    "outside-bounds": "its value is outside the bounds",
}


def _none_if_nan(x: float) -> float | None:
    return None if math.isnan(x) else x


# --- which index, which tasks -------------------------------------------------------------


def _index_name(plan: Plan, index: Index | str) -> tuple[str, Index]:
    """The name the plan uses for ``index``, and the index itself."""
    names = list(dict.fromkeys(d.index for t in plan.tasks for d in t.drives))
    if isinstance(index, str):
        if index not in names:
            raise ScenarioError(
                f"no task of plan {plan.id!r} drives index {index!r}; driven indices: "
                + (", ".join(repr(n) for n in names) or "none")
            )
        loaded, failed = load_indices(plan)
        if index in failed:
            raise ScenarioError(f"index {index!r} cannot be loaded: {failed[index]}")
        return index, loaded[index]
    if not isinstance(index, Index):
        raise InvalidValueError("index", index, "an Index or the name a plan's drives use")
    loaded, _ = load_indices(plan)
    same = [n for n in names if loaded.get(n) == index]
    if not same and len(names) == 1:
        # An edited copy (other weights, say) of the one index the plan drives.
        wanted = {d.component for t in plan.tasks for d in t.drives}
        if wanted <= set(index.components):
            same = names
    if len(same) != 1:
        raise ScenarioError(
            f"cannot tell which of the indices plan {plan.id!r} drives is the one given "
            f"({', '.join(repr(n) for n in names) or 'none'}); pass the index by name"
        )
    return same[0], index


def driven_components(plan: Plan, index: str) -> dict[str, tuple[str, ...]]:
    """Task id → the components of ``index`` it drives, for each task that drives any."""
    out: dict[str, tuple[str, ...]] = {}
    for task in plan.tasks:
        components = tuple(dict.fromkeys(d.component for d in task.drives if d.index == index))
        if components:
            out[task.id] = components
    return out


def _entity(plan: Plan, data: IndexData, entity: str | None) -> str:
    who = entity or plan.entity
    if who is None or who not in data.entities:
        raise ScenarioError(
            f"unknown entity {who!r}; known entities: " + ", ".join(repr(e) for e in data.entities)
        )
    return who


def _bounds_of(bounds: Bounds, task: str, component: str) -> tuple[float, float]:
    if isinstance(bounds, Mapping):
        pair = bounds.get(component, bounds.get(task, (0.0, 1.0)))
    else:
        pair = bounds
    return v.to_bounds(f"bounds[{component!r}]", pair)


def _scale(index: Index) -> float:
    root = index.node(index.root)
    return root.points if isinstance(root, Aggregate) else 1.0


# --- indicators scored from the index -----------------------------------------------------


@attrs.frozen(kw_only=True)
class IndicatorEffect:
    """A plan indicator scored from the index, before and after an outcome.

    ``observed_*`` is the entity's rank (rank indicators) or its root score on
    the index's points scale, among the entities evaluated.
    """

    indicator: str
    observed_before: float | None
    observed_after: float | None
    attainment_before: float | None
    attainment_after: float | None
    met_before: bool | None
    met_after: bool | None


def _indicator_effects(
    plan: Plan, name: str, before: IndexResult, after: IndexResult, entity: str
) -> tuple[IndicatorEffect, ...]:
    effects = []
    scale = _scale(before.index)
    for indicator in plan.indicators:
        if indicator.scored_from != name:
            continue

        def observed(result: IndexResult, rank_indicator: bool) -> float | None:
            if rank_indicator:
                rank = result.rank().get(entity)
                return None if rank is None else float(rank)
            score = result.score(entity)
            return None if math.isnan(score) else score * scale

        def judged(
            x: float | None, targets: tuple[Target, ...]
        ) -> tuple[float | None, bool | None]:
            if x is None:
                return None, None
            values = [target_attainment(t, x) for t in targets]
            return combine(values), all(t.is_met(x) for t in targets)

        x0 = observed(before, indicator.is_rank)
        x1 = observed(after, indicator.is_rank)
        (a0, m0), (a1, m1) = judged(x0, indicator.targets), judged(x1, indicator.targets)
        effects.append(
            IndicatorEffect(
                indicator=indicator.id,
                observed_before=x0,
                observed_after=x1,
                attainment_before=a0,
                attainment_after=a1,
                met_before=m0,
                met_after=m1,
            )
        )
    return tuple(effects)


# --- task effects -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ComponentEffect:
    """One component a task drives, for one entity.

    ``points_per_unit`` is the entity's gain on the index root, in points,
    per unit of the component, averaged from its value to its bound (in a
    linear index such as the DTI it is the component's points: 150 for
    ``hd_xa_hoi_so``). ``value`` is NaN when the entity has none.
    """

    component: str
    value: float
    bound: float
    headroom: float
    points_per_unit: float
    points_at_bound: float


@attrs.frozen(kw_only=True)
class TaskEffect:
    """What one task can do for the entity on the index, moving its components alone.

    ``best_rank`` is the rank with every component at its bound;
    ``outcome`` the least values (cheapest, components weighed equally) that
    reach that rank, ``None`` when the task cannot improve the rank.
    """

    task: str
    label: Label
    components: tuple[ComponentEffect, ...]
    rank_before: int | None
    best_rank: int | None
    score_before: float
    score_at_bounds: float
    outcome: tuple[tuple[str, float], ...] | None
    indicators: tuple[IndicatorEffect, ...]
    scale: float = 1.0
    """The root's points (1 000 for the DTI): scores × scale are points."""

    @property
    def points_per_unit(self) -> float:
        """The gain in points per unit when every component moves by one unit."""
        return sum(c.points_per_unit for c in self.components if not math.isnan(c.value))

    @property
    def points_at_bounds(self) -> float:
        """The gain in points with every component at its bound (NaN: no component has data)."""
        if all(math.isnan(c.value) for c in self.components):
            return math.nan
        return (self.score_at_bounds - self.score_before) * self.scale


@attrs.frozen(kw_only=True, eq=False)
class TaskEffects(Displayable):
    """Every driving task's effect on one entity's place on an index, most points first."""

    plan: str
    index: str
    entity: str
    name: str
    entities: int
    scale: float
    rank_before: int | None
    score_before: float
    effects: tuple[TaskEffect, ...]

    def effect(self, task: str) -> TaskEffect:
        """The effect of one task."""
        for effect in self.effects:
            if effect.task == task:
                return effect
        known = ", ".join(e.task for e in self.effects)
        raise InvalidValueError("task", task, f"a task that drives the index ({known})")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready: NaN becomes ``None``)."""
        return {
            "plan": self.plan,
            "index": self.index,
            "entity": self.entity,
            "entities": self.entities,
            "scale": self.scale,
            "rank_before": self.rank_before,
            "score_before": _none_if_nan(self.score_before),
            "tasks": [
                {
                    "task": e.task,
                    "label": e.label.to_dict(),
                    "points_per_unit": e.points_per_unit,
                    "points_at_bounds": _none_if_nan(e.points_at_bounds),
                    "best_rank": e.best_rank,
                    "outcome": None if e.outcome is None else dict(e.outcome),
                    "components": [
                        {
                            k: _none_if_nan(x) if isinstance(x, float) else x
                            for k, x in attrs.asdict(c).items()
                        }
                        for c in e.components
                    ],
                    "indicators": [attrs.asdict(i) for i in e.indicators],
                }
                for e in self.effects
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per (task, component), language-neutral (for CSV)."""
        return [
            {
                "task": e.task,
                "component": c.component,
                "value": c.value,
                "bound": c.bound,
                "headroom": c.headroom,
                "points_per_unit": c.points_per_unit,
                "points_at_bound": c.points_at_bound,
                "rank_before": e.rank_before,
                "best_rank": e.best_rank,
                "outcome_for_best_rank": None
                if e.outcome is None
                else dict(e.outcome).get(c.component),
            }
            for e in self.effects
            for c in e.components
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per (task, component) (needs the ``pandas`` extra)."""
        pd = import_pandas()
        return pd.DataFrame(self.rows()).set_index(["task", "component"])

    def __repr__(self) -> str:
        top = self.effects[0] if self.effects else None
        best = "" if top is None else f", most points: {top.task} (best rank {top.best_rank})"
        return (
            f"<TaskEffects {self.plan!r} on {self.index!r} for {self.entity!r}: "
            f"rank {self.rank_before} of {self.entities}, {len(self.effects)} tasks{best}>"
        )


def task_effects(
    plan: Plan,
    index: Index | str,
    data: IndexData,
    *,
    entity: str | None = None,
    bounds: Bounds = (0.0, 1.0),
) -> TaskEffects:
    """What each task that drives ``index`` can do for ``entity``'s score and rank.

    Args:
        plan: the plan whose tasks drive the index (``Task.drives``).
        index: the index, by the name the drives use (``"dti-922"``) or as an
            :class:`~dxplan.index.model.Index`.
        data: the index data; not changed.
        entity: whose place; the plan's entity by default.
        bounds: the values a component may reach, one pair for all or by
            component or task id (0–1, the DTI's published scale, by default).

    Tasks are listed by the points they can add at their bounds, most first.
    The best rank assumes reaching the goal is monotone in each component
    (true for the DTI and every absolute rule under weighted sums).

    Raises:
        ScenarioError: no task drives the index, or an unknown entity.
    """
    name, idx = _index_name(plan, index)
    who = _entity(plan, data, entity)
    scale = _scale(idx)
    base = idx.evaluate(data)
    score0 = base.score(who)
    rank0 = base.rank().get(who)
    effects: list[TaskEffect] = []
    for task_id, components in driven_components(plan, name).items():
        task = plan.task(task_id)
        parts: list[ComponentEffect] = []
        at_bounds = data
        for component in components:
            _, high = _bounds_of(bounds, task_id, component)
            value = data.value(who, component) if component in data.components else math.nan
            if math.isnan(value):
                parts.append(
                    ComponentEffect(
                        component=component,
                        value=math.nan,
                        bound=high,
                        headroom=math.nan,
                        points_per_unit=math.nan,
                        points_at_bound=math.nan,
                    )
                )
                continue
            moved = idx.evaluate(data.with_value(who, component, high)).score(who)
            headroom = high - value
            gain = (moved - score0) * scale
            parts.append(
                ComponentEffect(
                    component=component,
                    value=value,
                    bound=high,
                    headroom=headroom,
                    points_per_unit=gain / headroom if headroom > 0 else 0.0,
                    points_at_bound=gain,
                )
            )
            at_bounds = at_bounds.with_value(who, component, high)
        best = idx.evaluate(at_bounds)
        best_rank = best.rank().get(who)
        outcome = None
        movable = {p.component: 1.0 for p in parts if not math.isnan(p.value) and p.headroom > 0}
        if best_rank is not None and rank0 is not None and best_rank < rank0 and movable:
            found = goal_seek_levers(
                idx,
                data,
                entity=who,
                levers=movable,
                goal=RankAtMost(best_rank),
                bounds={c: _bounds_of(bounds, task_id, c) for c in movable},
            )
            values = {m.lever: m.value for m in found.moves}
            outcome = tuple((c, values.get(c, data.value(who, c))) for c in movable)
        effects.append(
            TaskEffect(
                task=task_id,
                label=task.label,
                components=tuple(parts),
                rank_before=rank0,
                best_rank=best_rank,
                score_before=score0,
                score_at_bounds=best.score(who),
                outcome=outcome,
                indicators=_indicator_effects(plan, name, base, best, who),
                scale=scale,
            )
        )
    effects.sort(key=lambda e: -e.points_at_bounds if not math.isnan(e.points_at_bounds) else 0)
    return TaskEffects(
        plan=plan.id,
        index=name,
        entity=who,
        name=data.name(who),
        entities=len(data.entities),
        scale=scale,
        rank_before=rank0,
        score_before=score0,
        effects=tuple(effects),
    )


# --- goal-seek over tasks -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TaskMove(LeverMove):
    """One component moved by one task in a :class:`TaskMoves`: a lever move with its task."""

    task: str

    @property
    def component(self) -> str:
        """The component moved: the move's lever."""
        return self.lever

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the lever move's, with the task and the component."""
        return {"task": self.task, "component": self.component, **super().to_dict()}


@attrs.frozen(kw_only=True)
class TaskMoves(GoalSeekResult[RankAtMost | ScoreAtLeast], Displayable):
    """The cheapest found combination of task outcomes that reaches a goal.

    ``optimal`` is True when the problem is a fractional knapsack (every
    component enters the index linearly within its bounds) and the answer is
    therefore the cheapest; otherwise the answer is greedy (it reaches the goal
    when one exists, a cheaper one may too). ``p_before``/``p_after`` are
    P(rank ≤ k) under weight noise (:func:`goal_seek_tasks` with ``draws``),
    for a rank goal. ``left_out`` pairs a component not used with why, as a
    code: ``"no-data"`` (the entity has no value of it) or ``"outside-bounds"``.
    """

    plan: str
    index: str
    name: str
    entities: int
    moves: tuple[TaskMove, ...]
    optimal: bool
    scale: float
    score_before: float
    score_after: float
    rank_before: int | None
    rank_after: int | None
    indicators: tuple[IndicatorEffect, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    draws: int = 0
    weight_noise: float = 0.0
    p_before: float | None = None
    p_after: float | None = None

    @property
    def outcomes(self) -> dict[str, dict[str, float]]:
        """Task → component → the value it reaches."""
        out: dict[str, dict[str, float]] = {}
        for m in self.moves:
            out.setdefault(m.task, {})[m.component] = m.value
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready: NaN becomes ``None``)."""
        return super().to_dict() | {
            "plan": self.plan,
            "index": self.index,
            "entities": self.entities,
            "optimal": self.optimal,
            "cost": self.cost,
            "scale": self.scale,
            "score_before": _none_if_nan(self.score_before),
            "score_after": _none_if_nan(self.score_after),
            "rank_before": self.rank_before,
            "rank_after": self.rank_after,
            "indicators": [attrs.asdict(i) for i in self.indicators],
            "left_out": [{"component": c, "why": why} for c, why in self.left_out],
            "draws": self.draws,
            "weight_noise": self.weight_noise,
            "p_before": self.p_before,
            "p_after": self.p_after,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per move (needs the ``pandas`` extra)."""
        pd = import_pandas()
        moves = pd.DataFrame(self.to_dict()["moves"]).drop(columns="lever")
        return moves.set_index(["task", "component"])

    def __repr__(self) -> str:
        verdict = "reached" if self.feasible else "not reachable"
        return (
            f"<TaskMoves {self.entity!r} {self.goal.describe()} on {self.index!r}: {verdict}, "
            f"cost {self.cost:.6g}, {len(self.moves)} moves, rank {self.rank_before} → "
            f"{self.rank_after}>"
        )


def goal_seek_tasks(
    plan: Plan,
    index: Index | str,
    data: IndexData,
    *,
    goal: RankAtMost | ScoreAtLeast,
    entity: str | None = None,
    costs: Mapping[str, float] | None = None,
    bounds: Bounds = (0.0, 1.0),
    draws: int = 0,
    weight_noise: float = 0.25,
    seed: int = 1,
    tolerance: float = 1e-9,
) -> TaskMoves:
    """The cheapest combination of task outcomes that reaches ``goal`` for ``entity``.

    Args:
        plan: the plan whose tasks drive the index.
        index: the index, by name (``"dti-922"``) or as an Index.
        data: the index data; not changed.
        goal: :class:`~dxplan.whatif.goalseek.RankAtMost` or
            :class:`~dxplan.whatif.goalseek.ScoreAtLeast` (on the 0–1 scale of the root).
        entity: whose place; the plan's entity by default.
        costs: task id → cost per unit of change of each component it
            drives; only these tasks may move. Every driving task at cost 1 by
            default.
        bounds: the values a component may take (see :func:`task_effects`).
        draws: with ``draws > 0`` and a rank goal, P(rank ≤ k) before and after
            the outcomes, from ``draws`` weight draws of
            :func:`~dxplan.whatif.uncertainty.run` (noise ``weight_noise``,
            ``seed``; the same draws before and after).
        tolerance: passed to :func:`~dxplan.whatif.goalseek.goal_seek_levers`.

    The search is :func:`~dxplan.whatif.goalseek.goal_seek_levers` over the driven
    components, each costed by the cheapest task that drives it. Components
    without a value for the entity are left out (``TaskMoves.left_out``).

    Raises:
        ScenarioError: no task drives the index, an unknown entity or task.
        InvalidValueError: a cost that is not a positive number.
    """
    name, idx = _index_name(plan, index)
    who = _entity(plan, data, entity)
    driving = driven_components(plan, name)
    chosen = dict.fromkeys(driving, 1.0) if costs is None else dict(costs)
    for task_id, cost in chosen.items():
        if task_id not in driving:
            raise ScenarioError(
                f"task {task_id!r} drives no component of {name!r}; tasks that do: "
                + ", ".join(repr(t) for t in driving)
            )
        v.cost_per_unit.check(f"costs[{task_id!r}]", cost)
    owner: dict[str, tuple[str, float]] = {}
    for task_id in driving:  # plan order: the first of equally cheap tasks wins
        if task_id not in chosen:
            continue
        for component in driving[task_id]:
            if component not in owner or chosen[task_id] < owner[component][1]:
                owner[component] = (task_id, float(chosen[task_id]))
    left_out: list[tuple[str, str]] = []
    levers: dict[str, float] = {}
    lever_bounds: dict[str, tuple[float, float]] = {}
    for component, (task_id, cost) in owner.items():
        value = data.value(who, component) if component in data.components else math.nan
        if math.isnan(value):
            left_out.append((component, "no-data"))
            continue
        low, high = _bounds_of(bounds, task_id, component)
        if not low <= value <= high:
            left_out.append((component, "outside-bounds"))
            continue
        levers[component] = cost
        lever_bounds[component] = (low, high)
    base = idx.evaluate(data)
    scale = _scale(idx)
    if not levers:
        raise ScenarioError(
            f"no component of {name!r} can move for {who!r}: "
            + "; ".join(f"{c}: {_WHY[why]}" for c, why in left_out)
        )
    found = goal_seek_levers(
        idx, data, entity=who, levers=levers, goal=goal, bounds=lever_bounds, tolerance=tolerance
    )
    moves = tuple(
        TaskMove(
            task=owner[m.lever][0],
            lever=m.lever,
            start=m.start,
            value=m.value,
            cost_per_unit=m.cost_per_unit,
        )
        for m in found.moves
        if m.value != m.start
    )
    after_data = data
    for m in moves:
        after_data = after_data.with_value(who, m.component, m.value)
    after = idx.evaluate(after_data)
    p_before = p_after = None
    if draws > 0 and isinstance(goal, RankAtMost):
        options: dict[str, Any] = {"draws": draws, "weight_noise": weight_noise, "seed": seed}
        p_before = run_uncertainty(idx, data, **options).p_rank_at_most(who, goal.k, goal.node)
        p_after = run_uncertainty(idx, after_data, **options).p_rank_at_most(who, goal.k, goal.node)
    return TaskMoves(
        plan=plan.id,
        index=name,
        entity=who,
        name=data.name(who),
        entities=len(data.entities),
        goal=goal,
        moves=moves,
        feasible=found.feasible,
        optimal=found.optimal,
        scale=scale,
        score_before=base.score(who),
        score_after=after.score(who),
        rank_before=base.rank().get(who),
        rank_after=after.rank().get(who),
        indicators=_indicator_effects(plan, name, base, after, who),
        left_out=tuple(left_out),
        draws=draws if p_before is not None else 0,
        weight_noise=weight_noise if p_before is not None else 0.0,
        p_before=p_before,
        p_after=p_after,
    )


def load_costs(path: str | Path) -> dict[str, float]:
    """Costs per unit by task id from a TOML or JSON file (``T08 = 3``; ``{"T08": 3}``).

    Raises:
        FileFormatError: the file cannot be read, or a cost is not a finite,
            positive number (each named by ``file:$.T08``).
    """
    file = Path(path)
    document = _files.read_document(file, what="task costs in TOML or JSON")
    if not isinstance(document, dict):
        raise FileFormatError(
            f"cannot read task costs from {file}",
            [Problem(f"{file}:$", f"found {type(document).__name__}; expected a table of costs")],
        )
    problems = [
        Problem(f"{file}:$.{task}", f"found {cost!r}; expected {v.cost_per_unit.expected}")
        for task, cost in document.items()
        if not v.cost_per_unit.accepts(cost)
    ]
    if problems:
        raise FileFormatError(f"cannot read task costs from {file}", problems)
    return {str(task): float(cost) for task, cost in document.items()}
