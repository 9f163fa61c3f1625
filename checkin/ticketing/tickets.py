"""Ticket types and tickets: issuing by the household rules, pre-printed stock, binding,
redeeming exactly once, voiding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.event.events import load_event
from checkin.record import audit
from checkin.results import ScanState, Station, TicketInfo
from checkin.store import HELD_STATES, AllowanceRule, Database, TicketKind, TicketState
from checkin.store.models import Attendee, Event, Ticket, TicketType, utcnow
from checkin.ticketing.code_supply import fresh_code
from checkin.ticketing.snapshots import allowance, held_count, ticket_info

KINDS = tuple(TicketKind)
_TICKETS = cast("Table", Ticket.__table__)
RULES = tuple(AllowanceRule)


class TicketError(ValueError):
    """A request about tickets that cannot be met; the message says why."""


@dataclass(frozen=True)
class TicketTypeInfo:
    name: str
    kind: TicketKind
    rule: AllowanceRule
    quantity: int
    stock: int | None
    stations: tuple[str, ...]
    partner_text: str
    issue_at_checkin: bool
    at_checkin: int | None = None  # of the allowance, handed at check-in; None: all of it
    held: int = 0  # issued or redeemed
    redeemed: int = 0
    unassigned: int = 0

    @property
    def stock_left(self) -> int | None:
        return None if self.stock is None else max(0, self.stock - self.held)


@dataclass(frozen=True)
class IssueResult:
    message: str
    tickets: tuple[TicketInfo, ...] = ()
    refusal: ScanState | None = None  # LIMIT_REACHED or OUT_OF_STOCK when nothing was issued

    @property
    def ok(self) -> bool:
        return bool(self.tickets)


def checked_type(
    name: str,
    kind: TicketKind,
    rule: AllowanceRule,
    quantity: int,
    stock: int | None,
    at_checkin: int | None,
) -> str:
    """A ticket type's settings checked, for a new type and an edit alike; its tidied name."""
    name = " ".join(name.split())
    if not name:
        raise TicketError("A ticket type needs a name")
    if kind not in KINDS:
        raise TicketError(f"Kind must be one of {', '.join(KINDS)}")
    if rule not in RULES:
        raise TicketError(f"Rule must be one of {', '.join(RULES)}")
    if quantity < 0 or (stock is not None and stock < 0):
        raise TicketError("Quantity and stock cannot be negative")
    check_at_checkin(at_checkin)
    return name


def add_ticket_type(
    db: Database,
    name: str,
    kind: TicketKind,
    *,
    rule: AllowanceRule = AllowanceRule.FIXED,
    quantity: int = 1,
    stock: int | None = None,
    stations: tuple[str, ...] = (),
    partner_text: str = "",
    issue_at_checkin: bool = False,
    at_checkin: int | None = None,
    station: str = "",
) -> TicketTypeInfo:
    name = checked_type(name, kind, rule, quantity, stock, at_checkin)

    def work(session: Session) -> TicketTypeInfo:
        if session.scalar(select(TicketType.id).where(TicketType.name == name)) is not None:
            raise TicketError(f"There is already a ticket type called {name}")
        position = (session.scalar(select(func.max(TicketType.position))) or 0) + 1
        ticket_type = TicketType(
            name=name,
            kind=TicketKind(kind),  # checked: a member even when a caller passed its string
            rule=AllowanceRule(rule),
            quantity=quantity,
            stock=stock,
            stations=",".join(s.strip() for s in stations if s.strip()),
            partner_text=partner_text,
            issue_at_checkin=issue_at_checkin,
            at_checkin=at_checkin,
            position=position,
        )
        session.add(ticket_type)
        session.flush()
        audit.record(
            session,
            "ticket_type_added",
            station=station,
            subject=ticket_type.uid,
            detail={
                "name": name,
                "kind": kind,
                "rule": rule,
                "quantity": quantity,
                "stock": stock,
                "at_checkin": at_checkin if issue_at_checkin else 0,
            },
        )
        return _type_info(session, ticket_type)

    return db.write(work)


def check_at_checkin(at_checkin: int | None) -> None:
    if at_checkin is not None and at_checkin < 1:
        raise TicketError("At check-in is a number of 1 or more, or all of the allowance")


def list_ticket_types(db: Database) -> list[TicketTypeInfo]:
    with db.reading() as session:
        types = session.scalars(select(TicketType).order_by(TicketType.position, TicketType.id))
        return [_type_info(session, t) for t in types]


def _type_info(session: Session, ticket_type: TicketType) -> TicketTypeInfo:
    counts = dict(
        session.execute(
            select(Ticket.state, func.count(Ticket.id))
            .where(Ticket.type_id == ticket_type.id)
            .group_by(Ticket.state)
        ).all()
    )
    return TicketTypeInfo(
        name=ticket_type.name,
        kind=ticket_type.kind,
        rule=ticket_type.rule,
        quantity=ticket_type.quantity,
        stock=ticket_type.stock,
        stations=tuple(s for s in ticket_type.stations.split(",") if s),
        partner_text=ticket_type.partner_text,
        issue_at_checkin=ticket_type.issue_at_checkin,
        at_checkin=ticket_type.at_checkin,
        held=sum(counts.get(state, 0) for state in HELD_STATES),
        redeemed=counts.get(TicketState.REDEEMED, 0),
        unassigned=counts.get(TicketState.UNASSIGNED, 0),
    )


def find_type(session: Session, name: str) -> TicketType | None:
    wanted = " ".join(name.split()).casefold()
    for ticket_type in session.scalars(select(TicketType)):
        if ticket_type.name.casefold() == wanted:
            return ticket_type
    return None


def lock_type(session: Session, ticket_type: TicketType) -> None:
    """Serialise stock decisions for one type across stations (FOR UPDATE; no-op on SQLite)."""
    session.execute(select(TicketType.id).where(TicketType.id == ticket_type.id).with_for_update())


def stock_left(session: Session, ticket_type: TicketType) -> int | None:
    if ticket_type.stock is None:
        return None
    held = (
        session.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.type_id == ticket_type.id, Ticket.state.in_(HELD_STATES)
            )
        )
        or 0
    )
    return max(0, ticket_type.stock - held)


def new_ticket(
    session: Session, event: Event, ticket_type: TicketType, state: TicketState
) -> Ticket:
    """A ticket of the type with a fresh code and the type's next serial (not added yet)."""
    ticket = Ticket(
        code=fresh_code(session, Ticket.code, codes.CodeKind.TICKET, event.tag, event.secret_key),
        serial=ticket_type.next_serial,
        type_id=ticket_type.id,
        state=state,
    )
    ticket_type.next_serial += 1
    return ticket


def issue_in_session(
    session: Session,
    attendee: Attendee,
    ticket_type: TicketType,
    count: int | None,
    station: Station,
    *,
    record: bool = True,
) -> IssueResult:
    """Issue ``count`` tickets (None: whatever the household is still due)."""
    lock_type(session, ticket_type)
    due = allowance(ticket_type, attendee) - held_count(session, ticket_type.id, attendee.id)
    wanted = due if count is None else count
    if wanted <= 0 or wanted > due:
        return IssueResult(
            f"{ticket_type.name}: this household has had all it gets "
            f"({allowance(ticket_type, attendee)})"
            if due <= 0
            else f"{ticket_type.name}: only {due} more for this household",
            refusal=ScanState.LIMIT_REACHED,
        )
    left = stock_left(session, ticket_type)
    if left is not None and left < wanted:
        return IssueResult(
            f"{ticket_type.name}: only {left} left in stock", refusal=ScanState.OUT_OF_STOCK
        )
    event = load_event(session)
    now = utcnow()
    tickets = []
    for _ in range(wanted):
        ticket = new_ticket(session, event, ticket_type, TicketState.ISSUED)
        ticket.attendee_id = attendee.id
        ticket.issued_at = now
        ticket.issued_station = station.name
        tickets.append(ticket)
    session.add_all(tickets)
    session.flush()
    if record:  # check-in records the tickets it hands out in its own entry, for undo
        audit.record(
            session,
            "tickets_issued",
            station=station.name,
            volunteer=station.volunteer,
            subject=attendee.uid,
            detail={"type": ticket_type.name, "codes": [t.code for t in tickets]},
        )
    infos = tuple(ticket_info(t, ticket_type) for t in tickets)
    return IssueResult(f"{wanted} {ticket_type.name} issued", infos)


def issue_tickets(
    db: Database,
    attendee_code: str,
    type_name: str,
    *,
    count: int | None = None,
    station: Station | None = None,
) -> IssueResult:
    where = station or Station("")
    value = codes.normalize(attendee_code) or attendee_code

    def work(session: Session) -> IssueResult:
        attendee = session.scalar(select(Attendee).where(Attendee.code == value))
        if attendee is None:
            raise TicketError(f"No attendee with code {attendee_code}")
        ticket_type = find_type(session, type_name)
        if ticket_type is None:
            raise TicketError(f"No ticket type called {type_name}")
        return issue_in_session(session, attendee, ticket_type, count, where)

    return db.write(work)


def create_stock(
    db: Database,
    type_name: str,
    count: int,
    *,
    station: Station | None = None,
    per_sheet: int | None = None,
) -> list[TicketInfo]:
    """Unassigned tickets for pre-printed sheets; bound to a person when scanned at the desk.
    With ``per_sheet`` (the layout's tickets a page) each page gets the event's next sheet
    number, printed on it, so a sheet that goes missing is voided by it
    (checkin.ticketing.ticket_voiding.void_sheet)."""
    if not 1 <= count <= 10000:
        raise TicketError("Stock count must be between 1 and 10000")
    where = station or Station("")

    def work(session: Session) -> list[TicketInfo]:
        ticket_type = find_type(session, type_name)
        if ticket_type is None:
            raise TicketError(f"No ticket type called {type_name}")
        event = load_event(session)
        tickets = [
            new_ticket(session, event, ticket_type, TicketState.UNASSIGNED) for _ in range(count)
        ]
        sheets: list[list[int]] = []
        if per_sheet:
            first = (session.scalar(select(func.max(Ticket.sheet))) or 0) + 1
            for index, ticket in enumerate(tickets):
                ticket.sheet = first + index // per_sheet
                if index % per_sheet == 0:
                    sheets.append([ticket.sheet, ticket.serial, ticket.serial])
                sheets[-1][2] = ticket.serial
        session.add_all(tickets)
        session.flush()
        audit.record(
            session,
            "stock_created",
            station=where.name,
            volunteer=where.volunteer,
            subject=ticket_type.uid,
            detail={
                "type": ticket_type.name,
                "count": count,
                "serials": [tickets[0].serial, tickets[-1].serial],
                **({"sheets": sheets} if sheets else {}),
            },
        )
        return [ticket_info(t, ticket_type) for t in tickets]

    return db.write(work)


def void_ticket(
    db: Database, code: str, *, station: Station | None = None, reason: str = ""
) -> TicketInfo:
    where = station or Station("")
    value = codes.normalize(code) or code

    def work(session: Session) -> TicketInfo:
        ticket = session.scalar(select(Ticket).where(Ticket.code == value))
        if ticket is None:
            raise TicketError(f"No ticket with code {code}")
        if ticket.state == TicketState.VOID:
            return ticket_info(ticket)
        previous = ticket.state
        ticket.state, ticket.voided_at = TicketState.VOID, utcnow()
        ticket.void_reason = " ".join(reason.split())[:20]
        audit.record(
            session,
            "ticket_voided",
            station=where.name,
            volunteer=where.volunteer,
            subject=ticket.uid,
            detail={"code": ticket.code, "was": previous, "reason": reason},
        )
        return ticket_info(ticket)

    return db.write(work)


def get_ticket(db: Database, code: str) -> TicketInfo | None:
    value = codes.normalize(code) or code
    with db.reading() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.code == value))
        return ticket_info(ticket) if ticket else None
