"""Laws of target attainment that hold for every target and value (hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan.plan.attainment import assess, target_attainment
from dxplan.plan.model import Indicator, IndicatorGroup, Plan, Target
from dxplan.plan.observations import Observation, Observations, convert
from dxplan.text import Label
from dxplan.units import Unit

# Random bare values of % indicators include fractions that look like 0.72 for 72 %: the
# warning for them is tested in test_validation; here only the laws are.
pytestmark = pytest.mark.filterwarnings("ignore::dxplan.errors.UnitWarning")

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def value_targets(draw: st.DrawFn) -> Target:
    """A ``>=``, ``>``, ``<=`` or ``<`` target, with or without a baseline."""
    comparator = draw(st.sampled_from([">=", ">", "<=", "<"]))
    value = draw(st.one_of(positive, values))
    baseline = draw(st.one_of(st.none(), values.filter(lambda b: b != value)))
    return Target(comparator=comparator, value=value, baseline=baseline)


@st.composite
def rank_targets(draw: st.DrawFn) -> Target:
    """A ``rank<=`` N target among M entities (M sometimes unknown)."""
    out_of = draw(st.integers(min_value=1, max_value=200))
    value = draw(st.integers(min_value=1, max_value=out_of))
    return Target(
        comparator="rank<=", value=value, out_of=draw(st.one_of(st.none(), st.just(out_of)))
    )


targets = st.one_of(value_targets(), rank_targets())
ranks = st.integers(min_value=1, max_value=250).map(float)


def observed_for(target: Target) -> st.SearchStrategy[float]:
    """Values for ``target``, often on or right next to its boundary."""
    if target.comparator.is_rank:
        return ranks
    edges = [target.value, math.nextafter(target.value, math.inf)]
    edges.append(math.nextafter(target.value, -math.inf))
    if target.baseline is not None:
        edges.append(target.baseline)
    return st.one_of(values, st.sampled_from(edges))


class TestTargetAttainmentLaws:
    @given(st.data())
    def test_bounded(self, data: st.DataObject) -> None:
        """Attainment is always within [0, 1]."""
        target = data.draw(targets)
        observed = data.draw(observed_for(target))
        assert 0.0 <= target_attainment(target, observed) <= 1.0

    @given(st.data())
    def test_one_exactly_when_met(self, data: st.DataObject) -> None:
        """Attainment is 1 exactly when the target is met."""
        target = data.draw(targets)
        observed = data.draw(observed_for(target))
        assert (target_attainment(target, observed) == 1.0) == target.is_met(observed)

    @given(st.data())
    def test_monotone_in_the_good_direction(self, data: st.DataObject) -> None:
        """A better value never scores lower."""
        target = data.draw(targets)
        a, b = sorted(data.draw(st.lists(observed_for(target), min_size=2, max_size=2)))
        worse, better = (a, b) if target.comparator.higher_is_better else (b, a)
        assert target_attainment(target, worse) <= target_attainment(target, better)

    @given(
        st.decimals(min_value=0, max_value=100, places=3),
        st.decimals(min_value=Decimal("0.001"), max_value=100, places=2),
        st.sampled_from([">=", ">"]),
    )
    def test_unit_invariance(self, percent: Decimal, goal: Decimal, comparator: str) -> None:
        """22 % and 0.22 score the same, on a boundary too."""
        target = Target(comparator=comparator, value=float(goal))
        fraction = float(percent / 100)
        converted = convert(fraction, Unit(symbol="1"), Unit(symbol="%"))
        assert converted == float(percent)
        assert target_attainment(target, converted) == target_attainment(target, float(percent))


def plan_of(indicators: list[Indicator]) -> Plan:
    half = len(indicators) // 2
    return Plan(
        id="p",
        label=Label(vi="p"),
        entity="e",
        groups=(
            IndicatorGroup(
                id="G1", label=Label(vi="1"), declared_count=half, indicators=indicators[:half]
            ),
            IndicatorGroup(
                id="G2",
                label=Label(vi="2"),
                declared_count=len(indicators) - half + 1,
                indicators=indicators[half:],
            ),
        ),
    )


@st.composite
def plans_with_observations(draw: st.DrawFn) -> tuple[list[Indicator], list[Observation]]:
    """Share indicators with random targets, and random observations of some of them."""
    count = draw(st.integers(min_value=2, max_value=8))
    indicators = [
        Indicator(
            id=f"{i}",
            label=Label(vi=f"chỉ tiêu {i}"),
            unit=Unit(symbol="%"),
            targets=(
                Target(
                    comparator=draw(st.sampled_from([">=", ">"])),
                    value=draw(st.integers(min_value=1, max_value=100)),
                    deadline=2024,
                ),
            ),
        )
        for i in range(count)
    ]
    observed = []
    for indicator in indicators:
        for period in draw(st.sets(st.integers(min_value=2020, max_value=2024), max_size=3)):
            percent = draw(st.decimals(min_value=0, max_value=100, places=2))
            as_fraction = draw(st.booleans())
            observed.append(
                Observation(
                    entity="e",
                    indicator=indicator.id,
                    period=period,
                    value=float(percent / 100) if as_fraction else float(percent),
                    unit=Unit(symbol="1") if as_fraction else None,
                )
            )
    return indicators, observed


class TestRollUpLaws:
    @given(plans_with_observations(), st.randoms(use_true_random=False))
    def test_invariant_to_input_order(
        self, drawn: tuple[list[Indicator], list[Observation]], rng: Random
    ) -> None:
        """Shuffling observations, or indicators within their groups, changes no attainment."""
        indicators, observed = drawn
        base = assess(plan_of(indicators), Observations(items=tuple(observed)))
        shuffled_obs = list(observed)
        rng.shuffle(shuffled_obs)
        half = len(indicators) // 2
        first, second = indicators[:half], indicators[half:]
        rng.shuffle(first)
        rng.shuffle(second)
        other = assess(plan_of(first + second), Observations(items=tuple(shuffled_obs)))
        assert other.attainment == base.attainment
        assert [g.attainment for g in other.groups] == [g.attainment for g in base.groups]
        assert {i.id: i for i in other.indicators} == {i.id: i for i in base.indicators}

    @given(plans_with_observations())
    def test_plan_at_one_only_when_all_observed_met(
        self, drawn: tuple[list[Indicator], list[Observation]]
    ) -> None:
        """The plan scores 1 exactly when every indicator with data is met."""
        indicators, observed = drawn
        report = assess(plan_of(indicators), Observations(items=tuple(observed)))
        scored = [i for i in report.indicators if i.attainment is not None]
        if report.attainment is not None:
            assert (report.attainment == 1.0) == all(i.met for i in scored)
            assert 0.0 <= report.attainment <= 1.0
