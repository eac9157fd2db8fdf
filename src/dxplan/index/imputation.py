"""Imputation: fill missing values, flag each one, never overwrite the raw data.

``impute(data, method=…)`` returns an :class:`ImputationResult` whose
``data`` holds the filled values with an ``imputed`` mask (shown by
:meth:`IndexResult.explain` and :meth:`PanelResult.explain_change`) and whose
``raw`` is the input, untouched. Methods follow COINr's ``i_*`` functions and
``impute_panel``:

- ``"mean"`` / ``"median"``: the component's mean or median over the
  entities with a value (COINr ``i_mean``, ``i_median``); on a panel each
  period on its own, as COINr imputes each coin of a purse.
- ``"group-mean"`` / ``"group-median"``: the same within the entity's group
  (an attribute such as ``GDPpc_group``; COINr ``i_mean_grp``,
  ``i_median_grp``); an entity without a group is left alone
  (``skip_f_na = TRUE``).
- ``"locf"``: the last earlier observation of the same entity (COINr
  ``impute_panel(imp_type = "latest")``), at most ``max_periods`` back.
- ``"linear"``: linear interpolation along numeric periods, the nearest
  observation outside the observed range (``imp_type = "linear"``, i.e.
  ``stats::approx(rule = 2)``).
- a function ``f(column) -> column`` of one component's values (one period),
  which must return every observed value unchanged.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._display import Displayable
from dxplan.errors import ConstructionError, InvalidValueError
from dxplan.index._steps import Data, StepTable, table
from dxplan.index.data import IndexData

if TYPE_CHECKING:
    pass

__all__ = ["METHODS", "ImputationResult", "Method", "impute"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Method = Literal["mean", "median", "group-mean", "group-median", "locf", "linear"]
#: The named methods.
METHODS: tuple[str, ...] = ("mean", "median", "group-mean", "group-median", "locf", "linear")
ColumnFunction = Callable[[FloatArray], "npt.ArrayLike"]


@attrs.frozen(kw_only=True, eq=False)
class ImputationResult(Displayable, Generic[Data]):
    """Imputed data, the raw data it came from, and a per-component table.

    Attributes:
        raw: the input data, unchanged.
        data: the imputed data; ``data.imputed`` marks every imputed value.
        method: the method's name (``"function"`` for a user function).
        group: the attribute grouping entities, for the group methods.
        table: per component: ``missing`` before, ``imputed``, ``still_missing``.
    """

    raw: Data
    data: Data
    method: str
    group: str | None
    table: StepTable

    @property
    def count(self) -> int:
        """How many values were imputed."""
        return int(np.sum(self.mask))

    @property
    def mask(self) -> BoolArray:
        """``True`` where this step imputed a value (same shape as the values)."""
        return np.isnan(self.raw.values) & ~np.isnan(self.data.values)

    def params(self) -> dict[str, object]:
        """The step's parameters, as a pipeline records them."""
        return {"method": self.method, "group": self.group}

    def __repr__(self) -> str:
        return f"ImputationResult({self.method!r}, {self.count} values imputed)"


def impute(
    data: Data,
    method: Method | ColumnFunction = "mean",
    *,
    group: str | None = None,
    components: Sequence[str] | None = None,
    max_periods: int | None = None,
) -> ImputationResult[Data]:
    """Fill missing values of ``data`` (see the module docs for the methods).

    Args:
        data: a cross-section or a panel.
        method: a method name, or a function of one component's column.
        group: the entity attribute for ``"group-mean"`` and ``"group-median"``.
        components: only these components (all by default).
        max_periods: for ``"locf"``, look at most this many periods back.

    Raises:
        InvalidValueError: an unknown method, group or component, or a panel
            method on data without periods.
        ConstructionError: a user function changed an observed value or
            returned a column of the wrong length.
    """
    name = "function" if callable(method) else method
    if not callable(method) and method not in METHODS:
        raise InvalidValueError("method", method, "one of " + ", ".join(METHODS) + " or a function")
    if name in ("group-mean", "group-median"):
        if group is None:
            raise InvalidValueError("group", None, f"an entity attribute for {name!r}")
        labels = data.attribute(group)
    elif group is not None:
        raise InvalidValueError("group", group, f"None: method {name!r} does not use groups")
    if name in ("locf", "linear") and data.periods is None:
        raise InvalidValueError("method", name, "a cross-section method: the data has no periods")
    if max_periods is not None and (name != "locf" or max_periods < 1):
        raise InvalidValueError("max_periods", max_periods, "a positive count, with 'locf' only")
    wanted = list(data.components) if components is None else list(components)
    columns = [_component(data, c) for c in wanted]
    raw = data.values
    block = raw[..., columns]
    if callable(method):
        filled = _by_function(block, method, data, wanted)
    elif name in ("mean", "median"):
        filled = _fill_within(block, np.ones(len(data.entities), dtype=np.intp), name)
    elif name in ("group-mean", "group-median"):
        codes = _group_codes(labels)
        filled = _fill_within(block, codes, name.removeprefix("group-"))
    elif name == "locf":
        filled = _locf(block, max_periods)
    else:
        filled = _linear(block, data)
    values = np.array(raw)
    values[..., columns] = filled
    new = np.isnan(raw) & ~np.isnan(values)
    mask = new if data.imputed is None else (data.imputed | new)
    missing = np.isnan(block)
    left = np.isnan(filled)
    axes = tuple(range(block.ndim - 1))
    rows = [
        (c, int(m), int(m - s), int(s))
        for c, m, s in zip(wanted, missing.sum(axis=axes), left.sum(axis=axes), strict=True)
    ]
    return ImputationResult(
        raw=data,
        data=data.with_values(values, imputed=mask),
        method=name,
        group=group,
        table=table(("component", "missing", "imputed", "still_missing"), rows),
    )


def _component(data: IndexData, component: str) -> int:
    try:
        return data.components.index(component)
    except ValueError:
        raise InvalidValueError("components", component, "components of the data") from None


def _group_codes(labels: Sequence[str]) -> npt.NDArray[np.intp]:
    """Group numbers from 1; 0 for an entity without a group (left alone)."""
    known = sorted({label for label in labels if label})
    at = {label: i + 1 for i, label in enumerate(known)}
    return np.array([at.get(label, 0) for label in labels], dtype=np.intp)


def _fill_within(block: FloatArray, codes: npt.NDArray[np.intp], stat: str) -> FloatArray:
    """Fill NaN with the mean or median of its group, along the entity axis (-2)."""
    out = np.array(block)
    for code in np.unique(codes):
        if code == 0:
            continue
        rows = codes == code
        part = block[..., rows, :]
        if stat == "mean":
            present = ~np.isnan(part)
            n = present.sum(axis=-2, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(present, part, 0.0).sum(axis=-2, keepdims=True) / n
        else:
            with warnings.catch_warnings():
                # An all-missing column has no median: it stays missing.
                warnings.simplefilter("ignore", RuntimeWarning)
                value = np.nanmedian(part, axis=-2, keepdims=True)
        out[..., rows, :] = np.where(np.isnan(part), value, part)
    return out


def _locf(block: FloatArray, max_periods: int | None) -> FloatArray:
    """Carry the last observation forward along the period axis (0)."""
    n_periods = block.shape[0]
    steps = np.arange(n_periods).reshape(-1, *([1] * (block.ndim - 1)))
    last = np.where(np.isnan(block), -1, steps)
    last = np.maximum.accumulate(last, axis=0)
    source = np.take_along_axis(block, np.maximum(last, 0), axis=0)
    usable = last >= 0
    if max_periods is not None:
        usable &= steps - last <= max_periods
    return np.where(np.isnan(block) & usable, source, block)


def _linear(block: FloatArray, data: IndexData) -> FloatArray:
    periods = data.periods or ()
    if not all(isinstance(p, int) for p in periods):
        raise ConstructionError(
            f"linear imputation needs numeric periods (years); the data has {list(periods)}"
        )
    t = np.array(periods, dtype=np.float64)
    out = np.array(block)
    missing = np.isnan(block)
    gaps = missing.any(axis=0) & ~missing.all(axis=0)
    for e, c in zip(*np.nonzero(gaps), strict=True):
        series = block[:, e, c]
        seen = ~np.isnan(series)
        # np.interp holds the end values outside the observed range: approx(rule = 2).
        out[:, e, c] = np.where(seen, series, np.interp(t, t[seen], series[seen]))
    return out


def _by_function(
    block: FloatArray, function: ColumnFunction, data: IndexData, components: Sequence[str]
) -> FloatArray:
    out = np.array(block)
    panels = block if block.ndim == 3 else block[None]
    result = out if block.ndim == 3 else out[None]
    for p in range(panels.shape[0]):
        for j, component in enumerate(components):
            column = np.array(panels[p, :, j])
            where = f"component {component!r}" + (
                "" if data.periods is None else f" in period {data.periods[p]!r}"
            )
            try:
                filled = np.asarray(function(column.copy()), dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ConstructionError(
                    f"the imputation function failed on {where}: {exc}"
                ) from exc
            if filled.shape != column.shape:
                raise ConstructionError(
                    f"the imputation function returned shape {filled.shape} for {where}; "
                    f"expected {column.shape}"
                )
            seen = ~np.isnan(column)
            if not np.array_equal(filled[seen], column[seen]):
                raise ConstructionError(
                    f"the imputation function changed an observed value of {where}; "
                    f"expected only missing values to be filled"
                )
            if np.isinf(filled).any():
                raise ConstructionError(
                    f"the imputation function returned an infinite value for {where}"
                )
            result[p, :, j] = filled
    return out
