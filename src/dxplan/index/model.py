"""The composite-index engine: an :class:`Index` is a DAG of nodes over components.

Leaves (:class:`Leaf`) turn one raw component into a score with a rule from
:mod:`dxplan.index.rules`; inner nodes (:class:`Aggregate`) combine their children
with an aggregator from :mod:`dxplan.index.aggregators` and weights relative within
the parent. Nodes may share children (the DTI pillars all contain the
foundation indicators). The index is checked when it is built: ids unique,
children known, weights finite and non-negative, no cycle, every node
reachable from the root.

``index.evaluate(data)`` scores every node for every entity in one vectorised
pass and returns an :class:`IndexResult` with scores, ranks, each leaf's
contribution to the root and the effective weights.

>>> from dxplan.index.rules import MinMax
>>> index = Index(
...     root="I",
...     nodes=(
...         Leaf(id="a", rule=MinMax()),
...         Leaf(id="b", rule=MinMax(), direction=-1),
...         Aggregate(id="I", children=("a", "b"), weights=(3, 1)),
...     ),
... )
>>> index.effective_weights()
{'a': 0.75, 'b': 0.25}
"""

from __future__ import annotations

import graphlib
import math
import sys
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _validators as v
from dxplan._display import Displayable
from dxplan.errors import EvaluationError, IndexDefinitionError, InvalidValueError
from dxplan.index import _engine
from dxplan.index.aggregators import Aggregator, ArithmeticMean
from dxplan.index.data import IndexData, PanelData, Period
from dxplan.index.ranking import (
    SCORE_RTOL,
    RankChange,
    RankMethod,
    rank_array,
    rank_changes,
    round_half_up,
)
from dxplan.index.rules import Identity, Rule
from dxplan.text import Label, Language, label_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Aggregate",
    "ComponentChange",
    "ComponentGap",
    "Explanation",
    "Index",
    "IndexResult",
    "Leaf",
    "Node",
    "PanelResult",
    "Reference",
    "ScoreChange",
]

FloatArray = npt.NDArray[np.float64]
#: Where relative rules take their references on a panel: ``"period"``,
#: ``"pooled"``, or one period's label.
Reference = Period


def _reference_position(data: IndexData, reference: Reference) -> int | None:
    if reference in ("period", "pooled"):
        return None
    try:
        return data.period_position(reference)
    except InvalidValueError:
        raise InvalidValueError(
            "reference",
            reference,
            f"'period', 'pooled' or one of the periods {list(data.periods or ())}",
        ) from None


def _panel_scores(
    rule: Rule, direction: int, block: FloatArray, reference: Reference, ref_at: int | None
) -> FloatArray:
    """Leaf scores of a periods × entities × k block with the chosen references."""
    x = np.moveaxis(block, 0, 1)  # entities first: rules reduce along axis 0
    if reference == "period" or not rule.relative:
        out = rule.apply(x, direction)
    elif reference == "pooled":
        pooled = block.reshape(-1, block.shape[-1])[:, None, :]
        out = rule.apply_against(x, pooled, direction)
    else:
        assert ref_at is not None
        out = rule.apply_against(x, block[ref_at][:, None, :], direction)
    return np.moveaxis(np.asarray(out, dtype=np.float64), 0, 1)


_text = v.instance_of(str, "a string")


def _label(value: Label | str | None) -> Label | None:
    """Text as ``Label(vi=text)``; ``""`` (the old default) as no label.

    Vietnamese is the source language, as in plans: a name given in one
    language only is shown as written in every language.
    """
    if value == "":
        return None
    if isinstance(value, str) and value.strip():
        return Label(vi=value)
    return value  # type: ignore[return-value]  # blank text or not a label: refused by name


_optional_label = v.optional(v.instance_of(Label, "a Label, non-empty text or None"))
_node_id = v.non_empty_text
_direction = v.one_of((1, -1))
_min_availability = v.optional(v.fraction).saying("a number from 0 to 1, or None")
_points = v.number(above=0)
_precision = v.optional(v.decimals).saying(f"{v.decimals.expected}, or None")
_EXTRA = v.one_of(("error", "ignore"))


@attrs.frozen(kw_only=True)
class Leaf:
    """A component scored by a rule.

    Args:
        id: the node id (unique in the index).
        component: the data column it reads; the id by default.
        rule: how the raw value becomes a score (identity by default).
        direction: ``-1`` when lower raw values are better; only for relative
            rules and goalposts.
        label: a readable name (:class:`~dxplan.text.Label`, Vietnamese with
            an optional English translation); text is taken as ``Label(vi=text)``.
        note: provenance: a citation, or why a choice was made.
        assumption: whether this node is a modelling choice rather than a
            published fact.
    """

    id: str = attrs.field(validator=_node_id)
    component: str = attrs.field(validator=_text)
    rule: Rule = attrs.field(factory=Identity)
    direction: int = 1
    label: Label | None = attrs.field(default=None, converter=_label, validator=_optional_label)
    note: str = attrs.field(default="", validator=_text)
    assumption: bool = False

    @component.default
    def _component_default(self) -> str:
        return self.id

    def __attrs_post_init__(self) -> None:
        where = f"leaf {self.id!r}"
        if not isinstance(self.rule, Rule):
            raise InvalidValueError("rule", self.rule, "a dxplan.index.rules rule", where=where)
        _direction.check("direction", self.direction, where=where)
        if self.direction == -1 and not self.rule.takes_direction:
            raise InvalidValueError(
                "direction",
                self.direction,
                f"1 for the {self.rule.kind} rule, which is absolute; "
                "direction applies to relative rules and goalposts",
                where=where,
            )


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    try:
        return tuple(values)
    except TypeError:  # not a list at all
        raise InvalidValueError("children", values, "a list of node ids") from None


def _weights(value: Any) -> tuple[float, ...]:
    # Text and bools stay as they are, for the checks to refuse ("2" is not a weight).
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidValueError("weights", value, "a list of numbers, one per child")
    return tuple(v.to_float(w) for w in value)  # type: ignore[misc]  # checked after


@attrs.frozen(kw_only=True)
class Aggregate:
    """An inner node combining its children.

    Args:
        id: the node id (unique in the index).
        children: child node ids.
        weights: one per child, relative within this node; equal when empty.
            A weight of 0 keeps the child out of this node (it may still be
            scored through another parent).
        aggregator: how the children combine (weighted arithmetic mean by default).
        min_availability: the least share (0–1) of children with a value for
            the node to have a score; below it the score is NaN (COINr's
            ``dat_thresh``).
        points: the node's scale in points (a score of 1 is worth this many
            points), used when explaining gaps; the DTI is 1 000.
        label, note, assumption: as for :class:`Leaf`.
    """

    id: str = attrs.field(validator=_node_id)
    children: tuple[str, ...] = attrs.field(converter=_str_tuple)
    weights: tuple[float, ...] = attrs.field(default=(), converter=_weights)
    aggregator: Aggregator = attrs.field(factory=ArithmeticMean)
    min_availability: float | None = None
    points: float = 1.0
    label: Label | None = attrs.field(default=None, converter=_label, validator=_optional_label)
    note: str = attrs.field(default="", validator=_text)
    assumption: bool = False

    def __attrs_post_init__(self) -> None:
        where = f"node {self.id!r}"
        if not self.children:
            raise InvalidValueError("children", self.children, "at least one child", where=where)
        if not self.weights:
            object.__setattr__(self, "weights", (1.0,) * len(self.children))
        if len(self.weights) != len(self.children):
            raise InvalidValueError(
                "weights", self.weights, f"one weight per child ({len(self.children)})", where=where
            )
        bad = next((i for i, w in enumerate(self.weights) if not v.weight.accepts(w)), None)
        if bad is not None:
            raise InvalidValueError(
                f"weights[{bad}]",
                self.weights[bad],
                f"{v.weight.expected} of child {self.children[bad]!r}",
                where=where,
            )
        if not any(w > 0 for w in self.weights):
            raise InvalidValueError(
                "weights", self.weights, "at least one positive weight", where=where
            )
        for i, child in enumerate(self.children):
            if (first := self.children.index(child)) != i:
                raise InvalidValueError(
                    f"children[{i}]",
                    child,
                    f"a child not already listed (children[{first}])",
                    where=where,
                )
        if not isinstance(self.aggregator, Aggregator):
            raise InvalidValueError(
                "aggregator", self.aggregator, "a dxplan.index.aggregators aggregator", where=where
            )
        if self.aggregator.sums and not math.isfinite(sum(self.weights)):
            raise InvalidValueError(
                "weights",
                self.weights,
                "weights of a sum of points that add up to a finite number "
                f"(at most the largest float, {sys.float_info.max:.4g})",
                where=where,
            )
        _min_availability.check("min_availability", self.min_availability, where=where)
        _points.check("points", self.points, where=where)


Node = Leaf | Aggregate


def _median(values: FloatArray) -> float:
    """The median of values without NaN, exactly as ``np.median`` gives it.

    ``np.median`` imports ``numpy.ma`` (tens of milliseconds) on its first
    call, which ``dxplan report`` would pay at start-up for one explanation.
    """
    ordered = np.sort(values)
    middle = ordered.size // 2
    if ordered.size % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)


def _node_tuple(values: Iterable[Node]) -> tuple[Node, ...]:
    try:
        return tuple(values)
    except TypeError:  # not a list at all
        raise InvalidValueError("nodes", values, "a list of nodes") from None


@attrs.frozen(eq=False)
class _Derived:
    """Views of an index computed once at construction."""

    leaves: tuple[Leaf, ...]
    components: tuple[str, ...]
    known: frozenset[str]
    groups: tuple[tuple[Rule, int, npt.NDArray[np.intp]], ...]
    columns: npt.NDArray[np.intp]
    column_of: dict[str, int]
    layouts: dict[tuple[str, ...], list[npt.NDArray[np.intp]]] = attrs.Factory(dict)


@attrs.frozen(kw_only=True)
class Index(Displayable):
    """A composite index: a DAG of :class:`Leaf` and :class:`Aggregate` nodes under ``root``.

    Args:
        root: the id of the headline node.
        nodes: every node; leaves first or not, order is kept for display.
        name: a readable name (a :class:`~dxplan.text.Label`; text is taken
            as ``Label(vi=text)``).
        citation: where the definition comes from.
        note: anything a reader must know (assumptions, omissions).
        precision: the decimals scores are published with (the DTI: 4). Ranks
            judge ties after rounding to it (half away from zero, see
            :func:`dxplan.index.ranking.round_half_up`) unless told otherwise;
            ``None`` ranks unrounded scores.
    """

    root: str
    nodes: tuple[Node, ...] = attrs.field(converter=_node_tuple)
    name: Label | None = attrs.field(default=None, converter=_label, validator=_optional_label)
    citation: str = ""
    note: str = ""
    precision: int | None = None
    _compiled: _engine.CompiledIndex = attrs.field(init=False, repr=False, eq=False)
    _by_id: dict[str, Node] = attrs.field(init=False, repr=False, eq=False)
    _order: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)
    _derived: _Derived = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        _precision.check("precision", self.precision)
        by_id: dict[str, Node] = {}
        for i, node in enumerate(self.nodes):
            if not isinstance(node, Leaf | Aggregate):
                raise InvalidValueError(f"nodes[{i}]", node, "a Leaf or an Aggregate")
            if node.id in by_id:
                raise IndexDefinitionError(
                    f"$.nodes[{i}].id: {node.id!r} is already the id of "
                    f"$.nodes[{self.nodes.index(by_id[node.id])}]; expected unique ids"
                )
            by_id[node.id] = node
        for i, node in enumerate(self.nodes):
            if isinstance(node, Aggregate):
                for j, child in enumerate(node.children):
                    if child not in by_id:
                        raise IndexDefinitionError(
                            f"$.nodes[{i}].children[{j}]: node {node.id!r} has child {child!r}, "
                            f"which is not a node of the index; expected the id of a node"
                        )
        root: object = self.root  # not checked by a validator: may be anything
        if not isinstance(root, str) or root not in by_id:
            raise IndexDefinitionError(
                f"$.root: {self.root!r} is not a node of the index; expected one of {sorted(by_id)}"
            )
        object.__setattr__(self, "_by_id", by_id)
        generations = self._check_graph()
        leaves = [n for n in self.nodes if isinstance(n, Leaf)]
        # An aggregator that needs every child is a least share of 1 for the engine.
        aggregations = [
            _engine.Aggregation(
                id=n.id,
                aggregator=n.aggregator,
                children=n.children,
                weights=n.weights,
                min_share=1.0 if n.aggregator.needs_every_child else n.min_availability,
            )
            for n in self.nodes
            if isinstance(n, Aggregate)
        ]
        compiled = _engine.compile_index([leaf.id for leaf in leaves], aggregations, generations)
        object.__setattr__(self, "_compiled", compiled)
        groups: dict[tuple[Rule, int], list[int]] = {}
        for i, leaf in enumerate(leaves):
            groups.setdefault((leaf.rule, leaf.direction), []).append(i)
        position = {n: i for i, n in enumerate(compiled.leaf_ids)}
        position.update({n: len(leaves) + i for i, n in enumerate(compiled.inner_ids)})
        derived = _Derived(
            leaves=tuple(leaves),
            components=tuple(dict.fromkeys(leaf.component for leaf in leaves)),
            known=frozenset(leaf.component for leaf in leaves),
            groups=tuple(
                (rule, d, np.array(ps, dtype=np.intp)) for (rule, d), ps in groups.items()
            ),
            columns=np.array([position[n.id] for n in self.nodes], dtype=np.intp),
            column_of={n.id: j for j, n in enumerate(self.nodes)},
        )
        object.__setattr__(self, "_derived", derived)

    def _check_graph(self) -> list[list[str]]:
        # graphlib, not networkx: scoring must not pay networkx's import time.
        children = {
            node.id: tuple(node.children) if isinstance(node, Aggregate) else ()
            for node in self.nodes
        }
        sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
        for parent, kids in children.items():
            sorter.add(parent)
            for child in kids:
                sorter.add(child, parent)
        try:
            order = list(sorter.static_order())
        except graphlib.CycleError as exc:
            cycle: list[str] = exc.args[1]
            loop = " → ".join(cycle)
            raise IndexDefinitionError(
                f"$.nodes: the nodes form a cycle {loop}; expected an acyclic graph"
            ) from None
        reachable = {self.root}
        stack = [self.root]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in reachable:
                    reachable.add(child)
                    stack.append(child)
        for i, node in enumerate(self.nodes):
            if node.id not in reachable:
                raise IndexDefinitionError(
                    f"$.nodes[{i}]: node {node.id!r} is not reachable from the root "
                    f"{self.root!r}; expected every node under the root"
                )
        object.__setattr__(self, "_order", tuple(order))
        # Inner nodes by level, deepest first, so children are always ready.
        depth: dict[str, int] = {}
        for node_id in reversed(order):
            node = self._by_id[node_id]
            if isinstance(node, Aggregate):
                # Zero-weight children take no part, so they do not delay a node.
                live = [c for c, w in zip(node.children, node.weights, strict=True) if w > 0]
                depth[node_id] = 1 + max(depth.get(c, 0) for c in live)
        levels: dict[int, list[str]] = {}
        for node in self.nodes:
            if isinstance(node, Aggregate):
                levels.setdefault(depth[node.id], []).append(node.id)
        return [levels[d] for d in sorted(levels)]

    def node(self, node_id: str) -> Node:
        """The node with this id."""
        try:
            return self._by_id[node_id]
        except KeyError:
            raise InvalidValueError("node", node_id, "a node of the index") from None

    def title(self, lang: Language = "en") -> str:
        """The name in ``lang`` (Vietnamese where no translation exists), else the root's id."""
        return label_text(self.name, lang, default=self.root)

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        """The leaves, in declaration order."""
        return self._derived.leaves

    @property
    def aggregates(self) -> tuple[Aggregate, ...]:
        """The inner nodes, in declaration order."""
        return tuple(n for n in self.nodes if isinstance(n, Aggregate))

    @property
    def components(self) -> tuple[str, ...]:
        """The data columns the index reads, without repeats."""
        return self._derived.components

    @property
    def order(self) -> tuple[str, ...]:
        """Node ids in topological order (root first)."""
        return self._order

    @property
    def points(self) -> float:
        """The root's scale in points (1 for a leaf root)."""
        root = self.node(self.root)
        return root.points if isinstance(root, Aggregate) else 1.0

    def parents(self, node_id: str) -> tuple[str, ...]:
        """Ids of the nodes that have ``node_id`` as a child."""
        self.node(node_id)
        return tuple(n.id for n in self.aggregates if node_id in n.children)

    def effective_weights(self, node: str | None = None) -> dict[str, float]:
        """Each leaf's share of ``node`` (the root by default): products of relative weights.

        A leaf reached through several parents adds up its shares; the shares
        sum to 1 over the leaves under the node.
        """
        top = self.root if node is None else node
        self.node(top)
        share = {top: 1.0}
        for node_id in self._order:
            current = self._by_id[node_id]
            if node_id not in share or not isinstance(current, Aggregate):
                continue
            total = sum(current.weights)
            for child, w in zip(current.children, current.weights, strict=True):
                share[child] = share.get(child, 0.0) + share[node_id] * w / total
        return {leaf.id: share.get(leaf.id, 0.0) for leaf in self.leaves}

    def rank_scores(
        self,
        scores: npt.ArrayLike,
        *,
        method: RankMethod = "competition",
        decimals: int | None = None,
        tiebreak: npt.ArrayLike | None = None,
    ) -> FloatArray:
        """Rank this index's scores ``(…, entities)`` with its tie rule; every ranking uses it.

        Ties are judged after rounding to ``decimals`` (the index's
        :attr:`precision` when not given), and scores within
        :data:`dxplan.index.ranking.SCORE_RTOL` of the largest magnitude tie as well,
        so ranks never depend on the order in which equal terms were summed
        (evaluation, Monte Carlo, leave-one-out and goal-seek all agree).
        """
        return rank_array(
            scores,
            method=method,
            decimals=self.precision if decimals is None else decimals,
            tiebreak=tiebreak,
            rtol=SCORE_RTOL,
        )

    def without(self, *leaves: str) -> Index:
        """A copy with ``leaves`` (leaf ids or the components they read) taken out.

        Each parent keeps its other children and their weights (so they are
        renormalised among themselves, and an availability threshold counts only
        them); a parent left without a child of positive weight goes in turn.
        This is COINr's ``remove_elements``: the index rebuilt without the leaf.

        Raises:
            InvalidValueError: a name that is neither a leaf id nor a component.
            IndexDefinitionError: nothing would be left under the root.
        """
        dropped = {leaf.id for leaf in self.leaves if leaf.id in leaves or leaf.component in leaves}
        known = {leaf.id for leaf in self.leaves} | set(self.components)
        for name in leaves:
            if name not in known:
                raise InvalidValueError("leaves", name, "leaf ids or components of the index")
        nodes: list[Node] = list(self.nodes)
        changed = True
        while changed:
            changed = False
            kept: list[Node] = []
            for node in nodes:
                if node.id in dropped:
                    continue
                if isinstance(node, Aggregate) and any(c in dropped for c in node.children):
                    pairs = [
                        (c, w)
                        for c, w in zip(node.children, node.weights, strict=True)
                        if c not in dropped
                    ]
                    if not any(w > 0 for _, w in pairs):
                        if node.id == self.root:
                            raise IndexDefinitionError(
                                f"taking out {sorted(leaves)} leaves the root {self.root!r} "
                                f"with no children"
                            )
                        dropped.add(node.id)
                        changed = True
                        continue
                    node = attrs.evolve(
                        node,
                        children=tuple(c for c, _ in pairs),
                        weights=tuple(w for _, w in pairs),
                    )
                kept.append(node)
            nodes = kept
        return attrs.evolve(self, nodes=tuple(nodes))

    def with_weights(self, node: str, weights: Sequence[float]) -> Index:
        """A copy with ``node``'s child weights replaced."""
        target = self.node(node)
        if not isinstance(target, Aggregate):
            raise InvalidValueError("node", node, "an inner node (leaves have no weights)")
        changed = attrs.evolve(target, weights=tuple(weights))
        return attrs.evolve(self, nodes=tuple(changed if n is target else n for n in self.nodes))

    def leaf_scores(self, data: IndexData, *, reference: Reference = "period") -> FloatArray:
        """Scores of every leaf (entities × leaves, leaf order), rules applied per block.

        For a panel the result is periods × entities × leaves; relative rules
        take their references per ``reference`` (see :meth:`evaluate`).
        """
        columns = self._columns(data)
        leaves = self._derived.leaves
        groups = self._derived.groups
        panel = data.periods is not None
        ref_at = _reference_position(data, reference) if panel else None
        shape = (*data.values.shape[:-1], len(leaves))
        scores = np.empty(shape, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            for (rule, direction, positions), group_columns in zip(groups, columns, strict=True):
                block = data.values[..., group_columns]
                try:
                    if not panel:
                        out = rule.apply(block, direction)
                    else:
                        out = _panel_scores(rule, direction, block, reference, ref_at)
                    if len(groups) == 1:
                        return np.asarray(out, dtype=np.float64)
                    scores[..., positions] = out
                except EvaluationError as exc:
                    ids = [leaves[i].id for i in positions]
                    raise EvaluationError(f"leaves {ids}: {exc}") from None
        return scores

    def _columns(self, data: IndexData) -> list[npt.NDArray[np.intp]]:
        """Data columns of each leaf group, cached per column layout."""
        if not isinstance(data, IndexData):
            raise EvaluationError(f"data must be an IndexData (got {type(data).__name__})")
        cached = self._derived.layouts.get(data.components)
        if cached is not None:
            return cached
        at = {c: j for j, c in enumerate(data.components)}
        missing = [c for c in self.components if c not in at]
        if missing:
            raise EvaluationError(
                f"data has no column for components {missing} of index "
                f"{self.title()!r}; expected every leaf's component "
                f"(add a column of NaN for one not measured)"
            )
        leaves = self._derived.leaves
        layout = [
            np.array([at[leaves[i].component] for i in positions], dtype=np.intp)
            for _, _, positions in self._derived.groups
        ]
        if len(self._derived.layouts) < 16:
            self._derived.layouts[data.components] = layout
        return layout

    # A panel is an IndexData too; the panel overload comes first, the usual pattern.
    @overload
    def evaluate(  # type: ignore[overload-overlap]
        self,
        data: PanelData,
        *,
        extra: Literal["error", "ignore"] = "error",
        reference: Reference = "period",
    ) -> PanelResult: ...

    @overload
    def evaluate(
        self,
        data: IndexData,
        *,
        extra: Literal["error", "ignore"] = "error",
        reference: Literal["period"] = "period",
    ) -> IndexResult: ...

    def evaluate(
        self,
        data: IndexData,
        *,
        extra: Literal["error", "ignore"] = "error",
        reference: Reference = "period",
    ) -> IndexResult | PanelResult:
        """Score every node for every entity (and every period of a panel, in one pass).

        Args:
            data: raw values; every leaf's component must be a column.
            extra: what to do with columns the index does not read:
                ``"error"`` (the default, so a misspelt column is never
                silently dropped) or ``"ignore"``.
            reference: for a panel, where relative rules take their min, max,
                mean, sd and ranks: ``"period"`` (each period on its own, the
                default), ``"pooled"`` (all periods together: fixed goalposts
                across years, as DESI does) or one period's label (that
                period's references for every period).

        Returns:
            An :class:`IndexResult`, or a :class:`PanelResult` for a panel.

        Raises:
            EvaluationError: a component is missing or unknown, or an
                aggregator meets values outside its domain.
        """
        _EXTRA.check("extra", extra)
        self._columns(data)
        # Components are unique and include every known one (_columns): more means unknown ones.
        if extra == "error" and len(data.components) > len(self._derived.known):
            unknown = [c for c in data.components if c not in self._derived.known]
            raise EvaluationError(
                f"data has components {unknown} that index {self.title()!r} does "
                f"not use; expected only {list(self.components)} (pass extra='ignore' to "
                f"leave them out)"
            )
        leaf = self.leaf_scores(data, reference=reference)
        inner = _engine.score(self._compiled, leaf, data.entities)
        values = np.concatenate([leaf, inner], axis=-1)[..., self._derived.columns]
        values.setflags(write=False)
        if isinstance(data, PanelData):
            return PanelResult(index=self, data=data, values=values, reference=reference)
        if reference != "period":
            raise InvalidValueError(
                "reference", reference, "'period' for data without periods (not a panel)"
            )
        return IndexResult(index=self, data=data, values=values)

    def __repr__(self) -> str:
        return f"<Index {self.title()!r}: {len(self.nodes)} nodes, {len(self.leaves)} leaves>"


@attrs.frozen(kw_only=True)
class ComponentGap:
    """One leaf's contribution to a node for an entity, the leader and the median, in points."""

    component: str
    label: Label | None
    points: float
    leader_points: float
    median_points: float
    imputed: bool = False

    @property
    def vs_leader(self) -> float:
        """Points ahead of (positive) or behind (negative) the leader."""
        return self.points - self.leader_points

    @property
    def vs_median(self) -> float:
        """Points ahead of (positive) or behind (negative) the median entity."""
        return self.points - self.median_points


@attrs.frozen(kw_only=True)
class Explanation(Displayable):
    """Why an entity stands where it does on a node: its gaps, component by component."""

    entity: str
    name: str
    node: str
    score: float
    points: float
    rank: int | None
    ranked: int
    leader: str
    leader_points: float
    above: str | None
    gap_to_above: float | None
    components: tuple[ComponentGap, ...]
    leader_name: str = ""
    above_name: str | None = None
    scale: float = 1.0
    node_label: Label | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data (NaN becomes ``None``)."""
        return {
            "entity": self.entity,
            "name": self.name,
            "node": self.node,
            "node_label": None if self.node_label is None else self.node_label.to_dict(),
            "score": _json_float(self.score),
            "points": _json_float(self.points),
            "rank": self.rank,
            "ranked": self.ranked,
            "leader": self.leader,
            "leader_points": _json_float(self.leader_points),
            "above": self.above,
            "gap_to_above": None if self.gap_to_above is None else _json_float(self.gap_to_above),
            "components": [
                {
                    "component": g.component,
                    "label": None if g.label is None else g.label.to_dict(),
                    "points": _json_float(g.points),
                    "vs_leader": _json_float(g.vs_leader),
                    "vs_median": _json_float(g.vs_median),
                    "imputed": g.imputed,
                }
                for g in self.components
            ],
        }

    def strongest(self, count: int = 3) -> tuple[ComponentGap, ...]:
        """Components furthest above the median."""
        ordered = sorted(self.components, key=lambda g: (-_key(g.vs_median), g.component))
        return tuple(ordered[:count])

    def weakest(self, count: int = 3) -> tuple[ComponentGap, ...]:
        """Components furthest below the median."""
        ordered = sorted(self.components, key=lambda g: (_key(g.vs_median), g.component))
        return tuple(ordered[:count])

    def to_frame(self, lang: Language = "en") -> pd.DataFrame:
        """The components' points, the leader's and the median's, and the gaps (needs pandas).

        Labels are in ``lang`` (Vietnamese where no translation exists).
        """
        from dxplan._extras import import_pandas

        pd = import_pandas()
        frame = pd.DataFrame(
            {
                "label": [label_text(g.label, lang) for g in self.components],
                "points": [g.points for g in self.components],
                "leader_points": [g.leader_points for g in self.components],
                "median_points": [g.median_points for g in self.components],
                "vs_leader": [g.vs_leader for g in self.components],
                "vs_median": [g.vs_median for g in self.components],
            },
            index=[g.component for g in self.components],
        )
        frame.index.name = "component"
        return frame

    def __repr__(self) -> str:
        rank = "no rank" if self.rank is None else f"rank {self.rank}/{self.ranked}"
        points = f"{self.points:.1f} of {self.scale:g}" if self.scale != 1 else f"{self.score:.4g}"
        return f"<Explanation {self.entity!r} on {self.node!r}: {points}, {rank}>"


def _key(value: float) -> float:
    return -math.inf if math.isnan(value) else value


def _json_float(value: float) -> float | None:
    return None if math.isnan(value) else value


@attrs.frozen(kw_only=True, eq=False)
class IndexResult(Displayable):
    """Scores of every node for every entity, with ranks and contributions.

    ``values[i, j]`` is entity ``entities[i]``'s score on ``index.nodes[j]``
    (NaN: no score).
    """

    index: Index
    data: IndexData
    values: FloatArray

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity ids, in data order."""
        return self.data.entities

    def _column(self, node: str | None) -> int:
        node_id = self.index.root if node is None else node
        try:
            return self.index._derived.column_of[node_id]
        except KeyError:
            raise InvalidValueError("node", node_id, "a node of the index") from None

    def score(self, entity: str, node: str | None = None) -> float:
        """One entity's score on ``node`` (the root by default)."""
        return float(self.values[self.data.position(entity), self._column(node)])

    def scores(self, node: str | None = None) -> dict[str, float]:
        """Every entity's score on ``node`` (the root by default)."""
        column = self.values[:, self._column(node)]
        return dict(zip(self.entities, (float(v) for v in column), strict=True))

    def rank(
        self,
        node: str | None = None,
        *,
        method: RankMethod = "competition",
        decimals: int | None = None,
    ) -> dict[str, int | None]:
        """Ranks on ``node`` (highest first); ``None``: no score.

        Ties follow :meth:`Index.rank_scores`: rounded to ``decimals`` (the
        index's ``precision`` by default), and equal up to float noise.
        """
        ranks = self.index.rank_scores(
            self.values[:, self._column(node)],
            method=method,
            decimals=decimals,
            tiebreak=_id_order(self.entities) if method == "ordinal" else None,
        )
        if not np.isnan(ranks).any():
            return dict(zip(self.entities, ranks.astype(np.int64).tolist(), strict=True))
        return {
            e: (None if r != r else int(r))  # r != r: NaN, no rank
            for e, r in zip(self.entities, ranks.tolist(), strict=True)
        }

    def ranking(
        self, node: str | None = None, *, decimals: int | None = None
    ) -> tuple[tuple[int | None, str, float], ...]:
        """``(rank, entity, score)`` best first; ties by entity id, no-score last."""
        ranks = self.rank(node, decimals=decimals)
        scores = self.scores(node)
        rows = [(ranks[e], e, scores[e]) for e in self.entities]
        return tuple(sorted(rows, key=lambda r: (r[0] is None, r[0] or 0, r[1])))

    def rank_changes(
        self, other: IndexResult, node: str | None = None, *, decimals: int | None = None
    ) -> tuple[RankChange, ...]:
        """How ranks moved from this result to ``other`` (e.g. a scenario)."""
        return rank_changes(self.rank(node, decimals=decimals), other.rank(node, decimals=decimals))

    def contributions(self, node: str | None = None) -> dict[str, dict[str, float]]:
        """``{entity: {leaf: share of the node's score}}``; they add up to the score.

        Defined through arithmetic means and weighted sums; a leaf reached only
        through another aggregator contributes NaN.
        """
        matrix = self._contributions(node)
        leaves = [leaf.id for leaf in self.index.leaves]
        return {
            e: dict(zip(leaves, (float(v) for v in row), strict=True))
            for e, row in zip(self.entities, matrix, strict=True)
        }

    def _contributions(self, node: str | None) -> FloatArray:
        top = self.index.root if node is None else node
        column = {n.id: j for j, n in enumerate(self.index.nodes)}
        n_entities = len(self.entities)
        factor: dict[str, FloatArray] = {top: np.ones(n_entities)}
        with np.errstate(invalid="ignore", divide="ignore"):
            for node_id in self.index.order:
                current = self.index.node(node_id)
                if node_id not in factor or not isinstance(current, Aggregate):
                    continue
                agg = current.aggregator
                linear = agg.power == 1
                live = [
                    (c, w) for c, w in zip(current.children, current.weights, strict=True) if w > 0
                ]
                present = [~np.isnan(self.values[:, column[c]]) for c, _ in live]
                den = sum(
                    (p * w for p, (_, w) in zip(present, live, strict=True)),
                    start=np.zeros(n_entities),
                )
                scale = sum(w for _, w in live) if agg.sums else 1.0
                parent_missing = np.isnan(self.values[:, column[node_id]])
                for (child, w), p in zip(live, present, strict=True):
                    share = np.where(p, w * scale / den, 0.0) if linear else np.nan
                    share = np.where(parent_missing, np.nan, share)
                    before = factor.get(child, np.zeros(n_entities))
                    factor[child] = before + factor[node_id] * share
        out = np.full((n_entities, len(self.index.leaves)), np.nan)
        for i, leaf in enumerate(self.index.leaves):
            if leaf.id in factor:
                score = self.values[:, column[leaf.id]]
                out[:, i] = np.where(factor[leaf.id] == 0, 0.0, factor[leaf.id] * score)
            elif leaf.id != top:
                out[:, i] = 0.0
        if top in {leaf.id for leaf in self.index.leaves}:
            out[:, [leaf.id for leaf in self.index.leaves].index(top)] = self.values[:, column[top]]
        return out

    def effective_weights(self, node: str | None = None) -> dict[str, float]:
        """Each leaf's nominal share of ``node`` (see :meth:`Index.effective_weights`)."""
        return self.index.effective_weights(node)

    def explain(self, entity: str, node: str | None = None) -> Explanation:
        """Strong and weak components of ``entity`` against the leader and the median, in points.

        Points are the node's scale (``Aggregate.points``; the DTI is 1 000).
        """
        node_id = self.index.root if node is None else node
        target = self.index.node(node_id)
        scale = target.points if isinstance(target, Aggregate) else 1.0
        i = self.data.position(entity)
        scores = self.values[:, self._column(node_id)]
        ranks = self.index.rank_scores(scores, tiebreak=_id_order(self.entities))
        ordinal = self.index.rank_scores(
            scores, method="ordinal", tiebreak=_id_order(self.entities)
        )
        leader_at = int(np.nanargmin(ordinal)) if not np.isnan(ordinal).all() else i
        contributions = self._contributions(node_id) * scale
        weights = self.index.effective_weights(node_id)
        flags = self.data.imputed
        at = {c: j for j, c in enumerate(self.data.components)}
        gaps: list[ComponentGap] = []
        for j, leaf in enumerate(self.index.leaves):
            if weights[leaf.id] == 0:
                continue
            column = contributions[:, j]
            present = column[~np.isnan(column)]
            gaps.append(
                ComponentGap(
                    component=leaf.id,
                    label=leaf.label,
                    points=float(column[i]),
                    leader_points=float(column[leader_at]),
                    median_points=_median(present) if present.size else math.nan,
                    imputed=bool(flags is not None and flags[i, at[leaf.component]]),
                )
            )
        above: str | None = None
        gap: float | None = None
        own = scores[i]
        if not math.isnan(own):
            better = np.where(scores > own, scores, np.inf)
            if np.isfinite(better).any():
                k = int(np.argmin(np.where(np.isnan(better), np.inf, better)))
                above, gap = self.entities[k], float((scores[k] - own) * scale)
        rank = None if math.isnan(ranks[i]) else int(ranks[i])
        return Explanation(
            entity=entity,
            name=self.data.name(entity),
            node=node_id,
            node_label=target.label,
            score=float(own),
            points=float(own * scale),
            rank=rank,
            ranked=int((~np.isnan(scores)).sum()),
            leader=self.entities[leader_at],
            leader_points=float(scores[leader_at] * scale),
            above=above,
            gap_to_above=gap,
            components=tuple(gaps),
            leader_name=self.data.name(self.entities[leader_at]),
            above_name=None if above is None else self.data.name(above),
            scale=scale,
        )

    def to_dict(self, node: str | None = None, *, decimals: int | None = None) -> dict[str, object]:
        """The ranking on ``node`` as JSON-ready plain data, with the sources.

        With ``decimals``, ties are judged and scores given rounded to that many.
        """
        node_id = self.index.root if node is None else node
        return {
            "index": self.index.title(),
            "node": node_id,
            "citation": self.index.citation,
            "source": self.data.source,
            "ranking": [
                {
                    "rank": r,
                    "entity": e,
                    "name": self.data.name(e),
                    "score": _json_float(
                        s if decimals is None else float(round_half_up(s, decimals))
                    ),
                }
                for r, e, s in self.ranking(node_id, decimals=decimals)
            ],
        }

    def to_excel(
        self, path: str | PathLike[str], *, node: str | None = None, force: bool = False
    ) -> Path:
        """Write the ranking on ``node``, every node's scores and the raw data as ``.xlsx``.

        A README sheet gives the index, its citation and the data's source;
        ranks are highest first, ties sharing the lowest rank (needs the ``excel`` extra).
        """
        from dxplan.formats.excel import write_tables

        node_id = node or self.index.root
        ranking = self.to_dict(node_id)
        scores = [
            {"entity": e, "name": self.data.name(e)}
            | {n.id: float(self.values[i, j]) for j, n in enumerate(self.index.nodes)}
            for i, e in enumerate(self.entities)
        ]
        raw = [
            {"entity": e}
            | dict(zip(self.data.components, map(float, self.data.values[i]), strict=True))
            for i, e in enumerate(self.entities)
        ]
        return write_tables(
            path,
            {"ranking": ranking["ranking"], "scores": scores, "data": raw},  # type: ignore[dict-item]
            {
                "index": self.index.title(),
                "node": node_id,
                "index citation": self.index.citation,
                "data source": self.data.source,
                "ranks": "highest first; ties share the lowest rank (1, 2, 2, 4)",
            },
            force=force,
        )

    def to_frame(self) -> pd.DataFrame:
        """Scores of every node (columns) for every entity (rows); needs pandas."""
        from dxplan._extras import import_pandas

        pd = import_pandas()
        frame = pd.DataFrame(
            np.array(self.values),
            index=list(self.entities),
            columns=[n.id for n in self.index.nodes],
        )
        frame.index.name = "entity"
        frame.insert(0, "rank", [self.rank()[e] for e in self.entities])
        return frame

    def __repr__(self) -> str:
        top = ", ".join(f"{r}. {e}" for r, e, _ in self.ranking()[:3])
        return f"<IndexResult {self.index.title()!r}: {len(self.entities)} entities; {top}>"


def _id_order(entities: Sequence[str]) -> npt.NDArray[np.intp]:
    order = np.empty(len(entities), dtype=np.intp)
    order[np.argsort(np.array(entities, dtype=str), kind="stable")] = np.arange(len(entities))
    return order


@attrs.frozen(kw_only=True)
class ComponentChange:
    """One leaf's contribution to a node in two periods, in points."""

    component: str
    label: Label | None
    before: float
    after: float
    imputed_before: bool = False
    imputed_after: bool = False

    @property
    def change(self) -> float:
        """Points gained (positive) or lost (negative) through this component."""
        return self.after - self.before


@attrs.frozen(kw_only=True)
class ScoreChange(Displayable):
    """Why an entity's score and rank on a node moved between two periods.

    The components' changes add up to the change of the score (to rounding),
    for nodes built from arithmetic means and weighted sums; a component
    that was imputed in either period is flagged.
    """

    entity: str
    name: str
    node: str
    before_period: Period
    after_period: Period
    score_before: float
    score_after: float
    rank_before: int | None
    rank_after: int | None
    components: tuple[ComponentChange, ...]
    scale: float = 1.0
    node_label: Label | None = None

    @property
    def change(self) -> float:
        """The change of the score, in points."""
        return (self.score_after - self.score_before) * self.scale

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost; ``None`` if either rank is missing."""
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after

    def largest(self, count: int = 3) -> tuple[ComponentChange, ...]:
        """The components that moved the score most (by absolute change)."""
        ordered = sorted(self.components, key=lambda c: (-abs(_key(c.change)), c.component))
        return tuple(ordered[:count])

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data (NaN becomes ``None``)."""
        return {
            "entity": self.entity,
            "name": self.name,
            "node": self.node,
            "node_label": None if self.node_label is None else self.node_label.to_dict(),
            "before_period": self.before_period,
            "after_period": self.after_period,
            "score_before": _json_float(self.score_before * self.scale),
            "score_after": _json_float(self.score_after * self.scale),
            "change": _json_float(self.change),
            "rank_before": self.rank_before,
            "rank_after": self.rank_after,
            "components": [
                {
                    "component": c.component,
                    "label": None if c.label is None else c.label.to_dict(),
                    "before": _json_float(c.before),
                    "after": _json_float(c.after),
                    "change": _json_float(c.change),
                    "imputed_before": c.imputed_before,
                    "imputed_after": c.imputed_after,
                }
                for c in self.components
            ],
        }

    def to_frame(self, lang: Language = "en") -> pd.DataFrame:
        """One row per component: points before and after, change, imputation flags.

        Labels are in ``lang`` (Vietnamese where no translation exists).
        """
        from dxplan._extras import import_pandas

        pd = import_pandas()
        frame = pd.DataFrame(
            {
                "label": [label_text(c.label, lang) for c in self.components],
                "before": [c.before for c in self.components],
                "after": [c.after for c in self.components],
                "change": [c.change for c in self.components],
                "imputed_before": [c.imputed_before for c in self.components],
                "imputed_after": [c.imputed_after for c in self.components],
            },
            index=[c.component for c in self.components],
        )
        frame.index.name = "component"
        return frame


@attrs.frozen(kw_only=True, eq=False)
class PanelResult(Displayable):
    """Scores of every node for every entity in every period of a panel.

    ``values[p, i, j]`` is entity ``entities[i]``'s score on
    ``index.nodes[j]`` in period ``periods[p]``. :meth:`period` gives one
    period as an :class:`IndexResult` (ranking, explanation, contributions).
    """

    index: Index
    data: PanelData
    values: FloatArray
    reference: Reference = "period"

    @property
    def periods(self) -> tuple[Period, ...]:
        """The period labels, in order."""
        return self.data.labels

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity ids, in data order."""
        return self.data.entities

    def __repr__(self) -> str:
        return (
            f"PanelResult({self.index.title()!r}, {len(self.entities)} entities "
            f"× {len(self.periods)} periods, reference={self.reference!r})"
        )

    def _at(self, period: Period | None) -> int:
        return len(self.periods) - 1 if period is None else self.data.period_position(period)

    def period(self, period: Period | None = None) -> IndexResult:
        """One period (the latest by default) as an :class:`IndexResult`."""
        p = self._at(period)
        return IndexResult(
            index=self.index, data=self.data.period(self.periods[p]), values=self.values[p]
        )

    def score(self, entity: str, node: str | None = None, *, period: Period | None = None) -> float:
        """One entity's score on ``node`` (the root by default) in ``period`` (the latest)."""
        return self.period(period).score(entity, node)

    def scores(self, node: str | None = None, *, period: Period | None = None) -> dict[str, float]:
        """Every entity's score on ``node`` in ``period`` (the latest by default)."""
        return self.period(period).scores(node)

    def rank(
        self,
        node: str | None = None,
        *,
        period: Period | None = None,
        method: RankMethod = "competition",
        decimals: int | None = None,
    ) -> dict[str, int | None]:
        """Ranks on ``node`` in ``period`` (the latest by default); see :meth:`IndexResult.rank`."""
        return self.period(period).rank(node, method=method, decimals=decimals)

    def ranking(
        self, node: str | None = None, *, period: Period | None = None, decimals: int | None = None
    ) -> tuple[tuple[int | None, str, float], ...]:
        """``(rank, entity, score)`` best first in ``period`` (the latest by default)."""
        return self.period(period).ranking(node, decimals=decimals)

    def rank_changes(
        self,
        before: Period,
        after: Period,
        node: str | None = None,
        *,
        decimals: int | None = None,
    ) -> tuple[RankChange, ...]:
        """How ranks moved from period ``before`` to period ``after``, biggest climbs first."""
        return rank_changes(
            self.rank(node, period=before, decimals=decimals),
            self.rank(node, period=after, decimals=decimals),
        )

    def explain(
        self, entity: str, node: str | None = None, *, period: Period | None = None
    ) -> Explanation:
        """:meth:`IndexResult.explain` in ``period`` (the latest by default)."""
        return self.period(period).explain(entity, node)

    def explain_change(
        self, entity: str, before: Period, after: Period, node: str | None = None
    ) -> ScoreChange:
        """Which components moved ``entity``'s score and rank on ``node`` between two periods.

        Each component's change is its contribution to the node in ``after``
        minus that in ``before``, in the node's points; they add up to the
        change of the score (to rounding). Meaningful across periods when the
        references are fixed (``reference="pooled"`` or one period); with
        per-period references a change also reflects the other entities.
        """
        node_id = self.index.root if node is None else node
        target = self.index.node(node_id)
        scale = target.points if isinstance(target, Aggregate) else 1.0
        first, last = self.period(before), self.period(after)
        i = self.data.position(entity)
        c_before = first._contributions(node_id)[i] * scale
        c_after = last._contributions(node_id)[i] * scale
        weights = self.index.effective_weights(node_id)
        flags = self.data.imputed
        column = {c: j for j, c in enumerate(self.data.components)}
        p0, p1 = self._at(before), self._at(after)
        changes = []
        for j, leaf in enumerate(self.index.leaves):
            if weights[leaf.id] == 0:
                continue
            at = column[leaf.component]
            changes.append(
                ComponentChange(
                    component=leaf.id,
                    label=leaf.label,
                    before=float(c_before[j]),
                    after=float(c_after[j]),
                    imputed_before=bool(flags is not None and flags[p0, i, at]),
                    imputed_after=bool(flags is not None and flags[p1, i, at]),
                )
            )
        return ScoreChange(
            entity=entity,
            name=self.data.name(entity),
            node=node_id,
            node_label=target.label,
            before_period=self.periods[p0],
            after_period=self.periods[p1],
            score_before=first.score(entity, node_id),
            score_after=last.score(entity, node_id),
            rank_before=first.rank(node_id)[entity],
            rank_after=last.rank(node_id)[entity],
            components=tuple(changes),
            scale=scale,
        )

    def to_frame(self) -> pd.DataFrame:
        """Scores of every node (columns) by entity and period (rows); needs pandas."""
        from dxplan._extras import import_pandas

        pd = import_pandas()
        n_p, n_e = len(self.periods), len(self.entities)
        index = pd.MultiIndex.from_arrays(
            [
                np.tile(np.array(self.entities, dtype=object), n_p),
                np.repeat(np.array(self.periods, dtype=object), n_e),
            ],
            names=["entity", "period"],
        )
        frame = pd.DataFrame(
            self.values.reshape(n_p * n_e, -1),
            index=index,
            columns=[n.id for n in self.index.nodes],
        )
        ranks = [self.rank(period=p)[e] for p in self.periods for e in self.entities]
        frame.insert(0, "rank", ranks)
        return frame
