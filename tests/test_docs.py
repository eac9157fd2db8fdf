"""The documentation builds, and its generated parts match the code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


class TestDocs:
    """docs/ is part of the product: it must build and tell the truth."""

    def test_site_builds_strictly(self, tmp_path: Path) -> None:
        """`mkdocs build --strict` finishes without a warning."""
        pytest.importorskip("mkdocs")
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "index.html").is_file()

    def test_cli_page_is_the_cli_help(self) -> None:
        """docs/cli.md is what `python tools/cli_reference.py` prints today."""
        sys.path.insert(0, str(ROOT / "tools"))
        try:
            from cli_reference import reference
        finally:
            sys.path.remove(str(ROOT / "tools"))
        assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference()
