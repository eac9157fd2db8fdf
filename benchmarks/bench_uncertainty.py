"""Monte Carlo rank uncertainty: dxplan against a hand-written numpy kernel and a Python loop.

1. COINr's ASEM study (51 countries × 49 indicators, 4 levels, min-max onto
   [0, 100], arithmetic means): 10 000 weight draws ``w · (1 + U(−1, 1) · 0.25)``
   and competition ranks. ``dx.uncertainty`` against a numpy kernel
   written for this one structure, and against a pure-Python loop (timed on
   fewer draws, reported per draw). Goals: ≤ 2 × the kernel, and ≥ 1 000 ×
   faster per draw than COINr's ``get_sensitivity`` (about 28 ms a draw).
2. 10 000 entities × 200 components × 1 000 draws, run in a child process;
   wall time and peak resident memory (``resource.getrusage`` ``ru_maxrss`` of
   the child) are printed. Goal: peak ≤ 1 GiB.

Run: ``python benchmarks/bench_uncertainty.py [--small]``.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import subprocess
import sys
import time

import numpy as np
import numpy.typing as npt

import dxplan
from _timing import interleaved, verdict
from dxplan import datasets, indices
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.rules import MinMax

FloatArray = npt.NDArray[np.float64]
COINR_SECONDS_PER_DRAW = 0.028
NOISE = 0.25


def asem_arrays() -> tuple[FloatArray, list[list[int]], list[list[int]]]:
    """Min-maxed ASEM scores (NaN kept), leaves per sub-pillar and sub-pillars per pillar."""
    index, data = indices.asem(), datasets.asem()
    raw = np.array(data.values)
    directions = np.array([leaf.direction for leaf in index.leaves], dtype=np.float64)
    x = raw * directions
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    scores = (x - lo) / (hi - lo) * 100
    leaf_ids = [leaf.id for leaf in index.leaves]
    subs = [n for n in index.aggregates if set(n.children) <= set(leaf_ids)]
    pillars = [n for n in index.aggregates if n.id in ("Conn", "Sust")]
    sub_ids = [s.id for s in subs]
    groups = [[leaf_ids.index(c) for c in s.children] for s in subs]
    pillar_groups = [[sub_ids.index(c) for c in p.children] for p in pillars]
    return scores, groups, pillar_groups


def kernel(
    scores: FloatArray,
    groups: list[list[int]],
    pillar_groups: list[list[int]],
    draws: int,
    seed: int,
    noise_factor: float = NOISE,
    chunk: int = 1000,
) -> npt.NDArray[np.float32]:
    """The same Monte Carlo written by hand for the ASEM shape; returns ranks (draws × entities).

    Draws are processed in chunks of ``chunk`` (as dxplan does), which keeps
    the arrays in cache.
    """
    rng = np.random.default_rng(seed)
    n_entities, n_leaves = scores.shape
    n_subs, n_pillars = len(groups), len(pillar_groups)
    noise = rng.uniform(-1, 1, size=(draws, n_leaves + n_subs + n_pillars))
    weights = 1.0 + noise * noise_factor  # nominal weights are all 1
    present = (~np.isnan(scores)).T.astype(np.float64)
    filled = np.where(np.isnan(scores), 0.0, scores).T
    ranks = np.empty((draws, n_entities), dtype=np.float32)
    positions = np.arange(1, n_entities + 1, dtype=np.float64)
    for start in range(0, draws, chunk):
        w = weights[start : start + chunk]
        d = w.shape[0]
        w_leaf, w_sub, w_pillar = w[:, :n_leaves], w[:, n_leaves:-n_pillars], w[:, -n_pillars:]
        sub = np.empty((n_subs, d, n_entities))
        for g, cols in enumerate(groups):
            sub[g] = (w_leaf[:, cols] @ filled[cols]) / (w_leaf[:, cols] @ present[cols])
        pillar = np.empty((n_pillars, d, n_entities))
        for p, kids in enumerate(pillar_groups):
            num = np.zeros((d, n_entities))
            den = np.zeros((d, n_entities))
            for k in kids:
                seen = ~np.isnan(sub[k])
                num += w_sub[:, k, None] * np.where(seen, sub[k], 0.0)
                den += w_sub[:, k, None] * seen
            pillar[p] = num / den
        total = w_pillar[:, 0, None] * pillar[0] + w_pillar[:, 1, None] * pillar[1]
        index = total / w_pillar.sum(axis=1, keepdims=True)
        order = np.argsort(-index, axis=1, kind="stable")
        ordered = np.take_along_axis(-index, order, axis=1)
        new = np.ones(ordered.shape, dtype=bool)
        new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        block = np.empty(index.shape, dtype=np.float32)
        np.put_along_axis(block, order, np.maximum.accumulate(np.where(new, positions, 0), 1), 1)
        ranks[start : start + d] = block
    return ranks


def python_loop(
    scores: FloatArray, groups: list[list[int]], pillar_groups: list[list[int]], draws: int
) -> list[list[int]]:
    """The same Monte Carlo one draw, one entity, one node at a time, in plain Python."""
    rng = random.Random(1)
    table = scores.tolist()
    out: list[list[int]] = []
    for _ in range(draws):
        w_leaf = [1 + rng.uniform(-1, 1) * NOISE for _ in range(scores.shape[1])]
        w_sub = [1 + rng.uniform(-1, 1) * NOISE for _ in groups]
        w_pillar = [1 + rng.uniform(-1, 1) * NOISE for _ in pillar_groups]
        totals = []
        for row in table:
            subs = []
            for cols in groups:
                pairs = [(w_leaf[c], row[c]) for c in cols if not math.isnan(row[c])]
                subs.append(sum(w * v for w, v in pairs) / sum(w for w, _ in pairs))
            pillars = [
                sum(w_sub[k] * subs[k] for k in kids) / sum(w_sub[k] for k in kids)
                for kids in pillar_groups
            ]
            totals.append(
                sum(w * p for w, p in zip(w_pillar, pillars, strict=True)) / sum(w_pillar)
            )
        out.append([1 + sum(1 for t in totals if t > v) for v in totals])
    return out


def asem_benchmark(draws: int, repetitions: int) -> None:
    index, data = indices.asem(), datasets.asem()
    scores, groups, pillar_groups = asem_arrays()
    # Same numbers first: with no noise both give the nominal ranks.
    nominal = index.evaluate(data).rank()
    zero = kernel(scores, groups, pillar_groups, 2, 0, noise_factor=0.0)
    assert zero[0].tolist() == [nominal[e] for e in data.entities]
    lib, hand = interleaved(
        lambda: dxplan.uncertainty(index, data, draws=draws, weight_noise=NOISE, seed=1),
        lambda: kernel(scores, groups, pillar_groups, draws, 1),
        repetitions,
    )
    loop_draws = max(20, draws // 100)
    start = time.perf_counter()
    python_loop(scores, groups, pillar_groups, loop_draws)
    loop_per_draw = (time.perf_counter() - start) / loop_draws
    per_draw = lib / draws
    print(f"ASEM, 51 × 49, 4 levels, {draws} weight draws (median of {repetitions})")
    print(f"  dxplan           {lib * 1e3:9.1f} ms   {per_draw * 1e6:8.2f} µs/draw")
    print(f"  numpy kernel     {hand * 1e3:9.1f} ms   {hand / draws * 1e6:8.2f} µs/draw")
    print(
        f"  Python loop                    {loop_per_draw * 1e6:8.1f} µs/draw ({loop_draws} draws)"
    )
    print(f"  dxplan / kernel  {lib / hand:9.2f} ×  (goal ≤ 2: {verdict(lib / hand, 2)})")
    print(f"  Python loop / dxplan per draw {loop_per_draw / per_draw:9.0f} ×")
    speedup = COINR_SECONDS_PER_DRAW / per_draw
    print(
        f"  COINr (~28 ms/draw) / dxplan per draw {speedup:9.0f} × "
        f"(goal ≥ 1000: {verdict(speedup, 1000, at_most=False)})"
    )


def big_index(n_components: int) -> Index:
    """200 components → 20 groups of 10 → 4 pillars of 5 groups → root."""
    nodes: list[Node] = []
    groups: list[str] = []
    for g in range(n_components // 10):
        ids = [f"c{g * 10 + k}" for k in range(10)]
        nodes += [Leaf(id=c, rule=MinMax()) for c in ids]
        nodes.append(Aggregate(id=f"g{g}", children=tuple(ids)))
        groups.append(f"g{g}")
    pillars = [f"p{p}" for p in range(4)]
    per = len(groups) // 4
    for p, pillar in enumerate(pillars):
        nodes.append(Aggregate(id=pillar, children=tuple(groups[p * per : (p + 1) * per])))
    nodes.append(Aggregate(id="I", children=tuple(pillars)))
    return Index(root="I", nodes=tuple(nodes))


def big_child(entities: int, components: int, draws: int) -> None:
    """Runs in a child process: build, run, print time and peak RSS."""
    rng = np.random.default_rng(0)
    values = rng.uniform(0, 1, size=(entities, components))
    values[rng.random(values.shape) < 0.02] = np.nan
    data = IndexData(
        entities=[f"e{i}" for i in range(entities)],
        components=[f"c{j}" for j in range(components)],
        values=values,
    )
    index = big_index(components)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = dxplan.uncertainty(index, data, draws=draws, weight_noise=NOISE, seed=1)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{elapsed:.3f} {before} {peak} {result.ranks.shape[0]}")


def big_benchmark(entities: int, components: int, draws: int) -> None:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(entities), str(components), str(draws)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    elapsed, before, peak = float(out[0]), int(out[1]), int(out[2])
    print(f"{entities} entities × {components} components × {draws} draws (child process)")
    print(f"  wall time        {elapsed:9.2f} s   ({elapsed / draws * 1e3:.2f} ms/draw)")
    print(f"  peak RSS         {peak / 1024:9.1f} MiB (ru_maxrss; {before / 1024:.1f} MiB "
          "before the run, data included)")  # fmt: skip
    print(f"  goal             peak ≤ 1024 MiB: {verdict(peak / 1024, 1024)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick run")
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        big_child(*args.child)
        return
    if args.small:
        asem_benchmark(draws=1000, repetitions=3)
        big_benchmark(2000, 200, 100)
    else:
        asem_benchmark(draws=10_000, repetitions=5)
        big_benchmark(10_000, 200, 1000)


if __name__ == "__main__":
    main()
