"""A household withdraws its consent to be contacted: its phone, email and consent go at once,
and it is marked so that nothing brings them back.

- ``withdraw_consent`` clears the three and sets ``contact_withdrawn_at``, in one sealed audit
  entry (``contact_withdrawn``, naming the household by code, never by name or number), so
  `checkin verify` replays it. Every later export and report reads the cleared fields; the
  summary counts the households that withdrew (``summary.contact_withdrawn``).
- A merge (checkin/stations/merge.py) never fills a marked household's contact details from a
station
  file, and carries a withdrawal made at a station over to the organiser's file.
- A re-import (checkin/people/csv_import.py) takes a row that is a marked household, whatever its
  phone, email and consent say, as that household: skipped, not imported as someone new.

What it does not do: backups and station copies made before the withdrawal still hold the
phone and email until they are deleted (the retention purge removes them); it cannot be undone
(the details are gone; the household can give them again at the desk).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.people.attendees import set_search_keys
from checkin.record import audit
from checkin.results import Station
from checkin.store import Database
from checkin.store.models import Attendee, utcnow

ACTION = "contact_withdrawn"


class NoSuchHousehold(LookupError):
    """No household with that code in this event."""


@dataclass(frozen=True)
class Withdrawal:
    code: str
    number: int
    withdrawn_at: datetime
    removed: tuple[str, ...]  # of "phone", "email", "consent": what the household had
    before: bool = False  # withdrawn already: nothing changed now

    @property
    def message(self) -> str:
        if self.before:
            return f"Guest #{self.number} withdrew contact consent before: nothing to remove"
        what = ", ".join(self.removed) or "nothing was on file"
        return f"Guest #{self.number}: contact consent withdrawn; removed: {what}"


def withdraw_in_session(
    session: Session, person: Attendee, station: Station | None = None, *, record: bool = True
) -> Withdrawal:
    """In the caller's transaction; ``record``: its own audit entry (a merge seals it in the
    merge's)."""
    if person.contact_withdrawn_at is not None:
        return Withdrawal(person.code, person.number, person.contact_withdrawn_at, (), True)
    removed = tuple(
        name
        for name, held in (
            ("phone", person.phone),
            ("email", person.email),
            ("consent", person.consent),
        )
        if held
    )
    now = utcnow()
    person.phone, person.email, person.consent = "", "", False
    person.contact_withdrawn_at = now
    set_search_keys(person)
    if not record:
        return Withdrawal(person.code, person.number, now, removed)
    where = station or Station("")
    audit.record(
        session,
        ACTION,
        station=where.name,
        volunteer=where.volunteer,
        subject=person.uid,
        detail={"attendee": person.code, "removed": list(removed)},
    )
    return Withdrawal(person.code, person.number, now, removed)


def withdraw_consent(
    db: Database, attendee_code: str, *, station: Station | None = None
) -> Withdrawal:
    """Remove the household's phone, email and consent, and mark it (see the module)."""
    value = codes.normalize(attendee_code) or attendee_code.strip()

    def work(session: Session) -> Withdrawal:
        person = session.scalar(select(Attendee).where(Attendee.code == value))
        if person is None:
            raise NoSuchHousehold(f"No household with code {attendee_code}")
        return withdraw_in_session(session, person, station)

    return db.write(work)


def is_withdrawn(db: Database, attendee_code: str) -> bool:
    value = codes.normalize(attendee_code) or attendee_code.strip()
    with db.reading() as session:
        when = session.scalar(select(Attendee.contact_withdrawn_at).where(Attendee.code == value))
        return when is not None


def count_in_session(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(Attendee.id)).where(Attendee.contact_withdrawn_at.is_not(None))
        )
        or 0
    )


def withdrawn_count(db: Database) -> int:
    """How many households withdrew their contact consent."""
    with db.reading() as session:
        return count_in_session(session)
