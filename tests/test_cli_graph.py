"""The `dxplan graph` command."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from dxplan.cli import main


class TestGraphCommand:
    """`dxplan graph` draws and exports the dependency graph."""

    def test_tree_shows_waves_of_tasks(self) -> None:
        """The default tree lists the infrastructure task in the first wave."""
        result = CliRunner().invoke(main, ["graph", "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "T03" in result.output
        assert "Digital infrastructure" in result.output

    def test_impact_reaches_indicators_through_other_tasks(self) -> None:
        """The impact of T03 reaches 3.1 through T05 and T09."""
        result = CliRunner().invoke(main, ["graph", "--impact", "T03", "--format", "json"])
        assert result.exit_code == 0, result.output
        graph = nx.node_link_graph(json.loads(result.output), edges="edges")
        ids = {data["element_id"] for _, data in graph.nodes(data=True)}
        assert {"T03", "T05", "T09", "3.1"} <= ids
        assert "T01" not in ids

    def test_unknown_task_is_a_clean_error(self) -> None:
        """An unknown task id exits 1 with a message and no traceback."""
        result = CliRunner().invoke(main, ["graph", "--impact", "T99"])
        assert result.exit_code == 1
        assert "T99" in result.output
        assert "Traceback" not in result.output

    def test_output_is_written_and_never_overwritten(self, tmp_path: Path) -> None:
        """--output writes a file once; a second run refuses unless --force is given."""
        target = tmp_path / "graph.dot"
        runner = CliRunner()
        first = runner.invoke(main, ["graph", "--format", "dot", "--output", str(target)])
        assert first.exit_code == 0, first.output
        assert target.read_text(encoding="utf-8").startswith("digraph")
        target.write_text("mine", encoding="utf-8")
        second = runner.invoke(main, ["graph", "--format", "dot", "--output", str(target)])
        assert second.exit_code == 1
        assert target.read_text(encoding="utf-8") == "mine"
        forced = runner.invoke(
            main, ["graph", "--format", "dot", "--output", str(target), "--force"]
        )
        assert forced.exit_code == 0
        assert target.read_text(encoding="utf-8").startswith("digraph")

    def test_docs_picture_is_the_cli_output(self) -> None:
        """The Mermaid picture in docs/hcmc_2024.md is what the CLI prints today."""
        result = CliRunner().invoke(main, ["graph", "--format", "mermaid", "--lang", "en"])
        doc = (Path(__file__).parents[1] / "docs" / "hcmc_2024.md").read_text(encoding="utf-8")
        block = doc.split("```mermaid\n", 1)[1].split("```", 1)[0]
        assert block == result.output
