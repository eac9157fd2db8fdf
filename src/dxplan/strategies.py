"""Hypothesis strategies for dxplan's objects, for property tests of your own code.

Install the ``testing`` extra (``pip install 'dxplan[testing]'``). Every
strategy builds valid objects directly, never by filtering, so drawing is fast
and shrinking gives small, readable examples. Text is Vietnamese, with its
diacritics drawn both precomposed (NFC) and decomposed (NFD), so code that
forgets to normalise is caught.

>>> from hypothesis import given
>>> from dxplan import check
>>> from dxplan.strategies import plans
>>> @given(plans(max_indicators=4))
... def test_generated_plans_are_valid(plan):
...     assert check(plan).ok
>>> test_generated_plans_are_valid()

Generated plans pass :func:`dxplan.check` without errors: ids are unique
within their kind, every link resolves, tasks depend on each other without a
cycle (unless ``acyclic=False``), each group declares at least as many
indicators as it lists, and ``rank<=`` is used exactly on indicators in rank.

With dxplan installed, ``st.from_type(dxplan.Plan)`` (and the same for the
other value objects) uses these strategies: dxplan registers them through
hypothesis' ``hypothesis`` entry point.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import typing
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
from hypothesis import strategies as st

from dxplan import _validators as v
from dxplan._deprecated import renamed
from dxplan.errors import InvalidValueError
from dxplan.index.aggregators import Aggregator
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.rules import Rule
from dxplan.plan.model import (
    Comparator,
    Drive,
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
from dxplan.plan.observations import Observation, Observations, convert
from dxplan.plan.validation import fraction_warning
from dxplan.text import Label
from dxplan.units import RANK, Unit
from dxplan.whatif.scenario import Edit, Scenario

__all__ = [
    "SCENARIO_OPS",
    "VIETNAMESE_LETTERS",
    "composite_indices",
    "drives",
    "identifiers",
    "index_data",
    "indicator_groups",
    "indicators",
    "labels",
    "links",
    "observations",
    "plans",
    "priorities",
    "provenances",
    "scenarios",
    "targets",
    "tasks",
    "units",
    "vietnamese_text",
]

if not typing.TYPE_CHECKING:  # the old name works, with a warning; dxplan.indices is another
    __getattr__ = renamed(__name__, {"indices": "composite_indices"})

# Strategies are built once and reused: hypothesis validates and caches each
# strategy object, so building new ones inside every draw would be slow.

# Text ------------------------------------------------------------------------

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang huyền sắc hỏi ngã nặng
_VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
_CONSONANTS = "bcdđghklmnpqrstvx"
_LOWER = tuple(
    sorted(
        {unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in _TONES}
        | set(_CONSONANTS)
    )
)
VIETNAMESE_LETTERS: tuple[str, ...] = _LOWER + tuple(letter.upper() for letter in _LOWER)
"""Every Vietnamese letter, lower and upper case, vowels with each of the six tones, in NFC."""

_PHRASES = (
    "Chuyển đổi số",
    "Hạ tầng số",
    "Kinh tế số",
    "Xã hội số",
    "Chính quyền số",
    "Dữ liệu số",
    "Đô thị thông minh",
    "Tỷ lệ hồ sơ trực tuyến toàn trình",
    "Nhiệm vụ trọng tâm",
    "Ưu tiên phát triển",
    "Thành phố Hồ Chí Minh",
)
_WORD = st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=7)
_FORMS = st.sampled_from(("NFC", "NFD"))
_ENGLISH = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), min_size=1, max_size=4
).map(" ".join)


def _normalized(drawn: tuple[str, str]) -> str:
    text, form = drawn
    return unicodedata.normalize(form, text)  # type: ignore[arg-type]  # form is NFC or NFD


@functools.cache
def vietnamese_text(*, min_words: int = 1, max_words: int = 5) -> st.SearchStrategy[str]:
    """Vietnamese words with diacritics, as NFC or as NFD text.

    Some draws are real phrases of digital-transformation plans; others are
    made of random Vietnamese letters. Every draw has a visible character.
    """
    if not 1 <= min_words <= max_words:
        raise InvalidValueError(
            "min_words, max_words", (min_words, max_words), "1 <= min_words <= max_words"
        )
    made_up = st.lists(_WORD, min_size=min_words, max_size=max_words).map(" ".join)
    phrases = [p for p in _PHRASES if min_words <= len(p.split()) <= max_words]
    text = st.one_of(st.sampled_from(phrases), made_up) if phrases else made_up
    return st.tuples(text, _FORMS).map(_normalized)


_LABELS = st.builds(Label, vi=vietnamese_text(), en=st.none() | _ENGLISH)
_OPTIONAL_LABELS = st.none() | _LABELS


def labels() -> st.SearchStrategy[Label]:
    """Labels with a Vietnamese name (NFC or NFD on input) and maybe an English one."""
    return _LABELS


_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_IDS = st.one_of(
    st.builds("{}.{}".format, st.integers(1, 9), st.integers(1, 30)),
    st.builds("{}{:02d}".format, st.sampled_from("TPG"), st.integers(1, 99)),
    st.builds(
        str.__add__,
        st.sampled_from(_ALPHANUMERIC),
        st.text(alphabet=_ALPHANUMERIC + "._-", max_size=10),
    ),
)


def identifiers() -> st.SearchStrategy[str]:
    """Ids as dxplan accepts them: plan-like (``"2.7"``, ``"T03"``) or arbitrary."""
    return _IDS


_NOTES = vietnamese_text(max_words=8)
_PROVENANCES = st.one_of(
    st.builds(Provenance, source=st.just(Source.SEED), note=st.just("") | _NOTES),
    st.builds(Provenance, source=st.just(Source.EXTERNAL), note=_NOTES),
    st.builds(Provenance, source=st.just(Source.ASSUMPTION), note=_NOTES),
)


def provenances() -> st.SearchStrategy[Provenance]:
    """Provenances of each source; external and assumed ones carry a note."""
    return _PROVENANCES


# Units and targets -------------------------------------------------------------

_SHARE_UNITS = st.builds(
    Unit,
    symbol=st.sampled_from(("%", "dimensionless", "permille")),
    basis=st.none() | st.sampled_from(("GRDP", "doanh nghiệp", "retail sales", "dân số")),
)
_OTHER_UNITS = st.builds(
    Unit,
    symbol=st.sampled_from(("point", "count", "VND", "tỷ VND", "triệu VND", "USD", "day", "year")),
)
# Only without a basis is a rank comparable with dxplan.units.RANK.
_RANK_UNITS = st.builds(Unit, symbol=st.sampled_from(("rank", "hạng")))
_UNITS: dict[bool | None, st.SearchStrategy[Unit]] = {
    True: _RANK_UNITS,
    False: _SHARE_UNITS | _OTHER_UNITS,
    None: _SHARE_UNITS | _OTHER_UNITS | _RANK_UNITS,
}


def units(*, rank: bool | None = None) -> st.SearchStrategy[Unit]:
    """Units of plan indicators: shares (maybe of a basis), points, counts, money, time, rank.

    Args:
        rank: True gives only the rank unit, False never it, None either.
    """
    return _UNITS[rank]


def _comparators(comparators: Iterable[Comparator | str] | None) -> tuple[Comparator, ...]:
    if comparators is None:
        return tuple(Comparator)
    chosen: list[Comparator] = []
    for comparator in comparators:
        try:
            chosen.append(Comparator(str(comparator)))
        except ValueError:
            expected = "comparators among " + ", ".join(repr(c.value) for c in Comparator)
            raise InvalidValueError("comparators", comparator, expected) from None
    if not chosen:
        raise InvalidValueError("comparators", comparators, "at least one comparator")
    return tuple(dict.fromkeys(chosen))


def _rank_choice(comparators: tuple[Comparator, ...]) -> bool | None:
    """Which units fit: True only ranks, False no ranks, None both."""
    has_rank = Comparator.RANK_AT_MOST in comparators
    if has_rank and len(comparators) == 1:
        return True
    return None if has_rank else False


def _floats(top: float) -> st.SearchStrategy[float]:
    return st.floats(0.0, top, allow_nan=False, allow_infinity=False)


# Plausible target values for each unit symbol; other units take 0 to a million.
_VALUES: dict[str, st.SearchStrategy[float]] = {
    "%": _floats(100.0),
    "dimensionless": _floats(1.0),
    "permille": _floats(1000.0),
    "point": _floats(1000.0),
    "count": st.integers(0, 10_000).map(float),
}
_OTHER_VALUES = _floats(1e6)
_SCOPES = ("city", "district", "commune", "a", "b", "c")
_OPTIONAL_SCOPES = st.none() | st.sampled_from(_SCOPES)
_SCOPE_ORDERS = st.permutations(_SCOPES)
_DEADLINES = (
    st.none() | st.integers(2020, 2035) | st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31))
)
_RANKS = st.integers(1, 63)
_RANK_MARGINS = st.none() | st.integers(0, 40)


def _draw_target(
    draw: st.DrawFn, unit: Unit, comparators: tuple[Comparator, ...], scope: str | None
) -> Target:
    if unit.is_comparable(RANK):
        rank = draw(_RANKS)
        margin = draw(_RANK_MARGINS)
        return Target(
            comparator=Comparator.RANK_AT_MOST,
            value=rank,
            unit=unit if draw(st.booleans()) else None,
            deadline=draw(_DEADLINES),
            scope=scope,
            out_of=None if margin is None else rank + margin,
            provenance=draw(_PROVENANCES),
        )
    comparator = draw(st.sampled_from([c for c in comparators if not c.is_rank]))
    values = _VALUES.get(unit.symbol, _OTHER_VALUES)
    value = draw(values)
    baseline = draw(st.none() | values)
    return Target(
        comparator=comparator,
        value=value,
        unit=unit if draw(st.booleans()) else None,
        # A baseline equal to the target means nothing (and is refused): leave it out.
        baseline=None if baseline == value else baseline,
        deadline=draw(_DEADLINES),
        scope=scope,
        scope_label=draw(_OPTIONAL_LABELS) if scope is not None else None,
        provenance=draw(_PROVENANCES),
    )


def _unit_for(unit: Unit | None, comparators: tuple[Comparator, ...]) -> st.SearchStrategy[Unit]:
    rank = _rank_choice(comparators)
    if unit is None:
        return units(rank=rank)
    if not isinstance(unit, Unit):
        raise InvalidValueError("unit", unit, "a Unit or None")
    if unit.is_comparable(RANK) and rank is False:
        raise InvalidValueError("comparators", comparators, "'rank<=' among them for a rank unit")
    if not unit.is_comparable(RANK) and rank is True:
        raise InvalidValueError("unit", unit, "a unit in rank when the only comparator is 'rank<='")
    return st.just(unit)


def targets(
    *,
    unit: Unit | None = None,
    comparators: Iterable[Comparator | str] | None = None,
) -> st.SearchStrategy[Target]:
    """Targets for an indicator in ``unit`` (any unit fitting ``comparators`` when None).

    A unit in rank gets ``rank<=`` with a whole rank; any other unit gets one
    of the other ``comparators``, with a value in a plausible range for the unit.

    Args:
        unit: the indicator's unit.
        comparators: the comparators to draw from (all when None).
    """
    chosen = _comparators(comparators)
    unit_strategy = _unit_for(unit, chosen)

    @st.composite
    def build(draw: st.DrawFn) -> Target:
        return _draw_target(draw, draw(unit_strategy), chosen, draw(_OPTIONAL_SCOPES))

    return build()


_MEASURES = st.none() | st.sampled_from(("digital-economy", "online-services", "5g-coverage"))
_TARGET_COUNTS = st.integers(1, 3)
_SCORED_FROM = st.none() | st.just("dti-922")


def _draw_indicator(
    draw: st.DrawFn, indicator_id: str, unit: Unit, comparators: tuple[Comparator, ...]
) -> Indicator:
    count = draw(_TARGET_COUNTS)
    # One target per scope: several targets of one indicator need distinct scopes.
    scopes = [draw(_OPTIONAL_SCOPES)] if count == 1 else draw(_SCOPE_ORDERS)[:count]
    return Indicator(
        id=indicator_id,
        label=draw(_LABELS),
        unit=unit,
        targets=[_draw_target(draw, unit, comparators, scope) for scope in scopes],
        measures=draw(_MEASURES),
        provenance=draw(_PROVENANCES),
        scored_from=draw(_SCORED_FROM),
    )


def indicators(
    *,
    unit: Unit | None = None,
    comparators: Iterable[Comparator | str] | None = None,
) -> st.SearchStrategy[Indicator]:
    """Indicators with one to three targets (several targets have distinct scopes).

    Args:
        unit: the indicator's unit (any unit fitting ``comparators`` when None).
        comparators: the comparators its targets may use (all when None).
    """
    chosen = _comparators(comparators)
    unit_strategy = _unit_for(unit, chosen)

    @st.composite
    def build(draw: st.DrawFn) -> Indicator:
        return _draw_indicator(draw, draw(_IDS), draw(unit_strategy), chosen)

    return build()


_EXTRA_DECLARED = st.integers(0, 3)


def _draw_group(
    draw: st.DrawFn,
    group_id: str,
    indicator_ids: Sequence[str],
    comparators: tuple[Comparator, ...],
) -> IndicatorGroup:
    unit = units(rank=_rank_choice(comparators))
    listed = [_draw_indicator(draw, i, draw(unit), comparators) for i in indicator_ids]
    return IndicatorGroup(
        id=group_id,
        label=draw(_LABELS),
        declared_count=len(listed) + draw(_EXTRA_DECLARED),
        indicators=listed,
        provenance=draw(_PROVENANCES),
    )


def _unique_ids(least: int, most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_IDS, min_size=least, max_size=most, unique=True)


def _size(name: str, size: int) -> int:
    v.non_negative_int.check(name, size)
    return size


_SHARE = v.fraction.saying("a share from 0 to 1")


def _check_share(name: str, share: object) -> None:
    _SHARE.check(name, share)


def _check_sizes(least: int, most: int, what: str = "indicators") -> None:
    if _size(f"min_{what}", least) > _size(f"max_{what}", most):
        raise InvalidValueError(f"min_{what}", least, f"at most max_{what} ({most})")


def indicator_groups(
    *,
    min_indicators: int = 0,
    max_indicators: int = 6,
    comparators: Iterable[Comparator | str] | None = None,
) -> st.SearchStrategy[IndicatorGroup]:
    """Indicator groups listing indicators with unique ids, declaring at least as many.

    Args:
        min_indicators: the fewest indicators listed.
        max_indicators: the most indicators listed.
        comparators: the comparators the targets may use (all when None).
    """
    _check_sizes(min_indicators, max_indicators)
    chosen = _comparators(comparators)
    ids = _unique_ids(min_indicators, max_indicators)

    @st.composite
    def build(draw: st.DrawFn) -> IndicatorGroup:
        return _draw_group(draw, draw(_IDS), draw(ids), chosen)

    return build()


_PRIORITIES = st.builds(
    Priority, id=_IDS, label=_LABELS, description=_OPTIONAL_LABELS, provenance=_PROVENANCES
)


def priorities() -> st.SearchStrategy[Priority]:
    """Priorities with a label and maybe a description."""
    return _PRIORITIES


_WEIGHTS = st.floats(0.0, 5.0)
_LINKS = st.builds(Link, to=_IDS, provenance=_PROVENANCES, weight=_WEIGHTS)


def links() -> st.SearchStrategy[Link]:
    """Links to arbitrary ids, with a weight from 0 to 5."""
    return _LINKS


def _draw_links(draw: st.DrawFn, ids: Sequence[str], most: int) -> tuple[Link, ...]:
    """Links to some of ``ids`` (each at most once), in a drawn order."""
    if not ids:
        return ()
    # Indices rather than st.sampled_from(ids): a few cached strategies serve every plan.
    chosen = draw(st.lists(st.integers(0, len(ids) - 1), unique=True, max_size=most))
    return tuple(
        Link(to=ids[n], provenance=draw(_PROVENANCES), weight=draw(_WEIGHTS)) for n in chosen
    )


_DTI_COMPONENTS = (
    "nhan_thuc_so",
    "the_che_so",
    "ha_tang_so",
    "nhan_luc_so",
    "an_toan_thong_tin_mang",
    "do_thi_thong_minh",
    "hd_chinh_quyen_so",
    "hd_kinh_te_so",
    "hd_xa_hoi_so",
)
_DRIVES = st.builds(
    Drive,
    index=st.just("dti-922"),
    component=st.sampled_from(_DTI_COMPONENTS),
    provenance=_PROVENANCES,
)
_TASK_DRIVES = st.lists(_DRIVES, max_size=2, unique_by=lambda d: d.component)


def drives() -> st.SearchStrategy[Drive]:
    """Drives of components of the bundled DTI (``dti-922``), which :func:`dxplan.check` loads."""
    return _DRIVES


_ANY_LINKS = st.lists(_LINKS, max_size=3)
_TASKS = st.builds(
    Task,
    id=_IDS,
    label=_LABELS,
    depends_on=_ANY_LINKS,
    contributes_to=_ANY_LINKS,
    priorities=_ANY_LINKS,
    provenance=_PROVENANCES,
    drives=_TASK_DRIVES,
)


def tasks() -> st.SearchStrategy[Task]:
    """Tasks on their own: their links point at arbitrary ids.

    Inside a plan (see :func:`plans`) links resolve; here nothing can, since
    there is no plan to resolve them in.
    """
    return _TASKS


_GROUP_COUNTS = st.integers(1, 4)
_PRIORITY_IDS = _unique_ids(0, 4)
_ORDER_KEYS = st.integers(0, 1_000)
_YEARS = st.none() | st.integers(2020, 2030)
_ENTITIES = st.none() | st.sampled_from(("ho-chi-minh", "ha-noi", "da-nang")) | _IDS


def plans(
    *,
    min_indicators: int = 0,
    max_indicators: int = 8,
    max_tasks: int = 6,
    comparators: Iterable[Comparator | str] | None = None,
    acyclic: bool = True,
) -> st.SearchStrategy[Plan]:
    """Whole plans that :func:`dxplan.check` accepts without errors.

    Indicators are spread over one to four groups (a group may list none);
    tasks link to the plan's own tasks, indicators and priorities.

    Args:
        min_indicators: the fewest indicators the plan lists.
        max_indicators: the most indicators the plan lists.
        max_tasks: the most tasks.
        comparators: the comparators targets may use (all when None); without
            ``"rank<="`` no indicator is in rank, with only ``"rank<="`` all are.
        acyclic: False lets tasks depend on any task, themselves included, so
            some plans have dependency cycles (which :func:`dxplan.check` reports).
    """
    _check_sizes(min_indicators, max_indicators)
    _check_sizes(0, max_tasks, "tasks")
    chosen = _comparators(comparators)
    indicator_ids = _unique_ids(min_indicators, max_indicators)
    task_ids = _unique_ids(0, max_tasks)

    @st.composite
    def build(draw: st.DrawFn) -> Plan:
        listed = draw(indicator_ids)
        group_ids = draw(_unique_ids(1, draw(_GROUP_COUNTS)))
        homes = [draw(st.integers(0, len(group_ids) - 1)) for _ in listed]
        groups = [
            _draw_group(
                draw, group_id, [i for i, h in zip(listed, homes, strict=True) if h == n], chosen
            )
            for n, group_id in enumerate(group_ids)
        ]
        priority_ids = draw(_PRIORITY_IDS)
        plan_priorities = [
            Priority(id=i, label=draw(_LABELS), provenance=draw(_PROVENANCES)) for i in priority_ids
        ]
        ids = draw(task_ids)
        # Tasks depend only on tasks earlier in a drawn order, so there is no cycle.
        order = sorted(ids, key=lambda _: draw(_ORDER_KEYS))
        plan_tasks = [
            Task(
                id=task_id,
                label=draw(_LABELS),
                depends_on=_draw_links(
                    draw, order[: order.index(task_id)] if acyclic else ids, most=3
                ),
                contributes_to=_draw_links(draw, listed, most=4),
                priorities=_draw_links(draw, priority_ids, most=2),
                provenance=draw(_PROVENANCES),
                drives=draw(_TASK_DRIVES),
            )
            for task_id in ids
        ]
        return Plan(
            id=draw(_IDS),
            label=draw(_LABELS),
            year=draw(_YEARS),
            entity=draw(_ENTITIES),
            theme=draw(_OPTIONAL_LABELS),
            priorities=plan_priorities,
            groups=groups,
            tasks=plan_tasks,
            provenance=draw(_PROVENANCES),
        )

    return build()


# Observations ------------------------------------------------------------------

_SOURCES = st.just("") | _NOTES
_PERIOD_COUNTS = st.integers(1, 3)


def _value_strategy(indicator: Indicator) -> st.SearchStrategy[float]:
    """Values the indicator can take, the targets' own values (boundaries) among them."""
    unit = indicator.unit
    if unit.is_rank:
        out_of = max((t.out_of or 0 for t in indicator.targets), default=0) or 63
        return st.integers(1, out_of).map(float)
    if unit.is_share:
        whole = convert(1.0, Unit(symbol="dimensionless", basis=unit.basis), unit)
        values = _floats(whole)
        low, high = 0.0, whole
    else:
        values = _floats(1e6)
        low, high = 0.0, 1e6
    boundaries = sorted({t.value for t in indicator.targets if low <= t.value <= high})
    return st.one_of(st.sampled_from(boundaries), values) if boundaries else values


def observations(
    plan: Plan,
    *,
    entities: Sequence[str] | None = None,
    max_entities: int = 3,
    periods: Sequence[int] | None = None,
    missing: float = 0.0,
) -> st.SearchStrategy[Observations]:
    """Observations of ``plan``'s indicators that :meth:`Observations.resolve` accepts
    without a warning.

    Every entity has a value for every indicator, scope and period (a cell),
    except a ``missing`` share of the cells, left out. Values stay within
    what the unit allows (0–100 % for shares, whole ranks within ``out_of``)
    and are often exactly a target's value, where comparators differ.

    Args:
        plan: the plan whose indicators are observed.
        entities: the entity ids; by default one to ``max_entities`` ids are
            drawn, the plan's own ``entity`` first when it has one.
        max_entities: the most entities drawn when ``entities`` is None.
        periods: the years observed; by default one to three years up to the
            plan's year (2024 when it has none).
        missing: the share of cells left out, from 0 (none) to 1 (all);
            the number left out is rounded down.
    """
    if not isinstance(plan, Plan):
        raise InvalidValueError("plan", plan, "a dxplan.Plan")
    _check_share("missing", missing)
    _check_sizes(1, max_entities, "entities")
    fixed_entities = None if entities is None else list(dict.fromkeys(entities))
    if fixed_entities is not None and not fixed_entities:
        raise InvalidValueError("entities", entities, "at least one entity id")
    last = plan.year or 2024
    slots = [
        (indicator, scope, _value_strategy(indicator))
        for indicator in plan.indicators
        for scope in dict.fromkeys(t.scope for t in indicator.targets)
    ]
    drawn_entities = _unique_ids(1, max_entities)

    @st.composite
    def build(draw: st.DrawFn) -> Observations:
        if fixed_entities is not None:
            who = fixed_entities
        else:
            who = draw(drawn_entities)
            if plan.entity is not None:
                who = [plan.entity, *(e for e in who if e != plan.entity)][:max_entities]
        years = (
            list(periods)
            if periods is not None
            else list(range(last - draw(_PERIOD_COUNTS) + 1, last + 1))
        )
        cells = [(e, slot, year) for e in who for slot in slots for year in years]
        dropped = int(missing * len(cells))
        left_out = set(draw(st.permutations(range(len(cells))))[:dropped]) if dropped else set()
        items = []
        for n, (entity, (indicator, scope, values), year) in enumerate(cells):
            if n in left_out:
                continue
            value = draw(values)
            # Bare or with its unit; bare only where the value does not look like a fraction.
            bare = not draw(st.booleans()) and fraction_warning(indicator, value) is None
            items.append(
                Observation(
                    entity=entity,
                    indicator=indicator.id,
                    period=year,
                    value=value,
                    unit=None if bare else indicator.unit,
                    scope=scope,
                    source=draw(_SOURCES),
                )
            )
        return Observations(items=items)

    return build()


# Composite indices ---------------------------------------------------------------

_UNRESTRICTED = frozenset({"arithmetic-mean", "weighted-sum", "minimum"})
# Rules that can score every positive raw value above zero, with suitable parameters.
_CAN_BE_POSITIVE = frozenset(
    {"identity", "ratio", "steps", "categories", "min-max", "rank", "fraction-of-max"}
)
_ALWAYS_POSITIVE = frozenset({"identity", "ratio", "rank", "fraction-of-max"})
_INDEX_WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 2.0]) | st.floats(0.0, 10.0)
_SCORES = st.floats(0.0, 1.0)
_POSITIVE_SCORES = st.floats(0.01, 1.0)
_POINTS = st.sampled_from([1.0, 10.0, 100.0, 1000.0])
_AVAILABILITY = st.none() | st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0.0, 1.0)
_CODES = st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True)
_THRESHOLDS = st.lists(st.integers(1, 100), min_size=1, max_size=4, unique=True).map(sorted)


def _kinds(given: Iterable[str] | None, known: Iterable[str], name: str) -> tuple[str, ...]:
    choices = tuple(known)
    if given is None:
        return choices
    chosen = tuple(dict.fromkeys(str(kind) for kind in given))
    unknown = [kind for kind in chosen if kind not in choices]
    if unknown or not chosen:
        raise InvalidValueError(name, given, "kinds among " + ", ".join(choices))
    return chosen


def _draw_rule(
    draw: st.DrawFn, kinds: Sequence[str], positive: bool
) -> tuple[Rule, int, bool, bool]:
    """A rule, its direction, and whether its scores are ≥ 0 and > 0 for positive raw values."""
    from dxplan.index import rules as r

    kind = draw(st.sampled_from([k for k in kinds if not positive or k in _CAN_BE_POSITIVE]))
    scores = _POSITIVE_SCORES if positive else _SCORES
    non_negative, above_zero = kind != "z-score", kind in _ALWAYS_POSITIVE
    rule: Rule
    if kind == "ratio":
        rule = r.Ratio(required=draw(st.floats(1.0, 100.0)), points=draw(_POINTS), cap=True)
    elif kind in ("steps", "categories"):
        keys = draw(_THRESHOLDS if kind == "steps" else _CODES)
        given = [draw(scores) for _ in keys]
        if kind == "steps":
            below = draw(scores)
            rule = r.Steps(thresholds=keys, scores=given, below=below)
            given.append(below)
        else:
            rule = r.Categories(codes=keys, scores=given)
        above_zero = min(given) > 0
    elif kind == "goalposts":
        low = draw(st.floats(0.0, 50.0))
        non_negative = draw(st.booleans())  # truncated goalposts stay within [0, scale]
        rule = r.Goalposts(
            low=low,
            high=low + draw(st.floats(1.0, 100.0)),
            scale=draw(_POINTS),
            truncate=non_negative,
        )
    elif kind == "distance-to-target":
        baseline = draw(st.floats(0.0, 50.0))
        step = draw(st.floats(1.0, 100.0)) * draw(st.sampled_from([1, -1]))
        non_negative = draw(st.booleans())  # capped progress stays within [0, 1]
        rule = r.DistanceToTarget(target=baseline + step, baseline=baseline, cap=non_negative)
    elif kind == "min-max":
        low = draw(st.floats(0.01, 1.0) if positive else st.sampled_from([0.0, 0.5]))
        rule = r.MinMax(low=low, high=low + draw(st.sampled_from([1.0, 100.0])))
        above_zero = low > 0
    elif kind == "z-score":
        rule = r.ZScore(
            mean=draw(st.sampled_from([0.0, 10.0])), sd=draw(st.sampled_from([1.0, 2.0]))
        )
    else:
        rule = r.RULES[kind]()
    direction = draw(st.sampled_from([1, -1])) if rule.takes_direction else 1
    return rule, direction, non_negative, above_zero


def _draw_aggregator(
    draw: st.DrawFn, kinds: Sequence[str], non_negative: bool, positive: bool
) -> Aggregator:
    from dxplan.index import aggregators as a

    usable = [
        k
        for k in kinds
        if k in _UNRESTRICTED or positive or (k == "generalised-mean" and non_negative)
    ]
    kind = draw(st.sampled_from(usable))
    if kind == "generalised-mean":
        powers = [0.5, 2.0, 3.0] + ([-1.0, -2.0] if positive else [])
        return a.GeneralisedMean(p=draw(st.sampled_from(powers)))
    return a.AGGREGATORS[kind]()


def composite_indices(
    *,
    min_leaves: int = 1,
    max_leaves: int = 8,
    max_depth: int = 3,
    rules: Iterable[str] | None = None,
    aggregators: Iterable[str] | None = None,
    shared: bool = True,
) -> st.SearchStrategy[Index]:
    """Composite indices: leaves with rules, aggregated in up to ``max_depth`` levels.

    Every node is reachable from the root, there is no cycle, and an index
    evaluates :func:`index_data` drawn for it without error: an aggregator
    that needs positive values (geometric, harmonic, negative power) is only
    put over children whose scores are positive. Aggregates and the index carry
    a :class:`~dxplan.text.Label`; a leaf sometimes none.

    Args:
        min_leaves: the fewest leaves (components).
        max_leaves: the most leaves.
        max_depth: the most levels of aggregates above the leaves.
        rules: the rule kinds leaves may use (see :data:`dxplan.index.rules.RULES`);
            all when None.
        aggregators: the aggregator kinds nodes may use (see
            :data:`dxplan.index.aggregators.AGGREGATORS`); all when None.
        shared: whether a node may also have a child that already has a
            parent, as the DTI pillars share the foundation indicators.
    """
    from dxplan.index.aggregators import AGGREGATORS
    from dxplan.index.rules import RULES

    _check_sizes(min_leaves, max_leaves, "leaves")
    if min_leaves < 1:
        raise InvalidValueError("min_leaves", min_leaves, "a whole number >= 1")
    _check_sizes(1, max_depth, "depth")
    rule_kinds = _kinds(rules, RULES, "rules")
    aggregator_kinds = _kinds(aggregators, AGGREGATORS, "aggregators")
    # Without an aggregator that takes any value, every score must be positive.
    force_positive = not (set(aggregator_kinds) & _UNRESTRICTED)
    if force_positive and not set(rule_kinds) & _CAN_BE_POSITIVE:
        raise InvalidValueError(
            "rules",
            rules,
            "a rule that can score above zero ("
            + ", ".join(sorted(_CAN_BE_POSITIVE))
            + ") for the aggregators given",
        )
    leaf_ids = _unique_ids(min_leaves, max_leaves)

    @st.composite
    def build(draw: st.DrawFn) -> Index:
        nodes: list[Node] = []
        flags: dict[str, tuple[bool, bool]] = {}
        for leaf_id in draw(leaf_ids):
            rule, direction, non_negative, positive = _draw_rule(draw, rule_kinds, force_positive)
            label = draw(st.none() | _LABELS)
            nodes.append(Leaf(id=leaf_id, rule=rule, direction=direction, label=label))
            flags[leaf_id] = (non_negative, positive)
        current = list(flags)
        parented: list[str] = []
        depth = draw(st.integers(1, max_depth))
        for level in range(1, depth + 1):
            count = 1 if level == depth else draw(st.integers(1, max(1, len(current) // 2)))
            homes = [draw(st.integers(0, count - 1)) for _ in current]
            groups = [
                [c for c, h in zip(current, homes, strict=True) if h == g] for g in range(count)
            ]
            made: list[str] = []
            for children in (g for g in groups if g):
                if shared and parented:
                    extra = draw(st.lists(st.sampled_from(parented), unique=True, max_size=2))
                    children = children + [c for c in extra if c not in children]
                node_id = f"Trụ cột {level}.{len(made) + 1}"
                weights = [draw(_INDEX_WEIGHTS) for _ in children]
                if not any(w > 0 for w in weights):
                    weights[0] = 1.0
                non_negative = all(flags[c][0] for c in children)
                positive = all(flags[c][1] for c in children)
                nodes.append(
                    Aggregate(
                        id=node_id,
                        children=children,
                        weights=weights,
                        aggregator=_draw_aggregator(draw, aggregator_kinds, non_negative, positive),
                        min_availability=draw(_AVAILABILITY),
                        points=draw(_POINTS),
                        label=draw(_LABELS),
                    )
                )
                flags[node_id] = (non_negative, positive)
                made.append(node_id)
            parented += current
            current = made
            if len(current) == 1:
                break
        return Index(root=current[0], nodes=draw(st.permutations(nodes)), name=draw(_LABELS))

    return build()


_RAW_VALUES = st.sampled_from([1.0, 50.0, 100.0]) | st.floats(0.01, 100.0)


def index_data(
    index: Index,
    *,
    min_entities: int = 2,
    max_entities: int = 10,
    missing: float = 0.0,
    values: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[IndexData]:
    """Raw data for ``index``: one column per component, one row per entity.

    Values are positive (0.01 to 100, often tied) unless ``values`` says
    otherwise; a component read by a categories rule takes its codes.

    Args:
        index: the index whose components are drawn.
        min_entities: the fewest entities (rows).
        max_entities: the most entities.
        missing: the share of cells left missing (NaN), rounded down.
        values: the raw values of components that are not categories.
    """
    from dxplan.index.rules import Categories

    if not isinstance(index, Index):
        raise InvalidValueError("index", index, "a dxplan.index.model.Index")
    _check_sizes(min_entities, max_entities, "entities")
    _check_share("missing", missing)
    raw = _RAW_VALUES if values is None else values
    columns: dict[str, st.SearchStrategy[float]] = {}
    for leaf in index.leaves:
        if isinstance(leaf.rule, Categories):
            columns[leaf.component] = st.sampled_from(leaf.rule.codes)
        columns.setdefault(leaf.component, raw)
    components = list(index.components)
    entity_ids = _unique_ids(min_entities, max_entities)

    @st.composite
    def build(draw: st.DrawFn) -> IndexData:
        entities = draw(entity_ids)
        matrix = [[draw(columns[c]) for c in components] for _ in entities]
        cells = len(entities) * len(components)
        dropped = int(missing * cells)
        if dropped:
            for n in draw(st.permutations(range(cells)))[:dropped]:
                matrix[n // len(components)][n % len(components)] = math.nan
        return IndexData(
            entities=entities,
            components=components,
            values=np.array(matrix, dtype=np.float64).reshape(len(entities), len(components)),
        )

    return build()


# Scenarios -----------------------------------------------------------------------

SCENARIO_OPS = ("set", "shift", "scale", "weight", "drop", "add-entity", "remove-entity")
"""The index-side edits :func:`scenarios` draws."""

_SHIFTS = st.floats(0.0, 10.0)
_FACTORS = st.sampled_from([0.5, 1.0, 2.0]) | st.floats(0.1, 10.0)
_EDIT_WEIGHTS = st.floats(0.1, 10.0)


def _raw_values(index: Index) -> dict[str, st.SearchStrategy[float]]:
    from dxplan.index.rules import Categories

    columns: dict[str, st.SearchStrategy[float]] = {}
    for leaf in index.leaves:
        if isinstance(leaf.rule, Categories):
            columns[leaf.component] = st.sampled_from(leaf.rule.codes)
        columns.setdefault(leaf.component, _RAW_VALUES)
    return columns


def _draw_edit(draw: st.DrawFn, index: Index, data: IndexData, ops: Sequence[str]) -> Edit:
    from dxplan.whatif import scenario as s

    values = _raw_values(index)
    components = [c for c in data.components if c in values]
    numeric = [c for c in components if values[c] is _RAW_VALUES]
    aggregates = index.aggregates
    usable = [
        op
        for op in ops
        if (op != "weight" or aggregates)
        and (op not in ("shift", "scale") or numeric)
        and (op != "remove-entity" or len(data.entities) > 1)
    ]
    op = draw(st.sampled_from(usable)) if usable else "set"
    entity = draw(st.none() | st.sampled_from(data.entities))
    if op == "set":
        component = draw(st.sampled_from(components))
        return s.SetValue(entity=entity, component=component, value=draw(values[component]))
    if op == "shift":
        return s.ShiftValue(
            entity=entity, component=draw(st.sampled_from(numeric)), by=draw(_SHIFTS)
        )
    if op == "scale":
        return s.ScaleValue(
            entity=entity, component=draw(st.sampled_from(numeric)), factor=draw(_FACTORS)
        )
    if op == "weight":
        node = draw(st.sampled_from(aggregates))
        child = draw(st.sampled_from(node.children))
        # points= is the raw weight whatever the node: never refused as ambiguous.
        return s.SetWeight(node=node.id, child=child, points=draw(_EDIT_WEIGHTS))
    if op == "drop":
        return s.DropComponent(component=draw(st.sampled_from(components)))
    if op == "add-entity":
        new = draw(_IDS)
        chosen = draw(st.lists(st.sampled_from(components), unique=True, max_size=len(components)))
        return s.AddEntity(
            entity=new if new not in data.entities else f"{new}-new",
            values={c: draw(values[c]) for c in chosen},
        )
    return s.RemoveEntity(entity=draw(st.sampled_from(data.entities)))


def scenarios(
    index: Index,
    data: IndexData,
    *,
    min_edits: int = 1,
    max_edits: int = 4,
    ops: Iterable[str] | None = None,
) -> st.SearchStrategy[Scenario]:
    """Scenarios whose edits all apply, in order, to ``index`` and ``data``.

    Each edit names an entity, component or node that exists when it applies
    (after the edits before it). New values stay positive (or are a
    categories rule's codes) and weights stay above zero, so an index drawn
    by :func:`composite_indices` still evaluates the edited data. A drop that would
    leave the root with no children becomes a weight change instead.

    Args:
        index: the index the scenario edits.
        data: the data it edits.
        min_edits: the fewest edits.
        max_edits: the most edits.
        ops: the edit kinds to draw (see :data:`SCENARIO_OPS`); all when None.
    """
    from dxplan.errors import ScenarioError
    from dxplan.whatif.scenario import SetValue, SetWeight

    if not isinstance(index, Index):
        raise InvalidValueError("index", index, "a dxplan.index.model.Index")
    if not isinstance(data, IndexData):
        raise InvalidValueError("data", data, "a dxplan.index.data.IndexData")
    _check_sizes(min_edits, max_edits, "edits")
    chosen = _kinds(ops, SCENARIO_OPS, "ops")
    index.evaluate(data)  # the inputs must fit each other before any edit
    name = vietnamese_text(max_words=3)

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        current_index, current_data = index, data
        edits: list[Edit] = []
        for _ in range(draw(st.integers(min_edits, max_edits))):
            edit = _draw_edit(draw, current_index, current_data, chosen)
            try:
                step = Scenario("step", edits=(edit,)).apply(current_index, current_data)
            except ScenarioError:
                # Only a drop can fail here (it would empty the root): change a weight instead.
                node = current_index.aggregates[0] if current_index.aggregates else None
                edit = (
                    SetWeight(node=node.id, child=node.children[0], points=1.0)
                    if node is not None
                    else SetValue(entity=None, component=current_data.components[0], value=1.0)
                )
                step = Scenario("step", edits=(edit,)).apply(current_index, current_data)
            current_index, current_data = step
            edits.append(edit)
        return Scenario(draw(name), edits=tuple(edits))

    return build()
