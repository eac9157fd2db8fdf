"""The command line with Excel workbooks, province names and the 2025 merger."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from dxplan import datasets
from dxplan.cli import main


def published(path: Path) -> None:
    """The DTI 2022 top five with names as published, component ids as headers, decimal commas."""
    data = datasets.dti_2022()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "DTI 2022"
    sheet.append(["Chỉ số chuyển đổi số cấp tỉnh 2022"])
    sheet.append(["Tỉnh, thành phố", *data.components])
    for i, entity in enumerate(data.entities):
        cells = ["" if v != v else repr(float(v)).replace(".", ",") for v in data.values[i]]
        sheet.append([data.name(entity), *cells])
    book.save(path)


class TestDataFromExcel:
    def test_rank_a_dxplan_workbook(self, tmp_path: Path) -> None:
        """A workbook written by dxplan ranks exactly as the bundled data it came from."""
        path = datasets.dti_2022().to_excel(tmp_path / "d.xlsx")
        runner = CliRunner()
        from_file = runner.invoke(
            main, ["rank", str(path), "--index", "dti-922", "--format", "json"]
        )
        bundled = runner.invoke(main, ["rank", "dti-2022", "--format", "json"])
        assert from_file.exit_code == 0, from_file.output
        assert json.loads(from_file.output) == json.loads(bundled.output)

    def test_rank_a_published_sheet_by_names(self, tmp_path: Path) -> None:
        """--sheet, --era and --id-column read province names; the ranking is the bundled one."""
        path = tmp_path / "p.xlsx"
        published(path)
        args = ["--sheet", "DTI 2022", "--era", "2024", "--id-column", "Tỉnh, thành phố"]
        result = CliRunner().invoke(
            main, ["rank", str(path), "--index", "dti-922", *args, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        got = [(r["rank"], r["entity"]) for r in json.loads(result.output)["ranking"]]
        assert got == [
            (1, "da-nang"),
            (2, "ho-chi-minh"),
            (3, "quang-ninh"),
            (4, "thua-thien-hue"),
            (5, "can-tho"),
        ]

    def test_unreadable_cell_is_reported_without_traceback(self, tmp_path: Path) -> None:
        """A bad cell exits 1 with its sheet!cell address."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "S"
        components = datasets.dti_2022().components
        sheet.append(["id", *components])
        sheet.append(["da-nang", "n/a?", *(0.5 for _ in components[1:])])
        book.save(tmp_path / "b.xlsx")
        result = CliRunner().invoke(main, ["rank", str(tmp_path / "b.xlsx")])
        assert result.exit_code == 1
        assert "S!B2" in result.output
        assert "Traceback" not in result.output

    def test_assess_with_observations_sheet(self, tmp_path: Path) -> None:
        """--observations takes an .xlsx sheet with names matched by --era."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "obs"
        sheet.append(["entity", "indicator", "period", "value", "unit"])
        sheet.append(["TP. Hồ Chí Minh", "1.1", 2024, 1, "rank"])
        book.save(tmp_path / "o.xlsx")
        result = CliRunner().invoke(
            main,
            [
                "assess",
                "--observations",
                str(tmp_path / "o.xlsx"),
                "--sheet",
                "obs",
                "--era",
                "2024",
            ],
        )
        assert result.exit_code == 0, result.output


class TestMergedAndExport:
    def test_rank_merged_json(self) -> None:
        """rank --merged ranks on the 34: Quảng Ninh and Huế rank, the incomplete units do not."""
        result = CliRunner().invoke(main, ["rank", "dti-2022", "--merged", "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)["ranking"]
        assert [(r["rank"], r["id"]) for r in rows[:2]] == [(1, "quang-ninh"), (2, "hue")]
        assert {r["id"] for r in rows[2:]} == {"can-tho", "da-nang", "ho-chi-minh"}
        assert all(r["rank"] is None for r in rows[2:])

    def test_rank_merged_table_in_both_languages(self) -> None:
        """The table names the former units, with a decimal comma in Vietnamese."""
        vi = CliRunner().invoke(main, ["rank", "dti-2022", "--merged", "--lang", "vi"])
        en = CliRunner().invoke(main, ["rank", "dti-2022", "--merged", "--lang", "en"])
        assert "0,7024" in vi.output
        assert "Thừa Thiên Huế (4)" in vi.output
        assert "0.7024" in en.output
        assert "ranked on the 34 units" in en.output

    def test_to_xlsx_never_overwrites(self, tmp_path: Path) -> None:
        """rank --to writes a workbook once; again only with --force."""
        target = tmp_path / "r.xlsx"
        runner = CliRunner()
        first = runner.invoke(main, ["rank", "dti-2022", "--to", str(target)])
        assert first.exit_code == 0, first.output
        assert openpyxl.load_workbook(target).sheetnames == ["ranking", "scores", "data", "README"]
        again = runner.invoke(main, ["rank", "dti-2022", "--to", str(target)])
        assert again.exit_code == 1
        assert "will not overwrite" in again.output
        forced = runner.invoke(main, ["rank", "dti-2022", "--to", str(target), "--force"])
        assert forced.exit_code == 0

    def test_to_needs_xlsx(self, tmp_path: Path) -> None:
        """--to another suffix is a usage error (exit 2)."""
        result = CliRunner().invoke(main, ["rank", "dti-2022", "--to", str(tmp_path / "r.csv")])
        assert result.exit_code == 2

    def test_export_plan_to_xlsx(self, tmp_path: Path) -> None:
        """export --to FILE.xlsx writes one row per target and per task of the HCMC plan."""
        from dxplan import load_plan

        plan = load_plan("hcmc-2024")
        target = tmp_path / "plan.xlsx"
        result = CliRunner().invoke(main, ["export", "--to", str(target)])
        assert result.exit_code == 0, result.output
        book = openpyxl.load_workbook(target)
        assert book.sheetnames == ["targets", "tasks", "README"]
        targets = list(book["targets"].iter_rows(values_only=True))
        expected = sum(len(i.targets) for g in plan.groups for i in g.indicators)
        assert len(targets) - 1 == expected
        assert len(list(book["tasks"].iter_rows(values_only=True))) - 1 == len(plan.tasks)
        row_27 = [r for r in targets if r[1] == "2.7"]
        assert [r[6] for r in row_27] == [70, 60, 55]
