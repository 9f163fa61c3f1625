"""The record compared with copies made earlier: backups, station copies, the printed report.

A chain that was cut at its end, or edited and rehashed from some entry on, is consistent in
itself: only a copy made before proves otherwise. Each copy vouches for a prefix of the chain
(its first N entries, ending in a known hash), and the event file must still hold that prefix:

- a backup, or any copy of the same file: its whole chain;
- a station copy, seen from another file of the event: its chain before its own
  ``station_copy_created`` entry, the part it shares with the organiser's file (when the file
  checked is itself a station copy, only the part before its own entry is shared with others);
- the report: the event record's head it prints (hash and entry count, counted as
  ``checkin.after_event.summary.record_head`` counts them, so without the after-event purge).

Copies are only read: opened read-only, never switched to another journal mode, and a
checkpointed WAL file is opened as immutable so that no -wal or -shm file appears beside it.
"""

from __future__ import annotations

import base64
import contextlib
import html
import re
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Engine, Table, create_engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from checkin.after_event.summary import AFTER_EVENT_ACTIONS
from checkin.stations.station_copy import FILE_UID, STATION_OF
from checkin.store import Database, backups, cipher, file_keys, has_sqlite_header
from checkin.store.models import AuditEntry, Event, Setting
from checkin.timefmt import local

BACKUP, STATION_COPY, REPORT = "backup", "station copy", "report"
REPORT_SUFFIXES = (".pdf", ".html", ".htm")
_AUDIT = cast("Table", AuditEntry.__table__)
_BACKUP_STAMP = re.compile(r"_(\d{8}-\d{6})(?:-(\d+))?\.checkin$")
_CHUNK = 5000  # entries compared one by one when looking for the first that differs
# As checkin/after_event/report/content.py prints the event record's head.
_REPORT_ENTRIES = re.compile(r"Audit record: ([\d,]+) entries")
_REPORT_HEAD = re.compile(r"Head hash: ([0-9a-f]{64}|-)")


@dataclass(frozen=True)
class CopyCheck:
    """One copy compared with the event file: what it vouches for, and what disagrees."""

    path: Path
    kind: str  # BACKUP, STATION_COPY or REPORT
    head_hash: str  # the hash of the last entry it vouches for ("" when it vouches for none)
    entries: int  # how many entries it vouches for
    made: datetime | None  # local time, when known
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def label(self) -> str:
        """ "backup 2026-12-01 14:05 (path)"."""
        when = f" {self.made:%Y-%m-%d %H:%M}" if self.made else ""
        return f"{self.kind}{when} ({self.path})"

    def lines(self) -> list[str]:
        """What `checkin verify` prints for this copy."""
        if self.problems:
            return list(self.problems)
        return [f"{self.label}: OK, {self.entries:,} entries"]


@dataclass(frozen=True)
class _Facts:
    """What one event file says about its record."""

    event_uid: str
    event_name: str
    station_of: str  # the organiser's file uid, for a station copy
    file_uid: str
    entries: int
    trunk: int | None  # station copy: entries before its own station_copy_created entry
    created_at: datetime | None  # station copy: that entry's time (stored UTC)

    @property
    def line(self) -> str:
        """Which file's history this is: a backup shares it with its file, copies do not."""
        if not self.station_of:
            return "organiser"
        return self.file_uid or f"station of {self.station_of}"


class _Refused(Exception):
    """A copy that cannot be compared; the message is its problem line."""


# --- comparing --------------------------------------------------------------------------------


def compare_with_copy(db: Database, copy: Path) -> CopyCheck:
    """Whether the record of ``db`` still holds what ``copy`` (an event file or the report)
    vouches for. Never raises for a bad copy: its problem line says why it was not compared."""
    copy = Path(copy).expanduser()
    kind = REPORT if copy.suffix.lower() in REPORT_SUFFIXES else BACKUP
    try:
        if not copy.is_file():
            raise _Refused(f"no file at {copy}: not compared")
        try:
            sqlite = has_sqlite_header(copy)
        except OSError as exc:
            raise _Refused(f"{copy} could not be read ({exc.strerror}): not compared") from exc
        if sqlite:
            return _compare_event_file(db, copy)
        return _compare_report(db, copy)
    except _Refused as refused:
        return CopyCheck(copy, kind, "", 0, None, (str(refused),))
    except DBAPIError as exc:  # a damaged copy (or event file): verify goes on with the rest
        return CopyCheck(copy, kind, "", 0, None, (f"{copy}: the comparison failed ({exc.orig})",))


def _compare_event_file(db: Database, path: Path) -> CopyCheck:
    with db.reading() as session:
        here_connection = session.connection()
        here = _facts(here_connection)
        engine = _read_only_engine(path)
        try:
            with engine.connect() as there_connection:
                there = _copy_facts(there_connection, path)
                if not there.event_uid:
                    raise _Refused(f"{path} has no event in it: not compared")
                if there.event_uid != here.event_uid:
                    names = (
                        f"also named {there.event_name!r}"
                        if there.event_name == here.event_name
                        else f"{there.event_name!r}, not {here.event_name!r}"
                    )
                    raise _Refused(f"{path} is a file of another event ({names}): not compared")
                foreign = there.line != here.line
                kind = STATION_COPY if foreign and there.station_of else BACKUP
                made = _backup_time(path)
                if kind == STATION_COPY and there.created_at is not None:
                    made = local(there.created_at).replace(tzinfo=None)
                vouched = _vouched(there, here)
                head = _hash_at(there_connection, vouched)
                check = CopyCheck(path, kind, head, vouched, made, ())
                problems = _compare_prefix(here_connection, there_connection, here, check)
                return replace(check, problems=problems)
        finally:
            engine.dispose()


def _vouched(there: _Facts, here: _Facts) -> int:
    """How many of its first entries the copy ``there`` vouches for to the file ``here``."""
    if there.line == here.line:
        return there.entries  # a backup of this very file
    shared = there.trunk if there.station_of and there.trunk is not None else there.entries
    if here.station_of and here.trunk is not None:
        # This file is a station copy: past its own first entry it went its own way.
        shared = min(shared, here.trunk)
    return shared


def _compare_prefix(
    here_connection: Connection, there_connection: Connection, here: _Facts, check: CopyCheck
) -> tuple[str, ...]:
    if check.entries == 0:
        return ()
    # Each hash covers every entry before it: one look at the last position settles a match.
    if _hash_at(here_connection, check.entries) == check.head_hash:
        return ()
    differs = _first_difference(here_connection, there_connection, check.entries)
    name = _copy_name(check)
    if differs is not None:
        counts = (
            f"; {check.entries:,} entries there, {here.entries:,} here"
            if here.entries < check.entries
            else ""
        )
        return (
            f"the record differs from {name} from entry {differs} on: entries were changed"
            f" and the chain rebuilt{counts}",
        )
    return (
        f"the record is shorter than {name}: {check.entries:,} entries there,"
        f" {here.entries:,} here: entries were removed",
    )


def _first_difference(here: Connection, there: Connection, entries: int) -> int | None:
    """The id (in this file) of the first of the first ``entries`` entries whose hash is not
    the copy's, or None when this file's entries all match but there are fewer of them.

    The hash chain makes the answer a bisection: where the hashes at one position match, all
    before it match too. Halve down to _CHUNK entries, then compare those one by one (reading
    every hash of 200,000 entries took 3.3 s a copy; this takes a few tenths)."""
    matches, differs = 0, entries  # positions (from 1): the first matches, the second not
    while differs - matches > _CHUNK:
        middle = (matches + differs) // 2
        if _hash_at(here, middle) == _hash_at(there, middle):
            matches = middle
        else:
            differs = middle
    size = differs - matches
    for (entry_id, mine), (_, theirs) in zip(
        _window(here, matches, size), _window(there, matches, size), strict=False
    ):
        if mine != theirs:
            return entry_id
    return None


def _copy_name(check: CopyCheck) -> str:
    if check.made is not None:
        return f"the {check.kind} made {check.made:%Y-%m-%d %H:%M} (file {check.path})"
    return f"the {check.kind} (file {check.path})"


# --- the report -------------------------------------------------------------------------------


def _compare_report(db: Database, path: Path) -> CopyCheck:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Refused(f"{path} could not be read ({exc.strerror}): not compared") from exc
    if data.startswith(b"%PDF"):
        text = _pdf_text(data)
        unreadable = (
            f"{path}: no event record head found in this PDF (a report printed again by another"
            " program cannot be read: compare with the report's HTML file): not compared"
        )
    else:
        text = html.unescape(re.sub(r"<[^>]+>", "\n", data.decode("utf-8", "replace")))
        unreadable = f"{path} is neither an event file nor a checkin report: not compared"
    # The record section comes last: its lines, not a look-alike in an event or prize name.
    entries_found, head_found = _REPORT_ENTRIES.findall(text), _REPORT_HEAD.findall(text)
    if not entries_found or not head_found:
        raise _Refused(unreadable)
    entries = int(entries_found[-1].replace(",", ""))
    head = "" if head_found[-1] == "-" else head_found[-1]
    check = CopyCheck(path, REPORT, head, entries, None, ())
    with db.reading() as session:
        connection = session.connection()
        event_entries = _count(connection, event_only=True)
        here = _hash_at(connection, entries, event_only=True) if entries else ""
    name = _copy_name(check)
    if event_entries < entries:
        problem = (
            f"the record is shorter than {name}: {entries:,} entries of the event there,"
            f" {event_entries:,} here: entries were removed"
        )
    elif here != head:
        problem = (
            f"the record differs from {name}: its head after {entries:,} entries of the event"
            " is not the one printed there: entries were changed and the chain rebuilt"
        )
    else:
        return check
    return CopyCheck(path, REPORT, head, entries, None, (problem,))


def _pdf_text(data: bytes) -> str:
    """The text strings of a PDF written by checkin's report (reportlab): its page streams are
    ASCII85 and Flate encoded, and the record lines are plain literal strings. Enough for the
    head and count; no general PDF reader."""
    parts: list[str] = []
    for found in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", data, re.S):
        start = found.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        # The match may begin in an earlier object without a stream: keep this one's dictionary.
        stream, header = data[start:end].strip(), found.group(1).rsplit(b" obj", 1)[-1]
        with contextlib.suppress(ValueError, zlib.error):
            if b"/ASCII85Decode" in header:
                stream = base64.a85decode(stream.removeprefix(b"<~").removesuffix(b"~>"))
            if b"/FlateDecode" in header:
                stream = zlib.decompress(stream)
            parts.extend(_literal_strings(stream))
    return "\n".join(parts)


_ESCAPES = {b"n": "\n", b"r": "\r", b"t": "\t", b"b": "\b", b"f": "\f"}


def _literal_strings(stream: bytes) -> Iterator[str]:
    """The (...) strings of a content stream, unescaped (PDF literal string syntax)."""
    index, size = 0, len(stream)
    while (index := stream.find(b"(", index)) >= 0:
        depth, index, out = 1, index + 1, bytearray()
        while index < size and depth:
            char = stream[index : index + 1]
            if char == b"\\":
                following = stream[index + 1 : index + 2]
                octal = re.match(rb"[0-7]{1,3}", stream[index + 1 : index + 4])
                if octal:
                    out.append(int(octal.group(0), 8) & 0xFF)
                    index += 1 + len(octal.group(0))
                    continue
                if following in _ESCAPES:
                    out += _ESCAPES[following].encode()
                elif following not in (b"\n", b"\r"):
                    out += following
                index += 2
                continue
            if char == b"(":
                depth += 1
            elif char == b")":
                depth -= 1
                if not depth:
                    break
            out += char
            index += 1
        yield out.decode("latin-1")
        index += 1


# --- the automatic backups --------------------------------------------------------------------


def automatic_copies(db: Database) -> list[Path]:
    """The backups of this event (the same event uid, whatever its name was then) in its chosen
    backup folder and the default one, newest first."""
    try:
        with db.reading() as session:
            uid = session.scalar(select(Event.uid).order_by(Event.id).limit(1)) or ""
        folders = [backups.chosen_backup_dir(db), backups.default_backup_dir()]
    except DBAPIError:  # too damaged to say which event it is: verify reports the damage
        return []
    own = db.path.resolve() if db.path is not None else None
    seen: set[Path] = set()
    found: list[Path] = []
    for folder in folders:
        if folder is None:
            continue
        for path in backups.list_backups(folder):
            resolved = path.resolve()
            if resolved in seen or resolved == own:
                continue
            seen.add(resolved)
            if _event_uid(path) == uid:
                found.append(path)
    return sorted(found, key=_backup_order, reverse=True)


def _backup_order(path: Path) -> tuple[str, int, str]:
    stamp = _BACKUP_STAMP.search(path.name)
    if stamp is None:
        return ("", 0, path.name)
    return (stamp.group(1), int(stamp.group(2) or 1), path.name)


def _backup_time(path: Path) -> datetime | None:
    """When a backup was taken, from its name (local time), if it has a backup's name."""
    stamp = _BACKUP_STAMP.search(path.name)
    if stamp is None:
        return None
    try:
        return datetime.strptime(stamp.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def _event_uid(path: Path) -> str | None:
    try:
        engine = _read_only_engine(path)
    except _Refused:
        return None
    try:
        with engine.connect() as connection:
            return connection.scalar(select(Event.uid).order_by(Event.id).limit(1))
    except DBAPIError:
        return None
    finally:
        engine.dispose()


# --- reading a file ---------------------------------------------------------------------------


def _read_only_engine(path: Path) -> Engine:
    """An engine on ``path`` that cannot change it. A WAL file without its -wal file is whole
    (checkpointed): opened as immutable, SQLite leaves no -wal or -shm file beside it, which a
    read-only open of a WAL file would."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError as exc:
        raise _Refused(f"{path} could not be read ({exc.strerror}): not compared") from exc
    immutable = header[18:20] == b"\x02\x02" and not Path(f"{path}-wal").exists()
    try:
        key = cipher.key_for(path)
    except file_keys.KeyNeeded as exc:
        raise _Refused(f"{path.name}: {exc}: not compared") from exc

    def connect() -> sqlite3.Connection:
        return cipher.connect(path, key=key, find_key=False, read_only=True, immutable=immutable)

    return create_engine("sqlite://", module=cipher.driver, creator=connect, poolclass=NullPool)


def _copy_facts(connection: Connection, path: Path) -> _Facts:
    tables = set(
        connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars()
    )
    if not {"events", "audit", "settings"} <= tables:
        raise _Refused(f"{path} is neither an event file nor a checkin report: not compared")
    return _facts(connection)


def _facts(connection: Connection) -> _Facts:
    event = connection.execute(select(Event.uid, Event.name).order_by(Event.id).limit(1)).first()
    rows = connection.execute(
        select(Setting.key, Setting.value).where(Setting.key.in_((STATION_OF, FILE_UID)))
    )
    settings = {key: value for key, value in rows}
    station_of, file_uid = settings.get(STATION_OF, ""), settings.get(FILE_UID, "")
    trunk: int | None = None
    created_at: datetime | None = None
    if station_of:
        own = connection.execute(
            select(_AUDIT.c.id, _AUDIT.c.at)
            .where(_AUDIT.c.action == "station_copy_created", _AUDIT.c.subject == file_uid)
            .order_by(_AUDIT.c.id)
            .limit(1)
        ).first()
        if own is not None:
            trunk = connection.scalar(select(func.count()).where(_AUDIT.c.id < own.id)) or 0
            created_at = own.at
    return _Facts(
        event_uid=event.uid if event else "",
        event_name=event.name if event else "",
        station_of=station_of,
        file_uid=file_uid,
        entries=_count(connection),
        trunk=trunk,
        created_at=created_at,
    )


def _count(connection: Connection, *, event_only: bool = False) -> int:
    query = select(func.count()).select_from(_AUDIT)
    if event_only:
        query = query.where(_AUDIT.c.action.not_in(AFTER_EVENT_ACTIONS))
    return connection.scalar(query) or 0


def _hash_at(connection: Connection, position: int, *, event_only: bool = False) -> str:
    """The hash of the ``position``-th entry (from 1), "" when there is none."""
    if position < 1:
        return ""
    query = select(_AUDIT.c.hash).order_by(_AUDIT.c.id).offset(position - 1).limit(1)
    if event_only:  # counted as record_head counts: the after-event purge left out
        query = query.where(_AUDIT.c.action.not_in(AFTER_EVENT_ACTIONS))
    return connection.scalar(query) or ""


def _window(connection: Connection, start: int, size: int) -> list[tuple[int, str]]:
    """(id, hash) of ``size`` entries from position ``start`` (from 0) on."""
    rows = connection.execute(
        select(_AUDIT.c.id, _AUDIT.c.hash).order_by(_AUDIT.c.id).offset(start).limit(size)
    )
    return [(int(entry_id), str(hash_)) for entry_id, hash_ in rows]


__all__ = ["BACKUP", "REPORT", "STATION_COPY", "CopyCheck", "automatic_copies", "compare_with_copy"]
