"""Tests of dxplan.plan.model: each value object refuses what it cannot hold."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import attrs
import pytest

from _plans import indicator, label, target
from dxplan.errors import DxplanError, InvalidValueError, UnknownIdError
from dxplan.plan.model import (
    Comparator,
    Indicator,
    IndicatorGroup,
    Link,
    Plan,
    Priority,
    Provenance,
    Source,
    Target,
    Task,
)
from dxplan.text import Label
from dxplan.units import PERCENT, RANK

BAD_IDS = ["", " ", "T 1", "-T1", ".5", "Tâm", "a/b", "T1\n"]


def share(value: float = 70, **fields: Any) -> Target:
    return target(value, **fields)


def refused(field: str, value: object, expected: str) -> str:
    """The pattern of InvalidValueError's message for ``field`` and ``value``."""
    return re.escape(f"'{field}' must be {expected} (got {value!r})")


class TestSource:
    def test_values(self) -> None:
        """The three provenance sources have their documented spellings."""
        assert [s.value for s in Source] == ["seed", "external", "assumption"]


class TestProvenance:
    def test_constructors(self) -> None:
        """seed, external and assumption set the source and keep the note."""
        assert Provenance.seed().source is Source.SEED
        assert Provenance.external("GSO 2024").note == "GSO 2024"
        assert Provenance.assumption("why").source is Source.ASSUMPTION

    def test_source_from_text(self) -> None:
        """A source given as text becomes the enum member."""
        assert Provenance(source="external", note="x").source is Source.EXTERNAL

    def test_unknown_source(self) -> None:
        """A source outside the three is refused with the choices."""
        with pytest.raises(
            InvalidValueError,
            match=refused("source", "rumour", "one of 'seed', 'external', 'assumption'"),
        ):
            Provenance(source="rumour")

    def test_seed_needs_no_note(self) -> None:
        """A fact from the plan text may come without a note."""
        assert Provenance.seed().note == ""

    @pytest.mark.parametrize("note", ["", "   "])
    def test_assumption_needs_a_reason(self, note: str) -> None:
        """An assumption without a reason cannot be built."""
        with pytest.raises(
            InvalidValueError, match=refused("note", note, "a reason for a assumption fact")
        ):
            Provenance.assumption(note)

    def test_external_needs_a_citation(self) -> None:
        """An external fact without a citation cannot be built."""
        with pytest.raises(InvalidValueError, match=r"'note' must be a citation"):
            Provenance.external("")

    def test_note_must_be_text(self) -> None:
        """A note that is not text is refused."""
        with pytest.raises(InvalidValueError, match=refused("note", 3, "text")):
            Provenance(source="seed", note=3)  # type: ignore[arg-type]


class TestComparator:
    @pytest.mark.parametrize(
        ("comparator", "met"),
        [
            (Comparator.AT_LEAST, [False, True, True]),
            (Comparator.ABOVE, [False, False, True]),
            (Comparator.AT_MOST, [True, True, False]),
            (Comparator.BELOW, [True, False, False]),
            (Comparator.RANK_AT_MOST, [True, True, False]),
        ],
    )
    def test_is_met_around_the_boundary(self, comparator: Comparator, met: list[bool]) -> None:
        """Below, at and above the target: strict comparators exclude the boundary."""
        assert [comparator.is_met(x, 10.0) for x in (9.999, 10.0, 10.001)] == met

    def test_higher_is_better(self) -> None:
        """Only >= and > prefer higher values."""
        assert {c for c in Comparator if c.higher_is_better} == {
            Comparator.AT_LEAST,
            Comparator.ABOVE,
        }

    def test_is_strict(self) -> None:
        """Only > and < exclude their boundary."""
        assert {c for c in Comparator if c.is_strict} == {Comparator.ABOVE, Comparator.BELOW}

    def test_is_rank(self) -> None:
        """Only rank<= is a rank comparator."""
        assert [c for c in Comparator if c.is_rank] == [Comparator.RANK_AT_MOST]

    def test_values(self) -> None:
        """The comparators are spelled as in plan files."""
        assert [c.value for c in Comparator] == [">=", ">", "<=", "<", "rank<="]


class TestTarget:
    def test_comparator_from_text(self) -> None:
        """A comparator given as text becomes the enum member."""
        assert Target(comparator=">", value=10).comparator is Comparator.ABOVE

    @pytest.mark.parametrize("comparator", [">>", "=>", "", "≥"])
    def test_unknown_comparator(self, comparator: str) -> None:
        """An unknown comparator is refused, naming the five that exist."""
        expected = "one of '>=', '>', '<=', '<', 'rank<='"
        with pytest.raises(InvalidValueError, match=refused("comparator", comparator, expected)):
            Target(comparator=comparator, value=10)

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, "10", None])
    def test_value_must_be_finite_number(self, value: object) -> None:
        """NaN, infinities, booleans and text are not target values."""
        with pytest.raises(InvalidValueError, match=refused("value", value, "a finite number")):
            Target(comparator=">=", value=value)  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [1.5, 0, -3])
    def test_rank_value_must_be_whole_and_positive(self, value: float) -> None:
        """A rank target of 1.5, 0 or below cannot be built."""
        expected = "a whole rank >= 1 for a 'rank<=' target"
        with pytest.raises(InvalidValueError, match=refused("value", value, expected)):
            Target(comparator="rank<=", value=value)

    def test_rank_target(self) -> None:
        """Rank 5 of 63 is met by ranks 1 to 5."""
        target = Target(comparator="rank<=", value=5, out_of=63)
        assert [target.is_met(rank) for rank in (1, 5, 6)] == [True, True, False]

    def test_is_met_uses_comparator(self) -> None:
        """'> 10' is not met at 10; '>= 10' is."""
        assert not Target(comparator=">", value=10).is_met(10)
        assert Target(comparator=">=", value=10).is_met(10)

    def test_baseline_equal_to_target(self) -> None:
        """A baseline equal to the target leaves no distance to cover and is refused."""
        expected = "a baseline different from the target value"
        with pytest.raises(InvalidValueError, match=refused("baseline", 70, expected)):
            share(70, baseline=70)

    def test_baseline_must_be_finite(self) -> None:
        """A NaN baseline is refused."""
        with pytest.raises(
            InvalidValueError, match=refused("baseline", math.nan, "a finite number")
        ):
            share(70, baseline=math.nan)

    def test_no_baseline_for_rank(self) -> None:
        """A rank target has no baseline."""
        expected = "no baseline for a 'rank<=' target"
        with pytest.raises(InvalidValueError, match=refused("baseline", 9, expected)):
            Target(comparator="rank<=", value=5, baseline=9)

    def test_baseline_kept(self) -> None:
        """A valid baseline is kept as given."""
        assert share(70, baseline=40).baseline == 40

    def test_out_of_below_target_rank(self) -> None:
        """Rank 5 out of 3 entities is impossible."""
        expected = "at least the target rank 5"
        with pytest.raises(InvalidValueError, match=refused("out_of", 3, expected)):
            Target(comparator="rank<=", value=5, out_of=3)

    def test_out_of_only_for_rank(self) -> None:
        """out_of belongs to rank targets only."""
        expected = "None unless the target is 'rank<='"
        with pytest.raises(InvalidValueError, match=refused("out_of", 63, expected)):
            share(70, out_of=63)

    @pytest.mark.parametrize("out_of", [0, 2.5, True])
    def test_out_of_must_be_positive_whole(self, out_of: object) -> None:
        """out_of is a whole number of entities >= 1."""
        with pytest.raises(
            InvalidValueError, match=refused("out_of", out_of, "a whole number >= 1")
        ):
            Target(comparator="rank<=", value=1, out_of=out_of)  # type: ignore[arg-type]

    def test_out_of_equal_to_target(self) -> None:
        """A target of last place out of 63 is allowed."""
        assert Target(comparator="rank<=", value=63, out_of=63).out_of == 63

    @pytest.mark.parametrize(
        "deadline",
        [
            1899,
            2201,
            True,
            "2024",
            2024.0,
            dt.date(1, 1, 1),
            dt.date(2201, 1, 1),
            dt.datetime(2025, 6, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        ],
    )
    def test_bad_deadline(self, deadline: object) -> None:
        """A deadline is a year between 1900 and 2200, or a date (without a time) in those years."""
        expected = "a year (1900–2200) or a date (without a time) in those years"
        with pytest.raises(InvalidValueError, match=refused("deadline", deadline, expected)):
            share(deadline=deadline)

    def test_deadline_year(self) -> None:
        """deadline_year reads a year or the year of a date."""
        assert share(deadline=2024).deadline_year == 2024
        assert share(deadline=dt.date(2025, 6, 30)).deadline_year == 2025
        assert share().deadline_year is None

    @pytest.mark.parametrize("scope", ["city level", "", "cấp"])
    def test_bad_scope(self, scope: str) -> None:
        """A scope is an id."""
        with pytest.raises(InvalidValueError, match=r"'scope' must be an id of letters"):
            share(scope=scope)

    def test_unit_must_be_unit(self) -> None:
        """A unit given as text is refused; Unit.parse turns text into a Unit."""
        with pytest.raises(InvalidValueError, match=refused("unit", "%", "a Unit")):
            share(unit="%")

    def test_scope_label_must_be_label(self) -> None:
        """A scope label given as text is refused."""
        with pytest.raises(InvalidValueError, match=refused("scope_label", "Cấp xã", "a Label")):
            share(scope="commune", scope_label="Cấp xã")

    def test_defaults(self) -> None:
        """A target comes from the plan text unless told otherwise."""
        target = share()
        assert target.provenance == Provenance.seed()
        assert (target.unit, target.baseline, target.scope, target.out_of) == (None,) * 4

    def test_is_frozen(self) -> None:
        """A target changes only through attrs.evolve, which validates again."""
        target = share(70)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            target.value = 80  # type: ignore[misc]
        assert attrs.evolve(target, value=80).value == 80
        with pytest.raises(InvalidValueError, match="'baseline' must be a baseline different"):
            attrs.evolve(target, baseline=70)


class TestIndicator:
    def test_bad_id(self) -> None:
        """An id with a space is refused, naming the field and value."""
        with pytest.raises(InvalidValueError, match=r"'id' must be an id .* \(got '1 1'\)"):
            indicator("1 1")

    @pytest.mark.parametrize("bad", BAD_IDS)
    def test_ids(self, bad: str) -> None:
        """Ids are letters, digits, '.', '_' or '-', starting with a letter or digit."""
        with pytest.raises(InvalidValueError, match="'id' must be an id"):
            indicator(bad)

    def test_needs_a_target(self) -> None:
        """An indicator without a target cannot be built."""
        with pytest.raises(InvalidValueError, match=refused("targets", (), "at least one Target")):
            Indicator(id="1.1", label=label(), unit=PERCENT, targets=())

    def test_targets_must_be_targets(self) -> None:
        """Each target is a Target; a bad one is named by position."""
        with pytest.raises(InvalidValueError, match=refused("targets[1]", 70, "a Target")):
            Indicator(id="1.1", label=label(), unit=PERCENT, targets=[share(), 70])

    def test_targets_list_becomes_tuple(self) -> None:
        """A list of targets is frozen into a tuple."""
        built = Indicator(id="1.1", label=label(), unit=PERCENT, targets=[share()])
        assert built.targets == (share(),)

    def test_label_must_be_label(self) -> None:
        """A label given as text is refused."""
        with pytest.raises(InvalidValueError, match=refused("label", "x", "a Label")):
            Indicator(id="1.1", label="x", unit=PERCENT, targets=[share()])  # type: ignore[arg-type]

    def test_unit_must_be_unit(self) -> None:
        """A unit given as text is refused."""
        with pytest.raises(InvalidValueError, match=refused("unit", "%", "a Unit")):
            Indicator(id="1.1", label=label(), unit="%", targets=[share()])  # type: ignore[arg-type]

    def test_target_by_scope(self) -> None:
        """target(scope) picks the target of that scope."""
        levels = indicator(
            "2.7", share(70, scope="city"), share(60, scope="district"), share(55, scope="commune")
        )
        assert levels.target("district").value == 60

    def test_only_target(self) -> None:
        """target() gives the only target, even when it has a scope."""
        assert indicator("2.8", share(60, scope="city")).target().value == 60

    def test_target_unknown_scope(self) -> None:
        """An unknown scope raises UnknownIdError listing the scopes."""
        levels = indicator("2.7", share(70, scope="city"), share(60, scope="district"))
        with pytest.raises(UnknownIdError, match="its scopes are 'city', 'district'"):
            levels.target("ward")
        with pytest.raises(UnknownIdError, match="no single target with scope None"):
            levels.target()

    def test_is_rank(self) -> None:
        """An indicator in rank is a rank indicator; one in percent is not."""
        assert indicator("1.1", Target(comparator="rank<=", value=5), unit=RANK).is_rank
        assert not indicator("1.2").is_rank

    def test_measures_is_an_id(self) -> None:
        """measures names a quantity by id."""
        with pytest.raises(InvalidValueError, match="'measures' must be an id"):
            indicator("1.3", measures="digital economy")


class TestIndicatorGroup:
    @pytest.mark.parametrize("count", [-1, True, 2.0, "3"])
    def test_declared_count(self, count: object) -> None:
        """declared_count is a whole number >= 0."""
        with pytest.raises(
            InvalidValueError, match=refused("declared_count", count, "a whole number >= 0")
        ):
            IndicatorGroup(id="G1", label=label(), declared_count=count)  # type: ignore[arg-type]

    def test_counts(self) -> None:
        """13 declared with 6 listed leaves 7 unlisted."""
        group = IndicatorGroup(
            id="G3",
            label=label(),
            declared_count=13,
            indicators=[indicator(f"3.{n}") for n in range(1, 7)],
        )
        assert (group.listed_count, group.unlisted_count) == (6, 7)

    def test_unlisted_never_negative(self) -> None:
        """Listing more than declared (an error check reports) counts no unlisted ones."""
        group = IndicatorGroup(id="G1", label=label(), declared_count=0, indicators=[indicator()])
        assert group.unlisted_count == 0

    def test_indicators_must_be_indicators(self) -> None:
        """A lone string is not a collection of indicators."""
        with pytest.raises(InvalidValueError, match=r"'indicators' must be a tuple of"):
            IndicatorGroup(id="G1", label=label(), declared_count=1, indicators="1.1")

    def test_empty_label(self) -> None:
        """A group cannot have an empty label."""
        with pytest.raises(InvalidValueError, match=refused("vi", "", "non-empty text")):
            IndicatorGroup(id="G1", label=Label(vi=""), declared_count=1)


class TestPriority:
    def test_built(self) -> None:
        """A priority keeps its id, label and optional description."""
        priority = Priority(id="P2", label=Label(vi="Ưu tiên quản trị số"))
        assert (priority.id, priority.label.vi, priority.description) == (
            "P2",
            "Ưu tiên quản trị số",
            None,
        )

    def test_bad_id(self) -> None:
        """A priority id must be an id."""
        with pytest.raises(InvalidValueError, match=r"'id' must be an id .*\(got 'P 2'\)"):
            Priority(id="P 2", label=label())

    def test_description_must_be_label(self) -> None:
        """A description given as text is refused."""
        with pytest.raises(InvalidValueError, match=refused("description", "d", "a Label")):
            Priority(id="P1", label=label(), description="d")  # type: ignore[arg-type]


class TestLink:
    def test_default_weight(self) -> None:
        """A link weighs 1 unless told otherwise."""
        assert Link(to="T01", provenance=Provenance.assumption("x")).weight == 1.0

    @pytest.mark.parametrize("weight", [-0.5, math.nan, True])
    def test_bad_weight(self, weight: object) -> None:
        """A weight is a finite number >= 0."""
        with pytest.raises(InvalidValueError, match=r"'weight' must be a (weight >= 0|finite)"):
            Link(to="T01", provenance=Provenance.seed(), weight=weight)  # type: ignore[arg-type]

    def test_needs_provenance(self) -> None:
        """Every link says where it comes from."""
        with pytest.raises(TypeError, match="provenance"):
            Link(to="T01")  # type: ignore[call-arg]

    def test_bad_target_id(self) -> None:
        """A link points at an id."""
        with pytest.raises(InvalidValueError, match="'to' must be an id"):
            Link(to="T 1", provenance=Provenance.seed())


class TestTask:
    def test_links(self) -> None:
        """Lists of links are frozen into tuples."""
        link = Link(to="T01", provenance=Provenance.assumption("x"))
        task = Task(id="T02", label=label(), depends_on=[link])
        assert task.depends_on == (link,)
        assert (task.contributes_to, task.priorities) == ((), ())

    def test_links_must_be_links(self) -> None:
        """A bare id is not a link; the position is named."""
        with pytest.raises(InvalidValueError, match=refused("contributes_to[0]", "1.1", "a Link")):
            Task(id="T01", label=label(), contributes_to=["1.1"])

    def test_bad_id(self) -> None:
        """A task id must be an id."""
        with pytest.raises(InvalidValueError, match="'id' must be an id"):
            Task(id="", label=label())


def small_plan() -> Plan:
    return Plan(
        id="p",
        label=label(),
        priorities=[Priority(id="P1", label=label())],
        groups=[
            IndicatorGroup(id="G1", label=label(), declared_count=3, indicators=[indicator("1.1")]),
            IndicatorGroup(id="G2", label=label(), declared_count=1, indicators=[indicator("2.1")]),
        ],
        tasks=[Task(id="T01", label=label())],
    )


class TestPlan:
    def test_lookups(self) -> None:
        """indicator, group, group_of, task and priority find elements by id."""
        plan = small_plan()
        assert plan.indicator("2.1").id == "2.1"
        assert plan.group("G2").declared_count == 1
        assert plan.group_of("2.1").id == "G2"
        assert plan.task("T01").id == "T01"
        assert plan.priority("P1").id == "P1"

    def test_indicators_in_plan_order(self) -> None:
        """indicators lists every listed indicator, group by group."""
        assert [i.id for i in small_plan().indicators] == ["1.1", "2.1"]

    def test_declared_count(self) -> None:
        """declared_count sums the groups' declarations, not the listed indicators."""
        assert small_plan().declared_count == 4

    @pytest.mark.parametrize(
        ("method", "message"),
        [
            ("indicator", "no indicator with id '9.9'; known ids: 1.1, 2.1"),
            ("group", "no indicator group with id '9.9'; known ids: G1, G2"),
            ("group_of", "no indicator with id '9.9'; known ids: none"),
            ("task", "no task with id '9.9'; known ids: T01"),
            ("priority", "no priority with id '9.9'; known ids: P1"),
        ],
    )
    def test_unknown_id(self, method: str, message: str) -> None:
        """An unknown id raises UnknownIdError (a LookupError) listing the known ids."""
        with pytest.raises(UnknownIdError, match=re.escape(message)) as caught:
            getattr(small_plan(), method)("9.9")
        assert isinstance(caught.value, LookupError)
        assert isinstance(caught.value, DxplanError)

    @pytest.mark.parametrize("year", [1800, True, "2024"])
    def test_bad_year(self, year: object) -> None:
        """A plan's year is between 1900 and 2200."""
        with pytest.raises(InvalidValueError, match=refused("year", year, "a year (1900–2200)")):
            Plan(id="p", label=label(), year=year)  # type: ignore[arg-type]

    def test_groups_must_be_groups(self) -> None:
        """A bad group is named by position."""
        with pytest.raises(InvalidValueError, match=r"'groups\[0\]' must be an IndicatorGroup"):
            Plan(id="p", label=label(), groups=[indicator()])

    def test_collections_must_be_iterable(self) -> None:
        """None is not a collection of tasks."""
        with pytest.raises(InvalidValueError, match=refused("tasks", None, "a tuple of a Task")):
            Plan(id="p", label=label(), tasks=None)  # type: ignore[arg-type]

    def test_equal_plans_hash_equal(self) -> None:
        """Plans built the same way are equal and hash the same."""
        assert small_plan() == small_plan()
        assert hash(small_plan()) == hash(small_plan())

    def test_bad_entity(self) -> None:
        """The entity is an id as in observations."""
        with pytest.raises(InvalidValueError, match=r"'entity' must be an id .*\(got 'Hồ Chí'\)"):
            Plan(id="p", label=label(), entity="Hồ Chí")
