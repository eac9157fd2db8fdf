"""Outlier treatment: COINr's default winsorise-then-log rule, with a per-component table.

For each component (each period of a panel on its own, as COINr treats each
coin of a purse):

1. It *passes* when ``|skewness| < skew_threshold`` or
   ``kurtosis < kurtosis_threshold`` (COINr ``check_SkewKurt``; defaults 2
   and 3.5). A passing component is left as it is.
2. Otherwise it is winsorised (COINr ``winsorise``): while it fails and fewer
   than ``max_winsorised`` points are winsorised, the most extreme value on
   the skewed side (the maximum when the skewness is ≥ 0, else the minimum)
   takes the value of the next one; tied extremes move together, so the count
   may pass the limit by the ties.
3. If it still fails, the winsorisation is undone and ``log_CT`` applied to
   the original values: ``log(x − min + 0.01·(max − min))``.

Skewness and kurtosis are COINr's ``skew`` and ``kurt`` (those of
``e1071::skewness``/``kurtosis`` type 2, as Excel's ``SKEW`` and ``KURT``),
over the values present. Every column is treated at once: the loop runs over
winsorisation rounds, not over components.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _validators as v
from dxplan._display import Displayable
from dxplan.errors import InvalidValueError
from dxplan.index._steps import Data, StepTable, table
from dxplan.index.data import Period

if TYPE_CHECKING:
    pass

__all__ = ["TreatmentResult", "kurtosis", "skewness", "treat"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _moments(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    present = ~np.isnan(x)
    n = present.sum(axis=0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, x, 0.0).sum(axis=0) / n
        d = np.where(present, x - mean, 0.0)
        d2 = d * d
        return n, d2.sum(axis=0), (d2 * d).sum(axis=0), (d2 * d2).sum(axis=0)


def skewness(values: npt.ArrayLike) -> FloatArray:
    """COINr's ``skew`` along axis 0, NaN ignored (NaN with fewer than 3 values or none spread).

    ``sqrt(n)·Σd³/(Σd²)^(3/2) · sqrt(n(n − 1))/(n − 2)`` with ``d = x − mean``;
    for 1, 2, 3, 10: d = −3, −2, −1, 6, so 2 · 180/50^1.5 · √12/2:

    >>> float(skewness([1.0, 2.0, 3.0, 10.0]).round(6))
    1.763633
    """
    x = np.asarray(values, dtype=np.float64)
    n, s2, s3, _ = _moments(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.sqrt(n) * s3 / s2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    return np.asarray(np.where(n >= 3, y, np.nan), dtype=np.float64)


def kurtosis(values: npt.ArrayLike) -> FloatArray:
    """COINr's ``kurt`` along axis 0, NaN ignored (NaN with fewer than 4 values or none spread).

    ``((n + 1)(r − 3) + 6)(n − 1)/((n − 2)(n − 3))`` with ``r = n·Σd⁴/(Σd²)²``.
    """
    x = np.asarray(values, dtype=np.float64)
    n, s2, _, s4 = _moments(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * s4 / (s2 * s2)
        y = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.asarray(np.where(n >= 4, y, np.nan), dtype=np.float64)


@attrs.frozen(kw_only=True, eq=False)
class TreatmentResult(Displayable, Generic[Data]):
    """Treated data, the data it came from, a per-component table and the treated points.

    ``table`` has one row per component (and period of a panel):
    ``skew_before``, ``kurtosis_before``, ``passed_before``, ``winsorised``
    (points changed in the result), ``winsorised_high``/``_low``,
    ``attempted`` (points winsorised before reverting to the transform),
    ``transform`` (``"log_CT"`` or ``""``), ``skew_after``,
    ``kurtosis_after``, ``passed_after``. ``points`` lists every changed
    value as ``(entity, period, component, "winhi" | "winlo" | "log_CT")``.
    """

    raw: Data
    data: Data
    table: StepTable
    points: tuple[tuple[str, Period | None, str, str], ...]
    skew_threshold: float
    kurtosis_threshold: float
    max_winsorised: int | None
    transform: str | None
    overrides: Mapping[str, Mapping[str, object]] = attrs.field(factory=dict)

    def params(self) -> dict[str, object]:
        """The step's parameters, as a pipeline records them."""
        return {
            "skew_threshold": self.skew_threshold,
            "kurtosis_threshold": self.kurtosis_threshold,
            "max_winsorised": self.max_winsorised,
            "transform": self.transform,
            "overrides": {c: dict(v) for c, v in self.overrides.items()},
        }

    @property
    def winsorised(self) -> tuple[str, ...]:
        """Components with winsorised points in the result (any period)."""
        rows = self.table.rows
        j = self.table.columns.index("winsorised")
        return tuple(dict.fromkeys(str(r[0]) for r in rows if int(r[j] or 0) > 0))

    @property
    def transformed(self) -> tuple[str, ...]:
        """Components log-transformed (any period)."""
        j = self.table.columns.index("transform")
        return tuple(dict.fromkeys(str(r[0]) for r in self.table.rows if r[j]))

    def __repr__(self) -> str:
        return (
            f"TreatmentResult({len(self.winsorised)} winsorised, "
            f"{len(self.transformed)} transformed)"
        )


def treat(
    data: Data,
    *,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
    max_winsorised: int | None = 5,
    transform: Literal["log_CT"] | None = "log_CT",
    components: Sequence[str] | None = None,
    skip: Sequence[str] = (),
    overrides: Mapping[str, Mapping[str, object]] | None = None,
) -> TreatmentResult[Data]:
    """Treat outliers with COINr's default rule (see the module docs).

    Args:
        data: a cross-section or a panel (each period treated on its own).
        skew_threshold: the absolute skewness a component may reach (COINr 2).
        kurtosis_threshold: the kurtosis it may reach together with it (3.5).
        max_winsorised: the most points to winsorise (5); ``None``: no limit.
        transform: ``"log_CT"`` for components still failing after
            winsorisation, or ``None`` to keep the winsorised values.
        components: only these components (all by default).
        skip: components left untreated (COINr's ``indiv_specs = "none"``).
        overrides: other settings for some components, e.g.
            ``{"Gas": {"max_winsorised": 2, "transform": None}}`` (COINr's
            ``indiv_specs``); the keys are the four settings above.
    """
    defaults: dict[str, object] = {
        "skew_threshold": skew_threshold,
        "kurtosis_threshold": kurtosis_threshold,
        "max_winsorised": max_winsorised,
        "transform": transform,
    }
    _check_settings(defaults, "")
    wanted = [c for c in (data.components if components is None else components) if c not in skip]
    for c in [*wanted, *skip, *(overrides or {})]:
        if c not in data.components:
            raise InvalidValueError("components", c, "components of the data")
    settings = []
    for c in wanted:
        own = dict((overrides or {}).get(c, {}))
        for key in own:
            if key not in defaults:
                raise InvalidValueError(f"overrides[{c!r}]", key, "one of " + ", ".join(defaults))
        merged = {**defaults, **own}
        _check_settings(merged, f"overrides[{c!r}].")
        settings.append(merged)
    at = [data.components.index(c) for c in wanted]
    block = data.values[..., at]
    periods: Sequence[Period | None] = (None,) if data.periods is None else data.periods
    n_e, n_c = len(data.entities), len(wanted)
    # Columns = (period, component) pairs, entities along axis 0.
    x0 = np.moveaxis(block if data.periods is not None else block[None], 1, 0).reshape(n_e, -1)
    n_p = len(periods)

    def per_column(key: str, convert: Any) -> npt.NDArray[Any]:
        return np.tile(np.array([convert(m[key]) for m in settings]), n_p)

    x, stats = _treat_columns(
        x0,
        per_column("skew_threshold", float),
        per_column("kurtosis_threshold", float),
        per_column("max_winsorised", lambda v: np.inf if v is None else float(v)),
        per_column("transform", lambda v: v is not None).astype(bool),
    )
    treated = np.moveaxis(x.reshape(n_e, len(periods), n_c), 0, 1)
    values = np.array(data.values)
    values[..., at] = treated if data.periods is not None else treated[0]
    rows = []
    points: list[tuple[str, Period | None, str, str]] = []
    for k in range(x.shape[1]):
        p, j = divmod(k, n_c)
        s = {name: column[k] for name, column in stats.items() if column.ndim == 1}
        rows.append(
            (
                wanted[j],
                periods[p],
                float(s["skew_before"]),
                float(s["kurtosis_before"]),
                bool(s["passed_before"]),
                int(s["winsorised_high"] + s["winsorised_low"]),
                int(s["winsorised_high"]),
                int(s["winsorised_low"]),
                int(s["attempted"]),
                "log_CT" if s["transformed"] else "",
                float(s["skew_after"]),
                float(s["kurtosis_after"]),
                bool(s["passed_after"]),
            )
        )
        for i in np.flatnonzero(stats["high_mask"][:, k]):
            points.append((data.entities[i], periods[p], wanted[j], "winhi"))
        for i in np.flatnonzero(stats["low_mask"][:, k]):
            points.append((data.entities[i], periods[p], wanted[j], "winlo"))
        if s["transformed"]:
            for i in np.flatnonzero(~np.isnan(x0[:, k])):
                points.append((data.entities[i], periods[p], wanted[j], "log_CT"))
    columns = (
        "component",
        "period",
        "skew_before",
        "kurtosis_before",
        "passed_before",
        "winsorised",
        "winsorised_high",
        "winsorised_low",
        "attempted",
        "transform",
        "skew_after",
        "kurtosis_after",
        "passed_after",
    )
    return TreatmentResult(
        raw=data,
        data=data.with_values(values, imputed=data.imputed),
        table=table(columns, rows),
        points=tuple(points),
        skew_threshold=float(skew_threshold),
        kurtosis_threshold=float(kurtosis_threshold),
        max_winsorised=max_winsorised,
        transform=transform,
        overrides={c: dict(v) for c, v in (overrides or {}).items()},
    )


_max_winsorised = v.optional(v.non_negative_int).saying("a count ≥ 0, or None")
_transform = v.one_of(("log_CT", None))


def _check_settings(settings: Mapping[str, object], where: str) -> None:
    for name in ("skew_threshold", "kurtosis_threshold"):
        v.finite_number.check(where + name, settings[name])
    _max_winsorised.check(where + "max_winsorised", settings["max_winsorised"])
    _transform.check(where + "transform", settings["transform"])


def _passes(
    x: FloatArray, skew_limit: FloatArray, kurt_limit: FloatArray
) -> tuple[BoolArray, BoolArray]:
    """``(passes, defined)``: COINr's check, and whether skewness and kurtosis exist."""
    sk, kt = skewness(x), kurtosis(x)
    defined = ~(np.isnan(sk) | np.isnan(kt))
    with np.errstate(invalid="ignore"):
        passes = (np.abs(sk) < skew_limit) | (kt < kurt_limit)
    return passes | ~defined, defined


def _treat_columns(
    x0: FloatArray,
    skew_limit: FloatArray,
    kurt_limit: FloatArray,
    limit: FloatArray,
    transform: BoolArray,
) -> tuple[FloatArray, dict[str, npt.NDArray[np.generic]]]:
    """Treat every column of ``x0`` (entities × columns, each with its own settings)."""
    x = np.array(x0)
    n_cols = x.shape[1]
    skew_before, kurt_before = skewness(x), kurtosis(x)
    passing, defined = _passes(x, skew_limit, kurt_limit)
    passed_before = passing & defined
    high = np.zeros(x.shape, dtype=bool)
    low = np.zeros(x.shape, dtype=bool)
    count = np.zeros(n_cols, dtype=np.intp)
    active = ~passing
    while True:
        go = active & ~passing & (count < limit)
        if not go.any():
            break
        cols = np.flatnonzero(go)
        part = x[:, cols]
        up = skewness(part) >= 0
        with np.errstate(invalid="ignore"):
            top = np.where(up, np.fmax.reduce(part, axis=0), np.fmin.reduce(part, axis=0))
            extreme = part == top
            rest = np.where(extreme, np.nan, part)
            nearest = np.where(up, np.fmax.reduce(rest, axis=0), np.fmin.reduce(rest, axis=0))
        part = np.where(extreme, nearest, part)
        x[:, cols] = part
        # COINr counts the points now at the extreme (earlier ones are tied to it) plus
        # those of the last round on the other side.
        high[:, cols] = np.where(up, extreme, high[:, cols])
        low[:, cols] = np.where(up, low[:, cols], extreme)
        count[cols] = high[:, cols].sum(axis=0) + low[:, cols].sum(axis=0)
        now, _ = _passes(part, skew_limit[cols], kurt_limit[cols])
        passing[cols] = now
    attempted = np.where(active & ~passing, count, 0)
    transformed = active & ~passing & transform
    if transformed.any():
        cols = np.flatnonzero(transformed)
        original = x0[:, cols]
        lo, hi = np.fmin.reduce(original, axis=0), np.fmax.reduce(original, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            x[:, cols] = np.log(original - lo + 0.01 * (hi - lo))
        high[:, cols] = False
        low[:, cols] = False
    passed_after, _ = _passes(x, skew_limit, kurt_limit)
    _, defined_after = _passes(x, skew_limit, kurt_limit)
    return x, {
        "skew_before": skew_before,
        "kurtosis_before": kurt_before,
        "passed_before": passed_before,
        "winsorised_high": high.sum(axis=0),
        "winsorised_low": low.sum(axis=0),
        "attempted": attempted,
        "transformed": transformed,
        "skew_after": skewness(x),
        "kurtosis_after": kurtosis(x),
        "passed_after": passed_after & defined_after,
        "high_mask": high,
        "low_mask": low,
    }
