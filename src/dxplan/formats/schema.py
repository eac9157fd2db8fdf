"""The JSON Schema of plan, index definition and scenario files, derived from their classes.

Each schema is built by walking the attrs classes the one converter
(:mod:`dxplan.formats.converter`) structures a file into: the plan model for
plans, the records of :mod:`dxplan.formats._index_files` for index
definitions, :class:`~dxplan.whatif.scenario.Scenario` and its edits for
scenarios, with the file keys of :data:`~dxplan.formats.converter.FILE_KEYS`.
So a schema cannot drift from what is read and written: every file dxplan
writes or ships validates against its schema (a test checks this).
Field validators carry the JSON Schema keywords of what they accept (years
1900–2200, at least one target, shares from 0 to 1, unit symbols the registry
reads), so a schema refuses what the loader refuses, said in one place.
A schema describes the shape of a file; what needs the whole document
(unique ids, references that resolve, no cycles) is checked when it is built.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs

from dxplan._validators import schema_of
from dxplan.formats.converter import FILE_KEYS
from dxplan.formats.io import FORMAT_VERSION
from dxplan.plan.model import Plan
from dxplan.text import Label

__all__ = ["INDEX_SCHEMA_ID", "KINDS", "SCENARIO_SCHEMA_ID", "SCHEMA_ID", "plan_schema", "schema"]

SCHEMA_ID = "https://dxplan.invalid/schema/plan-v1.json"
"""The plan schema's identifier (not a fetchable address)."""
INDEX_SCHEMA_ID = "https://dxplan.invalid/schema/index-v1.json"
"""The index definition schema's identifier."""
SCENARIO_SCHEMA_ID = "https://dxplan.invalid/schema/scenario-v1.json"
"""The scenario schema's identifier."""

_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
_PLAN_ID_FIELDS = frozenset({"id", "to", "scope", "measures", "entity", "component"})


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan file, as plain data."""
    definitions: dict[str, Any] = {}
    root = _class_schema(Plan, definitions, _PLAN_ID_FIELDS)
    root["properties"] = {
        "format": {"const": FORMAT_VERSION, "description": "file format version"},
        **root["properties"],
    }
    return _document(SCHEMA_ID, "dxplan plan", root, definitions)


def index_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an index definition file, as plain data."""
    from dxplan.formats import _index_files

    definitions: dict[str, Any] = {}
    root = _class_schema(_index_files.IndexFile, definitions)
    return _document(INDEX_SCHEMA_ID, "dxplan index definition", root, definitions)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, as plain data."""
    from dxplan.formats import scenario_files  # noqa: F401 (the edits' schema needs it loaded)
    from dxplan.whatif.scenario import Scenario

    definitions: dict[str, Any] = {}
    root = _class_schema(Scenario, definitions)
    return _document(SCENARIO_SCHEMA_ID, "dxplan scenario", root, definitions)


KINDS: dict[str, Callable[[], dict[str, Any]]] = {
    "plan": plan_schema,
    "index": index_schema,
    "scenario": scenario_schema,
}
"""Each kind of file with a schema, by the name ``dxplan schema --kind`` takes."""


def schema(kind: Literal["plan", "index", "scenario"] = "plan") -> dict[str, Any]:
    """The JSON Schema of ``kind`` files (see :data:`KINDS`)."""
    return KINDS[kind]()


def _document(
    identifier: str, title: str, root: dict[str, Any], definitions: dict[str, Any]
) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": identifier,
        "title": title,
        **root,
        "$defs": definitions,
    }


def _tagged(
    tag: str, kinds: Mapping[str, type], definitions: dict[str, Any], *, bare: bool
) -> dict[str, Any]:
    """One of ``kinds``, each a table with ``tag`` naming it (or, if ``bare``, just its name)."""
    options: list[dict[str, Any]] = [{"type": "string", "enum": list(kinds)}] if bare else []
    for name, cls in kinds.items():
        table = _class_schema(cls, definitions)
        table["properties"] = {tag: {"const": name}, **table["properties"]}
        table["required"] = [tag, *table["required"]]
        options.append(table)
    return {"anyOf": options}


def _special(kind: Any, definitions: dict[str, Any]) -> dict[str, Any] | None:
    """Types read by the converter's own hooks rather than field by field."""
    if kind == tuple[tuple[str, float], ...]:
        return {"type": "object", "additionalProperties": {"type": "number"}}
    # The index and scenario types are imported with their schema only (``dxplan
    # schema`` of a plan starts without the index engine); a type not yet imported
    # cannot be the one asked about.
    if "dxplan.formats._index_files" in sys.modules:
        from dxplan.formats import _index_files
        from dxplan.index.aggregators import AGGREGATORS, Aggregator
        from dxplan.index.rules import RULES, Rule

        if kind is _index_files.IndexLabel:  # text (the Vietnamese name) or {vi, en}
            text = {"type": "string", "minLength": 1, "pattern": r"\S"}
            return {"anyOf": [text, _type_schema(Label, definitions)]}
        if kind is Rule:
            return _tagged("kind", RULES, definitions, bare=True)
        if kind is Aggregator:
            return _tagged("kind", AGGREGATORS, definitions, bare=True)
        if kind == _index_files.StepEntry:
            return _tagged("step", _index_files.STEPS, definitions, bare=False)
    if "dxplan.formats.scenario_files" in sys.modules:
        from dxplan.formats import scenario_files
        from dxplan.whatif.scenario import Edit

        if kind is Edit:
            return _tagged("op", scenario_files.EDITS, definitions, bare=False)
    return None


def _class_schema(
    cls: type, definitions: dict[str, Any], id_fields: frozenset[str] = frozenset()
) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    keys = FILE_KEYS.get(cls, {})
    scenarios = sys.modules.get("dxplan.formats.scenario_files")
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[dict[str, Any]] = []
    for field in attrs.fields(cls):
        key = keys.get(field.name, field.name)
        if not field.init or key is None:
            continue
        schema = _type_schema(hints[field.name], definitions, id_fields)
        if field.name in id_fields:
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
        properties[key] = schema
        if field.default is attrs.NOTHING and not (
            field.name == "entity" and scenarios is not None and cls in scenarios.EVERY_ENTITY
        ):
            required.append(key)
    summary = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else cls.__name__
    result: dict[str, Any] = {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if scenarios is not None and cls is scenarios.EDITS["weight"]:  # exactly one of the three
        conditions.append({"oneOf": [{"required": [k]} for k in ("value", "points", "share")]})
    if conditions:
        result["allOf"] = conditions
    return result


def _type_schema(
    kind: Any, definitions: dict[str, Any], id_fields: frozenset[str] = frozenset()
) -> dict[str, Any]:
    special = _special(kind, definitions)
    if special is not None:
        return special
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(arg, definitions, id_fields) for arg in typing.get_args(kind)]
        return {"anyOf": options}
    if origin is tuple:
        item, _ = typing.get_args(kind)
        return {"type": "array", "items": _type_schema(item, definitions, id_fields)}
    if origin is dict:
        _, value = typing.get_args(kind)
        return {
            "type": "object",
            "additionalProperties": _type_schema(value, definitions, id_fields),
        }
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
            definitions[kind.__name__] = _class_schema(kind, definitions, id_fields)
        return {"$ref": f"#/$defs/{kind.__name__}"}
    raise TypeError(f"no JSON Schema for field type {kind!r}")
