"""Tests for Excel in and out: IndexData, observations and results as .xlsx, tables as published."""

from __future__ import annotations

import csv
import math
import sys
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from dxplan import datasets, indices
from dxplan.errors import DxplanError, FileFormatError, MissingExtraError
from dxplan.formats import _excel
from dxplan.index.data import IndexData
from dxplan.plan.observations import load_observations


def rows(folder: str, name: str) -> list[dict[str, str]]:
    text = resources.files("dxplan").joinpath("data", folder, name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def published_dti_2022(path: Path) -> dict[str, str]:
    """The DTI 2022 top five as dti.gov.vn prints it: a title, a two-row merged header,
    names with prefixes, values as text with a decimal comma, a source note below.

    Returns the header → component id mapping (Vietnamese names of structure_922.csv).
    """
    structure = rows("dti", "structure_922.csv")
    top = rows("dti", "dti_2022_main_indicators_top5.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "DTI 2022"
    last = get_column_letter(2 + len(structure))
    sheet["A1"] = "BẢNG XẾP HẠNG CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP TỈNH NĂM 2022"
    sheet.merge_cells(f"A1:{last}1")
    sheet["A3"], sheet["B3"], sheet["C3"] = "STT", "Tỉnh, thành phố", "Chỉ số chính"
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.merge_cells(f"C3:{last}3")
    for j, row in enumerate(structure, start=3):
        sheet.cell(row=4, column=j, value=row["name_vi"])
    for i, row in enumerate(top, start=5):
        sheet.cell(row=i, column=1, value=i - 4)
        sheet.cell(row=i, column=2, value=row["province"])
        for j, component in enumerate(structure, start=3):
            text = row.get(component["id"])
            sheet.cell(row=i, column=j, value="–" if not text else text.replace(".", ","))
    sheet.cell(row=len(top) + 6, column=1, value="Nguồn: dti.gov.vn/xep-hang-2022")
    book.save(path)
    return {row["name_vi"]: row["id"] for row in structure}


class TestIndexDataExcel:
    def test_bundled_round_trip_is_identical(self, tmp_path: Path) -> None:
        """The bundled DTI 2022 data written to .xlsx reads back equal: ids, names, NaN, source."""
        data = datasets.dti_2022()
        path = data.to_excel(tmp_path / "dti.xlsx")
        assert IndexData.from_excel(path) == data
        assert IndexData.from_excel(path, "data") == data
        assert math.isnan(IndexData.from_excel(path).value("da-nang", "do_thi_thong_minh"))

    def test_a_table_as_published_reads_as_the_bundled_data(self, tmp_path: Path) -> None:
        """Prefixed names, decimal commas, a title row and a merged header give the bundled data."""
        path = tmp_path / "dti-2022.xlsx"
        headers = published_dti_2022(path)
        bundled = datasets.dti_2022()
        read = IndexData.from_excel(
            path,
            "DTI 2022",
            id_column="Tỉnh, thành phố",
            components=headers,
            era=2024,
            source=bundled.source,
        )
        assert read == bundled

    def test_every_unreadable_cell_is_reported_at_its_address(self, tmp_path: Path) -> None:
        """Text, Excel errors, formulas without saved values, booleans and bad ids: all at once."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "S"
        sheet.append(["id", "a", "b"])
        sheet.append(["da-nang", "abc", "1.234"])
        sheet.append(["ha-noi", "=1+1", True])
        sheet.append(["Hà Nội", 1, 2])
        book.save(tmp_path / "bad.xlsx")
        with pytest.raises(FileFormatError) as caught:
            IndexData.from_excel(tmp_path / "bad.xlsx")
        where = [p.where.split(":", 1)[1] for p in caught.value.problems]
        assert where == ["S!B2", "S!C2", "S!B3", "S!C3", "S!A4"]
        messages = [p.message for p in caught.value.problems]
        assert "declare the locale" in messages[1]
        assert "formula (=1+1) with no saved value" in messages[2]
        assert "give era=2024" in messages[4]

    def test_cells_that_make_no_index_data(self, tmp_path: Path) -> None:
        """Cells that read but make no valid IndexData are refused at the sheet, with the reason."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "S"
        sheet.append(["id", "A", "B"])
        sheet.append(["ha-noi", 1.5, 2])
        book.save(tmp_path / "twice.xlsx")
        with pytest.raises(FileFormatError) as caught:
            IndexData.from_excel(tmp_path / "twice.xlsx", components={"A": "x", "B": "x"})
        assert (
            str(caught.value).splitlines()[0]
            == f"{tmp_path / 'twice.xlsx'}: sheet 'S' is not index data"
        )
        assert [(p.where, p.message) for p in caught.value.problems] == [
            (
                f"{tmp_path / 'twice.xlsx'}:S",
                "'components' must be unique ids (this one repeats) (got 'x')",
            )
        ]

    def test_declared_locale(self, tmp_path: Path) -> None:
        """'1.234' stored as text reads as 1234 with locale='vi'."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["id", "a"])
        sheet.append(["da-nang", "1.234"])
        book.save(tmp_path / "vi.xlsx")
        assert IndexData.from_excel(tmp_path / "vi.xlsx", locale="vi").value("da-nang", "a") == 1234

    def test_unknown_province_lists_the_closest(self, tmp_path: Path) -> None:
        """A name the gazetteer does not know is reported with its cell and the closest names."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "S"
        sheet.append(["Tỉnh", "a"])
        sheet.append(["TP. Đà Nẵngg", 1])
        sheet.append(["Quảng Nam", 1])
        book.save(tmp_path / "names.xlsx")
        with pytest.raises(FileFormatError) as caught:
            IndexData.from_excel(tmp_path / "names.xlsx", id_column="Tỉnh", era=2025)
        (first, second) = caught.value.problems
        assert first.where.endswith("S!A2")
        assert "closest: Đà Nẵng (da-nang)" in first.message
        assert second.where.endswith("S!A3")
        assert "merged into Đà Nẵng" in second.message

    def test_no_header(self, tmp_path: Path) -> None:
        """A sheet without the id column in its first rows says what it found."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["x", "y"])
        book.save(tmp_path / "h.xlsx")
        with pytest.raises(FileFormatError, match=r"no row among the first 20 holds \['id'\]"):
            IndexData.from_excel(tmp_path / "h.xlsx")

    def test_never_overwrites_without_force(self, tmp_path: Path) -> None:
        """An existing file is kept unless force=True."""
        data = datasets.dti_2022()
        path = data.to_excel(tmp_path / "d.xlsx")
        with pytest.raises(FileFormatError, match="will not overwrite"):
            data.to_excel(path)
        data.to_excel(path, force=True)

    def test_formula_like_text_is_written_as_text(self, tmp_path: Path) -> None:
        """A name starting with '=' is stored as text, never as a formula."""
        data = IndexData.from_mapping({"a": {"x": 1.0}}, names={"a": "=HYPERLINK(1)"})
        path = data.to_excel(tmp_path / "f.xlsx")
        cell = openpyxl.load_workbook(path)["data"]["B2"]
        assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
        assert IndexData.from_excel(path) == data


class TestRefusals:
    def test_macro_workbook_needs_consent(self, tmp_path: Path) -> None:
        """An .xlsm is refused unless allow_macros=True (and its macros are never run)."""
        data = datasets.dti_2022()
        plain = data.to_excel(tmp_path / "d.xlsx")
        macro = tmp_path / "d.xlsm"
        macro.write_bytes(plain.read_bytes())
        with pytest.raises(FileFormatError, match="macro-enabled workbook"):
            IndexData.from_excel(macro)
        assert IndexData.from_excel(macro, allow_macros=True) == data

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("x.xlsx", b"hello", "not an Excel workbook"),
            ("x.xls", b"\xd0\xcf\x11\xe0", r"Excel 97–2003 \.xls"),
            ("x.ods", b"x", r"expected '\.xlsx'"),
        ],
    )
    def test_not_a_workbook(self, tmp_path: Path, name: str, content: bytes, message: str) -> None:
        """Files that are not .xlsx workbooks are FileFormatErrors, not openpyxl's exceptions."""
        (tmp_path / name).write_bytes(content)
        with pytest.raises(FileFormatError, match=message):
            IndexData.from_excel(tmp_path / name)

    def test_expansion_is_bounded(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A workbook whose parts expand past the limit is refused before it is parsed."""
        path = datasets.dti_2022().to_excel(tmp_path / "d.xlsx")
        monkeypatch.setattr(_excel, "MAX_EXPANDED_BYTES", 100)
        with pytest.raises(FileFormatError, match="expected at most 100 bytes"):
            IndexData.from_excel(path)

    def test_missing_sheet(self, tmp_path: Path) -> None:
        """A sheet that is not there is named with the ones that are."""
        path = datasets.dti_2022().to_excel(tmp_path / "d.xlsx")
        with pytest.raises(FileFormatError, match=r"expected one of \['data', 'README'\]"):
            IndexData.from_excel(path, "nope")

    def test_without_openpyxl(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the extra, the error names it."""
        path = datasets.dti_2022().to_excel(tmp_path / "d.xlsx")
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        with pytest.raises(MissingExtraError, match=r"dxplan\[excel\]"):
            IndexData.from_excel(path)
        assert issubclass(MissingExtraError, DxplanError)


class TestCsvNumbers:
    def test_decimal_comma_csv(self, tmp_path: Path) -> None:
        """A CSV with decimal commas reads; its unambiguous cells settle '1.234' as 1234."""
        path = tmp_path / "vi.csv"
        path.write_text('id,x\nda-nang,"0,9"\nha-noi,"1.234"\nhue,72 %\n', encoding="utf-8")
        data = IndexData.from_csv(path)
        assert data.column("x").tolist() == [0.9, 1234.0, 0.72]

    def test_ambiguous_csv_is_refused_at_its_cell(self, tmp_path: Path) -> None:
        """Only ambiguous numbers and no declared locale: each cell is reported."""
        path = tmp_path / "a.csv"
        path.write_text("id,x\nda-nang,1.234\n", encoding="utf-8")
        with pytest.raises(FileFormatError, match=r"a\.csv:2:x: found '1\.234'; expected"):
            IndexData.from_csv(path)
        assert IndexData.from_csv(path, locale="en").value("da-nang", "x") == 1.234

    def test_mixed_csv_is_refused(self, tmp_path: Path) -> None:
        """A decimal comma and a decimal point in one file are refused."""
        path = tmp_path / "m.csv"
        path.write_text('id,x\na,"0,5"\nb,0.25\n', encoding="utf-8")
        with pytest.raises(FileFormatError, match="mixed number formats"):
            IndexData.from_csv(path)


class TestObservationsCsv:
    def test_names_and_decimal_commas(self, tmp_path: Path) -> None:
        """A CSV with province names (era given) and decimal commas reads to ids and numbers."""
        path = tmp_path / "o.csv"
        path.write_text(
            "entity,indicator,period,value\n"
            '"TP. Hồ Chí Minh",2.1,2022,"18,66 %"\n'
            'Bình Dương,2.1,2022,"1.234,5"\n',
            encoding="utf-8",
        )
        got = [(o.entity, o.value, str(o.unit)) for o in load_observations(path, era=2024)]
        assert got == [("binh-duong", 1234.5, "None"), ("ho-chi-minh", 18.66, "%")]

    def test_ambiguous_value_says_so(self, tmp_path: Path) -> None:
        """Only '1.234' in the value column: refused at its line, naming both readings."""
        path = tmp_path / "o.csv"
        path.write_text("entity,indicator,period,value\nha-noi,2.1,2022,1.234\n", "utf-8")
        with pytest.raises(DxplanError, match=r"o\.csv:2:value: '1\.234': a number that reads"):
            load_observations(path)
        (only,) = load_observations(path, locale="vi")
        assert only.value == 1234.0


class TestObservationsExcel:
    def test_sheet_reads_like_the_csv(self, tmp_path: Path) -> None:
        """Names, decimal commas and a title row: the same values as the plain CSV."""
        csv_path = tmp_path / "o.csv"
        csv_path.write_text(
            "entity,indicator,period,value,unit\n"
            "ho-chi-minh,1.1,2024,1,rank\n"
            "ho-chi-minh,2.1,2022,18.66,%\n"
            "binh-duong,2.1,2022,1234.5,\n",
            encoding="utf-8",
        )
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Số liệu"
        sheet.append(["Số liệu quan sát 2022–2024"])
        sheet.append(["entity", "indicator", "period", "value", "unit"])
        sheet.append(["TP. Hồ Chí Minh", "1.1", 2024, 1, "rank"])
        sheet.append(["TP.HCM", "2.1", 2022, "18,66 %", None])
        sheet.append(["Tỉnh Bình Dương", "2.1", 2022, "1.234,5", None])
        book.save(tmp_path / "o.xlsx")

        def facts(path: Path, **kw: object) -> list[tuple[object, ...]]:
            return [
                (o.entity, o.indicator, o.period, o.value, str(o.unit))
                for o in load_observations(path, **kw)  # type: ignore[arg-type]
            ]

        assert facts(tmp_path / "o.xlsx", era=2024) == facts(csv_path)

    def test_bad_cells_have_sheet_addresses(self, tmp_path: Path) -> None:
        """A value that is not a number is reported at its sheet!cell."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "S"
        sheet.append(["entity", "indicator", "period", "value"])
        sheet.append(["ho-chi-minh", "1.1", 2024, "abc"])
        book.save(tmp_path / "o.xlsx")
        with pytest.raises(DxplanError, match=r"S!D2: 'abc' is not a number"):
            load_observations(tmp_path / "o.xlsx")


class TestResultsExcel:
    def test_index_result_workbook(self, tmp_path: Path) -> None:
        """Ranking, scores and data sheets, then a README with the citation and the source."""
        result = indices.dti_922().evaluate(datasets.dti_2022())
        path = result.to_excel(tmp_path / "r.xlsx")
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["ranking", "scores", "data", "README"]
        ranking = [list(r) for r in book["ranking"].iter_rows(values_only=True)]
        assert ranking[0] == ["rank", "entity", "name", "score"]
        expected = result.to_dict()["ranking"]
        assert isinstance(expected, list)
        assert ranking[1:] == [[r["rank"], r["entity"], r["name"], r["score"]] for r in expected]
        readme = {r[0]: r[1] for r in book["README"].iter_rows(values_only=True)}
        assert readme["index citation"] == indices.DTI_922_CITATION
        assert readme["data source"] == datasets.dti_2022().source

    def test_merged_ranking_workbook(self, tmp_path: Path) -> None:
        """The ranking on the 34 is written with its rules in the README."""
        from dxplan.index.provinces import rerank

        ranking = rerank(indices.dti_922(), datasets.dti_2022())
        path = ranking.to_excel(tmp_path / "m.xlsx")
        book = openpyxl.load_workbook(path)
        first = [list(r) for r in book["ranking"].iter_rows(values_only=True)][1]
        assert first[:3] == [1, "quang-ninh", "Quảng Ninh"]
        readme = {r[0]: r[1] for r in book["README"].iter_rows(values_only=True)}
        assert "equal-weight mean" in str(readme["regrouped"])

    def test_attainment_report_workbook(self, tmp_path: Path) -> None:
        """One sheet per level, rows as AttainmentReport.rows gives them, booleans as booleans."""
        from dxplan import assess, bundled_observations, load_plan

        plan = load_plan("hcmc-2024")
        report = assess(plan, bundled_observations("hcmc-2024", plan))
        path = report.to_excel(tmp_path / "a.xlsx")
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["target", "indicator", "group", "task", "README"]
        sheet = [list(r) for r in book["indicator"].iter_rows(values_only=True)]
        expected = report.rows("indicator")
        assert sheet[0] == list(expected[0])
        assert sheet[1:] == [list(row.values()) for row in expected]
        readme = {r[0]: r[1] for r in book["README"].iter_rows(values_only=True)}
        assert readme["plan"] == "hcmc-2024"
