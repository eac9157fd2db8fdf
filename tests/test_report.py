"""The main report: attainment, DTI context and checks of a plan."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from rich.console import Console

from dxplan import Plan
from dxplan.cli import main
from dxplan.plan.observations import bundled_observations
from dxplan.report import PlanReport, dti_context, plan_report


@pytest.fixture(scope="module")
def report(hcmc: Plan) -> PlanReport:
    return plan_report(hcmc, bundled_observations("hcmc-2024", hcmc))


class TestDtiContext:
    """The DTI 2022 context of the HCMC plan."""

    def test_hcmc_is_second_with_its_points_by_hand(self, report: PlanReport) -> None:
        """HCMC's DTI 2022 is 716.355 points, 83.82 behind Đà Nẵng's 800.175."""
        assert report.dti is not None
        # HCMC: 89.17 + 90 + 82.58 + 62.67 + 55.80 + 0.8406·200 + 0.7611·150 + 0.3590·150
        assert report.dti.explanation.points == pytest.approx(716.355, abs=1e-9)
        assert report.dti.explanation.above == "da-nang"
        assert report.dti.explanation.gap_to_above == pytest.approx(800.175 - 716.355, abs=1e-9)

    def test_rank_indicator_is_scored_from_the_result(self, report: PlanReport) -> None:
        """Indicator 1.1 is observed as rank 2 in 2022, with the index named in its source."""
        assert report.dti is not None
        observation = report.dti.observation
        assert (observation.indicator, observation.period, observation.value) == ("1.1", 2022, 2)
        assert "922" in observation.source

    def test_history_is_the_published_rank_series(self, report: PlanReport) -> None:
        """The DTI rank history of HCMC is 5, 3, 2, 2, 1 for 2020–2024."""
        assert report.dti is not None
        assert [(o.period, o.value) for o in report.dti.history] == [
            (2020, 5),
            (2021, 3),
            (2022, 2),
            (2023, 2),
            (2024, 1),
        ]

    def test_rank_probabilities_under_weight_noise(self, report: PlanReport) -> None:
        """Among five provinces HCMC is surely in the top 5, and never first: Đà Nẵng leads it
        on every weighted component but digital infrastructure (by 0.0005)."""
        assert report.dti is not None
        assert report.dti.p_target == 1.0
        assert report.dti.p_first == 0.0

    def test_no_context_for_an_entity_outside_the_data(self, hcmc: Plan) -> None:
        """A plan for a province outside the published top five gets no DTI context."""
        import attrs

        other = attrs.evolve(hcmc, entity="ha-noi")
        assert dti_context(other, bundled_observations("hcmc-2024", hcmc)) is None


class TestPlanReport:
    """The report joins attainment, the DTI context and the checks."""

    def test_attainment_and_findings(self, report: PlanReport) -> None:
        """The HCMC report has 4 met indicators of 5 with data and no errors."""
        assert report.attainment.met_count == 4
        assert report.attainment.observed_count == 5
        assert report.findings.ok
        assert math.isclose(report.attainment.attainment or 0, 0.96)

    def test_renders_in_both_languages(self, report: PlanReport) -> None:
        """The terminal report names its sections in Vietnamese and in English."""
        for lang, words in (
            ("vi", ("Tổng quan", "Bối cảnh DTI")),
            ("en", ("Overview", "DTI context")),
        ):
            console = Console(record=True, width=120)
            console.print(report.rich(lang))  # type: ignore[arg-type]
            text = console.export_text()
            assert all(word in text for word in words)
            assert "TP. Hồ Chí Minh" in text

    def test_json_is_plain_data(self, report: PlanReport) -> None:
        """The JSON form survives a round trip through json and keeps the DTI ranking."""
        data = json.loads(json.dumps(report.to_dict()))
        assert [row["entity"] for row in data["dti"]["ranking"]][:2] == ["da-nang", "ho-chi-minh"]
        assert data["plan"]["declared"] == 31


class TestReportCommand:
    """`dxplan report` on the bundled plan."""

    def test_default_report_succeeds(self) -> None:
        """The default report exits 0 and shows HCMC's attainment and DTI rank."""
        result = CliRunner().invoke(main, ["report", "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "Plan attainment: 96.0 %" in result.output
        assert "Indicator 1.1 scored from this result: rank 2 (2022)" in result.output
