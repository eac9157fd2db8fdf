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
from typing import Any, Protocol, TypeGuard, TypeVar, overload

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


def to_float(value: object) -> object:
    """A number as a float; anything else as it was, for a validator to refuse by name.

    ``bool`` and text are not numbers here (``True`` is not 1.0, ``"2"`` is not
    2.0: either is almost always a mistake), and an integer too large for a
    float becomes ±inf, which a finite-number check then refuses.

    >>> to_float(3), to_float(10**400), to_float("3"), to_float(True)
    (3.0, inf, '3', True)
    """
    if type(value) is float:  # the common case, without the abstract class check
        return value
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


@with_schema({"string": {"minLength": 1, "pattern": r"\S"}})
def non_empty_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text with at least one visible character."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, value, "non-empty text")


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


@attrs.frozen
class Check:
    """What a value must be, said once: an attrs validator and a check of an argument.

    As a field's validator (``attrs.field(validator=positive_int)``) it names the
    field; at a public function's boundary ``positive_int.check("draws", draws)``
    names the argument. Either way a refusal is an :class:`InvalidValueError`
    with the field, the value and :attr:`expected`.

    >>> positive_int.check("draws", 0)
    Traceback (most recent call last):
    ...
    dxplan.errors.InvalidValueError: 'draws' must be a whole number >= 1 (got 0)
    """

    accepts: Callable[[object], bool]
    """Whether a value is acceptable."""
    expected: str
    """What is expected, worded to follow "must be"."""
    json_schema: SchemaFragment | None = None
    """The JSON Schema keywords saying the same (read by :func:`schema_of`)."""

    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        self.check(attribute.name, value)

    def check(self, field: str, value: object, *, where: str = "") -> None:
        """Refuse ``value`` of ``field`` (in ``where``, such as ``node 'I'``) unless accepted."""
        if not self.accepts(value):
            raise InvalidValueError(field, value, self.expected, where=where)

    def saying(self, expected: str) -> Check:
        """The same check, its expectation worded for one field (``"a whole rank >= 1"``)."""
        return attrs.evolve(self, expected=expected)


def _bounds_text(at_least: float | None, above: float | None, at_most: float | None) -> str:
    if at_least is not None and at_most is not None:
        return f" from {at_least:g} to {at_most:g}"
    lower = (
        f" >= {at_least:g}"
        if at_least is not None
        else f" > {above:g}"
        if above is not None
        else ""
    )
    upper = f" <= {at_most:g}" if at_most is not None else ""
    return lower + (" and" if lower and upper else "") + upper


def _schema_bounds(**bounds: float | None) -> dict[str, float]:
    """The JSON Schema keywords (``minimum``, ``maximum``, …) of the bounds that are set."""
    return {keyword: bound for keyword, bound in bounds.items() if bound is not None}


def number(
    *,
    at_least: float | None = None,
    above: float | None = None,
    at_most: float | None = None,
    finite: bool = True,
    expected: str | None = None,
) -> Check:
    """A real number (not a ``bool``, not text), finite unless ``finite=False``, within bounds.

    >>> number(at_least=0, at_most=1).expected, number(above=0).expected
    ('a number from 0 to 1', 'a finite number > 0')
    """

    def accepts(value: object) -> bool:
        x = to_float(value)
        if not isinstance(x, float) or (finite and not math.isfinite(x)):
            return False  # not a real number, or a bool, or not finite when it must be
        return not (
            (at_least is not None and not x >= at_least)
            or (above is not None and not x > above)
            or (at_most is not None and not x <= at_most)
        )

    bounded = at_least is not None and at_most is not None
    kind = "a number" if bounded or not finite else "a finite number"
    keywords = _schema_bounds(minimum=at_least, exclusiveMinimum=above, maximum=at_most)
    return Check(
        accepts=accepts,
        expected=expected or kind + _bounds_text(at_least, above, at_most),
        json_schema={"number": keywords, "integer": keywords} if keywords else None,
    )


def whole(
    *, at_least: int | None = None, at_most: int | None = None, expected: str | None = None
) -> Check:
    """A whole number: an ``int`` (numpy's too), never a ``bool`` or a float, within bounds.

    >>> whole(at_least=1).expected, whole(at_least=0, at_most=15).expected
    ('a whole number >= 1', 'a whole number from 0 to 15')
    """

    def accepts(value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            return False
        n = int(value)
        return (at_least is None or n >= at_least) and (at_most is None or n <= at_most)

    keywords = _schema_bounds(minimum=at_least, maximum=at_most)
    return Check(
        accepts=accepts,
        expected=expected or "a whole number" + _bounds_text(at_least, None, at_most),
        json_schema={"integer": keywords} if keywords else None,
    )


def one_of(choices: Iterable[object], expected: str | None = None) -> Check:
    """One of ``choices``; ``True`` is not ``1`` here unless a choice is a ``bool``.

    >>> one_of([1, -1]).expected, one_of(["mean", "min", "max"]).expected
    ('1 or -1', "one of 'mean', 'min', 'max'")
    """
    allowed = tuple(choices)
    shown = [repr(choice) for choice in allowed]
    worded = " or ".join(shown) if len(shown) <= 2 else "one of " + ", ".join(shown)
    bools = any(isinstance(choice, bool) for choice in allowed)

    def accepts(value: object) -> bool:
        if isinstance(value, bool) and not bools:
            return False
        try:
            return bool(value in allowed)
        except (TypeError, ValueError):  # an array, whose == is not one truth
            return False

    enum = {"enum": list(allowed)}
    return Check(
        accepts=accepts,
        expected=expected or worded,
        json_schema={"integer": enum, "string": enum},
    )


finite_number = number()
"""A real, finite number (``bool`` is refused: it is almost always a mistake)."""
positive_number = number(above=0)
"""A finite number above 0."""
fraction = number(at_least=0, at_most=1)
"""A share: a number from 0 to 1."""
non_negative_int = whole(at_least=0)
"""A whole number ≥ 0."""
positive_int = whole(at_least=1)
"""A whole number ≥ 1."""
rank = whole(at_least=1, expected="a whole rank >= 1")
"""A rank: 1 for the first place."""
year = whole(at_least=1900, at_most=2200, expected="a year (1900–2200)")
"""A year dxplan can hold: 1900 to 2200."""
decimals = whole(at_least=0, at_most=15, expected="a whole number of decimals from 0 to 15")
"""How many decimals a score is published with."""
weight = number(at_least=0, expected="a finite weight >= 0")
"""A weight: finite and not negative (0 leaves a part out)."""
cost_per_unit = number(above=0, expected="a finite, positive cost per unit")
"""What one unit of a lever or a task costs."""
boolean = Check(accepts=lambda value: isinstance(value, bool), expected="true or false")
"""``True`` or ``False`` only (not 1, not ``"yes"``)."""


@overload
def optional(validator: Check) -> Check: ...
@overload
def optional(validator: Validator) -> Validator: ...
def optional(validator: Validator) -> Validator:
    """``None`` or whatever ``validator`` accepts, worded as ``validator``.

    The words leave ``None`` out: a file reader shares these validators, and a
    file has no ``None`` to write, only a key to leave out. A function's
    argument says ", or None" itself (``optional(year).saying(…)``).
    """
    if isinstance(validator, Check):
        check = validator
        return attrs.evolve(check, accepts=lambda value: value is None or check.accepts(value))

    def either(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(instance, attribute, value)

    fragment = getattr(validator, "json_schema", None)
    return either if fragment is None else with_schema(fragment)(either)


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


def finite_numbers(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of finite numbers; an item is refused by its place (``thresholds[2]``)."""
    if not isinstance(value, tuple):
        raise InvalidValueError(attribute.name, value, "a list of finite numbers")
    for position, item in enumerate(value):
        finite_number.check(f"{attribute.name}[{position}]", item)


def to_finite(field: str, value: object) -> float:
    """``value`` as a float if it is a finite number, else refused by ``field``.

    >>> to_finite("observed", 3)
    3.0
    """
    finite_number.check(field, value)
    return float(value)  # type: ignore[arg-type]  # a real number, checked above


def to_bounds(field: str, value: object) -> tuple[float, float]:
    """``value`` as a pair of finite numbers ``(low, high)`` with ``low < high``, or refused.

    >>> to_bounds("bounds", [0, 1.5])
    (0.0, 1.5)
    """
    pair = [to_float(b) for b in value] if isinstance(value, tuple | list) else []
    match pair:  # to_float leaves text and bools as they are, so they fail the match
        case [float(low), float(high)] if math.isfinite(low) and math.isfinite(high) and low < high:
            return low, high
    raise InvalidValueError(field, value, "two finite numbers, low < high")


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
