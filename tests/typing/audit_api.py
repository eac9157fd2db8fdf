"""Typed usage of dxplan's statistical audit and optimised weights, as a user writes it.

mypy checks this file (``python -m mypy tests/typing``); pytest does not run it.
Lines marked ``type: ignore[...]`` are mistakes mypy must catch.
"""

from __future__ import annotations

from typing import assert_type

import dxplan as dx
from dxplan.index.audit import PCA, Audit, CorrelationFlag, Correlations, EffectiveWeights, audit
from dxplan.index.model import Index, IndexResult
from dxplan.index.weighting import OptimisedWeights
from dxplan.whatif.sensitivity import SobolConvergence, SobolIndices, WeightInput, sobol


def look_inside() -> None:
    index: Index = dx.indices.asem()
    data = dx.datasets.asem()
    result: IndexResult = index.evaluate(data)
    table = dx.audit.correlations(result, ["LPI", "Flights"], ["Physical"], method="spearman")
    assert_type(table, Correlations)
    assert_type(table["LPI", "Physical"], float)
    assert_type(dx.audit.cronbach(result, "Physical"), float)
    assert_type(dx.audit.cronbach(data, ["LPI", "Flights", "Ship"]), float)
    components = dx.audit.pca(result, "Conn")
    assert_type(components, PCA)
    assert_type(components.explained, tuple[float, ...])
    assert_type(components.weights, dict[str, float])
    assert_type(dx.audit.effective_weights(result), EffectiveWeights)
    whole = audit(result)
    assert_type(whole, Audit)
    assert_type(whole.flags, tuple[CorrelationFlag, ...])
    dx.audit.correlations(result, method="kendall")  # type: ignore[arg-type]


def reweight() -> None:
    index, data = dx.indices.asem(), dx.datasets.asem()
    balanced = dx.optimise_weights(index, data, node="Index")
    assert_type(balanced, OptimisedWeights)
    assert_type(balanced.index, Index)
    assert_type(balanced.correlations, dict[str, float])
    dx.optimise_weights(index, data, node="Index", target={"Conn": 1, "Sust": 2})
    dx.optimise_weights(index, data, node="Index", target="maximal")  # type: ignore[arg-type]


def sensitivity() -> None:
    index, data = dx.indices.asem(), dx.datasets.asem()
    found = sobol(index, data, [WeightInput(node="Index")], samples=1024, seed=1)
    assert_type(found, SobolIndices)
    assert_type(found.convergence, tuple[SobolConvergence, ...])
