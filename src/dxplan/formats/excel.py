"""Excel output: index data, results and any table as ``.xlsx`` (the ``excel`` extra).

Every workbook has one sheet per table and a ``README`` sheet with the
sources and parameters it was made with. Each result builds its own tables (its
``to_excel`` method) and writes them through :func:`write_tables`, so this
module imports none of the result classes. Files are written atomically through
:func:`dxplan.formats.io.write_atomic` and never replace an existing file unless
``force`` is given. Reading is :meth:`dxplan.IndexData.from_excel` and
:func:`dxplan.load_observations`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dxplan._files import write_atomic
from dxplan.errors import FileFormatError, InvalidValueError, Problem
from dxplan.formats import _excel
from dxplan.formats._excel import Cell
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.index.data import FloatArray, IndexData, Period
    from dxplan.index.model import IndexResult
    from dxplan.index.provinces import MergedRanking
    from dxplan.plan.attainment import AttainmentReport
    from dxplan.plan.model import Plan
    from dxplan.whatif.uncertainty import UncertaintyResult

__all__ = ["to_excel", "write_index_data", "write_plan", "write_tables"]

Table = Sequence[Mapping[str, object]]


def _writer() -> str:
    return f"dxplan {version('dxplan')}"


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int):  # bool is an int: kept as TRUE/FALSE
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    return str(value)


def _checked(path: str | PathLike[str]) -> Path:
    file = Path(path)
    if file.suffix.lower() != ".xlsx":
        raise FileFormatError(
            f"cannot write {file}",
            [Problem(str(file), f"found suffix {file.suffix!r}; expected '.xlsx'")],
        )
    return file


def write_tables(
    path: str | PathLike[str],
    tables: Mapping[str, Table],
    readme: Mapping[str, object],
    *,
    force: bool = False,
) -> Path:
    """Write each table (a list of rows with the same keys) to its own sheet, then a README.

    Sheet titles are cut to Excel's 31 characters; NaN becomes an empty cell.
    """
    file = _checked(path)
    sheets: list[tuple[str, list[list[Cell]]]] = []
    for title, rows in tables.items():
        keys = list(dict.fromkeys(k for row in rows for k in row))
        sheets.append((title, [list(keys), *([_cell(row.get(k)) for k in keys] for row in rows)]))
    notes = [("written by", _writer()), *((k, str(v)) for k, v in readme.items())]
    write_atomic(file, _excel.workbook_bytes(sheets, notes), force=force)
    return file


def write_index_data(data: IndexData, path: str | PathLike[str], *, force: bool = False) -> Path:
    """Write ``data`` as a ``data`` sheet and a README with its source and columns.

    One row per entity (per entity and period for a panel, with a ``period``
    column), then its attributes, components and denominators; the README
    lists the period, attribute and denominator columns so that
    :meth:`IndexData.from_excel` reads the workbook back as it was. The
    imputed flags are not written (the imputed values are).
    """
    file = _checked(path)
    den = data.denominators
    attributes = list(data.attributes)
    denominators = list(den.components) if den is not None else []
    header: list[Cell] = [
        "id",
        *(["name"] if data.names is not None else []),
        *(["period"] if data.periods is not None else []),
        *attributes,
        *data.components,
        *denominators,
    ]
    folded = [str(h).casefold() for h in header]
    repeated = sorted({h for h in folded if folded.count(h) > 1})
    if repeated:
        raise InvalidValueError(
            "data",
            f"columns {repeated} named twice in {header}",
            "distinct names for the id, name, period, attribute, component and denominator "
            "columns (compared ignoring case)",
        )
    rows: list[list[Cell]] = [header]
    blocks: list[tuple[Period | None, FloatArray, FloatArray | None]] = (
        [(None, data.values, None if den is None else den.values)]
        if data.periods is None
        else [
            (p, data.values[k], None if den is None else den.values[k])
            for k, p in enumerate(data.periods)
        ]
    )
    for when, values, divisors in blocks:
        for i, entity in enumerate(data.entities):
            row: list[Cell] = [entity]
            if data.names is not None:
                row.append(data.names[i])
            if when is not None:
                row.append(when)
            row += [data.attributes[a][i] or None for a in attributes]
            row += [_cell(float(x)) for x in values[i]]
            if divisors is not None:
                row += [_cell(float(x)) for x in divisors[i]]
            rows.append(row)
    notes = [
        ("written by", _writer()),
        (
            "what",
            "index data: one row per entity"
            + (" and period" if data.periods is not None else "")
            + ", one column per component; empty = missing",
        ),
        ("source", data.source),
        ("name column", "name" if data.names is not None else ""),
        ("period column", "period" if data.periods is not None else ""),
        ("attribute columns", json.dumps(attributes, ensure_ascii=False) if attributes else ""),
        (
            "denominator columns",
            json.dumps(denominators, ensure_ascii=False) if denominators else "",
        ),
        ("entities", str(len(data.entities))),
        ("components", " ".join(data.components)),
    ]
    if data.periods is not None:
        notes.append(("periods", " ".join(str(p) for p in data.periods)))
    write_atomic(file, _excel.workbook_bytes([("data", rows)], notes), force=force)
    return file


def to_excel(
    result: IndexResult | UncertaintyResult | MergedRanking | AttainmentReport,
    path: str | PathLike[str],
    *,
    node: str | None = None,
    lang: Language = "en",
    force: bool = False,
) -> Path:
    """Write a result's tables and a README with its sources and parameters.

    - :class:`~dxplan.plan.attainment.AttainmentReport`: ``targets``, ``indicators``,
      ``groups`` and ``tasks`` (labels in ``lang``).
    - :class:`~dxplan.index.model.IndexResult`: ``ranking`` (on ``node``), ``scores``
      (every node), ``data`` (the raw values).
    - :class:`~dxplan.whatif.uncertainty.UncertaintyResult`: ``ranks`` (nominal,
      median and interval ranks per entity, on ``node``).
    - :class:`~dxplan.index.provinces.MergedRanking`: ``ranking`` on the 34 with the
      former units and their ranks on the 63.

    Each result writes its own tables (its ``to_excel`` method, through
    :func:`write_tables`); this passes ``node`` and ``lang`` on to the results
    that take them.
    """
    import inspect

    accepted = inspect.signature(result.to_excel).parameters
    options: dict[str, Any] = {
        name: value for name, value in (("node", node), ("lang", lang)) if name in accepted
    }
    return result.to_excel(path, force=force, **options)


def write_plan(plan: Plan, path: str | PathLike[str], *, force: bool = False) -> Path:
    """Write a plan's targets and tasks as tables for reading in Excel.

    One row per target (``targets``) and per task (``tasks``), and a README
    with the plan's provenance. It is a view for analysts, not an interchange
    format: TOML and JSON (:func:`dxplan.formats.io.write_plan`) round-trip, this does not.
    """
    targets = [
        {
            "group": group.id,
            "indicator": indicator.id,
            "label_vi": indicator.label.vi,
            "label_en": indicator.label.en or "",
            "unit": str(indicator.unit),
            "comparator": str(target.comparator),
            "target": target.value,
            "baseline": target.baseline,
            "deadline": None if target.deadline is None else str(target.deadline),
            "scope": target.scope or "",
            "source": str(target.provenance.source),
            "note": target.provenance.note,
        }
        for group in plan.groups
        for indicator in group.indicators
        for target in indicator.targets
    ]
    tasks = [
        {
            "task": task.id,
            "label_vi": task.label.vi,
            "label_en": task.label.en or "",
            "depends_on": " ".join(link.to for link in task.depends_on),
            "contributes_to": " ".join(link.to for link in task.contributes_to),
            "priorities": " ".join(link.to for link in task.priorities),
        }
        for task in plan.tasks
    ]
    return write_tables(
        path,
        {"targets": targets, "tasks": tasks},
        {
            "plan": plan.id,
            "label": plan.label.vi,
            "year": "" if plan.year is None else str(plan.year),
            "entity": plan.entity or "",
            "source": f"{plan.provenance.source}: {plan.provenance.note}",
            "note": "a view for reading; TOML or JSON files (dxplan export --to) round-trip",
        },
        force=force,
    )
