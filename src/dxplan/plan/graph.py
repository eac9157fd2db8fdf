"""The task ↔ indicator dependency graph of a plan.

:class:`PlanGraph` holds one node per priority, task, indicator group and
indicator, told apart by :class:`GraphNode` (a kind and an id, so a task and an
indicator may share an id). Every edge points the way work flows, from the
cause to what it moves:

- ``prerequisite_of``: prerequisite task → the task that depends on it
  (from ``Task.depends_on``, read backwards);
- ``contributes_to``: task → indicator (from ``Task.contributes_to``);
- ``belongs_to``: indicator → its group (from ``IndicatorGroup.indicators``);
- ``serves``: task → priority (from ``Task.priorities``);
- ``drives``: task → a component of a composite index (from ``Task.drives``);
- ``feeds``: index component → the inner index node above it, and inner node
  → its parent (weight 0 where the index gives the child no weight, as the
  DTI's pillars under its root);
- ``scores``: an index's root → each plan indicator scored from that index
  (``Indicator.scored_from``, e.g. HCMC's 1.1, the DTI rank).

So :meth:`PlanGraph.downstream` of a task is everything its work reaches and
:meth:`PlanGraph.upstream` of an indicator is every task it waits on. Each edge
keeps the weight and :class:`~dxplan.plan.model.Provenance` of its
:class:`~dxplan.plan.model.Link`; membership edges have weight 1 and the
indicator's provenance.

Answers come in *plan order*: tasks, then indicators, then groups, then
priorities, each kind in the order the plan lists it; then index components and
index nodes, in the order of their index.

The indices a plan names are loaded when the graph is built (given by name to
:meth:`PlanGraph.from_plan`, else :func:`dxplan.plan.validation.load_indices`); only
the driven components, the inner nodes above them and the root are nodes of
the graph. An index that cannot be loaded leaves its drives dangling.

The graph is built from any plan, even a broken one: links to unknown ids are
skipped (they are listed in :attr:`PlanGraph.dangling_links`, and
:func:`dxplan.check` reports them), and of several elements with one id the
first wins. A dependency cycle does not stop the graph being built or drawn;
the queries that need an order (:meth:`~PlanGraph.execution_order`,
:meth:`~PlanGraph.impact`, :meth:`~PlanGraph.rank_by_reach`) raise
:class:`~dxplan.errors.CyclicDependencyError`.

The graph is plain dictionaries (:mod:`dxplan.plan._digraph`); networkx is imported
only to write GraphML.
"""

from __future__ import annotations

import bisect
import enum
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

import attrs

from dxplan import _validators as v
from dxplan._deprecated import renamed
from dxplan._display import Displayable
from dxplan.errors import CyclicDependencyError, InvalidValueError, UnknownIdError
from dxplan.plan import _graph_export as export
from dxplan.plan._cycles import find_cycle
from dxplan.plan._digraph import Digraph
from dxplan.plan._links import load_indices, task_cycle
from dxplan.plan._provenance import Provenance
from dxplan.text import Label, Language, label_text

if TYPE_CHECKING:
    from dxplan.index.model import Aggregate, Index
    from dxplan.plan.model import Indicator, IndicatorGroup, Plan, Priority, Target, Task

__all__ = [
    "Coverage",
    "Element",
    "GraphEdge",
    "GraphNode",
    "Impact",
    "IndexElement",
    "NodeKind",
    "PlanGraph",
    "Reach",
    "Relation",
    "TargetReach",
    "TaskReach",
]

if not TYPE_CHECKING:  # the old names work, with a warning
    __getattr__ = renamed(__name__, {"Node": "GraphNode", "Edge": "GraphEdge"})


class NodeKind(enum.StrEnum):
    """The kind of element a node stands for, in plan order."""

    TASK = "task"
    INDICATOR = "indicator"
    GROUP = "group"
    PRIORITY = "priority"
    COMPONENT = "component"
    """A data column of a composite index that a task drives."""
    INDEX_NODE = "index_node"
    """An inner node of a composite index (the DTI, a pillar)."""


def _to_element_kind(value: object) -> NodeKind:
    kind = v.to_enum(NodeKind, "kind", value)
    if kind not in (NodeKind.COMPONENT, NodeKind.INDEX_NODE):
        raise InvalidValueError("kind", value, "'component' or 'index_node'")
    return kind


@attrs.frozen(kw_only=True)
class IndexElement:
    """A component or an inner node of a composite index, as an element of a plan graph."""

    kind: NodeKind = attrs.field(converter=_to_element_kind)
    index: str = attrs.field(validator=v.non_empty_text)
    id: str = attrs.field(validator=v.non_empty_text)
    label: Label = attrs.field(validator=v.instance_of(Label, "a Label"))


# A string: the plan's classes are imported for type checking only (Plan.graph
# builds this graph, so this module sits below the plan model).
Element: TypeAlias = "Task | Indicator | IndicatorGroup | Priority | IndexElement"
"""What a node of the graph stands for."""


class _Link(Protocol):
    """A :class:`~dxplan.plan.model.Link`, as the graph reads it."""

    @property
    def to(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def provenance(self) -> Provenance: ...


class Relation(enum.StrEnum):
    """What an edge says; edges point from cause to effect."""

    PREREQUISITE_OF = "prerequisite_of"
    """Prerequisite task → the task that depends on it."""
    CONTRIBUTES_TO = "contributes_to"
    """Task → an indicator it moves."""
    BELONGS_TO = "belongs_to"
    """Indicator → the group that lists it."""
    SERVES = "serves"
    """Task → a priority it serves."""
    DRIVES = "drives"
    """Task → an index component its work moves."""
    FEEDS = "feeds"
    """Index component or node → the inner index node above it."""
    SCORES = "scores"
    """Index root → a plan indicator scored from the index."""


def _to_kind(value: object) -> NodeKind:
    return v.to_enum(NodeKind, "kind", value)


def _node_id(instance: GraphNode, attribute: attrs.Attribute[Any], value: object) -> None:
    # Index node ids are the index's own, which need not be plan ids.
    if instance.index is None:
        v.identifier(instance, attribute, value)
    else:
        v.non_empty_text(instance, attribute, value)


def _node_index(instance: GraphNode, attribute: attrs.Attribute[Any], value: object) -> None:
    if (value is None) != (instance.kind not in (NodeKind.COMPONENT, NodeKind.INDEX_NODE)):
        raise InvalidValueError(
            attribute.name, value, "an index name exactly for component and index_node nodes"
        )
    if value is not None:
        v.non_empty_text(instance, attribute, value)


@attrs.frozen(kw_only=True)
class GraphNode:
    """A node of the graph: the kind of element and its id (and, in an index, its index).

    >>> GraphNode.task("T03")
    GraphNode(kind=<NodeKind.TASK: 'task'>, id='T03')
    >>> str(GraphNode(kind="indicator", id="3.1"))
    'indicator:3.1'
    >>> str(GraphNode.component("dti-922", "ha_tang_so"))
    'component:dti-922/ha_tang_so'
    """

    kind: NodeKind = attrs.field(converter=_to_kind)
    id: str = attrs.field(validator=_node_id)
    index: str | None = attrs.field(default=None, validator=_node_index, repr=False)

    @classmethod
    def task(cls, task_id: str) -> GraphNode:
        """The node of a task."""
        return cls(kind=NodeKind.TASK, id=task_id)

    @classmethod
    def indicator(cls, indicator_id: str) -> GraphNode:
        """The node of an indicator."""
        return cls(kind=NodeKind.INDICATOR, id=indicator_id)

    @classmethod
    def group(cls, group_id: str) -> GraphNode:
        """The node of an indicator group."""
        return cls(kind=NodeKind.GROUP, id=group_id)

    @classmethod
    def priority(cls, priority_id: str) -> GraphNode:
        """The node of a priority."""
        return cls(kind=NodeKind.PRIORITY, id=priority_id)

    @classmethod
    def component(cls, index: str, component: str) -> GraphNode:
        """The node of a component of the index named ``index``."""
        return cls(kind=NodeKind.COMPONENT, id=component, index=index)

    @classmethod
    def index_node(cls, index: str, node_id: str) -> GraphNode:
        """The node of an inner node of the index named ``index``."""
        return cls(kind=NodeKind.INDEX_NODE, id=node_id, index=index)

    def __str__(self) -> str:
        if self.index is not None:
            return f"{self.kind}:{self.index}/{self.id}"
        return f"{self.kind}:{self.id}"


@attrs.frozen(kw_only=True)
class GraphEdge:
    """An edge of the graph, with the weight and provenance of the link behind it."""

    source: GraphNode
    target: GraphNode
    relation: Relation
    weight: float
    provenance: Provenance


@attrs.frozen(kw_only=True)
class Reach:
    """An element a task's work reaches, and the path that carries it there.

    ``path`` lists ids from the task to the element, both included: first the
    tasks (the task itself, then each dependent in turn), then the index
    component and index nodes when the work goes through an index, then the
    indicator and its group, or the priority. ``nodes`` is the same path as
    :class:`GraphNode` objects. ``weight`` is the product of the link weights
    along the path. Of several paths the one with the largest weight is
    kept, then the shortest, then the first in plan order.
    """

    node: GraphNode
    element: Element
    path: tuple[str, ...]
    weight: float
    nodes: tuple[GraphNode, ...] = ()

    @property
    def through(self) -> tuple[str, ...]:
        """The dependent tasks the work passes through (empty when reached directly)."""
        if self.nodes:
            tasks = 0
            while tasks < len(self.nodes) and self.nodes[tasks].kind is NodeKind.TASK:
                tasks += 1
            return self.path[1 : min(tasks, len(self.path) - 1)]
        tails = {
            NodeKind.TASK: 1,
            NodeKind.INDICATOR: 1,
            NodeKind.PRIORITY: 1,
            NodeKind.GROUP: 2,
        }
        return self.path[1 : len(self.path) - tails[self.node.kind]]


@attrs.frozen(kw_only=True)
class TargetReach:
    """A target a task's work reaches: the target, its indicator and the path there."""

    indicator: Indicator
    target: Target
    path: tuple[str, ...]
    weight: float


@attrs.frozen(kw_only=True)
class Impact(Displayable):
    """Everything that depends on a task, directly or through the tasks that depend on it."""

    task: Task
    tasks: tuple[Reach, ...]
    """Tasks that depend on the task, directly or in turn."""
    indicators: tuple[Reach, ...]
    targets: tuple[TargetReach, ...]
    groups: tuple[Reach, ...]
    priorities: tuple[Reach, ...]
    components: tuple[Reach, ...] = ()
    """Index components the task, or a task depending on it, drives."""
    index_nodes: tuple[Reach, ...] = ()
    """Inner index nodes above those components (the DTI, its pillars)."""

    def __repr__(self) -> str:
        return (
            f"<Impact of {self.task.id!r}: {len(self.tasks)} tasks, "
            f"{len(self.indicators)} indicators, {len(self.targets)} targets, "
            f"{len(self.groups)} groups, {len(self.priorities)} priorities>"
        )

    @property
    def reached(self) -> tuple[Reach, ...]:
        """Every element reached, in plan order."""
        return (
            *self.tasks,
            *self.indicators,
            *self.groups,
            *self.priorities,
            *self.components,
            *self.index_nodes,
        )

    @property
    def score(self) -> float:
        """The targets reached, each counted with the weight of its path."""
        return sum(reach.weight for reach in self.targets)


@attrs.frozen(kw_only=True)
class TaskReach:
    """A task's place when tasks are ranked by the targets they reach.

    ``rank`` is 1 plus the number of tasks with a higher ``score``, so tasks
    with equal scores share a rank.
    """

    task: Task
    rank: int
    score: float
    targets: int
    """How many targets the task reaches."""
    indicators: int
    """How many indicators the task reaches."""


@attrs.frozen(kw_only=True)
class Coverage:
    """How the tasks cover the indicator groups, through direct contributions.

    ``counts[i][j]`` is how many indicators of ``groups[j]`` the task
    ``tasks[i]`` contributes to; ``uncovered`` are the listed indicators no task
    contributes to.
    """

    tasks: tuple[Task, ...]
    groups: tuple[IndicatorGroup, ...]
    counts: tuple[tuple[int, ...], ...]
    uncovered: tuple[Indicator, ...]

    def count(self, task_id: str, group_id: str) -> int:
        """How many indicators of group ``group_id`` task ``task_id`` contributes to."""
        row = _index_of([task.id for task in self.tasks], task_id, "task")
        column = _index_of([group.id for group in self.groups], group_id, "indicator group")
        return self.counts[row][column]


def _index_of(ids: list[str], wanted: str, kind: str) -> int:
    try:
        return ids.index(wanted)
    except ValueError:
        known = ", ".join(ids) or "none"
        raise UnknownIdError(f"no {kind} with id {wanted!r}; known ids: {known}") from None


def _check_lang(lang: str) -> Language:
    if lang == "vi":
        return "vi"
    if lang == "en":
        return "en"
    raise InvalidValueError("lang", lang, "'vi' or 'en'")


class PlanGraph(Displayable):
    """The dependency graph of a plan, and the questions it answers.

    Build it with :meth:`from_plan` (or read :attr:`dxplan.plan.model.Plan.graph`,
    which builds it once). See the module docstring for the direction of the
    edges, the order of answers and how broken plans are treated.
    """

    __slots__ = (
        "_cycle",
        "_dangling",
        "_graph",
        "_order",
        "_plan",
        "_tasks",
        "_topo",
        "_topo_position",
    )

    def __init__(self, plan: Plan, *, indices: Mapping[str, Index] | None = None) -> None:
        """Build the graph of ``plan``; the same as :meth:`from_plan`."""
        self._plan = plan
        self._graph: Digraph[GraphNode] = Digraph()
        self._order: dict[GraphNode, int] = {}
        dangling: list[GraphEdge] = []
        for node, element in _elements(plan):
            if node not in self._order:
                self._order[node] = len(self._order)
                self._graph.add_node(node, element=element)
        for group in plan.groups:
            for indicator in group.indicators:
                self._connect(
                    GraphNode.indicator(indicator.id),
                    GraphNode.group(group.id),
                    Relation.BELONGS_TO,
                    1.0,
                    indicator.provenance,
                )
        for task in plan.tasks:
            node = GraphNode.task(task.id)
            if self.element(node) is not task:
                continue
            links: list[tuple[GraphNode, GraphNode, Relation, _Link]] = [
                *(
                    (GraphNode.task(link.to), node, Relation.PREREQUISITE_OF, link)
                    for link in task.depends_on
                ),
                *(
                    (node, GraphNode.indicator(link.to), Relation.CONTRIBUTES_TO, link)
                    for link in task.contributes_to
                ),
                *(
                    (node, GraphNode.priority(link.to), Relation.SERVES, link)
                    for link in task.priorities
                ),
            ]
            for source, target, relation, link in links:
                if source in self._order and target in self._order:
                    self._connect(source, target, relation, link.weight, link.provenance)
                else:
                    dangling.append(
                        GraphEdge(
                            source=source,
                            target=target,
                            relation=relation,
                            weight=link.weight,
                            provenance=link.provenance,
                        )
                    )
        dangling += self._add_indices(plan, indices)
        self._dangling = tuple(dangling)
        # dxplan.check names cycles with task_cycle; the graph names the same
        # one. The fallback covers duplicate ids, where the two may differ.
        self._index(task_cycle(plan.tasks))

    def _index(self, cycle: tuple[str, ...]) -> None:
        """Set the task graph, the cycle and the topological order from ``_graph``."""
        # A separate graph of tasks alone, built in plan order so that cycle
        # finding and topological generations are deterministic.
        self._tasks: Digraph[GraphNode] = Digraph()
        for node in self._order:
            if node.kind is NodeKind.TASK:
                self._tasks.add_node(node)
        for u, w, data in self._graph.edges():
            if data["relation"] is Relation.PREREQUISITE_OF:
                self._tasks.add_edge(u, w)
        self._cycle = cycle or _find_cycle(self._tasks)
        self._topo: tuple[GraphNode, ...] = () if self._cycle else self._graph.topological_order()
        self._topo_position = {node: position for position, node in enumerate(self._topo)}

    def _add_indices(self, plan: Plan, indices: Mapping[str, Index] | None) -> list[GraphEdge]:
        """Add the driven components, the index nodes above them and the ``scores`` edges."""
        loaded, _ = load_indices(plan, indices)
        dangling: list[GraphEdge] = []
        for task in plan.tasks:
            source = GraphNode.task(task.id)
            if self.element(source) is not task:
                continue
            for drive in task.drives:
                target = GraphNode.component(drive.index, drive.component)
                index = loaded.get(drive.index)
                if index is None or drive.component not in index.components:
                    dangling.append(
                        GraphEdge(
                            source=source,
                            target=target,
                            relation=Relation.DRIVES,
                            weight=1.0,
                            provenance=drive.provenance,
                        )
                    )
                    continue
                self._add_index_part(drive.index, index, drive.component)
                self._connect(source, target, Relation.DRIVES, 1.0, drive.provenance)
        for indicator in plan.indicators:
            index = loaded.get(indicator.scored_from or "")
            if indicator.scored_from is None or index is None:
                continue
            root = GraphNode.index_node(indicator.scored_from, index.root)
            if root in self._order:
                scored = GraphNode.indicator(indicator.id)
                self._connect(root, scored, Relation.SCORES, 1.0, indicator.provenance)
        return dangling

    def _add_index_part(self, name: str, index: Index, component: str) -> None:
        """Add ``component`` of ``index`` and every inner node above it, with ``feeds`` edges."""

        def add(node: GraphNode, label: Label | None) -> None:
            if node not in self._order:
                self._order[node] = len(self._order)
                element = IndexElement(
                    kind=node.kind,
                    index=name,
                    id=node.id,
                    label=label or Label(vi=node.id),
                )
                self._graph.add_node(node, element=element)

        leaves = [leaf for leaf in index.leaves if leaf.component == component]
        add(GraphNode.component(name, component), leaves[0].label if leaves else None)
        parents: dict[str, list[tuple[Aggregate, float]]] = {}
        for aggregate in index.aggregates:
            for child, weight in zip(aggregate.children, aggregate.weights, strict=True):
                parents.setdefault(child, []).append((aggregate, weight))
        stack = [(GraphNode.component(name, component), leaf.id) for leaf in leaves]
        while stack:
            below, child = stack.pop()
            for aggregate, weight in parents.get(child, []):
                above = GraphNode.index_node(name, aggregate.id)
                fresh = above not in self._order
                add(above, aggregate.label)
                cited = index.citation or label_text(index.name, "en", default=name)
                provenance = Provenance.external(cited)
                self._connect(below, above, Relation.FEEDS, 1.0 if weight else 0.0, provenance)
                if fresh:
                    stack.append((above, aggregate.id))

    @classmethod
    def from_plan(cls, plan: Plan, *, indices: Mapping[str, Index] | None = None) -> PlanGraph:
        """The graph of ``plan``: a pure function of the plan, which is not changed.

        ``indices`` gives the indices the plan names, by name; the others are
        loaded as :func:`dxplan.check` loads them.
        """
        return cls(plan, indices=indices)

    def subgraph(self, nodes: Iterable[GraphNode | str]) -> PlanGraph:
        """The graph of ``nodes`` and the edges between them, answering the same questions.

        :attr:`plan` stays the whole plan; :attr:`dangling_links` is empty.

        Raises:
            UnknownIdError: a node is not in this graph.
        """
        keep = {self.node(node) for node in nodes}
        sub = object.__new__(PlanGraph)
        sub._plan = self._plan
        # Positions are kept, so answers stay in the plan's order.
        sub._order = {node: position for node, position in self._order.items() if node in keep}
        sub._graph = self._graph.subgraph(keep)
        sub._dangling = ()
        sub._index(())
        return sub

    def impact_graph(self, task_id: str) -> PlanGraph:
        """The subgraph of a task and everything downstream of it (see :meth:`impact`)."""
        source = self._of_kind(NodeKind.TASK, task_id)
        return self.subgraph([source, *self.downstream(source)])

    def _connect(
        self,
        source: GraphNode,
        target: GraphNode,
        relation: Relation,
        weight: float,
        provenance: Provenance,
    ) -> None:
        # Of two links between the same pair, the first is kept.
        if not self._graph.has_edge(source, target):
            self._graph.add_edge(
                source, target, relation=relation, weight=weight, provenance=provenance
            )

    def __repr__(self) -> str:
        names = {kind: f"{kind}s" for kind in NodeKind} | {NodeKind.PRIORITY: "priorities"}
        counts = dict.fromkeys(NodeKind, 0)
        for node in self._order:
            counts[node.kind] += 1
        index_kinds = (NodeKind.COMPONENT, NodeKind.INDEX_NODE)
        parts = ", ".join(
            f"{names[kind]}={count}"
            for kind, count in counts.items()
            if count or kind not in index_kinds
        )
        return f"<PlanGraph {self._plan.id!r} {parts}, edges={self._graph.number_of_edges()}>"

    def __contains__(self, node: object) -> bool:
        return node in self._order

    @property
    def plan(self) -> Plan:
        """The plan the graph was built from."""
        return self._plan

    @property
    def cycle(self) -> tuple[str, ...]:
        """Task ids of a dependency cycle, in ``depends_on`` order; empty when there is none.

        ``("T1", "T2")`` means T1 depends on T2, which depends on T1. It is the
        cycle :func:`dxplan.plan.validation.task_cycle` names (the first met when
        the tasks are visited in plan order), so ``dxplan check`` and the graph
        agree.
        """
        return self._cycle

    @property
    def dangling_links(self) -> tuple[GraphEdge, ...]:
        """The links left out because they name an unknown id, in plan order of their task."""
        return self._dangling

    # -- nodes and edges -------------------------------------------------

    def nodes(self) -> tuple[GraphNode, ...]:
        """Every node, in plan order."""
        return tuple(self._order)

    def edges(self) -> tuple[GraphEdge, ...]:
        """Every edge, by source and then target in plan order."""
        edges = [
            GraphEdge(
                source=source,
                target=target,
                relation=data["relation"],
                weight=data["weight"],
                provenance=data["provenance"],
            )
            for source, target, data in self._graph.edges()
        ]
        return tuple(sorted(edges, key=lambda e: (self._order[e.source], self._order[e.target])))

    def node(self, node: GraphNode | str) -> GraphNode:
        """The node for ``node``: a :class:`GraphNode`, or an id that names one element only.

        Raises:
            UnknownIdError: no element has the id, or several kinds share it.
        """
        if isinstance(node, GraphNode):
            if node not in self._order:
                raise UnknownIdError(
                    f"no {node.kind} with id {node.id!r}; known ids: {self._known(node.kind)}"
                )
            return node
        matches = [candidate for candidate in self._order if candidate.id == node]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UnknownIdError(f"no element with id {node!r}; known ids: {self._known()}")
        kinds = " and ".join(
            f"{'an' if match.kind is NodeKind.INDICATOR else 'a'} {match.kind}" for match in matches
        )
        raise UnknownIdError(
            f"id {node!r} names {kinds}; pass a GraphNode such as "
            f"GraphNode.{matches[0].kind}({node!r})"
        )

    def element(self, node: GraphNode | str) -> Element:
        """The task, indicator, group or priority a node stands for."""
        element: Element = self._graph.nodes[self.node(node)]["element"]
        return element

    def _known(self, kind: NodeKind | None = None) -> str:
        ids = [node.id for node in self._order if kind is None or node.kind is kind]
        return ", ".join(ids) or "none"

    def _sorted(self, nodes: Iterable[GraphNode]) -> tuple[GraphNode, ...]:
        return tuple(sorted(nodes, key=self._order.__getitem__))

    def _of_kind(self, kind: NodeKind, element_id: str) -> GraphNode:
        return self.node(GraphNode(kind=kind, id=element_id))

    # -- direct links ----------------------------------------------------

    def tasks_for(self, indicator_id: str) -> tuple[Task, ...]:
        """The tasks that contribute to an indicator directly, in plan order."""
        node = self._of_kind(NodeKind.INDICATOR, indicator_id)
        tasks = (n for n in self._graph.predecessors(node) if n.kind is NodeKind.TASK)
        return tuple(self._graph.nodes[n]["element"] for n in self._sorted(tasks))

    def indicators_for(self, task_id: str) -> tuple[Indicator, ...]:
        """The indicators a task contributes to directly, in plan order."""
        node = self._of_kind(NodeKind.TASK, task_id)
        indicators = (n for n in self._graph.successors(node) if n.kind is NodeKind.INDICATOR)
        return tuple(self._graph.nodes[n]["element"] for n in self._sorted(indicators))

    def indicators_driven_by(self, task_id: str) -> tuple[Indicator, ...]:
        """The indicators a task's own drives move: scored from an index, through weight > 0.

        HCMC's T03 drives ``ha_tang_so``, which counts in the DTI, so it moves
        1.1; T11 drives ``do_thi_thong_minh``, which has 0 points, so it does not.
        """
        start = self._of_kind(NodeKind.TASK, task_id)
        stack = [n for n, d in self._graph.adj[start].items() if d["relation"] is Relation.DRIVES]
        seen: set[GraphNode] = set(stack)
        found: list[GraphNode] = []
        while stack:
            node = stack.pop()
            for successor, data in self._graph.adj[node].items():
                if data["weight"] <= 0 or successor in seen:
                    continue
                seen.add(successor)
                if successor.kind is NodeKind.INDICATOR:
                    found.append(successor)
                elif data["relation"] in (Relation.FEEDS, Relation.SCORES):
                    stack.append(successor)
        return tuple(self._graph.nodes[n]["element"] for n in self._sorted(found))

    # -- closures --------------------------------------------------------

    def upstream(self, node: GraphNode | str) -> tuple[GraphNode, ...]:
        """Every node whose work flows into ``node``, in plan order (``node`` excluded).

        For an indicator: the tasks that contribute to it and, in turn, their
        prerequisites. Works on plans with cycles too.
        """
        return self._sorted(self._graph.ancestors(self.node(node)))

    def downstream(self, node: GraphNode | str) -> tuple[GraphNode, ...]:
        """Every node that ``node``'s work flows into, in plan order (``node`` excluded).

        For a task: its dependents in turn, and every indicator, group and
        priority any of them reaches. Works on plans with cycles too.
        """
        return self._sorted(self._graph.descendants(self.node(node)))

    # -- questions that need an order -------------------------------------

    def _require_acyclic(self) -> None:
        if self._cycle:
            raise CyclicDependencyError(self._cycle)

    def execution_order(self) -> tuple[tuple[Task, ...], ...]:
        """The tasks in waves: each wave depends only on earlier ones; plan order within a wave.

        Raises:
            CyclicDependencyError: tasks depend on each other in a cycle.
        """
        self._require_acyclic()
        return tuple(
            tuple(self._graph.nodes[n]["element"] for n in self._sorted(wave))
            for wave in self._tasks.generations()
        )

    def _best_paths(
        self, source: GraphNode
    ) -> dict[GraphNode, tuple[float, tuple[GraphNode, ...]]]:
        """The best path from ``source`` to every node it reaches (see :class:`Reach`).

        One pass in topological order keeps, per node, the weight and length
        of its best path and the node before it; paths are compared element by
        element only when weight and length tie. The paths are then built from
        the node before, each from its predecessor's.
        """
        # node: (weight, length, previous node on the best path)
        best: dict[GraphNode, tuple[float, int, GraphNode | None]] = {source: (1.0, 1, None)}
        # In topological order every path to a node is known before the node
        # is extended; the key is monotone under extension, so this is exact.
        for node in self._topo:
            if node not in best:
                continue
            weight, length, _ = best[node]
            for successor, data in self._graph.adj[node].items():
                candidate = (weight * data["weight"], length + 1, node)
                current = best.get(successor)
                if current is None or self._better(candidate, current, best):
                    best[successor] = candidate
        paths: dict[GraphNode, tuple[GraphNode, ...]] = {source: (source,)}
        found: dict[GraphNode, tuple[float, tuple[GraphNode, ...]]] = {source: (1.0, paths[source])}
        for node in self._topo:
            previous = best[node][2] if node in best else None
            if previous is not None:
                paths[node] = (*paths[previous], node)
                found[node] = (best[node][0], paths[node])
        return found

    def _better(
        self,
        candidate: tuple[float, int, GraphNode | None],
        current: tuple[float, int, GraphNode | None],
        best: dict[GraphNode, tuple[float, int, GraphNode | None]],
    ) -> bool:
        """Whether ``candidate`` beats ``current``: heavier, then shorter, then first in order."""
        if candidate[0] != current[0]:
            return candidate[0] > current[0]
        if candidate[1] != current[1]:
            return candidate[1] < current[1]
        return self._positions(candidate[2], best) < self._positions(current[2], best)

    def _positions(
        self, end: GraphNode | None, best: dict[GraphNode, tuple[float, int, GraphNode | None]]
    ) -> tuple[int, ...]:
        backwards: list[int] = []
        while end is not None:
            backwards.append(self._order[end])
            end = best[end][2]
        return tuple(reversed(backwards))

    def _reach_scores(self) -> dict[GraphNode, tuple[float, int, int]]:
        """:attr:`Impact.score`, target and indicator counts of every task, in one pass.

        Tasks are visited in reverse topological order; a task reaches its own
        indicators and, over the link to each dependent, what the dependent
        reaches, multiplied by that link's weight (the largest weight kept per
        indicator). Work is one step per edge and indicator reached, not one
        traversal per task. Products are formed from the indicator back to the
        task, so a score may differ from :meth:`impact`'s in the last bits.
        """
        reach: dict[GraphNode, dict[GraphNode, float]] = {}
        adjacency = self._graph.adj
        # Work passes through tasks and, where a task drives an index, its components
        # and nodes up to the indicators scored from it; it stops at an indicator.
        passing = (NodeKind.TASK, NodeKind.COMPONENT, NodeKind.INDEX_NODE)
        for node in reversed(self._topo):
            if node.kind not in passing:
                continue
            weights: dict[GraphNode, float] = {}
            for successor, data in adjacency[node].items():
                link = data["weight"]
                if successor.kind is NodeKind.INDICATOR:
                    found = {successor: link}
                elif successor.kind in passing:
                    found = {i: link * w for i, w in reach[successor].items()}
                else:
                    continue
                for indicator, weight in found.items():
                    if weight > weights.get(indicator, -math.inf):
                        weights[indicator] = weight
            reach[node] = weights
        scores: dict[GraphNode, tuple[float, int, int]] = {}
        for node, weights in reach.items():
            if node.kind is not NodeKind.TASK:
                continue
            score, targets = 0.0, 0
            for indicator in self._sorted(weights):
                count = len(self._graph.nodes[indicator]["element"].targets)
                for _ in range(count):
                    score += weights[indicator]
                targets += count
            scores[node] = (score, targets, len(weights))
        return scores

    def impact(self, task_id: str) -> Impact:
        """Every task, indicator, target, group and priority that depends on a task.

        A task's work reaches its own indicators and priorities and, through
        each task that depends on it (in turn), theirs. Each element comes
        with one path (see :class:`Reach`); each kind is in plan order.

        Raises:
            UnknownIdError: no task has this id.
            CyclicDependencyError: tasks depend on each other in a cycle.
        """
        source = self._of_kind(NodeKind.TASK, task_id)
        self._require_acyclic()
        best = self._best_paths(source)
        reaches: dict[NodeKind, list[Reach]] = {kind: [] for kind in NodeKind}
        for node in self._sorted(best):
            if node == source:
                continue
            weight, path = best[node]
            reaches[node.kind].append(
                Reach(
                    node=node,
                    element=self._graph.nodes[node]["element"],
                    path=tuple(n.id for n in path),
                    weight=weight,
                    nodes=path,
                )
            )
        targets = tuple(
            TargetReach(indicator=indicator, target=target, path=reach.path, weight=reach.weight)
            for reach in reaches[NodeKind.INDICATOR]
            for indicator in [cast("Indicator", reach.element)]
            for target in indicator.targets
        )
        task = self._graph.nodes[source]["element"]
        return Impact(
            task=task,
            tasks=tuple(reaches[NodeKind.TASK]),
            indicators=tuple(reaches[NodeKind.INDICATOR]),
            targets=targets,
            groups=tuple(reaches[NodeKind.GROUP]),
            priorities=tuple(reaches[NodeKind.PRIORITY]),
            components=tuple(reaches[NodeKind.COMPONENT]),
            index_nodes=tuple(reaches[NodeKind.INDEX_NODE]),
        )

    def rank_by_reach(self, *, through_dependents: bool = True) -> tuple[TaskReach, ...]:
        """The tasks ranked by the targets they reach, most first.

        A task's score is the sum, over the targets it reaches, of the weight
        of the path there (:attr:`Impact.score`): a task reaching three targets
        of one indicator over a link of weight 0.5 scores 1.5. With
        ``through_dependents=False`` only the task's own contributions count.
        Ties are listed by the number of targets (more first), then plan order.

        Raises:
            CyclicDependencyError: tasks depend on each other in a cycle.
        """
        self._require_acyclic()
        reached = self._reach_scores() if through_dependents else {}
        rows: list[tuple[Task, float, int, int]] = []
        for node in self._order:
            if node.kind is not NodeKind.TASK:
                continue
            task: Task = self._graph.nodes[node]["element"]
            if through_dependents:
                rows.append((task, *reached[node]))
                continue
            direct = [
                (len(self._graph.nodes[target]["element"].targets), data["weight"])
                for target, data in self._graph.adj[node].items()
                if target.kind is NodeKind.INDICATOR
            ]
            score = sum(count * weight for count, weight in direct)
            rows.append((task, score, sum(count for count, _ in direct), len(direct)))
        ordered = sorted(
            rows, key=lambda row: (-row[1], -row[2], self._order[GraphNode.task(row[0].id)])
        )
        ascending = sorted(row[1] for row in rows)
        return tuple(
            TaskReach(
                task=task,
                # 1 + how many score more: a binary search, not a scan per task.
                rank=1 + len(ascending) - bisect.bisect_right(ascending, score),
                score=score,
                targets=targets,
                indicators=indicators,
            )
            for task, score, targets, indicators in ordered
        )

    def coverage(self) -> Coverage:
        """The tasks × groups matrix of direct contributions, and the uncovered indicators."""
        task_nodes = [n for n in self._order if n.kind is NodeKind.TASK]
        group_nodes = [n for n in self._order if n.kind is NodeKind.GROUP]
        counts = []
        for task in task_nodes:
            row = dict.fromkeys(group_nodes, 0)
            for indicator in self._graph.successors(task):
                if indicator.kind is not NodeKind.INDICATOR:
                    continue
                for group in self._graph.successors(indicator):
                    row[group] += 1
            counts.append(tuple(row.values()))
        uncovered = [
            node
            for node in self._order
            if node.kind is NodeKind.INDICATOR
            and not any(
                p.kind is NodeKind.TASK or (p.kind is NodeKind.INDEX_NODE and self._driven(p))
                for p in self._graph.predecessors(node)
            )
        ]
        return Coverage(
            tasks=tuple(self._graph.nodes[n]["element"] for n in task_nodes),
            groups=tuple(self._graph.nodes[n]["element"] for n in group_nodes),
            counts=tuple(counts),
            uncovered=tuple(self._graph.nodes[n]["element"] for n in uncovered),
        )

    def _driven(self, node: GraphNode) -> bool:
        """Whether some task's work reaches ``node`` (an index node) through a drive."""
        return any(n.kind is NodeKind.TASK for n in self._graph.ancestors(node))

    # -- exports ---------------------------------------------------------

    def _export_rows(
        self, lang: str
    ) -> tuple[dict[str, str], list[export.ExportNode], list[export.ExportEdge]]:
        language = _check_lang(lang)
        nodes = [
            export.ExportNode(
                key=str(node),
                kind=str(node.kind),
                element_id=node.id,
                label=self._graph.nodes[node]["element"].label.text(language),
            )
            for node in self._order
        ]
        edges = [
            export.ExportEdge(
                source=str(edge.source),
                target=str(edge.target),
                relation=str(edge.relation),
                weight=edge.weight,
                provenance=str(edge.provenance.source),
                note=edge.provenance.note,
            )
            for edge in self.edges()
        ]
        graph_data = {
            "plan": self._plan.id,
            "label": self._plan.label.text(language),
            "lang": language,
        }
        return graph_data, nodes, edges

    def to_dot(self, lang: Language = "vi") -> str:
        """The graph in Graphviz DOT, labelled in ``lang``.

        GraphNode names are ``kind:id``; shapes tell kinds apart (task box,
        indicator ellipse, group folder, priority hexagon) and styles tell
        relations apart (prerequisite bold, membership dashed, priority dotted).
        """
        graph_data, nodes, edges = self._export_rows(lang)
        return export.to_dot(self._plan.id, graph_data["label"], nodes, edges)

    def to_mermaid(self, lang: Language = "vi") -> str:
        """The graph as a Mermaid flowchart, labelled in ``lang``.

        GraphNode names are the kind and the id, with ``_`` for other characters
        (``task_T03``, ``indicator_3_1``), so they stay the same in subgraphs.
        """
        _, nodes, edges = self._export_rows(lang)
        return export.to_mermaid(nodes, edges)

    def to_graphml(self, lang: Language = "vi") -> str:
        """The graph as GraphML text, labelled in ``lang``.

        Nodes are keyed ``kind:id`` with the attributes ``kind``,
        ``element_id`` and ``label``; edges carry ``relation``, ``weight``,
        ``provenance`` (its source) and ``note``.
        """
        return export.to_graphml(*self._export_rows(lang))

    def to_node_link(self, lang: Language = "vi") -> dict[str, Any]:
        """The graph as a JSON-ready node-link dict, with the same data as :meth:`to_graphml`.

        Read it back with ``networkx.node_link_graph(data, edges="edges")``.
        Links that name an unknown id (:attr:`dangling_links`) are kept apart
        under ``"dangling_links"``, in the same shape as edges, so that none
        is lost and networkx does not invent nodes for them.
        """
        data = export.to_node_link(*self._export_rows(lang))
        data["dangling_links"] = [
            {
                "source": str(edge.source),
                "target": str(edge.target),
                "relation": str(edge.relation),
                "weight": float(edge.weight),
                "provenance": str(edge.provenance.source),
                "note": edge.provenance.note,
            }
            for edge in self._dangling
        ]
        return data


def _elements(plan: Plan) -> Iterable[tuple[GraphNode, Element]]:
    for task in plan.tasks:
        yield GraphNode.task(task.id), task
    for indicator in plan.indicators:
        yield GraphNode.indicator(indicator.id), indicator
    for group in plan.groups:
        yield GraphNode.group(group.id), group
    for priority in plan.priorities:
        yield GraphNode.priority(priority.id), priority


def _find_cycle(tasks: Digraph[GraphNode]) -> tuple[str, ...]:
    """A dependency cycle in ``depends_on`` order, starting at its smallest id.

    Only used when :func:`~dxplan.plan.validation.task_cycle` finds none although
    the graph has one, which happens when two tasks share an id.
    """
    # The task graph points from prerequisite to dependent; reversed, it
    # follows depends_on, the order the plan states.
    found = find_cycle({node: list(tasks.predecessors(node)) for node in tasks})
    if not found:
        return ()
    cycle = [node.id for node in found]
    start = cycle.index(min(cycle))
    return (*cycle[start:], *cycle[:start])
