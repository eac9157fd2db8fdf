"""A table that keeps every word whole at any width ≥ 60 columns.

rich shrinks the widest columns of a table that does not fit and then folds
words in two ("Indica│tor"). :class:`Grid` sizes its columns itself: a number,
code or status column is as wide as its widest cell (it never wraps), a label
column at least as wide as its longest word (it wraps between words only), and
the room left goes to the columns that would wrap most. When even that does
not fit, the grid switches layout: one block per row, the key (an id or a rank)
in bold beside the label, then one ``header: value`` line per other column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

import attrs
from rich.cells import cell_len
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

__all__ = ["Column", "Grid", "as_text"]

Justify = Literal["left", "right", "center"]


def as_text(cell: str | Text) -> Text:
    """``cell`` as rich Text: a plain str is never read as markup (labels may hold '[')."""
    return cell if isinstance(cell, Text) else Text(cell)


@attrs.frozen(kw_only=True)
class Column:
    """One column of a :class:`Grid`.

    ``wrap``: the column holds words (labels, findings) and may wrap between
    them; otherwise every cell stays on one line.
    """

    header: str
    wrap: bool = False
    justify: Justify = "left"


DASH = "—"
_INDENT = 2
_SEPARATOR = "  ·  "


def _pack(items: Sequence[Text], width: int) -> Iterator[Text]:
    """``items`` joined on lines no wider than ``width``, each item whole."""
    line: Text | None = None
    for item in items:
        if line is not None and line.cell_len + len(_SEPARATOR) + item.cell_len <= width:
            line.append(_SEPARATOR, style="dim")
            line.append_text(item)
            continue
        if line is not None:
            yield line
        line = item.copy()
    if line is not None:
        yield line


def _share(low: Sequence[int], high: Sequence[int], room: int) -> list[int]:
    """Widths from ``low`` toward ``high``, sharing ``room`` in proportion to what each lacks."""
    extra = room - sum(low)
    lack = [h - n for n, h in zip(low, high, strict=True)]
    total = sum(lack)
    if total <= extra:
        return list(high)
    widths = [n + d * extra // total for n, d in zip(low, lack, strict=True)]
    left = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -lack[i]):
        if left <= 0:
            break
        if widths[i] < high[i]:
            widths[i] += 1
            left -= 1
    return widths


def _one_line(cell: Text) -> Text:
    """A cell of several lines (one item a line) as one line of items."""
    return Text(", ").join(cell.split("\n")) if "\n" in cell.plain else cell


def _longest_word(text: Text) -> int:
    return max((cell_len(word) for word in text.plain.split()), default=0)


def _longest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


class Grid:
    """A table whose words are never cut: sized columns, or one block per row."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        title: str | Text | None = None,
        caption: str | Text | None = None,
        key: int = 0,
        label: int | None = 1,
    ) -> None:
        """A grid of ``columns``; ``key`` and ``label`` head each block in the narrow layout."""
        self.columns = tuple(columns)
        self.title = title
        self.caption = caption
        self.key = key
        self.label = label
        self.rows: list[tuple[tuple[Text, ...], str]] = []

    def add_row(self, *cells: str | Text, style: str = "") -> None:
        """Add a row; plain strings are shown as they are (never read as markup)."""
        if len(cells) != len(self.columns):
            raise ValueError(f"a row needs {len(self.columns)} cells (got {len(cells)})")
        self.rows.append((tuple(as_text(c) for c in cells), style))

    def _bounds(self) -> tuple[list[int], list[int], list[int]]:
        """Per column: the least width (longest word), the width of its widest cell, the most."""
        least, cells_width, most = [], [], []
        for i, column in enumerate(self.columns):
            header = Text(column.header)
            cells = [row[i] for row, _ in self.rows]
            fit = _longest_word if column.wrap else _longest_line
            low = max([_longest_word(header), *(fit(c) for c in cells)])
            widest = max([0, *(_longest_line(c) for c in cells)])
            least.append(low)
            cells_width.append(max(low, widest))
            most.append(max(low, widest, cell_len(column.header)))
        return least, cells_width, most

    def _overhead(self) -> int:
        return 3 * len(self.columns) + 1

    def widths(self, width: int) -> list[int] | None:
        """Column widths that fit ``width`` keeping words whole, or None when none do."""
        least, cells, most = self._bounds()
        room = width - self._overhead()
        if sum(least) > room:
            return None
        if sum(most) <= room:
            return most
        # Rows first: cells are widened before headers, so headers wrap before labels do.
        if sum(cells) <= room:
            return _share(cells, most, room)
        return _share(least, cells, room)

    def table(self, widths: Sequence[int]) -> Table:
        """The grid as a rich Table with the given column widths (title and caption apart)."""
        table = Table()
        for column, w in zip(self.columns, widths, strict=True):
            table.add_column(column.header, width=w, justify=column.justify, overflow="fold")
        for cells, style in self.rows:
            table.add_row(*cells, style=style or None)
        return table

    def blocks(self, width: int) -> Iterator[RenderableType]:
        """The grid as one block per row: key and label, then ``header: value`` items.

        Items are packed on lines of ``width`` (an item is never split across
        lines unless it is longer than a line by itself); empty and missing
        values are left out.
        """
        for cells, style in self.rows:
            head = Text.assemble((cells[self.key].plain, "bold"), style=style)
            if self.label is not None:
                head.append("  ")
                head.append_text(cells[self.label])
            yield head
            items = [
                Text.assemble((f"{column.header}: ", "dim"), _one_line(cell), style=style)
                for i, (column, cell) in enumerate(zip(self.columns, cells, strict=True))
                if i not in (self.key, self.label) and cell.plain.strip() not in ("", DASH)
            ]
            for line in _pack(items, width - _INDENT):
                yield Padding(line, (0, 0, 0, _INDENT))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Title and caption span the console, not the table: a narrow table would wrap them.
        if self.title is not None:
            title = as_text(self.title).copy()
            title.stylize("italic")
            yield title
        widths = self.widths(options.max_width)
        if widths is None:
            yield from self.blocks(options.max_width)
        else:
            yield self.table(widths)
        if self.caption is not None:
            yield as_text(self.caption)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        least, _, most = self._bounds()
        return Measurement(
            min(60, sum(least) + self._overhead()), sum(most) + self._overhead()
        ).clamp(max_width=options.max_width)


def grid(
    columns: Iterable[Column],
    rows: Iterable[Sequence[str | Text]],
    *,
    title: str | Text | None = None,
    caption: str | Text | None = None,
    key: int = 0,
    label: int | None = 1,
) -> Grid:
    """A :class:`Grid` filled with ``rows``."""
    out = Grid(tuple(columns), title=title, caption=caption, key=key, label=label)
    for row in rows:
        out.add_row(*row)
    return out
