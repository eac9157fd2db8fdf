"""Tests of dxplan.plan.graph on small hand-built plans with exact answers."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import networkx as nx
import pytest
from rich.console import Console

import _plans
from _plans import SEED, link
from dxplan.errors import CyclicDependencyError, InvalidValueError, UnknownIdError
from dxplan.plan.graph import (
    Coverage,
    GraphEdge,
    GraphNode,
    Impact,
    NodeKind,
    PlanGraph,
    Reach,
    Relation,
    TargetReach,
    TaskReach,
)
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
from dxplan.plan.validation import task_cycle
from dxplan.render import execution_tree, impact_tree
from dxplan.render.plan import MAX_DEPTH
from dxplan.text import Label
from dxplan.units import PERCENT

GUESS = Provenance.assumption("the plan names no task for this indicator")


def label(text: str) -> Label:
    return Label(vi=f"{text} vi", en=f"{text} en")


def indicator(indicator_id: str, *scopes: str) -> Indicator:
    targets = [Target(comparator=">=", value=50, scope=scope) for scope in scopes] or [
        Target(comparator=">=", value=50)
    ]
    return Indicator(id=indicator_id, label=label(indicator_id), unit=PERCENT, targets=targets)


def task(
    task_id: str,
    *,
    depends_on: Sequence[Link] = (),
    contributes_to: Sequence[Link] = (),
    priorities: Sequence[Link] = (),
) -> Task:
    return Task(
        id=task_id,
        label=label(task_id),
        depends_on=tuple(depends_on),
        contributes_to=tuple(contributes_to),
        priorities=tuple(priorities),
    )


def small_plan() -> Plan:
    """Four tasks listed T2, T1, T3, T4; T1 → T2 → T3 by dependency; T4 alone."""
    return Plan(
        id="small",
        label=label("small"),
        priorities=[Priority(id="P1", label=label("P1")), Priority(id="P2", label=label("P2"))],
        groups=[
            IndicatorGroup(
                id="G1",
                label=label("G1"),
                declared_count=3,
                indicators=[indicator("1.1"), indicator("1.2")],
            ),
            IndicatorGroup(
                id="G2",
                label=label("G2"),
                declared_count=2,
                indicators=[indicator("2.1", "city", "district"), indicator("2.2")],
            ),
        ],
        tasks=[
            task(
                "T2",
                depends_on=[link("T1")],
                contributes_to=[link("2.1", 0.5)],
                priorities=[link("P2")],
            ),
            task("T1", contributes_to=[link("1.1")], priorities=[link("P1")]),
            task(
                "T3",
                depends_on=[link("T2")],
                contributes_to=[link("1.2", 2.0, GUESS), link("9.9")],
            ),
            task("T4"),
        ],
    )


def mini_plan() -> Plan:
    """Two tasks, one indicator, one group, one priority, with quotes and symbols in labels."""
    return Plan(
        id="mini",
        label=Label(vi="Kế hoạch mẫu", en="Sample plan"),
        priorities=[
            Priority(id="P1", label=Label(vi='Ưu tiên "một"', en='Priority "one"')),
        ],
        groups=[
            IndicatorGroup(
                id="G1",
                label=Label(vi="Nhóm <A> & #1", en="Group <A> & #1"),
                declared_count=1,
                indicators=[
                    Indicator(
                        id="1.1",
                        label=Label(vi="Tỷ lệ \\ dịch vụ", en="Share of services"),
                        unit=PERCENT,
                        targets=[Target(comparator=">=", value=80, deadline=2025)],
                    )
                ],
            )
        ],
        tasks=[
            Task(
                id="T1",
                label=Label(vi="Hạ tầng số", en="Digital infrastructure"),
                contributes_to=(link("1.1", 0.5),),
                priorities=(link("P1"),),
            ),
            Task(
                id="T2",
                label=Label(vi="Dữ liệu", en="Data"),
                depends_on=(link("T1"),),
                contributes_to=(link("1.1"),),
            ),
        ],
    )


def cyclic_plan() -> Plan:
    """Tc, Ta, Tb listed in that order; Ta depends on Tb, Tb on Tc, Tc on Ta."""
    return Plan(
        id="cyclic",
        label=label("cyclic"),
        groups=[
            IndicatorGroup(
                id="G1", label=label("G1"), declared_count=1, indicators=[indicator("1.1")]
            )
        ],
        tasks=[
            task("Tc", depends_on=[link("Ta")], contributes_to=[link("1.1")]),
            task("Ta", depends_on=[link("Tb")]),
            task("Tb", depends_on=[link("Tc")]),
        ],
    )


def ids(items: tuple[Any, ...]) -> list[str]:
    return [item.id for item in items]


@pytest.fixture
def graph() -> PlanGraph:
    return PlanGraph.from_plan(small_plan())


class TestNodeKind:
    def test_plan_order(self) -> None:
        """Kinds are listed in the order answers come in: plan elements, then index parts."""
        assert [str(kind) for kind in NodeKind] == [
            "task",
            "indicator",
            "group",
            "priority",
            "component",
            "index_node",
        ]


class TestRelation:
    def test_values(self) -> None:
        """Each relation has a stable text value, used in the exports."""
        assert [str(r) for r in Relation] == [
            "prerequisite_of",
            "contributes_to",
            "belongs_to",
            "serves",
            "drives",
            "feeds",
            "scores",
        ]


class TestGraphNode:
    def test_constructors_match_kind(self) -> None:
        """The kind constructors build the same node as the keyword form."""
        assert GraphNode.task("T1") == GraphNode(kind="task", id="T1")
        assert GraphNode.indicator("1.1") == GraphNode(kind=NodeKind.INDICATOR, id="1.1")
        assert GraphNode.group("G1").kind is NodeKind.GROUP
        assert GraphNode.priority("P1").kind is NodeKind.PRIORITY

    def test_same_id_different_kind(self) -> None:
        """A task and an indicator with the same id are different nodes."""
        assert GraphNode.task("1.1") != GraphNode.indicator("1.1")

    def test_str(self) -> None:
        """A node prints as kind:id, the key used in the exports."""
        assert str(GraphNode.indicator("3.1")) == "indicator:3.1"

    def test_bad_kind(self) -> None:
        """An unknown kind is refused with the kinds that exist."""
        with pytest.raises(InvalidValueError, match="'kind' must be one of 'task'"):
            GraphNode(kind="target", id="1.1")

    def test_bad_id(self) -> None:
        """An id with spaces is refused."""
        with pytest.raises(InvalidValueError, match="'id' must be an id"):
            GraphNode(kind="task", id="T 1")


class TestGraphEdge:
    def test_keeps_link_weight_and_provenance(self, graph: PlanGraph) -> None:
        """An edge from a link keeps the link's weight and provenance."""
        edge = next(e for e in graph.edges() if e.target == GraphNode.indicator("1.2"))
        assert edge == GraphEdge(
            source=GraphNode.task("T3"),
            target=GraphNode.indicator("1.2"),
            relation=Relation.CONTRIBUTES_TO,
            weight=2.0,
            provenance=GUESS,
        )


@pytest.mark.parametrize(("old", "new"), [("Node", GraphNode), ("Edge", GraphEdge)])
def test_old_names_warn_and_still_work(old: str, new: type) -> None:
    """graph.Node and graph.Edge, documented before the rename, still give the new classes."""
    import dxplan.plan.graph as graph_module

    with pytest.warns(
        DeprecationWarning, match=rf"graph\.{old} is deprecated: use .*\.{new.__name__}"
    ):
        assert getattr(graph_module, old) is new


class TestReach:
    def test_through_lists_intermediate_tasks(self, graph: PlanGraph) -> None:
        """``through`` is the dependent tasks between the task and what it reaches."""
        impact = graph.impact("T1")
        through = {str(r.node): r.through for r in impact.reached}
        assert through == {
            "task:T2": (),
            "task:T3": ("T2",),
            "indicator:1.1": (),
            "indicator:1.2": ("T2", "T3"),
            "indicator:2.1": ("T2",),
            "group:G1": ("T2", "T3"),
            "group:G2": ("T2",),
            "priority:P1": (),
            "priority:P2": ("T2",),
        }


class TestTargetReach:
    def test_one_per_target(self, graph: PlanGraph) -> None:
        """Each target of a reached indicator is listed with the indicator's path and weight."""
        reaches = graph.impact("T2").targets
        assert [(r.indicator.id, r.target.scope, r.path, r.weight) for r in reaches] == [
            ("1.2", None, ("T2", "T3", "1.2"), 2.0),
            ("2.1", "city", ("T2", "2.1"), 0.5),
            ("2.1", "district", ("T2", "2.1"), 0.5),
        ]
        assert isinstance(reaches[0], TargetReach)


class TestImpact:
    def test_reaches_through_dependents(self, graph: PlanGraph) -> None:
        """T1 reaches its own indicator and, through T2 and T3, theirs, with paths."""
        impact = graph.impact("T1")
        assert impact.task.id == "T1"
        paths = [(str(r.node), r.path, r.weight) for r in impact.reached]
        assert paths == [
            ("task:T2", ("T1", "T2"), 1.0),
            ("task:T3", ("T1", "T2", "T3"), 1.0),
            ("indicator:1.1", ("T1", "1.1"), 1.0),
            ("indicator:1.2", ("T1", "T2", "T3", "1.2"), 2.0),
            ("indicator:2.1", ("T1", "T2", "2.1"), 0.5),
            # G1 is reached through 1.2 (weight 2), not the shorter path through 1.1.
            ("group:G1", ("T1", "T2", "T3", "1.2", "G1"), 2.0),
            ("group:G2", ("T1", "T2", "2.1", "G2"), 0.5),
            ("priority:P1", ("T1", "P1"), 1.0),
            ("priority:P2", ("T1", "T2", "P2"), 1.0),
        ]
        assert [(t.indicator.id, t.target.scope) for t in impact.targets] == [
            ("1.1", None),
            ("1.2", None),
            ("2.1", "city"),
            ("2.1", "district"),
        ]
        assert impact.score == 4.0

    def test_kinds_are_split(self, graph: PlanGraph) -> None:
        """Tasks, indicators, groups and priorities are listed apart, in plan order."""
        impact = graph.impact("T2")
        assert [r.node.id for r in impact.tasks] == ["T3"]
        assert [r.node.id for r in impact.indicators] == ["1.2", "2.1"]
        assert [r.node.id for r in impact.groups] == ["G1", "G2"]
        assert [r.node.id for r in impact.priorities] == ["P2"]
        assert isinstance(impact.indicators[0].element, Indicator)
        assert isinstance(impact.tasks[0], Reach)

    def test_isolated_task(self, graph: PlanGraph) -> None:
        """A task with no links reaches nothing and scores zero."""
        impact = graph.impact("T4")
        assert impact == Impact(
            task=impact.task, tasks=(), indicators=(), targets=(), groups=(), priorities=()
        )
        assert impact.score == 0

    def test_heavier_path_wins_over_shorter(self) -> None:
        """Of two paths, the one with the larger product of weights is kept."""
        plan = Plan(
            id="p",
            label=label("p"),
            groups=[
                IndicatorGroup(
                    id="G", label=label("G"), declared_count=1, indicators=[indicator("X")]
                )
            ],
            tasks=[
                task("A", contributes_to=[link("X", 0.5)]),
                task("B", depends_on=[link("A")], contributes_to=[link("X")]),
            ],
        )
        (reach,) = PlanGraph.from_plan(plan).impact("A").indicators
        assert (reach.path, reach.weight) == (("A", "B", "X"), 1.0)

    def test_equal_paths_broken_by_plan_order(self) -> None:
        """Of two equal paths, the one through the task listed first is kept."""
        plan = Plan(
            id="p",
            label=label("p"),
            groups=[
                IndicatorGroup(
                    id="G", label=label("G"), declared_count=1, indicators=[indicator("X")]
                )
            ],
            tasks=[
                task("A"),
                task("C", depends_on=[link("A")], contributes_to=[link("X")]),
                task("B", depends_on=[link("A")], contributes_to=[link("X")]),
            ],
        )
        (reach,) = PlanGraph.from_plan(plan).impact("A").indicators
        assert reach.path == ("A", "C", "X")

    def test_unknown_task(self, graph: PlanGraph) -> None:
        """An unknown task id is named with the known task ids."""
        with pytest.raises(
            UnknownIdError, match=r"no task with id 'T9'; known ids: T2, T1, T3, T4"
        ):
            graph.impact("T9")

    def test_indicator_id_is_not_a_task(self, graph: PlanGraph) -> None:
        """impact takes task ids only."""
        with pytest.raises(UnknownIdError, match=r"no task with id '1\.1'"):
            graph.impact("1.1")

    def test_cycle_raises(self) -> None:
        """A dependency cycle stops impact with the cycle named."""
        with pytest.raises(CyclicDependencyError, match="Tc → Ta → Tb → Tc"):
            PlanGraph.from_plan(cyclic_plan()).impact("Ta")


class TestTaskReach:
    def test_ranked_through_dependents(self, graph: PlanGraph) -> None:
        """Tasks are ranked by the weighted targets they reach through their dependents."""
        rows = [
            (r.task.id, r.rank, r.score, r.targets, r.indicators) for r in graph.rank_by_reach()
        ]
        assert rows == [
            ("T1", 1, 4.0, 4, 3),
            ("T2", 2, 3.0, 3, 2),
            ("T3", 3, 2.0, 1, 1),
            ("T4", 4, 0.0, 0, 0),
        ]

    def test_ranked_directly_with_ties(self, graph: PlanGraph) -> None:
        """Direct contributions only: equal scores share a rank, more targets listed first."""
        rows = [
            (r.task.id, r.rank, r.score, r.targets)
            for r in graph.rank_by_reach(through_dependents=False)
        ]
        assert rows == [("T3", 1, 2.0, 1), ("T2", 2, 1.0, 2), ("T1", 2, 1.0, 1), ("T4", 4, 0, 0)]
        assert isinstance(graph.rank_by_reach()[0], TaskReach)

    def test_score_is_impact_score(self, graph: PlanGraph) -> None:
        """A task's score is the score of its impact."""
        for row in graph.rank_by_reach():
            assert row.score == pytest.approx(graph.impact(row.task.id).score, rel=1e-12)

    def test_cycle_raises(self) -> None:
        """A dependency cycle stops the ranking."""
        with pytest.raises(CyclicDependencyError):
            PlanGraph.from_plan(cyclic_plan()).rank_by_reach()


class TestCoverage:
    def test_matrix_and_uncovered(self, graph: PlanGraph) -> None:
        """The matrix counts direct contributions per group; 2.2 has no task."""
        coverage = graph.coverage()
        assert ids(coverage.tasks) == ["T2", "T1", "T3", "T4"]
        assert ids(coverage.groups) == ["G1", "G2"]
        assert coverage.counts == ((0, 1), (1, 0), (1, 0), (0, 0))
        assert ids(coverage.uncovered) == ["2.2"]

    def test_count(self, graph: PlanGraph) -> None:
        """count reads one cell by ids."""
        coverage = graph.coverage()
        assert isinstance(coverage, Coverage)
        assert coverage.count("T3", "G1") == 1
        assert coverage.count("T3", "G2") == 0

    def test_count_unknown(self, graph: PlanGraph) -> None:
        """An unknown group id is named with the known ones."""
        with pytest.raises(
            UnknownIdError, match="no indicator group with id 'G9'; known ids: G1, G2"
        ):
            graph.coverage().count("T1", "G9")


class TestPlanGraph:
    def test_plan_graph_property(self) -> None:
        """Plan.graph builds the same graph as from_plan."""
        plan = small_plan()
        assert plan.graph.nodes() == PlanGraph.from_plan(plan).nodes()
        assert plan.graph.plan is plan

    def test_nodes_in_plan_order(self, graph: PlanGraph) -> None:
        """Nodes come tasks first, then indicators, groups and priorities, each in plan order."""
        assert [str(n) for n in graph.nodes()] == [
            "task:T2",
            "task:T1",
            "task:T3",
            "task:T4",
            "indicator:1.1",
            "indicator:1.2",
            "indicator:2.1",
            "indicator:2.2",
            "group:G1",
            "group:G2",
            "priority:P1",
            "priority:P2",
        ]

    def test_edges(self, graph: PlanGraph) -> None:
        """Every link becomes one edge from cause to effect, sorted by source then target."""
        assert [
            (str(e.source), str(e.relation), str(e.target), e.weight) for e in graph.edges()
        ] == [
            ("task:T2", "prerequisite_of", "task:T3", 1.0),
            ("task:T2", "contributes_to", "indicator:2.1", 0.5),
            ("task:T2", "serves", "priority:P2", 1.0),
            ("task:T1", "prerequisite_of", "task:T2", 1.0),
            ("task:T1", "contributes_to", "indicator:1.1", 1.0),
            ("task:T1", "serves", "priority:P1", 1.0),
            ("task:T3", "contributes_to", "indicator:1.2", 2.0),
            ("indicator:1.1", "belongs_to", "group:G1", 1.0),
            ("indicator:1.2", "belongs_to", "group:G1", 1.0),
            ("indicator:2.1", "belongs_to", "group:G2", 1.0),
            ("indicator:2.2", "belongs_to", "group:G2", 1.0),
        ]

    def test_dangling_links_skipped(self, graph: PlanGraph) -> None:
        """A link to an unknown indicator is left out of the graph and listed apart."""
        assert graph.dangling_links == (
            GraphEdge(
                source=GraphNode.task("T3"),
                target=GraphNode.indicator("9.9"),
                relation=Relation.CONTRIBUTES_TO,
                weight=1.0,
                provenance=SEED,
            ),
        )
        assert GraphNode.indicator("9.9") not in graph

    def test_dangling_dependency_and_priority(self) -> None:
        """Links to unknown tasks and priorities are skipped too."""
        plan = Plan(
            id="p",
            label=label("p"),
            tasks=[task("A", depends_on=[link("Z")], priorities=[link("P9")])],
        )
        graph = PlanGraph.from_plan(plan)
        assert graph.edges() == ()
        assert [(str(e.source), str(e.target)) for e in graph.dangling_links] == [
            ("task:Z", "task:A"),
            ("task:A", "priority:P9"),
        ]

    def test_duplicate_ids_first_wins(self) -> None:
        """Of two tasks with one id, the first is the node; the second's links are ignored."""
        plan = Plan(
            id="p",
            label=label("p"),
            groups=[
                IndicatorGroup(
                    id="G", label=label("G"), declared_count=1, indicators=[indicator("X")]
                )
            ],
            tasks=[task("A"), task("A", contributes_to=[link("X")])],
        )
        graph = PlanGraph.from_plan(plan)
        assert graph.element("A") is plan.tasks[0]
        assert graph.tasks_for("X") == ()

    def test_tasks_for(self, graph: PlanGraph) -> None:
        """tasks_for lists the direct contributors only."""
        assert ids(graph.tasks_for("1.2")) == ["T3"]
        assert ids(graph.tasks_for("2.2")) == []

    def test_indicators_for(self, graph: PlanGraph) -> None:
        """indicators_for lists the task's own indicators, without dangling ones."""
        assert ids(graph.indicators_for("T3")) == ["1.2"]
        assert ids(graph.indicators_for("T4")) == []

    def test_tasks_for_unknown(self, graph: PlanGraph) -> None:
        """An unknown indicator id is named with the known indicator ids."""
        with pytest.raises(
            UnknownIdError, match=r"no indicator with id '9.9'; known ids: 1.1, 1.2, 2.1, 2.2"
        ):
            graph.tasks_for("9.9")

    def test_upstream(self, graph: PlanGraph) -> None:
        """upstream of an indicator is its tasks and their prerequisites, in plan order."""
        assert [str(n) for n in graph.upstream("1.2")] == ["task:T2", "task:T1", "task:T3"]
        assert [str(n) for n in graph.upstream(GraphNode.group("G2"))] == [
            "task:T2",
            "task:T1",
            "indicator:2.1",
            "indicator:2.2",
        ]
        assert graph.upstream("T1") == ()

    def test_downstream(self, graph: PlanGraph) -> None:
        """downstream of a task is its dependents and everything any of them reaches."""
        assert [str(n) for n in graph.downstream("T2")] == [
            "task:T3",
            "indicator:1.2",
            "indicator:2.1",
            "group:G1",
            "group:G2",
            "priority:P2",
        ]
        assert graph.downstream("P1") == ()

    def test_closure_unknown_id(self, graph: PlanGraph) -> None:
        """An id no element has is named with every known id."""
        with pytest.raises(UnknownIdError, match="no element with id 'nope'; known ids: T2, T1"):
            graph.upstream("nope")
        with pytest.raises(UnknownIdError, match="no priority with id 'P9'; known ids: P1, P2"):
            graph.downstream(GraphNode.priority("P9"))

    def test_shared_id_needs_a_node(self) -> None:
        """An id shared by a task and an indicator must be given as a GraphNode."""
        plan = Plan(
            id="p",
            label=label("p"),
            groups=[
                IndicatorGroup(
                    id="G", label=label("G"), declared_count=1, indicators=[indicator("1.1")]
                )
            ],
            tasks=[task("1.1", contributes_to=[link("1.1")])],
        )
        graph = PlanGraph.from_plan(plan)
        with pytest.raises(UnknownIdError, match=r"id '1\.1' names a task and an indicator"):
            graph.upstream("1.1")
        assert graph.upstream(GraphNode.indicator("1.1")) == (GraphNode.task("1.1"),)
        assert graph.downstream(GraphNode.task("1.1")) == (
            GraphNode.indicator("1.1"),
            GraphNode.group("G"),
        )
        assert ids(graph.tasks_for("1.1")) == ["1.1"]

    def test_element(self, graph: PlanGraph) -> None:
        """element returns the plan's own object for a node."""
        plan = graph.plan
        assert graph.element(GraphNode.group("G2")) is plan.groups[1]
        assert graph.element("P1") is plan.priorities[0]

    def test_execution_order(self, graph: PlanGraph) -> None:
        """Tasks come in waves of prerequisites first, plan order within a wave."""
        waves = [ids(wave) for wave in graph.execution_order()]
        assert waves == [["T1", "T4"], ["T2"], ["T3"]]

    def test_cycle_named_as_check_names_it(self) -> None:
        """A cycle is named in depends_on order from the first task in plan order, as check does."""
        graph = PlanGraph.from_plan(cyclic_plan())
        assert graph.cycle == ("Tc", "Ta", "Tb") == task_cycle(cyclic_plan().tasks)
        with pytest.raises(
            CyclicDependencyError, match=r"\$\.tasks: dependency cycle Tc → Ta → Tb → Tc"
        ) as info:
            graph.execution_order()
        assert info.value.cycle == ("Tc", "Ta", "Tb")

    def test_cycle_through_duplicate_id(self) -> None:
        """A cycle through a duplicated id (the first task of the id counts) is found,
        and named as dxplan.check names it."""
        plan = Plan(
            id="p",
            label=label("p"),
            tasks=[task("B", depends_on=[link("A")]), task("A", depends_on=[link("B")]), task("A")],
        )
        graph = PlanGraph.from_plan(plan)
        assert graph.cycle == ("B", "A") == task_cycle(plan.tasks)
        with pytest.raises(CyclicDependencyError, match="B → A → B"):
            graph.execution_order()

    def test_self_dependency_is_a_cycle(self) -> None:
        """A task that depends on itself is a cycle of one."""
        plan = Plan(id="p", label=label("p"), tasks=[task("A", depends_on=[link("A")])])
        with pytest.raises(CyclicDependencyError, match="A → A"):
            PlanGraph.from_plan(plan).execution_order()

    def test_cyclic_plan_still_answers_closures(self) -> None:
        """A cyclic plan still answers closures and exports."""
        graph = PlanGraph.from_plan(cyclic_plan())
        assert [n.id for n in graph.upstream("1.1")] == ["Tc", "Ta", "Tb"]
        assert "Ta" in graph.to_dot()

    def test_no_cycle(self, graph: PlanGraph) -> None:
        """An acyclic plan has an empty cycle."""
        assert graph.cycle == ()

    def test_repr(self, graph: PlanGraph) -> None:
        """The repr counts nodes by kind and edges."""
        assert repr(graph) == (
            "<PlanGraph 'small' tasks=4, indicators=4, groups=2, priorities=2, edges=11>"
        )

    def test_no_networkx_in_answers(self, graph: PlanGraph) -> None:
        """No answer is a networkx object."""
        answers: list[Any] = [
            graph.nodes(),
            graph.edges(),
            graph.upstream("1.1"),
            graph.impact("T1"),
            graph.coverage(),
            graph.execution_order(),
            graph.to_node_link(),
        ]
        for answer in answers:
            assert "networkx" not in type(answer).__module__

    def test_subgraph(self, graph: PlanGraph) -> None:
        """A subgraph keeps the chosen nodes in plan order and the edges between them."""
        sub = graph.subgraph(["T3", "T2", GraphNode.indicator("1.2"), "G2"])
        assert [str(n) for n in sub.nodes()] == ["task:T2", "task:T3", "indicator:1.2", "group:G2"]
        assert [(str(e.source), str(e.target)) for e in sub.edges()] == [
            ("task:T2", "task:T3"),
            ("task:T3", "indicator:1.2"),
        ]
        assert ids(sub.execution_order()[0]) == ["T2"]
        assert sub.dangling_links == ()
        assert sub.plan is graph.plan

    def test_impact_graph(self, graph: PlanGraph) -> None:
        """impact_graph is the task and everything downstream of it."""
        sub = graph.impact_graph("T2")
        assert sub.nodes() == (GraphNode.task("T2"), *graph.downstream("T2"))
        assert sub.impact("T2") == graph.impact("T2")
        assert sub.upstream("1.2") == (GraphNode.task("T2"), GraphNode.task("T3"))

    def test_subgraph_unknown_node(self, graph: PlanGraph) -> None:
        """A subgraph of an unknown node is refused."""
        with pytest.raises(UnknownIdError, match="no task with id 'T9'"):
            graph.subgraph([GraphNode.task("T9")])

    def test_to_dot(self) -> None:
        """DOT text is exact, with quotes and backslashes escaped."""
        expected = r"""digraph "mini" {
  rankdir=LR;
  label="Kế hoạch mẫu";
  "task:T1" [label="T1\nHạ tầng số", shape=box];
  "task:T2" [label="T2\nDữ liệu", shape=box];
  "indicator:1.1" [label="1.1\nTỷ lệ \\ dịch vụ", shape=ellipse];
  "group:G1" [label="G1\nNhóm <A> & #1", shape=folder];
  "priority:P1" [label="P1\nƯu tiên \"một\"", shape=hexagon];
  "task:T1" -> "task:T2" [style=bold];
  "task:T1" -> "indicator:1.1" [label="0.5"];
  "task:T1" -> "priority:P1" [style=dotted];
  "task:T2" -> "indicator:1.1";
  "indicator:1.1" -> "group:G1" [style=dashed];
}
"""
        assert PlanGraph.from_plan(mini_plan()).to_dot() == expected

    def test_to_dot_english(self) -> None:
        """lang='en' labels the nodes in English."""
        dot = PlanGraph.from_plan(mini_plan()).to_dot(lang="en")
        assert '"task:T1" [label="T1\\nDigital infrastructure", shape=box];' in dot
        assert 'label="Sample plan";' in dot

    def test_to_mermaid(self) -> None:
        """Mermaid text is exact, with quotes and symbols as entity codes."""
        expected = """flowchart LR
  task_T1["T1: Digital infrastructure"]
  task_T2["T2: Data"]
  indicator_1_1(["1.1: Share of services"])
  group_G1[["G1: Group #lt;A#gt; #amp; #35;1"]]
  priority_P1{{"P1: Priority #quot;one#quot;"}}
  task_T1 ==> task_T2
  task_T1 -->|"0.5"| indicator_1_1
  task_T1 -.-> priority_P1
  task_T2 --> indicator_1_1
  indicator_1_1 -.-> group_G1
"""
        assert PlanGraph.from_plan(mini_plan()).to_mermaid(lang="en") == expected

    def test_mermaid_names_stay_apart(self) -> None:
        """Ids that differ only in symbols get different Mermaid names."""
        plan = Plan(
            id="p",
            label=label("p"),
            groups=[
                IndicatorGroup(
                    id="G",
                    label=label("G"),
                    declared_count=2,
                    indicators=[indicator("1.1"), indicator("1_1")],
                )
            ],
        )
        lines = PlanGraph.from_plan(plan).to_mermaid().splitlines()
        assert lines[1:3] == [
            '  indicator_1_1(["1.1: 1.1 vi"])',
            '  indicator_1_1_2(["1_1: 1_1 vi"])',
        ]

    def test_unknown_lang(self) -> None:
        """A language other than vi or en is refused."""
        lang: Any = "fr"
        with pytest.raises(InvalidValueError, match="'lang' must be 'vi' or 'en' \\(got 'fr'\\)"):
            PlanGraph.from_plan(mini_plan()).to_mermaid(lang=lang)

    def test_graphml_round_trip(self, graph: PlanGraph) -> None:
        """GraphML read back by networkx has the same nodes, edges and attributes."""
        read = nx.read_graphml(io.BytesIO(graph.to_graphml(lang="en").encode("utf-8")))
        assert list(read.nodes) == [str(n) for n in graph.nodes()]
        assert read.nodes["indicator:2.1"] == {
            "kind": "indicator",
            "element_id": "2.1",
            "label": "2.1 en",
        }
        # read_graphml adds empty node_default and edge_default entries of its own.
        graph_data = {k: v for k, v in read.graph.items() if not k.endswith("_default")}
        assert graph_data == {"plan": "small", "label": "small en", "lang": "en"}
        edges = {(u, w): data for u, w, data in read.edges(data=True)}
        assert len(edges) == len(graph.edges())
        assert edges["task:T3", "indicator:1.2"] == {
            "relation": "contributes_to",
            "weight": 2.0,
            "provenance": "assumption",
            "note": "the plan names no task for this indicator",
        }

    def test_node_link_round_trip(self, graph: PlanGraph) -> None:
        """The node-link dict survives JSON and reads back as the same graph as the GraphML."""
        data = json.loads(json.dumps(graph.to_node_link(), ensure_ascii=False))
        from_json = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
        from_graphml = nx.read_graphml(io.BytesIO(graph.to_graphml().encode("utf-8")))
        assert list(from_json.nodes(data=True)) == list(from_graphml.nodes(data=True))
        assert list(from_json.edges(data=True)) == list(from_graphml.edges(data=True))
        assert from_json.graph.items() <= from_graphml.graph.items()


class TestImpactTree:
    def test_tree_text(self) -> None:
        """Each element hangs under the one before it on its heaviest path (1.1 through T2)."""
        console = Console(record=True, width=100, color_system=None)
        console.print(impact_tree(PlanGraph.from_plan(mini_plan()), "T1", lang="en"))
        assert console.export_text() == (
            "Task T1 Digital infrastructure\n"
            "├── Task T2 Data\n"
            "│   └── Indicator 1.1 Share of services\n"
            "│       ├── Target: ≥ 80 %, by 2025\n"
            "│       └── Indicator group G1 Group <A> & #1\n"
            '└── Priority P1 Priority "one"\n'
        )

    def test_tree_vietnamese(self) -> None:
        """The tree speaks Vietnamese by default, and markup in labels is shown as text."""
        console = Console(record=True, width=100, color_system=None)
        console.print(impact_tree(PlanGraph.from_plan(mini_plan()), "T2"))
        assert console.export_text() == (
            "Nhiệm vụ T2 Dữ liệu\n"
            "└── Chỉ tiêu 1.1 Tỷ lệ \\ dịch vụ\n"
            "    ├── Mục tiêu: ≥ 80 %, đến 2025\n"
            "    └── Nhóm chỉ tiêu G1 Nhóm <A> & #1\n"
        )

    def test_unknown_task(self) -> None:
        """An unknown task id raises before anything is drawn."""
        with pytest.raises(UnknownIdError, match="no task with id 'T9'"):
            impact_tree(PlanGraph.from_plan(mini_plan()), "T9")

    def test_a_long_chain_nests_only_so_deep(self) -> None:
        """Past MAX_DEPTH levels a path goes on as a list, each step after "→", none lost."""
        n = MAX_DEPTH + 5
        tasks = [
            _plans.task(f"T{i:02d}", depends=[f"T{i - 1:02d}"] if i else [], to=(), serves=())
            for i in range(n)
        ]
        chain = _plans.plan(tasks=tasks)
        console = Console(record=True, width=200, color_system=None)
        console.print(impact_tree(PlanGraph.from_plan(chain), "T00", lang="en"))
        lines = console.export_text().splitlines()
        assert [line.split("Task ")[1].split()[0] for line in lines] == [
            f"T{i:02d}" for i in range(n)
        ]
        nested, listed = lines[1 : MAX_DEPTH + 1], lines[MAX_DEPTH + 1 :]
        # Level k (1-based) starts 4 (k - 1) columns in; the listed steps stand at MAX_DEPTH.
        assert [line.index("Task") for line in nested] == [4 * k + 4 for k in range(MAX_DEPTH)]
        assert all("→ Task" in line for line in listed)
        assert {line.index("→") for line in listed} == {4 * MAX_DEPTH}


class TestExecutionTree:
    def test_tree_text(self) -> None:
        """The tree lists waves, their tasks in plan order and each task's own indicators."""
        console = Console(record=True, width=100, color_system=None)
        console.print(execution_tree(PlanGraph.from_plan(small_plan()), lang="en"))
        assert console.export_text() == (
            "small en\n"
            "├── Wave 1\n"
            "│   ├── Task T1 T1 en\n"
            "│   │   └── Indicator 1.1 1.1 en\n"
            "│   └── Task T4 T4 en\n"
            "├── Wave 2\n"
            "│   └── Task T2 T2 en\n"
            "│       └── Indicator 2.1 2.1 en\n"
            "└── Wave 3\n"
            "    └── Task T3 T3 en\n"
            "        └── Indicator 1.2 1.2 en\n"
        )

    def test_cycle_raises(self) -> None:
        """A cyclic plan has no waves to draw."""
        with pytest.raises(CyclicDependencyError):
            execution_tree(PlanGraph.from_plan(cyclic_plan()))


class TestNoNetworkx:
    """The plan graph is plain dictionaries: only GraphML export loads networkx."""

    def test_queries_do_not_import_networkx(self) -> None:
        """Building the HCMC graph and asking every kind of question leaves networkx unloaded."""
        import subprocess
        import sys

        script = (
            "import sys, dxplan\n"
            "graph = dxplan.load_plan('hcmc-2024').graph\n"
            "graph.impact('T03'); graph.execution_order(); graph.rank_by_reach()\n"
            "graph.upstream('3.1'); graph.to_dot(); graph.to_node_link()\n"
            "print('networkx' in sys.modules)\n"
            "graph.to_graphml()\n"
            "print('networkx' in sys.modules)\n"
        )
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        assert run.stdout.split() == ["False", "True"]
