"""Tests of dxplan.whatif.scenario: edits, composition, scenario files and comparisons."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from dxplan.errors import (
    DxplanWarning,
    FileFormatError,
    InvalidValueError,
    ScenarioError,
    UnitWarning,
)
from dxplan.formats.scenario_files import load_scenario, scenario_from_dict
from dxplan.index.data import IndexData
from dxplan.index.datasets import dti_2022
from dxplan.index.indices import dti_922
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import MinMax
from dxplan.plan.catalogue import load_plan
from dxplan.plan.model import Plan
from dxplan.plan.observations import Observations, bundled_observations
from dxplan.render.phrasebook import PHRASES
from dxplan.render.whatif import edit_text
from dxplan.whatif.scenario import (
    AttainmentComparison,
    Comparison,
    DropComponent,
    Edit,
    EntityChange,
    IndicatorChange,
    Overtake,
    RemoveEntity,
    ScaleValue,
    Scenario,
    SetBaseline,
    SetTarget,
    SetValue,
    SetWeight,
    ShiftValue,
    compare,
    compare_attainment,
)

HCMC = "ho-chi-minh"


def _small() -> tuple[Index, IndexData]:
    index = Index(
        root="I",
        nodes=(
            Leaf(id="x", rule=MinMax()),
            Leaf(id="y"),
            Leaf(id="z"),
            Aggregate(id="P", children=("y", "z")),
            Aggregate(id="I", children=("x", "P"), weights=(1, 1)),
        ),
    )
    data = IndexData.from_mapping(
        {
            "a": {"x": 0.0, "y": 0.8, "z": 0.2},
            "b": {"x": 5.0, "y": 0.5, "z": 0.5},
            "c": {"x": 10.0, "y": 0.2, "z": None},
        },
        names={"a": "Alpha", "b": "Beta", "c": "Gamma"},
    )
    return index, data


def _render(renderable: object) -> str:
    console = Console(record=True, width=140)
    console.print(renderable)
    return console.export_text()


class TestScenario:
    """The Scenario value object and its builder API."""

    def test_builder_returns_new_scenarios(self) -> None:
        """Each builder call returns a new scenario and leaves the old one as it was."""
        base = Scenario("push")
        pushed = base.set(HCMC, "hd_xa_hoi_so", 0.55).weight("DTI", "hd_kinh_te_so", 200)
        assert base.edits == ()
        assert [e.op for e in pushed.edits] == ["set", "weight"]

    def test_scenario_is_frozen(self) -> None:
        """A scenario cannot be changed in place."""
        s = Scenario("s")
        with pytest.raises(AttributeError):
            s.name = "t"  # type: ignore[misc]

    def test_name_is_required(self) -> None:
        """An empty name is refused with the field named."""
        with pytest.raises(InvalidValueError, match="'name' must be a non-empty name"):
            Scenario(" ")

    def test_composition_concatenates_edits(self) -> None:
        """``a + b`` and ``a.then(b)`` apply a's edits, then b's."""
        a = Scenario("a").set(HCMC, "hd_xa_hoi_so", 0.5)
        b = Scenario("b").shift(HCMC, "hd_xa_hoi_so", 0.1)
        assert (a + b).edits == a.then(b).edits == (*a.edits, *b.edits)
        assert (a + b).name == "a + b"
        _, data = (a + b).apply(dti_922(), dti_2022())
        assert data.value(HCMC, "hd_xa_hoi_so") == pytest.approx(0.6)

    def test_apply_never_changes_inputs(self) -> None:
        """Applying a scenario leaves the index and data it was given as they were."""
        index, data = dti_922(), dti_2022()
        before = data.values.copy()
        s = (
            Scenario("all")
            .set(None, "DTI", 0.5)
            .weight("DTI", "hd_kinh_te_so", 200)
            .drop("hd_xa_hoi_so")
            .remove_entity("can-tho")
            .add_entity("new", {"nhan_thuc_so": 0.4})
        )
        new_index, new_data = s.apply(index, data)
        assert np.array_equal(data.values, before, equal_nan=True)
        assert index == dti_922()
        assert not new_data.values.flags.writeable
        assert new_index != index

    def test_node_edits_reach_every_leaf_under_the_node(self) -> None:
        """A value edit on a node changes each leaf under it."""
        index, data = _small()
        _, new = Scenario("s").shift("a", "P", 0.1).apply(index, data)
        assert new.value("a", "y") == pytest.approx(0.9)
        assert new.value("a", "z") == pytest.approx(0.3)
        assert new.value("a", "x") == 0.0

    def test_all_entities(self) -> None:
        """``None`` or ``'*'`` as the entity edits every entity; missing values stay missing."""
        index, data = _small()
        _, new = Scenario("s").scale("*", "z", 2).apply(index, data)
        assert new.value("a", "z") == pytest.approx(0.4)
        assert math.isnan(new.value("c", "z"))

    def test_unknown_entity_names_it_and_the_known_ones(self) -> None:
        """An unknown entity is a ScenarioError naming it and the known entities."""
        with pytest.raises(ScenarioError, match=r"unknown entity 'hcm'.*'ho-chi-minh'"):
            Scenario("s").set("hcm", "hd_xa_hoi_so", 1).apply(dti_922(), dti_2022())

    def test_unknown_component_names_it_and_the_known_ones(self) -> None:
        """An unknown component is a ScenarioError listing components and nodes."""
        with pytest.raises(ScenarioError, match=r"unknown component or node 'xa'.*'hd_xa_hoi_so'"):
            Scenario("s").set(HCMC, "xa", 1).apply(dti_922(), dti_2022())

    def test_apply_plan_changes_latest_observation(self) -> None:
        """A value edit on a plan indicator changes its latest observation only."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        # 1.3 measures the same quantity (digital-economy-share): it is left as it is, with a word.
        with pytest.warns(DxplanWarning, match=r"'1\.3' measure the same quantity"):
            _, new = Scenario("s").set(HCMC, "3.1", 25).apply_plan(plan, observations)
        latest = new.latest(HCMC, "3.1")
        assert latest is not None
        assert (latest.period, latest.value) == (2024, 25.0)
        older = new.get(HCMC, "3.1", 2023)
        assert older is not None
        assert older.value == 21.5

    def test_setting_a_fraction_on_a_percent_indicator_warns(self) -> None:
        """Setting 0.72 on 3.1 (in % of GRDP, target 25 %) is read as 0.72 %: a warning says
        it looks like a fraction and how to write 72 %."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        with (
            pytest.warns(UnitWarning, match=r"0\.72 looks like a fraction; write 72 or "),
            pytest.warns(DxplanWarning, match="same quantity"),
        ):
            _, new = Scenario("s").set(HCMC, "3.1", 0.72).apply_plan(plan, observations)
        latest = new.latest(HCMC, "3.1")
        assert latest is not None
        assert latest.value == 0.72  # the documented rule stands: in the indicator's unit

    def test_rich_lists_edits(self) -> None:
        """The rich view names the scenario and each edit."""
        text = _render(Scenario("push", description="why").set(HCMC, "hd_xa_hoi_so", 0.55))
        assert "push — why" in text
        assert "set ho-chi-minh/hd_xa_hoi_so = 0.55" in text


class TestSetValue:
    """SetValue edits."""

    def test_sets_value(self) -> None:
        """A set replaces the value, and NaN makes it missing."""
        index, data = _small()
        _, new = Scenario("s").set("a", "x", 2).set("b", "y", math.nan).apply(index, data)
        assert new.value("a", "x") == 2.0
        assert math.isnan(new.value("b", "y"))

    def test_refuses_text(self) -> None:
        """A value that is not a number is refused."""
        with pytest.raises(InvalidValueError, match="'value' must be a number"):
            SetValue(entity="a", component="x", value="high")


class TestShiftValue:
    """ShiftValue edits."""

    def test_shifts(self) -> None:
        """A shift adds to the value and has an exact describe text."""
        edit = ShiftValue(entity="a", component="y", by=-0.3)
        assert edit.describe() == "shift a/y by -0.3"

    def test_refuses_infinite(self) -> None:
        """An infinite shift is refused."""
        with pytest.raises(InvalidValueError, match="'by' must be a finite number"):
            ShiftValue(entity="a", component="y", by=math.inf)


class TestScaleValue:
    """ScaleValue edits."""

    def test_scales_every_entity(self) -> None:
        """A scale of every entity multiplies each value; a missing one stays missing."""
        index, data = _small()
        edit = ScaleValue(entity=None, component="z", factor=4)
        assert edit.describe() == "scale */z by ×4"
        _, new = Scenario("s").with_edits(edit).apply(index, data)
        assert (new.value("a", "z"), new.value("b", "z")) == (0.8, 2.0)
        assert math.isnan(new.value("c", "z"))


class TestSetWeight:
    """SetWeight edits."""

    def test_changes_weight(self) -> None:
        """A weight edit changes the child's weight in its parent."""
        index, data = _small()
        new_index, _ = Scenario("s").weight("I", "x", 3).apply(index, data)
        assert new_index.effective_weights()["x"] == pytest.approx(0.75)

    def test_unknown_node_and_child(self) -> None:
        """An unknown node or child is a ScenarioError naming the known ones."""
        index, data = _small()
        with pytest.raises(
            ScenarioError, match="unknown inner node 'Q'; known inner nodes: 'P', 'I'"
        ):
            Scenario("s").weight("Q", "x", 1).apply(index, data)
        with pytest.raises(
            ScenarioError, match=r"'y' is not a child of 'I'; its children: 'x', 'P'"
        ):
            Scenario("s").weight("I", "y", 1).apply(index, data)

    def test_describe(self) -> None:
        """A weight edit describes itself as node/child = weight."""
        assert SetWeight(node="DTI", child="x", weight=2).describe() == "weight DTI/x = 2"

    def test_points_based_index_refuses_an_ambiguous_weight(self) -> None:
        """The DTI weighs in points: 0.3 could be 0.3 points or a 30 % share, so it is refused
        with both ways to say it."""
        with pytest.raises(ScenarioError, match=r"write points=0\.3 .* or share=0\.3"):
            Scenario("s").weight("DTI", "hd_xa_hoi_so", 0.3).apply(dti_922(), dti_2022())

    def test_points_and_share_are_explicit(self) -> None:
        """points=300 gives society activity 300 of 1 150 points; share=0.3 makes it 30 % of
        the total: w = 0.3 × 850 / 0.7 = 364.29 with the other 850 points unchanged."""
        index, data = dti_922(), dti_2022()
        by_points, _ = Scenario("s").weight("DTI", "hd_xa_hoi_so", points=300).apply(index, data)
        assert by_points.effective_weights()["hd_xa_hoi_so"] == 300 / 1150
        by_share, _ = Scenario("s").weight("DTI", "hd_xa_hoi_so", share=0.3).apply(index, data)
        assert by_share.effective_weights()["hd_xa_hoi_so"] == pytest.approx(0.3, rel=1e-15)
        node = by_share.node("DTI")
        assert isinstance(node, Aggregate)
        assert node.weights[node.children.index("hd_xa_hoi_so")] == pytest.approx(0.3 * 850 / 0.7)

    def test_exactly_one_way(self) -> None:
        """Giving none, or two, of weight, points and share is refused."""
        with pytest.raises(InvalidValueError, match="exactly one of weight, points or share"):
            SetWeight(node="DTI", child="x")
        with pytest.raises(InvalidValueError, match="exactly one of weight, points or share"):
            SetWeight(node="DTI", child="x", points=1, share=0.5)
        with pytest.raises(InvalidValueError, match="'share' must be a share from 0 to below 1"):
            SetWeight(node="DTI", child="x", share=1)

    def test_share_and_points_from_a_file(self) -> None:
        """A scenario file says points = … or share = … for op weight."""
        raw = {
            "name": "w",
            "edits": [
                {"op": "weight", "node": "DTI", "child": "hd_xa_hoi_so", "share": 0.3},
                {"op": "weight", "node": "DTI", "child": "hd_kinh_te_so", "points": 0.5},
            ],
        }
        edits = scenario_from_dict(raw).edits
        assert [e.describe() for e in edits] == [
            "weight DTI/hd_xa_hoi_so = 0.3 of the node's weight",
            "weight DTI/hd_kinh_te_so = 0.5 points",
        ]

    def test_invalid_weights_become_scenario_errors(self) -> None:
        """Weights the index refuses (all zero) are a ScenarioError."""
        index, data = _small()
        with pytest.raises(ScenarioError, match="at least one positive weight"):
            Scenario("s").weight("P", "y", 0).weight("P", "z", 0).apply(index, data)


class TestDropComponent:
    """DropComponent edits."""

    def test_drops_leaf_and_column(self) -> None:
        """A dropped component leaves the index and the data; parents keep the rest."""
        index, data = _small()
        new_index, new_data = Scenario("s").drop("y").apply(index, data)
        assert "y" not in {n.id for n in new_index.nodes}
        assert new_data.components == ("x", "z")
        assert new_index.evaluate(new_data).score("a", "P") == pytest.approx(0.2)

    def test_empty_parent_is_dropped(self) -> None:
        """A parent left without children is dropped too."""
        index, data = _small()
        new_index, _ = Scenario("s").drop("y").drop("z").apply(index, data)
        assert [n.id for n in new_index.nodes] == ["x", "I"]

    def test_cannot_empty_the_root(self) -> None:
        """Dropping every leaf under the root is refused."""
        index, data = _small()
        with pytest.raises(ScenarioError, match="root 'I' with no children"):
            Scenario("s").drop("x").drop("y").drop("z").apply(index, data)

    def test_unknown(self) -> None:
        """An unknown component is named with the known ones."""
        index, data = _small()
        with pytest.raises(ScenarioError, match=r"unknown component 'w'; known components: 'x'"):
            Scenario("s").with_edits(DropComponent(component="w")).apply(index, data)


class TestAddEntity:
    """AddEntity edits."""

    def test_adds_row(self) -> None:
        """A new entity takes its values and NaN elsewhere, with its display name."""
        index, data = _small()
        _, new = Scenario("s").add_entity("d", {"x": 7.0}, name="Delta").apply(index, data)
        assert new.entities == ("a", "b", "c", "d")
        assert new.name("d") == "Delta"
        assert new.value("d", "x") == 7.0
        assert math.isnan(new.value("d", "y"))

    def test_existing_entity_and_unknown_component(self) -> None:
        """Adding an existing entity, or a value of an unknown component, is refused."""
        index, data = _small()
        with pytest.raises(ScenarioError, match="'a' is already in the data"):
            Scenario("s").add_entity("a").apply(index, data)
        with pytest.raises(ScenarioError, match="unknown component 'q'"):
            Scenario("s").add_entity("d", {"q": 1.0}).apply(index, data)


class TestRemoveEntity:
    """RemoveEntity edits."""

    def test_removes_row(self) -> None:
        """A removed entity is gone from the data and the ranking."""
        index, data = _small()
        _, new = Scenario("s").remove_entity("b").apply(index, data)
        assert new.entities == ("a", "c")
        assert new.names == ("Alpha", "Gamma")

    def test_describe(self) -> None:
        """A removal names the entity."""
        assert RemoveEntity(entity="a").describe() == "remove entity a"

    def test_last_entity(self) -> None:
        """Removing the last entity is refused."""
        index, data = _small()
        s = Scenario("s").remove_entity("a").remove_entity("b").remove_entity("c")
        with pytest.raises(ScenarioError, match="no entity"):
            s.apply(index, data)


class TestSetTarget:
    """SetTarget edits (plan side)."""

    def test_changes_target_and_is_refused_by_apply(self) -> None:
        """A target edit changes the plan; the index side refuses it rather than skip it."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        s = Scenario("s").target("3.1", 20)
        new_plan, _ = s.apply_plan(plan, observations)
        assert new_plan.indicator("3.1").target().value == 20
        assert plan.indicator("3.1").target().value == 25
        index, data = dti_922(), dti_2022()
        with pytest.raises(
            ScenarioError,
            match=r"^edit 'target 3.1 = 20': edit 1 cannot change an index and its data; "
            r"expected only edits that can \(apply this one with Scenario.apply_plan",
        ):
            s.apply(index, data)

    def test_index_edit_is_refused_by_apply_plan(self) -> None:
        """A weight edit has nothing to change in a plan: apply_plan refuses it."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        s = Scenario("s").target("3.1", 20).weight("DTI", "hd_kinh_te_so", 2)
        with pytest.raises(ScenarioError, match="edit 2 cannot change a plan and its obs"):
            s.apply_plan(plan, observations)

    def test_unknown_indicator(self) -> None:
        """An unknown indicator is named with the known ones."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        with pytest.raises(ScenarioError, match=r"unknown indicator '9.9'.*'1.1'"):
            Scenario("s").target("9.9", 1).apply_plan(plan, observations)

    def test_describe(self) -> None:
        """The description names the indicator and scope."""
        edit = SetTarget(indicator="2.7", value=75, scope="city")
        assert edit.describe() == "target 2.7[city] = 75"


class TestSetBaseline:
    """SetBaseline edits (plan side)."""

    def test_sets_baseline(self) -> None:
        """A baseline edit sets the target's baseline; a baseline equal to the target is refused."""
        plan, observations = load_plan("hcmc-2024"), bundled_observations()
        new_plan, _ = Scenario("s").baseline("3.1", 15).apply_plan(plan, observations)
        assert new_plan.indicator("3.1").target().baseline == 15
        with pytest.raises(ScenarioError, match="baseline"):
            Scenario("s").baseline("3.1", 25).apply_plan(plan, observations)
        assert SetBaseline(indicator="3.1", value=None).describe() == "baseline 3.1 = none"


SCENARIO_TOML = """
name = "society push"
description = "HCMC closes its society gap"
index = "dti-922"
data = "dti-2022"

[[edits]]
op = "set"
entity = "ho-chi-minh"
component = "hd_xa_hoi_so"
value = 0.55

[[edits]]
op = "weight"
node = "DTI"
child = "hd_kinh_te_so"
value = 200

[[edits]]
op = "shift"
entity = "*"
component = "nhan_luc_so"
by = 0.01
"""


class TestLoadScenario:
    """Reading scenarios from TOML files."""

    def test_reads_file(self, tmp_path: Path) -> None:
        """A scenario file gives the same scenario as the builder API."""
        path = tmp_path / "push.toml"
        path.write_text(SCENARIO_TOML, encoding="utf-8")
        s = load_scenario(path)
        expected = (
            Scenario("society push")
            .set(HCMC, "hd_xa_hoi_so", 0.55)
            .weight("DTI", "hd_kinh_te_so", 200)
            .shift(None, "nhan_luc_so", 0.01)
        )
        assert s.edits == expected.edits
        assert (s.index_ref, s.data_ref) == ("dti-922", "dti-2022")
        assert s.description == "HCMC closes its society gap"

    def test_errors_name_file_path_found_and_expected(self, tmp_path: Path) -> None:
        """Every bad field is reported at once with file, ``$.edits[i].key``, found and expected."""
        path = tmp_path / "bad.toml"
        path.write_text(
            SCENARIO_TOML.replace("by = 0.01", 'by = "lots"').replace('op = "weight"', 'op = "w"'),
            encoding="utf-8",
        )
        with pytest.raises(FileFormatError) as caught:
            load_scenario(path)
        ops = "set, shift, scale, weight, target, baseline, drop, add-entity, remove-entity, task"
        assert [(p.where, p.message) for p in caught.value.problems] == [
            (f"{path}:$.edits[1].op", f"found 'w'; expected one of {ops}"),
            (f"{path}:$.edits[2].by", "found 'lots'; expected a number"),
        ]

    def test_missing_and_unknown_keys(self) -> None:
        """A missing required key and an unknown key are both reported."""
        raw = {"name": "s", "edits": [{"op": "set", "entity": "a", "valu": 1}]}
        with pytest.raises(FileFormatError) as caught:
            scenario_from_dict(raw, source="s.toml")
        wheres = [p.where for p in caught.value.problems]
        assert wheres == [
            "s.toml:$.edits[0].component",
            "s.toml:$.edits[0].value",
            "s.toml:$.edits[0].valu",
        ]

    def test_not_toml(self, tmp_path: Path) -> None:
        """A file that is not TOML is a FileFormatError naming it."""
        path = tmp_path / "x.toml"
        path.write_text("name = ", encoding="utf-8")
        with pytest.raises(FileFormatError, match="not valid TOML"):
            load_scenario(path)

    def test_edit_errors_name_their_place_in_the_file(self, tmp_path: Path) -> None:
        """An edit that cannot apply names where it was written."""
        path = tmp_path / "s.toml"
        path.write_text(SCENARIO_TOML.replace('"ho-chi-minh"', '"hcm"'), encoding="utf-8")
        with pytest.raises(ScenarioError, match=r"s\.toml:\$\.edits\[0\]\): unknown entity 'hcm'"):
            load_scenario(path).apply(dti_922(), dti_2022())

    def test_relative_files_follow_the_scenario(self, tmp_path: Path) -> None:
        """Relative index and data files are read from the scenario's folder."""
        path = tmp_path / "s.toml"
        path.write_text('name = "s"\nindex = "i.toml"\ndata = "d.csv"\n', encoding="utf-8")
        s = load_scenario(path)
        assert s.index_ref == str(tmp_path / "i.toml")
        assert s.data_ref == str(tmp_path / "d.csv")

    def test_names_without_a_suffix_stay_names(self, tmp_path: Path) -> None:
        """A reference without a file suffix (a bundled name) is kept as written."""
        path = tmp_path / "s.toml"
        path.write_text('name = "s"\nindex = "my-index"\ndata = "asem"\n', encoding="utf-8")
        s = load_scenario(path)
        assert (s.index_ref, s.data_ref) == ("my-index", "asem")


class TestComparison:
    """compare() and its Comparison result."""

    def test_society_push(self) -> None:
        """HCMC's society activity at 0.55 adds 150 × 0.191 points; ranks stay."""
        s = Scenario("society push").set(HCMC, "hd_xa_hoi_so", 0.55)
        c = compare(dti_922(), dti_2022(), s)
        assert isinstance(c, Comparison)
        change = c.change(HCMC)
        assert change.score_change * c.scale == pytest.approx(150 * (0.55 - 0.3590))
        assert (change.rank_before, change.rank_after) == (2, 2)
        assert c.overtakes == ()

    def test_overtakes(self) -> None:
        """Who passes whom is listed, with ranks before and after."""
        s = Scenario("first").set(HCMC, "hd_xa_hoi_so", 1.0)
        c = compare(dti_922(), dti_2022(), s)
        assert c.overtakes == (
            Overtake(entity=HCMC, passed="da-nang", ranks_before=(2, 1), ranks_after=(1, 2)),
        )
        assert c.change("da-nang").rank_change == -1

    def test_added_and_removed_entities(self) -> None:
        """An entity only on one side has no rank on the other."""
        index, data = _small()
        c = compare(index, data, Scenario("s").remove_entity("c").add_entity("d", {"x": 1}))
        assert c.change("c").rank_after is None
        assert c.change("d").rank_before is None
        assert c.change("d").rank_change is None

    def test_node(self) -> None:
        """Scores can be compared on any node; an unknown node is named."""
        s = Scenario("s").set(HCMC, "hd_xa_hoi_so", 1.0)
        c = compare(dti_922(), dti_2022(), s, node="xa_hoi_so")
        assert c.scale == 650
        with pytest.raises(ScenarioError, match="unknown node 'nope'"):
            compare(dti_922(), dti_2022(), s, node="nope")

    def test_rich_and_frame(self) -> None:
        """The table shows rank moves and overtakes; the frame has one row per entity."""
        s = Scenario("first").set(HCMC, "hd_xa_hoi_so", 1.0)
        c = compare(dti_922(), dti_2022(), s)
        text = _render(c)
        assert "2 → 1" in text
        assert "TP. Hồ Chí Minh overtakes TP. Đà Nẵng" in text
        frame = c.to_frame()
        assert frame.loc[HCMC, "rank_after"] == 1
        assert c.to_dict()["overtakes"][0]["passed"] == "da-nang"

    def test_frame_needs_pandas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas, to_frame names the extra to install."""
        import sys

        from dxplan.errors import MissingExtraError

        monkeypatch.setitem(sys.modules, "pandas", None)
        c = compare(dti_922(), dti_2022(), Scenario("s"))
        with pytest.raises(MissingExtraError, match=r"dxplan\[pandas\]"):
            c.to_frame()


class TestEntityChange:
    """EntityChange."""

    def test_changes(self) -> None:
        """Score and rank changes are after minus before and places gained."""
        c = EntityChange(
            entity="a", name="A", score_before=0.5, score_after=0.75, rank_before=3, rank_after=1
        )
        assert (c.score_change, c.rank_change) == (0.25, 2)


class TestOvertake:
    """Overtake."""

    def test_fields(self) -> None:
        """An overtake keeps both entities' ranks before and after."""
        o = Overtake(entity="a", passed="b", ranks_before=(2, 1), ranks_after=(1, 2))
        assert o.ranks_after == (1, 2)


def _plan() -> tuple[Plan, Observations]:
    return load_plan("hcmc-2024"), bundled_observations()


class TestAttainmentComparison:
    """compare_attainment() and its AttainmentComparison result."""

    def test_met_changes(self) -> None:
        """Raising 3.1 to its target meets it; raising 1.3's target un-meets 1.3."""
        plan, observations = _plan()
        s = Scenario("s").set(HCMC, "3.1", 25).target("1.3", 23)
        with pytest.warns(DxplanWarning, match=r"changes indicator '3\.1' only"):
            c = compare_attainment(plan, observations, s)
        assert isinstance(c, AttainmentComparison)
        assert c.newly_met == ("3.1",)
        assert c.no_longer_met == ("1.3",)
        assert [x.indicator for x in c.changed] == ["1.3", "3.1"]
        assert c.before.attainment == pytest.approx(0.96)
        text = _render(c)
        assert "không → có" in text  # a plan view speaks the plan's language
        assert c.to_frame().loc["3.1", "met_after"]


class TestIndicatorChange:
    """IndicatorChange."""

    def test_changed(self) -> None:
        """An indicator whose attainment, met and status are equal has not changed."""
        same = IndicatorChange(
            indicator="1",
            attainment_before=1.0,
            attainment_after=1.0,
            met_before=True,
            met_after=True,
            status_before="met",
            status_after="met",
        )
        assert not same.changed


class TestEditText:
    """How an edit reads in a view: the phrasebook's words, ids as written, numbers localised."""

    SCENARIO = (
        Scenario("all kinds")
        .set(None, "a", 0.5)
        .shift("hcm", "b", -1.25)
        .scale("hcm", "c", 1.1)
        .weight("n", "c", points=150)
        .weight("n", "d", share=0.3)
        .task("T04", reaches=1, entity="hcm")
        .target("2.7", 70.5, scope="huyen")
        .baseline("3.1", None)
    )

    def test_vietnamese(self) -> None:
        """Every word is Vietnamese and every decimal a comma; '*' stands for every entity."""
        assert [edit_text(e, "vi") for e in self.SCENARIO.edits] == [
            "đặt */a = 0,5",
            "cộng -1,25 vào hcm/b",
            "nhân hcm/c với ×1,1",
            "trọng số n/c = 150 điểm",
            "trọng số n/d = 0,3 trọng số của nút",
            "nhiệm vụ T04 đạt 1 (hcm)",
            "mục tiêu 2.7 [huyen] = 70,5",
            "bỏ giá trị gốc của 3.1",
        ]

    def test_english(self) -> None:
        """English reads as the scenario file's own words."""
        assert [edit_text(e, "en") for e in self.SCENARIO.edits] == [
            "set */a = 0.5",
            "shift hcm/b by -1.25",
            "scale hcm/c by ×1.1",
            "weight n/c = 150 points",
            "weight n/d = 0.3 of the node's weight",
            "task T04 reaches 1 (hcm)",
            "target 2.7 [huyen] = 70.5",
            "baseline 3.1 = none",
        ]

    def test_every_kind_of_edit_has_its_phrases(self) -> None:
        """Each edit class of the module reads in both languages (a new kind needs phrases)."""
        kinds = {cls.op for cls in _subclasses(Edit) if cls.op}
        assert kinds == {
            "set", "shift", "scale", "weight", "drop", "task",
            "add-entity", "remove-entity", "target", "baseline",
        }  # fmt: skip
        for kind in kinds - {"weight"}:
            assert f"edit.{kind}" in PHRASES
        assert {f"edit.weight {k}" for k in ("weight", "points", "share")} <= set(PHRASES)


def _subclasses(cls: type[Edit]) -> set[type[Edit]]:
    found: set[type[Edit]] = set(cls.__subclasses__())
    return found | {s for c in found for s in _subclasses(c)}
