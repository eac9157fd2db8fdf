"""From task to rank: drives in the model, files and checks; the graph through the index;
task effects, goal-seek over tasks and P(rank ≤ k) on HCMC's plan and the DTI 2022."""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from importlib import resources
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import dxplan
import dxplan as dx
from dxplan import Drive, Indicator, IndicatorGroup, Label, Plan, Provenance, Target, Task
from dxplan.errors import InvalidValueError, ScenarioError
from dxplan.formats.io import plan_from_dict, plan_to_dict, read_plan, write_plan
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.plan.graph import GraphNode, NodeKind, PlanGraph, Relation
from dxplan.plan.model import Source
from dxplan.plan.validation import check
from dxplan.render import task_moves_view
from dxplan.text import Language
from dxplan.whatif.goalseek import GoalSeekResult, RankAtMost, ScoreAtLeast
from dxplan.whatif.scenario import SetValue
from dxplan.whatif.tasks import goal_seek_tasks, task_effects

HCMC = "ho-chi-minh"
WHY = Provenance.assumption("named after the index component")
EXPECTED_DRIVES = {
    "T01": "nhan_thuc_so",
    "T02": "the_che_so",
    "T03": "ha_tang_so",
    "T06": "nhan_luc_so",
    "T07": "an_toan_thong_tin_mang",
    "T08": "hd_chinh_quyen_so",
    "T09": "hd_kinh_te_so",
    "T10": "hd_xa_hoi_so",
    "T11": "do_thi_thong_minh",
}


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("dxplan").joinpath("data", "dti", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# The published figures, read here without dxplan: max points and DTI 2022 values.
POINTS = {row["id"]: float(row["max_points"]) for row in _csv("structure_922.csv")}
VALUES = {
    row["id"]: {k: float(v) for k, v in row.items() if k in POINTS}
    for row in _csv("dti_2022_main_indicators_top5.csv")
}


def points(entity: str, **changed: float) -> float:
    """An entity's DTI in points of 1 000: Σ max points × value (the definition)."""
    values = VALUES[entity] | changed
    return sum(POINTS[c] * v for c, v in values.items())


def published(points: float) -> Decimal:
    """The DTI as published: points / 1 000 rounded half up to 4 decimals (dti.gov.vn)."""
    return Decimal(repr(points / 1000)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def rank(entity: str, **changed: float) -> int:
    """Competition rank on the published (4-decimal) DTI, the entity's values changed."""
    own = published(points(entity, **changed))
    return 1 + sum(published(points(other)) > own for other in VALUES if other != entity)


def gap_to_first() -> float:
    """Points HCMC needs to tie Đà Nẵng at 4 decimals: to the lowest score rounding up to its."""
    lowest = (published(points("da-nang")) - Decimal("0.00005")) * 1000
    return float(lowest) - points(HCMC)


@pytest.fixture(scope="module")
def data() -> IndexData:
    return dx.datasets.dti_2022()


def small_plan(*tasks: Task, scored_from: str | None = "dti-922") -> Plan:
    rank_indicator = Indicator(
        id="1.1",
        label=Label(vi="Hạng DTI"),
        unit=dx.Unit(symbol="rank"),
        targets=(Target(comparator="rank<=", value=1),),
        scored_from=scored_from,
    )
    return Plan(
        id="small",
        label=Label(vi="Kế hoạch nhỏ"),
        entity=HCMC,
        groups=(
            IndicatorGroup(
                id="G1", label=Label(vi="Nhóm"), declared_count=1, indicators=(rank_indicator,)
            ),
        ),
        tasks=tasks,
    )


def drives(*components: str, index: str = "dti-922") -> tuple[Drive, ...]:
    return tuple(Drive(index=index, component=c, provenance=WHY) for c in components)


# --- 1. the model, files and checks ------------------------------------------------------


class TestDrive:
    """A task states which index components it drives, with provenance."""

    def test_fields(self) -> None:
        """A drive names an index, a component and why."""
        drive = Drive(index="dti-922", component="ha_tang_so", provenance=WHY)
        assert (drive.index, drive.component, drive.provenance) == ("dti-922", "ha_tang_so", WHY)
        assert Task(id="T1", label=Label(vi="x")).drives == ()

    @pytest.mark.parametrize(
        ("field", "value", "expected"),
        [
            ("index", " ", "non-empty text"),
            ("component", "a b", "an id"),
            ("provenance", "why", "a Provenance"),
        ],
    )
    def test_bad_values(self, field: str, value: object, expected: str) -> None:
        """Each field is refused by name with what was expected."""
        fields: dict[str, object] = {"index": "dti-922", "component": "x", "provenance": WHY}
        fields[field] = value
        with pytest.raises(InvalidValueError, match=f"'{field}'.*{expected}"):
            Drive(**fields)  # type: ignore[arg-type]

    def test_scored_from_is_text(self) -> None:
        """An indicator's index is non-empty text."""
        with pytest.raises(InvalidValueError, match="'scored_from'"):
            Indicator(
                id="1",
                label=Label(vi="x"),
                unit=dx.Unit(symbol="rank"),
                targets=(Target(comparator="rank<=", value=1),),
                scored_from="",
            )


class TestHcmcDrives:
    """HCMC's plan states its eight DTI tasks and T11 as drives of dti-922."""

    def test_the_drives(self, hcmc: Plan) -> None:
        """T01–T03, T06–T10 drive the main indicator they are named after; T11 the smart city."""
        stated = {t.id: [(d.index, d.component) for d in t.drives] for t in hcmc.tasks if t.drives}
        assert stated == {t: [("dti-922", c)] for t, c in EXPECTED_DRIVES.items()}

    def test_names_are_the_bundled_index_components(self, hcmc: Plan) -> None:
        """Every driven component is a component of dx.indices.dti_922()."""
        components = set(dx.indices.dti_922().components)
        assert set(EXPECTED_DRIVES.values()) <= components
        assert set(EXPECTED_DRIVES.values()) == set(POINTS)

    def test_each_is_an_assumption_with_its_reason(self, hcmc: Plan) -> None:
        """The source links no task to the DTI: each drive is an assumption saying why."""
        for task in hcmc.tasks:
            for drive in task.drives:
                assert drive.provenance.source is Source.ASSUMPTION
                assert "main indicator" in drive.provenance.note or "smart-city" in (
                    drive.provenance.note
                )
        assert "0 points" in hcmc.task("T11").drives[0].provenance.note

    def test_rank_indicator_is_scored_from_the_dti(self, hcmc: Plan) -> None:
        """1.1 is scored from dti-922; no task links to it directly any more."""
        assert hcmc.indicator("1.1").scored_from == "dti-922"
        assert [t.id for t in hcmc.graph.tasks_for("1.1")] == []


class TestCheck:
    """dx.check verifies that driven components exist in their index."""

    def test_unknown_component(self) -> None:
        """A component the index does not read is an error at its path, in both languages."""
        plan = small_plan(Task(id="T1", label=Label(vi="x"), drives=drives("ha_tang_so", "wifi")))
        report = check(plan)
        (error,) = report.errors
        assert (error.code, error.where) == ("unknown-component", "$.tasks[0].drives[1].component")
        assert "task 'T1' drives component 'wifi', which index 'dti-922' does not read" in (
            error.message
        )
        assert "expected one of: nhan_thuc_so, the_che_so" in error.message
        assert "nhiệm vụ 'T1' tác động tới thành phần 'wifi'" in error.text("vi")

    def test_unknown_index(self, tmp_path: Path) -> None:
        """An index that cannot be loaded is an error at every place that names it."""
        missing = str(tmp_path / "none.toml")
        plan = small_plan(
            Task(id="T1", label=Label(vi="x"), drives=drives("a", index=missing)),
            scored_from=missing,
        )
        errors = [(f.code, f.where) for f in check(plan).errors]
        assert errors == [
            ("unknown-index", "$.tasks[0].drives[0].index"),
            ("unknown-index", "$.groups[0].indicators[0].scored_from"),
        ]
        assert "index '" in check(plan).errors[0].message

    def test_indices_given_by_name(self) -> None:
        """An index given to check by name is used instead of being loaded."""
        toy = Index(root="I", nodes=(Leaf(id="a"), Aggregate(id="I", children=("a",))))
        plan = small_plan(
            Task(id="T1", label=Label(vi="x"), drives=drives("a", index="toy")), scored_from="toy"
        )
        assert check(plan, indices={"toy": toy}).findings == ()

    def test_driving_the_index_covers_its_indicators(self) -> None:
        """An indicator scored from a driven index is covered; a driving task is not idle."""
        plan = small_plan(Task(id="T1", label=Label(vi="x"), drives=drives("ha_tang_so")))
        assert check(plan).findings == ()
        idle = small_plan(Task(id="T1", label=Label(vi="x")))
        assert {f.code for f in check(idle).findings} == {"uncovered-indicator", "idle-task"}


class TestFiles:
    """Drives and scored_from survive TOML and JSON, and the schema describes them."""

    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_round_trip(self, hcmc: Plan, tmp_path: Path, suffix: str) -> None:
        """The HCMC plan comes back equal, drives included."""
        path = write_plan(hcmc, tmp_path / f"plan{suffix}")
        back = read_plan(path)
        assert back == hcmc
        assert back.task("T10").drives == hcmc.task("T10").drives

    def test_written_form(self, hcmc: Plan) -> None:
        """A drive is written as index, component and provenance."""
        task = plan_to_dict(hcmc)["tasks"][2]
        assert task["drives"] == [
            {
                "index": "dti-922",
                "component": "ha_tang_so",
                "provenance": {
                    "source": "assumption",
                    "note": task["drives"][0]["provenance"]["note"],
                },
            }
        ]
        assert plan_to_dict(hcmc)["groups"][0]["indicators"][0]["scored_from"] == "dti-922"

    def test_bad_drive_in_a_file_has_its_path(self, hcmc: Plan) -> None:
        """A drive without a component is refused at its path."""
        data = plan_to_dict(hcmc)
        del data["tasks"][2]["drives"][0]["component"]
        with pytest.raises(dx.DxplanError, match=r"\$\.tasks\[2\]\.drives\[0\]"):
            plan_from_dict(json.loads(json.dumps(data, default=str)))

    def test_schema(self, hcmc: Plan) -> None:
        """The schema has a Drive definition and the plan validates; a bad drive does not."""
        jsonschema = pytest.importorskip("jsonschema")
        from dxplan.formats.schema import plan_schema

        schema = plan_schema()
        assert schema["$defs"]["Drive"]["required"] == ["index", "component", "provenance"]
        validator = jsonschema.Draft202012Validator(schema)
        data = json.loads(json.dumps(plan_to_dict(hcmc), default=str))
        validator.validate(data)
        data["tasks"][2]["drives"][0]["component"] = "a b"
        assert len(list(validator.iter_errors(data))) == 1


# --- 2. the graph through the index ------------------------------------------------------


class TestGraphThroughIndex:
    """plan.graph.impact reaches the component, the index nodes and 1.1, each with its path."""

    def test_impact_of_t03(self, hcmc: Plan) -> None:
        """T03 reaches ha_tang_so, the DTI and its pillars, and 1.1 through them."""
        impact = hcmc.graph.impact("T03")
        own = {r.element.id: r.path for r in impact.components}
        assert own["ha_tang_so"] == ("T03", "ha_tang_so")
        assert own["an_toan_thong_tin_mang"] == ("T03", "T07", "an_toan_thong_tin_mang")
        nodes = {r.element.id: (r.path, r.weight) for r in impact.index_nodes}
        assert nodes["DTI"] == (("T03", "ha_tang_so", "DTI"), 1.0)
        assert nodes["chinh_quyen_so"] == (("T03", "ha_tang_so", "chinh_quyen_so"), 1.0)
        one_one = next(r for r in impact.indicators if r.element.id == "1.1")
        assert one_one.path == ("T03", "ha_tang_so", "DTI", "1.1")
        assert one_one.through == ()
        assert [n.kind for n in one_one.nodes] == [
            NodeKind.TASK,
            NodeKind.COMPONENT,
            NodeKind.INDEX_NODE,
            NodeKind.INDICATOR,
        ]

    def test_zero_points_give_weight_zero(self, hcmc: Plan) -> None:
        """T11's component carries 0 points, so its path to 1.1 has weight 0."""
        reach = next(r for r in hcmc.graph.impact("T11").indicators if r.element.id == "1.1")
        assert reach.path == ("T11", "do_thi_thong_minh", "DTI", "1.1")
        assert reach.weight == 0.0

    def test_edges(self, hcmc: Plan) -> None:
        """drives, feeds and scores edges, with the pillars' weight 0 under the DTI."""
        edges = {(str(e.source), str(e.target)): e for e in hcmc.graph.edges()}
        drive = edges["task:T10", "component:dti-922/hd_xa_hoi_so"]
        assert drive.relation is Relation.DRIVES
        assert drive.provenance == hcmc.task("T10").drives[0].provenance
        feeds = edges["component:dti-922/hd_xa_hoi_so", "index_node:dti-922/xa_hoi_so"]
        assert (feeds.relation, feeds.weight) == (Relation.FEEDS, 1.0)
        pillar = edges["index_node:dti-922/xa_hoi_so", "index_node:dti-922/DTI"]
        assert pillar.weight == 0.0
        scores = edges["index_node:dti-922/DTI", "indicator:1.1"]
        assert scores.relation is Relation.SCORES

    def test_exports_show_the_edges(self, hcmc: Plan) -> None:
        """DOT, Mermaid, GraphML and node-link JSON carry the index edges."""
        graph = hcmc.graph
        assert '"task:T03" -> "component:dti-922/ha_tang_so";' in graph.to_dot()
        assert '"index_node:dti-922/DTI" -> "indicator:1.1";' in graph.to_dot()
        mermaid = graph.to_mermaid("en")
        assert "task_T03 --> component_ha_tang_so" in mermaid
        assert "index_node_DTI --> indicator_1_1" in mermaid
        assert 'index_node_xa_hoi_so -->|"0"| index_node_DTI' in mermaid
        assert ">scores</data>" in graph.to_graphml()
        links = graph.to_node_link()
        relations = {(e["source"], e["target"]): e["relation"] for e in links["edges"]}
        assert relations["component:dti-922/ha_tang_so", "index_node:dti-922/DTI"] == "feeds"

    def test_indicators_driven_by(self, hcmc: Plan) -> None:
        """T03's drive moves 1.1; T11's 0-point component does not; T04 drives nothing."""
        graph = hcmc.graph
        assert [i.id for i in graph.indicators_driven_by("T03")] == ["1.1"]
        assert graph.indicators_driven_by("T11") == ()
        assert graph.indicators_driven_by("T04") == ()

    def test_task_attainment_counts_direct_contributions(self, hcmc: Plan) -> None:
        """assess: a task's attainment is over the indicators it contributes to (not 1.1)."""
        report = dx.assess(hcmc, dx.bundled_observations("hcmc-2024", hcmc))
        assert report.task("T03").indicators == ("1.2",)
        assert report.task("T11").indicators == ("2.5",)

    def test_unloadable_index_leaves_dangling_drives(self, tmp_path: Path) -> None:
        """A drive of an index that cannot be loaded is a dangling edge, not a node."""
        missing = str(tmp_path / "none.toml")
        plan = small_plan(Task(id="T1", label=Label(vi="x"), drives=drives("a", index=missing)))
        graph = PlanGraph.from_plan(plan)
        assert [str(e.target) for e in graph.dangling_links] == [f"component:{missing}/a"]
        assert GraphNode.component(missing, "a") not in graph

    def test_node_index_only_for_index_kinds(self) -> None:
        """Only component and index_node nodes name an index."""
        with pytest.raises(InvalidValueError, match="'index'"):
            GraphNode(kind="task", id="T1", index="dti-922")
        with pytest.raises(InvalidValueError, match="'index'"):
            GraphNode(kind="component", id="a")


# --- 3. task effects ---------------------------------------------------------------------


class TestTaskEffects:
    """Per driving task: points per unit, headroom, best rank alone, and 1.1."""

    def test_components(self, hcmc: Plan, data: IndexData) -> None:
        """Points per unit are the max points; headroom is 1 − value; gain = points × headroom."""
        effects = task_effects(hcmc, "dti-922", data, entity=HCMC)
        assert effects.rank_before == rank(HCMC) == 2
        assert effects.score_before * 1000 == pytest.approx(points(HCMC), abs=1e-9)
        for task, component in EXPECTED_DRIVES.items():
            (c,) = effects.effect(task).components
            if component == "do_thi_thong_minh":
                assert math.isnan(c.value)  # not in the 2022 data
                continue
            value = VALUES[HCMC][component]
            assert c.value == value
            assert c.headroom == pytest.approx(1 - value, abs=1e-12)
            assert c.points_per_unit == pytest.approx(POINTS[component], rel=1e-9)
            assert c.points_at_bound == pytest.approx(POINTS[component] * (1 - value), rel=1e-9)

    def test_order_and_best_rank(self, hcmc: Plan, data: IndexData) -> None:
        """Most points first; only T10 alone lifts HCMC to rank 1, at 0.359 + gap / 150."""
        effects = task_effects(hcmc, "dti-922", data, entity=HCMC)
        gains = {
            t: POINTS[c] * (1 - VALUES[HCMC][c])
            for t, c in EXPECTED_DRIVES.items()
            if c in VALUES[HCMC]
        }
        expected_order = sorted(gains, key=lambda t: -gains[t])
        assert [e.task for e in effects.effects][: len(gains)] == expected_order
        best = {e.task: e.best_rank for e in effects.effects}
        by_hand = {t: rank(HCMC, **{c: 1.0}) for t, c in EXPECTED_DRIVES.items() if t in gains}
        assert {t: best[t] for t in by_hand} == by_hand
        assert [t for t, r in by_hand.items() if r == 1] == ["T10"]
        # Đà Nẵng 800.175 points, published 0.8002; HCMC 716.355: 800.15 ties at 4 decimals.
        gap = gap_to_first()
        assert gap == pytest.approx(800.15 - 716.355, abs=1e-9)
        (outcome,) = effects.effect("T10").outcome or ()
        assert outcome[0] == "hd_xa_hoi_so"
        assert outcome[1] == pytest.approx(0.359 + gap / 150, abs=1e-9)
        assert round(outcome[1], 6) == 0.917633
        assert effects.effect("T03").outcome is None

    def test_rank_indicator(self, hcmc: Plan, data: IndexData) -> None:
        """1.1 (rank ≤ 5) is met at rank 2 of 5 and stays met."""
        (effect,) = task_effects(hcmc, "dti-922", data).effect("T10").indicators
        assert effect.indicator == "1.1"
        assert (effect.observed_before, effect.observed_after) == (2.0, 1.0)
        assert (effect.met_before, effect.met_after) == (True, True)
        assert (effect.attainment_before, effect.attainment_after) == (1.0, 1.0)

    def test_frame_and_views(self, hcmc: Plan, data: IndexData) -> None:
        """A frame row per (task, component); the view reads in both languages at 80 columns."""
        effects = task_effects(hcmc, "dti-922", data)
        frame = effects.to_frame()
        assert frame.loc[("T10", "hd_xa_hoi_so"), "points_per_unit"] == pytest.approx(150)
        assert len(frame) == 9
        # T10 needs 0.359 + gap / 150 = 0.917633…, shown rounded up so that it still reaches.
        needed = Decimal(repr(0.359 + gap_to_first() / 150)).quantize(
            Decimal("0.0001"), ROUND_CEILING
        )
        assert rank(HCMC, hd_xa_hoi_so=float(needed)) == 1
        assert rank(HCMC, hd_xa_hoi_so=float(needed) - 0.0001) == 2
        en, vi = f"Needs: {needed}", f"Cần đạt: {str(needed).replace('.', ',')}"
        languages: tuple[tuple[Language, list[str]], ...] = (
            ("en", ["which tasks lift", en]),
            ("vi", [vi, "hạng"]),
        )
        for lang, words in languages:
            console = Console(record=True, width=80, file=io.StringIO())
            console.print(effects.rich(lang))
            text = console.export_text()
            assert all(w in text for w in words)
            assert max(len(line) for line in text.splitlines()) <= 80
        assert json.loads(json.dumps(effects.to_dict()))["tasks"][0]["task"] == "T10"

    def test_errors(self, hcmc: Plan, data: IndexData) -> None:
        """An index no task drives, or an unknown entity, is refused by name."""
        with pytest.raises(ScenarioError, match="no task of plan 'hcmc-2024' drives index 'asem'"):
            task_effects(hcmc, "asem", data)
        with pytest.raises(ScenarioError, match="unknown entity 'ha-noi'"):
            task_effects(hcmc, "dti-922", data, entity="ha-noi")


# --- 4. goal-seek over tasks -------------------------------------------------------------


def knapsack(gap: float, costs: dict[str, float]) -> float:
    """The least cost of ``gap`` points, filling the best points per cost first (by hand)."""
    total = 0.0
    for task in sorted(costs, key=lambda t: -POINTS[EXPECTED_DRIVES[t]] / costs[t]):
        component = EXPECTED_DRIVES[task]
        room = POINTS[component] * (1 - VALUES[HCMC][component])
        take = min(room, gap)
        total += take / POINTS[component] * costs[task]
        gap -= take
        if gap <= 0:
            return total
    return math.inf


class TestGoalSeekTasks:
    """The cheapest task outcomes for rank 1, on the DTI 2022."""

    def test_t10_alone(self, hcmc: Plan, data: IndexData) -> None:
        """With T10 the only task, rank 1 needs hd_xa_hoi_so at 0.359 + 83.795/150 = 0.917633.

        83.795 = 800.15 − 716.355: Đà Nẵng's 800.175 is published as 0.8002, which
        HCMC ties from 0.80015 up (4 decimals, half up).
        """
        result = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1), costs={"T10": 1.0})
        (move,) = result.moves
        gap = gap_to_first()
        assert (move.task, move.component, move.start) == ("T10", "hd_xa_hoi_so", 0.359)
        assert move.value == pytest.approx(0.359 + gap / 150, abs=1e-9)
        assert round(move.value, 6) == 0.917633
        assert (result.feasible, result.optimal) == (True, True)
        assert (result.rank_before, result.rank_after) == (2, 1)
        below = data.with_value(HCMC, "hd_xa_hoi_so", math.nextafter(move.value, 0))
        assert dx.indices.dti_922().evaluate(below).rank()[HCMC] == 2  # one float less: rank 2

    def test_a_goal_seek_answer(self, hcmc: Plan, data: IndexData) -> None:
        """TaskMoves answers like every goal-seek: its moves are lever moves with their task."""
        result = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1), costs={"T10": 2.0})
        assert isinstance(result, GoalSeekResult)
        assert not result.already
        (move,) = result.moves
        plain = result.to_dict()
        assert (plain["entity"], plain["goal"], plain["feasible"]) == (HCMC, "rank ≤ 1", True)
        assert plain["moves"] == [
            {
                "task": "T10",
                "component": "hd_xa_hoi_so",
                "lever": "hd_xa_hoi_so",
                "start": 0.359,
                "value": move.value,
                "change": move.value - 0.359,
                "cost_per_unit": 2.0,
                "cost": 2 * (move.value - 0.359),
            }
        ]
        edit = result.scenario.edits[0]
        assert isinstance(edit, SetValue)
        assert (edit.entity, edit.component, edit.value) == (HCMC, "hd_xa_hoi_so", move.value)
        first = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(2), costs={"T10": 1.0})
        assert (first.already, first.moves, first.to_dict()["already"]) == (True, (), True)
        console = Console(record=True, width=100)
        console.print(task_moves_view(first, lang="en"))
        shown = console.export_text()
        assert shown.startswith(
            "TP. Hồ Chí Minh: rank ≤ 2 on dti-922 — already reached, cost 0.0000\n"
        )
        assert "component" not in shown  # nothing moved: no empty table

    def test_equal_costs(self, hcmc: Plan, data: IndexData) -> None:
        """Equal costs per unit: hd_chinh_quyen_so (200 points) first, then the 150s; cheaper
        than T10 alone."""
        result = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1))
        gap = gap_to_first()
        tasks = [t for t in EXPECTED_DRIVES if t != "T11"]
        assert result.cost == pytest.approx(knapsack(gap, dict.fromkeys(tasks, 1.0)), abs=1e-9)
        assert result.cost < knapsack(gap, {"T10": 1.0})
        assert result.outcomes["T08"] == {"hd_chinh_quyen_so": 1.0}
        assert result.optimal
        assert result.rank_after == 1
        assert result.left_out == (("do_thi_thong_minh", "no-data"),)
        (one_one,) = result.indicators
        assert (one_one.observed_before, one_one.observed_after) == (2.0, 1.0)

    def test_two_tasks_by_hand(self, hcmc: Plan, data: IndexData) -> None:
        """T08 at cost 1 and T10 at cost 2: T08 gives 200 × 0.1594 = 31.88 points (200/1 > 150/2
        per cost), T10 the rest: 0.359 + (83.795 − 31.88) / 150."""
        result = goal_seek_tasks(
            hcmc, "dti-922", data, goal=RankAtMost(1), costs={"T08": 1.0, "T10": 2.0}
        )
        gap = gap_to_first()
        t08 = 200 * (1 - 0.8406)
        assert t08 == pytest.approx(31.88)
        t10 = 0.359 + (gap - t08) / 150
        assert result.outcomes == {
            "T08": {"hd_chinh_quyen_so": 1.0},
            "T10": {"hd_xa_hoi_so": pytest.approx(t10, abs=1e-9)},
        }
        assert result.cost == pytest.approx(0.1594 * 1 + (t10 - 0.359) * 2, abs=1e-9)
        assert result.score_after * 1000 == pytest.approx(gap + points(HCMC), abs=1e-9)

    def test_score_goal_and_infeasible(self, hcmc: Plan, data: IndexData) -> None:
        """A score goal beyond every bound is reported not feasible, at the bounds."""
        result = goal_seek_tasks(hcmc, "dti-922", data, goal=ScoreAtLeast(0.99), costs={"T03": 1.0})
        assert not result.feasible
        assert result.outcomes == {"T03": {"ha_tang_so": 1.0}}

    def test_uncertainty_before_and_after(self, hcmc: Plan, data: IndexData) -> None:
        """P(rank ≤ 1) before and after come from dx.uncertainty with the same draws."""
        result = goal_seek_tasks(
            hcmc, "dti-922", data, goal=RankAtMost(1), costs={"T10": 1.0}, draws=400, seed=7
        )
        index = dx.indices.dti_922()
        after = data.with_value(HCMC, "hd_xa_hoi_so", result.moves[0].value)
        before_draws = dxplan.uncertainty(index, data, draws=400, weight_noise=0.25, seed=7)
        after_draws = dxplan.uncertainty(index, after, draws=400, weight_noise=0.25, seed=7)
        assert result.p_before == before_draws.p_rank_at_most(HCMC, 1)
        assert result.p_after == after_draws.p_rank_at_most(HCMC, 1)
        assert result.p_after > result.p_before

    def test_scenario_reproduces(self, hcmc: Plan, data: IndexData) -> None:
        """The result's scenario, compared, gives the same rank."""
        result = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1))
        change = dx.compare(dx.indices.dti_922(), data, result.scenario).change(HCMC)
        assert (change.rank_before, change.rank_after) == (2, 1)

    @pytest.mark.parametrize(
        ("costs", "error", "match"),
        [
            ({"T04": 1.0}, ScenarioError, "task 'T04' drives no component of 'dti-922'"),
            ({"T10": 0.0}, InvalidValueError, r"costs\['T10'\]"),
            ({"T10": True}, InvalidValueError, r"costs\['T10'\]"),
            ({"T11": 1.0}, ScenarioError, "no component of 'dti-922' can move"),
        ],
    )
    def test_bad_costs(
        self, hcmc: Plan, data: IndexData, costs: dict[str, float], error: type, match: str
    ) -> None:
        """A task that drives nothing, a cost that is not positive, nothing to move: refused."""
        with pytest.raises(error, match=match):
            goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1), costs=costs)


# --- property: the answer reaches the goal and nothing cheaper on a grid does -------------


TOY = Index(
    root="I",
    nodes=(
        Leaf(id="a"),
        Leaf(id="b"),
        Leaf(id="c"),
        Aggregate(id="I", children=("a", "b", "c"), weights=(3.0, 2.0, 1.0), points=6.0),
    ),
)


def toy_plan() -> Plan:
    return Plan(
        id="toy",
        label=Label(vi="toy"),
        entity="e0",
        tasks=(
            Task(id="A", label=Label(vi="A"), drives=drives("a", index="toy")),
            Task(id="B", label=Label(vi="B"), drives=drives("b", index="toy")),
        ),
    )


values01 = st.integers(0, 20).map(lambda k: k / 20)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(values01, values01, values01), min_size=3, max_size=4),
    cost_a=st.integers(1, 5),
    cost_b=st.integers(1, 5),
)
def test_outcomes_reach_the_goal_and_nothing_cheaper_on_a_grid_does(
    rows: list[tuple[float, float, float]], cost_a: int, cost_b: int
) -> None:
    """Linear case: re-evaluating with the outcomes reaches rank 1; no grid point cheaper by
    more than the float tolerance reaches it."""
    data = IndexData(
        entities=[f"e{i}" for i in range(len(rows))],
        components=["a", "b", "c"],
        values=rows,
    )
    plan = toy_plan()
    result = goal_seek_tasks(
        plan, TOY, data, goal=RankAtMost(1), costs={"A": float(cost_a), "B": float(cost_b)}
    )
    assert result.optimal
    start = {c: data.value("e0", c) for c in ("a", "b")}
    reachable = TOY.evaluate(data.with_value("e0", "a", 1.0).with_value("e0", "b", 1.0))
    assert result.feasible == (reachable.rank()["e0"] == 1)
    if not result.feasible:
        return
    moved = data
    for move in result.moves:
        moved = moved.with_value("e0", move.component, move.value)
    assert TOY.evaluate(moved).rank()["e0"] == 1
    grid = [k / 40 for k in range(41)]
    for a, b in product(grid, grid):
        if a < start["a"] or b < start["b"]:
            continue
        cost = (a - start["a"]) * cost_a + (b - start["b"]) * cost_b
        if cost < result.cost - 1e-9:
            trial = data.with_value("e0", "a", a).with_value("e0", "b", b)
            assert TOY.evaluate(trial).rank()["e0"] != 1, (a, b, cost, result.cost)


# --- 6. scenarios speak in tasks ----------------------------------------------------------


class TestScenarioTask:
    """Scenario.task sets the driven components; compare_attainment re-scores 1.1 from the index."""

    def test_sets_the_driven_components(self, hcmc: Plan, data: IndexData) -> None:
        """T10 reaching 0.6 sets HCMC's hd_xa_hoi_so to 0.6 and nothing else."""
        scenario = dx.Scenario("society").task("T10", reaches=0.6)
        _, after = scenario.apply(dx.indices.dti_922(), data, plan=hcmc)
        assert after.value(HCMC, "hd_xa_hoi_so") == 0.6
        changed = [
            (e, c)
            for e in data.entities
            for c in data.components
            if not (math.isnan(data.value(e, c)) and math.isnan(after.value(e, c)))
            and data.value(e, c) != after.value(e, c)
        ]
        assert changed == [(HCMC, "hd_xa_hoi_so")]
        change = dx.compare(dx.indices.dti_922(), data, scenario, plan=hcmc).change(HCMC)
        assert change.score_after * 1000 == pytest.approx(points(HCMC, hd_xa_hoi_so=0.6))
        assert scenario.edits[0].describe() == "task T10 reaches 0.6"

    def test_needs_the_plan(self, data: IndexData) -> None:
        """Without the plan a task edit cannot be resolved, and says how to give it."""
        with pytest.raises(ScenarioError, match="a task edit needs its plan"):
            dx.Scenario("s").task("T10", reaches=0.6).apply(dx.indices.dti_922(), data)

    def test_unknown_task_or_nothing_driven(self, hcmc: Plan, data: IndexData) -> None:
        """An unknown task, or one that drives nothing in the data, is refused by name."""
        index = dx.indices.dti_922()
        with pytest.raises(ScenarioError, match="no task with id 'T99'"):
            dx.Scenario("s").task("T99", reaches=0.6).apply(index, data, plan=hcmc)
        with pytest.raises(ScenarioError, match="task 'T04' drives no component"):
            dx.Scenario("s").task("T04", reaches=0.6).apply(index, data, plan=hcmc)

    def test_compare_attainment_rescores_the_rank_indicator(
        self, hcmc: Plan, data: IndexData
    ) -> None:
        """With data, 1.1 is observed from the DTI: rank 2 before, rank 1 with T10 at 0.95."""
        observations = dx.bundled_observations("hcmc-2024", hcmc)
        scenario = dx.Scenario("society").task("T10", reaches=0.95)
        comparison = dx.compare_attainment(hcmc, observations, scenario, data=data)
        (one_one,) = [c for c in comparison.changed if c.indicator == "1.1"]
        assert (one_one.observed_before, one_one.observed_after) == (2.0, 1.0)
        assert rank(HCMC, hd_xa_hoi_so=0.95) == 1
        source = comparison.after.indicator("1.1").targets[0].source
        assert source.startswith("rank 1 of 5 on node DTI")
        # Without data the task edit has nothing to change: refused, never skipped.
        with pytest.raises(ScenarioError, match=r"task T10 reaches 0\.95.*cannot change a plan"):
            dx.compare_attainment(hcmc, observations, scenario)

    def test_scenario_file(self, tmp_path: Path, hcmc: Plan, data: IndexData) -> None:
        """op = "task" reads from a scenario file; a missing reaches is named."""
        path = tmp_path / "s.toml"
        path.write_text(
            'name = "s"\n[[edits]]\nop = "task"\ntask = "T10"\nreaches = 0.6\n', encoding="utf-8"
        )
        scenario = dx.load_scenario(path)
        _, after = scenario.apply(dx.indices.dti_922(), data, plan=hcmc)
        assert after.value(HCMC, "hd_xa_hoi_so") == 0.6
        path.write_text('name = "s"\n[[edits]]\nop = "task"\ntask = "T10"\n', encoding="utf-8")
        with pytest.raises(dx.DxplanError, match=r"\$\.edits\[0\]\.reaches"):
            dx.load_scenario(path)


# --- 7. the command line ------------------------------------------------------------------


class TestCli:
    """dxplan tasks: the effects table, the goal-seek, costs from a file, JSON and CSV."""

    def test_table(self) -> None:
        """The table leads with T10 and its 0.9177 (0.917633 up); the goal-seek reaches rank 1."""
        from click.testing import CliRunner

        from dxplan.cli import main

        result = CliRunner().invoke(
            main, ["tasks", "--entity", HCMC, "--goal-rank", "1", "--lang", "en", "--draws", "0"]
        )
        assert result.exit_code == 0, result.output
        assert "T10  Digital society" in result.output
        assert "0.9177" in result.output
        assert "Rank 2 → 1 of 5" in result.output

    def test_costs_file_and_json(self, tmp_path: Path) -> None:
        """Costs from TOML: T08 at 1 and T10 at 2 give the two-task answer worked by hand."""
        from click.testing import CliRunner

        from dxplan.cli import main

        costs = tmp_path / "costs.toml"
        costs.write_text("T08 = 1\nT10 = 2\n", encoding="utf-8")
        result = CliRunner().invoke(
            main,
            [
                "tasks",
                "--goal-rank",
                "1",
                "--costs",
                str(costs),
                "--format",
                "json",
                "--draws",
                "0",
            ],
        )
        assert result.exit_code == 0, result.output
        moves = json.loads(result.output)["goal_seek"]["moves"]
        gap = gap_to_first()
        assert [m["task"] for m in moves] == ["T08", "T10"]
        assert moves[1]["value"] == pytest.approx(0.359 + (gap - 200 * (1 - 0.8406)) / 150)

    def test_bad_costs_file(self, tmp_path: Path) -> None:
        """A cost that is not positive is an error naming the file and key, exit 1."""
        from click.testing import CliRunner

        from dxplan.cli import main

        costs = tmp_path / "costs.json"
        costs.write_text('{"T08": -1}', encoding="utf-8")
        result = CliRunner().invoke(main, ["tasks", "--goal-rank", "1", "--costs", str(costs)])
        assert result.exit_code == 1
        assert f"{costs}:$.T08: found -1; expected a finite, positive cost" in result.output
        assert "Traceback" not in result.output

    def test_csv(self) -> None:
        """CSV has one row per task and component."""
        from click.testing import CliRunner

        from dxplan.cli import main

        result = CliRunner().invoke(main, ["tasks", "--format", "csv"])
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert len(rows) == 9
        assert (rows[0]["task"], rows[0]["component"]) == ("T10", "hd_xa_hoi_so")


class TestReport:
    """dxplan report shows which tasks lift the DTI most."""

    def test_report_has_the_task_effects(self, hcmc: Plan) -> None:
        """The report carries the task effects of HCMC on the DTI 2022, in JSON and on screen."""
        report = dx.plan_report(hcmc, dx.bundled_observations("hcmc-2024", hcmc))
        assert report.task_effects is not None
        assert report.task_effects.effects[0].task == "T10"
        assert report.to_dict()["task_effects"]["tasks"][0]["best_rank"] == 1
        console = Console(record=True, width=100, file=io.StringIO())
        console.print(report.rich("en"))
        assert "Which tasks lift the DTI most" in console.export_text()


class TestDoc:
    """docs/tasks.md runs, and prints what it says it prints."""

    def test_worked_example(self) -> None:
        """Each python block's output is the text block after it."""
        import contextlib
        import re

        doc = Path(__file__).resolve().parents[1] / "docs" / "tasks.md"
        blocks = re.findall(r"```(python|text)\n(.*?)```", doc.read_text("utf-8"), re.DOTALL)
        namespace: dict[str, object] = {}
        pending: str | None = None
        checked = 0
        for kind, body in blocks:
            if kind == "python":
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(body, str(doc), "exec"), namespace)
                pending = out.getvalue()
            else:
                assert pending == body
                pending = None
                checked += 1
        assert checked == 6


class TestPlot:
    """The task effects plot draws in both languages."""

    def test_plot(self, hcmc: Plan, data: IndexData) -> None:
        """One bar per driving task; T11 is marked as without data."""
        pytest.importorskip("matplotlib")
        from matplotlib.text import Text

        from dxplan.render.plots import task_effects_plot

        effects = task_effects(hcmc, "dti-922", data)
        languages: tuple[tuple[Language, str], ...] = (
            ("en", "no data"),
            ("vi", "không có dữ liệu"),
        )
        for lang, no_data in languages:
            figure = task_effects_plot(effects, lang=lang)
            texts = [t.get_text() for t in figure.findobj(Text)]
            assert any("T10" in t for t in texts)
            assert any(no_data in t for t in texts)
            assert any("+96.2" in t or "+96,2" in t for t in texts)


class TestSeveralComponents:
    """A task may drive several components; a component driven twice goes to the cheaper task."""

    def plan(self) -> Plan:
        return Plan(
            id="toy",
            label=Label(vi="toy"),
            entity="e0",
            tasks=(
                Task(id="A", label=Label(vi="A"), drives=drives("a", "b", index="toy")),
                Task(id="B", label=Label(vi="B"), drives=drives("b", index="toy")),
            ),
        )

    def data(self) -> IndexData:
        # e0 = 3·0.2 + 2·0.2 + 1·0 = 1.0 points; e1 = 3·0.5 + 2·0.5 + 1·0.5 = 3.0 points.
        return IndexData(
            entities=["e0", "e1"], components=["a", "b", "c"], values=[[0.2, 0.2, 0.0], [0.5] * 3]
        )

    def test_cheaper_task_moves_the_shared_component(self) -> None:
        """b at cost 1 (B) beats a at cost 2 (A) per point only if 2/1 > 3/2: it does, so b first.

        e0 needs 2 points: b to 1 gives 2 × 0.8 = 1.6 for cost 0.8, then a gives the last
        0.4 points: +0.4/3 for cost 2 × 0.4/3.
        """
        result = goal_seek_tasks(
            self.plan(), TOY, self.data(), goal=RankAtMost(1), costs={"A": 2.0, "B": 1.0}
        )
        # Scores within ranking.SCORE_RTOL (1e-9) of each other tie, so the answer may
        # stop a few billionths short of the exact 3 points.
        assert result.outcomes == {
            "B": {"b": 1.0},
            "A": {"a": pytest.approx(0.2 + 0.4 / 3, abs=1e-8)},
        }
        assert result.cost == pytest.approx(0.8 + 2 * 0.4 / 3, abs=1e-8)

    def test_effects_move_both_components(self) -> None:
        """A at its bounds adds 3·0.8 + 2·0.8 = 4 points; its least outcome for rank 1 is found."""
        effects = task_effects(self.plan(), TOY, self.data())
        a = effects.effect("A")
        assert a.points_at_bounds == pytest.approx(4.0)
        assert [c.points_per_unit for c in a.components] == pytest.approx([3.0, 2.0])
        assert a.best_rank == 1
        # Equal costs: a (3 points a unit) first: 2 points need a + 2/3.
        assert dict(a.outcome or ()) == {"a": pytest.approx(0.2 + 2 / 3), "b": 0.2}


def test_greedy_is_said_so() -> None:
    """With a relative rule (min-max) the answer is greedy: optimal is False."""
    from dxplan.index.rules import MinMax

    index = Index(
        root="I",
        nodes=(
            Leaf(id="a", rule=MinMax()),
            Leaf(id="b"),
            Leaf(id="c"),
            Aggregate(id="I", children=("a", "b", "c"), weights=(3.0, 2.0, 1.0)),
        ),
    )
    data = IndexData(
        entities=["e0", "e1", "e2"],
        components=["a", "b", "c"],
        values=[[0.2, 0.2, 0.0], [0.5, 0.5, 0.5], [0.1, 0.1, 0.1]],
    )
    result = goal_seek_tasks(toy_plan(), index, data, goal=RankAtMost(1))
    assert result.feasible
    assert not result.optimal
    moved = data
    for move in result.moves:
        moved = moved.with_value("e0", move.component, move.value)
    assert index.evaluate(moved).rank()["e0"] == 1


def test_check_on_the_command_line(tmp_path: Path) -> None:
    """dxplan check on a TOML plan with a wrong component: exit 1, the path, no traceback."""
    from click.testing import CliRunner

    from dxplan.cli import main

    plan = small_plan(Task(id="T1", label=Label(vi="x"), drives=drives("wifi")))
    path = write_plan(plan, tmp_path / "plan.toml")
    result = CliRunner().invoke(main, ["check", str(path), "--lang", "en", "--format", "json"])
    assert result.exit_code == 1
    (finding,) = json.loads(result.output)
    assert finding["where"] == "$.tasks[0].drives[0].component"
    assert finding["code"] == "unknown-component"


@pytest.mark.parametrize("bounds", [(1.0, 0.0), ("0", 1), (0.0,), {"hd_xa_hoi_so": (0, math.inf)}])
def test_bad_bounds(hcmc: Plan, data: IndexData, bounds: object) -> None:
    """Bounds that are not two finite numbers, low < high, are refused by component."""
    with pytest.raises(InvalidValueError, match=r"bounds\['"):
        task_effects(hcmc, "dti-922", data, bounds=bounds)  # type: ignore[arg-type]


def test_bounds_by_task_and_component(hcmc: Plan, data: IndexData) -> None:
    """A bound given by task id applies to its components; by component, to that one."""
    effects = task_effects(
        hcmc, "dti-922", data, bounds={"T10": (0.0, 0.5), "ha_tang_so": (0, 0.9)}
    )
    (society,) = effects.effect("T10").components
    assert society.bound == 0.5
    assert society.headroom == pytest.approx(0.5 - 0.359)
    (infrastructure,) = effects.effect("T03").components
    assert infrastructure.bound == 0.9
    assert effects.effect("T10").best_rank == rank(HCMC, hd_xa_hoi_so=0.5)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_views_fit_every_width(hcmc: Plan, data: IndexData, width: int, lang: Language) -> None:
    """Both views stay within the width, cut no word ("…") and keep every number whole."""
    from dxplan.render import task_effects_view, task_moves_view

    effects = task_effects(hcmc, "dti-922", data)
    found = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1), draws=50)
    console = Console(record=True, width=width, file=io.StringIO())
    console.print(task_effects_view(effects, lang=lang), task_moves_view(found, lang=lang))
    text = console.export_text()
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    assert "…" not in text
    needs = "0,9177" if lang == "vi" else "0.9177"  # 0.917633, rounded up so that it reaches
    assert needs in text
    assert ("0.9177" in text) == (lang == "en")  # decimal comma in Vietnamese
    for component in ("an_toan_thong_tin_mang", "hd_chinh_quyen_so", "do_thi_thong_minh"):
        assert component in text


def test_notebook_views(hcmc: Plan, data: IndexData) -> None:
    """Short reprs and concise HTML for both results."""
    effects = task_effects(hcmc, "dti-922", data)
    found = goal_seek_tasks(hcmc, "dti-922", data, goal=RankAtMost(1), costs={"T10": 1.0})
    assert repr(effects) == (
        "<TaskEffects 'hcmc-2024' on 'dti-922' for 'ho-chi-minh': rank 2 of 5, 9 tasks, "
        "most points: T10 (best rank 1)>"
    )
    assert repr(found).startswith(
        "<TaskMoves 'ho-chi-minh' rank ≤ 1 on 'dti-922': reached, cost 0.558633"
    )
    for result in (effects, found):
        page = result._repr_html_()
        assert "T10" in page
        assert len(page) < 100_000
