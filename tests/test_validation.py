"""Tests of dxplan.plan.validation: every rule, with a plan that breaks it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from _plans import group, indicator, label, link, plan, target, task
from dxplan.errors import (
    CyclicDependencyError,
    InvalidValueError,
    PlanValidationError,
    Problem,
    UnitWarning,
)
from dxplan.formats.io import write_plan
from dxplan.plan.catalogue import load_plan
from dxplan.plan.model import (
    Indicator,
    Link,
    Plan,
    Priority,
    Provenance,
    Target,
    Task,
)
from dxplan.plan.observations import Observation, Observations
from dxplan.plan.validation import CheckReport, Finding, Severity, check, task_cycle
from dxplan.text import Label
from dxplan.units import PERCENT, RANK, Unit


def codes(report: CheckReport) -> list[tuple[str, str]]:
    return [(f.code, f.where) for f in report.findings]


def mixed_plan() -> Plan:
    """A plan with one error (a dangling link) and two warnings (1.2 uncovered, T1 idle)."""
    return plan(
        groups=[group("G1", indicator("1.1"), indicator("1.2"))],
        tasks=[task("T1", to=()), task("T2", depends=("T9",))],
    )


class TestCheck:
    def test_clean_plan(self) -> None:
        """A plan without problems has no findings and is ok."""
        report = check(plan())
        assert report.findings == ()
        assert report.ok
        report.raise_for_errors()

    @pytest.mark.parametrize(
        ("fields", "where", "kind"),
        [
            (
                {"priorities": [Priority(id="P1", label=label())] * 2},
                "$.priorities[1].id",
                "priority",
            ),
            ({"groups": [group("G1", indicator("1.1")), group("G1")]}, "$.groups[1].id", "group"),
            (
                {"groups": [group("G1", indicator("1.1")), group("G2", indicator("1.1"))]},
                "$.groups[1].indicators[0].id",
                "indicator",
            ),
            ({"tasks": [task("T1"), task("T1")]}, "$.tasks[1].id", "task"),
        ],
    )
    def test_duplicate_ids(self, fields: dict[str, Any], where: str, kind: str) -> None:
        """An id used twice within its kind is an error at the second use."""
        report = check(plan(**fields))
        assert [(f.code, f.where) for f in report.errors] == [("duplicate-id", where)]
        assert re.search(
            f"{kind} id '(P1|G1|1.1|T1)' is already used at \\$", report.errors[0].message
        )

    def test_same_id_in_different_kinds(self) -> None:
        """A task and an indicator may share an id: ids are unique per kind."""
        report = check(plan(tasks=[task("1.1")]))
        assert report.errors == ()

    def test_duplicate_target_scope(self) -> None:
        """Two '>=' targets for the same scope are an error at the second."""
        twice = indicator("1.1", target(70, scope="city"), target(60, scope="city"))
        report = check(plan(groups=[group("G1", twice)]))
        assert codes(report) == [("duplicate-target", "$.groups[0].indicators[0].targets[1]")]
        assert "a second >= target for scope 'city'" in report.errors[0].message

    def test_range_on_one_scope_is_allowed(self) -> None:
        """A lower and an upper bound for one scope are two comparators, not a duplicate."""
        ranged = indicator("1.1", target(10), target(20, comparator="<="))
        assert check(plan(groups=[group("G1", ranged)])).ok

    @pytest.mark.parametrize(
        ("broken", "where", "kind", "missing"),
        [
            (task("T1", depends=("T9",)), "$.tasks[0].depends_on[0].to", "task", "T9"),
            (task("T1", to=("1.1", "9.9")), "$.tasks[0].contributes_to[1].to", "indicator", "9.9"),
            (
                Task(id="T1", label=label(), contributes_to=[link("1.1")], priorities=[link("P7")]),
                "$.tasks[0].priorities[0].to",
                "priority",
                "P7",
            ),
        ],
    )
    def test_dangling_references(self, broken: Task, where: str, kind: str, missing: str) -> None:
        """A link to an id the plan does not have is an error naming the link's path."""
        report = check(plan(tasks=[broken]))
        assert [(f.code, f.where) for f in report.errors] == [("dangling-reference", where)]
        assert f"task 'T1' links to {kind} '{missing}', which the plan does not have" in (
            report.errors[0].message
        )

    def test_dangling_reference_lists_known_ids(self) -> None:
        """The message says which ids would have resolved."""
        report = check(plan(tasks=[task("T1", depends=("T9",)), task("T2")]))
        assert report.errors[0].message.endswith("expected one of: T1, T2")

    def test_incomparable_target_unit(self) -> None:
        """A target in % of retail sales on an indicator in % of GRDP is an error."""
        wrong = indicator(
            "1.1", target(10, unit=Unit.parse("% of retail sales")), unit=Unit.parse("% of GRDP")
        )
        report = check(plan(groups=[group("G1", wrong)]))
        assert codes(report) == [("incomparable-unit", "$.groups[0].indicators[0].targets[0].unit")]
        assert "target unit '% of retail sales' cannot be compared with the indicator's unit " in (
            report.errors[0].message
        )

    def test_comparable_target_unit(self) -> None:
        """A target as a fraction on an indicator in percent is fine."""
        fraction = indicator("1.1", target(0.5, unit=Unit(symbol="dimensionless")))
        assert check(plan(groups=[group("G1", fraction)])).ok

    def test_rank_comparator_on_percent(self) -> None:
        """'rank<=' on an indicator in % is an error at the comparator."""
        wrong = indicator("1.1", Target(comparator="rank<=", value=5))
        report = check(plan(groups=[group("G1", wrong)]))
        assert codes(report) == [
            ("comparator-unit", "$.groups[0].indicators[0].targets[0].comparator")
        ]
        assert "comparator 'rank<=' on an indicator in '%'" in report.errors[0].message

    def test_value_comparator_on_rank(self) -> None:
        """'>=' on an indicator in rank is an error too."""
        wrong = indicator("1.1", target(5), unit=RANK)
        report = check(plan(groups=[group("G1", wrong)]))
        assert codes(report) == [
            ("comparator-unit", "$.groups[0].indicators[0].targets[0].comparator")
        ]

    def test_declared_below_listed(self) -> None:
        """A group listing 2 indicators while declaring 1 is an error at declared_count."""
        over = group("G1", indicator("1.1"), indicator("1.2"), declared=1)
        report = check(plan(groups=[over], tasks=[task("T1", to=("1.1", "1.2"))]))
        assert codes(report) == [("declared-count", "$.groups[0].declared_count")]
        assert "group 'G1' declares 1 indicators but lists 2" in report.errors[0].message

    def test_dependency_cycle(self) -> None:
        """A cycle T1 → T2 → T3 → T1 is one error naming the cycle in order."""
        tasks = [
            task("T0"),
            task("T1", depends=("T2",)),
            task("T2", depends=("T3",)),
            task("T3", depends=("T1",)),
        ]
        report = check(plan(tasks=tasks))
        assert codes(report) == [("dependency-cycle", "$.tasks[1].depends_on")]
        assert report.errors[0].message.startswith("dependency cycle T1 → T2 → T3 → T1;")

    def test_conflicting_targets(self) -> None:
        """Two indicators of one quantity, basis and year with different targets warn once."""
        grdp = Unit.parse("% of GRDP")
        first = indicator("1.3", target(22, deadline=2024), unit=grdp, measures="de")
        second = indicator("3.1", target(25, deadline=2024), unit=grdp, measures="de")
        report = check(
            plan(
                groups=[group("G1", first), group("G3", second)],
                tasks=[task("T1", to=("1.3", "3.1"))],
            )
        )
        assert report.ok
        assert codes(report) == [("conflicting-targets", "$.groups[1].indicators[0]")]
        assert report.warnings[0].message == (
            "indicator '3.1' (≥ 25 %) and '1.3' at $.groups[0].indicators[0] (≥ 22 %) "
            "measure the same quantity 'de' for 2024 with different targets"
        )

    @pytest.mark.parametrize(
        "second",
        [
            {"value": 22, "deadline": 2024, "basis": "GRDP"},  # same target: no conflict
            {"value": 25, "deadline": 2025, "basis": "GRDP"},  # another year
            {"value": 25, "deadline": 2024, "basis": "retail sales"},  # another quantity basis
        ],
    )
    def test_no_conflict(self, second: dict[str, Any]) -> None:
        """Equal targets, other years or other bases are not a conflict."""
        first = indicator(
            "1.3", target(22, deadline=2024), unit=Unit.parse("% of GRDP"), measures="de"
        )
        other = indicator(
            "3.1",
            target(second["value"], deadline=second["deadline"]),
            unit=Unit(symbol="%", basis=second["basis"]),
            measures="de",
        )
        report = check(
            plan(groups=[group("G1", first, other)], tasks=[task("T1", to=("1.3", "3.1"))])
        )
        assert report.findings == ()

    def test_unlisted_indicators(self) -> None:
        """Declared but unlisted indicators give one warning with the total and per group."""
        groups = [group("G1", indicator("1.1"), declared=3), group("G2", declared=2)]
        report = check(plan(groups=groups))
        assert codes(report) == [("unlisted-indicators", "$.groups")]
        assert report.warnings[0].message == (
            "4 indicators declared but not listed (2 in 'G1', 2 in 'G2'); counted as unknown"
        )

    def test_one_unlisted_indicator_is_singular(self) -> None:
        """One unlisted indicator is worded in the singular."""
        report = check(plan(groups=[group("G1", indicator("1.1"), declared=2)]))
        assert report.warnings[0].message.startswith("1 indicator declared but not listed")

    def test_uncovered_indicator(self) -> None:
        """An indicator no task contributes to is a warning at its path."""
        groups = [group("G1", indicator("1.1"), indicator("1.2"))]
        report = check(plan(groups=groups))
        assert codes(report) == [("uncovered-indicator", "$.groups[0].indicators[1]")]
        assert report.warnings[0].message == "no task contributes to indicator '1.2'"

    def test_idle_task(self) -> None:
        """A task that contributes to nothing is a warning at its path."""
        report = check(plan(tasks=[task("T1"), task("T2", to=())]))
        assert codes(report) == [("idle-task", "$.tasks[1]")]
        assert report.warnings[0].message == "task 'T2' contributes to no indicator"

    def test_errors_come_first(self) -> None:
        """Errors are listed before warnings, each kind in plan order."""
        report = check(mixed_plan())
        assert [f.severity for f in report.findings] == [
            Severity.ERROR,
            Severity.WARNING,
            Severity.WARNING,
        ]
        assert [f.code for f in report.warnings] == ["uncovered-indicator", "idle-task"]


def broken_plan() -> Plan:
    """A plan with four errors of four kinds (and no warnings)."""
    return plan(
        groups=[group("G1", indicator("1.1"), indicator("1.1"), declared=1)],
        tasks=[task("T1", depends=("T2",)), task("T2", depends=("T1",), to=("1.1", "9.9"))],
    )


EXPECTED_PROBLEMS = [
    ("$.groups[0].indicators[1].id", "indicator id '1.1' is already used"),
    ("$.tasks[1].contributes_to[1].to", "task 'T2' links to indicator '9.9'"),
    ("$.groups[0].declared_count", "group 'G1' declares 1 indicators but lists 2"),
    ("$.tasks[0].depends_on", "dependency cycle T1 → T2 → T1"),
]


class TestCheckReport:
    def test_errors_and_warnings_apart(self) -> None:
        """errors and warnings split the findings by severity."""
        report = check(mixed_plan())
        assert [f.code for f in report.errors] == ["dangling-reference"]
        assert [f.code for f in report.warnings] == ["uncovered-indicator", "idle-task"]
        assert not report.ok

    def test_warnings_only_is_ok(self) -> None:
        """Warnings alone leave a plan usable."""
        report = check(plan(tasks=[task("T1"), task("T2", to=())]))
        assert report.ok
        report.raise_for_errors()

    def test_raise_for_errors_reports_all(self) -> None:
        """Every error is in one PlanValidationError, each with its path."""
        with pytest.raises(PlanValidationError, match="the plan has 4 errors") as caught:
            check(broken_plan()).raise_for_errors()
        problems = caught.value.problems
        assert [p.where for p in problems] == [where for where, _ in EXPECTED_PROBLEMS]
        for problem, (where, start) in zip(problems, EXPECTED_PROBLEMS, strict=True):
            assert problem.message.startswith(start)
            assert f"\n  {where}: {start}" in str(caught.value)
        assert isinstance(caught.value, ValueError)

    def test_one_error_is_singular(self) -> None:
        """One error is worded in the singular."""
        with pytest.raises(PlanValidationError, match=r"^the plan has 1 error\n"):
            check(plan(tasks=[task("T1", depends=("T9",))])).raise_for_errors()

    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_load_plan_reports_all(self, tmp_path: Path, suffix: str) -> None:
        """load_plan of a file with several errors raises them all in one error."""
        path = write_plan(broken_plan(), tmp_path / f"broken{suffix}")
        with pytest.raises(PlanValidationError, match="the plan has 4 errors") as caught:
            load_plan(path)
        assert [p.where for p in caught.value.problems] == [w for w, _ in EXPECTED_PROBLEMS]

    def test_load_plan_without_validation(self, tmp_path: Path) -> None:
        """validate=False loads a broken plan so its findings can be shown."""
        path = write_plan(broken_plan(), tmp_path / "broken.json")
        assert len(check(load_plan(path, validate=False)).errors) == 4


class TestFinding:
    def test_str(self) -> None:
        """A finding reads as severity, place, message and code."""
        finding = Finding(
            severity=Severity.WARNING, code="idle-task", where="$.tasks[1]", message="m"
        )
        assert str(finding) == "warning: $.tasks[1]: m [idle-task]"

    def test_vietnamese_wording(self) -> None:
        """Every finding of a broken plan has its own Vietnamese wording, with the same ids."""
        report = check(broken_plan())
        mixed = check(mixed_plan())
        for finding in (*report.findings, *mixed.findings):
            assert finding.text("vi") != finding.text("en") == finding.message
        texts = [f.text("vi") for f in report.findings]
        assert texts[0].startswith("mã chỉ tiêu '1.1' đã được dùng ở $.groups[0].indicators[0]")
        assert "vòng phụ thuộc T1 → T2 → T1" in texts[3]

    def test_english_without_vietnamese(self) -> None:
        """A finding built without Vietnamese wording falls back to its English message."""
        finding = Finding(severity=Severity.ERROR, code="c", where="$", message="m")
        assert finding.text("vi") == "m"


class TestSeverity:
    def test_values(self) -> None:
        """Severities are spelled 'error' and 'warning'."""
        assert [s.value for s in Severity] == ["error", "warning"]


class TestTaskCycle:
    def test_empty(self) -> None:
        """No tasks, no cycle."""
        assert task_cycle([]) == ()

    def test_chain_and_diamond(self) -> None:
        """Dependencies that fan out and in again are not a cycle."""
        tasks = [
            task("A", depends=("B", "C")),
            task("B", depends=("D",)),
            task("C", depends=("D",)),
            task("D"),
        ]
        assert task_cycle(tasks) == ()

    def test_self_loop(self) -> None:
        """A task that depends on itself is a cycle of one."""
        assert task_cycle([task("A", depends=("A",))]) == ("A",)

    def test_two_cycle(self) -> None:
        """Two tasks depending on each other form a cycle in visiting order."""
        assert task_cycle([task("A", depends=("B",)), task("B", depends=("A",))]) == ("A", "B")

    def test_cycle_behind_a_tail(self) -> None:
        """Only the tasks on the cycle are named, not the path leading to it."""
        tasks = [
            task("T0", depends=("T1",)),
            task("T1", depends=("T2",)),
            task("T2", depends=("T3",)),
            task("T3", depends=("T1",)),
        ]
        assert task_cycle(tasks) == ("T1", "T2", "T3")

    def test_deterministic_first_cycle(self) -> None:
        """With two cycles, the first one reached in task and link order is named."""
        tasks = [
            task("A", depends=("C", "B")),
            task("B", depends=("A",)),
            task("C", depends=("D",)),
            task("D", depends=("C",)),
        ]
        assert task_cycle(tasks) == ("C", "D")
        assert task_cycle(list(reversed(tasks))) == ("D", "C")

    def test_unknown_dependencies_ignored(self) -> None:
        """A link to an unknown task is left to the dangling-reference check."""
        assert task_cycle([task("A", depends=("Z",))]) == ()


class TestCyclicDependencyError:
    def test_message_names_the_loop(self) -> None:
        """The error names the cycle closed on its first task, and keeps it."""
        error = CyclicDependencyError(["T1", "T2", "T3"])
        assert error.cycle == ("T1", "T2", "T3")
        assert error.problems == (
            Problem("$.tasks", "dependency cycle T1 → T2 → T3 → T1; expected no cycle"),
        )
        assert isinstance(error, PlanValidationError)


class TestBareFractions:
    """A bare value ≤ 1 for a % indicator whose target is above 1 % gets a warning."""

    @staticmethod
    def _observed(value: float, unit: Unit | None = None) -> Observations:
        return Observations(
            items=(
                Observation(
                    entity="ho-chi-minh", indicator="3.1", period=2024, value=value, unit=unit
                ),
            )
        )

    def test_check_warns_with_the_way_to_write_it(self) -> None:
        """0.72 for 3.1 (% of GRDP, target 25 %) is read as 0.72 %: check says to write 72
        or '0.72 dimensionless', at the observation's place."""
        report = check(load_plan("hcmc-2024"), self._observed(0.72))
        found = [f for f in report.warnings if f.code == "bare-fraction"]
        assert len(found) == 1
        assert found[0].where == "$.observations[0]"
        assert "0.72 looks like a fraction; write 72 or '0.72 dimensionless'" in found[0].message
        assert report.ok

    def test_assess_warns_and_keeps_the_documented_rule(self) -> None:
        """assess warns, and still reads the bare 0.72 as 0.72 % (attainment 0.72/25)."""
        from dxplan.plan.attainment import assess

        with pytest.warns(UnitWarning, match=r"0\.72 looks like a fraction; write 72 or"):
            report = assess(load_plan("hcmc-2024"), self._observed(0.72))
        assert report.indicator("3.1").attainment == 0.72 / 25

    def test_a_file_warns_once_per_indicator_at_its_first_line(self, tmp_path: Path) -> None:
        """A file read with its plan gives each bare value the indicator's unit, so the
        warning comes from the reading: at the first such line, with the others counted."""
        from dxplan.plan.attainment import assess
        from dxplan.plan.observations import load_observations

        path = tmp_path / "obs.csv"
        path.write_text(
            "entity,indicator,period,value,unit\n"
            "ho-chi-minh,3.1,2023,0.2,\n"
            "ho-chi-minh,3.1,2024,0.22,\n"
            "ho-chi-minh,1.3,2024,22,%\n",
            encoding="utf-8",
        )
        hcmc = load_plan("hcmc-2024")
        with pytest.warns(UnitWarning) as caught:
            observations = load_observations(path, hcmc)
        assert [str(w.message) for w in caught] == [
            "obs.csv:2: 0.2 for indicator '3.1' (in % of GRDP) is read as 0.2 %, but its target "
            "is 25 %: 0.2 looks like a fraction; write 20 or '0.2 dimensionless' "
            "(and 1 more of this indicator)"
        ]
        assert assess(hcmc, observations).indicator("3.1").attainment == 0.22 / 25

    @pytest.mark.parametrize(
        ("value", "unit"), [(72.0, None), (0.72, Unit(symbol="1")), (0.0, None), (1.5, None)]
    )
    def test_no_warning_when_unambiguous(self, value: float, unit: Unit | None) -> None:
        """A value above 1, a value with its unit, or 0 (the same in any unit) is not flagged."""
        report = check(load_plan("hcmc-2024"), self._observed(value, unit))
        assert "bare-fraction" not in [f.code for f in report.findings]

    def test_no_warning_when_the_target_is_itself_small(self) -> None:
        """A % indicator whose target is 0.5 % may well be observed at 0.4 %."""
        small = plan(groups=(group("G1", indicator("3.1", target(0.5, unit=None), unit=PERCENT)),))
        report = check(small, self._observed(0.4))
        assert "bare-fraction" not in [f.code for f in report.findings]


def _rank_indicator(value: float) -> Indicator:
    return indicator("1.1", target(value, comparator="rank<="), unit=RANK)


_SEEN = Provenance.seed()

#: (what is wrong, the plan, the one finding expected: severity, code, path)
_FALSE_PASSES: list[tuple[str, Plan, tuple[str, str, str]]] = [
    (
        "share of 150 %",
        plan(groups=[group("G1", indicator("1.1", target(150)))]),
        ("warning", "share-out-of-range", "$.groups[0].indicators[0].targets[0].value"),
    ),
    (
        "share of -20 % of GRDP",
        plan(
            groups=[group("G1", indicator("1.1", target(-20), unit=Unit(symbol="%", basis="GRDP")))]
        ),
        ("warning", "share-out-of-range", "$.groups[0].indicators[0].targets[0].value"),
    ),
    (
        "at least 80 and at most 50",
        plan(groups=[group("G1", indicator("1.1", target(80), target(50, comparator="<=")))]),
        ("error", "contradictory-targets", "$.groups[0].indicators[0].targets[1]"),
    ),
    (
        "a 1900 deadline in a 2024 plan",
        plan(year=2024, groups=[group("G1", indicator("1.1", target(50, deadline=1900)))]),
        ("warning", "deadline-before-plan", "$.groups[0].indicators[0].targets[0].deadline"),
    ),
    (
        "a baseline already past its target",
        plan(groups=[group("G1", indicator("1.1", target(50, baseline=60)))]),
        ("warning", "baseline-past-target", "$.groups[0].indicators[0].targets[0].baseline"),
    ),
    (
        "a link given twice",
        plan(tasks=[task("T1", to=("1.1", "1.1"))]),
        ("warning", "duplicate-link", "$.tasks[0].contributes_to[1].to"),
    ),
    (
        "a scope_label without a scope",
        plan(groups=[group("G1", indicator("1.1", target(50, scope_label=Label(vi="cấp xã"))))]),
        (
            "warning",
            "scope-label-without-scope",
            "$.groups[0].indicators[0].targets[0].scope_label",
        ),
    ),
    (
        "scoped and unscoped targets mixed",
        plan(groups=[group("G1", indicator("1.1", target(50), target(40, scope="district")))]),
        ("warning", "mixed-scopes", "$.groups[0].indicators[0].targets"),
    ),
    (
        "an empty plan",
        Plan(id="empty", label=label(), entity="ho-chi-minh"),
        ("warning", "empty-plan", "$"),
    ),
    (
        "an empty group",
        plan(groups=[group("G1", indicator("1.1")), group("G2", declared=0)]),
        ("warning", "empty-group", "$.groups[1]"),
    ),
    (
        "a plan without entity",
        plan(entity=None),
        ("warning", "no-entity", "$.entity"),
    ),
    (
        "a priority no task serves",
        plan(priorities=[Priority(id="P1", label=label()), Priority(id="P2", label=label())]),
        ("warning", "unserved-priority", "$.priorities[1]"),
    ),
    (
        "all link weights 0",
        plan(
            tasks=[
                Task(
                    id="T1",
                    label=label(),
                    contributes_to=[Link(to="1.1", provenance=_SEEN, weight=0)],
                    priorities=[link("P1")],
                )
            ]
        ),
        ("warning", "zero-weights", "$.tasks[0].contributes_to"),
    ),
    (
        "a rank target of 1e30 without out_of",
        plan(groups=[group("G1", _rank_indicator(1e30))]),
        ("error", "implausible-rank", "$.groups[0].indicators[0].targets[0].value"),
    ),
    (
        "a rank target of 5000 without out_of",
        plan(groups=[group("G1", _rank_indicator(5000))]),
        ("warning", "rank-without-out-of", "$.groups[0].indicators[0].targets[0].out_of"),
    ),
    (
        "one id for a group and a task",
        plan(groups=[group("T1", indicator("1.1"))]),
        ("warning", "shared-id", "$.tasks[0].id"),
    ),
]


class TestFalsePasses:
    """Defects check used to pass silently: each is now exactly one finding, with its path."""

    @pytest.mark.parametrize(
        ("broken", "expected"),
        [(case[1], case[2]) for case in _FALSE_PASSES],
        ids=[case[0] for case in _FALSE_PASSES],
    )
    def test_found(self, broken: Plan, expected: tuple[str, str, str]) -> None:
        """The defect gives one finding of the right severity, code and path, in both languages."""
        report = check(broken)
        assert [(str(f.severity), f.code, f.where) for f in report.findings] == [expected]
        finding = report.findings[0]
        assert finding.message
        assert finding.message_vi
        assert finding.message != finding.message_vi

    def test_contradiction_message(self) -> None:
        """The contradiction names both bounds and the other target."""
        broken = plan(
            groups=[group("G1", indicator("1.1", target(80), target(50, comparator="<=")))]
        )
        assert check(broken).errors[0].message == (
            "targets >= 80 and <= 50 of indicator '1.1' (scope None) cannot both be met; "
            "expected a range some value meets (see targets[0])"
        )

    @pytest.mark.parametrize("second", [target(80, comparator="<="), target(90, comparator="<")])
    def test_a_range_is_not_a_contradiction(self, second: Target) -> None:
        """At least 80 and at most 80 (or below 90) can be met together: nothing found."""
        fine = plan(groups=[group("G1", indicator("1.1", target(80), second))])
        assert check(fine).findings == ()

    def test_strict_bounds_that_touch_contradict(self) -> None:
        """Above 80 and at most 80 cannot both hold."""
        broken = plan(
            groups=[
                group(
                    "G1",
                    indicator("1.1", target(80, comparator=">"), target(80, comparator="<=")),
                )
            ]
        )
        assert [f.code for f in check(broken).errors] == ["contradictory-targets"]

    def test_reference_plan_has_no_new_findings(self) -> None:
        """The HCMC plan keeps exactly its two known warnings."""
        report = check(load_plan("hcmc-2024"))
        assert [f.code for f in report.findings] == ["conflicting-targets", "unlisted-indicators"]

    def test_not_a_plan(self) -> None:
        """check(None) is an InvalidValueError, not an AttributeError."""
        with pytest.raises(InvalidValueError, match=r"'plan' must be a dxplan.Plan \(got None\)"):
            check(None)  # type: ignore[arg-type]
