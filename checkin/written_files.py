"""Which files the app wrote with an event's personal data outside its event file (exports,
station copies), so that the purge can remove them too.

One list per event (by its uid) in the per-user data folder: it works the same for an event
file, a hosted event and a station's copy, and it holds paths, never names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from checkin import paths
from checkin.private_files import create_private, private_folder

FOLDER = "written"


def list_file(uid: str) -> Path:
    return paths.data_dir() / FOLDER / f"{uid}.txt"


def remember(uid: str, written: Iterable[Path]) -> None:
    """Add ``written`` to the event's list (best effort: a read-only home must not stop an
    export that succeeded)."""
    target = list_file(uid)
    with contextlib.suppress(OSError):
        private_folder(target.parent)
        known = set(remembered(uid))
        new = [str(Path(p).expanduser().resolve()) for p in written]
        lines = [p for p in dict.fromkeys(new) if Path(p) not in known]
        if lines:
            create_private(target)
            with open(target, "a", encoding="utf-8") as handle:
                handle.writelines(f"{line}\n" for line in lines)


def remembered(uid: str) -> list[Path]:
    try:
        text = list_file(uid).read_text(encoding="utf-8")
    except OSError:
        return []
    return [Path(line) for line in text.splitlines() if line.strip()]


def forget(uid: str, *, keep: Iterable[Path] = ()) -> None:
    """Drop the event's list, except the files in ``keep`` (not removed: tried again later)."""
    list_file(uid).unlink(missing_ok=True)
    if kept := list(keep):
        remember(uid, kept)
