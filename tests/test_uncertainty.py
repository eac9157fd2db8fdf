"""Tests for dxplan.whatif.uncertainty: Monte Carlo ranks under perturbed weights and rules."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

import dxplan
from dxplan import datasets, indices
from dxplan.errors import EvaluationError, InvalidValueError, MissingExtraError
from dxplan.index.aggregators import ArithmeticMean, GeometricMean
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import MinMax, ZScore
from dxplan.whatif.uncertainty import (
    DrawSummary,
    UncertaintyResult,
    draw_weights,
    evaluate_draws,
    max_draws,
    run,
)
from test_index import indices_and_data

ASEM = indices.asem()
ASEM_DATA = datasets.asem()


def two_leaf_index() -> Index:
    return Index(
        root="I",
        nodes=(
            Leaf(id="a"),
            Leaf(id="b"),
            Aggregate(id="I", children=("a", "b"), weights=(1.2, 1)),
        ),
    )


class TestDrawWeights:
    def test_zero_noise_is_nominal(self) -> None:
        """With f = 0 every draw has the nominal weights."""
        w = draw_weights(ASEM, 5, weight_noise=0.0, rng=np.random.default_rng(1))
        assert (w == ASEM._compiled.nominal_weights).all()

    def test_uniform_bounds(self) -> None:
        """w · (1 + U(−1, 1) · f) stays within w(1 − f) and w(1 + f)."""
        w = draw_weights(ASEM, 1000, weight_noise=0.3, rng=np.random.default_rng(1))
        assert w.min() >= 0.7
        assert w.max() <= 1.3

    def test_per_parent_noise(self) -> None:
        """A mapping perturbs only the children of the parents named."""
        w = draw_weights(ASEM, 50, weight_noise={"Conn": 0.5}, rng=np.random.default_rng(1))
        parents = np.array([w.parent for w in ASEM._compiled.child_weights])
        assert (w[:, parents != "Conn"] == 1.0).all()
        assert (w[:, parents == "Conn"] != 1.0).all()

    def test_dirichlet_keeps_totals(self) -> None:
        """Dirichlet draws keep each parent's total weight and centre on the nominal shares."""
        index = two_leaf_index()
        w = draw_weights(
            index, 20000, method="dirichlet", concentration=50, rng=np.random.default_rng(2)
        )
        np.testing.assert_allclose(w.sum(axis=1), 2.2, rtol=1e-12)
        # Mean share 1.2/2.2 = 0.5454…; the standard error is about 0.0005.
        assert abs(w[:, 0].mean() / 2.2 - 1.2 / 2.2) < 0.003

    def test_noise_out_of_range(self) -> None:
        """f must be a number from 0 to 1."""
        with pytest.raises(InvalidValueError, match="'weight_noise' must be a number from 0 to 1"):
            draw_weights(ASEM, 2, weight_noise=1.5, rng=np.random.default_rng(1))

    def test_leaf_in_mapping(self) -> None:
        """Leaves have no weights to perturb."""
        with pytest.raises(InvalidValueError, match="inner node ids"):
            draw_weights(ASEM, 2, weight_noise={"LPI": 0.2}, rng=np.random.default_rng(1))


class TestEvaluateDraws:
    def test_each_draw_equals_evaluating_with_those_weights(self) -> None:
        """A draw scores exactly as the index evaluated with that draw's weights."""
        compiled = ASEM._compiled
        weights = np.random.default_rng(0).uniform(0.5, 1.5, size=(3, len(compiled.child_weights)))
        got = evaluate_draws(ASEM, ASEM_DATA, weights, keep=("Index", "Physical"))
        for d in range(3):
            index = ASEM
            at = {(w.parent, w.child): i for i, w in enumerate(compiled.child_weights)}
            for aggregate in ASEM.aggregates:
                index = index.with_weights(
                    aggregate.id, [weights[d, at[aggregate.id, c]] for c in aggregate.children]
                )
            expected = index.evaluate(ASEM_DATA)
            for node in ("Index", "Physical"):
                want = np.array([expected.score(e, node) for e in ASEM_DATA.entities])
                np.testing.assert_allclose(got[node][d], want, rtol=1e-12, equal_nan=True)


class TestRun:
    def test_zero_noise_reproduces_nominal_ranks(self) -> None:
        """Without noise every draw gives the nominal ranks, with certainty."""
        result = run(ASEM, ASEM_DATA, draws=50, weight_noise=0.0, seed=3)
        nominal = result.nominal.rank()
        for summary in result.rank_summaries():
            assert summary.q05 == summary.q95 == summary.mean == summary.nominal
            assert result.p_rank_at_most(summary.entity, nominal[summary.entity] or 0) == 1.0

    def test_zero_noise_gives_evaluates_ranks_on_permuted_rows(self) -> None:
        """Six entities with 0.1, 0.2 and 0.3 in every order have the same equal-weight mean
        (0.2, summed in six orders): all rank first, in evaluate and in every draw."""
        import itertools

        index = Index(
            root="I",
            nodes=(Leaf(id="a"), Leaf(id="b"), Leaf(id="c"),
                   Aggregate(id="I", children=("a", "b", "c"))),
        )  # fmt: skip
        rows = [list(p) for p in itertools.permutations([0.1, 0.2, 0.3])]
        data = IndexData(entities=[f"e{i}" for i in range(6)], components=["a", "b", "c"],
                         values=rows)  # fmt: skip
        nominal = index.evaluate(data).rank()
        assert nominal == {f"e{i}": 1 for i in range(6)}
        result = run(index, data, draws=20, weight_noise=0.0, seed=1)
        assert (result.ranks == 1).all()

    def test_rank_quantiles_coinr_type_7(self) -> None:
        """rank_quantiles='linear' takes Q5, median and Q95 as R's quantile type 7 (COINr):
        x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]) with h = (n − 1)p over the sorted draws."""
        result = run(ASEM, ASEM_DATA, draws=101, weight_noise=0.8, seed=4,
                     rank_quantiles="linear")  # fmt: skip
        for summary in result.rank_summaries():
            column = sorted(result.ranks[:, ASEM_DATA.position(summary.entity)].tolist())

            def type7(p: float, x: list[float] = column) -> float:
                h = (len(x) - 1) * p
                low = int(h)
                return x[low] + (h - low) * (x[min(low + 1, len(x) - 1)] - x[low])

            assert summary.q05 == pytest.approx(type7(0.05), rel=1e-12)
            assert summary.median == pytest.approx(type7(0.5), rel=1e-12)
            assert summary.q95 == pytest.approx(type7(0.95), rel=1e-12)
        default = run(ASEM, ASEM_DATA, draws=101, weight_noise=0.8, seed=4)
        assert all(float(r.q95).is_integer() for r in default.rank_summaries())

    def test_bad_rank_quantiles_are_refused(self) -> None:
        """Only R's types 1 and 7, by numpy's names."""
        with pytest.raises(InvalidValueError, match="'rank_quantiles'"):
            run(ASEM, ASEM_DATA, draws=2, rank_quantiles="type7")  # type: ignore[arg-type]

    def test_dominant_entity_stays_first(self) -> None:
        """An entity best on every component ranks 1 in every draw."""
        rng = np.random.default_rng(5)
        values = rng.uniform(0, 1, size=(8, 49))
        # Best on every component: highest where higher is better, lowest where lower is.
        values[3] = [2.0 if leaf.direction == 1 else -1.0 for leaf in ASEM.leaves]
        data = IndexData(entities=[f"c{i}" for i in range(8)], components=ASEM.components,
                         values=values)  # fmt: skip
        result = run(ASEM, data, draws=500, weight_noise=1.0, seed=1)
        assert result.p_rank_at_most("c3", 1) == 1.0

    def test_every_rank_at_most_entity_count(self) -> None:
        """P(rank ≤ number of entities) is 1 for every entity."""
        result = run(ASEM, ASEM_DATA, draws=200, weight_noise=0.5, seed=1)
        n = len(ASEM_DATA.entities)
        assert all(result.p_rank_at_most(e, n) == 1.0 for e in ASEM_DATA.entities)

    def test_same_seed_same_result(self) -> None:
        """The same seed gives identical ranks and scores."""
        a = run(ASEM, ASEM_DATA, draws=300, weight_noise=0.25, seed=7)
        b = run(ASEM, ASEM_DATA, draws=300, weight_noise=0.25, seed=7)
        assert np.array_equal(a.ranks, b.ranks)
        assert np.array_equal(a.scores["Index"], b.scores["Index"])

    def test_other_seed_other_result(self) -> None:
        """Another seed draws other weights."""
        a = run(ASEM, ASEM_DATA, draws=300, weight_noise=0.25, seed=7)
        b = run(ASEM, ASEM_DATA, draws=300, weight_noise=0.25, seed=8)
        assert not np.array_equal(a.scores["Index"], b.scores["Index"])

    def test_chunk_size_does_not_change_results(self) -> None:
        """Ranks are identical and scores equal to rounding (1e-12) for any chunk size."""
        a = run(ASEM, ASEM_DATA, draws=300, weight_noise=0.25, seed=7, chunk=7)
        b = run(ASEM, ASEM_DATA, draws=300, weight_noise=0.25, seed=7)
        assert np.array_equal(a.ranks, b.ranks)
        np.testing.assert_allclose(a.scores["Index"], b.scores["Index"], rtol=1e-12)

    def test_probability_matches_analysis(self) -> None:
        """A wins iff 1.2(1 + u₁/2) > 1 + u₂/2; 20 000 draws hit that probability within 0.015."""
        data = IndexData.from_mapping({"A": {"a": 0.7, "b": 0.3}, "B": {"a": 0.3, "b": 0.7}})
        result = run(two_leaf_index(), data, draws=20000, weight_noise=0.5, seed=11)
        u = np.linspace(-1, 1, 2001)
        exact = np.mean(1.2 * (1 + 0.5 * u[:, None]) > 1 + 0.5 * u[None, :])
        # The standard error is about 0.003; 0.015 is five of them.
        assert abs(result.p_rank_at_most("A", 1) - exact) < 0.015

    def test_rule_alternatives(self) -> None:
        """With two rules and no weight noise, every draw ranks as one of the two variants."""
        result = run(
            ASEM, ASEM_DATA, draws=40, weight_noise=0.0, seed=2, rules=(MinMax(), ZScore())
        )
        minmax = indices.asem(rule=MinMax()).evaluate(ASEM_DATA).rank()
        zscore = indices.asem(rule=ZScore()).evaluate(ASEM_DATA).rank()
        variants = [
            np.array([minmax[e] for e in ASEM_DATA.entities]),
            np.array([zscore[e] for e in ASEM_DATA.entities]),
        ]
        seen = {
            next(k for k, v in enumerate(variants) if np.array_equal(row, v))
            for row in result.ranks
        }
        assert seen == {0, 1}
        assert result.settings["rules"] == ("min-max", "z-score")

    def test_aggregator_alternatives(self) -> None:
        """With two aggregators, draws use either; every draw scores as one of the two
        evaluations (the leaf scores' powers are kept per power, shared by both)."""
        index = indices.asem(rule=MinMax(low=1, high=100))
        result = run(
            index,
            ASEM_DATA,
            draws=30,
            weight_noise=0.0,
            seed=2,
            aggregators=(ArithmeticMean(), GeometricMean()),
        )
        geometric = indices.asem(rule=MinMax(low=1, high=100), aggregator=GeometricMean())
        expected = geometric.evaluate(ASEM_DATA).scores()
        nominal = result.nominal.values[:, -1]
        rows = [d for d in range(30) if not np.allclose(result.scores["Index"][d], nominal)]
        assert rows
        want = np.array([expected[e] for e in ASEM_DATA.entities])
        for d in range(30):
            other = want if d in rows else nominal
            np.testing.assert_allclose(result.scores["Index"][d], other, rtol=1e-12)

    def test_summaries(self) -> None:
        """Mean, median and quantiles are those of the draws' ranks (quantiles that occurred,
        R's type 1), and the nominal rank is evaluate's."""
        result = run(ASEM, ASEM_DATA, draws=400, weight_noise=0.5, seed=4)
        summary = result.summary("NLD")
        column = result.ranks[:, ASEM_DATA.position("NLD")].astype(np.float64)
        assert isinstance(summary, DrawSummary)
        assert summary.mean == pytest.approx(column.mean(), rel=1e-12)
        ordered = np.sort(column)

        def type1(p: float) -> float:  # the smallest rank with at least a share p at or below it
            return float(ordered[int(np.ceil(p * len(ordered))) - 1])

        assert (summary.median, summary.q05, summary.q95) == (type1(0.5), type1(0.05), type1(0.95))
        assert summary.nominal == ASEM.evaluate(ASEM_DATA).rank()["NLD"]

    @pytest.mark.parametrize("old", ["RankSummary", "ScoreSummary"])
    def test_old_summary_names_warn(self, old: str) -> None:
        """RankSummary and ScoreSummary, one class now, still import with a warning."""
        import dxplan.whatif.uncertainty as uncertainty

        with pytest.warns(DeprecationWarning, match=rf"{old} is deprecated: use .*DrawSummary"):
            assert getattr(uncertainty, old) is DrawSummary

    def test_score_summaries_of_kept_node(self) -> None:
        """Score summaries are available for the nodes kept."""
        result = run(ASEM, ASEM_DATA, draws=100, weight_noise=0.2, seed=4, keep=("Conn",))
        rows = result.score_summaries("Conn")
        assert all(isinstance(r, DrawSummary) for r in rows)
        assert rows[0].q05 <= rows[0].median <= rows[0].q95
        assert result.summary("DEU", node="Conn").nominal == result.nominal.rank("Conn")["DEU"]

    def test_node_not_kept(self) -> None:
        """Asking for a node that was not kept says which were."""
        result = run(ASEM, ASEM_DATA, draws=10, seed=4)
        with pytest.raises(
            InvalidValueError, match=r"a node kept in the run \(one of \['Index'\]\)"
        ):
            result.score_summaries("Conn")

    def test_top_level_name(self) -> None:
        """``dxplan.uncertainty`` is this module's run."""
        assert dxplan.uncertainty is run
        result = dxplan.uncertainty(ASEM, ASEM_DATA, draws=20, weight_noise=0.1, seed=1)
        assert isinstance(result, UncertaintyResult)
        assert result.draws == 20

    def test_to_frame(self) -> None:
        """to_frame lists nominal, mean, median and the quantiles by entity."""
        frame = run(ASEM, ASEM_DATA, draws=20, seed=1).to_frame()
        assert list(frame.columns) == ["name", "nominal", "mean", "median", "q05", "q95"]
        assert frame.index[0] == "DEU"

    def test_to_frame_without_pandas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas the error names the extra to install."""
        result = run(ASEM, ASEM_DATA, draws=5, seed=1)
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(MissingExtraError, match=r"pip install 'dxplan\[pandas\]'"):
            result.to_frame()

    def test_rich(self) -> None:
        """The result renders as a table of rank intervals."""
        console = Console(record=True, width=100)
        console.print(run(ASEM, ASEM_DATA, draws=20, weight_noise=0.0, seed=1))
        line = next(t for t in console.export_text().splitlines() if "Germany" in t)
        cells = [cell.strip() for cell in line.split("│")[1:6]]
        assert cells == ["1", "Germany", "1.0", "1", "1–1"]

    def test_bad_draws(self) -> None:
        """The number of draws must be positive."""
        with pytest.raises(
            InvalidValueError, match=r"^'draws' must be a whole number >= 1 \(got 0\)$"
        ):
            run(ASEM, ASEM_DATA, draws=0)

    @pytest.mark.parametrize(
        ("argument", "given"),
        [
            ("draws", True),
            ("draws", 2.0),
            ("seed", -1),
            ("seed", "7"),
            ("chunk", 0),
            ("memory_budget", False),
            ("weight_noise", True),
            ("weight_noise", "0.1"),
            ("weight_noise", math.nan),
        ],
    )
    def test_bad_arguments_name_themselves(self, argument: str, given: object) -> None:
        """A bool, text or out-of-range argument is refused by name, before any draw."""
        with pytest.raises(InvalidValueError, match=f"^'{argument}' must be") as info:
            run(ASEM, ASEM_DATA, **{argument: given})  # type: ignore[arg-type]
        assert info.value.field == argument
        assert info.value.value is given


class TestMemoryBudget:
    """One budget covers every array of a run; more draws than fit are refused up front."""

    def _data(self) -> IndexData:
        return IndexData.from_mapping(
            {e: {"a": 1.0 + i, "b": 2.0 * i} for i, e in enumerate("xyz")}
        )

    def test_limit_counts_every_array(self) -> None:
        """Budget = chunk working set + per draw (weights, kept scores, ranks, choices)."""
        working = 10 * 8 * 3 * (1 + 2 * 2 + 12)  # chunk 10, 3 entities, 1 inner node, 2 children
        per_draw = 8 * 2 + 8 * 3 + 4 * 3 + 16  # 2 child weights, root scores, ranks, choices
        budget = working + 100 * per_draw
        index = two_leaf_index()
        assert max_draws(index, 3, memory_budget=budget, chunk=10) == 100
        run(index, self._data(), draws=100, seed=1, chunk=10, memory_budget=budget)
        with pytest.raises(InvalidValueError, match=r"'draws' must be at most 100 draws for 3 "):
            run(index, self._data(), draws=101, seed=1, chunk=10, memory_budget=budget)

    @pytest.mark.parametrize("draws", [10**9, 10**18])
    def test_absurd_draws_are_refused_before_allocating(self, draws: int) -> None:
        """A billion draws (194 GiB of weights) is a clear error, not a MemoryError."""
        with pytest.raises(InvalidValueError, match=r"within the memory budget of 256 MiB"):
            run(indices.dti_922(), datasets.dti_2022(), draws=draws, seed=1)


class TestToDict:
    def test_json_ready(self) -> None:
        """to_dict gives plain data with P(rank ≤ top) when asked."""
        result = run(indices.dti_922(), datasets.dti_2022(), draws=50, weight_noise=0.0, seed=1)
        data = result.to_dict(top=2)
        rows = data["entities"]
        assert isinstance(rows, list)
        assert rows[1] == {
            "entity": "ho-chi-minh",
            "name": "TP. Hồ Chí Minh",
            "nominal": 2,
            "mean": 2.0,
            "median": 2.0,
            "q05": 2.0,
            "q95": 2.0,
            "p_rank_at_most_2": 1.0,
        }
        assert (data["draws"], data["seed"]) == (50, 1)


class TestMeanRankShift:
    def test_zero_noise_no_shift(self) -> None:
        """Without noise no entity moves."""
        result = run(ASEM, ASEM_DATA, draws=20, weight_noise=0.0, seed=1)
        assert set(result.mean_rank_shift().values()) == {0.0}

    def test_matches_ranks(self) -> None:
        """The shift is the mean of |draw rank − nominal rank|."""
        result = run(ASEM, ASEM_DATA, draws=200, weight_noise=0.5, seed=2)
        column = result.ranks[:, ASEM_DATA.position("NLD")].astype(np.float64)
        nominal = ASEM.evaluate(ASEM_DATA).rank()["NLD"]
        assert nominal is not None
        assert result.mean_rank_shift()["NLD"] == pytest.approx(
            np.abs(column - nominal).mean(), rel=1e-12
        )


class TestDrawsAgainstEvaluate:
    @settings(max_examples=150, deadline=None)
    @given(indices_and_data(), st.integers(0, 2**32 - 1))
    def test_each_draw_equals_evaluate(self, case: tuple[Index, IndexData], seed: int) -> None:
        """On random indices (shared children, minimum, geometric, thresholds, missing values)
        every draw scores as evaluating the index with that draw's weights."""
        index, data = case
        compiled = index._compiled
        assume(compiled.child_weights)  # a leaf root has no weight to draw
        rng = np.random.default_rng(seed)
        weights = compiled.nominal_weights * rng.uniform(
            0.5, 1.5, size=(3, len(compiled.child_weights))
        )
        try:
            got = evaluate_draws(index, data, weights, keep=[n.id for n in index.nodes])
        except EvaluationError:
            # Values outside an aggregator's domain: evaluating must refuse them too.
            with pytest.raises(EvaluationError):
                index.evaluate(data)
            assume(False)
        at = {(w.parent, w.child): i for i, w in enumerate(compiled.child_weights)}
        for d in range(3):
            changed = index
            for node in index.aggregates:
                changed = changed.with_weights(
                    node.id,
                    [
                        weights[d, at[node.id, c]] if (node.id, c) in at else 0.0
                        for c in node.children
                    ],
                )
            expected = changed.evaluate(data)
            for any_node in index.nodes:
                want = np.array([expected.score(e, any_node.id) for e in data.entities])
                np.testing.assert_allclose(got[any_node.id][d], want, rtol=1e-9, atol=1e-9)


class TestProgress:
    def test_called_per_chunk(self) -> None:
        """progress(done, total) is called after each chunk, ending at the total."""
        calls: list[tuple[int, int]] = []
        run(ASEM, ASEM_DATA, draws=25, seed=1, chunk=10, progress=lambda d, t: calls.append((d, t)))
        assert calls == [(10, 25), (20, 25), (25, 25)]


class TestAvailabilityUnderDraws:
    def test_two_inner_children_both_missing_somewhere(self) -> None:
        """A threshold node whose two inner children are each missing for one entity still
        scores the entity that has both (availability counted, not or-ed)."""
        index = Index(
            root="top",
            nodes=(
                Leaf(id="x"),
                Aggregate(id="a", children=("x",)),
                Aggregate(id="b", children=("x",)),
                Aggregate(id="top", children=("a", "b"), min_availability=1.0),
            ),
        )
        data = IndexData(
            entities=("e0", "e1"), components=("x",), values=np.array([[np.nan], [0.3]])
        )
        weights = index._compiled.nominal_weights * np.array([[1.0, 1.0, 0.7, 1.3]])
        got = evaluate_draws(index, data, weights, keep=["top"])["top"]
        assert np.isnan(got[0, 0])
        assert got[0, 1] == pytest.approx(0.3, abs=1e-15)
