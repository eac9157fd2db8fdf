"""Laws of scenarios and goal-seek that hold for every small index and data set (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import Identity, MinMax, Ratio, Rule
from dxplan.whatif.goalseek import RankAtMost, ScoreAtLeast, goal_seek
from dxplan.whatif.scenario import Scenario

COMPONENTS = ("c0", "c1", "c2")
# Values published to four decimals, as the DTI's are.
unit_values = st.integers(min_value=0, max_value=10_000).map(lambda k: k / 10_000)
amounts = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_subnormal=False)
factors = st.floats(min_value=0.1, max_value=10.0, allow_nan=False)
rules: st.SearchStrategy[Rule] = st.sampled_from(
    [Identity(), MinMax(), Ratio(required=0.8, points=1.0)]
)


@st.composite
def indices(draw: st.DrawFn) -> Index:
    """Three leaves under a pillar and a root, with drawn rules and weights."""
    leaves = [Leaf(id=c, rule=draw(rules)) for c in COMPONENTS]
    weights = draw(st.lists(st.integers(1, 5), min_size=2, max_size=2))
    return Index(
        root="I",
        nodes=(
            *leaves,
            Aggregate(id="P", children=("c1", "c2"), weights=weights),
            Aggregate(id="I", children=("c0", "P"), weights=(draw(st.integers(1, 4)), 2)),
        ),
    )


@st.composite
def data_sets(draw: st.DrawFn) -> IndexData:
    """Two to six entities with values in 0–1 for every component."""
    n = draw(st.integers(min_value=2, max_value=6))
    rows = {f"e{i}": {c: draw(unit_values) for c in COMPONENTS} for i in range(n)}
    return IndexData.from_mapping(rows, components=COMPONENTS)


@st.composite
def value_scenarios(draw: st.DrawFn, entities: tuple[str, ...]) -> Scenario:
    """Shift and scale edits of drawn entities (or all) and components (or nodes)."""
    scenario = Scenario("drawn")
    targets = st.sampled_from([*COMPONENTS, "P", "I"])
    who = st.sampled_from([None, *entities])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if draw(st.booleans()):
            scenario = scenario.shift(draw(who), draw(targets), draw(amounts))
        else:
            scenario = scenario.scale(draw(who), draw(targets), draw(factors))
    return scenario


@st.composite
def any_scenarios(draw: st.DrawFn, entities: tuple[str, ...]) -> Scenario:
    """Every kind of index edit, in a drawn order."""
    scenario = draw(value_scenarios(entities))
    who = draw(st.sampled_from(entities))
    scenario = scenario.set(who, draw(st.sampled_from(COMPONENTS)), draw(unit_values))
    scenario = scenario.weight("P", "c1", draw(st.integers(1, 9)))
    if draw(st.booleans()):
        scenario = scenario.add_entity("new", {"c0": draw(unit_values)})
    if len(entities) > 2 and draw(st.booleans()):
        scenario = scenario.remove_entity(who)
    return scenario


@given(data=st.data(), index=indices(), base=data_sets())
def test_apply_never_mutates_inputs(data: st.DataObject, index: Index, base: IndexData) -> None:
    """Applying a scenario leaves its index and data as they were."""
    scenario = data.draw(any_scenarios(base.entities))
    values = base.values.copy()
    nodes = index.nodes
    scenario.apply(index, base)
    assert np.array_equal(base.values, values)
    assert index.nodes == nodes
    assert not base.values.flags.writeable


def _reaches(
    index: Index, base: IndexData, entity: str, lever: str, value: float, goal: RankAtMost
) -> bool:
    result = index.evaluate(base.with_value(entity, lever, value))
    rank = result.rank()[entity]
    return rank is not None and rank <= goal.k


@settings(max_examples=60, deadline=None)
@given(data=st.data(), index=indices(), base=data_sets())
def test_goal_reported_reached_is_reached_and_not_just_below(
    data: st.DataObject, index: Index, base: IndexData
) -> None:
    """A reached goal holds at the value found and fails just below it (the adjacent float
    when exact, the value less the reported precision otherwise)."""
    entity = data.draw(st.sampled_from(base.entities))
    lever = data.draw(st.sampled_from(COMPONENTS))
    goal = RankAtMost(data.draw(st.integers(min_value=1, max_value=len(base.entities))))
    seek = goal_seek(index, base, entity=entity, lever=lever, goal=goal)
    if not seek.feasible:
        assert seek.value == 1.0
        assert not _reaches(index, base, entity, lever, 1.0, goal)
        return
    assert _reaches(index, base, entity, lever, seek.value, goal)
    if seek.already:
        return
    below = math.nextafter(seek.value, -math.inf) if seek.exact else seek.value - seek.precision
    assert below >= seek.start
    assert not _reaches(index, base, entity, lever, below, goal)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), base=data_sets(), target=st.floats(0.05, 0.95))
def test_score_goal_is_exact_for_identity_leaves(
    data: st.DataObject, base: IndexData, target: float
) -> None:
    """With identity leaves and means the score is affine: the boundary is exact to the float."""
    index = Index(
        root="I",
        nodes=(*(Leaf(id=c) for c in COMPONENTS), Aggregate(id="I", children=COMPONENTS)),
    )
    entity = data.draw(st.sampled_from(base.entities))
    lever = data.draw(st.sampled_from(COMPONENTS))
    seek = goal_seek(index, base, entity=entity, lever=lever, goal=ScoreAtLeast(target))
    assume(seek.feasible and not seek.already)
    assert seek.exact
    assert seek.method == "algebra"
    at = index.evaluate(base.with_value(entity, lever, seek.value)).score(entity)
    below = base.with_value(entity, lever, math.nextafter(seek.value, -math.inf))
    assert at >= target > index.evaluate(below).score(entity)
