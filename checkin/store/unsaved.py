"""Scans that were NOT saved, kept next to the event file so none is lost for good.

When the event file cannot take a scan (replaced under the app, its drive gone, full), the desk
answers NOT saved and the scan's input is appended to ``<event file>.unsaved-scans.txt``: one
line a scan, tab-separated (UTC time, station, input). The organiser re-scans them once the
event file is sound again (restored from a backup): ``cut -f3 FILE | checkin scan --db EVENT
--station NAME`` (a code already counted answers "already"). When that drive cannot take the
line either (full, gone), it goes to the same name in this user's data folder. The file is 0600:
an input may be anything a scanner sent.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from checkin.paths import data_dir
from checkin.private_files import FILE_MODE, private_folder
from checkin.store.models import utcnow

SUFFIX = ".unsaved-scans.txt"


def side_file(event_file: Path) -> Path:
    return event_file.with_name(event_file.name + SUFFIX)


def keep(event_file: Path | None, raw: str, station: str) -> Path | None:
    """Append one NOT saved scan beside the event file, or (its drive full or gone) in this
    user's data folder; the file written, or None when neither can be."""
    if event_file is None:
        return None
    line = "\t".join((utcnow().isoformat(timespec="seconds"), _field(station), _field(raw)))
    beside = side_file(event_file)
    if _append(beside, line):
        return beside
    fallback = data_dir() / beside.name
    with contextlib.suppress(OSError):
        private_folder(fallback.parent)
    return fallback if _append(fallback, line) else None


def _append(target: Path, line: str) -> bool:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        # The drive that failed (full): the answer already says NOT saved; no empty file left.
        with contextlib.suppress(OSError):
            if target.stat().st_size == 0:
                target.unlink()
        return False
    return True


def _field(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
