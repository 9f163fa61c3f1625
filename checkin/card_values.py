"""A person's card and a ticket's face, built once for the scan path and the services.

The scan path (checkin/scanning/cards.py) hands in rows its prebuilt Core statements read, the
services (checkin/ticketing/snapshots.py) hand in ORM objects: both have the tables' attribute
names, so one builder serves both and the two can no longer drift apart (issue 22). Nothing here
reads the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from checkin.results import AttendeeInfo, TicketDue, TicketInfo
from checkin.store.states import HELD_STATES, TicketState, allowance

# The card's own fields, in AttendeeInfo's order: what the scan path's statements select as
# ``owner_<name>`` (checkin/scanning/statements.py) and the services read off an Attendee.
_FIELDS = list(AttendeeInfo.__dataclass_fields__)
CARD_FIELDS = tuple(_FIELDS[: _FIELDS.index("checked_in_at")])


def ticket_info(ticket: Any, kind: Any, holder_code: str | None) -> TicketInfo:
    """A ticket's face: ``ticket`` has the tickets table's names (code, serial, state, times,
    redeemed_station, sheet), ``kind`` the ticket type's (name, kind, partner_text)."""
    return TicketInfo(
        code=ticket.code,
        serial=ticket.serial,
        type_name=kind.name,
        kind=kind.kind,
        state=ticket.state,
        attendee_code=holder_code,
        issued_at=ticket.issued_at,
        redeemed_at=ticket.redeemed_at,
        redeemed_station=ticket.redeemed_station or None,
        partner_text=kind.partner_text,
        sheet=ticket.sheet,
    )


def held_by_type(tickets: Iterable[Any]) -> Counter[int]:
    """Tickets a household holds (issued or redeemed), by type id: what its allowance counts."""
    return Counter(t.type_id for t in tickets if t.state in HELD_STATES)


def used_by_type(tickets: Iterable[Any]) -> Counter[int]:
    return Counter(t.type_id for t in tickets if t.state == TicketState.REDEEMED)


def ticket_dues(
    types: Iterable[Any],
    household: tuple[int, int, int],
    held: Counter[int],
    used: Counter[int],
) -> tuple[TicketDue, ...]:
    """What each type (id, name, kind, rule, quantity) owes a household of (adults, kids,
    seniors), given what it holds and used of each type."""
    return tuple(
        TicketDue(t.name, t.kind, allowance(t.rule, t.quantity, *household), held[t.id], used[t.id])
        for t in types
    )


def person_card(
    value: Callable[[str], Any],
    *,
    checked_in: tuple[datetime | None, str | None],
    tickets: tuple[TicketInfo, ...] = (),
    dues: tuple[TicketDue, ...] = (),
    contact_withdrawn_at: datetime | None = None,
) -> AttendeeInfo:
    """A person's card: ``value(name)`` gives each of CARD_FIELDS; ``checked_in`` is the live
    check-in's (time, station), or (None, None)."""
    fields = {name: value(name) for name in CARD_FIELDS}
    fields["consent"] = bool(fields["consent"])
    fields["needs_attention"] = bool(fields["needs_attention"])
    fields["attention_note"] = fields["attention_note"] or ""
    at, station = checked_in
    return AttendeeInfo(
        **fields,
        checked_in_at=at,
        checked_in_station=station or None,
        tickets=tickets,
        dues=dues,
        contact_withdrawn_at=contact_withdrawn_at,
    )
