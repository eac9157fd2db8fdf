"""The names `dxplan` exports, and what `import dxplan` costs."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dxplan


class TestPublicNames:
    """`dxplan.__all__` is the public contract."""

    def test_all_is_sorted(self) -> None:
        """`__all__` is sorted, so additions are easy to review."""
        assert dxplan.__all__ == sorted(dxplan.__all__)

    @pytest.mark.parametrize("name", dxplan.__all__)
    def test_every_name_resolves(self, name: str) -> None:
        """Every exported name is an attribute of the package."""
        assert getattr(dxplan, name) is not None

    def test_public_names_are_exported(self) -> None:
        """Every public, non-module attribute of the package is in `__all__`."""
        public = {n for n in vars(dxplan) if not n.startswith("_")}
        modules = {n for n in public if type(getattr(dxplan, n)).__name__ == "module"}
        assert public - modules - {"annotations", "TYPE_CHECKING"} <= set(dxplan.__all__)

    def test_unknown_name_is_an_attribute_error(self) -> None:
        """A misspelt name raises AttributeError naming it."""
        with pytest.raises(AttributeError, match="no attribute 'Plna'"):
            _ = dxplan.Plna

    def test_design_sketch_runs(self) -> None:
        """The API sketch of DESIGN.md §9 runs as written, with the intended answers."""
        dx = dxplan
        plan = dx.load_plan("hcmc-2024")
        assert [t.value for t in plan.indicator("2.7").targets] == [70, 60, 55]
        assert [t.id for t in plan.graph.tasks_for("3.1")] == ["T09"]
        dti = dx.indices.dti_922()
        data = dx.datasets.dti_2022()
        result = dti.evaluate(data)
        assert result.rank("DTI")["ho-chi-minh"] == 2
        scenario = dx.Scenario("society push").set("ho-chi-minh", "hd_xa_hoi_so", 0.95)
        comparison = dx.compare(dti, data, scenario)
        change = comparison.change("ho-chi-minh")
        # 716.355 points + (0.95 − 0.3590) × 150 = 805.005 points: ahead of Đà Nẵng's 800.175.
        assert change.score_after == pytest.approx(0.805005, abs=1e-12)
        assert (change.rank_before, change.rank_after) == (2, 1)
        seek = dx.goal_seek(
            dti, data, entity="ho-chi-minh", lever="hd_xa_hoi_so", goal=dx.RankAtMost(1)
        )
        assert seek.feasible


class TestImportCost:
    """`import dxplan` stays light: heavy libraries load when used."""

    def test_heavy_libraries_are_not_imported(self) -> None:
        """networkx, matplotlib, pandas and hypothesis are not loaded by `import dxplan`."""
        code = (
            "import sys, dxplan; "
            "print(sorted(m for m in ('networkx', 'matplotlib', 'pandas', 'hypothesis', "
            "'dxplan.graph', 'dxplan.index') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "[]"
