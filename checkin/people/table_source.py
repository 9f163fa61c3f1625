"""A pre-registration file as a table, whatever it is: a text export (``csv_file``) or a
workbook sheet (``workbook``), with its header found rather than assumed on line 1 (title
lines, notes and blank rows above it are passed over and named)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checkin.people import workbook
from checkin.people.csv_file import (
    ImportRefused,
    detect_delimiter,
    lines_of,
    read_text,
    records_of,
)
from checkin.people.import_headers import IDENTITY, map_columns

HEADER_SEARCH = 30  # the header is among the first rows with something in them
# Refused before anything is read into rows: a neighbourhood's list is far smaller, and a
# million rows would take minutes and gigabytes before saying anything.
MAX_ROWS = 200_000
Record = tuple[int, list[str]]


HEAD_ROWS = 200  # rows after the header kept at hand: samples, and what the answers say


@dataclass(frozen=True)
class Table:
    encoding: str  # how the text was read ("utf-8", "cp1252") or the workbook's kind
    delimiter: str  # "" for a workbook
    header: list[str]
    header_line: int  # physical line (or spreadsheet row) of the header; 0: none found
    source: Callable[[], Iterator[Record]]  # the rows after the header, read afresh each call
    above: tuple[int, ...] = ()  # non-blank lines above the header, passed over
    sheet: str = ""  # the sheet read, for a workbook
    sheets: tuple[str, ...] = ()  # every sheet of the workbook
    head: list[Record] = field(default_factory=list)  # the first HEAD_ROWS of them
    estimate: int = 0  # about how many rows follow the header (a progress bar's end)

    @property
    def is_workbook(self) -> bool:
        return bool(self.sheets)

    def rows(self) -> Iterator[Record]:
        """Every row after the header, read again from the text: a 100,000-row file is not
        held as cells as well as the households made of them."""
        return self.source()


def header_score(cells: list[str]) -> int:
    """How much a row looks like a registration list's header: the fields its titles name,
    0 unless one of them is someone to look up (a name, a reference, a phone or email)."""
    titles = [c for c in cells if c.strip()]
    if not titles:
        return 0
    fields = {f for f in map_columns(cells).fields if f is not None}
    return len(fields) if fields & set(IDENTITY) else 0


def _split(records: list[Record]) -> tuple[list[str], int, tuple[int, ...], list[Record]]:
    """Header, its line, the non-blank lines above it, and the rows after it."""
    filled = [
        (i, r) for i, r in enumerate(records[: HEADER_SEARCH * 3]) if any(c.strip() for c in r[1])
    ]
    candidates = filled[:HEADER_SEARCH]
    if not candidates:
        return [], 0, (), []
    best = max(candidates, key=lambda item: (header_score(item[1][1]), -item[0]))
    if header_score(best[1][1]) == 0:
        best = candidates[0]  # nothing looks like a header: the first line, refused later
    at, (line, header) = best
    above = tuple(record_line for _i, (record_line, _c) in filled if _i < at)
    return header, line, above, records[at + 1 :]


def _text_table(path: Path) -> Table:
    text, encoding = read_text(path)
    lines = text.count("\n") + 1
    _check_size(lines)
    # The delimiter of the line that has most of one: a title line above the header has few.
    # The first lines only: splitting all of a 100,000-line text would hold them all at once.
    top = itertools.islice(lines_of(text), HEADER_SEARCH * 3)
    sample = [line.rstrip("\r\n") for line in top if line.strip()]
    delimiter = max(
        (detect_delimiter(line) for line in sample[:HEADER_SEARCH]),
        key=lambda d: max(line.count(d) for line in sample[:HEADER_SEARCH]),
        default=",",
    )
    first = list(itertools.islice(records_of(text, delimiter), HEADER_SEARCH * 3))
    header, line, above, _rest = _split(first)

    def source() -> Iterator[Record]:
        return (record for record in records_of(text, delimiter) if record[0] > line)

    head = list(itertools.islice(source(), HEAD_ROWS))
    return Table(encoding, delimiter, header, line, source, above, head=head, estimate=lines - line)


def _check_size(lines: int) -> None:
    if lines > MAX_ROWS:
        raise ImportRefused(
            f"The file has about {lines:,} rows; an import takes at most {MAX_ROWS:,} "
            "(a neighbourhood's pre-registration list is far smaller). Split the file, or "
            "remove what is not a list of households"
        )


def choose_sheet(path: Path, names: list[str]) -> str:
    """The sheet that looks most like a registration list (its header names most fields);
    the first on a tie."""
    if len(names) == 1:
        return names[0]  # not loaded twice: a reader loads a whole sheet to give its rows
    best, best_score = names[0], -1
    for name in names:
        rows = []
        for record in workbook.sheet_rows(path, name):
            rows.append(record)
            if len(rows) >= HEADER_SEARCH:
                break
        score = max((header_score(cells) for _line, cells in rows), default=0)
        if score > best_score:
            best, best_score = name, score
    return best


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The file's header and rows; a workbook's ``sheet`` (default: the one that looks like
    a registration list). Raises ImportRefused when the file cannot be read as a table."""
    path = Path(path)
    if not workbook.is_workbook(path):
        if sheet:
            raise ImportRefused("Only a spreadsheet workbook has sheets; this is a text file")
        return _text_table(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(f"Cannot read the file: {exc.strerror or exc}") from None
    if size > workbook.MAX_WORKBOOK_BYTES:
        raise ImportRefused(
            f"The file is too large ({size // (1024 * 1024)} MB); "
            "a pre-registration list is far smaller"
        )
    names = workbook.sheet_names(path)
    if not names:
        raise ImportRefused("The workbook has no sheets")
    chosen = sheet if sheet is not None else choose_sheet(path, names)
    if chosen not in names:
        raise ImportRefused(f"No sheet called '{chosen}'; the sheets are: {', '.join(names)}")
    found = workbook.open_sheet(path, chosen)
    _check_size(int(found.height))
    first = list(itertools.islice(workbook.rows_of(found), HEADER_SEARCH * 3))
    header, line, above, _rest = _split(first)
    if not header:
        raise ImportRefused(f"The sheet '{chosen}' is empty")

    def source() -> Iterator[Record]:
        # The reader holds the sheet's cells: each reading makes its rows into text anew.
        return (record for record in workbook.rows_of(found) if record[0] > line)

    return Table(
        workbook.kind_of(path),
        "",
        header,
        line,
        source,
        above,
        chosen,
        tuple(names),
        head=list(itertools.islice(source(), HEAD_ROWS)),
        estimate=int(found.height) - line,
    )
