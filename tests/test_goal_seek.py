"""Tests of dxplan.whatif.goalseek: goals, one lever, costed levers, plan attainment, sweeps."""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from dxplan.errors import InvalidValueError, ScenarioError
from dxplan.index.data import IndexData
from dxplan.index.datasets import dti_2022
from dxplan.index.indices import dti_922
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import Categories, DistanceToTarget, FractionOfMax, MinMax, Steps
from dxplan.plan.catalogue import load_plan
from dxplan.plan.model import Indicator, IndicatorGroup, Plan, Target
from dxplan.plan.observations import Observation, Observations, bundled_observations
from dxplan.text import Label
from dxplan.units import Unit
from dxplan.whatif.goalseek import (
    AttainmentAtLeast,
    GoalSeekResult,
    IndicatorSeek,
    LeverMove,
    LeverMoves,
    LeverSeek,
    RankAtMost,
    ScoreAtLeast,
    Sweep,
    goal_seek,
    goal_seek_attainment,
    goal_seek_levers,
    sweep,
)
from dxplan.whatif.scenario import compare

HCMC = "ho-chi-minh"
DOC = Path(__file__).resolve().parents[1] / "docs" / "whatif.md"
POINTS = {
    "nhan_thuc_so": 100,
    "the_che_so": 100,
    "ha_tang_so": 100,
    "nhan_luc_so": 100,
    "an_toan_thong_tin_mang": 100,
    "hd_chinh_quyen_so": 200,
    "hd_kinh_te_so": 150,
    "hd_xa_hoi_so": 150,
}


def _rank(index: Index, data: IndexData, entity: str, lever: str, value: float) -> int | None:
    return index.evaluate(data.with_value(entity, lever, value)).rank()[entity]


def _minmax_index() -> Index:
    return Index(
        root="I",
        nodes=(
            Leaf(id="x", rule=MinMax()),
            Leaf(id="y"),
            Aggregate(id="I", children=("x", "y")),
        ),
    )


def _render(renderable: object) -> str:
    console = Console(record=True, width=140)
    console.print(renderable)
    return console.export_text()


class TestRankAtMost:
    """RankAtMost goals."""

    def test_ties_share_the_better_rank(self) -> None:
        """An entity tied with the leader reaches rank 1."""
        import numpy as np

        scores = np.array([0.5, 0.5, 0.2])
        assert RankAtMost(1).reached(scores, 1)
        assert not RankAtMost(2).reached(scores, 2)
        assert RankAtMost(3).reached(scores, 2)

    def test_refuses_rank_zero(self) -> None:
        """A rank must be a whole number ≥ 1."""
        with pytest.raises(InvalidValueError, match="'k' must be a whole rank >= 1"):
            RankAtMost(0)


class TestScoreAtLeast:
    """ScoreAtLeast goals."""

    def test_describe_and_validation(self) -> None:
        """The goal describes itself; a non-number is refused."""
        assert ScoreAtLeast(0.75, node="xa_hoi_so").describe() == "score ≥ 0.75 on xa_hoi_so"
        with pytest.raises(InvalidValueError, match="'score' must be a finite number"):
            ScoreAtLeast(math.nan)


class TestAttainmentAtLeast:
    """AttainmentAtLeast goals."""

    def test_describe(self) -> None:
        """The goal says whether it judges the plan or the indicator."""
        assert AttainmentAtLeast(1).describe() == "attainment ≥ 1"
        assert AttainmentAtLeast(0.9, plan=True).describe() == "attainment of the plan ≥ 0.9"


class TestLeverSeek:
    """goal_seek() on one lever, and its LeverSeek."""

    def test_dti_agrees_with_hand_algebra(self) -> None:
        """HCMC must reach a DTI that rounds to Đà Nẵng's published 0.8002 (800.175 points
        → 0.8002 at four decimals, so from 0.80015 on), over 150 points of society activity."""
        index, data = dti_922(), dti_2022()
        result = index.evaluate(data)
        assert result.score("da-nang") * 1000 == pytest.approx(800.175)
        assert result.score(HCMC) * 1000 == pytest.approx(716.355)
        gap = 800.150 - 716.355  # points to the lowest DTI published as 0.8002
        seek = goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=RankAtMost(1))
        assert isinstance(seek, LeverSeek)
        assert seek.feasible
        assert seek.exact
        assert seek.method == "algebra"
        assert seek.change == pytest.approx(gap / 150, abs=1e-12)
        assert seek.value == pytest.approx(0.3590 + gap / 150, abs=1e-12)
        assert seek.points_change == pytest.approx(gap, abs=1e-9)

    def test_dti_boundary(self) -> None:
        """The value found ranks HCMC first; the float just below it does not."""
        index, data = dti_922(), dti_2022()
        seek = goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=RankAtMost(1))
        assert _rank(index, data, HCMC, "hd_xa_hoi_so", seek.value) == 1
        below = math.nextafter(seek.value, -math.inf)
        assert _rank(index, data, HCMC, "hd_xa_hoi_so", below) == 2
        assert seek.rank_after == 1

    @pytest.mark.parametrize("lever", sorted(set(POINTS) - {"hd_xa_hoi_so"}))
    def test_dti_capped_levers(self, lever: str) -> None:
        """Every other lever alone hits the 1.0 cap first: infeasible, best at the cap."""
        index, data = dti_922(), dti_2022()
        seek = goal_seek(index, data, entity=HCMC, lever=lever, goal=RankAtMost(1))
        assert not seek.feasible
        assert seek.value == 1.0
        assert seek.rank_after == 2
        assert seek.points_change == pytest.approx((1 - seek.start) * POINTS[lever])

    def test_score_goal(self) -> None:
        """A score goal on the DTI needs (s − score) × 1000 / points."""
        index, data = dti_922(), dti_2022()
        seek = goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=ScoreAtLeast(0.75))
        assert seek.value == pytest.approx(0.3590 + (0.75 - 0.716355) * 1000 / 150, abs=1e-12)
        assert seek.score_after >= 0.75
        assert index.evaluate(data.with_value(HCMC, "hd_xa_hoi_so", seek.value)).score(HCMC) >= 0.75
        below = data.with_value(HCMC, "hd_xa_hoi_so", math.nextafter(seek.value, 0))
        assert index.evaluate(below).score(HCMC) < 0.75

    def test_goal_on_a_pillar(self) -> None:
        """A score goal on a pillar node counts that node's scale."""
        index, data = dti_922(), dti_2022()
        goal = ScoreAtLeast(0.8, node="xa_hoi_so")
        seek = goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=goal)
        assert seek.node == "xa_hoi_so"
        assert seek.scale == 650
        assert seek.score_after >= 0.8
        assert seek.exact

    def test_minmax_lever_moving_the_minimum(self) -> None:
        """Hand case: a, the column's minimum, needs x = 7 to tie c for first."""
        data = IndexData.from_mapping(
            {"a": {"x": 0, "y": 0.8}, "b": {"x": 5, "y": 0.5}, "c": {"x": 10, "y": 0.2}}
        )
        index = _minmax_index()
        seek = goal_seek(index, data, entity="a", lever="x", goal=RankAtMost(1), bounds=(0, 20))
        # Below 5, raising a's x raises the minimum: a's min-max score stays 0. From 5 to 10 it
        # is (x − 5)/5, so a = (0.8 + (x − 5)/5)/2 reaches c's (0.2 + 1)/2 = 0.6 at x = 7.
        # Scores within SCORE_RTOL (1e-9) of the largest tie, which moves the boundary by
        # about 1e-9 of the scores' scale: here less than 1e-8 of the lever.
        assert seek.value == pytest.approx(7.0, abs=1e-8)
        assert seek.exact
        assert _rank(index, data, "a", "x", seek.value) == 1
        assert _rank(index, data, "a", "x", math.nextafter(seek.value, 0)) == 2

    def test_minmax_lever_moving_the_maximum(self) -> None:
        """Hand case: b must become the maximum and stretch the range to 50/3."""
        data = IndexData.from_mapping(
            {"a": {"x": 0, "y": 0.8}, "b": {"x": 5, "y": 0.5}, "c": {"x": 10, "y": 0.9}}
        )
        index = _minmax_index()
        tolerance = 1e-9
        seek = goal_seek(
            index,
            data,
            entity="b",
            lever="x",
            goal=RankAtMost(1),
            bounds=(0, 20),
            tolerance=tolerance,
        )
        # Above 10, b scores (0.5 + 1)/2 = 0.75 and c (0.9 + 10/x)/2: equal at x = 50/3.
        assert seek.feasible
        assert seek.method == "bisection"
        # The tie tolerance (1e-9 of the largest score) moves the boundary below 50/3.
        assert 50 / 3 - 1e-7 <= seek.value <= 50 / 3 + tolerance
        assert seek.precision <= tolerance
        assert _rank(index, data, "b", "x", seek.value) == 1
        assert _rank(index, data, "b", "x", seek.value - tolerance) == 2

    def test_lever_starting_where_no_entity_has_a_score(self) -> None:
        """Hypothesis' case: all values 0, so every min-max column has no range and no entity
        a score; any x > 0 gives e0 x's whole range (score 1 against e1's 0) and rank 1."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="c0", rule=MinMax()),
                Leaf(id="c1", rule=MinMax()),
                Leaf(id="c2", rule=MinMax()),
                Aggregate(id="P", children=("c1", "c2")),
                Aggregate(id="I", children=("c0", "P"), weights=(1.0, 2.0)),
            ),
        )
        data = IndexData(
            entities=["e0", "e1"], components=["c0", "c1", "c2"], values=[[0.0] * 3] * 2
        )
        seek = goal_seek(index, data, entity="e0", lever="c0", goal=RankAtMost(1))
        assert seek.feasible
        assert seek.rank_before is None
        assert seek.rank_after == 1
        assert 0 < seek.value <= seek.precision <= 1e-9
        assert _rank(index, data, "e0", "c0", 0.0) is None
        assert _rank(index, data, "e0", "c0", seek.value) == 1

    def test_lower_is_better_lever(self) -> None:
        """A leaf with direction −1 is helped by lowering the lever."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="x", rule=MinMax(), direction=-1),
                Leaf(id="y"),
                Aggregate(id="I", children=("x", "y")),
            ),
        )
        data = IndexData.from_mapping(
            {"a": {"x": 10, "y": 0.8}, "b": {"x": 5, "y": 0.5}, "c": {"x": 0, "y": 0.2}}
        )
        seek = goal_seek(index, data, entity="a", lever="x", goal=RankAtMost(1), bounds=(0, 20))
        # The tie tolerance (1e-9 of the largest score) moves the boundary by under 1e-8.
        assert seek.value == pytest.approx(3.0, abs=1e-8)
        assert seek.change == pytest.approx(-7.0, abs=1e-8)
        assert _rank(index, data, "a", "x", seek.value) == 1
        assert _rank(index, data, "a", "x", math.nextafter(seek.value, 10)) == 2

    def test_fraction_of_max_lower_is_better(self) -> None:
        """Fraction of max with direction −1 scores min/x: a reachable goal is reached by
        lowering the lever. a needs x/… : with y equal, a ranks first once x ≤ 2 (b's x)."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="x", rule=FractionOfMax(), direction=-1),
                Leaf(id="y"),
                Aggregate(id="I", children=("x", "y")),
            ),
        )
        data = IndexData.from_mapping({"a": {"x": 4, "y": 0.5}, "b": {"x": 2, "y": 0.5}})
        seek = goal_seek(index, data, entity="a", lever="x", goal=RankAtMost(1), bounds=(1, 10))
        assert seek.feasible
        # At x = 2 both score (1 + 0.5)/2; the tie tolerance (1e-9) admits a hair above 2.
        assert seek.value == pytest.approx(2.0, abs=1e-8)
        assert _rank(index, data, "a", "x", seek.value) == 1
        assert _rank(index, data, "a", "x", seek.value + 1e-6) == 2

    def test_distance_to_a_lower_target_moves_down(self) -> None:
        """A distance to a target below the baseline is helped by lowering the value."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="x", rule=DistanceToTarget(target=10, baseline=50)),
                Aggregate(id="I", children=("x",)),
            ),
        )
        data = IndexData.from_mapping({"a": {"x": 40}, "b": {"x": 30}})
        seek = goal_seek(index, data, entity="a", lever="x", goal=ScoreAtLeast(0.75),
                         bounds=(0, 100))  # fmt: skip
        # (50 − x)/40 ≥ 0.75 ⇔ x ≤ 20.
        assert seek.feasible
        assert seek.value == 20.0

    def test_non_monotone_rule_is_refused(self) -> None:
        """Category scores that rise then fall promise no direction: goal-seek says so."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="x", rule=Categories(codes=(1, 2, 3), scores=(0.5, 1.0, 0.0))),
                Aggregate(id="I", children=("x",)),
            ),
        )
        data = IndexData.from_mapping({"a": {"x": 1}, "b": {"x": 2}})
        with pytest.raises(ScenarioError, match="not monotone"):
            goal_seek(index, data, entity="a", lever="x", goal=RankAtMost(1), bounds=(1, 3))

    def test_steps_rule(self) -> None:
        """A step rule's threshold is the boundary, found exactly."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="x", rule=Steps(thresholds=(1, 2, 3), scores=(0.3, 0.6, 1.0))),
                Leaf(id="y"),
                Aggregate(id="I", children=("x", "y")),
            ),
        )
        data = IndexData.from_mapping({"a": {"x": 0.5, "y": 0.5}, "b": {"x": 2.5, "y": 0.5}})
        seek = goal_seek(index, data, entity="a", lever="x", goal=RankAtMost(1), bounds=(0, 4))
        assert seek.value == 2.0
        assert seek.exact

    def test_already_reached(self) -> None:
        """A goal already reached needs no change."""
        seek = goal_seek(
            dti_922(), dti_2022(), entity="da-nang", lever="hd_xa_hoi_so", goal=RankAtMost(1)
        )
        assert seek.already
        assert seek.change == 0
        assert seek.method == "none"

    def test_lever_without_weight_is_infeasible(self) -> None:
        """A lever the goal's node does not count can never reach it."""
        data = dti_2022().with_value(HCMC, "do_thi_thong_minh", 0.5)
        seek = goal_seek(
            dti_922(), data, entity=HCMC, lever="do_thi_thong_minh", goal=RankAtMost(1)
        )
        assert not seek.feasible
        assert seek.points_change == 0

    def test_errors(self) -> None:
        """Unknown entity, lever or node, a missing value and bad bounds are named."""
        index, data = dti_922(), dti_2022()
        with pytest.raises(ScenarioError, match=r"unknown entity 'hcm'.*'ho-chi-minh'"):
            goal_seek(index, data, entity="hcm", lever="hd_xa_hoi_so", goal=RankAtMost(1))
        with pytest.raises(ScenarioError, match=r"unknown lever 'xa'.*'hd_xa_hoi_so'"):
            goal_seek(index, data, entity=HCMC, lever="xa", goal=RankAtMost(1))
        with pytest.raises(ScenarioError, match="unknown node 'Q'"):
            goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=RankAtMost(1, node="Q"))
        with pytest.raises(ScenarioError, match="no value of 'do_thi_thong_minh'"):
            goal_seek(index, data, entity=HCMC, lever="do_thi_thong_minh", goal=RankAtMost(1))
        with pytest.raises(ScenarioError, match="outside the bounds"):
            goal_seek(
                index,
                data,
                entity=HCMC,
                lever="hd_xa_hoi_so",
                goal=RankAtMost(1),
                bounds=(0.5, 1.0),
            )
        with pytest.raises(InvalidValueError, match="'bounds'"):
            goal_seek(
                index,
                data,
                entity=HCMC,
                lever="hd_xa_hoi_so",
                goal=RankAtMost(1),
                bounds=(1.0, 0.0),
            )

    def test_scenario_and_views(self) -> None:
        """The result turns into a scenario, plain data and a table."""
        index, data = dti_922(), dti_2022()
        seek = goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=RankAtMost(1))
        assert compare(index, data, seek.scenario).change(HCMC).rank_after == 1
        assert seek.to_dict()["goal"] == "rank ≤ 1"
        assert "reached" in _render(seek)


class TestLeverMoves:
    """goal_seek_levers() and its LeverMoves."""

    def test_single_best_lever(self) -> None:
        """With equal costs the 150-point society lever alone is cheapest of these three."""
        plan = goal_seek_levers(
            dti_922(),
            dti_2022(),
            entity=HCMC,
            goal=RankAtMost(1),
            levers={"hd_xa_hoi_so": 1, "nhan_luc_so": 1, "an_toan_thong_tin_mang": 1},
        )
        assert isinstance(plan, LeverMoves)
        assert [m.lever for m in plan.moves] == ["hd_xa_hoi_so"]
        assert plan.optimal
        # To 800.150 points, the lowest DTI published as Đà Nẵng's 0.8002 (four decimals).
        assert plan.cost == pytest.approx((800.150 - 716.355) / 150, abs=1e-12)

    def test_fractional_knapsack_by_hand(self) -> None:
        """Society at cost 2 goes last: security and workforce to 1.0, then the rest."""
        index, data = dti_922(), dti_2022()
        plan = goal_seek_levers(
            index,
            data,
            entity=HCMC,
            goal=RankAtMost(1),
            levers={"hd_xa_hoi_so": 2, "nhan_luc_so": 1, "an_toan_thong_tin_mang": 1},
        )
        assert [m.lever for m in plan.moves] == [
            "an_toan_thong_tin_mang",
            "nhan_luc_so",
            "hd_xa_hoi_so",
        ]
        # 800.150 points is the lowest DTI published as Đà Nẵng's 0.8002 (four decimals).
        rest = (800.150 - 716.355) - (1 - 0.5580) * 100 - (1 - 0.6267) * 100
        last = plan.moves[-1]
        assert last.change == pytest.approx(rest / 150, abs=1e-12)
        assert plan.cost == pytest.approx(0.4420 + 0.3733 + 2 * rest / 150, abs=1e-12)
        final = data
        for move in plan.moves:
            final = final.with_value(HCMC, move.lever, move.value)
        assert index.evaluate(final).rank()[HCMC] == 1

    def test_infeasible(self) -> None:
        """Levers that cannot close the gap even together report it."""
        plan = goal_seek_levers(
            dti_922(),
            dti_2022(),
            entity=HCMC,
            goal=RankAtMost(1),
            levers={"nhan_thuc_so": 1, "the_che_so": 1},
        )
        assert not plan.feasible
        assert [m.value for m in plan.moves] == [1.0, 1.0]
        assert "not reachable" in _render(plan)

    def test_nonlinear_is_not_claimed_optimal(self) -> None:
        """A relative rule makes the result greedy (``optimal=False``)."""
        data = IndexData.from_mapping(
            {"a": {"x": 0, "y": 0.1}, "b": {"x": 5, "y": 0.5}, "c": {"x": 10, "y": 0.2}}
        )
        plan = goal_seek_levers(
            _minmax_index(),
            data,
            entity="a",
            goal=RankAtMost(1),
            levers={"x": 1, "y": 1},
            bounds={"x": (0, 20), "y": (0, 1)},
        )
        assert plan.feasible
        assert not plan.optimal

    def test_refuses_bad_costs(self) -> None:
        """A non-positive cost is refused."""
        with pytest.raises(InvalidValueError, match="positive cost"):
            goal_seek_levers(
                dti_922(), dti_2022(), entity=HCMC, goal=RankAtMost(1), levers={"hd_xa_hoi_so": 0}
            )


class TestLeverMove:
    """LeverMove."""

    def test_cost(self) -> None:
        """A move costs its absolute change times its unit cost."""
        move = LeverMove(lever="x", start=0.5, value=0.25, cost_per_unit=4)
        assert (move.change, move.cost) == (-0.25, 1.0)


class TestGoalSeekResult:
    """What every goal-seek answers: goal, feasible, already, moves, scenario, plain data."""

    def test_one_lever_is_one_move(self) -> None:
        """goal_seek's answer is one move of its lever, costing its change (no cost given)."""
        gap = 800.150 - 716.355  # points to the lowest DTI published as Đà Nẵng's 0.8002
        seek = goal_seek(
            dti_922(), dti_2022(), entity=HCMC, lever="hd_xa_hoi_so", goal=RankAtMost(1)
        )
        assert isinstance(seek, GoalSeekResult)
        (move,) = seek.moves
        assert (move.lever, move.start, move.cost_per_unit) == ("hd_xa_hoi_so", 0.3590, 1.0)
        assert move.change == pytest.approx(gap / 150, abs=1e-12)
        assert seek.cost == pytest.approx(gap / 150, abs=1e-12)
        assert not seek.already

    def test_already_reached(self) -> None:
        """Đà Nẵng is first already: no lever moves, whichever goal-seek is asked."""
        index, data = dti_922(), dti_2022()
        one = goal_seek(index, data, entity="da-nang", lever="hd_xa_hoi_so", goal=RankAtMost(1))
        several = goal_seek_levers(
            index, data, entity="da-nang", goal=RankAtMost(1), levers={"hd_xa_hoi_so": 1}
        )
        assert one.already
        assert several.already
        assert [m.change for m in one.moves] == [0.0]
        assert several.moves == ()
        assert several.scenario.edits == ()
        assert (one.to_dict()["already"], several.to_dict()["already"]) == (True, True)
        # Nothing moved, so no table under the verdict.
        assert _render(several) == "da-nang: rank ≤ 1 — already reached, cost 0\n"

    def test_not_reached_is_not_already(self) -> None:
        """A goal out of reach is neither reached nor already reached."""
        seek = goal_seek(dti_922(), dti_2022(), entity=HCMC, lever="the_che_so", goal=RankAtMost(1))
        assert (seek.feasible, seek.already) == (False, False)
        assert seek.moves[0].value == 1.0

    def test_one_shape_of_plain_data(self) -> None:
        """Each answer's plain data has the shared keys, and each move the same keys."""
        index, data = dti_922(), dti_2022()
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        answers: list[GoalSeekResult[Any]] = [
            goal_seek(index, data, entity=HCMC, lever="hd_xa_hoi_so", goal=RankAtMost(1)),
            goal_seek_levers(
                index, data, entity=HCMC, goal=RankAtMost(1), levers={"hd_kinh_te_so": 1}
            ),
            goal_seek_attainment(plan, observations, lever="3.1", goal=AttainmentAtLeast(1)),
        ]
        for answer in answers:
            plain = answer.to_dict()
            assert {"entity", "goal", "feasible", "already", "moves"} <= set(plain)
            assert plain["entity"] == HCMC
            assert plain["goal"] == answer.goal.describe()
            for move, shown in zip(answer.moves, plain["moves"], strict=True):
                assert shown == {
                    "lever": move.lever,
                    "start": move.start,
                    "value": move.value,
                    "change": move.change,
                    "cost_per_unit": move.cost_per_unit,
                    "cost": move.cost,
                }

    def test_indicator_moves_its_observed_value(self) -> None:
        """An attainment goal-seek moves the indicator's latest value: 3.1 from 22 % to 25 %."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        seek = goal_seek_attainment(plan, observations, lever="3.1", goal=AttainmentAtLeast(1))
        assert seek.moves == (LeverMove(lever="3.1", start=22.0, value=25.0),)
        assert seek.cost == 3.0


class TestIndicatorSeek:
    """goal_seek_attainment() on plan indicators, and its IndicatorSeek."""

    def test_reaches_the_target(self) -> None:
        """The digital economy share (3.1, target 25 %) needs 25 % for full attainment."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        seek = goal_seek_attainment(plan, observations, lever="3.1", goal=AttainmentAtLeast(1))
        assert isinstance(seek, IndicatorSeek)
        assert (seek.start, seek.value) == (22.0, 25.0)
        assert seek.met_after
        assert not seek.met_before
        assert seek.exact

    def test_partial_attainment(self) -> None:
        """Attainment x/T reaches 0.96 at 24 %."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        seek = goal_seek_attainment(plan, observations, lever="3.1", goal=AttainmentAtLeast(0.96))
        assert seek.value == pytest.approx(24.0, abs=1e-12)
        assert seek.attainment_after is not None
        assert seek.attainment_after >= 0.96

    def test_plan_level_and_errors(self) -> None:
        """The plan's attainment can be the goal; an unknown indicator is named."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        seek = goal_seek_attainment(
            plan, observations, lever="3.1", goal=AttainmentAtLeast(1, plan=True)
        )
        assert seek.attainment_after == 1.0
        assert seek.scenario.edits[0].describe() == "set ho-chi-minh/3.1 = 25"
        with pytest.raises(ScenarioError, match=r"unknown indicator '9\.9'"):
            goal_seek_attainment(plan, observations, lever="9.9", goal=AttainmentAtLeast(1))
        with pytest.raises(ScenarioError, match=r"no observation of indicator '2\.7'"):
            goal_seek_attainment(
                plan, observations, lever="2.7", scope="city", goal=AttainmentAtLeast(1)
            )


class TestSweep:
    """sweep() and its Sweep table."""

    def test_scores_and_ranks(self) -> None:
        """Each lever value gives every entity's score and rank."""
        result = sweep(
            dti_922(), dti_2022(), entity=HCMC, lever="hd_xa_hoi_so", values=[0.3590, 0.9, 1.0]
        )
        assert isinstance(result, Sweep)
        assert result.entity_ranks() == (2, 2, 1)
        assert result.entity_scores()[0] == pytest.approx(0.716355)
        assert result.entity_ranks("da-nang") == (1, 1, 2)
        frame = result.to_frame()
        assert len(frame) == 15
        assert "TP. Hồ Chí Minh" in _render(result)

    def test_needs_values(self) -> None:
        """An empty grid is refused."""
        with pytest.raises(InvalidValueError, match="at least one value"):
            sweep(dti_922(), dti_2022(), entity=HCMC, lever="hd_xa_hoi_so", values=[])


class TestWorkedExample:
    """docs/whatif.md: its numbers are what its code prints."""

    def test_doc_output_matches_running_its_code(self) -> None:
        """Each python block, run in order, prints exactly the text block after it."""
        text = DOC.read_text(encoding="utf-8")
        blocks = re.findall(r"```(python|text)\n(.*?)```", text, flags=re.DOTALL)
        namespace: dict[str, object] = {}
        pending: str | None = None
        checked = 0
        for kind, body in blocks:
            if kind == "python":
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(body, str(DOC), "exec"), namespace)
                pending = out.getvalue()
            else:
                assert pending is not None
                assert pending == body
                pending = None
                checked += 1
        assert checked == 4


def _one_indicator_plan(target: Target, unit: str) -> Plan:
    indicator = Indicator(
        id="1.1",
        label=Label(vi="chỉ tiêu", en="indicator"),
        unit=Unit.parse(unit),
        targets=(target,),
    )
    group = IndicatorGroup(
        id="G1", label=Label(vi="nhóm", en="group"), declared_count=1, indicators=(indicator,)
    )
    return Plan(id="p", label=Label(vi="kế hoạch", en="plan"), entity="hcm", groups=(group,))


def _observed(value: float, unit: str) -> Observations:
    return Observations(
        items=(
            Observation(
                entity="hcm", indicator="1.1", period=2024, value=value, unit=Unit.parse(unit)
            ),
        )
    )


class TestPlanGoalSeekComparators:
    """goal_seek_attainment() for each kind of target, answers derived from the attainment law."""

    @pytest.mark.parametrize(
        ("comparator", "start", "goal", "expected"),
        [
            # x/T ≥ a ⇔ x ≥ a·T: 0.8 × 50 = 40.
            (">=", 30.0, 0.8, 40.0),
            # "above 50": met only past 50, so full attainment is the float after 50.
            (">", 30.0, 1.0, math.nextafter(50.0, math.inf)),
            # T/x ≥ a ⇔ x ≤ T/a: 20 / 0.8 = 25.
            ("<=", 40.0, 0.8, 25.0),
            # "below 20": met only under 20, so full attainment is the float before 20.
            ("<", 40.0, 1.0, math.nextafter(20.0, -math.inf)),
        ],
    )
    def test_value_targets(
        self, comparator: str, start: float, goal: float, expected: float
    ) -> None:
        """The least change reaching the goal, exact to the float."""
        value = 50.0 if comparator in (">=", ">") else 20.0
        plan = _one_indicator_plan(Target(comparator=comparator, value=value), "%")
        seek = goal_seek_attainment(
            plan, _observed(start, "%"), lever="1.1", goal=AttainmentAtLeast(goal)
        )
        assert seek.feasible
        assert seek.exact
        assert seek.value == pytest.approx(expected, rel=1e-15)
        assert seek.attainment_after is not None
        assert seek.attainment_after >= goal

    def test_rank_target_out_of(self) -> None:
        """Rank ≤ 5 of 63 from 12th: (63 − r)/58 ≥ 0.9 ⇔ r ≤ 10.8, so the answer is 10th
        (11th gives 52/58 < 0.9): a whole rank, not 10.8."""
        plan = _one_indicator_plan(Target(comparator="rank<=", value=5, out_of=63), "rank")
        seek = goal_seek_attainment(
            plan, _observed(12, "rank"), lever="1.1", goal=AttainmentAtLeast(0.9)
        )
        assert seek.feasible
        assert seek.exact
        assert (seek.value, seek.precision, seek.change) == (10.0, 1.0, -2.0)
        assert seek.attainment_after == pytest.approx(53 / 58, rel=1e-15)

    def test_rank_target_without_out_of(self) -> None:
        """Rank ≤ 5 with the field unknown scores N/r: 5/r ≥ 0.6 ⇔ r ≤ 8.33, so 8th."""
        plan = _one_indicator_plan(Target(comparator="rank<=", value=5), "rank")
        seek = goal_seek_attainment(
            plan, _observed(12, "rank"), lever="1.1", goal=AttainmentAtLeast(0.6)
        )
        assert seek.feasible
        assert (seek.value, seek.precision) == (8.0, 1.0)
        assert seek.attainment_after == pytest.approx(5 / 8, rel=1e-15)

    def test_rank_target_met(self) -> None:
        """Full attainment needs the target rank itself."""
        plan = _one_indicator_plan(Target(comparator="rank<=", value=5, out_of=63), "rank")
        seek = goal_seek_attainment(
            plan, _observed(12, "rank"), lever="1.1", goal=AttainmentAtLeast(1)
        )
        assert seek.value == 5.0
        assert seek.met_after

    def test_rank_already_reached(self) -> None:
        """A rank already good enough needs no change."""
        plan = _one_indicator_plan(Target(comparator="rank<=", value=5, out_of=63), "rank")
        seek = goal_seek_attainment(
            plan, _observed(3, "rank"), lever="1.1", goal=AttainmentAtLeast(1)
        )
        assert seek.already
        assert seek.value == 3.0

    def test_rank_goal_out_of_bounds_is_infeasible(self) -> None:
        """Bounded to ranks 11 and worse, no whole rank reaches 0.9 (10.8 is needed): the best
        within the bounds, 11th, is reported; from 9th on, 10th is the answer again."""
        plan = _one_indicator_plan(Target(comparator="rank<=", value=5, out_of=63), "rank")
        obs = _observed(12, "rank")
        seek = goal_seek_attainment(
            plan, obs, lever="1.1", goal=AttainmentAtLeast(0.9), bounds=(11, 63)
        )
        assert not seek.feasible
        assert seek.value == 11.0
        seek = goal_seek_attainment(
            plan, obs, lever="1.1", goal=AttainmentAtLeast(0.9), bounds=(9, 63)
        )
        assert seek.feasible
        assert seek.value == 10.0

    def test_hcmc_rank_indicator(self) -> None:
        """HCMC's 1.1 (rank ≤ 5 of 63) seen at 12th answers in whole ranks (was: an error
        about rank 10.8)."""
        plan = load_plan("hcmc-2024")
        obs = Observations(
            items=(
                *(o for o in bundled_observations().items if o.indicator != "1.1"),
                Observation(entity="ho-chi-minh", indicator="1.1", period=2024, value=12,
                            unit=Unit.parse("rank")),
            )
        )  # fmt: skip
        seek = goal_seek_attainment(plan, obs, lever="1.1", goal=AttainmentAtLeast(0.9))
        assert (seek.start, seek.value) == (12.0, 10.0)
