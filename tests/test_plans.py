"""Tests of dxplan.plan.catalogue (finding and loading plans) and of the HCMC 2024 plan."""

from __future__ import annotations

import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from dxplan.errors import FileFormatError, PlanNotFoundError, PlanValidationError
from dxplan.formats.io import write_plan
from dxplan.plan.catalogue import BUNDLED_PLANS, DEFAULT_PLAN, load_plan, plan_path
from dxplan.plan.model import Comparator, Plan, Source
from dxplan.plan.validation import Severity, check
from dxplan.text import Label
from dxplan.units import RANK, Unit

SMALL_PLAN_MODULE = """\
from dxplan import Indicator, IndicatorGroup, Label, Link, Plan, Provenance, Target, Task, Unit
plan = Plan(
    id="small",
    label=Label(vi="Kế hoạch nhỏ"),
    groups=[
        IndicatorGroup(
            id="G1",
            label=Label(vi="Nhóm"),
            declared_count=1,
            indicators=[
                Indicator(
                    id="1.1",
                    label=Label(vi="Chỉ tiêu"),
                    unit=Unit(symbol="%"),
                    targets=[Target(comparator=">=", value=50)],
                )
            ],
        )
    ],
    tasks=[
        Task(
            id="T1",
            label=Label(vi="Nhiệm vụ"),
            contributes_to=[Link(to="{to}", provenance=Provenance.assumption("test"))],
        )
    ],
)
"""


def write_module(directory: Path, text: str, name: str = "my_plan.py") -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class TestPlanPath:
    def test_bundled_name(self) -> None:
        """A bundled name resolves to an existing .py file."""
        path = plan_path("hcmc-2024")
        assert path.is_file()
        assert path.name == "hcmc_2024.py"

    def test_catalogue(self) -> None:
        """The HCMC 2024 plan is bundled and is the default."""
        assert BUNDLED_PLANS == {"hcmc-2024": "hcmc_2024.py"}
        assert DEFAULT_PLAN == "hcmc-2024"

    def test_unknown_name(self) -> None:
        """An unknown name raises PlanNotFoundError (a LookupError) naming the bundled plans."""
        with pytest.raises(
            PlanNotFoundError, match=r"no plan named or found at 'hcmc-2025'; .*\(hcmc-2024\)"
        ) as caught:
            plan_path("hcmc-2025")
        assert isinstance(caught.value, LookupError)

    def test_directory_is_not_a_plan(self, tmp_path: Path) -> None:
        """A directory is not a plan file."""
        with pytest.raises(PlanNotFoundError, match="no plan named or found at"):
            plan_path(tmp_path)


class TestLoadPlan:
    def test_default_is_hcmc(self, hcmc: Plan) -> None:
        """Without arguments, load_plan loads the HCMC 2024 plan."""
        assert load_plan() == hcmc
        assert hcmc.id == "hcmc-2024"

    def test_by_path_of_bundled_module(self, hcmc: Plan) -> None:
        """The bundled module loaded by its path is the same plan."""
        assert load_plan(plan_path("hcmc-2024")) == hcmc

    def test_py_path(self, tmp_path: Path) -> None:
        """A .py module binding 'plan' is loaded, as a str or a Path."""
        path = write_module(tmp_path, SMALL_PLAN_MODULE.replace("{to}", "1.1"))
        loaded = load_plan(path)
        assert loaded.id == "small"
        assert loaded.indicator("1.1").target().value == 50
        assert load_plan(str(path)) == loaded

    def test_py_module_leaves_no_trace(self, tmp_path: Path) -> None:
        """Loading a .py plan does not leave its module in sys.modules."""
        before = set(sys.modules)
        load_plan(write_module(tmp_path, SMALL_PLAN_MODULE.replace("{to}", "1.1")))
        assert {name for name in set(sys.modules) - before if "_dxplan_plan_" in name} == set()

    @pytest.mark.parametrize("suffix", [".toml", ".json", ".TOML"])
    def test_data_files(self, hcmc: Plan, tmp_path: Path, suffix: str) -> None:
        """A plan written as TOML or JSON loads back equal."""
        path = write_plan(hcmc, tmp_path / f"hcmc{suffix}")
        assert load_plan(path) == hcmc

    def test_module_that_raises(self, tmp_path: Path) -> None:
        """A module that raises gives FileFormatError naming file:line and the exception."""
        path = write_module(tmp_path, 'x = 1\n\nraise RuntimeError("boom")\n')
        with pytest.raises(FileFormatError, match=f"the plan module {path} failed") as caught:
            load_plan(path)
        [problem] = caught.value.problems
        assert problem.where == f"{path}:3"
        assert problem.message == "RuntimeError: boom"
        assert isinstance(caught.value.__cause__, RuntimeError)

    @pytest.mark.parametrize("code", ["0", "1", "'bye'"])
    def test_module_that_exits(self, tmp_path: Path, code: str) -> None:
        """sys.exit in a plan module is a FileFormatError at its line, not the caller's exit."""
        path = write_module(tmp_path, f"import sys\n\nsys.exit({code})\n")
        with pytest.raises(FileFormatError, match=f"the plan module {path} exited") as caught:
            load_plan(path)
        [problem] = caught.value.problems
        assert problem.where == f"{path}:3"
        assert problem.message == f"it called sys.exit({code}); expected it to define plan"

    def test_check_of_a_module_that_exits(self, tmp_path: Path) -> None:
        """dxplan check of such a module exits 1 with the message, never 0 in silence."""
        from click.testing import CliRunner

        from dxplan.cli import main

        path = write_module(tmp_path, "import sys\nsys.exit(0)\n")
        result = CliRunner().invoke(main, ["check", str(path)])
        assert result.exit_code == 1
        assert f"{path}:2: it called sys.exit(0)" in result.stderr

    def test_module_with_invalid_value(self, tmp_path: Path) -> None:
        """A refused value inside a plan module is located at the module's line."""
        text = 'from dxplan import Label\n\nfirst = Label(vi="ok")\nsecond = Label(vi="")\n'
        path = write_module(tmp_path, text)
        with pytest.raises(FileFormatError) as caught:
            load_plan(path)
        [problem] = caught.value.problems
        assert problem.where == f"{path}:4"
        assert problem.message == "InvalidValueError: 'vi' must be non-empty text (got '')"

    def test_module_with_syntax_error(self, tmp_path: Path) -> None:
        """A module that does not parse is reported as a FileFormatError, not a SyntaxError."""
        path = write_module(tmp_path, "plan = (\n")
        with pytest.raises(FileFormatError, match="SyntaxError"):
            load_plan(path)

    def test_module_without_plan(self, tmp_path: Path) -> None:
        """A module that binds no 'plan' is refused."""
        path = write_module(tmp_path, "x = 1\n")
        with pytest.raises(
            FileFormatError, match=r"defines no plan\n.*found plan = None; expected a dxplan.Plan"
        ):
            load_plan(path)

    def test_module_with_plan_of_wrong_type(self, tmp_path: Path) -> None:
        """A 'plan' that is not a Plan is refused with its value."""
        path = write_module(tmp_path, "plan = {'id': 'x'}\n")
        with pytest.raises(FileFormatError, match=r"found plan = \{'id': 'x'\}"):
            load_plan(path)

    def test_module_plan_is_checked(self, tmp_path: Path) -> None:
        """A plan module with a dangling link raises PlanValidationError unless told not to."""
        path = write_module(tmp_path, SMALL_PLAN_MODULE.replace("{to}", "9.9"))
        with pytest.raises(PlanValidationError, match=r"\$\.tasks\[0\]\.contributes_to\[0\]\.to"):
            load_plan(path)
        assert load_plan(path, validate=False).task("T1").contributes_to[0].to == "9.9"

    def test_unknown_name(self) -> None:
        """An unknown name raises PlanNotFoundError."""
        with pytest.raises(PlanNotFoundError, match="no plan named or found at 'nope'"):
            load_plan("nope")

    @pytest.mark.parametrize(("name", "shown"), [("plan.yaml", ".yaml"), ("plan", "suffix-less")])
    def test_unsupported_suffix(self, tmp_path: Path, name: str, shown: str) -> None:
        """A file that is not .py, .toml or .json is refused without being read."""
        path = tmp_path / name
        path.write_text("id: x\n", encoding="utf-8")
        with pytest.raises(
            FileFormatError, match=f"found a {shown} file; expected .py, .toml or .json"
        ):
            load_plan(path)


# --- the reference plan ------------------------------------------------------------------


def labels(plan: Plan) -> Iterator[Label]:
    """Every label in the plan."""
    yield plan.label
    if plan.theme is not None:
        yield plan.theme
    for priority in plan.priorities:
        yield priority.label
        if priority.description is not None:
            yield priority.description
    for group in plan.groups:
        yield group.label
        for indicator in group.indicators:
            yield indicator.label
            yield from (t.scope_label for t in indicator.targets if t.scope_label is not None)
    for task in plan.tasks:
        yield task.label


def texts(plan: Plan) -> Iterator[str]:
    for label in labels(plan):
        yield label.vi
        if label.en is not None:
            yield label.en


EXPECTED_TARGETS = {
    "1.1": ("rank<=", [5]),
    "1.2": (">=", [100]),
    "1.3": (">=", [22]),
    "2.1": (">=", [100]),
    "2.2": (">=", [100, 100]),
    "2.3": (">=", [100]),
    "2.4": (">=", [100]),
    "2.5": (">=", [100]),
    "2.6": (">=", [100]),
    "2.7": (">=", [70, 60, 55]),
    "2.8": (">=", [60]),
    "3.1": (">=", [25]),
    "3.2": (">", [10]),
    "3.3": (">", [80]),
    "3.4": (">", [50]),
    "3.5": (">", [2]),
    "3.6": (">=", [85]),
    "4.1": (">=", [100]),
    "4.2": (">=", [90]),
}


class TestHcmc2024:
    def test_identity(self, hcmc: Plan) -> None:
        """The plan is HCMC's, for 2024, sourced from the article."""
        assert (hcmc.id, hcmc.year, hcmc.entity) == ("hcmc-2024", 2024, "ho-chi-minh")
        assert hcmc.provenance.source is Source.SEED
        assert hcmc.provenance.note
        assert hcmc.theme is not None
        assert "98/2023/QH15" in hcmc.theme.vi

    def test_priorities(self, hcmc: Plan) -> None:
        """Four priorities P1–P4 with the article's names, P2 spelled 'Ưu tiên'."""
        assert [(p.id, p.label.vi) for p in hcmc.priorities] == [
            ("P1", "Ưu tiên phát triển dữ liệu số"),
            ("P2", "Ưu tiên quản trị số"),
            ("P3", "Ưu tiên phát triển công nghiệp công nghệ số"),
            ("P4", "Ưu tiên số hóa các ngành kinh tế"),
        ]

    def test_group_counts(self, hcmc: Plan) -> None:
        """Groups declare 3/8/13/7 indicators and list 3/8/6/2."""
        assert [(g.id, g.declared_count, g.listed_count) for g in hcmc.groups] == [
            ("G1", 3, 3),
            ("G2", 8, 8),
            ("G3", 13, 6),
            ("G4", 7, 2),
        ]
        assert hcmc.declared_count == 31

    def test_group_labels(self, hcmc: Plan) -> None:
        """The group names follow the article, with 'an ninh' fixed."""
        assert [g.label.vi for g in hcmc.groups] == [
            "Chỉ tiêu theo Chủ đề công tác năm 2024 của TP",
            "Chỉ tiêu về Chính quyền số",
            "Chỉ tiêu về Kinh tế số và xã hội số",
            "Chỉ tiêu về An toàn an ninh thông tin",
        ]

    def test_indicators(self, hcmc: Plan) -> None:
        """19 indicators are listed, in the article's order."""
        assert [i.id for i in hcmc.indicators] == list(EXPECTED_TARGETS)

    @pytest.mark.parametrize(("indicator_id", "expected"), EXPECTED_TARGETS.items())
    def test_targets(
        self, hcmc: Plan, indicator_id: str, expected: tuple[str, list[float]]
    ) -> None:
        """Each indicator has the article's comparator ('trên' is '>') and values, by 2024."""
        comparator, values = expected
        targets = hcmc.indicator(indicator_id).targets
        assert [t.comparator.value for t in targets] == [comparator] * len(values)
        assert [t.value for t in targets] == values
        assert {t.deadline for t in targets} == {2024}
        assert {t.baseline for t in targets} == {None}

    def test_rank_target(self, hcmc: Plan) -> None:
        """1.1 is rank at most 5 of 63 provinces, in rank."""
        indicator = hcmc.indicator("1.1")
        assert indicator.unit == RANK
        assert indicator.is_rank
        assert indicator.target().comparator is Comparator.RANK_AT_MOST
        assert indicator.target().out_of == 63

    def test_two_parts(self, hcmc: Plan) -> None:
        """2.2 has parts a and b, each labelled."""
        targets = hcmc.indicator("2.2").targets
        assert [t.scope for t in targets] == ["a", "b"]
        assert all(t.scope_label is not None for t in targets)

    def test_three_levels(self, hcmc: Plan) -> None:
        """2.7 has city, district and commune targets of 70, 60 and 55 %."""
        indicator = hcmc.indicator("2.7")
        assert [(t.scope, t.value) for t in indicator.targets] == [
            ("city", 70),
            ("district", 60),
            ("commune", 55),
        ]
        assert indicator.target("commune").scope_label == Label(vi="Cấp xã", en="Commune level")

    def test_units(self, hcmc: Plan) -> None:
        """Shares name their basis: 1.3 and 3.1 of GRDP, 3.2 of retail sales."""
        assert hcmc.indicator("1.3").unit == Unit.parse("% of GRDP")
        assert hcmc.indicator("3.1").unit == Unit.parse("% của GRDP")
        assert hcmc.indicator("3.2").unit == Unit.parse("% of retail sales")
        assert all(i.unit.is_share for i in hcmc.indicators if i.id != "1.1")

    def test_same_quantity(self, hcmc: Plan) -> None:
        """1.3 and 3.1 measure the same quantity; no other indicator does."""
        measuring = [i.id for i in hcmc.indicators if i.measures == "digital-economy-share"]
        assert measuring == ["1.3", "3.1"]

    def test_tasks(self, hcmc: Plan) -> None:
        """Eleven tasks T01–T11 with the article's names, in order."""
        assert [(t.id, t.label.vi) for t in hcmc.tasks] == [
            ("T01", "Nhận thức số"),
            ("T02", "Thể chế số"),
            ("T03", "Hạ tầng số"),
            ("T04", "Dữ liệu số"),
            ("T05", "Nền tảng số"),
            ("T06", "Nhân lực số"),
            ("T07", "An toàn thông tin mạng"),
            ("T08", "Chính quyền số"),
            ("T09", "Kinh tế số"),
            ("T10", "Xã hội số"),
            ("T11", "Các trụ cột của Đề án Đô thị thông minh"),
        ]

    def test_every_link_is_an_assumption_with_a_reason(self, hcmc: Plan) -> None:
        """The article links nothing, so every link is an assumption that gives its reason."""
        links = [
            link
            for task in hcmc.tasks
            for link in (*task.depends_on, *task.contributes_to, *task.priorities)
        ]
        assert len(links) > 30
        assert {link.provenance.source for link in links} == {Source.ASSUMPTION}
        assert all(len(link.provenance.note.strip()) > 10 for link in links)

    def test_check(self, hcmc: Plan) -> None:
        """check finds no errors and exactly two warnings: the 1.3/3.1 conflict and 12 unlisted."""
        report = check(hcmc)
        assert report.errors == ()
        assert [(f.severity, f.code, f.where) for f in report.findings] == [
            (Severity.WARNING, "conflicting-targets", "$.groups[2].indicators[0]"),
            (Severity.WARNING, "unlisted-indicators", "$.groups"),
        ]
        conflict, unlisted = report.findings
        assert "'3.1' (≥ 25 %) and '1.3'" in conflict.message
        assert "(≥ 22 %)" in conflict.message
        assert unlisted.message.startswith(
            "12 indicators declared but not listed (7 in 'G3', 5 in 'G4')"
        )

    @pytest.mark.parametrize(
        "typo", ["Uuuw", "Uu tiên", "số họa", "quy đinh", "anh ninh", "17/6/2021"]
    )
    def test_no_source_typos(self, hcmc: Plan, typo: str) -> None:
        """No label keeps a typo of the article."""
        assert [text for text in texts(hcmc) if typo in text] == []

    def test_parentheses_balanced(self, hcmc: Plan) -> None:
        """No label keeps the article's stray ')'."""
        assert [t for t in texts(hcmc) if t.count("(") != t.count(")")] == []
        assert ")" not in hcmc.indicator("1.3").label.vi

    def test_decision_date(self, hcmc: Plan) -> None:
        """Decision 41/2011 is dated 2011, as its number says."""
        assert "41/2011/QĐ-UBND ngày 17/6/2011" in hcmc.indicator("2.6").label.vi

    def test_text_is_nfc_and_translated(self, hcmc: Plan) -> None:
        """Every label is NFC and has an English translation."""
        assert all(unicodedata.is_normalized("NFC", text) for text in texts(hcmc))
        assert [label.vi for label in labels(hcmc) if not label.en] == []
