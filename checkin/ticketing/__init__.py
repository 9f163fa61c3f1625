"""Ticket types and tickets: the household allowance rules, issuing, pre-printed stock, binding,
redeeming, voiding."""

from checkin.store.states import (
    HELD_STATES,
    VOIDABLE,
    AllowanceRule,
    TicketKind,
    TicketState,
)

__all__ = ["HELD_STATES", "VOIDABLE", "AllowanceRule", "TicketKind", "TicketState"]
