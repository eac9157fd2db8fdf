"""Index data: raw component values of entities, the input of an index.

An :class:`IndexData` is an entities × components matrix of floats with NaN
for a missing value, the entity ids (and optional display names) along its
rows and the component ids along its columns. It is built from a mapping or a
wide CSV file; columns are always matched by name, never by position.

A *panel* adds a period axis: ``values[p, i, j]`` is entity ``i`` on component
``j`` in period ``periods[p]``. It is read from a long CSV (one row per entity
and period) or stacked from one cross-section per period
(:meth:`IndexData.stack`). Entity attributes (grouping columns such as an
income group or a region) and denominators (GDP, population, area) travel
with the data for screening, denomination and imputation; a mask marks the
values that were imputed.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Self, overload

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _files, _numbers
from dxplan._extras import import_pandas
from dxplan._numbers import Locale, period_label
from dxplan._validators import Check, cross_section, to_float
from dxplan.errors import FileFormatError, InvalidValueError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from dxplan.index.provinces import Era

__all__ = ["IndexData", "PanelData", "Period", "cross_section"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
#: A period label: a year (``2022``) or any text (``"2022-Q1"``).
Period = int | str
_MISSING = frozenset({"", "na", "nan", "n/a", "null", "-"})


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    try:
        return tuple(values)
    except TypeError:  # not a list at all
        raise InvalidValueError("entities/components", values, "a list of ids") from None


def _optional_str_tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    try:
        return None if values is None else tuple(values)
    except TypeError:  # not a list at all
        raise InvalidValueError("names", values, "a list of names, or None") from None


def _read_only(values: Any) -> FloatArray:
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidValueError("values", values, "a matrix of numbers (NaN if missing)") from None
    array.setflags(write=False)
    return array


def _periods(values: Iterable[Period] | None) -> tuple[Period, ...] | None:
    if values is None:
        return None
    try:
        out = tuple(values)
    except TypeError:  # not a list at all
        raise InvalidValueError("periods", values, "a list of periods, or None") from None
    for p in out:
        _period.check("periods", p)
    if len(set(out)) != len(out):
        raise InvalidValueError("periods", out, "distinct periods")
    return out


_period = Check(
    accepts=lambda p: not isinstance(p, bool) and isinstance(p, int | str),
    expected="a year (int) or a text label",
)


def _required_periods(values: Iterable[Period]) -> tuple[Period, ...]:
    out = _periods(values)
    if not out:
        raise InvalidValueError("periods", values, "at least one period")
    return out


def _attributes(values: Mapping[str, Iterable[str]] | None) -> Mapping[str, tuple[str, ...]]:
    if values is None:
        return MappingProxyType({})
    try:
        return MappingProxyType({str(k): tuple(str(x) for x in v) for k, v in values.items()})
    except (AttributeError, TypeError):
        raise InvalidValueError(
            "attributes", values, "a mapping of attribute name to one value per entity"
        ) from None


def _flags(values: Any) -> BoolArray | None:
    if values is None:
        return None
    try:
        array = np.array(values, dtype=bool)
    except (TypeError, ValueError):  # ragged or nested lists have no array shape
        raise InvalidValueError("imputed", values, "a mask of True/False, or None") from None
    array.setflags(write=False)
    return array


def _denominators(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, IndexData):
        raise InvalidValueError("denominators", value, "an IndexData, or None")


def _ids(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or not item:
                raise InvalidValueError(field, item, "a non-empty string")
            if item in seen:
                raise InvalidValueError(field, item, "unique ids (this one repeats)")
            seen.add(item)

    return check


@attrs.frozen(kw_only=True, eq=False)
class IndexData:
    """Raw values: ``values[i, j]`` is entity ``entities[i]`` on ``components[j]``.

    Args:
        entities: entity ids (provinces, countries), unique.
        components: component ids, unique; matched by name to an index's leaves.
        values: float matrix, entities × components (periods × entities ×
            components for a panel); NaN means missing.
        names: display names, one per entity, or ``None``.
        source: where the values come from (a citation).
        periods: the period labels of a panel (years, ascending as given),
            or ``None`` for one cross-section.
        attributes: entity attributes by name (``{"GDPpc_group": ("L", "M", …)}``),
            one text per entity; ``""`` means unknown.
        denominators: values to divide components by (GDP, population, area),
            as an :class:`IndexData` over the same entities and periods.
        imputed: a mask of the same shape as ``values``, ``True`` where the
            value was imputed (see :func:`dxplan.index.imputation.impute`).

    >>> data = IndexData.from_mapping({"a": {"x": 1.0}, "b": {"x": 2.0, "y": 3.0}})
    >>> data.components, data.value("a", "y")
    (('x', 'y'), nan)
    """

    entities: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_ids("entities"))
    components: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_ids("components"))
    values: FloatArray = attrs.field(converter=_read_only)
    names: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_str_tuple)
    source: str = ""
    periods: tuple[Period, ...] | None = attrs.field(default=None, converter=_periods)
    attributes: Mapping[str, tuple[str, ...]] = attrs.field(default=None, converter=_attributes)
    denominators: IndexData | None = attrs.field(default=None, validator=_denominators)
    imputed: BoolArray | None = attrs.field(default=None, converter=_flags)

    def __attrs_post_init__(self) -> None:
        if (self.periods is not None) != isinstance(self, PanelData):
            raise InvalidValueError(
                "periods", self.periods, "a PanelData for data with periods, else None"
            )
        expected: tuple[int, ...] = (len(self.entities), len(self.components))
        if self.periods is not None:
            expected = (len(self.periods), *expected)
        if self.values.shape != expected:
            raise InvalidValueError(
                "values", f"an array of shape {self.values.shape}", f"of shape {expected}"
            )
        if np.isinf(self.values).any():
            raise InvalidValueError("values", "an infinite value", "finite numbers or NaN")
        if self.names is not None and len(self.names) != len(self.entities):
            raise InvalidValueError(
                "names", f"{len(self.names)} names", f"one per entity ({len(self.entities)})"
            )
        for key, column in self.attributes.items():
            if len(column) != len(self.entities):
                raise InvalidValueError(
                    f"attributes[{key!r}]",
                    f"{len(column)} values",
                    f"one per entity ({len(self.entities)})",
                )
        den = self.denominators
        if den is not None and (den.entities != self.entities or den.periods != self.periods):
            raise InvalidValueError(
                "denominators", den, "data over the same entities and periods as the values"
            )
        if self.imputed is not None and self.imputed.shape != self.values.shape:
            raise InvalidValueError(
                "imputed", f"a mask of shape {self.imputed.shape}", f"of shape {expected}"
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndexData):
            return NotImplemented
        return (
            self.entities == other.entities
            and self.components == other.components
            and self.names == other.names
            and self.source == other.source
            and self.periods == other.periods
            and dict(self.attributes) == dict(other.attributes)
            and self.denominators == other.denominators
            and _same_mask(self.imputed, other.imputed)
            and bool(np.array_equal(self.values, other.values, equal_nan=True))
        )

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self.entities)

    def __repr__(self) -> str:
        periods = "" if self.periods is None else f" × {len(self.periods)} periods"
        imputed = "" if self.imputed is None else f", {int(self.imputed.sum())} imputed"
        return (
            f"IndexData({len(self.entities)} entities{periods} × {len(self.components)} "
            f"components, {int(np.isnan(self.values).sum())} missing{imputed})"
        )

    @property
    def is_panel(self) -> bool:
        """Whether the data has a period axis."""
        return self.periods is not None

    def period_position(self, period: Period) -> int:
        """The position of ``period`` on the period axis."""
        if self.periods is None:
            raise InvalidValueError("period", period, "no period: the data is one cross-section")
        for i, p in enumerate(self.periods):
            if p == period or str(p) == str(period):
                return i
        raise InvalidValueError("period", period, f"one of the periods {list(self.periods)}")

    def period(self, period: Period) -> IndexData:
        """One period of a panel as a cross-section (attributes and denominators kept)."""
        p = self.period_position(period)
        den = self.denominators
        return IndexData(
            entities=self.entities,
            components=self.components,
            values=self.values[p],
            names=self.names,
            source=self.source,
            attributes=self.attributes,
            denominators=None if den is None else den.period(period),
            imputed=None if self.imputed is None else self.imputed[p],
        )

    @staticmethod
    def stack(by_period: Mapping[Period, IndexData], *, source: str = "") -> PanelData:
        """A panel from one cross-section per period (several wide files).

        Entities are the union in order of first appearance (missing rows are
        NaN); every period must have the same components. Names, attributes
        and denominators are taken from the first period that has the entity.
        """
        if not by_period:
            raise InvalidValueError("by_period", by_period, "at least one period")
        parts = list(by_period.items())
        components = parts[0][1].components
        for period, part in parts:
            if part.is_panel:
                raise InvalidValueError(f"by_period[{period!r}]", part, "a cross-section")
            if part.components != components:
                raise InvalidValueError(
                    f"by_period[{period!r}].components", part.components, f"{list(components)}"
                )
        entities = list(dict.fromkeys(e for _, part in parts for e in part.entities))
        at = {e: i for i, e in enumerate(entities)}
        values = np.full((len(parts), len(entities), len(components)), np.nan)
        names = list(entities)
        keys = list(dict.fromkeys(k for _, part in parts for k in part.attributes))
        attributes = {k: [""] * len(entities) for k in keys}
        seen: set[str] = set()
        for p, (_, part) in enumerate(parts):
            rows = [at[e] for e in part.entities]
            values[p, rows] = part.values
            for i, e in enumerate(part.entities):
                if e in seen:
                    continue
                seen.add(e)
                names[at[e]] = part.name(e)
                for k, column in part.attributes.items():
                    attributes[k][at[e]] = column[i]
        has_names = any(part.names is not None for _, part in parts)
        dens = [part.denominators for _, part in parts]
        denominators = None
        if all(d is not None for d in dens):
            denominators = IndexData.stack(
                {period: d for (period, _), d in zip(parts, dens, strict=True) if d is not None}
            )
        return PanelData(
            entities=entities,
            components=components,
            values=values,
            names=names if has_names else None,
            source=source or parts[0][1].source,
            periods=[period for period, _ in parts],
            attributes=attributes,
            denominators=denominators,
        )

    def attribute(self, name: str) -> tuple[str, ...]:
        """One entity attribute (e.g. ``"GDPpc_group"``), one text per entity."""
        try:
            return self.attributes[name]
        except KeyError:
            raise InvalidValueError(
                "attribute", name, f"one of the data's attributes {sorted(self.attributes)}"
            ) from None

    def with_values(self, values: FloatArray, *, imputed: BoolArray | None = None) -> Self:
        """A copy with every value replaced (same shape), optionally with an imputation mask."""
        return attrs.evolve(self, values=values, imputed=imputed)

    @classmethod
    def from_mapping(
        cls,
        values: Mapping[str, Mapping[str, float | None]],
        *,
        components: Sequence[str] | None = None,
        names: Mapping[str, str] | None = None,
        source: str = "",
    ) -> IndexData:
        """Build from ``{entity: {component: value}}``; an absent or ``None`` value is missing.

        Without ``components`` the columns are every component named, in order
        of first appearance; with it, a component outside it is an error.
        """
        given: object = values  # checked at run time, whatever the annotation says
        if not isinstance(given, Mapping) or not all(
            isinstance(row, Mapping) for row in given.values()
        ):
            raise InvalidValueError("values", values, "a mapping {entity: {component: value}}")
        if components is None:
            components = list(dict.fromkeys(c for row in values.values() for c in row))
        else:
            known = set(components)
            for entity, row in values.items():
                for c in row:
                    if c not in known:
                        raise InvalidValueError(
                            f"values[{entity!r}]", c, "one of the given components"
                        )
        matrix = [
            [_as_float(row.get(c), f"values[{entity!r}][{c!r}]") for c in components]
            for entity, row in values.items()
        ]
        entities = list(values)
        return cls(
            entities=entities,
            components=components,
            values=np.array(matrix, dtype=np.float64).reshape(len(entities), len(components)),
            names=None if names is None else [names.get(e, e) for e in entities],
            source=source,
        )

    @overload
    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        *,
        id_column: str = "id",
        name_column: str | None = None,
        components: Sequence[str] | None = None,
        source: str = "",
        period: str,
        attributes: Sequence[str] | None = None,
        denominators: Sequence[str] = (),
        locale: Locale | None = None,
    ) -> PanelData: ...

    @overload
    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        *,
        id_column: str = "id",
        name_column: str | None = None,
        components: Sequence[str] | None = None,
        source: str = "",
        period: None = None,
        attributes: Sequence[str] | None = None,
        denominators: Sequence[str] = (),
        locale: Locale | None = None,
    ) -> IndexData: ...

    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        *,
        id_column: str = "id",
        name_column: str | None = None,
        components: Sequence[str] | None = None,
        source: str = "",
        period: str | None = None,
        attributes: Sequence[str] | None = None,
        denominators: Sequence[str] = (),
        locale: Locale | None = None,
    ) -> IndexData:
        """Read a wide CSV: one row per entity (per entity and period with ``period``).

        Empty cells and ``NA``/``NaN`` are missing. Without ``components``
        every column other than the id, name, period, attribute and
        denominator columns is a component and must be numeric; with it only
        those columns are read. Numbers may be written the Vietnamese way
        (``0,7163``, ``1.234,5``, ``72 %``) or the English way; ``locale``
        (``"vi"``/``"en"``) declares which, else the file's unambiguous cells
        decide and a number that reads two ways is refused. Every bad cell is
        reported at once as a :class:`FileFormatError` (``file:line:column``).

        ``period`` names the period column of a long file (``"Time"`` in
        COINr's ``iData``); the data is then a panel with one period per
        distinct value (numbers as years), in ascending order. ``attributes``
        are text columns kept per entity (constant over periods);
        ``denominators`` are numeric columns kept apart as
        :attr:`denominators`. A file in COINr's layout (``uCode``, ``uName``,
        ``*_group`` columns) is read as such when ``id_column`` is left at
        ``"id"`` and the file has no ``id`` column.
        """
        file = Path(path)
        text = _files.read_text(file, what="a CSV file with a header row")
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise FileFormatError(
                f"{file} is not valid CSV", [Problem(str(file), f"{exc}; expected a CSV file")]
            ) from exc
        header = [h.strip() for h in rows[0]] if rows else []
        if id_column == "id" and "id" not in header and "uCode" in header:
            id_column = "uCode"
            if name_column is None and "uName" in header:
                name_column = "uName"
            if attributes is None:
                attributes = [h for h in header if h.endswith("_group")]
        return cls._from_rows(
            rows,
            where=str(file),
            id_column=id_column,
            name_column=name_column,
            components=components,
            source=source,
            period=period,
            attributes=tuple(attributes or ()),
            denominators=tuple(denominators),
            locale=locale,
        )

    @classmethod
    def _from_rows(
        cls,
        rows: Sequence[Sequence[str]],
        *,
        where: str,
        id_column: str,
        name_column: str | None,
        components: Sequence[str] | None,
        source: str,
        period: str | None = None,
        attributes: Sequence[str] = (),
        denominators: Sequence[str] = (),
        locale: Locale | None = None,
    ) -> IndexData:
        problems: list[Problem] = []
        if not rows:
            raise FileFormatError(
                f"{where} is empty", [Problem(f"{where}:1", "no header; expected a header row")]
            )
        header = [h.strip() for h in rows[0]]
        repeated = sorted({h for h in header if header.count(h) > 1})
        for h in repeated:
            problems.append(Problem(f"{where}:1", f"column {h!r} appears twice"))
        wanted = [id_column] + ([name_column] if name_column else [])
        wanted += ([period] if period else []) + list(attributes)
        for column in [*wanted, *denominators]:
            if column not in header:
                problems.append(Problem(f"{where}:1", f"no column {column!r}; header is {header}"))
        if components is None:
            components = [h for h in header if h not in wanted and h not in denominators]
        else:
            for c in components:
                if c not in header:
                    problems.append(Problem(f"{where}:1", f"no column for component {c!r}"))
        if problems:
            raise FileFormatError(f"{where}: bad header", problems)
        at = {h: i for i, h in enumerate(header)}
        numeric = [*components, *denominators]
        if locale is None:
            written = (row[at[c]] for row in rows[1:] if len(row) == len(header) for c in numeric)
            try:
                locale = _numbers.infer_locale(written)
            except InvalidValueError as exc:
                raise FileFormatError(
                    f"{where}: mixed number formats", [Problem(where, str(exc))]
                ) from None
        entities: list[str] = []
        names: dict[str, str] = {}
        texts: dict[str, dict[str, tuple[str, int]]] = {a: {} for a in attributes}
        cells_of: dict[tuple[str, Period | None], list[float]] = {}
        seen: dict[tuple[str, Period | None], int] = {}
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    Problem(f"{where}:{line}", f"{len(row)} fields; expected {len(header)}")
                )
                continue
            entity = row[at[id_column]].strip()
            when: Period | None = None
            if period:
                label = row[at[period]].strip()
                if not label:
                    problems.append(Problem(f"{where}:{line}:{period}", "empty period"))
                when = period_label(label)
            key = (entity, when)
            if not entity:
                problems.append(Problem(f"{where}:{line}:{id_column}", "empty entity id"))
            elif key in seen:
                again = f"entity {entity!r}" + ("" if when is None else f" in period {when!r}")
                problems.append(
                    Problem(
                        f"{where}:{line}:{id_column}",
                        f"{again} already on line {seen[key]}",
                    )
                )
            seen.setdefault(key, line)
            for a in attributes:
                value = row[at[a]].strip()
                value = "" if value.lower() in _MISSING else value
                first = texts[a].setdefault(entity, (value, line))
                if first[0] != value:
                    problems.append(
                        Problem(
                            f"{where}:{line}:{a}",
                            f"found {value!r}; expected {first[0]!r} as on line {first[1]} "
                            f"(an attribute is constant over periods)",
                        )
                    )
            cells: list[float] = []
            for c in numeric:
                text = row[at[c]].strip()
                if text.lower() in _MISSING:
                    cells.append(math.nan)
                    continue
                try:
                    value_f = _numbers.parse_number(text, locale=locale)
                except InvalidValueError as exc:
                    value_f = math.nan
                    problems.append(
                        Problem(f"{where}:{line}:{c}", f"found {text!r}; expected {exc.expected}")
                    )
                cells.append(value_f)
            if entity not in names:
                entities.append(entity)
                names[entity] = row[at[name_column]].strip() if name_column else entity
            cells_of[key] = cells
        if problems:
            raise FileFormatError(f"{where}: {len(problems)} bad cell(s)", problems)
        return assemble(
            cells_of,
            entities=entities,
            components=components,
            denominators=denominators,
            names=[names[e] for e in entities] if name_column else None,
            attributes={a: [texts[a][e][0] for e in entities] for a in attributes},
            panel=bool(period),
            source=source,
        )

    @classmethod
    def from_excel(
        cls,
        path: str | PathLike[str],
        sheet: str | int | None = None,
        *,
        id_column: str | None = None,
        name_column: str | None = None,
        components: Sequence[str] | Mapping[str, str] | None = None,
        era: Era | None = None,
        locale: Locale | None = None,
        allow_macros: bool = False,
        source: str | None = None,
        period: str | None = None,
        attributes: Sequence[str] = (),
        denominators: Sequence[str] = (),
    ) -> IndexData:
        """Read one sheet of an ``.xlsx`` workbook (needs the ``excel`` extra).

        The header is the first of the top 20 rows that holds ``id_column``
        (``"id"`` by default) and every header named in ``components``; a
        header of two rows merged vertically is read by its lower row. The
        table ends at the first empty row. Formulas are never evaluated (their
        cached values are read); ``.xlsm`` is refused unless ``allow_macros``.

        Args:
            path: the workbook.
            sheet: a sheet title or 0-based position; the first sheet by default.
            id_column: the header of the entity column.
            name_column: a header of display names (else the entity cells as written).
            components: the component columns: headers that are the component ids,
                or a mapping ``{header as published: component id}``; by
                default every other column with a header.
            era: ``2024`` or ``2025`` to read the entity column as province names
                matched through :func:`dxplan.index.provinces.match`; ``None`` reads ids.
            locale: ``"vi"`` or ``"en"`` for numbers stored as text; by default
                inferred from the sheet, and a number that reads two ways is refused.
            allow_macros: read a macro-enabled ``.xlsm`` (macros are never run).
            source: the citation; a workbook written by :meth:`to_excel` keeps its own.
            period: the header of a period column: the sheet is then long (one row
                per entity and period) and read as a :class:`PanelData`, as by
                :meth:`from_csv`. A workbook written by :meth:`to_excel` names its own
                period, attribute and denominator columns.
            attributes: headers of text columns kept per entity (constant over periods).
            denominators: headers of numeric columns kept as :attr:`denominators`.

        Raises:
            FileFormatError: listing every cell it could not read as ``file:sheet!B4``.
        """
        from dxplan.formats._data_excel import read_data_sheet

        read = read_data_sheet(
            path,
            sheet,
            id_column=id_column,
            name_column=name_column,
            components=components,
            era=era,
            locale=locale,
            allow_macros=allow_macros,
            source=source,
            period=period,
            attributes=attributes,
            denominators=denominators,
        )
        try:
            return assemble(
                read.cells_of,
                entities=read.entities,
                components=read.components,
                denominators=read.denominators,
                names=read.names,
                attributes=read.attributes,
                panel=read.panel,
                source=read.source,
            )
        except InvalidValueError as exc:
            raise read.refused(exc) from exc

    def to_excel(self, path: str | PathLike[str], *, force: bool = False) -> Path:
        """Write an ``.xlsx`` workbook: a ``data`` sheet and a ``README`` with the source.

        A panel is written long (a ``period`` column), with its attributes and
        denominators; :meth:`from_excel` reads it back identical (the imputed
        flags are not written, the imputed values are). Written atomically; an
        existing file is replaced only with ``force``.
        """
        from dxplan.formats.excel import write_index_data

        return write_index_data(self, path, force=force)

    def name(self, entity: str) -> str:
        """The display name of ``entity`` (its id when there are no names)."""
        i = self.position(entity)
        return entity if self.names is None else self.names[i]

    def position(self, entity: str) -> int:
        """The row of ``entity``; an unknown entity is an :class:`InvalidValueError`."""
        try:
            return self.entities.index(entity)
        except ValueError:
            raise InvalidValueError("entity", entity, "one of the data's entities") from None

    def column(self, component: str) -> FloatArray:
        """The values of one component for every entity (periods × entities for a panel)."""
        try:
            j = self.components.index(component)
        except ValueError:
            raise InvalidValueError(
                "component", component, "one of the data's components"
            ) from None
        return self.values[..., j]

    def value(self, entity: str, component: str, period: Period | None = None) -> float:
        """One value (NaN when missing); a panel needs the ``period``."""
        column = self.column(component)
        if self.periods is None:
            if period is not None:
                raise InvalidValueError("period", period, "None: the data has no periods")
            return float(column[self.position(entity)])
        if period is None:
            raise InvalidValueError("period", None, f"one of the periods {list(self.periods)}")
        return float(column[self.period_position(period), self.position(entity)])

    def select(self, components: Iterable[str]) -> Self:
        """Only ``components``, in that order."""
        wanted = list(components)
        columns = [self.components.index(c) for c in wanted if c in self.components]
        if len(columns) != len(wanted):
            unknown = [c for c in wanted if c not in self.components]
            raise InvalidValueError("components", unknown, "components of the data")
        return attrs.evolve(
            self,
            components=wanted,
            values=self.values[..., columns],
            imputed=None if self.imputed is None else self.imputed[..., columns],
        )

    def subset(self, entities: Iterable[str]) -> Self:
        """Only ``entities``, in that order."""
        rows = [self.position(e) for e in entities]
        names = None if self.names is None else [self.names[i] for i in rows]
        return attrs.evolve(
            self,
            entities=[self.entities[i] for i in rows],
            values=self.values[..., rows, :],
            names=names,
            attributes={k: [v[i] for i in rows] for k, v in self.attributes.items()},
            denominators=None
            if self.denominators is None
            else self.denominators.subset([self.entities[i] for i in rows]),
            imputed=None if self.imputed is None else self.imputed[..., rows, :],
        )

    def with_value(
        self, entity: str, component: str, value: float, period: Period | None = None
    ) -> Self:
        """A copy with one value replaced (NaN makes it missing); a panel needs the period."""
        j = self.components.index(component) if component in self.components else -1
        if j < 0:
            raise InvalidValueError("component", component, "one of the data's components")
        values = self.values.copy()
        if self.periods is None:
            values[self.position(entity), j] = value
        else:
            if period is None:
                raise InvalidValueError("period", None, f"one of the periods {list(self.periods)}")
            values[self.period_position(period), self.position(entity), j] = value
        return attrs.evolve(self, values=values)

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame indexed by entity (by entity and period for a panel; needs pandas)."""
        pd = import_pandas()
        if self.periods is not None:
            n_p, n_e = len(self.periods), len(self.entities)
            index = pd.MultiIndex.from_arrays(
                [
                    np.tile(np.array(self.entities, dtype=object), n_p),
                    np.repeat(np.array(self.periods, dtype=object), n_e),
                ],
                names=["entity", "period"],
            )
            frame = pd.DataFrame(
                self.values.reshape(n_p * n_e, -1), index=index, columns=list(self.components)
            )
            for k, column in self.attributes.items():
                frame.insert(0, k, list(column) * n_p)
            if self.names is not None:
                frame.insert(0, "name", list(self.names) * n_p)
            return frame
        frame = pd.DataFrame(
            np.array(self.values), index=list(self.entities), columns=list(self.components)
        )
        frame.index.name = "entity"
        if self.names is not None:
            frame.insert(0, "name", list(self.names))
        return frame


def assemble(
    cells_of: Mapping[tuple[str, Period | None], Sequence[float]],
    *,
    entities: Sequence[str],
    components: Sequence[str],
    denominators: Sequence[str],
    names: Sequence[str] | None,
    attributes: Mapping[str, Sequence[str]],
    panel: bool,
    source: str,
) -> IndexData:
    """Index data (a panel if ``panel``) from the rows of a file, read and checked.

    ``cells_of[(entity, period)]`` holds the row's components then its
    denominators; periods are sorted (years, or labels as text). The one
    assembly of :meth:`IndexData.from_csv` and :meth:`IndexData.from_excel`.
    """
    periods: list[Period] | None = None
    if panel:
        found = list(dict.fromkeys(w for _, w in cells_of if w is not None))
        try:
            periods = sorted(found)  # years, or labels
        except TypeError:
            periods = sorted(found, key=str)
    n_c = len(components)
    blocks: list[Period | None] = [None] if periods is None else list(periods)
    matrix = np.full((len(blocks), len(entities), n_c + len(denominators)), np.nan)
    at_period = {w: i for i, w in enumerate(blocks)}
    at_entity = {e: i for i, e in enumerate(entities)}
    for (entity, when), cells in cells_of.items():
        matrix[at_period[when], at_entity[entity]] = cells
    if periods is None:
        matrix = matrix[0]

    def make(**fields: Any) -> IndexData:
        if periods is None:
            return IndexData(source=source, **fields)
        return PanelData(source=source, periods=periods, **fields)

    den = None
    if denominators:
        den = make(entities=entities, components=denominators, values=matrix[..., n_c:])
    return make(
        entities=entities,
        components=components,
        values=matrix[..., :n_c],
        names=names,
        attributes=attributes,
        denominators=den,
    )


def _same_mask(a: BoolArray | None, b: BoolArray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.array_equal(a, b))


def _as_float(value: float | None, where: str) -> float:
    if value is None:
        return math.nan
    number = to_float(value)  # text is not a number here, and 10**400 is not finite
    if not isinstance(number, float) or math.isinf(number):
        raise InvalidValueError(where, value, "a finite number, NaN or None")
    return number


@attrs.frozen(kw_only=True, eq=False)
class PanelData(IndexData):
    """Index data with a period axis: ``values[p, i, j]`` is entity ``i`` on component ``j``.

    Built by :meth:`IndexData.from_csv` with ``period=`` (a long file) or
    :meth:`IndexData.stack` (one cross-section per period); ``periods`` is
    required. :meth:`Index.evaluate` scores every period at once into a
    :class:`~dxplan.index.model.PanelResult`.
    """

    periods: tuple[Period, ...] = attrs.field(converter=_required_periods)

    @property
    def labels(self) -> tuple[Period, ...]:
        """The period labels (the same as ``periods``)."""
        return self.periods
