"""Shared timing for the benchmarks: interleaved repetitions, medians, ratios.

Every workload is measured beside its baseline in the same process (or the same
shell), alternating the two so that drift of the machine hits both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def _per_call(run: Callable[[], object], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        run()
    return (time.perf_counter() - start) / loops


def median_seconds(run: Callable[[], object], repeats: int, loops: int = 1) -> float:
    """Median seconds per call of ``run`` over ``repeats`` timings of ``loops`` calls."""
    run()
    return statistics.median(_per_call(run, loops) for _ in range(repeats))


def interleaved(
    candidate: Callable[[], object],
    baseline: Callable[[], object],
    repeats: int,
    loops: int = 1,
) -> tuple[float, float]:
    """Median seconds per call of ``candidate`` and ``baseline``, timed alternately."""
    candidate()
    baseline()
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        ours.append(_per_call(candidate, loops))
        theirs.append(_per_call(baseline, loops))
    return statistics.median(ours), statistics.median(theirs)


def verdict(ratio: float, goal: float, *, at_most: bool = True) -> str:
    """``"met"`` or ``"MISSED"``: the ratio against its goal (≤ goal, or ≥ goal)."""
    met = ratio <= goal if at_most else ratio >= goal
    return "met" if met else "MISSED"


def report(name: str, ours: float, baseline_name: str, theirs: float, goal: float) -> str:
    """One line: both times, their ratio and whether it meets the goal (ratio ≤ goal)."""
    ratio = ours / theirs if theirs > 0 else float("inf")
    return (
        f"{name}: dxplan {ours * 1e3:.2f} ms, {baseline_name} {theirs * 1e3:.2f} ms, "
        f"ratio {ratio:.2f} (goal ≤ {goal:g}: {verdict(ratio, goal)})"
    )
