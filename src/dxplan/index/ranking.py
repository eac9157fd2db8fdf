"""Ranks with explicit tie rules, the way composite indices are published.

Highest value first. Ties share the lowest rank and the next rank is skipped
(``competition``: 1, 2, 2, 4), which is how the DTI is published; ``dense``
(1, 2, 2, 3) and ``ordinal`` (1, 2, 3, 4, ties broken by entity id) on request.
When ``decimals`` is given, ties are judged after rounding to that precision
(the published one), half away from zero on the decimal value as written
(:func:`round_half_up`: 0.12345 → 0.1235, as a reader rounding the printed
number would). With ``rtol``, values closer than ``rtol`` × the largest
magnitude ranked tie too (neighbours in sorted order, so a run of close values
ties as one group): an index's scores use it so that float sums of the same
terms in another order (one ulp apart) share a rank. NaN gets no rank and does
not count.

>>> rank({"a": 0.5, "b": 0.7, "c": 0.5, "d": 0.1})
{'a': 2, 'b': 1, 'c': 2, 'd': 4}
>>> rank({"a": 0.5, "b": 0.7, "c": 0.5, "d": 0.1}, method="dense")
{'a': 2, 'b': 1, 'c': 2, 'd': 3}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, overload

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._validators import number, whole
from dxplan.errors import InvalidValueError

__all__ = [
    "SCORE_RTOL",
    "RankChange",
    "RankMethod",
    "rank",
    "rank_array",
    "rank_changes",
    "round_half_up",
]

RankMethod = Literal["competition", "dense", "ordinal"]
FloatArray = npt.NDArray[np.float64]
_METHODS = ("competition", "dense", "ordinal")

#: Relative tolerance under which an index's scores tie (:meth:`~.model.Index.rank_scores`).
#: Sums of the same n terms in two orders differ by about n × 1e-16 of the total;
#: no published index shows more than six or seven significant digits.
SCORE_RTOL = 1e-9


_DECIMALS = whole(at_least=-15, at_most=15)
_RTOL = number(at_least=0)


def round_half_up(values: npt.ArrayLike, decimals: int) -> FloatArray:
    """Round to ``decimals`` places, half away from zero, on the decimal value as written.

    In floats 0.12345 × 10⁴ is 1234.4999…, so ``np.round`` gives 0.1234; a
    reader rounding the printed 0.12345 writes 0.1235, and so does this
    function (``Decimal(repr(x)).quantize(…, ROUND_HALF_UP)``). Only values
    within a millionth of a half at that precision take the decimal path;
    elsewhere binary and decimal rounding agree.

    >>> round_half_up([0.12345, 0.1235, -0.00005, 2.5], 4).tolist()
    [0.1235, 0.1235, -0.0001, 2.5]
    """
    v = np.array(values, dtype=np.float64)
    _DECIMALS.check("decimals", decimals)
    scaled = np.abs(v) * 10.0**decimals
    out = np.round(v, decimals)
    # Past 2**52 a float has no digit left at this precision to round (NaN and ±inf too).
    exact = ~(scaled < 2.0**52)
    if exact.any():
        out = np.where(exact, v, out)
        scaled = np.where(exact, 0.0, scaled)
    near = (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6) | (scaled > 1e9)
    if near.any():
        quantum = Decimal(1).scaleb(-decimals)
        out[near] = [
            float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))
            for x in v[near].tolist()
        ]
    return np.asarray(out, dtype=np.float64)


def rank_array(
    values: npt.ArrayLike,
    *,
    method: RankMethod = "competition",
    decimals: int | None = None,
    tiebreak: npt.ArrayLike | None = None,
    rtol: float = 0.0,
) -> FloatArray:
    """Rank along the last axis; any leading axes (draws, nodes) are ranked independently.

    Args:
        values: scores, shape ``(..., entities)``; NaN gets no rank.
        method: ``"competition"``, ``"dense"`` or ``"ordinal"``.
        decimals: judge ties after rounding to this many decimals
            (:func:`round_half_up`).
        tiebreak: for ``"ordinal"``, an integer key per entity (lower first);
            the entity's position when not given.
        rtol: values whose gap to their neighbour in sorted order is at most
            ``rtol`` × the largest magnitude ranked (per row) tie.

    Returns:
        Ranks as floats (1 is best) with NaN where the value is NaN.
    """
    if method not in _METHODS:
        raise InvalidValueError("method", method, "one of " + ", ".join(_METHODS))
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 0:
        raise InvalidValueError("values", values, "an array with an entity axis")
    if decimals is not None:
        v = round_half_up(v, decimals)
    _RTOL.check("rtol", rtol)
    n = v.shape[-1]
    missing = np.isnan(v)
    positions = np.arange(1, n + 1, dtype=np.float64)
    if v.ndim > 1:
        positions = np.broadcast_to(positions, v.shape)
    if method == "ordinal":
        tie = np.broadcast_to(np.arange(n) if tiebreak is None else np.asarray(tiebreak), v.shape)
        # Within the tolerance values are equal: order by their shared rank, then the tie key.
        primary = rank_array(v, rtol=rtol) if rtol else np.where(missing, 0.0, -v)
        # lexsort: the last key is the primary one; missing values sort last.
        order = np.lexsort((tie, np.where(missing, 0.0, primary), missing), axis=-1)
        sorted_ranks = positions
    else:
        # Missing values sort last; a tie run's first position is its rank.
        key = np.where(missing, np.inf, -v)
        order = np.argsort(key, axis=-1, kind="stable")
        sorted_key = key[order] if v.ndim == 1 else np.take_along_axis(key, order, axis=-1)
        new = np.ones(v.shape, dtype=bool)
        if rtol:
            ends = np.abs(sorted_key[..., :: max(n - 1, 1)])  # the first and last sorted keys
            if np.isfinite(ends).all():
                # All finite: the largest magnitude is at one end of the sorted keys.
                scale = ends.max(axis=-1, keepdims=True, initial=0.0)
                new[..., 1:] = sorted_key[..., 1:] - sorted_key[..., :-1] > rtol * scale
            else:
                finite = np.isfinite(v)
                scale = np.max(
                    np.where(finite, np.abs(v), 0.0), axis=-1, keepdims=True, initial=0.0
                )
                with np.errstate(invalid="ignore"):
                    # inf − inf (equal infinities, or two missing) is NaN: one run, as with !=.
                    gap = sorted_key[..., 1:] - sorted_key[..., :-1]
                    new[..., 1:] = gap > rtol * scale
        else:
            new[..., 1:] = sorted_key[..., 1:] != sorted_key[..., :-1]
        if method == "competition":
            sorted_ranks = np.maximum.accumulate(np.where(new, positions, 0.0), axis=-1)
        else:
            sorted_ranks = np.cumsum(new, axis=-1, dtype=np.float64)
    ranks = np.empty(v.shape, dtype=np.float64)
    if v.ndim == 1:
        ranks[order] = sorted_ranks
    else:
        np.put_along_axis(ranks, order, sorted_ranks, axis=-1)
    ranks[missing] = np.nan
    return ranks


@overload
def rank(
    values: Mapping[str, float],
    *,
    method: RankMethod = ...,
    decimals: int | None = ...,
) -> dict[str, int | None]: ...
@overload
def rank(
    values: npt.ArrayLike,
    *,
    method: RankMethod = ...,
    decimals: int | None = ...,
) -> FloatArray: ...
def rank(
    values: Mapping[str, float] | npt.ArrayLike,
    *,
    method: RankMethod = "competition",
    decimals: int | None = None,
) -> dict[str, int | None] | FloatArray:
    """Rank entities, highest value first.

    A mapping of entity id to value gives a dict of entity id to rank (``None``
    for a missing value), with ``ordinal`` ties broken by entity id. An array
    gives an array ranked along its last axis (see :func:`rank_array`), with
    ``ordinal`` ties broken by position.
    """
    if isinstance(values, Mapping):
        ids = list(values)
        by_id = np.argsort(np.array(ids, dtype=object), kind="stable")
        tiebreak = np.empty(len(ids), dtype=np.int64)
        tiebreak[by_id] = np.arange(len(ids))
        raw = np.array([_as_float(values[i]) for i in ids], dtype=np.float64)
        ranks = rank_array(raw, method=method, decimals=decimals, tiebreak=tiebreak)
        return {i: (None if math.isnan(r) else int(r)) for i, r in zip(ids, ranks, strict=True)}
    return rank_array(values, method=method, decimals=decimals)


def _as_float(value: float | None) -> float:
    return math.nan if value is None else float(value)


@attrs.frozen(kw_only=True)
class RankChange:
    """How one entity's rank moved; ``change`` > 0 means it climbed."""

    entity: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost (negative); ``None`` if either rank is missing."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


def rank_changes(
    before: Mapping[str, int | None], after: Mapping[str, int | None]
) -> tuple[RankChange, ...]:
    """Rank moves of every entity in either ranking, biggest climbs first, then by id."""
    entities = list(dict.fromkeys([*before, *after]))
    changes = [RankChange(entity=e, before=before.get(e), after=after.get(e)) for e in entities]
    return tuple(sorted(changes, key=lambda c: (c.change is None, -(c.change or 0), c.entity)))
