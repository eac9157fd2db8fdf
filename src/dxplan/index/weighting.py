"""Optimised weights: weights under one node chosen for what each child should count.

:func:`optimise_weights` looks for the weights of a node's children such that

- ``"balance"`` (default): each child's correlation with the node, as a share
  of the children's correlations together, matches a target share (equal by
  default, or ``{child: share}``): the linear version of Becker et al. (2017)
  that COINr's ``get_opt_weights(optype = "balance")`` implements;
- ``"infomax"``: the children's correlations with the node add up to the most.

The optimiser is Nelder–Mead (:func:`dxplan.index._stats.nelder_mead`, numpy only)
over the logarithms of the weights relative to the first child, so weights
stay positive; it stops when the simplex is within ``1e-10`` in every
coordinate and its values within ``1e-15``. The result carries a new
:class:`~dxplan.index.model.Index`; the original is never changed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan._validators import positive_int
from dxplan.errors import InvalidValueError
from dxplan.index import _stats
from dxplan.index.data import IndexData, PanelData
from dxplan.index.model import Aggregate, Index

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OptimisedWeights", "optimise_weights"]

FloatArray = npt.NDArray[np.float64]
Method = Literal["pearson", "spearman"]

#: Nelder–Mead stops when the simplex is this close in every log-weight …
X_TOLERANCE = 1e-10
#: … and its objective values this close to the best.
F_TOLERANCE = 1e-15


@attrs.frozen(kw_only=True, eq=False)
class OptimisedWeights(Displayable):
    """Weights found for ``node``'s children and the correlations they achieve.

    ``weights`` sum to 1; ``correlations`` are each child's correlation with
    ``node`` under them (``nominal_correlations`` under the declared weights);
    ``targets`` the shares asked for (empty for infomax); ``gap`` the largest
    distance of a share from its target (NaN for infomax): well above 0, no
    positive weights reach the targets and the optimum leans on the edge.
    """

    node: str
    objective: Literal["balance", "infomax"]
    index: Index
    weights: dict[str, float]
    correlations: dict[str, float]
    nominal_correlations: dict[str, float]
    targets: dict[str, float]
    method: Method
    gap: float
    converged: bool
    iterations: int
    evaluations: int

    @property
    def shares(self) -> dict[str, float]:
        """Each child's correlation as a share of the children's together."""
        total = sum(self.correlations.values())
        return {c: r / total for c, r in self.correlations.items()}

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data."""
        return {
            "node": self.node,
            "objective": self.objective,
            "method": self.method,
            "gap": None if math.isnan(self.gap) else self.gap,
            "converged": self.converged,
            "iterations": self.iterations,
            "children": [
                {
                    "child": c,
                    "weight": w,
                    "r": self.correlations[c],
                    "nominal_r": self.nominal_correlations[c],
                    "target_share": self.targets.get(c),
                }
                for c, w in self.weights.items()
            ],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per child (needs pandas)."""
        pd = import_pandas()
        return pd.DataFrame(self.to_dict()["children"]).set_index("child")

    def __repr__(self) -> str:
        weights = ", ".join(f"{c}={w:.3f}" for c, w in self.weights.items())
        return f"<OptimisedWeights {self.objective} under {self.node}: {weights}>"


def _targets(
    target: Literal["balance", "infomax"] | Mapping[str, float], children: tuple[str, ...]
) -> tuple[Literal["balance", "infomax"], FloatArray]:
    if isinstance(target, str):
        if target not in ("balance", "infomax"):
            raise InvalidValueError("target", target, "'balance', 'infomax' or {child: share}")
        return target, np.full(len(children), 1.0 / len(children))
    if not isinstance(target, Mapping):
        raise InvalidValueError("target", target, "'balance', 'infomax' or {child: share}")
    unknown = [c for c in target if c not in children]
    if unknown or set(target) != set(children):
        raise InvalidValueError(
            "target", dict(target), f"one share for each child of the node: {list(children)}"
        )
    shares = np.array([float(target[c]) for c in children])
    if not (np.isfinite(shares).all() and (shares > 0).all()):
        raise InvalidValueError("target", dict(target), "positive, finite shares")
    return "balance", shares / shares.sum()


def optimise_weights(
    index: Index,
    data: IndexData,
    *,
    node: str | None = None,
    target: Literal["balance", "infomax"] | Mapping[str, float] = "balance",
    method: Method = "pearson",
    max_iterations: int = 5_000,
    extra: Literal["error", "ignore"] = "error",
) -> OptimisedWeights:
    """Weights of ``node``'s children (the root's by default) optimised for ``target``.

    Args:
        index: the index; it is not changed.
        data: raw values.
        node: the aggregate whose children's weights are optimised.
        target: ``"balance"`` (equal shares of correlation), ``{child: share}``
            (shares in those proportions) or ``"infomax"``.
        method: the correlation, ``"pearson"`` or ``"spearman"``.
        max_iterations: Nelder–Mead iterations before giving up (the result
            then says ``converged=False``).
        extra: as for :meth:`Index.evaluate`.

    Balance minimises ``Σ (share_i − target_i)²`` with ``share_i = r_i / Σ r``
    and ``r_i`` child ``i``'s correlation with the node (COINr minimises the
    log of the same sum over ``k``, from the targets as starting weights, with
    R's Nelder–Mead at a relative tolerance of 0.1; dxplan starts from the
    same point and converges much tighter). Infomax maximises ``Σ r_i``. COINr
    correlates a level with the index's top level; dxplan with the node's own
    score, which is the same at the level just below the root. Spearman
    correlations are step functions of the weights, so with
    ``method="spearman"`` the optimum may stop on a step (see ``gap``).
    """
    top = index.root if node is None else node
    parent = index.node(top)
    if not isinstance(parent, Aggregate):
        raise InvalidValueError("node", top, "an aggregate (a leaf has no weights)")
    if len(parent.children) < 2:
        raise InvalidValueError("node", top, "an aggregate with at least two children")
    _stats.METHODS.check("method", method)
    positive_int.check("max_iterations", max_iterations)
    if isinstance(data, PanelData):
        raise InvalidValueError("data", "a panel", "one period's data (data.period(p))")
    objective, shares = _targets(target, parent.children)
    nominal = index.evaluate(data, extra=extra)
    column_of = index._derived.column_of
    children = np.asarray(
        nominal.values[:, [column_of[c] for c in parent.children]], dtype=np.float64
    )
    parent_column = column_of[top]

    def correlations_for(weights: FloatArray) -> FloatArray:
        scores = index.with_weights(top, weights.tolist()).evaluate(data, extra=extra)
        own = np.asarray(scores.values[:, [parent_column]], dtype=np.float64)
        return _stats.correlation_matrix(children, own, method)[0][:, 0]

    def trial_correlations(weights: FloatArray) -> FloatArray:
        # The node's score is its aggregator over the children's (unchanged) scores;
        # with an availability threshold the engine decides, so evaluate in full.
        if parent.min_availability is not None:
            return correlations_for(weights)
        own = parent.aggregator.combine(children, weights)[:, None]
        return _stats.correlation_matrix(children, own, method)[0][:, 0]

    def weights_of(theta: FloatArray) -> FloatArray:
        logs = np.concatenate([[0.0], theta])
        w = np.exp(logs - logs.max())
        return np.asarray(w / w.sum(), dtype=np.float64)

    def loss(theta: FloatArray) -> float:
        r = trial_correlations(weights_of(theta))
        if np.isnan(r).any():
            return math.inf
        if objective == "infomax":
            return -float(r.sum())
        return float(((r / r.sum() - shares) ** 2).sum())

    if objective == "balance":
        start = shares
    else:
        declared = np.array(parent.weights, dtype=np.float64)
        start = declared / declared.sum() if (declared > 0).all() else shares
    found = _stats.nelder_mead(
        loss,
        np.log(start[1:] / start[0]),
        step=0.5,
        x_tolerance=X_TOLERANCE,
        f_tolerance=F_TOLERANCE,
        max_iterations=max_iterations,
    )
    best = weights_of(np.asarray(found.x))
    achieved = correlations_for(best)
    declared_r = correlations_for(np.array(parent.weights, dtype=np.float64))
    return OptimisedWeights(
        node=top,
        objective=objective,
        index=index.with_weights(top, tuple(float(w) for w in best)),
        weights={c: float(w) for c, w in zip(parent.children, best, strict=True)},
        correlations={c: float(r) for c, r in zip(parent.children, achieved, strict=True)},
        nominal_correlations={
            c: float(r) for c, r in zip(parent.children, declared_r, strict=True)
        },
        targets=(
            {}
            if objective == "infomax"
            else {c: float(s) for c, s in zip(parent.children, shares, strict=True)}
        ),
        method=method,
        gap=(
            math.nan
            if objective == "infomax"
            else float(np.abs(achieved / achieved.sum() - shares).max())
        ),
        converged=found.converged,
        iterations=found.iterations,
        evaluations=found.evaluations,
    )
