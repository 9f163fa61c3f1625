"""Station copies: the organiser's event file copied for each laptop that works offline.

Each copy shares the event (key, pre-registrations, tickets issued so far) and gets its own file
identity and its own number ranges, so that numbers stay unique after the merge
(``checkin.stations.merge``):

- Guest numbers: the organiser's file keeps 1-99999; station k (k = 1, 2, ...) numbers its
  walk-ups from k*100000+1 to k*100000+99999.
- Ticket serials: each ticket type continues from k*100000+1 at station k; the organiser's
  file keeps counting from where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin import written_files
from checkin.event.events import load_event
from checkin.people.attendees import NUMBER_RANGE_SETTING
from checkin.record import audit
from checkin.store import Database, online_copy, open_database
from checkin.store.models import Setting, Ticket, TicketType, new_uid
from checkin.store.setting_keys import EventSetting

STATION_BLOCK = 100_000
FILE_UID = EventSetting.FILE_UID
STATION_OF = EventSetting.STATION_OF
STATION_NAME = EventSetting.STATION_NAME
STATION_INDEX = EventSetting.STATION_INDEX
STATION_COPIES = EventSetting.STATION_COPIES


class MergeRefused(ValueError):
    """A station file that cannot be merged (or copied); the message says why."""


@dataclass(frozen=True)
class StationCopyInfo:
    path: Path
    station: str
    index: int
    file_uid: str
    first_number: int
    last_number: int
    first_serial: int


def read_setting(session: Session, key: str) -> str:
    row = session.get(Setting, key)
    return row.value if row else ""


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def make_station_copy(
    db: Database, out: str | Path, station: str, *, by: str = ""
) -> StationCopyInfo:
    """Copy the organiser's event file for one station laptop (see the module docstring)."""
    name = " ".join(station.split())
    if not name:
        raise MergeRefused("A station copy needs a station name")
    if not db.is_sqlite or db.path is None:
        raise MergeRefused("Station copies are made from an event file, not a server database")
    target = Path(out).expanduser().resolve()
    if target.exists() and target.stat().st_size:
        raise MergeRefused(f"{target} already exists; choose another file name")
    if not target.parent.is_dir():
        raise MergeRefused(f"Folder does not exist: {target.parent}")
    if target == db.path.resolve():
        raise MergeRefused("The station copy cannot replace the organiser's file")

    index, main_uid = reserve_station_index(db, name, target.name, by=by)
    first = index * STATION_BLOCK + 1
    with db.reading() as session:  # every name in it: the purge removes it too
        written_files.remember(load_event(session).uid, [target])
    online_copy(db.engine, target)
    copy = open_database(target)
    try:
        copy_uid = label_station_copy(copy, main_uid=main_uid, name=name, index=index)
    finally:
        copy.dispose()
    return StationCopyInfo(target, name, index, copy_uid, first, first + STATION_BLOCK - 2, first)


def reserve_station_index(
    db: Database, name: str, file_name: str, *, by: str = ""
) -> tuple[int, str]:
    """The next station number of the organiser's file (or hosted server) and its file uid."""

    def reserve(session: Session) -> tuple[int, str]:
        if read_setting(session, STATION_OF):
            raise MergeRefused(
                "This file is itself a station copy: make station copies from the organiser's file"
            )
        main_uid = read_setting(session, FILE_UID) or new_uid()
        put_setting(session, FILE_UID, main_uid)
        if not read_setting(session, NUMBER_RANGE_SETTING):
            put_setting(session, NUMBER_RANGE_SETTING, f"1-{STATION_BLOCK - 1}")
        index = int(read_setting(session, STATION_COPIES) or 0) + 1
        put_setting(session, STATION_COPIES, str(index))
        audit.record(
            session,
            "station_copy_made",
            station=by,
            subject=main_uid,
            detail={"station": name, "index": index, "file": file_name},
        )
        return index, main_uid

    return db.write(reserve)


def label_station_copy(copy: Database, *, main_uid: str, name: str, index: int) -> str:
    """Give a fresh copy of the event its station identity and number ranges; its file uid."""
    first = index * STATION_BLOCK + 1
    copy_uid = new_uid()

    def label(session: Session) -> None:
        put_setting(session, FILE_UID, copy_uid)
        put_setting(session, STATION_OF, main_uid)
        put_setting(session, STATION_NAME, name)
        put_setting(session, STATION_INDEX, str(index))
        put_setting(session, NUMBER_RANGE_SETTING, f"{first}-{first + STATION_BLOCK - 2}")
        copies = session.get(Setting, STATION_COPIES)
        if copies is not None:
            session.delete(copies)
        for ticket_type in session.scalars(select(TicketType)):
            # Past this station's own tickets already merged back (a copy made again later).
            top = session.scalar(
                select(func.max(Ticket.serial)).where(
                    Ticket.type_id == ticket_type.id,
                    Ticket.serial.between(first, first + STATION_BLOCK - 2),
                )
            )
            ticket_type.next_serial = max(ticket_type.next_serial, first, (top or 0) + 1)
        audit.record(
            session,
            "station_copy_created",
            station=name,
            subject=copy_uid,
            detail={"of": main_uid, "index": index, "numbers_from": first},
        )

    copy.write(label)
    return copy_uid
