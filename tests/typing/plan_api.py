"""Typed usage of dxplan's foundation, as a user writes it.

mypy checks this file (``python -m mypy tests/typing``); pytest does not run it.
Lines marked ``type: ignore[...]`` are mistakes mypy must catch: with
``warn_unused_ignores`` on, an ignore that is no longer needed is an error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, assert_type

import dxplan as dx
from dxplan.errors import Problem
from dxplan.formats.io import plan_from_dict, plan_to_dict, read_plan, write_plan
from dxplan.plan.validation import Finding
from dxplan.text import Language
from dxplan.units import PERCENT, RANK


def build_plan() -> dx.Plan:
    why = dx.Provenance.assumption("the plan text links no task to an indicator")
    levels = [
        dx.Target(comparator=">=", value=70, deadline=2024, scope="city"),
        dx.Target(comparator=">=", value=60, deadline=dt.date(2024, 12, 31), scope="district"),
    ]
    digitised = dx.Indicator(
        id="2.7",
        label=dx.Label(vi="Tỷ lệ số hóa hồ sơ", en="Digitised dossiers"),
        unit=dx.Unit.parse("% of dossiers"),
        targets=levels,  # a list is frozen into a tuple
    )
    rank = dx.Indicator(
        id="1.1",
        label=dx.Label(vi="Xếp hạng DTI"),
        unit=RANK,
        targets=(dx.Target(comparator="rank<=", value=5, out_of=63),),
    )
    task = dx.Task(
        id="T04",
        label=dx.Label(vi="Dữ liệu số"),
        contributes_to=[dx.Link(to="2.7", provenance=why)],
        depends_on=[dx.Link(to="T03", provenance=why, weight=0.5)],
    )
    return dx.Plan(
        id="example",
        label=dx.Label(vi="Kế hoạch mẫu"),
        year=2024,
        groups=[
            dx.IndicatorGroup(
                id="G1", label=dx.Label(vi="Nhóm"), declared_count=3, indicators=[rank, digitised]
            )
        ],
        tasks=[task],
    )


def read_plan_back(plan: dx.Plan, path: Path) -> None:
    assert_type(plan.indicators, tuple[dx.Indicator, ...])
    assert_type(plan.indicator("2.7").target("city"), dx.Target)
    assert_type(plan.indicator("1.1").target().deadline_year, int | None)
    assert_type(plan.group_of("2.7").unlisted_count, int)
    assert_type(plan.task("T04").contributes_to, tuple[dx.Link, ...])
    assert_type(plan.indicator("1.1").targets[0].comparator, dx.Comparator)
    assert_type(dx.Comparator.ABOVE.is_met(10.0, 10.0), bool)

    data = plan_to_dict(plan)
    assert_type(data, dict[str, Any])
    assert_type(plan_from_dict(data), dx.Plan)
    assert_type(write_plan(plan, path, force=True), Path)
    assert_type(read_plan(path), dx.Plan)
    assert_type(dx.load_plan(path, validate=False), dx.Plan)


def report(plan: dx.Plan, lang: Language) -> list[str]:
    findings = dx.check(plan)
    assert_type(findings, dx.CheckReport)
    assert_type(findings.errors, tuple[Finding, ...])
    assert_type(findings.ok, bool)
    try:
        findings.raise_for_errors()
    except dx.PlanValidationError as exc:
        assert_type(exc.problems, tuple[Problem, ...])
    return [plan.label.text(lang), *(f"{f.severity}: {f.where}" for f in findings.findings)]


def units() -> float:
    fraction = PERCENT.convert(22, dx.Unit(symbol="dimensionless"))
    assert_type(fraction, float)
    assert_type(dx.Unit.parse("tỷ VND").is_comparable(dx.Unit(symbol="VND")), bool)
    return fraction


def mistakes(plan: dx.Plan) -> None:
    dx.Label(vi="Nhãn").text("fr")  # type: ignore[arg-type]
    dx.Target(comparator=">=", value="70")  # type: ignore[arg-type]
    dx.Label("Nhãn")  # type: ignore[call-arg]
    plan.indicator(1)  # type: ignore[arg-type]
    plan.id = "other"  # type: ignore[misc]
    dx.Unit(symbol="%", basis=5)  # type: ignore[arg-type]
