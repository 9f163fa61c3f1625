"""A person's card and a ticket's face, built from the rows a scan read (no second read)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from checkin.results import AttendeeInfo, TicketDue, TicketInfo
from checkin.scanning import statements as q
from checkin.scanning.config import EventConfig
from checkin.store import HELD_STATES, TicketState


def ticket_info(row: Any, config: EventConfig, holder_code: str | None) -> TicketInfo:
    kind = config.type_by_id(row.type_id)
    return TicketInfo(
        code=row.code,
        serial=row.serial,
        type_name=kind.name,
        kind=kind.kind,
        state=row.state,
        attendee_code=holder_code,
        issued_at=row.issued_at,
        redeemed_at=row.redeemed_at,
        redeemed_station=row.redeemed_station or None,
        partner_text=kind.partner_text,
    )


def held_by_type(rows: Iterable[Any]) -> Counter[int]:
    return Counter(r.type_id for r in rows if r.state in HELD_STATES)


def card(
    row: Any,
    config: EventConfig,
    held: Sequence[Any] = (),
    *,
    new: Sequence[TicketInfo] = (),
    checked_in: tuple[datetime, str] | None = None,
) -> AttendeeInfo:
    """The full card of the person in a PERSON or TICKET snapshot row: their tickets (those
    read plus ``new`` ones this scan hands out) and what each type still owes them."""
    fields = {name: getattr(row, f"owner_{name}") for name in q.CARD}
    fields["consent"] = bool(fields["consent"])
    fields["needs_attention"] = bool(fields["needs_attention"])
    at, station = checked_in or (row.checkin_at, row.checkin_station)
    tickets = (*(ticket_info(r, config, fields["code"]) for r in held), *new)
    counts = held_by_type(held)
    used = Counter(r.type_id for r in held if r.state == TicketState.REDEEMED)
    for ticket in new:
        kind = config.type_named(ticket.type_name)
        if kind is not None:
            counts[kind.id] += 1
    dues = tuple(
        TicketDue(
            t.name,
            t.kind,
            t.allowance(fields["adults"], fields["kids"], fields["seniors"]),
            counts[t.id],
            used[t.id],
        )
        for t in config.types
    )
    return AttendeeInfo(
        **fields,
        checked_in_at=at,
        checked_in_station=station or None,
        tickets=tickets,
        dues=dues,
    )
