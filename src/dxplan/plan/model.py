"""The plan model: frozen value objects for what a plan promises.

A :class:`Plan` holds its :class:`Priority` list, its :class:`IndicatorGroup`
list (each with the :class:`Indicator` objects it lists and the count it
declares) and its :class:`Task` list. Tasks point at other elements by id
through :class:`Link` objects, each carrying its :class:`Provenance`.

Each object checks its own fields when it is built; what needs the whole plan
(unique ids, references that resolve, cycles) is checked by
:func:`dxplan.check`, which reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import attrs

from dxplan import _validators as v
from dxplan._display import Displayable
from dxplan.errors import InvalidValueError, UnknownIdError
from dxplan.plan._provenance import SEED, Provenance, Source
from dxplan.text import Label
from dxplan.units import RANK, Unit

if TYPE_CHECKING:
    from dxplan.plan.graph import PlanGraph

__all__ = [
    "Comparator",
    "Drive",
    "Indicator",
    "IndicatorGroup",
    "Link",
    "Plan",
    "Priority",
    "Provenance",
    "Source",
    "Target",
    "Task",
]


class Comparator(enum.StrEnum):
    """How an observed value is compared with a target value.

    The plan's Vietnamese wording decides: "đạt", "tối thiểu", "từ … trở lên"
    and "100 %" are ``>=``; "trên" is ``>``.
    """

    AT_LEAST = ">="
    ABOVE = ">"
    AT_MOST = "<="
    BELOW = "<"
    RANK_AT_MOST = "rank<="

    @property
    def higher_is_better(self) -> bool:
        """True for ``>=`` and ``>``; ranks and upper bounds prefer lower values."""
        return self in (Comparator.AT_LEAST, Comparator.ABOVE)

    @property
    def symbol(self) -> str:
        """The comparator as a reader writes it: ``≥``, ``>``, ``≤``, ``<`` (a rank: ``≤``)."""
        return _SYMBOLS[self]

    @property
    def is_strict(self) -> bool:
        """True for ``>`` and ``<``: the boundary itself does not meet the target."""
        return self in (Comparator.ABOVE, Comparator.BELOW)

    @property
    def is_rank(self) -> bool:
        """True for ``rank<=``."""
        return self is Comparator.RANK_AT_MOST

    def is_met(self, observed: float, target: float) -> bool:
        """Whether ``observed`` meets ``target`` under this comparator.

        >>> Comparator.ABOVE.is_met(10.0, 10.0), Comparator.AT_LEAST.is_met(10.0, 10.0)
        (False, True)
        """
        match self:
            case Comparator.AT_LEAST:
                return observed >= target
            case Comparator.ABOVE:
                return observed > target
            case Comparator.AT_MOST | Comparator.RANK_AT_MOST:
                return observed <= target
            case Comparator.BELOW:
                return observed < target


_SYMBOLS = {
    Comparator.AT_LEAST: "≥",
    Comparator.ABOVE: ">",
    Comparator.AT_MOST: "≤",
    Comparator.BELOW: "<",
    Comparator.RANK_AT_MOST: "≤",
}


def _to_comparator(value: object) -> Comparator:
    return v.to_enum(Comparator, "comparator", value)


def _number(value: float) -> float:
    # A Fraction or a numpy float becomes a float, which files can hold; an int
    # stays as written (messages show it so); what is not a number passes
    # through for the validator to refuse by name.
    if isinstance(value, int):
        return value
    return cast("float", v.to_float(value))


def _optional_number(value: float | None) -> float | None:
    return None if value is None else _number(value)


_YEARS = {"minimum": 1900, "maximum": 2200}
_DATE_IN_YEARS = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$"


@v.with_schema({"integer": _YEARS, "string": {"pattern": _DATE_IN_YEARS}})
def _deadline(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    # A datetime is a date too; its time and zone would be lost in a plan file.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        year: object = value.year
    else:
        year = value
    if not v.year.accepts(year):
        raise InvalidValueError(
            attribute.name, value, "a year (1900–2200) or a date (without a time) in those years"
        )


@v.with_schema(
    {
        "object": {
            "if": {"properties": {"comparator": {"const": "rank<="}}},
            "then": {"properties": {"value": {"type": "integer", "minimum": 1}}},
        }
    }
)
def _rank_value(instance: Target, attribute: attrs.Attribute[Any], value: float) -> None:
    if instance.comparator.is_rank and (value < 1 or not float(value).is_integer()):
        raise InvalidValueError(attribute.name, value, "a whole rank >= 1 for a 'rank<=' target")


def _baseline(instance: Target, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is None:
        return
    v.finite_number(instance, attribute, value)
    if instance.comparator.is_rank:
        raise InvalidValueError(attribute.name, value, "no baseline for a 'rank<=' target")
    if value == instance.value:
        raise InvalidValueError(attribute.name, value, "a baseline different from the target value")


def _out_of(instance: Target, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is None:
        return
    v.positive_int(instance, attribute, value)
    if not instance.comparator.is_rank:
        raise InvalidValueError(attribute.name, value, "None unless the target is 'rank<='")
    if value < instance.value:
        raise InvalidValueError(attribute.name, value, f"at least the target rank {instance.value}")


@attrs.frozen(kw_only=True)
class Target:
    """A promised value of an indicator, with its comparator and deadline.

    ``value`` is in the indicator's unit unless ``unit`` says otherwise.
    ``scope`` tells apart several targets of one indicator: administrative
    levels (``"city"``, ``"district"``, ``"commune"``) or parts (``"a"``, ``"b"``).
    For a ``rank<=`` target, ``out_of`` is the number of ranked entities.

    >>> Target(comparator=">", value=10).is_met(10)
    False
    """

    comparator: Comparator = attrs.field(converter=_to_comparator)
    value: float = attrs.field(
        converter=_number, validator=attrs.validators.and_(v.finite_number, _rank_value)
    )
    unit: Unit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Unit, "a Unit"))
    )
    baseline: float | None = attrs.field(
        default=None, converter=_optional_number, validator=_baseline
    )
    deadline: int | dt.date | None = attrs.field(default=None, validator=_deadline)
    scope: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    scope_label: Label | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Label, "a Label"))
    )
    out_of: int | None = attrs.field(default=None, validator=_out_of)
    provenance: Provenance = attrs.field(
        default=SEED, validator=v.instance_of(Provenance, "a Provenance")
    )

    def is_met(self, observed: float) -> bool:
        """Whether ``observed`` (in the target's unit) meets the target."""
        return self.comparator.is_met(observed, self.value)

    @property
    def deadline_year(self) -> int | None:
        """The deadline as a year."""
        if isinstance(self.deadline, dt.date):
            return self.deadline.year
        return self.deadline


@v.with_schema({"array": {"minItems": 1}})
def _targets_present(_: object, attribute: attrs.Attribute[Any], value: tuple[Target, ...]) -> None:
    v.tuple_of(Target, "a Target")(_, attribute, value)
    if not value:
        raise InvalidValueError(attribute.name, value, "at least one Target")


@attrs.frozen(kw_only=True)
class Indicator:
    """Something a plan measures (chỉ tiêu), with one or more targets.

    ``measures`` names the quantity measured, so that two indicators of the
    same quantity can be found and compared (1.3 and 3.1 of the HCMC plan both
    measure the digital economy's share of GRDP).
    """

    id: str = attrs.field(validator=v.identifier)
    label: Label = attrs.field(validator=v.instance_of(Label, "a Label"))
    unit: Unit = attrs.field(validator=v.instance_of(Unit, "a Unit"))
    targets: tuple[Target, ...] = attrs.field(converter=v.to_tuple, validator=_targets_present)
    measures: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    provenance: Provenance = attrs.field(
        default=SEED, validator=v.instance_of(Provenance, "a Provenance")
    )
    scored_from: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))
    """The index (a bundled name such as ``"dti-922"``, or a file) whose result scores this
    indicator: the entity's rank for a rank indicator, else its score on the root."""

    def target(self, scope: str | None = None) -> Target:
        """The target for ``scope`` (the only target when ``scope`` is None and there is one)."""
        matches = [t for t in self.targets if t.scope == scope]
        if scope is None and not matches and len(self.targets) == 1:
            matches = list(self.targets)
        if len(matches) != 1:
            scopes = ", ".join(repr(t.scope) for t in self.targets)
            raise UnknownIdError(
                f"indicator {self.id!r} has no single target with scope {scope!r}; "
                f"its scopes are {scopes}"
            )
        return matches[0]

    @property
    def is_rank(self) -> bool:
        """True when the indicator is a position in a ranking."""
        return self.unit.is_comparable(RANK)


@attrs.frozen(kw_only=True)
class IndicatorGroup:
    """A group of indicators (nhóm chỉ tiêu) and how many it declares.

    The plan may declare more indicators than it lists; those are counted as
    unknown, never made up.
    """

    id: str = attrs.field(validator=v.identifier)
    label: Label = attrs.field(validator=v.instance_of(Label, "a Label"))
    declared_count: int = attrs.field(validator=v.non_negative_int)
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Indicator, "an Indicator")
    )
    provenance: Provenance = attrs.field(
        default=SEED, validator=v.instance_of(Provenance, "a Provenance")
    )

    @property
    def listed_count(self) -> int:
        """How many indicators the plan lists."""
        return len(self.indicators)

    @property
    def unlisted_count(self) -> int:
        """Declared but not listed: known to exist, content unknown."""
        return max(self.declared_count - self.listed_count, 0)


@attrs.frozen(kw_only=True)
class Priority:
    """A priority (ưu tiên) the plan follows."""

    id: str = attrs.field(validator=v.identifier)
    label: Label = attrs.field(validator=v.instance_of(Label, "a Label"))
    description: Label | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Label, "a Label"))
    )
    provenance: Provenance = attrs.field(
        default=SEED, validator=v.instance_of(Provenance, "a Provenance")
    )


def _weight(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    v.finite_number(_, attribute, value)
    if value < 0:
        raise InvalidValueError(attribute.name, value, "a weight >= 0")


@attrs.frozen(kw_only=True)
class Link:
    """A reference from a task to another element by id, with why it is there.

    ``weight`` says how much the link counts when tasks are ranked by reach.
    """

    to: str = attrs.field(validator=v.identifier)
    provenance: Provenance = attrs.field(validator=v.instance_of(Provenance, "a Provenance"))
    weight: float = attrs.field(default=1.0, converter=_number, validator=_weight)


@attrs.frozen(kw_only=True)
class Drive:
    """A component of a composite index that a task's work moves, with why.

    ``index`` names the index as the command line does: a bundled name
    (``"dti-922"``) or the path of a ``.toml``/``.json`` index file.
    ``component`` is a data column the index reads (a DTI main indicator).

    >>> Drive(index="dti-922", component="ha_tang_so",
    ...       provenance=Provenance.assumption("named after the indicator")).component
    'ha_tang_so'
    """

    index: str = attrs.field(validator=v.non_empty_text)
    component: str = attrs.field(validator=v.identifier)
    provenance: Provenance = attrs.field(validator=v.instance_of(Provenance, "a Provenance"))


@attrs.frozen(kw_only=True)
class Task:
    """A key task (nhiệm vụ trọng tâm).

    ``depends_on`` links to tasks that must progress first, ``contributes_to``
    to indicators the task moves, ``priorities`` to the priorities it serves,
    ``drives`` to components of a composite index its work moves.
    """

    id: str = attrs.field(validator=v.identifier)
    label: Label = attrs.field(validator=v.instance_of(Label, "a Label"))
    # Spelled out, not a functools.partial, so that mypy sees the converter.
    depends_on: tuple[Link, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Link, "a Link")
    )
    contributes_to: tuple[Link, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Link, "a Link")
    )
    priorities: tuple[Link, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Link, "a Link")
    )
    provenance: Provenance = attrs.field(
        default=SEED, validator=v.instance_of(Provenance, "a Provenance")
    )
    drives: tuple[Drive, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Drive, "a Drive")
    )


_year = v.optional(v.year)


@attrs.frozen(kw_only=True, cache_hash=True)
class Plan(Displayable):
    """A digital-transformation plan: priorities, indicator groups and tasks.

    ``entity`` is the id of the place the plan is for (``"ho-chi-minh"``), as
    it appears in observations and index data.
    """

    id: str = attrs.field(validator=v.identifier)
    label: Label = attrs.field(validator=v.instance_of(Label, "a Label"))
    year: int | None = attrs.field(default=None, validator=_year)
    entity: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    theme: Label | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Label, "a Label"))
    )
    priorities: tuple[Priority, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Priority, "a Priority")
    )
    groups: tuple[IndicatorGroup, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(IndicatorGroup, "an IndicatorGroup")
    )
    tasks: tuple[Task, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Task, "a Task")
    )
    provenance: Provenance = attrs.field(
        default=SEED, validator=v.instance_of(Provenance, "a Provenance")
    )

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every listed indicator, group by group, in plan order."""
        return tuple(indicator for group in self.groups for indicator in group.indicators)

    @property
    def declared_count(self) -> int:
        """How many indicators the groups declare in all."""
        return sum(group.declared_count for group in self.groups)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        return _find(self.indicators, indicator_id, "indicator")

    def group(self, group_id: str) -> IndicatorGroup:
        """The indicator group with this id."""
        return _find(self.groups, group_id, "indicator group")

    def group_of(self, indicator_id: str) -> IndicatorGroup:
        """The group that lists this indicator."""
        for group in self.groups:
            if any(indicator.id == indicator_id for indicator in group.indicators):
                return group
        return _find((), indicator_id, "indicator")

    def task(self, task_id: str) -> Task:
        """The task with this id."""
        return _find(self.tasks, task_id, "task")

    def priority(self, priority_id: str) -> Priority:
        """The priority with this id."""
        return _find(self.priorities, priority_id, "priority")

    @property
    def graph(self) -> PlanGraph:
        """The task ↔ indicator dependency graph, built on first use."""
        return _graph_of(self)

    def __repr__(self) -> str:
        return (
            f"<Plan {self.id!r}: {len(self.priorities)} priorities, {len(self.groups)} groups, "
            f"{len(self.indicators)} of {self.declared_count} indicators listed, "
            f"{len(self.tasks)} tasks>"
        )


@functools.lru_cache(maxsize=16)
def _graph_of(plan: Plan) -> PlanGraph:
    from dxplan.plan.graph import PlanGraph

    return PlanGraph.from_plan(plan)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _find(items: Sequence[_T], wanted: str, kind: str, *, within: str = "") -> _T:
    """The item of ``items`` with id ``wanted``, or an error naming the known ids."""
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(item.id for item in items) or "none"
    where = f" in {within}" if within else ""
    raise UnknownIdError(f"no {kind} with id {wanted!r}{where}; known ids: {known}")
