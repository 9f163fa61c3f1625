"""Reading a spreadsheet export as a table: its encoding (UTF-8 with or without BOM, UTF-16,
cp1252), its delimiter, and its records with the physical line each starts on. A file that
cannot be read as a table is refused as a whole (``ImportRefused``)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

MAX_FIELD_CHARS = 100_000
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CONTROL_SHARE = 0.01  # more control characters than this: a binary file, not a table
MIN_CONTROLS = 4
DELIMITERS = ",;\t"
_CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\r\n"]


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; ``str(e)`` is one clear line for a person."""


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with; binary files are refused."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRefused(
                f"The file is too large ({size // (1024 * 1024)} MB); "
                f"a pre-registration list is far smaller"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"Cannot read the file: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        text, encoding = _decode(data, "utf-16"), "utf-16"
    else:
        if b"\x00" in data:
            raise ImportRefused("This is not a text file (it contains binary data)")
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
            if data.startswith(b"\xef\xbb\xbf"):
                encoding = "utf-8-sig"
        except UnicodeDecodeError:
            text, encoding = _decode(data, "cp1252"), "cp1252"
    if not text.strip():
        raise ImportRefused("The file is empty")
    controls = sum(map(text.count, _CONTROLS))  # a count per character: C speed, no copy
    # A stray escape in a small file is a row problem to repair, not a binary file.
    if controls > max(MIN_CONTROLS, MAX_CONTROL_SHARE * len(text)):
        raise ImportRefused("This is not a text file (it contains binary data)")
    return text, encoding


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportRefused(
            "This is not a readable text file (neither UTF-8 nor Windows text)"
        ) from None


def detect_delimiter(header_line: str) -> str:
    """The header's delimiter: csv.Sniffer, checked against a plain count of candidates."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier (",")
    try:
        sniffed = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return best
    # One line gives the sniffer little to go on: overrule it when another candidate is
    # plainly more frequent.
    return sniffed if counts.get(sniffed, 0) >= counts[best] else best


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines_of(text: str) -> Iterator[str]:
    """The text's lines with their endings (\\r\\n, \\n or a lone \\r), one at a time: what
    ``io.StringIO(text, newline="")`` gives, without its copy of the whole text (four bytes a
    character: 32 MB for an 8 MB file, made again at each reading)."""
    return (match.group() for match in _LINE.finditer(text))


def records_of(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """(first physical line, cells) for every record, refusing structural problems."""
    reader = csv.reader(lines_of(text), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "field limit" in message:
                raise ImportRefused(_too_long(start)) from None
            if "end of data" in message:
                raise ImportRefused(
                    f"Unclosed quote: a quoted cell in the row starting on line {start} never ends"
                ) from None
            raise ImportRefused(
                f"Line {start}: malformed quoted cell (a cell in quotes must end with a quote, "
                f"and quotes inside it must be doubled)"
            ) from None
        if cells and max(map(len, cells)) > MAX_FIELD_CHARS:
            raise ImportRefused(_too_long(start))
        yield start, cells
        start = reader.line_num + 1


def _too_long(line: int) -> str:
    return (
        f"Line {line}: a cell is longer than {MAX_FIELD_CHARS:,} characters; "
        f"this does not look like a pre-registration list"
    )


def read_records(path: Path) -> tuple[str, str, list[str], list[tuple[int, list[str]]]]:
    """Encoding, delimiter, header and the records after it (first physical line, cells)."""
    text, encoding = read_text(Path(path))
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = detect_delimiter(first_line)
    records = iter(records_of(text, delimiter))
    header: list[str] = []
    for _line, cells in records:
        if any(c.strip() for c in cells):
            header = cells
            break
    return encoding, delimiter, header, list(records)
