"""The vectorised evaluation kernel shared by :mod:`dxplan.index` and :mod:`dxplan.uncertainty`.

Scores live in two blocks: leaf scores ``(…, E, L)`` and inner-node scores
``(…, E, I)``, where ``…`` is an optional draws axis. Inner nodes are evaluated
level by level (topological generations); the nodes of one level that share a
power mean are evaluated together with two matrix products (values and
presence against a weight matrix), so the cost does not grow with a Python loop
over entities or draws. Weights are a flat vector over the index's edges, so a
Monte Carlo draw is just another row of weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dxplan.aggregators import Aggregator, ArithmeticMean, WeightedSum
from dxplan.errors import EvaluationError

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
        for child, weight in zip(children, weights, strict=True):
            if weight > 0:
                edge_at[node, child] = len(edges)
                edges.append(Edge(node, child, float(weight)))
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
            steps.append(_power_step(nodes, power, spec, leaf_at, inner_at, edge_at))
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
    return PowerStep(
        node_ids=tuple(nodes),
        nodes=_ints([inner_at[n] for n in nodes]),
        aggregators=tuple(spec[n][1] for n in nodes),
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
    )


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
    weights: FloatArray,
    entities: Sequence[str],
    cache: dict[int, tuple[FloatArray, FloatArray]] | None = None,
) -> FloatArray:
    """Evaluate every inner node; returns inner scores ``(…, E, I)``.

    ``leaf_scores`` is ``(E, L)`` or ``(D, E, L)``; ``weights`` is ``(n_edges,)``
    or ``(D, n_edges)``. ``cache`` keeps the leaf part of each step between
    calls with the same leaf scores (Monte Carlo chunks).
    """
    lead = np.broadcast_shapes(leaf_scores.shape[:-2], weights.shape[:-1])
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
    weights: FloatArray,
    entities: Sequence[str],
    cache: dict[int, tuple[FloatArray, FloatArray]] | None,
) -> None:
    k = len(step.node_ids)
    lead = weights.shape[:-1]
    checks = step.power != 1 or any(type(a).check is not Aggregator.check for a in step.aggregators)
    num: FloatArray | None = None
    den: FloatArray | None = None
    avail: FloatArray | None = None
    w_leaf: FloatArray | None = None
    w_inner: FloatArray | None = None
    if step.leaf_src.size:
        if cache is not None and index in cache:
            f_leaf, m_leaf = cache[index]
        else:
            x = leaf_scores[..., step.leaf_src]
            present = ~np.isnan(x)
            if checks:
                _check(
                    step,
                    x,
                    present,
                    step.leaf_rows,
                    step.leaf_cols,
                    [plan.leaf_ids[i] for i in step.leaf_src],
                    entities,
                )
            f_leaf, m_leaf = _forward(x, present, step.power), present.astype(np.float64)
            if cache is not None:
                cache[index] = (f_leaf, m_leaf)
        w_leaf = np.zeros((*lead, step.leaf_src.size, k))
        w_leaf[..., step.leaf_rows, step.leaf_cols] = weights[..., step.leaf_edges]
        num = f_leaf @ w_leaf
        den = m_leaf @ w_leaf
        if step.thresholds is not None:
            structure = np.zeros((step.leaf_src.size, k))
            structure[step.leaf_rows, step.leaf_cols] = 1.0
            avail = m_leaf @ structure
    if step.inner_src.size:
        x = inner[..., step.inner_src]
        present = ~np.isnan(x)
        if checks:
            _check(
                step,
                x,
                present,
                step.inner_rows,
                step.inner_cols,
                [plan.inner_ids[i] for i in step.inner_src],
                entities,
            )
        m_inner = present.astype(np.float64)
        w_inner = np.zeros((*lead, step.inner_src.size, k))
        w_inner[..., step.inner_rows, step.inner_cols] = weights[..., step.inner_edges]
        part_num = _forward(x, present, step.power) @ w_inner
        part_den = m_inner @ w_inner
        num = part_num if num is None else num + part_num
        den = part_den if den is None else den + part_den
        if step.thresholds is not None:
            structure = np.zeros((step.inner_src.size, k))
            structure[step.inner_rows, step.inner_cols] = 1.0
            part = m_inner @ structure
            avail = part if avail is None else avail + part
    # Every step has at least one child, so both sums exist.
    assert num is not None
    assert den is not None
    mean = num / np.where(den > 0, den, np.nan)
    if step.power == 0:
        mean = np.exp(mean)
    elif step.power != 1:
        mean = np.power(mean, 1.0 / step.power)
    if step.sums.any():
        totals = np.zeros((*lead, k))
        for w in (w_leaf, w_inner):
            if w is not None:
                totals = totals + w.sum(axis=-2)
        mean = mean * np.where(step.sums, totals, 1.0)[..., None, :]
    if avail is not None and step.thresholds is not None:
        mean = np.where(avail / step.counts < step.thresholds, np.nan, mean)
    inner[..., step.nodes] = mean
