"""Checking a person in: exactly one live check-in per person, default tickets handed out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checkin import audit, codes
from checkin.db import Database
from checkin.models import Attendee, CheckIn
from checkin.results import ScanResult, ScanState, Station, TicketInfo
from checkin.scanlog import log_scan
from checkin.snapshots import attendee_info, live_checkin
from checkin.tickets import issue_defaults
from checkin.timefmt import clock


@dataclass(frozen=True)
class CheckInOutcome:
    state: ScanState  # CHECKED_IN or ALREADY_CHECKED_IN
    checkin: CheckIn
    tickets: tuple[TicketInfo, ...] = ()


def check_in_in_session(session: Session, attendee: Attendee, station: Station) -> CheckInOutcome:
    existing = live_checkin(session, attendee.id)
    if existing is not None:
        return CheckInOutcome(ScanState.ALREADY_CHECKED_IN, existing)
    checkin = CheckIn(attendee_id=attendee.id, station=station.name, volunteer=station.volunteer)
    if session.get_bind().dialect.name == "sqlite":
        # The write transaction holds the file's write lock since before the check above, so
        # nobody can have checked this person in meanwhile: no savepoint needed.
        session.add(checkin)
        session.flush()
    else:
        try:
            # A savepoint: on a server another station may have won the race for this person.
            with session.begin_nested():
                session.add(checkin)
                session.flush()
        except IntegrityError:
            winner = live_checkin(session, attendee.id)
            assert winner is not None
            return CheckInOutcome(ScanState.ALREADY_CHECKED_IN, winner)
    tickets = issue_defaults(session, attendee, station)
    audit.record(
        session,
        "checked_in",
        station=station.name,
        volunteer=station.volunteer,
        subject=checkin.uid,
        detail={"attendee": attendee.code, "tickets": [t.code for t in tickets]},
    )
    return CheckInOutcome(ScanState.CHECKED_IN, checkin, tuple(tickets))


def result_for(
    session: Session, raw: str, attendee: Attendee, outcome: CheckInOutcome
) -> ScanResult:
    info = attendee_info(session, attendee)
    if outcome.state is ScanState.CHECKED_IN:
        message = f"Welcome, {info.display_name}: checked in"
        if outcome.tickets:
            message += f" ({len(outcome.tickets)} tickets issued)"
        params = {"name": info.display_name, "tickets": len(outcome.tickets)}
    else:
        when, where = clock(outcome.checkin.at), outcome.checkin.station
        message = f"{info.display_name} was already checked in at {when}" + (
            f" at {where}" if where else ""
        )
        params = {"name": info.display_name, "when": when, "where": where}
    return ScanResult(raw, outcome.state, message, attendee=info, params=params)


def check_in(db: Database, attendee_code: str, station: Station) -> ScanResult:
    """Check in by code (a search result chosen with Enter, say); logged like a scan."""
    value = codes.normalize(attendee_code) or attendee_code

    def work(session: Session) -> ScanResult:
        attendee = session.scalar(select(Attendee).where(Attendee.code == value))
        if attendee is None:
            result = ScanResult(attendee_code, ScanState.UNKNOWN, "No such person in this event")
            log_scan(session, result, station)
            return result
        result = result_for(
            session, attendee_code, attendee, check_in_in_session(session, attendee, station)
        )
        log_scan(session, result, station, attendee_id=attendee.id)
        return result

    return db.write(work)
