"""Scenario files: TOML (or plain data) read into a :class:`~dxplan.whatif.scenario.Scenario`.

A file names the scenario, optionally where its inputs are, and lists its
edits, each with ``op`` and the fields of its edit class::

    name = "society push"
    description = "HCMC closes its society gap"
    index = "dti-922"          # a bundled index name or a .toml/.json file
    data = "dti-2022"          # a bundled data set name or a wide .csv file
    [[edits]]
    op = "set"                 # set | shift | scale | weight | target | baseline
    entity = "ho-chi-minh"     #   | drop | add-entity | remove-entity | task
    component = "hd_xa_hoi_so"
    value = 0.55

The file is read through the one converter (:mod:`dxplan.formats.converter`)
straight into the edit classes, so a file refuses what the classes refuse, and
:func:`dxplan.formats.schema.scenario_schema` is derived from the same classes.
A value edit without ``entity`` (or with ``"*"``) changes every entity; a
weight edit writes the relative weight as ``value`` (or ``points``, or
``share``); ``add-entity`` takes ``values`` as a table ``component = number``.
Every problem is reported at once, at ``file:$.edits[2].value``, with what was
found and what was expected.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from dxplan import _files
from dxplan.formats.converter import FILE_KEYS, converter, refuse, structure, tagged
from dxplan.whatif.scenario import (
    AddEntity,
    DropComponent,
    Edit,
    RemoveEntity,
    ScaleValue,
    Scenario,
    SetBaseline,
    SetTarget,
    SetValue,
    SetWeight,
    ShiftValue,
    TaskOutcome,
)

__all__ = ["EDITS", "EVERY_ENTITY", "load_scenario", "scenario_from_dict", "scenario_to_dict"]

EDITS: dict[str, type[Edit]] = {
    cls.op: cls
    for cls in (
        SetValue,
        ShiftValue,
        ScaleValue,
        SetWeight,
        SetTarget,
        SetBaseline,
        DropComponent,
        AddEntity,
        RemoveEntity,
        TaskOutcome,
    )
}
"""Each edit class by its ``op`` in a file."""

EVERY_ENTITY = (SetValue, ShiftValue, ScaleValue)
"""Value edits, whose ``entity`` may be left out of a file: every entity."""

FILE_KEYS[Scenario] = {
    "index_ref": "index",
    "data_ref": "data",
    "plan_ref": "plan",
    "observations_ref": "observations",
}
for _cls in EDITS.values():
    FILE_KEYS[_cls] = {"where": None, "position": None}
FILE_KEYS[SetWeight] = {"where": None, "weight": "value"}


def _values(value: object, _: object) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        raise refuse(value, "a table of component = number")
    return tuple(converter.structure(value, dict[str, float]).items())


converter.register_structure_hook_func(
    lambda t: t is Edit,
    tagged(
        "op",
        EDITS,
        expected="one of " + ", ".join(EDITS),
        table="an edit table with 'op'",
        fill={cls: {"entity": None} for cls in EVERY_ENTITY},
    ),
)
converter.register_structure_hook_func(lambda t: t == tuple[tuple[str, float], ...], _values)


def scenario_from_dict(raw: object, *, source: str = "<dict>") -> Scenario:
    """Build a scenario from plain data (as read from TOML); every problem reported at once.

    Raises:
        FileFormatError: naming ``source`` and each path such as
            ``s.toml:$.edits[2].value``, with what was found and what was
            expected.
    """
    scenario = structure(
        raw, Scenario, source=source, summary=f"cannot read a scenario from {source}"
    )
    edits = tuple(
        attrs.evolve(edit, where=f"{source}:$.edits[{i}]") for i, edit in enumerate(scenario.edits)
    )
    return attrs.evolve(scenario, edits=edits)


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain data for ``scenario`` as a file holds it; :func:`scenario_from_dict` reads it back.

    An edit's ``where`` and an added entity's ``position`` (set only by
    :meth:`~dxplan.whatif.scenario.Scenario.inverse_on`) are not written.
    """
    out: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        out["description"] = scenario.description
    for name, key in FILE_KEYS[Scenario].items():
        if getattr(scenario, name) is not None:
            out[str(key)] = getattr(scenario, name)
    out["edits"] = [_edit_to_dict(edit) for edit in scenario.edits]
    return out


def _edit_to_dict(edit: Edit) -> dict[str, Any]:
    keys = FILE_KEYS[type(edit)]
    fields: dict[str, Any] = {"op": edit.op}
    for field in attrs.fields(type(edit)):
        key = keys.get(field.name, field.name)
        value = getattr(edit, field.name)
        if key is not None and value is not None:
            fields[key] = dict(value) if field.name == "values" else value
    return fields


def load_scenario(path: str | PathLike[str]) -> Scenario:
    """Read a scenario from a TOML file (see the module docstring for the format).

    Relative ``index``, ``data``, ``plan`` and ``observations`` references with
    a file suffix (.toml, .json, .csv, .py) are made relative to the scenario
    file's folder; other references (bundled names) are kept as written.

    Raises:
        FileFormatError: the file cannot be read, is not TOML, or has fields
            of the wrong kind (each named by ``file:$.edits[2].value``).
    """
    file = Path(path)
    text = _files.read_text(file, what="a scenario in TOML")
    raw = _files.parse_document(text, source=str(file), kind="toml")
    scenario = scenario_from_dict(raw, source=str(file))

    def anchored(ref: str | None) -> str | None:
        # Only file references move; a bare name (e.g. "dti-922") is left to the resolver.
        if ref is None or Path(ref).suffix.lower() not in (".toml", ".json", ".csv", ".py"):
            return ref
        candidate = Path(ref)
        return ref if candidate.is_absolute() else str(file.parent / candidate)

    return attrs.evolve(
        scenario,
        index_ref=anchored(scenario.index_ref),
        data_ref=anchored(scenario.data_ref),
        plan_ref=anchored(scenario.plan_ref),
        observations_ref=anchored(scenario.observations_ref),
    )
