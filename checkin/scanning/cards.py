"""A person's card and a ticket's face, built from the rows a scan read (no second read), with
the builders the services use too (checkin/card_values.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from checkin import card_values
from checkin.card_values import held_by_type as held_by_type
from checkin.results import AttendeeInfo, TicketInfo
from checkin.scanning.config import EventConfig


def ticket_info(row: Any, config: EventConfig, holder_code: str | None) -> TicketInfo:
    return card_values.ticket_info(row, config.type_by_id(row.type_id), holder_code)


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
    code = row.owner_code
    tickets = (*(ticket_info(r, config, code) for r in held), *new)
    counts = held_by_type(held)
    for ticket in new:
        kind = config.type_named(ticket.type_name)
        if kind is not None:
            counts[kind.id] += 1
    household = (row.owner_adults, row.owner_kids, row.owner_seniors)
    dues = card_values.ticket_dues(config.types, household, counts, card_values.used_by_type(held))
    return card_values.person_card(
        lambda name: getattr(row, f"owner_{name}"),
        checked_in=checked_in or (row.checkin_at, row.checkin_station),
        tickets=tickets,
        dues=dues,
    )
