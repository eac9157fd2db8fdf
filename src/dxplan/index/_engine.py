"""The vectorised evaluation kernel of :mod:`~dxplan.index.model` and the Monte Carlo.

Scores live in two blocks: leaf scores ``(…, E, L)`` and inner-node scores
``(…, E, I)``, where ``…`` is an optional draws axis. Inner nodes are evaluated
level by level (topological generations); the nodes of one level that share a
power mean are evaluated together with two matrix products (values and
presence against a weight matrix), so the cost does not grow with a Python loop
over entities or draws. Weights are a flat vector over the index's edges, so a
Monte Carlo draw is just another row of weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dxplan.errors import EvaluationError
from dxplan.index.aggregators import Aggregator, ArithmeticMean, WeightedSum

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@attrs.frozen(eq=False)
class Edge:
    """One parent → child link with its nominal weight."""

    parent: str
    child: str
    weight: float


@attrs.frozen(eq=False)
class PowerStep:
    """Nodes of one level evaluated together as weighted power means."""

    node_ids: tuple[str, ...]
    nodes: IntArray  # positions in the inner block
    aggregators: tuple[Aggregator, ...]
    power: float
    leaf_src: IntArray
    inner_src: IntArray
    # W_leaf[leaf_rows, cols] = weights[leaf_edges], and likewise for inner children.
    leaf_rows: IntArray
    leaf_cols: IntArray
    leaf_edges: IntArray
    inner_rows: IntArray
    inner_cols: IntArray
    inner_edges: IntArray
    sums: npt.NDArray[np.bool_]
    thresholds: FloatArray | None
    counts: FloatArray
    checks: bool
    leaf_in_order: bool
    # Nominal weight matrices and the 0/1 structure, built once.
    w_leaf: FloatArray
    w_inner: FloatArray
    s_leaf: FloatArray
    s_inner: FloatArray


@attrs.frozen(eq=False)
class MinStep:
    """One node taking the minimum of its present children."""

    node_id: str
    node: int
    leaf_src: IntArray
    inner_src: IntArray
    threshold: float | None


@attrs.frozen(eq=False)
class Plan:
    """A compiled index: leaf and inner orders, edges and the evaluation steps."""

    leaf_ids: tuple[str, ...]
    inner_ids: tuple[str, ...]
    edges: tuple[Edge, ...]
    steps: tuple[PowerStep | MinStep, ...]

    @property
    def nominal_weights(self) -> FloatArray:
        """Edge weights as a vector."""
        return np.array([e.weight for e in self.edges], dtype=np.float64)


def compile_plan(
    leaf_ids: Sequence[str],
    inner: Sequence[tuple[str, Aggregator, Sequence[str], Sequence[float], float | None]],
    generations: Sequence[Sequence[str]],
) -> Plan:
    """Compile inner nodes ``(id, aggregator, children, weights, threshold)`` level by level."""
    leaf_at = {leaf: i for i, leaf in enumerate(leaf_ids)}
    inner_ids = tuple(node for level in generations for node in level)
    inner_at = {node: i for i, node in enumerate(inner_ids)}
    spec = {item[0]: item for item in inner}
    edges: list[Edge] = []
    edge_at: dict[tuple[str, str], int] = {}
    for node in inner_ids:
        _, _, children, weights, _ = spec[node]
        scale = _weight_scale(spec[node])
        for child, weight in zip(children, weights, strict=True):
            if weight > 0:
                edge_at[node, child] = len(edges)
                edges.append(Edge(node, child, float(weight) / scale))
    weight_of = [edge.weight for edge in edges]  # once: not once per step
    steps: list[PowerStep | MinStep] = []
    for level in generations:
        groups: dict[tuple[float, type[Aggregator]], list[str]] = {}
        for node in level:
            agg = spec[node][1]
            if agg.power is None:
                steps.append(_min_step(node, spec[node], leaf_at, inner_at, edge_at))
                continue
            family = ArithmeticMean if isinstance(agg, WeightedSum) else type(agg)
            groups.setdefault((agg.power, family), []).append(node)
        for (power, _), nodes in groups.items():
            steps.append(_power_step(nodes, power, spec, leaf_at, inner_at, edge_at, weight_of))
    return Plan(
        leaf_ids=tuple(leaf_ids), inner_ids=inner_ids, edges=tuple(edges), steps=tuple(steps)
    )


def _ints(values: Sequence[int]) -> IntArray:
    return np.array(values, dtype=np.intp)


def _power_step(
    nodes: list[str],
    power: float,
    spec: dict[str, tuple[str, Aggregator, Sequence[str], Sequence[float], float | None]],
    leaf_at: dict[str, int],
    inner_at: dict[str, int],
    edge_at: dict[tuple[str, str], int],
    weight_of: Sequence[float],
) -> PowerStep:
    leaf_src: dict[str, int] = {}
    inner_src: dict[str, int] = {}
    entries: dict[str, list[tuple[int, int, int]]] = {"leaf": [], "inner": []}
    for col, node in enumerate(nodes):
        for child in spec[node][2]:
            if (node, child) not in edge_at:
                continue
            if child in leaf_at:
                row = leaf_src.setdefault(child, len(leaf_src))
                entries["leaf"].append((row, col, edge_at[node, child]))
            else:
                row = inner_src.setdefault(child, len(inner_src))
                entries["inner"].append((row, col, edge_at[node, child]))
    thresholds = [spec[n][4] for n in nodes]
    counts = [sum(1 for c in spec[n][2] if (n, c) in edge_at) for n in nodes]
    lr, lc, le = zip(*entries["leaf"], strict=True) if entries["leaf"] else ((), (), ())
    ir, ic, ie = zip(*entries["inner"], strict=True) if entries["inner"] else ((), (), ())
    k = len(nodes)
    w_leaf = np.zeros((len(leaf_src), k))
    w_leaf[_ints(lr), _ints(lc)] = [weight_of[e] for e in le]
    w_inner = np.zeros((len(inner_src), k))
    w_inner[_ints(ir), _ints(ic)] = [weight_of[e] for e in ie]
    aggregators = tuple(spec[n][1] for n in nodes)
    return PowerStep(
        node_ids=tuple(nodes),
        nodes=_ints([inner_at[n] for n in nodes]),
        aggregators=aggregators,
        power=power,
        leaf_src=_ints([leaf_at[c] for c in leaf_src]),
        inner_src=_ints([inner_at[c] for c in inner_src]),
        leaf_rows=_ints(lr),
        leaf_cols=_ints(lc),
        leaf_edges=_ints(le),
        inner_rows=_ints(ir),
        inner_cols=_ints(ic),
        inner_edges=_ints(ie),
        sums=np.array([spec[n][1].sums for n in nodes], dtype=bool),
        thresholds=(
            None
            if all(t is None for t in thresholds)
            else np.array([0.0 if t is None else t for t in thresholds])
        ),
        counts=np.array(counts, dtype=np.float64),
        checks=power != 1 or any(type(a).check is not Aggregator.check for a in aggregators),
        leaf_in_order=[leaf_at[c] for c in leaf_src] == list(range(len(leaf_src))),
        w_leaf=w_leaf,
        w_inner=w_inner,
        s_leaf=(w_leaf > 0).astype(np.float64),
        s_inner=(w_inner > 0).astype(np.float64),
    )


def _weight_scale(
    item: tuple[str, Aggregator, Sequence[str], Sequence[float], float | None],
) -> float:
    """1, or the largest weight of a mean whose weights would overflow when summed.

    A mean only depends on its weights' ratios, so dividing by the largest
    first (safe: every quotient is at most 1) gives the same scores; weights
    that sum to a finite number are left exactly as given. A sum of points
    whose weights overflow is refused when the index is built.
    """
    weights = [float(w) for w in item[3]]
    if item[1].sums or math.isfinite(sum(weights)):
        return 1.0
    return max(weights)


def _min_step(
    node: str,
    item: tuple[str, Aggregator, Sequence[str], Sequence[float], float | None],
    leaf_at: dict[str, int],
    inner_at: dict[str, int],
    edge_at: dict[tuple[str, str], int],
) -> MinStep:
    children = [c for c in item[2] if (node, c) in edge_at]
    return MinStep(
        node_id=node,
        node=inner_at[node],
        leaf_src=_ints([leaf_at[c] for c in children if c in leaf_at]),
        inner_src=_ints([inner_at[c] for c in children if c in inner_at]),
        threshold=item[4],
    )


def _forward(x: FloatArray, present: npt.NDArray[np.bool_], power: float) -> FloatArray:
    if power == 1:
        return np.where(present, x, 0.0)
    safe = np.where(present, x, 1.0)
    if power == 1:
        out = safe
    elif power == 0:
        out = np.log(safe)
    else:
        out = np.power(safe, power)
    return np.where(present, out, 0.0)


def _check(
    step: PowerStep,
    x: FloatArray,
    present: npt.NDArray[np.bool_],
    rows: IntArray,
    cols: IntArray,
    src_ids: Sequence[str],
    entities: Sequence[str],
) -> None:
    """Find the first node and entity whose present children are out of the domain."""
    for col, (node, agg) in enumerate(zip(step.node_ids, step.aggregators, strict=True)):
        children = rows[cols == col]
        if children.size == 0:
            continue
        values = np.where(present[..., children], x[..., children], 1.0)
        try:
            agg.check(values, f"node {node!r}")
        except EvaluationError:
            flat = values.reshape(-1, values.shape[-2], values.shape[-1])
            for block in flat:
                for e, row in enumerate(block):
                    try:
                        agg.check(row, f"node {node!r}")
                    except EvaluationError as exc:
                        bad = [
                            src_ids[c]
                            for c, v in zip(children, row, strict=True)
                            if agg_rejects(agg, v)
                        ]
                        raise EvaluationError(
                            f"{exc} for entity {entities[e]!r} in children {bad}"
                        ) from None
            raise


def agg_rejects(agg: Aggregator, value: float) -> bool:
    """Whether ``agg`` refuses a single present value."""
    try:
        agg.check(np.array([value]), "")
    except EvaluationError:
        return True
    return False


def run(
    plan: Plan,
    leaf_scores: FloatArray,
    weights: FloatArray | None,
    entities: Sequence[str],
    cache: dict[int, tuple[FloatArray, FloatArray]] | None = None,
) -> FloatArray:
    """Evaluate every inner node; returns inner scores ``(…, E, I)``.

    ``leaf_scores`` is ``(E, L)`` or ``(D, E, L)``; ``weights`` is
    ``(n_edges,)`` or ``(D, n_edges)``, or ``None`` for the nominal weights.
    ``cache`` keeps the leaf part of each step between calls with the same leaf
    scores (Monte Carlo chunks).
    """
    weight_lead = () if weights is None else weights.shape[:-1]
    lead = np.broadcast_shapes(leaf_scores.shape[:-2], weight_lead)
    n_entities = leaf_scores.shape[-2]
    inner = np.empty((*lead, n_entities, len(plan.inner_ids)), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for index, step in enumerate(plan.steps):
            if isinstance(step, MinStep):
                _run_min(step, leaf_scores, inner)
            else:
                _run_power(step, index, plan, leaf_scores, inner, weights, entities, cache)
    return inner


def _run_min(step: MinStep, leaf_scores: FloatArray, inner: FloatArray) -> None:
    parts = [leaf_scores[..., step.leaf_src], inner[..., step.inner_src]]
    shape = np.broadcast_shapes(parts[0].shape[:-1], parts[1].shape[:-1])
    x = np.concatenate([np.broadcast_to(p, (*shape, p.shape[-1])) for p in parts], axis=-1)
    present = ~np.isnan(x)
    out = np.where(present, x, np.inf).min(axis=-1)
    count = present.sum(axis=-1)
    out = np.where(count > 0, out, np.nan)
    if step.threshold is not None:
        out = np.where(count / x.shape[-1] < step.threshold, np.nan, out)
    inner[..., step.node] = out


def _run_power(
    step: PowerStep,
    index: int,
    plan: Plan,
    leaf_scores: FloatArray,
    inner: FloatArray,
    weights: FloatArray | None,
    entities: Sequence[str],
    cache: dict[int, tuple[FloatArray, FloatArray]] | None,
) -> None:
    k = len(step.node_ids)
    num: FloatArray | None = None
    den: FloatArray | None = None
    avail: FloatArray | None = None
    totals: FloatArray | None = None
    for part in ("leaf", "inner"):
        if part == "leaf":
            src, rows, cols, edges = step.leaf_src, step.leaf_rows, step.leaf_cols, step.leaf_edges
            nominal, structure = step.w_leaf, step.s_leaf
        else:
            src, rows, cols, edges = (
                step.inner_src,
                step.inner_rows,
                step.inner_cols,
                step.inner_edges,
            )
            nominal, structure = step.w_inner, step.s_inner
        if not src.size:
            continue
        cached = cache.get(index) if cache is not None and part == "leaf" else None
        if cached is not None:
            forward, present_f = cached
        else:
            if part == "leaf":
                whole = src.size == leaf_scores.shape[-1] and step.leaf_in_order
                x = leaf_scores if whole else leaf_scores[..., src]
            else:
                x = inner[..., src]
            missing = np.isnan(x)
            if step.checks:
                ids = plan.leaf_ids if part == "leaf" else plan.inner_ids
                _check(step, x, ~missing, rows, cols, [ids[i] for i in src], entities)
            if step.power == 1:
                forward = np.where(missing, 0.0, x)
            else:
                forward = _forward(x, ~missing, step.power)
            present_f = 1.0 - missing
            if cache is not None and part == "leaf":
                cache[index] = (forward, present_f)
        if weights is None:
            w = nominal
        else:
            w = np.zeros((*weights.shape[:-1], src.size, k))
            w[..., rows, cols] = weights[..., edges]
        if forward.ndim == 2 and w.ndim == 3:
            # Shared values, weights per draw: one large product instead of one per draw.
            part_num = np.tensordot(forward, w, axes=([1], [1])).transpose(1, 0, 2)
            part_den = np.tensordot(present_f, w, axes=([1], [1])).transpose(1, 0, 2)
        else:
            part_num, part_den = forward @ w, present_f @ w
        num = part_num if num is None else num + part_num
        den = part_den if den is None else den + part_den
        if step.sums.any():
            part_total = w.sum(axis=-2)
            totals = part_total if totals is None else totals + part_total
        if step.thresholds is not None:
            part_avail = present_f @ structure
            avail = part_avail if avail is None else avail + part_avail
    # Every step has at least one child, so both sums exist.
    assert num is not None
    assert den is not None
    mean = num / den  # 0/0 (no child present) is NaN: no score
    if step.power == 0:
        mean = np.exp(mean)
    elif step.power != 1:
        mean = np.power(mean, 1.0 / step.power)
    if totals is not None:
        mean = mean * np.where(step.sums, totals, 1.0)[..., None, :]
    if avail is not None and step.thresholds is not None:
        mean = np.where(avail / step.counts < step.thresholds, np.nan, mean)
    inner[..., step.nodes] = mean


# --------------------------------------------------------------------------- many draws
#
# With thousands of weight draws the level-at-a-time products above would build
# a dense (draws × children × nodes) weight array, mostly zeros. Here each
# inner node is one (draws × children) @ (children × entities) product for its
# leaf children plus one scaled sum per inner child, stored node-major
# (nodes × draws × entities) so every node's block is contiguous.


@attrs.frozen(eq=False)
class NodeTerms:
    """One inner node's children and edges, for :func:`run_draws`."""

    node_id: str
    position: int
    aggregator: Aggregator
    power: float | None
    leaf_children: IntArray
    leaf_edges: IntArray
    inner_children: IntArray
    inner_edges: IntArray
    threshold: float | None
    count: int
    checks: bool


def node_terms(plan: Plan) -> tuple[NodeTerms, ...]:
    """Per-node terms of ``plan`` in evaluation order."""
    leaf_at = {n: i for i, n in enumerate(plan.leaf_ids)}
    inner_at = {n: i for i, n in enumerate(plan.inner_ids)}
    by_parent: dict[str, list[tuple[str, int]]] = {}
    for e, edge in enumerate(plan.edges):
        by_parent.setdefault(edge.parent, []).append((edge.child, e))
    out: list[NodeTerms] = []
    for step in plan.steps:
        if isinstance(step, MinStep):
            ids: tuple[str, ...] = (step.node_id,)
            aggs: tuple[Aggregator | None, ...] = (None,)
            thresholds: list[float | None] = [step.threshold]
        else:
            ids, aggs = step.node_ids, step.aggregators
            thresholds = [
                None if step.thresholds is None or t == 0 else float(t)
                for t in (step.thresholds if step.thresholds is not None else [0.0] * len(ids))
            ]
        for node, agg, threshold in zip(ids, aggs, thresholds, strict=True):
            terms = by_parent.get(node, [])
            leaves = [(leaf_at[c], e) for c, e in terms if c in leaf_at]
            inners = [(inner_at[c], e) for c, e in terms if c in inner_at]
            aggregator = agg if agg is not None else _minimum()
            out.append(
                NodeTerms(
                    node_id=node,
                    position=inner_at[node],
                    aggregator=aggregator,
                    power=aggregator.power,
                    leaf_children=_ints([c for c, _ in leaves]),
                    leaf_edges=_ints([e for _, e in leaves]),
                    inner_children=_ints([c for c, _ in inners]),
                    inner_edges=_ints([e for _, e in inners]),
                    threshold=threshold,
                    count=len(terms),
                    checks=type(aggregator).check is not Aggregator.check,
                )
            )
    return tuple(out)


def _minimum() -> Aggregator:
    from dxplan.index.aggregators import Minimum

    return Minimum()


def run_draws(
    plan: Plan,
    terms: Sequence[NodeTerms],
    leaf_scores: FloatArray,
    weights: FloatArray,
    entities: Sequence[str],
    cache: dict[tuple[int, float], tuple[FloatArray, FloatArray]] | None = None,
) -> FloatArray:
    """Inner scores ``(nodes, draws, entities)``; leaf scores ``(E, L)``, weights ``(D, edges)``.

    ``cache`` keeps the transformed leaf block between chunks.
    """
    n_draws = weights.shape[0]
    n_entities = leaf_scores.shape[0]
    inner = np.empty((len(plan.inner_ids), n_draws, n_entities), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for term in terms:
            inner[term.position] = _node_draws(
                term, plan, leaf_scores, inner, weights, entities, cache
            )
    return inner


def _leaf_block(
    leaf_scores: FloatArray,
    power: float,
    cache: dict[tuple[int, float], tuple[FloatArray, FloatArray]] | None,
) -> tuple[FloatArray, FloatArray]:
    """Forward-transformed leaf scores and presence, leaves × entities."""
    key = (id(leaf_scores), power)
    if cache is not None and key in cache:
        return cache[key]
    x = np.ascontiguousarray(leaf_scores.T)
    present = ~np.isnan(x)
    block = (_forward(x, present, power), present.astype(np.float64))
    if cache is not None:
        cache[key] = block
    return block


def _node_draws(
    term: NodeTerms,
    plan: Plan,
    leaf_scores: FloatArray,
    inner: FloatArray,
    weights: FloatArray,
    entities: Sequence[str],
    cache: dict[tuple[int, float], tuple[FloatArray, FloatArray]] | None,
) -> FloatArray:
    n_draws, n_entities = weights.shape[0], leaf_scores.shape[0]
    if term.power is None:
        return _min_draws(term, leaf_scores, inner, n_draws)
    power = term.power
    if term.checks:
        _check_terms(term, plan, leaf_scores, inner, entities)
    num: FloatArray | None = None
    den: FloatArray | None = None
    avail: FloatArray | None = None
    if term.leaf_children.size:
        forward, present = _leaf_block(leaf_scores, power, cache)
        w = weights[:, term.leaf_edges]
        num = w @ forward[term.leaf_children]
        here = present[term.leaf_children]
        # Nothing missing: the denominator is the draw's weight total.
        den = w.sum(axis=1, keepdims=True) if here.all() else w @ here
        if term.threshold is not None:
            avail = here.sum(axis=0)
    for child, edge in zip(term.inner_children, term.inner_edges, strict=True):
        x = inner[child]
        w_col = weights[:, edge, None]
        missing = np.isnan(x)
        if missing.any():
            seen = ~missing
            part_num = w_col * _forward(x, seen, power)
            part_den: FloatArray = w_col * seen
            if term.threshold is not None:
                # As counts: boolean + boolean would be a logical or.
                counted = seen.astype(np.float64)
                avail = counted if avail is None else avail + counted
        else:
            part_num = w_col * (x if power == 1 else _forward(x, ~missing, power))
            part_den = w_col
            if term.threshold is not None:
                avail = np.ones((1, 1)) if avail is None else avail + 1.0
        if num is None:
            num = part_num
        else:
            num += part_num
        den = part_den if den is None else den + part_den
    # Every node has at least one child, so both sums exist.
    assert num is not None
    assert den is not None
    mean = num / den  # 0/0 (nothing present) is NaN: no score
    if power == 0:
        mean = np.exp(mean)
    elif power != 1:
        mean = np.power(mean, 1.0 / power)
    if term.aggregator.sums:
        edges = np.concatenate([term.leaf_edges, term.inner_edges])
        mean *= weights[:, edges].sum(axis=1)[:, None]
    if avail is not None and term.threshold is not None:
        mean = np.where(np.asarray(avail) / term.count < term.threshold, np.nan, mean)
    return np.broadcast_to(mean, (n_draws, n_entities))


def _min_draws(
    term: NodeTerms, leaf_scores: FloatArray, inner: FloatArray, n_draws: int
) -> FloatArray:
    n_entities = leaf_scores.shape[0]
    out = np.full((n_draws, n_entities), np.inf)
    count = np.zeros((n_draws, n_entities))
    for child in term.leaf_children:
        x = np.broadcast_to(leaf_scores[:, child], (n_draws, n_entities))
        out = np.fmin(out, np.where(np.isnan(x), np.inf, x))
        count += ~np.isnan(x)
    for child in term.inner_children:
        x = inner[child]
        out = np.fmin(out, np.where(np.isnan(x), np.inf, x))
        count += ~np.isnan(x)
    out = np.where(count > 0, out, np.nan)
    if term.threshold is not None:
        out = np.where(count / term.count < term.threshold, np.nan, out)
    return out


def _check_terms(
    term: NodeTerms,
    plan: Plan,
    leaf_scores: FloatArray,
    inner: FloatArray,
    entities: Sequence[str],
) -> None:
    children = [(plan.leaf_ids[c], leaf_scores[:, c]) for c in term.leaf_children]
    children += [(plan.inner_ids[c], inner[c]) for c in term.inner_children]
    for child, x in children:
        if not np.any(x[~np.isnan(x)] <= 0):
            continue
        values = np.where(np.isnan(x), 1.0, x)
        try:
            term.aggregator.check(values, f"node {term.node_id!r}")
        except EvaluationError as exc:
            bad = np.flatnonzero(
                np.array([agg_rejects(term.aggregator, v) for v in values.reshape(-1)])
            )
            entity = entities[int(bad[0]) % len(entities)]
            raise EvaluationError(f"{exc} for entity {entity!r} in children [{child!r}]") from None
