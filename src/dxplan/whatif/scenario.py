"""What-if scenarios: named, immutable lists of edits, and how they change results.

A :class:`Scenario` edits the inputs of an index (values, weights, components,
entities) or of a plan (targets, baselines, observed values). Edits apply in
order; applying never changes its inputs, it returns new ones::

    s = Scenario("society push").set("ho-chi-minh", "hd_xa_hoi_so", 0.55)
    s = s.weight("DTI", "hd_kinh_te_so", 200)
    new_index, new_data = s.apply(index, data)

:func:`compare` re-evaluates the index under a scenario and reports score and
rank changes and who overtakes whom; :func:`compare_attainment` does the same for a
plan's attainment. Scenarios are read from TOML files by
:func:`dxplan.formats.scenario_files.load_scenario` (``dx.load_scenario``).

A value edit names one entity (or every entity: ``None``, ``"*"`` or no
``entity`` in a file) and a component or an index node (every leaf under the
node). A weight edit gives ``node``, ``child`` and one of ``value`` (relative
weight), ``points`` or ``share`` (see :class:`SetWeight`). Plan-side edits
(target, baseline) are refused by :meth:`Scenario.apply` and index-side ones
(weight, drop, add/remove entity, task) by :meth:`Scenario.apply_plan`: an edit
is applied or refused, never skipped (:meth:`Scenario.side` splits a scenario).

A task edit speaks in the plan's tasks: ``Scenario("push").task("T10",
reaches=0.6)`` sets every component T10 drives (``Task.drives``) to 0.6 for the
plan's entity. It needs the plan: ``apply(index, data, plan=plan)``,
``compare(..., plan=plan)``, or :func:`compare_attainment` with ``data``, which then
also re-scores every plan indicator scored from the index (HCMC's 1.1).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _validators as v
from dxplan._deprecated import renamed
from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan.errors import (
    DxplanError,
    DxplanWarning,
    IndexDefinitionError,
    InvalidValueError,
    ScenarioError,
    UnitWarning,
)

if TYPE_CHECKING:
    import pandas as pd

    from dxplan.index.data import IndexData
    from dxplan.index.model import Aggregate, Index, IndexResult, Leaf
    from dxplan.plan.attainment import AttainmentReport
    from dxplan.plan.model import Indicator, Plan
    from dxplan.plan.observations import Observation, Observations

__all__ = [
    "AddEntity",
    "AttainmentComparison",
    "Comparison",
    "DropComponent",
    "Edit",
    "EntityChange",
    "IndicatorChange",
    "Overtake",
    "RemoveEntity",
    "ScaleValue",
    "Scenario",
    "SetBaseline",
    "SetTarget",
    "SetValue",
    "SetWeight",
    "ShiftValue",
    "TaskOutcome",
    "compare",
    "compare_attainment",
]

if not TYPE_CHECKING:  # old names work, with a warning; type checkers see only the new
    __getattr__ = renamed(
        __name__, {"PlanComparison": "AttainmentComparison", "compare_plan": "compare_attainment"}
    )

FloatArray = npt.NDArray[np.float64]


def _known(items: Iterable[str], limit: int = 20) -> str:
    names = list(items)
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f", … ({len(names)} in all)" if len(names) > limit else "") or "none"


def _all_entities(value: str | None) -> str | None:
    return None if value in (None, "*") else value


# --- the working state an index-side edit changes ------------------------------------------


@attrs.define
class _Work:
    """Mutable copies of an index's and a data set's parts while edits apply."""

    index: Index
    entities: list[str]
    names: list[str] | None
    components: list[str]
    values: FloatArray
    source: str
    plan: Plan | None = None

    @classmethod
    def of(cls, index: Index, data: IndexData, plan: Plan | None = None) -> _Work:
        return cls(
            index=index,
            entities=list(data.entities),
            names=None if data.names is None else list(data.names),
            components=list(data.components),
            values=np.array(data.values, dtype=np.float64),
            source=data.source,
            plan=plan,
        )

    def data(self) -> IndexData:
        from dxplan.index.data import IndexData

        return IndexData(
            entities=self.entities,
            components=self.components,
            values=self.values,
            names=self.names,
            source=self.source,
        )

    def rows(self, edit: Edit, entity: str | None) -> list[int]:
        if entity is None:
            return list(range(len(self.entities)))
        if entity not in self.entities:
            raise edit.error(f"unknown entity {entity!r}; known entities: {_known(self.entities)}")
        return [self.entities.index(entity)]

    def columns(self, edit: Edit, target: str) -> list[int]:
        if target in self.components:
            return [self.components.index(target)]
        node_ids = [n.id for n in self.index.nodes]
        if target in node_ids:
            wanted = [leaf.component for leaf in _leaves_under(self.index, target)]
            return [self.components.index(c) for c in dict.fromkeys(wanted) if c in self.components]
        raise edit.error(
            f"unknown component or node {target!r}; known components: "
            f"{_known(self.components)}; nodes: {_known(node_ids)}"
        )


def _leaves_under(index: Index, node_id: str) -> list[Leaf]:
    from dxplan.index.model import Leaf

    seen: dict[str, Leaf] = {}
    stack = [node_id]
    while stack:
        node = index.node(stack.pop())
        if isinstance(node, Leaf):
            seen.setdefault(node.id, node)
        else:
            stack.extend(node.children)
    return [leaf for leaf in index.leaves if leaf.id in seen]


@attrs.define
class _PlanWork:
    """A plan and observations while plan-side edits apply."""

    plan: Plan
    observations: Observations


# --- edits --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Edit:
    """One change a scenario makes; ``where`` remembers its place in a file."""

    op: ClassVar[str] = ""
    where: str = attrs.field(default="", eq=False, repr=False)

    def error(self, message: str) -> ScenarioError:
        """A :class:`ScenarioError` naming this edit and where it was written."""
        place = f" ({self.where})" if self.where else ""
        return ScenarioError(f"edit {self.describe()!r}{place}: {message}")

    def describe(self) -> str:
        """A short description, e.g. ``set ho-chi-minh/hd_xa_hoi_so = 0.55``."""
        return self.op

    def apply_index(self, work: _Work) -> None:
        """Change an index and its data (the default: nothing)."""

    def apply_plan(self, work: _PlanWork) -> None:
        """Change a plan and its observations (the default: nothing)."""


def _value_label(entity: str | None, component: str) -> str:
    return f"{entity or '*'}/{component}"


_number = v.number(finite=False, expected="a number (NaN makes it missing)")


def _id(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidValueError(attribute.name, value, "a non-empty id")


def _optional_entity(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidValueError(attribute.name, value, "an entity id, or None for every entity")


@attrs.frozen(kw_only=True)
class _ValueEdit(Edit):
    entity: str | None = attrs.field(converter=_all_entities, validator=_optional_entity)
    component: str = attrs.field(validator=_id)

    def _new(self, old: FloatArray) -> FloatArray:
        raise NotImplementedError

    def apply_index(self, work: _Work) -> None:
        rows = work.rows(self, self.entity)
        cols = work.columns(self, self.component)
        block = work.values[np.ix_(rows, cols)]
        work.values[np.ix_(rows, cols)] = self._new(block)

    def apply_plan(self, work: _PlanWork) -> None:
        from dxplan.plan.observations import Observations, convert

        try:
            indicator = work.plan.indicator(self.component)
        except DxplanError:
            known = [i.id for i in work.plan.indicators]
            raise self.error(
                f"unknown indicator {self.component!r} of plan {work.plan.id!r}; "
                f"known indicators: {_known(known)}"
            ) from None
        observed = work.observations.select(entity=self.entity, indicator=self.component)
        series = dict.fromkeys((o.entity, o.scope) for o in observed)
        latest = [observed.latest(entity, self.component, scope) for entity, scope in series]
        changed = [o for o in latest if o is not None]
        if not changed:
            who = "any entity" if self.entity is None else f"entity {self.entity!r}"
            mine = work.plan.entity
            # The command line reads only the plan's entity: say why another one has no value.
            why = (
                f"; plan {work.plan.id!r} is for {mine!r}, whose attainment another entity's "
                "values cannot change"
                if mine is not None and self.entity not in (None, mine)
                else ""
            )
            raise self.error(
                f"no observation of indicator {self.component!r} for {who}; known entities: "
                f"{_known(work.observations.entities)}{why}"
            )
        items = list(work.observations.items)
        self._warn_plan(work.plan, indicator, changed, items)
        new_items = {}
        for o in changed:
            try:
                current = convert(o.value, o.unit, indicator.unit)
            except DxplanError as exc:
                raise self.error(str(exc)) from exc
            new = float(self._new(np.array([current]))[0])
            if not math.isfinite(new):
                raise self.error(f"gives {new!r} for {o.entity!r}; expected a finite value")
            # Written in the indicator's unit, and said so (no bare number to second-guess).
            new_items[o.key] = attrs.evolve(o, value=new, unit=indicator.unit)
        work.observations = Observations(items=tuple(new_items.get(o.key, o) for o in items))

    def _warn_plan(
        self, plan: Plan, indicator: Indicator, changed: list[Observation], items: list[Observation]
    ) -> None:
        """Warn when the edit is probably not what was meant: see :meth:`Scenario.set`."""
        # Here, not at the top: a scenario on an index runs without the plan's modules.
        from dxplan.plan.validation import fraction_warning

        if isinstance(self, SetValue):
            message = fraction_warning(indicator, self.value)
            if message is not None:
                warnings.warn(UnitWarning(f"edit {self.describe()!r}: {message}"), stacklevel=4)
        if indicator.measures is None:
            return
        twins = [
            i.id
            for i in plan.indicators
            if i.measures == indicator.measures and i.id != indicator.id
        ]
        for o in changed:
            left = sorted(
                {x.indicator for x in items if x.indicator in twins
                 and (x.entity, x.period) == (o.entity, o.period)}
            )  # fmt: skip
            if left:
                warnings.warn(
                    DxplanWarning(
                        f"edit {self.describe()!r} changes indicator {indicator.id!r} only; "
                        f"{', '.join(repr(t) for t in left)} measure the same quantity "
                        f"({indicator.measures!r}) for {o.entity!r} in {o.period} and keep "
                        f"their values; add an edit for them too if the change is the same"
                    ),
                    stacklevel=4,
                )


@attrs.frozen(kw_only=True)
class SetValue(_ValueEdit):
    """Set a value (NaN makes it missing)."""

    op: ClassVar[str] = "set"
    value: float = attrs.field(converter=v.to_float, validator=_number)

    def describe(self) -> str:
        return f"set {_value_label(self.entity, self.component)} = {self.value:g}"

    def _new(self, old: FloatArray) -> FloatArray:
        return np.full_like(old, self.value)


@attrs.frozen(kw_only=True)
class ShiftValue(_ValueEdit):
    """Add ``by`` to a value (a missing value stays missing)."""

    op: ClassVar[str] = "shift"
    by: float = attrs.field(converter=v.to_float, validator=v.finite_number)

    def describe(self) -> str:
        return f"shift {_value_label(self.entity, self.component)} by {self.by:+g}"

    def _new(self, old: FloatArray) -> FloatArray:
        return old + self.by


@attrs.frozen(kw_only=True)
class ScaleValue(_ValueEdit):
    """Multiply a value by ``factor`` (a missing value stays missing)."""

    op: ClassVar[str] = "scale"
    factor: float = attrs.field(converter=v.to_float, validator=v.finite_number)

    def describe(self) -> str:
        return f"scale {_value_label(self.entity, self.component)} by ×{self.factor:g}"

    def _new(self, old: FloatArray) -> FloatArray:
        return old * self.factor


def _points_based(node: Aggregate) -> bool:
    """Whether ``node``'s weights are points (the DTI: 100, 150, 200 … of 1 000)."""
    return node.aggregator.sums or (
        node.points != 1.0 and math.isclose(sum(node.weights), node.points)
    )


@attrs.frozen(kw_only=True)
class SetWeight(Edit):
    """Set the weight of ``child`` within ``node``: exactly one of three ways.

    - ``weight``: the weight as the node writes them, relative to the
      siblings'. On a points-based node (the DTI's weights are points of
      1 000) a weight between 0 and 1 is ambiguous (0.3 points, or a 30 %
      share?) and is refused: say ``points`` or ``share``.
    - ``points``: the weight itself, in the node's points.
    - ``share``: the child's share of the node's total weight, from 0 to
      below 1; the siblings keep theirs and the child's becomes
      ``share × others / (1 − share)``.
    """

    op: ClassVar[str] = "weight"
    node: str = attrs.field(validator=_id)
    child: str = attrs.field(validator=_id)
    weight: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.optional(v.finite_number)
    )
    points: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.optional(v.finite_number)
    )
    share: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.optional(v.finite_number)
    )

    def __attrs_post_init__(self) -> None:
        given = [x for x in (self.weight, self.points, self.share) if x is not None]
        if len(given) != 1:
            raise InvalidValueError(
                "weight",
                (self.weight, self.points, self.share),
                "exactly one of weight, points or share",
            )
        if self.share is not None and not 0 <= self.share < 1:
            raise InvalidValueError("share", self.share, "a share from 0 to below 1")

    def describe(self) -> str:
        where = f"weight {self.node}/{self.child}"
        if self.points is not None:
            return f"{where} = {self.points:g} points"
        if self.share is not None:
            return f"{where} = {self.share:g} of the node's weight"
        return f"{where} = {self.weight:g}"

    def _new_weight(self, node: Aggregate) -> float:
        if self.points is not None:
            return self.points
        if self.share is not None:
            at = node.children.index(self.child)
            others = sum(w for i, w in enumerate(node.weights) if i != at)
            if others <= 0 and self.share > 0:
                raise self.error(f"{self.child!r} has no sibling with weight: no share but all")
            return self.share * others / (1 - self.share)
        assert self.weight is not None  # exactly one was given
        # 0 and 1 mean one thing either way (a share must be below 1).
        if _points_based(node) and 0 < self.weight < 1:
            raise self.error(
                f"{self.node!r} weighs its children in points (of {sum(node.weights):g}), so "
                f"{self.weight:g} is ambiguous; write points={self.weight:g} for that many "
                f"points or share={self.weight:g} for that share of the node"
            )
        return self.weight

    def _aggregate(self, index: Index) -> Aggregate:
        aggregates = {n.id: n for n in index.aggregates}
        if self.node not in aggregates:
            raise self.error(
                f"unknown inner node {self.node!r}; known inner nodes: {_known(aggregates)}"
            )
        node = aggregates[self.node]
        if self.child not in node.children:
            raise self.error(
                f"{self.child!r} is not a child of {self.node!r}; its children: "
                f"{_known(node.children)}"
            )
        return node

    def apply_index(self, work: _Work) -> None:
        node = self._aggregate(work.index)
        weights = list(node.weights)
        weights[node.children.index(self.child)] = self._new_weight(node)
        try:
            work.index = work.index.with_weights(self.node, weights)
        except (IndexDefinitionError, InvalidValueError) as exc:
            raise self.error(str(exc)) from exc


@attrs.frozen(kw_only=True)
class DropComponent(Edit):
    """Take a component (or a leaf, by id) out of the index and its column out of the data.

    A parent left without children is dropped in turn; dropping everything
    under the root is an error.
    """

    op: ClassVar[str] = "drop"
    component: str = attrs.field(validator=_id)

    def describe(self) -> str:
        return f"drop {self.component}"

    def apply_index(self, work: _Work) -> None:
        index = work.index
        if not any(self.component in (leaf.id, leaf.component) for leaf in index.leaves):
            known = list(dict.fromkeys([*index.components, *(leaf.id for leaf in index.leaves)]))
            raise self.error(
                f"unknown component {self.component!r}; known components: {_known(known)}"
            )
        try:
            work.index = index.without(self.component)
        except IndexDefinitionError as exc:
            raise self.error(str(exc)) from exc
        still = set(work.index.components)
        keep = [j for j, c in enumerate(work.components) if c in still or c not in index.components]
        work.components = [work.components[j] for j in keep]
        work.values = work.values[:, keep]


@attrs.frozen(kw_only=True)
class TaskOutcome(Edit):
    """Set every component a plan task drives to ``reaches``, for ``entity`` (the plan's).

    The components are those of ``Task.drives`` that the data holds; the
    plan comes from :meth:`Scenario.apply`'s ``plan``.
    """

    op: ClassVar[str] = "task"
    task: str = attrs.field(validator=_id)
    reaches: float = attrs.field(converter=v.to_float, validator=v.finite_number)
    entity: str | None = attrs.field(default=None, validator=_optional_entity)

    def describe(self) -> str:
        who = f" ({self.entity})" if self.entity else ""
        return f"task {self.task} reaches {self.reaches:g}{who}"

    def _sets(self, work: _Work) -> list[SetValue]:
        plan = work.plan
        if plan is None:
            raise self.error(
                "a task edit needs its plan: Scenario.apply(index, data, plan=plan), "
                "compare(..., plan=plan) or compare_attainment(..., data=data)"
            )
        try:
            task = plan.task(self.task)
        except DxplanError as exc:
            raise self.error(str(exc)) from None
        components = [d.component for d in task.drives if d.component in work.components]
        if not components:
            raise self.error(
                f"task {self.task!r} drives no component of the data; it drives: "
                f"{_known(d.component for d in task.drives)}"
            )
        entity = self.entity or plan.entity
        return [
            SetValue(entity=entity, component=c, value=self.reaches, where=self.where)
            for c in dict.fromkeys(components)
        ]

    def apply_index(self, work: _Work) -> None:
        for step in self._sets(work):
            step.apply_index(work)


def _value_pairs(
    values: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    items = values.items() if isinstance(values, Mapping) else values
    try:
        return tuple((str(k), float(v)) for k, v in items)
    except (TypeError, ValueError, OverflowError):
        raise InvalidValueError("values", values, "component = number pairs") from None


@attrs.frozen(kw_only=True)
class AddEntity(Edit):
    """Add an entity with ``values`` by component (others missing), at ``position`` or last."""

    op: ClassVar[str] = "add-entity"
    entity: str = attrs.field(validator=_id)
    values: tuple[tuple[str, float], ...] = attrs.field(converter=_value_pairs, factory=tuple)
    name: str | None = None
    position: int | None = None

    def describe(self) -> str:
        return f"add entity {self.entity}"

    def apply_index(self, work: _Work) -> None:
        if self.entity in work.entities:
            raise self.error(f"entity {self.entity!r} is already in the data")
        row = np.full(len(work.components), np.nan)
        for component, value in self.values:
            if component not in work.components:
                raise self.error(
                    f"unknown component {component!r}; known components: {_known(work.components)}"
                )
            row[work.components.index(component)] = value
        at = len(work.entities) if self.position is None else self.position
        if not 0 <= at <= len(work.entities):
            raise self.error(f"position {at} is outside 0…{len(work.entities)}")
        work.entities.insert(at, self.entity)
        if work.names is not None:
            work.names.insert(at, self.name or self.entity)
        elif self.name is not None and self.name != self.entity:
            work.names = list(work.entities)
            work.names[at] = self.name
        work.values = np.insert(work.values, at, row, axis=0)


@attrs.frozen(kw_only=True)
class RemoveEntity(Edit):
    """Remove an entity and its values."""

    op: ClassVar[str] = "remove-entity"
    entity: str = attrs.field(validator=_id)

    def describe(self) -> str:
        return f"remove entity {self.entity}"

    def apply_index(self, work: _Work) -> None:
        (i,) = work.rows(self, self.entity)
        if len(work.entities) == 1:
            raise self.error("would leave the data with no entity")
        del work.entities[i]
        if work.names is not None:
            del work.names[i]
        work.values = np.delete(work.values, i, axis=0)


@attrs.frozen(kw_only=True)
class _TargetEdit(Edit):
    indicator: str = attrs.field(validator=_id)
    scope: str | None = None

    def _change(self) -> dict[str, Any]:
        raise NotImplementedError

    def apply_plan(self, work: _PlanWork) -> None:
        plan = work.plan
        known = [i.id for i in plan.indicators]
        if self.indicator not in known:
            raise self.error(
                f"unknown indicator {self.indicator!r} of plan {plan.id!r}; "
                f"known indicators: {_known(known)}"
            )
        indicator = plan.indicator(self.indicator)
        try:
            target = indicator.target(self.scope)
            new_target = attrs.evolve(target, **self._change())
        except DxplanError as exc:
            raise self.error(str(exc)) from exc
        targets = tuple(new_target if t is target else t for t in indicator.targets)
        new_indicator = attrs.evolve(indicator, targets=targets)
        groups = tuple(
            attrs.evolve(
                g,
                indicators=tuple(new_indicator if i is indicator else i for i in g.indicators),
            )
            if indicator in g.indicators
            else g
            for g in plan.groups
        )
        work.plan = attrs.evolve(plan, groups=groups)


@attrs.frozen(kw_only=True)
class SetTarget(_TargetEdit):
    """Set the value of an indicator's target (of ``scope`` when it has several)."""

    op: ClassVar[str] = "target"
    value: float = attrs.field(converter=v.to_float, validator=v.finite_number)

    def describe(self) -> str:
        scope = f"[{self.scope}]" if self.scope else ""
        return f"target {self.indicator}{scope} = {self.value:g}"

    def _change(self) -> dict[str, Any]:
        return {"value": self.value}


@attrs.frozen(kw_only=True)
class SetBaseline(_TargetEdit):
    """Set (or, with ``None``, remove) the baseline of an indicator's target."""

    op: ClassVar[str] = "baseline"
    value: float | None = attrs.field(converter=v.to_float, validator=v.optional(v.finite_number))

    def describe(self) -> str:
        scope = f"[{self.scope}]" if self.scope else ""
        shown = "none" if self.value is None else f"{self.value:g}"
        return f"baseline {self.indicator}{scope} = {shown}"

    def _change(self) -> dict[str, Any]:
        return {"baseline": self.value}


def _edits(values: Iterable[Edit]) -> tuple[Edit, ...]:
    try:
        edits = tuple(values)
    except TypeError:  # not a list at all
        raise InvalidValueError("edits", values, "a list of edits") from None
    for i, edit in enumerate(edits):
        if not isinstance(edit, Edit):
            raise InvalidValueError(f"edits[{i}]", edit, "a dxplan.whatif.scenario edit")
    return edits


def _name(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, value, "a non-empty name")


@attrs.frozen
class Scenario(Displayable):
    """A named, immutable list of edits; every builder method returns a new scenario.

    Args:
        name: what the scenario is called.
        edits: the edits, applied in order.
        description: why it exists, for readers.
        index_ref: where a command line finds its index (a bundled name such
            as ``"dti-922"`` or a file), from the scenario file; optional.
        data_ref: where it finds its data (``"dti-2022"`` or a CSV file).
        plan_ref: the plan whose attainment the scenario changes (a bundled
            name such as ``"hcmc-2024"`` or a plan file), from the scenario file.
        observations_ref: the plan's observations (a CSV or JSON file); by
            default the plan's bundled observations.

    Examples:
        >>> s = Scenario("push").shift("ho-chi-minh", "hd_xa_hoi_so", 0.1)
        >>> [e.describe() for e in (s + Scenario("more").scale(None, "the_che_so", 1.1)).edits]
        ['shift ho-chi-minh/hd_xa_hoi_so by +0.1', 'scale */the_che_so by ×1.1']
    """

    name: str = attrs.field(validator=_name)
    edits: tuple[Edit, ...] = attrs.field(default=(), converter=_edits, kw_only=True)
    description: str = attrs.field(default="", kw_only=True)
    index_ref: str | None = attrs.field(default=None, kw_only=True)
    data_ref: str | None = attrs.field(default=None, kw_only=True)
    plan_ref: str | None = attrs.field(default=None, kw_only=True)
    observations_ref: str | None = attrs.field(default=None, kw_only=True)

    def _with(self, edit: Edit) -> Scenario:
        return attrs.evolve(self, edits=(*self.edits, edit))

    def with_edits(self, *edits: Edit) -> Scenario:
        """This scenario with ``edits`` appended."""
        return attrs.evolve(self, edits=(*self.edits, *edits))

    def set(self, entity: str | None, component: str, value: float) -> Scenario:
        """Set ``component`` (or the leaves under a node) of ``entity`` (``None``: all)."""
        return self._with(SetValue(entity=entity, component=component, value=value))

    def shift(self, entity: str | None, component: str, by: float) -> Scenario:
        """Add ``by`` to ``component`` of ``entity`` (``None``: every entity)."""
        return self._with(ShiftValue(entity=entity, component=component, by=by))

    def scale(self, entity: str | None, component: str, factor: float) -> Scenario:
        """Multiply ``component`` of ``entity`` (``None``: every entity) by ``factor``."""
        return self._with(ScaleValue(entity=entity, component=component, factor=factor))

    def weight(
        self,
        node: str,
        child: str,
        weight: float | None = None,
        *,
        points: float | None = None,
        share: float | None = None,
    ) -> Scenario:
        """Set the weight of ``child`` within ``node``: ``weight``, ``points`` or ``share``.

        On a points-based node (the DTI) a bare ``weight`` between 0 and 1 is
        refused as ambiguous when applied; see :class:`SetWeight`.
        """
        return self._with(
            SetWeight(node=node, child=child, weight=weight, points=points, share=share)
        )

    def target(self, indicator: str, value: float, *, scope: str | None = None) -> Scenario:
        """Set a plan indicator's target value."""
        return self._with(SetTarget(indicator=indicator, value=value, scope=scope))

    def baseline(
        self, indicator: str, value: float | None, *, scope: str | None = None
    ) -> Scenario:
        """Set (or remove) a plan indicator's baseline."""
        return self._with(SetBaseline(indicator=indicator, value=value, scope=scope))

    def task(self, task: str, *, reaches: float, entity: str | None = None) -> Scenario:
        """Let a plan task's driven components reach ``reaches`` (for the plan's entity)."""
        return self._with(TaskOutcome(task=task, reaches=reaches, entity=entity))

    def drop(self, component: str) -> Scenario:
        """Take a component out of the index."""
        return self._with(DropComponent(component=component))

    def add_entity(
        self,
        entity: str,
        values: Mapping[str, float] | None = None,
        *,
        name: str | None = None,
    ) -> Scenario:
        """Add an entity with some values (the others missing)."""
        return self._with(AddEntity(entity=entity, values=values or {}, name=name))

    def remove_entity(self, entity: str) -> Scenario:
        """Remove an entity."""
        return self._with(RemoveEntity(entity=entity))

    def then(self, other: Scenario) -> Scenario:
        """This scenario's edits followed by ``other``'s."""
        if not isinstance(other, Scenario):
            raise InvalidValueError("other", other, "a Scenario")
        return attrs.evolve(
            self,
            name=f"{self.name} + {other.name}",
            edits=(*self.edits, *other.edits),
            index_ref=self.index_ref or other.index_ref,
            data_ref=self.data_ref or other.data_ref,
            plan_ref=self.plan_ref or other.plan_ref,
            observations_ref=self.observations_ref or other.observations_ref,
        )

    def __add__(self, other: object) -> Scenario:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.then(other)

    def apply(
        self, index: Index, data: IndexData, *, plan: Plan | None = None
    ) -> tuple[Index, IndexData]:
        """The index and data with every index-side edit applied; the inputs are untouched.

        ``plan`` resolves task edits (:meth:`task`) to the components they drive.

        Raises:
            ScenarioError: an edit names an unknown entity, component or node,
                makes the index invalid, or changes a plan (a target or a
                baseline), which an index does not have: every edit is either
                applied or refused, never skipped.
        """
        from dxplan.index.data import IndexData
        from dxplan.index.model import Index

        if not isinstance(index, Index):
            raise InvalidValueError("index", index, "an Index")
        if not isinstance(data, IndexData):
            raise InvalidValueError("data", data, "an IndexData")
        _refuse_other_side(self.edits, "apply_index", "an index and its data", "apply_plan")
        work = _Work.of(index, data, plan)
        for edit in self.edits:
            edit.apply_index(work)
        try:
            return work.index, work.data()
        except InvalidValueError as exc:
            raise ScenarioError(f"scenario {self.name!r}: {exc}") from exc

    def side(self, side: Literal["index", "plan"]) -> Scenario:
        """The scenario with only the edits that change an index (or a plan).

        For a scenario that names both data and a plan: each part goes to its
        side, value edits to both, so every edit is applied somewhere.
        """
        method = "apply_index" if side == "index" else "apply_plan"
        kept = tuple(e for e in self.edits if getattr(type(e), method) is not getattr(Edit, method))
        return attrs.evolve(self, edits=kept)

    def apply_plan(self, plan: Plan, observations: Observations) -> tuple[Plan, Observations]:
        """The plan and observations with every plan-side edit applied.

        Value edits name an indicator as their component and change the latest
        observation of each (entity, scope) series, in the indicator's unit.

        Raises:
            ScenarioError: an edit changes only an index (a weight, a dropped
                component, an added or removed entity): every edit is either
                applied or refused, never skipped.
        """
        _refuse_other_side(self.edits, "apply_plan", "a plan and its observations", "apply")
        work = _PlanWork(plan=plan, observations=observations)
        for edit in self.edits:
            edit.apply_plan(work)
        return work.plan, work.observations

    def __repr__(self) -> str:
        return f"<Scenario {self.name!r}: {len(self.edits)} edits>"


def _refuse_other_side(edits: Iterable[Edit], side: str, what: str, other: str) -> None:
    """Refuse each edit with nothing to change in ``what`` (no ``side`` method of its own)."""
    for position, edit in enumerate(edits):
        if getattr(type(edit), side) is getattr(Edit, side):
            raise edit.error(
                f"edit {position + 1} cannot change {what}; expected only edits that can "
                f"(apply this one with Scenario.{other}, or remove it)"
            )


# --- comparing ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EntityChange:
    """One entity's score and rank before and after a scenario (``None``/NaN: absent)."""

    entity: str
    name: str
    score_before: float
    score_after: float
    rank_before: int | None
    rank_after: int | None

    @property
    def score_change(self) -> float:
        """After minus before (NaN when either is missing)."""
        return self.score_after - self.score_before

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative); ``None`` if either rank is missing."""
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after


@attrs.frozen(kw_only=True)
class Overtake:
    """``entity`` was not ahead of ``passed`` before the scenario and is ahead after it."""

    entity: str
    passed: str
    ranks_before: tuple[int, int]
    ranks_after: tuple[int, int]


@attrs.frozen(kw_only=True, eq=False)
class Comparison(Displayable):
    """How a scenario changes an index's scores and ranks on one node.

    ``changes`` lists every entity present before or after, biggest climbs
    first; ``overtakes`` every pair whose order flips.
    """

    scenario: Scenario
    node: str
    scale: float
    before: IndexResult
    after: IndexResult
    changes: tuple[EntityChange, ...]
    overtakes: tuple[Overtake, ...]

    def change(self, entity: str) -> EntityChange:
        """The change of one entity."""
        for c in self.changes:
            if c.entity == entity:
                return c
        raise InvalidValueError("entity", entity, "an entity before or after the scenario")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready; missing scores are ``None``)."""

        def num(x: float) -> float | None:
            return None if math.isnan(x) else x

        return {
            "scenario": self.scenario.name,
            "edits": [e.describe() for e in self.scenario.edits],
            "node": self.node,
            "scale": self.scale,
            "changes": [
                {
                    "entity": c.entity,
                    "name": c.name,
                    "score_before": num(c.score_before),
                    "score_after": num(c.score_after),
                    "score_change": num(c.score_change),
                    "rank_before": c.rank_before,
                    "rank_after": c.rank_after,
                    "rank_change": c.rank_change,
                }
                for c in self.changes
            ],
            "overtakes": [
                {
                    "entity": o.entity,
                    "passed": o.passed,
                    "ranks_before": list(o.ranks_before),
                    "ranks_after": list(o.ranks_after),
                }
                for o in self.overtakes
            ],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per entity: scores, ranks and changes (needs the ``pandas`` extra)."""
        pd = import_pandas()
        rows = self.to_dict()["changes"]
        frame = pd.DataFrame(rows).set_index("entity")
        return frame.astype({"score_before": float, "score_after": float, "score_change": float})

    def __repr__(self) -> str:
        moved = sum(1 for c in self.changes if c.rank_change)
        return (
            f"<Comparison {self.scenario.name!r} on {self.node!r}: {len(self.changes)} entities, "
            f"{moved} change rank, {len(self.overtakes)} overtakes>"
        )


def compare(
    index: Index,
    data: IndexData,
    scenario: Scenario,
    *,
    node: str | None = None,
    plan: Plan | None = None,
) -> Comparison:
    """Evaluate ``index`` on ``data`` before and after ``scenario``; score and rank changes.

    Scores are on ``node`` (the root by default); ``Comparison.scale`` is the
    node's points (1 000 for the DTI) for display. ``plan`` resolves task edits.
    """
    v.require("scenario", isinstance(scenario, Scenario), scenario, "a Scenario")
    new_index, new_data = scenario.apply(index, data, plan=plan)
    before = index.evaluate(v.cross_section(data, "a scenario"))
    after = new_index.evaluate(new_data)
    node_id = index.root if node is None else node
    try:
        before.scores(node_id)
        after.scores(node_id)
    except InvalidValueError:
        raise ScenarioError(
            f"unknown node {node_id!r}; known nodes: {_known(n.id for n in new_index.nodes)}"
        ) from None
    target = new_index.node(node_id)
    from dxplan.index.model import Aggregate

    scale = target.points if isinstance(target, Aggregate) else 1.0
    s0, s1 = before.scores(node_id), after.scores(node_id)
    r0, r1 = before.rank(node_id), after.rank(node_id)
    entities = list(dict.fromkeys([*data.entities, *new_data.entities]))

    def name(e: str) -> str:
        return new_data.name(e) if e in new_data.entities else data.name(e)

    changes = [
        EntityChange(
            entity=e,
            name=name(e),
            score_before=s0.get(e, math.nan),
            score_after=s1.get(e, math.nan),
            rank_before=r0.get(e),
            rank_after=r1.get(e),
        )
        for e in entities
    ]
    changes.sort(key=lambda c: (c.rank_change is None, -(c.rank_change or 0), c.entity))
    ranked = {
        e: (before_rank, after_rank)
        for e in entities
        if (before_rank := r0.get(e)) is not None and (after_rank := r1.get(e)) is not None
    }
    overtakes: list[Overtake] = []
    for a, (ra0, ra1) in ranked.items():
        for b, (rb0, rb1) in ranked.items():
            if a != b and ra0 >= rb0 and ra1 < rb1:
                overtakes.append(
                    Overtake(entity=a, passed=b, ranks_before=(ra0, rb0), ranks_after=(ra1, rb1))
                )
    overtakes.sort(key=lambda o: (o.ranks_after[0], o.entity, o.ranks_after[1], o.passed))
    return Comparison(
        scenario=scenario,
        node=node_id,
        scale=scale,
        before=before,
        after=after,
        changes=tuple(changes),
        overtakes=tuple(overtakes),
    )


# --- comparing a plan's attainment -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IndicatorChange:
    """One plan indicator's attainment, met and status before and after a scenario."""

    indicator: str
    attainment_before: float | None
    attainment_after: float | None
    met_before: bool | None
    met_after: bool | None
    status_before: str
    status_after: str
    observed_before: float | None = None
    """The value its first target is judged on (an index-scored rank: the rank)."""
    observed_after: float | None = None

    @property
    def changed(self) -> bool:
        """Whether attainment, met, status or the observed value differ."""
        return (
            self.attainment_before != self.attainment_after
            or self.met_before != self.met_after
            or self.status_before != self.status_after
            or self.observed_before != self.observed_after
        )


@attrs.frozen(kw_only=True, eq=False)
class AttainmentComparison(Displayable):
    """How a scenario changes a plan's attainment: per indicator and for the plan."""

    scenario: Scenario
    before: AttainmentReport
    after: AttainmentReport
    indicators: tuple[IndicatorChange, ...]

    @property
    def changed(self) -> tuple[IndicatorChange, ...]:
        """Only the indicators whose attainment, met or status changed."""
        return tuple(c for c in self.indicators if c.changed)

    @property
    def newly_met(self) -> tuple[str, ...]:
        """Indicators met after the scenario and not before."""
        return tuple(c.indicator for c in self.indicators if c.met_after and not c.met_before)

    @property
    def no_longer_met(self) -> tuple[str, ...]:
        """Indicators met before the scenario and not after."""
        return tuple(c.indicator for c in self.indicators if c.met_before and not c.met_after)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "scenario": self.scenario.name,
            "attainment_before": self.before.attainment,
            "attainment_after": self.after.attainment,
            "indicators": [attrs.asdict(c) for c in self.indicators],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator (needs the ``pandas`` extra)."""
        pd = import_pandas()
        return pd.DataFrame(self.to_dict()["indicators"]).set_index("indicator")

    def __repr__(self) -> str:
        def pct(x: float | None) -> str:
            return "no data" if x is None else f"{x:.1%}"

        return (
            f"<AttainmentComparison {self.scenario.name!r}: attainment "
            f"{pct(self.before.attainment)} -> {pct(self.after.attainment)}, "
            f"{len(self.changed)} indicators change>"
        )


def compare_attainment(
    plan: Plan,
    observations: Observations,
    scenario: Scenario,
    *,
    data: IndexData | None = None,
    indices: Mapping[str, Index] | None = None,
    period: int | None = None,
    **assess_options: Any,
) -> AttainmentComparison:
    """Assess ``plan`` before and after ``scenario``; which indicators change status or met.

    ``assess_options`` go to :func:`dxplan.plan.attainment.assess` (``entity``,
    ``as_of``, ``policy``, ``missing``, ``weights``) for both runs.

    With ``data`` (index data), every indicator scored from an index
    (``Indicator.scored_from``) is observed from that index before and after
    the scenario's index-side edits (task edits included): the entity's rank
    (:func:`dxplan.plan.attainment.rank_observation`) or root score, at ``period``
    (default: the plan's year), replacing an observation of that period.
    ``indices`` gives indices by name; others are loaded by name.
    """
    from dxplan.plan.attainment import assess

    plan_side = scenario if data is None else scenario.side("plan")
    new_plan, new_observations = plan_side.apply_plan(plan, observations)
    if data is not None:
        observations, new_observations = _scored_from_index(
            plan, observations, new_observations, scenario, data, indices, period, assess_options
        )
    before = assess(plan, observations, **assess_options)
    after = assess(new_plan, new_observations, **assess_options)
    after_by_id = {r.id: r for r in after.indicators}
    changes = tuple(
        IndicatorChange(
            indicator=r.id,
            attainment_before=r.attainment,
            attainment_after=after_by_id[r.id].attainment,
            met_before=r.met,
            met_after=after_by_id[r.id].met,
            status_before=r.status.value,
            status_after=after_by_id[r.id].status.value,
            observed_before=r.targets[0].observed,
            observed_after=after_by_id[r.id].targets[0].observed,
        )
        for r in before.indicators
    )
    return AttainmentComparison(scenario=scenario, before=before, after=after, indicators=changes)


def _scored_from_index(
    plan: Plan,
    before: Observations,
    after: Observations,
    scenario: Scenario,
    data: IndexData,
    indices: Mapping[str, Index] | None,
    period: int | None,
    assess_options: Mapping[str, Any],
) -> tuple[Observations, Observations]:
    """``before`` and ``after`` with each index-scored indicator observed from the index."""
    from dxplan.plan.attainment import rank_observation
    from dxplan.plan.observations import Observation, Observations
    from dxplan.plan.validation import load_indices

    scored = [i for i in plan.indicators if i.scored_from is not None]
    if not scored:
        return before, after
    loaded, failed = load_indices(plan, indices)
    entity = assess_options.get("entity") or plan.entity
    when = period if period is not None else plan.year
    if entity is None or when is None:
        raise ScenarioError(
            "cannot observe indicators scored from an index without the plan's entity and "
            "year; pass entity= and period="
        )
    for indicator in scored:
        name = indicator.scored_from or ""
        if name in failed:
            raise ScenarioError(f"index {name!r} cannot be loaded: {failed[name]}")
        index = loaded[name]
        new_index, new_data = scenario.side("index").apply(index, data, plan=plan)
        observed: list[Observation] = []
        for result in (index.evaluate(data), new_index.evaluate(new_data)):
            if indicator.is_rank:
                observed.append(
                    rank_observation(result, entity=entity, indicator=indicator.id, period=when)
                )
            else:
                points = result.score(entity) * new_index.points
                observed.append(
                    Observation(
                        entity=entity,
                        indicator=indicator.id,
                        period=when,
                        value=points,
                        unit=indicator.unit,
                        source=f"score on the root of {name}; data: {data.source or 'unnamed'}",
                    )
                )

        def replaced(observations: Observations, new: Observation) -> Observations:
            kept = tuple(
                o
                for o in observations.items
                if not (
                    o.entity == new.entity and o.indicator == new.indicator and o.period == when
                )
            )
            return Observations(items=(*kept, new))

        before = replaced(before, observed[0])
        after = replaced(after, observed[1])
    return before, after
