"""Wrong passphrase (and caller PIN) tries: after a few, an increasing wait before the next.

Kept per event (its uid) in a small side file in this user's data folder, so quitting and
restarting the app, or running the command again, does not reset it. What it does not do: it
slows guessing through the app and the `checkin` command only. Someone holding a copy of the
event file can try passphrases against the hash in it directly; the cost of each guess there is
the key derivation's (checkin/event/events.py), nothing else.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from checkin.paths import data_dir
from checkin.private_files import create_private, private_folder

NAME = "unlock-tries.json"
FREE_TRIES = 3  # typos: no wait before the fourth try
FIRST_WAIT = 2.0  # seconds after the fourth wrong try, doubling with each one after
MAX_WAIT = 15 * 60.0


def _path(folder: Path | None) -> Path:
    return (folder or data_dir()) / NAME


def _load(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _save(path: Path, data: dict[str, Any]) -> None:
    try:
        private_folder(path.parent)
        partial = path.with_name(path.name + ".new")
        create_private(partial)
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home: the wait then lasts as long as the process


def wait_for(count: int) -> float:
    """The wait after ``count`` wrong tries in a row."""
    if count <= FREE_TRIES:
        return 0.0
    return float(min(MAX_WAIT, FIRST_WAIT * 2 ** (count - FREE_TRIES - 1)))


def wait_left(key: str, *, folder: Path | None = None) -> float:
    """Seconds before the next try may be checked (0: now)."""
    entry = _load(_path(folder)).get(key) or {}
    until = float(entry.get("until", 0) or 0)
    return max(0.0, until - time.time())


def failed(key: str, *, folder: Path | None = None) -> float:
    """Note a wrong try; the wait it brings."""
    path = _path(folder)
    data = _load(path)
    entry = data.get(key) or {}
    count = int(entry.get("count", 0) or 0) + 1
    wait = wait_for(count)
    data[key] = {"count": count, "until": time.time() + wait}
    _save(path, data)
    return wait


def succeeded(key: str, *, folder: Path | None = None) -> None:
    path = _path(folder)
    data = _load(path)
    if data.pop(key, None) is not None:
        _save(path, data)
