"""Turn rows into the plain values of checkin.results, and the ticket allowance rules."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.results import AttendeeInfo, TicketDue, TicketInfo
from checkin.store import HELD_STATES, AllowanceRule, TicketState
from checkin.store.models import Attendee, CheckIn, Ticket, TicketType


def allowance(ticket_type: TicketType, attendee: Attendee) -> int:
    """How many tickets of this type a household gets, as pantries count it."""
    if ticket_type.rule == AllowanceRule.PER_MEMBER:
        members = attendee.adults + attendee.kids + attendee.seniors
        return ticket_type.quantity * max(1, members)
    if ticket_type.rule == AllowanceRule.PER_KID:
        return ticket_type.quantity * attendee.kids
    return ticket_type.quantity


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
    kind = ticket_type or ticket.type
    return TicketInfo(
        code=ticket.code,
        serial=ticket.serial,
        type_name=kind.name,
        kind=kind.kind,
        state=ticket.state,
        attendee_code=ticket.attendee.code if ticket.attendee else None,
        issued_at=ticket.issued_at,
        redeemed_at=ticket.redeemed_at,
        redeemed_station=ticket.redeemed_station or None,
        partner_text=kind.partner_text,
        sheet=ticket.sheet,
    )


def live_checkin(session: Session, attendee_id: int) -> CheckIn | None:
    return session.scalar(
        select(CheckIn).where(CheckIn.attendee_id == attendee_id, CheckIn.undone_at.is_(None))
    )


def attendee_info(
    session: Session, attendee: Attendee, *, with_tickets: bool = True
) -> AttendeeInfo:
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
        dues = tuple(
            TicketDue(
                t.name,
                t.kind,
                allowance(t, attendee),
                sum(1 for r in rows if r.type_id == t.id and r.state in HELD_STATES),
                sum(1 for r in rows if r.type_id == t.id and r.state == TicketState.REDEEMED),
            )
            for t in type_by_id.values()
        )
    return AttendeeInfo(
        code=attendee.code,
        number=attendee.number,
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        adults=attendee.adults,
        kids=attendee.kids,
        seniors=attendee.seniors,
        zip_code=attendee.zip_code,
        phone=attendee.phone,
        email=attendee.email,
        consent=attendee.consent,
        language=attendee.language,
        heard_about=attendee.heard_about,
        notes=attendee.notes,
        needs_attention=attendee.needs_attention,
        attention_note=attendee.attention_note or "",
        source=attendee.source,
        checked_in_at=checkin.at if checkin else None,
        checked_in_station=checkin.station if checkin else None,
        tickets=tickets,
        dues=dues,
        contact_withdrawn_at=attendee.contact_withdrawn_at,
    )
