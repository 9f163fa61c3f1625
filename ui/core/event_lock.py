"""One event file, opened once on this laptop: a lock per event file (a QLockFile in the user's
data folder, so a stick or a read-only folder gets no stray file; Qt clears it when the program
holding it has gone). A second window or program opening the same file is warned."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile

from checkin.paths import data_dir


def lock_path(event_file: Path) -> Path:
    key = hashlib.sha256(str(event_file.resolve()).encode("utf-8")).hexdigest()[:24]
    return data_dir() / "open-events" / f"{key}.lock"


def hold_event(event_file: Path) -> QLockFile | None:
    """The lock on ``event_file`` for this window, or None when another window or program on
    this laptop has the file open."""
    path = lock_path(event_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # held as long as the window is open: stale only when its owner died
    return lock if lock.tryLock(0) else None
