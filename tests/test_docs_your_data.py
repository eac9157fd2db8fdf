"""docs/your-data.md: its worked example runs as written, so it cannot rot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "your-data.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_the_worked_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every python block runs in order in one namespace, its assertions holding."""
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "docs_your_data"}
    for code in blocks:
        exec(compile(code, str(DOC), "exec"), namespace)
    assert (tmp_path / "dti-2022-ranking.xlsx").is_file()
