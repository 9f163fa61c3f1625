"""The app's log file: errors with their tracebacks, in the data folder, for the organiser.

A volunteer sees one line on the banner ("Internal error: ... tell the organiser"); the
organiser (or a developer) finds what happened in ``checkin.log`` next to the default event
file. Rotated at 1 MB, three kept: a long day cannot fill a small disk with it.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from checkin.paths import data_dir
from checkin.private_files import create_private, private_folder

NAME = "checkin.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _PrivateLog(RotatingFileHandler):
    """The log names files and may quote a scanner's input: 0600, also after each rotation
    (a plain handler creates it with the session's umask: 0644 was seen)."""

    def _open(self) -> Any:
        create_private(Path(self.baseFilename))
        return super()._open()


def install(folder: Path | None = None) -> Path | None:
    """Send the ``checkin`` loggers' errors to the log file (once per process); returns its
    path, or None when the folder cannot be made (a read-only home: the app runs on)."""
    target = (folder or data_dir()) / NAME
    logger = logging.getLogger("checkin")
    for handler in logger.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == target:
            return target
    try:
        private_folder(target.parent)  # the per-user folder also holds the event files
    except OSError:
        return None
    handler = _PrivateLog(target, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
    handler.setLevel(logging.ERROR)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    return target


def uninstall() -> None:
    """Close the log file (tests, and a clean exit)."""
    logger = logging.getLogger("checkin")
    for handler in list(logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
