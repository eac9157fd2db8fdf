"""Panels in files as agencies publish them: Vietnamese numbers in a long CSV, panels in Excel."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from dxplan import datasets, indices, provinces
from dxplan.cli import main
from dxplan.errors import DxplanError, FileFormatError, InvalidValueError
from dxplan.index.data import IndexData, PanelData

# Two provinces over two years; the values as a Vietnamese table writes them, and as numbers.
VI_ROWS = [
    ("ha-noi", "Hà Nội", "2022", "Đồng bằng sông Hồng", "0,7163", "1.234,5", "8.435,7"),
    ("ha-noi", "Hà Nội", "2023", "Đồng bằng sông Hồng", "0,75", "1.300", "8.587,1"),
    ("da-nang", "Đà Nẵng", "2022", "Duyên hải miền Trung", "0,8", "", "1.220,2"),
    ("da-nang", "Đà Nẵng", "2023", "Duyên hải miền Trung", "NA", "987,25", "1.245"),
]
X = {("ha-noi", 2022): 0.7163, ("ha-noi", 2023): 0.75, ("da-nang", 2022): 0.8}
Y = {("ha-noi", 2022): 1234.5, ("ha-noi", 2023): 1300.0, ("da-nang", 2023): 987.25}
POP = {
    ("ha-noi", 2022): 8435.7,
    ("ha-noi", 2023): 8587.1,
    ("da-nang", 2022): 1220.2,
    ("da-nang", 2023): 1245.0,
}


def vi_panel_csv(path: Path) -> Path:
    lines = ["id,ten,nam,vung,x,y,dan_so"]
    lines += [",".join(f'"{cell}"' for cell in row) for row in VI_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected(table: dict[tuple[str, int], float], entity: str, year: int) -> float:
    return table.get((entity, year), math.nan)


class TestVietnamesePanelCsv:
    @pytest.mark.parametrize("locale", [None, "vi"])
    def test_decimal_commas_in_a_long_file(self, tmp_path: Path, locale: str | None) -> None:
        """A long CSV with a period column, an attribute, a denominator and Vietnamese numbers."""
        data = IndexData.from_csv(
            vi_panel_csv(tmp_path / "p.csv"),
            name_column="ten",
            period="nam",
            attributes=["vung"],
            denominators=["dan_so"],
            locale=locale,  # type: ignore[arg-type]
        )
        assert isinstance(data, PanelData)
        assert data.periods == (2022, 2023)
        assert data.entities == ("ha-noi", "da-nang")
        assert data.names == ("Hà Nội", "Đà Nẵng")
        assert data.components == ("x", "y")
        assert data.attributes["vung"] == ("Đồng bằng sông Hồng", "Duyên hải miền Trung")
        assert data.denominators is not None
        for p, year in enumerate((2022, 2023)):
            for i, entity in enumerate(data.entities):
                assert np.array_equal(
                    data.values[p, i],
                    [expected(X, entity, year), expected(Y, entity, year)],
                    equal_nan=True,
                )
                assert data.denominators.values[p, i, 0] == POP[(entity, year)]

    def test_english_declared_reads_the_dots_as_decimals(self, tmp_path: Path) -> None:
        """Declared English, "1.300" is 1.3 and "0,75" is refused at its line and column."""
        with pytest.raises(FileFormatError) as caught:
            IndexData.from_csv(
                vi_panel_csv(tmp_path / "p.csv"), period="nam", attributes=["vung"], locale="en"
            )
        where = {p.where for p in caught.value.problems}
        assert f"{tmp_path / 'p.csv'}:2:x" in where  # "0,7163" cannot be English

    def test_an_ambiguous_panel_is_refused(self, tmp_path: Path) -> None:
        """Only "1.234"-like cells: nothing settles the locale, and the error says which."""
        path = tmp_path / "p.csv"
        path.write_text('id,Time,x\na,2022,"1.234"\na,2023,"5.678"\n', encoding="utf-8")
        with pytest.raises(FileFormatError) as caught:
            IndexData.from_csv(path, period="Time")
        assert "1.234" in str(caught.value)
        assert IndexData.from_csv(path, period="Time", locale="vi").values[:, 0, 0].tolist() == [
            1234.0,
            5678.0,
        ]


class TestPanelExcel:
    def test_asem_panel_round_trips(self, tmp_path: Path) -> None:
        """COINr's ASEM panel (51 × 5 years, groups, denominators) to .xlsx and back, identical."""
        panel = datasets.asem_panel()
        back = IndexData.from_excel(panel.to_excel(tmp_path / "asem.xlsx"))
        assert isinstance(back, PanelData)
        assert back == panel  # entities, periods, values (NaN too), attributes, denominators
        assert back.denominators is not None
        assert back.denominators.components == ("Area", "Energy", "GDP", "Population")

    def test_cross_section_keeps_attributes_and_denominators(self, tmp_path: Path) -> None:
        data = datasets.asem()
        back = IndexData.from_excel(data.to_excel(tmp_path / "asem.xlsx"))
        assert back == data
        assert not isinstance(back, PanelData)

    def test_the_sheet_is_long_with_a_period_column(self, tmp_path: Path) -> None:
        panel = IndexData.from_csv(
            vi_panel_csv(tmp_path / "p.csv"), name_column="ten", period="nam", attributes=["vung"]
        )
        book = openpyxl.load_workbook(panel.to_excel(tmp_path / "p.xlsx"))
        rows = list(book["data"].iter_rows(values_only=True))
        assert rows[0] == ("id", "name", "period", "vung", "x", "y", "dan_so")
        # period-major: 2022's rows, then 2023's; a missing value is an empty cell
        assert rows[1][:3] == ("ha-noi", "Hà Nội", 2022)
        assert rows[2][:5] == ("da-nang", "Đà Nẵng", 2022, "Duyên hải miền Trung", 0.8)
        assert rows[2][5] is None
        assert rows[4][:3] == ("da-nang", "Đà Nẵng", 2023)
        assert rows[4][4] is None

    def test_a_published_long_sheet(self, tmp_path: Path) -> None:
        """A title row, province names, a year column and decimal commas, read as a panel."""
        path = tmp_path / "dti.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet["A1"] = "Chỉ số DTI các năm"
        sheet.append([])
        sheet.append(["Tỉnh, thành phố", "Năm", "Chỉ số"])
        sheet.append(["TP. Hồ Chí Minh", 2022, "0,7163"])
        sheet.append(["Thừa Thiên - Huế", "2022", "0,6"])
        sheet.append(["TP.HCM", 2023, "0,75"])
        book.save(path)
        data = IndexData.from_excel(
            path, id_column="Tỉnh, thành phố", period="Năm", components={"Chỉ số": "dti"}, era=2024
        )
        assert isinstance(data, PanelData)
        assert data.periods == (2022, 2023)
        assert data.entities == ("ho-chi-minh", "thua-thien-hue")
        assert np.array_equal(
            data.values[:, :, 0], [[0.7163, 0.6], [0.75, math.nan]], equal_nan=True
        )

    def test_an_entity_twice_in_a_period_is_named_at_its_cell(self, tmp_path: Path) -> None:
        path = tmp_path / "twice.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "S"
        for row in (["id", "year", "x"], ["a", 2022, 1.0], ["a", 2023, 2.0], ["a", 2022, 3.0]):
            sheet.append(row)
        book.save(path)
        with pytest.raises(FileFormatError) as caught:
            IndexData.from_excel(path, period="year")
        assert [p.where for p in caught.value.problems] == [f"{path}:S!A4"]
        assert "in period 2022 again (first at" in caught.value.problems[0].message

    def test_a_component_named_like_a_fixed_column_is_refused(self, tmp_path: Path) -> None:
        data = PanelData(entities=["a"], components=["Period"], values=[[[1.0]]], periods=[2022])
        with pytest.raises(InvalidValueError, match="named twice"):
            data.to_excel(tmp_path / "x.xlsx")
        assert not (tmp_path / "x.xlsx").exists()


class TestPanelElsewhere:
    def test_regroup_refuses_a_panel(self) -> None:
        panel = PanelData(
            entities=["ha-noi"], components=["x"], values=[[[1.0]], [[2.0]]], periods=[2022, 2023]
        )
        with pytest.raises(DxplanError, match="pick a period"):
            provinces.regroup(panel, "sum")

    def test_rank_an_xlsx_panel(self, tmp_path: Path) -> None:
        """`dxplan rank FILE.xlsx --period-column period --period 2019` ranks that year."""
        panel = datasets.asem_panel()
        path = panel.to_excel(tmp_path / "asem.xlsx")
        run = CliRunner().invoke(
            main,
            [
                "rank", str(path), "--index", "asem", "--period-column", "period",
                "--period", "2019", "--format", "json",
            ],
        )  # fmt: skip
        assert run.exit_code == 0, run.output
        shown = json.loads(run.output)["ranking"]
        expected_ranks = indices.asem().evaluate(panel.period(2019)).rank()
        assert {row["entity"]: row["rank"] for row in shown} == expected_ranks
