"""docs/building.md: its Python examples run as written, and its figures are the library's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import dxplan as dx

DOC = Path(__file__).resolve().parents[1] / "docs" / "building.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


class TestBuildingPage:
    """The page's examples and numbers."""

    def test_examples_run_in_order(self) -> None:
        """Every python block runs, each in the namespace the earlier ones left."""
        namespace: dict[str, Any] = {"__name__": "docs_building_example"}
        for code in BLOCK.findall(DOC.read_text(encoding="utf-8")):
            exec(compile(code, str(DOC), "exec"), namespace)
        assert namespace["imputed"].count == 63
        assert namespace["change"].change == pytest.approx(5.51, abs=0.005)

    def test_treatment_table(self) -> None:
        """The table of treated ASEM indicators is what dx.treat reports."""
        text = DOC.read_text(encoding="utf-8")
        rows = re.findall(
            r"^\| (\w+) \| ([−\d.]+) → ([−\d.]+) \| [\d.]+ → [\d.]+ \| (\d)", text, re.M
        )
        result = dx.treat(dx.datasets.asem())
        failing = result.table.where(passed_before=False)
        assert len(rows) == len(failing) == 18
        for (name, before, after, points), row in zip(rows, failing, strict=True):
            assert name == row["component"]
            assert float(before.replace("−", "-")) == round(float(row["skew_before"]), 3)  # type: ignore[arg-type]
            assert float(after.replace("−", "-")) == round(float(row["skew_after"]), 3)  # type: ignore[arg-type]
            assert int(points) == row["winsorised"]
        assert result.transformed == ()

    def test_panel_figures(self) -> None:
        """The three countries that rose most, under each reference, as the page says."""
        asem, panel = dx.indices.asem(), dx.datasets.asem_panel()
        fixed = asem.evaluate(panel, reference=2018)
        assert [(c.entity, c.before, c.after) for c in fixed.rank_changes(2018, 2022)[:3]] == [
            ("IND", 32, 24),
            ("FIN", 14, 11),
            ("JPN", 15, 12),
        ]
        own = asem.evaluate(panel)
        assert [(c.entity, c.before, c.after) for c in own.rank_changes(2018, 2022)[:3]] == [
            ("IND", 32, 24),
            ("JPN", 15, 11),
            ("MLT", 35, 32),
        ]
