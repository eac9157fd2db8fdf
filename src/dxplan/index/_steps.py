"""What every construction step returns: a table of what it did, one row per component.

:class:`StepTable` is a small immutable table (column names and rows of plain
values) shared by screening, denomination, imputation and treatment, with
``to_frame()`` for pandas and ``to_dict()`` for JSON.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from dxplan.errors import InvalidValueError
from dxplan.index.data import IndexData

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Data", "StepTable"]

Cell = str | int | float | bool | None
#: The kind of data a step takes and gives back (a cross-section or a panel).
Data = TypeVar("Data", bound=IndexData)


def _names(columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(columns)


def _rows(rows: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(r) for r in rows)


@attrs.frozen(kw_only=True)
class StepTable:
    """Rows of a step's report; ``columns`` names each cell of a row."""

    columns: tuple[str, ...] = attrs.field(converter=_names)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise InvalidValueError(
                    f"rows[{i}]", row, f"{len(self.columns)} cells ({list(self.columns)})"
                )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Cell]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def where(self, **match: Cell) -> tuple[dict[str, Cell], ...]:
        """Rows whose cells equal every ``column=value`` given."""
        for key in match:
            if key not in self.columns:
                raise InvalidValueError("column", key, f"one of {list(self.columns)}")
        return tuple(r for r in self if all(r[k] == v for k, v in match.items()))

    def column(self, name: str) -> tuple[Cell, ...]:
        """Every cell of one column."""
        try:
            j = self.columns.index(name)
        except ValueError:
            raise InvalidValueError("column", name, f"one of {list(self.columns)}") from None
        return tuple(row[j] for row in self.rows)

    def to_dict(self) -> list[dict[str, Cell]]:
        """The rows as JSON-ready dictionaries (NaN becomes ``None``)."""
        return [{k: _plain(v) for k, v in row.items()} for row in self]

    def to_frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame (needs pandas)."""
        from dxplan._extras import import_pandas

        pd = import_pandas()
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


def _plain(value: Any) -> Cell:
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value  # type: ignore[no-any-return]


def table(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> StepTable:
    """A :class:`StepTable` from plain sequences."""
    return StepTable(columns=tuple(columns), rows=_rows(rows))
