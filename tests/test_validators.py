"""Tests of dxplan._validators: one number converter, one finite-number check, used everywhere."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from dxplan import _validators as v
from dxplan.errors import DxplanError, IndexDefinitionError, InvalidValueError
from dxplan.index.aggregators import GeneralisedMean
from dxplan.index.rules import MinMax, Steps
from dxplan.plan.attainment import target_attainment
from dxplan.plan.model import Target
from dxplan.plan.observations import Observation
from dxplan.whatif.goalseek import AttainmentAtLeast, ScoreAtLeast
from dxplan.whatif.scenario import (
    ScaleValue,
    SetBaseline,
    SetTarget,
    SetValue,
    SetWeight,
    ShiftValue,
)


class TestToFloat:
    @pytest.mark.parametrize(
        ("given", "expected"),
        [(3, 3.0), (2.5, 2.5), (np.int64(4), 4.0), (np.float32(0.5), 0.5), (-(10**400), -math.inf)],
    )
    def test_numbers_become_floats(self, given: object, expected: float) -> None:
        """Every real number becomes a float; an integer too large for one becomes ±inf."""
        found = v.to_float(given)
        assert isinstance(found, float)
        assert found == expected

    @pytest.mark.parametrize("given", [True, False, "2", "nan", None, [1.0], np.bool_(True)])
    def test_anything_else_is_left_as_it_is(self, given: object) -> None:
        """Text, bools and the rest are left unchanged, for a validator to refuse by name."""
        assert v.to_float(given) is given


class TestIsFiniteNumber:
    @pytest.mark.parametrize("given", [0, -1.5, 10**300, np.float64(2.0)])
    def test_finite(self, given: object) -> None:
        """Real, finite numbers pass."""
        assert v.is_finite_number(given)

    @pytest.mark.parametrize("given", [math.nan, math.inf, 10**400, True, "1", None])
    def test_not_finite(self, given: object) -> None:
        """NaN, infinities, huge integers, bools and text do not."""
        assert not v.is_finite_number(given)


# Every number field that reads a user's number, as a function of that number.
NUMBER_FIELDS: dict[str, Callable[[object], object]] = {
    "GeneralisedMean.p": lambda x: GeneralisedMean(p=x),
    "MinMax.low": lambda x: MinMax(low=x, high=10**6),
    "MinMax.high": lambda x: MinMax(low=-(10**6), high=x),
    "Steps.thresholds": lambda x: Steps(thresholds=(x,), scores=(1.0,)),
    "ScoreAtLeast.score": lambda x: ScoreAtLeast(x),
    "AttainmentAtLeast.attainment": lambda x: AttainmentAtLeast(x),
    "SetValue.value": lambda x: SetValue(entity=None, component="c", value=x),
    "ShiftValue.by": lambda x: ShiftValue(entity=None, component="c", by=x),
    "ScaleValue.factor": lambda x: ScaleValue(entity=None, component="c", factor=x),
    "SetWeight.weight": lambda x: SetWeight(node="n", child="c", weight=x),
    "SetTarget.value": lambda x: SetTarget(indicator="1.1", value=x),
    "SetBaseline.value": lambda x: SetBaseline(indicator="1.1", value=x),
    "Observation.value": lambda x: Observation(
        entity="e",
        indicator="1.1",
        period=2024,
        value=x,
    ),
    "target_attainment(observed)": lambda x: target_attainment(
        Target(comparator=">=", value=1),
        x,  # type: ignore[arg-type]
    ),
}


@pytest.mark.parametrize("field", sorted(NUMBER_FIELDS))
@pytest.mark.parametrize("given", ["2", True, False])
def test_text_and_bools_are_refused_everywhere(field: str, given: object) -> None:
    """No number field reads "2" as 2.0 or True as 1.0; each refuses it naming the field."""
    with pytest.raises((InvalidValueError, IndexDefinitionError), match=repr(given)):
        NUMBER_FIELDS[field](given)


@pytest.mark.parametrize("field", sorted(set(NUMBER_FIELDS) - {"SetValue.value"}))
@pytest.mark.parametrize("sign", [1, -1])
def test_huge_integers_are_refused_not_overflow(field: str, sign: int) -> None:
    """An integer too large for a float is refused as not finite, never an OverflowError."""
    with pytest.raises(DxplanError, match="finite"):
        NUMBER_FIELDS[field](sign * 10**400)


def test_whole_numbers_are_read_as_floats() -> None:
    """An int is a number everywhere, kept as a float."""
    assert GeneralisedMean(p=2).p == 2.0
    assert MinMax(low=3, high=5).low == 3.0
    assert ScoreAtLeast(1).score == 1.0
    assert SetBaseline(indicator="1.1", value=2).value == 2.0
    assert SetBaseline(indicator="1.1", value=None).value is None


def test_score_at_least_a_huge_integer() -> None:
    """ScoreAtLeast(10**400) is an InvalidValueError naming 'score', not an OverflowError."""
    with pytest.raises(InvalidValueError, match=r"^'score' must be a finite number \(got inf\)$"):
        ScoreAtLeast(10**400)
