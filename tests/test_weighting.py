"""Tests for dxplan.index.weighting: optimised weights on COINr's ASEM example.

Achieved correlations are checked by evaluating the returned index afresh and
correlating with a plain reference (complete pairs, sums one term at a time).
"""

from __future__ import annotations

import math

import pytest
from rich.console import Console

import dxplan as dx
from dxplan import datasets, indices
from dxplan.errors import InvalidValueError
from dxplan.index.model import Aggregate, Index
from dxplan.index.weighting import OptimisedWeights, optimise_weights

INDEX = indices.asem()
DATA = datasets.asem()


def ref_pearson(index: Index, a: str, b: str) -> float:
    """Pearson's r of two nodes of ``index`` on ASEM, over entities with both scores."""
    result = index.evaluate(DATA)
    pairs = [
        (result.score(e, a), result.score(e, b))
        for e in result.entities
        if not (math.isnan(result.score(e, a)) or math.isnan(result.score(e, b)))
    ]
    n = len(pairs)
    ma = sum(p for p, _ in pairs) / n
    mb = sum(q for _, q in pairs) / n
    sab = sum((p - ma) * (q - mb) for p, q in pairs)
    saa = sum((p - ma) ** 2 for p, _ in pairs)
    sbb = sum((q - mb) ** 2 for _, q in pairs)
    return sab / math.sqrt(saa * sbb)


class TestBalance:
    """Balance: each child's correlation with the node in the target proportions."""

    def test_sub_indices_equal_within_1e_4(self) -> None:
        """At ASEM's sub-index level, Conn and Sust end up equally correlated with the index."""
        found = dx.optimise_weights(INDEX, DATA, node="Index")
        assert isinstance(found, OptimisedWeights)
        assert found.converged
        conn = ref_pearson(found.index, "Conn", "Index")
        sust = ref_pearson(found.index, "Sust", "Index")
        assert abs(conn - sust) < 1e-4
        assert found.correlations["Conn"] == pytest.approx(conn, abs=1e-12)
        assert sum(found.weights.values()) == pytest.approx(1.0)
        assert found.gap < 1e-4

    def test_original_index_unchanged(self) -> None:
        """The new index carries the weights; the original keeps its own."""
        found = optimise_weights(INDEX, DATA, node="Index")
        assert INDEX.node("Index") == indices.asem().node("Index")
        root = found.index.node("Index")
        assert isinstance(root, Aggregate)
        assert root.weights == tuple(found.weights.values())
        assert root.weights != (1.0, 1.0)

    def test_target_shares(self) -> None:
        """{child: share}: Sust counts twice as much as Conn."""
        found = optimise_weights(INDEX, DATA, node="Index", target={"Conn": 1, "Sust": 2})
        conn = ref_pearson(found.index, "Conn", "Index")
        sust = ref_pearson(found.index, "Sust", "Index")
        assert sust / (conn + sust) == pytest.approx(2 / 3, abs=1e-4)

    def test_three_children(self) -> None:
        """Sust's three pillars balanced: all three correlations equal within 1e-4."""
        found = optimise_weights(INDEX, DATA, node="Sust")
        r = [ref_pearson(found.index, c, "Sust") for c in ("Environ", "Social", "SusEcFin")]
        assert max(r) - min(r) < 1e-4

    def test_unreachable_targets_show_a_gap(self) -> None:
        """Conn's pillars cannot be balanced with positive weights: the gap says so."""
        found = optimise_weights(INDEX, DATA, node="Conn")
        shares = found.shares
        assert found.gap == pytest.approx(max(abs(s - 0.2) for s in shares.values()))
        assert found.gap > 1e-3


class TestInfomax:
    """Infomax: the children's correlations with the node add up to the most."""

    def test_no_grid_point_does_better(self) -> None:
        """No weights on a grid give a larger total correlation."""
        found = optimise_weights(INDEX, DATA, node="Sust", target="infomax")
        best = sum(found.correlations.values())
        kids = ("Environ", "Social", "SusEcFin")
        for a in (0.1, 0.3, 0.5):
            for b in (0.1, 0.3, 0.5):
                trial = INDEX.with_weights("Sust", (a, b, 1 - a - b) if a + b < 1 else (a, b, 0.1))
                total = sum(ref_pearson(trial, k, "Sust") for k in kids)
                assert best >= total - 1e-9
        assert found.targets == {}
        assert math.isnan(found.gap)


class TestErrors:
    """Bad requests are refused with the field named."""

    def test_leaf(self) -> None:
        """A leaf has no weights."""
        with pytest.raises(InvalidValueError, match="'node' must be an aggregate"):
            optimise_weights(INDEX, DATA, node="LPI")

    def test_iterations(self) -> None:
        """At least one iteration."""
        with pytest.raises(
            InvalidValueError, match=r"^'max_iterations' must be a whole number >= 1 \(got 0\)$"
        ):
            optimise_weights(INDEX, DATA, node="Index", max_iterations=0)
        with pytest.raises(InvalidValueError, match="'max_iterations' must be a whole number"):
            optimise_weights(INDEX, DATA, node="Index", max_iterations="5")  # type: ignore[arg-type]

    def test_target(self) -> None:
        """Targets must name every child, with positive shares."""
        with pytest.raises(InvalidValueError, match="one share for each child"):
            optimise_weights(INDEX, DATA, node="Index", target={"Conn": 1})
        with pytest.raises(InvalidValueError, match="positive, finite shares"):
            optimise_weights(INDEX, DATA, node="Index", target={"Conn": 1, "Sust": 0})
        with pytest.raises(InvalidValueError, match="'target' must be"):
            optimise_weights(INDEX, DATA, node="Index", target="maximal")  # type: ignore[arg-type]


class TestViews:
    """The table of an optimisation."""

    def test_rich_and_dict(self) -> None:
        """Weights and correlations before/after, in a table and in plain data."""
        found = optimise_weights(INDEX, DATA, node="Index")
        console = Console(record=True, width=80)
        console.print(found)
        assert "Optimised weights under Index (balance)" in console.export_text()
        children = found.to_dict()["children"]
        assert isinstance(children, list)
        assert [c["child"] for c in children] == ["Conn", "Sust"]
        assert found.to_frame().shape[0] == 2


class TestAvailability:
    """A node with an availability threshold is optimised through the full engine."""

    def test_threshold_node_still_balances(self) -> None:
        """With min_availability on every aggregate, balance still equalises within 1e-4."""
        import attrs

        nodes = tuple(
            attrs.evolve(n, min_availability=0.5) if isinstance(n, Aggregate) else n
            for n in INDEX.nodes
        )
        strict = attrs.evolve(INDEX, nodes=nodes)
        found = optimise_weights(strict, DATA, node="Index")
        conn = ref_pearson(found.index, "Conn", "Index")
        sust = ref_pearson(found.index, "Sust", "Index")
        assert abs(conn - sust) < 1e-4


class TestPanel:
    """A panel is optimised one period at a time."""

    def test_panel_refused(self) -> None:
        """Panel data is refused with the way to one period."""
        with pytest.raises(InvalidValueError, match=r"data.period\(p\)"):
            optimise_weights(INDEX, datasets.asem_panel(), node="Index")
