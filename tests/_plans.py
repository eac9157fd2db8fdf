"""Plans for tests, built from a few words: the one home of the builders every test file uses.

Each builder fills what a test does not care about with a plain default (a
label "Nhãn", a percent unit, a target "≥ 50", links from the plan's text),
so a test names only what it checks. The bundled HCMC plan is the ``hcmc``
fixture of ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dxplan.plan.model import (
    Indicator,
    IndicatorGroup,
    Link,
    Plan,
    Priority,
    Provenance,
    Target,
    Task,
)
from dxplan.text import Label
from dxplan.units import PERCENT

SEED = Provenance.seed()
"""The provenance of every link a builder makes unless told otherwise: the plan's text."""

WHY = Provenance.assumption("for the test")
"""The provenance of a link a test marks as a modelling choice."""


def label(vi: str = "Nhãn", en: str | None = None) -> Label:
    """A label; English only when given."""
    return Label(vi=vi) if en is None else Label(vi=vi, en=en)


def target(value: float = 50, **fields: Any) -> Target:
    """A target, ``>=`` unless ``comparator`` says otherwise."""
    return Target(comparator=fields.pop("comparator", ">="), value=value, **fields)


def indicator(indicator_id: str = "1.1", *targets: Target, **fields: Any) -> Indicator:
    """An indicator in percent with ``targets`` (one "≥ 50" when none are given)."""
    return Indicator(
        id=indicator_id,
        label=fields.pop("label", None) or label(),
        unit=fields.pop("unit", PERCENT),
        targets=targets or (target(),),
        **fields,
    )


def group(group_id: str, *indicators: Indicator, declared: int | None = None) -> IndicatorGroup:
    """A group listing ``indicators``, declaring as many unless ``declared`` says more."""
    count = len(indicators) if declared is None else declared
    return IndicatorGroup(id=group_id, label=label(), declared_count=count, indicators=indicators)


def link(to: str, weight: float = 1.0, provenance: Provenance = SEED) -> Link:
    """A link to the element ``to``."""
    return Link(to=to, provenance=provenance, weight=weight)


def task(
    task_id: str,
    *,
    depends: Sequence[str] = (),
    to: Sequence[str] = ("1.1",),
    serves: Sequence[str] = ("P1",),
    **fields: Any,
) -> Task:
    """A task depending on ``depends``, contributing to ``to`` and serving ``serves``."""
    return Task(
        id=task_id,
        label=fields.pop("label", None) or label(),
        depends_on=[link(d) for d in depends],
        contributes_to=[link(i) for i in to],
        priorities=[link(p) for p in serves],
        **fields,
    )


def plan(**fields: Any) -> Plan:
    """A clean plan: one priority, one group with 1.1, one task covering it, for HCMC."""
    fields.setdefault("priorities", [Priority(id="P1", label=label())])
    fields.setdefault("groups", [group("G1", indicator("1.1"))])
    fields.setdefault("tasks", [task("T1")])
    fields.setdefault("entity", "ho-chi-minh")
    return Plan(id=fields.pop("id", "test"), label=fields.pop("label", None) or label(), **fields)
