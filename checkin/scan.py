"""The scan engine: raw scanner input and a station in, one result out.

Never raises on any input. Every scan is logged in the same transaction as its effect, so what
the screen shows is what is on disk. A scanner that fires twice (same input at the same station
within two seconds) gets the same answer and causes no second effect.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterator

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from checkin import audit, codes
from checkin.campaigns import heard_label
from checkin.checkins import (
    CheckInOutcome,
    add_checkin,
    check_in_in_session,
    record_checkin,
    result_for,
)
from checkin.claims import claim_in_session
from checkin.db import Database
from checkin.errors import Failure, describe, failure_of
from checkin.events import load_event
from checkin.models import Attendee, Campaign, Ticket
from checkin.results import (
    AttendeeInfo,
    ScanResult,
    ScanState,
    Station,
    StationMode,
    TicketInfo,
    person_name,
)
from checkin.scan_rows import PersonRow, TicketRow, person_row, ticket_row
from checkin.scanlog import log_scan, printable
from checkin.snapshots import attendee_info, ticket_info
from checkin.tickets import bind_in_session, redeem_row
from checkin.timefmt import clock

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 2.0
MAX_INPUT = 200
_TERMINATORS = "\r\n\t"

PARSE_MESSAGES = {
    codes.ParseError.NOT_A_CODE: "Not a code of this app",
    codes.ParseError.TYPO: "That code has a typo: check the characters and type it again",
    codes.ParseError.WRONG_EVENT: "This code belongs to a different event",
    codes.ParseError.FORGED: "This code is not genuine: it was not made by this event",
}


class ScanEngine:
    def __init__(
        self,
        db: Database,
        *,
        debounce_seconds: float = DEBOUNCE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._debounce = debounce_seconds
        self._clock = clock
        self._recent: dict[tuple[str, str, str], tuple[float, ScanResult]] = {}
        self._lock = threading.Lock()
        self._event_tag: str | None = None
        self._event_key = b""

    def scan(
        self, raw: str, station: Station, *, current_attendee: str | None = None
    ) -> ScanResult:
        """Check in, redeem, bind or claim according to the code and the station."""
        try:
            return self._scan(raw, station, current_attendee)
        except Exception as exc:  # the desk must keep going whatever happens underneath
            # Debug level: the answer below is the one line a person needs (the CLI prints no
            # traceback); CHECKIN_DEBUG=1 shows it.
            log.debug("scan not saved", exc_info=True)
            failure = failure_of(exc)
            reason = (
                describe(exc)
                if failure is not Failure.OTHER
                else "the event file could not be written. Scan again"
            )
            first = str(exc).splitlines()
            return ScanResult(
                printable(raw),
                ScanState.NOT_SAVED,
                f"NOT saved: {reason}.",
                params={"error": first[0] if first else "", "failure": failure.value},
            )

    def _scan(self, raw: str, station: Station, current: str | None) -> ScanResult:
        text = raw.strip(_TERMINATORS + " ")
        # The person on screen may come typed by hand (the CLI's --for) like any code.
        current = (codes.normalize(current) or current.strip()) if current else None
        # Same input, same station, same person on screen: a scanner firing twice. With another
        # person picked in between it is a new request (a pre-printed ticket scanned first with
        # nobody on screen, then for the person). A code counts as the same in any spelling;
        # anything else only as exactly the same text ("null" then "NULL" are two inputs).
        key = (station.name, codes.normalize(text) or text, current or "")
        now = self._clock()
        with self._lock:
            self._forget_before(now - self._debounce)
            cached = self._recent.get(key)
        if cached is not None and cached[0] > now - self._debounce:
            repeat = dataclasses.replace(cached[1], input=printable(text), repeat=True)
            self._db.write_rows(lambda c: log_scan(c, repeat, station))
            return repeat
        result = self._fresh(text, station, current)
        with self._lock:
            self._recent[key] = (now, result)
        return result

    def _forget_before(self, cutoff: float) -> None:
        # Oldest first (insertion order): stop at the first recent one, so a busy desk does
        # not walk every remembered scan each time.
        while self._recent:
            oldest = next(iter(self._recent))
            if self._recent[oldest][0] > cutoff:
                return
            del self._recent[oldest]

    def _fresh(self, text: str, station: Station, current: str | None) -> ScanResult:
        shown = printable(text)
        if not text:
            return self._reject(shown, station, ScanState.NOT_A_CODE, "Nothing was scanned")
        if len(text) > MAX_INPUT or not text.isprintable():
            return self._reject(
                shown, station, ScanState.NOT_A_CODE, PARSE_MESSAGES[codes.ParseError.NOT_A_CODE]
            )
        tag, key = self._event_secrets()
        parsed = codes.parse(text, tag, key)
        if isinstance(parsed, codes.ParseError):
            return self._reject(shown, station, ScanState(parsed.value), PARSE_MESSAGES[parsed])
        return self._db.write_rows(lambda c: self._apply(c, shown, parsed, station, current))

    def _event_secrets(self) -> tuple[str, bytes]:
        if self._event_tag is None:
            with self._db.reading() as session:
                event = load_event(session)
                self._event_tag, self._event_key = event.tag, event.secret_key
        return self._event_tag, self._event_key

    def _reject(self, shown: str, station: Station, state: ScanState, message: str) -> ScanResult:
        result = ScanResult(shown, state, message)
        self._db.write_rows(lambda c: log_scan(c, result, station))
        return result

    def _apply(
        self,
        connection: Connection,
        shown: str,
        code: codes.Code,
        station: Station,
        current: str | None,
    ) -> ScanResult:
        # Core statements on the write connection for the everyday scans (a check-in, a
        # redemption); the rarer ones (flyers, prizes, binding stock) use the ORM on the same
        # transaction.
        if code.kind is codes.CodeKind.FLYER:
            with _orm(connection) as session:
                result = self._flyer(session, shown, code, station, current)
            return _logged(connection, station, result)
        if code.kind is codes.CodeKind.ATTENDEE:
            person = person_row(connection, code.value)
            if person is None:
                unknown = "This person is not in this event file"
                return _logged(connection, station, ScanResult(shown, ScanState.UNKNOWN, unknown))
            if station.mode is StationMode.DESK:
                result = self._check_in(connection, shown, person, station)
            else:
                with _orm(connection) as session:
                    attendee = session.get_one(Attendee, person.id)
                    result = self._attendee_elsewhere(session, shown, attendee, station)
            return _logged(connection, station, result, attendee_id=person.id)
        ticket = ticket_row(connection, code.value)
        if ticket is None:
            result = ScanResult(shown, ScanState.UNKNOWN, "This ticket is not in this event file")
            return _logged(connection, station, result)
        result, holder = self._ticket(connection, shown, ticket, station, current)
        return _logged(connection, station, result, attendee_id=holder, ticket_id=ticket.id)

    def _check_in(
        self, connection: Connection, shown: str, person: PersonRow, station: Station
    ) -> ScanResult:
        if person.has_defaults and person.checkin_id is None:
            with _orm(connection) as session:
                attendee = session.get_one(Attendee, person.id)
                outcome = check_in_in_session(session, attendee, station)
            return result_for(shown, person.card, outcome)
        if person.checkin_id is not None:  # the snapshot saw the live check-in
            card = person.card
            assert card.checked_in_at is not None
            earlier = CheckInOutcome(
                ScanState.ALREADY_CHECKED_IN, card.checked_in_at, card.checked_in_station or ""
            )
            return result_for(shown, card, earlier)
        checkin = add_checkin(connection, person.id, station)
        if not isinstance(checkin, CheckInOutcome):
            head = person.audit_head  # nothing appended since the snapshot
            record_checkin(connection, checkin, person.card.code, (), station, audit_head=head)
            checkin = CheckInOutcome(ScanState.CHECKED_IN, checkin.at, station.name)
        return result_for(shown, person.card, checkin)

    def _attendee_elsewhere(
        self, session: Session, shown: str, attendee: Attendee, station: Station
    ) -> ScanResult:
        """A person's own code at a resource station redeems one of their tickets for it."""
        info = attendee_info(session, attendee, with_tickets=False)
        if station.mode is StationMode.RESOURCE and station.ticket_type:
            held = [
                t
                for t in attendee.tickets
                if t.type.name == station.ticket_type
                and t.state in ("issued", "redeemed")
                and _valid_here(t.type.kind, t.type.name, t.type.stations, station)
            ]
            ticket = next((t for t in held if t.state == "issued"), None)
            if ticket is not None:
                session.flush()
                connection = session.connection()
                row = ticket_row(connection, ticket.code)
                assert row is not None
                return self._redeem(connection, shown, row, station)
            if held:
                last = max(held, key=lambda t: t.redeemed_at or t.issued_at or t.created_at)
                return _already(shown, ticket_info(last), info)
            return ScanResult(
                shown,
                ScanState.NOT_VALID_HERE,
                f"{info.display_name} has no {station.ticket_type} ticket",
                attendee=info,
                params={"name": info.display_name, "type": station.ticket_type, "why": "no_ticket"},
            )
        return ScanResult(
            shown,
            ScanState.NOT_VALID_HERE,
            f"{info.display_name}: check-in happens at the desk",
            attendee=info,
            params={"name": info.display_name, "why": "desk_only"},
        )

    def _flyer(
        self, session: Session, shown: str, code: codes.Code, station: Station, current: str | None
    ) -> ScanResult:
        campaign = session.scalar(select(Campaign).where(Campaign.code == code.value))
        if campaign is None:
            return ScanResult(shown, ScanState.UNKNOWN, "This flyer is not in this event file")
        params = {"campaign": campaign.name}
        attendee = (
            session.scalar(select(Attendee).where(Attendee.code == current)) if current else None
        )
        if attendee is None:
            return ScanResult(
                shown,
                ScanState.FLYER,
                f"Flyer '{campaign.name}': register the person as a walk-up, "
                "or scan their code first",
                params=params,
            )
        attendee.campaign_id = campaign.id
        attendee.heard_about = heard_label(campaign)
        audit.record(
            session,
            "campaign_recorded",
            station=station.name,
            volunteer=station.volunteer,
            subject=attendee.uid,
            detail={"campaign": campaign.name},
        )
        info = attendee_info(session, attendee, with_tickets=False)
        return ScanResult(
            shown,
            ScanState.CAMPAIGN_RECORDED,
            f"{info.display_name} heard about us from the flyer '{campaign.name}'",
            attendee=info,
            params=params,
        )

    def _ticket(
        self,
        connection: Connection,
        shown: str,
        ticket: TicketRow,
        station: Station,
        current: str | None,
    ) -> tuple[ScanResult, int | None]:
        """The answer to a ticket, and the person it belongs to now (for the scan log)."""
        name = ticket.type_name
        params: dict[str, object] = {"type": name, "serial": ticket.serial}
        holder = ticket.owner_id
        if ticket.state == "void":
            return _cancelled(shown, ticket.info), holder
        if station.mode is StationMode.PRIZE or ticket.state == "unassigned":
            with _orm(connection) as session:
                orm_ticket = session.get_one(Ticket, ticket.id)
                if station.mode is StationMode.PRIZE:
                    state, message, extra = claim_in_session(session, orm_ticket, station)
                    owner = ticket.owner
                    result = ScanResult(
                        shown,
                        state,
                        message,
                        ticket=ticket_info(orm_ticket),
                        attendee=owner,
                        params={**params, **extra},
                    )
                else:
                    result = self._unassigned(session, shown, orm_ticket, station, current)
                return result, orm_ticket.attendee_id
        if station.mode is StationMode.DESK:
            owner_name = ticket.owner.display_name if ticket.owner else "?"
            return ScanResult(
                shown,
                ScanState.NOT_VALID_HERE,
                _belongs_to(name, ticket.serial, owner_name),
                ticket=ticket.info,
                attendee=ticket.owner,
                params={**params, "name": owner_name, "why": "holder"},
            ), holder
        if not _valid_here(ticket.kind, name, ticket.stations, station):
            where = station.ticket_type or station.name
            return ScanResult(
                shown,
                ScanState.NOT_VALID_HERE,
                f"This is a {name} ticket; this station gives out {where}",
                ticket=ticket.info,
                params={**params, "station_type": where},
            ), holder
        if ticket.state == "redeemed":
            return _already(shown, ticket.info, ticket.owner), holder
        return self._redeem(connection, shown, ticket, station), holder

    def _redeem(
        self, connection: Connection, shown: str, ticket: TicketRow, station: Station
    ) -> ScanResult:
        # Nothing was appended to the audit log since the snapshot: its head still holds.
        at = redeem_row(
            connection,
            ticket.id,
            ticket.uid,
            ticket.info.code,
            station,
            audit_head=ticket.audit_head,
        )
        if at is None:  # another station's redemption won: show theirs
            now = ticket_row(connection, ticket.info.code)
            assert now is not None
            if now.state != "redeemed":
                return _cancelled(shown, now.info)
            return _already(shown, now.info, now.owner)
        info = dataclasses.replace(
            ticket.info, state="redeemed", redeemed_at=at, redeemed_station=station.name
        )
        name = ticket.owner.display_name if ticket.owner else ""
        return ScanResult(
            shown,
            ScanState.REDEEMED,
            f"{ticket.type_name}: hand it over" + (f" to {name}" if name else ""),
            ticket=info,
            attendee=ticket.owner,
            params={"type": ticket.type_name, "serial": ticket.serial, "name": name},
        )

    def _unassigned(
        self, session: Session, shown: str, ticket: Ticket, station: Station, current: str | None
    ) -> ScanResult:
        params: dict[str, object] = {"type": ticket.type.name, "serial": ticket.serial}
        attendee = (
            session.scalar(select(Attendee).where(Attendee.code == current))
            if current and station.mode is StationMode.DESK
            else None
        )
        if attendee is None:
            return ScanResult(
                shown,
                ScanState.UNASSIGNED,
                f"{ticket.type.name} ticket No. {ticket.serial} is not given to anyone yet: "
                "at the desk, scan or pick the person first, then this ticket",
                ticket=ticket_info(ticket),
                params=params,
            )
        state = bind_in_session(session, ticket, attendee, station)
        info = attendee_info(session, attendee, with_tickets=False)
        params["name"] = info.display_name
        label, name = ticket.type.name, info.display_name
        messages = {
            ScanState.TICKET_BOUND: f"{label} ticket No. {ticket.serial} given to {name}",
            ScanState.LIMIT_REACHED: f"{name} already has all the {label} tickets they get",
            ScanState.OUT_OF_STOCK: f"No {label} left in stock",
        }
        if state is ScanState.NOT_VALID_HERE:  # another desk gave it out at the same moment
            holder = ticket.attendee
            owner = "?"
            if holder is not None:
                owner = person_name(holder.first_name, holder.last_name, holder.number)
            messages[state] = _belongs_to(label, ticket.serial, owner)
            params.update(name=owner, why="holder")
        message = messages.get(state, f"This ticket cannot be given out ({state.value})")
        return ScanResult(
            shown, state, message, ticket=ticket_info(ticket), attendee=info, params=params
        )


def _valid_here(kind: str, type_name: str, stations: str, station: Station) -> bool:
    """A resource ticket at a station that gives out its type and is on the type's list."""
    allowed = [s for s in stations.split(",") if s]
    return (
        kind == "resource"
        and (not station.ticket_type or station.ticket_type == type_name)
        and (not allowed or station.name in allowed)
    )


def _cancelled(shown: str, ticket: TicketInfo) -> ScanResult:
    params = {"type": ticket.type_name, "serial": ticket.serial}
    message = f"This {ticket.type_name} ticket was cancelled"
    return ScanResult(shown, ScanState.VOID, message, ticket=ticket, params=params)


def _belongs_to(type_name: str, serial: int, owner: str) -> str:
    return f"{type_name} ticket No. {serial} of {owner}: use it at the {type_name} station"


def _already(shown: str, ticket: TicketInfo, owner: AttendeeInfo | None) -> ScanResult:
    when, where = clock(ticket.redeemed_at), ticket.redeemed_station or ""
    return ScanResult(
        shown,
        ScanState.ALREADY_REDEEMED,
        f"{ticket.type_name} ticket No. {ticket.serial} was already used at {when}"
        + (f" at {where}" if where else ""),
        ticket=ticket,
        attendee=owner,
        params={
            "type": ticket.type_name,
            "serial": ticket.serial,
            "when": when,
            "where": where,
            "name": owner.display_name if owner else "",
        },
    )


@contextlib.contextmanager
def _orm(connection: Connection) -> Iterator[Session]:
    """An ORM session inside the scan's write transaction; it never commits or rolls back the
    transaction itself (the engine's write does)."""
    session = Session(
        bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
    )
    try:
        yield session
        session.flush()
    finally:
        session.close()


def _logged(
    connection: Connection,
    station: Station,
    result: ScanResult,
    *,
    attendee_id: int | None = None,
    ticket_id: int | None = None,
) -> ScanResult:
    log_scan(connection, result, station, attendee_id=attendee_id, ticket_id=ticket_id)
    return result
