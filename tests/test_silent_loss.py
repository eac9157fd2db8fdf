"""Nothing a user gave is dropped without a word: each is used, refused, or warned about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dxplan import Label, Link, Plan, Provenance, Task
from dxplan.cli import main
from dxplan.errors import ObservationWarning
from dxplan.plan.attainment import assess
from dxplan.plan.catalogue import load_plan
from dxplan.plan.graph import PlanGraph
from dxplan.plan.observations import Observation, Observations


class TestObservationsForAnotherEntity:
    def test_assess_warns(self) -> None:
        """Values only for Ha Noi, assessed for HCMC: a warning naming both, not a silent 0/19."""
        plan = load_plan("hcmc-2024")
        other = Observations(
            items=(Observation(entity="ha-noi", indicator="2.7", period=2024, value=50),)
        )
        with pytest.warns(
            ObservationWarning,
            match=r"^no observation is for entity 'ho-chi-minh' \(they are for 'ha-noi'\); "
            r"every target of the plan is without data$",
        ):
            report = assess(plan, other)
        assert all(not t.has_data for t in report.targets)

    def test_command_line_shows_the_warning(self, tmp_path: Path) -> None:
        """dxplan assess prints it as a 'warning:' line and still exits 0."""
        path = tmp_path / "obs.csv"
        path.write_text("entity,indicator,period,value\nha-noi,2.7,2024,50\n", encoding="utf-8")
        result = CliRunner().invoke(
            main, ["assess", "--observations", str(path), "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("warning: no observation is for entity 'ho-chi-minh'")

    def test_no_warning_for_the_right_entity(self) -> None:
        """Observations of the plan's own entity give no warning (warnings are errors here)."""
        plan = load_plan("hcmc-2024")
        own = Observations(
            items=(Observation(entity="ho-chi-minh", indicator="2.7", period=2024, value=50),)
        )
        assert assess(plan, own).entity == "ho-chi-minh"


def _dangling_plan() -> Plan:
    seed = Provenance.seed()
    return Plan(
        id="p",
        label=Label(vi="P"),
        tasks=(
            Task(id="T1", label=Label(vi="Một"), contributes_to=(Link(to="9.9", provenance=seed),)),
        ),
    )


class TestDanglingLinksInExports:
    def test_node_link_keeps_them(self) -> None:
        """--format json's node-link data lists the link to an unknown indicator apart."""
        data = PlanGraph.from_plan(_dangling_plan()).to_node_link("en")
        assert data["edges"] == []
        assert data["dangling_links"] == [
            {
                "source": "task:T1",
                "target": "indicator:9.9",
                "relation": "contributes_to",
                "weight": 1.0,
                "provenance": "seed",
                "note": "",
            }
        ]

    def test_other_formats_warn(self, tmp_path: Path) -> None:
        """A drawing format cannot show the link, so the command says so."""
        path = tmp_path / "p.json"
        path.write_text(
            json.dumps(
                {
                    "id": "p",
                    "label": {"vi": "P"},
                    "tasks": [
                        {
                            "id": "T1",
                            "label": {"vi": "Một"},
                            "contributes_to": [{"to": "9.9", "provenance": {"source": "seed"}}],
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        result = CliRunner().invoke(main, ["graph", str(path), "--format", "dot"])
        assert result.exit_code == 0, result.output
        assert result.stderr == (
            "warning: 1 link(s) name an id the plan does not have and are not drawn: "
            "task:T1 → indicator:9.9 (dxplan check lists them; --format json keeps them)\n"
        )
        kept = CliRunner().invoke(main, ["graph", str(path), "--format", "json"])
        assert kept.stderr == ""
        assert json.loads(kept.stdout)["dangling_links"][0]["target"] == "indicator:9.9"
