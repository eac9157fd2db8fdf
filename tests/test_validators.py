"""Tests of dxplan._validators: one number converter, one finite-number check, used everywhere."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from dxplan import _validators as v
from dxplan.errors import DxplanError, InvalidValueError
from dxplan.index.aggregators import GeneralisedMean
from dxplan.index.model import Aggregate, Leaf
from dxplan.index.rules import Goalposts, MinMax, Ratio, Steps
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
    "MinMax.low": lambda x: MinMax(low=x, high=10**6),
    "MinMax.high": lambda x: MinMax(low=-(10**6), high=x),
    "Steps.thresholds": lambda x: Steps(thresholds=(x,), scores=(1.0,)),
    "Steps.scores": lambda x: Steps(thresholds=(1.0,), scores=(x,)),
    "Ratio.required": lambda x: Ratio(required=x),
    "Goalposts.high": lambda x: Goalposts(low=-(10**6), high=x),
    "Aggregate.weights": lambda x: Aggregate(id="P", children=("a",), weights=(x,)),
    "Aggregate.points": lambda x: Aggregate(id="P", children=("a",), points=x),  # type: ignore[arg-type]
    "GeneralisedMean.p": lambda x: GeneralisedMean(p=x),
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
    with pytest.raises(InvalidValueError, match=repr(given)) as info:
        NUMBER_FIELDS[field](given)
    assert info.value.value is given


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


class TestCheck:
    def test_as_a_validator_it_names_the_field(self) -> None:
        """On a field, a Check refuses by the field's name, with the value and what it expects."""
        with pytest.raises(InvalidValueError) as info:
            Leaf(id="a", direction=0)
        error = info.value
        assert (error.where, error.field, error.value, error.expected) == (
            "leaf 'a'",
            "direction",
            0,
            "1 or -1",
        )
        assert str(error) == "leaf 'a': 'direction' must be 1 or -1 (got 0)"

    def test_as_an_argument_check_it_names_the_argument(self) -> None:
        """check(name, value) is the same refusal for a function's argument."""
        with pytest.raises(
            InvalidValueError, match=r"^'draws' must be a whole number >= 1 \(got 0\)$"
        ):
            v.positive_int.check("draws", 0)

    def test_saying_rewords_only_the_expectation(self) -> None:
        """saying() keeps what is accepted and changes the words."""
        rank = v.positive_int.saying("a whole rank >= 1")
        assert rank.accepts(3)
        assert not rank.accepts(0)
        with pytest.raises(InvalidValueError, match=r"^'k' must be a whole rank >= 1 \(got 0\)$"):
            rank.check("k", 0)

    def test_optional_adds_none(self) -> None:
        """optional(check) accepts None too, worded as the check (a file has no None to write)."""
        check = v.optional(v.fraction)
        assert check.accepts(None)
        assert check.accepts(0.5)
        assert not check.accepts(2)
        assert check.expected == "a number from 0 to 1"


class TestWording:
    @pytest.mark.parametrize(
        ("check", "expected"),
        [
            (v.number(), "a finite number"),
            (v.number(finite=False), "a number"),
            (v.number(at_least=0), "a finite number >= 0"),
            (v.number(above=0), "a finite number > 0"),
            (v.number(at_most=1.5), "a finite number <= 1.5"),
            (v.number(above=0, at_most=1), "a finite number > 0 and <= 1"),
            (v.number(at_least=0, at_most=1), "a number from 0 to 1"),
            (v.whole(), "a whole number"),
            (v.whole(at_least=0), "a whole number >= 0"),
            (v.whole(at_least=-15, at_most=15), "a whole number from -15 to 15"),
            (v.one_of([2024, 2025]), "2024 or 2025"),
            (v.one_of(["a", "b", "c"]), "one of 'a', 'b', 'c'"),
            (v.one_of(["log_CT", None]), "'log_CT' or None"),
        ],
    )
    def test_expected_is_worded_from_the_bounds(self, check: v.Check, expected: str) -> None:
        """Each check words what it expects from its own bounds."""
        assert check.expected == expected


class TestSchema:
    def test_bounds_become_json_schema(self) -> None:
        """A bounded check carries the JSON Schema keywords that say the same."""
        assert v.schema_of(v.year) == [{"integer": {"minimum": 1900, "maximum": 2200}}]
        assert v.schema_of(v.number(above=0)) == [
            {"number": {"exclusiveMinimum": 0}, "integer": {"exclusiveMinimum": 0}}
        ]
        assert v.schema_of(v.finite_number) == []


class TestOneOf:
    @pytest.mark.parametrize("given", [True, False, 1.5, "1", None, [1], np.array([1, -1])])
    def test_refused(self, given: object) -> None:
        """A bool is not 1, text is not a number, and an array is not one value."""
        assert not v.one_of((1, -1)).accepts(given)

    @pytest.mark.parametrize("given", [1, -1, 1.0, np.int64(-1)])
    def test_accepted(self, given: object) -> None:
        """Any number equal to a choice, numpy's too, is that choice."""
        assert v.one_of((1, -1)).accepts(given)

    def test_bools_when_they_are_the_choices(self) -> None:
        """When the choices are bools, True is one (and 1 is not a bool choice's twin here)."""
        assert v.one_of((True, False)).accepts(True)


class TestToBounds:
    @pytest.mark.parametrize("given", [(1, 0), (0, 0), ("0", 1), (True, 2), (0, math.inf), (0,), 5])
    def test_refused(self, given: object) -> None:
        """Anything but two finite numbers, low < high, is refused by field name."""
        with pytest.raises(
            InvalidValueError, match=r"^'bounds' must be two finite numbers"
        ) as info:
            v.to_bounds("bounds", given)
        assert info.value.value is given

    def test_numbers_become_floats(self) -> None:
        """A list or tuple of two numbers becomes a pair of floats."""
        assert v.to_bounds("bounds", [0, 2]) == (0.0, 2.0)
