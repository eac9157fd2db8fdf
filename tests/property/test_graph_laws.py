"""Laws of dxplan.plan.graph on random acyclic plans."""

from __future__ import annotations

import io
import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan.plan.graph import GraphNode, NodeKind, PlanGraph
from dxplan.plan.model import (
    Indicator,
    IndicatorGroup,
    Link,
    Plan,
    Priority,
    Provenance,
    Target,
    Task,
)
from dxplan.text import Label
from dxplan.units import PERCENT

SEED = Provenance.seed()
WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 2.0])


def _links(draw: st.DrawFn, ids: list[str], extra: str | None = None) -> tuple[Link, ...]:
    choices = [*ids, extra] if extra is not None else ids
    chosen = draw(st.lists(st.sampled_from(choices), unique=True)) if choices else []
    return tuple(Link(to=to, provenance=SEED, weight=draw(WEIGHTS)) for to in chosen)


@st.composite
def acyclic_plans(draw: st.DrawFn) -> Plan:
    """Plans whose tasks depend only on tasks made before them, listed in a shuffled order.

    Some links name ids the plan does not have (``9.9``), as broken plans do.
    """
    groups = []
    for g in range(draw(st.integers(1, 3))):
        indicators = [
            Indicator(
                id=f"{g + 1}.{i + 1}",
                label=Label(vi=f"Chỉ tiêu {g + 1}.{i + 1}"),
                unit=PERCENT,
                targets=tuple(
                    Target(comparator=">=", value=50, scope=scope)
                    for scope in ("a", "b")[: draw(st.integers(1, 2))]
                ),
            )
            for i in range(draw(st.integers(0, 3)))
        ]
        groups.append(
            IndicatorGroup(
                id=f"G{g + 1}",
                label=Label(vi=f"Nhóm {g + 1}"),
                declared_count=len(indicators),
                indicators=tuple(indicators),
            )
        )
    indicator_ids = [i.id for group in groups for i in group.indicators]
    priorities = [
        Priority(id=f"P{p + 1}", label=Label(vi=f"Ưu tiên {p + 1}"))
        for p in range(draw(st.integers(0, 2)))
    ]
    tasks: list[Task] = []
    for t in range(draw(st.integers(1, 7))):
        tasks.append(
            Task(
                id=f"T{t + 1}",
                label=Label(vi=f"Nhiệm vụ {t + 1}"),
                depends_on=_links(draw, [task.id for task in tasks]),
                contributes_to=_links(draw, indicator_ids, extra="9.9"),
                priorities=_links(draw, [p.id for p in priorities]),
            )
        )
    return Plan(
        id="random",
        label=Label(vi="Kế hoạch ngẫu nhiên"),
        priorities=tuple(priorities),
        groups=tuple(groups),
        tasks=tuple(draw(st.permutations(tasks))),
    )


class TestPlanGraphLaws:
    @given(acyclic_plans())
    @settings(deadline=None)
    def test_impact_is_downstream_of_the_task(self, plan: Plan) -> None:
        """Every element in impact(t) has t upstream, and impact reaches all of downstream(t)."""
        graph = PlanGraph.from_plan(plan)
        for task in plan.tasks:
            impact = graph.impact(task.id)
            for reach in impact.reached:
                assert GraphNode.task(task.id) in graph.upstream(reach.node)
                assert reach.path[0] == task.id
                assert reach.path[-1] == reach.node.id
            assert tuple(r.node for r in impact.reached) == graph.downstream(task.id)

    @given(acyclic_plans())
    @settings(deadline=None, max_examples=50)
    def test_impact_graph_has_the_same_impact(self, plan: Plan) -> None:
        """A task's impact graph answers impact exactly as the whole graph does."""
        graph = PlanGraph.from_plan(plan)
        for task in plan.tasks:
            assert graph.impact_graph(task.id).impact(task.id) == graph.impact(task.id)

    @given(acyclic_plans())
    @settings(deadline=None)
    def test_paths_are_prefix_closed(self, plan: Plan) -> None:
        """The path to each element continues the path to the element before it."""
        graph = PlanGraph.from_plan(plan)
        for task in plan.tasks:
            impact = graph.impact(task.id)
            paths = {(task.id,)} | {r.path for r in impact.reached}
            for reach in impact.reached:
                assert reach.path[:-1] in paths
                assert reach.weight >= 0

    @given(acyclic_plans())
    @settings(deadline=None)
    def test_execution_order_respects_dependencies(self, plan: Plan) -> None:
        """Each task comes in exactly one wave, after the waves of all its prerequisites."""
        graph = PlanGraph.from_plan(plan)
        waves = graph.execution_order()
        wave_of = {task.id: n for n, wave in enumerate(waves) for task in wave}
        assert sorted(wave_of) == sorted(task.id for task in plan.tasks)
        assert sum(len(wave) for wave in waves) == len(plan.tasks)
        for task in plan.tasks:
            for link in task.depends_on:
                assert wave_of[link.to] < wave_of[task.id]

    @given(acyclic_plans())
    @settings(deadline=None)
    def test_upstream_and_downstream_agree(self, plan: Plan) -> None:
        """a is upstream of b exactly when b is downstream of a."""
        graph = PlanGraph.from_plan(plan)
        up = {node: set(graph.upstream(node)) for node in graph.nodes()}
        down = {node: set(graph.downstream(node)) for node in graph.nodes()}
        for a, b in itertools.product(graph.nodes(), repeat=2):
            assert (a in up[b]) == (b in down[a])
            assert a not in up[a]

    @given(acyclic_plans())
    @settings(deadline=None)
    def test_ranking_matches_impact(self, plan: Plan) -> None:
        """Ranked scores are impact scores (to the last bits), listed from highest to lowest."""
        graph = PlanGraph.from_plan(plan)
        ranking = graph.rank_by_reach()
        assert [row.score for row in ranking] == sorted((r.score for r in ranking), reverse=True)
        for row in ranking:
            assert row.score == pytest.approx(graph.impact(row.task.id).score, rel=1e-12)
            assert row.rank == 1 + sum(other.score > row.score for other in ranking)

    @given(acyclic_plans())
    @settings(deadline=None)
    def test_coverage_counts_direct_links(self, plan: Plan) -> None:
        """Coverage counts each task's known indicators once, and uncovered ones have no task."""
        graph = PlanGraph.from_plan(plan)
        coverage = graph.coverage()
        for task, row in zip(coverage.tasks, coverage.counts, strict=True):
            assert sum(row) == len(graph.indicators_for(task.id))
        for indicator in coverage.uncovered:
            assert graph.tasks_for(indicator.id) == ()

    @given(acyclic_plans())
    @settings(deadline=None, max_examples=30)
    def test_exports_read_back(self, plan: Plan) -> None:
        """GraphML and node-link data read back with the graph's nodes and edges."""
        graph = PlanGraph.from_plan(plan)
        keys = [str(node) for node in graph.nodes()]
        pairs = [(str(e.source), str(e.target)) for e in graph.edges()]
        for read in (
            nx.read_graphml(io.BytesIO(graph.to_graphml().encode("utf-8"))),
            nx.node_link_graph(graph.to_node_link(), directed=True, edges="edges"),
        ):
            assert list(read.nodes) == keys
            assert sorted(read.edges) == sorted(pairs)
        assert all(node.kind in NodeKind for node in graph.nodes())
