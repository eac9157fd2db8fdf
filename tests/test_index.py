"""Tests for the index engine: rules, aggregators, IndexData, Index, IndexResult, index files."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

import dxplan
from dxplan.errors import (
    EvaluationError,
    FileFormatError,
    IndexDefinitionError,
    InvalidValueError,
)
from dxplan.index.aggregators import (
    Aggregator,
    ArithmeticMean,
    GeneralisedMean,
    GeometricMean,
    HarmonicMean,
    Minimum,
    WeightedSum,
)
from dxplan.index.data import IndexData
from dxplan.index.indices import index_from_dict, index_to_dict, load_index
from dxplan.index.model import Aggregate, Explanation, Index, IndexResult, Leaf
from dxplan.index.rules import (
    RULES,
    Categories,
    DistanceToMax,
    DistanceToTarget,
    FractionOfMax,
    Goalposts,
    Identity,
    MinMax,
    PercentileRank,
    Rank,
    Ratio,
    Rule,
    Steps,
    ZScore,
)

NAN = math.nan


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def same(got: np.ndarray, expected: Sequence[float]) -> None:
    np.testing.assert_allclose(got, np.array(expected, dtype=np.float64), rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------- rules


class TestIdentity:
    def test_passes_values_through(self) -> None:
        """The identity rule returns the raw values, NaN included."""
        same(Identity().apply(arr(0.25, NAN)), [0.25, NAN])


class TestRatio:
    def test_achieved_over_required_times_points_capped(self) -> None:
        """Three of four required meetings is 15 of 20 points; six of four is capped at 20."""
        same(Ratio(required=4, points=20).apply(arr(3, 6, NAN)), [15, 20, NAN])

    def test_uncapped(self) -> None:
        """Without the cap the ratio may exceed the points."""
        same(Ratio(required=4, points=20, cap=False).apply(arr(6)), [30])

    def test_zero_required_is_refused(self) -> None:
        """A required amount of zero cannot divide."""
        with pytest.raises(InvalidValueError, match=r"^'required' must be non-zero") as info:
            Ratio(required=0)
        assert (info.value.field, info.value.value, info.value.expected) == (
            "required",
            0,
            "non-zero",
        )


class TestSteps:
    def test_thresholds_to_scores(self) -> None:
        """4 meetings → 1, 3 → 0.75, 2.5 → 0.5, 0 → below, NaN stays NaN."""
        rule = Steps(thresholds=(1, 2, 3, 4), scores=(0.25, 0.5, 0.75, 1.0))
        same(rule.apply(arr(4, 3, 2.5, 0, 9, NAN)), [1, 0.75, 0.5, 0, 1, NAN])

    def test_thresholds_must_increase(self) -> None:
        """Thresholds out of order are refused with the values shown."""
        with pytest.raises(
            InvalidValueError,
            match=r"^'thresholds' must be strictly increasing \(got \(2\.0, 1\.0\)\)$",
        ) as info:
            Steps(thresholds=(2, 1), scores=(0.5, 1))
        assert (info.value.field, info.value.value) == ("thresholds", (2.0, 1.0))

    def test_one_score_per_threshold(self) -> None:
        """Scores and thresholds must pair up."""
        with pytest.raises(
            InvalidValueError, match=r"'scores' must be one score per threshold \(2\)"
        ):
            Steps(thresholds=(1, 2), scores=(1,))

    @pytest.mark.parametrize(
        ("thresholds", "field", "value"),
        [
            ((1, math.nan), "thresholds[1]", math.nan),
            ((1, "2"), "thresholds[1]", "2"),
            (3, "thresholds", 3),
        ],
    )
    def test_thresholds_are_finite_numbers(
        self, thresholds: object, field: str, value: object
    ) -> None:
        """A threshold that is NaN or text is refused by its place; a lone number is not a list."""
        with pytest.raises(InvalidValueError) as info:
            Steps(thresholds=thresholds, scores=(0.5, 1))
        assert info.value.field == field
        assert info.value.value is value or (
            value != value and info.value.value != info.value.value
        )


class TestCategories:
    def test_codes_to_scores(self) -> None:
        """Full, half and no points by code."""
        rule = Categories(codes=(2, 1, 0), scores=(1.0, 0.5, 0.0))
        same(rule.apply(arr(2, 0, 1, NAN)), [1, 0, 0.5, NAN])

    def test_unknown_code_is_an_evaluation_error(self) -> None:
        """A code the rule does not know is reported, never scored as zero."""
        with pytest.raises(EvaluationError, match=r"category codes \[3.0\]"):
            Categories(codes=(1, 0), scores=(1, 0)).apply(arr(3, 1))

    def test_repeated_codes_are_refused(self) -> None:
        """Two scores for one code are ambiguous."""
        with pytest.raises(InvalidValueError, match=r"^'codes' must be distinct codes"):
            Categories(codes=(1, 1), scores=(1, 0))


class TestGoalposts:
    def test_scaled_and_truncated(self) -> None:
        """(x − 10)/(20 − 10) × 100, clipped to the posts."""
        same(Goalposts(low=10, high=20, scale=100).apply(arr(15, 5, 25)), [50, 0, 100])

    def test_direction_swaps_posts(self) -> None:
        """With direction −1 the low post scores full marks (COINr n_goalposts)."""
        same(Goalposts(low=10, high=20).apply(arr(12, 20), direction=-1), [0.8, 0])

    def test_posts_in_order(self) -> None:
        """The high post must be above the low post."""
        with pytest.raises(
            InvalidValueError, match=r"^'high' must be greater than 'low' \(1\.0\) \(got 1\.0\)$"
        ):
            Goalposts(low=1, high=1)


class TestDistanceToTarget:
    def test_progress_from_baseline(self) -> None:
        """From baseline 40 to target 70, 55 is half way; beyond is capped."""
        same(DistanceToTarget(target=70, baseline=40).apply(arr(55, 80, 30)), [0.5, 1, 0])

    def test_lower_is_better_when_target_below_baseline(self) -> None:
        """From 10 down to 5, 7.5 is half way."""
        same(DistanceToTarget(target=5, baseline=10).apply(arr(7.5)), [0.5])


class TestMinMax:
    def test_onto_interval_ignoring_nan(self) -> None:
        """Min-max onto [0, 100] over the present values."""
        same(MinMax(low=0, high=100).apply(arr(1, 3, NAN, 2)), [0, 100, NAN, 50])

    def test_direction_reverses(self) -> None:
        """Direction −1 multiplies by −1 first, so the smallest raw value scores highest."""
        same(MinMax().apply(arr(1, 3, 2), direction=-1), [1, 0, 0.5])

    def test_no_range_is_nan(self) -> None:
        """A constant column scores NaN, as COINr does, with no warning."""
        same(MinMax().apply(arr(2, 2)), [NAN, NAN])

    def test_block_of_columns(self) -> None:
        """Each column of a block is normalised on its own."""
        got = MinMax().apply(np.array([[1.0, 10.0], [3.0, 20.0]]))
        same(got.ravel(), [0, 0, 1, 1])


class TestZScore:
    def test_sample_sd(self) -> None:
        """Values 1, 2, 3 have mean 2 and sample sd 1, onto mean 10 and sd 2."""
        same(ZScore(mean=10, sd=2).apply(arr(1, 2, 3, NAN)), [8, 10, 12, NAN])

    def test_constant_column_has_no_score(self) -> None:
        """Equal values have no spread, even where their float mean is off by an ulp."""
        value = 0.7
        column = np.full(3, value)
        assert column.sum() / 3 != value  # the rounding that once gave a spurious spread
        same(ZScore().apply(column), [NAN] * 3)

    def test_positive_sd_required(self) -> None:
        """A target sd of zero is refused."""
        with pytest.raises(InvalidValueError, match=r"^'sd' must be positive \(got 0\.0\)$"):
            ZScore(sd=0)


class TestRankRule:
    def test_higher_value_higher_rank_ties_lowest(self) -> None:
        """Rank 1 is the lowest value; ties take the lowest rank (R rank ties 'min')."""
        same(Rank().apply(arr(10, 30, 20, 20, NAN)), [1, 4, 2, 2, NAN])

    def test_block(self) -> None:
        """A block of columns is ranked column by column."""
        same(Rank().apply(np.array([[1.0, 5.0], [2.0, 4.0]])).ravel(), [1, 2, 2, 1])


class TestPercentileRank:
    def test_rank_minus_one_over_n_minus_one(self) -> None:
        """(rank − 1)/(n − 1), as COINr's n_prank."""
        same(PercentileRank().apply(arr(10, 30, 20, 20, NAN)), [0, 1, 1 / 3, 1 / 3, NAN])


class TestFractionOfMax:
    def test_over_max(self) -> None:
        """Each value over the maximum."""
        same(FractionOfMax().apply(arr(2, 4, NAN)), [0.5, 1, NAN])

    def test_lower_is_better_scores_the_best_over_the_value(self) -> None:
        """With direction −1 the lowest value scores 1 and the others min/x: better is higher."""
        same(FractionOfMax().apply(arr(2, 4, 8, NAN), direction=-1), [1, 0.5, 0.25, NAN])
        assert FractionOfMax().response(-1) == -1

    def test_lower_is_better_needs_positive_values(self) -> None:
        """min(x)/x means nothing for a value of 0 or below: an EvaluationError says so."""
        with pytest.raises(EvaluationError, match=r"min\(x\)/x and needs values > 0 \(found 0\)"):
            FractionOfMax().apply(arr(0, 4), direction=-1)

    def test_max_of_zero_scores_nan(self) -> None:
        """A column whose maximum is 0 has no fraction of it: every score is NaN."""
        same(FractionOfMax().apply(arr(0, -2, 0)), [NAN, NAN, NAN])

    def test_max_next_to_zero_scores_nan(self) -> None:
        """A max so near 0 that a score overflows is treated as 0 (hypothesis found this column).

        −1 / 2.22507386e−311 ≈ −4.5e310 is beyond the largest float (≈ 1.8e308).
        """
        tiny = 2.22507386e-311
        assert -1 / tiny < -np.finfo(np.float64).max
        same(FractionOfMax().apply(arr(-1, tiny)), [NAN, NAN])

    def test_lower_is_better_overflow_scores_nan(self) -> None:
        """min(reference)/x beyond the float range (1 / 1e−310) leaves the column unscored."""
        same(FractionOfMax().apply_against(arr(1e-310, 2), arr(1, 2), direction=-1), [NAN, NAN])


class TestResponse:
    @pytest.mark.parametrize(
        ("rule", "direction", "expected"),
        [
            (Identity(), 1, 1),
            (MinMax(), -1, -1),
            (Goalposts(low=0, high=1), -1, -1),
            (DistanceToTarget(target=10, baseline=50), 1, -1),
            (DistanceToTarget(target=50, baseline=10), 1, 1),
            (Ratio(required=-2), 1, -1),
            (Steps(thresholds=(1, 2), scores=(0.5, 1.0)), 1, 1),
            (Steps(thresholds=(1, 2), scores=(0.5, 0.2), below=1.0), 1, -1),
            (Categories(codes=(3, 1, 2), scores=(1.0, 0.0, 0.5)), 1, 1),
            (Categories(codes=(1, 2, 3), scores=(0.5, 1.0, 0.0)), 1, 0),
        ],
    )
    def test_response_follows_the_formula(self, rule: Rule, direction: int, expected: int) -> None:
        """A rule says which way its score moves as the raw value rises (0: no one way)."""
        assert rule.response(direction) == expected


class TestDistanceToMax:
    def test_one_minus_gap_over_range(self) -> None:
        """1 − (max − x)/(max − min)."""
        same(DistanceToMax().apply(arr(2, 4, 3)), [0, 1, 0.5])


class TestRule:
    def test_params_as_in_a_file(self) -> None:
        """A rule lists its parameters as an index file writes them."""
        assert Steps(thresholds=(1, 2), scores=(0.5, 1)).params() == {
            "thresholds": [1.0, 2.0],
            "scores": [0.5, 1.0],
            "below": 0.0,
        }


# --------------------------------------------------------------------------- aggregators


class TestArithmeticMean:
    def test_skips_missing_and_renormalises(self) -> None:
        """(1·1 + 2·4)/(1 + 2) = 3 with the NaN child left out."""
        assert ArithmeticMean().combine(arr(1, NAN, 4), arr(1, 5, 2)) == 3.0

    def test_all_missing_is_nan(self) -> None:
        """No present child gives no score."""
        assert math.isnan(ArithmeticMean().combine(arr(NAN, NAN), arr(1, 1)))


class TestWeightedSum:
    def test_points_times_values(self) -> None:
        """100 × 0.5 + 200 × 0.25 = 100 points."""
        assert WeightedSum().combine(arr(0.5, 0.25), arr(100, 200)) == 100.0

    def test_missing_scales_up(self) -> None:
        """A missing child scales the rest up to the full weight: 0.5 × 300 = 150."""
        assert WeightedSum().combine(arr(0.5, NAN), arr(100, 200)) == 150.0


class TestGeometricMean:
    def test_weighted(self) -> None:
        """(4¹ · 16¹)^(1/2) = 8."""
        assert GeometricMean().combine(arr(4, 16), arr(1, 1)) == pytest.approx(8.0, rel=1e-15)

    def test_non_positive_is_an_error(self) -> None:
        """A zero cannot enter a geometric mean."""
        with pytest.raises(EvaluationError, match=r"geometric mean needs values > 0 \(found 0\)"):
            GeometricMean().combine(arr(0, 1), arr(1, 1))


class TestHarmonicMean:
    def test_weighted(self) -> None:
        """2 / (1/1 + 1/3) = 1.5."""
        assert HarmonicMean().combine(arr(1, 3), arr(1, 1)) == pytest.approx(1.5, rel=1e-15)

    def test_non_positive_is_an_error(self) -> None:
        """A negative value cannot enter a harmonic mean."""
        with pytest.raises(EvaluationError, match="harmonic mean needs values > 0"):
            HarmonicMean().combine(arr(-1, 1), arr(1, 1))


class TestGeneralisedMean:
    def test_quadratic(self) -> None:
        """sqrt((3² + 4²)/2)."""
        got = GeneralisedMean(p=2).combine(arr(3, 4), arr(1, 1))
        assert got == pytest.approx(math.sqrt(12.5), rel=1e-15)

    def test_zero_power_is_refused(self) -> None:
        """p = 0 is the geometric mean, which has its own aggregator."""
        with pytest.raises(
            InvalidValueError,
            match=r"^'p' must be a finite non-zero number; use GeometricMean for p = 0 "
            r"\(got 0\.0\)$",
        ):
            GeneralisedMean(p=0)

    @pytest.mark.parametrize("skip", [1, "yes", None])
    def test_skip_missing_is_true_or_false(self, skip: object) -> None:
        """skip_missing takes True or False only, not 1 or "yes"."""
        with pytest.raises(InvalidValueError, match="'skip_missing' must be true or false") as info:
            GeneralisedMean(p=2, skip_missing=skip)  # type: ignore[arg-type]
        assert info.value.value is skip

    def test_missing_child_is_skipped_by_default(self) -> None:
        """A missing child is skipped and the weights renormalised: sqrt((3² + 4²)/2)."""
        got = GeneralisedMean(p=2).combine(arr(3, NAN, 4), arr(1, 1, 1))
        assert got == pytest.approx(math.sqrt(12.5), rel=1e-15)

    def test_coinr_convention_leaves_no_score(self) -> None:
        """skip_missing=False is COINr's a_genmean (a sum without na.rm): one missing child and
        the node has no score, in the aggregator and in the engine."""
        assert math.isnan(
            GeneralisedMean(p=2, skip_missing=False).combine(arr(3, NAN, 4), arr(1, 1, 1))
        )
        index = Index(
            root="I",
            nodes=(Leaf(id="a"), Leaf(id="b"),
                   Aggregate(id="I", children=("a", "b"),
                             aggregator=GeneralisedMean(p=2, skip_missing=False))),
        )  # fmt: skip
        data = IndexData(entities=["x", "y"], components=["a", "b"], values=[[3, NAN], [3, 4]])
        result = index.evaluate(data)
        assert math.isnan(result.score("x"))
        assert result.score("y") == pytest.approx(math.sqrt(12.5), rel=1e-15)
        draws = dxplan.uncertainty(index, data, draws=2, weight_noise=0.0, seed=0)
        assert np.isnan(draws.scores["I"][:, 0]).all()

    def test_coinr_convention_round_trips_through_a_file(self) -> None:
        """The option is written to, and read from, an index file; the default is left out."""
        agg = {"kind": "generalised-mean", "p": 2, "skip_missing": False}
        raw = {
            "root": "I",
            "nodes": [{"id": "a"}, {"id": "I", "aggregator": agg, "children": ["a"]}],
        }
        node = index_from_dict(raw).node("I")
        assert isinstance(node, Aggregate)
        assert node.aggregator == GeneralisedMean(p=2, skip_missing=False)
        assert index_to_dict(index_from_dict(raw))["nodes"][1]["aggregator"] == agg | {"p": 2.0}


class TestMinimum:
    def test_smallest_present(self) -> None:
        """The minimum ignores missing children."""
        assert Minimum().combine(arr(3, NAN, 2), arr(1, 1, 1)) == 2.0

    def test_zero_weight_takes_no_part(self) -> None:
        """A child with weight 0 is not in the minimum."""
        assert Minimum().combine(arr(3, 1), arr(1, 0)) == 3.0


class TestAggregator:
    def test_params(self) -> None:
        """An aggregator lists its parameters as an index file writes them."""
        assert GeneralisedMean(p=2).params() == {"p": 2.0}


# --------------------------------------------------------------------------- data


class TestIndexData:
    def test_from_mapping_aligns_by_name(self) -> None:
        """Columns follow component names, whatever the order in each row."""
        data = IndexData.from_mapping({"a": {"x": 1, "y": 2}, "b": {"y": 4, "x": 3}})
        same(data.values.ravel(), [1, 2, 3, 4])
        assert data.value("b", "x") == 3.0

    def test_missing_and_none_are_nan(self) -> None:
        """An absent key and None are both missing."""
        data = IndexData.from_mapping({"a": {"x": None}, "b": {"y": 1}})
        assert math.isnan(data.value("a", "x"))
        assert math.isnan(data.value("a", "y"))

    def test_unknown_component_with_explicit_columns(self) -> None:
        """A component outside the given list is refused, not dropped."""
        with pytest.raises(InvalidValueError, match=r"values\['a'\]"):
            IndexData.from_mapping({"a": {"x": 1, "z": 2}}, components=["x"])

    def test_duplicate_entity_is_refused(self) -> None:
        """Entity ids must be unique."""
        with pytest.raises(InvalidValueError, match="'entities' must be unique ids"):
            IndexData(entities=("a", "a"), components=("x",), values=[[1.0], [2.0]])

    def test_shape_must_match(self) -> None:
        """The matrix must be entities × components."""
        with pytest.raises(InvalidValueError, match=r"of shape \(2, 1\)"):
            IndexData(entities=("a", "b"), components=("x",), values=[[1.0, 2.0]])

    def test_denominators_must_be_index_data(self) -> None:
        """Denominators that are not IndexData are refused by name (hypothesis found True)."""
        with pytest.raises(InvalidValueError, match="'denominators' must be an IndexData"):
            IndexData(entities=["a"], components=["c"], values=[[1.0]], denominators=True)  # type: ignore[arg-type]

    def test_imputed_mask_must_have_a_shape(self) -> None:
        """A ragged imputed mask is refused by name, not with numpy's ValueError."""
        with pytest.raises(InvalidValueError, match="'imputed' must be a mask"):
            IndexData(entities=["a"], components=["c"], values=[[1.0]], imputed=[[True], []])

    def test_values_are_read_only(self) -> None:
        """The matrix cannot be changed in place."""
        data = IndexData.from_mapping({"a": {"x": 1.0}})
        with pytest.raises(ValueError, match="read-only"):
            data.values[0, 0] = 2.0

    def test_from_csv(self, tmp_path: Path) -> None:
        """A wide CSV reads by header name, with names and missing cells."""
        path = tmp_path / "d.csv"
        path.write_text("name,y,id,x\nAn,2,a,1\nBe,,b,3\n", encoding="utf-8")
        data = IndexData.from_csv(path, name_column="name", source="test")
        assert data.components == ("y", "x")
        assert data.names == ("An", "Be")
        same(data.values.ravel(), [2, 1, NAN, 3])

    def test_from_csv_reports_every_bad_cell(self, tmp_path: Path) -> None:
        """Bad cells are reported together with file:line:column."""
        path = tmp_path / "d.csv"
        path.write_text("id,x,y\na,one,2\nb,3,two\na,1,1\n", encoding="utf-8")
        with pytest.raises(FileFormatError) as info:
            IndexData.from_csv(path)
        wheres = [p.where.rsplit("/", 1)[-1] for p in info.value.problems]
        assert wheres == ["d.csv:2:x", "d.csv:3:y", "d.csv:4:id"]

    def test_from_csv_missing_component_column(self, tmp_path: Path) -> None:
        """Asking for a component the file lacks names it."""
        path = tmp_path / "d.csv"
        path.write_text("id,x\na,1\n", encoding="utf-8")
        with pytest.raises(FileFormatError, match="no column for component 'y'"):
            IndexData.from_csv(path, components=["x", "y"])

    def test_select_subset_and_with_value(self) -> None:
        """Selections keep names aligned; with_value returns a changed copy."""
        data = IndexData.from_mapping({"a": {"x": 1, "y": 2}, "b": {"x": 3, "y": 4}})
        assert data.select(["y"]).values.tolist() == [[2.0], [4.0]]
        assert data.subset(["b"]).values.tolist() == [[3.0, 4.0]]
        changed = data.with_value("a", "y", 9.0)
        assert (changed.value("a", "y"), data.value("a", "y")) == (9.0, 2.0)

    def test_equality_treats_nan_as_equal(self) -> None:
        """Two data sets with the same missing cells are equal."""
        a = IndexData.from_mapping({"a": {"x": None}})
        assert a == IndexData.from_mapping({"a": {"x": None}})

    def test_to_frame(self) -> None:
        """to_frame gives entities as rows and components as columns."""
        frame = IndexData.from_mapping({"a": {"x": 1.0}}).to_frame()
        assert frame.loc["a", "x"] == 1.0


# --------------------------------------------------------------------------- index


def small_index(aggregator: Aggregator | None = None) -> Index:
    return Index(
        root="I",
        nodes=(
            Leaf(id="a", rule=MinMax(low=0, high=100)),
            Leaf(id="b", rule=MinMax(low=0, high=100), direction=-1),
            Leaf(id="c"),
            Aggregate(id="P", children=("a", "b"), weights=(3, 1)),
            Aggregate(
                id="I",
                children=("P", "c"),
                weights=(1, 1),
                aggregator=aggregator or ArithmeticMean(),
            ),
        ),
    )


SMALL_DATA = IndexData.from_mapping(
    {
        "x": {"a": 1, "b": 2, "c": 10},
        "y": {"a": 2, "b": 1, "c": 60},
        "z": {"a": 3, "b": None, "c": 20},
    }
)


class TestLeaf:
    def test_component_defaults_to_id(self) -> None:
        """A leaf reads the column named like it unless told otherwise."""
        assert Leaf(id="a").component == "a"

    def test_direction_only_for_relative_rules(self) -> None:
        """Direction −1 on an absolute rule is refused with the reason."""
        with pytest.raises(
            InvalidValueError, match=r"^leaf 'a': 'direction' must be 1 for the ratio rule"
        ) as info:
            Leaf(id="a", rule=Ratio(required=2), direction=-1)
        assert (info.value.where, info.value.field, info.value.value) == (
            "leaf 'a'",
            "direction",
            -1,
        )

    def test_direction_values(self) -> None:
        """Direction is 1 or −1."""
        with pytest.raises(
            InvalidValueError, match=r"^leaf 'a': 'direction' must be 1 or -1 \(got 2\)$"
        ):
            Leaf(id="a", direction=2)

    @pytest.mark.parametrize("direction", [True, 1.5, "1", None])
    def test_direction_is_not_a_bool_or_text(self, direction: object) -> None:
        """True is not direction 1, nor is the text "1"."""
        with pytest.raises(InvalidValueError, match="'direction' must be 1 or -1") as info:
            Leaf(id="a", direction=direction)  # type: ignore[arg-type]
        assert info.value.value is direction


class TestAggregate:
    def test_equal_weights_by_default(self) -> None:
        """Without weights every child weighs 1."""
        assert Aggregate(id="P", children=("a", "b")).weights == (1.0, 1.0)

    def test_negative_weight(self) -> None:
        """A negative weight is refused, naming the child."""
        with pytest.raises(
            InvalidValueError,
            match=r"^node 'P': 'weights\[1\]' must be a finite weight >= 0 of child 'b' "
            r"\(got -1\.0\)$",
        ):
            Aggregate(id="P", children=("a", "b"), weights=(1, -1))

    @pytest.mark.parametrize("weight", ["2", True, None])
    def test_text_and_bool_weights(self, weight: object) -> None:
        """The text "2" and True are not weights (they were read as 2.0 and 1.0 before)."""
        with pytest.raises(
            InvalidValueError, match=r"'weights\[0\]' must be a finite weight"
        ) as info:
            Aggregate(id="P", children=("a", "b"), weights=(weight, 1))
        assert info.value.value is weight

    def test_nan_weight(self) -> None:
        """A NaN weight is refused."""
        with pytest.raises(InvalidValueError, match=r"got nan"):
            Aggregate(id="P", children=("a",), weights=(math.nan,))

    def test_all_zero_weights(self) -> None:
        """A node needs at least one positive weight."""
        with pytest.raises(
            InvalidValueError, match=r"^node 'P': 'weights' must be at least one positive weight"
        ):
            Aggregate(id="P", children=("a",), weights=(0,))

    def test_weights_count(self) -> None:
        """One weight per child."""
        with pytest.raises(
            InvalidValueError,
            match=r"'weights' must be one weight per child \(2\) \(got \(1\.0,\)\)$",
        ):
            Aggregate(id="P", children=("a", "b"), weights=(1,))

    def test_repeated_child(self) -> None:
        """A child listed twice is refused."""
        with pytest.raises(
            InvalidValueError,
            match=r"^node 'P': 'children\[1\]' must be a child not already listed "
            r"\(children\[0\]\) \(got 'a'\)$",
        ):
            Aggregate(id="P", children=("a", "a"))

    def test_availability_range(self) -> None:
        """The availability threshold is a share."""
        with pytest.raises(
            InvalidValueError,
            match=r"^node 'P': 'min_availability' must be a number from 0 to 1, or None "
            r"\(got 1\.5\)$",
        ):
            Aggregate(id="P", children=("a",), min_availability=1.5)

    @pytest.mark.parametrize("points", [0, -1, math.inf, True, "5"])
    def test_points_are_a_positive_number(self, points: object) -> None:
        """A node's scale in points is a finite number above 0."""
        with pytest.raises(InvalidValueError, match="'points' must be a finite number > 0") as info:
            Aggregate(id="P", children=("a",), points=points)  # type: ignore[arg-type]
        assert (info.value.where, info.value.field, info.value.value) == (
            "node 'P'",
            "points",
            points,
        )


class TestIndex:
    def test_cycle(self) -> None:
        """A cycle is refused and shown."""
        with pytest.raises(IndexDefinitionError, match="cycle"):
            Index(
                root="I",
                nodes=(
                    Leaf(id="a"),
                    Aggregate(id="I", children=("P",)),
                    Aggregate(id="P", children=("Q", "a")),
                    Aggregate(id="Q", children=("P",)),
                ),
            )

    def test_unreachable_node(self) -> None:
        """A node not under the root is refused with its path."""
        with pytest.raises(
            IndexDefinitionError, match=r"\$\.nodes\[1\]: node 'b' is not reachable"
        ):
            Index(root="I", nodes=(Leaf(id="a"), Leaf(id="b"), Aggregate(id="I", children=("a",))))

    def test_unknown_child(self) -> None:
        """A child that is not a node is refused with its path."""
        with pytest.raises(IndexDefinitionError, match=r"\$\.nodes\[1\]\.children\[1\]"):
            Index(root="I", nodes=(Leaf(id="a"), Aggregate(id="I", children=("a", "zz"))))

    def test_duplicate_id(self) -> None:
        """Two nodes with one id are refused."""
        with pytest.raises(IndexDefinitionError, match=r"\$\.nodes\[1\]\.id: 'a' is already"):
            Index(root="a", nodes=(Leaf(id="a"), Leaf(id="a")))

    def test_unknown_root(self) -> None:
        """The root must be a node."""
        with pytest.raises(IndexDefinitionError, match=r"\$\.root: 'R' is not a node"):
            Index(root="R", nodes=(Leaf(id="a"),))

    def test_effective_weights_multiply_down_the_tree(self) -> None:
        """a: ½ × ¾, b: ½ × ¼, c: ½."""
        assert small_index().effective_weights() == {"a": 0.375, "b": 0.125, "c": 0.5}

    def test_shared_children_add_their_shares(self) -> None:
        """A leaf under two parents adds both shares."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="a"),
                Leaf(id="b"),
                Aggregate(id="P", children=("a", "b")),
                Aggregate(id="Q", children=("a",)),
                Aggregate(id="I", children=("P", "Q")),
            ),
        )
        assert index.effective_weights() == {"a": 0.75, "b": 0.25}

    def test_with_weights(self) -> None:
        """with_weights returns a changed copy."""
        index = small_index().with_weights("P", (1, 1))
        assert index.effective_weights()["a"] == 0.25
        assert small_index().effective_weights()["a"] == 0.375

    def test_evaluate_small(self) -> None:
        """Scores by hand: min-max, direction, renormalised missing value, mean."""
        result = small_index().evaluate(SMALL_DATA)
        # a → 0, 50, 100; b (reversed) → 0, 100, NaN; P = (3a + b)/4 or a when b is missing.
        assert result.scores("P") == {"x": 0.0, "y": 62.5, "z": 100.0}
        assert result.scores() == {"x": 5.0, "y": 61.25, "z": 60.0}
        assert result.rank() == {"x": 3, "y": 1, "z": 2}

    def test_geometric_on_zero_names_node_and_entity(self) -> None:
        """A geometric mean meeting a zero says which node and entity."""
        with pytest.raises(EvaluationError, match=r"node 'I'.*entity 'x' in children \['P'\]"):
            small_index(GeometricMean()).evaluate(SMALL_DATA.with_value("x", "a", 1.5))

    def test_unknown_component_in_data(self) -> None:
        """A column the index does not use is an error unless asked to ignore it."""
        data = IndexData.from_mapping({"x": {"a": 1, "b": 1, "c": 1, "typo": 2}})
        with pytest.raises(EvaluationError, match=r"components \['typo'\] that index"):
            small_index().evaluate(data)
        assert small_index().evaluate(data, extra="ignore").scores("c") == {"x": 1.0}

    def test_missing_component_in_data(self) -> None:
        """A leaf without a column is an error naming it."""
        data = IndexData.from_mapping({"x": {"a": 1, "b": 1}})
        with pytest.raises(EvaluationError, match=r"no column for components \['c'\]"):
            small_index().evaluate(data)

    def test_availability_threshold(self) -> None:
        """Below the threshold a node has no score; at it, it does."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="a"),
                Leaf(id="b"),
                Leaf(id="c"),
                Aggregate(id="I", children=("a", "b", "c"), min_availability=2 / 3),
            ),
        )
        data = IndexData.from_mapping(
            {"x": {"a": 1, "b": 2, "c": None}, "y": {"a": 1, "b": None, "c": None}}
        )
        scores = index.evaluate(data).scores()
        assert scores["x"] == 1.5
        assert math.isnan(scores["y"])

    def test_minimum_and_weighted_sum_side_by_side(self) -> None:
        """Different aggregators on one level each do their own sum."""
        index = Index(
            root="I",
            nodes=(
                Leaf(id="a"),
                Leaf(id="b"),
                Aggregate(id="M", children=("a", "b"), aggregator=Minimum()),
                Aggregate(id="S", children=("a", "b"), weights=(10, 20), aggregator=WeightedSum()),
                Aggregate(id="I", children=("M", "S"), weights=(0, 1)),
            ),
        )
        result = index.evaluate(IndexData.from_mapping({"x": {"a": 0.5, "b": 0.25}}))
        assert (result.score("x", "M"), result.score("x", "S")) == (0.25, 10.0)

    def test_rich_tree(self) -> None:
        """The index renders as a tree with kinds and weights."""
        console = Console(record=True, width=100)
        console.print(small_index())
        text = console.export_text()
        assert "P arithmetic-mean w=1" in text
        assert "b min-max w=1" in text


class TestIndexResult:
    def test_contributions_add_up_to_the_score(self) -> None:
        """Each entity's leaf contributions sum to its root score."""
        result = small_index().evaluate(SMALL_DATA)
        for entity, parts in result.contributions().items():
            assert sum(parts.values()) == pytest.approx(result.score(entity), rel=1e-12)
        assert result.contributions()["z"] == {"a": 50.0, "b": 0.0, "c": 10.0}

    def test_rank_changes(self) -> None:
        """Two results compare rank by rank."""
        before = small_index().evaluate(SMALL_DATA)
        after = small_index().evaluate(SMALL_DATA.with_value("x", "c", 200))
        assert [(c.entity, c.change) for c in before.rank_changes(after)] == [
            ("x", 2),
            ("y", -1),
            ("z", -1),
        ]

    def test_ranking_rows(self) -> None:
        """ranking lists (rank, entity, score) best first."""
        assert small_index().evaluate(SMALL_DATA).ranking()[0] == (1, "y", 61.25)

    def test_unknown_node(self) -> None:
        """Asking for a node that does not exist names it."""
        with pytest.raises(InvalidValueError, match="'node' must be a node of the index"):
            small_index().evaluate(SMALL_DATA).scores("nope")

    def test_to_frame(self) -> None:
        """to_frame has a rank column and one column per node."""
        frame = small_index().evaluate(SMALL_DATA).to_frame()
        assert list(frame.columns) == ["rank", "a", "b", "c", "P", "I"]
        assert frame.loc["y", "rank"] == 1

    def test_rich_table(self) -> None:
        """The result renders as a ranking table."""
        console = Console(record=True, width=80)
        console.print(small_index().evaluate(SMALL_DATA))
        assert "│    1 │ y" in console.export_text()

    def test_order_of_entities_does_not_matter(self) -> None:
        """Reordering the rows gives the same scores per entity."""
        a = small_index().evaluate(SMALL_DATA)
        b = small_index().evaluate(SMALL_DATA.subset(["z", "x", "y"]))
        assert a.scores() == b.scores()


class TestExplanation:
    def test_gaps_in_points(self) -> None:
        """Leader, median and the entity just above, in the root's points."""
        result = small_index().evaluate(SMALL_DATA)
        explanation = result.explain("z")
        assert isinstance(explanation, Explanation)
        assert (explanation.rank, explanation.leader, explanation.above) == (2, "y", "y")
        assert explanation.gap_to_above == pytest.approx(1.25, rel=1e-12)
        by_leaf = {g.component: g for g in explanation.components}
        # Contributions a, b, c: x 0, 0, 5; y 18.75, 12.5, 30; z 50, 0 (missing), 10.
        assert by_leaf["a"].vs_leader == pytest.approx(31.25, rel=1e-12)
        assert by_leaf["c"].vs_leader == pytest.approx(-20.0, rel=1e-12)
        assert by_leaf["a"].vs_median == pytest.approx(31.25, rel=1e-12)
        assert by_leaf["c"].vs_median == pytest.approx(0.0, abs=1e-12)
        assert explanation.strongest(1)[0].component == "a"
        assert explanation.weakest(1)[0].component == "b"

    def test_leader_has_nobody_above(self) -> None:
        """The leader has no entity above it."""
        explanation = small_index().evaluate(SMALL_DATA).explain("y")
        assert (explanation.above, explanation.gap_to_above) == (None, None)

    def test_rich(self) -> None:
        """The explanation renders with points and the gap to the entity above."""
        console = Console(record=True, width=100)
        console.print(small_index().evaluate(SMALL_DATA).explain("z"))
        assert "1.2 points behind y" in console.export_text()


# --------------------------------------------------------------------------- files


TOML_INDEX = """
root = "I"
name = "Small"
[[nodes]]
id = "a"
rule = { kind = "min-max", low = 0, high = 100 }
[[nodes]]
id = "b"
rule = "min-max"
direction = -1
[[nodes]]
id = "I"
aggregator = "arithmetic-mean"
children = ["a", { id = "b", weight = 3 }]
"""


class TestLoadIndex:
    def test_toml(self, tmp_path: Path) -> None:
        """A TOML file defines an index without Python."""
        path = tmp_path / "i.toml"
        path.write_text(TOML_INDEX, encoding="utf-8")
        index = load_index(path)
        assert index.effective_weights() == {"a": 0.25, "b": 0.75}
        assert index.node("a") == Leaf(id="a", rule=MinMax(low=0, high=100))

    def test_json_round_trip(self, tmp_path: Path) -> None:
        """index_to_dict written as JSON loads back equal."""
        path = tmp_path / "i.json"
        path.write_text(json.dumps(index_to_dict(small_index())), encoding="utf-8")
        assert load_index(path) == small_index()

    def test_bad_weight_path(self, tmp_path: Path) -> None:
        """A negative weight names the file, the path, found and expected."""
        path = tmp_path / "i.toml"
        path.write_text(TOML_INDEX.replace("weight = 3", "weight = -3"), encoding="utf-8")
        with pytest.raises(IndexDefinitionError, match=r"cannot read an index definition") as info:
            load_index(path)
        assert [(p.where, p.message) for p in info.value.problems] == [
            (f"{path}:$.nodes[2].children[1].weight", "found -3; expected a finite number >= 0")
        ]

    def test_every_problem_at_once(self) -> None:
        """Several problems are all listed."""
        raw = {
            "root": "I",
            "nodes": [
                {"id": "a", "rule": "min-mix", "colour": 1},
                {
                    "id": "I",
                    "children": ["a"],
                    "aggregator": {"kind": "generalised-mean", "p": "2"},
                },
            ],
        }
        with pytest.raises(IndexDefinitionError) as info:
            index_from_dict(raw, source="x.json")
        kinds = ", ".join(sorted(RULES))
        assert [(p.where, p.message) for p in info.value.problems] == [
            ("x.json:$.nodes[0].rule", f"found 'min-mix'; expected a rule kind: {kinds}"),
            (
                "x.json:$.nodes[0].colour",
                "found an unknown key; expected one of "
                "assumption, component, direction, id, label, note, rule",
            ),
            ("x.json:$.nodes[1].aggregator.p", "found '2'; expected a number"),
        ]

    def test_structural_error_names_file(self) -> None:
        """A cycle found by the Index is reported with the file name."""
        raw = {"root": "I", "nodes": [{"id": "I", "children": ["I"]}]}
        with pytest.raises(
            IndexDefinitionError, match=r"\n  x\.json:\$\.nodes: the nodes form a cycle I → I"
        ) as info:
            index_from_dict(raw, source="x.json")
        assert [p.where for p in info.value.problems] == ["x.json:$.nodes"]

    def test_syntax_error(self, tmp_path: Path) -> None:
        """Invalid JSON is a FileFormatError with line and column."""
        path = tmp_path / "i.json"
        path.write_text('{"root": }', encoding="utf-8")
        with pytest.raises(FileFormatError, match="not valid JSON") as info:
            load_index(path)
        assert info.value.problems[0].where.endswith("i.json:1:10")

    def test_unknown_extension(self, tmp_path: Path) -> None:
        """Only .toml and .json are read; a .py file is never executed."""
        path = tmp_path / "i.py"
        path.write_text("raise SystemExit", encoding="utf-8")
        with pytest.raises(FileFormatError, match=r"expected '\.toml' or '\.json'"):
            load_index(path)


# --------------------------------------------------------------------------- reference


def _ref_rule(rule: Rule, column: list[float], direction: int) -> list[float]:
    """Score one column the slow, obvious way."""
    if isinstance(rule, Identity):
        return column[:]
    if isinstance(rule, Goalposts):
        out = []
        for x in column:
            lo, hi = (rule.low, rule.high) if direction == 1 else (rule.high, rule.low)
            y = (x - lo) / (hi - lo)
            if rule.truncate and not math.isnan(y):
                y = min(max(y, 0.0), 1.0)
            out.append(y * rule.scale)
        return out
    if isinstance(rule, Steps):
        out = []
        for x in column:
            if math.isnan(x):
                out.append(NAN)
                continue
            score = rule.below
            for t, s in zip(rule.thresholds, rule.scores, strict=True):
                if x >= t:
                    score = s
            out.append(score)
        return out
    xs = [x * direction for x in column]
    present = [x for x in xs if not math.isnan(x)]
    if not present:
        return [NAN] * len(xs)
    lo, hi = min(present), max(present)
    if isinstance(rule, MinMax):
        if hi == lo:
            return [NAN] * len(xs)
        return [(x - lo) / (hi - lo) * (rule.high - rule.low) + rule.low for x in xs]
    if isinstance(rule, ZScore):
        if len(present) < 2 or statistics.stdev(present) == 0:
            return [NAN] * len(xs)
        mu, sd = statistics.mean(present), statistics.stdev(present)
        return [(x - mu) / sd * rule.sd + rule.mean for x in xs]
    if isinstance(rule, Rank | PercentileRank):
        ranks = [NAN if math.isnan(x) else 1.0 + sum(1 for y in present if y < x) for x in xs]
        if isinstance(rule, Rank):
            return ranks
        n = len(present)
        return [NAN if n < 2 else (r - 1) / (n - 1) for r in ranks]
    if isinstance(rule, FractionOfMax):
        if direction == -1:
            # Lower is better: the best (lowest) value over the entity's, for values > 0.
            if any(x <= 0 for x in column if not math.isnan(x)):
                raise EvaluationError("domain")
            best = min(x for x in column if not math.isnan(x))
            return [best / x for x in column]
        return [x / hi if hi != 0 else NAN for x in xs]
    if isinstance(rule, DistanceToMax):
        return [1 - (hi - x) / (hi - lo) if hi > lo else NAN for x in xs]
    raise AssertionError(rule)


def _ref_aggregate(agg: Aggregator, values: list[float], weights: Sequence[float]) -> float:
    """Combine one entity's children the slow, obvious way."""
    pairs = [(x, w) for x, w in zip(values, weights, strict=True) if w > 0 and not math.isnan(x)]
    if not pairs:
        return NAN
    if isinstance(agg, Minimum):
        return min(x for x, _ in pairs)
    total = sum(w for _, w in pairs)
    if isinstance(agg, GeometricMean | HarmonicMean) and any(x <= 0 for x, _ in pairs):
        raise EvaluationError("domain")
    if isinstance(agg, GeneralisedMean) and any(x < 0 for x, _ in pairs):
        raise EvaluationError("domain")
    if isinstance(agg, GeometricMean):
        return math.exp(sum(w * math.log(x) for x, w in pairs) / total)
    if isinstance(agg, HarmonicMean):
        return total / sum(w / x for x, w in pairs)
    if isinstance(agg, GeneralisedMean):
        return float((sum(w * x**agg.p for x, w in pairs) / total) ** (1 / agg.p))
    mean = sum(w * x for x, w in pairs) / total
    return mean * sum(weights) if isinstance(agg, WeightedSum) else mean


def reference_scores(index: Index, data: IndexData) -> dict[str, dict[str, float]]:
    """Every node's score for every entity, one entity and one node at a time."""
    leaf_scores: dict[str, list[float]] = {}
    for leaf in index.leaves:
        column = [float(v) for v in data.column(leaf.component)]
        leaf_scores[leaf.id] = _ref_rule(leaf.rule, column, leaf.direction)
    out: dict[str, dict[str, float]] = {}
    for i, entity in enumerate(data.entities):
        memo: dict[str, float] = {}

        def score(node_id: str, i: int = i, memo: dict[str, float] = memo) -> float:
            if node_id not in memo:
                node = index.node(node_id)
                if isinstance(node, Leaf):
                    memo[node_id] = leaf_scores[node_id][i]
                else:
                    values = [score(c) for c in node.children]
                    value = _ref_aggregate(node.aggregator, values, node.weights)
                    live = [v for v, w in zip(values, node.weights, strict=True) if w > 0]
                    share = sum(not math.isnan(v) for v in live) / len(live)
                    if node.min_availability is not None and share < node.min_availability:
                        value = NAN
                    memo[node_id] = value
            return memo[node_id]

        out[entity] = {n.id: score(n.id) for n in index.nodes}
    return out


RULE_CHOICES: list[Rule] = [
    Identity(),
    MinMax(low=0, high=100),
    MinMax(),
    ZScore(mean=10, sd=2),
    Rank(),
    PercentileRank(),
    FractionOfMax(),
    DistanceToMax(),
    Goalposts(low=-5, high=5, scale=10),
    Steps(thresholds=(-2, 0, 2), scores=(0.2, 0.6, 1.0)),
]
AGG_CHOICES: list[Aggregator] = [
    ArithmeticMean(),
    WeightedSum(),
    Minimum(),
    GeometricMean(),
    HarmonicMean(),
    GeneralisedMean(p=2),
]


@st.composite
def indices_and_data(draw: st.DrawFn) -> tuple[Index, IndexData]:
    """A random small index (shared children, zero weights) and data with missing values."""
    n_leaves = draw(st.integers(1, 5))
    n_inner = draw(st.integers(1, 4))
    leaves = []
    for i in range(n_leaves):
        rule = draw(st.sampled_from(RULE_CHOICES))
        direction = draw(st.sampled_from([1, -1])) if rule.takes_direction else 1
        leaves.append(Leaf(id=f"L{i}", rule=rule, direction=direction))
    ids = [leaf.id for leaf in leaves]
    inner: list[Aggregate] = []
    used: set[str] = set()
    for j in range(n_inner):
        pool = ids + [a.id for a in inner]
        children = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        if j == n_inner - 1:
            # The root takes every node nobody has taken yet, so all are reachable.
            children += [n for n in pool if n not in used and n not in children]
        weights = [draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])) for _ in children]
        if not any(w > 0 for w in weights):
            weights[0] = 1.0
        used.update(children)
        inner.append(
            Aggregate(
                id=f"A{j}",
                children=tuple(children),
                weights=tuple(weights),
                aggregator=draw(st.sampled_from(AGG_CHOICES)),
                min_availability=draw(st.sampled_from([None, None, 0.5, 1.0])),
            )
        )
    index = Index(root=inner[-1].id, nodes=(*leaves, *inner))
    n_entities = draw(st.integers(1, 6))
    cell = st.one_of(
        st.just(NAN),
        st.sampled_from([0.0, 1.0, 2.0]),
        st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 3)),
    )
    values = [[draw(cell) for _ in ids] for _ in range(n_entities)]
    data = IndexData(entities=[f"e{i}" for i in range(n_entities)], components=ids, values=values)
    return index, data


def _close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


class TestEngineAgainstReference:
    @settings(max_examples=300, deadline=None)
    @given(indices_and_data())
    def test_vectorised_equals_reference(self, case: tuple[Index, IndexData]) -> None:
        """The vectorised engine agrees with a per-entity pure-Python evaluation."""
        index, data = case
        try:
            expected = reference_scores(index, data)
        except EvaluationError:
            with pytest.raises(EvaluationError):
                index.evaluate(data)
            return
        result = index.evaluate(data)
        for entity in data.entities:
            for node in index.nodes:
                got = result.score(entity, node.id)
                assert _close(got, expected[entity][node.id]), (entity, node.id, got)

    @settings(max_examples=100, deadline=None)
    @given(indices_and_data(), st.randoms())
    def test_invariant_to_entity_order(self, case: tuple[Index, IndexData], random: object) -> None:
        """Shuffling the rows of the data changes no entity's scores or ranks."""
        index, data = case
        order = list(data.entities)
        random.shuffle(order)  # type: ignore[attr-defined]
        try:
            a = index.evaluate(data)
        except EvaluationError:
            assume(False)  # values outside an aggregator's domain: another test's subject
            raise
        b = index.evaluate(data.subset(order))
        for entity in data.entities:
            assert _close(a.score(entity), b.score(entity))
        assert a.rank() == b.rank()

    @settings(max_examples=100, deadline=None)
    @given(indices_and_data())
    def test_effective_weights_sum_to_one(self, case: tuple[Index, IndexData]) -> None:
        """The leaves' shares of the root add up to 1."""
        index, _ = case
        assert sum(index.effective_weights().values()) == pytest.approx(1.0, rel=1e-12)

    @settings(max_examples=100, deadline=None)
    @given(indices_and_data())
    def test_result_type(self, case: tuple[Index, IndexData]) -> None:
        """evaluate returns an IndexResult of entities × nodes."""
        index, data = case
        try:
            result = index.evaluate(data)
        except EvaluationError:
            assume(False)  # values outside an aggregator's domain: another test's subject
            raise
        assert isinstance(result, IndexResult)
        assert result.values.shape == (len(data.entities), len(index.nodes))


class TestImports:
    def test_heavy_libraries_load_only_when_used(self) -> None:
        """The engine imports no networkx, rich or pandas, not even to build an index."""
        import subprocess
        import sys

        code = (
            "import sys\n"
            "import dxplan.index.model, dxplan.index.indices, dxplan.index.datasets\n"
            "import dxplan.index.ranking\n"
            "import dxplan.whatif.uncertainty, dxplan.whatif.sensitivity\n"
            "print(sorted(m for m in ('networkx', 'rich', 'pandas') if m in sys.modules))\n"
            "dxplan.index.indices.dti_922()\n"
            "print('networkx' in sys.modules)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split("\n")
        assert out[:2] == ["[]", "False"]


class TestRichViewsShowTextAsWritten:
    def test_names_with_brackets(self) -> None:
        """Entity and component names that look like rich markup are printed as written."""
        from rich.console import Console

        index = Index(
            root="I", nodes=(Leaf(id="a", label="[/x] odd"), Aggregate(id="I", children=("a",)))
        )
        data = IndexData(
            entities=("e1", "e2"),
            components=("a",),
            values=np.array([[0.1], [0.2]]),
            names=("[bold]X[/bold]", "[/y]"),
        )
        result = index.evaluate(data)
        console = Console(record=True, width=100)
        for view in (
            index,
            result,
            result.explain("e1"),
            dxplan.uncertainty(index, data, draws=5, seed=1),
        ):
            console.print(view)
        text = console.export_text()
        assert "[bold]X[/bold]" in text
        assert "[/y]" in text
        assert "[/x] odd" in text


# HCMC's published 2022 main-indicator values (dti_2022_main_indicators_top5.csv).
HCMC_2022 = {
    "nhan_thuc_so": 0.8917,
    "the_che_so": 0.9,
    "ha_tang_so": 0.8258,
    "nhan_luc_so": 0.6267,
    "an_toan_thong_tin_mang": 0.558,
    "do_thi_thong_minh": math.nan,
    "hd_chinh_quyen_so": 0.8406,
    "hd_kinh_te_so": 0.7611,
    "hd_xa_hoi_so": 0.359,
}


class TestTies:
    def _dti_pair(self, precision: int | None) -> IndexResult:
        from dxplan.index.indices import dti_922

        index = attrs.evolve(dti_922(), precision=precision)
        twin = dict(HCMC_2022)
        # The five foundation indicators carry 100 points each: their values in
        # another order give the same DTI in exact arithmetic.
        foundation = ["nhan_thuc_so", "the_che_so", "ha_tang_so", "nhan_luc_so",
                      "an_toan_thong_tin_mang"]  # fmt: skip
        for c, v in zip(foundation, [0.8917, 0.6267, 0.9, 0.558, 0.8258], strict=True):
            twin[c] = v
        data = IndexData(
            entities=["ho-chi-minh", "twin"],
            components=list(HCMC_2022),
            values=[list(HCMC_2022.values()), list(twin.values())],
        )
        return index.evaluate(data)

    def test_dti_exact_tie_shares_a_rank(self) -> None:
        """Two provinces with the same main-indicator values in another order tie on the DTI."""
        result = self._dti_pair(precision=4)
        # Σ points × value / 1000 = 716.355 / 1000 for both, whatever the order.
        assert result.score("ho-chi-minh") == pytest.approx(0.716355, abs=1e-15)
        assert result.rank() == {"ho-chi-minh": 1, "twin": 1}

    def test_exact_tie_holds_without_a_declared_precision(self) -> None:
        """Without rounding, scores one float apart from the order of summation still tie."""
        result = self._dti_pair(precision=None)
        assert result.rank() == {"ho-chi-minh": 1, "twin": 1}

    def test_bundled_dti_specs_declare_their_precision(self) -> None:
        """DTI 2021–2023 is ranked at its four published decimals; the 2020 ranks were not
        (Huế 0.40965 and Bắc Ninh 0.40956 both print 0.4096 but are published 2nd and 3rd)."""
        from dxplan.index.indices import dti_922, dti_1726

        assert dti_922().precision == 4
        assert dti_1726().precision is None

    def test_precision_is_the_default_for_ranks(self) -> None:
        """Scores 0.60004 and 0.59996 tie at the declared four decimals; the next is 3rd."""
        index = Index(root="I", nodes=(Leaf(id="a"), Aggregate(id="I", children=("a",))),
                      precision=4)  # fmt: skip
        data = IndexData(entities=["x", "y", "z"], components=["a"],
                         values=[[0.60004], [0.59996], [0.59]])  # fmt: skip
        result = index.evaluate(data)
        assert result.rank() == {"x": 1, "y": 1, "z": 3}
        assert result.rank(decimals=5) == {"x": 1, "y": 2, "z": 3}
        assert attrs.evolve(index, precision=None).evaluate(data).rank() == {
            "x": 1,
            "y": 2,
            "z": 3,
        }

    def test_precision_round_trips_through_a_file(self) -> None:
        """An index file may declare its precision; index_to_dict writes it back."""
        raw = {"root": "a", "precision": 3, "nodes": [{"id": "a"}]}
        index = index_from_dict(raw)
        assert index.precision == 3
        assert index_to_dict(index)["precision"] == 3

    @pytest.mark.parametrize("bad", [-1, 16, 2.5, True, "4"])
    def test_bad_precision_is_refused(self, bad: object) -> None:
        """A precision must be a whole number of decimals from 0 to 15."""
        with pytest.raises(IndexDefinitionError, match=r"\$\.precision"):
            index_from_dict({"root": "a", "precision": bad, "nodes": [{"id": "a"}]})
        with pytest.raises(
            InvalidValueError,
            match=r"^'precision' must be a whole number of decimals from 0 to 15, or None",
        ) as info:
            Index(root="a", nodes=(Leaf(id="a"),), precision=bad)  # type: ignore[arg-type]
        assert info.value.value is bad


@given(
    st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=40,
    )
)
def test_explanation_median_is_numpys(values: list[float]) -> None:
    """The median of an explanation's gaps is ``np.median``'s, to the last bit."""
    from dxplan.index.model import _median

    array = np.array(values, dtype=float)
    assert _median(array) == float(np.median(array))
