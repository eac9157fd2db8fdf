"""Tests for dxplan.ranking: tie rules, rounding, NaN, and the vectorised form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan.errors import InvalidValueError
from dxplan.ranking import RankChange, RankMethod, rank, rank_array, rank_changes

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
