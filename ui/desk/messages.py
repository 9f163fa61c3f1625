"""What the banner says for each scan state, in the volunteer's language.

The domain gives a state and parameters; the words are the UI's, so they can be translated.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from checkin.results import ScanResult, ScanState


def _t(text: str) -> str:
    return QCoreApplication.translate("ScanMessages", text)


def headline(result: ScanResult) -> tuple[str, str]:
    """(big title, one line of detail) for a scan result."""
    p = {k: str(v) for k, v in result.params.items()}
    name = p.get("name") or (result.attendee.display_name if result.attendee else "")
    kind = p.get("type", "")
    serial = p.get("serial", "")
    where = p.get("where", "")
    when = p.get("when", "")
    s = ScanState
    if result.state is s.CHECKED_IN:
        count = int(p.get("tickets", "0") or 0)
        detail = ""
        if count == 1:
            detail = _t("1 ticket issued")
        elif count > 1:
            detail = _t("{n} tickets issued").format(n=count)
        return _t("Welcome, {name}!").format(name=name), detail
    if result.state is s.ALREADY_CHECKED_IN:
        detail = (
            _t("at {when} at {where}").format(when=when, where=where)
            if where
            else _t("at {when}").format(when=when)
        )
        return _t("{name} is already checked in").format(name=name), detail
    table: dict[ScanState, tuple[str, str]] = {
        s.TICKET_BOUND: (_t("Ticket given to {name}"), _t("{type} ticket No. {serial}")),
        s.UNASSIGNED: (
            _t("Ticket not given to anyone yet"),
            _t("Scan or pick the person first, then scan this ticket"),
        ),
        s.REDEEMED: (_t("Hand over: {type}"), _t("{name}")),
        s.NOT_VALID_HERE: (
            _t("Not valid at this station"),
            _t("{type} ticket: use it at its own station"),
        ),
        s.LIMIT_REACHED: (
            _t("Limit reached"),
            _t("{name} already has all the {type} tickets they get"),
        ),
        s.OUT_OF_STOCK: (_t("Out of stock"), _t("No {type} left")),
        s.VOID: (_t("Cancelled ticket"), _t("This {type} ticket was cancelled")),
        s.UNKNOWN: (_t("Not found"), _t("This code is not in this event file")),
        s.WRONG_EVENT: (_t("Wrong event"), _t("This code belongs to a different event")),
        s.FORGED: (_t("Not genuine"), _t("This code was not made by this event")),
        s.TYPO: (_t("Typo in the code"), _t("Check the characters and type it again")),
        s.NOT_A_CODE: (_t("Not a check-in code"), _t("That was not a code of this app")),
        s.FLYER: (
            _t("Flyer: {campaign}"),
            _t("Register the person as a walk-up (F2), or scan their code first"),
        ),
        s.CAMPAIGN_RECORDED: (_t("Flyer recorded"), _t("{name} heard about us from {campaign}")),
        s.PRIZE_CLAIMED: (_t("Winner! Hand over: {prize}"), _t("Ticket No. {serial}")),
        s.ALREADY_CLAIMED: (_t("Prize already handed over"), _t("{prize} at {when}")),
        s.NOT_A_WINNER: (
            _t("Not a winner this time"),
            _t("Ticket No. {serial}: good luck next draw!"),
        ),
        s.NOT_SAVED: (_t("NOT saved: scan again"), _t("The event file could not be written")),
    }
    if result.state is s.ALREADY_REDEEMED:
        return _t("Already used"), _t(
            "{type} ticket No. {serial} was used at {when} at {where}"
        ).format(type=kind, serial=serial, when=when, where=where)
    title, detail = table.get(result.state, (result.message, ""))
    values = {**p, "name": name, "type": kind, "serial": serial, "where": where, "when": when}
    values.setdefault("campaign", "")
    values.setdefault("prize", "")
    return _safe(title, values), _safe(detail, values)


def _safe(template: str, values: dict[str, str]) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder
        return template
