"""The one cattrs converter every file goes through, and the one shape of its errors.

Plans, index definitions, scenarios and observations in JSON are all read by
structuring plain data (as TOML or JSON gives it) into attrs classes with
:data:`converter`. Its hooks are strict where cattrs' defaults are lenient: a
number is never read from text or a bool, text never from a number, a table
never from anything else. :func:`structure` turns whatever went wrong into
:class:`~dxplan.errors.Problem`\\ s, one per place, each ``file:$.path`` with
what was found and what was expected::

    plan.toml:$.groups[1].indicators[0].targets[0].value: found 'seventy'; expected a number
    dti.toml:$.nodes[3].children[1].weight: found -2; expected a finite number >= 0

A value object's own validators (:mod:`dxplan._validators`) refuse a field by
name; the problem is then placed at that field's key. :data:`FILE_KEYS`
records the classes whose file keys differ from their attribute names.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, override
from cattrs.v import format_exception

from dxplan.errors import DxplanError, FileFormatError, InvalidValueError, Problem

__all__ = [
    "FILE_KEYS",
    "RefusedError",
    "at_key",
    "converter",
    "found",
    "problems_of",
    "refuse",
    "structure",
    "tagged",
]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
"""The converter of every file format (hooks below; one per kind of value)."""

FILE_KEYS: dict[type, Mapping[str, str | None]] = {}
"""Per class, attribute name → its key in files (``None``: not in files at all)."""


class RefusedError(ValueError):
    """A value a structure hook refuses; its message (``found …; expected …``) is shown as it is."""


def found(value: object) -> str:
    """``value`` as a problem shows it: its repr, or its kind when that is long."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        value = int(value)  # as the file wrote it: 3, not 3.0
    try:
        shown = repr(value)
    except ValueError:  # an integer of more than 4 300 digits
        return "a very large integer"
    return shown if len(shown) <= 60 else f"{type(value).__name__} {shown[:57]}…"


def refuse(value: object, expected: str) -> RefusedError:
    """The error a hook raises for ``value``: ``found …; expected …``."""
    return RefusedError(f"found {found(value)}; expected {expected}")


def at_key(key: str, exc: Exception) -> ClassValidationError:
    """``exc`` as cattrs reports a problem of the key ``key`` (for hooks that read a tag)."""
    exc.__notes__ = [AttributeValidationNote(f"Structuring {key}", key, object)]
    return ClassValidationError(f"While structuring {key}", [exc], dict)


def tagged(
    tag: str,
    kinds: Mapping[str, type[Any]],
    *,
    expected: str,
    table: str,
    bare: bool = False,
    fill: Mapping[type, Mapping[str, object]] | None = None,
) -> Callable[[object, object], object]:
    """A hook reading one of ``kinds``: a table whose ``tag`` names it (or, if ``bare``, the name).

    ``expected`` words the names (``"one of set, shift, …"``) and ``table`` what
    else may stand there; ``fill`` gives keys a file may leave out, per kind.
    """

    def structure_tagged(value: object, _: object) -> object:
        if bare and not isinstance(value, dict):
            name, fields = value, {}
            if not isinstance(name, str) or name not in kinds:
                raise refuse(name, expected)
        elif not isinstance(value, dict):
            raise refuse(value, table)
        else:
            fields = dict(value)
            name = fields.pop(tag, None)
            if tag not in value:
                raise at_key(tag, RefusedError(f"found nothing; expected {expected}"))
            if not isinstance(name, str) or name not in kinds:
                raise at_key(tag, refuse(name, expected))
        kind = kinds[name]
        return converter.structure({**(fill or {}).get(kind, {}), **fields}, kind)

    return structure_tagged


def _structure_number(value: object, _: object) -> float:
    # cattrs' default is float(value), which would read true as 1.0 and "70" as 70.0.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refuse(value, "a number")
    try:
        return float(value)
    except OverflowError:  # an integer too large to be a float
        return -math.inf if value < 0 else math.inf


def _structure_text(value: object, _: object) -> str:
    # cattrs' default is str(value), which would read 1.1 as "1.1", 2.10 as "2.1" and NaN as "nan".
    if not isinstance(value, str):
        raise refuse(value, "text")
    return value


def _structure_whole(value: object, _: object) -> int:
    # cattrs' default is int(value), which would read "3" as 3, 2.7 as 2 and true as 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(value, "a whole number")
    return value


def _structure_flag(value: object, _: object) -> bool:
    # cattrs' default is bool(value), which would read "no" as True.
    if not isinstance(value, bool):
        raise refuse(value, "true or false")
    return value


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in kind)
        raise refuse(value, f"one of {choices}") from None


def _structure_deadline(value: object, _: object) -> int | dt.date | None:
    if isinstance(value, dt.datetime):  # TOML's date-times: the time and zone would be lost
        raise RefusedError(
            f"found the date and time {value.isoformat()}; expected a year or a date (YYYY-MM-DD)"
        )
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise refuse(value, "a year or an ISO date (YYYY-MM-DD)")


def _table_hook(cls: type) -> Callable[[object, type], object]:
    # cattrs' own hook would call .keys() on whatever it is given: text where a
    # table belongs became "unknown error ('str' object has no attribute 'keys')".
    attrs.resolve_types(cls)
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        key = FILE_KEYS.get(cls, {}).get(field.name, field.name)
        if key is None:
            overrides[field.name] = override(omit=True)
        elif field.init:
            overrides[field.name] = override(rename=key, struct_hook=_validated(field))
    make: Any = make_dict_structure_fn
    structure_fields = make(cls, converter, _cattrs_forbid_extra_keys=True, **overrides)

    def check(value: object, kind: type) -> object:
        if not isinstance(value, dict):
            raise refuse(value, "a table/object")
        return structure_fields(value, kind)

    return check


def _validated(field: attrs.Attribute[Any]) -> Callable[[object, type], object]:
    """Structure a field, then run its validator at once.

    cattrs builds an object only when every field structured, so a validator
    would otherwise speak only after every other problem is fixed; here each
    field's refusal is reported with the rest. A validator that needs the
    whole object (it reads another field) runs when the object is built.
    """
    kind: Any = field.type
    attribute_converter: Any = field.converter  # a plain function in dxplan's classes
    convert: Any = attribute_converter if callable(attribute_converter) else None
    validator: Any = field.validator

    def hook(value: object, _: type) -> object:
        result = converter.structure(value, kind)
        if validator is not None:
            try:
                validator(None, field, convert(result) if convert is not None else result)
            except DxplanError:
                raise
            except Exception:  # it needs the object: checked when built
                pass
        return result

    return hook


converter.register_structure_hook_factory(attrs.has, _table_hook)
# StrEnum, not Enum: a StrEnum is also a str, and str comes first in its MRO.
converter.register_structure_hook(str, _structure_text)
converter.register_structure_hook(int, _structure_whole)
converter.register_structure_hook(bool, _structure_flag)
converter.register_structure_hook(float, _structure_number)
converter.register_structure_hook(enum.StrEnum, _structure_enum)
converter.register_structure_hook(int | dt.date | None, _structure_deadline)
converter.register_unstructure_hook(dt.date, dt.date.isoformat)


def _unstructure_number(value: object) -> object:
    # 5 stays 5 in the file, not 5.0; reading gives back the same float.
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


converter.register_unstructure_hook(float, _unstructure_number)


def structure(
    data: object,
    kind: type[T],
    *,
    source: str,
    summary: str,
    error: Callable[[str, list[Problem]], DxplanError] = FileFormatError,
    path: str = "$",
) -> T:
    """``data`` as a ``kind``, or ``error(summary, problems)`` naming every problem at once.

    Each problem is placed at ``{source}:{path}…``, ``path`` being where ``data``
    is in its file.
    """
    try:
        return converter.structure(data, kind)
    except (BaseValidationError, DxplanError, ValueError, TypeError, KeyError) as exc:
        raise error(summary, problems_of(exc, source, path)) from exc


def problems_of(exc: BaseException, source: str, path: str = "$") -> list[Problem]:
    """The problems an error of :data:`converter` holds, each at ``{source}:{path}``."""
    return [Problem(f"{source}:{where}", what) for where, what in _walk(exc, path, None)]


def _walk(exc: BaseException, path: str, cls: type | None) -> Iterator[tuple[str, str]]:
    """``(path, message)`` for each leaf of cattrs' exception groups, like ``transform_error``."""
    if isinstance(exc, IterableValidationError):
        items, without = exc.group_exceptions()
        for inner, item in items:
            index = item.index
            step = f"[{index}]" if isinstance(index, int) else f".{index}"
            yield from _walk(inner, f"{path}{step}", None)
        for inner in without:
            yield from _walk(inner, path, None)
    elif isinstance(exc, ClassValidationError):
        keys = FILE_KEYS.get(exc.cl, {})
        fields, without = exc.group_exceptions()
        for inner, field in fields:
            key = keys.get(field.name, field.name)
            yield from _walk(inner, f"{path}.{key}", None)
        for inner in without:  # raised by the class itself: its validators, its checks
            yield from _walk(inner, path, exc.cl)
    elif isinstance(exc, ForbiddenExtraKeysError):
        expected = _keys_of(exc.cl)
        for key in sorted(exc.extra_fields, key=str):
            yield f"{path}.{key}", f"found an unknown key; expected {expected}"
    elif isinstance(exc, InvalidValueError):
        head = exc.field.partition("[")[0]
        where = path + exc.field[len(head) :]  # at the field already, but for its item
        if cls is not None:  # raised by the class: at the field it names
            key = FILE_KEYS.get(cls, {}).get(head, head) or head
            where = f"{path}.{key}{exc.field[len(head) :]}"
        yield where, f"found {found(exc.value)}; expected {exc.expected}"
    elif isinstance(exc, KeyError):  # cattrs: a required key is missing
        yield path, "found nothing; expected a value (a required key)"
    elif isinstance(exc, RefusedError | DxplanError):
        yield path, str(exc)
    else:
        yield path, format_exception(exc, None)


def _keys_of(cls: type) -> str:
    keys = FILE_KEYS.get(cls, {})
    names = [keys.get(a.name, a.name) for a in attrs.fields(cls) if a.init and keys.get(a.name, 1)]
    return "one of " + ", ".join(sorted(str(n) for n in names))
