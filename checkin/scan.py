"""The scan engine: raw scanner input and a station in, one result out.

Never raises on any input. Every scan is logged in the same transaction as its effect, so what
the screen shows is what is on disk. A scanner that fires twice (same input at the same station
within two seconds) gets the same answer and causes no second effect.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import audit, codes
from checkin.campaigns import heard_label
from checkin.checkins import check_in_in_session, result_for
from checkin.claims import claim_in_session
from checkin.db import Database
from checkin.events import load_event
from checkin.models import Attendee, Campaign, Ticket, TicketType
from checkin.results import AttendeeInfo, ScanResult, ScanState, Station, StationMode
from checkin.scanlog import log_scan, printable
from checkin.snapshots import attendee_info, ticket_info
from checkin.tickets import bind_in_session, redeem_in_session
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
            log.exception("scan failed")
            return ScanResult(
                printable(raw),
                ScanState.NOT_SAVED,
                f"NOT saved: the event file could not be written ({exc}). Scan again.",
                params={"error": str(exc)},
            )

    def _scan(self, raw: str, station: Station, current: str | None) -> ScanResult:
        text = raw.strip(_TERMINATORS + " ")
        # The person on screen may come typed by hand (the CLI's --for) like any code.
        current = (codes.normalize(current) or current.strip()) if current else None
        # Same input, same station, same person on screen: a scanner firing twice. With another
        # person picked in between it is a new request (a pre-printed ticket scanned first with
        # nobody on screen, then for the person).
        key = (station.name, text.upper().replace("-", ""), current or "")
        now = self._clock()
        with self._lock:
            self._recent = {k: v for k, v in self._recent.items() if now - v[0] < self._debounce}
            cached = self._recent.get(key)
        if cached is not None:
            repeat = dataclasses.replace(cached[1], repeat=True)
            self._db.write(lambda s: log_scan(s, repeat, station))
            return repeat
        result = self._fresh(text, station, current)
        with self._lock:
            self._recent[key] = (now, result)
        return result

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
        return self._db.write(lambda s: self._apply(s, shown, parsed, station, current))

    def _event_secrets(self) -> tuple[str, bytes]:
        if self._event_tag is None:
            with self._db.reading() as session:
                event = load_event(session)
                self._event_tag, self._event_key = event.tag, event.secret_key
        return self._event_tag, self._event_key

    def _reject(self, shown: str, station: Station, state: ScanState, message: str) -> ScanResult:
        result = ScanResult(shown, state, message)
        self._db.write(lambda s: log_scan(s, result, station))
        return result

    def _apply(
        self, session: Session, shown: str, code: codes.Code, station: Station, current: str | None
    ) -> ScanResult:
        if code.kind is codes.CodeKind.ATTENDEE:
            attendee = session.scalar(select(Attendee).where(Attendee.code == code.value))
            if attendee is None:
                return _logged(
                    session,
                    station,
                    ScanResult(shown, ScanState.UNKNOWN, "This person is not in this event file"),
                )
            if station.mode is StationMode.DESK:
                outcome = check_in_in_session(session, attendee, station)
                result = result_for(session, shown, attendee, outcome)
            else:
                result = self._attendee_elsewhere(session, shown, attendee, station)
            return _logged(session, station, result, attendee_id=attendee.id)
        if code.kind is codes.CodeKind.FLYER:
            return _logged(session, station, self._flyer(session, shown, code, station, current))
        ticket = session.scalar(select(Ticket).where(Ticket.code == code.value))
        if ticket is None:
            return _logged(
                session,
                station,
                ScanResult(shown, ScanState.UNKNOWN, "This ticket is not in this event file"),
            )
        result = self._ticket(session, shown, ticket, station, current)
        return _logged(
            session, station, result, attendee_id=ticket.attendee_id, ticket_id=ticket.id
        )

    def _attendee_elsewhere(
        self, session: Session, shown: str, attendee: Attendee, station: Station
    ) -> ScanResult:
        """A person's own code at a resource station redeems one of their tickets for it."""
        info = attendee_info(session, attendee)
        if station.mode is StationMode.RESOURCE and station.ticket_type:
            held = [
                t
                for t in attendee.tickets
                if t.type.name == station.ticket_type
                and t.state in ("issued", "redeemed")
                and _valid_here(t.type, station)
            ]
            ticket = next((t for t in held if t.state == "issued"), None)
            if ticket is not None:
                return self._redeem(session, shown, ticket, station, info_name=info.display_name)
            if held:
                last = max(held, key=lambda t: t.redeemed_at or t.issued_at or t.created_at)
                return self._already(shown, last, info_name=info.display_name, session=session)
            return ScanResult(
                shown,
                ScanState.NOT_VALID_HERE,
                f"{info.display_name} has no {station.ticket_type} ticket",
                attendee=info,
                params={"name": info.display_name, "type": station.ticket_type},
            )
        return ScanResult(
            shown,
            ScanState.NOT_VALID_HERE,
            f"{info.display_name}: check-in happens at the desk",
            attendee=info,
            params={"name": info.display_name},
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
        info = attendee_info(session, attendee)
        return ScanResult(
            shown,
            ScanState.CAMPAIGN_RECORDED,
            f"{info.display_name} heard about us from the flyer '{campaign.name}'",
            attendee=info,
            params=params,
        )

    def _ticket(
        self, session: Session, shown: str, ticket: Ticket, station: Station, current: str | None
    ) -> ScanResult:
        ticket_type = ticket.type
        params: dict[str, object] = {"type": ticket_type.name, "serial": ticket.serial}
        if ticket.state == "void":
            return ScanResult(
                shown,
                ScanState.VOID,
                f"This {ticket_type.name} ticket was cancelled",
                ticket=ticket_info(ticket),
                params=params,
            )
        if station.mode is StationMode.PRIZE:
            state, message, extra = claim_in_session(session, ticket, station)
            return ScanResult(
                shown,
                state,
                message,
                ticket=ticket_info(ticket),
                attendee=_owner(session, ticket),
                params={**params, **extra},
            )
        if ticket.state == "unassigned":
            return self._unassigned(session, shown, ticket, station, current)
        if station.mode is StationMode.DESK:
            owner = _owner(session, ticket)
            name = owner.display_name if owner else "?"
            return ScanResult(
                shown,
                ScanState.NOT_VALID_HERE,
                f"{ticket_type.name} ticket No. {ticket.serial} of {name}: "
                f"use it at the {ticket_type.name} station",
                ticket=ticket_info(ticket),
                attendee=owner,
                params={**params, "name": name},
            )
        if not _valid_here(ticket_type, station):
            where = station.ticket_type or station.name
            return ScanResult(
                shown,
                ScanState.NOT_VALID_HERE,
                f"This is a {ticket_type.name} ticket; this station gives out {where}",
                ticket=ticket_info(ticket),
                params={**params, "station_type": where},
            )
        if ticket.state == "redeemed":
            return self._already(shown, ticket, session=session)
        return self._redeem(session, shown, ticket, station)

    def _redeem(
        self, session: Session, shown: str, ticket: Ticket, station: Station, info_name: str = ""
    ) -> ScanResult:
        if not redeem_in_session(session, ticket, station):
            return self._already(shown, ticket, session=session)
        owner = _owner(session, ticket, brief=True)
        name = info_name or (owner.display_name if owner else "")
        return ScanResult(
            shown,
            ScanState.REDEEMED,
            f"{ticket.type.name}: hand it over" + (f" to {name}" if name else ""),
            ticket=ticket_info(ticket),
            attendee=owner,
            params={"type": ticket.type.name, "serial": ticket.serial, "name": name},
        )

    def _already(
        self, shown: str, ticket: Ticket, *, session: Session, info_name: str = ""
    ) -> ScanResult:
        when, where = clock(ticket.redeemed_at), ticket.redeemed_station
        return ScanResult(
            shown,
            ScanState.ALREADY_REDEEMED,
            f"{ticket.type.name} ticket No. {ticket.serial} was already used at {when}"
            + (f" at {where}" if where else ""),
            ticket=ticket_info(ticket),
            attendee=_owner(session, ticket, brief=True),
            params={"type": ticket.type.name, "when": when, "where": where, "name": info_name},
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
        info = attendee_info(session, attendee)
        params["name"] = info.display_name
        label, name = ticket.type.name, info.display_name
        messages = {
            ScanState.TICKET_BOUND: f"{label} ticket No. {ticket.serial} given to {name}",
            ScanState.LIMIT_REACHED: f"{name} already has all the {label} tickets they get",
            ScanState.OUT_OF_STOCK: f"No {label} left in stock",
        }
        message = messages.get(state, f"This ticket cannot be given out ({state.value})")
        return ScanResult(
            shown, state, message, ticket=ticket_info(ticket), attendee=info, params=params
        )


def _valid_here(ticket_type: TicketType, station: Station) -> bool:
    """A resource ticket at a station that gives out its type and is on the type's list."""
    allowed = [s for s in ticket_type.stations.split(",") if s]
    return (
        ticket_type.kind == "resource"
        and (not station.ticket_type or station.ticket_type == ticket_type.name)
        and (not allowed or station.name in allowed)
    )


def _owner(session: Session, ticket: Ticket, *, brief: bool = False) -> AttendeeInfo | None:
    """The ticket holder's card; ``brief`` leaves out their tickets: a resource line only needs
    the name, and building the full card was a third of a redemption's time."""
    if ticket.attendee_id is None:
        return None
    attendee = session.get(Attendee, ticket.attendee_id)
    return attendee_info(session, attendee, with_tickets=not brief) if attendee else None


def _logged(
    session: Session,
    station: Station,
    result: ScanResult,
    *,
    attendee_id: int | None = None,
    ticket_id: int | None = None,
) -> ScanResult:
    log_scan(session, result, station, attendee_id=attendee_id, ticket_id=ticket_id)
    return result
