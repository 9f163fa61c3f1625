"""Checking a person in: exactly one live check-in per person, default tickets handed out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checkin import audit, codes
from checkin.db import Database
from checkin.models import Attendee, CheckIn, new_uid, utcnow
from checkin.results import AttendeeInfo, ScanResult, ScanState, Station, TicketInfo
from checkin.scanlog import log_scan
from checkin.snapshots import attendee_info
from checkin.tickets import issue_defaults
from checkin.timefmt import clock

_CHECKINS = cast("Table", CheckIn.__table__)
_INSERT = insert(_CHECKINS)
_LIVE = select(_CHECKINS.c.at, _CHECKINS.c.station).where(
    _CHECKINS.c.attendee_id == bindparam("attendee_id"), _CHECKINS.c.undone_at.is_(None)
)


@dataclass(frozen=True)
class CheckInOutcome:
    state: ScanState  # CHECKED_IN or ALREADY_CHECKED_IN
    at: datetime  # of the live check-in: this one, or the earlier one
    station: str
    tickets: tuple[TicketInfo, ...] = ()


def check_in_in_session(session: Session, attendee: Attendee, station: Station) -> CheckInOutcome:
    """Check in with the ticket rules (types handed out at check-in)."""
    session.flush()
    outcome = insert_checkin(session.connection(), attendee.id, station)
    if isinstance(outcome, CheckInOutcome):
        return outcome
    tickets = tuple(issue_defaults(session, attendee, station))
    record_checkin(session, outcome, attendee.code, tickets, station)
    return CheckInOutcome(ScanState.CHECKED_IN, outcome.at, station.name, tickets)


@dataclass(frozen=True)
class NewCheckIn:
    uid: str
    at: datetime


def insert_checkin(
    connection: Connection, attendee_id: int, station: Station
) -> NewCheckIn | CheckInOutcome:
    """The person's one live check-in: a new one, or the outcome naming the earlier one."""
    return _live(connection, attendee_id) or add_checkin(connection, attendee_id, station)


def add_checkin(
    connection: Connection, attendee_id: int, station: Station
) -> NewCheckIn | CheckInOutcome:
    """A new live check-in, for a caller that found none in this write transaction. On a
    server another station may still win the race: then the outcome names theirs."""
    made = NewCheckIn(new_uid(), utcnow())
    values = {
        "uid": made.uid,
        "attendee_id": attendee_id,
        "at": made.at,
        "station": station.name,
        "volunteer": station.volunteer,
    }
    if connection.dialect.name == "sqlite":
        # The write transaction holds the file's write lock since before the caller looked, so
        # nobody can have checked this person in meanwhile: no savepoint needed.
        connection.execute(_INSERT, values)
    else:
        try:
            # A savepoint: on a server another station may have won the race for this person.
            with connection.begin_nested():
                connection.execute(_INSERT, values)
        except IntegrityError:
            winner = _live(connection, attendee_id)
            assert winner is not None
            return winner
    return made


def record_checkin(
    target: Session | Connection,
    checkin: NewCheckIn,
    attendee_code: str,
    tickets: tuple[TicketInfo, ...],
    station: Station,
    *,
    audit_head: str | None = None,
) -> None:
    audit.record(
        target,
        "checked_in",
        station=station.name,
        volunteer=station.volunteer,
        subject=checkin.uid,
        detail={"attendee": attendee_code, "tickets": [t.code for t in tickets]},
        head=audit_head,
    )


def _live(connection: Connection, attendee_id: int) -> CheckInOutcome | None:
    row = connection.execute(_LIVE, {"attendee_id": attendee_id}).first()
    if row is None:
        return None
    return CheckInOutcome(ScanState.ALREADY_CHECKED_IN, row.at, row.station)


def result_for(raw: str, person: AttendeeInfo, outcome: CheckInOutcome) -> ScanResult:
    """The answer to a check-in. The card is brief (no tickets): the desk reads the full card
    after the commit, so the write transaction stays short."""
    card = dataclasses.replace(
        person, checked_in_at=outcome.at, checked_in_station=outcome.station or None
    )
    name = card.display_name
    if outcome.state is ScanState.CHECKED_IN:
        message = f"Welcome, {name}: checked in"
        if outcome.tickets:
            message += f" ({len(outcome.tickets)} tickets issued)"
        params: dict[str, object] = {"name": name, "tickets": len(outcome.tickets)}
    else:
        when, where = clock(outcome.at), outcome.station
        message = f"{name} was already checked in at {when}" + (f" at {where}" if where else "")
        params = {"name": name, "when": when, "where": where}
    return ScanResult(
        raw, outcome.state, message, attendee=card, params=params, issued=outcome.tickets
    )


def check_in(db: Database, attendee_code: str, station: Station) -> ScanResult:
    """Check in by code (a search result chosen with Enter, say); logged like a scan."""
    value = codes.normalize(attendee_code) or attendee_code

    def work(session: Session) -> ScanResult:
        attendee = session.scalar(select(Attendee).where(Attendee.code == value))
        if attendee is None:
            result = ScanResult(attendee_code, ScanState.UNKNOWN, "No such person in this event")
            log_scan(session, result, station)
            return result
        outcome = check_in_in_session(session, attendee, station)
        card = attendee_info(session, attendee, with_tickets=False)
        result = result_for(attendee_code, card, outcome)
        log_scan(session, result, station, attendee_id=attendee.id)
        return result

    return db.write(work)
