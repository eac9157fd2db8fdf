"""Index data and observations from Excel sheets as agencies publish them.

A published table has a title above its header, a header that may span two
rows of merged cells, province names with prefixes ("TP. Hồ Chí Minh") and
numbers stored as text with a decimal comma. This module finds the header in
the first rows, matches names through :mod:`dxplan.index.provinces` (in the era the
caller names), reads text numbers through :mod:`dxplan._numbers` (the locale
declared, or inferred from the whole sheet) and reports every cell it cannot
read at its ``file:sheet!cell``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from dxplan import _numbers
from dxplan import _validators as v
from dxplan._numbers import Locale, period_label
from dxplan.errors import FileFormatError, InvalidValueError, Problem, UnknownIdError
from dxplan.formats import _excel
from dxplan.formats._excel import Sheet, cell_text
from dxplan.index.provinces import Era, match

if TYPE_CHECKING:
    from dxplan.index.data import Period

__all__ = ["DataSheet", "cell_number", "read_data_sheet", "sheet_locale"]

MISSING_TEXT = frozenset({"", "na", "n/a", "nan", "null", "-", "–", "—", "..", "…"})
"""Text that marks a missing value (compared case-insensitively)."""


def sheet_locale(
    sheet: Sheet, cells: Sequence[tuple[int, int]], locale: Locale | None
) -> tuple[Locale | None, list[Problem]]:
    """The declared ``locale``, or the one the text cells among ``cells`` settle (if any)."""
    if locale is not None:
        return locale, []
    texts = [
        sheet.rows[r][c]
        for r, c in cells
        if c < len(sheet.rows[r]) and isinstance(sheet.rows[r][c], str)
    ]
    try:
        return _numbers.infer_locale(t for t in texts if isinstance(t, str)), []
    except InvalidValueError as exc:
        return None, [Problem(f"{sheet.file}:{sheet.title}", f"{exc}")]


def cell_number(
    sheet: Sheet, row: int, column: int, locale: Locale | None
) -> tuple[float, Problem | None]:
    """One cell as a number (NaN when empty or marked missing), or the problem with it."""
    value = sheet.rows[row][column] if column < len(sheet.rows[row]) else None
    where = sheet.address(row, column)
    if value is None:
        formula = sheet.formulas.get((row, column))
        if formula is not None:
            return math.nan, Problem(
                where,
                f"a formula ({formula[:60]}) with no saved value; expected a value (dxplan never "
                "evaluates formulas: open and save the file in Excel, or paste values)",
            )
        return math.nan, None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return math.nan, Problem(where, f"found {value!r}; expected a number")
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return math.nan, Problem(where, f"found {value!r}; expected a finite number")
        return number, None
    text = cell_text(value)
    if text.casefold() in MISSING_TEXT:
        return math.nan, None
    if text.startswith("#"):
        return math.nan, Problem(where, f"an Excel error {text!r}; expected a number")
    try:
        return _numbers.parse_number(text, locale=locale), None
    except InvalidValueError as exc:
        return math.nan, Problem(where, f"found {text!r}; expected {exc.expected}")


def _header_texts(sheet: Sheet, header: int) -> list[str]:
    return [cell_text(c) for c in sheet.rows[header]]


def _find_header(sheet: Sheet, wanted: Sequence[str], id_column: str) -> int:
    header = sheet.header_row(wanted)
    if header is None:
        shown = "; ".join(
            f"row {r + 1}: {[cell_text(c) for c in row if c is not None][:6]}"
            for r, row in enumerate(sheet.rows[:5])
        )
        raise FileFormatError(
            f"{sheet.file}: no header row in sheet {sheet.title!r}",
            [
                Problem(
                    f"{sheet.file}:{sheet.title}",
                    f"no row among the first 20 holds {list(wanted)}; expected a header row "
                    f"(found {shown or 'an empty sheet'})",
                )
            ],
        )
    # A header of two rows merged vertically: the id cell repeats below; the lower row names
    # the columns more finely ("Chỉ số chính" above, "Nhận thức số" below).
    texts = _header_texts(sheet, header)
    at = [t.casefold() for t in texts].index(id_column.casefold())
    while header + 1 < len(sheet.rows):
        below = _header_texts(sheet, header + 1)
        if at < len(below) and below[at].casefold() == id_column.casefold():
            header += 1
        else:
            break
    return header


@attrs.frozen(kw_only=True)
class DataSheet:
    """The rows of a sheet of index data, read and checked cell by cell.

    What :meth:`IndexData.from_excel <dxplan.index.data.IndexData.from_excel>`
    assembles (the arguments of ``dxplan.index.data.assemble``): ``cells_of[(entity,
    period)]`` holds a row's components then its denominators.
    """

    cells_of: dict[tuple[str, Period | None], list[float]]
    entities: list[str]
    components: list[str]
    denominators: list[str]
    names: list[str] | None
    attributes: dict[str, list[str]]
    panel: bool
    source: str
    file: str
    title: str

    def refused(self, exc: InvalidValueError) -> FileFormatError:
        """The error for a sheet whose cells read but make no valid index data."""
        return FileFormatError(
            f"{self.file}: sheet {self.title!r} is not index data",
            [Problem(f"{self.file}:{self.title}", str(exc))],
        )


def read_data_sheet(
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
) -> DataSheet:
    """Read one sheet of index data; see :meth:`IndexData.from_excel`."""
    table = _excel.read_sheet(Path(path), sheet, allow_macros=allow_macros)
    if table.readme.get("written by", "").startswith("dxplan") and table.title == "data":
        # A workbook IndexData.to_excel wrote: its README says the columns and the source.
        name_column = name_column or table.readme.get("name column") or None
        source = source if source is not None else table.readme.get("source", "")
        period = period or table.readme.get("period column") or None
        attributes = attributes or _listed(table.readme.get("attribute columns", ""))
        denominators = denominators or _listed(table.readme.get("denominator columns", ""))
    id_column = id_column or "id"
    if isinstance(components, Mapping):
        headers = {cell_text(h).casefold(): c for h, c in components.items()}
    elif components is not None:
        headers = {cell_text(c).casefold(): c for c in components}
    else:
        headers = {}
    kept = [*([period] if period else []), *attributes, *denominators]
    wanted = [id_column, *([name_column] if name_column else []), *kept, *headers]
    header = _find_header(table, wanted, id_column)
    written_headers = _header_texts(table, header)
    texts = [t.casefold() for t in written_headers]
    used = (
        {id_column.casefold(), (name_column or id_column).casefold(), *headers}
        | {k.casefold() for k in kept}
        if headers
        else {t for t in texts if t}
    )
    problems = [
        Problem(table.address(header, texts.index(h)), f"column {h!r} appears twice")
        for h in sorted({t for t in texts if t in used and texts.count(t) > 1})
    ]
    id_at = texts.index(id_column.casefold())
    name_at = texts.index(name_column.casefold()) if name_column else None
    period_at = texts.index(period.casefold()) if period else None
    attribute_at = {a: texts.index(a.casefold()) for a in attributes}
    if not headers:
        skipped = {id_at, name_at, *(texts.index(k.casefold()) for k in kept)}
        headers = {t: written_headers[c] for c, t in enumerate(texts) if t and c not in skipped}
    columns = [(texts.index(h), component) for h, component in headers.items()]
    columns += [(texts.index(d.casefold()), d) for d in denominators]
    if problems:
        raise FileFormatError(f"{table.file}: bad header in sheet {table.title!r}", problems)
    rows = _data_rows(table, header, id_at)
    chosen, found = sheet_locale(table, [(r, c) for r in rows for c, _ in columns], locale)
    problems += found
    entities: list[str] = []
    names: dict[str, str] = {}
    constant: dict[str, dict[str, tuple[str, str]]] = {a: {} for a in attributes}
    cells_of: dict[tuple[str, Period | None], list[float]] = {}
    seen: dict[tuple[str, Period | None], str] = {}
    for r in rows:
        row = table.rows[r]
        written = _text_at(row, id_at)
        where = table.address(r, id_at)
        matched = _entity(written, era, where, problems)
        entity = matched or written
        when = None if period_at is None else _period(table, r, period_at, problems)
        key = (entity, when)
        if matched is not None:
            if key in seen:
                again = "" if when is None else f" in period {when!r}"
                problems.append(
                    Problem(where, f"{written!r} is {entity!r}{again} again (first at {seen[key]})")
                )
            seen.setdefault(key, where)
        for a, at in attribute_at.items():
            value = _text_at(row, at)
            value = "" if value.casefold() in MISSING_TEXT else value
            first = constant[a].setdefault(entity, (value, table.address(r, at)))
            if first[0] != value:
                problems.append(
                    Problem(
                        table.address(r, at),
                        f"found {value!r}; expected {first[0]!r} as at {first[1]} "
                        "(an attribute is constant over periods)",
                    )
                )
        cells: list[float] = []
        for c, _component in columns:
            number, problem = cell_number(table, r, c, chosen)
            if problem is not None:
                problems.append(problem)
            cells.append(number)
        if entity not in names:
            entities.append(entity)
            names[entity] = _text_at(row, name_at) if name_at is not None else written
        cells_of[key] = cells
    if problems:
        raise FileFormatError(
            f"{table.file}: {len(problems)} cell(s) of sheet {table.title!r} cannot be read",
            problems,
        )
    keep_names = name_at is not None or era is not None
    return DataSheet(
        cells_of=cells_of,
        entities=entities,
        components=[component for _, component in columns[: len(columns) - len(denominators)]],
        denominators=list(denominators),
        names=[names[e] for e in entities] if keep_names else None,
        attributes={a: [constant[a][e][0] for e in entities] for a in attributes},
        panel=period is not None,
        source=source if source is not None else f"{table.file}, sheet {table.title!r}",
        file=str(table.file),
        title=table.title,
    )


def _listed(text: str) -> list[str]:
    """Column names as the README of a dxplan workbook lists them (a JSON list)."""
    if not text:
        return []
    try:
        names = json.loads(text)
    except json.JSONDecodeError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def _text_at(row: Sequence[object], at: int) -> str:
    return cell_text(row[at]) if at < len(row) else ""


def _period(table: Sheet, r: int, at: int, problems: list[Problem]) -> Period | None:
    """A period cell: a whole number is a year, text a label (digits as a year)."""
    value = table.rows[r][at] if at < len(table.rows[r]) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        problems.append(
            Problem(table.address(r, at), f"found {value!r}; expected a year or a period label")
        )
        return None
    text = cell_text(value) if value is not None else ""
    if not text:
        problems.append(Problem(table.address(r, at), "empty period; expected a year or a label"))
        return None
    return period_label(text)


def _data_rows(table: Sheet, header: int, id_at: int) -> list[int]:
    """Rows of the table below the header, up to the first empty row (notes may follow)."""
    rows: list[int] = []
    for r in range(header + 1, len(table.rows)):
        row = table.rows[r]
        if all(c is None or cell_text(c) == "" for c in row):
            if rows:
                break
            continue
        rows.append(r)
    return rows


def _entity(written: str, era: Era | None, where: str, problems: list[Problem]) -> str | None:
    if not written:
        problems.append(Problem(where, "no entity; expected a province name or an id"))
        return None
    if era is None:
        if not v.IDENTIFIER.fullmatch(written):
            problems.append(
                Problem(
                    where,
                    f"found {written!r}; expected an id such as 'ho-chi-minh' (or give era=2024 "
                    "/ --era 2024 to match province names)",
                )
            )
            return None
        return written
    try:
        return match(written, era=era)
    except (UnknownIdError, InvalidValueError) as exc:  # with the closest names in the message
        problems.append(Problem(where, str(exc)))
        return None
