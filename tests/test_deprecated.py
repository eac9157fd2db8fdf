"""Tests of dxplan._deprecated: renamed names keep working for a while, with a warning."""

from __future__ import annotations

import importlib

import pytest

import dxplan
import dxplan.render
import dxplan.strategies
import dxplan.whatif.goalseek
from dxplan._deprecated import renamed

# (module, old name, new name): every rename that kept its old name (CHANGELOG.md).
RENAMES = [
    ("dxplan", "compare_plan", "compare_attainment"),
    ("dxplan", "goal_seek_plan", "goal_seek_attainment"),
    ("dxplan", "TaskPlan", "TaskMoves"),
    ("dxplan.whatif.scenario", "compare_plan", "compare_attainment"),
    ("dxplan.whatif.scenario", "PlanComparison", "AttainmentComparison"),
    ("dxplan.whatif.goalseek", "goal_seek_plan", "goal_seek_attainment"),
    ("dxplan.whatif.goalseek", "PlanGoalSeekResult", "IndicatorSeek"),
    ("dxplan.whatif.goalseek", "LeverPlan", "LeverMoves"),
    ("dxplan.whatif.tasks", "TaskPlan", "TaskMoves"),
    ("dxplan.render", "plan_comparison_view", "attainment_comparison_view"),
    ("dxplan.render", "task_plan_view", "task_moves_view"),
    ("dxplan.strategies", "indices", "composite_indices"),
]


class TestRenamed:
    """Old names after a rename."""

    @pytest.mark.parametrize(("module", "old", "new"), RENAMES)
    def test_old_name_warns_and_is_the_new_object(self, module: str, old: str, new: str) -> None:
        """The old name gives the very object the new name does, with a DeprecationWarning."""
        loaded = importlib.import_module(module)
        with pytest.warns(DeprecationWarning, match=rf"{module}\.{old} is deprecated: use "):
            found = getattr(loaded, old)
        assert found is getattr(loaded, new)

    @pytest.mark.parametrize(("module", "old", "new"), RENAMES)
    def test_old_name_is_not_public(self, module: str, old: str, new: str) -> None:
        """Only the new name is listed in ``__all__``: a star import does not warn."""
        loaded = importlib.import_module(module)
        assert new in loaded.__all__
        assert old not in loaded.__all__

    def test_warning_points_at_the_caller(self) -> None:
        """The warning names the line that used the old name, not dxplan's own code."""
        with pytest.warns(DeprecationWarning, match="LeverPlan is deprecated") as caught:
            _ = dxplan.whatif.goalseek.LeverPlan  # type: ignore[attr-defined]
        assert caught[0].filename == __file__

    def test_from_import_warns(self) -> None:
        """``from module import old`` warns too."""
        with pytest.warns(DeprecationWarning, match="TaskPlan is deprecated"):
            from dxplan.whatif.tasks import TaskPlan  # type: ignore[attr-defined]  # noqa: F401

    def test_unknown_names_are_still_unknown(self) -> None:
        """A name that never existed is an AttributeError naming the module."""
        where = r"'dxplan\.whatif\.goalseek' has no attribute 'x'"
        with pytest.raises(AttributeError, match=where):
            _ = dxplan.whatif.goalseek.x  # type: ignore[attr-defined]
        with pytest.raises(AttributeError, match="no attribute 'x'"):
            _ = dxplan.strategies.x  # type: ignore[attr-defined]

    def test_renamed_builds_a_module_getattr(self) -> None:
        """``renamed`` serves only the names it is given."""
        getattr_ = renamed("dxplan.render", {"old_view": "html"})
        with pytest.warns(DeprecationWarning, match=r"dxplan\.render\.old_view"):
            assert getattr_("old_view") is dxplan.render.html
        with pytest.raises(AttributeError):
            getattr_("html_of")
