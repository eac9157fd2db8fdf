"""The multivariate audit and Sobol sensitivity of COINr's ASEM study.

1. The whole audit of ASEM (51 countries × 49 indicators, min-max onto
   [0, 100], arithmetic means): every aggregation group's pairwise-complete
   Pearson correlations (children with each other and with their parent),
   the correlation flags, Cronbach's alpha, PCA (centred and scaled) and the
   effective weights: ``dxplan.index.audit.audit`` against the same computations
   written plainly in numpy in this file, timed alternately in one run.
   Goal: ≤ 2 × numpy. The correlations of the 49 indicators with the 11
   aggregates, with p-values (which numpy alone does not give), are timed
   beside it for information.
2. Sobol first and total order on ASEM at N = 10 000 base samples: the
   weights of each of the 11 aggregates (``w · (1 + U(−1, 1) · 0.25)``) and
   the leaf rule (min-max or z-score), 12 inputs, 140 000 evaluations and
   1 000 bootstrap resamples, run in a child process; wall time and peak
   resident memory (``ru_maxrss``) are printed beside the child's memory
   after evaluating ASEM once. Goal: peak ≤ 200 MB. (The pseudo-random,
   unchunked implementation before it peaked at about 3 500 MB and 21 s.)

Run: ``python benchmarks/bench_audit.py [--small]``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

import numpy as np
import numpy.typing as npt

from _timing import interleaved, median_seconds, report, verdict
from dxplan import datasets, indices
from dxplan.index.audit import audit, correlations
from dxplan.index.model import IndexResult

FloatArray = npt.NDArray[np.float64]
SOBOL_GOAL_MB = 200


def pearson(x: FloatArray) -> FloatArray:
    """Pairwise-complete Pearson correlations of the columns of ``x``, plain numpy."""
    present = ~np.isnan(x)
    f = present.astype(float)
    x0 = np.where(present, x, 0.0)
    n = f.T @ f
    sx = x0.T @ f
    sxx = (x0 * x0).T @ f
    sxy = x0.T @ x0
    cov = sxy - sx * sx.T / n
    r: FloatArray = cov / np.sqrt((sxx - sx * sx / n) * (sxx - sx * sx / n).T)
    return r


def covariance(x: FloatArray) -> FloatArray:
    """Pairwise-complete sample covariances of the columns of ``x``, plain numpy."""
    present = ~np.isnan(x)
    f = present.astype(float)
    x0 = np.where(present, x, 0.0)
    n = f.T @ f
    sx = x0.T @ f
    cov: FloatArray = (x0.T @ x0 - sx * sx.T / n) / (n - 1)
    return cov


def numpy_audit(values: FloatArray, groups: list[tuple[int, list[int]]]) -> list[object]:
    """Flags, alpha, PCA shares and r² importance per group, written plainly."""
    out: list[object] = []
    for parent, kids in groups:
        block = values[:, [*kids, parent]]
        r = pearson(block)
        with_parent = r[:-1, -1]
        flags = [(k, v) for k, v in zip(kids, with_parent, strict=True) if v < 0.3]
        upper = np.triu(r[:-1, :-1], 1)
        duplicates = np.argwhere(upper > 0.92)
        cov = covariance(values[:, kids])
        k = len(kids)
        total = cov.sum()
        alpha = k * k * ((total - np.trace(cov)) / (k * (k - 1))) / total
        complete = values[:, kids][~np.isnan(values[:, kids]).any(axis=1)]
        z = (complete - complete.mean(axis=0)) / complete.std(axis=0, ddof=1)
        eigen, vectors = np.linalg.eigh(np.corrcoef(z, rowvar=False))
        shares = eigen[::-1] / eigen.sum()
        importance = with_parent**2 / (with_parent**2).sum()
        out.append((flags, duplicates, alpha, shares, vectors[:, -1], importance))
    return out


def audit_benchmark(repetitions: int) -> None:
    """The whole ASEM audit against plain numpy, timed alternately."""
    index = indices.asem()
    result = index.evaluate(datasets.asem())
    column = {n.id: j for j, n in enumerate(index.nodes)}
    values = np.array(result.values)
    groups = [(column[n.id], [column[c] for c in n.children]) for n in index.aggregates]
    ours, theirs = interleaved(
        lambda: audit(result), lambda: numpy_audit(values, groups), repetitions, loops=20
    )
    print(report("ASEM audit (flags, alphas, PCA, effective weights)", ours, "numpy", theirs, 2))
    leaves = [leaf.id for leaf in index.leaves]
    aggregates = [n.id for n in index.aggregates]
    seconds = median_seconds(lambda: correlations(result, leaves, aggregates), repetitions, 20)
    print(
        f"  correlations of 49 indicators with 11 aggregates, with p-values: {seconds * 1e3:.2f} ms"
    )


def sobol_child(samples: int, bootstrap: int) -> None:
    """Runs in a child process: ASEM Sobol at ``samples``; prints time and peak RSS."""
    from dxplan.index.rules import MinMax, ZScore
    from dxplan.whatif.sensitivity import RuleInput, UncertainInput, WeightInput, sobol

    index, data = indices.asem(), datasets.asem()
    result: IndexResult = index.evaluate(data)
    assert result.values.shape == (51, 60)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    inputs: list[UncertainInput] = [WeightInput(node=n.id) for n in index.aggregates]
    inputs.append(RuleInput(alternatives=(MinMax(low=0, high=100), ZScore())))
    start = time.perf_counter()
    found = sobol(index, data, inputs, samples=samples, seed=1, bootstrap=bootstrap)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    top = max(found.indices, key=lambda i: i.total)
    print(f"{seconds} {floor} {peak} {len(inputs)} {top.name!r} {top.total}")


def sobol_benchmark(samples: int, bootstrap: int) -> None:
    """ASEM Sobol in a child process: time and peak resident memory."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(samples), str(bootstrap)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split(maxsplit=4)
    seconds, floor, peak, count = float(out[0]), int(out[1]), int(out[2]), int(out[3])
    peak_mb = peak / 1024
    print(
        f"Sobol on ASEM, N = {samples}, {count} inputs, {bootstrap} bootstrap resamples "
        f"(child process): {seconds:.1f} s, peak RSS {peak_mb:.0f} MB (after evaluating ASEM "
        f"once: {floor / 1024:.0f} MB) (goal ≤ {SOBOL_GOAL_MB} MB: "
        f"{verdict(peak_mb, SOBOL_GOAL_MB)}); largest total order: {out[4].strip()}"
    )


def main() -> None:
    """Both benchmarks, small or full size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick run")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sobol_child(*args.child)
        return
    if args.small:
        audit_benchmark(repetitions=3)
        sobol_benchmark(samples=256, bootstrap=50)
    else:
        audit_benchmark(repetitions=15)
        sobol_benchmark(samples=10_000, bootstrap=1000)


if __name__ == "__main__":
    main()
