"""The JSON Schema of plan files, derived from the model's own field definitions.

The schema is built by walking the attrs classes of :mod:`dxplan.plan.model`, so it
cannot drift from what :mod:`dxplan.formats.io` reads and writes: every file
:func:`dxplan.formats.io.write_plan` produces validates against it (a test checks this).
Field validators carry the JSON Schema keywords of what they accept (years
1900–2200, at least one target, whole ranks, unit symbols the registry reads),
so the schema refuses what the loader refuses, said in one place.
It describes the shape of a file; what needs the whole plan (unique ids,
references that resolve, no cycles) is :func:`dxplan.check`'s job.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any

import attrs

from dxplan._validators import schema_of
from dxplan.formats.io import FORMAT_VERSION
from dxplan.plan.model import Plan

__all__ = ["SCHEMA_ID", "plan_schema"]

SCHEMA_ID = "https://dxplan.invalid/schema/plan-v1.json"
"""The schema's identifier (not a fetchable address)."""

_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID_FIELDS = {"id", "to", "scope", "measures", "entity", "component"}


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan file, as plain data."""
    definitions: dict[str, Any] = {}
    root = _class_schema(Plan, definitions)
    root["properties"] = {
        "format": {"const": FORMAT_VERSION, "description": "file format version"},
        **root["properties"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "dxplan plan",
        **root,
        "$defs": definitions,
    }


def _class_schema(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[dict[str, Any]] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        schema = _type_schema(hints[field.name], definitions)
        if field.name in _ID_FIELDS:
            for option in schema.get("anyOf", [schema]):
                if option.get("type") == "string":
                    option["pattern"] = _ID_PATTERN
        # What the field's validators accept, in their own words (see _validators.with_schema).
        for fragment in schema_of(field.validator):
            for json_type, keywords in fragment.items():
                if json_type == "object":
                    conditions.append(dict(keywords))
                    continue
                for option in schema.get("anyOf", [schema]):
                    if option.get("type") == json_type:
                        option.update(keywords)
        properties[field.name] = schema
        if field.default is attrs.NOTHING:
            required.append(field.name)
    summary = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else cls.__name__
    result: dict[str, Any] = {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if conditions:
        result["allOf"] = conditions
    return result


def _type_schema(kind: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(arg, definitions) for arg in typing.get_args(kind)]
        return {"anyOf": options}
    if origin is tuple:
        item, _ = typing.get_args(kind)
        return {"type": "array", "items": _type_schema(item, definitions)}
    if kind is type(None):
        return {"type": "null"}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is float:
        return {"type": "number"}
    if kind is str:
        return {"type": "string"}
    if kind is dt.date:
        return {"type": "string", "format": "date"}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [member.value for member in kind]}
    if isinstance(kind, type) and attrs.has(kind):
        if kind.__name__ not in definitions:
            definitions[kind.__name__] = {}  # placeholder first: recursion stops here
            definitions[kind.__name__] = _class_schema(kind, definitions)
        return {"$ref": f"#/$defs/{kind.__name__}"}
    raise TypeError(f"no JSON Schema for field type {kind!r}")
