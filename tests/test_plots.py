"""Tests for dxplan.render.plots: each picture renders, reads, and saves safely."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import attrs
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

import dxplan
from dxplan import datasets, indices
from dxplan.errors import FileFormatError, InvalidValueError, MissingExtraError
from dxplan.index.model import IndexResult
from dxplan.plan.attainment import AttainmentReport, assess
from dxplan.plan.observations import bundled_observations
from dxplan.render import plots
from dxplan.whatif.uncertainty import UncertaintyResult


@pytest.fixture(scope="module")
def dti() -> IndexResult:
    """The DTI 2022 (Decision 922) of the five leading provinces."""
    return indices.dti_922().evaluate(datasets.dti_2022())


@pytest.fixture(scope="module")
def asem_uncertainty() -> UncertaintyResult:
    """COINr's ASEM index under 500 weight draws."""
    return dxplan.uncertainty(indices.asem(), datasets.asem(), draws=500, seed=1)


@pytest.fixture(scope="module")
def plan() -> dxplan.Plan:
    """The HCMC 2024 plan."""
    return dxplan.load_plan("hcmc-2024")


@pytest.fixture(scope="module")
def reports(plan: dxplan.Plan) -> list[AttainmentReport]:
    """HCMC attainment as of 2021, 2022, 2023 and 2024."""
    observations = bundled_observations("hcmc-2024", plan)
    return [assess(plan, observations, as_of=year) for year in range(2021, 2025)]


def _check_png(figure: Figure, path: Path) -> None:
    plots.save(figure, path)
    image = imread(path)
    width, height = figure.get_size_inches() * figure.dpi
    assert image.shape[:2] == (round(height), round(width))
    assert float(np.var(image[..., :3])) > 0


def _svg(figure: Figure, path: Path) -> str:
    plots.save(figure, path)
    return path.read_text(encoding="utf-8")


class TestRankingPlot:
    """ranking_plot: scores as bars, ranks with their intervals."""

    def test_index_result_renders(self, dti: IndexResult, tmp_path: Path) -> None:
        """A plain index result gives one panel of bars, labelled with Vietnamese names."""
        figure = plots.ranking_plot(dti, highlight="ho-chi-minh")
        assert len(figure.axes) == 1
        _check_png(figure, tmp_path / "dti.png")
        svg = _svg(figure, tmp_path / "dti.svg")
        assert "TP. Hồ Chí Minh" in svg
        assert "Điểm (thang 1000)" in svg

    def test_all_missing_data(self, tmp_path: Path) -> None:
        """Data with no value at all gives bars marked 'no score', not a traceback."""
        index = indices.asem()
        empty = dxplan.IndexData.from_mapping(
            {e: dict.fromkeys(index.components) for e in ("a", "b")},
            components=index.components,
        )
        figure = plots.ranking_plot(index.evaluate(empty), lang="en")
        texts = [t.get_text().strip() for t in figure.axes[0].texts]
        assert texts == ["no score", "no score"]
        assert figure.axes[0].get_xlim() == pytest.approx((0.0, 1.14))
        _check_png(figure, tmp_path / "empty.png")

    def test_uncertainty_adds_the_rank_panel(
        self, asem_uncertainty: UncertaintyResult, tmp_path: Path
    ) -> None:
        """An uncertainty result adds ranks with 5–95 % whiskers beside the scores."""
        figure = plots.ranking_plot(asem_uncertainty, lang="en")
        assert len(figure.axes) == 2
        _check_png(figure, tmp_path / "asem.png")
        svg = _svg(figure, tmp_path / "asem.svg")
        assert "Rank: nominal and 5–95 % interval" in svg
        assert "500 weight draws" in svg

    def test_best_is_at_the_top_and_top_limits(self, dti: IndexResult) -> None:
        """Labels run from rank 1 down, and ``top`` keeps only the first entities."""
        figure = plots.ranking_plot(dti, top=3)
        axes = figure.axes[0]
        labels = [t.get_text() for t in axes.get_yticklabels()]
        assert labels == ["1. TP. Đà Nẵng", "2. TP. Hồ Chí Minh", "3. Quảng Ninh"]
        low, high = axes.get_ylim()
        assert low > high  # the y axis runs downwards: rank 1 on top

    def test_points_follow_the_published_scale(self, dti: IndexResult) -> None:
        """DTI scores are shown in points out of 1 000, with a decimal comma in Vietnamese."""
        figure = plots.ranking_plot(dti)
        texts = {t.get_text().strip() for t in figure.axes[0].texts}
        assert "716,4" in texts

    def test_node_not_kept(self, asem_uncertainty: UncertaintyResult) -> None:
        """Ranks on a node need its scores kept in the uncertainty run."""
        with pytest.raises(InvalidValueError, match="kept in the run"):
            plots.ranking_plot(asem_uncertainty, "Conn")

    def test_bad_arguments(self, dti: IndexResult) -> None:
        """An unknown node, entity or language, or a zero ``top``, is refused by name."""
        with pytest.raises(InvalidValueError, match="'node'"):
            plots.ranking_plot(dti, "nope")
        with pytest.raises(InvalidValueError, match="'top'"):
            plots.ranking_plot(dti, top=0)
        with pytest.raises(InvalidValueError, match="'lang'"):
            plots.ranking_plot(dti, lang="fr")  # type: ignore[arg-type]
        with pytest.raises(dxplan.DxplanError):
            plots.ranking_plot(dti, highlight="atlantis")


class TestAttainmentHeatmap:
    """attainment_heatmap: indicators × years, no data never drawn as 0."""

    def test_years_render(self, reports: list[AttainmentReport], tmp_path: Path) -> None:
        """Four years of HCMC give a readable PNG and an SVG with Vietnamese labels."""
        figure = plots.attainment_heatmap(reports)
        _check_png(figure, tmp_path / "heat.png")
        svg = _svg(figure, tmp_path / "heat.svg")
        for text in ("2021", "2024", "Mức đạt chỉ tiêu", "không có dữ liệu", "Tỷ trọng kinh tế số"):
            assert text in svg

    def test_missing_cells_are_not_zero(self, reports: list[AttainmentReport]) -> None:
        """A cell without data is masked (hatched), not a 0 in the colour scale."""
        figure = plots.attainment_heatmap(reports)
        image = figure.axes[0].images[0]
        data = image.get_array()
        ids = [i.id for i in reports[0].indicators]
        row = ids.index("2.2")  # no observation in any year
        assert data is not None
        assert np.ma.getmaskarray(data)[row].all()
        hatched = [p for p in figure.axes[0].patches if p.get_hatch()]
        missing = sum(1 for r in reports for i in r.indicators if i.attainment is None)
        assert len(hatched) == missing

    def test_unmet_never_shows_100(self, reports: list[AttainmentReport]) -> None:
        """Cells show whole percentages, and only met indicators show 100 %."""
        figure = plots.attainment_heatmap(reports[-1], lang="en")
        texts = [t.get_text() for t in figure.axes[0].texts]
        met = sum(1 for i in reports[-1].indicators if i.met)
        assert texts.count("100 %") == met
        assert "88 %" in texts  # 3.1 in 2024

    def test_entities_and_mappings_label_columns(self, reports: list[AttainmentReport]) -> None:
        """The keys of a mapping become the column labels."""
        figure = plots.attainment_heatmap({"before": reports[0], "after": reports[-1]})
        labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
        assert labels == ["before", "after"]

    def test_nothing_to_draw(self) -> None:
        """An empty list is refused."""
        with pytest.raises(InvalidValueError, match="'reports'"):
            plots.attainment_heatmap([])


class TestProfilePlot:
    """profile_plot: an entity against the leader and the median, in points."""

    def test_renders(self, dti: IndexResult, tmp_path: Path) -> None:
        """HCMC's profile renders, with component names in the chosen language."""
        figure = plots.profile_plot(dti, "ho-chi-minh")
        _check_png(figure, tmp_path / "profile.png")
        svg = _svg(figure, tmp_path / "profile.svg")
        assert "TP. Hồ Chí Minh" in svg
        assert "Nhận thức số" in svg
        assert "Digital awareness" not in svg
        english = plots.profile_plot(dti, "ho-chi-minh", lang="en")
        labels = [t.get_text() for t in english.axes[0].get_yticklabels()]
        assert "Digital awareness" in labels

    def test_one_row_per_weighted_component(self, dti: IndexResult) -> None:
        """Components without weight (the unpublished smart-city indicator) are left out."""
        figure = plots.profile_plot(dti, "ho-chi-minh", "chinh_quyen_so")
        explanation = dti.explain("ho-chi-minh", "chinh_quyen_so")
        assert len(figure.axes[0].get_yticklabels()) == len(explanation.components)

    def test_scores_beyond_one_have_no_maximum(self) -> None:
        """On a 0–100 scale (ASEM) no maximum bar is drawn, and the axis says contribution."""
        asem = indices.asem().evaluate(datasets.asem())
        figure = plots.profile_plot(asem, "CHN", "Political", lang="en")
        legend = figure.legends[0]
        assert [t.get_text() for t in legend.get_texts()] == [
            "China",
            "leader: Germany",
            "median",
        ]
        assert figure.axes[0].get_xlabel() == "Contribution to the score"

    def test_unknown_entity(self, dti: IndexResult) -> None:
        """An entity not in the data is refused."""
        with pytest.raises(dxplan.DxplanError):
            plots.profile_plot(dti, "atlantis")


class TestGraphPlot:
    """graph_plot: the plan's dependency graph in columns."""

    def test_renders(self, plan: dxplan.Plan, tmp_path: Path) -> None:
        """The HCMC graph renders with its column headings and task labels."""
        figure = plots.graph_plot(plan.graph)
        _check_png(figure, tmp_path / "graph.png")
        svg = _svg(figure, tmp_path / "graph.svg")
        for text in ("Ưu tiên", "Nhiệm vụ — đợt 3", "Nhóm chỉ tiêu", "T03 Hạ tầng số"):
            assert text in svg

    def test_subgraph_and_plan(self, plan: dxplan.Plan) -> None:
        """An impact subgraph and a plan itself are accepted, in English too."""
        figure = plots.graph_plot(plan.graph.impact_graph("T03"), lang="en")
        texts = [t.get_text() for t in figure.axes[0].texts]
        assert "Tasks — wave 1" in texts
        assert plots.graph_plot(plan).axes

    def test_cycle(self, plan: dxplan.Plan) -> None:
        """Tasks in a dependency cycle are drawn in one column, and the title says so."""
        t03 = plan.task("T03")
        looped = attrs.evolve(
            t03, depends_on=(dxplan.Link(to="T08", provenance=dxplan.Provenance.seed()),)
        )
        broken = attrs.evolve(plan, tasks=[looped if t.id == "T03" else t for t in plan.tasks])
        figure = plots.graph_plot(broken)
        texts = [t.get_text() for t in figure.axes[0].texts]
        assert "Nhiệm vụ" in texts
        assert not any(t.startswith("Nhiệm vụ — đợt") for t in texts)
        assert "vòng phụ thuộc" in figure.get_suptitle()

    def test_plan_of_only_id_and_label(self, tmp_path: Path) -> None:
        """A plan with nothing but an id and a label draws its title, not a traceback."""
        bare = dxplan.Plan(id="m", label=dxplan.Label(vi="Kế hoạch trống"))
        figure = plots.graph_plot(bare)
        assert figure.axes[0].get_title() == "Kế hoạch trống"
        plots.save(figure, tmp_path / "bare.png")
        assert imread(tmp_path / "bare.png").shape[0] > 0

    def test_not_a_graph(self) -> None:
        """Something else is refused by name."""
        with pytest.raises(InvalidValueError, match="'graph'"):
            plots.graph_plot("hcmc-2024")  # type: ignore[arg-type]


class TestSave:
    """save: PNG or SVG, atomically, never over a file unless asked."""

    def test_refuses_to_overwrite(self, dti: IndexResult, tmp_path: Path) -> None:
        """An existing file is kept unless ``force`` is given; no temporary file is left."""
        path = tmp_path / "picture.png"
        path.write_bytes(b"mine")
        figure = plots.ranking_plot(dti)
        with pytest.raises(FileFormatError, match="will not overwrite"):
            plots.save(figure, path)
        assert path.read_bytes() == b"mine"
        plots.save(figure, path, force=True)
        assert path.read_bytes().startswith(b"\x89PNG")
        assert [p.name for p in tmp_path.iterdir()] == ["picture.png"]

    def test_unknown_suffix(self, dti: IndexResult, tmp_path: Path) -> None:
        """Only .png and .svg are written."""
        with pytest.raises(FileFormatError, match=r"expected \.png or \.svg"):
            plots.save(plots.ranking_plot(dti), tmp_path / "picture.jpg")
        assert not list(tmp_path.iterdir())

    def test_threads(self, dti: IndexResult, tmp_path: Path) -> None:
        """Figures are drawn and saved in several threads at once."""
        errors: list[BaseException] = []

        def draw(k: int) -> None:
            try:
                suffix = "svg" if k % 2 else "png"
                plots.save(plots.profile_plot(dti, "ho-chi-minh"), tmp_path / f"p{k}.{suffix}")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=draw, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert len(list(tmp_path.glob("p*.*"))) == 4


class TestMissingExtra:
    """Without matplotlib, every function names the extra to install."""

    def test_plot_functions(
        self,
        dti: IndexResult,
        plan: dxplan.Plan,
        reports: list[AttainmentReport],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Each function raises MissingExtraError for the 'plot' extra."""
        figure = Figure()
        for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
            monkeypatch.setitem(sys.modules, name, None)
        calls: list[Callable[[], object]] = [
            lambda: plots.ranking_plot(dti),
            lambda: plots.attainment_heatmap(reports),
            lambda: plots.profile_plot(dti, "ho-chi-minh"),
            lambda: plots.graph_plot(plan),
            lambda: plots.save(figure, "x.png"),
        ]
        for call in calls:
            with pytest.raises(MissingExtraError, match=r"dxplan\[plot\]") as caught:
                call()
            assert caught.value.extra == "plot"
            assert caught.value.module == "matplotlib"

    def test_import_is_lazy(self) -> None:
        """Importing dxplan.render.plots does not import matplotlib."""
        import subprocess

        code = "import dxplan.render.plots, sys; print('matplotlib' in sys.modules)"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "False"
