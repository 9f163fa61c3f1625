"""Every scan outcome in the volunteer's language: the one place the GUI words them (the desk's
banner and activity list, and the prize table's answer below).

The domain gives a state and typed parameters (checkin/results.py); the words are the UI's,
through Qt's translation system (context "ScanMessages"), with named {placeholders}. A view
that shows one keeps the ScanResult and words it again on a language switch.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from checkin.results import (
    CheckInParams,
    FlyerParams,
    NotSavedParams,
    PrizeParams,
    ScanResult,
    ScanState,
    ShortStock,
    TicketInfo,
    TicketParams,
    Why,
)
from ui.common.failure_texts import failure_text
from ui.common.person_names import localized_name


def is_repeat(result: ScanResult) -> bool:
    """A scanner's double-trigger of something that went ahead: it did nothing the second time."""
    return result.repeat and result.ok


def headline(result: ScanResult, *, organiser: bool = False) -> tuple[str, str]:
    """(big title, one line of detail) for a scan result. A refusal says what the volunteer
    can do; a setting to change (Setup → Ticket types) is named only to the organiser
    (``organiser``: the organiser screens are unlocked), a volunteer is told to ask them."""
    params = result.params
    name = localized_name(params.name or (result.attendee.display_name if result.attendee else ""))
    if is_repeat(result):
        return QCoreApplication.translate(
            "ScanMessages", "Same scan again: nothing more to hand over"
        ), name
    p = _values(result, name)
    kind, serial, where, when = p["type"], p["serial"], p["where"], p["when"]
    s = ScanState
    if result.state is s.CHECKED_IN and isinstance(params, CheckInParams):
        detail = hand_over(result.issued)
        if params.short:  # amber: a stock ran out, the household got what was left
            detail = " · ".join([*(short_stock(item) for item in params.short), detail])
        if params.elsewhere:  # a walk-up of another station's copy (amber)
            one = QCoreApplication.translate(
                "ScanMessages",
                "tickets for one person: the household's size is on the other laptop",
            )
            return QCoreApplication.translate(
                "ScanMessages", "Registered at another station: checked in here"
            ), f"{detail} · {one}"
        return QCoreApplication.translate("ScanMessages", "Welcome, {name}!").format(
            name=name
        ), detail
    stations = (
        _station_answer(result.state, params, p, organiser)
        if isinstance(params, TicketParams)
        else None
    )
    if stations is not None:
        return stations
    if result.state is s.ALREADY_CHECKED_IN:
        detail = (
            QCoreApplication.translate("ScanMessages", "at {when} at {where}").format(
                when=when, where=where
            )
            if where
            else QCoreApplication.translate("ScanMessages", "at {when}").format(when=when)
        )
        return QCoreApplication.translate("ScanMessages", "{name} is already checked in").format(
            name=name
        ), detail
    table: dict[ScanState, tuple[str, str]] = {
        s.TICKET_BOUND: (
            QCoreApplication.translate("ScanMessages", "Ticket given to {name}"),
            QCoreApplication.translate("ScanMessages", "{type} ticket No. {serial}"),
        ),
        s.UNASSIGNED: (
            QCoreApplication.translate("ScanMessages", "Ticket not given to anyone yet"),
            QCoreApplication.translate(
                "ScanMessages", "Scan or pick the person first, then scan this ticket"
            ),
        ),
        s.REDEEMED: (
            QCoreApplication.translate("ScanMessages", "Hand over: {type}"),
            QCoreApplication.translate("ScanMessages", "{name}"),
        ),
        s.NOT_VALID_HERE: (
            QCoreApplication.translate("ScanMessages", "Not valid at this station"),
            QCoreApplication.translate("ScanMessages", "{type} ticket: use it at its own station"),
        ),
        s.LIMIT_REACHED: (
            QCoreApplication.translate("ScanMessages", "Limit reached"),
            QCoreApplication.translate(
                "ScanMessages", "{name} already has all the {type} tickets they get"
            ),
        ),
        s.OUT_OF_STOCK: (
            QCoreApplication.translate("ScanMessages", "Out of stock"),
            QCoreApplication.translate("ScanMessages", "No {type} left"),
        ),
        s.VOID: (
            QCoreApplication.translate("ScanMessages", "Cancelled ticket"),
            QCoreApplication.translate("ScanMessages", "This {type} ticket was cancelled"),
        ),
        s.UNKNOWN: (
            QCoreApplication.translate("ScanMessages", "Not found"),
            QCoreApplication.translate("ScanMessages", "This code is not in this event file"),
        ),
        s.WRONG_EVENT: (
            QCoreApplication.translate("ScanMessages", "Wrong event"),
            QCoreApplication.translate("ScanMessages", "This code belongs to a different event"),
        ),
        s.FORGED: (
            QCoreApplication.translate("ScanMessages", "Not genuine"),
            QCoreApplication.translate("ScanMessages", "This code was not made by this event"),
        ),
        s.TYPO: (
            QCoreApplication.translate("ScanMessages", "Typo in the code"),
            QCoreApplication.translate("ScanMessages", "Check the characters and type it again"),
        ),
        s.NOT_A_CODE: (
            QCoreApplication.translate("ScanMessages", "Not a check-in code"),
            QCoreApplication.translate("ScanMessages", "That was not a code of this app"),
        ),
        s.FLYER: (
            QCoreApplication.translate("ScanMessages", "Flyer: {campaign}"),
            QCoreApplication.translate(
                "ScanMessages", "Register the person as a walk-up (F2), or scan their code first"
            ),
        ),
        s.CAMPAIGN_RECORDED: (
            QCoreApplication.translate("ScanMessages", "Flyer recorded"),
            QCoreApplication.translate("ScanMessages", "{name} heard about us from {campaign}"),
        ),
        s.PRIZE_CLAIMED: (
            QCoreApplication.translate("ScanMessages", "Winner! Hand over: {prize}"),
            QCoreApplication.translate("ScanMessages", "Ticket No. {serial}"),
        ),
        s.ALREADY_CLAIMED: (
            QCoreApplication.translate("ScanMessages", "Prize already handed over"),
            QCoreApplication.translate("ScanMessages", "{prize} at {when}"),
        ),
        s.NOT_A_WINNER: (
            QCoreApplication.translate("ScanMessages", "Not a winner this time"),
            QCoreApplication.translate("ScanMessages", "Ticket No. {serial}: good luck next draw!"),
        ),
    }
    ticket = params if isinstance(params, TicketParams) else None
    why = ticket.why if ticket is not None else None
    if result.state is s.NOT_VALID_HERE and why in _NOT_HERE:
        assert why is not None
        title, detail = _NOT_HERE[why]()
        return _safe(title, p), _safe(detail, p)
    limit = ticket.allowed if ticket is not None else None
    if result.state is s.LIMIT_REACHED and limit is not None and not organiser:
        values = {"name": name, "type": kind, "n": str(limit)}
        detail = QCoreApplication.translate(
            "ScanMessages",
            "{name} already has all {n} {type} tickets: keep this ticket for someone else."
            " If they should get more, ask the organiser",
        )
        return QCoreApplication.translate("ScanMessages", "Limit reached"), _safe(detail, values)
    if result.state is s.LIMIT_REACHED and ticket is not None and limit is not None:
        # a pre-printed ticket refused
        values = {"name": name, "type": kind, "n": str(limit)}
        detail = (
            QCoreApplication.translate(
                "ScanMessages",
                "{name} got all {n} {type} tickets at check-in. To hand out pre-printed ones"
                " too, raise Quantity for {type} in Setup → Ticket types and set At check-in"
                " below it",
            )
            if ticket.at_checkin
            else QCoreApplication.translate(
                "ScanMessages",
                "{name} already has all {n} {type} tickets. To give more, raise Quantity for"
                " {type} in Setup → Ticket types",
            )
        )
        return QCoreApplication.translate("ScanMessages", "Limit reached"), _safe(detail, values)
    failure = params.failure if isinstance(params, NotSavedParams) else ""
    if result.state is s.NOT_SAVED and failure == "internal":  # a bug, not the disk
        return QCoreApplication.translate(
            "ScanMessages", "Internal error: this scan was NOT saved"
        ), QCoreApplication.translate(
            "ScanMessages", "Scan again; if it repeats, tell the organiser"
        )
    if result.state is s.NOT_SAVED:  # the cause, so the organiser knows what to fix
        return QCoreApplication.translate("ScanMessages", "NOT saved: scan again"), failure_text(
            failure
        )
    # A line read back from the scan log after a restart may lack what was handed over: never
    # a bare "Hand over:".
    if result.state is s.REDEEMED and not kind:
        return QCoreApplication.translate("ScanMessages", "Handed over"), name
    if result.state is s.PRIZE_CLAIMED and not p["prize"]:
        return QCoreApplication.translate("ScanMessages", "Winner: prize handed over"), name
    reason = ticket.reason if ticket is not None else ""
    if result.state is s.VOID and reason:  # the organiser voided it: why and when
        reasons = {
            "lost": QCoreApplication.translate("ScanMessages", "lost"),
            "stolen": QCoreApplication.translate("ScanMessages", "stolen"),
            "damaged": QCoreApplication.translate("ScanMessages", "damaged"),
        }
        return QCoreApplication.translate(
            "ScanMessages", "Voided ticket ({reason}, {when})"
        ).format(reason=reasons.get(reason, reason), when=when), QCoreApplication.translate(
            "ScanMessages", "{type} ticket No. {serial}: do not hand anything over"
        ).format(type=kind, serial=serial)
    if result.state is s.ALREADY_REDEEMED:
        return QCoreApplication.translate(
            "ScanMessages", "Already used"
        ), QCoreApplication.translate(
            "ScanMessages",
            "{type} ticket No. {serial} was used at {when} at {where}: a ticket is good once,"
            " nothing to hand over",
        ).format(type=kind, serial=serial, when=when, where=where)
    title, detail = table.get(result.state, (result.message, ""))
    return _safe(title, p), _safe(detail, p)


def _values(result: ScanResult, name: str) -> dict[str, str]:
    """The placeholders an outcome's words may use, read from its typed parameters ("" for
    what its family does not have)."""
    params = result.params
    values = dict.fromkeys(("type", "serial", "where", "when", "campaign", "prize"), "")
    values["name"] = name
    if isinstance(params, CheckInParams):
        values.update(where=params.where, when=params.when)
    elif isinstance(params, TicketParams):
        values.update(type=params.type, where=params.where, when=params.when)
        values["serial"] = "" if params.serial is None else str(params.serial)
        values["used"] = str(params.used)
        values["left"] = "" if params.left is None else str(params.left)
        values["allowed"] = "" if params.allowed is None else str(params.allowed)
    elif isinstance(params, PrizeParams):
        values.update(type=params.type, where=params.where, when=params.when)
        values.update(prize=params.prize, sponsor=params.sponsor)
        values["serial"] = "" if params.serial is None else str(params.serial)
    elif isinstance(params, FlyerParams):
        values["campaign"] = params.campaign
    if not values["serial"] and result.ticket is not None:
        values["serial"] = str(result.ticket.serial)
    return values


def prize_table_text(result: ScanResult) -> str:
    """The prize table's answer: what to hand over and who sponsored it, or why not, in full
    sentences (the station has room for them, and the volunteer reads them out)."""
    params, state = result.params, result.state
    name = localized_name(result.attendee.display_name if result.attendee else "")
    values = _values(result, name)
    for key in ("serial", "prize", "when"):
        values[key] = values[key] or "?"
    if isinstance(params, PrizeParams) and state is ScanState.PRIZE_CLAIMED:
        text = _safe(
            QCoreApplication.translate("ScanMessages", "Winner! Hand over: {prize}"), values
        )
        if params.sponsor:
            text += "\n" + _safe(
                QCoreApplication.translate("ScanMessages", "Sponsored by {sponsor}"), values
            )
        if name:
            text += "\n" + _safe(
                QCoreApplication.translate("ScanMessages", "Ticket No. {serial} of {name}"), values
            )
        return text
    if isinstance(params, PrizeParams) and state is ScanState.ALREADY_CLAIMED:
        return _safe(
            QCoreApplication.translate(
                "ScanMessages", "{prize} was already handed over for this ticket at {when}"
            ),
            values,
        )
    if isinstance(params, PrizeParams) and state is ScanState.NOT_A_WINNER:
        if params.not_raffle:
            template = QCoreApplication.translate(
                "ScanMessages", "This is a {type} ticket, not a raffle ticket"
            )
        elif params.redrawn:
            template = QCoreApplication.translate(
                "ScanMessages",
                "Ticket No. {serial} won {prize}, but nobody came for it, so it was drawn again"
                " at {when}. Sorry!",
            )
        elif params.unassigned:
            template = QCoreApplication.translate(
                "ScanMessages",
                "Ticket No. {serial} was never given out at the check-in desk, so it cannot win."
                " Send them to the check-in desk first.",
            )
        else:
            template = QCoreApplication.translate(
                "ScanMessages", "Ticket No. {serial} has not won (yet). Good luck!"
            )
        return _safe(template, values)
    texts = {
        ScanState.VOID: QCoreApplication.translate("ScanMessages", "This ticket was cancelled"),
        ScanState.UNKNOWN: QCoreApplication.translate(
            "ScanMessages", "This code is not in this event file"
        ),
        ScanState.WRONG_EVENT: QCoreApplication.translate(
            "ScanMessages", "This code belongs to a different event"
        ),
        ScanState.FORGED: QCoreApplication.translate(
            "ScanMessages", "This code is not genuine: it was not made by this event"
        ),
        ScanState.TYPO: QCoreApplication.translate(
            "ScanMessages", "That code has a typo: check the characters and type it again"
        ),
        ScanState.NOT_A_CODE: QCoreApplication.translate("ScanMessages", "Not a code of this app"),
        ScanState.NOT_VALID_HERE: QCoreApplication.translate(
            "ScanMessages", "Scan the winning raffle ticket here, not the person's own code"
        ),
        ScanState.NOT_SAVED: QCoreApplication.translate(
            "ScanMessages", "NOT saved: the event file could not be written. Scan again."
        ),
    }
    return texts.get(
        state,
        QCoreApplication.translate("ScanMessages", "This code cannot be used at the prize table"),
    )


def hand_over(issued: tuple[TicketInfo, ...]) -> str:
    """What the volunteer hands over after a check-in, by type, in the order of the types:
    "Hand over: 1 Raffle ticket, 5 Meal tickets"; or that there is nothing to hand over."""
    counts: dict[str, int] = {}
    for ticket in issued:
        counts[ticket.type_name] = counts.get(ticket.type_name, 0) + 1
    if not counts:
        return QCoreApplication.translate("ScanMessages", "Nothing to hand over")
    parts = [
        (
            QCoreApplication.translate("ScanMessages", "1 {type} ticket")
            if n == 1
            else QCoreApplication.translate("ScanMessages", "{n} {type} tickets")
        ).format(n=n, type=kind)
        for kind, n in counts.items()
    ]
    return QCoreApplication.translate("ScanMessages", "Hand over: {items}").format(
        items=", ".join(parts)
    )


def short_stock(item: ShortStock) -> str:
    """A type that ran out during a check-in: "Only 1 Meal left: hand over 1 of 4; Meal is
    now out", or that there was none left at all."""
    values = {"type": item.type, "given": str(item.given), "due": str(item.due)}
    template = (
        QCoreApplication.translate("ScanMessages", "{type} is out: none of {due} to hand over")
        if item.given == 0
        else QCoreApplication.translate(
            "ScanMessages",
            "Only {given} {type} left: hand over {given} of {due}; {type} is now out",
        )
    )
    return _safe(template, values)


def _station_answer(
    state: ScanState, params: TicketParams, values: dict[str, str], organiser: bool
) -> tuple[str, str] | None:
    """What a resource station says, when it is more than the table's words: what is left,
    all of it used, entitled to more, out of stock, not given here; None for the rest."""
    s, why, name = ScanState, params.why, values["name"]

    def ask(volunteer: str, organisers: str) -> str:
        return _safe(organisers if organiser else volunteer, values)

    if state is s.REDEEMED and params.left is not None:
        return _safe(
            QCoreApplication.translate("ScanMessages", "Hand over: {type}"), values
        ), _safe(
            QCoreApplication.translate("ScanMessages", "{name} · {left} of {allowed} left")
            if name
            else QCoreApplication.translate("ScanMessages", "{left} of {allowed} left"),
            values,
        )
    if state is s.ALREADY_REDEEMED and why is Why.ALL_USED:
        last = (
            QCoreApplication.translate("ScanMessages", "the last at {when} at {where}")
            if params.where
            else QCoreApplication.translate("ScanMessages", "the last at {when}")
        )
        return _safe(
            QCoreApplication.translate("ScanMessages", "All {used} {type} used"), values
        ), (
            _safe(
                QCoreApplication.translate("ScanMessages", "{name}: nothing more to hand over"),
                values,
            )
            + " ("
            + _safe(last, values)
            + "). "
            + ask(
                QCoreApplication.translate(
                    "ScanMessages", "If that seems wrong, ask the organiser"
                ),
                QCoreApplication.translate(
                    "ScanMessages",
                    "To give more, raise Quantity for {type} in Setup → Ticket types",
                ),
            )
        )
    if state is s.ENTITLED and why is Why.STACK:
        return _safe(
            QCoreApplication.translate(
                "ScanMessages", "Entitled: scan a {type} ticket from the stack"
            ),
            values,
        ), _safe(
            QCoreApplication.translate(
                "ScanMessages",
                "{name} may have {left} more: the pre-printed ticket you scan now is theirs"
                " and handed over",
            ),
            values,
        )
    if state is s.ENTITLED:  # not checked in yet
        return QCoreApplication.translate("ScanMessages", "Not checked in yet"), _safe(
            QCoreApplication.translate(
                "ScanMessages", "Send {name} to the check-in desk first, then scan their code here"
            ),
            values,
        )
    if state is s.OUT_OF_STOCK:
        return QCoreApplication.translate("ScanMessages", "Out of stock"), _safe(
            QCoreApplication.translate("ScanMessages", "No {type} left. "), values
        ) + ask(
            QCoreApplication.translate("ScanMessages", "Nothing to hand over: tell the organiser"),
            QCoreApplication.translate(
                "ScanMessages",
                "If more arrived, raise Stock for {type} in Setup → Ticket types",
            ),
        )
    if state is s.NOT_VALID_HERE and why is Why.NOT_ENTITLED:
        return _safe(
            QCoreApplication.translate("ScanMessages", "No {type} for this household"), values
        ), _safe(
            QCoreApplication.translate("ScanMessages", "{name}'s household gets no {type}. "),
            values,
        ) + ask(
            QCoreApplication.translate("ScanMessages", "If that seems wrong, ask the organiser"),
            QCoreApplication.translate(
                "ScanMessages",
                "Check the household's size (adults, kids, seniors) and the rule for {type}"
                " in Setup",
            ),
        )
    if state is s.NOT_VALID_HERE and why is Why.STATION_LIST:
        return _safe(
            QCoreApplication.translate("ScanMessages", "{type} is not given out here"), values
        ), ask(
            QCoreApplication.translate(
                "ScanMessages", "Send them to a station that gives out {type}, or ask the organiser"
            ),
            QCoreApplication.translate(
                "ScanMessages",
                "Send them to a station that gives out {type}, or add this station to the"
                " stations of {type} in Setup → Ticket types",
            ),
        )
    return None


# Why a code is not valid here, when it is not simply a ticket for another station.
_NOT_HERE: dict[Why, Callable[[], tuple[str, str]]] = {
    Why.HOLDER: lambda: (
        QCoreApplication.translate("ScanMessages", "{type} ticket of {name}"),
        QCoreApplication.translate(
            "ScanMessages", "Ticket No. {serial} is theirs: use it at its own station"
        ),
    ),
    Why.DESK_ONLY: lambda: (
        QCoreApplication.translate("ScanMessages", "Check-in happens at the desk"),
        QCoreApplication.translate("ScanMessages", "{name}"),
    ),
}


def _safe(template: str, values: dict[str, str]) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder
        return template
