"""Offline work of a joined station that has not reached the host yet, marked on this laptop.

A station that works offline writes ``COPY.unsent`` beside its copy (``checkin.hosting.
local_copy``) with the station's name and how many writes wait; the merge into the host removes
it. So the station can say at exit, and the app at its next launch, that scans are still only
on this laptop, and where, until they are merged (joining the event again merges them by itself;
``checkin merge`` does it by hand).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from checkin.paths import data_dir

SUFFIX = ".unsent"


@dataclass(frozen=True)
class Unsent:
    copy: Path  # the station's copy that holds them
    station: str
    count: int  # writes made offline (a scan is one)


def _marker(copy: Path) -> Path:
    return copy.with_name(copy.name + SUFFIX)


def mark(copy: Path, station: str, count: int) -> None:
    with contextlib.suppress(OSError):  # the copy itself holds the work: this is only a note
        _marker(copy).write_text(json.dumps({"station": station, "count": count}))


def clear(copy: Path) -> None:
    _marker(copy).unlink(missing_ok=True)


def waiting(folder: Path | None = None) -> list[Unsent]:
    """Every station copy on this laptop whose offline work has not reached its host."""
    base = (folder or data_dir()) / "joined"
    found: list[Unsent] = []
    for marker in sorted(base.glob(f"*{SUFFIX}")) if base.is_dir() else []:
        copy = marker.with_name(marker.name[: -len(SUFFIX)])
        if not copy.exists():
            continue
        try:
            note = json.loads(marker.read_text())
            found.append(Unsent(copy, str(note.get("station", "")), int(note.get("count", 0))))
        except (OSError, ValueError):
            found.append(Unsent(copy, "", 0))
    return found
