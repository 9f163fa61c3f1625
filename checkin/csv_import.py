"""Importing pre-registrations from a CSV file (Google Forms, Eventbrite, Jotform, Excel).

Two layers: ``parse_prereg_csv`` (``checkin.people.prereg_file``, over ``csv_file`` and
``cell_values``) reads and checks a file without touching the database, and ``import_csv``
(here) decides which rows are new and stores them in one transaction. Which column holds what
comes from the header vocabulary (``checkin.people.import_headers``), overridden by the
organiser's choices (the preview's drop-downs, ``checkin import --map "Column=field"``).
Callers import everything from this module.

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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.attendees import insert_many
from checkin.events import load_event
from checkin.people.cell_values import lines_text, shown_delimiter
from checkin.people.csv_file import ImportRefused, detect_delimiter, read_records, read_text
from checkin.people.import_headers import UnknownMapping
from checkin.people.import_layouts import save_choices
from checkin.people.prereg_file import (
    PREVIEW_ROWS,
    ParsedFile,
    PreregRow,
    RowProblem,
    SkippedRow,
    parse_prereg_csv,
)
from checkin.people.row_identity import Key, base_key, exact_key, name_key_of
from checkin.purge import was_purged
from checkin.store import Database
from checkin.store.models import Attendee

__all__ = [
    "PREVIEW_ROWS",
    "ImportRefused",
    "ImportReport",
    "ParsedFile",
    "PreregRow",
    "RowProblem",
    "SkippedRow",
    "UnknownMapping",
    "detect_delimiter",
    "import_csv",
    "lines_text",
    "parse_prereg_csv",
    "read_records",
    "read_text",
]

SOURCE = "import"


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
        read_as = f"[{parsed.encoding}, '{shown_delimiter(parsed.delimiter)}']"
        out = [
            f"{verb} {self.imported} of {parsed.records} rows"
            f" ({len(parsed.problems)} rejected) {read_as}"
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
