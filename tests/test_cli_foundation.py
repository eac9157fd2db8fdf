"""Tests of the foundation commands of the CLI: show, check and report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from dxplan.cli import main
from dxplan.formats.io import plan_from_dict, plan_to_dict, write_plan
from dxplan.plan.model import Link, Plan, Provenance

WIDE = {"COLUMNS": "250", "DXPLAN_LANG": ""}


@pytest.fixture
def broken_file(hcmc: Plan, tmp_path: Path) -> Path:
    """The HCMC plan as JSON with task T01 depending on a task that does not exist."""
    dangling = Link(to="T99", provenance=Provenance.assumption("test"))
    first = attrs.evolve(hcmc.tasks[0], depends_on=[dangling])
    return write_plan(attrs.evolve(hcmc, tasks=[first, *hcmc.tasks[1:]]), tmp_path / "broken.json")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=WIDE)


class TestShow:
    def test_table_in_vietnamese(self) -> None:
        """show prints the plan tree in Vietnamese by default, with declared and listed counts."""
        result = run("show")
        assert result.exit_code == 0, result.output
        assert "Ưu tiên quản trị số" in result.stdout
        assert "Nhóm chỉ tiêu (31 công bố, 19 liệt kê)" in result.stdout
        assert "+ 7 chưa liệt kê (không rõ nội dung)" in result.stdout
        assert "hạng ≤ 5/63 (đến 2024)" in result.stdout
        assert "> 10 % (đến 2024)" in result.stdout

    def test_table_in_english(self) -> None:
        """--lang en prints the English labels and headings."""
        result = run("show", "hcmc-2024", "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "P2  Digital governance" in result.stdout
        assert "Indicator groups (31 declared, 19 listed)" in result.stdout
        assert "City departments: ≥ 70 % (by 2024)" in result.stdout
        assert "Ưu tiên quản trị số" not in result.stdout

    def test_language_from_environment(self) -> None:
        """DXPLAN_LANG chooses the language when --lang is not given."""
        result = CliRunner().invoke(main, ["show"], env={**WIDE, "DXPLAN_LANG": "en"})
        assert "Digital governance" in result.stdout

    def test_json(self, hcmc: Plan) -> None:
        """--format json prints the plan file's data, which reads back as the same plan."""
        result = run("show", "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data == plan_to_dict(hcmc)
        assert plan_from_dict(data) == hcmc
        assert "Ưu tiên quản trị số" in result.stdout

    def test_json_ignores_language(self) -> None:
        """The JSON is the same in either language: it carries both."""
        assert (
            run("show", "--format", "json", "--lang", "en").stdout
            == run("show", "--format", "json").stdout
        )

    def test_plan_file(self, hcmc: Plan, tmp_path: Path) -> None:
        """show reads a plan from a TOML file."""
        path = write_plan(hcmc, tmp_path / "hcmc.toml")
        result = run("show", str(path), "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "Digital governance" in result.stdout

    def test_plan_with_errors(self, broken_file: Path) -> None:
        """show refuses a plan with errors: exit 1 and the error's path on stderr."""
        result = run("show", str(broken_file))
        assert result.exit_code == 1
        assert "$.tasks[0].depends_on[0].to" in result.stderr
        assert "Traceback" not in result.output

    def test_label_with_brackets(self, hcmc: Plan, tmp_path: Path) -> None:
        """A label holding '[/x]' is printed as written, not read as rich markup."""
        data = plan_to_dict(hcmc)
        data["priorities"][0]["label"]["vi"] = "Ưu tiên [bold]dữ liệu[/bold] [/x]"
        path = tmp_path / "brackets.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = run("show", str(path))
        assert result.exit_code == 0, result.output
        assert "P1  Ưu tiên [bold]dữ liệu[/bold] [/x]" in result.stdout

    def test_unknown_language(self) -> None:
        """A language other than vi or en is a usage error."""
        assert run("show", "--lang", "fr").exit_code == 2


class TestCheck:
    def test_hcmc_passes_with_two_warnings(self) -> None:
        """check exits 0 on the HCMC plan and shows the conflict and the unlisted indicators."""
        result = run("check", "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "[conflicting-targets]" in result.stdout
        assert "'3.1' (≥ 25 %) and '1.3'" in result.stdout
        assert "[unlisted-indicators]" in result.stdout
        assert "12 indicators declared but not listed" in result.stdout
        assert result.stdout.count("warning") == 2
        assert "error" not in result.stdout

    def test_vietnamese_headings(self) -> None:
        """In Vietnamese, warnings are 'cảnh báo'."""
        result = run("check")
        assert result.stdout.count("cảnh báo") == 2

    def test_json(self) -> None:
        """--format json lists each finding with severity, code, place and message."""
        result = run("check", "--format", "json")
        assert result.exit_code == 0, result.output
        findings = json.loads(result.stdout)
        assert [(f["severity"], f["code"], f["where"]) for f in findings] == [
            ("warning", "conflicting-targets", "$.groups[2].indicators[0]"),
            ("warning", "unlisted-indicators", "$.groups"),
        ]

    def test_errors_exit_1(self, broken_file: Path) -> None:
        """check exits 1 on a plan with errors and lists them with the warnings."""
        result = run("check", str(broken_file), "--format", "json")
        assert result.exit_code == 1
        findings = json.loads(result.stdout)
        assert [(f["severity"], f["code"], f["where"]) for f in findings] == [
            ("error", "dangling-reference", "$.tasks[0].depends_on[0].to"),
            ("warning", "conflicting-targets", "$.groups[2].indicators[0]"),
            ("warning", "unlisted-indicators", "$.groups"),
        ]

    def test_errors_in_table(self, broken_file: Path) -> None:
        """The table shows the error first, at its path."""
        result = run("check", str(broken_file), "--lang", "en")
        assert result.exit_code == 1
        assert "$.tasks[0].depends_on[0].to" in result.stdout
        assert result.stdout.index("error") < result.stdout.index("warning")

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """A file that is not valid TOML exits 1 with file:line on stderr, no traceback."""
        path = tmp_path / "bad.toml"
        path.write_text('id = "x"\nlabel = \n', encoding="utf-8")
        result = run("check", str(path))
        assert result.exit_code == 1
        assert f"{path}:2" in result.stderr
        assert "Traceback" not in result.output


class TestReport:
    def test_default_report(self) -> None:
        """report exits 0 and shows the plan's overview and its checks."""
        result = run("report", "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "4 priorities · 4 indicator groups · 31 indicators declared" in result.stdout
        assert "Plan checks" in result.stdout
        assert "[unlisted-indicators]" in result.stdout

    def test_json(self, hcmc: Plan) -> None:
        """report --format json holds the plan's counts and its findings."""
        result = run("report", "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["plan"]["id"] == hcmc.id
        assert (data["plan"]["declared"], data["plan"]["listed"]) == (31, 19)
        assert [f["code"] for f in data["findings"]] == [
            "conflicting-targets",
            "unlisted-indicators",
        ]

    @pytest.mark.parametrize("command", ["report", "assess"])
    def test_json_text_in_the_chosen_language(self, command: str) -> None:
        """Codes stay codes; the text fields beside them are in --lang."""
        texts = {}
        for lang in ("vi", "en"):
            data = json.loads(run(command, "--format", "json", "--lang", lang).stdout)
            targets = (data["attainment"] if command == "report" else data)["targets"]
            no_data = next(t for t in targets if t["status"] == "no data")
            texts[lang] = (no_data["status_text"], no_data["gap_text"])
        assert texts == {
            "vi": ("không có dữ liệu", "không có dữ liệu"),
            "en": ("no data", "no data"),
        }


class TestErrors:
    @pytest.mark.parametrize("command", ["show", "check", "report"])
    def test_nonexistent_plan(self, command: str) -> None:
        """An unknown plan exits 1 with the message on stderr and no traceback."""
        result = run(command, "no-such-plan")
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("error: no plan named or found at 'no-such-plan'")
        assert "Traceback" not in result.output

    def test_error_message_with_brackets(self, tmp_path: Path) -> None:
        """An error message holding '[/x]' is printed as written."""
        path = tmp_path / "m.py"
        path.write_text('raise RuntimeError("bad [/x] value")\n', encoding="utf-8")
        result = run("show", str(path))
        assert result.exit_code == 1
        assert "RuntimeError: bad [/x] value" in result.stderr


class TestHelp:
    @pytest.mark.parametrize(("width", "whole"), [(160, True), (80, False)])
    def test_summaries_use_a_wide_terminal(self, width: int, whole: bool) -> None:
        """A wide terminal shows each command's whole summary; 80 columns cut it with '...'."""
        # A real process: click's test runner forces its own width.
        done = subprocess.run(
            [sys.executable, "-c", "from dxplan.cli import main; main()", "--help"],
            env={**os.environ, "COLUMNS": str(width)},
            capture_output=True,
            text=True,
            check=True,
        )
        summary = "Is the plan on track? Attainment per target, indicator, group, task and plan."
        assert (summary in done.stdout) is whole
        assert all(len(line) <= width for line in done.stdout.splitlines())
