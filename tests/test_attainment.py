"""Tests of dxplan.plan.attainment: target formulas, progress status and the roll-up."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given, settings
from rich.console import Console

from _plans import target as at_least
from dxplan.errors import InvalidValueError, MissingExtraError, ObservationError, UnknownIdError
from dxplan.plan.attainment import (
    BELOW_ONE,
    AttainmentReport,
    GroupResult,
    IndicatorResult,
    Progress,
    Projection,
    Status,
    TargetResult,
    TaskResult,
    assess,
    combine,
    progress,
    project,
    target_attainment,
    target_gap,
)
from dxplan.plan.model import Indicator, IndicatorGroup, Link, Plan, Provenance, Target, Task
from dxplan.plan.observations import Observation, Observations
from dxplan.strategies import plans
from dxplan.text import Label
from dxplan.units import Unit

PERCENT = Unit(symbol="%")
GRDP = Unit(symbol="%", basis="GRDP")
RANK = Unit(symbol="rank")
WHY = Provenance.assumption("test link")


def indicator(id: str, unit: Unit, *targets: Target) -> Indicator:
    return Indicator(
        id=id, label=Label(vi=f"Chỉ tiêu {id}", en=f"Indicator {id}"), unit=unit, targets=targets
    )


def small_plan() -> Plan:
    """Two groups, a rank, shares, a scoped indicator and two tasks."""
    return Plan(
        id="small",
        label=Label(vi="Kế hoạch nhỏ", en="Small plan"),
        entity="ho-chi-minh",
        groups=(
            IndicatorGroup(
                id="G1",
                label=Label(vi="Nhóm 1", en="Group 1"),
                declared_count=3,
                indicators=(
                    indicator(
                        "1.1", RANK, Target(comparator="rank<=", value=5, out_of=63, deadline=2024)
                    ),
                    indicator("1.3", GRDP, at_least(22, deadline=2024)),
                ),
            ),
            IndicatorGroup(
                id="G2",
                label=Label(vi="Nhóm 2", en="Group 2"),
                declared_count=4,
                indicators=(
                    indicator(
                        "2.7",
                        PERCENT,
                        at_least(70, scope="city", deadline=2024),
                        at_least(60, scope="district", deadline=2024),
                        at_least(55, scope="commune", deadline=2024),
                    ),
                    indicator("3.1", GRDP, at_least(25, deadline=2025)),
                    indicator("3.2", PERCENT, Target(comparator=">", value=10, deadline=2024)),
                ),
            ),
        ),
        tasks=(
            Task(
                id="T01",
                label=Label(vi="Nhiệm vụ 1", en="Task 1"),
                contributes_to=(Link(to="1.1", provenance=WHY), Link(to="3.1", provenance=WHY)),
            ),
            Task(
                id="T02",
                label=Label(vi="Nhiệm vụ 2", en="Task 2"),
                contributes_to=(Link(to="3.2", provenance=WHY),),
            ),
        ),
    )


def obs(
    indicator: str, period: int, value: float, unit: Unit | None = None, scope: str | None = None
) -> Observation:
    return Observation(
        entity="ho-chi-minh",
        indicator=indicator,
        period=period,
        value=value,
        unit=unit,
        scope=scope,
        source="test",
    )


def observations() -> Observations:
    return Observations(
        items=(
            obs("1.1", 2022, 2),
            obs("1.1", 2024, 1),
            obs("1.3", 2023, 21.5),
            obs("1.3", 2024, 22),
            obs("2.7", 2024, 80, scope="city"),
            obs("2.7", 2024, 30, scope="district"),
            obs("3.1", 2021, 0.1538, Unit(symbol="1")),
            obs("3.1", 2024, 0.22, Unit(symbol="1")),
        )
    )


class TestTargetAttainment:
    def test_ratio_form(self) -> None:
        """22 % against 25 % is 0.88, not met."""
        target = at_least(25)
        assert target_attainment(target, 22) == 0.88
        assert not target.is_met(22)

    def test_strict_boundary(self) -> None:
        """10 % against 'above 10 %' is not met and scores just below 1."""
        target = Target(comparator=">", value=10)
        assert target_attainment(target, 10) == math.nextafter(1.0, 0.0) == BELOW_ONE
        assert target_attainment(target, 10.5) == 1.0

    def test_or_more_met(self) -> None:
        """61 % against '60 % or more' is met: attainment 1."""
        assert target_attainment(at_least(60), 61) == 1.0
        assert target_attainment(at_least(60), 60) == 1.0

    def test_clipped_at_zero_and_one(self) -> None:
        """Negative values score 0; values beyond the target score exactly 1."""
        assert target_attainment(at_least(25), -3) == 0.0
        assert target_attainment(at_least(25), 40) == 1.0

    def test_baseline_form(self) -> None:
        """With a baseline, attainment is the share of the way from baseline to target."""
        target = at_least(25, baseline=15)
        assert target_attainment(target, 20) == 0.5
        assert target_attainment(target, 14) == 0.0

    def test_lower_is_better_ratio(self) -> None:
        """'at most 5' with 8 scores 5/8; 4 meets it."""
        target = Target(comparator="<=", value=5)
        assert target_attainment(target, 8) == 0.625
        assert target_attainment(target, 4) == 1.0

    def test_lower_is_better_baseline(self) -> None:
        """'at most 5' from a baseline of 10: 7.5 is half way."""
        assert target_attainment(Target(comparator="<=", value=5, baseline=10), 7.5) == 0.5

    def test_lower_strict_boundary(self) -> None:
        """'below 5' at 5 is not met and scores just below 1."""
        assert target_attainment(Target(comparator="<", value=5), 5) == BELOW_ONE

    def test_rank(self) -> None:
        """rank <= 5 among 63: rank 5 meets it, rank 34 is half way, rank 63 scores 0."""
        target = Target(comparator="rank<=", value=5, out_of=63)
        assert target_attainment(target, 5) == 1.0
        assert target_attainment(target, 34) == 0.5
        assert target_attainment(target, 63) == 0.0

    def test_rank_without_out_of(self) -> None:
        """Without the number of entities, a rank scores N/rank."""
        assert target_attainment(Target(comparator="rank<=", value=5), 10) == 0.5

    def test_non_positive_target_is_a_step(self) -> None:
        """A ratio form with a target <= 0 is undefined: met scores 1, unmet 0."""
        assert target_attainment(Target(comparator=">=", value=0), -1) == 0.0
        assert target_attainment(Target(comparator=">=", value=0), 0) == 1.0

    def test_baseline_beyond_target_ignored(self) -> None:
        """A baseline already past the target is ignored; the ratio form is used."""
        assert target_attainment(at_least(25, baseline=30), 20) == 0.8

    def test_refuses_nan(self) -> None:
        """NaN is not an observation."""
        with pytest.raises(InvalidValueError, match=r"'observed' must be a finite number"):
            target_attainment(at_least(25), math.nan)


class TestTargetGap:
    def test_short(self) -> None:
        """25 − 22 is 3 short; decimal differences stay decimal."""
        assert target_gap(at_least(25), 22) == 3.0
        assert target_gap(at_least(25), 21.9) == 3.1

    def test_met_is_zero(self) -> None:
        """A met target has no gap."""
        assert target_gap(at_least(25), 26) == 0.0

    def test_lower_and_rank(self) -> None:
        """Lower is better: the excess; ranks: the places to gain."""
        assert target_gap(Target(comparator="<=", value=5), 8) == 3.0
        assert target_gap(Target(comparator="rank<=", value=5, out_of=63), 9) == 4.0


class TestCombine:
    def test_mean_and_min(self) -> None:
        """mean and min of several targets."""
        assert combine([1.0, 0.5, 0.0]) == 0.5
        assert combine([1.0, 0.5, 0.0], "min") == 0.0

    def test_refuses_empty_and_unknown_policy(self) -> None:
        """No values, or an unknown policy, is an error naming the field."""
        with pytest.raises(InvalidValueError, match="'values' must be at least one value"):
            combine([])
        with pytest.raises(InvalidValueError, match="'policy' must be 'mean' or 'min'"):
            combine([1.0], "max")  # type: ignore[arg-type]


class TestProjection:
    def test_cagr(self) -> None:
        """10 → 11 in a year compounds to 13.31 two years later."""
        assert project([(2021, 10.0), (2022, 11.0)], 2024) == Projection(
            year=2024, value=13.31, method="cagr"
        )

    def test_linear(self) -> None:
        """The least-squares line through every point."""
        points = [(2020, 1.0), (2021, 2.0), (2022, 3.0)]
        assert project(points, 2025, method="linear").value == 6.0

    def test_cagr_falls_back_to_linear(self) -> None:
        """With a value <= 0 the growth rate is undefined; the linear trend is used and said."""
        result = project([(2020, 0.0), (2022, 2.0)], 2024)
        assert result.method == "linear"
        assert result.value == 4.0
        assert "undefined" in result.note

    def test_bounds(self) -> None:
        """A projection is kept within the bounds given."""
        assert project([(2020, 50.0), (2021, 90.0)], 2030, upper=100.0).value == 100.0

    def test_needs_two_points(self) -> None:
        """One point cannot be projected."""
        with pytest.raises(InvalidValueError, match="at least two values"):
            project([(2020, 1.0)], 2024)


class TestProgress:
    def test_met(self) -> None:
        """A latest value that meets the target is met, whatever the path."""
        assert progress([(2020, 30.0), (2024, 26.0)], at_least(25)).status is Status.MET

    def test_no_and_insufficient_data(self) -> None:
        """No point: no data; one point: insufficient data."""
        assert progress([], at_least(25)).status is Status.NO_DATA
        assert progress([(2024, 20.0)], at_least(25)).status is Status.INSUFFICIENT_DATA

    def test_no_deadline(self) -> None:
        """Without a deadline there is no required rate."""
        result = progress([(2020, 10.0), (2024, 20.0)], at_least(25))
        assert result.status is Status.INSUFFICIENT_DATA
        assert result.note == "the target has no deadline"

    def test_hcmc_digital_economy(self) -> None:
        """15.38 % (2021) to 22 % (2024) against 25 % by 2024: R ≈ 0.72, needs acceleration."""
        result = progress([(2021, 15.38), (2024, 22.0)], at_least(25, deadline=2024))
        assert result.status is Status.NEEDS_ACCELERATION
        actual = (22 / 15.38) ** (1 / 3) - 1
        required = (25 / 15.38) ** (1 / 3) - 1
        assert result.ratio == pytest.approx(actual / required)
        assert result.method == "cagr"

    @pytest.mark.parametrize(
        ("latest", "status"),
        [
            (24.9, Status.ON_TRACK),
            (20.0, Status.NEEDS_ACCELERATION),
            (12.0, Status.LIMITED_PROGRESS),
            (9.0, Status.DETERIORATION),
        ],
    )
    def test_thresholds(self, latest: float, status: Status) -> None:
        """R ≥ 0.95 on track, ≥ 0.6 needs acceleration, ≥ 0 limited progress, < 0 deterioration."""
        points = [(2020, 10.0), (2024, latest)]
        assert progress(points, at_least(25, deadline=2024)).status is status

    def test_lower_is_better(self) -> None:
        """A falling value towards an upper bound is progress (both rates are negative)."""
        target = Target(comparator="<=", value=5, deadline=2024)
        assert progress([(2020, 10.0), (2024, 5.1)], target).status is Status.ON_TRACK
        assert progress([(2020, 10.0), (2024, 12.0)], target).status is Status.DETERIORATION

    def test_rank_uses_places(self) -> None:
        """Ranks compare places gained per year, linearly."""
        target = Target(comparator="rank<=", value=5, out_of=63, deadline=2024)
        result = progress([(2020, 13.0), (2024, 7.0)], target)
        assert result.method == "linear"
        assert result.ratio == pytest.approx(6 / 8)
        assert result.status is Status.NEEDS_ACCELERATION

    def test_zero_values_fall_back_to_linear(self) -> None:
        """A first value of 0 makes the growth rate undefined: linear rates, said so."""
        result = progress([(2020, 0.0), (2024, 20.0)], at_least(25, deadline=2024))
        assert result.method == "linear"
        assert result.ratio == pytest.approx(0.8)
        assert "linear" in result.note

    def test_started_beyond_target(self) -> None:
        """A series that started at the target and fell back has deteriorated."""
        result = progress([(2020, 30.0), (2024, 20.0)], at_least(25, deadline=2024))
        assert result == Progress(
            status=Status.DETERIORATION, method="cagr", note="started at or beyond the target"
        )


class TestStatus:
    def test_labels(self) -> None:
        """Statuses read in English and Vietnamese."""
        assert Status.NEEDS_ACCELERATION.label("en") == "needs acceleration"
        assert Status.NEEDS_ACCELERATION.label("vi") == "cần đẩy nhanh"
        assert Status.NO_DATA.label() == "không có dữ liệu"

    def test_severity_order(self) -> None:
        """Met is best, deterioration worst among measured statuses."""
        assert Status.MET.severity < Status.ON_TRACK.severity < Status.DETERIORATION.severity


class TestTargetResult:
    def result(self, **kw: object) -> TargetResult:
        fields: dict[str, object] = {
            "indicator": "3.1",
            "scope": None,
            "scope_label": None,
            "comparator": at_least(25).comparator,
            "target": 25.0,
            "out_of": None,
            "deadline": 2024,
            "unit": GRDP,
            "observed": 22.0,
            "period": 2024,
            "source": "",
            "met": False,
            "attainment": 0.88,
            "gap": 3.0,
            "progress": Progress(status=Status.LIMITED_PROGRESS),
        }
        fields.update(kw)
        return TargetResult(**fields)  # type: ignore[arg-type]

    def test_percentage_points(self) -> None:
        """A difference of percents is said in percentage points, in both languages."""
        result = self.result()
        assert result.gap_text("en") == "3 percentage points short"
        assert result.gap_text("vi") == "thiếu 3 điểm phần trăm"
        assert self.result(gap=1.0).gap_text("en") == "1 percentage point short"
        assert self.result(gap=2.5).gap_text("vi") == "thiếu 2,5 điểm phần trăm"

    def test_boundary(self) -> None:
        """A strict boundary is 0 short but not met, and says so."""
        result = self.result(
            comparator=Target(comparator=">", value=10).comparator, target=10.0, gap=0.0
        )
        assert result.gap_text("en") == "on the boundary; must be above 10 %"
        assert result.gap_text("vi") == "bằng ngưỡng, cần trên 10 %"

    def test_rank_and_other_units(self) -> None:
        """Ranks count places; other units name their symbol; upper bounds are 'over'."""
        rank = self.result(
            comparator=Target(comparator="rank<=", value=5).comparator, unit=RANK, gap=2.0
        )
        assert rank.gap_text("en") == "2 places short"
        assert rank.gap_text("vi") == "thiếu 2 bậc"
        upper = self.result(
            comparator=Target(comparator="<=", value=5).comparator, unit=Unit(symbol="day")
        )
        assert upper.gap_text("en") == "3 day over"
        assert upper.gap_text("vi") == "vượt 3 day"

    def test_met_and_no_data(self) -> None:
        """Met targets and targets without data say so."""
        assert self.result(met=True, gap=0.0).gap_text("en") == "met"
        assert self.result(gap=None, observed=None).gap_text("vi") == "không có dữ liệu"

    def test_texts(self) -> None:
        """Targets and observations are written as a reader would."""
        assert self.result().target_text("en") == "≥ 25 %"
        assert self.result().observed_text("vi") == "22 % (2024)"
        rank = self.result(
            comparator=Target(comparator="rank<=", value=5).comparator,
            out_of=63,
            target=5.0,
            unit=RANK,
        )
        assert rank.target_text("en") == "rank ≤ 5/63"
        assert rank.target_text("vi") == "hạng ≤ 5/63"


class TestAssess:
    def test_per_target_and_indicator(self) -> None:
        """Each target takes its latest value, converted into the indicator's unit."""
        report = assess(small_plan(), observations())
        economy = report.indicator("3.1")
        assert economy.targets[0].observed == 22.0
        assert economy.attainment == 0.88
        assert economy.met is False
        assert report.indicator("1.1").met is True
        assert report.indicator("1.3").attainment == 1.0

    def test_scoped_targets_mean_and_min(self) -> None:
        """2.7's levels combine by mean (default) or min; the commune level has no data."""
        mean = assess(small_plan(), observations()).indicator("2.7")
        assert [t.attainment for t in mean.targets] == [1.0, 0.5, None]
        assert mean.attainment == 0.75
        assert mean.met is False
        low = assess(small_plan(), observations(), policy="min").indicator("2.7")
        assert low.attainment == 0.5

    def test_unscoped_value_stands_for_every_scope(self) -> None:
        """A value without a scope applies to the scopes that have none of their own."""
        items = Observations(items=(obs("2.7", 2024, 75), obs("2.7", 2024, 50, scope="district")))
        result = assess(small_plan(), items).indicator("2.7")
        assert [t.observed for t in result.targets] == [75.0, 50.0, 75.0]

    def test_mean_of_met_and_boundary_stays_below_one(self) -> None:
        """An indicator with one met target and one on a strict boundary is not at 1."""
        plan = Plan(
            id="p",
            label=Label(vi="p"),
            entity="e",
            groups=(
                IndicatorGroup(
                    id="G",
                    label=Label(vi="g"),
                    declared_count=1,
                    indicators=(
                        indicator(
                            "1",
                            PERCENT,
                            at_least(10, scope="a"),
                            Target(comparator=">", value=10, scope="b"),
                        ),
                    ),
                ),
            ),
        )
        items = Observations(
            items=(
                Observation(entity="e", indicator="1", period=2024, value=10, scope="a"),
                Observation(entity="e", indicator="1", period=2024, value=10, scope="b"),
            )
        )
        report = assess(plan, items)
        assert report.indicator("1").attainment == BELOW_ONE
        assert report.attainment == BELOW_ONE

    def test_groups_and_plan(self) -> None:
        """Groups average their indicators with data; the plan averages the groups."""
        report = assess(small_plan(), observations())
        g1, g2 = report.groups
        assert g1.attainment == 1.0
        assert g2.attainment == pytest.approx((0.75 + 0.88) / 2)
        assert (g2.listed_count, g2.observed_count, g2.unknown_count) == (3, 2, 1)
        assert g2.coverage == pytest.approx(2 / 3)
        assert report.attainment == pytest.approx((1.0 + (0.75 + 0.88) / 2) / 2)
        assert (report.listed_count, report.observed_count, report.unknown_count) == (5, 4, 2)
        assert report.declared_count == 7

    def test_missing_zero(self) -> None:
        """missing='zero' counts targets without data as 0."""
        report = assess(small_plan(), observations(), missing="zero")
        assert report.indicator("3.2").attainment == 0.0
        assert report.indicator("2.7").attainment == pytest.approx(0.5)
        assert report.group("G2").attainment == pytest.approx((0.5 + 0.88 + 0.0) / 3)

    def test_missing_fail(self) -> None:
        """missing='fail' raises, naming every target without data."""
        with pytest.raises(ObservationError, match=r"2 target\(s\) without data") as caught:
            assess(small_plan(), observations(), missing="fail")
        assert [p.where for p in caught.value.problems] == [
            "$.indicators['2.7'].scope['commune']",
            "$.indicators['3.2']",
        ]

    def test_weights(self) -> None:
        """Weights are relative within a group and among groups."""
        report = assess(small_plan(), observations(), weights={"3.1": 3.0, "G1": 0.0})
        assert report.group("G2").attainment == pytest.approx((0.75 + 3 * 0.88) / 4)
        assert report.attainment == report.group("G2").attainment

    def test_bad_weights(self) -> None:
        """Unknown ids and negative weights are refused together."""
        with pytest.raises(
            InvalidValueError, match=r"weights\['9'\]: unknown id.*weights\['G1'\]: -1"
        ):
            assess(small_plan(), observations(), weights={"9": 1.0, "G1": -1.0})

    def test_tasks(self) -> None:
        """A task averages the indicators it contributes to."""
        report = assess(small_plan(), observations())
        task = report.task("T01")
        assert task.indicators == ("1.1", "3.1")
        assert task.attainment == pytest.approx((1.0 + 0.88) / 2)
        assert report.task("T02").attainment is None
        assert report.task("T02").observed_count == 0

    def test_as_of(self) -> None:
        """as_of uses values up to that year only."""
        report = assess(small_plan(), observations(), as_of=2023)
        assert report.indicator("1.1").targets[0].observed == 2.0
        assert report.indicator("3.1").targets[0].observed == 15.38
        assert report.indicator("2.7").has_data is False

    def test_status_and_projection(self) -> None:
        """3.1 (deadline 2025) has a status and a projection to its deadline."""
        target = assess(small_plan(), observations()).indicator("3.1").targets[0]
        assert target.status is Status.ON_TRACK
        assert target.projection is not None
        assert target.projection.year == 2025
        assert target.projection.value == pytest.approx(22 * (22 / 15.38) ** (1 / 3))
        linear = assess(small_plan(), observations(), projection="linear")
        assert linear.indicator("3.1").targets[0].projection.method == "linear"  # type: ignore[union-attr]

    def test_order_of_observations_does_not_matter(self) -> None:
        """The report is the same whatever order the observations came in."""
        forward = assess(small_plan(), observations())
        backward = assess(small_plan(), Observations(items=tuple(reversed(observations().items))))
        assert forward == backward

    def test_other_entities_ignored(self) -> None:
        """Values of other entities neither count nor need to fit the plan."""
        other = Observation(entity="ha-noi", indicator="9.9", period=2024, value=1)
        report = assess(small_plan(), observations() + Observations(items=(other,)))
        assert report.entity == "ho-chi-minh"

    def test_entity_needed(self) -> None:
        """Without a plan entity and with several entities observed, the entity must be named."""
        plan = small_plan()
        import attrs

        anonymous = attrs.evolve(plan, entity=None)
        other = Observation(entity="ha-noi", indicator="1.1", period=2024, value=1)
        with pytest.raises(InvalidValueError, match="'entity' must be an entity id"):
            assess(anonymous, observations() + Observations(items=(other,)))
        assert assess(anonymous, observations()).entity == "ho-chi-minh"

    def test_bad_observations_raise(self) -> None:
        """Observations that do not fit the plan are reported, not skipped."""
        bad = Observations(items=(obs("3.1", 2024, 1, RANK),))
        with pytest.raises(ObservationError, match="unit 'rank' cannot convert"):
            assess(small_plan(), bad)

    @pytest.mark.parametrize(
        ("option", "value"),
        [("policy", "max"), ("missing", "ignore"), ("projection", "spline")],
    )
    def test_bad_options(self, option: str, value: str) -> None:
        """Unknown options are refused by name."""
        with pytest.raises(InvalidValueError, match=f"'{option}' must be"):
            assess(small_plan(), observations(), **{option: value})  # type: ignore[arg-type]


class TestIndicatorResult:
    def test_status_is_the_least_favourable(self) -> None:
        """An indicator takes the worst status of its observed targets."""
        result = assess(small_plan(), observations()).indicator("2.7")
        assert isinstance(result, IndicatorResult)
        assert result.status is Status.INSUFFICIENT_DATA
        assert result.has_data
        assert not result.complete

    def test_observed_targets_met_but_others_missing(self) -> None:
        """Met observed targets with other targets unobserved: met unknown, data insufficient."""
        items = Observations(items=(obs("2.7", 2024, 80, scope="city"),))
        result = assess(small_plan(), items).indicator("2.7")
        assert result.met is None
        assert result.attainment == 1.0
        assert result.status is Status.INSUFFICIENT_DATA


class TestGroupResult:
    def test_no_listed_indicators(self) -> None:
        """A group that lists nothing has no coverage and no attainment."""
        group = GroupResult(
            id="G",
            label=Label(vi="g"),
            weight=1.0,
            declared_count=4,
            listed_count=0,
            observed_count=0,
            met_count=0,
            attainment=None,
        )
        assert group.coverage is None
        assert group.unknown_count == 4


class TestTaskResult:
    def test_fields(self) -> None:
        """A task result lists its indicators in plan order."""
        result = assess(small_plan(), observations()).task("T01")
        assert isinstance(result, TaskResult)
        assert result.observed_count == 2


class TestAttainmentReport:
    def test_lookup_errors(self) -> None:
        """Unknown ids list the known ones."""
        report = assess(small_plan(), observations())
        with pytest.raises(
            UnknownIdError, match=r"no indicator with id '9' in the report; known ids: 1\.1"
        ):
            report.indicator("9")

    def test_to_dict(self) -> None:
        """Plain data holds the summary and every level."""
        data = assess(small_plan(), observations()).to_dict()
        assert data["listed"] == 5
        assert data["with_data"] == 4
        assert [row["indicator"] for row in data["indicators"]] == [
            "1.1",
            "1.3",
            "2.7",
            "3.1",
            "3.2",
        ]
        assert data["targets"][0]["gap_text"] == "met"

    def test_to_frame(self) -> None:
        """Each level becomes a DataFrame indexed by id."""
        pytest.importorskip("pandas")
        report = assess(small_plan(), observations())
        frame = report.to_frame()
        assert list(frame.index) == ["1.1", "1.3", "2.7", "3.1", "3.2"]
        assert frame.loc["3.1", "attainment"] == 0.88
        assert len(report.to_frame("target")) == 7
        assert list(report.to_frame("group", lang="vi")["label"]) == ["Nhóm 1", "Nhóm 2"]

    def test_to_frame_without_pandas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas, to_frame names the extra to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        report = assess(small_plan(), observations())
        with pytest.raises(MissingExtraError, match=r"pip install 'dxplan\[pandas\]'"):
            report.to_frame()

    def test_bad_level(self) -> None:
        """An unknown level is refused by name."""
        pytest.importorskip("pandas")
        with pytest.raises(InvalidValueError, match="'level' must be one of"):
            assess(small_plan(), observations()).to_frame("plan")  # type: ignore[arg-type]

    def test_rich(self) -> None:
        """The rich view shows targets, groups and tasks in the language asked for."""
        report = assess(small_plan(), observations())
        console = Console(record=True, width=200)
        console.print(report.rich("en"))
        text = console.export_text()
        assert "Target attainment — Small plan — Hồ Chí Minh City" in text
        assert "3 percentage points short" in text
        assert "88.0 %" in text
        assert "Whole plan" in text
        console = Console(record=True, width=200)
        console.print(report)
        text = console.export_text()
        assert "thiếu 3 điểm phần trăm" in text
        assert "— TP. Hồ Chí Minh" in text  # the province's official name, not its id
        assert "Toàn kế hoạch" in text
        assert "88,0 %" in text

    def test_near_one_never_prints_as_one(self) -> None:
        """An unmet attainment just below 1 prints below 100 %."""
        report = assess(small_plan(), Observations(items=(obs("3.2", 2024, 10),)))
        console = Console(record=True, width=200)
        console.print(report.rich("en"))
        text = console.export_text()
        assert "99.9 %" in text
        assert "on the boundary; must be above 10 %" in text
        assert isinstance(report, AttainmentReport)


class TestHcmc2024:
    def test_bundled_assessment(self) -> None:
        """HCMC 2024: 1.1, 1.2, 1.3, 2.1 met; 3.1 at 0.88 needing acceleration; the rest no data."""
        plans = pytest.importorskip("dxplan.plan.catalogue")
        from dxplan.plan.observations import bundled_observations

        plan = plans.load_plan("hcmc-2024")
        report = assess(plan, bundled_observations("hcmc-2024"))
        assert [i.id for i in report.indicators if i.met] == ["1.1", "1.2", "1.3", "2.1"]
        economy = report.indicator("3.1")
        assert economy.attainment == 0.88
        assert economy.status is Status.NEEDS_ACCELERATION
        assert economy.targets[0].gap_text("en") == "3 percentage points short"
        no_data = [i.id for i in report.indicators if i.status is Status.NO_DATA]
        assert len(no_data) == 14
        assert (report.observed_count, report.listed_count, report.unknown_count) == (5, 19, 12)


class TestTaskIndicatorsMatchTheGraph:
    """assess reads a task's indicators from its links, as the graph does."""

    @given(plan=plans())
    @settings(max_examples=40, deadline=None)
    def test_same_indicators_in_the_same_order(self, plan: Plan) -> None:
        """For every task, the indicators assess rolls up are the graph's, in plan order."""
        from dxplan.plan.attainment import _task_indicators

        for task in plan.tasks:
            expected = tuple(i.id for i in plan.graph.indicators_for(task.id))
            assert _task_indicators(plan, task.id) == expected
