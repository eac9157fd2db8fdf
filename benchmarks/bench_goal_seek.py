"""Goal-seek on the DTI, one lever: median wall time against the 50 ms budget.

Two workloads, each timed as the median of several repetitions:

- the bundled DTI 2022 (five provinces × nine main indicators, linear): what
  Ho Chi Minh City needs on digital-society activity to rank first (solved
  directly, then checked float by float);
- a DTI-sized synthetic problem (63 provinces × 98 components, min-max per
  component, from ``bench_index.build``): what the 6th province needs on one
  component to rank 5th from 6th (a relative rule: breakpoints scanned, then bisected).

The ratio printed is the median time over the 50 ms goal (≤ 1 meets it); one
plain evaluation of the index is shown beside it for scale.

Run: ``python benchmarks/bench_goal_seek.py [--small]``.
"""

from __future__ import annotations

import argparse

from _timing import median_seconds, verdict
from bench_index import build
from dxplan.index.data import IndexData
from dxplan.index.datasets import dti_2022
from dxplan.index.indices import dti_922
from dxplan.index.model import Index
from dxplan.whatif.goalseek import LeverSeek, RankAtMost, goal_seek

GOAL_SECONDS = 0.050


def measure(
    title: str,
    index: Index,
    data: IndexData,
    entity: str,
    lever: str,
    k: int,
    bounds: tuple[float, float],
    repetitions: int,
) -> None:
    """Time one goal-seek and print it with its ratio to the goal."""

    def seek() -> LeverSeek:
        return goal_seek(index, data, entity=entity, lever=lever, goal=RankAtMost(k), bounds=bounds)

    result = seek()
    took = median_seconds(seek, repetitions)
    one = median_seconds(lambda: index.evaluate(data), repetitions)
    print(title)
    print(
        f"  {entity} → rank ≤ {k} on {lever}: feasible={result.feasible}, "
        f"value {result.value:.6f}, {result.method}, {result.evaluations} evaluations"
    )
    print(f"  goal-seek      {took * 1e3:8.2f} ms  (median of {repetitions})")
    print(f"  one evaluate   {one * 1e3:8.2f} ms")
    ratio = took / GOAL_SECONDS
    print(f"  ratio          {ratio:8.3f}    (time / 50 ms; goal ≤ 1: {verdict(ratio, 1)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick run with fewer repetitions")
    args = parser.parse_args()
    repetitions = 5 if args.small else 31
    measure(
        "goal-seek, DTI 2022 (5 provinces × 9 main indicators, linear)",
        dti_922(),
        dti_2022(),
        "ho-chi-minh",
        "hd_xa_hoi_so",
        1,
        (0.0, 1.0),
        repetitions,
    )
    index, data, _, _ = build()
    ranks = index.evaluate(data).rank()
    sixth = min(e for e, r in ranks.items() if r == 6)
    measure(
        "goal-seek, synthetic DTI (63 provinces × 98 components, min-max)",
        index,
        data,
        sixth,
        "hd_xa_hoi_so.0",
        5,
        (0.0, 10.0),
        repetitions,
    )


if __name__ == "__main__":
    main()
