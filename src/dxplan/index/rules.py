"""Leaf rules: how a raw component column becomes a score.

A rule maps the raw values of one component, for all entities evaluated
together, to scores. *Absolute* rules look at each value alone (identity,
ratio, steps, categories, goalposts, distance to a target); *relative* rules
look at the whole column (min-max, z-score, rank, percentile rank, fraction of
the maximum, distance to the maximum). The formulas follow COINr's ``n_*``
functions so results compare with it number for number.

Every rule works along axis 0 of an array of shape ``(entities,)`` or
``(entities, k)``, so the engine applies one rule to a block of columns at once.
NaN means missing: it stays NaN and relative rules ignore it.

>>> import numpy as np
>>> MinMax(low=0, high=100).apply(np.array([1.0, 2.0, 3.0]))
array([  0.,  50., 100.])
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._validators import finite_number, finite_numbers, to_float
from dxplan.errors import EvaluationError, InvalidValueError

__all__ = [
    "Categories",
    "DistanceToMax",
    "DistanceToTarget",
    "FractionOfMax",
    "Goalposts",
    "Identity",
    "MinMax",
    "PercentileRank",
    "Rank",
    "Ratio",
    "Rule",
    "Steps",
    "ZScore",
]

FloatArray = npt.NDArray[np.float64]


def _to_float_tuple(values: Any) -> Any:
    # Text and bools stay as they are, for the validator to refuse ("2" is not 2.0).
    return tuple(to_float(v) for v in values) if isinstance(values, list | tuple) else values


@attrs.frozen(kw_only=True)
class Rule:
    """Base of every leaf rule; subclasses define :meth:`apply`."""

    kind: ClassVar[str] = ""
    relative: ClassVar[bool] = False
    #: Whether ``direction=-1`` means something for this rule.
    takes_direction: ClassVar[bool] = False

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        """Score ``values`` (entities along axis 0); NaN stays NaN."""
        raise NotImplementedError

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        """Score ``values`` with references (min, max, mean, sd, ranks) taken from ``reference``.

        ``reference`` has the reference entities along axis 0 and the same
        trailing shape as ``values`` after axis 0 (or one that broadcasts).
        Absolute rules have no reference and score as :meth:`apply`; fixed
        goalposts across periods (DESI's approach) use this with one period or
        all periods pooled as the reference.
        """
        return self.apply(values, direction)

    def response(self, direction: int = 1) -> int:
        """How an entity's score moves as its raw value rises: +1 up, −1 down, 0 neither.

        0 means the rule is constant or not monotone (some rises help, others
        hurt), so no direction of change can be promised.
        """
        return direction if self.takes_direction else 1

    def params(self) -> dict[str, object]:
        """The rule's parameters, as written in an index file."""
        return {
            a.name: list(v) if isinstance(v := getattr(self, a.name), tuple) else v
            for a in attrs.fields(type(self))
        }


@attrs.frozen(kw_only=True)
class Identity(Rule):
    """The raw value is already the score (e.g. a published 0–1 value)."""

    kind: ClassVar[str] = "identity"

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        return np.asarray(values, dtype=np.float64)


@attrs.frozen(kw_only=True)
class Ratio(Rule):
    """Achieved over required, times ``points``; capped at ``points`` when ``cap``."""

    kind: ClassVar[str] = "ratio"
    required: float = attrs.field(converter=to_float, validator=finite_number)
    points: float = attrs.field(default=1.0, converter=to_float, validator=finite_number)
    cap: bool = True

    def __attrs_post_init__(self) -> None:
        if self.required == 0:
            raise InvalidValueError("required", self.required, "non-zero")

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        out = np.asarray(values, dtype=np.float64) / self.required * self.points
        return np.minimum(out, self.points) if self.cap else out

    def response(self, direction: int = 1) -> int:
        return int(np.sign(self.points / self.required))


@attrs.frozen(kw_only=True)
class Steps(Rule):
    """Thresholds to scores: a value at or above ``thresholds[i]`` scores ``scores[i]``.

    Below the first threshold the score is ``below``. Four meetings a year for
    full points, three for 75 %, …: ``Steps(thresholds=(1, 2, 3, 4),
    scores=(0.25, 0.5, 0.75, 1.0))``.
    """

    kind: ClassVar[str] = "steps"
    thresholds: tuple[float, ...] = attrs.field(converter=_to_float_tuple, validator=finite_numbers)
    scores: tuple[float, ...] = attrs.field(converter=_to_float_tuple, validator=finite_numbers)
    below: float = attrs.field(default=0.0, converter=to_float, validator=finite_number)

    def __attrs_post_init__(self) -> None:
        if not self.thresholds:
            raise InvalidValueError("thresholds", self.thresholds, "at least one threshold")
        if len(self.scores) != len(self.thresholds):
            raise InvalidValueError(
                "scores", self.scores, f"one score per threshold ({len(self.thresholds)})"
            )
        if any(b <= a for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)):
            raise InvalidValueError("thresholds", self.thresholds, "strictly increasing")

    def response(self, direction: int = 1) -> int:
        return _monotone((self.below, *self.scores))

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        x = np.asarray(values, dtype=np.float64)
        table = np.array((self.below, *self.scores))
        out = table[np.searchsorted(np.array(self.thresholds), x, side="right")]
        return np.where(np.isnan(x), np.nan, out)


@attrs.frozen(kw_only=True)
class Categories(Rule):
    """Category codes to scores (full / half / no points); an unknown code is an error."""

    kind: ClassVar[str] = "categories"
    codes: tuple[float, ...] = attrs.field(converter=_to_float_tuple, validator=finite_numbers)
    scores: tuple[float, ...] = attrs.field(converter=_to_float_tuple, validator=finite_numbers)

    def __attrs_post_init__(self) -> None:
        if not self.codes:
            raise InvalidValueError("codes", self.codes, "at least one code")
        if len(self.scores) != len(self.codes):
            raise InvalidValueError(
                "scores", self.scores, f"one score per code ({len(self.codes)})"
            )
        if len(set(self.codes)) != len(self.codes):
            raise InvalidValueError("codes", self.codes, "distinct codes")

    def response(self, direction: int = 1) -> int:
        return _monotone(tuple(s for _, s in sorted(zip(self.codes, self.scores, strict=True))))

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        x = np.asarray(values, dtype=np.float64)
        codes = np.array(self.codes)
        order = np.argsort(codes)
        sorted_codes = codes[order]
        at = np.clip(np.searchsorted(sorted_codes, x), 0, len(codes) - 1)
        known = sorted_codes[at] == x
        missing = np.isnan(x)
        if not np.all(known | missing):
            bad = sorted({float(v) for v in x[~(known | missing)]})
            raise EvaluationError(
                f"category codes {bad} are not among the rule's codes {list(self.codes)}"
            )
        out = np.array(self.scores)[order][at]
        return np.where(missing, np.nan, out)


@attrs.frozen(kw_only=True)
class Goalposts(Rule):
    """Fixed goalposts: ``(x − low)/(high − low) × scale``, clipped to [0, scale] if ``truncate``.

    With ``direction=-1`` the posts swap (``(x − high)/(low − high)``), as in
    COINr's ``n_goalposts``.
    """

    kind: ClassVar[str] = "goalposts"
    takes_direction: ClassVar[bool] = True
    low: float = attrs.field(converter=to_float, validator=finite_number)
    high: float = attrs.field(converter=to_float, validator=finite_number)
    scale: float = attrs.field(default=1.0, converter=to_float, validator=finite_number)
    truncate: bool = True

    def __attrs_post_init__(self) -> None:
        if self.high <= self.low:
            raise InvalidValueError("high", self.high, f"greater than 'low' ({self.low})")

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        x = np.asarray(values, dtype=np.float64)
        if direction == 1:
            y = (x - self.low) / (self.high - self.low)
        else:
            y = (x - self.high) / (self.low - self.high)
        if self.truncate:
            y = np.clip(y, 0.0, 1.0)
        return y * self.scale


@attrs.frozen(kw_only=True)
class DistanceToTarget(Rule):
    """Progress from a baseline to a target: ``(x − baseline)/(target − baseline)``.

    A target below the baseline means lower is better. Clipped to [0, 1] when
    ``cap``.
    """

    kind: ClassVar[str] = "distance-to-target"
    target: float = attrs.field(converter=to_float, validator=finite_number)
    baseline: float = attrs.field(default=0.0, converter=to_float, validator=finite_number)
    cap: bool = True

    def __attrs_post_init__(self) -> None:
        if self.target == self.baseline:
            raise InvalidValueError(
                "target", self.target, f"different from 'baseline' ({self.baseline})"
            )

    def response(self, direction: int = 1) -> int:
        return 1 if self.target > self.baseline else -1

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        x = np.asarray(values, dtype=np.float64)
        y = (x - self.baseline) / (self.target - self.baseline)
        return np.clip(y, 0.0, 1.0) if self.cap else y


# Relative rules: direction multiplies the raw values by -1 first (COINr's
# Normalise.numeric); NaN never enters a min, max, mean or count.


def _monotone(scores: tuple[float, ...]) -> int:
    """+1 if ``scores`` never fall, −1 if they never rise, else 0 (constant counts as 0)."""
    steps = np.diff(np.array(scores, dtype=np.float64))
    if (steps >= 0).all() and (steps > 0).any():
        return 1
    if (steps <= 0).all() and (steps < 0).any():
        return -1
    return 0


def _oriented(values: FloatArray, direction: int) -> FloatArray:
    x = np.asarray(values, dtype=np.float64)
    return -x if direction == -1 else x


def _nanextreme(x: FloatArray, *, maximum: bool) -> FloatArray:
    # fmin/fmax skip NaN and give NaN only for an all-NaN column, without a warning.
    if x.shape[0] == 0:
        return np.full(x.shape[1:], np.nan)
    reduce = np.fmax.reduce if maximum else np.fmin.reduce
    return np.asarray(reduce(x, axis=0), dtype=np.float64)


@attrs.frozen(kw_only=True)
class _Relative(Rule):
    relative: ClassVar[bool] = True
    takes_direction: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class MinMax(_Relative):
    """Min-max onto [low, high]; a column with no range scores NaN (as COINr)."""

    kind: ClassVar[str] = "min-max"
    low: float = attrs.field(default=0.0, converter=to_float, validator=finite_number)
    high: float = attrs.field(default=1.0, converter=to_float, validator=finite_number)

    def __attrs_post_init__(self) -> None:
        if self.high <= self.low:
            raise InvalidValueError("high", self.high, f"greater than 'low' ({self.low})")

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        x = _oriented(values, direction)
        lo, hi = _nanextreme(x, maximum=False), _nanextreme(x, maximum=True)
        # Halves: hi − lo of values near ±1e308 would overflow to inf (and every
        # score to 0); halving is exact for normal floats, so results are unchanged.
        above, span = _distance_and_span(x, lo, lo, hi)
        # Divide first: (x − lo)/span stays within [0, 1] even when span is subnormal.
        out = above / span * (self.high - self.low)
        return out + self.low if self.low else out

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        x, r = _oriented(values, direction), _oriented(reference, direction)
        lo, hi = _nanextreme(r, maximum=False), _nanextreme(r, maximum=True)
        above, span = _distance_and_span(x, lo, lo, hi)
        # A value far outside a tiny reference range scores beyond the float range:
        # inf, which results and JSON output report as non-finite, not a raw warning.
        with np.errstate(over="ignore"):
            out = above / span * (self.high - self.low)
        return out + self.low if self.low else out


@attrs.frozen(kw_only=True)
class ZScore(_Relative):
    """Standardise onto mean ``mean`` and sample standard deviation ``sd`` (n − 1)."""

    kind: ClassVar[str] = "z-score"
    mean: float = attrs.field(default=0.0, converter=to_float, validator=finite_number)
    sd: float = attrs.field(default=1.0, converter=to_float, validator=finite_number)

    def __attrs_post_init__(self) -> None:
        if self.sd <= 0:
            raise InvalidValueError("sd", self.sd, "positive")

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        return self.apply_against(values, values, direction)

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        x, r = _safely_scaled(_oriented(values, direction), _oriented(reference, direction))
        present = ~np.isnan(r)
        n = present.sum(axis=0)
        filled = np.where(present, r, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = filled.sum(axis=0) / n
            dev = np.where(present, r - mu, 0.0)
            sd = np.sqrt((dev * dev).sum(axis=0) / (n - 1))
        # A constant reference has no spread, whatever rounding the sums leave in ``sd``.
        highest = np.where(present, r, -np.inf).max(axis=0)
        varies = highest > np.where(present, r, np.inf).min(axis=0)
        sd = np.where((n > 1) & varies & (sd > 0), sd, np.nan)
        return np.asarray((x - mu) / sd * self.sd + self.mean, dtype=np.float64)


def _min_ranks(x: FloatArray) -> FloatArray:
    # Higher value → higher rank, ties take the lowest: COINr's rank(ties.method = "min").
    from dxplan.index.ranking import rank_array

    return np.moveaxis(rank_array(-np.moveaxis(x, 0, -1)), -1, 0)


def _ranks_against(x: FloatArray, reference: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``1 +`` the number of reference values below each value, and the reference count.

    For a value that is itself in the reference this is its min-tie rank, so
    it agrees with :func:`_min_ranks` when the reference is the data itself.
    """
    r = reference[:, None, ...]
    below = (r < x[None, ...]).sum(axis=0)
    ranks = np.where(np.isnan(x), np.nan, 1.0 + below)
    return ranks, (~np.isnan(reference)).sum(axis=0)


@attrs.frozen(kw_only=True)
class Rank(_Relative):
    """Rank among the entities: the highest value gets the highest rank, ties the lowest."""

    kind: ClassVar[str] = "rank"

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        return _min_ranks(_oriented(values, direction))

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        x, r = _oriented(values, direction), _oriented(reference, direction)
        return _ranks_against(x, r)[0]


@attrs.frozen(kw_only=True)
class PercentileRank(_Relative):
    """``(rank − 1)/(n − 1)`` with ranks as in :class:`Rank` (COINr's ``n_prank``)."""

    kind: ClassVar[str] = "percentile-rank"

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        x = _oriented(values, direction)
        n = (~np.isnan(x)).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (_min_ranks(x) - 1) / np.where(n > 1, n - 1, np.nan)

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        x, r = _oriented(values, direction), _oriented(reference, direction)
        ranks, n = _ranks_against(x, r)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (ranks - 1) / np.where(n > 1, n - 1, np.nan)


@attrs.frozen(kw_only=True)
class FractionOfMax(_Relative):
    """``x / max(x)``; with ``direction=-1`` (lower is better), ``min(x) / x``.

    Either way the best entity scores 1 and better is higher. COINr's way for
    direction −1, ``(−x) / max(−x) = x / min(x)``, would give the *worst*
    entity the highest score, so dxplan differs from it there. ``min(x) / x``
    needs values > 0 (an :class:`EvaluationError` otherwise). A column whose
    maximum is 0 scores NaN (COINr: 0/0 = NaN for the zeros, −Inf for
    negative values), and so does one whose divisor is so near 0 that a
    score would leave the float range (R gives ±Inf there).
    """

    kind: ClassVar[str] = "fraction-of-max"

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        return self.apply_against(values, values, direction)

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        x = np.asarray(values, dtype=np.float64)
        ref = np.asarray(reference, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            if direction == -1:
                bad = np.concatenate([x[x <= 0], ref[ref <= 0]])
                if bad.size:
                    shown = ", ".join(f"{v:g}" for v in np.unique(bad)[:5])
                    raise EvaluationError(
                        f"fraction of max with direction -1 scores min(x)/x and needs "
                        f"values > 0 (found {shown})"
                    )
                out = _nanextreme(ref, maximum=False) / x
            else:
                hi = _nanextreme(ref, maximum=True)
                out = x / np.where(hi != 0, hi, np.nan)
        # A divisor so near 0 that a quotient leaves the float range is treated as 0 is:
        # the column has no score, rather than an infinity that poisons every aggregate.
        overflowed = (np.isinf(out) & np.isfinite(x)).any(axis=0)
        return np.asarray(np.where(overflowed, np.nan, out), dtype=np.float64)


@attrs.frozen(kw_only=True)
class DistanceToMax(_Relative):
    """``1 − (max − x)/(max − min)``; a column with no range scores NaN."""

    kind: ClassVar[str] = "distance-to-max"

    def apply(self, values: FloatArray, direction: int = 1) -> FloatArray:
        return self.apply_against(values, values, direction)

    def apply_against(
        self, values: FloatArray, reference: FloatArray, direction: int = 1
    ) -> FloatArray:
        x, r = _oriented(values, direction), _oriented(reference, direction)
        lo, hi = _nanextreme(r, maximum=False), _nanextreme(r, maximum=True)
        below, span = _distance_and_span(hi, x, lo, hi)
        return 1 - below / span


def _distance_and_span(
    a: FloatArray, b: FloatArray, lo: FloatArray, hi: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``a − b`` and ``hi − lo`` (NaN when ``hi`` is not above ``lo``), without overflow.

    Where ``hi − lo`` overflows (values near ±1e308) both are taken in halves,
    which keeps their ratio; elsewhere they are exact as written, subnormal
    ranges included.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        span, distance = hi - lo, a - b
        huge = np.isinf(span) & (hi > lo)
        if huge.any():
            span = np.where(huge, 0.5 * hi - 0.5 * lo, span)
            distance = np.where(huge, 0.5 * a - 0.5 * b, distance)
    return distance, np.where(hi > lo, span, np.nan)


#: Columns whose largest magnitude is beyond this are scaled down before a
#: rule that squares or subtracts them (z-scores), so nothing overflows.
_SAFE_MAGNITUDE = 2.0**500


def _safely_scaled(x: FloatArray, reference: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``x`` and ``reference`` divided, per column, by one power of two when they are huge.

    A z-score does not change when a column and its reference are scaled
    alike, and scaling by a power of two is exact, so ordinary columns are
    untouched and huge ones (near ±1e308) give the z-scores they would
    without overflow.
    """
    with np.errstate(invalid="ignore"):
        magnitude = np.maximum(
            np.nanmax(np.abs(x), axis=0, initial=0.0),
            np.nanmax(np.abs(reference), axis=0, initial=0.0),
        )
    huge = magnitude > _SAFE_MAGNITUDE
    if not huge.any():
        return x, reference
    _, exponent = np.frexp(np.where(huge, magnitude, 1.0))
    shift = np.where(huge, -exponent, 0)
    return (
        np.asarray(np.ldexp(x, shift), dtype=np.float64),
        np.asarray(np.ldexp(reference, shift), dtype=np.float64),
    )


#: Every rule by the name an index file uses for it.
RULES: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (
        Identity,
        Ratio,
        Steps,
        Categories,
        Goalposts,
        DistanceToTarget,
        MinMax,
        ZScore,
        Rank,
        PercentileRank,
        FractionOfMax,
        DistanceToMax,
    )
}
