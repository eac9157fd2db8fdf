"""Aggregators: how an inner node combines its children's scores.

Weights are relative within a parent. A missing child (NaN) is skipped and the
remaining weights renormalised, as COINr's ``a_*`` functions do; a node whose
children are all missing has no score (NaN). Children with weight 0 take no
part at all.

All but :class:`Minimum` are weighted power means
``(Σ wᵢ xᵢᵖ / Σ wᵢ)^(1/p)`` (arithmetic p = 1, geometric p → 0, harmonic
p = −1), which lets the engine evaluate a whole level with two matrix
products.

>>> import numpy as np
>>> ArithmeticMean().combine(np.array([1.0, np.nan, 4.0]), np.array([1.0, 5.0, 2.0]))
array(3.)
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._validators import Check, boolean, is_finite_number, to_float
from dxplan.errors import EvaluationError

__all__ = [
    "Aggregator",
    "ArithmeticMean",
    "GeneralisedMean",
    "GeometricMean",
    "HarmonicMean",
    "Minimum",
    "WeightedSum",
]

FloatArray = npt.NDArray[np.float64]


@attrs.frozen(kw_only=True)
class Aggregator:
    """Base of every aggregator."""

    kind: ClassVar[str] = ""

    @property
    def power(self) -> float | None:
        """The power ``p`` of the mean, or ``None`` for :class:`Minimum`."""
        return None

    @property
    def sums(self) -> bool:
        """Whether the result is scaled by the total weight (a weighted sum)."""
        return False

    @property
    def needs_every_child(self) -> bool:
        """Whether one missing child leaves the node without a score (no renormalising)."""
        return False

    def check(self, values: FloatArray, where: str) -> None:
        """Raise :class:`EvaluationError` if present ``values`` are outside the domain."""

    def params(self) -> dict[str, object]:
        """The aggregator's parameters, as written in an index file."""
        return {a.name: getattr(self, a.name) for a in attrs.fields(type(self))}

    def combine(self, values: FloatArray, weights: npt.ArrayLike) -> FloatArray:
        """Combine ``values`` along the last axis with ``weights`` (broadcast against it)."""
        x = np.asarray(values, dtype=np.float64)
        w = np.broadcast_to(np.asarray(weights, dtype=np.float64), x.shape)
        present = ~np.isnan(x) & (w > 0)
        self.check(np.where(present, x, 1.0), "values")
        if self.needs_every_child:
            complete = np.asarray((present | (w <= 0)).all(axis=-1, keepdims=True))
            x = np.where(complete, x, np.nan)
            present = present & complete
        p = self.power
        with np.errstate(invalid="ignore", divide="ignore"):
            if p is None:
                out = np.where(present, x, np.inf).min(axis=-1)
                return np.where(present.any(axis=-1), out, np.nan)
            wp = np.where(present, w, 0.0)
            den = wp.sum(axis=-1)
            num = (wp * _forward(np.where(present, x, 1.0), p)).sum(axis=-1)
            out = _backward(num / np.where(den > 0, den, np.nan), p)
            if self.sums:
                out = out * w.sum(axis=-1)
            return np.asarray(out, dtype=np.float64)


def _forward(x: FloatArray, p: float) -> FloatArray:
    if p == 1:
        return x
    if p == 0:
        return np.log(x)
    return np.power(x, p)


def _backward(m: FloatArray, p: float) -> FloatArray:
    if p == 1:
        return m
    if p == 0:
        return np.exp(m)
    return np.power(m, 1.0 / p)


def _domain_error(name: str, where: str, bad: FloatArray, expected: str) -> EvaluationError:
    shown = ", ".join(f"{v:g}" for v in np.unique(bad)[:5])
    return EvaluationError(f"{where}: {name} needs {expected} (found {shown})")


@attrs.frozen(kw_only=True)
class ArithmeticMean(Aggregator):
    """Weighted arithmetic mean ``Σ wᵢ xᵢ / Σ wᵢ``."""

    kind: ClassVar[str] = "arithmetic-mean"

    @property
    def power(self) -> float | None:
        return 1.0


@attrs.frozen(kw_only=True)
class WeightedSum(Aggregator):
    """Weighted sum ``Σ wᵢ xᵢ`` (points × value); missing children scale the rest up.

    With a child missing, the sum is ``Σ wᵢ xᵢ × Σ w / Σ w(present)``, so a
    missing value is neither zero nor a penalty.
    """

    kind: ClassVar[str] = "weighted-sum"

    @property
    def power(self) -> float | None:
        return 1.0

    @property
    def sums(self) -> bool:
        return True


@attrs.frozen(kw_only=True)
class GeometricMean(Aggregator):
    """Weighted geometric mean; values ≤ 0 are an :class:`EvaluationError` (as COINr)."""

    kind: ClassVar[str] = "geometric-mean"

    @property
    def power(self) -> float | None:
        return 0.0

    def check(self, values: FloatArray, where: str) -> None:
        bad = values[values <= 0]
        if bad.size:
            raise _domain_error("the geometric mean", where, bad, "values > 0")


@attrs.frozen(kw_only=True)
class HarmonicMean(Aggregator):
    """Weighted harmonic mean ``Σ wᵢ / Σ (wᵢ / xᵢ)``; values ≤ 0 are an error."""

    kind: ClassVar[str] = "harmonic-mean"

    @property
    def power(self) -> float | None:
        return -1.0

    def check(self, values: FloatArray, where: str) -> None:
        bad = values[values <= 0]
        if bad.size:
            raise _domain_error("the harmonic mean", where, bad, "values > 0")


_power = Check(
    accepts=lambda p: is_finite_number(p) and p != 0,
    expected="a finite non-zero number; use GeometricMean for p = 0",
)


@attrs.frozen(kw_only=True)
class GeneralisedMean(Aggregator):
    """Weighted power mean ``(Σ wᵢ xᵢᵖ / Σ wᵢ)^(1/p)``, ``p ≠ 0``.

    Negative ``p`` needs values > 0, positive ``p`` values ≥ 0. A missing
    child is skipped and the other weights renormalised, as for every other
    aggregator; ``skip_missing=False`` gives COINr's ``a_genmean``, whose sum
    has no ``na.rm``: one missing child and the node has no score.
    """

    kind: ClassVar[str] = "generalised-mean"
    p: float = attrs.field(converter=to_float, validator=_power)
    skip_missing: bool = attrs.field(default=True, validator=boolean)

    @property
    def power(self) -> float | None:
        return self.p

    @property
    def needs_every_child(self) -> bool:
        return not self.skip_missing

    def params(self) -> dict[str, object]:
        # The default is left out, so index files written before the option read the same.
        return {"p": self.p} if self.skip_missing else {"p": self.p, "skip_missing": False}

    def check(self, values: FloatArray, where: str) -> None:
        bad = values[values <= 0] if self.p < 0 else values[values < 0]
        if bad.size:
            expected = "values > 0" if self.p < 0 else "values ≥ 0"
            raise _domain_error(f"the generalised mean (p = {self.p:g})", where, bad, expected)


@attrs.frozen(kw_only=True)
class Minimum(Aggregator):
    """The smallest present child score (weights only decide who takes part)."""

    kind: ClassVar[str] = "minimum"


#: Every aggregator by the name an index file uses for it.
AGGREGATORS: dict[str, type[Aggregator]] = {
    cls.kind: cls
    for cls in (
        ArithmeticMean,
        WeightedSum,
        GeometricMean,
        HarmonicMean,
        GeneralisedMean,
        Minimum,
    )
}
