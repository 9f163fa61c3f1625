"""When a laptop dies: what was written on the paper fallback kit's tally sheets is entered
afterwards, marked as from paper, so the summary is complete."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from checkin.event.events import load_event
from checkin.people.attendees import clean_fields, insert_attendee
from checkin.record import audit
from checkin.store import AttendeeSource, Database
from checkin.store.models import CheckIn, PaperTally
from checkin.ticketing.tickets import TicketError, find_type

PAPER_STATION = "paper"


@dataclass(frozen=True)
class PaperWalkup:
    adults: int = 1
    kids: int = 0
    seniors: int = 0
    zip_code: str = ""


def enter_walkups(db: Database, rows: list[PaperWalkup], *, by: str = "") -> list[int]:
    """Households written on the walk-up tally sheet: registered and checked in "from paper".
    Returns their Guest numbers."""
    cleaned = [
        clean_fields(
            {"adults": r.adults, "kids": r.kids, "seniors": r.seniors, "zip_code": r.zip_code}
        )
        for r in rows
    ]

    def work(session: Session) -> list[int]:
        event = load_event(session)
        numbers = []
        for fields in cleaned:
            person = insert_attendee(
                session,
                event,
                source=AttendeeSource.PAPER,
                station=PAPER_STATION,
                volunteer=by,
                **fields,
            )
            session.add(CheckIn(attendee_id=person.id, station=PAPER_STATION, volunteer=by))
            numbers.append(person.number)
        session.flush()
        audit.record(
            session,
            "paper_walkups",
            station=PAPER_STATION,
            volunteer=by,
            detail={"count": len(numbers), "numbers": numbers},
        )
        return numbers

    return db.write(work)


def enter_ticket_tally(
    db: Database, type_name: str, count: int, *, by: str = "", note: str = ""
) -> None:
    """Tickets handed out by hand while the laptop was down (counted, not individual)."""
    if not 0 < count <= 100_000:
        raise TicketError("A tally must be a count between 1 and 100000")

    def work(session: Session) -> None:
        ticket_type = find_type(session, type_name)
        if ticket_type is None:
            raise TicketError(f"No ticket type called {type_name}")
        tally = PaperTally(
            ticket_type_id=ticket_type.id, count=count, station=PAPER_STATION, note=note
        )
        session.add(tally)
        session.flush()
        audit.record(
            session,
            "paper_tally",
            station=PAPER_STATION,
            volunteer=by,
            subject=tally.uid,
            detail={"type": ticket_type.name, "count": count},
        )

    db.write(work)
