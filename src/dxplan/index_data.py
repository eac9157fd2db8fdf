"""Index data: raw component values of entities, the input of an index.

An :class:`IndexData` is an entities × components matrix of floats with NaN
for a missing value, the entity ids (and optional display names) along its
rows and the component ids along its columns. It is built from a mapping or a
wide CSV file; columns are always matched by name, never by position.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from dxplan import _files, _numbers
from dxplan._numbers import Locale
from dxplan.errors import FileFormatError, InvalidValueError, MissingExtraError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from dxplan.provinces import Era

__all__ = ["IndexData"]

FloatArray = npt.NDArray[np.float64]
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
        values: float matrix, entities × components; NaN means missing.
        names: display names, one per entity, or ``None``.
        source: where the values come from (a citation).

    >>> data = IndexData.from_mapping({"a": {"x": 1.0}, "b": {"x": 2.0, "y": 3.0}})
    >>> data.components, data.value("a", "y")
    (('x', 'y'), nan)
    """

    entities: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_ids("entities"))
    components: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_ids("components"))
    values: FloatArray = attrs.field(converter=_read_only)
    names: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_str_tuple)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        expected = (len(self.entities), len(self.components))
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndexData):
            return NotImplemented
        return (
            self.entities == other.entities
            and self.components == other.components
            and self.names == other.names
            and self.source == other.source
            and bool(np.array_equal(self.values, other.values, equal_nan=True))
        )

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self.entities)

    def __repr__(self) -> str:
        return (
            f"IndexData({len(self.entities)} entities × {len(self.components)} components, "
            f"{int(np.isnan(self.values).sum())} missing)"
        )

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

    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        *,
        id_column: str = "id",
        name_column: str | None = None,
        components: Sequence[str] | None = None,
        source: str = "",
        locale: Locale | None = None,
    ) -> IndexData:
        """Read a wide CSV: one row per entity, one column per component.

        Empty cells and ``NA``/``NaN`` are missing. Without ``components``
        every column other than the id and name columns is a component and
        must be numeric; with it only those columns are read. Numbers may be
        written the Vietnamese way (``0,7163``, ``1.234,5``, ``72 %``) or the
        English way; ``locale`` (``"vi"``/``"en"``) declares which, else the
        file's unambiguous cells decide and a number that reads two ways is
        refused. Every bad cell is reported at once as a
        :class:`FileFormatError` (``file:line:column``).
        """
        file = Path(path)
        text = _files.read_text(file, what="a CSV file with a header row")
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise FileFormatError(
                f"{file} is not valid CSV", [Problem(str(file), f"{exc}; expected a CSV file")]
            ) from exc
        return cls._from_rows(
            rows,
            where=str(file),
            id_column=id_column,
            name_column=name_column,
            components=components,
            source=source,
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
        for column in wanted:
            if column not in header:
                problems.append(Problem(f"{where}:1", f"no column {column!r}; header is {header}"))
        if components is None:
            components = [h for h in header if h not in wanted]
        else:
            for c in components:
                if c not in header:
                    problems.append(Problem(f"{where}:1", f"no column for component {c!r}"))
        if problems:
            raise FileFormatError(f"{where}: bad header", problems)
        at = {h: i for i, h in enumerate(header)}
        if locale is None:
            texts = (row[at[c]] for row in rows[1:] if len(row) == len(header) for c in components)
            try:
                locale = _numbers.infer_locale(texts)
            except InvalidValueError as exc:
                raise FileFormatError(
                    f"{where}: mixed number formats", [Problem(where, str(exc))]
                ) from None
        entities: list[str] = []
        names: list[str] = []
        matrix: list[list[float]] = []
        seen: dict[str, int] = {}
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    Problem(f"{where}:{line}", f"{len(row)} fields; expected {len(header)}")
                )
                continue
            entity = row[at[id_column]].strip()
            if not entity:
                problems.append(Problem(f"{where}:{line}:{id_column}", "empty entity id"))
            elif entity in seen:
                problems.append(
                    Problem(
                        f"{where}:{line}:{id_column}",
                        f"entity {entity!r} already on line {seen[entity]}",
                    )
                )
            seen.setdefault(entity, line)
            cells: list[float] = []
            for c in components:
                text = row[at[c]].strip()
                if text.lower() in _MISSING:
                    cells.append(math.nan)
                    continue
                try:
                    value = _numbers.parse_number(text, locale=locale)
                except InvalidValueError as exc:
                    value = math.nan
                    problems.append(
                        Problem(f"{where}:{line}:{c}", f"found {text!r}; expected {exc.expected}")
                    )
                cells.append(value)
            entities.append(entity)
            names.append(row[at[name_column]].strip() if name_column else entity)
            matrix.append(cells)
        if problems:
            raise FileFormatError(f"{where}: {len(problems)} bad cell(s)", problems)
        return cls(
            entities=entities,
            components=components,
            values=np.array(matrix, dtype=np.float64).reshape(len(entities), len(components)),
            names=names if name_column else None,
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
                matched through :func:`dxplan.provinces.match`; ``None`` reads ids.
            locale: ``"vi"`` or ``"en"`` for numbers stored as text; by default
                inferred from the sheet, and a number that reads two ways is refused.
            allow_macros: read a macro-enabled ``.xlsm`` (macros are never run).
            source: the citation; a workbook written by :meth:`to_excel` keeps its own.

        Raises:
            FileFormatError: listing every cell it could not read as ``file:sheet!B4``.
        """
        from dxplan._data_excel import read_index_data

        return read_index_data(
            cls,
            path,
            sheet,
            id_column=id_column,
            name_column=name_column,
            components=components,
            era=era,
            locale=locale,
            allow_macros=allow_macros,
            source=source,
        )

    def to_excel(self, path: str | PathLike[str], *, force: bool = False) -> Path:
        """Write an ``.xlsx`` workbook: a ``data`` sheet and a ``README`` with the source.

        :meth:`from_excel` reads it back identical. Written atomically; an
        existing file is replaced only with ``force``.
        """
        from dxplan.excel import write_index_data

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
        """The values of one component for every entity (read-only)."""
        try:
            j = self.components.index(component)
        except ValueError:
            raise InvalidValueError(
                "component", component, "one of the data's components"
            ) from None
        return self.values[:, j]

    def value(self, entity: str, component: str) -> float:
        """One value (NaN when missing)."""
        return float(self.column(component)[self.position(entity)])

    def select(self, components: Iterable[str]) -> IndexData:
        """Only ``components``, in that order."""
        wanted = list(components)
        columns = [self.components.index(c) for c in wanted if c in self.components]
        if len(columns) != len(wanted):
            unknown = [c for c in wanted if c not in self.components]
            raise InvalidValueError("components", unknown, "components of the data")
        return attrs.evolve(self, components=wanted, values=self.values[:, columns])

    def subset(self, entities: Iterable[str]) -> IndexData:
        """Only ``entities``, in that order."""
        rows = [self.position(e) for e in entities]
        names = None if self.names is None else [self.names[i] for i in rows]
        return attrs.evolve(
            self,
            entities=[self.entities[i] for i in rows],
            values=self.values[rows],
            names=names,
        )

    def with_value(self, entity: str, component: str, value: float) -> IndexData:
        """A copy with one value replaced (NaN makes it missing)."""
        j = self.components.index(component) if component in self.components else -1
        if j < 0:
            raise InvalidValueError("component", component, "one of the data's components")
        values = self.values.copy()
        values[self.position(entity), j] = value
        return attrs.evolve(self, values=values)

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame indexed by entity (needs the ``pandas`` extra)."""
        pd = _pandas()
        frame = pd.DataFrame(
            np.array(self.values), index=list(self.entities), columns=list(self.components)
        )
        frame.index.name = "entity"
        if self.names is not None:
            frame.insert(0, "name", list(self.names))
        return frame


def _as_float(value: float | None, where: str) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidValueError(where, value, "a number or None") from None


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError("pandas", "pandas") from exc
    return pd
