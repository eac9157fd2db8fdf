"""A construction pipeline: screen → denominate → impute → treat → normalise → aggregate.

A :class:`Pipeline` is an immutable list of steps, each a small frozen record
of its parameters (:class:`Screen`, :class:`Denominate`, :class:`Impute`,
:class:`Treat`), and the :class:`~dxplan.index.model.Index` that normalises and
aggregates. :meth:`Pipeline.run` applies them in order and keeps every step's
result; :meth:`Pipeline.replace` swaps one step for a what-if (COINr's
``Regen`` after changing a step), and :meth:`PipelineResult.compare` shows
how the ranks moved.

>>> from dxplan import datasets, indices
>>> base = Pipeline(Impute(method="mean"), Treat(), index=indices.asem())
>>> base.replace("impute", Impute(method="median")).names
('impute', 'treat')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

import attrs

from dxplan.errors import InvalidValueError
from dxplan.index.data import IndexData, PanelData, Period
from dxplan.index.denomination import DenominationResult, denominate
from dxplan.index.imputation import ColumnFunction, ImputationResult, Method, impute
from dxplan.index.model import Index, IndexResult, PanelResult, Reference
from dxplan.index.ranking import RankChange, rank_changes
from dxplan.index.screening import ScreeningResult, screen
from dxplan.index.treatment import TreatmentResult, treat

__all__ = [
    "Denominate",
    "Impute",
    "Pipeline",
    "PipelineResult",
    "Screen",
    "Step",
    "Treat",
]

StepResult = (
    ScreeningResult[IndexData]
    | DenominationResult[IndexData]
    | ImputationResult[IndexData]
    | TreatmentResult[IndexData]
)


class Step(Protocol):
    """One construction step: a name and a pure function of the data."""

    @property
    def name(self) -> str: ...

    def apply(self, data: IndexData) -> StepResult: ...

    def params(self) -> dict[str, object]: ...


def _params(step: object) -> dict[str, object]:
    return {a.name: getattr(step, a.name) for a in attrs.fields(type(step))}  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class Screen:
    """Drop entities (and components) with too little data: see :func:`~.screening.screen`."""

    min_availability: float | None = 2 / 3
    min_nonzero: float | None = None
    component_min_availability: float | None = None
    component_min_nonzero: float | None = None
    force_include: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    force_exclude: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    name = "screen"

    def apply(self, data: IndexData) -> ScreeningResult[IndexData]:
        """Screen ``data``."""
        return screen(data, **_params(self))  # type: ignore[arg-type]

    def params(self) -> dict[str, object]:
        """The parameters."""
        return _params(self)


@attrs.frozen(kw_only=True)
class Denominate:
    """Divide components by denominators: :func:`dxplan.index.denomination.denominate`."""

    by: Mapping[str, str] = attrs.field(converter=dict)
    scale: float = 1.0
    name = "denominate"

    def apply(self, data: IndexData) -> DenominationResult[IndexData]:
        """Denominate ``data``."""
        return denominate(data, self.by, scale=self.scale)

    def params(self) -> dict[str, object]:
        """The parameters."""
        return {"by": dict(self.by), "scale": self.scale}


@attrs.frozen(kw_only=True)
class Impute:
    """Fill missing values: :func:`dxplan.index.imputation.impute`."""

    method: Method | ColumnFunction = "mean"
    group: str | None = None
    max_periods: int | None = None
    name = "impute"

    def apply(self, data: IndexData) -> ImputationResult[IndexData]:
        """Impute ``data``."""
        return impute(data, self.method, group=self.group, max_periods=self.max_periods)

    def params(self) -> dict[str, object]:
        """The parameters."""
        method = self.method if isinstance(self.method, str) else "function"
        return {"method": method, "group": self.group, "max_periods": self.max_periods}


@attrs.frozen(kw_only=True)
class Treat:
    """Treat outliers with COINr's default rule: :func:`dxplan.index.treatment.treat`."""

    skew_threshold: float = 2.0
    kurtosis_threshold: float = 3.5
    max_winsorised: int | None = 5
    transform: Literal["log_CT"] | None = "log_CT"
    skip: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    overrides: Mapping[str, Mapping[str, object]] = attrs.field(factory=dict)
    name = "treat"

    def apply(self, data: IndexData) -> TreatmentResult[IndexData]:
        """Treat ``data``."""
        return treat(data, **_params(self))  # type: ignore[arg-type]

    def params(self) -> dict[str, object]:
        """The parameters."""
        return _params(self)


_ORDER = ("screen", "denominate", "impute", "treat")


def _steps(steps: Sequence[Any]) -> tuple[Step, ...]:
    out = tuple(steps)
    names = [getattr(s, "name", None) for s in out]
    for i, name in enumerate(names):
        if name not in _ORDER:
            raise InvalidValueError(f"steps[{i}]", out[i], "a Screen, Denominate, Impute or Treat")
        if names.index(name) != i:
            raise InvalidValueError(f"steps[{i}]", name, "each step once")
    return out


@attrs.frozen(eq=False, init=False)
class Pipeline:
    """Construction steps in order, then the index (normalise and aggregate).

    Args:
        *steps: the steps, applied in the order given.
        index: the index evaluating the constructed data.
        reference: where relative rules take their references on a panel
            (see :meth:`dxplan.index.model.Index.evaluate`).
    """

    steps: tuple[Step, ...]
    index: Index
    reference: Reference

    def __init__(self, *steps: Step, index: Index, reference: Reference = "period") -> None:
        if not isinstance(index, Index):
            raise InvalidValueError("index", index, "a dxplan Index")
        self.__attrs_init__(_steps(steps), index, reference)

    @property
    def names(self) -> tuple[str, ...]:
        """The steps' names, in order."""
        return tuple(s.name for s in self.steps)

    def describe(self) -> list[dict[str, object]]:
        """Every step with its parameters, then the evaluation (what a what-if changes)."""
        out: list[dict[str, object]] = [{"step": s.name, **s.params()} for s in self.steps]
        out.append(
            {
                "step": "evaluate",
                "index": self.index.title(),
                "reference": self.reference,
            }
        )
        return out

    def replace(self, name: str, step: Step) -> Pipeline:
        """A copy with the step called ``name`` replaced (or added in its place in the order)."""
        if name not in _ORDER or getattr(step, "name", None) != name:
            raise InvalidValueError("step", step, f"a {name!r} step")
        if name in self.names:
            steps = [step if s.name == name else s for s in self.steps]
        else:
            steps = [*self.steps, step]
            steps.sort(key=lambda s: _ORDER.index(s.name))
        return Pipeline(*steps, index=self.index, reference=self.reference)

    def without(self, name: str) -> Pipeline:
        """A copy without the step called ``name``."""
        if name not in self.names:
            raise InvalidValueError("name", name, f"one of the steps {list(self.names)}")
        return Pipeline(
            *[s for s in self.steps if s.name != name], index=self.index, reference=self.reference
        )

    def run(self, data: IndexData) -> PipelineResult:
        """Apply every step, then evaluate the index on the result."""
        results: list[StepResult] = []
        current = data
        for step in self.steps:
            outcome = step.apply(current)
            results.append(outcome)
            current = outcome.data
        evaluated: IndexResult | PanelResult
        if isinstance(current, PanelData):
            evaluated = self.index.evaluate(current, extra="ignore", reference=self.reference)
        elif self.reference == "period":
            evaluated = self.index.evaluate(current, extra="ignore")
        else:
            raise InvalidValueError(
                "reference", self.reference, "'period' for data without periods (not a panel)"
            )
        return PipelineResult(pipeline=self, raw=data, steps=tuple(results), result=evaluated)


@attrs.frozen(kw_only=True, eq=False)
class PipelineResult:
    """Every step's result and the evaluated index."""

    pipeline: Pipeline
    raw: IndexData
    steps: tuple[StepResult, ...]
    result: IndexResult | PanelResult

    @property
    def data(self) -> IndexData:
        """The data after the last step (what the index evaluated)."""
        return self.steps[-1].data if self.steps else self.raw

    def step(self, name: str) -> StepResult:
        """The result of the step called ``name``."""
        for step, outcome in zip(self.pipeline.steps, self.steps, strict=True):
            if step.name == name:
                return outcome
        raise InvalidValueError("name", name, f"one of the steps {list(self.pipeline.names)}")

    def compare(
        self, other: PipelineResult, node: str | None = None, *, period: Period | None = None
    ) -> tuple[RankChange, ...]:
        """How ranks on ``node`` moved from this result to ``other`` (a what-if)."""
        mine, theirs = self.result, other.result
        if isinstance(mine, PanelResult) and isinstance(theirs, PanelResult):
            return rank_changes(mine.rank(node, period=period), theirs.rank(node, period=period))
        if isinstance(mine, IndexResult) and isinstance(theirs, IndexResult):
            return mine.rank_changes(theirs, node)
        raise InvalidValueError("other", other, "a result of the same kind (panel or not)")
