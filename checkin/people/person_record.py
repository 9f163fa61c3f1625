"""Everything the person window and `checkin person CODE` show of one household."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from checkin import codes
from checkin.people.history import HistoryEntry, history
from checkin.results import AttendeeInfo
from checkin.store import Database
from checkin.store.models import Attendee
from checkin.ticketing.snapshots import attendee_info


@dataclass(frozen=True)
class PersonRecord:
    person: AttendeeInfo
    external_ref: str  # a registration tool's order number or barcode
    created_station: str
    history: tuple[HistoryEntry, ...]


def load_person(db: Database, code: str) -> PersonRecord | None:
    """By attendee code (as printed or typed), or None."""
    value = codes.normalize(code) or code
    with db.reading() as session:
        attendee = session.scalar(select(Attendee).where(Attendee.code == value))
        if attendee is None:
            return None
        return PersonRecord(
            attendee_info(session, attendee),
            attendee.external_ref,
            attendee.created_station,
            tuple(history(session, attendee)),
        )
