"""The tutorial notebook runs from top to bottom."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).parents[1] / "docs" / "notebooks" / "hcmc_whatif.ipynb"


class TestTutorialNotebook:
    """docs/notebooks/hcmc_whatif.ipynb, executed as a reader would."""

    def test_runs_without_error(self) -> None:
        """Every cell runs; the goal-seek cell's own assertion holds; pictures are drawn."""
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3").execute()
        outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert sum("image/png" in o.get("data", {}) for o in outputs) == 3

    def test_is_committed_without_outputs(self) -> None:
        """The committed notebook carries no outputs, so diffs stay readable."""
        nbformat = pytest.importorskip("nbformat")
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
