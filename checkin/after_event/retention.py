"""How long an event keeps its personal data: "delete it N days after the event".

Asked when the event is created (default 30 days) and kept as a setting in the event file, so
every copy of the file (backups, station copies, a joined station's copy) carries it. The day
is counted from the event's date, or from the day the file was made when it has none. On or
after that day the event is due: the app's next launch asks the organiser, and
``checkin purge --due`` purges it everywhere this laptop knows (``checkin.purge_everywhere``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from checkin.event.events import load_event
from checkin.event.retention_days import (
    DAYS_KEY,
    DEFAULT_DAYS,
    MAX_DAYS,
    check_days,
    read_days,
    write_days,
)
from checkin.record.purge_mark import was_purged
from checkin.store import Database


@dataclass(frozen=True)
class Retention:
    days: int
    purge_on: date  # the first day the personal data is due to go
    purged: bool  # removed already

    def due(self, today: date | None = None) -> bool:
        return not self.purged and (today or date.today()) >= self.purge_on


def retention_of(session: Session) -> Retention:
    event = load_event(session)
    days = read_days(session)
    start = event.date or event.created_at.date()
    return Retention(days, start + timedelta(days=days), was_purged(session))


def get_retention(db: Database) -> Retention:
    with db.reading() as session:
        return retention_of(session)


def set_retention_days(db: Database, days: int, *, station: str = "") -> Retention:
    def work(session: Session) -> Retention:
        write_days(session, days, station=station)
        return retention_of(session)

    return db.write(work)


__all__ = [
    "DAYS_KEY",
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "Retention",
    "check_days",
    "get_retention",
    "read_days",
    "retention_of",
    "set_retention_days",
    "write_days",
]
