"""Reading a spreadsheet workbook (.xlsx, .xlsm, .xls, .ods) as rows of text, through
python-calamine (a Rust reader with wheels for every platform the app ships on, several
times faster than openpyxl and reading .xls and .ods too, which openpyxl does not).

Cells come back typed (numbers as floats, dates, booleans); each is written as the file shows
it: 2.0 -> "2", 5125550177.0 -> "5125550177", a date -> "2026-12-07", TRUE/FALSE."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from checkin.people.csv_file import MAX_FIELD_CHARS, MAX_FILE_BYTES, ImportRefused

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# What the first bytes of a workbook are: a zip (xlsx, xlsm, ods) or an OLE file (xls).
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
MAX_WORKBOOK_BYTES = MAX_FILE_BYTES  # compressed: far more rows than a text file this size
KIND = {".xlsx": "Excel workbook", ".xlsm": "Excel workbook", ".xls": "Excel 97 workbook"}


def is_workbook(path: Path) -> bool:
    """By the name, or by the first bytes when the name says nothing (a download named .csv
    that is really a workbook is still read)."""
    if path.suffix.casefold() in WORKBOOK_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith(_MAGIC)


def kind_of(path: Path) -> str:
    return KIND.get(path.suffix.casefold(), "OpenDocument spreadsheet")


def _open(path: Path) -> CalamineWorkbook:
    # Here, not at the top: the reader is loaded only when a workbook is imported.
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every bad file
        raise ImportRefused(
            f"This spreadsheet cannot be read ({type(exc).__name__}); "
            "open it and save it again as .xlsx or .csv"
        ) from None


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheets in their order (hidden ones too: a list may sit on one)."""
    book = _open(path)
    try:
        return list(book.sheet_names)
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A cell as the spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    return str(value)


def open_sheet(path: Path, sheet: str) -> CalamineSheet:
    """A sheet's cells, held by the reader (compactly, outside Python's objects): its rows are
    made into text one at a time, each time they are read through (``rows_of``)."""
    book = _open(path)
    try:
        try:
            return book.get_sheet_by_name(sheet)
        except Exception:
            raise ImportRefused(
                f"No sheet called '{sheet}'; the sheets are: {', '.join(book.sheet_names)}"
            ) from None
    finally:
        book.close()


def rows_of(found: CalamineSheet) -> Iterator[tuple[int, list[str]]]:
    """(row number as the spreadsheet numbers it, cells as text) for every row of a sheet."""
    # calamine starts at the first used cell: its rows and columns are offsets from it.
    start = found.start or (0, 0)
    first_row, first_column = start
    for offset, values in enumerate(found.iter_rows()):
        cells = [""] * first_column + [cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if any(len(c) > MAX_FIELD_CHARS for c in cells):
            raise ImportRefused(
                f"Row {first_row + offset + 1}: a cell is longer than "
                f"{MAX_FIELD_CHARS:,} characters; this does not look like a "
                "pre-registration list"
            )
        yield first_row + offset + 1, cells


def sheet_rows(path: Path, sheet: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as the spreadsheet numbers it, cells as text) for every row of a sheet."""
    return rows_of(open_sheet(path, sheet))
