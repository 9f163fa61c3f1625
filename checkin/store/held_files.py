"""One descriptor per event file for the whole process, closed by its last user.

Closing *any* descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included. Another process's SQLite (a `checkin` command run while the app is open) then finds
the file unused, checkpoints it and deletes its ``-wal`` while this process keeps writing
into the deleted log: check-ins shown on screen, gone at the next crash. So whatever reads an
event file's bytes beside SQLite (its header token, the file check before each commit) reads
through the descriptor held here, opened by the first user in the process and closed by the
last one, after its connections are closed.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

Key = tuple[int, int]  # (device, inode): the file, whatever its path names later

_held: dict[Key, list[int]] = {}  # key -> [descriptor, users]
_spare: dict[Key, list[int]] = {}  # descriptors opened in a race, closed with the file's
_lock = threading.Lock()
_SEEK = threading.Lock()


def hold(path: Path) -> tuple[Key, int]:
    """A descriptor of the file ``path`` names now, counted as one more user; OSError when
    it cannot be opened. A file this process holds already is not opened again."""
    found = os.stat(path)
    with _lock:
        entry = _held.get((found.st_dev, found.st_ino))
        if entry is not None:
            entry[1] += 1
            return (found.st_dev, found.st_ino), entry[0]
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    opened = os.fstat(fd)  # the path may name another file since the stat
    key = (opened.st_dev, opened.st_ino)
    with _lock:
        entry = _held.get(key)
        if entry is None:
            _held[key] = [fd, 1]
            return key, fd
        # Held meanwhile by another thread: this descriptor is kept, never closed before the
        # file's last user (closing it would drop the locks).
        entry[1] += 1
        _spare.setdefault(key, []).append(fd)
        return key, entry[0]


def release(key: Key) -> None:
    """One user fewer; the last one closes the descriptors (its connections closed first)."""
    with _lock:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[key]
        closing = [entry[0], *_spare.pop(key, [])]
    for fd in closing:
        with contextlib.suppress(OSError):
            os.close(fd)


def read(path: Path, size: int, offset: int = 0) -> bytes:
    """``size`` bytes at ``offset`` of the file ``path`` names: through the held descriptor
    when this process holds that file, else opened and closed (no lock of ours to drop)."""
    found = os.stat(path)
    with _lock:
        entry = _held.get((found.st_dev, found.st_ino))
        fd = entry[0] if entry is not None else None
    if fd is not None:
        return pread(fd, size, offset)
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def pread(fd: int, size: int, offset: int) -> bytes:
    """``os.pread``, which Windows lacks (there a seek and a read, one thread at a time)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    with _SEEK:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, size)


def held_count() -> int:
    """Files held now (for tests)."""
    with _lock:
        return len(_held)


def is_held(path: Path) -> bool:
    """Whether this process holds the file ``path`` names (a Database has it open)."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    with _lock:
        return (found.st_dev, found.st_ino) in _held
