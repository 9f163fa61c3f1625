"""A station's recent scans, read back from the event file: after a restart the desk's "Recent
activity" list shows what the station did before (the scan log is the record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    repeat: bool = False  # a scanner's double trigger: the first answer again, no effect
    void_reason: str = ""  # a voided ticket's: why (lost, stolen...) and when, as answered
    voided_at: datetime | None = None


def recent_scans(db: Database, station: str, limit: int = 50) -> list[PastScan]:
    """The station's last ``limit`` scans, newest first."""
    with db.reading() as session:
        rows = session.execute(
            select(
                ScanLog.at,
                ScanLog.attendee_id,
                ScanLog.state,
                ScanLog.repeat,
                Attendee.first_name,
                Attendee.last_name,
                Attendee.number,
                TicketType.name,
                Ticket.serial,
                Ticket.void_reason,
                Ticket.voided_at,
            )
            .outerjoin(Attendee, Attendee.id == ScanLog.attendee_id)
            .outerjoin(Ticket, Ticket.id == ScanLog.ticket_id)
            .outerjoin(TicketType, TicketType.id == Ticket.type_id)
            .where(ScanLog.station == station)
            .order_by(ScanLog.id.desc())
            .limit(limit)
        ).all()
        redeemed = {r.attendee_id for r in rows if r.state == ScanState.REDEEMED.value}
        handed = _redeemed_here(session, station, {p for p in redeemed if p is not None})
    found = []
    for at, attendee_id, state, repeat, first, last, number, kind, serial, why, voided in rows:
        try:
            known = ScanState(state)
        except ValueError:
            continue
        if known is ScanState.REDEEMED and kind is None:
            kind, serial = _nearest(handed.get(attendee_id, []), at) or (None, None)
        name = person_name(first or "", last or "", number) if number is not None else ""
        found.append(PastScan(at, known, name, kind or "", serial, bool(repeat), why or "", voided))
    return found


# A redemption's scan and its ticket row are written in one transaction: a few seconds apart
# at most (a slow disk).
SAME_WRITE = timedelta(seconds=5)

Handed = tuple[datetime, str, int]  # (redeemed at, type, serial)


def _redeemed_here(session: Session, station: str, people: set[int]) -> dict[int, list[Handed]]:
    """The tickets redeemed at this station by the people of the scans that did not name one:
    a person's code redeems their ticket, and the scan log keeps only the person."""
    if not people:
        return {}
    tickets = session.execute(
        select(Ticket.attendee_id, Ticket.redeemed_at, TicketType.name, Ticket.serial)
        .join(TicketType, TicketType.id == Ticket.type_id)
        .where(Ticket.attendee_id.in_(people), Ticket.redeemed_station == station)
    ).all()
    found: dict[int, list[Handed]] = {}
    for attendee_id, at, kind, serial in tickets:
        if at is not None and attendee_id is not None:
            found.setdefault(attendee_id, []).append((at, kind, serial))
    return found


def _nearest(handed: list[Handed], at: datetime) -> tuple[str, int] | None:
    near = [h for h in handed if abs(h[0] - at) <= SAME_WRITE]
    if not near:
        return None
    _when, kind, serial = min(near, key=lambda h: abs(h[0] - at))
    return kind, serial
