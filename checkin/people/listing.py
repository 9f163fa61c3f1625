"""The attendee list, streamed (an event may have 50,000 people)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from checkin.results import person_name
from checkin.store import AttendeeSource, Database
from checkin.store.models import Attendee, CheckIn
from checkin.timefmt import iso_local


@dataclass(frozen=True)
class AttendeeRow:
    code: str
    number: int
    first_name: str
    last_name: str
    adults: int
    kids: int
    seniors: int
    zip_code: str
    source: AttendeeSource
    checked_in_at: datetime | None
    checked_in_station: str | None

    @property
    def display_name(self) -> str:
        return person_name(self.first_name, self.last_name, self.number)

    @property
    def household_size(self) -> int:
        return self.adults + self.kids + self.seniors

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "number": self.number,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "adults": self.adults,
            "kids": self.kids,
            "seniors": self.seniors,
            "zip": self.zip_code,
            "source": self.source,
            "checked_in_at": iso_local(self.checked_in_at) or None,
            "checked_in_station": self.checked_in_station,
        }


# An AttendeeRow's columns, in its fields' order: the list, its pages and `checkin list`.
ROW_COLUMNS = (
    Attendee.code,
    Attendee.number,
    Attendee.first_name,
    Attendee.last_name,
    Attendee.adults,
    Attendee.kids,
    Attendee.seniors,
    Attendee.zip_code,
    Attendee.source,
    CheckIn.at,
    CheckIn.station,
)


def with_arrival(stmt: Any) -> Any:
    """``stmt`` joined to each household's check-in that stands (none: not arrived)."""
    return stmt.outerjoin(
        CheckIn, (CheckIn.attendee_id == Attendee.id) & CheckIn.undone_at.is_(None)
    )


def iter_attendees(db: Database) -> Iterator[AttendeeRow]:
    stmt = with_arrival(select(*ROW_COLUMNS)).order_by(Attendee.number)
    with db.reading() as session:
        for row in session.execute(stmt).yield_per(1000):
            yield AttendeeRow(*row)
