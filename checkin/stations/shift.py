"""One volunteer's shift at one station: what the end-of-shift summary shows.

A shift runs from the moment the volunteer signed in at the station (their name entered) to
now. Only that volunteer's actions at that station count; an action that was undone later is
not counted as done, it is listed among the undos instead.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from checkin.results import person_name
from checkin.store import AttendeeSource, Database
from checkin.store.models import Attendee, AuditEntry, CheckIn, ScanLog, Ticket


@dataclass(frozen=True)
class UndoneAction:
    action: str  # what the undo reverted: "checked_in", "ticket_redeemed"...
    subject: str  # the person's name, or the ticket ("Meal No. 4"); "" when not known


@dataclass(frozen=True)
class ShiftSummary:
    station: str
    volunteer: str
    since: datetime  # UTC, as stored
    check_ins: int = 0  # live ones: undone check-ins are not counted
    walkups: int = 0  # households registered at the table during the shift
    redemptions: int = 0  # resource tickets redeemed (not undone)
    handed_out: int = 0  # pre-printed tickets bound to a person (not undone)
    undos: tuple[UndoneAction, ...] = ()  # in the order they were done
    scans_by_state: dict[str, int] = field(default_factory=dict)  # first scans, not repeats

    @property
    def scans(self) -> int:
        return sum(self.scans_by_state.values())


def shift_summary(db: Database, station: str, volunteer: str, since: datetime) -> ShiftSummary:
    with db.reading() as session:
        entries = session.execute(
            select(AuditEntry.id, AuditEntry.action, AuditEntry.detail, AuditEntry.subject)
            .where(
                AuditEntry.station == station,
                AuditEntry.volunteer == volunteer,
                AuditEntry.at >= since,
            )
            .order_by(AuditEntry.id)
        ).all()
        undone_ids = set(
            session.scalars(select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None)))
        )
        by_state: Counter[str] = Counter()
        for (state,) in session.execute(
            select(ScanLog.state).where(
                ScanLog.station == station,
                ScanLog.volunteer == volunteer,
                ScanLog.at >= since,
                ScanLog.repeat.is_(False),
            )
        ):
            by_state[state] += 1
        subjects = {subject for _id, action, _d, subject in entries if action == "undo"}
        names = {
            uid: person_name(first, last, number)
            for uid, first, last, number in session.execute(
                select(
                    Attendee.uid, Attendee.first_name, Attendee.last_name, Attendee.number
                ).where(Attendee.uid.in_(subjects))
            )
        }
        for uid, first, last, number in session.execute(
            select(CheckIn.uid, Attendee.first_name, Attendee.last_name, Attendee.number)
            .join(Attendee, Attendee.id == CheckIn.attendee_id)
            .where(CheckIn.uid.in_(subjects))
        ):
            names[uid] = person_name(first, last, number)
        for ticket in session.scalars(select(Ticket).where(Ticket.uid.in_(subjects))):
            names[ticket.uid] = f"{ticket.type.name} No. {ticket.serial}"
    live: Counter[str] = Counter()
    undos: list[UndoneAction] = []
    walkups = 0
    for entry_id, action, detail, subject in entries:
        if action == "undo":
            undos.append(
                UndoneAction(str(json.loads(detail).get("action", "")), names.get(subject, ""))
            )
        elif action == "attendee_added":
            walkups += json.loads(detail).get("source") == AttendeeSource.WALKUP
        elif entry_id not in undone_ids:
            live[action] += 1
    return ShiftSummary(
        station=station,
        volunteer=volunteer,
        since=since,
        check_ins=live["checked_in"],
        walkups=walkups,
        redemptions=live["ticket_redeemed"],
        handed_out=live["ticket_bound"],
        undos=tuple(undos),
        scans_by_state=dict(sorted(by_state.items())),
    )
