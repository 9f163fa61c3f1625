"""An event file as SQLite sees it: the header check, the quick check, the online copy.

One home for these primitives, used by opening (checkin/store/database.py) and by backups and
restores (checkin/store/backups.py), so neither imports the other for them.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from checkin.private_files import create_private
from checkin.store import cipher, file_keys, held_files
from checkin.store.wal_owner import fresh_token, move_log_aside

_DAMAGE = ("malformed", "not a database", "corrupt")


def has_sqlite_header(path: Path) -> bool:
    """Whether the file starts as a SQLite database does (a damaged event file still does);
    raises OSError when it cannot be read. Read through the process's held descriptor when
    the file is open here (held_files.py)."""
    return held_files.read(path, 16) == cipher.MAGIC


def quick_check(engine: Engine) -> str | None:
    """The first problem ``PRAGMA quick_check`` finds, or None for a sound file (it reads every
    page: 0.15 s for a 50,000-household, 130 MB file)."""
    try:
        with engine.connect() as connection:
            rows = [str(r[0]) for r in connection.exec_driver_sql("PRAGMA quick_check").all()]
    except DBAPIError as exc:
        problem = str(exc.orig)
        if not any(word in problem.lower() for word in _DAMAGE):
            raise
        return problem
    return None if rows == ["ok"] else rows[0]


def online_copy(engine: Engine, target: Path) -> None:
    """A consistent copy of a live SQLite file (online backup API), written then renamed."""
    partial = target.with_name(target.name + ".partial")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None
        create_private(partial)
        destination = copy_pages(source, Path(str(engine.url.database)), partial, target)
        try:
            # A file of its own: the live file's log never belongs to it (wal_owner.py).
            destination.execute(f"PRAGMA user_version = {fresh_token()}")
        finally:
            destination.close()
    finally:
        raw.close()
    shutil.move(partial, target)


def copy_pages(origin: Any, source: Path, partial: Path, target: Path) -> sqlite3.Connection:
    """Copy the file ``source``, open on ``origin``, into ``partial`` (about to become
    ``target``), and return a connection to the copy. Keyed as the source is, the key file
    written for ``target`` first (SQLite's backup API); a plain source (a file from before
    files were encrypted, not encrypted yet) is copied encrypted all the same, under a new key:
    the app makes no new plain copies (checkin/store/cipher.py)."""
    key = cipher.key_for(source)
    if key is None:
        key = file_keys.new_key(target)
        cipher.export_encrypted(origin, partial, key)
        return cipher.connect(partial, key=key, find_key=False)
    file_keys.copy_keys(source, target)
    destination = cipher.connect(partial, key=key, find_key=False)
    try:
        origin.backup(destination)
    except BaseException:
        destination.close()
        raise
    return destination


def copy_file(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file ``source`` at ``target`` (backup API), keyed and
    with a key file as the source is."""
    with contextlib.closing(cipher.connect(source, isolation_level=None)) as origin:
        create_private(target)
        copy_pages(origin, source, target, target).close()


def set_aside_stale_companions(path: Path) -> list[Path]:
    """A ``-wal`` or ``-shm`` beside an event file that is gone (deleted, moved away, or about
    to be created or restored) belongs to no file here: SQLite would apply that log to the next
    file at this path and damage it. Each is renamed ``<name>-wal.stale-<time>``; the new
    names are returned for the caller to say."""
    if path.exists() and path.stat().st_size:
        return []
    return move_log_aside(path)
