"""Plan files: TOML for authoring, JSON for interchange, through cattrs.

Reading never executes code. Every problem of a file is reported at once, each
with its path in the document (``$.groups[1].indicators[0].targets[0].value``).
Writing is atomic and refuses to replace an existing file unless asked to.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from dxplan import _files
from dxplan._files import write_atomic
from dxplan.errors import FileFormatError, InvalidValueError, Problem
from dxplan.formats.converter import converter, structure
from dxplan.plan.model import Plan

__all__ = [
    "MAX_FILE_BYTES",
    "NON_FINITE_KEY",
    "json_text",
    "plan_from_dict",
    "plan_to_dict",
    "read_plan",
    "write_atomic",
    "write_plan",
]

MAX_FILE_BYTES = _files.MAX_FILE_BYTES
"""Larger files are refused before they are parsed (the same limit for every loader)."""

FORMAT_VERSION = 1

NON_FINITE_KEY = "non_finite"
"""The key :func:`json_text` adds to an object naming the numbers it wrote as ``null``."""


def json_text(data: object) -> str:
    """``data`` as strict JSON text (UTF-8 ready, indented, ending without a newline).

    JSON has no NaN or infinity: each non-finite number is written as
    ``null`` and, when ``data`` is an object, the ``$.paths`` of those numbers
    are listed under :data:`NON_FINITE_KEY`, so that a reader can tell
    "not a number" from "no value". Text holding a lone UTF-16 surrogate
    (which no UTF-8 file can carry) is written as its ``\\udXXX`` escape,
    never as raw invalid bytes.

    >>> print(json_text({"score": float("inf"), "n": 2}))
    {
      "score": null,
      "n": 2,
      "non_finite": [
        "$.score"
      ]
    }
    """
    non_finite: list[str] = []
    cleaned = _finite(data, "$", non_finite)
    if non_finite and isinstance(cleaned, dict):
        cleaned[NON_FINITE_KEY] = non_finite
    text = json.dumps(cleaned, ensure_ascii=False, indent=2, allow_nan=False)
    if _files.LONE_SURROGATE.search(text):
        # Surrogates only occur inside strings, where "\\ud800" is their JSON escape.
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _finite(value: object, where: str, non_finite: list[str]) -> object:
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        non_finite.append(where)
        return None
    if isinstance(value, dict):
        return {key: _finite(item, f"{where}.{key}", non_finite) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item, f"{where}[{n}]", non_finite) for n, item in enumerate(value)]
    return value


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain data (str, int, float, list, dict), defaults left out."""
    data: dict[str, Any] = converter.unstructure(plan)
    return {"format": FORMAT_VERSION, **data}


def plan_from_dict(data: object, *, source: str = "$") -> Plan:
    """Build a plan from plain data, reporting every problem with its path."""
    if not isinstance(data, dict):
        raise FileFormatError(
            f"cannot read a plan from {source}",
            [Problem(source, f"found {type(data).__name__}; expected a table/object")],
        )
    body = dict(data)
    version = body.pop("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise FileFormatError(
            f"cannot read a plan from {source}",
            [Problem(f"{source}:$.format", f"found {version!r}; expected {FORMAT_VERSION}")],
        )
    return structure(body, Plan, source=source, summary=f"cannot read a plan from {source}")


def read_plan(path: str | Path) -> Plan:
    """Read a plan from a ``.toml`` or ``.json`` file."""
    path = Path(path)
    data = _files.read_document(path, what="a plan")
    return plan_from_dict(data, source=str(path))


def write_plan(plan: Plan, path: str | Path, *, force: bool = False) -> Path:
    """Write ``plan`` as TOML or JSON, by the path's suffix; atomic."""
    if not isinstance(plan, Plan):
        raise InvalidValueError("plan", plan, "a dxplan.Plan")
    if not isinstance(path, str | os.PathLike):
        raise InvalidValueError("path", path, "a file path")
    path = Path(path)
    data = plan_to_dict(plan)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        import tomli_w

        text = tomli_w.dumps(data)
    elif suffix == ".json":
        text = json_text(data) + "\n"
    else:
        raise FileFormatError(
            f"cannot write a plan to {path}",
            [Problem(str(path), f"found suffix {suffix!r}; expected .toml or .json")],
        )
    write_atomic(path, text, force=force)
    return path
