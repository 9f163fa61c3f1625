"""Undo the last action of a station. Nothing is deleted: the undo is itself recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from checkin.changes import Changes, of_undone
from checkin.people.attendees import set_search_keys
from checkin.record import audit
from checkin.results import Station, person_name
from checkin.store import VOIDABLE, Database, TicketState, changed_rows
from checkin.store.models import (
    Attendee,
    AuditEntry,
    CheckIn,
    PersonEdit,
    Ticket,
    TicketType,
    utcnow,
)

# A ticket action's undo: the state it must still be in, and what puts it back.
_REVERT: dict[str, tuple[TicketState, dict[str, object]]] = {
    "ticket_redeemed": (
        TicketState.REDEEMED,
        {"state": TicketState.ISSUED, "redeemed_at": None, "redeemed_station": ""},
    ),
    "ticket_bound": (
        TicketState.ISSUED,
        {
            "state": TicketState.UNASSIGNED,
            "attendee_id": None,
            "issued_at": None,
            "issued_station": "",
        },
    ),
}

# A void (checkin/ticketing/ticket_voiding.py): its tickets back as they were, its replacements
# voided.
VOIDS = ("tickets_voided", "sheet_voided")
UNDOABLE = (
    "checked_in",
    "ticket_redeemed",
    "ticket_bound",
    "tickets_issued",
    "campaign_recorded",
    *VOIDS,
    "attendee_updated",
)


@dataclass(frozen=True)
class UndoPreview:
    audit_id: int
    action: str
    description: str  # English, for the CLI; the GUI words it from action + params
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class UndoResult:
    done: bool
    message: str  # English, for the CLI and logs
    # "done", "nothing", "moved_on" (another action came first) or "ticket_changed"
    reason: str = "done"
    action: str = ""
    params: dict[str, object] = field(default_factory=dict)
    changes: Changes = field(default_factory=Changes.of)  # none when it was refused


def _last(session: Session, station: str) -> AuditEntry | None:
    undone = select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None))
    return session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.station == station,
            AuditEntry.action.in_(UNDOABLE),
            AuditEntry.id.not_in(undone),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def _describe(session: Session, entry: AuditEntry) -> tuple[str, dict[str, object]]:
    """The action in English, and its parts (name, ticket type and number...) for other
    languages."""
    detail = json.loads(entry.detail)
    if entry.action == "checked_in":
        attendee = session.scalar(select(Attendee).where(Attendee.code == detail["attendee"]))
        name = (
            person_name(attendee.first_name, attendee.last_name, attendee.number)
            if attendee
            else "?"
        )
        back = _take_back(session, detail.get("tickets", []))
        return f"check-in of {name}", {"name": name, "take_back": back}
    if entry.action in ("ticket_redeemed", "ticket_bound"):
        ticket = session.scalar(select(Ticket).where(Ticket.code == detail["code"]))
        label = f"{ticket.type.name} ticket No. {ticket.serial}" if ticket else "ticket"
        params: dict[str, object] = (
            {"type": ticket.type.name, "serial": ticket.serial} if ticket else {}
        )
        verb = "redemption of " if entry.action == "ticket_redeemed" else "handing out of "
        return verb + label, params
    if entry.action == "attendee_updated":
        attendee = session.scalar(select(Attendee).where(Attendee.uid == entry.subject))
        name = (
            person_name(attendee.first_name, attendee.last_name, attendee.number)
            if attendee
            else "?"
        )
        fields = ", ".join(detail.get("fields", []))
        return f"edit of {name} ({fields})", {"name": name, "fields": fields}
    if entry.action == "tickets_issued":
        count, kind = len(detail["codes"]), detail["type"]
        return f"{count} {kind} tickets issued", {"count": count, "type": kind}
    if entry.action in VOIDS:
        count, made = len(detail["codes"]), len(detail.get("replacements", []))
        sheet = detail.get("sheet")
        what = f"void of sheet {sheet}" if sheet is not None else f"void of {count} tickets"
        extra = f" and its {made} replacements" if made else ""
        return what + extra, {"count": count, "replacements": made, "sheet": sheet or ""}
    campaign = detail.get("campaign", "")
    return f"flyer recorded ({campaign})", {"campaign": campaign}


def _take_back(session: Session, ticket_codes: list[str]) -> list[tuple[str, int]]:
    """The check-in's tickets its undo cancels (not used yet), as (type, how many) in the order
    of the types: the volunteer asks the family for exactly these back."""
    if not ticket_codes:
        return []
    rows = session.execute(
        select(TicketType.name, func.count(Ticket.id))
        .join(Ticket, Ticket.type_id == TicketType.id)
        .where(Ticket.code.in_(ticket_codes), Ticket.state.in_(VOIDABLE))
        .group_by(TicketType.id, TicketType.name, TicketType.position)
        .order_by(TicketType.position, TicketType.id)
    ).all()
    return [(str(name), int(n)) for name, n in rows]


def last_action(db: Database, station: str) -> UndoPreview | None:
    """What Undo would revert, for the confirmation question."""
    with db.reading() as session:
        entry = _last(session, station)
        if entry is None:
            return None
        description, params = _describe(session, entry)
        return UndoPreview(entry.id, entry.action, description, params)


def undo_last(db: Database, station: Station, *, expected: int | None = None) -> UndoResult:
    """Revert the station's last action. ``expected`` (the previewed audit id) makes sure the
    volunteer confirmed the action that is actually undone."""

    def work(session: Session) -> UndoResult:
        entry = _last(session, station.name)
        if entry is None:
            return UndoResult(False, "Nothing to undo at this station", "nothing")
        if expected is not None and entry.id != expected:
            return UndoResult(
                False, "Something else happened meanwhile: look again before undoing", "moved_on"
            )
        description, params = _describe(session, entry)
        detail = json.loads(entry.detail)
        now = utcnow()
        if entry.action == "checked_in":
            session.execute(
                update(CheckIn).where(CheckIn.uid == entry.subject).values(undone_at=now)
            )
            _void(session, detail.get("tickets", []), now)
        elif entry.action in ("ticket_redeemed", "ticket_bound"):
            was, values = _REVERT[entry.action]
            reverted = changed_rows(
                session.execute(
                    update(Ticket)
                    .where(Ticket.code == detail["code"], Ticket.state == was)
                    .values(**values)
                )
            )
            if reverted != 1:  # cancelled (or used) meanwhile: nothing to put back
                now_state = session.scalar(
                    select(Ticket.state).where(Ticket.code == detail["code"])
                )
                return UndoResult(
                    False,
                    f"Cannot undo the {description}: the ticket is now {now_state or 'gone'}",
                    "ticket_changed",
                    entry.action,
                    {**params, "state": now_state or ""},
                )
        elif entry.action == "tickets_issued":
            _void(session, detail["codes"], now)
        elif entry.action in VOIDS:
            refused = _unvoid(session, detail)
            if refused is not None:
                return UndoResult(
                    False,
                    f"Cannot undo the {description}: a replacement ticket is now {refused}",
                    "ticket_changed",
                    entry.action,
                    {**params, "state": refused},
                )
        elif entry.action == "attendee_updated":
            _restore(session, entry.subject, detail.get("edit", ""))
        elif entry.action == "campaign_recorded":
            session.execute(
                update(Attendee)
                .where(Attendee.uid == entry.subject)
                .values(campaign_id=None, heard_about="")
            )
        audit.record(
            session,
            "undo",
            station=station.name,
            volunteer=station.volunteer,
            subject=entry.subject,
            detail={"action": entry.action},
            undoes=entry.id,
        )
        return UndoResult(
            True, f"Undone: {description}", "done", entry.action, params, of_undone(entry.action)
        )

    return db.write(work)


def _restore(session: Session, attendee_uid: str, edit_uid: str) -> None:
    """Put back the values an edit replaced (kept in its PersonEdit row, then emptied: a
    joined station may not delete rows on the hosted server)."""
    edit = session.scalar(select(PersonEdit).where(PersonEdit.uid == edit_uid))
    attendee = session.scalar(select(Attendee).where(Attendee.uid == attendee_uid))
    if edit is None or attendee is None:  # purged since: nothing personal left to put back
        return
    for name, value in json.loads(edit.before).items():
        setattr(attendee, name, value)
    set_search_keys(attendee)
    edit.before = "{}"


def _void(session: Session, ticket_codes: list[str], now: object) -> None:
    if ticket_codes:
        # Only tickets not used yet: a meal already eaten stays on the record.
        session.execute(
            update(Ticket)
            .where(Ticket.code.in_(ticket_codes), Ticket.state.in_(VOIDABLE))
            .values(state=TicketState.VOID, voided_at=now)
        )


def _unvoid(session: Session, detail: dict[str, object]) -> str | None:
    """A void undone: each ticket back to the state it had, its replacements voided. Refused
    (the state a replacement is in) once a replacement was used: it was handed over."""
    listed = detail.get("replacements") or []
    made = [str(c) for c in listed] if isinstance(listed, list) else []
    if made:
        used = session.scalar(
            select(Ticket.state)
            .where(Ticket.code.in_(made), Ticket.state == TicketState.REDEEMED)
            .limit(1)
        )
        if used is not None:
            return str(used)
        _void(session, made, utcnow())
    was = detail.get("was", {})
    assert isinstance(was, dict)
    for code, state in was.items():
        session.execute(
            update(Ticket)
            .where(Ticket.code == code, Ticket.state == TicketState.VOID)
            .values(state=state, voided_at=None, void_reason="")
        )
    return None
