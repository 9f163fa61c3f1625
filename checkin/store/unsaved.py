"""Scans that were NOT saved, kept next to the event file so none is lost for good.

When the event file cannot take a scan (replaced under the app, its drive gone, full), the desk
answers NOT saved and the scan's input is appended to ``<event file>.unsaved-scans.txt``: one
line a scan, tab-separated (UTC time, station, input). The organiser re-scans them once the
event file is sound again (restored from a backup): ``cut -f3 FILE | checkin scan --db EVENT
--station NAME`` (a code already counted answers "already"). The file is 0600: an input may
be anything a scanner sent.
"""

from __future__ import annotations

import os
from pathlib import Path

from checkin.private_files import FILE_MODE
from checkin.store.models import utcnow

SUFFIX = ".unsaved-scans.txt"


def side_file(event_file: Path) -> Path:
    return event_file.with_name(event_file.name + SUFFIX)


def keep(event_file: Path | None, raw: str, station: str) -> Path | None:
    """Append one NOT saved scan; the side file, or None when it cannot be written either."""
    if event_file is None:
        return None
    target = side_file(event_file)
    line = "\t".join((utcnow().isoformat(timespec="seconds"), _field(station), _field(raw)))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        return None  # the same drive that failed: the answer already says NOT saved
    return target


def _field(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
