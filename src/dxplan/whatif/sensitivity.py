"""Which inputs move the ranks? Leave-one-out and variance-based (Sobol) sensitivity.

- :func:`leave_one_out`: rebuild the index without each component in turn
  (:meth:`Index.without`, as COINr's ``remove_elements`` does: its parents
  renormalise the other weights, and an availability threshold counts only the
  children left) and measure the mean absolute rank shift, overall and per
  entity.
- :func:`sobol`: first- and total-order indices of named uncertain inputs
  (the weights under a node, the choice of leaf rule, the choice of
  aggregator) for a scalar output: the mean absolute rank shift over all
  entities, or one entity's rank or score. Saltelli's design on a scrambled
  Sobol' sequence (quasi-random: A and B are the two halves of each point),
  the Saltelli (2010) first-order and Jansen (1999) total-order estimators,
  bootstrap intervals and the indices on the first 2ᵐ samples (convergence).
  The design, the evaluation and the bootstrap are all done chunk by chunk,
  so memory stays bounded whatever the number of samples.
  :func:`sobol_indices` applies the estimators to any model's outputs.

Examples:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = saltelli_matrices(4096, 2, rng)
    >>> model = lambda x: x[:, 0] + 2 * x[:, 1]
    >>> ab = np.stack([model(np.where(np.arange(2) == i, b, a)) for i in range(2)])
    >>> result = sobol_indices(model(a), model(b), ab, names=("x1", "x2"), bootstrap=0)
    >>> [round(i.first, 1) for i in result.indices]
    [0.2, 0.8]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan.errors import IndexDefinitionError, InvalidValueError
from dxplan.index.aggregators import Aggregator
from dxplan.index.data import IndexData, cross_section
from dxplan.index.model import Aggregate, Index, IndexResult
from dxplan.index.rules import Rule
from dxplan.whatif._sobol_sequence import SobolSequence
from dxplan.whatif.uncertainty import _nanmean, evaluate_draws

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AggregatorInput",
    "LeaveOneOut",
    "RuleInput",
    "SobolConvergence",
    "SobolIndex",
    "SobolIndices",
    "UncertainInput",
    "WeightInput",
    "leave_one_out",
    "saltelli_matrices",
    "sobol",
    "sobol_indices",
]

FloatArray = npt.NDArray[np.float64]

#: Bytes the working arrays of one chunk of the design or of the bootstrap may take.
SOBOL_MEMORY_BUDGET = 32 * 2**20
#: The smallest sample size shown in the convergence table.
FIRST_CONVERGENCE_SIZE = 64


# --------------------------------------------------------------------------- leave one out


@attrs.frozen(kw_only=True, eq=False)
class LeaveOneOut(Displayable):
    """Rank shifts when each component is left out in turn.

    ``shifts[j, i]`` is ``|rank without components[j] − nominal rank|`` of
    entity ``entities[i]`` (NaN when either has no rank).
    """

    node: str
    components: tuple[str, ...]
    entities: tuple[str, ...]
    nominal: IndexResult
    ranks: FloatArray
    shifts: FloatArray

    def mean_shift(self, component: str | None = None) -> float:
        """Mean absolute rank shift over entities for one component, or over all of them."""
        with np.errstate(invalid="ignore"):
            if component is None:
                return float(np.nanmean(self.shifts)) if self._any() else math.nan
            row = self.shifts[self._row(component)]
            return float(np.nanmean(row)) if not np.isnan(row).all() else math.nan

    def _any(self) -> bool:
        return bool((~np.isnan(self.shifts)).any())

    def _row(self, component: str) -> int:
        try:
            return self.components.index(component)
        except ValueError:
            raise InvalidValueError("component", component, "a component left out") from None

    def by_component(self) -> dict[str, float]:
        """Mean absolute rank shift per component, largest first."""
        shifts = {c: self.mean_shift(c) for c in self.components}
        return dict(sorted(shifts.items(), key=lambda kv: (-_key(kv[1]), kv[0])))

    def by_entity(self) -> dict[str, float]:
        """Mean absolute rank shift per entity over all components left out, largest first."""
        out: dict[str, float] = {}
        for i, e in enumerate(self.entities):
            column = self.shifts[:, i]
            out[e] = float(np.nanmean(column)) if not np.isnan(column).all() else math.nan
        return dict(sorted(out.items(), key=lambda kv: (-_key(kv[1]), kv[0])))

    def entity_shifts(self, entity: str) -> dict[str, float]:
        """One entity's rank shift for each component left out."""
        i = self.nominal.data.position(entity)
        return {c: float(v) for c, v in zip(self.components, self.shifts[:, i], strict=True)}

    def to_frame(self) -> pd.DataFrame:
        """Shifts as a DataFrame: components × entities (needs pandas)."""
        pd = import_pandas()
        frame = pd.DataFrame(
            np.array(self.shifts), index=list(self.components), columns=list(self.entities)
        )
        frame.index.name = "component left out"
        return frame

    def __repr__(self) -> str:
        return (
            f"<LeaveOneOut on {self.node!r}: {len(self.components)} components, "
            f"{len(self.entities)} entities, mean shift {self.mean_shift():.2f}>"
        )


def _key(value: float) -> float:
    return -math.inf if math.isnan(value) else value


def leave_one_out(
    index: Index,
    data: IndexData,
    *,
    node: str | None = None,
    components: Sequence[str] | None = None,
    decimals: int | None = None,
    extra: Literal["error", "ignore"] = "error",
) -> LeaveOneOut:
    """Rank shifts on ``node`` (the root by default) when each leaf is left out.

    Args:
        index: the index.
        data: raw values.
        node: the node whose ranks are compared.
        components: leaf ids to leave out (every leaf by default).
        decimals: judge rank ties after rounding.
        extra: as for :meth:`Index.evaluate`.
    """
    nominal = index.evaluate(cross_section(data, "leave-one-out"), extra=extra)
    target = index.root if node is None else node
    index.node(target)
    leaf_ids = [leaf.id for leaf in index.leaves]
    chosen = list(leaf_ids if components is None else components)
    for c in chosen:
        if c not in leaf_ids:
            raise InvalidValueError("components", c, "leaf ids of the index")
    scores = np.full((len(chosen), len(data.entities)), np.nan)
    for v, c in enumerate(chosen):
        try:
            reduced = index.without(c)
        except IndexDefinitionError:
            continue  # nothing left under the root: no ranking without it
        if target in {n.id for n in reduced.nodes}:
            scores[v] = reduced.evaluate(data, extra="ignore").values[
                :, [n.id for n in reduced.nodes].index(target)
            ]
    ranks = index.rank_scores(scores, decimals=decimals)
    base = nominal.rank(target, decimals=decimals)
    nominal_ranks = np.array([math.nan if base[e] is None else base[e] for e in data.entities])
    shifts = np.abs(ranks - nominal_ranks)
    return LeaveOneOut(
        node=target,
        components=tuple(chosen),
        entities=data.entities,
        nominal=nominal,
        ranks=ranks,
        shifts=shifts,
    )


# --------------------------------------------------------------------------- Sobol


def _rules(values: Iterable[Rule]) -> tuple[Rule, ...]:
    out = tuple(values)
    if not out:
        raise InvalidValueError("alternatives", out, "at least one rule")
    return out


def _aggregators(values: Iterable[Aggregator]) -> tuple[Aggregator, ...]:
    out = tuple(values)
    if not out:
        raise InvalidValueError("alternatives", out, "at least one aggregator")
    return out


@attrs.frozen(kw_only=True)
class WeightInput:
    """The weights of ``node``'s children, each ``w · (1 + U(−1, 1) · noise)``: one input."""

    node: str
    noise: float = 0.25
    name: str = ""

    @property
    def label(self) -> str:
        """The input's name in results."""
        return self.name or f"weights of {self.node}"


@attrs.frozen(kw_only=True)
class RuleInput:
    """The leaf rule, one of ``alternatives`` for all leaves: one input."""

    alternatives: tuple[Rule, ...] = attrs.field(converter=_rules)
    name: str = "leaf rule"

    @property
    def label(self) -> str:
        """The input's name in results."""
        return self.name


@attrs.frozen(kw_only=True)
class AggregatorInput:
    """The aggregator, one of ``alternatives`` for all inner nodes: one input."""

    alternatives: tuple[Aggregator, ...] = attrs.field(converter=_aggregators)
    name: str = "aggregator"

    @property
    def label(self) -> str:
        """The input's name in results."""
        return self.name


UncertainInput = WeightInput | RuleInput | AggregatorInput


@attrs.frozen(kw_only=True)
class SobolIndex:
    """First- and total-order indices of one input, with bootstrap intervals."""

    name: str
    first: float
    total: float
    first_interval: tuple[float, float]
    total_interval: tuple[float, float]


@attrs.frozen(kw_only=True)
class SobolConvergence:
    """The estimates on the first ``samples`` samples, one per input (in input order)."""

    samples: int
    first: tuple[float, ...]
    total: tuple[float, ...]


@attrs.frozen(kw_only=True)
class SobolIndices(Displayable):
    """Sobol indices of every input for one scalar output.

    ``convergence`` holds the estimates on the first 64, 128, … samples and
    on all of them: indices that still move between the last rows need more
    samples.
    """

    output: str
    indices: tuple[SobolIndex, ...]
    variance: float
    samples: int
    confidence: float
    convergence: tuple[SobolConvergence, ...] = ()

    def __getitem__(self, name: str) -> SobolIndex:
        for index in self.indices:
            if index.name == name:
                return index
        raise InvalidValueError("name", name, "the name of an input")

    def to_frame(self) -> pd.DataFrame:
        """One row per input (needs pandas)."""
        pd = import_pandas()
        return pd.DataFrame(
            {
                "first": [i.first for i in self.indices],
                "first_low": [i.first_interval[0] for i in self.indices],
                "first_high": [i.first_interval[1] for i in self.indices],
                "total": [i.total for i in self.indices],
                "total_low": [i.total_interval[0] for i in self.indices],
                "total_high": [i.total_interval[1] for i in self.indices],
            },
            index=[i.name for i in self.indices],
        )

    def convergence_frame(self) -> pd.DataFrame:
        """Indices against the number of samples: one row per (samples, input) (needs pandas)."""
        pd = import_pandas()
        return pd.DataFrame(
            [
                {"samples": c.samples, "input": i.name, "first": c.first[k], "total": c.total[k]}
                for c in self.convergence
                for k, i in enumerate(self.indices)
            ]
        )

    def __repr__(self) -> str:
        names = ", ".join(f"{i.name} {i.total:.2f}" for i in self.indices[:5])
        return f"<SobolIndices of {self.output!r} ({self.samples} samples): total {names}>"


def saltelli_matrices(
    samples: int, dims: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Saltelli's A and B, ``(samples, dims)`` each: the halves of scrambled Sobol' points.

    ``rng`` draws the scramble. Sobol' points are best balanced when
    ``samples`` is a power of 2.
    """
    points = SobolSequence(2 * dims, rng=rng).take(0, samples)
    return points[:, :dims], points[:, dims:]


def sobol_indices(
    f_a: npt.ArrayLike,
    f_b: npt.ArrayLike,
    f_ab: npt.ArrayLike,
    *,
    names: Sequence[str],
    output: str = "output",
    bootstrap: int = 1000,
    confidence: float = 0.95,
    rng: np.random.Generator | None = None,
) -> SobolIndices:
    """Sobol indices from model outputs on A, B and each A_B(i).

    ``f_ab[i]`` is the output on A with input ``i``'s columns taken from B.
    First order: Saltelli (2010), ``mean(f_B (f_ABi − f_A)) / V``; total
    order: Jansen (1999), ``mean((f_A − f_ABi)²) / 2V``; ``V`` the variance of
    the outputs on A and B together; outputs are centred on their mean first.
    Intervals are bootstrap percentiles, resampled in batches of bounded
    memory; ``convergence`` repeats the estimates on the first 64, 128, …
    outputs (a prefix of a Sobol' or random design is itself a design).
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    if ab.shape != (len(names), a.size) or b.shape != a.shape:
        raise InvalidValueError(
            "f_ab", f"shape {ab.shape}", f"shape ({len(names)}, {a.size}), one row per name"
        )
    if not 0 < confidence < 1:
        raise InvalidValueError("confidence", confidence, "between 0 and 1")
    first, total, variance = _estimates(a[None], b[None], ab[:, None])
    low_q, high_q = (1 - confidence) / 2, (1 + confidence) / 2
    if bootstrap > 0:
        generator = np.random.default_rng() if rng is None else rng
        boot_first = np.empty((len(names), bootstrap))
        boot_total = np.empty((len(names), bootstrap))
        # Resamples in batches: each takes (inputs + 2) × samples floats a few times over.
        batch = max(1, SOBOL_MEMORY_BUDGET // (4 * 8 * (len(names) + 2) * a.size))
        for start in range(0, bootstrap, batch):
            stop = min(start + batch, bootstrap)
            idx = generator.integers(a.size, size=(stop - start, a.size))
            f, t, _ = _estimates(a[idx], b[idx], ab[:, idx])
            boot_first[:, start:stop], boot_total[:, start:stop] = f, t
        with np.errstate(invalid="ignore"):
            first_q = np.quantile(boot_first, [low_q, high_q], axis=1)
            total_q = np.quantile(boot_total, [low_q, high_q], axis=1)
    else:
        first_q = total_q = np.full((2, len(names)), np.nan)
    convergence = []
    for n in _powers_of_two(a.size):
        f, t, _ = _estimates(a[None, :n], b[None, :n], ab[:, None, :n])
        convergence.append(
            SobolConvergence(
                samples=n,
                first=tuple(float(v) for v in f[:, 0]),
                total=tuple(float(v) for v in t[:, 0]),
            )
        )
    return SobolIndices(
        output=output,
        indices=tuple(
            SobolIndex(
                name=name,
                first=float(first[i, 0]),
                total=float(total[i, 0]),
                first_interval=(float(first_q[0, i]), float(first_q[1, i])),
                total_interval=(float(total_q[0, i]), float(total_q[1, i])),
            )
            for i, name in enumerate(names)
        ),
        variance=float(variance[0]),
        samples=int(a.size),
        confidence=confidence,
        convergence=tuple(convergence),
    )


def _powers_of_two(samples: int) -> list[int]:
    """64, 128, … below ``samples``, then ``samples`` itself."""
    sizes = []
    n = FIRST_CONVERGENCE_SIZE
    while n < samples:
        sizes.append(n)
        n *= 2
    return [*sizes, samples]


def _estimates(
    a: FloatArray, b: FloatArray, ab: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Estimates for ``a``, ``b`` of shape (R, n) and ``ab`` of shape (k, R, n)."""
    both = np.concatenate([a, b], axis=-1)
    variance = np.var(both, axis=-1)
    # Centring first keeps the first-order estimator from cancelling large means.
    centre = both.mean(axis=-1, keepdims=True)
    a, b, ab = a - centre, b - centre, ab - centre
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(b * (ab - a), axis=-1) / variance
        total = 0.5 * np.mean((a - ab) ** 2, axis=-1) / variance
    return first, total, variance


def _inputs_to_draws(
    index: Index,
    inputs: Sequence[UncertainInput],
    u: FloatArray,
    spans: Sequence[slice],
) -> tuple[FloatArray, npt.NDArray[np.intp] | None, npt.NDArray[np.intp] | None]:
    """Edge weights and rule/aggregator choices for rows of uniform variates."""
    compiled = index._compiled
    weights = np.broadcast_to(
        compiled.nominal_weights, (u.shape[0], len(compiled.child_weights))
    ).copy()
    rule_choice: npt.NDArray[np.intp] | None = None
    agg_choice: npt.NDArray[np.intp] | None = None
    for item, span in zip(inputs, spans, strict=True):
        block = u[:, span]
        if isinstance(item, WeightInput):
            children = [i for i, w in enumerate(compiled.child_weights) if w.parent == item.node]
            weights[:, children] *= 1 + (2 * block - 1) * item.noise
        elif isinstance(item, RuleInput):
            rule_choice = np.minimum((block[:, 0] * len(item.alternatives)).astype(np.intp),
                                     len(item.alternatives) - 1)  # fmt: skip
        else:
            agg_choice = np.minimum((block[:, 0] * len(item.alternatives)).astype(np.intp),
                                    len(item.alternatives) - 1)  # fmt: skip
    return weights, rule_choice, agg_choice


def sobol(
    index: Index,
    data: IndexData,
    inputs: Sequence[UncertainInput],
    *,
    samples: int = 1000,
    seed: int | None = None,
    node: str | None = None,
    entity: str | None = None,
    quantity: Literal["rank", "score"] = "rank",
    bootstrap: int = 1000,
    confidence: float = 0.95,
    decimals: int | None = None,
    extra: Literal["error", "ignore"] = "error",
    memory_budget: int = SOBOL_MEMORY_BUDGET,
) -> SobolIndices:
    """Sobol first- and total-order indices of ``inputs`` for a ranking output.

    The output is the mean absolute rank shift from the nominal ranks on
    ``node`` (the root by default) over all entities, or, with ``entity``,
    that entity's rank (``quantity="rank"``) or score. Costs
    ``samples × (len(inputs) + 2)`` evaluations. The design is a scrambled
    Sobol' sequence (``seed`` draws the scramble; powers of 2 for ``samples``
    balance it best), generated, evaluated and reduced to the output chunk
    by chunk within ``memory_budget`` bytes, so only the outputs are kept:
    ASEM at 10 000 samples peaks near 100 MB (``benchmarks/bench_audit.py``).
    """
    if not inputs:
        raise InvalidValueError("inputs", inputs, "at least one uncertain input")
    if not samples > 1:
        raise InvalidValueError("samples", samples, "an integer above 1")
    if not memory_budget > 0:
        raise InvalidValueError("memory_budget", memory_budget, "a positive number of bytes")
    rules: tuple[Rule, ...] = ()
    aggregators: tuple[Aggregator, ...] = ()
    dims: list[int] = []
    for item in inputs:
        if isinstance(item, WeightInput):
            target = index.node(item.node)
            if not isinstance(target, Aggregate):
                raise InvalidValueError("node", item.node, "an inner node (leaves have no weights)")
            if not 0 <= item.noise <= 1:
                raise InvalidValueError("noise", item.noise, "a number from 0 to 1")
            dims.append(sum(1 for w in target.weights if w > 0))
        elif isinstance(item, RuleInput):
            if rules:
                raise InvalidValueError("inputs", item, "at most one RuleInput")
            rules = item.alternatives
            dims.append(1)
        else:
            if aggregators:
                raise InvalidValueError("inputs", item, "at most one AggregatorInput")
            aggregators = item.alternatives
            dims.append(1)
    names = [item.label for item in inputs]
    if len(set(names)) != len(names):
        raise InvalidValueError("inputs", names, "inputs with distinct names")
    target_node = index.root if node is None else node
    nominal = index.evaluate(cross_section(data, "Sobol indices"), extra=extra)
    if entity is not None:
        column = data.position(entity)
    base = nominal.rank(target_node, decimals=decimals)
    nominal_ranks = np.array([math.nan if base[e] is None else base[e] for e in data.entities])

    rng = np.random.default_rng(seed)
    ends = np.cumsum(dims)
    spans = [slice(int(end - d), int(end)) for end, d in zip(ends, dims, strict=True)]
    width = int(ends[-1])
    design = SobolSequence(2 * width, rng=rng)
    outputs = np.empty((len(inputs) + 2, samples))
    blocks = len(inputs) + 2
    child_weights = len(index._compiled.child_weights)
    n_entities = len(data.entities)
    # Base samples per chunk: the design, weights, scores and ranks of a chunk in budget.
    per_sample = 8 * blocks * (3 * width + child_weights + 4 * n_entities)
    chunk = max(1, min(samples, memory_budget // per_sample))
    for start in range(0, samples, chunk):
        stop = min(start + chunk, samples)
        points = design.take(start, stop)
        a, b = points[:, :width], points[:, width:]
        mixed = [a, b]
        for span in spans:
            block = a.copy()
            block[:, span] = b[:, span]
            mixed.append(block)
        u = np.concatenate(mixed)
        weights, rule_choice, agg_choice = _inputs_to_draws(index, inputs, u, spans)
        scores = evaluate_draws(
            index,
            data,
            weights,
            keep=(target_node,),
            rules=rules,
            rule_choice=rule_choice,
            aggregators=aggregators,
            aggregator_choice=agg_choice,
            memory_budget=memory_budget,
        )[target_node]
        if entity is not None and quantity == "score":
            values = scores[:, column]
        else:
            ranks = index.rank_scores(scores, decimals=decimals)
            if entity is not None:
                values = ranks[:, column]
            else:
                values = _nanmean(np.abs(ranks - nominal_ranks), axis=1)
        outputs[:, start:stop] = values.reshape(blocks, stop - start)
    if entity is not None and quantity == "score":
        label = f"the score of {entity} on {target_node}"
    elif entity is not None:
        label = f"the rank of {entity} on {target_node}"
    else:
        label = f"the mean absolute rank shift on {target_node}"
    return sobol_indices(
        outputs[0],
        outputs[1],
        outputs[2:],
        names=names,
        output=label,
        bootstrap=bootstrap,
        confidence=confidence,
        rng=rng,
    )
