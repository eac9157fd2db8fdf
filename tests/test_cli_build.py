"""`dxplan build` and `dxplan rank` on panels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import dxplan as dx
from dxplan import datasets, indices
from dxplan.cli import main

INDEX_FILE = """\
root = "I"
[[nodes]]
id = "LPI"
rule = { kind = "min-max", low = 0, high = 100 }
[[nodes]]
id = "Goods"
rule = { kind = "min-max", low = 0, high = 100 }
[[nodes]]
id = "I"
children = ["LPI", "Goods"]

[[steps]]
step = "impute"
method = "group-mean"
group = "GDPpc_group"
[[steps]]
step = "treat"
"""


class TestBuild:
    """`dxplan build` runs the steps, reports them and ranks."""

    def test_steps_from_index_file(self, tmp_path: Path) -> None:
        """The index file's steps run in order; the ranking matches the library's."""
        path = tmp_path / "small.toml"
        path.write_text(INDEX_FILE, encoding="utf-8")
        out = CliRunner().invoke(main, ["build", "asem", "--index", str(path), "--format", "json"])
        assert out.exit_code == 0, out.output
        report = json.loads(out.output)
        assert [s["step"] for s in report["steps"]] == ["impute", "treat"]
        assert report["steps"][0]["group"] == "GDPpc_group"
        index = indices.load_index(path)
        data = datasets.asem().select(index.components)
        treated = dx.treat(dx.impute(data, "group-mean", group="GDPpc_group").data).data
        expected = index.evaluate(treated).ranking()
        assert [(r["rank"], r["entity"]) for r in report["ranking"]] == [
            (rank, entity) for rank, entity, _ in expected
        ]

    def test_panel_period_and_reference(self) -> None:
        """On the ASEM panel --period picks the year and --reference fixes the goalposts."""
        out = CliRunner().invoke(
            main,
            ["build", "asem-panel", "--period", "2022", "--reference", "2018", "--format", "json"],
        )
        assert out.exit_code == 0, out.output
        got = {r["entity"]: r["rank"] for r in json.loads(out.output)["ranking"]}
        panel = indices.asem().evaluate(datasets.asem_panel(), reference=2018)
        assert got == panel.rank(period=2022)

    def test_table_in_both_languages(self) -> None:
        """The treatment table is shown in English and in Vietnamese with decimal commas."""
        en = CliRunner().invoke(main, ["build", "asem", "--treat", "--lang", "en"])
        vi = CliRunner().invoke(main, ["build", "asem", "--treat", "--lang", "vi"])
        assert en.exit_code == 0, en.output
        assert "Outlier treatment: 18 of 49 columns" in en.output
        assert "2.83 → 1.60" in en.output
        assert "2,83 → 1,60" in vi.output

    def test_bad_step_in_index_file(self, tmp_path: Path) -> None:
        """A bad step is reported with the file and its path, exit 1, no traceback."""
        path = tmp_path / "bad.toml"
        path.write_text(INDEX_FILE.replace('"group-mean"', '"mode"'), encoding="utf-8")
        out = CliRunner().invoke(main, ["build", "asem", "--index", str(path)])
        assert out.exit_code == 1
        assert "$.steps[0].method" in out.output
        assert "Traceback" not in out.output

    def test_treat_overrides_in_index_file(self, tmp_path: Path) -> None:
        """Per-component treatment settings are read, and a bad one is named by its path."""
        from dxplan.index.indices import load_steps
        from dxplan.index.pipeline import Treat

        good = INDEX_FILE + '[steps.overrides.Goods]\nmax_winsorised = 1\ntransform = "none"\n'
        path = tmp_path / "over.toml"
        path.write_text(good, encoding="utf-8")
        treat = load_steps(path)[-1]
        assert isinstance(treat, Treat)
        assert treat.overrides == {"Goods": {"max_winsorised": 1, "transform": None}}
        path.write_text(good.replace("max_winsorised = 1", "max_winsorised = -1"), encoding="utf-8")
        out = CliRunner().invoke(main, ["build", "asem", "--index", str(path)])
        assert out.exit_code == 1
        assert "$.steps[1].overrides.Goods.max_winsorised" in out.output

    def test_period_on_cross_section(self) -> None:
        """--period on data without periods is a usage error (exit 2)."""
        out = CliRunner().invoke(main, ["build", "asem", "--period", "2022"])
        assert out.exit_code == 2


class TestRankPanel:
    """`dxplan rank --period` on a panel."""

    def test_rank_period(self) -> None:
        """The ranking of one year of the panel equals that year evaluated alone."""
        out = CliRunner().invoke(
            main, ["rank", "asem-panel", "--period", "2019", "--format", "json"]
        )
        assert out.exit_code == 0, out.output
        got = {r["entity"]: r["rank"] for r in json.loads(out.output)["ranking"]}
        alone = indices.asem().evaluate(datasets.asem_panel().period(2019))
        assert got == alone.rank()

    def test_explain_since(self) -> None:
        """--explain with --since gives the change between two years, adding up."""
        out = CliRunner().invoke(
            main,
            [
                "rank",
                "asem-panel",
                "--explain",
                "IND",
                "--since",
                "2018",
                "--period",
                "2022",
                "--reference",
                "2018",
                "--format",
                "json",
            ],
        )
        assert out.exit_code == 0, out.output
        change = json.loads(out.output)["change"]
        assert (change["rank_before"], change["rank_after"]) == (32, 24)
        total = sum(c["change"] for c in change["components"] if c["change"] is not None)
        assert abs(total - change["change"]) < 1e-9
        text = CliRunner().invoke(
            main, ["rank", "asem-panel", "--explain", "IND", "--since", "2018", "--lang", "vi"]
        )
        # The root "Index" by its iMeta name.
        assert "India trên Sustainable Connectivity, 2018 → 2022" in text.output

    @pytest.mark.parametrize(
        ("lang", "head", "header"),
        [
            ("en", "India on Sustainable Connectivity: score {score}, rank {rank}/51", "Points"),
            ("vi", "India trên Sustainable Connectivity: điểm số {score}, hạng {rank}/51", "Điểm"),
        ],
    )
    def test_explain_without_a_points_scale(self, lang: str, head: str, header: str) -> None:
        """ASEM's scores run 0–100 and it has no points scale: the score, no "points of 1"."""
        explanation = indices.asem().evaluate(datasets.asem()).explain("IND")
        score = f"{explanation.score:.4f}"
        text = (
            CliRunner()
            .invoke(
                main, ["rank", "asem", "--explain", "IND", "--lang", lang], env={"COLUMNS": "200"}
            )
            .output
        )
        shown = score.replace(".", ",") if lang == "vi" else score
        assert head.format(score=shown, rank=explanation.rank) in text
        assert f" {header} " in text
        assert " of 1 " not in text
        assert " trên 1 " not in text

    def test_unknown_period(self) -> None:
        """A period the data does not have is an error naming the periods."""
        out = CliRunner().invoke(main, ["rank", "asem-panel", "--period", "1999"])
        assert out.exit_code == 1
        assert "2018" in out.output
