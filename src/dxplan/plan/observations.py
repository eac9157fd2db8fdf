"""Observations: measured values of a plan's indicators, with units and sources.

An :class:`Observation` is one value of one indicator for one entity (a
province or city, ``"ho-chi-minh"``) in one period (a year), optionally for one
scope of the indicator (an administrative level ``"city"`` / ``"district"`` /
``"commune"``, or a part ``"a"`` / ``"b"``). :class:`Observations` is an
immutable, canonically ordered collection of them, so every lookup and every
result built on it is the same whatever order the values were given in.

Files are long CSV with the columns ``entity,indicator,period,value`` and the
optional ``unit,scope,source``, or JSON (a list of objects with the same keys,
or ``{"observations": [...]}``). Units:

- the value may carry its unit (``"21.5 %"``), or the ``unit`` column may give
  it (``"%"``, ``"% of GRDP"``, ``"1"`` or ``"fraction"`` for a plain ratio,
  ``"rank"``);
- a bare number with an empty unit is taken to be in the indicator's unit;
- a unit without a basis (``"%"``) takes the basis of the indicator it is joined
  to (``"% of GRDP"``); a different basis is refused.

:meth:`Observations.resolve` converts every value into its indicator's unit
(through the one pint registry) and checks it against the plan. Loading never
executes anything from a file.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from dxplan import _files, _numbers
from dxplan import _validators as v
from dxplan._numbers import Locale
from dxplan.errors import (
    FileFormatError,
    InvalidValueError,
    ObservationError,
    ObservationWarning,
    Problem,
    Problems,
    UnitError,
    UnitWarning,
    UnknownIdError,
)
from dxplan.index.provinces import Era, match
from dxplan.plan.validation import fraction_warning
from dxplan.text import nfc
from dxplan.units import Unit

if TYPE_CHECKING:
    from dxplan.plan.model import Indicator, Plan

__all__ = [
    "BUNDLED",
    "COLUMNS",
    "MAX_FILE_BYTES",
    "REQUIRED_COLUMNS",
    "Observation",
    "Observations",
    "bundled_observations",
    "convert",
    "load_observations",
]

COLUMNS = ("entity", "indicator", "period", "value", "unit", "scope", "source")
"""The columns of a long observations CSV, in their usual order."""
REQUIRED_COLUMNS = ("entity", "indicator", "period", "value")
"""Columns a file must have; ``unit``, ``scope`` and ``source`` may be left out."""
MAX_FILE_BYTES = _files.MAX_FILE_BYTES
"""Files larger than this are refused before they are read (the same limit for every loader)."""
BUNDLED = ("hcmc-2024",)
"""Names of the observation sets shipped with dxplan."""

_BUNDLED_FILES = {"hcmc-2024": "hcmc_2024.csv"}
_EXPECTED = {
    ".csv": "a CSV file with a header " + ",".join(COLUMNS),
    ".json": "a JSON list of observations",
}
_UNIT_ALIASES = {"1": "dimensionless", "fraction": "dimensionless", "ratio": "dimensionless"}
_NUMBER_WITH_UNIT = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S.*)?")
_REPEATED = frozenset({"entity", "indicator", "unit", "scope", "source"})
_OF = re.compile(r"\s+(?:of|của)\s+", re.IGNORECASE)


def _nfc_text(value: object) -> Any:
    # Anything but text is passed on unchanged, for the validator to refuse by name.
    return nfc(value) if isinstance(value, str) else value


def _empty_to_none(value: str | None) -> str | None:
    return value or None


@attrs.frozen(kw_only=True)
class Observation:
    """One measured value of an indicator for an entity in a period.

    ``unit`` None means "in the indicator's unit". ``where`` remembers the
    place the value was read from (``observed.csv:4``) so that later checks
    can point at it; it takes no part in equality.

    >>> Observation(entity="ho-chi-minh", indicator="1.1", period=2024, value=1,
    ...             unit=Unit(symbol="rank")).key
    ('ho-chi-minh', '1.1', 2024, None)
    """

    entity: str = attrs.field(validator=v.identifier)
    indicator: str = attrs.field(validator=v.identifier)
    period: int = attrs.field(validator=v.year)
    value: float = attrs.field(converter=v.to_float, validator=v.finite_number)
    unit: Unit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Unit, "a Unit"))
    )
    scope: str | None = attrs.field(
        default=None, converter=_empty_to_none, validator=v.optional(v.identifier)
    )
    source: str = attrs.field(default="", converter=_nfc_text, validator=v.instance_of(str, "text"))
    where: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def key(self) -> tuple[str, str, int, str | None]:
        """What must be unique in a collection: entity, indicator, period, scope."""
        return (self.entity, self.indicator, self.period, self.scope)


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ``"2.10"`` after ``"2.9"``: digit runs compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", text)
    )


def _order(observation: Observation) -> tuple[Any, ...]:
    return (
        observation.entity,
        _natural(observation.indicator),
        observation.scope or "",
        observation.period,
        observation.value,
        observation.source,
    )


def _sorted(items: Iterable[Observation]) -> tuple[Observation, ...]:
    frozen: object = v.to_tuple(items)
    if not isinstance(frozen, tuple) or not all(isinstance(i, Observation) for i in frozen):
        return frozen  # type: ignore[return-value]  # left for the validator to refuse by name
    return tuple(sorted(frozen, key=_order))


def _at(observation: Observation, position: int, column: str | None = None) -> str:
    where = observation.where or f"$.items[{position}]"
    if column is None:
        return where
    return f"{where}.{column}" if "$" in where else f"{where}:{column}"


def _describe_key(key: tuple[str, str, int, str | None]) -> str:
    entity, indicator, period, scope = key
    return f"entity {entity!r}, indicator {indicator!r}, period {period}, scope {scope!r}"


def _duplicates(items: tuple[Observation, ...]) -> list[Problem]:
    seen: dict[tuple[str, str, int, str | None], tuple[int, Observation]] = {}
    problems = []
    for position, item in enumerate(items):
        if item.key in seen:
            first_position, first = seen[item.key]
            problems.append(
                Problem(
                    _at(item, position),
                    f"duplicate of {_at(first, first_position)} ({_describe_key(item.key)}); "
                    "expected one value per entity, indicator, period and scope",
                )
            )
        else:
            seen[item.key] = (position, item)
    return sorted(problems, key=lambda p: _where_order(p.where))


def _unique(_: object, attribute: attrs.Attribute[Any], value: tuple[Observation, ...]) -> None:
    v.tuple_of(Observation, "an Observation")(_, attribute, value)
    problems = _duplicates(value)
    if problems:
        raise ObservationError("duplicate observations", problems)


@attrs.frozen(kw_only=True)
class Observations:
    """An immutable collection of observations, kept in a canonical order.

    The order is by entity, indicator (``"2.10"`` after ``"2.9"``), scope and
    period, whatever order the items came in; two observations with the same
    entity, indicator, period and scope are refused.
    """

    items: tuple[Observation, ...] = attrs.field(default=(), converter=_sorted, validator=_unique)

    def __repr__(self) -> str:
        periods = sorted({o.period for o in self.items})
        span = f", {periods[0]}–{periods[-1]}" if periods else ""
        return (
            f"<Observations: {len(self.items)} values of {len(self.indicators)} indicators "
            f"for {len(self.entities)} entities{span}>"
        )

    def __iter__(self) -> Iterator[Observation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __add__(self, other: Observations) -> Observations:
        if not isinstance(other, Observations):
            return NotImplemented
        return Observations(items=self.items + other.items)

    @property
    def entities(self) -> tuple[str, ...]:
        """The entities observed, sorted."""
        return tuple(sorted({o.entity for o in self.items}))

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicator ids observed, in natural order."""
        return tuple(sorted({o.indicator for o in self.items}, key=_natural))

    @property
    def periods(self) -> tuple[int, ...]:
        """The periods observed, ascending."""
        return tuple(sorted({o.period for o in self.items}))

    def select(
        self,
        *,
        entity: str | None = None,
        indicator: str | None = None,
        scope: str | None = None,
        period: int | None = None,
        until: int | None = None,
    ) -> Observations:
        """The observations matching every criterion given.

        ``until`` keeps periods up to and including that year. ``scope``
        selects one scope; observations without a scope are kept by ``scope=None``
        (the default selects every scope).
        """
        return Observations(
            items=tuple(
                o
                for o in self.items
                if (entity is None or o.entity == entity)
                and (indicator is None or o.indicator == indicator)
                and (scope is None or o.scope == scope)
                and (period is None or o.period == period)
                and (until is None or o.period <= until)
            )
        )

    def get(
        self, entity: str, indicator: str, period: int, scope: str | None = None
    ) -> Observation | None:
        """The one observation with this key, or None."""
        key = (entity, indicator, period, scope or None)
        for item in self.items:
            if item.key == key:
                return item
        return None

    def series(
        self,
        entity: str,
        indicator: str,
        scope: str | None = None,
        *,
        until: int | None = None,
    ) -> tuple[Observation, ...]:
        """The values of one indicator (and scope) for one entity, oldest first."""
        return tuple(
            o
            for o in self.items
            if o.entity == entity
            and o.indicator == indicator
            and o.scope == (scope or None)
            and (until is None or o.period <= until)
        )

    def latest(
        self,
        entity: str,
        indicator: str,
        scope: str | None = None,
        *,
        until: int | None = None,
    ) -> Observation | None:
        """The most recent observation (up to ``until``), or None."""
        series = self.series(entity, indicator, scope, until=until)
        return series[-1] if series else None

    def resolve(self, plan: Plan) -> Observations:
        """Every value converted into its indicator's unit, checked against ``plan``.

        A bare value that looks like a fraction of a % indicator (0.72 against a
        target of 25 %) is read as written, with a
        :class:`~dxplan.errors.UnitWarning` once per indicator
        (:func:`dxplan.plan.validation.fraction_warning`).

        Raises:
            ObservationError: naming every observation of an indicator the plan
                does not list, of a scope its targets do not have, in a unit that
                cannot convert, a share outside 0–100 % or an impossible rank.
        """
        resolved, problems = _resolve(self.items, plan)
        if problems:
            raise ObservationError(
                f"{len(problems)} observation problem(s) against plan {plan.id!r}", problems
            )
        return Observations(items=resolved)


def convert(value: float, unit: Unit | None, to: Unit) -> float:
    """``value`` in ``unit`` expressed in ``to`` (``None`` means already in ``to``).

    A unit without a basis takes the basis of ``to``. The conversion is exact
    in decimal (``0.1`` → ``10`` %, not ``10.000000000000002``) so that a
    value on a target's boundary stays on it whatever unit it was written in.

    >>> convert(0.215, Unit(symbol="1"), Unit(symbol="%", basis="GRDP"))
    21.5

    Raises:
        UnitError: if the units differ in dimension or basis.
    """
    if unit is None or unit == to:
        return value
    comparable, factor = _factor(unit, to)
    if not comparable:
        return _rebased(unit, to).convert(value, to)  # raises, naming the value
    if factor is None:
        return value
    # The formula of Unit.convert, with the factor looked up once per pair of units.
    return float(Decimal(repr(float(value))) * factor)


def _rebased(unit: Unit, to: Unit) -> Unit:
    """A unit without a basis takes the basis of ``to``."""
    if unit.basis is None and to.basis is not None:
        return Unit(symbol=unit.symbol, basis=to.basis)
    return unit


@functools.lru_cache(maxsize=1024)
def _factor(unit: Unit, to: Unit) -> tuple[bool, Decimal | None]:
    """Whether ``unit`` converts into ``to``, and the factor (None: same symbol, unchanged).

    Asked of :meth:`Unit.convert` once per pair of units, not once per value (a
    pint quantity per row made large files slow).
    """
    unit = _rebased(unit, to)
    if not unit.is_comparable(to):
        return False, None
    one = unit.convert(1.0, to)
    return True, None if unit.symbol == to.symbol else Decimal(repr(one))


@functools.lru_cache(maxsize=256)
def _fraction_unit(unit: Unit) -> Unit:
    """The plain ratio of the same basis as ``unit``, to check a share against 0–1."""
    return Unit(symbol="dimensionless", basis=unit.basis)


def _unit_problem(observation: Observation, indicator: Indicator) -> str | None:
    unit = observation.unit
    if unit is None:
        return None
    return _units_disagree(unit, indicator.unit, indicator.id)


@functools.lru_cache(maxsize=1024)
def _units_disagree(unit: Unit, target: Unit, indicator: str) -> str | None:
    """Why ``unit`` cannot convert into ``target`` (None if it can), once per pair of units."""
    if _rebased(unit, target).is_comparable(target):
        return None
    return (
        f"unit {str(unit)!r} cannot convert into indicator {indicator!r}'s unit "
        f"{str(target)!r}; expected a unit of the same dimension and basis"
    )


def _value_problem(value: float, indicator: Indicator, written: str) -> str | None:
    unit = indicator.unit
    if unit.is_share:
        fraction = convert(value, unit, _fraction_unit(unit))
        if not 0.0 <= fraction <= 1.0:
            return f"{written} is a share outside 0–100 %; expected a value from 0 % to 100 %"
    if unit.is_rank:
        out_of = max((t.out_of or 0 for t in indicator.targets), default=0)
        if value < 1 or not value.is_integer():
            return f"found {written}; expected a whole rank >= 1"
        if out_of and value > out_of:
            return f"rank {written} is beyond the {out_of} entities ranked; expected 1–{out_of}"
    return None


def _written(observation: Observation) -> str:
    value = f"{observation.value:g}"
    return f"{value} {observation.unit}" if observation.unit is not None else value


def _unknown_indicator(indicator_id: str, plan: Plan) -> str:
    examples = ", ".join(i.id for i in plan.indicators[:4]) or "none"
    return (
        f"unknown indicator {indicator_id!r}; expected an indicator id of plan "
        f"{plan.id!r} such as {examples}"
    )


def _resolve(
    items: Iterable[Observation], plan: Plan
) -> tuple[tuple[Observation, ...], list[Problem]]:
    indicators = {indicator.id: indicator for indicator in plan.indicators}
    resolved: list[Observation] = []
    problems: list[Problem] = []
    fractions: dict[str, tuple[str, int]] = {}  # indicator → its first warning, and how many
    for position, item in enumerate(items):
        indicator = indicators.get(item.indicator)
        if indicator is None:
            unknown = _unknown_indicator(item.indicator, plan)
            problems.append(Problem(_at(item, position, "indicator"), unknown))
            continue
        scopes = sorted({t.scope for t in indicator.targets if t.scope is not None})
        if item.scope is not None and item.scope not in scopes:
            expected = ", ".join(repr(s) for s in scopes) if scopes else "no scope"
            problems.append(
                Problem(
                    _at(item, position, "scope"),
                    f"unknown scope {item.scope!r} for indicator {item.indicator!r}; "
                    f"expected {expected}",
                )
            )
            continue
        message = _unit_problem(item, indicator)
        if message is not None:
            problems.append(Problem(_at(item, position, "unit"), message))
            continue
        value = convert(item.value, item.unit, indicator.unit)
        message = _value_problem(value, indicator, _written(item))
        if message is not None:
            problems.append(Problem(_at(item, position, "value"), message))
            continue
        if item.unit is None:
            fraction = fraction_warning(indicator, item.value)
            if fraction is not None:
                first = f"{_at(item, position)}: {fraction}"
                first, count = fractions.get(indicator.id, (first, 0))
                fractions[indicator.id] = (first, count + 1)
        resolved.append(attrs.evolve(item, value=value, unit=indicator.unit))
    for first, count in fractions.values():
        more = "" if count == 1 else f" (and {count - 1} more of this indicator)"
        warnings.warn(UnitWarning(first + more), stacklevel=3)
    return tuple(resolved), problems


# Reading files ---------------------------------------------------------------


class _CellError(Exception):
    """One cell that cannot be read; the message says what was expected."""


def _where_order(where: str) -> tuple[Any, ...]:
    """Order problems as they appear in the file: by line, then by column."""
    match = re.search(r":(\d+)(?::(\w+))?$", where)
    if match:
        column = match.group(2) or ""
        rank = COLUMNS.index(column) if column in COLUMNS else -1
        return (0, int(match.group(1)), rank, where)
    indices = tuple(int(i) for i in re.findall(r"\[(\d+)\]", where))
    return (1, indices, 0, where)


def _problem_order(problem: Problem) -> tuple[Any, ...]:
    return _where_order(problem.where)


# Cells up to this long are parsed once per distinct text (a file repeats its ids, years,
# units and many values over the rows; errors are not cached). Longer ones are parsed each
# time: thousands of cached 100 KB cells of a hostile file would hold gigabytes.
_CACHED_LENGTH = 100


def _parse_unit(text: str) -> Unit | None:
    return _parse_unit_text(text) if len(text) <= _CACHED_LENGTH else _read_unit(text)


@functools.lru_cache(maxsize=4096)
def _parse_unit_text(text: str) -> Unit | None:
    return _read_unit(text)


def _read_unit(text: str) -> Unit | None:
    text = " ".join(nfc(text).split())
    if not text:
        return None
    parts = _OF.split(text, maxsplit=1)
    symbol = _UNIT_ALIASES.get(parts[0].lower(), parts[0])
    basis = parts[1] if len(parts) == 2 else None
    try:
        return Unit(symbol=symbol, basis=basis)
    except UnitError:
        raise _CellError(
            f"unknown unit {text!r}; expected a unit such as '%', '% of GRDP', "
            "'1' or 'fraction' (a plain ratio), 'rank', 'point' or 'VND'"
        ) from None


def _parse_value(raw: object, locale: Locale | None = None) -> tuple[float, Unit | None]:
    """A finite number, maybe with its unit (``"21.5 %"``, ``"0,7163"``, ``"1,5 tỷ VND"``)."""
    if isinstance(raw, str) and len(raw) <= _CACHED_LENGTH:
        return _parse_value_text(raw, locale)
    return _parse_number(raw, locale)


@functools.lru_cache(maxsize=8192)
def _parse_value_text(raw: str, locale: Locale | None) -> tuple[float, Unit | None]:
    return _parse_number(raw, locale)


def _parse_number(raw: object, locale: Locale | None) -> tuple[float, Unit | None]:
    if isinstance(raw, bool) or raw is None:
        raise _CellError(f"{raw!r} is not a number; expected a finite number")
    if isinstance(raw, int | float):
        number, unit_text = float(raw), ""
    elif isinstance(raw, str):
        text = raw.strip()
        if not text:
            raise _CellError("no value; expected a number (leave the row out if there is no data)")
        if text.casefold() in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity"):
            number, unit_text = float(text), ""
        else:
            try:
                number, unit_text = _numbers.split_number(text, locale=locale)
            except InvalidValueError as exc:
                if locale is None and _numbers.ambiguous(text):
                    raise _CellError(f"{text!r}: {exc.expected}") from None
                expected = (
                    "a number such as 21.5, 0,7163 or '21.5 %'"
                    if locale is None  # the file's other numbers settle no locale
                    else f"{exc.expected}, maybe with its unit ('72 %')"
                )
                raise _CellError(f"{text!r} is not a number; expected {expected}") from None
    else:
        raise _CellError(f"{raw!r} is not a number; expected a finite number")
    if math.isnan(number):
        raise _CellError(
            f"{raw!r} is not a number (NaN); expected a finite number "
            "(leave the row out if there is no data)"
        )
    if math.isinf(number):
        raise _CellError(f"{raw!r} is infinite; expected a finite number")
    return number, _parse_unit(unit_text)


def _parse_period(raw: object) -> int:
    if isinstance(raw, str) and len(raw) <= _CACHED_LENGTH:
        return _parse_period_text(raw)
    return _parse_year(raw)


@functools.lru_cache(maxsize=1024)
def _parse_period_text(raw: str) -> int:
    return _parse_year(raw)


def _parse_year(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        year = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        year = int(raw.strip())
    else:
        raise _CellError(f"{raw!r} is not a year; expected a year such as 2024")
    if not 1900 <= year <= 2200:
        raise _CellError(f"{raw!r} is not a year; expected a year from 1900 to 2200")
    return year


def _parse_id(raw: object, what: str, *, required: bool) -> str | None:
    if isinstance(raw, str) and len(raw) <= _CACHED_LENGTH:
        return _parse_id_text(raw, what, required)
    return _read_id(raw, what, required=required)


@functools.lru_cache(maxsize=8192)
def _parse_id_text(raw: str, what: str, required: bool) -> str | None:
    return _read_id(raw, what, required=required)


def _read_id(raw: object, what: str, *, required: bool) -> str | None:
    text = nfc(raw).strip() if isinstance(raw, str) else raw
    if text is None or text == "":
        if required:
            raise _CellError(f"no {what}; expected {what} id")
        return None
    if not isinstance(text, str) or not v.IDENTIFIER.fullmatch(text):
        raise _CellError(
            f"{raw!r} is not a valid {what}; expected an id of letters, digits, "
            "'.', '_' or '-' (like 'ho-chi-minh' or '2.7')"
        )
    return text


def _read_cells(
    fields: Mapping[str, object], at: Callable[..., str], locale: Locale | None
) -> tuple[dict[str, Any], list[Problem]]:
    """Every cell of one record read and checked, every problem kept; nothing built."""
    problems: list[Problem] = []
    cells: dict[str, Any] = {}

    def read(column: str, parse: Callable[[object], object]) -> None:
        try:
            cells[column] = parse(fields.get(column))
        except _CellError as exc:
            problems.append(Problem(at(column), str(exc)))

    read("entity", lambda raw: _parse_id(raw, "entity", required=True))
    read("indicator", lambda raw: _parse_id(raw, "indicator", required=True))
    read("period", _parse_period)
    read("value", lambda raw: _parse_value(raw, locale))
    read("unit", lambda raw: _parse_unit(raw) if isinstance(raw, str) else _not_text(raw))
    read("scope", lambda raw: _parse_id(raw, "scope", required=False))
    read("source", lambda raw: raw if isinstance(raw, str) else _not_text(raw, "source text"))
    if not problems:
        value_unit, unit = cells["value"][1], cells["unit"]
        if value_unit is not None and unit is not None and value_unit != unit:
            problems.append(
                Problem(
                    at("unit"),
                    f"unit {str(unit)!r} disagrees with the unit {str(value_unit)!r} written "
                    "with the value; expected one unit, or the same in both places",
                )
            )
    return cells, problems


def _parse_record(
    fields: Mapping[str, object],
    where: str,
    at: Callable[..., str],
    plan: Plan | None,
    *,
    locale: Locale | None = None,
) -> tuple[Observation | None, list[Problem]]:
    """One record: every cell checked, every problem kept.

    With a plan, an unknown indicator is reported here too, so that a row
    with a bad value and a bad indicator gets both reported.
    """
    cells, problems = _read_cells(fields, at, locale)
    indicator = cells.get("indicator")
    if (
        plan is not None
        and problems
        and indicator is not None
        and all(i.id != indicator for i in plan.indicators)
    ):
        problems.insert(0, Problem(at("indicator"), _unknown_indicator(indicator, plan)))
    if problems:
        return None, problems
    number, value_unit = cells["value"]
    unit = cells["unit"]
    observation = Observation(
        entity=cells["entity"],
        indicator=cells["indicator"],
        period=cells["period"],
        value=number,
        unit=unit if unit is not None else value_unit,
        scope=cells["scope"],
        source=cells["source"] or "",
        where=where,
    )
    return observation, problems


def _not_text(raw: object, expected: str = "a unit such as '%'") -> None:
    if raw is not None:
        raise _CellError(f"{raw!r} is not text; expected {expected}")


def _share_problem(observation: Observation) -> str | None:
    """Without a plan, a value written as a share can still be checked."""
    unit = observation.unit
    if unit is None or not unit.is_share:
        return None
    fraction = convert(observation.value, unit, _fraction_unit(unit))
    if 0.0 <= fraction <= 1.0:
        return None
    return f"{_written(observation)} is a share outside 0–100 %; expected a value from 0 % to 100 %"


def _value_locale(values: Iterable[object], name: str) -> Locale | None:
    """The locale the file's unambiguous text values settle (see :func:`_numbers.infer_locale`)."""
    try:
        return _numbers.infer_locale(v for v in values if isinstance(v, str))
    except InvalidValueError as exc:
        raise FileFormatError(f"{name}: mixed number formats", [Problem(name, str(exc))]) from None


def _csv_values(lines: Iterable[str]) -> Iterator[str]:
    """The ``value`` column of a CSV text, for inferring its locale (bad rows left for later).

    Yielded row by row, so that inferring the locale holds no copy of the column.
    """
    try:
        rows = csv.reader(lines)
        header = [nfc(column).strip().lower() for column in next(rows)]
        at = header.index("value")
        for row in rows:
            if len(row) == len(header):
                yield row[at]
    except (StopIteration, ValueError, csv.Error):
        return


def _csv_records(
    open_text: Callable[[], AbstractContextManager[Iterable[str]]],
    name: str,
    plan: Plan | None,
    *,
    locale: Locale | None = None,
    era: Era | None = None,
    entity: str | None = None,
) -> tuple[list[Observation], Problems, _OtherEntities]:
    # Read row by row from a stream: the file's text is never held whole.
    if locale is None:
        with open_text() as lines:
            locale = _value_locale(_csv_values(lines), name)
    with open_text() as lines:
        return _csv_rows(lines, name, plan, locale=locale, era=era, entity=entity)


def _csv_rows(
    lines: Iterable[str],
    name: str,
    plan: Plan | None,
    *,
    locale: Locale | None,
    era: Era | None,
    entity: str | None,
) -> tuple[list[Observation], Problems, _OtherEntities]:
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FileFormatError(
            f"{name} has no header", [Problem(f"{name}:1", f"{exc}; expected a CSV header line")]
        ) from None
    columns = [nfc(column).strip().lower() for column in header]
    shape = [
        Problem(f"{name}:1:{column}", f"unknown column {column!r}; expected one of {COLUMNS}")
        for column in columns
        if column not in COLUMNS
    ]
    shape += [
        Problem(f"{name}:1:{column}", f"column {column!r} appears twice; expected it once")
        for column in sorted({c for c in columns if columns.count(c) > 1})
    ]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        shape.append(
            Problem(
                f"{name}:1",
                f"missing column(s) {', '.join(missing)}; expected a header with "
                f"{','.join(REQUIRED_COLUMNS)} and optionally unit,scope,source",
            )
        )
    if shape:
        raise FileFormatError(f"{name} does not have the observation columns", shape)
    observations: list[Observation] = []
    problems = Problems(order=_problem_order)  # a million bad rows must not build a million
    others = _OtherEntities()
    # One string object per distinct entity, indicator, unit, scope and source text of the
    # rows kept, however many rows repeat it: memory grows with the rows kept.
    shared: dict[str, str] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise FileFormatError(
                f"{name} is not valid CSV", [Problem(f"{name}:{reader.line_num}", f"{exc}")]
            ) from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name}:{start}"
        if len(row) != len(columns):
            problems.append(
                Problem(where, f"{len(row)} fields; expected {len(columns)} like the header")
            )
            continue
        fields: dict[str, object] = dict(zip(columns, row, strict=True))
        if not _match_entity(fields, era, f"{where}:entity", problems):
            continue
        written = fields["entity"]
        if entity is not None and isinstance(written, str) and nfc(written).strip() != entity:
            # Another entity's row: its cells are checked (a bad file is refused whole), but
            # nothing is built or kept, nor checked against the plan it is not for.
            problems.extend(_read_cells(fields, lambda c, w=where: f"{w}:{c}", locale)[1])
            others.add(written)
            continue
        for column in _REPEATED.intersection(fields):
            cell = fields[column]
            if isinstance(cell, str):
                fields[column] = shared.setdefault(cell, cell)
        observation, found = _parse_record(
            fields, where, lambda c, w=where: f"{w}:{c}", plan, locale=locale
        )
        problems.extend(found)
        if observation is not None:
            observations.append(observation)
    return observations, problems, others


_NAMED = 5  # other entities named in a warning


@attrs.define
class _OtherEntities:
    """Rows an entity filter skipped: how many, and the first few entities they are for."""

    rows: int = 0
    names: list[str] = attrs.Factory(list)

    def add(self, name: str) -> None:
        self.rows += 1
        if len(self.names) <= _NAMED and name not in self.names:
            self.names.append(name)

    @classmethod
    def of(cls, observations: Iterable[Observation], entity: str) -> _OtherEntities:
        others = cls()
        for observation in observations:
            if observation.entity != entity:
                others.add(observation.entity)
        return others


def _no_observation_for(
    entity: str, others: Sequence[str], more: str, *, plan: bool = True
) -> ObservationWarning:
    """The warning when no observation is for ``entity``, naming whom they are for."""
    named = ", ".join(repr(e) for e in others)
    consequence = "every target of the plan is without data" if plan else "none was kept"
    return ObservationWarning(
        f"no observation is for entity {entity!r} (they are for {named}{more}); {consequence}"
    )


@attrs.frozen(kw_only=True)
class _JsonRecord:
    """One observation of a JSON file: its keys, as written (cells are read as a CSV's are)."""

    entity: Any
    indicator: Any
    period: Any
    value: Any
    unit: Any = None
    scope: Any = None
    source: Any = None


def _json_records(
    text: str, name: str, plan: Plan | None
) -> tuple[list[Observation], list[Problem]]:
    # Here, not at the top: reading CSV (the bundled observations) never loads cattrs.
    from dxplan.formats.converter import converter, found, problems_of

    document = _files.parse_document(text, source=name, kind="json")
    prefix = "$"
    if isinstance(document, dict) and set(document) <= {"observations", "$schema"}:
        document, prefix = document.get("observations"), "$.observations"
    if not isinstance(document, list):
        raise FileFormatError(
            f"{name} is not a list of observations",
            [
                Problem(
                    f"{name}:{prefix}",
                    f"found {found(document)}; expected a list of objects, "
                    "or {'observations': [...]}",
                )
            ],
        )
    observations: list[Observation] = []
    problems: list[Problem] = []
    for index, item in enumerate(document):
        where = f"{name}:{prefix}[{index}]"
        try:  # the record's shape through the one converter, its cells as any file's
            record = converter.structure(item, _JsonRecord)
        except Exception as exc:  # every problem is kept, with its path
            problems += problems_of(exc, name, f"{prefix}[{index}]")
            continue
        fields = {
            key: "" if cell is None else cell
            for key, cell in attrs.asdict(record, recurse=False).items()
        }
        observation, found_here = _parse_record(fields, where, lambda c, w=where: f"{w}.{c}", plan)
        problems += found_here
        if observation is not None:
            observations.append(observation)
    return observations, problems


def _finish(
    observations: list[Observation], problems: Iterable[Problem], name: str, plan: Plan | None
) -> Observations:
    items = tuple(observations)
    found = problems if isinstance(problems, Problems) else Problems(problems, order=_problem_order)
    found.extend(_duplicates(items))
    if plan is None:
        for item in items:
            message = _share_problem(item)
            if message is not None:
                found.append(Problem(_at(item, 0, "value"), message))
    else:
        items, unfit = _resolve(items, plan)
        found.extend(unfit)
    if found:
        raise ObservationError(f"{len(found)} problem(s) in {name}", found)
    return Observations(items=items)


def _match_entity(
    fields: dict[str, object], era: Era | None, where: str, problems: list[Problem] | Problems
) -> bool:
    """With an era, replace a province name by its id; False (a problem kept) if it names none."""
    written = fields.get("entity")
    if era is None or not isinstance(written, str) or not written.strip():
        return True
    if len(written) <= _CACHED_LENGTH:
        found, matched = _province_id(written, era)
    else:
        found, matched = _province_id.__wrapped__(written, era)
    if not found:
        problems.append(Problem(where, matched))
        return False
    fields["entity"] = matched
    return True


@functools.lru_cache(maxsize=4096)
def _province_id(name: str, era: Era) -> tuple[bool, str]:
    """The id ``name`` names (True, id), or why none (False, message); once per name.

    A file repeats a few names over every row, and a name that matches none is
    looked up among the closest names, which is slow to do a million times.
    """
    try:
        return True, match(name, era=era)
    except (UnknownIdError, InvalidValueError) as exc:
        return False, str(exc)


def _xlsx_records(
    path: Path,
    sheet: str | int | None,
    plan: Plan | None,
    *,
    locale: Locale | None,
    era: Era | None,
    allow_macros: bool,
    max_bytes: int | None,
) -> tuple[list[Observation], list[Problem], str]:
    from dxplan.formats import _excel

    table = _excel.read_sheet(path, sheet, allow_macros=allow_macros, max_bytes=max_bytes)
    name = f"{path.name}:{table.title}"
    header = table.header_row(REQUIRED_COLUMNS)
    if header is None:
        raise FileFormatError(
            f"{path.name}: no observations header in sheet {table.title!r}",
            [
                Problem(
                    name,
                    f"no row among the first 20 holds the columns {', '.join(REQUIRED_COLUMNS)}; "
                    f"expected a header with them and optionally unit, scope, source",
                )
            ],
        )
    texts = [_excel.cell_text(c).lower() for c in table.rows[header]]
    columns = {c: texts.index(c) for c in COLUMNS if c in texts}
    rows = [
        r
        for r in range(header + 1, len(table.rows))
        if any(_excel.cell_text(c) for c in table.rows[r])
    ]

    def cell(r: int, column: str) -> object:
        at = columns.get(column)
        row = table.rows[r]
        value = row[at] if at is not None and at < len(row) else None
        if value is None:
            return ""
        if column == "value":
            return value
        if isinstance(value, float) and value.is_integer() and column == "period":
            return int(value)
        return value if column == "period" or isinstance(value, str) else str(value)

    if locale is None:
        locale = _value_locale((cell(r, "value") for r in rows), name)
    observations: list[Observation] = []
    problems: list[Problem] = []
    for r in rows:
        fields = {column: cell(r, column) for column in COLUMNS}
        if fields["value"] == "" and (r, columns["value"]) in table.formulas:
            problems.append(
                Problem(
                    table.address(r, columns["value"]),
                    "a formula with no saved value; expected a value (dxplan never evaluates "
                    "formulas: open and save the file in Excel, or paste values)",
                )
            )
            continue

        def at(column: str, r: int = r) -> str:
            return table.address(r, columns.get(column, 0))

        if not _match_entity(fields, era, at("entity"), problems):
            continue
        observation, found = _parse_record(fields, at("value"), at, plan, locale=locale)
        problems += found
        if observation is not None:
            observations.append(observation)
    return observations, problems, name


def load_observations(
    path: str | os.PathLike[str],
    plan: Plan | None = None,
    *,
    max_bytes: int | None = None,
    sheet: str | int | None = None,
    era: Era | None = None,
    locale: Locale | None = None,
    allow_macros: bool = False,
    entity: str | None = None,
) -> Observations:
    """Read observations from a long CSV (``.csv``), JSON (``.json``) or Excel (``.xlsx``) file.

    Values may be written the Vietnamese way (``0,7163``, ``1.234,5``) or the
    English way: ``locale`` (``"vi"``/``"en"``) declares which, else the
    file's unambiguous values decide and a value that reads two ways is
    refused. With ``era`` (2024 or 2025) the entity column may hold province
    names ("TP. Hồ Chí Minh"), matched by :func:`dxplan.index.provinces.match`.
    An Excel file is read from ``sheet`` (the first by default), its header
    found among the first rows; formulas are never evaluated, ``.xlsm`` is
    refused unless ``allow_macros`` (needs the ``excel`` extra).

    A value may carry its unit (``"21.5 %"``) or take it from the ``unit``
    column; a bare number with an empty unit is taken to be in the indicator's
    unit. With a ``plan``, every value is also converted into its indicator's
    unit and checked against it (see :meth:`Observations.resolve`); without
    one, values keep the unit they were written in (None when bare).
    ``max_bytes`` None means :data:`MAX_FILE_BYTES`. With ``entity``, only
    that entity's rows are kept (a CSV file skips the others' rows before
    building anything, so memory follows the rows kept, not the file's size).
    The others' cells are still checked, so a bad file is refused whoever a
    bad row is for, but they are not checked against ``plan`` (nor for
    duplicates), and an :class:`~dxplan.errors.ObservationWarning` says so
    when the file holds rows but none for ``entity``.

    Raises:
        FileFormatError: the file is missing, empty, binary, not UTF-8, larger
            than ``max_bytes``, not valid JSON (``NaN`` included), or lacks a
            required column.
        ObservationError: listing every bad value of the file at once, each
            with its ``file:line:column`` (at most
            :data:`~dxplan.errors.MAX_LISTED_PROBLEMS`, the rest counted).
    """
    v.require("path", isinstance(path, str | os.PathLike), path, "a file path")
    given: object = entity  # typed str | None, but a caller may pass anything
    v.require(
        "entity",
        given is None or (isinstance(given, str) and bool(v.IDENTIFIER.fullmatch(given))),
        entity,
        "an entity id or None",
    )
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        observations, problems, name = _xlsx_records(
            path,
            sheet,
            plan,
            locale=locale,
            era=era,
            allow_macros=allow_macros,
            max_bytes=max_bytes,
        )
        others = _OtherEntities()
        if entity is not None:
            others = _OtherEntities.of(observations, entity)
            observations = [o for o in observations if o.entity == entity]
        return _kept(_finish(observations, problems, name, plan), entity, others, plan)
    if suffix not in (".csv", ".json"):
        raise FileFormatError(
            f"cannot read {path.name}",
            [Problem(path.name, f"suffix {suffix!r}; expected '.csv', '.json' or '.xlsx'")],
        )
    if suffix == ".csv":
        open_text = _files.read_stream(
            path, what=_EXPECTED[suffix], max_bytes=max_bytes, source=path.name
        )
        observations, found, others = _csv_records(
            open_text, path.name, plan, locale=locale, era=era, entity=entity
        )
        return _kept(_finish(observations, found, path.name, plan), entity, others, plan)
    text = _files.read_text(path, what=_EXPECTED[suffix], max_bytes=max_bytes, source=path.name)
    observations, problems = _json_records(text, path.name, plan)
    others = _OtherEntities()
    if entity is not None:
        others = _OtherEntities.of(observations, entity)
        observations = [o for o in observations if o.entity == entity]
    return _kept(_finish(observations, problems, path.name, plan), entity, others, plan)


def _kept(
    observations: Observations, entity: str | None, others: _OtherEntities, plan: Plan | None
) -> Observations:
    """``observations``, with a warning when an entity filter kept none of a file's rows."""
    if entity is not None and not observations and others.rows:
        more = " and others" if len(others.names) > _NAMED else ""
        warnings.warn(
            _no_observation_for(entity, others.names[:_NAMED], more, plan=plan is not None),
            stacklevel=3,
        )
    return observations


def _load_text(
    text: str,
    name: str,
    suffix: str,
    plan: Plan | None,
    *,
    locale: Locale | None = None,
    era: Era | None = None,
) -> Observations:
    problems: Iterable[Problem]
    if suffix == ".csv":
        observations, problems, _ = _csv_records(
            lambda: contextlib.nullcontext(io.StringIO(text, newline="")),
            name,
            plan,
            locale=locale,
            era=era,
        )
    else:
        observations, problems = _json_records(text, name, plan)
    return _finish(observations, problems, name, plan)


def bundled_observations(name: str = "hcmc-2024", plan: Plan | None = None) -> Observations:
    """Observations shipped with dxplan, by name (see :data:`BUNDLED`).

    ``"hcmc-2024"`` holds Ho Chi Minh City's published figures for its 2024
    plan (entity ``"ho-chi-minh"``), each row citing its source.
    """
    if name not in _BUNDLED_FILES:
        raise UnknownIdError(f"no bundled observations named {name!r}; known: {', '.join(BUNDLED)}")
    filename = _BUNDLED_FILES[name]
    text = resources.files("dxplan").joinpath("data", "observations", filename).read_text("utf-8")
    return _load_text(text, filename, ".csv", plan)
