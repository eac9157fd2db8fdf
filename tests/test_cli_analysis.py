"""The analysis commands: assess, whatif and goal-seek."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from dxplan.cli import main

SOCIETY_PUSH = """\
name = "society push"
index = "dti-922"
data = "dti-2022"

[[edits]]
op = "set"
entity = "ho-chi-minh"
component = "hd_xa_hoi_so"
value = 0.92
"""


class TestAssessCommand:
    """`dxplan assess` on the bundled HCMC plan and observations."""

    def test_json_summary(self) -> None:
        """The JSON summary has 4 met indicators of 5 with data, 12 unknown."""
        result = CliRunner().invoke(main, ["assess", "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert (data["met"], data["with_data"], data["unknown"]) == (4, 5, 12)

    def test_csv_has_a_row_per_target(self) -> None:
        """The CSV form has one row per target: 22 targets of 19 indicators."""
        result = CliRunner().invoke(main, ["assess", "--format", "csv", "--lang", "en"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert len(rows) == 22
        assert {row["indicator"] for row in rows if row["scope"]} == {"2.2", "2.7"}

    def test_as_of_an_earlier_year(self) -> None:
        """As of 2022 the digital economy share (18.66 %) does not meet 1.3's 22 %."""
        result = CliRunner().invoke(main, ["assess", "--as-of", "2022", "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = {row["indicator"]: row for row in json.loads(result.output)["indicators"]}
        assert rows["1.3"]["met"] is False

    def test_missing_fail_is_a_clean_error(self) -> None:
        """--missing fail exits 1 naming targets without data, without a traceback."""
        result = CliRunner().invoke(main, ["assess", "--missing", "fail"])
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert "2.2" in result.output


class TestWhatifCommand:
    """`dxplan whatif` applies a scenario file."""

    def test_society_push_makes_hcmc_first(self, tmp_path: Path) -> None:
        """Raising HCMC's society activity to 0.92 overtakes Đà Nẵng."""
        path = tmp_path / "society.toml"
        path.write_text(SOCIETY_PUSH, encoding="utf-8")
        result = CliRunner().invoke(main, ["whatif", str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert "ho-chi-minh" in result.output
        assert "da-nang" in result.output

    def test_broken_scenario_names_the_place(self, tmp_path: Path) -> None:
        """An edit with a text value is refused with its path in the file."""
        path = tmp_path / "broken.toml"
        path.write_text(SOCIETY_PUSH.replace("0.92", '"high"'), encoding="utf-8")
        result = CliRunner().invoke(main, ["whatif", str(path)])
        assert result.exit_code == 1
        assert "$.edits[0]" in result.output
        assert "Traceback" not in result.output


class TestGoalSeekCommand:
    """`dxplan goal-seek` on the DTI 2022."""

    def test_society_lever_reaches_first(self) -> None:
        """HCMC's society activity must rise by 83.82 / 150 to tie Đà Nẵng."""
        result = CliRunner().invoke(
            main,
            ["goal-seek", "--entity", "ho-chi-minh", "--lever", "hd_xa_hoi_so", "--rank", "1"],
        )
        assert result.exit_code == 0, result.output
        assert "reached" in result.output
        assert "0.9178" in result.output

    def test_exactly_one_goal(self) -> None:
        """Giving no goal is a usage error (exit 2)."""
        result = CliRunner().invoke(
            main, ["goal-seek", "--entity", "ho-chi-minh", "--lever", "hd_xa_hoi_so"]
        )
        assert result.exit_code == 2
        assert "exactly one goal" in result.output


class TestPlotOption:
    """--plot draws a picture beside the usual output."""

    def test_assess_plot_is_a_png(self, tmp_path: Path) -> None:
        """`assess --plot` writes a PNG heat map and refuses to overwrite it."""
        target = tmp_path / "attainment.png"
        runner = CliRunner()
        first = runner.invoke(main, ["assess", "--plot", str(target)])
        assert first.exit_code == 0, first.output
        assert target.read_bytes().startswith(b"\x89PNG")
        second = runner.invoke(main, ["assess", "--plot", str(target)])
        assert second.exit_code == 1
        assert "will not overwrite" in second.output

    def test_graph_plot_is_an_svg(self, tmp_path: Path) -> None:
        """`graph --plot` writes an SVG whose text keeps the Vietnamese labels."""
        target = tmp_path / "graph.svg"
        result = CliRunner().invoke(main, ["graph", "--format", "dot", "--plot", str(target)])
        assert result.exit_code == 0, result.output
        assert "Hạ tầng số" in target.read_text(encoding="utf-8")

    def test_other_suffixes_are_usage_errors(self, tmp_path: Path) -> None:
        """A .jpg name is refused before any work (exit 2)."""
        result = CliRunner().invoke(main, ["assess", "--plot", str(tmp_path / "a.jpg")])
        assert result.exit_code == 2
        assert not (tmp_path / "a.jpg").exists()


class TestRankCommand:
    """`dxplan rank` scores and ranks a data set."""

    def test_dti_2022_ranking_as_csv(self) -> None:
        """The recomputed DTI 2022 top five are in the published order."""
        result = CliRunner().invoke(main, ["rank", "dti-2022", "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert [row["entity"] for row in rows] == [
            "da-nang",
            "ho-chi-minh",
            "quang-ninh",
            "thua-thien-hue",
            "can-tho",
        ]

    def test_explain_names_the_gap(self) -> None:
        """--explain gives HCMC's gap to Đà Nẵng in points."""
        result = CliRunner().invoke(
            main, ["rank", "dti-2022", "--explain", "ho-chi-minh", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        explain = json.loads(result.output)["explain"]
        assert round(explain["gap_to_above"], 3) == 83.82

    def test_unknown_data_set_is_a_clean_error(self) -> None:
        """An unknown data name exits 1 without a traceback."""
        result = CliRunner().invoke(main, ["rank", "dti-1999"])
        assert result.exit_code == 1
        assert "dti-1999" in result.output
        assert "Traceback" not in result.output


class TestUncertaintyCommand:
    """`dxplan uncertainty` runs a seeded Monte Carlo."""

    def test_seeded_runs_agree(self) -> None:
        """Two runs with the same seed print the same JSON."""
        args = ["uncertainty", "dti-2022", "--draws", "200", "--seed", "7", "--format", "json"]
        first = CliRunner().invoke(main, args)
        second = CliRunner().invoke(main, args)
        assert first.exit_code == 0, first.output
        assert first.output == second.output

    def test_zero_noise_keeps_the_nominal_ranks(self) -> None:
        """With no weight noise every draw gives the nominal rank."""
        result = CliRunner().invoke(
            main,
            ["uncertainty", "dti-2022", "--draws", "50", "--noise", "0", "--format", "json"],
        )
        assert result.exit_code == 0, result.output
        for row in json.loads(result.output)["entities"]:
            assert row["q05"] == row["q95"] == row["nominal"]
