"""The names `dxplan` exports, and what `import dxplan` costs."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

import dxplan
from dxplan.errors import InvalidValueError


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


class TestOneList:
    """`__all__` and the type checker's imports are generated from `_EXPORTS`."""

    def test_generated_part_matches_the_list(self) -> None:
        """src/dxplan/__init__.py is what tools/public_api.py writes from its _EXPORTS."""
        sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
        try:
            from public_api import INIT, rewrite
        finally:
            sys.path.pop(0)
        source = INIT.read_text(encoding="utf-8")
        assert rewrite(source) == source

    def test_all_is_the_list(self) -> None:
        """`__all__` is `_EXPORTS` and `__version__`, nothing more."""
        assert set(dxplan.__all__) == {*dxplan._EXPORTS, "__version__"}

    @pytest.mark.parametrize("name", sorted(dxplan._EXPORTS))
    def test_each_name_is_the_one_its_module_defines(self, name: str) -> None:
        """`dx.X` is the very object of the module the list names (not a copy)."""
        module, _, attribute = dxplan._EXPORTS[name].partition(":")
        found = importlib.import_module(module)
        expected = getattr(found, attribute or name, None)
        if expected is None:
            expected = importlib.import_module(f"{module}.{name}")
        assert getattr(dxplan, name) is expected

    def test_errors_and_rules_users_need_are_exported(self) -> None:
        """The errors users catch and the rules and aggregators they build indices with."""
        from dxplan import errors
        from dxplan.index import aggregators, rules

        # What errors carry (a problem, the collector of problems and its cap) is not caught.
        carried = {"Problem", "Problems", "MAX_LISTED_PROBLEMS"}
        wanted = {*errors.__all__, *rules.__all__, *aggregators.__all__} - carried
        assert wanted <= set(dxplan.__all__)

    @pytest.mark.parametrize("name", sorted(dxplan._DEPRECATED))
    def test_dropped_names_still_work_with_a_warning(self, name: str) -> None:
        """A name dropped from the top level resolves to its module's, with a DeprecationWarning."""
        where = dxplan._DEPRECATED[name]
        with pytest.warns(
            DeprecationWarning, match=f"dxplan.{name} is deprecated; import it from {where}"
        ):
            found = getattr(dxplan, name)
        assert found is getattr(importlib.import_module(where), name)
        assert name not in dxplan.__all__


class TestImportCost:
    """`import dxplan` stays light: heavy libraries load when used."""

    def test_heavy_libraries_are_not_imported(self) -> None:
        """networkx, matplotlib, pandas and hypothesis are not loaded by `import dxplan`."""
        code = (
            "import sys, dxplan; "
            "print(sorted(m for m in ('networkx', 'matplotlib', 'pandas', 'hypothesis', "
            "'dxplan.plan.graph', 'dxplan.index.model') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "[]"


def _wrong_objects() -> list[tuple[str, Callable[[], object], str]]:
    """(what, a call with a wrong Python object, the argument the error must name)."""
    from dxplan import datasets, indices
    from dxplan.formats.io import write_atomic, write_plan

    plan = dxplan.load_plan()
    observed = dxplan.bundled_observations("hcmc-2024", plan)
    index, data = indices.dti_922(), datasets.dti_2022()
    wrong: Any = None
    return [
        ("check(None)", lambda: dxplan.check(wrong), "'plan'"),
        ("assess(None, ...)", lambda: dxplan.assess(wrong, observed), "'plan'"),
        ("assess(plan, None)", lambda: dxplan.assess(plan, wrong), "'observations'"),
        (
            "assess as_of='2024'",
            lambda: dxplan.assess(plan, observed, as_of=cast(Any, "2024")),
            "'as_of'",
        ),
        ("assess as_of=10**400", lambda: dxplan.assess(plan, observed, as_of=10**400), "'as_of'"),
        (
            "uncertainty seed=1.5",
            lambda: dxplan.uncertainty(index, data, draws=5, seed=cast(Any, 1.5)),
            "'seed'",
        ),
        (
            "uncertainty draws=2.5",
            lambda: dxplan.uncertainty(index, data, draws=cast(Any, 2.5)),
            "'draws'",
        ),
        (
            "uncertainty draws='10'",
            lambda: dxplan.uncertainty(index, data, draws=cast(Any, "10")),
            "'draws'",
        ),
        (
            "uncertainty draws=True",
            lambda: dxplan.uncertainty(index, data, draws=cast(Any, True)),
            "'draws'",
        ),
        (
            "IndexData.from_mapping 10**400",
            lambda: dxplan.IndexData.from_mapping({"a": {"x": 10**400}}),
            "'values['a']['x']'",
        ),
        (
            "IndexData.from_mapping text value",
            lambda: dxplan.IndexData.from_mapping({"a": {"x": cast(Any, "1")}}),
            "'values['a']['x']'",
        ),
        ("IndexData.from_mapping None", lambda: dxplan.IndexData.from_mapping(wrong), "'values'"),
        ("load_plan(None)", lambda: dxplan.load_plan(wrong), "'ref'"),
        ("load_plan(5)", lambda: dxplan.load_plan(cast(Any, 5)), "'ref'"),
        ("load_observations(None)", lambda: dxplan.load_observations(wrong), "'path'"),
        ("compare(..., None)", lambda: dxplan.compare(index, data, wrong), "'scenario'"),
        ("write_plan(plan, None)", lambda: write_plan(plan, wrong), "'path'"),
        ("write_plan(None, path)", lambda: write_plan(wrong, "x.json"), "'plan'"),
        ("write_atomic(None, ...)", lambda: write_atomic(wrong, "x"), "'path'"),
        (
            "p_rank_at_most k='1'",
            lambda: dxplan.uncertainty(index, data, draws=5, seed=1).p_rank_at_most(
                "ho-chi-minh", cast(Any, "1")
            ),
            "'k'",
        ),
        (
            "Target(value='70')",
            lambda: dxplan.Target(comparator=">=", value=cast(Any, "70")),
            "'value'",
        ),
    ]


class TestWrongPythonObjects:
    """Public functions refuse wrong Python objects at the boundary, by argument name."""

    @pytest.mark.parametrize(
        ("call", "name"),
        [(case[1], case[2]) for case in _wrong_objects()],
        ids=[case[0] for case in _wrong_objects()],
    )
    def test_refused_as_invalid_value(self, call: Callable[[], object], name: str) -> None:
        """Each is an InvalidValueError naming the argument, not AttributeError or TypeError."""
        with pytest.raises(InvalidValueError, match=re.escape(name) + " must be"):
            call()

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(Fraction(1, 3), 1 / 3), (np.float64(2.5), 2.5), (np.float32(0.5), 0.5)],
    )
    def test_numbers_become_floats(self, value: float, expected: float) -> None:
        """A Fraction or a numpy float is stored as a float, so the plan can be written."""
        target = dxplan.Target(comparator=">=", value=value)
        assert type(target.value) is float
        assert target.value == expected
