"""The directed graph under :class:`~dxplan.plan.graph.PlanGraph`: dictionaries, no networkx.

A plan graph needs successors and predecessors with edge data, reachability
and a topological order; networkx gave them at the cost of its import (about
as long as attrs and pint together), which every ``dxplan graph`` paid. Nodes
and edges keep their insertion order, as networkx's do, so answers built from
them are in the same order.
"""

from __future__ import annotations

import graphlib
from collections.abc import Hashable, Iterable, Iterator
from typing import Any, Generic, TypeVar

N = TypeVar("N", bound=Hashable)

__all__ = ["Digraph"]


class Digraph(Generic[N]):
    """Nodes with attributes, and at most one edge per ordered pair, with its data.

    ``nodes[n]`` is the attribute dict of ``n``; ``adj[n]`` maps each successor
    of ``n`` to the edge's data, and ``pred[n]`` each predecessor (the same
    dicts), as networkx's ``DiGraph`` does.
    """

    __slots__ = ("adj", "nodes", "pred")

    def __init__(self) -> None:
        self.nodes: dict[N, dict[str, Any]] = {}
        self.adj: dict[N, dict[N, dict[str, Any]]] = {}
        self.pred: dict[N, dict[N, dict[str, Any]]] = {}

    def __iter__(self) -> Iterator[N]:
        return iter(self.nodes)

    def add_node(self, node: N, **attributes: Any) -> None:
        """Add ``node`` (or update its attributes)."""
        if node not in self.nodes:
            self.nodes[node] = {}
            self.adj[node] = {}
            self.pred[node] = {}
        self.nodes[node].update(attributes)

    def add_edge(self, source: N, target: N, **data: Any) -> None:
        """Add the edge ``source → target`` (and its nodes), or update its data."""
        self.add_node(source)
        self.add_node(target)
        found = self.adj[source].setdefault(target, {})
        found.update(data)
        self.pred[target][source] = found

    def has_edge(self, source: N, target: N) -> bool:
        """Whether the edge ``source → target`` is in the graph."""
        return target in self.adj.get(source, {})

    def edges(self) -> Iterator[tuple[N, N, dict[str, Any]]]:
        """Every edge with its data, by source in insertion order, then by target."""
        for source, successors in self.adj.items():
            for target, data in successors.items():
                yield source, target, data

    def number_of_edges(self) -> int:
        """How many edges the graph has."""
        return sum(len(successors) for successors in self.adj.values())

    def successors(self, node: N) -> Iterator[N]:
        """The nodes ``node`` has an edge to."""
        return iter(self.adj[node])

    def predecessors(self, node: N) -> Iterator[N]:
        """The nodes with an edge to ``node``."""
        return iter(self.pred[node])

    def descendants(self, node: N) -> set[N]:
        """Every node reachable from ``node``, without it (unless on a cycle through it)."""
        return self._reach(node, self.adj)

    def ancestors(self, node: N) -> set[N]:
        """Every node that reaches ``node``, without it (unless on a cycle through it)."""
        return self._reach(node, self.pred)

    def _reach(self, start: N, links: dict[N, dict[N, dict[str, Any]]]) -> set[N]:
        seen: set[N] = set()
        stack = list(links[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(links[node])
        seen.discard(start)
        return seen

    def topological_order(self) -> tuple[N, ...]:
        """Every node after all its predecessors.

        Raises:
            graphlib.CycleError: the graph has a cycle.
        """
        sorter = graphlib.TopologicalSorter({node: self.pred[node] for node in self.nodes})
        return tuple(sorter.static_order())

    def generations(self) -> Iterator[list[N]]:
        """The nodes in waves: each wave's predecessors are all in earlier waves.

        Raises:
            graphlib.CycleError: the graph has a cycle.
        """
        sorter = graphlib.TopologicalSorter({node: self.pred[node] for node in self.nodes})
        sorter.prepare()
        while sorter.is_active():
            wave = list(sorter.get_ready())
            sorter.done(*wave)
            yield wave

    def subgraph(self, keep: Iterable[N]) -> Digraph[N]:
        """The nodes of ``keep`` (in this graph's order) and the edges between them, copied."""
        kept = set(keep)
        sub: Digraph[N] = Digraph()
        for node, attributes in self.nodes.items():
            if node in kept:
                sub.add_node(node, **attributes)
        for source, target, data in self.edges():
            if source in kept and target in kept:
                sub.add_edge(source, target, **data)
        return sub
