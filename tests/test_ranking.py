"""Tests for dxplan.index.ranking: tie rules, rounding, NaN, and the vectorised form."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan.errors import InvalidValueError
from dxplan.index.ranking import (
    RankChange,
    RankMethod,
    rank,
    rank_array,
    rank_changes,
    round_half_up,
)

values_lists = st.lists(
    st.one_of(st.sampled_from([0.0, 0.5, 1.0, 0.25]), st.floats(-5, 5), st.just(math.nan)),
    min_size=1,
    max_size=12,
)


class TestRank:
    def test_competition_is_the_default(self) -> None:
        """Ties share the lowest rank and the next rank is skipped (1, 2, 2, 4)."""
        assert rank({"a": 0.9, "b": 0.7, "c": 0.7, "d": 0.1}) == {"a": 1, "b": 2, "c": 2, "d": 4}

    def test_dense(self) -> None:
        """Dense ranks do not skip after a tie (1, 2, 2, 3)."""
        got = rank({"a": 0.9, "b": 0.7, "c": 0.7, "d": 0.1}, method="dense")
        assert got == {"a": 1, "b": 2, "c": 2, "d": 3}

    def test_ordinal_breaks_ties_by_entity_id(self) -> None:
        """Ordinal ranks break a tie by entity id, whatever the input order."""
        got = rank({"z": 0.7, "b": 0.7, "a": 0.9, "m": 0.7}, method="ordinal")
        assert got == {"a": 1, "b": 2, "m": 3, "z": 4}

    def test_nan_gets_no_rank_and_does_not_count(self) -> None:
        """A missing value gets None and the others rank as if it were absent."""
        assert rank({"a": math.nan, "b": 1.0, "c": 2.0}) == {"a": None, "b": 2, "c": 1}

    def test_none_is_missing(self) -> None:
        """None in a mapping counts as a missing value."""
        assert rank({"a": None, "b": 1.0}) == {"a": None, "b": 1}  # type: ignore[dict-item]

    def test_decimals_judge_ties_after_rounding(self) -> None:
        """Values equal at the published precision tie; unrounded they do not."""
        values = {"thanh-hoa": 0.51234, "yen-bai": 0.51226, "hau-giang": 0.5101}
        assert rank(values) == {"thanh-hoa": 1, "yen-bai": 2, "hau-giang": 3}
        assert rank(values, decimals=4) == {"thanh-hoa": 1, "yen-bai": 1, "hau-giang": 3}

    def test_published_dti_2022_tie(self) -> None:
        """Values that tie at four decimals rank 15th together and the next is 17th."""
        values = {f"p{i:02d}": 0.8 - i * 0.01 for i in range(1, 15)}
        values |= {"thanh-hoa": 0.60004, "yen-bai": 0.59996, "hau-giang": 0.59}
        got = rank(values, decimals=4)
        assert (got["thanh-hoa"], got["yen-bai"], got["hau-giang"]) == (15, 15, 17)

    def test_array_ranks_along_last_axis(self) -> None:
        """A draws × entities array is ranked row by row."""
        got = rank(np.array([[1.0, 3.0, 2.0], [5.0, 5.0, np.nan]]))
        np.testing.assert_array_equal(got, [[3.0, 1.0, 2.0], [1.0, 1.0, np.nan]])

    def test_unknown_method_is_refused(self) -> None:
        """An unknown tie rule is an InvalidValueError naming the choices."""
        with pytest.raises(InvalidValueError, match="'method' must be one of competition"):
            rank({"a": 1.0}, method="olympic")  # type: ignore[call-overload]

    def test_scalar_is_refused(self) -> None:
        """A single number has no entity axis to rank along."""
        with pytest.raises(InvalidValueError, match="entity axis"):
            rank_array(1.0)

    @given(values_lists, st.randoms())
    def test_permutation_invariance(self, values: list[float], random: object) -> None:
        """Shuffling the entities does not change anyone's rank."""
        ids = [f"e{i}" for i in range(len(values))]
        mapping = dict(zip(ids, values, strict=True))
        shuffled = ids[:]
        random.shuffle(shuffled)  # type: ignore[attr-defined]
        methods: tuple[RankMethod, ...] = ("competition", "dense", "ordinal")
        for method in methods:
            assert rank(mapping, method=method) == rank(
                {i: mapping[i] for i in shuffled}, method=method
            )

    @given(values_lists)
    def test_competition_is_at_least_dense(self, values: list[float]) -> None:
        """Competition ranks are never better than dense ones, nor ordinal than competition."""
        a = np.array(values)
        comp, dense, ordinal = (
            rank_array(a, method=m) for m in ("competition", "dense", "ordinal")
        )
        present = ~np.isnan(a)
        assert np.all(comp[present] >= dense[present])
        assert np.all(ordinal[present] >= comp[present])

    @given(values_lists)
    def test_competition_counts_strictly_better(self, values: list[float]) -> None:
        """A competition rank is one plus the number of strictly higher values."""
        a = np.array(values)
        ranks = rank_array(a)
        for i, v in enumerate(values):
            if math.isnan(v):
                assert math.isnan(ranks[i])
            else:
                assert ranks[i] == 1 + sum(1 for w in values if not math.isnan(w) and w > v)

    @given(values_lists)
    def test_ordinal_is_a_permutation(self, values: list[float]) -> None:
        """Ordinal ranks of the present values are exactly 1..n."""
        ranks = rank_array(np.array(values), method="ordinal")
        present = sorted(int(r) for r in ranks if not math.isnan(r))
        assert present == list(range(1, len(present) + 1))

    @given(values_lists)
    def test_dense_ranks_count_distinct_higher(self, values: list[float]) -> None:
        """A dense rank is one plus the number of distinct higher values."""
        a = np.array(values)
        ranks = rank_array(a, method="dense")
        for i, v in enumerate(values):
            if not math.isnan(v):
                higher = {w for w in values if not math.isnan(w) and w > v}
                assert ranks[i] == 1 + len(higher)

    @given(st.lists(values_lists.filter(lambda v: len(v) == 4), min_size=1, max_size=5))
    def test_rows_rank_independently(self, rows: list[list[float]]) -> None:
        """Ranking a 2-D array equals ranking each row alone."""
        matrix = np.array(rows)
        together = rank_array(matrix)
        for row, ranks in zip(matrix, together, strict=True):
            np.testing.assert_array_equal(ranks, rank_array(row))


class TestRoundHalfUp:
    def test_half_rounds_up_on_the_value_as_written(self) -> None:
        """0.12345 rounds to 0.1235 as written, where binary rounding (np.round) gives 0.1234."""
        assert np.round(0.12345, 4) == 0.1234  # 0.12345 × 10⁴ is 1234.4999… in floats
        assert round_half_up([0.12345, 0.1235], 4).tolist() == [0.1235, 0.1235]

    def test_rank_ties_values_equal_after_half_up_rounding(self) -> None:
        """rank([0.12345, 0.1235], decimals=4) is a tie: both are 0.1235 as published."""
        np.testing.assert_array_equal(rank([0.12345, 0.1235], decimals=4), [1.0, 1.0])
        assert rank({"a": 0.12345, "b": 0.1235}, decimals=4) == {"a": 1, "b": 1}

    def test_negative_half_rounds_away_from_zero(self) -> None:
        """-0.00005 at four decimals is -0.0001 (half away from zero, like ROUND_HALF_UP)."""
        assert round_half_up([-0.00005, 2.5, 0.5], 0 + 4).tolist() == [-0.0001, 2.5, 0.5]
        assert round_half_up([2.5, -2.5, 0.5], 0).tolist() == [3.0, -3.0, 1.0]

    def test_nan_and_infinity_pass_through(self) -> None:
        """Missing and infinite values are not rounded into numbers."""
        got = round_half_up([math.nan, math.inf, -math.inf], 2)
        assert math.isnan(got[0])
        assert got[1] == math.inf
        assert got[2] == -math.inf

    def test_bad_decimals_are_refused(self) -> None:
        """Decimals must be a whole number the rounding can honour."""
        with pytest.raises(InvalidValueError, match="'decimals' must be a whole number"):
            round_half_up([1.0], 1.5)  # type: ignore[arg-type]

    @given(
        st.lists(
            st.one_of(
                st.floats(-1e6, 1e6, allow_nan=False),
                st.integers(-(10**7), 10**7).map(lambda k: k / 10**5),
                st.integers(-(10**6), 10**6).map(lambda k: (2 * k + 1) / 2 / 10**4),
            ),
            min_size=1,
            max_size=20,
        ),
        st.integers(0, 6),
    )
    def test_equals_decimal_half_up_of_the_repr(self, values: list[float], decimals: int) -> None:
        """Every value rounds as Decimal(repr(x)).quantize(10**-d, ROUND_HALF_UP) does."""
        quantum = Decimal(1).scaleb(-decimals)
        want = [float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP)) for x in values]
        assert round_half_up(values, decimals).tolist() == want

    @given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=20))
    def test_rounding_never_reverses_an_order(self, values: list[float]) -> None:
        """Rounding is monotone, so it can merge ranks but never swap two entities."""
        before, after = rank_array(values), rank_array(values, decimals=3)
        assert np.all(after <= before)


class TestTolerance:
    def test_one_ulp_apart_tie_within_rtol(self) -> None:
        """Two sums of the same terms, one ulp apart, share a rank under a tolerance."""
        a, b = 0.716355, 0.7163549999999999
        assert a != b
        assert math.nextafter(a, 0) == b
        np.testing.assert_array_equal(rank_array([a, b, 0.5]), [1.0, 2.0, 3.0])
        np.testing.assert_array_equal(rank_array([a, b, 0.5], rtol=1e-9), [1.0, 1.0, 3.0])

    def test_gap_is_relative_to_the_largest_magnitude(self) -> None:
        """With rtol 0.01 and a largest value of 100, values 1 apart tie and 2 apart do not."""
        np.testing.assert_array_equal(rank_array([100.0, 99.0, 97.0], rtol=0.01), [1.0, 1.0, 3.0])

    def test_ordinal_within_tolerance_breaks_by_key(self) -> None:
        """Ordinal ranks treat values within the tolerance as equal and break by the key."""
        got = rank_array([0.5, 0.5 + 1e-15, 0.9], method="ordinal", tiebreak=[0, 1, 2], rtol=1e-9)
        np.testing.assert_array_equal(got, [2.0, 3.0, 1.0])

    def test_negative_tolerance_is_refused(self) -> None:
        """A tolerance must be a finite number >= 0."""
        with pytest.raises(InvalidValueError, match="'rtol'"):
            rank_array([1.0], rtol=-1.0)


class TestRankChange:
    def test_change_is_places_gained(self) -> None:
        """Going from 5th to 2nd is a change of +3."""
        assert RankChange(entity="a", before=5, after=2).change == 3

    def test_missing_rank_has_no_change(self) -> None:
        """A rank missing on either side gives no change."""
        assert RankChange(entity="a", before=None, after=2).change is None

    def test_rank_changes_orders_biggest_climb_first(self) -> None:
        """rank_changes lists every entity, biggest climb first, missing last."""
        got = rank_changes({"a": 1, "b": 2, "c": 3}, {"a": 2, "b": 3, "c": 1, "d": 4})
        assert [(c.entity, c.change) for c in got] == [
            ("c", 2),
            ("a", -1),
            ("b", -1),
            ("d", None),
        ]
