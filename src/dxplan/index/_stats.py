"""Numerical helpers of the audit, written with numpy alone.

- :func:`correlation_matrix`: Pearson or Spearman correlations of every column
  of one matrix with every column of another, pairwise-complete (each pair uses
  the rows where both have a value, as R's ``cor(use = "pairwise.complete.obs")``),
  with the count of those rows.
- :func:`correlation_p_values`: two-sided p-values of ``H0: ρ = 0`` from the
  t distribution with ``n − 2`` degrees of freedom, through the regularised
  incomplete beta function (Lentz's continued fraction, on whole arrays).
- :func:`average_ranks`: ranks with ties given their mean rank (R's ``rank``).
- :func:`nelder_mead`: a derivative-free minimiser (Nelder and Mead 1965, with
  the standard coefficients 1, 2, ½, ½).

>>> round(correlation_p_value(0.5, 4), 12)  # t² = 2/3 on 2 df: p = 1 − t/√(2 + t²)
0.5
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._validators import one_of

__all__ = [
    "Minimum",
    "average_ranks",
    "correlation_matrix",
    "correlation_p_value",
    "correlation_p_values",
    "covariance_matrix",
    "nelder_mead",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["pearson", "spearman"]
METHODS = one_of(("pearson", "spearman"))
"""The correlation methods, as a check of a ``method`` argument."""


def average_ranks(values: FloatArray) -> FloatArray:
    """Ranks 1…n of a 1-d array without NaN, ties sharing their mean rank."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(values.size, dtype=np.float64)
    ordered = values[order]
    # Runs of equal values: the first position of each run and its length.
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    lengths = np.diff(np.r_[starts, values.size])
    mean_rank = starts + (lengths + 1) / 2
    ranks[order] = np.repeat(mean_rank, lengths)
    return ranks


def _pearson(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Pairwise-complete Pearson correlations and pair counts of the columns of x and y."""
    mx, my = ~np.isnan(x), ~np.isnan(y)
    if mx.all() and my.all():
        xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (xc.T @ yc) / np.sqrt(np.outer((xc * xc).sum(axis=0), (yc * yc).sum(axis=0)))
        counts = np.full(r.shape, float(x.shape[0]))
        return np.clip(r, -1.0, 1.0), counts
    # Centring on each column's own mean first keeps the sums below from cancelling.
    x0 = np.where(mx, x - _column_means(x, mx), 0.0)
    y0 = np.where(my, y - _column_means(y, my), 0.0)
    fx, fy = mx.astype(np.float64), my.astype(np.float64)
    n = fx.T @ fy
    sx, sy = x0.T @ fy, fx.T @ y0
    sxx, syy = (x0 * x0).T @ fy, fx.T @ (y0 * y0)
    sxy = x0.T @ y0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sxy - sx * sy / n
        var_x = sxx - sx * sx / n
        var_y = syy - sy * sy / n
        r = cov / np.sqrt(var_x * var_y)
    r = np.where(n >= 2, r, np.nan)
    return np.clip(r, -1.0, 1.0), n


def _column_means(x: FloatArray, present: npt.NDArray[np.bool_]) -> FloatArray:
    """Means of the present values of each column (NaN for an empty column, silently)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(present, x, 0.0).sum(axis=0) / present.sum(axis=0))


def correlation_matrix(
    x: FloatArray, y: FloatArray, method: Method = "pearson"
) -> tuple[FloatArray, FloatArray]:
    """Correlations ``r[i, j]`` of ``x[:, i]`` with ``y[:, j]`` and the rows each pair used.

    NaN marks a missing value; each pair uses the rows where both have one.
    Spearman's is Pearson's on average ranks taken within those rows. A pair
    with fewer than two rows, or a constant column among them, gives NaN.
    """
    if method == "pearson":
        return _pearson(x, y)
    mx: npt.NDArray[np.bool_] = ~np.isnan(x)
    my: npt.NDArray[np.bool_] = ~np.isnan(y)
    full_x = np.asarray(mx.all(axis=0))
    full_y = np.asarray(my.all(axis=0))
    rank_x = np.column_stack([_ranks_or_nan(x[:, i]) for i in range(x.shape[1])]) if x.size else x
    rank_y = np.column_stack([_ranks_or_nan(y[:, j]) for j in range(y.shape[1])]) if y.size else y
    r, counts = _pearson(rank_x, rank_y)
    # Where a column has gaps, the pair's ranks must be taken on the pair's own rows.
    for i in range(x.shape[1]):
        for j in range(y.shape[1]):
            if full_x[i] and full_y[j]:
                continue
            both = mx[:, i] & my[:, j]
            if both.sum() < 2:
                r[i, j] = math.nan
                continue
            a = average_ranks(x[both, i])
            b = average_ranks(y[both, j])
            r[i, j] = _pearson(a[:, None], b[:, None])[0][0, 0]
    return r, counts


def _ranks_or_nan(column: FloatArray) -> FloatArray:
    out = np.full(column.size, np.nan)
    present = ~np.isnan(column)
    out[present] = average_ranks(column[present])
    return out


def correlation_p_value(r: float, n: float) -> float:
    """Two-sided p-value of a correlation ``r`` from ``n`` pairs (t test, ``n − 2`` df).

    ``t = r √((n − 2)/(1 − r²))`` and ``p = I_{df/(df + t²)}(df/2, ½)`` (the
    regularised incomplete beta function), which is R's ``cor.test`` for
    Pearson (and its large-sample form for Spearman). NaN when ``r`` is NaN
    or ``n < 3``.
    """
    return float(correlation_p_values(np.array([r], dtype=np.float64), np.array([n]))[0])


def correlation_p_values(r: FloatArray, n: FloatArray) -> FloatArray:
    """:func:`correlation_p_value` of every element, computed on whole arrays at once.

    The continued fraction runs on all elements together (modified Lentz,
    to a relative error of 1e-15), always on its fast-converging side.
    """
    r = np.asarray(r, dtype=np.float64)
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), r.shape)
    out = np.full(r.shape, np.nan)
    ok = ~np.isnan(r) & (n >= 3)
    perfect = ok & (np.abs(r) >= 1.0)
    out[perfect] = 0.0
    live = ok & ~perfect
    if not live.any():
        return out
    rr, df = r[live], n[live] - 2.0
    t2 = rr * rr * df / (1.0 - rr * rr)
    x = df / (df + t2)
    a, b = df / 2.0, np.full(df.shape, 0.5)
    flip = x >= (a + 1.0) / (a + b + 2.0)
    aa, bb, xx = np.where(flip, b, a), np.where(flip, a, b), np.where(flip, 1.0 - x, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_front = _lgamma(a + b) - _lgamma(a) - _lgamma(b) + a * np.log(x) + b * np.log1p(-x)
        front = np.exp(log_front) * _beta_fractions(aa, bb, xx) / aa
    value = np.where(flip, 1.0 - front, front)
    value = np.where(x <= 0.0, 0.0, np.where(x >= 1.0, 1.0, value))
    out[live] = value
    return out


_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])


def _beta_fractions(a: FloatArray, b: FloatArray, x: FloatArray) -> FloatArray:
    tiny = 1e-300
    c = np.ones_like(x)
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / np.where(np.abs(d) > tiny, d, tiny)
    h = d.copy()
    for m in range(1, 10_000):
        m2 = 2 * m
        delta = np.ones_like(x)
        for numerator in (
            m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / np.where(np.abs(d) > tiny, d, tiny)
            c = 1.0 + numerator / c
            c = np.where(np.abs(c) > tiny, c, tiny)
            delta = d * c
            h *= delta
        if (np.abs(delta - 1.0) < 1e-15).all():
            break
    return h


@attrs.frozen(kw_only=True)
class Minimum:
    """Where :func:`nelder_mead` stopped: the point, its value and whether it converged."""

    x: tuple[float, ...]
    value: float
    iterations: int
    evaluations: int
    converged: bool


def nelder_mead(
    function: Callable[[FloatArray], float],
    start: npt.ArrayLike,
    *,
    step: float = 0.25,
    x_tolerance: float = 1e-10,
    f_tolerance: float = 1e-14,
    max_iterations: int = 5_000,
) -> Minimum:
    """Minimise ``function`` from ``start`` with the Nelder–Mead simplex.

    Converged when the simplex is within ``x_tolerance`` of its best vertex in
    every coordinate and the values at its vertices within ``f_tolerance`` of
    the best value (scipy's ``xatol``/``fatol`` test).
    """
    x0 = np.asarray(start, dtype=np.float64).ravel()
    dims = x0.size
    simplex = np.vstack([x0, x0 + step * np.eye(dims)])
    values = np.array([function(v) for v in simplex])
    evaluations = dims + 1
    for iteration in range(1, max_iterations + 1):
        order = np.argsort(values, kind="stable")
        simplex, values = simplex[order], values[order]
        spread_x = np.max(np.abs(simplex[1:] - simplex[0]))
        spread_f = np.max(np.abs(values[1:] - values[0]))
        if spread_x <= x_tolerance and spread_f <= f_tolerance:
            return Minimum(
                x=tuple(float(v) for v in simplex[0]),
                value=float(values[0]),
                iterations=iteration - 1,
                evaluations=evaluations,
                converged=True,
            )
        centroid = simplex[:-1].mean(axis=0)
        worst = simplex[-1]
        reflected = centroid + (centroid - worst)
        f_reflected = function(reflected)
        evaluations += 1
        if f_reflected < values[0]:
            expanded = centroid + 2.0 * (centroid - worst)
            f_expanded = function(expanded)
            evaluations += 1
            if f_expanded < f_reflected:
                simplex[-1], values[-1] = expanded, f_expanded
            else:
                simplex[-1], values[-1] = reflected, f_reflected
            continue
        if f_reflected < values[-2]:
            simplex[-1], values[-1] = reflected, f_reflected
            continue
        outside = f_reflected < values[-1]
        contracted = centroid + 0.5 * ((reflected if outside else worst) - centroid)
        f_contracted = function(contracted)
        evaluations += 1
        if f_contracted < (f_reflected if outside else values[-1]):
            simplex[-1], values[-1] = contracted, f_contracted
            continue
        simplex[1:] = simplex[0] + 0.5 * (simplex[1:] - simplex[0])
        values[1:] = [function(v) for v in simplex[1:]]
        evaluations += dims
    best = int(np.argmin(values))
    return Minimum(
        x=tuple(float(v) for v in simplex[best]),
        value=float(values[best]),
        iterations=max_iterations,
        evaluations=evaluations,
        converged=False,
    )


def covariance_matrix(x: FloatArray) -> FloatArray:
    """Pairwise-complete sample covariances (``n − 1``) of the columns of ``x``.

    Each pair uses the rows where both have a value and its own means there,
    as R's ``cov(use = "pairwise.complete.obs")``; NaN below two rows.
    """
    m = ~np.isnan(x)
    x0 = np.where(m, x - _column_means(x, m), 0.0)
    f = m.astype(np.float64)
    n = f.T @ f
    sx = x0.T @ f
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (x0.T @ x0 - sx * sx.T / n) / (n - 1)
    return np.where(n >= 2, cov, np.nan)
