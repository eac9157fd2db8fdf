"""Laws of ranking an index's scores that hold for every small index and data set (hypothesis)."""

from __future__ import annotations

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dxplan
from dxplan.errors import EvaluationError
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, IndexResult
from test_index import indices_and_data


def _permuted(index: Index, data: st.DataObject) -> Index:
    """The same index with every inner node's children (and their weights) in a drawn order."""
    nodes = []
    for node in index.nodes:
        if isinstance(node, Aggregate):
            order = data.draw(st.permutations(range(len(node.children))))
            node = attrs.evolve(
                node,
                children=tuple(node.children[i] for i in order),
                weights=tuple(node.weights[i] for i in order),
            )
        nodes.append(node)
    return attrs.evolve(index, nodes=tuple(nodes))


def _all_ranks(result: IndexResult) -> dict[str, dict[str, int | None]]:
    return {node.id: result.rank(node.id) for node in result.index.nodes}


class TestRanksIgnoreOrder:
    @settings(max_examples=200, deadline=None)
    @given(indices_and_data(), st.data())
    def test_children_and_entities_in_any_order(
        self, case: tuple[Index, IndexData], data: st.DataObject
    ) -> None:
        """Permuting the children of every node and the order of the entities changes no rank
        of any node: equal scores summed in another order still tie."""
        index, values = case
        try:
            before = _all_ranks(index.evaluate(values))
        except EvaluationError:
            assume(False)
            raise
        shuffled = _permuted(index, data)
        order = data.draw(st.permutations(values.entities))
        after = _all_ranks(shuffled.evaluate(values.subset(list(order))))
        assert after == before

    @settings(max_examples=100, deadline=None)
    @given(
        st.lists(st.integers(0, 10_000).map(lambda k: k / 10_000), min_size=3, max_size=6),
        st.data(),
    )
    def test_permuted_rows_under_an_equal_weight_mean_all_tie(
        self, terms: list[float], data: st.DataObject
    ) -> None:
        """Entities whose values are the same numbers in another order have the same
        equal-weight mean, so all of them rank first, in evaluate and in the Monte Carlo."""
        from dxplan.index.model import Leaf

        ids = [f"c{i}" for i in range(len(terms))]
        index = Index(
            root="I", nodes=(*(Leaf(id=c) for c in ids), Aggregate(id="I", children=tuple(ids)))
        )
        rows = [list(data.draw(st.permutations(terms))) for _ in range(6)]
        values = IndexData(entities=[f"e{i}" for i in range(6)], components=ids, values=rows)
        assert set(index.evaluate(values).rank().values()) == {1}
        mc = dxplan.uncertainty(index, values, draws=3, weight_noise=0.0, seed=0)
        assert (mc.ranks == 1).all()
