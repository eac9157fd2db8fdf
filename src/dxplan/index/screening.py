"""Screening: drop entities (and components) with too little data, and say why.

Following COINr's ``Screen`` (``unit_screen = "byNA"``, ``"byzeros"`` or
both): an entity's *availability* is the share of its values present, its
*non-zero share* the share of its present values that are not zero. An
entity below ``min_availability`` (COINr ``dat_thresh``, default 2/3) or
below ``min_nonzero`` (``nonzero_thresh``; not screened unless given) is
dropped, unless forced in; ``force_exclude`` drops an entity whatever its
data. Components are screened the same way afterwards, over the remaining
entities, when ``component_min_availability`` or ``component_min_nonzero``
is given (COINr screens only units). On a panel the shares count every
period together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _validators as v
from dxplan._display import Displayable
from dxplan.errors import InvalidValueError
from dxplan.index._steps import Data, StepTable, table

if TYPE_CHECKING:
    pass

__all__ = ["ScreeningResult", "screen"]

FloatArray = npt.NDArray[np.float64]


@attrs.frozen(kw_only=True, eq=False)
class ScreeningResult(Displayable, Generic[Data]):
    """Screened data and a table of every entity and component with its shares and fate.

    ``table`` columns: ``kind`` (``"entity"``/``"component"``), ``id``,
    ``availability``, ``nonzero``, ``kept``, ``reason``: empty when kept, else
    the rules that dropped it joined by ``+`` (``"availability"``,
    ``"nonzero"``, ``"forced"``).
    """

    raw: Data
    data: Data
    table: StepTable
    min_availability: float | None
    min_nonzero: float | None
    component_min_availability: float | None
    component_min_nonzero: float | None

    @property
    def dropped(self) -> tuple[str, ...]:
        """Ids of the entities dropped."""
        return tuple(str(r["id"]) for r in self.table.where(kind="entity", kept=False))

    @property
    def dropped_components(self) -> tuple[str, ...]:
        """Ids of the components dropped."""
        return tuple(str(r["id"]) for r in self.table.where(kind="component", kept=False))

    def params(self) -> dict[str, object]:
        """The step's parameters, as a pipeline records them."""
        return {
            "min_availability": self.min_availability,
            "min_nonzero": self.min_nonzero,
            "component_min_availability": self.component_min_availability,
            "component_min_nonzero": self.component_min_nonzero,
        }

    def __repr__(self) -> str:
        return (
            f"ScreeningResult({len(self.dropped)} entities and "
            f"{len(self.dropped_components)} components dropped)"
        )


_SHARE = v.fraction.saying("a share between 0 and 1, or None")


def _share(name: str, value: object) -> float | None:
    if value is None:
        return None
    _SHARE.check(name, value)
    return float(value)  # type: ignore[arg-type]  # a number, checked above


def _shares(values: FloatArray, axis: tuple[int, ...]) -> tuple[FloatArray, FloatArray]:
    present = ~np.isnan(values)
    n = present.sum(axis=axis)
    total = np.prod([values.shape[a] for a in axis])
    zeros = (values == 0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return n / total, 1 - zeros / n


def screen(
    data: Data,
    *,
    min_availability: float | None = 2 / 3,
    min_nonzero: float | None = None,
    component_min_availability: float | None = None,
    component_min_nonzero: float | None = None,
    force_include: Sequence[str] = (),
    force_exclude: Sequence[str] = (),
) -> ScreeningResult[Data]:
    """Drop entities, then components, below the thresholds (see the module docs)."""
    thresholds = (
        _share("min_availability", min_availability),
        _share("min_nonzero", min_nonzero),
        _share("component_min_availability", component_min_availability),
        _share("component_min_nonzero", component_min_nonzero),
    )
    for e in (*force_include, *force_exclude):
        data.position(e)
    both = set(force_include) & set(force_exclude)
    if both:
        raise InvalidValueError("force_include", sorted(both), "entities not also forced out")
    rows: list[tuple[str, str, float, float, bool, str]] = []
    entity_axes = (0, 2) if data.periods is not None else (1,)
    avail, nonzero = _shares(data.values, entity_axes)
    kept_entities = []
    for i, e in enumerate(data.entities):
        reasons = []
        if thresholds[0] is not None and avail[i] < thresholds[0]:
            reasons.append("availability")
        if thresholds[1] is not None and not nonzero[i] >= thresholds[1]:
            reasons.append("nonzero")
        if e in force_exclude:
            reasons = ["forced"]
        elif e in force_include and reasons:
            reasons = []
        kept = not reasons
        if kept:
            kept_entities.append(e)
        rows.append(("entity", e, float(avail[i]), float(nonzero[i]), kept, "+".join(reasons)))
    out = data.subset(kept_entities)
    axes = (0, 1) if out.periods is not None else (0,)
    c_avail, c_nonzero = _shares(out.values, axes)
    kept_components = []
    for j, c in enumerate(out.components):
        reasons = []
        if thresholds[2] is not None and c_avail[j] < thresholds[2]:
            reasons.append("availability")
        if thresholds[3] is not None and not c_nonzero[j] >= thresholds[3]:
            reasons.append("nonzero")
        if not reasons:
            kept_components.append(c)
        rows.append(
            (
                "component",
                c,
                float(c_avail[j]),
                float(c_nonzero[j]),
                not reasons,
                "+".join(reasons),
            )
        )
    out = out.select(kept_components)
    return ScreeningResult(
        raw=data,
        data=out,
        table=table(("kind", "id", "availability", "nonzero", "kept", "reason"), rows),
        min_availability=thresholds[0],
        min_nonzero=thresholds[1],
        component_min_availability=thresholds[2],
        component_min_nonzero=thresholds[3],
    )
