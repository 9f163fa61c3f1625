"""Files that hold personal data (event files, backups, station copies, exports, reports) are
created readable by this user only (0600), in folders only this user can open (0700), whatever
the umask of the session that runs the app."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (or make an existing one 0600), before SQLite or a
    copy writes into it: they keep the mode of a file that is already there."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        if os.name == "posix":
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def private_folder(path: Path) -> None:
    """Make ``path`` and any missing parents, each 0700 (an existing folder is left as is)."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)
