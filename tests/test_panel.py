"""Panel data: reading, evaluating every period at once, fixed references, changes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import dxplan
import dxplan as dx
from dxplan import datasets, indices
from dxplan.errors import FileFormatError, InvalidValueError
from dxplan.index.data import IndexData

PANEL = datasets.asem_panel()
INDEX = indices.asem()


def reference_scores(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """ASEM by hand: min-max [0, 100] with the given references, then arithmetic means."""
    directions = {leaf.component: leaf.direction for leaf in INDEX.leaves}
    column = {c: j for j, c in enumerate(PANEL.components)}
    scores: dict[str, np.ndarray] = {}
    for leaf in INDEX.leaves:
        j = column[leaf.component]
        x = values[:, j] * directions[leaf.component]
        scores[leaf.id] = (x - lo[j]) / (hi[j] - lo[j]) * 100
    for node_id in reversed(INDEX.order):
        node = INDEX.node(node_id)
        if isinstance(node, dx.Aggregate):
            num = np.zeros(values.shape[0])
            den = np.zeros(values.shape[0])
            for child, w in zip(node.children, node.weights, strict=True):
                s = scores[child]
                num += np.where(np.isnan(s), 0, s * w)
                den += np.where(np.isnan(s), 0, w)
            scores[node_id] = num / den
    return scores[INDEX.root]


def oriented(values: np.ndarray) -> np.ndarray:
    d = {leaf.component: leaf.direction for leaf in INDEX.leaves}
    return np.asarray(values * np.array([d[c] for c in PANEL.components]))


class TestRead:
    """A long CSV with a period column is a panel."""

    def test_asem_panel(self) -> None:
        """51 countries × 5 years × 49 indicators, groups kept as attributes."""
        assert PANEL.periods == (2018, 2019, 2020, 2021, 2022)
        assert PANEL.values.shape == (5, 51, 49)
        assert PANEL.attribute("GDPpc_group")[PANEL.position("AUT")] == "XL"
        assert PANEL.denominators is not None
        assert PANEL.value("AUT", "LPI", period=2018) == 4.097985

    def test_from_csv_period(self) -> None:
        """IndexData.from_csv(path, period="Time") reads COINr's layout."""
        path = Path(__file__).parents[1] / "src/dxplan/data/asem/iData_panel.csv"
        data = IndexData.from_csv(path, period="Time")
        assert data.periods == PANEL.periods
        assert "GDP_group" in data.attributes
        np.testing.assert_array_equal(
            data.period(2022).column("LPI"), PANEL.period(2022).column("LPI")
        )

    def test_duplicate_row(self, tmp_path: Path) -> None:
        """The same entity twice in one period is an error naming both lines."""
        path = tmp_path / "p.csv"
        path.write_text("id,Time,x\na,2020,1\na,2021,2\na,2020,3\n", encoding="utf-8")
        with pytest.raises(FileFormatError, match=r"p\.csv:4:id"):
            IndexData.from_csv(path, period="Time")

    def test_stack(self) -> None:
        """Cross-sections stacked by period give the same panel."""
        stacked = IndexData.stack({p: PANEL.period(p) for p in PANEL.periods})
        assert np.array_equal(stacked.values, PANEL.values, equal_nan=True)
        assert stacked.periods == PANEL.periods


class TestEvaluate:
    """index.evaluate(panel) scores every period in one call."""

    def test_per_period_matches_reference(self) -> None:
        """Each year's index equals min-max [0, 100] and arithmetic means within that year."""
        result = INDEX.evaluate(PANEL)
        assert isinstance(result, dx.PanelResult)
        for p, period in enumerate(PANEL.periods):
            x = oriented(PANEL.values[p])
            expected = reference_scores(PANEL.values[p], np.nanmin(x, 0), np.nanmax(x, 0))
            got = [result.score(e, period=period) for e in PANEL.entities]
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)

    def test_per_period_equals_cross_section(self) -> None:
        """A period of the panel scores as the same data evaluated alone."""
        result = INDEX.evaluate(PANEL)
        alone = INDEX.evaluate(PANEL.period(2020))
        np.testing.assert_array_equal(result.period(2020).values, alone.values)
        assert result.rank(period=2020) == alone.rank()

    def test_fixed_references(self) -> None:
        """Pooled and single-period references use those periods' min and max."""
        pooled = INDEX.evaluate(PANEL, reference="pooled")
        x = oriented(PANEL.values.reshape(-1, 49))
        lo, hi = np.nanmin(x, 0), np.nanmax(x, 0)
        for p, period in enumerate(PANEL.periods):
            expected = reference_scores(PANEL.values[p], lo, hi)
            got = [pooled.score(e, period=period) for e in PANEL.entities]
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
        fixed = INDEX.evaluate(PANEL, reference=2018)
        x18 = oriented(PANEL.values[0])
        expected = reference_scores(PANEL.values[4], np.nanmin(x18, 0), np.nanmax(x18, 0))
        got = [fixed.score(e, period=2022) for e in PANEL.entities]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)

    def test_bad_reference(self) -> None:
        """A reference that is no period is refused."""
        with pytest.raises(InvalidValueError, match="reference"):
            INDEX.evaluate(PANEL, reference=1999)
        with pytest.raises(InvalidValueError, match="reference"):
            INDEX.evaluate(PANEL.period(2018), reference="pooled")  # type: ignore[call-overload]


class TestChanges:
    """Rank changes and their explanation between two periods."""

    def test_rank_changes(self) -> None:
        """rank_changes(2018, 2022) pairs each entity's two ranks."""
        result = INDEX.evaluate(PANEL, reference=2018)
        changes = result.rank_changes(2018, 2022)
        r18, r22 = result.rank(period=2018), result.rank(period=2022)
        assert {c.entity: (c.before, c.after) for c in changes} == {
            e: (r18[e], r22[e]) for e in PANEL.entities
        }
        climbs = [c.change for c in changes if c.change is not None]
        assert climbs == sorted(climbs, reverse=True)

    def test_explain_change_adds_up(self) -> None:
        """The components' changes add up to the change of the score."""
        result = INDEX.evaluate(PANEL, reference=2018)
        for entity in PANEL.entities[:10]:
            change = result.explain_change(entity, 2018, 2022)
            total = math.fsum(c.change for c in change.components)
            assert total == pytest.approx(change.change, abs=1e-9)
            expected = result.score(entity, period=2022) - result.score(entity, period=2018)
            assert change.change == pytest.approx(expected, abs=1e-12)
            assert change.rank_before == result.rank(period=2018)[entity]

    def test_explain_change_flags_imputed(self) -> None:
        """A component imputed in a period is flagged in the change's explanation."""
        values = np.array(PANEL.values)
        values[4, PANEL.position("AUT"), PANEL.components.index("LPI")] = np.nan
        data = dx.impute(PANEL.with_values(values), "locf").data
        change = INDEX.evaluate(data).explain_change("AUT", 2021, 2022)
        (lpi,) = [c for c in change.components if c.component == "LPI"]
        assert lpi.imputed_after
        assert not lpi.imputed_before


class TestCrossSectionOnly:
    """Analyses of one cross-section refuse a panel with a pointer to data.period(p)."""

    def test_uncertainty_and_goal_seek(self) -> None:
        """Uncertainty and goal-seek on a panel name the periods to pick from."""
        with pytest.raises(InvalidValueError, match=r"data\.period\(p\)"):
            dxplan.uncertainty(INDEX, PANEL, draws=10, seed=1)
        with pytest.raises(InvalidValueError, match="2018"):
            dx.goal_seek(INDEX, PANEL, entity="AUT", lever="LPI", goal=dx.RankAtMost(1))
