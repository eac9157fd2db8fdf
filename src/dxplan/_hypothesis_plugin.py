"""Registers dxplan's strategies with hypothesis, through its ``hypothesis`` entry point.

Hypothesis calls :func:`_register` when it is imported, so that
``st.from_type(dxplan.Plan)`` draws from :func:`dxplan.strategies.plans`.
dxplan itself never imports this module, nor hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from dxplan.index.data import IndexData
    from dxplan.index.model import Index
    from dxplan.whatif.scenario import Scenario


def _strategy(name: str) -> Callable[[type], SearchStrategy[Any]]:
    """Resolve ``dxplan.strategies.<name>()`` only when hypothesis asks for it.

    Registration runs while hypothesis itself is being imported, possibly by
    ``dxplan.strategies``; importing that module here would be circular.
    """

    def resolve(_kind: type) -> SearchStrategy[Any]:
        from dxplan import strategies

        made: SearchStrategy[Any] = getattr(strategies, name)()
        return made

    return resolve


def _index_data(_kind: type) -> SearchStrategy[IndexData]:
    from dxplan import strategies

    return strategies.composite_indices().flatmap(strategies.index_data)


def _scenarios(_kind: type) -> SearchStrategy[Scenario]:
    from dxplan import strategies

    def for_index(index: Index) -> SearchStrategy[Scenario]:
        return strategies.index_data(index).flatmap(lambda data: strategies.scenarios(index, data))

    return strategies.composite_indices().flatmap(for_index)


def _register() -> None:
    """Register a strategy for each of dxplan's value objects."""
    from hypothesis import strategies as st

    from dxplan.index.data import IndexData
    from dxplan.index.model import Index
    from dxplan.plan.model import (
        Drive,
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
    from dxplan.units import Unit
    from dxplan.whatif.scenario import Scenario

    named: list[tuple[type, str]] = [
        (Label, "labels"),
        (Unit, "units"),
        (Provenance, "provenances"),
        (Target, "targets"),
        (Indicator, "indicators"),
        (IndicatorGroup, "indicator_groups"),
        (Priority, "priorities"),
        (Link, "links"),
        (Drive, "drives"),
        (Task, "tasks"),
        (Plan, "plans"),
        (Index, "composite_indices"),
    ]
    for kind, name in named:
        st.register_type_strategy(kind, _strategy(name))
    st.register_type_strategy(IndexData, _index_data)
    st.register_type_strategy(Scenario, _scenarios)
