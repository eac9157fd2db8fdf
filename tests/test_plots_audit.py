"""The audit's pictures: correlation heat map, effective weights, Sobol convergence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from dxplan import datasets, indices
from dxplan.errors import InvalidValueError
from dxplan.index.audit import correlations, effective_weights
from dxplan.render import plots
from dxplan.whatif.sensitivity import SobolIndices, WeightInput, sobol

RESULT = indices.asem().evaluate(datasets.asem())


def texts(figure: Figure) -> list[str]:
    """Every text drawn in the figure."""
    figure.canvas.draw()
    return [t.get_text() for t in figure.findobj(Text)]


class TestCorrelationHeatmap:
    """A matrix of correlations with the values written in."""

    def test_cells_and_labels(self) -> None:
        """Each cell shows its r to two decimals (decimal comma and true minus in Vietnamese)."""
        table = correlations(RESULT, ["TBTs", "LPI"], ["Instit", "Physical"])
        drawn = texts(plots.correlation_heatmap(table, lang="vi"))
        tbts = table["TBTs", "Instit"]
        assert f"{tbts:.2f}".replace(".", ",").replace("-", "−") in drawn
        assert "Instit" in drawn
        assert any("Tương quan Pearson" in t for t in drawn)

    def test_bad_language(self) -> None:
        """An unknown language is refused."""
        with pytest.raises(InvalidValueError, match="'lang' must be 'vi' or 'en'"):
            plots.correlation_heatmap(correlations(RESULT, ["LPI"]), lang="fr")  # type: ignore[arg-type]


class TestEffectiveWeightsPlot:
    """Declared weight beside importance, one bar pair per link."""

    def test_one_label_per_link(self) -> None:
        """Every (node, parent) link has its label; bars are the table's numbers."""
        weights = effective_weights(RESULT)
        figure = plots.effective_weights_plot(weights, lang="en")
        drawn = texts(figure)
        assert "TBTs (Instit)" in drawn
        bars = figure.axes[0].patches
        assert len(bars) == 2 * len(weights.rows)
        first = weights.rows[0]
        widths = sorted(b.get_width() for b in bars[:: len(weights.rows)])  # type: ignore[attr-defined]
        assert widths == sorted([first.nominal, first.importance])


class TestSobolConvergencePlot:
    """Indices against the number of samples."""

    def test_lines_follow_the_table(self) -> None:
        """The solid line of an input is its total order on the first 64, 128, … samples."""
        result = sobol(
            indices.asem(),
            datasets.asem(),
            [WeightInput(node="Index"), WeightInput(node="Sust")],
            samples=256,
            seed=3,
            bootstrap=0,
        )
        figure = plots.sobol_convergence_plot(result, lang="en")
        line = figure.axes[0].get_lines()[0]
        top = max(range(2), key=lambda k: result.indices[k].total)
        assert np.asarray(line.get_xdata()).tolist() == [64, 128, 256]
        assert np.asarray(line.get_ydata()).tolist() == [c.total[top] for c in result.convergence]

    def test_needs_a_convergence_table(self) -> None:
        """Indices without a convergence table are refused."""
        bare = SobolIndices(output="x", indices=(), variance=math.nan, samples=0, confidence=0.9)
        with pytest.raises(InvalidValueError, match="convergence table"):
            plots.sobol_convergence_plot(bare)
