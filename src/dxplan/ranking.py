"""Ranks with explicit tie rules, the way composite indices are published.

Highest value first. Ties share the lowest rank and the next rank is skipped
(``competition``: 1, 2, 2, 4), which is how the DTI is published; ``dense``
(1, 2, 2, 3) and ``ordinal`` (1, 2, 3, 4, ties broken by entity id) on request.
When ``decimals`` is given, ties are judged after rounding to that precision
(the published one). NaN gets no rank and does not count.

>>> rank({"a": 0.5, "b": 0.7, "c": 0.5, "d": 0.1})
{'a': 2, 'b': 1, 'c': 2, 'd': 4}
>>> rank({"a": 0.5, "b": 0.7, "c": 0.5, "d": 0.1}, method="dense")
{'a': 2, 'b': 1, 'c': 2, 'd': 3}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal, overload

import attrs
import numpy as np
import numpy.typing as npt

from dxplan.errors import InvalidValueError

__all__ = ["RankChange", "RankMethod", "rank", "rank_array", "rank_changes"]

RankMethod = Literal["competition", "dense", "ordinal"]
FloatArray = npt.NDArray[np.float64]
_METHODS = ("competition", "dense", "ordinal")


def rank_array(
    values: npt.ArrayLike,
    *,
    method: RankMethod = "competition",
    decimals: int | None = None,
    tiebreak: npt.ArrayLike | None = None,
) -> FloatArray:
    """Rank along the last axis; any leading axes (draws, nodes) are ranked independently.

    Args:
        values: scores, shape ``(..., entities)``; NaN gets no rank.
        method: ``"competition"``, ``"dense"`` or ``"ordinal"``.
        decimals: judge ties after rounding to this many decimals.
        tiebreak: for ``"ordinal"``, an integer key per entity (lower first);
            the entity's position when not given.

    Returns:
        Ranks as floats (1 is best) with NaN where the value is NaN.
    """
    if method not in _METHODS:
        raise InvalidValueError("method", method, "one of " + ", ".join(_METHODS))
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 0:
        raise InvalidValueError("values", values, "an array with an entity axis")
    if decimals is not None:
        v = np.round(v, decimals)
    n = v.shape[-1]
    missing = np.isnan(v)
    positions = np.arange(1, n + 1, dtype=np.float64)
    if v.ndim > 1:
        positions = np.broadcast_to(positions, v.shape)
    if method == "ordinal":
        tie = np.broadcast_to(np.arange(n) if tiebreak is None else np.asarray(tiebreak), v.shape)
        # lexsort: the last key is the primary one; missing values sort last.
        order = np.lexsort((tie, np.where(missing, 0.0, -v), missing), axis=-1)
        sorted_ranks = positions
    else:
        # Missing values sort last; a tie run's first position is its rank.
        key = np.where(missing, np.inf, -v)
        order = np.argsort(key, axis=-1, kind="stable")
        sorted_key = key[order] if v.ndim == 1 else np.take_along_axis(key, order, axis=-1)
        new = np.ones(v.shape, dtype=bool)
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
