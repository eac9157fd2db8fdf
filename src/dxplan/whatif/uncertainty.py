"""How sure is a rank? Monte Carlo over weights, leaf rules and aggregators.

Each draw perturbs the index and re-evaluates it:

- weights, COINr's way: ``w · (1 + U(−1, 1) · f)`` for each weight, with ``f``
  one number for every node or one per parent node (a level, say); or a
  Dirichlet draw around each parent's nominal shares;
- optionally one leaf rule for all leaves and one aggregator for all inner
  nodes, drawn uniformly from the alternatives given (as COINr swaps the
  normalisation or aggregation method per replication).

All random inputs are drawn up front from one seeded numpy ``Generator``, so a
seed gives the same result whatever the chunk size. Draws are evaluated
chunk by chunk as one numpy computation each (draws × entities × nodes);
chunks are sized to a memory budget.

>>> from dxplan import datasets, indices
>>> result = run(indices.dti_922(), datasets.dti_2022(), draws=200, weight_noise=0.25, seed=1)
>>> result.summary("ho-chi-minh").nominal
2
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _validators as v
from dxplan._deprecated import renamed
from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan.errors import InvalidValueError
from dxplan.index import _engine
from dxplan.index.aggregators import Aggregator
from dxplan.index.data import IndexData, cross_section
from dxplan.index.model import Aggregate, Index, IndexResult, Leaf
from dxplan.index.rules import Rule

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "DrawSummary",
    "UncertaintyResult",
    "draw_weights",
    "evaluate_draws",
    "max_draws",
    "run",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
#: numpy's names for R's quantile types 1 and 7.
QuantileMethod = Literal["inverted_cdf", "linear"]

#: Bytes every array of one run may take: a chunk's working arrays and the stored results.
DEFAULT_MEMORY_BUDGET = 256 * 2**20


def draw_weights(
    index: Index,
    draws: int,
    *,
    weight_noise: float | Mapping[str, float] = 0.25,
    method: Literal["uniform", "dirichlet"] = "uniform",
    concentration: float = 100.0,
    rng: np.random.Generator,
) -> FloatArray:
    """Perturbed child weights, ``(draws, child weights)``, in the index's compiled order.

    Args:
        index: the index whose weights are perturbed.
        draws: how many weight vectors.
        weight_noise: ``f`` in ``w · (1 + U(−1, 1) · f)``: one number for
            every weight, or a mapping from parent node id to its ``f`` (other
            parents keep their weights). Must be in [0, 1].
        method: ``"uniform"`` (COINr) or ``"dirichlet"``: each parent's shares
            drawn from a Dirichlet with mean at the nominal shares and total
            concentration ``concentration`` (larger is tighter); the parents
            are those of ``weight_noise`` when it is a mapping.
        concentration: Dirichlet total concentration.
        rng: the random generator.
    """
    compiled = index._compiled
    nominal = compiled.nominal_weights
    parents = [w.parent for w in compiled.child_weights]
    if isinstance(weight_noise, Mapping):
        for node, f in weight_noise.items():
            if not isinstance(index.node(node), Aggregate):
                raise InvalidValueError("weight_noise", node, "inner node ids (leaves have none)")
            _check_noise(f)
        factors = np.array([float(weight_noise.get(p, 0.0)) for p in parents])
    else:
        _check_noise(weight_noise)
        factors = np.full(len(parents), float(weight_noise))
    if method == "uniform":
        # In place: the (draws, child weights) array is the only one of its size (see max_draws).
        drawn: FloatArray = rng.uniform(-1.0, 1.0, size=(draws, len(nominal)))
        drawn *= factors
        drawn += 1.0
        drawn *= nominal
        return drawn
    if method != "dirichlet":
        raise InvalidValueError("method", method, "'uniform' or 'dirichlet'")
    _CONCENTRATION.check("concentration", concentration)
    out = np.broadcast_to(nominal, (draws, len(nominal))).copy()
    for parent in dict.fromkeys(parents):
        siblings = np.array([i for i, p in enumerate(parents) if p == parent], dtype=np.intp)
        if siblings.size < 2 or factors[siblings[0]] == 0:
            continue
        total = nominal[siblings].sum()
        shares = rng.dirichlet(nominal[siblings] / total * concentration, size=draws)
        out[:, siblings] = shares * total
    return out


_CONCENTRATION = v.number(above=0)
_SEED = v.optional(v.non_negative_int).saying("a whole number >= 0, or None")
_CHUNK = v.optional(v.positive_int).saying("a whole number >= 1, or None")
_MEMORY_BUDGET = v.positive_int.saying("a number of bytes >= 1")
_RANK_QUANTILES = v.one_of(("inverted_cdf", "linear"))


def _check_noise(f: object) -> None:
    v.fraction.check("weight_noise", f)


def _variant(index: Index, rule: Rule | None, aggregator: Aggregator | None) -> Index:
    if rule is None and aggregator is None:
        return index
    nodes: list[Leaf | Aggregate] = []
    for node in index.nodes:
        if isinstance(node, Leaf) and rule is not None:
            nodes.append(attrs.evolve(node, rule=rule))
        elif isinstance(node, Aggregate) and aggregator is not None:
            nodes.append(attrs.evolve(node, aggregator=aggregator))
        else:
            nodes.append(node)
    return attrs.evolve(index, nodes=tuple(nodes))


#: Bytes of one node's (draws × entities) block that still work within the CPU caches.
CACHE_TARGET = 2**18


def chunk_size(n_entities: int, index: Index, memory_budget: int) -> int:
    """How many draws one chunk holds: within ``memory_budget``, and cache-sized.

    Each node's block of a chunk is kept near :data:`CACHE_TARGET` bytes:
    measured on ASEM (51 entities), chunks of 500–1 000 draws ran two to three
    times faster than one chunk of 10 000, for the same results.
    """
    inner = max(len(index._compiled.inner_ids), 1)
    widest = max((len(n.children) for n in index.aggregates), default=1)
    per_draw = 8 * n_entities * (inner + 2 * widest + 12)
    by_budget = max(1, int(memory_budget // per_draw))
    by_cache = max(1, CACHE_TARGET // (8 * n_entities))
    return min(by_budget, by_cache)


def max_draws(
    index: Index, n_entities: int, *, memory_budget: int, kept: int = 1, chunk: int | None = None
) -> int:
    """The most draws :func:`run` makes within ``memory_budget`` bytes, counting every array.

    The budget holds one chunk's working arrays (see :func:`chunk_size`) and
    everything kept for all draws: the drawn weights (``draws × child weights``), the
    scores of the ``kept`` nodes (``draws × entities`` each), the ranks and the
    per-draw choices of rule and aggregator.
    """
    inner = max(len(index._compiled.inner_ids), 1)
    widest = max((len(n.children) for n in index.aggregates), default=1)
    size = chunk or chunk_size(n_entities, index, memory_budget)
    working = size * 8 * n_entities * (inner + 2 * widest + 12)
    stored = 8 * len(index._compiled.child_weights) + 8 * n_entities * kept + 4 * n_entities + 16
    return max(0, (memory_budget - working) // stored)


def evaluate_draws(
    index: Index,
    data: IndexData,
    weights: FloatArray,
    *,
    keep: Sequence[str] = (),
    rules: Sequence[Rule] = (),
    rule_choice: IntArray | None = None,
    aggregators: Sequence[Aggregator] = (),
    aggregator_choice: IntArray | None = None,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    chunk: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, FloatArray]:
    """Scores of the nodes in ``keep`` under each draw, ``{node: (draws, entities)}``.

    ``weights`` is ``(draws, child weights)``; ``rule_choice``/``aggregator_choice``
    pick, per draw, one of ``rules``/``aggregators`` for all leaves/inner
    nodes (the nominal ones when empty). ``progress(done, total)`` is called
    after each chunk.
    """
    n_draws = weights.shape[0]
    n_entities = len(data.entities)
    size = chunk or chunk_size(n_entities, index, memory_budget)
    rule_of = np.zeros(n_draws, dtype=np.intp) if rule_choice is None else rule_choice
    agg_of = np.zeros(n_draws, dtype=np.intp) if aggregator_choice is None else aggregator_choice
    out = {node: np.empty((n_draws, n_entities)) for node in keep}
    leaf_cache: dict[int, _engine.LeafBlock] = {}
    combos = sorted(set(zip(rule_of.tolist(), agg_of.tolist(), strict=True)))
    done = 0
    for r, a in combos:
        variant = _variant(
            index, rules[r] if rules else None, aggregators[a] if aggregators else None
        )
        if r not in leaf_cache:
            leaf_cache[r] = _engine.LeafBlock(variant.leaf_scores(data))
        leaf = leaf_cache[r]
        compiled = variant._compiled
        leaf_at = {n: i for i, n in enumerate(compiled.leaf_ids)}
        inner_at = {n: i for i, n in enumerate(compiled.inner_ids)}
        selected = np.flatnonzero((rule_of == r) & (agg_of == a))
        everything = selected.size == n_draws
        for start in range(0, selected.size, size):
            rows = selected[start : start + size]
            # Contiguous slices when every draw shares this variant: no gather copies.
            block: slice | IntArray = slice(start, start + rows.size) if everything else rows
            inner = _engine.score_draws(compiled, leaf, weights[block], data.entities)
            for node, target in out.items():
                if node in inner_at:
                    target[block] = inner[inner_at[node]]
                else:
                    target[block] = leaf.scores[:, leaf_at[node]]
            done += rows.size
            if progress is not None:
                progress(done, n_draws)
    return out


if not TYPE_CHECKING:  # the old names work, with a warning
    __getattr__ = renamed(__name__, {"RankSummary": "DrawSummary", "ScoreSummary": "DrawSummary"})

#: The nominal value of a summary: a rank (``None``: no score) or a score.
N = TypeVar("N", int | None, float)


@attrs.frozen(kw_only=True)
class DrawSummary(Generic[N]):
    """One entity's rank or score over the draws: nominal, mean, median and 5 %/95 % quantiles.

    ``DrawSummary[int | None]`` summarises ranks (:meth:`UncertaintyResult.rank_summaries`),
    ``DrawSummary[float]`` scores (:meth:`UncertaintyResult.score_summaries`).
    """

    entity: str
    name: str
    nominal: N
    mean: float
    median: float
    q05: float
    q95: float


def _nanmean(values: FloatArray, axis: int) -> FloatArray:
    """Mean skipping NaN; NaN (not a warning) where nothing is present."""
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(present, values, 0.0).sum(axis=axis)
        return np.asarray(total / present.sum(axis=axis), dtype=np.float64)


def _json_float(value: float) -> float | None:
    return None if math.isnan(value) else value


def _quantiles(
    values: FloatArray, method: QuantileMethod = "linear"
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Mean, median, Q5 and Q95 along axis 0, ignoring NaN without warnings.

    ``inverted_cdf`` gives values that occurred (ranks stay whole numbers).
    """
    present = ~np.isnan(values)
    count = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, values, 0.0).sum(axis=0) / count
    if present.all():
        q = np.quantile(values, [0.5, 0.05, 0.95], axis=0, method=method)
    else:
        q = np.full((3, values.shape[1]), np.nan)
        for j in np.flatnonzero(count):
            q[:, j] = np.quantile(values[present[:, j], j], [0.5, 0.05, 0.95], method=method)
    return mean, q[0], q[1], q[2]


@attrs.frozen(kw_only=True, eq=False)
class UncertaintyResult(Displayable):
    """Ranks (and kept node scores) of every entity under every draw.

    ``ranks[d, i]`` is entity ``entities[i]``'s rank on the root in draw
    ``d`` (NaN: no score); ``scores[node][d, i]`` its score on a kept node.
    """

    nominal: IndexResult
    ranks: npt.NDArray[np.float32]
    scores: Mapping[str, FloatArray]
    seed: int | None
    settings: Mapping[str, object]
    decimals: int | None = None
    rank_quantiles: QuantileMethod = "inverted_cdf"

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity ids, in data order."""
        return self.nominal.entities

    @property
    def draws(self) -> int:
        """How many draws were made."""
        return int(self.ranks.shape[0])

    def _ranks(self, node: str | None) -> FloatArray:
        root = self.nominal.index.root
        if node is None or node == root:
            return self.ranks.astype(np.float64)
        return self.nominal.index.rank_scores(self._scores(node), decimals=self.decimals)

    def _scores(self, node: str | None) -> FloatArray:
        node_id = self.nominal.index.root if node is None else node
        if node_id not in self.scores:
            raise InvalidValueError(
                "node", node_id, f"a node kept in the run (one of {sorted(self.scores)})"
            )
        return self.scores[node_id]

    def rank_summaries(self, node: str | None = None) -> tuple[DrawSummary[int | None], ...]:
        """Every entity's rank summary on ``node`` (the root by default), by nominal rank."""
        nominal = self.nominal.rank(node, decimals=self.decimals)
        rows = self._summaries(self._ranks(node), nominal, self.rank_quantiles)
        return tuple(sorted(rows, key=lambda r: (r.nominal is None, r.nominal or 0, r.entity)))

    def summary(self, entity: str, node: str | None = None) -> DrawSummary[int | None]:
        """One entity's rank summary."""
        self.nominal.data.position(entity)
        return next(r for r in self.rank_summaries(node) if r.entity == entity)

    def score_summaries(self, node: str | None = None) -> tuple[DrawSummary[float], ...]:
        """Every entity's score summary on a kept node (the root by default)."""
        return self._summaries(self._scores(node), self.nominal.scores(node), "linear")

    def _summaries(
        self, values: FloatArray, nominal: Mapping[str, N], method: QuantileMethod
    ) -> tuple[DrawSummary[N], ...]:
        mean, median, q05, q95 = _quantiles(values, method=method)
        return tuple(
            DrawSummary(
                entity=e,
                name=self.nominal.data.name(e),
                nominal=nominal[e],
                mean=float(mean[i]),
                median=float(median[i]),
                q05=float(q05[i]),
                q95=float(q95[i]),
            )
            for i, e in enumerate(self.entities)
        )

    def p_rank_at_most(self, entity: str, k: int, node: str | None = None) -> float:
        """The share of draws in which ``entity`` ranks ``k`` or better (no score: not)."""
        v.rank.check("k", k)
        column = self._ranks(node)[:, self.nominal.data.position(entity)]
        return float(np.mean(column <= k))

    def mean_rank_shift(self, node: str | None = None) -> dict[str, float]:
        """Each entity's mean absolute rank change from its nominal rank over the draws."""
        ranks = self._ranks(node)
        nominal = self.nominal.rank(node, decimals=self.decimals)
        base = np.array([np.nan if nominal[e] is None else nominal[e] for e in self.entities])
        shifts = _nanmean(np.abs(ranks - base), axis=0)
        return dict(zip(self.entities, shifts.tolist(), strict=True))

    def to_dict(self, node: str | None = None, *, top: int | None = None) -> dict[str, object]:
        """Rank summaries as JSON-ready plain data; with ``top``, P(rank ≤ top) too."""
        rows: list[dict[str, object]] = []
        for r in self.rank_summaries(node):
            row: dict[str, object] = {
                "entity": r.entity,
                "name": r.name,
                "nominal": r.nominal,
                "mean": _json_float(r.mean),
                "median": _json_float(r.median),
                "q05": _json_float(r.q05),
                "q95": _json_float(r.q95),
            }
            if top is not None:
                row[f"p_rank_at_most_{top}"] = self.p_rank_at_most(r.entity, top, node)
            rows.append(row)
        return {
            "index": self.nominal.index.title(),
            "node": self.nominal.index.root if node is None else node,
            "draws": self.draws,
            "seed": self.seed,
            "settings": dict(self.settings),
            "entities": rows,
        }

    def to_excel(
        self, path: str | PathLike[str], *, node: str | None = None, force: bool = False
    ) -> Path:
        """Write the rank summaries on ``node`` as ``.xlsx``, with a README of the settings."""
        from dxplan.formats.excel import write_tables

        summary = self.to_dict(node)
        return write_tables(
            path,
            {"ranks": summary["entities"]},  # type: ignore[dict-item]
            {k: str(v) for k, v in summary.items() if k != "entities"},
            force=force,
        )

    def to_frame(self, node: str | None = None) -> pd.DataFrame:
        """Rank summaries as a pandas DataFrame indexed by entity (needs pandas)."""
        pd = import_pandas()
        rows = self.rank_summaries(node)
        frame = pd.DataFrame(
            {
                "name": [r.name for r in rows],
                "nominal": [r.nominal for r in rows],
                "mean": [r.mean for r in rows],
                "median": [r.median for r in rows],
                "q05": [r.q05 for r in rows],
                "q95": [r.q95 for r in rows],
            },
            index=[r.entity for r in rows],
        )
        frame.index.name = "entity"
        return frame

    def __repr__(self) -> str:
        return (
            f"<UncertaintyResult {self.nominal.index.title()!r}: "
            f"{self.draws} draws over {len(self.nominal.entities)} entities>"
        )


def run(
    index: Index,
    data: IndexData,
    *,
    draws: int = 1000,
    weight_noise: float | Mapping[str, float] = 0.25,
    seed: int | None = None,
    weights: Literal["uniform", "dirichlet"] = "uniform",
    concentration: float = 100.0,
    rules: Sequence[Rule] = (),
    aggregators: Sequence[Aggregator] = (),
    keep: Sequence[str] = (),
    decimals: int | None = None,
    rank_quantiles: QuantileMethod = "inverted_cdf",
    extra: Literal["error", "ignore"] = "error",
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    chunk: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty of the ranks of ``index`` on ``data``.

    Args:
        index: the index.
        data: raw values.
        draws: number of draws.
        weight_noise: see :func:`draw_weights`; 0 keeps the nominal weights.
        seed: seed of the numpy random generator, 0 or more; the same seed
            gives the same result, whatever ``chunk``.
        weights: ``"uniform"`` (COINr) or ``"dirichlet"``.
        concentration: Dirichlet total concentration.
        rules: alternative leaf rules; each draw applies one of them to all
            leaves (nominal rules when empty).
        aggregators: alternative aggregators; each draw applies one to all
            inner nodes.
        keep: nodes whose scores are kept besides the root (for
            :meth:`UncertaintyResult.score_summaries`).
        decimals: judge rank ties after rounding to this precision (the
            index's ``precision`` by default); ties follow
            :meth:`Index.rank_scores`, as :meth:`Index.evaluate`'s ranks do, so
            with no noise every draw gives the nominal ranks.
        rank_quantiles: how the median, Q5 and Q95 of the ranks are taken:
            ``"inverted_cdf"`` (R's type 1, the default: ranks that occurred)
            or ``"linear"`` (R's type 7, COINr's ``get_sensitivity``).
        extra: as for :meth:`Index.evaluate`.
        memory_budget: bytes for every array of the run: one chunk's working
            arrays and the weights, scores and ranks of all draws.
        chunk: draws per chunk (overrides the size ``memory_budget`` gives).
        progress: called as ``progress(done, total)`` after each chunk (for a
            progress bar).

    Raises:
        InvalidValueError: more draws than fit in ``memory_budget``
            (:func:`max_draws`), or another argument out of its range.
    """
    v.require("index", isinstance(index, Index), index, "an Index")
    v.require("data", isinstance(data, IndexData), data, "an IndexData")
    v.positive_int.check("draws", draws)
    _SEED.check("seed", seed)
    _CHUNK.check("chunk", chunk)
    _MEMORY_BUDGET.check("memory_budget", memory_budget)
    _RANK_QUANTILES.check("rank_quantiles", rank_quantiles)
    kept = list(dict.fromkeys([index.root, *keep]))
    for node in kept:
        index.node(node)
    nominal = index.evaluate(cross_section(data, "uncertainty analysis"), extra=extra)
    limit = max_draws(
        index, len(data.entities), memory_budget=memory_budget, kept=len(kept), chunk=chunk
    )
    if draws > limit:
        raise InvalidValueError(
            "draws",
            draws,
            f"at most {limit} draws for {len(data.entities)} entities within the memory "
            f"budget of {memory_budget / 2**20:g} MiB (memory_budget)",
        )
    rng = np.random.default_rng(seed)
    weight_draws = draw_weights(
        index,
        draws,
        weight_noise=weight_noise,
        method=weights,
        concentration=concentration,
        rng=rng,
    )
    rule_choice = rng.integers(len(rules), size=draws) if rules else None
    agg_choice = rng.integers(len(aggregators), size=draws) if aggregators else None
    scores = evaluate_draws(
        index,
        data,
        weight_draws,
        keep=kept,
        rules=rules,
        rule_choice=rule_choice,
        aggregators=aggregators,
        aggregator_choice=agg_choice,
        memory_budget=memory_budget,
        chunk=chunk,
        progress=progress,
    )
    # Ranked chunk by chunk too, so the sort's temporaries stay within the budget.
    ranks = np.empty((draws, len(data.entities)), dtype=np.float32)
    rows = chunk or chunk_size(len(data.entities), index, memory_budget)
    for start in range(0, draws, rows):
        block = scores[index.root][start : start + rows]
        ranks[start : start + rows] = index.rank_scores(block, decimals=decimals)
    ranks.setflags(write=False)
    for array in scores.values():
        array.setflags(write=False)
    settings: dict[str, object] = {
        "draws": draws,
        "weight_noise": dict(weight_noise) if isinstance(weight_noise, Mapping) else weight_noise,
        "weights": weights,
        "rules": tuple(r.kind for r in rules),
        "aggregators": tuple(a.kind for a in aggregators),
    }
    return UncertaintyResult(
        nominal=nominal,
        ranks=ranks,
        scores=scores,
        seed=seed,
        settings=settings,
        decimals=decimals,
        rank_quantiles=rank_quantiles,
    )
