"""Undo's question and answers in the volunteer's language, from the action and its parts
(the service words them in English for the command line)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from checkin.ticketing import TicketState
from checkin.undo import UndoPreview, UndoResult
from ui.common.person_names import localized_name


def action_text(action: str, params: dict[str, object]) -> str:
    p = {key: str(value) for key, value in params.items()}
    if "name" in p:
        p["name"] = localized_name(p["name"])
    if action == "checked_in":
        return QCoreApplication.translate("Undo", "the check-in of {name}").format(
            name=p.get("name", "")
        )
    if action in ("ticket_redeemed", "ticket_bound") and "type" in p:
        template = (
            QCoreApplication.translate("Undo", "the redemption of {type} ticket No. {serial}")
            if action == "ticket_redeemed"
            else QCoreApplication.translate("Undo", "the handing out of {type} ticket No. {serial}")
        )
        return template.format(type=p["type"], serial=p.get("serial", ""))
    if action in ("ticket_redeemed", "ticket_bound"):
        return (
            QCoreApplication.translate("Undo", "the redemption of a ticket")
            if action == "ticket_redeemed"
            else QCoreApplication.translate("Undo", "the handing out of a ticket")
        )
    if action == "attendee_updated":
        return QCoreApplication.translate("Undo", "the edit of {name}").format(
            name=p.get("name", "")
        )
    if action == "tickets_issued":
        return QCoreApplication.translate("Undo", "the {count} {type} tickets issued").format(
            count=p.get("count", ""), type=p.get("type", "")
        )
    if action in ("tickets_voided", "sheet_voided"):
        if p.get("sheet"):
            return QCoreApplication.translate("Undo", "the void of stock sheet {sheet}").format(
                sheet=p["sheet"]
            )
        if p.get("replacements", "0") != "0":
            return QCoreApplication.translate(
                "Undo", "the void of {count} ticket(s) and their replacements"
            ).format(count=p.get("count", ""))
        return QCoreApplication.translate("Undo", "the void of {count} ticket(s)").format(
            count=p.get("count", "")
        )
    return QCoreApplication.translate("Undo", "the flyer recorded ({campaign})").format(
        campaign=p.get("campaign", "")
    )


def question(preview: UndoPreview) -> str:
    asked = QCoreApplication.translate("Undo", "Undo {what}?").format(
        what=action_text(preview.action, preview.params)
    )
    back = preview.params.get("take_back")
    if not isinstance(back, list) or not back:
        return asked
    items = ", ".join(
        (
            QCoreApplication.translate("ScanMessages", "1 {type} ticket")
            if n == 1
            else QCoreApplication.translate("ScanMessages", "{n} {type} tickets")
        ).format(n=n, type=kind)
        for kind, n in back
    )
    # An undone check-in cancels these tickets: the volunteer asks for them back.
    take = QCoreApplication.translate("Undo", "Take back: {items}.").format(items=items)
    return f"{asked}\n\n{take}"


def outcome_text(result: UndoResult) -> str:
    if result.reason == "nothing":
        return QCoreApplication.translate("Undo", "Nothing to undo at this station")
    if result.reason == "moved_on":
        return QCoreApplication.translate(
            "Undo", "Something else happened meanwhile: look again before undoing"
        )
    what = action_text(result.action, result.params)
    if result.reason == "ticket_changed":
        states: dict[str, str] = {
            TicketState.VOID: QCoreApplication.translate("Undo", "cancelled"),
            TicketState.REDEEMED: QCoreApplication.translate("Undo", "used"),
            TicketState.ISSUED: QCoreApplication.translate("Undo", "given out"),
            TicketState.UNASSIGNED: QCoreApplication.translate("Undo", "not given out"),
        }
        state = str(result.params.get("state", ""))
        return QCoreApplication.translate(
            "Undo", "Cannot undo {what}: the ticket is now {state}"
        ).format(what=what, state=states.get(state, state))
    return QCoreApplication.translate("Undo", "Undone: {what}").format(what=what)


def undone_detail(result: UndoResult) -> str:
    """Under the banner's "Undone" title: what was undone, without saying "Undone" again."""
    what = action_text(result.action, result.params)
    return what[:1].upper() + what[1:]
