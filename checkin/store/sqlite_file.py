"""An event file as SQLite sees it: the header check, the quick check, the online copy.

One home for these primitives, used by opening (checkin/store/database.py) and by backups and
restores (checkin/store/backups.py), so neither imports the other for them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from checkin.private_files import create_private
from checkin.store import cipher, file_keys, held_files
from checkin.store.wal_owner import fresh_token

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
        destination = copy_destination(Path(str(engine.url.database)), partial, target)
        try:
            source.backup(destination)
            # A file of its own: the live file's log never belongs to it (wal_owner.py).
            destination.execute(f"PRAGMA user_version = {fresh_token()}")
        finally:
            destination.close()
    finally:
        raw.close()
    shutil.move(partial, target)


def copy_destination(source: Path, partial: Path, target: Path) -> sqlite3.Connection:
    """A connection to ``partial``, about to become ``target``, a copy of ``source`` made with
    SQLite's backup API: keyed as the source is, the key file written for ``target`` first (a
    copy is never plainer than its source: checkin/store/cipher.py)."""
    key = cipher.key_for(source)
    if key is not None:
        file_keys.copy_keys(source, target)
    return cipher.connect(partial, key=key, find_key=False)


def copy_file(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file ``source`` at ``target`` (backup API), keyed and
    with a key file as the source is."""
    with contextlib.closing(cipher.connect(source)) as origin:
        create_private(target)
        with contextlib.closing(copy_destination(source, target, target)) as destination:
            origin.backup(destination)


def set_aside_stale_companions(path: Path) -> list[Path]:
    """A ``-wal`` or ``-shm`` beside an event file that is gone (deleted, moved away, or about
    to be created or restored) belongs to no file here: SQLite would apply that log to the next
    file at this path and damage it. Each is renamed ``<name>-wal.stale-<time>``; the new
    names are returned for the caller to say."""
    if path.exists() and path.stat().st_size:
        return []
    moved = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for extra in ("-wal", "-shm"):
        companion = Path(f"{path}{extra}")
        if companion.exists():
            aside = Path(f"{companion}.stale-{stamp}")
            os.replace(companion, aside)
            moved.append(aside)
    return moved
