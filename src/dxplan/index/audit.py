"""Look inside an index: correlations, consistency, principal components, effective weights.

The statistical audit of a composite index as the JRC runs it and COINr
computes it (``get_corr``, ``get_corr_flags``, ``get_cronbach``, ``get_PCA``):

- :func:`correlations`: Pearson or Spearman correlations of any set of nodes
  with any other, pairwise-complete, with two-sided p-values.
- :func:`correlation_flags`: children that correlate negatively or weakly
  (< 0.3) with their parent, and near-duplicate siblings (> 0.92).
- :func:`cronbach`: Cronbach's alpha of a group (COINr's formula on the
  pairwise-complete covariance matrix).
- :func:`pca`: principal components of a group's children, centred and scaled.
- :func:`effective_weights`: each node's declared weight beside its
  correlation-based importance.
- :func:`audit`: all of the above for every aggregation group of an index.

Every function takes an :class:`~dxplan.index.model.IndexResult` (node ids: leaves'
normalised scores and the aggregates) or an :class:`~dxplan.index.data.IndexData`
(component ids: raw values).

>>> import dxplan as dx
>>> result = dx.indices.asem().evaluate(dx.datasets.asem())
>>> round(cronbach(result, "Political"), 2)
0.64
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from dxplan._display import Displayable
from dxplan._extras import import_pandas
from dxplan.errors import InvalidValueError
from dxplan.index import _stats
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, IndexResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PCA",
    "Audit",
    "Correlation",
    "CorrelationFlag",
    "Correlations",
    "EffectiveWeight",
    "EffectiveWeights",
    "audit",
    "correlation_flags",
    "correlations",
    "cronbach",
    "effective_weights",
    "pca",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["pearson", "spearman"]
Source = IndexResult | IndexData

_ONE_RESULT = "an IndexResult (of a panel: panel.period(p))"

#: Below this correlation with its parent a child is flagged as weak (JRC audits).
WEAK = 0.3
#: Above this correlation two siblings are flagged as near-duplicates (JRC audits).
DUPLICATE = 0.92


def _check_method(method: str) -> Method:
    _stats.METHODS.check("method", method)
    return method  # type: ignore[return-value]


def _ids(value: str | Sequence[str] | None, source: Source, where: str) -> tuple[str, ...]:
    if value is None:
        if isinstance(source, IndexResult):
            return tuple(n.id for n in source.index.nodes)
        return source.components
    ids = (value,) if isinstance(value, str) else tuple(value)
    if not ids:
        raise InvalidValueError(where, value, "at least one node id")
    return ids


def _matrix(source: Source, ids: Sequence[str]) -> FloatArray:
    """Values of ``ids`` (columns) for every entity (rows)."""
    if isinstance(source, IndexResult):
        column_of = source.index._derived.column_of
        missing = [i for i in ids if i not in column_of]
        if missing:
            raise InvalidValueError("node", missing[0], "a node of the index")
        return np.asarray(source.values[:, [column_of[i] for i in ids]], dtype=np.float64)
    if not isinstance(source, IndexData):
        raise InvalidValueError(
            "source",
            type(source).__name__,
            "an IndexResult (index.evaluate(data); of a panel: panel.period(p)) or IndexData",
        )
    at = {c: j for j, c in enumerate(source.components)}
    missing = [i for i in ids if i not in at]
    if missing:
        raise InvalidValueError("component", missing[0], "a component of the data")
    return np.asarray(source.values[:, [at[i] for i in ids]], dtype=np.float64)


def _group(source: Source, components: str | Sequence[str], where: str) -> tuple[str, ...]:
    """A group's member ids: an aggregate's children, or the ids given."""
    if isinstance(components, str) and isinstance(source, IndexResult):
        node = source.index.node(components)
        if not isinstance(node, Aggregate):
            raise InvalidValueError(where, components, "an aggregate (a leaf has no children)")
        return node.children
    ids = (components,) if isinstance(components, str) else tuple(components)
    if len(ids) < 2:
        raise InvalidValueError(where, components, "at least two ids, or an aggregate's id")
    if len(set(ids)) != len(ids):
        raise InvalidValueError(where, components, "ids without repeats")
    return ids


def _json(value: float) -> float | None:
    return None if math.isnan(value) else value


# --------------------------------------------------------------------------- correlations


@attrs.frozen(kw_only=True)
class Correlation:
    """One pair: the correlation, its two-sided p-value and the entities it used."""

    row: str
    column: str
    r: float
    p_value: float
    pairs: int


@attrs.frozen(kw_only=True, eq=False)
class Correlations(Displayable):
    """Correlations of ``rows`` with ``columns``: ``values[i, j]`` is ``r(rows[i], columns[j])``.

    ``p_values`` are two-sided (t test on ``n − 2`` degrees of freedom) and
    ``counts`` the entities with both values.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    method: Method
    values: FloatArray
    p_values: FloatArray
    counts: FloatArray

    def __getitem__(self, pair: tuple[str, str]) -> float:
        row, column = pair
        return float(self.values[self._at(self.rows, row), self._at(self.columns, column)])

    def get(self, row: str, column: str) -> Correlation:
        """The correlation of ``row`` with ``column``, with its p-value and count."""
        i, j = self._at(self.rows, row), self._at(self.columns, column)
        return Correlation(
            row=row,
            column=column,
            r=float(self.values[i, j]),
            p_value=float(self.p_values[i, j]),
            pairs=int(self.counts[i, j]),
        )

    @staticmethod
    def _at(ids: tuple[str, ...], key: str) -> int:
        try:
            return ids.index(key)
        except ValueError:
            raise InvalidValueError("node", key, f"one of {list(ids)}") from None

    def pairs(self) -> tuple[Correlation, ...]:
        """Every (row, column) pair, rows first."""
        return tuple(self.get(r, c) for r in self.rows for c in self.columns)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data: the method and one entry per pair."""
        return {
            "method": self.method,
            "pairs": [
                {
                    "row": p.row,
                    "column": p.column,
                    "r": _json(p.r),
                    "p_value": _json(p.p_value),
                    "pairs": p.pairs,
                }
                for p in self.pairs()
            ],
        }

    def to_frame(self, *, long: bool = False) -> pd.DataFrame:
        """Rows × columns of r (needs pandas); ``long=True``: one row per pair with p and n."""
        pd = import_pandas()
        if long:
            return pd.DataFrame(
                [attrs.asdict(p) for p in self.pairs()],
                columns=["row", "column", "r", "p_value", "pairs"],
            )
        frame = pd.DataFrame(np.array(self.values), index=list(self.rows), columns=self.columns)
        frame.index.name = self.method
        return frame

    def __repr__(self) -> str:
        return f"<Correlations {self.method} {len(self.rows)} × {len(self.columns)}>"


def correlations(
    source: Source,
    rows: str | Sequence[str] | None = None,
    columns: str | Sequence[str] | None = None,
    *,
    method: Method = "pearson",
) -> Correlations:
    """Correlations of the ``rows`` nodes with the ``columns`` nodes.

    Args:
        source: an evaluated index (node ids) or raw data (component ids).
        rows: node ids (every node, or every component, by default).
        columns: node ids (the same as ``rows`` by default).
        method: ``"pearson"`` or ``"spearman"`` (Pearson on average ranks).

    Each pair uses the entities with both values (pairwise-complete, as
    COINr's ``get_corr``); p-values are two-sided, from the t distribution
    with ``n − 2`` degrees of freedom (no scipy needed). COINr blanks
    correlations with p > 0.05; dxplan keeps them and reports the p-value.
    """
    chosen = _check_method(method)
    row_ids = _ids(rows, source, "rows")
    column_ids = row_ids if columns is None else _ids(columns, source, "columns")
    r, counts = _stats.correlation_matrix(
        _matrix(source, row_ids), _matrix(source, column_ids), chosen
    )
    p = _stats.correlation_p_values(r, counts)
    for array in (r, p, counts):
        array.setflags(write=False)
    return Correlations(
        rows=row_ids, columns=column_ids, method=chosen, values=r, p_values=p, counts=counts
    )


FlagKind = Literal["negative", "weak", "near-duplicate"]


@attrs.frozen(kw_only=True)
class CorrelationFlag:
    """A child that correlates negatively or weakly with its parent, or two near-duplicates.

    For ``"negative"`` and ``"weak"``, ``other`` is the parent; for
    ``"near-duplicate"``, the sibling (and ``group`` their parent).
    """

    kind: FlagKind
    node: str
    other: str
    group: str
    r: float


def correlation_flags(
    result: IndexResult,
    *,
    method: Method = "pearson",
    weak: float = WEAK,
    duplicate: float = DUPLICATE,
) -> tuple[CorrelationFlag, ...]:
    """Children that correlate negatively (< 0) or weakly (< ``weak``) with their parent.

    And pairs of siblings correlated above ``duplicate`` (possible double
    counting), as the JRC's audits flag them; a pair that are siblings under
    several parents (shared children) is flagged once, under the first.
    Children of weight 0 take no part.
    """
    if not isinstance(result, IndexResult):
        raise InvalidValueError("result", type(result).__name__, _ONE_RESULT)
    for name, value in (("weak", weak), ("duplicate", duplicate)):
        if not -1 <= value <= 1:  # NaN fails too
            raise InvalidValueError(name, value, "a correlation from -1 to 1")
    return _flags(_families(result, _check_method(method)), weak, duplicate)


Families = dict[str, tuple[list[str], FloatArray]]


def _families(result: IndexResult, method: Method) -> Families:
    """Per aggregate: its live children and the correlations of [children…, itself]."""
    out: Families = {}
    for parent in result.index.aggregates:
        kids = [c for c, w in zip(parent.children, parent.weights, strict=True) if w > 0]
        x = _matrix(result, [*kids, parent.id])
        out[parent.id] = (kids, _stats.correlation_matrix(x, x, method)[0])
    return out


def _flags(families: Families, weak: float, duplicate: float) -> tuple[CorrelationFlag, ...]:
    flags: list[CorrelationFlag] = []
    seen: set[tuple[str, str]] = set()
    for parent_id, (kids, table) in families.items():
        for c, child in enumerate(kids):
            r = float(table[c, -1])
            if r < weak:
                kind: FlagKind = "negative" if r < 0 else "weak"
                flags.append(
                    CorrelationFlag(kind=kind, node=child, other=parent_id, group=parent_id, r=r)
                )
        for i, a in enumerate(kids):
            for j in range(i + 1, len(kids)):
                b, r = kids[j], float(table[i, j])
                if r > duplicate and (a, b) not in seen:
                    seen.add((a, b))
                    flags.append(
                        CorrelationFlag(
                            kind="near-duplicate", node=a, other=b, group=parent_id, r=r
                        )
                    )
    return tuple(flags)


# --------------------------------------------------------------------------- Cronbach


def cronbach(source: Source, components: str | Sequence[str]) -> float:
    """Cronbach's alpha of a group: an aggregate's children, or the ids given.

    COINr's ``get_cronbach``: with ``C`` the pairwise-complete covariance
    matrix of the ``k`` items, ``α = k² · mean(off-diagonal C) / sum(C)``,
    i.e. ``k/(k − 1) · (1 − trace(C)/sum(C))``.
    """
    ids = _group(source, components, "components")
    cov = _stats.covariance_matrix(_matrix(source, ids))
    k = len(ids)
    total = float(np.nansum(cov))
    diagonal = float(np.nansum(np.diag(cov)))
    mean_off = (total - diagonal) / (k * (k - 1))
    return k * k * mean_off / total if total != 0 else math.nan


# --------------------------------------------------------------------------- PCA


@attrs.frozen(kw_only=True, eq=False)
class PCA:
    """Principal components of a group's members, on centred and scaled values.

    ``loadings[i, c]`` is the coefficient of ``components[i]`` in principal
    component ``c`` (R's ``prcomp(...)$rotation``); each component's sign is
    chosen so that its coefficients sum to a non-negative number (PCA leaves
    the sign arbitrary). ``explained[c]`` is the share of the total variance
    that component ``c`` carries.
    """

    group: str
    components: tuple[str, ...]
    explained: tuple[float, ...]
    loadings: FloatArray
    entities: int
    dropped: tuple[str, ...]

    @property
    def weights(self) -> dict[str, float]:
        """The first component's coefficients, COINr's "PCA weights" (may be negative)."""
        return {c: float(v) for c, v in zip(self.components, self.loadings[:, 0], strict=True)}

    def components_needed(self, share: float = 0.9) -> int:
        """How many components carry at least ``share`` of the variance together."""
        if not 0 < share <= 1:
            raise InvalidValueError("share", share, "a share above 0, at most 1")
        cumulative = np.cumsum(self.explained)
        return int(np.searchsorted(cumulative, share - 1e-12) + 1)

    def __repr__(self) -> str:
        shares = ", ".join(f"{v:.0%}" for v in self.explained[:3])
        return f"<PCA {self.group or 'of ' + str(len(self.components))}: {shares}, …>"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data."""
        return {
            "group": self.group,
            "components": list(self.components),
            "explained": list(self.explained),
            "components_for_90_percent": self.components_needed(0.9),
            "weights": self.weights,
            "entities": self.entities,
            "dropped": list(self.dropped),
        }

    def to_frame(self) -> pd.DataFrame:
        """Loadings: members × principal components (needs pandas)."""
        pd = import_pandas()
        frame = pd.DataFrame(
            np.array(self.loadings),
            index=list(self.components),
            columns=[f"PC{c + 1}" for c in range(self.loadings.shape[1])],
        )
        frame.index.name = self.group
        return frame


def pca(
    source: Source, group: str | None = None, *, components: Sequence[str] | None = None
) -> PCA:
    """Principal components of ``group``'s children (or of ``components``).

    As COINr's ``get_PCA`` (R's ``prcomp(center = TRUE, scale = TRUE)``):
    entities missing any member are left out (listed in ``dropped``), each
    member is centred and divided by its sample standard deviation, and the
    components are the right singular vectors of that matrix.
    """
    if (group is None) == (components is None):
        raise InvalidValueError("group", group, "either a group or components, not both")
    ids = _group(source, group if group is not None else tuple(components or ()), "group")
    x = _matrix(source, ids)
    complete = np.asarray(~np.isnan(x).any(axis=1))
    dropped = tuple(e for e, ok in zip(source.entities, complete, strict=True) if not ok)
    x = x[complete]
    if x.shape[0] < 2:
        raise InvalidValueError("group", group, "members with values for at least two entities")
    sd = x.std(axis=0, ddof=1)
    if (sd == 0).any():
        flat = [i for i, s in zip(ids, sd, strict=True) if s == 0]
        raise InvalidValueError("components", flat, "members that vary across entities")
    z = (x - x.mean(axis=0)) / sd
    _, singular, vt = np.linalg.svd(z, full_matrices=False)
    variance = singular**2
    loadings = vt.T.copy()
    signs = np.where(loadings.sum(axis=0) < 0, -1.0, 1.0)
    loadings *= signs
    loadings.setflags(write=False)
    explained = variance / variance.sum()
    return PCA(
        group=group if group is not None else "",
        components=ids,
        explained=tuple(float(v) for v in explained),
        loadings=loadings,
        entities=int(x.shape[0]),
        dropped=dropped,
    )


# --------------------------------------------------------------------------- effective weights


@attrs.frozen(kw_only=True)
class EffectiveWeight:
    """A child's declared weight beside its correlation-based importance in its parent.

    ``nominal``: its weight relative within the parent; ``at_root``: its
    share of the root (products of relative weights down the tree);
    ``r``: its correlation with the parent; ``importance``: ``r²`` as a share
    of the siblings' ``r²`` (the first-order effect of a linear model,
    Paruolo, Saisana and Saltelli 2013).
    """

    node: str
    parent: str
    nominal: float
    at_root: float
    r: float
    importance: float

    @property
    def ratio(self) -> float:
        """Importance over nominal weight: below 1 the node counts less than declared."""
        return self.importance / self.nominal if self.nominal > 0 else math.nan


@attrs.frozen(kw_only=True)
class EffectiveWeights:
    """Effective against nominal weights for every parent–child link of an index."""

    method: Method
    rows: tuple[EffectiveWeight, ...]

    def __getitem__(self, key: tuple[str, str]) -> EffectiveWeight:
        node, parent = key
        for row in self.rows:
            if row.node == node and row.parent == parent:
                return row
        raise InvalidValueError("node", key, "a (child, parent) link of the index")

    def __repr__(self) -> str:
        return f"<EffectiveWeights {self.method}, {len(self.rows)} links>"

    def to_rows(self) -> list[dict[str, object]]:
        """Plain rows for JSON or CSV."""
        return [
            {
                "node": r.node,
                "parent": r.parent,
                "nominal": r.nominal,
                "at_root": r.at_root,
                "r": _json(r.r),
                "importance": _json(r.importance),
            }
            for r in self.rows
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per link (needs pandas)."""
        pd = import_pandas()
        return pd.DataFrame(self.to_rows())


def _shares_at_root(index: Index) -> dict[str, float]:
    """Every node's share of the root: products of relative weights, summed over paths."""
    share = {index.root: 1.0}
    for node_id in index.order:
        node = index.node(node_id)
        if node_id not in share or not isinstance(node, Aggregate):
            continue
        total = sum(node.weights)
        for child, w in zip(node.children, node.weights, strict=True):
            share[child] = share.get(child, 0.0) + share[node_id] * w / total
    return share


def effective_weights(result: IndexResult, *, method: Method = "pearson") -> EffectiveWeights:
    """Each child's nominal weight beside its correlation-based importance in its parent."""
    if not isinstance(result, IndexResult):
        raise InvalidValueError("result", type(result).__name__, _ONE_RESULT)
    chosen = _check_method(method)
    return _effective(result, _families(result, chosen), chosen)


def _effective(result: IndexResult, families: Families, method: Method) -> EffectiveWeights:
    at_root = _shares_at_root(result.index)
    rows: list[EffectiveWeight] = []
    for parent in result.index.aggregates:
        kids, table = families[parent.id]
        weights = [w for w in parent.weights if w > 0]
        r = table[:-1, -1]
        squares = np.where(np.isnan(r), 0.0, r * r)
        total = squares.sum()
        for i, child in enumerate(kids):
            rows.append(
                EffectiveWeight(
                    node=child,
                    parent=parent.id,
                    nominal=weights[i] / sum(weights),
                    at_root=at_root.get(child, 0.0),
                    r=float(r[i]),
                    importance=float(squares[i] / total) if total > 0 else math.nan,
                )
            )
    return EffectiveWeights(method=method, rows=tuple(rows))


# --------------------------------------------------------------------------- the whole audit


@attrs.frozen(kw_only=True, eq=False)
class Audit(Displayable):
    """The statistical audit of an evaluated index, group by group."""

    result: IndexResult
    method: Method
    flags: tuple[CorrelationFlag, ...]
    alphas: dict[str, float]
    components: tuple[PCA, ...]
    weights: EffectiveWeights

    def lowest_alphas(self, count: int = 3) -> tuple[tuple[str, float], ...]:
        """The groups with the lowest Cronbach's alpha, lowest first."""
        ordered = sorted(self.alphas.items(), key=lambda kv: (math.isnan(kv[1]), kv[1], kv[0]))
        return tuple(ordered[:count])

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data."""
        return {
            "index": self.result.index.title(),
            "method": self.method,
            "flags": [attrs.asdict(f) for f in self.flags],
            "alphas": {k: _json(v) for k, v in self.alphas.items()},
            "pca": [p.to_dict() for p in self.components],
            "effective_weights": self.weights.to_rows(),
        }

    def __repr__(self) -> str:
        name = self.result.index.title()
        return f"<Audit of {name}: {len(self.flags)} flags, {len(self.alphas)} groups>"


def audit(result: IndexResult, *, method: Method = "pearson") -> Audit:
    """Flags, Cronbach's alphas, PCA and effective weights of every aggregation group.

    Groups of fewer than two children get no alpha and no PCA; a group whose
    PCA cannot be computed (fewer than two complete entities, or a member
    that does not vary among them) has no entry in ``components``.
    """
    if not isinstance(result, IndexResult):
        raise InvalidValueError("result", type(result).__name__, _ONE_RESULT)
    chosen = _check_method(method)
    groups = [n for n in result.index.aggregates if len(n.children) >= 2]
    components: list[PCA] = []
    for group in groups:
        try:
            components.append(pca(result, group.id))
        except InvalidValueError:  # too few complete entities, or a member that never varies
            continue
    families = _families(result, chosen)
    return Audit(
        result=result,
        method=chosen,
        flags=_flags(families, WEAK, DUPLICATE),
        alphas={g.id: cronbach(result, g.id) for g in groups},
        components=tuple(components),
        weights=_effective(result, families, chosen),
    )
