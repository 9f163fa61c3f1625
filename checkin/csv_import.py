"""Importing pre-registrations from a CSV file (Google Forms, Eventbrite, Jotform, Excel).

Two layers: ``parse_prereg_csv`` reads and checks a file without touching the database, and
``import_csv`` stores what it accepted in one transaction. Which column holds what comes from
the header vocabulary (``checkin.people.import_headers``), overridden by the organiser's
choices (the preview's drop-downs, ``checkin import --map "Column=field"``).

Decisions, so that organisers get the same answer every time:

- The whole file is refused (``ImportRefused``, nothing stored) when it cannot be read as a
  table: empty, binary, no recognisable header, an unclosed quote or a malformed quoted cell, a
  cell over 100,000 characters, or a header with no rows.
- Otherwise each row is accepted, skipped or rejected on its own. Empty rows are skipped
  silently; rows whose attendance status (or "Will you attend?" answer) is Refunded,
  Cancelled, Not Attending, Deleted or No are skipped and counted with their lines. Rows with
  data we cannot use (a count that is not 0..30, nobody to find at check-in, more cells than
  the header) are rejected and listed with the physical line where they start.
- Safe repairs are made and noted: whitespace trimmed, names on several lines joined, leading
  spreadsheet-formula characters removed, phones reduced to digits, number words read as
  numbers, a household size reconciled with the adults/kids/seniors columns
  (``checkin.people.household``), a zip found inside an address. A zip, phone or email we
  cannot understand is left blank (noted) rather than rejecting the household.
- Phone and email are stored only when the row's consent column says yes
  (``checkin.people.consent``); otherwise they are dropped and counted in a note.
- Which rows are the same household: ``checkin.people.row_identity``. Possible duplicates are
  imported and listed with their lines; nothing is skipped without its line being named.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.attendees import (
    MAX_MEMBERS,
    ZIP_PATTERN,
    InvalidAttendee,
    clean_fields,
    fold,
    insert_many,
)
from checkin.db import Database
from checkin.events import load_event
from checkin.models import Attendee
from checkin.people.consent import all_yes_no, gives_consent
from checkin.people.household import reconcile, status_skips, zip_in_address
from checkin.people.import_headers import (
    IDENTITY,
    LABELS,
    ColumnMap,
    UnknownMapping,
    apply_choices,
    is_quantity,
    map_columns,
)
from checkin.people.import_layouts import load_choices, save_choices
from checkin.people.names import is_suffix, split_full_name
from checkin.people.row_identity import Key, base_key, exact_key, name_key_of
from checkin.purge import was_purged

__all__ = [
    "ImportRefused",
    "ImportReport",
    "ParsedFile",
    "PreregRow",
    "RowProblem",
    "UnknownMapping",
    "detect_delimiter",
    "import_csv",
    "parse_prereg_csv",
    "read_text",
]

MAX_FIELD_CHARS = 100_000
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CONTROL_SHARE = 0.01  # more control characters than this: a binary file, not a table
MIN_CONTROLS = 4
MAX_REF_CHARS = 100
DELIMITERS = ",;\t"
SOURCE = "import"
PREVIEW_ROWS = 20
_EXCERPT_CHARS = 80
_LINES_SHOWN = 10
_SAMPLE_ROWS = 200  # answers looked at to tell a yes/no column from an email column

# Bidirectional overrides and isolates can make a name display as something else.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_FORMULA_START = "=+-@"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_CHARS = re.compile(r"[0-9 ()\-.+/]+")
_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")

_NUMBER_WORDS = {
    **dict.fromkeys(("zero", "none", "no", "cero", "ninguno", "ninguna", "nadie"), 0),
    **dict.fromkeys(("one", "uno", "una", "un"), 1),
    **dict.fromkeys(("two", "dos"), 2),
    **dict.fromkeys(("three", "tres"), 3),
    **dict.fromkeys(("four", "cuatro"), 4),
    **dict.fromkeys(("five", "cinco"), 5),
    **dict.fromkeys(("six", "seis"), 6),
    **dict.fromkeys(("seven", "siete"), 7),
    **dict.fromkeys(("eight", "ocho"), 8),
    **dict.fromkeys(("nine", "nueve"), 9),
    **dict.fromkeys(("ten", "diez"), 10),
}
_LANGUAGES = {
    "en": ("english", "ingles", "en", "eng"),
    "es": ("spanish", "espanol", "castellano", "es", "spa"),
    "vi": ("vietnamese", "tieng viet", "vi"),
    "fr": ("french", "francais", "frances", "fr"),
    "ar": ("arabic", "arabe", "ar"),
    "so": ("somali", "so"),
    "zh": ("chinese", "mandarin", "cantonese", "chino", "zh"),
    "pt": ("portuguese", "portugues", "pt"),
    "sw": ("swahili", "kiswahili", "sw"),
}
_LANGUAGE_CODE = {name: code for code, names in _LANGUAGES.items() for name in names}


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; ``str(e)`` is one clear line for a person."""


@dataclass(frozen=True)
class PreregRow:
    """One accepted row, cleaned exactly as it will be stored."""

    line: int
    first_name: str = ""
    last_name: str = ""
    adults: int = 1
    kids: int = 0
    seniors: int = 0
    zip_code: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False
    language: str = ""
    heard_about: str = ""
    notes: str = ""
    external_ref: str = ""
    # As written in the file, before consent: two rows differing only there are two people.
    file_phone: str = ""
    file_email: str = ""

    def fields(self) -> dict[str, Any]:
        """The attendee fields, as ``insert_many`` takes them."""
        return {name: getattr(self, name) for name in _ROW_FIELDS}

    @property
    def household_size(self) -> int:
        return self.adults + self.kids + self.seniors

    def keys(self) -> tuple[Key, Key, Key]:
        """Every imported field with the contact details as written (to compare rows of one
        file) and as stored (to compare with people already in the event); and every field
        but phone and email."""
        base = base_key(self.fields())
        return (
            exact_key(base, self.file_phone, self.file_email),
            exact_key(base, self.phone, self.email),
            base,
        )


_NOT_STORED = ("line", "file_phone", "file_email")
_ROW_FIELDS = tuple(f.name for f in dataclass_fields(PreregRow) if f.name not in _NOT_STORED)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    excerpt: str


@dataclass(frozen=True)
class SkippedRow:
    line: int
    status: str  # as written: "Refunded", "Not Attending", "No"


@dataclass(frozen=True)
class ParsedFile:
    encoding: str
    delimiter: str
    mapping: ColumnMap
    rows: tuple[PreregRow, ...]
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...]
    skipped: tuple[SkippedRow, ...] = ()
    samples: tuple[str, ...] = ()  # per column, the first value found under it (one line)

    @property
    def columns(self) -> dict[str, str]:
        """Our field ("name" for a full-name column) -> their header."""
        return self.mapping.columns

    @property
    def records(self) -> int:
        return len(self.rows) + len(self.problems) + len(self.skipped)


@dataclass(frozen=True)
class ImportReport:
    parsed: ParsedFile
    imported: int  # with dry_run: how many would be
    duplicates_skipped: int
    dry_run: bool
    duplicate_lines: tuple[int, ...] = ()
    possible_duplicate_lines: tuple[int, ...] = ()

    def summary(self) -> list[str]:
        """The outcome in a few English lines (the command line; the app says it in its own
        words)."""
        parsed = self.parsed
        verb = "would import" if self.dry_run else "imported"
        out = [
            f"{verb} {self.imported} of {parsed.records} rows"
            f" ({len(parsed.problems)} rejected) [{parsed.encoding}, '{_shown(parsed.delimiter)}']"
        ]
        if self.duplicate_lines:
            out.append(
                f"{len(self.duplicate_lines)} duplicate{_s(self.duplicate_lines)} skipped"
                f" (line{_s(self.duplicate_lines)} {lines_text(self.duplicate_lines)})"
            )
        if parsed.skipped:
            out.append(
                f"{len(parsed.skipped)} row{_s(parsed.skipped)} skipped by status"
                f" (line{_s(parsed.skipped)} {lines_text([s.line for s in parsed.skipped])})"
            )
        if self.possible_duplicate_lines:
            lines = self.possible_duplicate_lines
            out.append(
                f"{len(lines)} possible duplicate{_s(lines)} imported (same name and zip, "
                f"other details differ; line{_s(lines)} {lines_text(lines)})"
            )
        return out


def _s(items: Iterable[object]) -> str:
    return "" if len(list(items)) == 1 else "s"


def lines_text(lines: Iterable[int], shown: int = _LINES_SHOWN) -> str:
    """ "3, 7, 9 and 12 more": line numbers for a person to look up."""
    items = list(lines)
    text = ", ".join(str(n) for n in items[:shown])
    return text + (f" and {len(items) - shown} more" if len(items) > shown else "")


# ---------------------------------------------------------------- reading the file


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
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
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


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """(first physical line, cells) for every record, refusing structural problems."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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
        if any(len(cell) > MAX_FIELD_CHARS for cell in cells):
            raise ImportRefused(_too_long(start))
        yield start, cells
        start = reader.line_num + 1


def _too_long(line: int) -> str:
    return (
        f"Line {line}: a cell is longer than {MAX_FIELD_CHARS:,} characters; "
        f"this does not look like a pre-registration list"
    )


# ---------------------------------------------------------------- cleaning values


class _Notes:
    """Repairs and drops, gathered by kind so a 10,000-row file gives a short list."""

    def __init__(self) -> None:
        self.lines: dict[str, list[int]] = defaultdict(list)
        self.pending: list[tuple[str, int]] = []

    def add(self, kind: str, line: int) -> None:
        self.pending.append((kind, line))

    def keep(self) -> None:
        """The current row was accepted: its notes count."""
        for kind, line in self.pending:
            self.lines[kind].append(line)
        self.pending.clear()

    def discard(self) -> None:
        """The current row was rejected: its reason says enough."""
        self.pending.clear()

    def render(self) -> list[str]:
        out = []
        for kind, lines in self.lines.items():
            shown = ", ".join(str(n) for n in lines[:_LINES_SHOWN])
            more = f" and {len(lines) - _LINES_SHOWN} more" if len(lines) > _LINES_SHOWN else ""
            out.append(
                f"{kind}: {len(lines)} row{'s' if len(lines) != 1 else ''} "
                f"(line{'s' if len(lines) != 1 else ''} {shown}{more})"
            )
        return out


def _text(raw: str, line: int, label: str, notes: _Notes, *, keep_lines: bool = False) -> str:
    value = raw.translate(_BIDI).strip()
    if not keep_lines and ("\n" in value or "\r" in value):
        notes.add(f"{label} on several lines joined into one", line)
    if keep_lines:
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        value = "\n".join(_one_line(part) for part in lines).strip()
    else:
        value = _one_line(value)
    if value and value[0] in _FORMULA_START:
        value = value.lstrip(_FORMULA_START + " ")
        notes.add(f"spreadsheet formula characters removed from {label}", line)
    return value


def _one_line(value: str) -> str:
    # Control characters (tabs, escapes) become spaces; runs of spaces become one.
    if value.isprintable():
        return " ".join(value.split())
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(cleaned.split())


def _count(raw: str, label: str, default: int, line: int, notes: _Notes) -> int:
    """A household count; raises ValueError with the reason a row is rejected."""
    value = raw.strip()
    if not value:
        return default
    if value.isdigit() and len(value) < 3:
        number = int(value)
        if number <= MAX_MEMBERS:
            return number
    word = _NUMBER_WORDS.get(fold(value))
    if word is not None:
        notes.add(f"{label} written in words read as a number", line)
        return word
    if not _INTEGER.fullmatch(value):
        raise ValueError(f"{label}: '{_short(value)}' is not a whole number")
    number = int(float(value))
    if not 0 <= number <= MAX_MEMBERS:
        raise ValueError(f"{label}: {number} is not between 0 and {MAX_MEMBERS}")
    return number


def _phone(raw: str) -> str | None:
    """Digits with a leading + kept; None when it is not a phone number at all."""
    value = raw.strip()
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    if not _PHONE_CHARS.fullmatch(value) or not 7 <= len(digits) <= 15:
        return None
    return ("+" if value.startswith("+") else "") + digits


def _language(raw: str) -> str:
    if not raw:
        return ""
    value = " ".join(raw.split())
    return _LANGUAGE_CODE.get(fold(value), value[:10])


def _short(value: str) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= 30 else flat[:29] + "…"


def _excerpt(cells: list[str], delimiter: str) -> str:
    flat = " ".join(delimiter.join(cells).split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


# ---------------------------------------------------------------- one row


@dataclass
class _RowContext:
    mapping: dict[str, int]
    width: int
    delimiter: str
    order_is_reference: bool
    notes: _Notes = field(default_factory=_Notes)


_Outcome = PreregRow | RowProblem | SkippedRow | None


def _parse_row(line: int, cells: list[str], ctx: _RowContext) -> _Outcome:
    """An accepted, rejected or skipped row, or None for an empty row (skipped silently)."""

    def cell(name: str) -> str:
        index = ctx.mapping.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    if len(cells) > ctx.width and any(c.strip() for c in cells[ctx.width :]):
        return RowProblem(
            line,
            f"{len(cells)} cells but the header has {ctx.width} "
            f"(a value containing '{_shown(ctx.delimiter)}' without quotes?)",
            _excerpt(cells, ctx.delimiter),
        )
    notes = ctx.notes
    if not any(cell(name).strip() for name in ctx.mapping if name != "status"):
        notes.add("empty rows skipped", line)
        notes.keep()
        return None
    status = " ".join(cell("status").split())
    if status and status_skips(fold(status)):
        return SkippedRow(line, status)
    try:
        values, contact = _row_values(line, cell, notes, ctx.order_is_reference)
        cleaned = clean_fields(values)
    except (ValueError, InvalidAttendee) as exc:
        notes.discard()
        return RowProblem(line, str(exc), _excerpt(cells, ctx.delimiter))
    notes.keep()
    return PreregRow(line=line, **cleaned, file_phone=contact[0], file_email=contact[1])


def _names(cell: Callable[[str], str], line: int, notes: _Notes) -> tuple[str, str]:
    first = _text(cell("first_name"), line, "first name", notes)
    last = _text(cell("last_name"), line, "last name", notes)
    full = _text(cell("name"), line, "name", notes)
    if full and not (first or last):
        return split_full_name(full)
    if last and all(is_suffix(word) for word in last.split()) and " " in first:
        # "Darnell Williams" + "Jr.": the surname is the word before the suffix.
        notes.add("suffix in the last name column: surname taken from the first name", line)
        return split_full_name(f"{first} {last}")
    return first, last


def _optional_count(raw: str, label: str, line: int, notes: _Notes) -> int | None:
    return _count(raw, label, -1, line, notes) if raw.strip() else None


def _row_values(
    line: int, cell: Callable[[str], str], notes: _Notes, order_is_reference: bool
) -> tuple[dict[str, Any], tuple[str, str]]:
    first, last = _names(cell, line, notes)
    size = _optional_count(cell("household_size"), "household size", line, notes)
    counts = reconcile(
        size,
        _optional_count(cell("adults"), "adults", line, notes),
        _optional_count(cell("kids"), "kids", line, notes),
        _optional_count(cell("seniors"), "seniors", line, notes),
    )
    if counts.conflict:
        notes.add("household size and adults/kids/seniors disagree (kept the larger)", line)
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "adults": counts.adults,
        "kids": counts.kids,
        "seniors": counts.seniors,
        "heard_about": _text(cell("heard_about"), line, LABELS["heard_about"], notes),
        "notes": _text(cell("notes"), line, "notes", notes, keep_lines=True),
        "language": _language(cell("language")),
        "consent": gives_consent(cell("consent")),
    }
    reference = " ".join(cell("external_ref").split())
    if not reference and order_is_reference:
        reference = " ".join(cell("order_ref").split())
    if len(reference) > MAX_REF_CHARS:
        raise ValueError(f"reference: longer than {MAX_REF_CHARS} characters")
    values["external_ref"] = reference

    zip_code = " ".join(cell("zip_code").split())
    if zip_code and not ZIP_PATTERN.fullmatch(zip_code):
        notes.add("zip code not understood, left blank", line)
        zip_code = ""
    if not zip_code and cell("address").strip():
        zip_code = zip_in_address(cell("address"))
        if zip_code:
            notes.add("zip code read from the address", line)
    values["zip_code"] = zip_code

    written_phone = cell("phone").strip()
    written_email = " ".join(cell("email").split())
    phone = _phone(written_phone)
    email = written_email
    had_contact = phone != "" or email != ""
    if not values["consent"]:
        if phone or phone is None:
            notes.add("phone dropped: no consent", line)
        if email:
            notes.add("email dropped: no consent", line)
        phone, email = "", ""
    if phone is None:
        notes.add("phone not understood, left blank", line)
        phone = ""
    if email and (not _EMAIL.fullmatch(email) or len(email) > 200):
        notes.add("email not understood, left blank", line)
        email = ""
    values["phone"], values["email"] = phone, email
    if not (first or last or reference or phone or email):
        reason = "no name or reference: nobody to look up at check-in"
        if had_contact:
            reason += " (phone and email are not kept without consent)"
        raise ValueError(reason)
    return values, (written_phone, written_email)


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


# ---------------------------------------------------------------- the file


def _column(records: list[tuple[int, list[str]]], index: int) -> Iterable[str]:
    return (cells[index] for _, cells in records if index < len(cells))


def _settle(
    mapping: ColumnMap, records: list[tuple[int, list[str]]]
) -> tuple[ColumnMap, bool, list[str]]:
    """Checks that need the answers: a yes/no "email" column is consent ("Email me
    updates"), and an order number is a reference only when no two rows share it."""
    notes: list[str] = []
    index = mapping.index
    at = index.get("email")
    if at is not None and at not in mapping.chosen:
        sample = list(_column(records[:_SAMPLE_ROWS], at))
        if all_yes_no(sample):
            wanted = None if "consent" in index else "consent"
            mapping = mapping.with_field(at, wanted)
            mapping = ColumnMap(mapping.header, mapping.fields, mapping.chosen - {at})
            notes.append(
                f"'{mapping.header[at].strip()}' holds yes/no answers: read as "
                f"{'consent' if wanted else 'not imported'}, not as an email address"
            )
    order_is_reference = False
    at = mapping.index.get("order_ref")
    if at is not None and "external_ref" not in mapping.index:
        orders = [value.strip() for value in _column(records, at) if value.strip()]
        order_is_reference = len(orders) == len(set(orders))
        if not order_is_reference:
            notes.append(
                f"'{mapping.header[at].strip()}' is shared by several rows: each row is "
                f"a person of its own, and the order number is not kept"
            )
            size_at = mapping.index.get("household_size")
            if (
                size_at is not None
                and size_at not in mapping.chosen
                and is_quantity(mapping.header[size_at])
            ):
                # A row per attendee: Quantity counts the order's tickets, not a household.
                mapping = ColumnMap(
                    mapping.header,
                    tuple(None if i == size_at else f for i, f in enumerate(mapping.fields)),
                    mapping.chosen,
                )
    return mapping, order_is_reference, notes


def read_records(path: Path) -> tuple[str, str, list[str], list[tuple[int, list[str]]]]:
    """Encoding, delimiter, header and the records after it (first physical line, cells)."""
    text, encoding = read_text(Path(path))
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = detect_delimiter(first_line)
    records = iter(_records(text, delimiter))
    header: list[str] = []
    for _line, cells in records:
        if any(c.strip() for c in cells):
            header = cells
            break
    return encoding, delimiter, header, list(records)


def parse_prereg_csv(
    path: Path,
    choices: Mapping[str, str | None] | None = None,
    *,
    layouts: Database | None = None,
) -> ParsedFile:
    """Read and check a pre-registration file; raises ImportRefused for structural problems.

    ``choices``: header title -> field (None or "ignore": not imported) over the vocabulary;
    a choice naming a column or field that does not exist raises ``UnknownMapping``. With
    ``layouts``, the choices last saved there for this header layout come first.
    """
    encoding, delimiter, header, records = read_records(path)
    mapping = map_columns(header)
    remembered = load_choices(layouts, header) if layouts is not None and header else {}
    if remembered or choices:
        mapping = apply_choices(mapping, {**remembered, **(choices or {})})
    if not any(name in mapping.index for name in IDENTITY):
        raise ImportRefused(
            "No recognisable header: the first line must name the columns "
            "(for example First name, Last name, Zip code, Phone)"
        )
    mapping, order_is_reference, notes = _settle(mapping, records)
    ctx = _RowContext(mapping.index, len(header), delimiter, order_is_reference)
    rows: list[PreregRow] = []
    problems: list[RowProblem] = []
    skipped: list[SkippedRow] = []
    for line, cells in records:
        outcome = _parse_row(line, cells, ctx)
        if isinstance(outcome, PreregRow):
            rows.append(outcome)
        elif isinstance(outcome, RowProblem):
            problems.append(outcome)
        elif isinstance(outcome, SkippedRow):
            skipped.append(outcome)
    if not rows and not problems and not skipped:
        raise ImportRefused("No rows: the file has a header but no one in it")
    ignored = mapping.ignored()
    if ignored:
        notes.insert(0, f"columns not imported: {', '.join(ignored)}")
    notes.extend(ctx.notes.render())
    return ParsedFile(
        encoding=encoding,
        delimiter=delimiter,
        mapping=mapping,
        rows=tuple(rows),
        problems=tuple(problems),
        notes=tuple(notes),
        skipped=tuple(skipped),
        samples=_samples(len(header), records),
    )


def _samples(width: int, records: list[tuple[int, list[str]]]) -> tuple[str, ...]:
    found = [""] * width
    for _line, cells in records[:_SAMPLE_ROWS]:
        for index, value in enumerate(cells[:width]):
            if not found[index] and value.strip():
                found[index] = _short(value)
        if all(found):
            break
    return tuple(found)


# ---------------------------------------------------------------- the import


@dataclass
class _Known:
    refs: set[str] = field(default_factory=set)
    stored: set[Key] = field(default_factory=set)  # people already in the event
    in_file: set[Key] = field(default_factory=set)  # rows earlier in this file
    names: dict[Key, int] = field(default_factory=dict)  # name key -> first line (0: stored)


def _known(session: Session) -> _Known:
    known = _Known()
    stmt = select(
        Attendee.external_ref,
        Attendee.first_name,
        Attendee.last_name,
        Attendee.adults,
        Attendee.kids,
        Attendee.seniors,
        Attendee.zip_code,
        Attendee.phone,
        Attendee.email,
        Attendee.consent,
        Attendee.language,
        Attendee.heard_about,
        Attendee.notes,
    ).where(Attendee.purged.is_(False))
    for row in session.execute(stmt):
        fields = row._asdict()
        if fields["external_ref"]:
            known.refs.add(fields["external_ref"])
        base = base_key(fields)
        known.stored.add(exact_key(base, fields["phone"], fields["email"]))
        key = name_key_of(base)
        if key is not None:
            known.names.setdefault(key, 0)
    return known


@dataclass(frozen=True)
class _Sorted:
    fresh: list[PreregRow]
    skipped: list[int]
    possible: list[int]


def _sort_rows(session: Session, rows: tuple[PreregRow, ...]) -> _Sorted:
    """Rows to import, lines skipped as the same household, lines of possible duplicates."""
    known = _known(session)
    fresh: list[PreregRow] = []
    skipped: list[int] = []
    possible: set[int] = set()
    for row in rows:
        file_key, stored_key, base = row.keys()
        if row.external_ref:
            same = row.external_ref in known.refs
            known.refs.add(row.external_ref)
        else:
            same = file_key in known.in_file or stored_key in known.stored
            known.in_file.add(file_key)
        if same:
            skipped.append(row.line)
            continue
        fresh.append(row)
        key = name_key_of(base)
        if key is None:
            continue
        first = known.names.setdefault(key, row.line)
        if first != row.line:
            possible.add(row.line)
            if first:
                possible.add(first)
    return _Sorted(fresh, skipped, sorted(possible))


Progress = Callable[[int, int], None]


def import_csv(
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    station: str = "import",
    choices: Mapping[str, str | None] | None = None,
    remember: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a pre-registration file in one transaction: all accepted rows or nothing.

    Raises ImportRefused (nothing stored) when the file as a whole cannot be used.
    ``choices`` map columns by hand (see ``parse_prereg_csv``); with ``remember`` the choices
    saved for this header layout apply first, and a real import saves the ones it used.
    ``progress(done, total)`` is called as rows are stored (from the calling thread).
    """
    with db.reading() as session:
        if was_purged(session):
            # Nothing to match against any more (every name is gone): every row would come
            # back as a new person, with the personal data the organiser removed.
            raise ImportRefused(
                "this event's personal data was removed after the event; importing would "
                "bring names back as new people. Use a new event file for a new list"
            )
    parsed = parse_prereg_csv(path, choices, layouts=db if remember else None)
    if dry_run:
        with db.reading() as session:
            found = _sort_rows(session, parsed.rows)
        return _report(parsed, len(found.fresh), found, True)

    def work(session: Session) -> tuple[int, _Sorted]:
        event = load_event(session)
        found = _sort_rows(session, parsed.rows)
        if found.fresh:
            insert_many(
                session,
                event,
                [row.fields() for row in found.fresh],
                source=SOURCE,
                station=station,
                progress=progress,
            )
        return len(found.fresh), found

    imported, found = db.write(work)
    if remember:
        mapping = parsed.mapping
        save_choices(
            db,
            mapping.header,
            {mapping.header[i].strip(): mapping.fields[i] for i in sorted(mapping.chosen)},
            station=station,
        )
    return _report(parsed, imported, found, False)


def _report(parsed: ParsedFile, imported: int, found: _Sorted, dry_run: bool) -> ImportReport:
    return ImportReport(
        parsed,
        imported,
        len(found.skipped),
        dry_run,
        tuple(found.skipped),
        tuple(found.possible),
    )
