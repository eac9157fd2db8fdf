"""`dxplan audit`: the statistical audit of an index from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from dxplan import datasets, indices
from dxplan.cli import main
from dxplan.index.audit import audit

RESULT = indices.asem().evaluate(datasets.asem())


class TestAuditCommand:
    """`dxplan audit asem` prints flags, alphas, PCA and effective weights."""

    def test_table(self) -> None:
        """The table names the flagged indicators and every group, in English."""
        result = CliRunner().invoke(main, ["audit", "asem", "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "negative with parent" in result.output
        assert "TBTs" in result.output
        assert "Forest" in result.output
        assert "SusEcFin (5)" in result.output

    def test_json_is_the_library_audit(self) -> None:
        """The JSON carries the same flags and alphas as dxplan.index.audit.audit."""
        result = CliRunner().invoke(main, ["audit", "asem", "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        expected = audit(RESULT)
        assert [(f["kind"], f["node"]) for f in data["flags"]] == [
            (f.kind, f.node) for f in expected.flags
        ]
        assert data["alphas"] == expected.alphas

    def test_csv_has_a_row_per_link(self) -> None:
        """One CSV row per parent–child link, with its flags and the parent's alpha."""
        result = CliRunner().invoke(main, ["audit", "asem", "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert len(rows) == 59
        tbts = next(r for r in rows if r["node"] == "TBTs")
        assert tbts["flags"] == "negative"
        assert float(tbts["parent_alpha"]) == audit(RESULT).alphas["Instit"]

    def test_optimise(self) -> None:
        """--optimise adds balanced weights; a leaf is refused with exit status 1."""
        result = CliRunner().invoke(main, ["audit", "asem", "--optimise", "Index", "-f", "json"])
        assert result.exit_code == 2  # -f is no option: a usage mistake
        result = CliRunner().invoke(
            main, ["audit", "asem", "--optimise", "Index", "--format", "json"]
        )
        optimised = json.loads(result.output)["optimised"]
        r = [c["r"] for c in optimised["children"]]
        assert abs(r[0] - r[1]) < 1e-4
        refused = CliRunner().invoke(main, ["audit", "asem", "--optimise", "LPI"])
        assert refused.exit_code == 1
        assert "'node' must be an aggregate" in refused.output

    def test_plots_never_overwrite(self, tmp_path: Path) -> None:
        """--plot and --heatmap write pictures, and refuse to replace one without --force."""
        plot, heatmap = tmp_path / "weights.png", tmp_path / "corr.svg"
        args = ["audit", "asem", "--plot", str(plot), "--heatmap", str(heatmap)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert plot.read_bytes()[:4] == b"\x89PNG"
        assert b"<svg" in heatmap.read_bytes()[:400]
        again = CliRunner().invoke(main, args)
        assert again.exit_code == 1
        assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0


class TestAuditPanel:
    """On a panel the audit looks at one period, the latest by default."""

    def test_period(self) -> None:
        """--period picks the year; its alphas are that year's."""
        panel = indices.asem().evaluate(datasets.asem_panel())
        result = CliRunner().invoke(
            main, ["audit", "asem-panel", "--period", "2018", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        expected = audit(panel.period(2018)).alphas
        assert json.loads(result.output)["alphas"] == expected

    def test_optimise_needs_own_references(self) -> None:
        """--optimise with pooled references is a usage mistake."""
        result = CliRunner().invoke(
            main, ["audit", "asem-panel", "--reference", "pooled", "--optimise", "Index"]
        )
        assert result.exit_code == 2
        assert "one period with its own references" in result.output
