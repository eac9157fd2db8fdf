"""The analysis commands: assess, whatif, goal-seek, rank and uncertainty."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner, Result

from dxplan.cli import main
from dxplan.text import Language

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
        """HCMC's society activity must rise by (800.150 − 716.355) / 150 to tie Đà Nẵng's
        published 0.8002 (from 800.150 points on, four decimals)."""
        result = CliRunner().invoke(
            main,
            [
                "goal-seek",
                "--entity",
                "ho-chi-minh",
                "--lever",
                "hd_xa_hoi_so",
                "--rank",
                "1",
                "--lang",
                "en",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "reached" in result.output
        # 0.3590 + 83.795 / 150 = 0.917633, rounded up so that the value shown still reaches
        assert "0.9177" in result.output

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

    def test_a_misspelled_entity_to_explain_is_a_usage_error(self) -> None:
        """--explain names the option, the closest entity and every entity, and exits 2."""
        result = CliRunner().invoke(main, ["rank", "dti-2022", "--explain", "ho-chi-mihn"])
        assert result.exit_code == 2
        assert "Invalid value for --explain: 'ho-chi-mihn' is not one of the entities" in (
            result.output
        )
        assert "did you mean 'ho-chi-minh'?" in result.output
        assert "choose from: da-nang, ho-chi-minh, quang-ninh, thua-thien-hue, can-tho" in (
            result.output
        )

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


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, [*args])


def _table_rows(output: str) -> list[list[str]]:
    """The body rows of a rich table as lists of stripped cells."""
    return [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in output.splitlines()
        if line.startswith("│")
    ]


class TestBundledNames:
    """Bundled indices and data are looked up once, in indices and datasets."""

    def test_scenario_no_longer_resolves_names(self) -> None:
        """dxplan.whatif.scenario has no resolve_index/resolve_data of its own."""
        import dxplan.whatif.scenario

        assert not hasattr(dxplan.whatif.scenario, "resolve_index")
        assert not hasattr(dxplan.whatif.scenario, "resolve_data")

    def test_whatif_reads_a_csv_beside_the_scenario(self, tmp_path: Path) -> None:
        """A relative .csv data file is read from the scenario's folder, with --name-column."""
        (tmp_path / "d.csv").write_text(
            "code,label,chinh_quyen_so,kinh_te_so,xa_hoi_so\n"
            "a,Alpha,0.5,0.5,0.5\nb,Beta,0.6,0.4,0.4\n",
            encoding="utf-8",
        )
        (tmp_path / "s.toml").write_text(
            'name = "s"\nindex = "dti-1726"\ndata = "d.csv"\n'
            '[[edits]]\nop = "set"\nentity = "a"\ncomponent = "xa_hoi_so"\nvalue = 0.1\n',
            encoding="utf-8",
        )
        result = _invoke(
            "whatif", str(tmp_path / "s.toml"), "--id-column", "code", "--name-column", "label"
        )
        assert result.exit_code == 0, result.output
        assert "Alpha" in result.output

    def test_whatif_scenario_naming_nothing_is_a_data_error(self, tmp_path: Path) -> None:
        """A scenario with neither data nor plan exits 1 (a data error), naming the file."""
        (tmp_path / "s.toml").write_text(
            'name = "s"\n[[edits]]\nop = "set"\nentity = "a"\ncomponent = "c"\nvalue = 1\n',
            encoding="utf-8",
        )
        result = _invoke("whatif", str(tmp_path / "s.toml"))
        assert result.exit_code == 1, result.output
        assert "s.toml:$: found neither 'data' nor 'plan'" in result.output
        assert "Traceback" not in result.output

    def test_goal_seek_takes_csv_columns(self, tmp_path: Path) -> None:
        """goal-seek reads a CSV with --id-column, and its index defaults to dti-922."""
        source = tmp_path / "d.csv"
        names = (
            "nhan_thuc_so,the_che_so,ha_tang_so,nhan_luc_so,an_toan_thong_tin_mang,"
            "do_thi_thong_minh,hd_chinh_quyen_so,hd_kinh_te_so,hd_xa_hoi_so"
        )
        source.write_text(
            f"code,{names}\na,0.5,0.5,0.5,0.5,0.5,,0.5,0.5,0.5\n"
            "b,0.55,0.55,0.55,0.55,0.55,,0.55,0.55,0.55\n",
            encoding="utf-8",
        )
        result = _invoke(
            "goal-seek", "--data", str(source), "--id-column", "code", "--entity", "a",
            "--lever", "hd_xa_hoi_so", "--rank", "1", "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["rank_after"] == 1


class TestScoreScale:
    """One score scale over the CLI: the index's own, as `rank` prints it."""

    def test_goal_seek_score_is_on_the_rank_scale(self) -> None:
        """--score 0.8 is reached by HCMC: 0.716355 → 0.8 at the DTI's published 4 decimals."""
        result = _invoke(
            "goal-seek", "--entity", "ho-chi-minh", "--lever", "hd_xa_hoi_so",
            "--score", "0.8", "--lang", "en",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "— reached" in result.output
        assert "0.7164 → 0.8000" in result.output
        assert "Values rounded to 4 decimals, as the data are published;" in result.output
        assert "716.355" not in result.output
        assert "score × 1000 = points of 1000" in result.output

    def test_goal_seek_score_in_points_is_unreachable(self) -> None:
        """--score 800 is out of reach: the scores shown stay on the 0–1 scale."""
        result = _invoke(
            "goal-seek", "--entity", "ho-chi-minh", "--lever", "hd_xa_hoi_so",
            "--score", "800", "--lang", "en",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "not reachable" in result.output
        assert "0.7164 → 0.8125" in result.output  # 0.716355 → 0.812505, as published

    def test_rank_labels_scores_and_points(self) -> None:
        """The ranking says how scores become points; --explain labels its points."""
        result = _invoke("rank", "dti-2022", "--explain", "ho-chi-minh", "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "Score DTI" in result.output
        assert "score × 1000 = points of 1000" in result.output
        assert "716.4 points of 1000 (score 0.7164)" in result.output
        headers = " ".join(line for line in result.output.splitlines() if "┃" in line)
        assert {"Vs", "leader", "(points)"} <= set(headers.split())

    def test_explain_in_vietnamese(self) -> None:
        """--explain speaks Vietnamese by default: points of 1000 and the gap to the leader."""
        result = _invoke("rank", "dti-2022", "--explain", "ho-chi-minh")
        assert result.exit_code == 0, result.output
        flat = " ".join(result.output.split())
        assert "716,4 điểm trên 1000 (điểm số 0,7164), hạng 2/5" in flat
        assert "kém TP. Đà Nẵng 83,8 điểm" in flat


class TestRankDecimals:
    """`rank --decimals` rounds what it prints as it rounds the ties."""

    def test_two_decimals(self) -> None:
        """Two decimals print 0.80, 0.72, 0.70, 0.70, 0.69 ranked 1, 2, 3, 3, 5."""
        result = _invoke("rank", "dti-2022", "--decimals", "2", "--lang", "en")
        assert result.exit_code == 0, result.output
        rows = _table_rows(result.output)
        assert [(r[0], r[2]) for r in rows] == [
            ("1", "0.80"),
            ("2", "0.72"),
            ("3", "0.70"),
            ("3", "0.70"),
            ("5", "0.69"),
        ]

    def test_json_scores_are_rounded(self) -> None:
        """The JSON ranking gives the rounded scores (0.8002, not 0.8001750000000001)."""
        result = _invoke("rank", "dti-2022", "--decimals", "4", "--format", "json")
        assert result.exit_code == 0, result.output
        scores = [row["score"] for row in json.loads(result.output)["ranking"]]
        assert scores == [0.8002, 0.7164, 0.7024, 0.6975, 0.6924]

    def test_more_than_fifteen_is_a_usage_error(self) -> None:
        """--decimals 16 is refused (exit 2)."""
        result = _invoke("rank", "dti-2022", "--decimals", "16")
        assert result.exit_code == 2
        assert "0<=x<=15" in result.output


class TestUncertaintyOptions:
    """Seeds, draws and their wording."""

    def test_negative_seed_is_a_usage_error(self) -> None:
        """--seed -1 exits 2 with a message, not numpy's traceback."""
        result = _invoke("uncertainty", "dti-2022", "--seed", "-1")
        assert result.exit_code == 2
        assert "--seed" in result.output
        assert "Traceback" not in result.output

    def test_library_refuses_a_negative_seed(self) -> None:
        """uncertainty.run raises InvalidValueError for a negative seed."""
        import pytest

        from dxplan import datasets, indices
        from dxplan.errors import InvalidValueError
        from dxplan.whatif import uncertainty

        with pytest.raises(InvalidValueError, match="seed"):
            uncertainty.run(indices.dti_922(), datasets.dti_2022(), draws=5, seed=-1)

    def test_draws_has_help(self) -> None:
        """--draws is explained in the help."""
        result = _invoke("uncertainty", "--help")
        assert "How many random weight sets" in result.output

    def test_one_draw_is_singular_and_flagged(self) -> None:
        """One draw says '1 draw' and notes that the quantiles are rough."""
        result = _invoke("uncertainty", "dti-2022", "--draws", "1", "--seed", "3", "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "ranks over 1 draw," in result.output
        assert "Only 1 draw: the quantiles are rough" in result.output

    def test_rank_quantiles_are_whole_numbers(self) -> None:
        """With few draws, medians and 5 %/95 % quantiles are ranks that occurred."""
        result = _invoke(
            "uncertainty", "dti-2022", "--draws", "6", "--seed", "11", "--noise", "1",
            "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        for row in json.loads(result.output)["entities"]:
            for key in ("median", "q05", "q95"):
                assert float(row[key]).is_integer(), row


class TestAssessYear:
    """`assess --as-of` takes a plausible year."""

    def test_negative_year_is_a_usage_error(self) -> None:
        """--as-of -5 exits 2."""
        result = _invoke("assess", "--as-of", "-5")
        assert result.exit_code == 2
        assert "1900<=x<=2200" in result.output

    def test_1990_is_valid(self) -> None:
        """--as-of 1990 runs (no data yet)."""
        result = _invoke("assess", "--as-of", "1990", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["with_data"] == 0


class TestDefaultIndex:
    """Without --index a bundled data set is ranked by its own index."""

    def test_asem_ranks_with_asem(self) -> None:
        """`rank asem` uses the ASEM index: Germany first."""
        result = _invoke("rank", "asem", "--format", "csv")
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert len(rows) == 51
        assert rows[0]["entity"] == "DEU"

    def test_dti_2020_ranks_with_decision_1726(self) -> None:
        """`rank dti-2020` uses the 2020 index: Đà Nẵng first."""
        result = _invoke("rank", "dti-2020", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["index"] == "DTI 2020 (Decision 1726/QĐ-BTTTT)"

    def test_uncertainty_asem(self) -> None:
        """`uncertainty asem` runs with the ASEM index too."""
        result = _invoke("uncertainty", "asem", "--draws", "5", "--seed", "1", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["index"] == "ASEM Sustainable Connectivity"

    def test_a_mismatched_index_suggests_the_right_one(self) -> None:
        """`rank asem --index dti-922` fails cleanly and says: try --index asem."""
        result = _invoke("rank", "asem", "--index", "dti-922")
        assert result.exit_code == 1
        assert "try --index asem" in result.output
        assert "Traceback" not in result.output


class TestRenderTables:
    """The CLI's tables come from dxplan.render, as the results' own rich forms do."""

    def test_ranking_table_headings_in_both_languages(self) -> None:
        """render.ranking_table labels its columns in Vietnamese or English."""
        from rich.console import Console

        from dxplan import datasets, indices
        from dxplan.render import ranking_table

        result = indices.dti_922().evaluate(datasets.dti_2022())
        cases: tuple[tuple[Language, tuple[str, str]], ...] = (
            ("vi", ("Hạng", "Đơn vị")),
            ("en", ("Rank", "Entity")),
        )
        for lang, words in cases:
            console = Console(record=True, width=100)
            console.print(ranking_table(result, lang=lang))
            text = console.export_text()
            assert all(word in text for word in words)

    def test_names_are_not_markup(self) -> None:
        """A name holding [bold] is printed as written."""
        from rich.console import Console

        from dxplan.index.data import IndexData
        from dxplan.index.model import Aggregate, Index, Leaf
        from dxplan.render import ranking_table

        index = Index(
            root="I",
            nodes=(Leaf(id="a"), Aggregate(id="I", children=("a",), weights=(1.0,))),
        )
        data = IndexData.from_mapping(
            {"x": {"a": 1.0}}, components=("a",), names={"x": "[bold]X[/bold]"}
        )
        console = Console(record=True, width=100)
        console.print(ranking_table(index.evaluate(data)))
        assert "[bold]X[/bold]" in console.export_text()

    def test_rank_table_matches_the_result_rich_form(self) -> None:
        """`rank --lang en` prints the same table as IndexResult.__rich__."""
        from dxplan import datasets, indices
        from dxplan.render import ranking_table

        result = indices.dti_922().evaluate(datasets.dti_2022())
        assert type(result.__rich__()) is type(ranking_table(result))
        output = _invoke("rank", "dti-2022", "--lang", "en").output
        assert "│    2 │ TP. Hồ Chí Minh  │    0.7164 │" in output


class TestWhatifSuffix:
    """`whatif` takes .toml scenarios only."""

    def test_json_scenario_is_refused_by_its_suffix(self, tmp_path: Path) -> None:
        """An empty .json file is refused for its suffix, not as 'not valid TOML'."""
        path = tmp_path / "empty.json"
        path.write_text("", encoding="utf-8")
        result = _invoke("whatif", str(path))
        assert result.exit_code == 1
        assert "a scenario is a .toml file" in result.output
        assert "not valid TOML" not in result.output
