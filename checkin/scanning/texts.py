"""Every scan outcome in English, worded from its state and typed parameters: the one home of
the command line's and the log's words for a scan (ScanResult.message). The engine decides;
this module only words. The GUI words the same outcomes in the volunteer's language in
ui/desk/messages.py; the services that word the same things share the phrases below."""

from __future__ import annotations

from checkin.results import (
    CheckInParams,
    FlyerParams,
    NotSavedParams,
    OutcomeParams,
    PrizeParams,
    ScanState,
    ShortStock,
    TicketParams,
    UnknownParams,
    Why,
)
from checkin.stations import elsewhere
from checkin.timefmt import clock

__all__ = ["belongs_to", "clock", "english", "heard_label", "short_stock", "voided"]

NOTHING_SCANNED = "Nothing was scanned"
PARSE_ERRORS = {
    ScanState.NOT_A_CODE: "Not a code of this app",
    ScanState.TYPO: "That code has a typo: check the characters and type it again",
    ScanState.WRONG_EVENT: "This code belongs to a different event",
    ScanState.FORGED: "This code is not genuine: it was not made by this event",
}
INTERNAL = "Internal error: this scan was NOT saved. Scan again; if it repeats, tell the organiser."


def belongs_to(type_name: str, serial: int, owner: str) -> str:
    return f"{type_name} ticket No. {serial} of {owner}: use it at the {type_name} station"


def heard_label(campaign_name: str) -> str:
    return f"Flyer: {campaign_name}"


def short_stock(type: str, given: int, due: int) -> str:
    """A type that ran out during a check-in: the household got what was left."""
    if given == 0:
        return f"{type} is out: none of {due} to hand over"
    return f"Only {given} {type} left: hand over {given} of {due}; {type} is now out"


def voided(type_name: str, serial: int, reason: str, when: str) -> str:
    """A ticket the organiser voided (lost, stolen, damaged, its sheet missing)."""
    return f"Voided ticket ({reason}, {when}): {type_name} ticket No. {serial}"


def english(state: ScanState, params: OutcomeParams, scanned: str = "x") -> str:
    """The English sentence for an outcome (``scanned``: what was scanned, as shown)."""
    if isinstance(params, CheckInParams):
        return _person(state, params)
    if isinstance(params, TicketParams):
        return _ticket(state, params)
    if isinstance(params, PrizeParams):
        return _prize(state, params)
    if isinstance(params, FlyerParams):
        if state is ScanState.FLYER:
            return (
                f"Flyer '{params.campaign}': register the person as a walk-up, "
                "or scan their code first"
            )
        return f"{params.name} heard about us from the flyer '{params.campaign}'"
    if isinstance(params, NotSavedParams):
        return INTERNAL if params.failure == "internal" else f"NOT saved: {params.detail}."
    if isinstance(params, UnknownParams):
        return f"This {params.what} is not in this event file"
    if state is ScanState.NOT_A_CODE and not scanned:
        return NOTHING_SCANNED
    return PARSE_ERRORS.get(state, state.value)


def _person(state: ScanState, p: CheckInParams) -> str:
    if state is ScanState.ALREADY_CHECKED_IN:
        return f"{p.name} was already checked in at {p.when}" + (
            f" at {p.where}" if p.where else ""
        )
    message = elsewhere.MESSAGE if p.elsewhere else f"Welcome, {p.name}: checked in"
    if p.tickets:
        message += f" ({p.tickets} tickets issued)"
    if p.short and not p.elsewhere:
        message += "; " + "; ".join(_short(s) for s in p.short)
    return message


def _short(item: ShortStock) -> str:
    return short_stock(item.type, item.given, item.due)


def _ticket(state: ScanState, p: TicketParams) -> str:
    s, why, name, kind = ScanState, p.why, p.name, p.type
    if why is Why.DESK_ONLY:
        return f"{name}: check-in happens at the desk"
    if why is Why.STATION_LIST:
        return f"{kind} is not given out at {p.where}: send them to a station that gives it out"
    if why is Why.DESK:
        return f"{name} is not checked in: send them to the desk first"
    if why is Why.STACK:
        return f"Entitled: scan a {kind} ticket from the stack"
    if why is Why.ALL_USED:
        return f"All {p.used} {kind} used (last at {p.when}" + (
            f" at {p.where})" if p.where else ")"
        )
    if why is Why.NOT_ENTITLED:
        return f"{name}'s household gets no {kind}"
    if why is Why.HOLDER:
        return belongs_to(kind, p.serial or 0, name)
    if state is s.OUT_OF_STOCK:
        return f"No {kind} left in stock"
    if state is s.REDEEMED:
        message = f"{kind}: hand it over"
        if name:
            message += f" to {name}"
        if p.left is not None:
            message += f" ({p.left} of {p.allowed} left)"
        return message
    if state is s.LIMIT_REACHED:
        return f"{name} already has all the {kind} tickets they get" + (
            f" (all {p.allowed} at check-in): to hand out pre-printed {kind} tickets too, "
            f"raise the Quantity of {kind} in Setup > Ticket types and set At check-in "
            "below it"
            if p.at_checkin
            else f": raise the Quantity of {kind} in Setup > Ticket types to give more"
        )
    if state is s.TICKET_BOUND:
        return f"{kind} ticket No. {p.serial} given to {name}"
    if state is s.VOID:
        if not p.reason:
            return f"This {kind} ticket was cancelled"
        return voided(kind, p.serial or 0, p.reason, p.when)
    if state is s.NOT_VALID_HERE:
        return f"This is a {kind} ticket; this station gives out {p.station_type}"
    if state is s.UNASSIGNED:
        return (
            f"{kind} ticket No. {p.serial} is not given to anyone yet: "
            "at the desk, scan or pick the person first, then this ticket"
        )
    if state is s.ALREADY_REDEEMED:
        return f"{kind} ticket No. {p.serial} was already used at {p.when}" + (
            f" at {p.where}" if p.where else ""
        )
    return state.value


def _prize(state: ScanState, p: PrizeParams) -> str:
    if state is ScanState.PRIZE_CLAIMED:
        return f"Winner! Hand over: {p.prize}"
    if state is ScanState.ALREADY_CLAIMED:
        return f"{p.prize} was already handed over for this ticket at {p.when}"
    if p.not_raffle:
        return f"This is a {p.type} ticket, not a raffle ticket"
    if p.redrawn:
        return (
            f"Ticket No. {p.serial} won {p.prize}, but nobody came for it, so it "
            f"was drawn again at {p.when}. Sorry!"
        )
    if p.unassigned:
        return (
            f"Ticket No. {p.serial} was never given out at the check-in desk, so it cannot "
            "win. Send them to the check-in desk first"
        )
    return f"Ticket No. {p.serial} has not won (yet). Good luck!"
