"""Goal-seek and sweeps: what must change, and by how much, to reach a goal.

:func:`goal_seek` finds the least change of one *lever* (one component of one
entity) that reaches a goal — :class:`RankAtMost`, :class:`ScoreAtLeast` or,
for a plan indicator, :class:`AttainmentAtLeast` (:func:`goal_seek_attainment`) —
within the lever's bounds, or reports that it cannot (``feasible=False``, with
the best result at the bound). :func:`goal_seek_levers` moves several levers,
each at a cost. Every answer is a :class:`GoalSeekResult`: the goal, whether
it is reached, and the levers' moves.

How the boundary is found:

1. The lever moves in the direction that helps, as each leaf's rule says
   (:meth:`dxplan.index.rules.Rule.response`: down for ``direction=-1``, for a
   distance to a target below its baseline, for a ratio of negative points; a
   rule that is constant or not monotone in the lever, such as unordered
   category scores, is refused). Reaching the goal is assumed monotone in that
   direction; this holds for every absolute rule, and for min-max,
   distance-to-max, fraction-of-max, rank and percentile rank, under any power
   mean, weighted sum or minimum (a better value of the entity never lowers it
   against any other entity). It is not guaranteed for z-scores; the answer is
   still re-evaluated, but may not be the least change.
2. The points where the response changes form are collected: a rule's kinks
   (a ratio's cap, goalposts, a distance-to-target's ends, step thresholds)
   and, for relative rules, the other entities' values of the column (where
   the lever becomes the column's minimum or maximum, or passes another
   entity). A binary search over them finds the segment holding the boundary.
3. Within the segment, when the lever's leaves are piecewise linear and every
   aggregator above them is an arithmetic mean or weighted sum, scores are
   affine in the lever (for a relative rule, while the lever stays within the
   other entities' range): the boundary is solved directly (where the entity's
   score reaches ``s``, or ties the entity it must pass) and then verified
   float by float, so the value returned reaches the goal when re-evaluated
   and ``math.nextafter(value, start)`` does not (``exact=True``,
   ``method="algebra"``). Otherwise (beyond a min-max column's range the
   others' scores are not affine; z-scores, power means) it is bisected
   until the bracket is at most ``tolerance`` wide: the value reaches the goal
   and ``value − tolerance`` (toward the start) does not.

Ranks are competition ranks (:meth:`dxplan.index.model.IndexResult.rank`): ties share
the better rank, so reaching rank k means tying the entity now at k.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._deprecated import renamed
from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan._validators import cost_per_unit, finite_number, number, rank, to_bounds, to_float
from dxplan.errors import InvalidValueError, ScenarioError
from dxplan.index.data import IndexData, cross_section
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.ranking import SCORE_RTOL, round_half_up
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
    Steps,
)

if TYPE_CHECKING:
    import pandas as pd

    from dxplan.plan.model import Plan
    from dxplan.plan.observations import Observations
    from dxplan.whatif.scenario import Scenario


__all__ = [
    "AttainmentAtLeast",
    "Goal",
    "GoalSeekResult",
    "IndicatorSeek",
    "LeverMove",
    "LeverMoves",
    "LeverSeek",
    "RankAtMost",
    "ScoreAtLeast",
    "Sweep",
    "goal_seek",
    "goal_seek_attainment",
    "goal_seek_levers",
    "sweep",
]

if not TYPE_CHECKING:  # old names work, with a warning; type checkers see only the new
    __getattr__ = renamed(
        __name__,
        {
            "LeverPlan": "LeverMoves",
            "PlanGoalSeekResult": "IndicatorSeek",
            "goal_seek_plan": "goal_seek_attainment",
        },
    )

FloatArray = npt.NDArray[np.float64]
Method = Literal["none", "algebra", "bisection"]


def _json_ready(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in data.items()
    }


_TOLERANCE = number(at_least=0)


# --- goals --------------------------------------------------------------------------------


@attrs.frozen
class RankAtMost:
    """Rank ``k`` or better on ``node`` (the root by default), ties sharing the better rank.

    >>> RankAtMost(1).describe()
    'rank ≤ 1'
    """

    k: int = attrs.field(validator=rank)
    node: str | None = attrs.field(default=None, kw_only=True)

    def describe(self) -> str:
        """The goal in words."""
        return f"rank ≤ {self.k}" + (f" on {self.node}" if self.node else "")

    def reached(self, scores: FloatArray, i: int, *, index: Index | None = None) -> bool:
        """Whether entity ``i`` reaches the goal given every entity's node scores.

        With ``index``, ties follow its :meth:`~dxplan.index.model.Index.rank_scores`
        (its precision, and equal up to float noise), as its results' ranks do.
        """
        own = scores[i]
        if math.isnan(own):
            return False
        if index is not None:
            return bool(index.rank_scores(scores)[i] <= self.k)
        return int(np.count_nonzero(scores > own)) < self.k


@attrs.frozen
class ScoreAtLeast:
    """A score of at least ``score`` on ``node`` (the root by default), on the 0–1 scale."""

    score: float = attrs.field(converter=to_float, validator=finite_number)
    node: str | None = attrs.field(default=None, kw_only=True)

    def describe(self) -> str:
        """The goal in words."""
        return f"score ≥ {self.score:g}" + (f" on {self.node}" if self.node else "")

    def reached(self, scores: FloatArray, i: int, *, index: Index | None = None) -> bool:
        """Whether entity ``i`` reaches the goal given every entity's node scores."""
        return bool(scores[i] >= self.score)


@attrs.frozen
class AttainmentAtLeast:
    """Attainment of at least ``attainment`` (0–1) of a plan indicator.

    The lever's own indicator is judged (see :func:`goal_seek_attainment`), or
    the whole plan with ``plan=True``.
    """

    attainment: float = attrs.field(converter=to_float, validator=finite_number)
    plan: bool = attrs.field(default=False, kw_only=True)

    def describe(self) -> str:
        """The goal in words."""
        which = " of the plan" if self.plan else ""
        return f"attainment{which} ≥ {self.attainment:g}"


Goal = RankAtMost | ScoreAtLeast


# --- float helpers ------------------------------------------------------------------------


def _ordered(x: float) -> int:
    """An integer that orders like the float (adjacent floats differ by 1)."""
    bits: int = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)


def _unordered(k: int) -> float:
    bits = k if k >= 0 else (-k) | (1 << 63)
    value: float = struct.unpack("<d", struct.pack("<Q", bits & 0xFFFFFFFFFFFFFFFF))[0]
    return value


# --- the evaluator ------------------------------------------------------------------------

_AFFINE_RULES = (
    Identity,
    Ratio,
    Goalposts,
    DistanceToTarget,
    MinMax,
    DistanceToMax,
    FractionOfMax,
    Steps,
    Rank,
    PercentileRank,
)


@attrs.define
class _Probe:
    """Evaluates the index with one entity's lever at a value ``u`` on the improving scale.

    ``u = sign × x``: moving ``u`` up always helps, whatever the lever's direction.
    """

    index: Index
    data: IndexData
    entity: int
    column: int
    node_column: int
    sign: float
    work: FloatArray
    calls: int = 0
    cache: dict[float, FloatArray] = attrs.field(factory=dict)

    def scores(self, u: float) -> FloatArray:
        if u in self.cache:
            return self.cache[u]
        self.work[self.entity, self.column] = self.sign * u
        data = attrs.evolve(self.data, values=self.work)
        self.calls += 1
        out = self.index.evaluate(data).values[:, self.node_column].copy()
        self.cache[u] = out
        return out


def _lever_leaves(index: Index, component: str) -> list[Leaf]:
    return [leaf for leaf in index.leaves if leaf.component == component]


def _ancestors(index: Index, ids: Iterable[str], top: str) -> list[Aggregate]:
    """The inner nodes on paths from ``ids`` up to ``top``."""
    parents: dict[str, list[str]] = {}
    for node in index.aggregates:
        for child in node.children:
            parents.setdefault(child, []).append(node.id)
    under_top = {top} | _descendants(index, top)
    seen: set[str] = set()
    stack = list(ids)
    while stack:
        for parent in parents.get(stack.pop(), []):
            if parent not in seen and parent in under_top:
                seen.add(parent)
                stack.append(parent)
    return [n for n in index.aggregates if n.id in seen]


def _descendants(index: Index, top: str) -> set[str]:
    out: set[str] = set()
    stack = [top]
    while stack:
        node = index.node(stack.pop())
        if isinstance(node, Aggregate):
            for child in node.children:
                if child not in out:
                    out.add(child)
                    stack.append(child)
    return out


def _kinks(leaf: Leaf, others: FloatArray) -> list[float]:
    """Raw lever values where ``leaf``'s score changes form."""
    rule = leaf.rule
    if isinstance(rule, Ratio):
        return [rule.required] if rule.cap else []
    if isinstance(rule, Goalposts):
        return [rule.low, rule.high] if rule.truncate else []
    if isinstance(rule, DistanceToTarget):
        return [rule.baseline, rule.target] if rule.cap else []
    if isinstance(rule, Steps):
        return list(rule.thresholds)
    if isinstance(rule, Categories):
        return list(rule.codes)
    if rule.relative:
        return [float(v) for v in others if not math.isnan(v)]
    return []


# --- what a goal-seek finds ---------------------------------------------------------------

_G = TypeVar("_G", RankAtMost | ScoreAtLeast, AttainmentAtLeast)


@attrs.frozen(kw_only=True)
class LeverMove:
    """One lever's move: from ``start`` to ``value``, at ``cost_per_unit`` of change.

    A lever is what a goal-seek moves: a component of an entity, or for
    :func:`goal_seek_attainment` an indicator's latest observed value.
    """

    lever: str
    start: float
    value: float
    cost_per_unit: float = 1.0

    @property
    def change(self) -> float:
        """``value − start``."""
        return self.value - self.start

    @property
    def cost(self) -> float:
        """``|change| × cost_per_unit``."""
        return abs(self.change) * self.cost_per_unit

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "lever": self.lever,
            "start": self.start,
            "value": self.value,
            "change": self.change,
            "cost_per_unit": self.cost_per_unit,
            "cost": self.cost,
        }


@attrs.frozen(kw_only=True)
class GoalSeekResult(Generic[_G]):
    """What every goal-seek answers: the moves of ``entity``'s levers toward ``goal``.

    ``moves`` reach the goal when ``feasible``; otherwise they are the best
    found within the bounds. Each goal-seek returns a subclass that adds what
    its search knows: :class:`LeverSeek` (:func:`goal_seek`, one lever of an
    index), :class:`IndicatorSeek` (:func:`goal_seek_attainment`, one
    indicator of a plan), :class:`LeverMoves` (:func:`goal_seek_levers`) and
    :class:`dxplan.whatif.tasks.TaskMoves` (:func:`dxplan.whatif.tasks.goal_seek_tasks`),
    both costed, several levers.
    """

    entity: str
    goal: _G
    feasible: bool

    @property
    def moves(self) -> tuple[LeverMove, ...]:
        """The levers' moves, in the order they were made."""
        raise NotImplementedError

    @property
    def already(self) -> bool:
        """Whether the goal was reached before any move."""
        return self.feasible and all(m.change == 0 for m in self.moves)

    @property
    def cost(self) -> float:
        """The total cost of the moves (a lever's change, where levers have no cost)."""
        return sum(m.cost for m in self.moves)

    @property
    def scenario(self) -> Scenario:
        """A scenario that makes every move (for :func:`~.scenario.compare`)."""
        from dxplan.whatif.scenario import Scenario

        levers = ", ".join(m.lever for m in self.moves)
        s = Scenario(f"{self.entity}: {levers or 'nothing'} for {self.goal.describe()}")
        for m in self.moves:
            s = s.set(self.entity, m.lever, m.value)
        return s

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready: NaN becomes ``None``); subclasses add their own."""
        return {
            "entity": self.entity,
            "goal": self.goal.describe(),
            "feasible": self.feasible,
            "already": self.already,
            "moves": [_json_ready(m.to_dict()) for m in self.moves],
        }


@attrs.frozen(kw_only=True)
class LeverSeek(GoalSeekResult[RankAtMost | ScoreAtLeast], Displayable):
    """The least change of one lever that reaches a goal, or the best within the bounds.

    ``value`` reaches the goal when ``feasible``; the value ``precision``
    closer to ``start`` does not (``exact``: the adjacent float does not).
    When not feasible, ``value`` is the bound and the scores are the best
    reachable. ``rank_*`` and ``score_*`` are on the goal's node.
    """

    lever: str
    node: str
    start: float
    value: float
    bounds: tuple[float, float]
    exact: bool
    precision: float
    method: Method
    score_before: float
    score_after: float
    rank_before: int | None
    rank_after: int | None
    scale: float
    evaluations: int

    @property
    def change(self) -> float:
        """``value − start``."""
        return self.value - self.start

    @property
    def moves(self) -> tuple[LeverMove, ...]:
        """The one lever's move."""
        return (LeverMove(lever=self.lever, start=self.start, value=self.value),)

    @property
    def points_change(self) -> float:
        """The entity's score change on the node, in the node's points (DTI: of 1 000)."""
        return (self.score_after - self.score_before) * self.scale

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready: NaN becomes ``None``)."""
        return super().to_dict() | _json_ready(
            {
                "lever": self.lever,
                "node": self.node,
                "start": self.start,
                "value": self.value,
                "change": self.change,
                "bounds": list(self.bounds),
                "exact": self.exact,
                "precision": self.precision,
                "method": self.method,
                "score_before": self.score_before,
                "score_after": self.score_after,
                "points_change": self.points_change,
                "rank_before": self.rank_before,
                "rank_after": self.rank_after,
                "evaluations": self.evaluations,
            }
        )

    def __repr__(self) -> str:
        verdict = "already" if self.already else ("reached" if self.feasible else "not reachable")
        return (
            f"<LeverSeek {self.entity!r} {self.lever!r} for {self.goal.describe()}: "
            f"{verdict}, "
            f"{self.start:.6g} -> {self.value:.6g}, rank {self.rank_before} -> {self.rank_after}>"
        )


def _affine_guess(
    goal: RankAtMost | ScoreAtLeast,
    i: int,
    p: float,
    q: float,
    sp: FloatArray,
    sq: FloatArray,
    precision: int | None = None,
) -> float | None:
    """Where the goal is reached on ``(p, q]`` if every score were affine there.

    With a ``precision``, a rank is reached on rounding up to a rival's
    published score: from half a unit of its last decimal below it.
    """
    if q <= p or math.isnan(sp[i]):
        # Without a score at p the entity's score is not one affine piece on (p, q].
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (sq - sp) / (q - p)
    if isinstance(goal, ScoreAtLeast):
        if not slope[i] > 0:
            return None
        return float(p + (goal.score - sp[i]) / slope[i])
    # Scores within the tie tolerance of the rival's already share its rank.
    rival = sp - SCORE_RTOL * float(np.nanmax(np.abs(sp)))
    if precision is not None:
        rival = np.minimum(rival, round_half_up(sp, precision) - 0.5 * 10.0**-precision)
    margin = sp[i] - rival
    gain = slope[i] - slope
    behind = [j for j in range(len(sp)) if j != i and not math.isnan(sp[j]) and margin[j] < 0]
    need = len(behind) - (goal.k - 1)
    if need <= 0:
        return p
    crossings = sorted(
        p - margin[j] / gain[j] for j in behind if gain[j] > 0 and math.isfinite(gain[j])
    )
    if len(crossings) < need:
        return None
    return float(crossings[need - 1])


def _boundary(
    reached: Any, lo: float, hi: float, guess: float | None, tolerance: float
) -> tuple[float, float, int, bool]:
    """The smallest ``u`` in ``(lo, hi]`` that reaches: ``(value, below, ulps apart, guessed)``.

    ``reached(lo)`` is False and ``reached(hi)`` True on entry. A good
    ``guess`` is confirmed in a few evaluations by galloping out from it
    1, 2, 4, … ulps; what is left is bisected until the two ends are adjacent
    floats when a guess was given (the response is affine, so the boundary is
    sharp: an index's published precision only moves it), else until the
    bracket is at most ``tolerance`` wide.
    """

    def apart() -> int:
        return _ordered(hi) - _ordered(lo)

    guessed = False
    if guess is not None and math.isfinite(guess):
        if lo < guess < hi:
            if reached(guess):
                hi = guess
            else:
                lo = guess
        downward = guess >= hi
        step = 1
        for _ in range(16):
            if apart() <= 1:
                guessed = True
                break
            if downward:
                probe = _unordered(max(_ordered(hi) - step, _ordered(lo) + 1))
                if not reached(probe):
                    lo = probe
                    guessed = True
                    break
                hi = probe
            else:
                probe = _unordered(min(_ordered(lo) + step, _ordered(hi) - 1))
                if reached(probe):
                    hi = probe
                    guessed = True
                    break
                lo = probe
            step *= 2
    # Bisection: down to adjacent floats in the affine case, else to the tolerance.
    sharp = guess is not None
    while apart() > 1 and (sharp or hi - lo > tolerance):
        mid = lo + (hi - lo) / 2
        if guessed or not lo < mid < hi:
            mid = _unordered((_ordered(lo) + _ordered(hi)) // 2)
        if reached(mid):
            hi = mid
        else:
            lo = mid
    return hi, lo, apart(), guessed


def goal_seek(
    index: Index,
    data: IndexData,
    *,
    entity: str,
    lever: str,
    goal: RankAtMost | ScoreAtLeast,
    bounds: tuple[float, float] = (0.0, 1.0),
    tolerance: float = 1e-9,
) -> LeverSeek:
    """The least change of ``lever`` (a component of ``entity``) that reaches ``goal``.

    Args:
        index: the index.
        data: its data; not changed.
        entity: whose value moves.
        lever: the component that moves (a data column read by the index).
        goal: :class:`RankAtMost` or :class:`ScoreAtLeast`.
        bounds: the values the lever may take (0–1 for DTI values); the
            current value must lie within them.
        tolerance: the widest bracket bisection may stop at (the affine case
            is always solved to the adjacent float).

    Returns:
        A :class:`LeverSeek`; ``feasible=False`` with the best result
        at the bound when the goal cannot be reached within the bounds.

    Raises:
        ScenarioError: an unknown entity, lever or node, a lever the index
            does not read, a missing or out-of-bounds current value, or a
            lever whose leaves disagree on direction.
    """
    if not isinstance(goal, RankAtMost | ScoreAtLeast):
        raise InvalidValueError("goal", goal, "RankAtMost or ScoreAtLeast")
    low, high = to_bounds("bounds", bounds)
    _TOLERANCE.check("tolerance", tolerance)
    probe, node_id, leaves, linear = _setup(index, data, entity, lever, goal.node)
    i, j = probe.entity, probe.column
    start = float(data.values[i, j])
    if math.isnan(start):
        raise ScenarioError(
            f"{entity!r} has no value of {lever!r} to change; set one first "
            f"(Scenario.set) and goal-seek from there"
        )
    if not low <= start <= high:
        raise ScenarioError(
            f"the current value of {lever!r} for {entity!r} is {start!r}, outside the "
            f"bounds {bounds}; give bounds that hold it"
        )
    sign = probe.sign
    u0 = sign * start
    u_end = high if sign > 0 else -low
    base = probe.scores(u0)
    reached = _reacher(probe, goal, i)
    node = index.node(node_id)
    scale = node.points if isinstance(node, Aggregate) else 1.0

    def result(u: float, **kw: Any) -> LeverSeek:
        after = probe.scores(u)
        ranks_before = index.rank_scores(base)
        ranks_after = index.rank_scores(after)
        rb, ra = ranks_before[i], ranks_after[i]
        return LeverSeek(
            entity=entity,
            lever=lever,
            goal=goal,
            node=node_id,
            start=start,
            value=sign * u + 0.0,
            bounds=(low, high),
            score_before=float(base[i]),
            score_after=float(after[i]),
            rank_before=None if math.isnan(rb) else int(rb),
            rank_after=None if math.isnan(ra) else int(ra),
            scale=scale,
            evaluations=probe.calls,
            **kw,
        )

    if reached(u0):
        return result(u0, feasible=True, exact=True, precision=0.0, method="none")
    if not reached(u_end):
        return result(u_end, feasible=False, exact=False, precision=math.nan, method="none")
    column = data.values[:, j]
    others = np.delete(column, i)
    points = sorted(
        {sign * x for leaf in leaves for x in _kinks(leaf, others) if u0 < sign * x < u_end}
        | {u_end}
    )
    # Binary search for the first candidate point that reaches the goal.
    first, last = 0, len(points) - 1
    while first < last:
        mid = (first + last) // 2
        if reached(points[mid]):
            last = mid
        else:
            first = mid + 1
    hi = points[first]
    lo = u0 if first == 0 else points[first - 1]
    guess = (
        _affine_guess(goal, i, lo, hi, probe.scores(lo), probe.scores(hi), index.precision)
        if linear
        else None
    )
    value, below, ulps, guessed = _boundary(reached, lo, hi, guess, tolerance)
    return result(
        value,
        feasible=True,
        exact=ulps <= 1,
        precision=value - below,
        method="algebra" if guessed else "bisection",
    )


def _setup(
    index: Index, data: IndexData, entity: str, lever: str, node: str | None
) -> tuple[_Probe, str, list[Leaf], bool]:
    cross_section(data, "goal-seek")
    if entity not in data.entities:
        raise ScenarioError(
            f"unknown entity {entity!r}; known entities: "
            + ", ".join(repr(e) for e in data.entities)
        )
    if lever not in data.components:
        raise ScenarioError(
            f"unknown lever {lever!r}; known components: "
            + ", ".join(repr(c) for c in data.components)
        )
    node_id = index.root if node is None else node
    node_ids = [n.id for n in index.nodes]
    if node_id not in node_ids:
        raise ScenarioError(
            f"unknown node {node_id!r}; known nodes: " + ", ".join(repr(n) for n in node_ids)
        )
    leaves = _lever_leaves(index, lever)
    if not leaves:
        raise ScenarioError(
            f"lever {lever!r} is not read by any leaf of the index; levers: "
            + ", ".join(repr(c) for c in index.components)
        )
    # Each rule says which way its score moves as the raw value rises.
    directions = {leaf.rule.response(leaf.direction) for leaf in leaves}
    if 0 in directions:
        flat = [leaf.id for leaf in leaves if leaf.rule.response(leaf.direction) == 0]
        raise ScenarioError(
            f"lever {lever!r} is read by leaves {flat} whose score is constant or not "
            f"monotone in it; no direction of change is sure to help"
        )
    if len(directions) != 1:
        raise ScenarioError(
            f"lever {lever!r} is read by leaves that respond in opposite directions; "
            f"no direction of change helps everywhere"
        )
    ancestors = _ancestors(index, [leaf.id for leaf in leaves], node_id)
    linear = all(
        isinstance(leaf.rule, _AFFINE_RULES)
        and not (isinstance(leaf.rule, FractionOfMax) and leaf.direction == -1)
        for leaf in leaves
    ) and all(n.aggregator.power == 1 for n in ancestors)
    probe = _Probe(
        index=index,
        data=data,
        entity=data.position(entity),
        column=data.components.index(lever),
        node_column=node_ids.index(node_id),
        sign=float(directions.pop()),
        work=np.array(data.values, dtype=np.float64),
    )
    return probe, node_id, leaves, linear


def _reacher(probe: _Probe, goal: RankAtMost | ScoreAtLeast, i: int) -> Any:
    def reached(u: float) -> bool:
        return goal.reached(probe.scores(u), i, index=probe.index)

    return reached


# --- plan attainment -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IndicatorSeek(GoalSeekResult[AttainmentAtLeast], Displayable):
    """The least change of an indicator's latest observed value that reaches an attainment goal.

    Values are in the indicator's unit. ``value`` reaches the goal when
    ``feasible``; the value ``precision`` closer to ``start`` does not.
    """

    indicator: str
    scope: str | None
    period: int
    start: float
    value: float
    bounds: tuple[float, float]
    exact: bool
    precision: float
    method: Method
    attainment_before: float | None
    attainment_after: float | None
    met_before: bool | None
    met_after: bool | None
    evaluations: int

    @property
    def change(self) -> float:
        """``value − start``."""
        return self.value - self.start

    @property
    def moves(self) -> tuple[LeverMove, ...]:
        """The indicator's move: its latest observed value, from ``start`` to ``value``."""
        return (LeverMove(lever=self.indicator, start=self.start, value=self.value),)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        out = {a.name: getattr(self, a.name) for a in attrs.fields(type(self))}
        out["goal"] = self.goal.describe()
        out["bounds"] = list(self.bounds)
        out["change"] = self.change
        return super().to_dict() | _json_ready(out)


def goal_seek_attainment(
    plan: Plan,
    observations: Observations,
    *,
    lever: str,
    goal: AttainmentAtLeast,
    entity: str | None = None,
    scope: str | None = None,
    bounds: tuple[float, float] | None = None,
    tolerance: float = 1e-9,
    **assess_options: Any,
) -> IndicatorSeek:
    """The least change of indicator ``lever``'s latest value that reaches ``goal``.

    The value moves the way its target asks (up for ``>=``/``>``, down for
    ``<=``/``<`` and ranks). Without ``bounds`` it may go as far as the target
    (one float beyond it for a strict comparator), where the target is met.
    A rank moves in whole places: the answer is the worst whole rank that
    reaches the goal (``precision`` 1: one place worse does not), or with
    ``bounds`` the best whole rank within them when none does.
    Attainment is affine in the value (except ``T/x`` below a target without
    baseline), so a direct estimate is tried first and then confirmed float by
    float; otherwise the bracket is bisected to ``tolerance``.
    ``assess_options`` go to :func:`dxplan.plan.attainment.assess`.

    Raises:
        ScenarioError: an unknown indicator, or no observation to change.
    """
    from dxplan.plan.attainment import assess
    from dxplan.plan.observations import Observations, convert

    if not isinstance(goal, AttainmentAtLeast):
        raise InvalidValueError("goal", goal, "AttainmentAtLeast")
    known = [i.id for i in plan.indicators]
    if lever not in known:
        raise ScenarioError(
            f"unknown indicator {lever!r} of plan {plan.id!r}; known: "
            + ", ".join(repr(k) for k in known)
        )
    indicator = plan.indicator(lever)
    target = indicator.target(scope)
    who = entity or plan.entity or (observations.entities[0] if observations.entities else "")
    latest = observations.latest(who, lever, target.scope)
    if latest is None:
        raise ScenarioError(
            f"no observation of indicator {lever!r} (scope {target.scope!r}) for {who!r} "
            f"to change; known entities: " + ", ".join(repr(e) for e in observations.entities)
        )
    items = list(observations.items)
    at = items.index(latest)
    start = convert(latest.value, latest.unit, indicator.unit)
    sign = 1.0 if target.comparator.higher_is_better else -1.0
    goal_value = convert(target.value, target.unit, indicator.unit)
    if bounds is None:
        end = float(goal_value)
        if target.comparator.is_strict:
            end = math.nextafter(end, sign * math.inf)
        low, high = (start, end) if sign > 0 else (end, start)
        if low > high:
            low, high = high, low
    else:
        low, high = to_bounds("bounds", bounds)
    calls = 0
    reports: dict[float, Any] = {}

    def report(u: float) -> Any:
        nonlocal calls
        if u not in reports:
            calls += 1
            # In the indicator's unit, said so: no bare number to second-guess.
            items[at] = attrs.evolve(latest, value=sign * u + 0.0, unit=indicator.unit)
            reports[u] = assess(
                plan, Observations(items=tuple(items)), entity=who, **assess_options
            )
        return reports[u]

    def attainment(u: float) -> float | None:
        r = report(u)
        if goal.plan:
            return r.attainment  # type: ignore[no-any-return]
        return r.indicator(lever).attainment  # type: ignore[no-any-return]

    def met(u: float) -> bool | None:
        return report(u).indicator(lever).met  # type: ignore[no-any-return]

    def reached(u: float) -> bool:
        a = attainment(u)
        return a is not None and a >= goal.attainment

    u0 = sign * start
    u_end = high if sign > 0 else -low

    def result(u: float, **kw: Any) -> IndicatorSeek:
        return IndicatorSeek(
            entity=who,
            indicator=lever,
            scope=target.scope,
            period=latest.period,
            goal=goal,
            start=start,
            value=sign * u + 0.0,
            bounds=(low, high),
            attainment_before=attainment(u0),
            attainment_after=attainment(u),
            met_before=met(u0),
            met_after=met(u),
            evaluations=calls,
            **kw,
        )

    if reached(u0):
        return result(u0, feasible=True, exact=True, precision=0.0, method="none")
    if indicator.unit.is_rank:
        return _whole_rank(start, low, reached, result)
    if not u0 < u_end or not reached(u_end):
        return result(
            max(u0, u_end),
            feasible=False,
            exact=False,
            precision=math.nan,
            method="none",
        )
    a0, a1 = attainment(u0) or 0.0, attainment(u_end) or 0.0
    guess = u0 + (goal.attainment - a0) * (u_end - u0) / (a1 - a0) if a1 > a0 else None
    value, below, ulps, guessed = _boundary(reached, u0, u_end, guess, tolerance)
    return result(
        value,
        feasible=True,
        exact=ulps <= 1,
        precision=value - below,
        method="algebra" if guessed else "bisection",
    )


def _whole_rank(
    start: float,
    low: float,
    reached: Callable[[float], bool],
    result: Callable[..., IndicatorSeek],
) -> IndicatorSeek:
    """The worst whole rank better than ``start`` and no better than ``low`` that reaches.

    A rank moves in whole places, so the answer is a whole rank: the goal is
    reached there and not one place worse (``precision`` 1). Attainment only
    grows as the rank improves, so the places are searched by halving.
    """
    best, worst = max(1, math.ceil(low)), int(start) - 1
    if worst < best or not reached(-float(best)):
        at = float(min(best, int(start)))
        return result(-at, feasible=False, exact=False, precision=math.nan, method="none")
    # reached(best) holds; find the largest rank in [best, worst] that reaches.
    lo, hi = best, worst
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if reached(-float(mid)):
            lo = mid
        else:
            hi = mid - 1
    return result(-float(lo), feasible=True, exact=True, precision=1.0,
                  method="bisection")  # fmt: skip


# --- several levers -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LeverMoves(GoalSeekResult[RankAtMost | ScoreAtLeast], Displayable):
    """The cheapest found combination of lever moves that reaches a goal.

    ``optimal``: no cheaper combination reaches it (see :func:`goal_seek_levers`).
    ``final`` is the goal-seek of the last lever moved, with its precision.
    """

    moves: tuple[LeverMove, ...]
    optimal: bool
    final: LeverSeek | None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready: NaN becomes ``None``)."""
        final = None if self.final is None else self.final.to_dict()
        return super().to_dict() | {"optimal": self.optimal, "cost": self.cost, "final": final}

    def __repr__(self) -> str:
        verdict = "reached" if self.feasible else "not reachable"
        return (
            f"<LeverMoves {self.entity!r} for {self.goal.describe()}: {verdict}, "
            f"{len(self.moves)} moves, cost {self.cost:.6g}>"
        )


def goal_seek_levers(
    index: Index,
    data: IndexData,
    *,
    entity: str,
    levers: Mapping[str, float],
    goal: RankAtMost | ScoreAtLeast,
    bounds: tuple[float, float] | Mapping[str, tuple[float, float]] = (0.0, 1.0),
    tolerance: float = 1e-9,
) -> LeverMoves:
    """The cheapest combination of moves of several levers of ``entity`` that reaches ``goal``.

    ``levers`` maps each lever (component) to its cost per unit of change.
    Levers are ordered by the gain in the entity's node score per unit of
    cost when moved to their bound, then moved fully one after another until
    one of them, alone, can close the rest; that one is goal-sought exactly.

    Guarantee: when every lever enters the node linearly (absolute rules
    that are affine over the bounds, e.g. identity, under arithmetic means or
    weighted sums), the problem is a fractional knapsack and this order is
    optimal (``optimal=True``): no cheaper combination reaches the goal. Otherwise
    (caps, relative rules, non-linear aggregators) the result is greedy: it
    reaches the goal whenever moving every lever to its bound does, but a
    cheaper combination may exist (``optimal=False``).
    """
    if not levers:
        raise InvalidValueError("levers", levers, "at least one lever with its cost")
    for name, per_unit in levers.items():
        cost_per_unit.check(f"levers[{name!r}]", per_unit)

    def bounds_of(name: str) -> tuple[float, float]:
        if isinstance(bounds, Mapping):
            return bounds.get(name, (0.0, 1.0))
        return bounds

    order: list[tuple[float, str]] = []
    optimal = True
    reached_now = False
    for name in levers:
        probe, _, leaves, linear = _setup(index, data, entity, name, goal.node)
        lo, hi = bounds_of(name)
        start = float(data.values[probe.entity, probe.column])
        if math.isnan(start):
            raise ScenarioError(f"{entity!r} has no value of {name!r} to change")
        end = hi if probe.sign > 0 else lo
        here = probe.scores(probe.sign * start)
        reached_now = goal.reached(here, probe.entity, index=index)
        moved = probe.scores(probe.sign * end)[probe.entity]
        room = abs(end - start)
        gain = (moved - here[probe.entity]) / (room * levers[name]) if room > 0 else 0.0
        affine = all(
            isinstance(leaf.rule, Identity)
            or (isinstance(leaf.rule, Ratio) and not leaf.rule.cap)
            or (isinstance(leaf.rule, Goalposts | DistanceToTarget) and not _capped(leaf, lo, hi))
            for leaf in leaves
        )
        optimal = optimal and linear and affine
        order.append((-gain, name))
    order.sort()
    state = data
    moves: list[LeverMove] = []
    final: LeverSeek | None = None
    feasible = reached_now
    for neg_gain, name in order:
        if feasible or not neg_gain < 0:
            break
        result = goal_seek(
            index,
            state,
            entity=entity,
            lever=name,
            goal=goal,
            bounds=bounds_of(name),
            tolerance=tolerance,
        )
        final = result
        moves.append(
            LeverMove(
                lever=name,
                start=float(data.value(entity, name)),
                value=result.value,
                cost_per_unit=levers[name],
            )
        )
        state = state.with_value(entity, name, result.value)
        feasible = result.feasible
    return LeverMoves(
        entity=entity,
        goal=goal,
        moves=tuple(moves),
        feasible=feasible,
        optimal=optimal,
        final=final,
    )


def _capped(leaf: Leaf, lo: float, hi: float) -> bool:
    """Whether a truncating rule has a kink strictly inside ``(lo, hi)``."""
    rule = leaf.rule
    kinks: list[float] = []
    if isinstance(rule, Goalposts) and rule.truncate:
        kinks = [rule.low, rule.high]
    if isinstance(rule, DistanceToTarget) and rule.cap:
        kinks = [rule.baseline, rule.target]
    return any(lo < k < hi for k in kinks)


# --- sweeps --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False)
class Sweep(Displayable):
    """Every entity's score and rank on a node as one lever of one entity takes each value.

    ``scores[v, e]`` and ``ranks[v, e]`` are for ``values[v]`` and
    ``entities[e]`` (rank NaN: no score).
    """

    entity: str
    lever: str
    node: str
    values: tuple[float, ...]
    entities: tuple[str, ...]
    names: tuple[str, ...]
    scores: FloatArray
    ranks: FloatArray
    scale: float

    def entity_scores(self, entity: str | None = None) -> tuple[float, ...]:
        """One entity's score at each value (the swept entity by default)."""
        e = self.entities.index(entity or self.entity)
        return tuple(float(s) for s in self.scores[:, e])

    def entity_ranks(self, entity: str | None = None) -> tuple[int | None, ...]:
        """One entity's rank at each value (the swept entity by default)."""
        e = self.entities.index(entity or self.entity)
        return tuple(None if math.isnan(r) else int(r) for r in self.ranks[:, e])

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per (value, entity) with score and rank (needs pandas)."""
        pd = import_pandas()
        rows = [
            {
                "value": v,
                "entity": e,
                "score": float(self.scores[k, m]),
                "rank": None if math.isnan(self.ranks[k, m]) else int(self.ranks[k, m]),
            }
            for k, v in enumerate(self.values)
            for m, e in enumerate(self.entities)
        ]
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return (
            f"<Sweep {self.entity!r} {self.lever!r} on {self.node!r}: {len(self.values)} values, "
            f"{len(self.entities)} entities>"
        )


def sweep(
    index: Index,
    data: IndexData,
    *,
    entity: str,
    lever: str,
    values: Iterable[float],
    node: str | None = None,
) -> Sweep:
    """Evaluate ``index`` with ``entity``'s ``lever`` at each of ``values``."""
    probe, node_id, _, _ = _setup(index, data, entity, lever, node)
    grid = tuple(float(v) for v in values)
    if not grid:
        raise InvalidValueError("values", values, "at least one value")
    scores = np.array([probe.scores(probe.sign * v) for v in grid]).reshape(len(grid), -1)
    target = index.node(node_id)
    return Sweep(
        entity=entity,
        lever=lever,
        node=node_id,
        values=grid,
        entities=data.entities,
        names=tuple(data.name(e) for e in data.entities),
        scores=scores,
        ranks=index.rank_scores(scores),
        scale=target.points if isinstance(target, Aggregate) else 1.0,
    )
