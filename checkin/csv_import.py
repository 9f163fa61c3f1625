"""Importing pre-registrations from a CSV file (Google Forms, Eventbrite, Excel, hand-made).

Two layers: ``parse_prereg_csv`` reads and checks a file without touching the database, and
``import_csv`` stores what it accepted in one transaction.

Decisions, so that organisers get the same answer every time:

- The whole file is refused (``ImportRefused``, nothing stored) when it cannot be read as a
  table: empty, binary, no recognisable header, an unclosed quote or a malformed quoted cell, a
  cell over 100,000 characters, or a header with no rows.
- Otherwise each row is accepted, skipped or rejected on its own. Empty rows (nothing in any
  column we use, e.g. a Google Forms response with only a timestamp) are skipped silently.
  Rows with data we cannot use (a count that is not 0..30, nobody to find at check-in, more
  cells than the header) are rejected and listed with the physical line where they start.
- Safe repairs are made and noted: whitespace trimmed, names on several lines joined into one,
  leading spreadsheet-formula characters (= + - @) removed from text (the row is kept), phones
  reduced to digits with a leading + kept, number words ("two", "dos") read as numbers.
  A zip code, phone or email we cannot understand is left blank (noted) rather than rejecting
  the household.
- Phone and email are stored only when the row's consent column says yes; otherwise they are
  dropped and counted in a note. The registration timestamp is not stored, so it is ignored.
- Re-importing skips people already there: same ``external_ref`` (Eventbrite barcode or order
  number) when the row has one, else the same folded first name, last name, zip and phone.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
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
from checkin.events import load_event
from checkin.purge import was_purged
from checkin.store import Database
from checkin.store.models import Attendee

MAX_FIELD_CHARS = 100_000
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CONTROL_SHARE = 0.01  # more control characters than this: a binary file, not a table
MIN_CONTROLS = 4
MAX_REF_CHARS = 100
DELIMITERS = ",;\t"
SOURCE = "import"
_EXCERPT_CHARS = 80
_LINES_SHOWN = 10

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
_YES = frozenset(
    ("yes", "y", "si", "s", "true", "x", "1", "ok", "okay", "oui", "sim", "agree", "acepto")
)
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

# Header rules, tried in order on the folded header ("¿Cómo se enteró?" -> "como se entero");
# the first match names the field. A lower rank wins when two columns claim one field.
_RULES: tuple[tuple[str | None, int, re.Pattern[str]], ...] = tuple(
    (name, rank, re.compile(pattern))
    for name, rank, pattern in (
        (None, 0, r"\bemergency\b"),  # someone else's details: never imported
        ("consent", 0, r"\b(consent|opt in|permiso|autoriz\w*|acepto)\b"),
        (
            "consent",
            0,
            r"\b(may|can|ok to|okay to|podemos)\b.*\b(contact|call|text|email|"
            r"contactar\w*|llamar\w*|escribir\w*)\b",
        ),
        ("external_ref", 0, r"^(barcode|external ref)( number| no| id)?$"),
        ("external_ref", 1, r"^(attendee|ticket)( number| no| id)?$"),
        (
            "external_ref",
            2,
            r"^(order|confirmation|registration|reference|ref)"
            r"( number| no| id| code)?$",
        ),
        ("external_ref", 3, r"^id$"),
        ("email", 0, r"\b(e ?mail|correo)\b"),
        ("phone", 0, r"\b(phone|telephone|cell|mobile|telefono|tel|celular|movil|whatsapp)\b"),
        ("zip_code", 0, r"\b(zip|zipcode|postal|postcode|cp)\b"),
        (
            "seniors",
            0,
            r"\b(seniors?|elderly|tercera edad|ancianos)\b|\bmayores\b(?! de 1)"
            r"|\b(over|mas de) 6\d\b",
        ),
        ("adults", 0, r"\b(adults?|adultos?|grown ups?)\b|\bmayores de 1\d\b"),
        (
            "kids",
            0,
            r"\b(kids?|child|children|ninos?|ninas?|hijos?|menores|minors?|youth)\b"
            r"|\bunder 1\d\b",
        ),
        (
            "name",
            0,
            r"^(full |your )?name$|\bfull name\b|^(su |tu )?nombre "
            r"(completo|y apellidos?( s)?)$",
        ),
        (
            "first_name",
            0,
            r"\b(first|given|fore) ?name\b|^first$|^(su |tu )?nombres?$"
            r"|\bprimer nombre\b|^prenom$",
        ),
        (
            "last_name",
            0,
            r"\b(last|family|sur) ?name\b|^last$|^(su |tu )?apellidos?\b"
            r"|^nom( de famille)?$",
        ),
        ("language", 0, r"\b(language|idioma|lengua|langue)\b"),
        (
            "heard_about",
            0,
            r"\b(hear|heard|entero|enteraste|supo|supiste|referred|referral)\b"
            r"|^source$|\bnos conocio\b",
        ),
        (
            "notes",
            0,
            r"\b(notes?|notas?|comments?|comentarios?|observaciones|remarks|needs|"
            r"necesidades|accessibility|accesibilidad|allerg\w*|alergias?)\b"
            r"|\banything else\b",
        ),
    )
)
_SECONDARY = re.compile(r"^(buyer|purchaser|billing)\b")  # the payer, not the attendee
_IDENTITY = ("first_name", "last_name", "name", "external_ref", "phone", "email")
_LABEL = {
    "first_name": "first name",
    "last_name": "last name",
    "name": "name",
    "zip_code": "zip code",
    "heard_about": "how they heard",
    "external_ref": "reference",
}


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

    def fields(self) -> dict[str, Any]:
        """The attendee fields, as ``insert_many`` takes them (everything but ``line``)."""
        return {name: getattr(self, name) for name in _ROW_FIELDS}

    def match_key(self) -> tuple[str, ...]:
        """What makes a re-imported row "the same person" (see the module notes)."""
        if self.external_ref:
            return ("ref", self.external_ref)
        return _person_key(self.first_name, self.last_name, self.zip_code, self.phone)


_ROW_FIELDS = tuple(f.name for f in dataclass_fields(PreregRow) if f.name != "line")


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    excerpt: str


@dataclass(frozen=True)
class ParsedFile:
    encoding: str
    delimiter: str
    columns: dict[str, str]  # our field ("name" for a full-name column) -> their header
    rows: tuple[PreregRow, ...]
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    parsed: ParsedFile
    imported: int  # with dry_run: how many would be
    duplicates_skipped: int
    dry_run: bool
    duplicate_lines: tuple[int, ...] = ()


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


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Our field -> column index, and notes about columns ignored."""
    claims: dict[str, list[tuple[int, int]]] = defaultdict(list)  # field -> [(rank, index)]
    ignored: list[int] = []
    for index, title in enumerate(header):
        folded = fold(title)
        if not folded:
            continue
        for name, rank, pattern in _RULES:
            if pattern.search(folded):
                if name is None:
                    ignored.append(index)
                else:
                    penalty = 10 if _SECONDARY.search(folded) else 0
                    claims[name].append((rank + penalty, index))
                break
        else:
            ignored.append(index)
    mapping: dict[str, int] = {}
    for name, candidates in claims.items():
        candidates.sort()
        mapping[name] = candidates[0][1]
        ignored.extend(index for _, index in candidates[1:])
    if "name" in mapping and ("first_name" in mapping or "last_name" in mapping):
        ignored.append(mapping.pop("name"))
    titles = [header[index].strip() for index in sorted(ignored)]
    notes = [f"columns not imported: {', '.join(titles)}"] if titles else []
    return mapping, notes


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


def _consent(raw: str) -> bool:
    value = raw.strip()
    if value in ("✓", "✔", "☑", "✅"):
        return True
    words = fold(value).split()
    return bool(words) and words[0] in _YES


def _language(raw: str) -> str:
    value = " ".join(raw.split())
    return _LANGUAGE_CODE.get(fold(value), value[:10])


def _short(value: str) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= 30 else flat[:29] + "…"


def _excerpt(cells: list[str], delimiter: str) -> str:
    flat = " ".join(delimiter.join(cells).split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


def _person_key(first: str, last: str, zip_code: str, phone: str) -> tuple[str, ...]:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return ("who", fold(first), fold(last), zip_code.strip().casefold(), digits)


# ---------------------------------------------------------------- one row


@dataclass
class _RowContext:
    mapping: dict[str, int]
    width: int
    delimiter: str
    notes: _Notes = field(default_factory=_Notes)


def _parse_row(line: int, cells: list[str], ctx: _RowContext) -> PreregRow | RowProblem | None:
    """An accepted row, a rejected one, or None for an empty row (skipped silently)."""

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
    if not any(cell(name).strip() for name in ctx.mapping):
        notes.add("empty rows skipped", line)
        notes.keep()
        return None
    try:
        values = _row_values(line, cell, notes)
        cleaned = clean_fields(values)
    except (ValueError, InvalidAttendee) as exc:
        notes.discard()
        return RowProblem(line, str(exc), _excerpt(cells, ctx.delimiter))
    notes.keep()
    return PreregRow(line=line, **cleaned)


def _row_values(line: int, cell: Callable[[str], str], notes: _Notes) -> dict[str, Any]:
    first = _text(cell("first_name"), line, "first name", notes)
    last = _text(cell("last_name"), line, "last name", notes)
    full = _text(cell("name"), line, "name", notes)
    if full and not (first or last):
        # "Ana Sofía Hernández" -> first "Ana Sofía", last "Hernández": search finds either.
        first, _, last = full.rpartition(" ")
        first, last = (first, last) if first else (last, "")
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "adults": _count(cell("adults"), "adults", 1, line, notes),
        "kids": _count(cell("kids"), "kids", 0, line, notes),
        "seniors": _count(cell("seniors"), "seniors", 0, line, notes),
        "heard_about": _text(cell("heard_about"), line, _LABEL["heard_about"], notes),
        "notes": _text(cell("notes"), line, "notes", notes, keep_lines=True),
        "language": _language(cell("language")),
        "consent": _consent(cell("consent")),
    }
    reference = " ".join(cell("external_ref").split())
    if len(reference) > MAX_REF_CHARS:
        raise ValueError(f"reference: longer than {MAX_REF_CHARS} characters")
    values["external_ref"] = reference

    zip_code = " ".join(cell("zip_code").split())
    if zip_code and not ZIP_PATTERN.fullmatch(zip_code):
        notes.add("zip code not understood, left blank", line)
        zip_code = ""
    values["zip_code"] = zip_code

    phone = _phone(cell("phone"))
    email = " ".join(cell("email").split())
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
    return values


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


# ---------------------------------------------------------------- the file


def parse_prereg_csv(path: Path) -> ParsedFile:
    """Read and check a pre-registration file; raises ImportRefused for structural problems."""
    text, encoding = read_text(Path(path))
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = detect_delimiter(first_line)
    records = iter(_records(text, delimiter))
    header: list[str] = []
    for _line, cells in records:
        if any(c.strip() for c in cells):
            header = cells
            break
    mapping, notes = map_columns(header)
    if not any(name in mapping for name in _IDENTITY):
        raise ImportRefused(
            "No recognisable header: the first line must name the columns "
            "(for example First name, Last name, Zip code, Phone)"
        )
    ctx = _RowContext(mapping, len(header), delimiter)
    rows: list[PreregRow] = []
    problems: list[RowProblem] = []
    for line, cells in records:
        outcome = _parse_row(line, cells, ctx)
        if isinstance(outcome, RowProblem):
            problems.append(outcome)
        elif outcome is not None:
            rows.append(outcome)
    if not rows and not problems:
        raise ImportRefused("No rows: the file has a header but no one in it")
    notes.extend(ctx.notes.render())
    return ParsedFile(
        encoding=encoding,
        delimiter=delimiter,
        columns={name: header[index].strip() for name, index in mapping.items()},
        rows=tuple(rows),
        problems=tuple(problems),
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- the import


def _existing_keys(session: Session) -> set[tuple[str, ...]]:
    keys: set[tuple[str, ...]] = set()
    stmt = select(
        Attendee.external_ref,
        Attendee.first_name,
        Attendee.last_name,
        Attendee.zip_code,
        Attendee.phone,
    ).where(Attendee.purged.is_(False))
    for ref, first, last, zip_code, phone in session.execute(stmt):
        if ref:
            keys.add(("ref", ref))
        keys.add(_person_key(first, last, zip_code, phone))
    return keys


def _new_rows(session: Session, rows: tuple[PreregRow, ...]) -> tuple[list[PreregRow], list[int]]:
    """Rows not yet in the event (nor earlier in the same file), and the lines skipped."""
    seen = _existing_keys(session)
    fresh: list[PreregRow] = []
    skipped: list[int] = []
    for row in rows:
        key = row.match_key()
        if key in seen:
            skipped.append(row.line)
        else:
            seen.add(key)
            fresh.append(row)
    return fresh, skipped


def import_csv(
    db: Database, path: Path, *, dry_run: bool = False, station: str = "import"
) -> ImportReport:
    """Import a pre-registration file in one transaction: all accepted rows or nothing.

    Raises ImportRefused (nothing stored) when the file as a whole cannot be used.
    """
    with db.reading() as session:
        if was_purged(session):
            # Nothing to match against any more (every name is gone): every row would come
            # back as a new person, with the personal data the organiser removed.
            raise ImportRefused(
                "this event's personal data was removed after the event; importing would "
                "bring names back as new people. Use a new event file for a new list"
            )
    parsed = parse_prereg_csv(path)
    if dry_run:
        with db.reading() as session:
            fresh, skipped = _new_rows(session, parsed.rows)
        return ImportReport(parsed, len(fresh), len(skipped), True, tuple(skipped))

    def work(session: Session) -> tuple[int, list[int]]:
        event = load_event(session)
        fresh, skipped = _new_rows(session, parsed.rows)
        if fresh:
            insert_many(
                session, event, [row.fields() for row in fresh], source=SOURCE, station=station
            )
        return len(fresh), skipped

    imported, skipped = db.write(work)
    return ImportReport(parsed, imported, len(skipped), False, tuple(skipped))
