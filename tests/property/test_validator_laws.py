"""Property tests of the validator vocabulary: what each check accepts; bools never pass."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan import _validators as v
from dxplan.errors import InvalidValueError

bounds = st.integers(-1000, 1000)
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)


@given(low=bounds, high=bounds, value=st.integers(-(10**6), 10**6))
def test_whole_accepts_exactly_the_integers_within(low: int, high: int, value: int) -> None:
    """whole(at_least=a, at_most=b) accepts n exactly when a <= n <= b."""
    assert v.whole(at_least=low, at_most=high).accepts(value) == (low <= value <= high)


@given(low=st.floats(-1e6, 1e6), high=st.floats(-1e6, 1e6), value=st.floats())
def test_number_accepts_exactly_the_finite_floats_within(
    low: float, high: float, value: float
) -> None:
    """number(at_least=a, at_most=b) accepts x exactly when x is finite and a <= x <= b."""
    accepted = v.number(at_least=low, at_most=high).accepts(value)
    assert accepted == (math.isfinite(value) and low <= value <= high)


@given(above=st.floats(-1e6, 1e6), value=st.floats(allow_nan=False))
def test_above_is_strict(above: float, value: float) -> None:
    """number(above=a) accepts x exactly when x is finite and x > a."""
    assert v.number(above=above).accepts(value) == (math.isfinite(value) and value > above)


@given(value=st.booleans())
def test_a_bool_is_never_a_number(value: bool) -> None:
    """No number or whole-number check of the vocabulary takes True or False."""
    for check in (
        v.finite_number,
        v.number(finite=False),
        v.fraction,
        v.weight,
        v.cost_per_unit,
        v.positive_int,
        v.non_negative_int,
        v.rank,
        v.year,
        v.decimals,
        v.one_of((1, -1)),
        v.one_of((0, 1)),
    ):
        assert not check.accepts(value), check.expected


@given(value=st.text(max_size=8))
def test_text_is_never_a_number(value: str) -> None:
    """Text that looks like a number ("2") is not one to any check."""
    assert not v.finite_number.accepts(value)
    assert not v.positive_int.accepts(value)
    assert not v.fraction.accepts(value)


@given(value=anything)
def test_check_and_accepts_agree(value: object) -> None:
    """check() raises exactly when accepts() is false, and the error keeps field and value."""
    for check in (v.fraction, v.positive_int, v.one_of(("mean", "min"))):
        if check.accepts(value):
            check.check("field", value)  # no error
            continue
        with pytest.raises(InvalidValueError) as info:
            check.check("field", value)
        assert (info.value.field, info.value.expected) == ("field", check.expected)
        assert info.value.value is value
