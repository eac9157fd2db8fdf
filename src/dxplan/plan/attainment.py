"""Target attainment and progress status: is the plan on track?

Attainment ``a`` of a target T (baseline B optional) by an observed value x,
both in the indicator's unit (DESIGN.md §5):

- higher is better (``>=``, ``>``): ``clip((x − B)/(T − B), 0, 1)`` with a
  baseline, else ``clip(x/T, 0, 1)``;
- lower is better (``<=``, ``<``): ``clip((B − x)/(B − T), 0, 1)`` with a
  baseline, else ``clip(T/x, 0, 1)``;
- ``rank<=`` N among M (``Target.out_of``): met when rank ≤ N, else
  ``clip((M − rank)/(M − N), 0, 1)`` (``clip(N/rank, 0, 1)`` when M is unknown).

``a == 1`` exactly when the target is met: an unmet value whose formula gives
1 or more (x = 10 for "above 10 %") scores :data:`BELOW_ONE`, the largest float
below 1. A baseline on the far side of the target (B ≥ T when higher is better)
says nothing about the path and is ignored; a ratio form with a target ≤ 0 is
undefined, so such a target scores 1 when met and 0 otherwise.

Progress status follows the Open SDG / Statistics Canada progress measure:
``R = CAGR_actual / CAGR_required`` from the first observation (to the latest
for the actual rate, to the deadline for the required one). Both rates are
signed, so the ratio reads the same whether the target asks for a rise or a
fall. Where a growth rate is undefined (a value ≤ 0) linear rates (units per
year) are used instead, and the result says so; ranks always use linear rates,
places gained per year against places needed per year, because growth rates of
positions in a ranking mean nothing.

:func:`assess` rolls attainment up from targets to indicators, groups, tasks
and the plan into an :class:`AttainmentReport`.
"""

from __future__ import annotations

import enum
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from dxplan import _validators as v
from dxplan._display import Displayable, text
from dxplan._extras import import_pandas
from dxplan.errors import (
    InvalidValueError,
    ObservationError,
    Problem,
)
from dxplan.plan.model import Comparator, Indicator, Plan, Target, _find
from dxplan.plan.observations import Observation, Observations, _no_observation_for, convert
from dxplan.text import Label, Language
from dxplan.units import RANK, Unit

if TYPE_CHECKING:
    import pandas

    from dxplan.index.model import IndexResult

__all__ = [
    "BELOW_ONE",
    "AttainmentReport",
    "GroupResult",
    "IndicatorResult",
    "Missing",
    "Policy",
    "Progress",
    "Projection",
    "ProjectionMethod",
    "Status",
    "TargetResult",
    "TaskResult",
    "assess",
    "combine",
    "progress",
    "project",
    "rank_observation",
    "target_attainment",
    "target_gap",
]

BELOW_ONE = math.nextafter(1.0, 0.0)
"""The attainment of an unmet target whose formula reaches 1: the largest float below 1."""

Policy = Literal["mean", "min"]
"""How the targets of one indicator combine: their mean, or the least of them."""
Missing = Literal["skip", "zero", "fail"]
"""What a target without data counts as: left out (coverage reported), 0, or an error."""
ProjectionMethod = Literal["cagr", "linear"]
"""Projection by compound annual growth rate, or by a least-squares linear trend."""

ON_TRACK = 0.95
"""R at or above this is on track."""
NEEDS_ACCELERATION = 0.6
"""R at or above this (and below :data:`ON_TRACK`) needs acceleration."""


class Status(enum.StrEnum):
    """Where a target stands, from its time series."""

    MET = "met"
    ON_TRACK = "on track"
    NEEDS_ACCELERATION = "needs acceleration"
    LIMITED_PROGRESS = "limited progress"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient data"
    """One observation only (or no deadline): no rate can be measured."""
    NO_DATA = "no data"

    def label(self, lang: Language = "vi") -> str:
        """The status in ``lang``, from the phrasebook (:mod:`dxplan.render`)."""
        return text(self, "label", lang)

    @property
    def severity(self) -> int:
        """0 for met, larger for worse; unknown statuses sort after known good ones."""
        return _SEVERITY[self]


_SEVERITY = {
    Status.MET: 0,
    Status.ON_TRACK: 1,
    Status.INSUFFICIENT_DATA: 2,
    Status.NEEDS_ACCELERATION: 3,
    Status.LIMITED_PROGRESS: 4,
    Status.DETERIORATION: 5,
    Status.NO_DATA: 6,
}
_PROJECTIONS = v.one_of(("cagr", "linear"))
_POLICIES = v.one_of(("mean", "min"))
_MISSING = v.one_of(("skip", "zero", "fail"))
_AS_OF = v.optional(v.year).saying("a year (1900–2200) or None")


# Attainment of one target ------------------------------------------------------


def _formula(target: Target, x: float) -> float:
    t = target.value
    b = target.baseline
    comparator = target.comparator
    if comparator.is_rank:
        m = target.out_of
        if m is None:
            return t / x if x > 0 else 0.0
        return (m - x) / (m - t) if m > t else 0.0
    if comparator.higher_is_better:
        if b is not None and b < t:
            return (x - b) / (t - b)
        return x / t if t > 0 else 0.0
    if b is not None and b > t:
        return (b - x) / (b - t)
    # Unmet here means x >= t; x > 0 whenever t > 0.
    return t / x if t > 0 and x > 0 else 0.0


def target_attainment(target: Target, observed: float) -> float:
    """How far ``observed`` goes towards ``target``, in [0, 1]; 1 exactly when met.

    ``observed`` is in the target's unit (the indicator's, unless
    ``target.unit`` says otherwise).

    >>> target_attainment(Target(comparator=">=", value=25), 22)
    0.88
    >>> target_attainment(Target(comparator=">", value=10), 10) == BELOW_ONE
    True
    >>> round(target_attainment(Target(comparator="rank<=", value=5, out_of=63), 9), 4)
    0.931
    """
    x = v.to_finite("observed", observed)
    if target.is_met(x):
        return 1.0
    a = _formula(target, x)
    if math.isnan(a):
        return 0.0
    return max(0.0, min(a, BELOW_ONE))


def _exact_difference(a: float, b: float) -> float:
    """``a − b`` as written in decimal (25 − 21.9 is 3.1, not 3.1000000000000014)."""
    return float(Decimal(repr(a)) - Decimal(repr(b)))


def target_gap(target: Target, observed: float) -> float:
    """How far ``observed`` is short of ``target``, in the target's unit; 0 when met.

    Higher is better: T − x; lower is better: x − T; ranks: places to gain.
    A value on the boundary of a strict comparator is 0 short but not met.

    >>> target_gap(Target(comparator=">=", value=25), 21.9)
    3.1
    """
    x = v.to_finite("observed", observed)
    if target.is_met(x):
        return 0.0
    if target.comparator.higher_is_better:
        return max(_exact_difference(target.value, x), 0.0)
    return max(_exact_difference(x, target.value), 0.0)


def combine(values: Iterable[float], policy: Policy = "mean") -> float:
    """The mean (exactly rounded, so independent of order) or the minimum of ``values``.

    >>> combine([1.0, 0.5]), combine([1.0, 0.5], "min")
    (0.75, 0.5)
    """
    items = [float(value) for value in values]
    if not items:
        raise InvalidValueError("values", items, "at least one value")
    if policy == "min":
        return min(items)
    if policy == "mean":
        return math.fsum(items) / len(items)
    raise InvalidValueError("policy", policy, "'mean' or 'min'")


def _weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Σ w·a / Σ w with exactly rounded sums: the same whatever the order."""
    total = math.fsum(weight for weight, _ in pairs)
    if not pairs or total <= 0:
        return None
    return min(math.fsum(weight * value for weight, value in pairs) / total, 1.0)


def _capped(value: float, all_met: bool) -> float:
    """Keep the law ``a == 1`` ⇔ met after averaging (a mean can round up to 1)."""
    return value if all_met else min(value, BELOW_ONE)


# Time series: projection and progress ------------------------------------------

Point = tuple[int, float]


@attrs.frozen(kw_only=True)
class Projection:
    """A value projected to ``year`` from a time series."""

    year: int
    value: float
    method: ProjectionMethod
    note: str = ""
    """Why the method differs from the one asked for, if it does."""


def _points(points: Iterable[Point]) -> list[Point]:
    ordered = sorted((int(period), v.to_finite("value", value)) for period, value in points)
    periods = [period for period, _ in ordered]
    if len(set(periods)) != len(periods):
        raise InvalidValueError("points", ordered, "at most one value per period")
    return ordered


def _linear_trend(points: Sequence[Point]) -> tuple[float, float]:
    """Least-squares slope and intercept (exactly rounded sums)."""
    n = len(points)
    mean_t = math.fsum(t for t, _ in points) / n
    mean_x = math.fsum(x for _, x in points) / n
    sxx = math.fsum((t - mean_t) ** 2 for t, _ in points)
    sxy = math.fsum((t - mean_t) * (x - mean_x) for t, x in points)
    slope = sxy / sxx
    return slope, mean_x - slope * mean_t


def project(
    points: Iterable[Point],
    year: int,
    *,
    method: ProjectionMethod = "cagr",
    lower: float | None = None,
    upper: float | None = None,
) -> Projection:
    """Project a series of ``(period, value)`` to ``year``.

    ``"cagr"`` compounds the growth rate from the first to the latest value;
    ``"linear"`` extends the least-squares line through every value. Where the
    growth rate is undefined (a value ≤ 0) the linear trend is used and the
    projection's ``note`` says so. ``lower``/``upper`` bound the result (a share
    stays within 0–100 %, a rank at least 1).

    >>> project([(2021, 10.0), (2022, 11.0)], 2024).value
    13.31
    """
    ordered = _points(points)
    if len(ordered) < 2:
        raise InvalidValueError("points", ordered, "at least two values in different periods")
    _PROJECTIONS.check("method", method)
    (t0, x0), (t1, x1) = ordered[0], ordered[-1]
    note = ""
    used: ProjectionMethod = method
    if method == "cagr" and (x0 <= 0 or x1 <= 0):
        used, note = "linear", "growth rate undefined for values <= 0; linear trend used"
    if used == "cagr":
        rate = (x1 / x0) ** (1 / (t1 - t0))
        value = x1 * rate ** (year - t1)
    else:
        slope, intercept = _linear_trend(ordered)
        value = intercept + slope * year
    if lower is not None:
        value = max(value, lower)
    if upper is not None:
        value = min(value, upper)
    return Projection(year=year, value=round(value, 12), method=used, note=note)


@attrs.frozen(kw_only=True)
class Progress:
    """The progress status of one target, with the ratio R behind it."""

    status: Status
    ratio: float | None = None
    """R = actual rate / required rate; None when no rate could be measured."""
    method: ProjectionMethod | None = None
    """``"cagr"`` or ``"linear"``: which rates R compares."""
    note: str = ""


def _status_of_ratio(ratio: float) -> Status:
    if ratio >= ON_TRACK:
        return Status.ON_TRACK
    if ratio >= NEEDS_ACCELERATION:
        return Status.NEEDS_ACCELERATION
    if ratio >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def progress(points: Iterable[Point], target: Target, *, deadline: int | None = None) -> Progress:
    """The progress status of ``target`` from ``(period, value)`` points.

    Values are in the target's unit. Met when the latest value meets the
    target; otherwise R = actual rate / required rate, both measured from the
    first value (required: to the deadline, or over the observed span if the
    deadline is not later than that). Thresholds: on track R ≥ 0.95, needs
    acceleration 0.6 ≤ R < 0.95, limited progress 0 ≤ R < 0.6, deterioration
    R < 0; insufficient data with fewer than two values or no deadline.

    >>> progress([(2021, 15.38), (2024, 22.0)], Target(comparator=">=", value=25),
    ...          deadline=2024).status
    <Status.NEEDS_ACCELERATION: 'needs acceleration'>
    """
    ordered = _points(points)
    if not ordered:
        return Progress(status=Status.NO_DATA)
    (t0, x0), (t1, x1) = ordered[0], ordered[-1]
    if target.is_met(x1):
        return Progress(status=Status.MET)
    if len(ordered) < 2:
        return Progress(status=Status.INSUFFICIENT_DATA, note="one observation only")
    deadline = deadline if deadline is not None else target.deadline_year
    if deadline is None:
        return Progress(status=Status.INSUFFICIENT_DATA, note="the target has no deadline")
    goal = target.value
    span = t1 - t0
    required_span = max(deadline - t0, span)
    note = ""
    method: ProjectionMethod = "cagr"
    if target.comparator.is_rank:
        method, note = "linear", "ranks compared by places gained per year"
    elif min(x0, x1, goal) <= 0:
        method, note = "linear", "growth rate undefined for values <= 0; linear rates used"
    if method == "cagr":
        actual = (x1 / x0) ** (1 / span) - 1
        required = (goal / x0) ** (1 / required_span) - 1
    else:
        actual = (x1 - x0) / span
        required = (goal - x0) / required_span
    # Orient both rates so that positive means "towards the target".
    direction = 1.0 if target.comparator.higher_is_better else -1.0
    made, needed = direction * actual, direction * required
    if needed <= 0:
        started = "started at or beyond the target"
        status = Status.DETERIORATION if made < 0 else Status.LIMITED_PROGRESS
        return Progress(status=status, method=method, note="; ".join(filter(None, [note, started])))
    ratio = made / needed
    return Progress(status=_status_of_ratio(ratio), ratio=ratio, method=method, note=note)


# Results -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TargetResult:
    """One target of one indicator, against the latest observation up to ``as_of``.

    ``target`` and ``observed`` are in the indicator's ``unit``. ``attainment``,
    ``met`` and ``gap`` are None when there is no data (``missing="skip"``); with
    ``missing="zero"`` attainment is 0 and ``met`` False.
    """

    indicator: str
    scope: str | None
    scope_label: Label | None
    comparator: Comparator
    target: float
    out_of: int | None
    deadline: int | None
    unit: Unit
    observed: float | None
    period: int | None
    source: str
    met: bool | None
    attainment: float | None
    gap: float | None
    progress: Progress
    projection: Projection | None = None
    """The value projected to the deadline, when the deadline is after the latest value."""

    @property
    def status(self) -> Status:
        """The progress status."""
        return self.progress.status

    @property
    def has_data(self) -> bool:
        """True when an observation was found."""
        return self.observed is not None

    def target_text(self, lang: Language = "vi") -> str:
        """The target as a reader writes it: ``"≥ 25 %"``, ``"hạng ≤ 5/63"``."""
        return text(self, "target", lang)

    def observed_text(self, lang: Language = "vi") -> str:
        """The observed value and its period, or "no data"."""
        return text(self, "observed", lang)

    def gap_text(self, lang: Language = "vi") -> str:
        """How far short the value is, in words: ``"3 percentage points short"``.

        A difference of percentages is said in percentage points, not percent.
        """
        return text(self, "gap", lang)


@attrs.frozen(kw_only=True)
class IndicatorResult:
    """One indicator: its targets combined by the policy.

    Met when every target is; attainment the mean (or minimum) of the targets
    with data. ``status`` is the least favourable status of its observed
    targets (:attr:`Status.NO_DATA` when none has data; insufficient data when
    those observed are met but others have no data).
    """

    id: str
    label: Label
    group: str
    unit: Unit
    weight: float
    targets: tuple[TargetResult, ...]
    met: bool | None
    attainment: float | None
    status: Status

    @property
    def has_data(self) -> bool:
        """True when at least one target has an observation."""
        return any(t.has_data for t in self.targets)

    @property
    def complete(self) -> bool:
        """True when every target has an observation."""
        return all(t.has_data for t in self.targets)


@attrs.frozen(kw_only=True)
class GroupResult:
    """An indicator group: weighted mean of its indicators' attainment.

    ``listed_count`` indicators are listed, ``observed_count`` of them have
    data; ``unknown_count`` are declared but not listed, so never scored.
    """

    id: str
    label: Label
    weight: float
    declared_count: int
    listed_count: int
    observed_count: int
    met_count: int
    attainment: float | None

    @property
    def unknown_count(self) -> int:
        """Declared but not listed: known to exist, content unknown."""
        return max(self.declared_count - self.listed_count, 0)

    @property
    def coverage(self) -> float | None:
        """Listed indicators with data / listed indicators (None when none are listed)."""
        return self.observed_count / self.listed_count if self.listed_count else None


@attrs.frozen(kw_only=True)
class TaskResult:
    """A task: the mean attainment of the indicators it contributes to."""

    id: str
    label: Label
    indicators: tuple[str, ...]
    observed_count: int
    attainment: float | None


@attrs.frozen(kw_only=True)
class AttainmentReport(Displayable):
    """How far a plan's targets are reached by one entity, as of a year.

    Built by :func:`assess`. Results are in plan order and do not depend on
    the order observations were given in.
    """

    plan: str
    plan_label: Label
    entity: str
    as_of: int | None
    policy: Policy
    missing: Missing
    indicators: tuple[IndicatorResult, ...]
    groups: tuple[GroupResult, ...]
    tasks: tuple[TaskResult, ...]
    attainment: float | None
    """Weighted mean of the groups' attainment (None when nothing has data)."""

    @property
    def targets(self) -> tuple[TargetResult, ...]:
        """Every target result, indicator by indicator."""
        return tuple(t for indicator in self.indicators for t in indicator.targets)

    @property
    def listed_count(self) -> int:
        """Indicators the plan lists."""
        return len(self.indicators)

    @property
    def observed_count(self) -> int:
        """Listed indicators with at least one observation."""
        return sum(1 for i in self.indicators if i.has_data)

    @property
    def met_count(self) -> int:
        """Indicators whose every target is met."""
        return sum(1 for i in self.indicators if i.met)

    @property
    def declared_count(self) -> int:
        """Indicators the plan declares, listed or not."""
        return sum(g.declared_count for g in self.groups)

    @property
    def unknown_count(self) -> int:
        """Declared but unlisted indicators: counted, never scored."""
        return sum(g.unknown_count for g in self.groups)

    @property
    def coverage(self) -> float | None:
        """Listed indicators with data / listed indicators."""
        return self.observed_count / self.listed_count if self.listed_count else None

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """The result of one indicator."""
        return _find(self.indicators, indicator_id, "indicator", within="the report")

    def group(self, group_id: str) -> GroupResult:
        """The result of one indicator group."""
        return _find(self.groups, group_id, "indicator group", within="the report")

    def task(self, task_id: str) -> TaskResult:
        """The result of one task."""
        return _find(self.tasks, task_id, "task", within="the report")

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """Plain data (for JSON): the plan summary, then every level, its text in ``lang``."""
        return {
            "plan": self.plan,
            "entity": self.entity,
            "as_of": self.as_of,
            "policy": self.policy,
            "missing": self.missing,
            "attainment": self.attainment,
            "listed": self.listed_count,
            "with_data": self.observed_count,
            "met": self.met_count,
            "declared": self.declared_count,
            "unknown": self.unknown_count,
            "targets": self.rows("target", lang),
            "indicators": self.rows("indicator", lang),
            "groups": self.rows("group", lang),
            "tasks": self.rows("task", lang),
        }

    def rows(
        self,
        level: Literal["target", "indicator", "group", "task"] = "indicator",
        lang: Language = "en",
    ) -> list[dict[str, Any]]:
        """One level of the report as plain rows (for CSV or JSON), labels in ``lang``."""
        if level == "target":
            return [
                {
                    "indicator": t.indicator,
                    "scope": t.scope,
                    "comparator": t.comparator.value,
                    "target": t.target,
                    "out_of": t.out_of,
                    "unit": str(t.unit),
                    "deadline": t.deadline,
                    "observed": t.observed,
                    "period": t.period,
                    "met": t.met,
                    "attainment": t.attainment,
                    "gap": t.gap,
                    "gap_text": t.gap_text(lang),
                    "status": t.status.value,
                    "status_text": t.status.label(lang),
                    "ratio": t.progress.ratio,
                    "rate_method": t.progress.method,
                    "note": t.progress.note,
                    "projected": None if t.projection is None else t.projection.value,
                    "source": t.source,
                }
                for t in self.targets
            ]
        if level == "indicator":
            return [
                {
                    "indicator": i.id,
                    "label": i.label.text(lang),
                    "group": i.group,
                    "unit": str(i.unit),
                    "weight": i.weight,
                    "met": i.met,
                    "attainment": i.attainment,
                    "status": i.status.value,
                }
                for i in self.indicators
            ]
        if level == "group":
            return [
                {
                    "group": g.id,
                    "label": g.label.text(lang),
                    "weight": g.weight,
                    "declared": g.declared_count,
                    "listed": g.listed_count,
                    "with_data": g.observed_count,
                    "unknown": g.unknown_count,
                    "met": g.met_count,
                    "attainment": g.attainment,
                }
                for g in self.groups
            ]
        if level == "task":
            return [
                {
                    "task": t.id,
                    "label": t.label.text(lang),
                    "indicators": ",".join(t.indicators),
                    "with_data": t.observed_count,
                    "attainment": t.attainment,
                }
                for t in self.tasks
            ]
        raise InvalidValueError("level", level, "one of 'target', 'indicator', 'group', 'task'")

    def to_excel(
        self, path: str | PathLike[str], *, lang: Language = "en", force: bool = False
    ) -> Path:
        """Write targets, indicators, groups and tasks as sheets of an ``.xlsx``, with a README.

        Labels in ``lang``; the README gives the plan, entity, date, policies and
        how many targets are met (needs the ``excel`` extra).
        """
        from dxplan.formats.excel import write_tables

        summary = self.to_dict()
        return write_tables(
            path,
            {level: self.rows(level, lang) for level in ("target", "indicator", "group", "task")},
            {
                key: "" if summary[key] is None else str(summary[key])
                for key in ("plan", "entity", "as_of", "policy", "missing", "attainment")
            }
            | {"targets met": f"{summary['met']} of {summary['with_data']} with data"},
            force=force,
        )

    def to_frame(
        self,
        level: Literal["target", "indicator", "group", "task"] = "indicator",
        lang: Language = "en",
    ) -> pandas.DataFrame:
        """One level of the report as a pandas DataFrame (needs the ``pandas`` extra)."""
        rows = self.rows(level, lang)
        frame = import_pandas().DataFrame(rows)
        key = {"target": None, "indicator": "indicator", "group": "group", "task": "task"}[level]
        return frame.set_index(key) if key is not None and rows else frame

    def __repr__(self) -> str:
        attainment = "no data" if self.attainment is None else f"{self.attainment:.1%}"
        when = "" if self.as_of is None else f" as of {self.as_of}"
        return (
            f"<AttainmentReport {self.plan!r} {self.entity!r}{when}: {attainment}, "
            f"{self.observed_count}/{self.listed_count} indicators with data, "
            f"{self.met_count} met>"
        )


# assess ------------------------------------------------------------------------


def _in_indicator_unit(target: Target, indicator: Indicator) -> Target:
    """The target with its value and baseline in the indicator's unit."""
    if target.unit is None:
        return target
    return attrs.evolve(
        target,
        value=convert(target.value, target.unit, indicator.unit),
        baseline=(
            None
            if target.baseline is None
            else convert(target.baseline, target.unit, indicator.unit)
        ),
        unit=None,
    )


def _bounds(indicator: Indicator) -> tuple[float | None, float | None]:
    if indicator.unit.is_share:
        return 0.0, convert(1.0, Unit(symbol="dimensionless"), indicator.unit)
    if indicator.is_rank:
        out_of = max((t.out_of or 0 for t in indicator.targets), default=0)
        return 1.0, float(out_of) if out_of else None
    return None, None


def _check_weights(plan: Plan, weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return {}
    known = {i.id for i in plan.indicators} | {g.id for g in plan.groups}
    problems = []
    for key, weight in weights.items():
        given: object = weight
        if key not in known:
            problems.append(
                Problem(
                    f"weights[{key!r}]",
                    f"unknown id {key!r}; expected an indicator or group id of plan {plan.id!r}",
                )
            )
        elif not v.weight.accepts(given):
            problems.append(
                Problem(f"weights[{key!r}]", f"{weight!r}; expected {v.weight.expected}")
            )
    if problems:
        raise InvalidValueError(
            "weights",
            dict(weights),
            "weights >= 0 keyed by indicator or group ids: " + "; ".join(str(p) for p in problems),
        )
    return {key: float(weight) for key, weight in weights.items()}


def _entity(plan: Plan, observations: Observations, entity: str | None) -> str:
    if entity is not None:
        return entity
    if plan.entity is not None:
        return plan.entity
    if len(observations.entities) == 1:
        return observations.entities[0]
    raise InvalidValueError(
        "entity",
        None,
        "an entity id: the plan names none and the observations hold "
        f"{len(observations.entities)} entities ({', '.join(observations.entities) or 'none'})",
    )


def _assess_target(
    target: Target,
    indicator: Indicator,
    observations: Observations,
    entity: str,
    as_of: int | None,
    missing: Missing,
    method: ProjectionMethod,
) -> TargetResult:
    goal = _in_indicator_unit(target, indicator)
    series = observations.series(entity, indicator.id, target.scope, until=as_of)
    if not series and target.scope is not None:
        # A value without a scope stands for every scope of the indicator.
        series = observations.series(entity, indicator.id, None, until=as_of)
    common: dict[str, Any] = {
        "indicator": indicator.id,
        "scope": target.scope,
        "scope_label": target.scope_label,
        "comparator": target.comparator,
        "target": goal.value,
        "out_of": target.out_of,
        "deadline": target.deadline_year,
        "unit": indicator.unit,
    }
    if not series:
        zero = missing == "zero"
        return TargetResult(
            **common,
            observed=None,
            period=None,
            source="",
            met=False if zero else None,
            attainment=0.0 if zero else None,
            gap=None,
            progress=Progress(status=Status.NO_DATA),
        )
    latest = series[-1]
    points = [(o.period, o.value) for o in series]
    status = progress(points, goal)
    projection = None
    deadline = target.deadline_year
    if len(points) >= 2 and deadline is not None and deadline > latest.period:
        lower, upper = _bounds(indicator)
        projection = project(points, deadline, method=method, lower=lower, upper=upper)
    return TargetResult(
        **common,
        observed=latest.value,
        period=latest.period,
        source=latest.source,
        met=goal.is_met(latest.value),
        attainment=target_attainment(goal, latest.value),
        gap=target_gap(goal, latest.value),
        progress=status,
        projection=projection,
    )


def _combine_indicator(
    indicator: Indicator,
    group: str,
    weight: float,
    targets: tuple[TargetResult, ...],
    policy: Policy,
) -> IndicatorResult:
    scored = [t for t in targets if t.attainment is not None]
    attainment = None
    met: bool | None = None
    if scored:
        all_met = all(t.met for t in scored)
        attainment = _capped(combine((t.attainment or 0.0 for t in scored), policy), all_met)
        if not all_met:
            met = False
        elif len(scored) == len(targets):
            met = True
    if not any(t.has_data for t in targets):
        status = Status.NO_DATA
    else:
        status = max((t.status for t in targets if t.has_data), key=lambda s: s.severity)
        if status is Status.MET and met is None:
            # Every observed target is met, but not every target is observed.
            status = Status.INSUFFICIENT_DATA
    return IndicatorResult(
        id=indicator.id,
        label=indicator.label,
        group=group,
        unit=indicator.unit,
        weight=weight,
        targets=targets,
        met=met,
        attainment=attainment,
        status=status,
    )


def _task_indicators(plan: Plan, task_id: str) -> tuple[str, ...]:
    """The indicators a task contributes to directly, in plan order.

    The same as ``plan.graph.indicators_for(task_id)``, read from the links
    themselves, so that assessing a plan does not pay networkx's import.
    """
    wanted = {link.to for link in plan.task(task_id).contributes_to}
    return tuple(indicator.id for indicator in plan.indicators if indicator.id in wanted)


def assess(
    plan: Plan,
    observations: Observations,
    *,
    entity: str | None = None,
    as_of: int | None = None,
    policy: Policy = "mean",
    missing: Missing = "skip",
    weights: Mapping[str, float] | None = None,
    projection: ProjectionMethod = "cagr",
) -> AttainmentReport:
    """Assess how far ``entity`` reaches ``plan``'s targets, from ``observations``.

    Args:
        plan: the plan.
        observations: values in any convertible unit; those of ``entity`` are
            resolved against the plan (:meth:`Observations.resolve`).
        entity: whose values to use; default the plan's ``entity`` (or the one
            entity observed).
        as_of: use values up to this year (default: all); each target takes
            its latest value, and its series up to then for the status.
        policy: combine an indicator's targets by ``"mean"`` or ``"min"``.
        missing: a target without data is left out (``"skip"``; coverage is
            reported), counts as 0 (``"zero"``), or raises (``"fail"``).
            Declared but unlisted indicators are counted as unknown under every
            policy, never scored.
        weights: relative weights of indicators (within their group) and of
            groups (within the plan), by id; 1 where not given. A task's
            attainment is the weighted mean of its indicators.
        projection: how each target's value is projected to its deadline.

    Raises:
        ObservationError: observations that do not fit the plan, or (with
            ``missing="fail"``) every target without data.
        InvalidValueError: an unknown policy, weight or entity.
    """
    v.require("plan", isinstance(plan, Plan), plan, "a dxplan.Plan")
    v.require("observations", isinstance(observations, Observations), observations, "Observations")
    _AS_OF.check("as_of", as_of)
    _POLICIES.check("policy", policy)
    _MISSING.check("missing", missing)
    _PROJECTIONS.check("projection", projection)
    chosen = _check_weights(plan, weights)
    who = _entity(plan, observations, entity)
    if len(observations) and who not in observations.entities:
        others = observations.entities
        more = f" and {len(others) - 5} more" if len(others) > 5 else ""
        warnings.warn(_no_observation_for(who, others[:5], more), stacklevel=2)
    resolved = observations.select(entity=who).resolve(plan)  # warns of bare fractions

    indicators: list[IndicatorResult] = []
    groups: list[GroupResult] = []
    for group in plan.groups:
        results = []
        for indicator in group.indicators:
            targets = tuple(
                _assess_target(t, indicator, resolved, who, as_of, missing, projection)
                for t in indicator.targets
            )
            weight = chosen.get(indicator.id, 1.0)
            results.append(_combine_indicator(indicator, group.id, weight, targets, policy))
        scored = [r for r in results if r.attainment is not None]
        attainment = _weighted_mean([(r.weight, r.attainment or 0.0) for r in scored])
        if attainment is not None:
            attainment = _capped(attainment, all(r.met for r in scored))
        groups.append(
            GroupResult(
                id=group.id,
                label=group.label,
                weight=chosen.get(group.id, 1.0),
                declared_count=group.declared_count,
                listed_count=group.listed_count,
                observed_count=sum(1 for r in results if r.has_data),
                met_count=sum(1 for r in results if r.met),
                attainment=attainment,
            )
        )
        indicators += results

    if missing == "fail":
        absent = [
            Problem(
                f"$.indicators[{t.indicator!r}]" + (f".scope[{t.scope!r}]" if t.scope else ""),
                f"no observation of entity {who!r}"
                + (f" up to {as_of}" if as_of is not None else "")
                + "; expected one (missing='fail')",
            )
            for r in indicators
            for t in r.targets
            if not t.has_data
        ]
        if absent:
            raise ObservationError(f"{len(absent)} target(s) without data", absent)

    by_id = {r.id: r for r in indicators}
    tasks = []
    for task in plan.tasks:
        ids = tuple(i for i in _task_indicators(plan, task.id) if i in by_id)
        linked = [by_id[i] for i in ids]
        scored = [r for r in linked if r.attainment is not None]
        attainment = _weighted_mean([(r.weight, r.attainment or 0.0) for r in scored])
        if attainment is not None:
            attainment = _capped(attainment, all(r.met for r in scored))
        tasks.append(
            TaskResult(
                id=task.id,
                label=task.label,
                indicators=ids,
                observed_count=sum(1 for r in linked if r.has_data),
                attainment=attainment,
            )
        )

    scored_groups = [g for g in groups if g.attainment is not None]
    overall = _weighted_mean([(g.weight, g.attainment or 0.0) for g in scored_groups])
    if overall is not None:
        all_met = all(r.met for r in indicators if r.attainment is not None)
        overall = _capped(overall, all_met)
    return AttainmentReport(
        plan=plan.id,
        plan_label=plan.label,
        entity=who,
        as_of=as_of,
        policy=policy,
        missing=missing,
        indicators=tuple(indicators),
        groups=tuple(groups),
        tasks=tuple(tasks),
        attainment=overall,
    )


def rank_observation(
    result: IndexResult,
    *,
    entity: str,
    indicator: str,
    period: int,
    node: str | None = None,
    decimals: int | None = None,
) -> Observation:
    """An entity's rank in an index result, as an observation of a rank indicator.

    This is how a target such as the HCMC plan's 1.1 ("among the 5 leading
    provinces in the DTI") is scored from a composite index: the rank comes
    from :meth:`IndexResult.rank` (ties share the better rank) among the
    entities evaluated, and the source says which index and data it came from.
    """
    rank = result.rank(node, decimals=decimals).get(entity)
    if rank is None:
        known = ", ".join(result.entities)
        raise ObservationError(
            f"cannot observe the rank of {entity!r}",
            [Problem(f"$.{indicator}", f"{entity!r} has no rank in the result; ranked: {known}")],
        )
    index = result.index
    source = (
        f"rank {rank} of {len(result.entities)} on node {node or index.root} of the index "
        f"{index.title()}; data: {result.data.source or 'unnamed'}"
    )
    return Observation(
        entity=entity, indicator=indicator, period=period, value=rank, unit=RANK, source=source
    )
