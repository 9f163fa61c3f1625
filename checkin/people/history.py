"""A household's history: every audit entry about it, with when, where and by whom.

Entries name the household by its uid (registered, edited, tickets issued, flyer), its
check-ins' and tickets' uids (checked in, redeemed, handed out, voided), or its code in their
detail (an import, a ticket bound to it); an undo names what it undid's subject.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from checkin.store.models import Attendee, AuditEntry, CheckIn, Ticket

# What each action is called in the history (English: the CLI; the window translates).
WORDS = {
    "attendee_added": "registered",
    "attendees_imported": "registered (import)",
    "attendee_updated": "edited",
    "checked_in": "checked in",
    "tickets_issued": "tickets issued",
    "ticket_redeemed": "ticket redeemed",
    "ticket_bound": "ticket handed out",
    "ticket_voided": "ticket voided",
    "campaign_recorded": "flyer recorded",
    "prize_claimed": "prize claimed",
    "undo": "undone",
    "sealed": "recorded",
}


@dataclass(frozen=True)
class HistoryEntry:
    audit_id: int
    at: datetime
    station: str
    volunteer: str
    action: str
    what: str  # English: the action's word and its particulars (fields, ticket codes)
    undone: bool  # a later entry undid this one
    particulars: str = ""  # the fields edited, the ticket's code, what an undo undid
    undid: str = ""  # an undo's: the action it undid


def _particulars(action: str, detail: dict[str, Any], undone_action: str) -> str:
    if action == "attendee_updated":
        return ", ".join(detail.get("fields", []))
    if action == "tickets_issued":
        return f"{len(detail.get('codes', []))} {detail.get('type', '')}"
    if action == "checked_in":
        count = len(detail.get("tickets", []))
        return f"{count} tickets" if count else ""
    if action in ("ticket_redeemed", "ticket_bound", "ticket_voided"):
        return str(detail.get("code", ""))
    if action == "campaign_recorded":
        return str(detail.get("campaign", ""))
    if action == "undo":
        return WORDS.get(undone_action, undone_action)
    return ""


def history(session: Session, attendee: Attendee) -> list[HistoryEntry]:
    """Oldest first."""
    subjects = {attendee.uid}
    subjects.update(session.scalars(select(CheckIn.uid).where(CheckIn.attendee_id == attendee.id)))
    subjects.update(session.scalars(select(Ticket.uid).where(Ticket.attendee_id == attendee.id)))
    entries = session.scalars(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.subject.in_(subjects),
                # an import's list of codes, a ticket bound to this household
                AuditEntry.detail.contains(f'"{attendee.code}"'),
            ),
            AuditEntry.action != "sealed",
        )
        .order_by(AuditEntry.id)
    ).all()
    undone = {e.undoes for e in entries if e.undoes is not None}
    by_id = {e.id: e for e in entries}
    out = []
    for entry in entries:
        detail = json.loads(entry.detail)
        target = by_id.get(entry.undoes) if entry.undoes is not None else None
        undone_action = target.action if target is not None else str(detail.get("action", ""))
        word = WORDS.get(entry.action, entry.action.replace("_", " "))
        more = _particulars(entry.action, detail, undone_action)
        out.append(
            HistoryEntry(
                entry.id,
                entry.at,
                entry.station,
                entry.volunteer,
                entry.action,
                f"{word}: {more}" if more else word,
                entry.id in undone,
                more,
                undone_action if entry.action == "undo" else "",
            )
        )
    return out
