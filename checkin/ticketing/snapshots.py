"""Turn rows into the plain values of checkin.results, and the ticket allowance rules."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin import card_values
from checkin.results import AttendeeInfo, TicketDue, TicketInfo
from checkin.store import HELD_STATES
from checkin.store import allowance as rule_allowance
from checkin.store.models import Attendee, CheckIn, Ticket, TicketType


def allowance(ticket_type: TicketType, attendee: Attendee) -> int:
    """How many tickets of this type a household gets (checkin.store.allowance)."""
    return rule_allowance(
        ticket_type.rule, ticket_type.quantity, attendee.adults, attendee.kids, attendee.seniors
    )


def held_count(session: Session, ticket_type_id: int, attendee_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.type_id == ticket_type_id,
                Ticket.attendee_id == attendee_id,
                Ticket.state.in_(HELD_STATES),
            )
        )
        or 0
    )


def ticket_info(ticket: Ticket, ticket_type: TicketType | None = None) -> TicketInfo:
    holder = ticket.attendee.code if ticket.attendee else None
    return card_values.ticket_info(ticket, ticket_type or ticket.type, holder)


def live_checkin(session: Session, attendee_id: int) -> CheckIn | None:
    return session.scalar(
        select(CheckIn).where(CheckIn.attendee_id == attendee_id, CheckIn.undone_at.is_(None))
    )


def attendee_info(
    session: Session, attendee: Attendee, *, with_tickets: bool = True
) -> AttendeeInfo:
    """A person's card, built as the scan path builds it (checkin/card_values.py)."""
    checkin = live_checkin(session, attendee.id)
    tickets: tuple[TicketInfo, ...] = ()
    dues: tuple[TicketDue, ...] = ()
    if with_tickets:
        types = session.scalars(select(TicketType).order_by(TicketType.position, TicketType.id))
        type_by_id = {t.id: t for t in types}
        rows = session.scalars(
            select(Ticket).where(Ticket.attendee_id == attendee.id).order_by(Ticket.id)
        ).all()
        tickets = tuple(ticket_info(t, type_by_id[t.type_id]) for t in rows)
        household = (attendee.adults, attendee.kids, attendee.seniors)
        dues = card_values.ticket_dues(
            type_by_id.values(),
            household,
            card_values.held_by_type(rows),
            card_values.used_by_type(rows),
        )
    return card_values.person_card(
        lambda name: getattr(attendee, name),
        checked_in=(checkin.at, checkin.station) if checkin else (None, None),
        tickets=tickets,
        dues=dues,
        contact_withdrawn_at=attendee.contact_withdrawn_at,
    )
