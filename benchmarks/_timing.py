"""Shared timing for the benchmarks: interleaved repetitions, medians, ratios.

Every workload is measured beside its baseline in the same process (or the same
shell), alternating the two so that drift of the machine hits both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(
    candidate: Callable[[], object], baseline: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Median seconds of ``candidate`` and ``baseline``, run alternately ``repeats`` times."""
    candidate()
    baseline()
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        for run, times in ((candidate, ours), (baseline, theirs)):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(theirs)


def report(name: str, ours: float, baseline_name: str, theirs: float, goal: str) -> str:
    """One line: both times, their ratio and the goal it is held to."""
    ratio = ours / theirs if theirs > 0 else float("inf")
    return (
        f"{name}: dxplan {ours * 1e3:.2f} ms, {baseline_name} {theirs * 1e3:.2f} ms, "
        f"ratio {ratio:.2f} (goal {goal})"
    )
