"""Changing and deleting ticket types from Setup, each change in the audit log."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.record import audit
from checkin.store import HELD_STATES, AllowanceRule, Database, TicketKind
from checkin.store.models import PaperTally, Station, Ticket, TicketType
from checkin.ticketing.tickets import (
    TicketError,
    TicketTypeInfo,
    _type_info,
    checked_type,
    find_type,
)


def update_ticket_type(
    db: Database,
    name: str,
    *,
    new_name: str,
    kind: TicketKind,
    rule: AllowanceRule,
    quantity: int,
    stock: int | None,
    stations: tuple[str, ...] = (),
    partner_text: str = "",
    issue_at_checkin: bool = False,
    at_checkin: int | None = None,
    station: str = "",
) -> TicketTypeInfo:
    """Replace a type's settings; refused (TicketError) when the result would not make sense."""
    clean = checked_type(new_name, kind, rule, quantity, stock, at_checkin)

    def work(session: Session) -> TicketTypeInfo:
        ticket_type = find_type(session, name)
        if ticket_type is None:
            raise TicketError(f"No ticket type called {name}")
        clash = session.scalar(
            select(TicketType.id).where(TicketType.name == clean, TicketType.id != ticket_type.id)
        )
        if clash is not None:
            raise TicketError(f"There is already a ticket type called {clean}")
        if kind != ticket_type.kind and _ticket_count(session, ticket_type) > 0:
            # A raffle ticket already in someone's hand must not turn into a meal voucher.
            raise TicketError(f"{ticket_type.name} already has tickets: its kind cannot change")
        if stock is not None:
            held = _ticket_count(session, ticket_type, HELD_STATES)
            if stock < held:
                raise TicketError(
                    f"{ticket_type.name}: {held} already handed out, so stock cannot be {stock}"
                )
        before = {
            "name": ticket_type.name,
            "kind": ticket_type.kind,
            "rule": ticket_type.rule,
            "quantity": ticket_type.quantity,
            "stock": ticket_type.stock,
            "stations": ticket_type.stations,
            "partner_text": ticket_type.partner_text,
            "issue_at_checkin": ticket_type.issue_at_checkin,
            "at_checkin": ticket_type.at_checkin,
        }
        ticket_type.name, ticket_type.kind, ticket_type.rule = (
            clean,
            TicketKind(kind),
            AllowanceRule(rule),
        )
        ticket_type.quantity, ticket_type.stock = quantity, stock
        ticket_type.stations = ",".join(s.strip() for s in stations if s.strip())
        ticket_type.partner_text = partner_text
        ticket_type.issue_at_checkin = issue_at_checkin
        ticket_type.at_checkin = at_checkin
        after = {key: getattr(ticket_type, key) for key in before}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        session.flush()
        audit.record(
            session,
            "ticket_type_updated",
            station=station,
            subject=ticket_type.uid,
            detail={"name": clean, "changes": changes},
        )
        return _type_info(session, ticket_type)

    return db.write(work)


def delete_ticket_type(db: Database, name: str, *, station: str = "") -> None:
    """Delete a type nobody has used yet; one with tickets or a station is refused."""

    def work(session: Session) -> None:
        ticket_type = find_type(session, name)
        if ticket_type is None:
            raise TicketError(f"No ticket type called {name}")
        count = _ticket_count(session, ticket_type)
        if count:
            raise TicketError(
                f"{ticket_type.name} has {count} tickets: it cannot be deleted "
                "(set its stock to what was handed out instead)"
            )
        users = list(
            session.scalars(select(Station.name).where(Station.ticket_type_id == ticket_type.id))
        )
        if users:
            raise TicketError(
                f"{ticket_type.name} is given at station {', '.join(users)}: change it first"
            )
        tallies = session.scalar(
            select(func.count(PaperTally.id)).where(PaperTally.ticket_type_id == ticket_type.id)
        )
        if tallies:
            raise TicketError(f"{ticket_type.name} has paper tallies: it cannot be deleted")
        audit.record(
            session,
            "ticket_type_deleted",
            station=station,
            subject=ticket_type.uid,
            detail={"name": ticket_type.name},
        )
        session.delete(ticket_type)

    db.write(work)


def _ticket_count(
    session: Session, ticket_type: TicketType, states: tuple[str, ...] | None = None
) -> int:
    stmt = select(func.count(Ticket.id)).where(Ticket.type_id == ticket_type.id)
    if states is not None:
        stmt = stmt.where(Ticket.state.in_(states))
    return session.scalar(stmt) or 0
