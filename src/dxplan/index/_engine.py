"""The compiled index: the numpy kernels behind :meth:`Index.evaluate` and the Monte Carlo.

An :class:`~dxplan.index.model.Index` is compiled once, when it is built
(:func:`compile_index`), into a :class:`CompiledIndex`. Scores live in two
blocks: leaf scores ``(…, E, L)`` and inner-node scores ``(…, E, I)``, where
``…`` is a panel's periods (or nothing). Two kernels read the compiled index:

- :func:`score`, under the nominal weights: level by level (topological
  generations), the nodes of one level that share a power are one
  :class:`MeanStep`, scored for every entity and period with two matrix
  products, so no Python loop runs per entity or per period;
- :func:`score_draws`, under thousands of weight draws ``(D, child weights)``: node by
  node (:class:`InnerNode`), each node one product over the draws.

Every aggregator but the minimum is a weighted power mean
``(Σ w·xᵖ / Σ w)^(1/p)`` (p = 0: geometric), times the weight total for a sum
of points. Summing ``w·xᵖ`` and ``w`` over the present children only is what
skips a missing child and renormalises the others' weights, as COINr does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dxplan.errors import EvaluationError
from dxplan.index.aggregators import Aggregator
from dxplan.index.aggregators import _backward as mean_of_powers
from dxplan.index.aggregators import _forward as power_of

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@attrs.frozen(kw_only=True)
class Aggregation:
    """One inner node as the compiler reads it (the :class:`Index` has checked it).

    ``min_share`` is the least share of children present for a score
    (``None``: one is enough); an aggregator that needs every child has 1.
    """

    id: str
    aggregator: Aggregator
    children: tuple[str, ...]
    weights: tuple[float, ...]
    min_share: float | None


@attrs.frozen(kw_only=True)
class ChildWeight:
    """A child's nominal weight in its parent; a weight draw perturbs these."""

    parent: str
    child: str
    weight: float


@attrs.frozen(kw_only=True, eq=False)
class Children:
    """The children of a :class:`MeanStep` in one block (leaves, or inner nodes).

    ``weights[i, j]`` is child ``i``'s nominal weight in the step's node ``j``
    (0 where it is not a child), so ``values @ weights`` sums every node of the
    step at once; ``membership`` is the same matrix as 1/0, to count the present
    children. ``source`` holds the children's columns in their block;
    ``every_leaf`` says they are all the leaves in order, so the block is used
    as it is, without a gathered copy.
    """

    source: IntArray
    weights: FloatArray
    membership: FloatArray
    every_leaf: bool


@attrs.frozen(kw_only=True, eq=False)
class MeanStep:
    """The nodes of one level that share a power ``p``, scored together by :func:`score`.

    Attributes:
        node_ids: the nodes, in the column order of the weight matrices.
        positions: their columns in the inner block.
        aggregators: each node's aggregator, which checks its children's domain.
        power: ``p``: 1 for the arithmetic mean and the sum of points, 0 geometric,
            −1 harmonic, or a generalised mean's.
        leaves: the children that are leaves.
        inner: the children that are inner nodes of earlier levels.
        totals: per node, the weight total a sum of points is scaled by (1 for a
            mean); ``None`` when no node is a sum.
        min_share: per node, the least share of children present for a score
            (0: none); ``None`` when no node has one.
        counts: per node, how many children take part (weight > 0).
        checks: whether an aggregator limits its domain (values > 0 for a
            geometric mean), so values are checked before logs and powers.
    """

    node_ids: tuple[str, ...]
    positions: IntArray
    aggregators: tuple[Aggregator, ...]
    power: float
    leaves: Children
    inner: Children
    totals: FloatArray | None
    min_share: FloatArray | None
    counts: FloatArray
    checks: bool


@attrs.frozen(kw_only=True, eq=False)
class InnerNode:
    """One inner node and its children, for :func:`score_draws` (and a minimum).

    ``leaf_children``/``inner_children`` are columns in the leaf/inner block;
    ``leaf_slots``/``inner_slots`` the positions of their weights in a draw;
    ``count`` how many children take part (weight > 0), for ``min_share``;
    ``checks`` whether the aggregator limits its domain (see :class:`MeanStep`).
    """

    node_id: str
    position: int
    aggregator: Aggregator
    leaf_children: IntArray
    leaf_slots: IntArray
    inner_children: IntArray
    inner_slots: IntArray
    min_share: float | None
    count: int
    checks: bool


@attrs.frozen(kw_only=True, eq=False)
class CompiledIndex:
    """An index ready to score.

    Attributes:
        leaf_ids: the leaf block's columns.
        inner_ids: the inner block's columns, level by level.
        child_weights: every child's weight in its parent (positive ones
            only); a weight draw is a vector over them.
        steps: what :func:`score` runs, in order: a :class:`MeanStep` per
            level and power, an :class:`InnerNode` per minimum.
        nodes: what :func:`score_draws` runs: every inner node, in block order.
    """

    leaf_ids: tuple[str, ...]
    inner_ids: tuple[str, ...]
    child_weights: tuple[ChildWeight, ...]
    steps: tuple[MeanStep | InnerNode, ...]
    nodes: tuple[InnerNode, ...]

    @property
    def nominal_weights(self) -> FloatArray:
        """The child weights as a vector."""
        return np.array([w.weight for w in self.child_weights], dtype=np.float64)


def compile_index(
    leaf_ids: Sequence[str],
    aggregations: Sequence[Aggregation],
    levels: Sequence[Sequence[str]],
) -> CompiledIndex:
    """Compile inner nodes, given level by level (each level's children come before it)."""
    leaf_at = {leaf: i for i, leaf in enumerate(leaf_ids)}
    inner_ids = tuple(node for level in levels for node in level)
    inner_at = {node: i for i, node in enumerate(inner_ids)}
    by_id = {spec.id: spec for spec in aggregations}
    child_weights: list[ChildWeight] = []
    slot: dict[tuple[str, str], int] = {}
    for node in inner_ids:
        spec = by_id[node]
        scale = _weight_scale(spec)
        for child, weight in zip(spec.children, spec.weights, strict=True):
            if weight > 0:  # a child of weight 0 takes no part at all
                slot[node, child] = len(child_weights)
                child_weights.append(
                    ChildWeight(parent=node, child=child, weight=float(weight) / scale)
                )
    nodes = tuple(_inner_node(by_id[n], leaf_at, inner_at, slot) for n in inner_ids)
    nominal = np.array([w.weight for w in child_weights], dtype=np.float64)
    steps: list[MeanStep | InnerNode] = []
    for level in levels:
        by_power: dict[float, list[InnerNode]] = {}
        for inner_node in (nodes[inner_at[n]] for n in level):
            power = inner_node.aggregator.power
            if power is None:
                steps.append(inner_node)
            else:
                by_power.setdefault(power, []).append(inner_node)
        steps += [_mean_step(group, nominal, len(leaf_ids)) for group in by_power.values()]
    return CompiledIndex(
        leaf_ids=tuple(leaf_ids),
        inner_ids=inner_ids,
        child_weights=tuple(child_weights),
        steps=tuple(steps),
        nodes=nodes,
    )


def _ints(values: Sequence[int]) -> IntArray:
    return np.array(values, dtype=np.intp)


def _weight_scale(spec: Aggregation) -> float:
    """1, or the largest weight of a mean whose weights would overflow when summed.

    A mean only depends on its weights' ratios, so dividing by the largest
    first (safe: every quotient is at most 1) gives the same scores; weights
    that sum to a finite number are left exactly as given. A sum of points
    whose weights overflow is refused when the index is built.
    """
    weights = [float(w) for w in spec.weights]
    if spec.aggregator.sums or math.isfinite(sum(weights)):
        return 1.0
    return max(weights)


def _inner_node(
    spec: Aggregation,
    leaf_at: dict[str, int],
    inner_at: dict[str, int],
    slot: dict[tuple[str, str], int],
) -> InnerNode:
    slots = [(child, slot[spec.id, child]) for child in spec.children if (spec.id, child) in slot]
    leaves = [(leaf_at[c], at) for c, at in slots if c in leaf_at]
    inners = [(inner_at[c], at) for c, at in slots if c in inner_at]
    return InnerNode(
        node_id=spec.id,
        position=inner_at[spec.id],
        aggregator=spec.aggregator,
        leaf_children=_ints([c for c, _ in leaves]),
        leaf_slots=_ints([at for _, at in leaves]),
        inner_children=_ints([c for c, _ in inners]),
        inner_slots=_ints([at for _, at in inners]),
        min_share=spec.min_share,
        count=len(slots),
        checks=_checks(spec.aggregator),
    )


def _checks(aggregator: Aggregator) -> bool:
    return type(aggregator).check is not Aggregator.check


def _mean_step(nodes: Sequence[InnerNode], nominal: FloatArray, n_leaves: int) -> MeanStep:
    power = nodes[0].aggregator.power
    assert power is not None  # a minimum is not a mean
    leaves = _children([(n.leaf_children, n.leaf_slots) for n in nodes], nominal, n_leaves)
    inner = _children([(n.inner_children, n.inner_slots) for n in nodes], nominal, None)
    sums = np.array([n.aggregator.sums for n in nodes], dtype=bool)
    shares = [n.min_share for n in nodes]
    return MeanStep(
        node_ids=tuple(n.node_id for n in nodes),
        positions=_ints([n.position for n in nodes]),
        aggregators=tuple(n.aggregator for n in nodes),
        power=power,
        leaves=leaves,
        inner=inner,
        totals=(
            np.where(sums, leaves.weights.sum(axis=0) + inner.weights.sum(axis=0), 1.0)
            if sums.any()
            else None
        ),
        min_share=(
            None
            if all(share is None for share in shares)
            else np.array([0.0 if share is None else share for share in shares])
        ),
        counts=np.array([n.count for n in nodes], dtype=np.float64),
        checks=any(n.checks for n in nodes),
    )


def _children(
    per_node: Sequence[tuple[IntArray, IntArray]], nominal: FloatArray, n_leaves: int | None
) -> Children:
    """One block of a step's children from each node's ``(children, slots)``."""
    source = list(dict.fromkeys(c for children, _ in per_node for c in children.tolist()))
    row = {c: i for i, c in enumerate(source)}
    weights = np.zeros((len(source), len(per_node)))
    for col, (children, slots) in enumerate(per_node):
        weights[[row[c] for c in children.tolist()], col] = nominal[slots]
    return Children(
        source=_ints(source),
        weights=weights,
        membership=(weights > 0).astype(np.float64),
        every_leaf=n_leaves is not None and source == list(range(n_leaves)),
    )


def _forward(x: FloatArray, missing: npt.NDArray[np.bool_], power: float) -> FloatArray:
    """``xᵖ`` (``log x`` for p = 0) where present, 0 where missing: a missing child adds nothing."""
    if power == 1:
        return np.where(missing, 0.0, x)
    # 1 is in every domain: no warning from log or power where the value is missing.
    return np.where(missing, 0.0, power_of(np.where(missing, 1.0, x), power))


def _check_domain(
    aggregator: Aggregator,
    node: str,
    values: FloatArray,
    children: Sequence[str],
    entities: Sequence[str],
) -> None:
    """Refuse values outside ``aggregator``'s domain, naming the first entity and its children.

    ``values`` is ``(…, E, C)``, missing values already 1 (inside every
    domain). The whole block is checked at once, the usual case being that
    all is well; only then are its rows searched for the entity to name.
    """
    where = f"node {node!r}"
    try:
        aggregator.check(values, where)
    except EvaluationError:
        for at, row in enumerate(values.reshape(-1, values.shape[-1])):
            try:
                aggregator.check(row, where)
            except EvaluationError as exc:
                bad = [c for c, v in zip(children, row, strict=True) if _refuses(aggregator, v)]
                entity = entities[at % len(entities)]
                raise EvaluationError(f"{exc} for entity {entity!r} in children {bad}") from None


def _refuses(aggregator: Aggregator, value: float) -> bool:
    try:
        aggregator.check(np.array([value]), "")
    except EvaluationError:
        return True
    return False


# ------------------------------------------------------------------- nominal weights


def score(compiled: CompiledIndex, leaf_scores: FloatArray, entities: Sequence[str]) -> FloatArray:
    """Every inner node's score ``(…, E, I)`` from the leaf scores ``(…, E, L)``.

    ``entities`` names the rows when an aggregator refuses a value.
    """
    inner = np.empty((*leaf_scores.shape[:-1], len(compiled.inner_ids)), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for step in compiled.steps:
            if isinstance(step, MeanStep):
                _score_means(step, compiled, leaf_scores, inner, entities)
            else:
                _score_minimum(step, leaf_scores, inner)
    return inner


def _score_means(
    step: MeanStep,
    compiled: CompiledIndex,
    leaf_scores: FloatArray,
    inner: FloatArray,
    entities: Sequence[str],
) -> None:
    """One step: ``Σ w·xᵖ`` and ``Σ w`` over present children, each a product per block."""
    num: FloatArray | None = None
    den: FloatArray | None = None
    present_count: FloatArray | None = None
    for children, block, ids in (
        (step.leaves, leaf_scores, compiled.leaf_ids),
        (step.inner, inner, compiled.inner_ids),
    ):
        if not children.source.size:
            continue
        x = block if children.every_leaf else block[..., children.source]
        missing = np.isnan(x)
        if step.checks:
            _check_step(step, x, missing, children, [ids[i] for i in children.source], entities)
        present = 1.0 - missing
        part_num = _forward(x, missing, step.power) @ children.weights
        part_den = present @ children.weights
        num = part_num if num is None else num + part_num
        den = part_den if den is None else den + part_den
        if step.min_share is not None:
            part_count = present @ children.membership
            present_count = part_count if present_count is None else present_count + part_count
    # Every node has a child of positive weight (the index refuses one without), so both exist.
    assert num is not None
    assert den is not None
    mean = mean_of_powers(num / den, step.power)  # 0/0 (no child present) is NaN: no score
    if step.totals is not None:
        mean = mean * step.totals
    if present_count is not None and step.min_share is not None:
        mean = np.where(present_count / step.counts < step.min_share, np.nan, mean)
    inner[..., step.positions] = mean


def _check_step(
    step: MeanStep,
    x: FloatArray,
    missing: npt.NDArray[np.bool_],
    children: Children,
    child_ids: Sequence[str],
    entities: Sequence[str],
) -> None:
    """Check each node on its own children only: a geometric mean refuses a 0 that an
    arithmetic mean of the same step (p = 1 with a generalised mean) accepts."""
    for col, (node, aggregator) in enumerate(zip(step.node_ids, step.aggregators, strict=True)):
        rows = np.flatnonzero(children.membership[:, col])
        if rows.size and _checks(aggregator):
            values = np.where(missing[..., rows], 1.0, x[..., rows])
            _check_domain(aggregator, node, values, [child_ids[r] for r in rows.tolist()], entities)


def _score_minimum(node: InnerNode, leaf_scores: FloatArray, inner: FloatArray) -> None:
    """A minimum is no power mean, so it is scored alone: the smallest present child."""
    x = np.concatenate(
        [leaf_scores[..., node.leaf_children], inner[..., node.inner_children]], axis=-1
    )
    present = ~np.isnan(x)
    out = np.where(present, x, np.inf).min(axis=-1)
    count = present.sum(axis=-1)
    out = np.where(count > 0, out, np.nan)
    if node.min_share is not None:
        out = np.where(count / node.count < node.min_share, np.nan, out)
    inner[..., node.position] = out


# ------------------------------------------------------------------------- many draws


@attrs.frozen(eq=False)
class LeafBlock:
    """Leaf scores ``(E, L)`` for :func:`score_draws`, with their powers kept between chunks.

    Every chunk of draws reads the same leaf scores, and each power mean needs
    them raised to its power (leaves × entities). That depends on the power
    alone, so it is computed once per power and kept here.
    """

    scores: FloatArray
    _powers: dict[float, tuple[FloatArray, FloatArray]] = attrs.field(init=False, factory=dict)

    def powered(self, power: float) -> tuple[FloatArray, FloatArray]:
        """``xᵖ`` (0 where missing) and presence (1 or 0), leaves × entities."""
        block = self._powers.get(power)
        if block is None:
            x = np.ascontiguousarray(self.scores.T)
            missing = np.isnan(x)
            block = (_forward(x, missing, power), 1.0 - missing)
            self._powers[power] = block
        return block


def score_draws(
    compiled: CompiledIndex, leaves: LeafBlock, weights: FloatArray, entities: Sequence[str]
) -> FloatArray:
    """Inner scores ``(I, D, E)`` under each row of ``weights`` ``(D, child weights)``.

    :func:`score`'s level-at-a-time products would need a dense
    (draws × children × nodes) weight array here, mostly zeros. Instead each
    node is one (draws × leaf children) @ (leaf children × entities) product
    plus one scaled sum per inner child, stored node-major (nodes × draws ×
    entities) so every node's block is contiguous.
    """
    n_draws = weights.shape[0]
    n_entities = leaves.scores.shape[0]
    inner = np.empty((len(compiled.inner_ids), n_draws, n_entities), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for node in compiled.nodes:
            if node.aggregator.power is None:
                inner[node.position] = _minimum_draws(node, leaves.scores, inner, n_draws)
            else:
                if node.checks:
                    _check_node(node, compiled, leaves.scores, inner, entities)
                inner[node.position] = _mean_draws(node, leaves, inner, weights)
    return inner


def _mean_draws(
    node: InnerNode, leaves: LeafBlock, inner: FloatArray, weights: FloatArray
) -> FloatArray:
    """One node under every draw, ``(D, E)``: leaf children in one product, inner ones
    one by one, each already ``(D, E)``, so no (draws × children × entities) array is built."""
    power = node.aggregator.power
    assert power is not None
    num: FloatArray | None = None
    den: FloatArray | None = None
    present_count: FloatArray | None = None
    if node.leaf_children.size:
        forward, present = leaves.powered(power)
        w = weights[:, node.leaf_slots]
        num = w @ forward[node.leaf_children]
        here = present[node.leaf_children]
        # Nothing missing: the denominator is the draw's weight total, no product needed.
        den = w.sum(axis=1, keepdims=True) if here.all() else w @ here
        if node.min_share is not None:
            present_count = here.sum(axis=0)
    for child, at in zip(node.inner_children, node.inner_slots, strict=True):
        x = inner[child]
        w_col = weights[:, at, None]
        missing = np.isnan(x)
        if missing.any():
            part_num = w_col * _forward(x, missing, power)
            part_den: FloatArray = w_col * ~missing
            if node.min_share is not None:
                # As counts: boolean + boolean would be a logical or.
                counted = (~missing).astype(np.float64)
                present_count = counted if present_count is None else present_count + counted
        else:
            part_num = w_col * (x if power == 1 else _forward(x, missing, power))
            part_den = w_col
            if node.min_share is not None:
                present_count = np.ones((1, 1)) if present_count is None else present_count + 1.0
        if num is None:
            num = part_num
        else:
            num += part_num
        den = part_den if den is None else den + part_den
    assert num is not None
    assert den is not None
    mean = mean_of_powers(num / den, power)  # 0/0 (nothing present) is NaN: no score
    if node.aggregator.sums:
        mean *= weights[:, np.concatenate([node.leaf_slots, node.inner_slots])].sum(axis=1)[:, None]
    if present_count is not None and node.min_share is not None:
        mean = np.where(present_count / node.count < node.min_share, np.nan, mean)
    return np.broadcast_to(mean, (weights.shape[0], leaves.scores.shape[0]))


def _minimum_draws(
    node: InnerNode, leaf_scores: FloatArray, inner: FloatArray, n_draws: int
) -> FloatArray:
    """The smallest present child in each draw; weights play no part in a minimum, so
    only inner children (scored under each draw's weights) differ from draw to draw."""
    n_entities = leaf_scores.shape[0]
    out = np.full((n_draws, n_entities), np.inf)
    count = np.zeros((n_draws, n_entities))
    columns = [leaf_scores[:, c] for c in node.leaf_children]
    for x in [*columns, *(inner[c] for c in node.inner_children)]:
        out = np.fmin(out, np.where(np.isnan(x), np.inf, x))
        count += ~np.isnan(x)
    out = np.where(count > 0, out, np.nan)
    if node.min_share is not None:
        out = np.where(count / node.count < node.min_share, np.nan, out)
    return out


def _check_node(
    node: InnerNode,
    compiled: CompiledIndex,
    leaf_scores: FloatArray,
    inner: FloatArray,
    entities: Sequence[str],
) -> None:
    """Check the leaf children as one block, then each inner child's draws."""
    blocks: list[tuple[FloatArray, list[str]]] = []
    if node.leaf_children.size:
        ids = [compiled.leaf_ids[c] for c in node.leaf_children]
        blocks.append((leaf_scores[:, node.leaf_children], ids))
    for child in node.inner_children:
        blocks.append((inner[child][..., None], [compiled.inner_ids[child]]))
    for x, ids in blocks:
        values = np.where(np.isnan(x), 1.0, x)
        _check_domain(node.aggregator, node.node_id, values, ids, entities)
