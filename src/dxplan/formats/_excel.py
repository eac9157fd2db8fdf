"""Excel workbooks: the one place that opens, bounds and reads them, and builds new ones.

Reading follows the rules of :mod:`dxplan._files`: a file too large, not a
workbook, or a zip that would expand past :data:`MAX_EXPANDED_BYTES` is a
:class:`~dxplan.errors.FileFormatError`. Formulas are never evaluated: cells
are read as the value Excel cached when it last saved the file, and a
formula without a cached value is reported at its ``sheet!cell``. A
macro-enabled workbook (``.xlsm``) is refused unless the caller allows it
(its macros are never run either way). Merged cells are filled with the value
of their top-left cell, so a header merged across columns names every column.

openpyxl is an optional dependency (the ``excel`` extra) and is imported here only.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from dxplan._files import MAX_FILE_BYTES
from dxplan.errors import FileFormatError, MissingExtraError, Problem
from dxplan.text import nfc

__all__ = ["MAX_EXPANDED_BYTES", "Sheet", "cell_text", "read_sheet", "workbook_bytes"]

MAX_EXPANDED_BYTES: Final = 2 * MAX_FILE_BYTES
"""A workbook whose parts would expand to more than this (100 MiB) is refused unread.

openpyxl holds a sheet in memory at many times its XML size, so the bound is tight;
published tables are a few hundred kilobytes."""

SUFFIXES: Final = (".xlsx", ".xlsm")
_HEADER_ROWS: Final = 20


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:
        raise MissingExtraError("openpyxl", "excel") from exc
    return openpyxl


def column_letter(column: int) -> str:
    """The letters of a 0-based column (0 → ``A``, 26 → ``AA``)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@attrs.frozen(kw_only=True)
class Sheet:
    """The cached values of one worksheet, merged ranges filled, with ``sheet!cell`` addresses.

    ``rows[r][c]`` is the cell at 0-based row ``r`` and column ``c`` (``None``
    when empty). ``formulas`` maps the places of formulas that have no cached
    value to their text. ``readme`` holds the key/value rows of the workbook's
    ``README`` sheet when it has one (dxplan writes its sources there).
    """

    title: str
    file: str
    rows: tuple[tuple[object, ...], ...]
    formulas: Mapping[tuple[int, int], str]
    workbook_titles: tuple[str, ...] = ()
    readme: Mapping[str, str] = attrs.field(factory=dict)

    def address(self, row: int, column: int) -> str:
        """``file:sheet!B4`` for 0-based ``row`` and ``column``."""
        return f"{self.file}:{self.title}!{column_letter(column)}{row + 1}"

    def header_row(self, wanted: Sequence[str]) -> int | None:
        """The first of the top 20 rows holding every text in ``wanted`` (as :func:`cell_text`)."""
        keys = {cell_text(w).casefold() for w in wanted}
        for r, row in enumerate(self.rows[:_HEADER_ROWS]):
            texts = {cell_text(c).casefold() for c in row if c is not None}
            if keys <= texts:
                return r
        return None


def cell_text(value: object) -> str:
    """A header cell as text: NFC, whitespace collapsed (a line break in a header is a space)."""
    if value is None:
        return ""
    return " ".join(nfc(str(value)).split())


def _check_file(path: Path, name: str, allow_macros: bool, max_bytes: int | None = None) -> None:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileFormatError(
            f"cannot read {name}",
            [Problem(name, "an Excel 97–2003 .xls file; expected .xlsx (save it as .xlsx)")],
        )
    if suffix not in SUFFIXES:
        raise FileFormatError(
            f"cannot read {name}", [Problem(name, f"suffix {suffix!r}; expected '.xlsx'")]
        )
    if suffix == ".xlsm" and not allow_macros:
        raise FileFormatError(
            f"will not read {name}",
            [
                Problem(
                    name,
                    "a macro-enabled workbook (.xlsm); expected .xlsx, or allow_macros=True / "
                    "--allow-macros (macros are never run, only cached values read)",
                )
            ],
        )
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
        if size > limit:
            raise FileFormatError(
                f"{name} is too large",
                [Problem(name, f"file of {size} bytes; expected at most {limit} bytes")],
            )
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except OSError as exc:
        raise FileFormatError(
            f"cannot read {name}", [Problem(name, f"{exc.strerror or exc}; expected a workbook")]
        ) from exc
    except zipfile.BadZipFile as exc:
        raise FileFormatError(
            f"cannot read {name}", [Problem(name, "not an Excel workbook; expected an .xlsx file")]
        ) from exc
    if expanded > MAX_EXPANDED_BYTES:
        raise FileFormatError(
            f"{name} is too large",
            [
                Problem(
                    name,
                    f"parts that expand to {expanded} bytes; expected at most "
                    f"{MAX_EXPANDED_BYTES} bytes",
                )
            ],
        )


def _load(path: Path, name: str, *, data_only: bool, read_only: bool) -> Any:
    openpyxl = _openpyxl()
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (data validation, styles):
            # they do not change a cell's value.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                path, read_only=read_only, data_only=data_only, keep_vba=False, keep_links=False
            )
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise FileFormatError(
            f"cannot read {name}",
            [Problem(name, f"{type(exc).__name__}: {exc}; expected a valid .xlsx workbook")],
        ) from exc


def read_sheet(
    path: str | Path,
    sheet: str | int | None = None,
    *,
    allow_macros: bool = False,
    max_bytes: int | None = None,
) -> Sheet:
    """The cached values of one worksheet of ``path``.

    Args:
        path: an ``.xlsx`` file (``.xlsm`` only with ``allow_macros``).
        sheet: a sheet by title or 0-based position; ``None`` is the first sheet.
        allow_macros: read a macro-enabled workbook (its macros are not run).
        max_bytes: the size limit of the file; None means :data:`MAX_FILE_BYTES`.

    Raises:
        FileFormatError: the file cannot be read, or has no such sheet.
    """
    file = Path(path)
    name = str(file)
    _check_file(file, name, allow_macros, max_bytes)
    book = _load(file, name, data_only=True, read_only=False)
    titles = tuple(str(t) for t in book.sheetnames)
    if sheet is None:
        title = titles[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(titles):
        title = titles[sheet]
    elif isinstance(sheet, str) and sheet in titles:
        title = sheet
    else:
        raise FileFormatError(
            f"no sheet {sheet!r} in {name}",
            [Problem(name, f"no sheet {sheet!r}; expected one of {list(titles)}")],
        )
    worksheet = book[title]
    if not hasattr(worksheet, "merged_cells"):
        raise FileFormatError(
            f"cannot read {name}",
            [Problem(f"{name}:{title}", "a chart sheet; expected a worksheet of cells")],
        )
    rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    for merged in worksheet.merged_cells.ranges:
        top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = top
    readme: dict[str, str] = {}
    if "README" in titles and title != "README" and hasattr(book["README"], "iter_rows"):
        for key, value, *_ in book["README"].iter_rows(max_col=2, values_only=True):
            if key is not None:
                readme[cell_text(key)] = "" if value is None else str(value)
    book.close()
    formulas: dict[tuple[int, int], str] = {}
    empty = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v is None}
    if empty:
        with_formulas = _load(file, name, data_only=False, read_only=True)
        for r, row in enumerate(with_formulas[title].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if (r, c) in empty and isinstance(value, str) and value.startswith("="):
                    formulas[(r, c)] = value
        with_formulas.close()
    return Sheet(
        title=title,
        file=name,
        rows=tuple(tuple(row) for row in rows),
        formulas=formulas,
        workbook_titles=titles,
        readme=readme,
    )


Cell = str | float | int | bool | None


def workbook_bytes(
    tables: Sequence[tuple[str, Sequence[Sequence[Cell]]]],
    readme: Sequence[tuple[str, str]],
) -> bytes:
    """A new workbook: one sheet per ``(title, rows)`` (first row bold), then a README sheet.

    Text that starts with ``=`` is written as text, never as a formula.
    """
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    first = book.active
    book.remove(first)
    bold = openpyxl.styles.Font(bold=True)
    for title, rows in tables:
        sheet = book.create_sheet(title=title[:31])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
                if r == 1:
                    cell.font = bold
        sheet.freeze_panes = "A2"
    notes = book.create_sheet(title="README")
    for r, (key, value) in enumerate(readme, start=1):
        notes.cell(row=r, column=1, value=key).font = bold
        cell = notes.cell(row=r, column=2, value=value)
        if value.startswith("="):
            cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
