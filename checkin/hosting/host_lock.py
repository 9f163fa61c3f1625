"""One host per event file on this laptop: the host holds a lock on a file in the server folder
for as long as it hosts. A second `checkin host` (or File → Host…) on the same file is refused
instead of taking the running server for a crashed one's and stopping it under its stations.
The system lets go of the lock when the host process ends, however it ends, so a host killed
without warning does not lock the next one out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO


class AlreadyHosted(Exception):
    """Another host on this laptop is hosting this event file right now."""


class HostLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+b")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise AlreadyHosted(
                "This event is already being hosted on this laptop: use that host's window"
                " (or stop it) rather than hosting it twice"
            ) from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing lets go of the lock
            self._handle = None


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
