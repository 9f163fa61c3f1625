"""Backups of the event file: online, verified, rotating, to a folder the organiser picks.

A backup is taken with SQLite's online backup API while stations keep working, written under a
temporary name, checked with ``PRAGMA quick_check`` and only then renamed to
``<event-name>_YYYYMMDD-HHMMSS.checkin``, so a half-written file never looks like a backup. The
oldest backups beyond ``keep`` are deleted. Problems with the folder (a USB stick pulled out,
a read-only or full stick) come back as a result with a clear warning, never as an exception:
the event goes on, and the event file itself is never touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from checkin.paths import data_dir
from checkin.private_files import create_private, private_folder
from checkin.store import Database, cipher, file_keys, has_sqlite_header, wal_owner
from checkin.store.database import file_revision, known_revisions
from checkin.store.models import Event, Setting
from checkin.store.setting_keys import EventSetting
from checkin.store.sqlite_file import copy_pages, set_aside_stale_companions

BACKUP_DIR_SETTING = EventSetting.BACKUP_DIR
KEEP = 10
INTERVAL_MINUTES = 5
SUFFIX = ".checkin"
_STAMP = re.compile(r"_(\d{8}-\d{6})(?:-\d+)?\.checkin$")


class BackupError(Exception):
    """A backup or restore that could not be done; the message is one line for a person."""


# Why a backup failed, for how loudly to say so: a missing or full folder needs someone now.
MISSING, FULL, READ_ONLY, OTHER = "missing", "full", "read_only", "other"


@dataclass(frozen=True)
class BackupResult:
    ok: bool
    at: datetime  # local time of the attempt
    path: Path | None = None  # the new backup
    message: str = ""  # the warning when not ok
    removed: tuple[Path, ...] = ()  # old backups rotated away
    problem: str = ""  # MISSING, FULL, READ_ONLY or OTHER when not ok

    @property
    def urgent(self) -> bool:
        """The folder is gone or full: no backup will be written until someone acts."""
        return not self.ok and self.problem in (MISSING, FULL)


# --- where and what ---------------------------------------------------------------------------


def default_backup_dir() -> Path:
    return data_dir() / "backups"


def chosen_backup_dir(db: Database) -> Path | None:
    """The folder chosen by the organiser (setting ``backup_dir``), if any."""
    with db.reading() as session:
        row = session.get(Setting, BACKUP_DIR_SETTING)
        chosen = row.value if row else ""
    return Path(chosen).expanduser() if chosen else None


def backup_dir(db: Database) -> Path:
    """The folder chosen by the organiser (setting ``backup_dir``), else the default one."""
    return chosen_backup_dir(db) or default_backup_dir()


def _problem(message: str) -> str:
    if "is full" in message:
        return FULL
    if "not there" in message:
        return MISSING
    if "read-only" in message:
        return READ_ONLY
    return OTHER


def slug(name: str) -> str:
    """File-name-safe event name: "Ol' Skool Block Party" -> "Ol-Skool-Block-Party"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")
    return cleaned[:40].rstrip("-") or "event"


def backup_name(event_name: str, moment: datetime) -> str:
    return f"{slug(event_name)}_{moment:%Y%m%d-%H%M%S}{SUFFIX}"


def list_backups(folder: Path, event_name: str | None = None) -> list[Path]:
    """Backups in ``folder`` (of one event when named), oldest first."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    prefix = f"{slug(event_name)}_" if event_name is not None else ""
    found = [p for p in entries if _STAMP.search(p.name) and p.name.startswith(prefix)]
    return sorted(found, key=lambda p: (_STAMP.search(p.name).group(1), p.name))  # type: ignore[union-attr]


def latest_backup(folder: Path, event_name: str | None = None) -> Path | None:
    found = list_backups(folder, event_name)
    return found[-1] if found else None


def _event_name(db: Database) -> str:
    with db.reading() as session:
        name = session.scalar(select(Event.name).order_by(Event.id).limit(1))
    return name or "event"


# --- taking a backup --------------------------------------------------------------------------


def _explain(exc: BaseException, folder: Path) -> str:
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return f"The backup folder is full: {folder}. Free space or choose another folder"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return f"The backup folder is read-only: {folder}. Choose another folder"
        if exc.errno == errno.ENOENT:
            return f"The backup folder is not there (USB stick removed?): {folder}"
        return f"Backup failed: {exc.strerror or exc}: {folder}"
    text = str(exc).lower()
    if "full" in text:
        return f"The backup folder is full: {folder}. Free space or choose another folder"
    if "readonly" in text or "read-only" in text:
        return f"The backup folder is read-only: {folder}. Choose another folder"
    return f"Backup failed: {exc}"


def _copy(db: Database, target: Path) -> None:
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None and db.path is not None
        create_private(target)
        destination = copy_pages(source, db.path, target, target)
        try:
            destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            # A file of its own: the live file's log never belongs to it (wal_owner.py).
            destination.execute(f"PRAGMA user_version = {wal_owner.fresh_token()}")
        finally:
            destination.close()
    finally:
        raw.close()


def check_file(path: Path) -> str:
    """ "ok", or what ``PRAGMA quick_check`` (or opening) found wrong with a SQLite file."""
    try:
        connection = cipher.connect(path, read_only=True)
        try:
            rows = [str(r[0]) for r in connection.execute("PRAGMA quick_check").fetchall()]
        finally:
            connection.close()
    except cipher.UNREADABLE as exc:
        return str(exc)
    return "ok" if rows == ["ok"] else rows[0]


def write_backup(db: Database, target: Path) -> Path:
    """One verified backup at ``target`` (temporary name, check, rename); raises BackupError."""
    if not db.is_sqlite or db.path is None:
        raise BackupError(
            "This event is on a shared server: back it up there (pg_dump), not from a station"
        )
    target = target.expanduser()
    folder = target.parent
    partial = target.with_name(f".{target.name}.partial")
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "No such folder", str(folder))
        remove_stale_partials(folder)  # a killed backup's, earlier
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        _copy(db, partial)
        problem = check_file(partial)
        if problem != "ok":
            raise BackupError(f"The backup did not check out ({problem}); it was not kept")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        file_keys.move_keys(partial, target)
    except BackupError:
        _discard(partial)
        file_keys.drop_keys(partial)
        raise
    except (OSError, cipher.Error) as exc:
        _discard(partial)
        file_keys.drop_keys(partial)
        raise BackupError(_explain(exc, folder)) from exc
    return target


PARTIAL_AGE_S = 60.0  # a backup takes seconds: a partial file older than this was cut off


def remove_stale_partials(folder: Path, pattern: str = ".*.partial") -> list[Path]:
    """Remove the hidden ``.*.partial`` files a killed backup left in ``folder`` (a copy of
    the event's names nobody would find or clean up), with the journal SQLite may have left
    beside one; one being written now is left alone."""
    removed = []
    try:
        candidates = list(folder.glob(pattern))
    except OSError:
        return []
    for path in candidates:
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > PARTIAL_AGE_S:
                path.unlink()
                removed.append(path)
                _discard(Path(f"{path}-journal"))
                file_keys.drop_keys(path)
    return removed


def clean_after_killed_copies(db: Database) -> list[Path]:
    """At every open of the event: remove what a killed backup (or upgrade copy) left, a
    half-written copy of the event's names nobody would find: hidden ``.*.partial`` files in
    its backup folders, and ``<event>.before-upgrade-*.partial`` beside it. Files younger than
    PARTIAL_AGE_S are left: another window may be writing that backup right now."""
    if not db.is_sqlite or db.path is None:
        return []
    folders = [default_backup_dir(), db.path.parent]
    with contextlib.suppress(Exception):  # a damaged settings row must not stop the open
        chosen = chosen_backup_dir(db)
        if chosen is not None:
            folders.insert(0, chosen)
    removed: list[Path] = []
    for folder in dict.fromkeys(folders):
        removed += remove_stale_partials(folder)
    removed += remove_stale_partials(db.path.parent, f"{db.path.stem}.before-upgrade-*.partial")
    return removed


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def backup_now(
    db: Database,
    folder: Path | None = None,
    *,
    keep: int = KEEP,
    now: datetime | None = None,
) -> BackupResult:
    """A rotating backup into ``folder`` (default: the event's backup folder). Never raises."""
    moment = now or datetime.now()
    try:
        where = folder if folder is not None else chosen_backup_dir(db)
        if where is None:
            # The default folder is ours to create; a chosen one (a USB stick) is not: its
            # absence means the stick was pulled out.
            where = default_backup_dir()
            with contextlib.suppress(OSError):
                private_folder(where)  # 0700, like every folder the app makes
        name = _event_name(db)
        target = where / backup_name(name, moment)
        serial = 2
        while target.exists():  # two backups within one second
            target = where / f"{slug(name)}_{moment:%Y%m%d-%H%M%S}-{serial}{SUFFIX}"
            serial += 1
        write_backup(db, target)
    except BackupError as exc:
        return BackupResult(False, moment, message=str(exc), problem=_problem(str(exc)))
    except Exception as exc:  # the backup must never stop the event
        return BackupResult(False, moment, message=f"Backup failed: {exc}", problem=OTHER)
    removed = []
    existing = list_backups(where, name)
    for old in existing[: max(0, len(existing) - max(1, keep))]:
        with contextlib.suppress(OSError):
            old.unlink()
            removed.append(old)
            file_keys.drop_keys(old)
    return BackupResult(True, moment, path=target, removed=tuple(removed))


# --- restoring --------------------------------------------------------------------------------


def _event_uid(path: Path) -> str | None:
    try:
        connection = cipher.connect(path, read_only=True)
        try:
            row = connection.execute("SELECT uid FROM events ORDER BY id LIMIT 1").fetchone()
        finally:
            connection.close()
    except cipher.UNREADABLE:
        return None
    return str(row[0]) if row else None


@dataclass(frozen=True)
class Restored:
    kept: Path | None  # the file that was there, as ``<name>.before-restore``; None: there was none
    set_aside: tuple[Path, ...]  # a -wal/-shm that was not the file's own, moved aside


def restore(event_file: Path, backup: Path) -> Path | None:
    """``restore_file``, answering only where the previous file is kept."""
    return restore_file(event_file, backup).kept


def restore_file(event_file: Path, backup: Path) -> Restored:
    """Put ``backup`` in place of ``event_file``; the current file is kept aside as
    ``<name>.before-restore`` with its own -wal/-shm. A -wal/-shm at the path that is not the
    file's own (the file is gone, or its log was written for another file: wal_owner.py) is
    moved aside as ``-wal.stale-<time>``, never applied. Close the event file everywhere
    first. Raises BackupError with a clear message."""
    event_file, backup = event_file.expanduser().resolve(), backup.expanduser().resolve()
    if not backup.is_file():
        raise BackupError(f"No backup at {backup}")
    if backup == event_file:
        raise BackupError("That is the event file itself: choose a backup")
    if not _looks_like_sqlite(backup):
        raise BackupError(f"{backup.name} is not a checkin event backup")
    if event_file.exists() and not event_file.is_file():
        raise BackupError(f"{event_file} is a folder, not an event file: nothing was restored")
    if event_file.exists() and event_file.stat().st_size and not _looks_like_sqlite(event_file):
        # A damaged event file keeps SQLite's header; anything else is someone's other file.
        raise BackupError(f"{event_file.name} is not an event file: nothing was restored")
    problem = check_file(backup)
    if problem != "ok":
        raise BackupError(f"{backup.name} is damaged ({problem}); choose another backup")
    wanted = _event_uid(backup)
    if wanted is None:
        raise BackupError(f"{backup.name} is not a checkin event backup")
    if _newer_version(backup):
        raise BackupError(
            f"{backup.name} was made by a newer version of checkin: update the app first;"
            " nothing was restored"
        )
    stale: list[Path] = []
    try:
        # Before anything reads the file: read with a log written for another file, it would
        # take that log's pages for its own.
        stale += set_aside_stale_companions(event_file)
        stale += wal_owner.set_aside_foreign_log(event_file)
    except OSError as exc:
        raise BackupError(_explain(exc, event_file.parent)) from exc
    if event_file.exists():
        current = _event_uid(event_file)
        if current is not None and current != wanted:
            raise BackupError(
                f"{backup.name} is a backup of a different event; it was not restored"
                + _said(stale)
            )
    if not event_file.parent.is_dir():
        raise BackupError(f"Folder does not exist: {event_file.parent}")
    aside = event_file.with_name(event_file.name + ".before-restore")
    staged = event_file.with_name(f".{event_file.name}.restoring")
    had_file = False
    try:
        create_private(staged)
        shutil.copyfile(backup, staged)  # into the private file made above
        had_file = event_file.exists() and event_file.stat().st_size > 0
        if had_file:
            _checkpoint(event_file)  # its own log (a foreign one was set aside above)
            os.replace(event_file, aside)
            file_keys.move_keys(event_file, aside)  # its key file goes with it
            create_private(aside)  # an older version's file may have been 0644
        # Whatever log is still at the path goes with the file it belongs to (or, without
        # one, aside): left behind, SQLite would apply it to the restored file.
        for extra in ("-wal", "-shm"):
            companion = Path(str(event_file) + extra)
            if companion.exists():
                if had_file:
                    os.replace(companion, Path(str(aside) + extra))
                    create_private(Path(str(aside) + extra))
                else:
                    stale += wal_owner.move_log_aside(event_file)
        os.replace(staged, event_file)
        if cipher.is_encrypted(event_file):
            file_keys.copy_keys(backup, event_file)
    except (OSError, file_keys.KeyNeeded) as exc:
        _discard(staged)
        raise BackupError(_explain(exc, event_file.parent)) from exc
    return Restored(aside if had_file else None, tuple(stale))


def _said(stale: list[Path]) -> str:
    return "".join(f"; a -wal/-shm that was not the file's own was moved aside: {p}" for p in stale)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file (best effort: a damaged file may refuse)."""
    with contextlib.suppress(*cipher.UNREADABLE):
        connection = cipher.connect(path)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()


# --- a damaged file ---------------------------------------------------------------------------


def _peek(path: Path, query: str) -> str:
    """One value read straight from a (possibly damaged) file; "" when it cannot be read."""
    try:
        connection = cipher.connect(path, read_only=True)
        try:
            row = connection.execute(query).fetchone()
        finally:
            connection.close()
    except cipher.UNREADABLE:
        return ""
    return str(row[0]) if row else ""


def latest_backup_of(path: Path) -> Path | None:
    """The newest backup of the event in ``path`` (read without opening it as an event: it may
    be damaged), in its chosen backup folder or the default one."""
    folders = []
    chosen = _peek(path, f"SELECT value FROM settings WHERE key = '{BACKUP_DIR_SETTING}'")
    if chosen:
        folders.append(Path(chosen).expanduser())
    folders.append(default_backup_dir())
    event_name = _peek(path, "SELECT name FROM events ORDER BY id LIMIT 1") or None
    uid = _peek(path, "SELECT uid FROM events ORDER BY id LIMIT 1") or None
    for folder in folders:
        found = list_backups(folder, event_name) or (
            list_backups(folder) if event_name is None else []
        )
        for candidate in reversed(found):
            # Only a backup of this event (by uid): another event of the same name is no
            # backup of it, and restore would refuse it. A file whose uid cannot be read names
            # the newest backup of its name, as before.
            if uid is None or _event_uid(candidate) == uid:
                return candidate
    return None


def damaged_file_message(path: Path, problem: str) -> str:
    """The line shown when a damaged event file is refused, naming the latest backup."""
    latest = latest_backup_of(path)
    where = (
        f"restore the latest backup: {latest}"
        if latest
        else "restore your latest backup (none was found in the backup folder)"
    )
    return f"{path.name} is damaged ({problem.strip()[:120]}): it was not opened; {where}"


__all__ = [
    "BACKUP_DIR_SETTING",
    "INTERVAL_MINUTES",
    "KEEP",
    "BackupError",
    "BackupResult",
    "backup_dir",
    "backup_name",
    "backup_now",
    "check_file",
    "chosen_backup_dir",
    "damaged_file_message",
    "default_backup_dir",
    "latest_backup",
    "latest_backup_of",
    "list_backups",
    "restore",
    "write_backup",
]


def _newer_version(path: Path) -> bool:
    try:
        _tables, revision = file_revision(path)
    except cipher.UNREADABLE:
        return False  # the checks above found it readable; a failure here is not "newer"
    return revision is not None and revision not in known_revisions()


def _looks_like_sqlite(path: Path) -> bool:
    try:
        return has_sqlite_header(path)
    except OSError:
        return False
