"""A joined station's own copy of the hosted event: what the desk works on when the Wi-Fi drops.

Made when the station joins and made again while it is idle and online: the server's rows
copied into a SQLite file on this laptop, labelled as a station copy
(``checkin.stations.station_copy``:
its own number ranges, so walk-ups and tickets made offline never clash). The station's number is
reserved on the server once and kept in the file, so every refresh keeps the same ranges.
Offline work is brought back with the ordinary merge (``checkin.stations.merge.merge_station``).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from sqlalchemy import select

from checkin.event.events import load_event
from checkin.hosting.transfer import copy_event
from checkin.paths import data_dir
from checkin.private_files import private_folder
from checkin.stations.station_copy import (
    FILE_UID,
    STATION_INDEX,
    STATION_OF,
    label_station_copy,
    reserve_station_index,
)
from checkin.store import Database, file_keys, open_database
from checkin.store.models import Setting


def copy_path(server: Database, station: str, folder: Path | None = None) -> Path:
    """Where this station keeps its copy of the server's event (one per event and station)."""
    with server.reading() as session:
        uid = load_event(session).uid
    slug = re.sub(r"[^A-Za-z0-9]+", "-", station).strip("-").lower() or "station"
    base = (folder or data_dir()) / "joined"
    private_folder(base)  # the copy holds every name, and the event's signing key
    return base / f"{uid[:12]}-{slug}.checkin"


def _labels(path: Path) -> dict[str, str]:
    if not path.exists() or not path.stat().st_size:
        return {}
    copy = open_database(path)
    try:
        with copy.reading() as session:
            return {s.key: s.value for s in session.scalars(select(Setting))}
    finally:
        copy.dispose()


def refresh_copy(server: Database, path: Path, station: str) -> None:
    """Write the server's current event into ``path`` as this station's copy (atomically)."""
    labels = _labels(path)
    index = int(labels.get(STATION_INDEX) or 0)
    main_uid = labels.get(STATION_OF, "")
    if not index:
        index, main_uid = reserve_station_index(server, station, path.name, by=station)
    partial = path.with_name(path.name + ".partial")
    remove_file(partial)
    target = open_database(partial, create=True)  # its own key, for this laptop (file_keys.py)
    try:
        copy_event(server, target)
        label_station_copy(
            target, main_uid=main_uid or _server_uid(server), name=station, index=index
        )
    finally:
        target.dispose()
    remove_file(path)
    os.replace(partial, path)
    file_keys.move_keys(partial, path)


def _server_uid(server: Database) -> str:
    with server.reading() as session:
        row = session.get(Setting, FILE_UID)
        return row.value if row else ""


def remove_file(path: Path) -> None:
    """The file, its -wal and -shm, and its key file (checkin/store/file_keys.py)."""
    for item in (
        path,
        *(path.with_name(path.name + x) for x in ("-wal", "-shm", file_keys.SUFFIX)),
    ):
        with contextlib.suppress(FileNotFoundError):
            item.unlink()
