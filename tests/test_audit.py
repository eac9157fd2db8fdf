"""Tests for dxplan.index.audit on COINr's ASEM example (min-max [0, 100], arithmetic means).

Expected values come from plain reference implementations written here, one
pair or one item at a time with Python loops, following COINr's definitions
(R's ``cor``/``cov`` with ``use = "pairwise.complete.obs"``, ``cor.test``,
``get_cronbach``, ``prcomp(center = TRUE, scale = TRUE)``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from rich.console import Console

import dxplan as dx
from dxplan import datasets, indices
from dxplan.errors import InvalidValueError
from dxplan.index.audit import (
    PCA,
    Audit,
    Correlations,
    audit,
    correlation_flags,
    correlations,
    cronbach,
    effective_weights,
    pca,
)
from dxplan.index.model import Aggregate, IndexResult

INDEX = indices.asem()
DATA = datasets.asem()
RESULT = INDEX.evaluate(DATA)
LEAVES = [leaf.id for leaf in INDEX.leaves]
PILLARS = [n.id for n in INDEX.aggregates if set(n.children) <= set(LEAVES)]
SUB_INDICES = ["Conn", "Sust"]


# ----------------------------------------------------------------------------- references


def column(node: str) -> list[float]:
    """One node's scores for every entity, as a Python list."""
    return [RESULT.score(e, node) for e in RESULT.entities]


def pairs(x: list[float], y: list[float]) -> tuple[list[float], list[float]]:
    """The entries where both lists have a value."""
    kept = [(a, b) for a, b in zip(x, y, strict=True) if not (math.isnan(a) or math.isnan(b))]
    return [a for a, _ in kept], [b for _, b in kept]


def ref_pearson(x: list[float], y: list[float]) -> tuple[float, int]:
    """Pearson's r on the complete pairs, summed one term at a time."""
    a, b = pairs(x, y)
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    sab = sum((p - ma) * (q - mb) for p, q in zip(a, b, strict=True))
    saa = sum((p - ma) ** 2 for p in a)
    sbb = sum((q - mb) ** 2 for q in b)
    return sab / math.sqrt(saa * sbb), n


def ref_ranks(values: list[float]) -> list[float]:
    """Average ranks: 1 + the values below + half the other values equal."""
    return [1 + sum(w < v for w in values) + (sum(w == v for w in values) - 1) / 2 for v in values]


def ref_spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rho: Pearson on the average ranks of the complete pairs."""
    a, b = pairs(x, y)
    return ref_pearson(ref_ranks(a), ref_ranks(b))[0]


def ref_p_value(r: float, n: int) -> float:
    """Two-sided t-test p-value by Abramowitz & Stegun 26.7.3–4 (finite sums, integer df)."""
    df = n - 2
    t = abs(r) * math.sqrt(df / (1 - r * r))
    theta = math.atan(t / math.sqrt(df))
    c, s = math.cos(theta), math.sin(theta)
    if df % 2 == 1:
        term, total = c, c if df > 1 else 0.0
        for k in range(3, df - 1, 2):
            term *= (k - 1) / k * c * c
            total += term
        inside = 2 / math.pi * (theta + s * total)
    else:
        term, total = 1.0, 1.0
        for k in range(2, df, 2):
            term *= (k - 1) / k * c * c
            total += term
        inside = s * total
    return 1 - inside


def ref_cov(x: list[float], y: list[float]) -> float:
    """Sample covariance on the complete pairs."""
    a, b = pairs(x, y)
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    return sum((p - ma) * (q - mb) for p, q in zip(a, b, strict=True)) / (n - 1)


def ref_cronbach(members: list[str]) -> float:
    """COINr's get_cronbach: k² · mean off-diagonal covariance / sum of all covariances."""
    k = len(members)
    cov = [[ref_cov(column(a), column(b)) for b in members] for a in members]
    total = sum(sum(row) for row in cov)
    diagonal = sum(cov[i][i] for i in range(k))
    return k * k * ((total - diagonal) / (k * (k - 1))) / total


def ref_pca_explained(members: list[str]) -> list[float]:
    """Eigenvalues of the correlation matrix of the complete rows, as shares, largest first."""
    columns = [column(m) for m in members]
    rows = [
        [c[i] for c in columns]
        for i in range(len(RESULT.entities))
        if not any(math.isnan(c[i]) for c in columns)
    ]
    complete = [[row[j] for row in rows] for j in range(len(members))]
    corr = np.array([[ref_pearson(a, b)[0] for b in complete] for a in complete])
    eigen = sorted(np.linalg.eigvalsh(corr), reverse=True)
    return [float(v) / len(members) for v in eigen]


def children(node: str) -> list[str]:
    """A node's children."""
    target = INDEX.node(node)
    assert isinstance(target, Aggregate)
    return list(target.children)


# ----------------------------------------------------------------------------- tests


class TestCorrelations:
    """dx.audit.correlations: any node set with any other, Pearson and Spearman, with p-values."""

    @pytest.mark.parametrize("pillar", PILLARS)
    def test_indicators_with_their_pillar(self, pillar: str) -> None:
        """Each indicator's Pearson r with its pillar matches the pairwise-complete reference."""
        table = dx.audit.correlations(RESULT, children(pillar), [pillar])
        for indicator in children(pillar):
            expected, n = ref_pearson(column(indicator), column(pillar))
            found = table.get(indicator, pillar)
            assert found.r == pytest.approx(expected, abs=1e-12)
            assert found.pairs == n
            assert found.p_value == pytest.approx(ref_p_value(expected, n), rel=1e-9, abs=1e-15)

    def test_pillars_with_sub_indices(self) -> None:
        """Every pillar against both sub-indices (a full 8 × 2 block)."""
        table = correlations(RESULT, PILLARS, SUB_INDICES)
        assert table.values.shape == (8, 2)
        for pillar in PILLARS:
            for sub in SUB_INDICES:
                expected = ref_pearson(column(pillar), column(sub))[0]
                assert table[pillar, sub] == pytest.approx(expected, abs=1e-12)

    @pytest.mark.parametrize("pillar", ["Physical", "Social", "P2P"])
    def test_spearman_with_gaps(self, pillar: str) -> None:
        """Spearman ranks each pair on its own complete rows (these pillars have gaps)."""
        members = children(pillar)
        table = correlations(RESULT, members, method="spearman")
        for a in members:
            for b in members:
                expected = ref_spearman(column(a), column(b))
                assert table[a, b] == pytest.approx(expected, abs=1e-12)

    def test_raw_data(self) -> None:
        """On IndexData the ids are components and the values raw."""
        table = correlations(DATA, ["LPI", "Flights"], ["Goods"])
        raw = {c: [float(v) for v in DATA.values[:, j]] for j, c in enumerate(DATA.components)}
        expected = ref_pearson(raw["LPI"], raw["Goods"])[0]
        assert table["LPI", "Goods"] == pytest.approx(expected, abs=1e-12)

    def test_to_frame(self) -> None:
        """Wide: rows × columns of r; long: one row per pair with p and n."""
        table = correlations(RESULT, ["LPI", "Ship"], ["Physical"])
        wide = table.to_frame()
        assert list(wide.index) == ["LPI", "Ship"]
        assert wide.loc["Ship", "Physical"] == table["Ship", "Physical"]
        long = table.to_frame(long=True)
        assert list(long.columns) == ["row", "column", "r", "p_value", "pairs"]
        assert len(long) == 2

    def test_bad_input(self) -> None:
        """Unknown methods and nodes are named."""
        with pytest.raises(InvalidValueError, match="'method' must be 'pearson' or 'spearman'"):
            correlations(RESULT, ["LPI"], method="kendall")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'node' must be a node of the index"):
            correlations(RESULT, ["LPX"])
        with pytest.raises(InvalidValueError, match="'component' must be a component"):
            correlations(DATA, ["Conn"])

    def test_rich(self) -> None:
        """Renders as a matrix with stars on significant pairs."""
        console = Console(record=True, width=80)
        console.print(correlations(RESULT, ["LPI", "Forest"], ["Physical"]))
        text = console.export_text()
        assert "0.81*" in text
        assert "Pearson" in text


class TestFlags:
    """correlation_flags: negative or weak with the parent; near-duplicate siblings."""

    def test_asem_flags_match_the_reference(self) -> None:
        """The flags are exactly those the reference correlations call for."""
        expected = set()
        for parent in INDEX.aggregates:
            kids = list(parent.children)
            for kid in kids:
                r = ref_pearson(column(kid), column(parent.id))[0]
                if r < 0:
                    expected.add(("negative", kid, parent.id))
                elif r < 0.3:
                    expected.add(("weak", kid, parent.id))
            for i, a in enumerate(kids):
                for b in kids[i + 1 :]:
                    if ref_pearson(column(a), column(b))[0] > 0.92:
                        expected.add(("near-duplicate", a, b))
        found = {(f.kind, f.node, f.other) for f in correlation_flags(RESULT)}
        with pytest.raises(InvalidValueError, match="'weak' must be a correlation from -1 to 1"):
            correlation_flags(RESULT, weak=30)
        assert found == expected
        # What the ASEM audit shows: TBTs runs against Institutional (higher = worse).
        assert ("negative", "TBTs", "Instit") in found


class TestCronbach:
    """dx.audit.cronbach: COINr's formula on the pairwise-complete covariance matrix."""

    @pytest.mark.parametrize("pillar", PILLARS)
    def test_each_pillar(self, pillar: str) -> None:
        """Alpha of each pillar's indicators equals the reference."""
        assert cronbach(RESULT, pillar) == pytest.approx(ref_cronbach(children(pillar)), abs=1e-12)

    def test_ids_or_group(self) -> None:
        """A group id and the list of its children give the same alpha."""
        assert cronbach(RESULT, children("Conn")) == cronbach(RESULT, "Conn")

    def test_needs_two_items(self) -> None:
        """Alpha of one item is refused."""
        with pytest.raises(InvalidValueError, match="at least two ids"):
            cronbach(RESULT, ["LPI"])
        with pytest.raises(InvalidValueError, match="an aggregate"):
            cronbach(RESULT, "LPI")


class TestPCA:
    """dx.audit.pca: centred and scaled, per group, complete rows only (COINr's get_PCA)."""

    @pytest.mark.parametrize("group", [*PILLARS, *SUB_INDICES, "Index"])
    def test_variance_explained(self, group: str) -> None:
        """Shares of variance equal the reference eigenvalues of the correlation matrix."""
        found = pca(RESULT, group)
        expected = ref_pca_explained(children(group))
        assert list(found.explained) == pytest.approx(expected, abs=1e-10)
        cumulative = np.cumsum(expected)
        assert found.components_needed(0.9) == int(np.argmax(cumulative >= 0.9 - 1e-12)) + 1

    def test_weights_are_the_first_component(self) -> None:
        """The weights are the unit first eigenvector, signed to sum to a positive number."""
        found = pca(RESULT, "Political")
        w = np.array(list(found.weights.values()))
        assert np.linalg.norm(w) == pytest.approx(1.0)
        assert w.sum() > 0
        assert isinstance(found, PCA)

    def test_rows_with_gaps_are_dropped(self) -> None:
        """Entities missing a member are left out and listed."""
        found = pca(RESULT, "Physical")
        values = np.array([column(c) for c in children("Physical")]).T
        gaps = [e for e, row in zip(RESULT.entities, values, strict=True) if np.isnan(row).any()]
        assert found.dropped == tuple(gaps)
        assert found.entities == 51 - len(gaps)

    def test_to_frame_and_dict(self) -> None:
        """Loadings as a frame; the dict carries the components needed for 90 %."""
        found = pca(RESULT, "Conn")
        assert found.to_frame().shape == (5, 5)
        assert found.to_dict()["components_for_90_percent"] == found.components_needed()

    def test_bad_input(self) -> None:
        """A leaf, or neither a group nor components, is refused."""
        with pytest.raises(InvalidValueError, match="'group' must be either a group"):
            pca(RESULT)
        with pytest.raises(InvalidValueError, match="an aggregate"):
            pca(RESULT, "LPI")
        with pytest.raises(InvalidValueError, match="'share' must be"):
            pca(RESULT, "Conn").components_needed(0)


class TestEffectiveWeights:
    """dx.audit.effective_weights: declared weight beside r² importance, per parent."""

    def test_by_the_reference(self) -> None:
        """Nominal = w/Σw; importance = r²/Σr² over the siblings; at_root multiplies down."""
        table = effective_weights(RESULT)
        assert len(table.rows) == sum(len(n.children) for n in INDEX.aggregates)
        squares = {k: ref_pearson(column(k), column("Instit"))[0] ** 2 for k in children("Instit")}
        row = table["TBTs", "Instit"]
        assert row.nominal == pytest.approx(1 / 6)
        assert row.importance == pytest.approx(squares["TBTs"] / sum(squares.values()), abs=1e-12)
        assert row.at_root == pytest.approx(0.5 * 0.2 * (1 / 6))
        assert table["Sust", "Index"].at_root == pytest.approx(0.5)
        assert row.ratio == pytest.approx(row.importance * 6)

    def test_to_frame(self) -> None:
        """One row per link."""
        frame = effective_weights(RESULT).to_frame()
        assert list(frame.columns) == ["node", "parent", "nominal", "at_root", "r", "importance"]


class TestAudit:
    """audit: the whole picture, group by group."""

    def test_summary(self) -> None:
        """Every group with two or more children has an alpha and a PCA."""
        found = audit(RESULT)
        assert isinstance(found, Audit)
        assert set(found.alphas) == {n.id for n in INDEX.aggregates}
        lowest = found.lowest_alphas(2)
        expected = sorted((ref_cronbach(children(g)), g) for g in found.alphas)[:2]
        assert [g for g, _ in lowest] == [g for _, g in expected]
        data = found.to_dict()
        assert data["method"] == "pearson"
        assert len(data["pca"]) == 11  # type: ignore[arg-type]

    def test_views(self) -> None:
        """The audit reads at 80 columns in both languages, ids never cut."""
        for lang, word in (("en", "Cronbach's"), ("vi", "Cronbach")):
            from dxplan.render import audit_view

            console = Console(record=True, width=80)
            console.print(audit_view(audit(RESULT), lang))  # type: ignore[arg-type]
            text = console.export_text()
            assert word in text
            assert "Political" in text
            assert "…" not in text
        assert "-0,59" in text  # decimal comma in Vietnamese

    def test_refuses_data(self) -> None:
        """The audit needs an evaluated index."""
        with pytest.raises(InvalidValueError, match="'result' must be an IndexResult"):
            audit(DATA)  # type: ignore[arg-type]
        assert isinstance(RESULT, IndexResult)
        assert isinstance(correlations(RESULT, ["LPI"]), Correlations)


class TestReprs:
    """Short reprs, and HTML for notebooks."""

    def test_short_reprs(self) -> None:
        """Each result says what it is in one line."""
        found = audit(RESULT)
        assert repr(found) == "<Audit of ASEM Sustainable Connectivity: 5 flags, 11 groups>"
        assert repr(correlations(RESULT, PILLARS, SUB_INDICES)) == "<Correlations pearson 8 × 2>"
        assert repr(found.weights) == "<EffectiveWeights pearson, 59 links>"
        assert repr(pca(RESULT, "Index")).startswith("<PCA Index: ")

    def test_html(self) -> None:
        """The audit and a correlation table render as HTML."""
        assert "Cronbach" in audit(RESULT)._repr_html_()
        assert "Physical" in correlations(RESULT, ["LPI"], ["Physical"])._repr_html_()
