"""Registers dxplan's strategies with hypothesis, through its ``hypothesis`` entry point.

Hypothesis calls :func:`_register` when it is imported, so that
``st.from_type(dxplan.Plan)`` draws from :func:`dxplan.strategies.plans`.
dxplan itself never imports this module, nor hypothesis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from dxplan.index import Index
    from dxplan.scenario import Scenario


def _scenarios_for(index: Index) -> SearchStrategy[Scenario]:
    from dxplan import strategies

    return strategies.index_data(index).flatmap(lambda data: strategies.scenarios(index, data))


def _register() -> None:
    """Register a strategy for each of dxplan's value objects."""
    from hypothesis import strategies as st

    from dxplan import strategies
    from dxplan.index import Index
    from dxplan.index_data import IndexData
    from dxplan.model import (
        Indicator,
        IndicatorGroup,
        Link,
        Plan,
        Priority,
        Provenance,
        Target,
        Task,
    )
    from dxplan.scenario import Scenario
    from dxplan.text import Label
    from dxplan.units import Unit

    registered: list[tuple[type, st.SearchStrategy[object]]] = [
        (Label, strategies.labels()),
        (Unit, strategies.units()),
        (Provenance, strategies.provenances()),
        (Target, strategies.targets()),
        (Indicator, strategies.indicators()),
        (IndicatorGroup, strategies.indicator_groups()),
        (Priority, strategies.priorities()),
        (Link, strategies.links()),
        (Task, strategies.tasks()),
        (Plan, strategies.plans()),
        (Index, strategies.indices()),
        (IndexData, strategies.indices().flatmap(strategies.index_data)),
        (Scenario, strategies.indices().flatmap(_scenarios_for)),
    ]
    for kind, strategy in registered:
        st.register_type_strategy(kind, strategy)
