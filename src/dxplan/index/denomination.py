"""Denomination: divide components by denominators (GDP, population, area).

``denominate(data, by={"Goods": "GDP"})`` divides each named component by a
denominator column of ``data.denominators`` (or of ``denominators`` given
apart), entity by entity and period by period, times an optional ``scale``
(COINr's ``Denominate``: ``x / den``; a scale of 1 000 gives "per thousand").
A missing or zero denominator leaves the value missing (COINr would give
``Inf`` for a zero); that is counted in the table and warned about.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Generic

import attrs
import numpy as np

from dxplan._display import Displayable
from dxplan._validators import finite_number
from dxplan.errors import InvalidValueError
from dxplan.index._steps import Data, StepTable, table
from dxplan.index.data import IndexData

if TYPE_CHECKING:
    pass

__all__ = ["DenominationResult", "denominate"]


@attrs.frozen(kw_only=True, eq=False)
class DenominationResult(Displayable, Generic[Data]):
    """Denominated data and a table of what was divided by what.

    ``table`` columns: ``component``, ``denominator``, ``scale``, ``divided``
    (values divided), ``lost`` (values left missing for want of a denominator).
    """

    raw: Data
    data: Data
    by: Mapping[str, str]
    scale: float
    table: StepTable

    def params(self) -> dict[str, object]:
        """The step's parameters, as a pipeline records them."""
        return {"by": dict(self.by), "scale": self.scale}

    def __repr__(self) -> str:
        return f"DenominationResult({len(self.by)} components denominated)"


def denominate(
    data: Data,
    by: Mapping[str, str],
    *,
    denominators: IndexData | None = None,
    scale: float = 1.0,
) -> DenominationResult[Data]:
    """Divide each component of ``by`` by its denominator (see the module docs)."""
    den = data.denominators if denominators is None else denominators
    if den is None:
        raise InvalidValueError("denominators", None, "denominator data (GDP, population, …)")
    if den.entities != data.entities or den.periods != data.periods:
        den_rows = [den.position(e) for e in data.entities]
        den = den.subset([den.entities[i] for i in den_rows])
        if den.periods != data.periods:
            raise InvalidValueError("denominators", den, "the same periods as the data")
    finite_number.check("scale", scale)
    if not isinstance(by, Mapping):  # a list of pairs would pass for one
        raise InvalidValueError("by", by, "a mapping {component: denominator}")
    values = np.array(data.values)
    rows = []
    for component, denominator in by.items():
        if component not in data.components:
            raise InvalidValueError("by", component, "components of the data")
        if denominator not in den.components:
            raise InvalidValueError(
                f"by[{component!r}]", denominator, f"one of the denominators {list(den.components)}"
            )
        j = data.components.index(component)
        d = den.values[..., den.components.index(denominator)]
        x = values[..., j]
        usable = ~np.isnan(d) & (d != 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            values[..., j] = np.where(usable, x / np.where(usable, d, 1.0) * scale, np.nan)
        lost = int((~np.isnan(x) & ~usable).sum())
        if lost:
            warnings.warn(
                f"{lost} value(s) of {component!r} have no usable {denominator!r} "
                f"(missing or zero) and become missing",
                stacklevel=2,
            )
        divided = int((~np.isnan(x) & usable).sum())
        rows.append((component, denominator, float(scale), divided, lost))
    return DenominationResult(
        raw=data,
        data=data.with_values(values, imputed=data.imputed),
        by=dict(by),
        scale=float(scale),
        table=table(("component", "denominator", "scale", "divided", "lost"), rows),
    )
