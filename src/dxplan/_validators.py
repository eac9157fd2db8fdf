"""attrs validators that raise :class:`~dxplan.errors.InvalidValueError`.

attrs' own validators raise plain ``TypeError``/``ValueError``; dxplan promises
that every refusal is a ``DxplanError`` naming the field, the value and what was
expected, so the value objects use these instead.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, Protocol, TypeGuard, TypeVar

import attrs

from dxplan.errors import InvalidValueError

IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def identifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An id: letters, digits, '.', '_' or '-', starting with a letter or digit."""
    if not isinstance(value, str) or not IDENTIFIER.fullmatch(value):
        raise InvalidValueError(
            attribute.name, value, "an id of letters, digits, '.', '_' or '-' (like '2.7' or 'T03')"
        )


def non_empty_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text with at least one visible character."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, value, "non-empty text")


def to_float(value: object) -> object:
    """A number as a float; anything else as it was, for a validator to refuse by name.

    ``bool`` and text are not numbers here (``True`` is not 1.0, ``"2"`` is not
    2.0: either is almost always a mistake), and an integer too large for a
    float becomes ±inf, which a finite-number check then refuses.

    >>> to_float(3), to_float(10**400), to_float("3"), to_float(True)
    (3.0, inf, '3', True)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    try:
        return float(value)
    except OverflowError:  # an integer too large to be a float
        return -math.inf if value < 0 else math.inf


def is_finite_number(value: object) -> TypeGuard[float]:
    """Whether ``value`` is a real, finite number (not a ``bool``, not text)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large to be a float
        return False


def finite_number(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A real, finite number (``bool`` is refused: it is almost always a mistake)."""
    if not is_finite_number(value):
        raise InvalidValueError(attribute.name, value, "a finite number")


def is_whole(value: object, *, minimum: int | None = None) -> TypeGuard[int]:
    """Whether ``value`` is an ``int`` (not a ``bool``) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return minimum is None or value >= minimum


def require(name: str, ok: bool, value: object, expected: str) -> None:
    """Refuse an argument of a public function by name unless ``ok``.

    The boundary check of functions (attrs classes have validators): a wrong
    Python object becomes an :class:`InvalidValueError` naming the argument,
    not an ``AttributeError`` or ``TypeError`` from deep inside.
    """
    if not ok:
        raise InvalidValueError(name, value, expected)


SchemaFragment = Mapping[str, Any] | Callable[[], Mapping[str, Any]]
"""JSON Schema keywords by JSON type (``"integer"``, ``"string"``, ``"array"``), and
``"object"`` for keywords of the class holding the field; or a function giving them."""

_V = TypeVar("_V", bound=Callable[..., None])


def with_schema(fragment: SchemaFragment) -> Callable[[_V], _V]:
    """Attach to a validator the JSON Schema keywords that say what it accepts.

    :mod:`dxplan.formats.schema` reads them off the validators of each field, so the
    published schema refuses what the loader's validators refuse, from one place.
    """

    def attach(validator: _V) -> _V:
        setattr(validator, "json_schema", fragment)  # noqa: B010  # a function attribute
        return validator

    return attach


def schema_of(validator: object) -> list[Mapping[str, Any]]:
    """The JSON Schema fragments attached to ``validator`` (and to those it combines)."""
    found: list[Mapping[str, Any]] = []
    pending = [validator]
    while pending:
        item = pending.pop()
        pending += list(getattr(item, "_validators", ()))  # attrs' and_(…)
        fragment = getattr(item, "json_schema", None)
        if callable(fragment):
            fragment = fragment()
        if isinstance(fragment, Mapping):
            found.append(fragment)
    return found


def non_negative_int(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(attribute.name, value, "a whole number >= 0")


def positive_int(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number ≥ 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(attribute.name, value, "a whole number >= 1")


def optional(validator: Validator) -> Validator:
    """``None`` or whatever ``validator`` accepts."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(instance, attribute, value)

    fragment = getattr(validator, "json_schema", None)
    return check if fragment is None else with_schema(fragment)(check)


def instance_of(kind: type | tuple[type, ...], expected: str) -> Validator:
    """An instance of ``kind``; ``expected`` words it for the message."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidValueError(attribute.name, value, expected)

    return check


def tuple_of(kind: type, expected: str) -> Validator:
    """A tuple whose every item is a ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidValueError(attribute.name, value, f"a tuple of {expected}")
        for position, item in enumerate(value):
            if not isinstance(item, kind):
                raise InvalidValueError(f"{attribute.name}[{position}]", item, expected)

    return check


E = TypeVar("E", bound=StrEnum)


def to_enum(kind: type[E], field: str, value: object) -> E:
    """``value`` as a member of ``kind``, refused by field name with the accepted values.

    attrs converters cannot be told their field, so each enum field keeps a
    one-line named converter that calls this.
    """
    try:
        return kind(str(value))
    except ValueError:
        expected = "one of " + ", ".join(repr(member.value) for member in kind)
        raise InvalidValueError(field, value, expected) from None


def to_tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    """Freeze a sequence into a tuple; a lone string is refused by the validator later."""
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        return items  # type: ignore[return-value]  # left for tuple_of to refuse by name
    return tuple(items)


def number_between(low: float, high: float, expected: str) -> Validator:
    """A finite number from ``low`` to ``high`` (either may be infinite: no bound on that side)."""
    bounds: dict[str, float] = {}
    if math.isfinite(low):
        bounds["minimum"] = low
    if math.isfinite(high):
        bounds["maximum"] = high

    @with_schema({"number": bounds, "integer": bounds})
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not (is_finite_number(value) and low <= value <= high):
            raise InvalidValueError(attribute.name, value, expected)

    return check


@with_schema({"number": {"exclusiveMinimum": 0}, "integer": {"exclusiveMinimum": 0}})
def positive_number(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A finite number above 0."""
    if not (is_finite_number(value) and value > 0):
        raise InvalidValueError(attribute.name, value, "a finite number > 0")


def one_of(values: Iterable[object], expected: str | None = None) -> Validator:
    """One of ``values`` (compared with ``==``; a ``bool`` is never taken for 1 or 0)."""
    allowed = tuple(values)
    words = expected or "one of " + ", ".join(repr(x) for x in allowed)

    @with_schema({"integer": {"enum": list(allowed)}, "string": {"enum": list(allowed)}})
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or value not in allowed:
            raise InvalidValueError(attribute.name, value, words)

    return check


class _Periodic(Protocol):
    @property
    def periods(self) -> tuple[object, ...] | None: ...


_D = TypeVar("_D", bound=_Periodic)


def cross_section(data: _D, what: str) -> _D:
    """``data`` itself, or an :class:`InvalidValueError` if it is a panel ``what`` cannot take.

    A panel is index data with periods (:class:`~dxplan.index.data.PanelData`).
    """
    if data.periods is not None:
        raise InvalidValueError(
            "data",
            data,
            f"one cross-section for {what}; pick a period with data.period(p) "
            f"(periods {list(data.periods)})",
        )
    return data
