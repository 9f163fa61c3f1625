"""A plain event file (made before files were encrypted) encrypted in place when it is opened.

The file is copied, page by page, into a new encrypted file beside it with a new data key; the
copy is checked (SQLite's quick check, the same event); the plain file steps aside as
``<name>.before-encrypt``, the encrypted one takes its name, is opened and checked again, and
only then is the plain file removed. A failure at any step leaves the plain file in place, as it
was, and the open goes on with it (said in the log): nothing is lost for want of encryption.

It is not done while another program has the file open (it could go on writing to the plain
file after the switch): another process's connection holds a shared lock on the -shm file,
looked for first, and the copy holds SQLite's exclusive lock; a plain file that stays so
is tried again at the next open. The laptop that encrypts it is authorised (file_keys.py); the
organiser passphrase is added to the key file at its next check (checkin/access/unlocking.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

from checkin.private_files import create_private
from checkin.store import cipher, file_keys, held_files

log = logging.getLogger(__name__)
BEFORE = ".before-encrypt"


def _uid(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT uid FROM events ORDER BY id LIMIT 1").fetchone()
    return str(row[0]) if row else None


def _sound(path: Path, key: bytes, uid: str | None) -> bool:
    with contextlib.closing(cipher.connect(path, key=key, find_key=False)) as connection:
        rows = [str(r[0]) for r in connection.execute("PRAGMA quick_check").fetchall()]
        return rows == ["ok"] and _uid(connection) == uid


def _remove(path: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{extra}").unlink()


_DMS = 128  # the -shm byte every connection to a WAL file holds a shared lock on while open


def _open_elsewhere(path: Path) -> bool:
    """Whether another process has the WAL file ``path`` open: its connections hold a shared
    lock on the -shm's DMS byte (SQLite's exclusive locks would not show an idle reader).
    Windows needs no look: a file open elsewhere cannot be renamed there."""
    shm = Path(f"{path}-shm")
    if os.name != "posix" or not shm.exists():
        return False
    import fcntl

    with open(shm, "r+b") as handle:  # this process holds no lock on it (is_held: checked)
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _DMS)
        except OSError:
            return True
        fcntl.lockf(handle.fileno(), fcntl.LOCK_UN, 1, _DMS)
    return False


def encrypt_in_place(path: Path) -> bool:
    """Encrypt the plain SQLite event file ``path``; False (and the file untouched) when it
    cannot be done now."""
    if cipher.is_encrypted(path) or held_files.is_held(path):
        return False
    if _open_elsewhere(path):
        log.warning("%s stays plain for now: it is open in another program", path.name)
        return False
    staged = path.with_name(f".{path.name}.encrypting")
    before = path.with_name(path.name + BEFORE)
    key = file_keys.new_key(staged)
    try:
        source = cipher.connect(path, find_key=False, isolation_level=None, timeout=0)
        try:
            source.execute("PRAGMA locking_mode = EXCLUSIVE")
            # Leaving WAL needs the file to itself: another program that merely has it open
            # (no transaction) makes this fail at once, where BEGIN EXCLUSIVE would not.
            mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise OSError(f"{path.name} is open in another program")
            source.execute("BEGIN EXCLUSIVE")
            uid = _uid(source)
            source.execute("COMMIT")  # the exclusive lock stays (locking_mode)
            _remove(staged)
            create_private(staged)
            cipher.export_encrypted(source, staged, key)
        finally:
            source.close()
        if not _sound(staged, key, uid):
            raise OSError(f"the encrypted copy of {path.name} did not check out")
    except (OSError, sqlite3.Error, cipher.Error) as exc:
        log.warning("%s stays plain for now: %s", path.name, exc)
        _remove(staged)
        file_keys.drop_keys(staged)
        return False
    try:
        os.replace(path, before)  # Windows: refused while another program has it open
    except OSError as exc:
        log.warning("%s stays plain for now: %s", path.name, exc)
        _remove(staged)
        file_keys.drop_keys(staged)
        return False
    for extra in ("-wal", "-shm"):  # empty after the checkpoint; they go with the plain file
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{extra}", f"{before}{extra}")
    file_keys.move_keys(staged, path)
    os.replace(staged, path)
    try:
        ok = _sound(path, key, uid)
    except cipher.ERRORS:
        ok = False
    if not ok:  # put the plain file back, as it was
        os.replace(before, path)
        file_keys.drop_keys(path)
        log.warning("%s stays plain for now: the encrypted file did not open", path.name)
        return False
    _remove(before)
    return True
