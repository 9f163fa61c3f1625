"""What the banner says for each scan state, in the volunteer's language.

The domain gives a state and parameters; the words are the UI's, so they can be translated.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from checkin.results import ScanResult, ScanState, TicketInfo
from ui.common.failure_texts import failure_text
from ui.common.person_names import localized_name


def is_repeat(result: ScanResult) -> bool:
    """A scanner's double-trigger of something that went ahead: it did nothing the second time."""
    return result.repeat and result.ok


def headline(result: ScanResult, *, organiser: bool = False) -> tuple[str, str]:
    """(big title, one line of detail) for a scan result. A refusal says what the volunteer
    can do; a setting to change (Setup → Ticket types) is named only to the organiser
    (``organiser``: the organiser screens are unlocked), a volunteer is told to ask them."""
    p = {k: str(v) for k, v in result.params.items()}
    name = localized_name(
        p.get("name") or (result.attendee.display_name if result.attendee else "")
    )
    if is_repeat(result):
        return QCoreApplication.translate(
            "ScanMessages", "Same scan again: nothing more to hand over"
        ), name
    kind = p.get("type", "")
    serial = p.get("serial") or (str(result.ticket.serial) if result.ticket else "")
    where = p.get("where", "")
    when = p.get("when", "")
    s = ScanState
    if result.state is s.CHECKED_IN:
        detail = hand_over(result.issued)
        short = result.params.get("short") or []
        if short:  # amber: a stock ran out, the household got what was left
            detail = " · ".join([*(short_stock(item) for item in short), detail])
        if result.params.get("elsewhere"):  # a walk-up of another station's copy (amber)
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
    stations = _station_answer(result, p, name, organiser)
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
    if result.state is s.NOT_VALID_HERE and p.get("why") in _NOT_HERE:
        title, detail = _NOT_HERE[p["why"]]()
        values = {"name": name, "type": kind, "serial": serial}
        return _safe(title, values), _safe(detail, values)
    if result.state is s.LIMIT_REACHED and "allowed" in p and not organiser:
        values = {"name": name, "type": kind, "n": p["allowed"]}
        detail = QCoreApplication.translate(
            "ScanMessages",
            "{name} already has all {n} {type} tickets: keep this ticket for someone else."
            " If they should get more, ask the organiser",
        )
        return QCoreApplication.translate("ScanMessages", "Limit reached"), _safe(detail, values)
    if result.state is s.LIMIT_REACHED and "allowed" in p:  # a pre-printed ticket refused
        values = {"name": name, "type": kind, "n": p["allowed"]}
        detail = (
            QCoreApplication.translate(
                "ScanMessages",
                "{name} got all {n} {type} tickets at check-in. To hand out pre-printed ones"
                " too, raise Quantity for {type} in Setup → Ticket types and set At check-in"
                " below it",
            )
            if p.get("at_checkin") == "True"
            else QCoreApplication.translate(
                "ScanMessages",
                "{name} already has all {n} {type} tickets. To give more, raise Quantity for"
                " {type} in Setup → Ticket types",
            )
        )
        return QCoreApplication.translate("ScanMessages", "Limit reached"), _safe(detail, values)
    if result.state is s.NOT_SAVED and p.get("failure") == "internal":  # a bug, not the disk
        return QCoreApplication.translate(
            "ScanMessages", "Internal error: this scan was NOT saved"
        ), QCoreApplication.translate(
            "ScanMessages", "Scan again; if it repeats, tell the organiser"
        )
    if result.state is s.NOT_SAVED:  # the cause, so the organiser knows what to fix
        return QCoreApplication.translate("ScanMessages", "NOT saved: scan again"), failure_text(
            str(p.get("failure", ""))
        )
    # A line read back from the scan log after a restart may lack what was handed over: never
    # a bare "Hand over:".
    if result.state is s.REDEEMED and not kind:
        return QCoreApplication.translate("ScanMessages", "Handed over"), name
    if result.state is s.PRIZE_CLAIMED and not p.get("prize"):
        return QCoreApplication.translate("ScanMessages", "Winner: prize handed over"), name
    if result.state is s.VOID and p.get("reason"):  # the organiser voided it: why and when
        reasons = {
            "lost": QCoreApplication.translate("ScanMessages", "lost"),
            "stolen": QCoreApplication.translate("ScanMessages", "stolen"),
            "damaged": QCoreApplication.translate("ScanMessages", "damaged"),
        }
        return QCoreApplication.translate(
            "ScanMessages", "Voided ticket ({reason}, {when})"
        ).format(
            reason=reasons.get(p["reason"], p["reason"]), when=when
        ), QCoreApplication.translate(
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
    values = {**p, "name": name, "type": kind, "serial": serial, "where": where, "when": when}
    values.setdefault("campaign", "")
    values.setdefault("prize", "")
    return _safe(title, values), _safe(detail, values)


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


def short_stock(item: dict[str, object]) -> str:
    """A type that ran out during a check-in: "Only 1 Meal left: hand over 1 of 4; Meal is
    now out", or that there was none left at all."""
    values = {k: str(v) for k, v in item.items()}
    template = (
        QCoreApplication.translate("ScanMessages", "{type} is out: none of {due} to hand over")
        if values.get("given") == "0"
        else QCoreApplication.translate(
            "ScanMessages",
            "Only {given} {type} left: hand over {given} of {due}; {type} is now out",
        )
    )
    return _safe(template, values)


def _station_answer(
    result: ScanResult, p: dict[str, str], name: str, organiser: bool
) -> tuple[str, str] | None:
    """What a resource station says, when it is more than the table's words: what is left,
    all of it used, entitled to more, out of stock, not given here; None for the rest."""
    s, why = ScanState, p.get("why", "")
    values = {**p, "name": name, "type": p.get("type", "")}

    def ask(volunteer: str, organisers: str) -> str:
        return _safe(organisers if organiser else volunteer, values)

    if result.state is s.REDEEMED and "left" in p:
        return _safe(
            QCoreApplication.translate("ScanMessages", "Hand over: {type}"), values
        ), _safe(
            QCoreApplication.translate("ScanMessages", "{name} · {left} of {allowed} left")
            if name
            else QCoreApplication.translate("ScanMessages", "{left} of {allowed} left"),
            values,
        )
    if result.state is s.ALREADY_REDEEMED and why == "all_used":
        last = (
            QCoreApplication.translate("ScanMessages", "the last at {when} at {where}")
            if p.get("where")
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
    if result.state is s.ENTITLED and why == "stack":
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
    if result.state is s.ENTITLED:  # not checked in yet
        return QCoreApplication.translate("ScanMessages", "Not checked in yet"), _safe(
            QCoreApplication.translate(
                "ScanMessages", "Send {name} to the check-in desk first, then scan their code here"
            ),
            values,
        )
    if result.state is s.OUT_OF_STOCK:
        return QCoreApplication.translate("ScanMessages", "Out of stock"), _safe(
            QCoreApplication.translate("ScanMessages", "No {type} left. "), values
        ) + ask(
            QCoreApplication.translate("ScanMessages", "Nothing to hand over: tell the organiser"),
            QCoreApplication.translate(
                "ScanMessages",
                "If more arrived, raise Stock for {type} in Setup → Ticket types",
            ),
        )
    if result.state is s.NOT_VALID_HERE and why == "not_entitled":
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
    if result.state is s.NOT_VALID_HERE and why == "station_list":
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
_NOT_HERE = {
    "holder": lambda: (
        QCoreApplication.translate("ScanMessages", "{type} ticket of {name}"),
        QCoreApplication.translate(
            "ScanMessages", "Ticket No. {serial} is theirs: use it at its own station"
        ),
    ),
    "no_ticket": lambda: (
        QCoreApplication.translate("ScanMessages", "No {type} ticket"),
        QCoreApplication.translate("ScanMessages", "{name} has no {type} ticket"),
    ),
    "desk_only": lambda: (
        QCoreApplication.translate("ScanMessages", "Check-in happens at the desk"),
        QCoreApplication.translate("ScanMessages", "{name}"),
    ),
}


def _safe(template: str, values: dict[str, str]) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder
        return template
