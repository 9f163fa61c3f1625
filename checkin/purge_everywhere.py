"""Purging an event everywhere this laptop knows: the event file and every copy the app made.

``checkin.after_event.purge`` clears the event file. This goes on to what the app wrote elsewhere
with the
same names: the automatic backups of this event (the chosen and the default backup folder),
the files beside the event file (``.before-restore``, ``.before-host``, ``.before-upgrade-``,
half-written ``.saving``/``.restoring`` files, logs set aside), the exports and station copies
the app remembers writing (``checkin.written_files``), this laptop's joined copies of the
event, the hosting server's data folder, and the log lines that quote a name. The summary (the
purged event file, the report, anonymous exports) stays.

A joined station's copy carries the retention setting: ``purge_due_copies`` removes each copy
whose day has come, on the station laptop, at launch or with ``checkin purge --due``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from checkin import logfile, paths, written_files
from checkin.after_event.purge import PurgePlan, compact, plan_purge, purge_personal_data
from checkin.after_event.retention import retention_of
from checkin.event.events import load_event
from checkin.hosting.server import HostError, PostgresServer
from checkin.record.purge_mark import was_purged
from checkin.store import Database, file_keys, open_database, wal_owner
from checkin.store.backups import _event_uid, chosen_backup_dir, default_backup_dir, list_backups
from checkin.store.models import Attendee

LOG_COPIES = 3  # checkin.log.1 .. .3 (logfile's rotation)


@dataclass(frozen=True)
class EverywherePlan:
    purge: PurgePlan
    already_purged: bool
    files: tuple[Path, ...]  # removed whole
    server_data: Path | None  # the hosting server's folder, when there is data in it

    def lines(self) -> list[str]:
        lines = (
            []
            if self.already_purged
            else [f"from the event file: {line}" for line in self.purge.lines()]
        )
        lines += [f"file: {path}" for path in self.files]
        if self.server_data is not None:
            lines.append(f"the hosting server's data: {self.server_data}")
        lines.append("log lines that name someone of this event")
        return lines


@dataclass
class EverywhereResult:
    removed: list[str] = field(default_factory=list)  # what went, one line each
    left: list[str] = field(default_factory=list)  # what could not be removed, and why

    def text(self) -> str:
        said = ["Removed:", *[f"  - {line}" for line in self.removed]]
        if self.left:
            said += ["NOT removed:", *[f"  - {line}" for line in self.left]]
        said.append(
            "Kept: the event file without personal data (counts, zip codes, check-ins, tickets,"
            " raffle, audit log), its report and anonymous exports."
        )
        return "\n".join(said)


def personal_values(db: Database) -> set[str]:
    """Every name, phone, email, note and reference in the file: what a log line must not keep."""
    with db.reading() as session:
        rows = session.execute(
            select(
                Attendee.first_name,
                Attendee.last_name,
                Attendee.phone,
                Attendee.email,
                Attendee.notes,
                Attendee.external_ref,
            )
        ).all()
    values = {str(v).strip() for row in rows for v in row if v and len(str(v).strip()) >= 2}
    for first, last, *_ in rows:
        if first and last:
            values.add(f"{first} {last}")
    return values


def _beside(event_file: Path) -> list[Path]:
    """Copies and leftovers the app writes next to the event file (not the file, its live
    -wal/-shm, its log's owner list, which holds numbers only, or the server folder)."""
    name, stem = event_file.name, event_file.stem
    prefixes = (
        f"{name}.",  # .before-host, .before-restore(-wal), .saving
        f".{name}.",  # .restoring
        f"{name}-wal.",  # set aside as stale
        f"{name}-shm.",
        f"{stem}.before-upgrade-",
    )
    try:
        entries = list(event_file.parent.iterdir())
    except OSError:
        return []
    # Its own key file stays: without it the event file opens nowhere (file_keys.py).
    own = (wal_owner.owner_list(event_file), file_keys.key_file(event_file))
    return sorted(
        p for p in entries if p.is_file() and p.name.startswith(prefixes) and p not in own
    )


def _backups(db: Database, name: str, uid: str) -> list[Path]:
    folders = [f for f in (chosen_backup_dir(db), default_backup_dir()) if f is not None]
    found: list[Path] = []
    for folder in dict.fromkeys(folders):
        found += [p for p in list_backups(folder, name) if _event_uid(p) == uid]
    return found


def _joined(uid: str) -> list[Path]:
    folder = paths.data_dir() / "joined"
    try:
        return sorted(p for p in folder.iterdir() if p.name.startswith(uid[:12]))
    except OSError:
        return []


def _with_companions(path: Path) -> list[Path]:
    extras = ("-wal", "-shm", ".partial", file_keys.SUFFIX)
    return [path, *(path.with_name(path.name + extra) for extra in extras)]


def plan_everywhere(db: Database) -> EverywherePlan:
    with db.reading() as session:
        event = load_event(session)
        name, uid, purged = event.name, event.uid, was_purged(session)
    files: list[Path] = []
    if db.path is not None:
        files += _beside(db.path.resolve())
    files += _backups(db, name, uid)
    files += [p for p in written_files.remembered(uid) if p.is_file()]
    files += _joined(uid)
    server = None
    if db.path is not None:
        hosting = PostgresServer(db.path.resolve())
        if hosting.pgdata.exists():  # in the server folder, or the service account's (root)
            server = hosting.cluster
    unique = [p for p in dict.fromkeys(files) if db.path is None or p != db.path.resolve()]
    return EverywherePlan(plan_purge(db), purged, tuple(unique), server)


def purge_everywhere(db: Database, *, station: str = "") -> EverywhereResult:
    """Purge the event file and everything listed by ``plan_everywhere``; says what went."""
    plan = plan_everywhere(db)
    with db.reading() as session:
        uid = load_event(session).uid
    values = personal_values(db)
    result = EverywhereResult()
    if not plan.already_purged:
        done = purge_personal_data(db, plan.purge.phrase, station=station)
        result.removed.append(
            f"Personal data removed from {plan.purge.attendees} attendees"
            + (" and the file compacted" if done.compacted else "")
        )
    else:
        compact(db)  # nothing left to clear; free pages of an older purge are overwritten
    for path in plan.files:
        gone = _remove(path)
        (result.removed if gone else result.left).append(
            f"{path}" if gone else f"{path}: could not be removed"
        )
    if db.path is not None:
        _remove_server_data(db.path.resolve(), result)
    _remove_written_folders(written_files.remembered(uid))
    # What could not be removed (a stick not plugged in) is tried again by the next purge.
    written_files.forget(uid, keep=[p for p in written_files.remembered(uid) if p.exists()])
    lines = scrub_logs(values)
    if lines:
        result.removed.append(f"{lines} log lines that named someone")
    return result


def _remove(path: Path) -> bool:
    ok = True
    for item in _with_companions(path):
        try:
            item.unlink(missing_ok=True)
        except OSError:
            ok = ok and item != path
    return ok and not path.exists()


def _remove_written_folders(written: Iterable[Path]) -> None:
    """An export folder the purge emptied goes too (not the folder of a station copy or a
    PDF: the organiser chose that one)."""
    for folder in {p.parent for p in written if p.suffix == ".csv"}:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty


def _remove_server_data(event_file: Path, result: EverywhereResult) -> None:
    hosting = PostgresServer(event_file)
    folder = hosting.cluster
    if not hosting.folder.is_dir():
        return
    had_data = hosting.pgdata.exists()
    try:
        hosting.discard_data()
    except (HostError, OSError) as exc:
        result.left.append(f"the hosting server's data ({folder}): {exc}")
        return
    if had_data:
        result.removed.append(f"the hosting server's data: {folder}")


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


_WORD = re.compile(r"\w+")


def scrub_logs(values: set[str], folder: Path | None = None) -> int:
    """Remove, in place, every line of the app's log files that holds one of ``values`` (all
    the words of a value in the line: a phone "(816) 555-0101" or "Ana Diaz" anywhere in it).
    Words are looked up, not every value tried on every line: a big event has 100,000 values."""
    by_word: dict[str, list[frozenset[str]]] = {}
    for value in values:
        words = _words(value)
        if words:
            by_word.setdefault(max(words, key=len), []).append(words)  # the rarest
    if not by_word:
        return 0
    base = (folder or paths.data_dir()) / logfile.NAME
    removed = 0
    for path in [base, *(base.with_name(f"{base.name}.{n}") for n in range(1, LOG_COPIES + 1))]:
        try:
            with open(path, "r+b") as handle:
                kept = []
                for line in handle.read().splitlines(keepends=True):
                    words = _words(line.decode("utf-8", "replace"))
                    if any(v <= words for w in words for v in by_word.get(w, ())):
                        removed += 1
                    else:
                        kept.append(line)
                handle.seek(0)
                handle.write(b"".join(kept))
                handle.truncate()
        except OSError:  # not there, or not ours to rewrite
            continue
    return removed


def purge_due_copies(today: date | None = None, folder: Path | None = None) -> list[str]:
    """Remove this laptop's joined copies whose retention day has come; what went."""
    base = (folder or paths.data_dir()) / "joined"
    try:
        copies = sorted(base.glob("*.checkin"))
    except OSError:
        return []
    removed = []
    for path in copies:
        try:
            copy = open_database(path)
        except Exception:  # an unreadable copy is not ours to judge here
            continue
        try:
            with copy.reading() as session:
                due = retention_of(session).due(today)
                uid = load_event(session).uid
            values = personal_values(copy) if due else set()
        finally:
            copy.dispose()
        if not due:
            continue
        _remove(path)
        for written in written_files.remembered(uid):
            _remove(written)
        written_files.forget(uid)
        scrub_logs(values, folder)
        removed.append(f"this station's copy of the event: {path}")
    return removed


def due_event(db: Database, today: date | None = None) -> bool:
    with db.reading() as session:
        return retention_of(session).due(today)
