"""Laws of the audit's statistics that hold for any data (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dxplan.index._stats import average_ranks, correlation_matrix, correlation_p_value, nelder_mead
from dxplan.index.audit import correlations, cronbach, pca
from dxplan.index.data import IndexData
from dxplan.whatif._sobol_sequence import SobolSequence

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
whole = st.integers(min_value=-1000, max_value=1000).map(float)


@st.composite
def tables(draw: st.DrawFn, *, gaps: bool = True, integers: bool = False) -> IndexData:
    """Entities × components data with some missing values, every column varying."""
    rows = draw(st.integers(min_value=5, max_value=15))
    cols = draw(st.integers(min_value=2, max_value=5))
    values = draw(arrays(np.float64, (rows, cols), elements=whole if integers else finite))
    values[0], values[1] = 0.0, 1.0  # every column varies on the complete rows
    if gaps:
        holes = draw(arrays(np.bool_, (rows, cols), elements=st.booleans()))
        holes[:3] = False  # the first three rows stay complete
        values = np.where(holes & (np.arange(rows) % 3 == 0)[:, None], np.nan, values)
    return IndexData(
        entities=tuple(f"e{i}" for i in range(rows)),
        components=tuple(f"c{j}" for j in range(cols)),
        values=values,
    )


# No deadline: on a loaded machine one example took up to 0.5 s; the law is tested, not speed.
@settings(deadline=None)
@given(tables(), st.sampled_from(["pearson", "spearman"]))
def test_correlations_are_symmetric_and_bounded(data: IndexData, method: str) -> None:
    """r(a, b) = r(b, a), r(a, a) = 1 where defined, and every r lies in [−1, 1]."""
    table = correlations(data, method=method)  # type: ignore[arg-type]
    r = table.values
    defined = ~np.isnan(r)
    assert np.array_equal(defined, defined.T)
    assert np.allclose(r[defined], r.T[defined], atol=1e-12)
    assert ((r[defined] >= -1) & (r[defined] <= 1)).all()
    p = table.p_values[~np.isnan(table.p_values)]
    assert ((p >= 0) & (p <= 1)).all()


@given(tables(gaps=False, integers=True), st.data())
def test_spearman_ignores_monotone_transforms(data: IndexData, draw: st.DataObject) -> None:
    """Spearman's rho is unchanged by a strictly increasing transform of a column."""
    j = draw.draw(st.integers(min_value=0, max_value=len(data.components) - 1))
    values = np.array(data.values)
    values[:, j] = values[:, j] ** 3 + values[:, j]  # strictly increasing, exact on integers
    moved = IndexData(entities=data.entities, components=data.components, values=values)
    before = correlations(data, method="spearman").values
    after = correlations(moved, method="spearman").values
    assert np.allclose(before, after, atol=1e-9, equal_nan=True)


@given(tables(), st.randoms(use_true_random=False))
def test_alpha_does_not_depend_on_item_order(data: IndexData, random: object) -> None:
    """Cronbach's alpha is the same for any order of the items."""
    items = list(data.components)
    shuffled = items[:]
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = cronbach(data, items), cronbach(data, shuffled)
    assert (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@given(tables(gaps=False))
def test_alpha_of_identical_items_is_one(data: IndexData) -> None:
    """k copies of one item are perfectly consistent: alpha = 1."""
    column = np.array(data.values)[:, :1]
    copies = IndexData(
        entities=data.entities, components=("a", "b", "c"), values=np.repeat(column, 3, axis=1)
    )
    assert math.isclose(cronbach(copies, ["a", "b", "c"]), 1.0, rel_tol=1e-9)


@settings(deadline=None)
@given(tables())
def test_pca_shares_sum_to_one_in_order(data: IndexData) -> None:
    """Variance shares are non-negative, non-increasing and add up to 1."""
    complete = ~np.isnan(np.array(data.values)).any(axis=1)
    assume(complete.sum() >= 3)
    rows = np.array(data.values)[complete]
    assume((rows.std(axis=0, ddof=1) > 1e-6).all())
    found = pca(data, components=data.components)
    shares = np.array(found.explained)
    assert math.isclose(shares.sum(), 1.0, rel_tol=1e-9)
    assert (shares >= -1e-12).all()
    assert (np.diff(shares) <= 1e-12).all()
    assert 1 <= found.components_needed(0.9) <= len(shares)


@given(arrays(np.float64, st.integers(1, 30), elements=st.integers(-5, 5).map(float)))
def test_average_ranks_add_up(values: np.ndarray) -> None:
    """Average ranks add up to n(n + 1)/2 and equal values share one rank."""
    ranks = average_ranks(values)
    n = values.size
    assert math.isclose(ranks.sum(), n * (n + 1) / 2)
    for v in np.unique(values):
        assert np.ptp(ranks[values == v]) == 0


@given(st.floats(min_value=-0.999, max_value=0.999), st.integers(min_value=3, max_value=500))
def test_p_value_is_symmetric_and_monotone(r: float, n: int) -> None:
    """p(r) = p(−r), p ≤ 1, and a stronger correlation never has a larger p."""
    p = correlation_p_value(r, n)
    assert math.isclose(p, correlation_p_value(-r, n), rel_tol=1e-12, abs_tol=1e-300)
    assert 0 <= p <= 1
    stronger = min(0.9999, abs(r) + 0.05)
    assert correlation_p_value(stronger, n) <= p + 1e-15


@given(
    arrays(np.float64, 3, elements=st.floats(min_value=-5, max_value=5)),
    arrays(np.float64, 3, elements=st.floats(min_value=0.5, max_value=4)),
)
def test_nelder_mead_finds_a_quadratic_minimum(centre: np.ndarray, scale: np.ndarray) -> None:
    """On a convex quadratic Nelder–Mead stops at the minimum."""
    found = nelder_mead(lambda x: float((scale * (x - centre) ** 2).sum()), np.zeros(3))
    assert found.converged
    assert np.allclose(found.x, centre, atol=1e-6)


@settings(max_examples=25)
@given(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=11),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_scrambled_sobol_points_fill_every_stratum(dims: int, m: int, seed: int) -> None:
    """The first 2^m scrambled points put exactly one point in each 1/2^m slice of every axis."""
    points = SobolSequence(dims, rng=np.random.default_rng(seed)).take(0, 2**m)
    cells = np.floor(points * 2**m).astype(np.int64)
    for j in range(dims):
        assert np.array_equal(np.sort(cells[:, j]), np.arange(2**m))


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=200))
def test_sobol_slices_join_up(start: int, length: int) -> None:
    """Points start…stop taken alone equal the same rows of one longer take."""
    sequence = SobolSequence(6, rng=np.random.default_rng(7))
    whole = sequence.take(0, start + length)
    assert np.array_equal(sequence.take(start, start + length), whole[start:])


def test_correlation_matrix_of_constant_column_is_nan() -> None:
    """A column that does not vary has no correlation."""
    x = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 5.0]])
    r, counts = correlation_matrix(x, x)
    assert math.isnan(r[0, 1])
    assert r[1, 1] == 1.0
    assert counts[0, 1] == 3
