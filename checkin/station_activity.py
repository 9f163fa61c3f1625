"""A station's recent scans, read back from the event file: after a restart the desk's "Recent
activity" list shows what the station did before (the scan log is the record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from checkin.results import ScanState, person_name
from checkin.store import Database
from checkin.store.models import Attendee, ScanLog, Ticket, TicketType


@dataclass(frozen=True)
class PastScan:
    at: datetime  # UTC, as stored
    state: ScanState
    name: str  # the person named by the scan, "" when none
    ticket_type: str
    serial: int | None


def recent_scans(db: Database, station: str, limit: int = 50) -> list[PastScan]:
    """The station's last ``limit`` scans, newest first."""
    with db.reading() as session:
        rows = session.execute(
            select(
                ScanLog.at,
                ScanLog.state,
                Attendee.first_name,
                Attendee.last_name,
                Attendee.number,
                TicketType.name,
                Ticket.serial,
            )
            .outerjoin(Attendee, Attendee.id == ScanLog.attendee_id)
            .outerjoin(Ticket, Ticket.id == ScanLog.ticket_id)
            .outerjoin(TicketType, TicketType.id == Ticket.type_id)
            .where(ScanLog.station == station)
            .order_by(ScanLog.id.desc())
            .limit(limit)
        ).all()
    found = []
    for at, state, first, last, number, kind, serial in rows:
        try:
            known = ScanState(state)
        except ValueError:
            continue
        name = person_name(first or "", last or "", number) if number is not None else ""
        found.append(PastScan(at, known, name, kind or "", serial))
    return found
