"""Fuzzing the Excel readers: whatever a sheet holds, IndexData or a DxplanError comes out."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxplan.errors import DxplanError
from dxplan.index.data import IndexData
from dxplan.plan.observations import load_observations

FUZZ = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# What cells of a published sheet hold: numbers, numbers as text either way, names, junk.
cells = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.booleans(),
    st.just(dt.datetime(2024, 1, 1)),
    st.sampled_from(
        ["0,7163", "1.234", "1.234,5", "72 %", "–", "#DIV/0!", "=1+1", "TP. Hồ Chí Minh", "HCMC"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
)
sheets = st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=8)


def _workbook(rows: list[list[object]], header: list[str], folder: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = folder / "fuzz.xlsx"
    book.save(path)
    return path


@FUZZ
@given(sheets, st.sampled_from([None, 2024, 2025]), st.sampled_from([None, "vi", "en"]))
def test_index_data_from_any_sheet(
    rows: list[list[object]], era: int | None, locale: str | None
) -> None:
    """Any cells under an id header give IndexData with finite-or-NaN values, or a DxplanError."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = _workbook(rows, ["id", "a", "b", "c", "d"], Path(folder))
        except ValueError:  # openpyxl refuses some text itself (illegal XML characters)
            return
        try:
            data = IndexData.from_excel(path, era=era, locale=locale)  # type: ignore[arg-type]
        except DxplanError:
            return
        assert all(math.isfinite(v) or math.isnan(v) for v in data.values.ravel())


@FUZZ
@given(sheets, st.sampled_from([None, 2024]))
def test_observations_from_any_sheet(rows: list[list[object]], era: int | None) -> None:
    """Any cells under the observation columns give observations or a DxplanError."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = _workbook(rows, ["entity", "indicator", "period", "value", "unit"], Path(folder))
        except ValueError:
            return
        try:
            load_observations(path, era=era)  # type: ignore[arg-type]
        except DxplanError:
            return
