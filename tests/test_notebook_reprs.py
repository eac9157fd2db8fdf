"""Tests for what a notebook shows: rich and HTML views, and pandas frames of results."""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

import dxplan
from dxplan import datasets, indices
from dxplan._display import Displayable
from dxplan.errors import MissingExtraError
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Explanation, Index, IndexResult, Leaf
from dxplan.plan.attainment import AttainmentReport, assess
from dxplan.plan.observations import bundled_observations
from dxplan.text import Label
from dxplan.whatif.uncertainty import UncertaintyResult


@pytest.fixture(scope="module")
def plan() -> dxplan.Plan:
    """The HCMC 2024 plan."""
    return dxplan.load_plan("hcmc-2024")


@pytest.fixture(scope="module")
def report(plan: dxplan.Plan) -> AttainmentReport:
    """HCMC attainment from the bundled observations."""
    return assess(plan, bundled_observations("hcmc-2024", plan), as_of=2024)


@pytest.fixture(scope="module")
def result() -> IndexResult:
    """The DTI 2022 of the five leading provinces."""
    return indices.dti_922().evaluate(datasets.dti_2022())


@pytest.fixture(scope="module")
def uncertainty() -> UncertaintyResult:
    """The DTI 2022 under 200 weight draws."""
    return dxplan.uncertainty(indices.dti_922(), datasets.dti_2022(), draws=200, seed=1)


def _text(renderable: object) -> str:
    console = Console(record=True, file=io.StringIO(), width=120, force_jupyter=False)
    console.print(renderable)
    return console.export_text()


def _no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)


class TestPlan:
    """Plan: a rich tree and its HTML."""

    def test_rich(self, plan: dxplan.Plan) -> None:
        """The plan prints as its tree, in Vietnamese."""
        text = _text(plan)
        assert "Hạ tầng số" in text
        assert "Nhóm chỉ tiêu" in text

    def test_html(self, plan: dxplan.Plan) -> None:
        """The HTML view is a fragment with the same tree."""
        html = plan._repr_html_()
        assert html.startswith("<pre")
        assert "<html" not in html
        assert "Hạ tầng số" in html

    def test_html_escapes(self) -> None:
        """Markup and HTML in a label are shown as text, never run."""
        odd = dxplan.Plan(id="odd", label=Label(vi="<script>alert(1)</script> & [bold]x"))
        html = odd._repr_html_()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [bold]x" in html


class TestAttainmentReport:
    """AttainmentReport: HTML tables and a DataFrame per level."""

    def test_html(self, report: AttainmentReport) -> None:
        """The HTML view holds the Vietnamese tables."""
        html = report._repr_html_()
        assert html.startswith("<pre")
        assert "Mức đạt chỉ tiêu" in html
        assert "Toàn kế hoạch" in html

    def test_frame(self, report: AttainmentReport) -> None:
        """Each level becomes a DataFrame; missing attainment stays missing, not 0."""
        frame = report.to_frame()
        assert list(frame.index) == [i.id for i in report.indicators]
        assert frame.loc["2.2", "attainment"] is None or np.isnan(frame.loc["2.2", "attainment"])
        assert len(report.to_frame("group")) == len(report.groups)

    def test_frame_needs_pandas(
        self, report: AttainmentReport, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without pandas, the error names the extra."""
        _no_pandas(monkeypatch)
        with pytest.raises(MissingExtraError, match=r"dxplan\[pandas\]"):
            report.to_frame()


class TestIndexResult:
    """IndexResult and Explanation: HTML and DataFrames."""

    def test_html(self, result: IndexResult) -> None:
        """The ranking table shows Vietnamese names."""
        html = result._repr_html_()
        assert html.startswith("<pre")
        assert "TP. Hồ Chí Minh" in html

    def test_html_escapes(self) -> None:
        """An entity name with HTML in it is escaped."""
        data = IndexData.from_mapping(
            {"a": {"x": 1.0}, "b": {"x": 2.0}}, names={"a": "<b>A & co</b>", "b": "B"}
        )
        index = Index(root="I", nodes=(Leaf(id="x"), Aggregate(id="I", children=("x",))))
        html = index.evaluate(data)._repr_html_()
        assert "<b>A" not in html
        assert "&lt;b&gt;A &amp; co&lt;/b&gt;" in html

    def test_frames(self, result: IndexResult) -> None:
        """Scores and the explanation become DataFrames."""
        frame = result.to_frame()
        assert frame.loc["ho-chi-minh", "rank"] == 2
        explanation = result.explain("ho-chi-minh")
        gaps = explanation.to_frame()
        assert list(gaps.index) == [g.component for g in explanation.components]
        assert gaps.loc["nhan_thuc_so", "vs_leader"] == pytest.approx(-10.83)

    def test_explanation_html(self, result: IndexResult) -> None:
        """The explanation has an HTML view too."""
        explanation: Explanation = result.explain("ho-chi-minh")
        assert "TP. Hồ Chí Minh" in explanation._repr_html_()

    def test_frames_need_pandas(self, result: IndexResult, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas, every frame names the extra."""
        explanation = result.explain("ho-chi-minh")
        _no_pandas(monkeypatch)
        for call in (result.to_frame, explanation.to_frame, result.data.to_frame):
            with pytest.raises(MissingExtraError, match=r"dxplan\[pandas\]"):
                call()


class TestUncertaintyResult:
    """UncertaintyResult: HTML and a DataFrame of rank summaries."""

    def test_html(self, uncertainty: UncertaintyResult) -> None:
        """The rank summaries show in HTML with the draws counted."""
        html = uncertainty._repr_html_()
        assert html.startswith("<pre")
        assert "200 draws" in html
        assert "TP. Hồ Chí Minh" in html

    def test_frame(self, uncertainty: UncertaintyResult, monkeypatch: pytest.MonkeyPatch) -> None:
        """Rank summaries become a DataFrame; without pandas the error names the extra."""
        frame = uncertainty.to_frame()
        assert {"nominal", "q05", "q95"} <= set(frame.columns)
        _no_pandas(monkeypatch)
        with pytest.raises(MissingExtraError, match=r"dxplan\[pandas\]"):
            uncertainty.to_frame()


# --- every public result, as a notebook shows it --------------------------------------------

# Classes of dxplan.__all__ that are not results a notebook shows: errors and warnings,
# rules and aggregators, enumerations, goals and the small value objects of a plan or
# index (their attrs repr is short).
_NOT_RESULTS = {
    "Aggregate",
    "AttainmentAtLeast",
    "Comparator",
    "Drive",
    "Indicator",
    "IndicatorGroup",
    "Label",
    "Leaf",
    "Link",
    "Observation",
    "Pipeline",
    "Priority",
    "Provenance",
    "RankAtMost",
    "ScoreAtLeast",
    "Status",
    "Target",
    "Task",
    "Unit",
}


def _is_result(value: object) -> bool:
    """A class of results: not an error, warning, rule or aggregator."""
    plain = (BaseException, dxplan.Rule, dxplan.Aggregator)
    return isinstance(value, type) and not issubclass(value, plain)


# Data containers: a short repr, and to_frame() for a table (no notebook view of their own).
_DATA = {"IndexData", "Observations"}


def _every_result() -> dict[str, object]:
    """One object of each result type the public API returns, from the bundled data."""
    from dxplan.whatif.goalseek import AttainmentAtLeast, RankAtMost
    from dxplan.whatif.sensitivity import WeightInput, leave_one_out, sobol

    plan = dxplan.load_plan("hcmc-2024")
    observations = dxplan.bundled_observations("hcmc-2024", plan)
    index = indices.dti_922()
    data = datasets.dti_2022()
    result = index.evaluate(data)
    push = dxplan.Scenario("push").set("ho-chi-minh", "hd_xa_hoi_so", 0.92)
    plan_push = dxplan.Scenario("3.1 aims at 22 %").target("3.1", 22)
    asem = indices.asem()
    asem_data = datasets.asem()
    found: list[object] = [
        plan,
        dxplan.check(plan),
        plan.graph,
        plan.graph.impact("T03"),
        observations,
        dxplan.assess(plan, observations),
        dxplan.plan_report(plan, observations),
        index,
        data,
        result,
        result.explain("ho-chi-minh"),
        dxplan.uncertainty(index, data, draws=50, seed=1),
        push,
        dxplan.compare(index, data, push),
        dxplan.compare_attainment(plan, observations, plan_push),
        dxplan.goal_seek(
            index, data, entity="ho-chi-minh", lever="hd_xa_hoi_so", goal=RankAtMost(1)
        ),
        dxplan.goal_seek_levers(
            index,
            data,
            entity="ho-chi-minh",
            levers={"hd_xa_hoi_so": 1.0, "hd_kinh_te_so": 1.0},
            goal=RankAtMost(1),
        ),
        dxplan.goal_seek_attainment(plan, observations, lever="3.1", goal=AttainmentAtLeast(1.0)),
        dxplan.sweep(index, data, entity="ho-chi-minh", lever="hd_xa_hoi_so", values=[0.4, 0.9]),
        leave_one_out(asem, asem_data),
        asem.evaluate(datasets.asem_panel()),
        sobol(asem, asem_data, [WeightInput(node=asem.root)], samples=64, seed=1, bootstrap=50),
        dxplan.task_effects(plan, "dti-922", data),
        dxplan.goal_seek_tasks(plan, "dti-922", data, goal=RankAtMost(1)),
    ]
    with tempfile.TemporaryDirectory() as folder:
        found.append(dxplan.build_site(plan, observations, Path(folder) / "site", langs=("en",)))
    return {type(obj).__name__: obj for obj in found}


@pytest.fixture(scope="module")
def every_result() -> dict[str, object]:
    """The results, built once."""
    return _every_result()


class TestEveryPublicResult:
    """Every result the public API returns shows well in a notebook."""

    def test_every_exported_result_class_is_walked(self, every_result: dict[str, object]) -> None:
        """Each class of dxplan.__all__ that is a result has an instance in the walk."""
        exported = {
            name
            for name in dxplan.__all__
            if _is_result(getattr(dxplan, name)) and name not in _NOT_RESULTS
        }
        assert exported - set(every_result) == set()

    def test_short_repr(self, every_result: dict[str, object]) -> None:
        """repr() of every result is under 2 KB and names its type."""
        for name, obj in every_result.items():
            text = repr(obj)
            assert len(text.encode()) < 2048, name
            assert name in text, name

    def test_concise_html(self, every_result: dict[str, object]) -> None:
        """_repr_html_ of every result is HTML under 100 KB: a view, not a dump."""
        for name, obj in every_result.items():
            if name in _DATA:
                continue
            html = getattr(obj, "_repr_html_", None)
            assert html is not None, name
            text = html()
            assert text.lstrip().startswith("<"), name
            assert len(text.encode()) < 100_000, name

    def test_impact_is_a_tree_not_a_dump(self, every_result: dict[str, object]) -> None:
        """plan.graph.impact("T03") shows as a tree of what the task reaches (the README's call)."""
        impact = every_result["Impact"]
        assert isinstance(impact, dxplan.Impact)
        text = _text(impact)
        reached = {r.element.id for r in impact.reached}
        assert all(element in text for element in reached)
        assert "Provenance(" not in text

    def test_long_rankings_are_cut_with_a_count(self) -> None:
        """An IndexResult of 51 entities shows 20 rows and says how many more there are."""
        result = indices.asem().evaluate(datasets.asem())
        text = _text(result)
        assert f"… and {len(result.entities) - 20} more rows" in text


class TestFigures:
    """Figures show inline in a fresh kernel, with no %matplotlib line."""

    def test_figures_have_a_png_repr(self, result: IndexResult) -> None:
        """plots return figures that IPython can display as PNG by themselves."""
        pytest.importorskip("matplotlib")
        from dxplan.render.plots import ranking_plot

        figure = ranking_plot(result, lang="en")
        png = figure._repr_png_()  # type: ignore[attr-defined]
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def _displayable_classes() -> set[type[Displayable]]:
    """Every Displayable class of the package, after importing every module."""
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(dxplan.__path__, "dxplan."):
        if module.name != "dxplan.__main__":
            importlib.import_module(module.name)
    found: set[type[Displayable]] = set()
    stack: list[type[Displayable]] = [Displayable]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.add(sub)
            stack.append(sub)
    return found


class TestDisplayRegistry:
    """Views are registered from dxplan.render and found by class."""

    def test_every_displayable_class_has_a_view(self) -> None:
        """Each class with the display hooks has a registered view, and each view a class."""
        from dxplan._display import _VIEWS, view_of

        classes = {c for c in _displayable_classes() if c.__module__.startswith("dxplan.")}
        paths = {f"{c.__module__}.{c.__qualname__}" for c in classes}
        assert paths == set(_VIEWS)
        for cls in classes:
            assert view_of(cls.__new__(cls)) is _VIEWS[f"{cls.__module__}.{cls.__qualname__}"]

    def test_a_subclass_is_shown_as_its_base(self, plan: dxplan.Plan) -> None:
        """A user's subclass of a result finds the view of the nearest registered base."""
        import attrs

        @attrs.frozen(kw_only=True)
        class MyPlan(dxplan.Plan):
            pass

        mine = MyPlan(id="mine", label=Label(vi="Kế hoạch của tôi"), groups=plan.groups)
        assert "Kế hoạch của tôi" in _text(mine)
        assert "Nhóm chỉ tiêu" in _text(mine)

    def test_a_class_without_a_view_says_so(self) -> None:
        """A Displayable class with no registered view raises TypeError naming it."""

        class Stray(Displayable):
            pass

        with pytest.raises(TypeError, match=r"no view of .*Stray"):
            Stray()._repr_html_()

    def test_rich_takes_the_language(self, report: AttainmentReport) -> None:
        """rich(lang) shows the same view in the language asked; __rich__ in the class's own."""
        assert "Attainment" in _text(report.rich("en"))
        assert "Mức đạt" in _text(report)

    @pytest.mark.parametrize(
        "code",
        [
            # a fresh notebook kernel: IPython calls _repr_html_
            "p = dxplan.load_plan('hcmc-2024'); out = p._repr_html_()",
            # rich.print in a script
            "import rich; p = dxplan.load_plan('hcmc-2024'); rich.print(p)",
            # a phrase a domain object speaks
            "from dxplan.plan.attainment import Status; out = Status.MET.label('en')",
        ],
    )
    def test_views_load_on_first_display(self, code: str) -> None:
        """In a new process, the first display loads dxplan.render; importing dxplan does not."""
        import subprocess

        script = (
            "import sys, dxplan\n"
            "assert 'dxplan.render' not in sys.modules and 'rich' not in sys.modules\n"
            f"{code}\n"
            "assert 'dxplan.render.notebook' in sys.modules\n"
            "print('ok')\n"
        )
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip().endswith("ok")
