"""Registers dxplan's strategies with hypothesis, through its ``hypothesis`` entry point.

Hypothesis calls :func:`_register` when it is imported, so that
``st.from_type(dxplan.Plan)`` draws from :func:`dxplan.strategies.plans`.
dxplan itself never imports this module, nor hypothesis.
"""

from __future__ import annotations


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
    ]
    for kind, strategy in registered:
        st.register_type_strategy(kind, strategy)
