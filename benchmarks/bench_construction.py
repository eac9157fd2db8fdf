"""Construction pipeline: dxplan against a hand-written numpy baseline of the same steps.

Two workloads, each timed interleaved with its baseline in one process:

- COINr's ASEM data (51 × 49): impute by GDPpc_group mean, treat outliers
  (COINr's default rule), min-max [0, 100], arithmetic means up 4 levels, rank.
- A DTI-sized panel, 63 provinces × 98 components × 5 years (5 % missing):
  screen (2/3 availability), impute by column mean, treat, min-max per year,
  the 9 main indicators and the index, ranks per year.

The baseline is what one would write by hand with numpy: a loop over groups
and over columns, the winsorisation loop per column, matrix products per
level. The results are checked equal before timing. Goal: ≤ 2×.

Run: ``python benchmarks/bench_construction.py [--small]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

import dxplan as dx
from _timing import interleaved, verdict
from dxplan import datasets, indices
from dxplan.index.data import PanelData
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.pipeline import Impute, Pipeline, Screen, Treat
from dxplan.index.rules import MinMax

FloatArray = npt.NDArray[np.float64]
Workload = tuple[Callable[[], FloatArray], Callable[[], FloatArray], str]


def _skew_kurt(x: FloatArray) -> tuple[float, float]:
    v = x[~np.isnan(x)]
    n = v.size
    d = v - v.mean()
    s2, s3, s4 = (d**2).sum(), (d**3).sum(), (d**4).sum()
    skew = np.sqrt(n) * s3 / s2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * s4 / s2**2
    kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(skew), float(kurt)


def _fails(x: FloatArray) -> bool:
    skew, kurt = _skew_kurt(x)
    return abs(skew) >= 2 and kurt >= 3.5


def treat_by_hand(x: FloatArray) -> FloatArray:
    """COINr's winsorise-then-log_CT on one column, written plainly."""
    if not _fails(x):
        return x
    y = x.copy()
    high = np.zeros(x.size, dtype=bool)
    low = np.zeros(x.size, dtype=bool)
    count = 0
    failing = True
    while failing and count < 5:
        skew, _ = _skew_kurt(y)
        if skew >= 0:
            top = np.nanmax(y)
            high = y == top
            y[high] = np.nanmax(np.where(high, np.nan, y))
        else:
            bottom = np.nanmin(y)
            low = y == bottom
            y[low] = np.nanmin(np.where(low, np.nan, y))
        count = int(high.sum() + low.sum())
        failing = _fails(y)
    if failing:
        lo, hi = np.nanmin(x), np.nanmax(x)
        return np.asarray(np.log(x - lo + 0.01 * (hi - lo)))
    return y


def levels(index: Index) -> tuple[list[str], list[tuple[list[int], FloatArray]]]:
    """Node order and, per inner node in evaluation order, its children's columns and weights."""
    order = [leaf.id for leaf in index.leaves]
    steps: list[tuple[list[int], FloatArray]] = []
    for node_id in reversed(index.order):
        node = index.node(node_id)
        if isinstance(node, Aggregate):
            steps.append(
                ([order.index(c) for c in node.children], np.array(node.weights, dtype=np.float64))
            )
            order.append(node_id)
    return order, steps


def evaluate_by_hand(
    values: FloatArray, directions: FloatArray, steps: list[tuple[list[int], FloatArray]]
) -> FloatArray:
    """Min-max [0, 100] per column (per period on axis -2), then weighted means skipping NaN."""
    x = values * directions
    lo = np.nanmin(x, axis=-2, keepdims=True)
    hi = np.nanmax(x, axis=-2, keepdims=True)
    scores = [*np.moveaxis((x - lo) / (hi - lo) * 100, -1, 0)]
    for children, weights in steps:
        block = np.stack([scores[c] for c in children], axis=-1)
        present = ~np.isnan(block)
        scores.append(np.where(present, block, 0.0) @ weights / (present @ weights))
    return np.asarray(scores[-1], dtype=np.float64)


def ranks_by_hand(score: FloatArray) -> FloatArray:
    """Competition ranks, highest first, along the last axis."""
    ahead = (score[..., None, :] > score[..., :, None]).sum(axis=-1)
    return np.asarray(ahead + 1, dtype=np.float64)


def asem_workload() -> Workload:
    index = indices.asem()
    data = datasets.asem()
    groups = np.array(data.attribute("GDPpc_group"))
    direction = {leaf.component: leaf.direction for leaf in index.leaves}
    directions = np.array([direction[c] for c in data.components], dtype=np.float64)
    _, steps = levels(index)
    pipeline = Pipeline(Impute(method="group-mean", group="GDPpc_group"), Treat(), index=index)

    def library() -> FloatArray:
        result = pipeline.run(data).result
        assert isinstance(result, dx.IndexResult)
        ranks = result.rank()
        return np.array([ranks[e] for e in data.entities], dtype=np.float64)

    def by_hand() -> FloatArray:
        x = np.array(data.values)
        for g in np.unique(groups):
            rows = groups == g
            part = x[rows]
            x[rows] = np.where(np.isnan(part), np.nanmean(part, axis=0), part)
        x = np.stack([treat_by_hand(x[:, j]) for j in range(x.shape[1])], axis=1)
        return ranks_by_hand(evaluate_by_hand(x, directions, steps))

    np.testing.assert_array_equal(library(), by_hand())
    return library, by_hand, "ASEM 51 × 49: impute (group mean), treat, min-max, 4 levels, rank"


def synthetic_workload(seed: int = 0) -> Workload:
    rng = np.random.default_rng(seed)
    sizes = (10, 11, 7, 13, 12, 3, 22, 12, 8)
    nodes: list[Node] = []
    mains = []
    components: list[str] = []
    for g, count in enumerate(sizes):
        ids = [f"m{g}.{k}" for k in range(count)]
        nodes += [Leaf(id=c, rule=MinMax(low=0, high=100)) for c in ids]
        nodes.append(Aggregate(id=f"m{g}", children=tuple(ids)))
        mains.append(f"m{g}")
        components += ids
    nodes.append(
        Aggregate(id="I", children=tuple(mains), weights=(1, 1, 1, 1, 1, 0.5, 2, 1.5, 1.5))
    )
    index = Index(root="I", nodes=tuple(nodes))
    values = rng.lognormal(1.0, 0.8, size=(5, 63, 98))
    values[rng.random(values.shape) < 0.05] = np.nan
    values[:, :3, :40] = np.nan  # three provinces short of data: screened out
    data = PanelData(
        entities=[f"p{i:02d}" for i in range(63)],
        components=components,
        values=values,
        periods=[2020, 2021, 2022, 2023, 2024],
    )
    directions = np.ones(98)
    _, steps = levels(index)
    pipeline = Pipeline(Screen(), Impute(method="mean"), Treat(), index=index)

    def library() -> FloatArray:
        result = pipeline.run(data).result
        assert isinstance(result, dx.PanelResult)
        return np.array(
            [[result.rank(period=p)[e] for e in result.entities] for p in result.periods],
            dtype=np.float64,
        )

    def by_hand() -> FloatArray:
        x = np.array(data.values)
        keep = (~np.isnan(x)).mean(axis=(0, 2)) >= 2 / 3
        x = x[:, keep]
        x = np.where(np.isnan(x), np.nanmean(x, axis=1, keepdims=True), x)
        out = np.empty_like(x)
        for p in range(x.shape[0]):
            for j in range(x.shape[2]):
                out[p, :, j] = treat_by_hand(x[p, :, j])
        return ranks_by_hand(evaluate_by_hand(out, directions, steps))

    np.testing.assert_array_equal(library(), by_hand())
    return (
        library,
        by_hand,
        "panel 63 × 98 × 5 years: screen, impute (mean), treat, min-max, 2 levels, rank",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick run with fewer repetitions")
    args = parser.parse_args()
    repetitions, loops = (3, 2) if args.small else (11, 10)
    for make in (asem_workload, synthetic_workload):
        library, by_hand, title = make()
        lib, hand = interleaved(library, by_hand, repetitions, loops)
        print(title)
        print(f"  dxplan         {lib * 1e3:9.2f} ms  (median of {repetitions} × {loops})")
        print(f"  numpy baseline {hand * 1e3:9.2f} ms")
        print(f"  ratio          {lib / hand:9.2f} ×  (goal ≤ 2: {verdict(lib / hand, 2)})")


if __name__ == "__main__":
    main()
