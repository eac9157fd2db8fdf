"""Tests for dxplan.whatif.sensitivity: leave-one-out rank shifts and Sobol indices."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from rich.console import Console

from dxplan import datasets, indices
from dxplan.errors import InvalidValueError
from dxplan.index.aggregators import WeightedSum
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import MinMax, ZScore
from dxplan.whatif.sensitivity import (
    AggregatorInput,
    LeaveOneOut,
    RuleInput,
    SobolIndex,
    SobolIndices,
    UncertainInput,
    WeightInput,
    leave_one_out,
    saltelli_matrices,
    sobol,
    sobol_indices,
)

MEAN3 = Index(
    root="I",
    nodes=(Leaf(id="a"), Leaf(id="b"), Leaf(id="c"), Aggregate(id="I", children=("a", "b", "c"))),
)
DATA3 = IndexData.from_mapping(
    {"x": {"a": 1.0, "b": 0.0, "c": 0.0}, "y": {"a": 0.0, "b": 0.6, "c": 0.6}}
)


class TestLeaveOneOut:
    def test_shifts_by_hand(self) -> None:
        """x (1/3) trails y (0.4); without b or c x leads (0.5 vs 0.3); without a nothing moves."""
        result = leave_one_out(MEAN3, DATA3)
        assert isinstance(result, LeaveOneOut)
        assert result.by_component() == {"b": 1.0, "c": 1.0, "a": 0.0}
        assert result.mean_shift() == pytest.approx(2 / 3, rel=1e-15)
        assert result.entity_shifts("x") == {"a": 0.0, "b": 1.0, "c": 1.0}
        assert result.by_entity() == pytest.approx({"x": 2 / 3, "y": 2 / 3}, rel=1e-15)

    def test_matches_rebuilding_without_the_component(self) -> None:
        """Each row equals evaluating an index rebuilt by hand without that leaf (COINr's
        remove_elements): its parent keeps the other children and their weights."""
        index, data = indices.asem(), datasets.asem()
        result = leave_one_out(index, data, components=["CO2", "LPI"])
        for row, component in enumerate(result.components):
            nodes = []
            for node in index.nodes:
                if node.id == component:
                    continue
                if isinstance(node, Aggregate) and component in node.children:
                    pairs = [
                        (c, w)
                        for c, w in zip(node.children, node.weights, strict=True)
                        if c != component
                    ]
                    node = attrs.evolve(
                        node, children=[c for c, _ in pairs], weights=[w for _, w in pairs]
                    )
                nodes.append(node)
            rebuilt = attrs.evolve(index, nodes=tuple(nodes))
            ranks = rebuilt.evaluate(data, extra="ignore").rank()
            assert result.ranks[row].tolist() == [ranks[e] for e in data.entities]

    def test_availability_threshold_counts_only_the_children_left(self) -> None:
        """With min_availability=1 and complete data, leaving out b ranks on mean(a, c):
        x (1 + 0)/2 = 0.5 leads y (0 + 0.6)/2 = 0.3; no rank is lost to the threshold."""
        root = MEAN3.node("I")
        assert isinstance(root, Aggregate)
        strict = attrs.evolve(
            MEAN3, nodes=(*MEAN3.nodes[:3], attrs.evolve(root, min_availability=1.0))
        )
        result = leave_one_out(strict, DATA3)
        assert result.components == ("a", "b", "c")
        # Without a: y (0.6) leads x (0); without b or c: x (0.5) leads y (0.3).
        assert result.ranks.tolist() == [[2.0, 1.0], [1.0, 2.0], [1.0, 2.0]]
        assert result.by_component() == {"b": 1.0, "c": 1.0, "a": 0.0}

    def test_weighted_sum_is_rebuilt_not_scaled_up(self) -> None:
        """A weighted sum with a child merely missing scales the rest up to its full points;
        rebuilt without the child it has fewer points. S = a + b (1 point each) under
        R = mean(S, d): without b, x has S = 1 (not 2), so R(x) = 0.5 < R(y) = 0.75."""
        index = Index(
            root="R",
            nodes=(
                Leaf(id="a"),
                Leaf(id="b"),
                Leaf(id="d"),
                Aggregate(id="S", children=("a", "b"), aggregator=WeightedSum()),
                Aggregate(id="R", children=("S", "d")),
            ),
        )
        data = IndexData.from_mapping(
            {"x": {"a": 1.0, "b": 1.0, "d": 0.0}, "y": {"a": 0.0, "b": 0.0, "d": 1.5}}
        )
        result = leave_one_out(index, data, components=["b"])
        # Treated as missing, S(x) would be 1 × 2/1 = 2 and x would lead (1.0 vs 0.75).
        assert result.ranks.tolist() == [[2.0, 1.0]]

    def test_other_node(self) -> None:
        """Shifts can be measured on an inner node."""
        result = leave_one_out(indices.asem(), datasets.asem(), node="Conn", components=["Renew"])
        assert result.mean_shift("Renew") == 0.0  # Renew is under Sust, not Conn

    def test_unknown_component(self) -> None:
        """Leaving out a component that is not a leaf is refused."""
        with pytest.raises(InvalidValueError, match="'components' must be leaf ids"):
            leave_one_out(MEAN3, DATA3, components=["zz"])

    def test_rich_and_frame(self) -> None:
        """Renders as a table and converts to a DataFrame."""
        result = leave_one_out(MEAN3, DATA3)
        console = Console(record=True, width=80)
        console.print(result)
        assert "b                  │            1.00 │" in console.export_text()
        assert result.to_frame().loc["b", "x"] == 1.0


class TestSobolIndices:
    def test_additive_function(self) -> None:
        """Y = X1 + 2 X2 + 0 X3 on U(0, 1): S = ST = (0.2, 0.8, 0) within 0.03 at n = 20 000."""
        rng = np.random.default_rng(42)
        a, b = saltelli_matrices(20000, 3, rng)

        def model(x: np.ndarray) -> np.ndarray:
            return np.asarray(x[:, 0] + 2 * x[:, 1], dtype=np.float64)

        ab = np.stack([model(np.where(np.arange(3) == i, b, a)) for i in range(3)])
        result = sobol_indices(model(a), model(b), ab, names=("x1", "x2", "x3"), rng=rng)
        assert isinstance(result, SobolIndices)
        for name, expected in (("x1", 0.2), ("x2", 0.8), ("x3", 0.0)):
            index = result[name]
            assert isinstance(index, SobolIndex)
            assert abs(index.first - expected) < 0.03
            assert abs(index.total - expected) < 0.03
        assert result["x3"].total == 0.0  # X3 has no effect at all: exactly zero
        low, high = result["x2"].total_interval
        assert low < result["x2"].total < high
        assert high - low < 0.05

    def test_interaction(self) -> None:
        """Y = X1 · X2 on U(0, 1): S1 = S2 = 3/7, ST1 = ST2 = 4/7 within 0.03."""
        rng = np.random.default_rng(7)
        a, b = saltelli_matrices(40000, 2, rng)

        def model(x: np.ndarray) -> np.ndarray:
            return np.asarray(x[:, 0] * x[:, 1], dtype=np.float64)

        ab = np.stack([model(np.where(np.arange(2) == i, b, a)) for i in range(2)])
        result = sobol_indices(model(a), model(b), ab, names=("x1", "x2"), bootstrap=0)
        # V = 7/144, V1 = V2 = 1/48 = 3/144, V12 = 1/144.
        for name in ("x1", "x2"):
            assert abs(result[name].first - 3 / 7) < 0.03
            assert abs(result[name].total - 4 / 7) < 0.03

    def test_shapes_checked(self) -> None:
        """One row of A_B outputs per input name."""
        with pytest.raises(InvalidValueError, match="one row per name"):
            sobol_indices([1.0, 2.0], [1.0, 2.0], [[1.0, 2.0]], names=("a", "b"))

    def test_unknown_name(self) -> None:
        """Looking up an input that is not there names the problem."""
        result = sobol_indices([1.0, 2.0], [2.0, 1.0], [[1.0, 1.0]], names=("a",), bootstrap=0)
        with pytest.raises(InvalidValueError, match="'name' must be the name of an input"):
            result["b"]


class TestSobol:
    def test_input_without_effect_is_zero(self) -> None:
        """Weights that do not move (noise 0) have indices of exactly 0."""
        result = sobol(
            indices.asem(),
            datasets.asem(),
            [WeightInput(node="Index", noise=0.5), WeightInput(node="Conn", noise=0.0)],
            samples=300,
            seed=1,
            bootstrap=100,
        )
        assert result["weights of Conn"].first == 0.0
        assert result["weights of Conn"].total == 0.0
        assert result["weights of Index"].total > 0.5

    def test_same_seed_same_indices(self) -> None:
        """A seed makes the indices reproducible."""
        inputs: list[UncertainInput] = [
            WeightInput(node="Index", noise=0.5),
            RuleInput(alternatives=(MinMax(), ZScore())),
        ]
        a = sobol(indices.asem(), datasets.asem(), inputs, samples=100, seed=3, bootstrap=50)
        b = sobol(indices.asem(), datasets.asem(), inputs, samples=100, seed=3, bootstrap=50)
        assert a == b

    def test_entity_rank_and_score(self) -> None:
        """The output can be one entity's rank or score."""
        index, data = indices.asem(), datasets.asem()
        inputs = [WeightInput(node="Index", noise=0.5)]
        rank = sobol(index, data, inputs, samples=200, seed=1, entity="NLD", bootstrap=0)
        score = sobol(
            index, data, inputs, samples=2000, seed=1, entity="NLD", quantity="score", bootstrap=0
        )
        assert rank.output == "the rank of NLD on Index"
        # A single input explains all the variance; at n = 2 000 the estimate is within 0.1.
        assert score["weights of Index"].total == pytest.approx(1.0, abs=0.1)
        assert score["weights of Index"].first == pytest.approx(1.0, abs=0.1)

    def test_aggregator_input(self) -> None:
        """The aggregator choice can be an input."""
        from dxplan.index.aggregators import ArithmeticMean, GeometricMean

        index = indices.asem(rule=MinMax(low=1, high=100))
        result = sobol(
            index,
            datasets.asem(),
            [AggregatorInput(alternatives=(ArithmeticMean(), GeometricMean()))],
            samples=50,
            seed=1,
            bootstrap=0,
        )
        assert result["aggregator"].total > 0

    def test_leaf_node_refused(self) -> None:
        """Weights belong to inner nodes."""
        with pytest.raises(InvalidValueError, match="'node' must be an inner node"):
            sobol(indices.asem(), datasets.asem(), [WeightInput(node="LPI")], samples=10)

    def test_rich(self) -> None:
        """Renders as a table of indices with intervals."""
        result = sobol(
            MEAN3, DATA3, [WeightInput(node="I", noise=0.9)], samples=50, seed=1, bootstrap=20
        )
        console = Console(record=True, width=120)
        console.print(result)
        assert "weights of I" in console.export_text()


class TestSobolDesign:
    """The design is a scrambled Sobol' sequence, drawn and reduced chunk by chunk."""

    def test_unscrambled_points_are_the_published_sequence(self) -> None:
        """Dimension 1 is van der Corput in Gray-code order; dimension 2 (x + 1) follows it."""
        from dxplan.whatif._sobol_sequence import SobolSequence

        points = SobolSequence(2, scramble=False).take(0, 8)
        assert points[:, 0].tolist() == [0, 1 / 2, 3 / 4, 1 / 4, 3 / 8, 7 / 8, 5 / 8, 1 / 8]
        assert points[:, 1].tolist() == [0, 1 / 2, 1 / 4, 3 / 4, 3 / 8, 7 / 8, 1 / 8, 5 / 8]

    def test_too_many_dimensions(self) -> None:
        """Direction numbers are bundled for 1 024 dimensions."""
        from dxplan.whatif._sobol_sequence import SobolSequence

        with pytest.raises(InvalidValueError, match="'dimensions' must be from 1 to 1024"):
            SobolSequence(1025)

    def test_chunking_does_not_change_the_indices(self) -> None:
        """A tiny memory budget (many chunks) gives the same indices as one chunk."""
        inputs: list[UncertainInput] = [
            WeightInput(node="Index", noise=0.5),
            WeightInput(node="Conn", noise=0.5),
        ]
        index, data = indices.asem(), datasets.asem()
        one = sobol(index, data, inputs, samples=256, seed=5, bootstrap=30)
        many = sobol(index, data, inputs, samples=256, seed=5, bootstrap=30, memory_budget=50_000)
        assert one == many

    def test_convergence_table(self) -> None:
        """Estimates on the first 64, 128, 256 samples, then on all 300; the last is the result."""
        result = sobol(
            MEAN3, DATA3, [WeightInput(node="I", noise=0.9)], samples=300, seed=2, bootstrap=0
        )
        assert [c.samples for c in result.convergence] == [64, 128, 256, 300]
        last = result.convergence[-1]
        assert last.first == (result.indices[0].first,)
        assert last.total == (result.indices[0].total,)
        frame = result.convergence_frame()
        assert list(frame.columns) == ["samples", "input", "first", "total"]
        assert len(frame) == 4
