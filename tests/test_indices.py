"""Tests for the bundled indices and data sets: DTI 922, DTI 1726, ASEM."""

from __future__ import annotations

import csv
import io
import math
import subprocess
import sys
from importlib import resources
from pathlib import Path

import attrs
import pytest

import dxplan as dx
from dxplan import datasets, indices
from dxplan.errors import EvaluationError, InvalidValueError
from dxplan.index._outline import bundled_components
from dxplan.index.aggregators import GeometricMean
from dxplan.index.model import Aggregate
from dxplan.index.ranking import rank
from dxplan.index.rules import MinMax, ZScore

# Points × published main-indicator value, added by hand (max points 100 × 5, 200, 150, 150).
HAND_DTI_2022 = {
    "da-nang": (100 * 1.0 + 100 * 0.9 + 100 * 0.8253 + 100 * 0.8487 + 100 * 0.7578
                + 200 * 0.8575 + 150 * 0.7836 + 150 * 0.5197),  # 800.175 points
    "ho-chi-minh": (100 * 0.8917 + 100 * 0.9 + 100 * 0.8258 + 100 * 0.6267 + 100 * 0.5580
                    + 200 * 0.8406 + 150 * 0.7611 + 150 * 0.3590),  # 716.355 points
    "quang-ninh": (100 * 0.9581 + 100 * 0.9 + 100 * 0.7648 + 100 * 0.6250 + 100 * 0.5382
                   + 200 * 0.8385 + 150 * 0.5904 + 150 * 0.4505),  # 702.445 points
    "thua-thien-hue": (100 * 0.95 + 100 * 0.9 + 100 * 0.6823 + 100 * 0.6794 + 100 * 0.6423
                       + 200 * 0.8262 + 150 * 0.6787 + 150 * 0.3001),  # 697.46 points
    "can-tho": (100 * 0.9 + 100 * 0.8 + 100 * 0.7233 + 100 * 0.7376 + 100 * 0.7226
                + 200 * 0.7325 + 150 * 0.7556 + 150 * 0.2947),  # 692.395 points
}  # fmt: skip


class TestDti922:
    def test_structure(self) -> None:
        """Nine main indicators, smart city at 0 points, pillars of 700, 650 and 650 points."""
        dti = indices.dti_922()
        weights = dti.effective_weights()
        assert len(dti.leaves) == 9
        assert weights["do_thi_thong_minh"] == 0.0
        assert weights["hd_chinh_quyen_so"] == pytest.approx(0.2, rel=1e-15)
        pillars = {n.id: n.points for n in dti.aggregates if n.id != "DTI"}
        assert pillars == {"chinh_quyen_so": 700.0, "kinh_te_so": 650.0, "xa_hoi_so": 650.0}

    def test_pillar_scales_are_marked_as_assumptions(self) -> None:
        """The inferred pillar scales say so on the node."""
        node = indices.dti_922().node("kinh_te_so")
        assert isinstance(node, Aggregate)
        assert node.assumption
        assert "assumption" in node.note

    def test_pillars_overlap(self) -> None:
        """The foundation indicators sit under every pillar."""
        assert set(indices.dti_922().parents("ha_tang_so")) == {
            "DTI",
            "chinh_quyen_so",
            "kinh_te_so",
            "xa_hoi_so",
        }

    def test_citation_is_data(self) -> None:
        """The definition carries its source."""
        assert "922/QĐ-BTTTT" in indices.dti_922().citation

    def test_dti_2022_top_five_by_hand(self) -> None:
        """DTI = Σ points × value / 1000 matches the hand sums (HCMC 716.355 points)."""
        result = indices.dti_922().evaluate(datasets.dti_2022())
        assert HAND_DTI_2022["ho-chi-minh"] == pytest.approx(716.355, abs=1e-9)
        for province, points in HAND_DTI_2022.items():
            assert result.score(province) == pytest.approx(points / 1000, rel=1e-12)

    def test_dti_2022_close_to_published(self) -> None:
        """HCMC's recomputed DTI is within the rounding of the published 0.7163."""
        result = indices.dti_922().evaluate(datasets.dti_2022())
        assert abs(result.score("ho-chi-minh") - 0.7163) < 1e-4

    def test_dti_2022_reproduces_published_ranks_1_to_5(self) -> None:
        """The recomputed top five rank as published."""
        result = indices.dti_922().evaluate(datasets.dti_2022())
        published = datasets.dti_2022_ranking().ranks
        assert result.rank() == {p: published[p] for p in HAND_DTI_2022}

    def test_government_pillar(self) -> None:
        """HCMC's government pillar: (380.22 + 168.12) / 700 points."""
        result = indices.dti_922().evaluate(datasets.dti_2022())
        assert result.score("ho-chi-minh", "chinh_quyen_so") == pytest.approx(
            548.34 / 700, rel=1e-12
        )

    def test_explain_hcmc_in_points(self) -> None:
        """HCMC is 83.82 points behind Đà Nẵng; its society activity trails by 24.1 points."""
        explanation = indices.dti_922().evaluate(datasets.dti_2022()).explain("ho-chi-minh")
        assert explanation.above == "da-nang"
        assert explanation.gap_to_above == pytest.approx(800.175 - 716.355, rel=1e-12)
        gaps = {g.component: g for g in explanation.components}
        assert gaps["hd_xa_hoi_so"].vs_leader == pytest.approx(150 * (0.3590 - 0.5197), rel=1e-9)
        assert "do_thi_thong_minh" not in gaps


class TestDti1726:
    def test_weights(self) -> None:
        """Pillars weigh 400 / 300 / 300 of 1 000 points."""
        assert indices.dti_1726().effective_weights() == pytest.approx(
            {"chinh_quyen_so": 0.4, "kinh_te_so": 0.3, "xa_hoi_so": 0.3}, rel=1e-15
        )

    def test_reproduces_2020_ranks(self) -> None:
        """The 2020 pillar values give the published ranks 1–9 and HCMC's 0.3848."""
        result = indices.dti_1726().evaluate(datasets.dti_2020())
        assert result.rank() == datasets.dti_2020_ranking().ranks
        # 0.4 × 0.4446 + 0.3 × 0.3136 + 0.3 × 0.3764
        assert result.score("ho-chi-minh") == pytest.approx(0.38484, rel=1e-12)


class TestPublishedRanking:
    def test_2022_tie_at_15(self) -> None:
        """Thanh Hóa and Yên Bái share 15th; the next province is 17th."""
        ranking = datasets.dti_2022_ranking()
        assert (ranking.rank("thanh-hoa"), ranking.rank("yen-bai"), ranking.rank("hau-giang")) == (
            15,
            15,
            17,
        )
        assert len(ranking.entries) == 63
        assert ranking.name("yen-bai") == "Yên Bái"

    def test_rank_reproduces_the_published_ranking(self) -> None:
        """Competition ranking of values that tie where the publication ties gives every rank."""
        published = datasets.dti_2022_ranking().ranks
        values = {p: 1 - r / 100 for p, r in published.items()}
        assert rank(values) == published

    def test_unknown_entity(self) -> None:
        """An entity outside the ranking is named."""
        with pytest.raises(InvalidValueError, match="'entity' must be an entity of the ranking"):
            datasets.dti_2022_ranking().rank("atlantis")

    def test_sources(self) -> None:
        """Every bundled data set carries its source."""
        assert "dti.gov.vn" in datasets.dti_2022().source
        assert "dti.gov.vn" in datasets.dti_2022_ranking().source
        assert "letrinhan/vn-dti-provincial" in datasets.dti_2020().source
        assert "COINr" in datasets.asem().source


def _asem_reference() -> dict[str, dict[str, float]]:
    """ASEM scores computed row by row from the raw CSV files, without dxplan's engine."""
    root = resources.files("dxplan").joinpath("data", "asem")
    meta = list(csv.DictReader(io.StringIO(root.joinpath("iMeta.csv").read_text("utf-8"))))
    rows = list(csv.DictReader(io.StringIO(root.joinpath("iData.csv").read_text("utf-8"))))
    indicators = [m for m in meta if m["Type"] == "Indicator"]
    normalised: dict[str, dict[str, float]] = {r["uCode"]: {} for r in rows}
    for m in indicators:
        code, direction = m["iCode"], int(m["Direction"])
        raw = {r["uCode"]: (float(r[code]) * direction if r[code] else math.nan) for r in rows}
        present = [v for v in raw.values() if not math.isnan(v)]
        lo, hi = min(present), max(present)
        for country, v in raw.items():
            normalised[country][code] = (v - lo) / (hi - lo) * 100
    aggregates = sorted((m for m in meta if m["Type"] == "Aggregate"), key=lambda m: m["Level"])
    for scores in normalised.values():
        for agg in aggregates:
            total = weight = 0.0
            for child in meta:
                if child["Parent"] == agg["iCode"] and not math.isnan(scores[child["iCode"]]):
                    total += float(child["Weight"]) * scores[child["iCode"]]
                    weight += float(child["Weight"])
            scores[agg["iCode"]] = total / weight if weight else math.nan
    return normalised


class TestAsem:
    def test_structure(self) -> None:
        """49 indicators, 8 sub-pillars, 2 pillars, 1 index; 51 × 49 data with 63 missing."""
        index, data = indices.asem(), datasets.asem()
        assert (len(index.leaves), len(index.aggregates)) == (49, 11)
        assert data.values.shape == (51, 49)
        assert int(sum(math.isnan(v) for v in data.values.ravel())) == 63
        assert index.node("CO2").direction == -1  # type: ignore[union-attr]

    def test_against_row_by_row_reference(self) -> None:
        """Min-max [0, 100] and arithmetic means at every level match a per-row reference."""
        result = indices.asem().evaluate(datasets.asem())
        expected = _asem_reference()
        for country, scores in expected.items():
            for node, value in scores.items():
                got = result.score(country, node)
                assert got == pytest.approx(value, rel=1e-12, abs=1e-12, nan_ok=True), (
                    country,
                    node,
                )

    def test_other_rule(self) -> None:
        """The rule can be swapped: z-scores give an index centred near zero."""
        result = indices.asem(rule=ZScore()).evaluate(datasets.asem())
        mean = sum(result.scores("Physical").values()) / 51
        assert abs(mean) < 0.2

    def test_geometric_on_min_max_zero_fails_clearly(self) -> None:
        """Min-max puts a zero in every column, which a geometric mean refuses."""
        index = indices.asem(rule=MinMax(low=0, high=100), aggregator=GeometricMean())
        with pytest.raises(EvaluationError, match="geometric mean needs values > 0"):
            index.evaluate(datasets.asem())

    def test_geometric_on_positive_scale(self) -> None:
        """Min-max onto [1, 100] lets the geometric mean through."""
        index = indices.asem(rule=MinMax(low=1, high=100), aggregator=GeometricMean())
        scores = index.evaluate(datasets.asem()).scores()
        assert all(1 <= v <= 100 for v in scores.values())


class TestResolve:
    def test_bundled_names(self) -> None:
        """Bundled indices and data sets are found by their command-line names."""
        assert indices.resolve("dti-922") == indices.dti_922()
        assert datasets.resolve("dti-2022") == datasets.dti_2022()

    def test_files(self, tmp_path: Path) -> None:
        """A .toml index and a .csv data file are read by path."""
        (tmp_path / "i.toml").write_text('root = "a"\n[[nodes]]\nid = "a"\n', encoding="utf-8")
        (tmp_path / "d.csv").write_text("id,name,a\nx,Ex,1\n", encoding="utf-8")
        index = indices.resolve(str(tmp_path / "i.toml"))
        data = datasets.resolve(str(tmp_path / "d.csv"), name_column="name")
        assert index.evaluate(data).scores() == {"x": 1.0}

    def test_unknown(self) -> None:
        """An unknown name lists what is bundled."""
        with pytest.raises(InvalidValueError, match="one of dti-922, dti-1726, asem"):
            indices.resolve("dti-2030")
        with pytest.raises(InvalidValueError, match="one of dti-2022, dti-2020, asem"):
            datasets.resolve("nowhere")


class TestOutline:
    """What ``dxplan check`` knows of a bundled index without building it."""

    @pytest.mark.parametrize("name", sorted(indices.BUNDLED))
    def test_components_are_the_built_index_components(self, name: str) -> None:
        """The outline reads the rows the definition reads: the same components, in order."""
        assert bundled_components(name) == indices.resolve(name).components

    def test_other_names_have_no_outline(self) -> None:
        """A file or an unknown name is left to the full loader."""
        assert bundled_components("my-index.toml") is None
        assert bundled_components("dti-2030") is None

    def test_loading_a_plan_builds_no_index(self) -> None:
        """load_plan checks the HCMC plan's drives without importing the index engine."""
        code = (
            "import sys, dxplan as dx\n"
            "dx.load_plan('hcmc-2024')\n"
            "print('dxplan.index.model' in sys.modules)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "False"

    def test_a_drive_of_no_component_is_still_found(self) -> None:
        """check still names the components of the bundled index it did not build."""
        plan = dx.load_plan("hcmc-2024")
        n, task = next((n, t) for n, t in enumerate(plan.tasks) if t.drives)
        drives = (attrs.evolve(task.drives[0], component="nope"), *task.drives[1:])
        tasks = list(plan.tasks)
        tasks[n] = attrs.evolve(task, drives=drives)
        [finding] = [
            f
            for f in dx.check(attrs.evolve(plan, tasks=tuple(tasks))).findings
            if f.code == "unknown-component"
        ]
        assert finding.where == f"$.tasks[{n}].drives[0].component"
        assert "expected one of: " + ", ".join(indices.dti_922().components) in finding.message


class TestToDict:
    def test_ranking_and_explanation(self) -> None:
        """Results and explanations become JSON-ready plain data; decimals round the scores."""
        result = indices.dti_922().evaluate(datasets.dti_2022())
        data = result.to_dict(decimals=4)
        assert data["ranking"][1] == {  # type: ignore[index]
            "rank": 2,
            "entity": "ho-chi-minh",
            "name": "TP. Hồ Chí Minh",
            "score": 0.7164,
        }
        assert "922/QĐ-BTTTT" in str(data["citation"])
        assert "dti.gov.vn" in str(data["source"])
        explained = result.explain("ho-chi-minh").to_dict()
        assert explained["above"] == "da-nang"
        assert explained["gap_to_above"] == pytest.approx(83.82, rel=1e-9)


class TestResolveCsv:
    def test_only_the_components_asked_for(self, tmp_path: Path) -> None:
        """With components, other columns of the CSV may hold text."""
        path = tmp_path / "d.csv"
        path.write_text("code,group,a\nx,L,1\n", encoding="utf-8")
        data = datasets.resolve(str(path), id_column="code", components=["a"])
        assert data.components == ("a",)
