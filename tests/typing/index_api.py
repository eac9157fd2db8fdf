"""Typed usage of dxplan's index engine, ranking and uncertainty, as a user writes it.

mypy checks this file (``python -m mypy tests/typing``); pytest does not run it.
Lines marked ``type: ignore[...]`` are mistakes mypy must catch: with
``warn_unused_ignores`` on, an ignore that is no longer needed is an error.
"""

from __future__ import annotations

from typing import assert_type

import numpy as np
import numpy.typing as npt

import dxplan
from dxplan import datasets, indices
from dxplan.index.aggregators import GeometricMean, WeightedSum
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Explanation, Index, IndexResult, Leaf
from dxplan.index.ranking import RankChange, rank
from dxplan.index.rules import Goalposts, MinMax, Steps
from dxplan.text import Label
from dxplan.whatif.sensitivity import LeaveOneOut, SobolIndices, WeightInput, leave_one_out, sobol
from dxplan.whatif.uncertainty import DrawSummary, UncertaintyResult


def own_index() -> Index:
    return Index(
        root="I",
        nodes=(
            Leaf(id="meetings", rule=Steps(thresholds=(1, 2, 3, 4), scores=(0.25, 0.5, 0.75, 1))),
            Leaf(id="co2", rule=MinMax(low=0, high=100), direction=-1),
            Leaf(id="speed", rule=Goalposts(low=0, high=100, scale=100)),
            Aggregate(id="P", children=("meetings", "co2"), aggregator=GeometricMean()),
            Aggregate(id="I", children=("P", "speed"), weights=(2, 1), aggregator=WeightedSum()),
        ),
        name="My index",
    )


def labels() -> None:
    index = indices.dti_922()
    assert_type(index.node("ha_tang_so").label, Label | None)
    assert_type(index.title("vi"), str)
    Leaf(id="a", label=Label(vi="Hạ tầng số", en="Digital infrastructure"))
    Leaf(id="a", label="Hạ tầng số")
    Leaf(id="a", label=3)  # type: ignore[arg-type]


def dti() -> None:
    index = indices.dti_922()
    result = index.evaluate(datasets.dti_2022())
    assert_type(result, IndexResult)
    assert_type(result.score("ho-chi-minh"), float)
    assert_type(result.rank(node="DTI", decimals=4), dict[str, int | None])
    assert_type(result.explain("ho-chi-minh"), Explanation)
    assert_type(result.rank_changes(result), tuple[RankChange, ...])
    result.rank(method="olympic")  # type: ignore[arg-type]
    result.score(1)  # type: ignore[arg-type]


def ranks() -> None:
    assert_type(rank({"a": 0.5, "b": 0.7}), dict[str, int | None])
    assert_type(rank(np.zeros((10, 5))), npt.NDArray[np.float64])


def uncertainty() -> None:
    index, data = indices.asem(), datasets.asem()
    result = dxplan.uncertainty(index, data, draws=100, weight_noise=0.25, seed=1)
    assert_type(result, UncertaintyResult)
    assert_type(result.p_rank_at_most("DEU", 1), float)
    assert_type(result.summary("DEU"), DrawSummary[int | None])
    assert_type(leave_one_out(index, data), LeaveOneOut)
    assert_type(sobol(index, data, [WeightInput(node="Index")], samples=10), SobolIndices)
    dxplan.uncertainty(index, data, draws="many")  # type: ignore[arg-type]


def data() -> IndexData:
    return IndexData.from_mapping({"x": {"meetings": 3, "co2": 4.1, "speed": None}})


def tasks() -> None:
    import dxplan as dx
    from dxplan.whatif.tasks import TaskEffects, TaskMoves

    plan = dx.load_plan("hcmc-2024")
    data = datasets.dti_2022()
    effects = dx.task_effects(plan, "dti-922", data, entity="ho-chi-minh")
    assert_type(effects, TaskEffects)
    assert_type(effects.effect("T10").best_rank, int | None)
    found = dx.goal_seek_tasks(plan, "dti-922", data, goal=dx.RankAtMost(1), costs={"T10": 1.0})
    assert_type(found, TaskMoves)
    assert_type(found.outcomes, dict[str, dict[str, float]])
    assert_type(found.p_after, float | None)
    assert_type(dx.Scenario("s").task("T10", reaches=0.6), dx.Scenario)
    dx.goal_seek_tasks(plan, "dti-922", data, goal=1)  # type: ignore[arg-type]
    dx.Drive(index="dti-922", component="ha_tang_so", provenance="why")  # type: ignore[arg-type]
