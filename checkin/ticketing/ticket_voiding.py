"""Voiding tickets that went missing: one ticket or several (lost, stolen, damaged), with a
replacement for the household that held each, or a whole pre-printed stock sheet by the
number printed on it.

A voided ticket scans red, "Voided ticket (reason, when)" (checkin/scanning/engine.py). Each
void is one audit entry sealing every row it changed, so `checkin verify` replays it, and the
station's Undo puts the tickets back as they were and voids their replacements
(checkin/undo.py). A ticket already used is left alone: voiding it would change nothing at
the tables, and the record keeps what was handed over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.event.events import load_event
from checkin.record import audit
from checkin.results import Station, TicketInfo
from checkin.store import HELD_STATES, Database, TicketState
from checkin.store.models import Ticket, TicketType, utcnow
from checkin.ticketing.snapshots import ticket_info
from checkin.ticketing.tickets import TicketError, new_ticket

REASONS = ("lost", "stolen", "damaged")
VOIDED = "tickets_voided"  # the audit action (one entry for the codes, or for a sheet)
SHEET_VOIDED = "sheet_voided"


@dataclass(frozen=True)
class VoidResult:
    voided: tuple[TicketInfo, ...]
    replacements: tuple[TicketInfo, ...] = ()
    used: tuple[TicketInfo, ...] = ()  # redeemed already: left as they are
    already: tuple[TicketInfo, ...] = ()  # void before
    unknown: tuple[str, ...] = ()  # codes of no ticket in this event (nothing was done)
    sheet: int | None = None

    @property
    def message(self) -> str:
        """In English, for the CLI and logs; the GUI words its own from the counts."""
        parts = []
        if self.voided:
            where = f"sheet {self.sheet}: " if self.sheet is not None else ""
            parts.append(f"{where}{len(self.voided)} voided ({_labels(self.voided)})")
        if self.replacements:
            parts.append(f"{len(self.replacements)} replacements ({_labels(self.replacements)})")
        if self.used:
            parts.append(f"already used, left as they are: {_labels(self.used)}")
        if self.already:
            parts.append(f"void already: {_labels(self.already)}")
        return "; ".join(parts) or "nothing to void"


def _labels(tickets: Iterable[TicketInfo]) -> str:
    return ", ".join(f"{t.type_name} No. {t.serial}" for t in tickets)


def check_reason(reason: str) -> str:
    wanted = reason.strip().casefold()
    if wanted not in REASONS:
        raise TicketError(f"The reason is one of {', '.join(REASONS)}")
    return wanted


def void_tickets(
    db: Database,
    ticket_codes: Iterable[str],
    reason: str,
    *,
    replace: bool = False,
    station: Station | None = None,
) -> VoidResult:
    """Void these tickets in one transaction; with ``replace`` each one a household held gets
    a new ticket of its type at once (to print). Unknown codes void nothing: the organiser
    typed one wrong, and should look before anything changes."""
    why = check_reason(reason)
    where = station or Station("")
    wanted = [codes.normalize(c) or c.strip() for c in ticket_codes if c.strip()]
    if not wanted:
        raise TicketError("No ticket code given")

    def work(session: Session) -> VoidResult:
        found = {t.code: t for t in session.scalars(select(Ticket).where(Ticket.code.in_(wanted)))}
        unknown = tuple(c for c in wanted if c not in found)
        if unknown:
            return VoidResult((), unknown=unknown)
        chosen = [found[c] for c in dict.fromkeys(wanted)]
        return _void(session, chosen, why, replace, where, sheet=None)

    return db.write(work)


def void_sheet(
    db: Database, sheet: int, reason: str, *, station: Station | None = None
) -> VoidResult:
    """Void the tickets of a pre-printed stock sheet not given to anyone yet. Those already
    given out from it stay with their holders: they were handed over before the sheet went
    missing (void one of them by its code if it went too)."""
    why = check_reason(reason)
    where = station or Station("")

    def work(session: Session) -> VoidResult:
        on_sheet = list(
            session.scalars(select(Ticket).where(Ticket.sheet == sheet).order_by(Ticket.serial))
        )
        if not on_sheet:
            raise TicketError(f"No stock sheet {sheet} in this event")
        left = [t for t in on_sheet if t.state == TicketState.UNASSIGNED]
        held = tuple(ticket_info(t) for t in on_sheet if t.state in HELD_STATES)
        before = tuple(ticket_info(t) for t in on_sheet if t.state == TicketState.VOID)
        result = _void(session, left, why, False, where, sheet=sheet)
        return VoidResult(result.voided, used=held, already=before, sheet=sheet)

    return db.write(work)


def _void(
    session: Session,
    chosen: list[Ticket],
    reason: str,
    replace: bool,
    station: Station,
    *,
    sheet: int | None,
) -> VoidResult:
    now = utcnow()
    voided: list[Ticket] = []
    was: dict[str, TicketState] = {}
    used, already = [], []
    for ticket in chosen:
        if ticket.state == TicketState.REDEEMED:
            used.append(ticket_info(ticket))
        elif ticket.state == TicketState.VOID:
            already.append(ticket_info(ticket))
        else:
            was[ticket.code] = ticket.state
            ticket.state, ticket.voided_at, ticket.void_reason = TicketState.VOID, now, reason
            voided.append(ticket)
    replacements: list[Ticket] = []
    if replace:
        event = load_event(session)
        for old in voided:
            if old.attendee is None or was[old.code] != TicketState.ISSUED:
                continue  # stock nobody held: nothing to replace
            made = new_ticket(session, event, old.type, TicketState.ISSUED)
            made.attendee_id = old.attendee_id
            made.issued_at, made.issued_station = now, station.name
            replacements.append(made)
        session.add_all(replacements)
    session.flush()
    if voided:
        holders = {t.attendee.uid for t in voided if t.attendee is not None}
        audit.record(
            session,
            SHEET_VOIDED if sheet is not None else VOIDED,
            station=station.name,
            volunteer=station.volunteer,
            # the household when one held them all, so its history finds the entry
            subject=next(iter(holders)) if len(holders) == 1 else voided[0].uid,
            detail={
                "codes": [t.code for t in voided],
                "was": was,
                "reason": reason,
                "replacements": [t.code for t in replacements],
                **({"sheet": sheet} if sheet is not None else {}),
            },
        )
    return VoidResult(
        tuple(ticket_info(t) for t in voided),
        tuple(ticket_info(t) for t in replacements),
        tuple(used),
        tuple(already),
        sheet=sheet,
    )


def sheets(db: Database) -> list[tuple[int, str, int, int, int]]:
    """The stock sheets: (number, type, first serial, last serial, tickets not given yet)."""
    with db.reading() as session:
        rows = session.execute(
            select(
                Ticket.sheet,
                TicketType.name,
                func.min(Ticket.serial),
                func.max(Ticket.serial),
                func.sum(case((Ticket.state == TicketState.UNASSIGNED, 1), else_=0)),
            )
            .join(TicketType, TicketType.id == Ticket.type_id)
            .where(Ticket.sheet.is_not(None))
            .group_by(Ticket.sheet, TicketType.name)
            .order_by(Ticket.sheet)
        ).all()
        return [(int(n), str(t), int(a), int(b), int(u or 0)) for n, t, a, b, u in rows]
