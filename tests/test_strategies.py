"""dxplan.strategies: every strategy yields valid objects and honours its constraints."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from dxplan import (
    Comparator,
    Indicator,
    IndicatorGroup,
    Label,
    Plan,
    Target,
    Task,
    Unit,
    check,
    load_plan,
)
from dxplan import strategies as ds
from dxplan._hypothesis_plugin import _register
from dxplan.errors import InvalidValueError
from dxplan.formats.io import plan_from_dict, plan_to_dict
from dxplan.index.data import IndexData
from dxplan.index.model import Index
from dxplan.plan.validation import task_cycle
from dxplan.text import nfc
from dxplan.units import RANK

SETTINGS = settings(max_examples=25, deadline=None)
LETTERS = set(ds.VIETNAMESE_LETTERS) | {" "}


def _is_rank(unit: Unit) -> bool:
    return unit.is_comparable(RANK)


class TestVietnameseText:
    @SETTINGS
    @given(ds.vietnamese_text())
    def test_text_is_vietnamese_letters_with_a_visible_one(self, text: str) -> None:
        """Every draw is Vietnamese letters and spaces, with at least one letter."""
        assert text.strip()
        assert set(nfc(text)) <= LETTERS

    def test_both_normal_forms_are_drawn(self) -> None:
        """Draws come precomposed (NFC) and decomposed (NFD), so normalisation is exercised."""
        decomposed = find(ds.vietnamese_text(), lambda t: t != nfc(t))
        assert unicodedata.normalize("NFD", decomposed) == decomposed
        find(ds.vietnamese_text(), lambda t: t == nfc(t) and not t.isascii())

    def test_word_counts_are_checked(self) -> None:
        """Asking for fewer than one word is refused by name."""
        with pytest.raises(InvalidValueError, match="min_words"):
            ds.vietnamese_text(min_words=0)


class TestLabels:
    @SETTINGS
    @given(ds.labels())
    def test_labels_are_nfc_vietnamese(self, label: Label) -> None:
        """Labels hold NFC text, whatever form the draw was in."""
        assert label.vi == nfc(label.vi)
        assert label.vi.strip()


class TestUnits:
    @SETTINGS
    @given(ds.units(rank=True), ds.units(rank=False), ds.units())
    def test_rank_choice_is_honoured(self, rank: Unit, other: Unit, either: Unit) -> None:
        """rank=True gives units in rank, rank=False never does; all are usable units."""
        assert _is_rank(rank)
        assert not _is_rank(other)
        assert either.dimensionality


class TestTargets:
    @SETTINGS
    @given(ds.targets(unit=Unit(symbol="%", basis="GRDP"), comparators=[">=", ">"]))
    def test_share_targets_use_the_comparators_given(self, target: Target) -> None:
        """A share target uses one of the comparators asked for, with a value from 0 to 100."""
        assert target.comparator in (Comparator.AT_LEAST, Comparator.ABOVE)
        assert 0 <= target.value <= 100
        assert target.baseline != target.value

    @SETTINGS
    @given(ds.targets(unit=Unit(symbol="rank")))
    def test_rank_targets_are_whole_ranks(self, target: Target) -> None:
        """A target in rank is 'rank<=' a whole rank, within out_of when that is given."""
        assert target.comparator is Comparator.RANK_AT_MOST
        assert target.value >= 1
        assert float(target.value).is_integer()
        assert target.out_of is None or target.out_of >= target.value

    def test_impossible_constraints_are_refused(self) -> None:
        """A unit in rank without 'rank<=', or an unknown comparator, is refused by name."""
        with pytest.raises(InvalidValueError, match="comparators"):
            ds.targets(unit=Unit(symbol="rank"), comparators=[">="])
        with pytest.raises(InvalidValueError, match="comparators"):
            ds.targets(comparators=["=="])
        with pytest.raises(InvalidValueError, match="unit"):
            ds.targets(unit=Unit(symbol="%"), comparators=["rank<="])


class TestIndicators:
    @SETTINGS
    @given(ds.indicators())
    def test_targets_fit_the_unit_and_have_distinct_scopes(self, indicator: Indicator) -> None:
        """'rank<=' is used exactly on units in rank; several targets have distinct scopes."""
        for target in indicator.targets:
            assert target.comparator.is_rank == _is_rank(indicator.unit)
        scopes = [target.scope for target in indicator.targets]
        assert len(set(scopes)) == len(scopes)

    @SETTINGS
    @given(ds.indicators(unit=Unit(symbol="count"), comparators=["<="]))
    def test_unit_and_comparators_are_honoured(self, indicator: Indicator) -> None:
        """The unit and comparators asked for are the ones used."""
        assert indicator.unit == Unit(symbol="count")
        assert {t.comparator for t in indicator.targets} == {Comparator.AT_MOST}


class TestIndicatorGroups:
    @SETTINGS
    @given(ds.indicator_groups(min_indicators=2, max_indicators=4))
    def test_sizes_ids_and_declared_count(self, group: IndicatorGroup) -> None:
        """Listed indicators are within the sizes asked, with unique ids, all declared."""
        assert 2 <= group.listed_count <= 4
        assert len({i.id for i in group.indicators}) == group.listed_count
        assert group.declared_count >= group.listed_count

    def test_sizes_are_checked(self) -> None:
        """A minimum above the maximum is refused by name."""
        with pytest.raises(InvalidValueError, match="min_indicators"):
            ds.indicator_groups(min_indicators=3, max_indicators=2)


class TestTasks:
    @SETTINGS
    @given(ds.tasks())
    def test_tasks_are_built(self, task: Task) -> None:
        """Tasks on their own carry links with weights of at least zero."""
        for link in (*task.depends_on, *task.contributes_to, *task.priorities):
            assert link.weight >= 0


class TestPlans:
    @SETTINGS
    @given(ds.plans())
    def test_generated_plans_pass_check(self, plan: Plan) -> None:
        """Generated plans have no errors: unique ids, links resolve, no cycle, counts fit."""
        report = check(plan)
        assert report.ok, report.errors

    @SETTINGS
    @given(ds.plans(min_indicators=3, max_indicators=5, max_tasks=2))
    def test_sizes_are_honoured(self, plan: Plan) -> None:
        """The numbers of indicators and tasks stay within the bounds asked for."""
        assert 3 <= len(plan.indicators) <= 5
        assert len(plan.tasks) <= 2
        assert all(g.declared_count >= g.listed_count for g in plan.groups)

    @SETTINGS
    @given(ds.plans(min_indicators=1, comparators=["rank<="]))
    def test_rank_only_plans(self, plan: Plan) -> None:
        """With only 'rank<=', every indicator is in rank."""
        assert all(_is_rank(indicator.unit) for indicator in plan.indicators)
        assert check(plan).ok

    @SETTINGS
    @given(ds.plans(comparators=[">=", "<"]))
    def test_comparators_are_honoured(self, plan: Plan) -> None:
        """Targets use only the comparators asked for, so no indicator is in rank."""
        used = {t.comparator for i in plan.indicators for t in i.targets}
        assert used <= {Comparator.AT_LEAST, Comparator.BELOW}
        assert check(plan).ok

    def test_cycles_only_when_asked(self) -> None:
        """acyclic=False can draw a dependency cycle, which check reports."""
        # Generation only: shrinking the found plan is slow and tells nothing here.
        quick = settings(phases=[Phase.generate], max_examples=1000, database=None)
        plan = find(ds.plans(acyclic=False), lambda p: bool(task_cycle(p.tasks)), settings=quick)
        assert any(f.code == "dependency-cycle" for f in check(plan).errors)

    @SETTINGS
    @given(ds.plans(max_indicators=4, max_tasks=3))
    def test_plans_survive_the_file_round_trip(self, plan: Plan) -> None:
        """A generated plan comes back equal from plain data (the form TOML and JSON hold)."""
        assert plan_from_dict(plan_to_dict(plan)) == plan

    def test_from_type_uses_the_registered_strategies(self) -> None:
        """After the hypothesis plugin registers them, st.from_type(Plan) draws valid plans."""
        _register()

        @SETTINGS
        @given(st.from_type(Plan), st.from_type(Label), st.from_type(Target))
        def check_drawn(plan: Plan, label: Label, target: Target) -> None:
            assert check(plan).ok
            assert label.vi == nfc(label.vi)
            assert isinstance(target, Target)

        check_drawn()


def _cells(plan: Plan, entities: int, periods: int) -> int:
    scopes = sum(len({t.scope for t in i.targets}) for i in plan.indicators)
    return entities * periods * scopes


class TestObservations:
    @SETTINGS
    @given(st.data())
    def test_observations_resolve_against_their_plan(self, data: st.DataObject) -> None:
        """Generated observations fit their plan: known indicators and scopes, values in range."""
        plan = data.draw(ds.plans(max_indicators=5))
        observed = data.draw(ds.observations(plan))
        assert len(observed.resolve(plan)) == len(observed)
        if plan.entity is not None:
            assert plan.entity in observed.entities or not plan.indicators

    @SETTINGS
    @given(st.data(), st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    def test_the_share_missing_is_left_out(self, data: st.DataObject, missing: float) -> None:
        """Exactly the share of cells asked for (rounded down) is left out."""
        plan = data.draw(ds.plans(min_indicators=1, max_indicators=4))
        observed = data.draw(
            ds.observations(plan, entities=["a", "b"], periods=[2023, 2024], missing=missing)
        )
        cells = _cells(plan, entities=2, periods=2)
        assert len(observed) == cells - int(missing * cells)
        assert set(observed.entities) <= {"a", "b"}
        assert set(observed.periods) <= {2023, 2024}

    @settings(max_examples=10, deadline=None)
    @given(st.data())
    def test_the_reference_plan(self, data: st.DataObject) -> None:
        """Observations of the HCMC plan resolve too, its ranks within 63 provinces."""
        hcmc = load_plan("hcmc-2024")
        observed = data.draw(ds.observations(hcmc, max_entities=2))
        assert observed.resolve(hcmc).periods[-1] == 2024

    def test_constraints_are_checked(self) -> None:
        """A share missing outside 0–1, or no entities, is refused by name."""
        hcmc = load_plan("hcmc-2024")
        with pytest.raises(InvalidValueError, match="missing"):
            ds.observations(hcmc, missing=1.5)
        with pytest.raises(InvalidValueError, match="entities"):
            ds.observations(hcmc, entities=[])


class TestIndices:
    @SETTINGS
    @given(st.data(), st.sampled_from([0.0, 0.3]))
    def test_indices_evaluate_their_data(self, data: st.DataObject, missing: float) -> None:
        """An index evaluates data drawn for it, every node reachable from the root."""
        index = data.draw(ds.composite_indices(max_leaves=6))
        observed = data.draw(ds.index_data(index, missing=missing))
        result = index.evaluate(observed)
        assert result.entities == observed.entities
        assert set(index.effective_weights()) == {leaf.id for leaf in index.leaves}

    @SETTINGS
    @given(
        ds.composite_indices(
            min_leaves=2, max_leaves=3, max_depth=1, aggregators=["geometric-mean"]
        )
    )
    def test_constraints_are_honoured(self, index: Index) -> None:
        """Leaf counts, depth and the aggregators asked for are the ones drawn."""
        assert 2 <= len(index.leaves) <= 3
        assert len(index.aggregates) == 1
        assert {type(node.aggregator).__name__ for node in index.aggregates} == {"GeometricMean"}

    @SETTINGS
    @given(st.data())
    def test_positive_only_aggregators_get_positive_values(self, data: st.DataObject) -> None:
        """Geometric and harmonic means never meet a value <= 0 (EvaluationError)."""
        index = data.draw(ds.composite_indices(aggregators=["harmonic-mean", "arithmetic-mean"]))
        index.evaluate(data.draw(ds.index_data(index)))

    @SETTINGS
    @given(st.data())
    def test_index_data_sizes_and_missing(self, data: st.DataObject) -> None:
        """Entity counts and the share of missing cells are as asked for."""
        index = data.draw(ds.composite_indices(max_leaves=4))
        observed = data.draw(ds.index_data(index, min_entities=3, max_entities=5, missing=0.5))
        assert 3 <= len(observed) <= 5
        assert observed.components == index.components
        assert int(np.isnan(observed.values).sum()) == int(0.5 * observed.values.size)

    def test_constraints_are_checked(self) -> None:
        """Unknown kinds, or rules that cannot feed the aggregators asked for, are refused."""
        with pytest.raises(InvalidValueError, match="rules"):
            ds.composite_indices(rules=["no-such-rule"])
        with pytest.raises(InvalidValueError, match="rules"):
            ds.composite_indices(rules=["z-score"], aggregators=["geometric-mean"])

    def test_from_type(self) -> None:
        """st.from_type(Index) and st.from_type(IndexData) work after registration."""
        _register()

        @settings(max_examples=10, deadline=None)
        @given(st.from_type(Index), st.from_type(IndexData))
        def check_drawn(index: Index, observed: IndexData) -> None:
            assert index.root in {node.id for node in index.nodes}
            assert len(observed) >= 2

        check_drawn()


class TestScenarios:
    @SETTINGS
    @given(st.data())
    def test_scenarios_apply_and_evaluate(self, data: st.DataObject) -> None:
        """Every edit applies in order, and the edited index still evaluates its data."""
        index = data.draw(ds.composite_indices(max_leaves=5))
        observed = data.draw(ds.index_data(index, missing=0.2))
        scenario = data.draw(ds.scenarios(index, observed, min_edits=2, max_edits=4))
        assert 2 <= len(scenario.edits) <= 4
        edited_index, edited_data = scenario.apply(index, observed)
        edited_index.evaluate(edited_data)

    @settings(max_examples=15, deadline=None)
    @given(st.data())
    def test_the_bundled_dti(self, data: st.DataObject) -> None:
        """Scenarios of the bundled DTI 2022 apply to it, with only the ops asked for."""
        from dxplan.index.datasets import dti_2022
        from dxplan.index.indices import dti_922

        index, observed = dti_922(), dti_2022()
        scenario = data.draw(ds.scenarios(index, observed, ops=["shift", "weight"]))
        assert {edit.op for edit in scenario.edits} <= {"shift", "weight"}
        scenario.apply(index, observed)

    def test_from_type(self) -> None:
        """st.from_type(Scenario) works after registration."""
        from dxplan.whatif.scenario import Scenario

        _register()

        @settings(max_examples=5, deadline=None)
        @given(st.from_type(Scenario))
        def check_drawn(scenario: Scenario) -> None:
            assert scenario.edits

        check_drawn()


ENTRY_POINT = "[hypothesis]\ndxplan = dxplan._hypothesis_plugin:_register\n"
"""What pyproject's [project.entry-points.hypothesis] table puts in the installed metadata."""


def test_the_entry_point_registers_on_import_of_hypothesis(tmp_path: Path) -> None:
    """With the entry point installed, importing hypothesis alone registers dxplan's strategies."""
    info = tmp_path / "dxplan_entry_point_probe-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dxplan-entry-point-probe\n")
    (info / "entry_points.txt").write_text(ENTRY_POINT)
    code = (
        "import sys, hypothesis; "
        "from hypothesis.strategies._internal.types import _global_type_lookup as lookup; "
        "from dxplan import Plan; "
        "sys.exit(Plan not in lookup)"
    )
    environment = {**os.environ, "PYTHONPATH": str(tmp_path)}
    environment.pop("HYPOTHESIS_NO_PLUGINS", None)
    completed = subprocess.run([sys.executable, "-c", code], env=environment, check=False)
    assert completed.returncode == 0


def test_all_lists_the_public_names_sorted() -> None:
    """`dxplan.strategies.__all__` is sorted and names every public strategy and constant."""
    assert ds.__all__ == sorted(ds.__all__)
    defined = {
        name
        for name, value in vars(ds).items()
        if not name.startswith("_")
        and getattr(value, "__module__", ds.__name__) == ds.__name__
        and (callable(value) or name.isupper())
    }
    assert defined == set(ds.__all__)


def test_importing_dxplan_does_not_import_hypothesis() -> None:
    """The library itself never imports hypothesis; only dxplan.strategies does."""
    code = "import sys, dxplan, dxplan.cli; sys.exit('hypothesis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


class TestImportOrder:
    def test_strategies_import_before_hypothesis(self) -> None:
        """`import dxplan.strategies` works in a fresh interpreter, with the entry point
        registering while hypothesis itself is still being imported."""
        import subprocess
        import sys

        code = "import dxplan.strategies as s; import hypothesis.strategies as st; import dxplan; "
        code += "print(st.from_type(dxplan.Plan).example().__class__.__name__, s.plans)"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Plan ")
