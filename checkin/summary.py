"""Aggregate figures of an event: what the desk counters, `checkin stats` and reports show.

Only counts leave this module: no names, phones or emails.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.db import Database
from checkin.events import load_event
from checkin.models import Attendee, CheckIn, ScanLog, Ticket, TicketType


@dataclass(frozen=True)
class TypeFigures:
    name: str
    kind: str
    issued: int  # issued or bound, still held or used (not void)
    redeemed: int
    unassigned: int
    void: int
    stock: int | None
    stock_left: int | None


@dataclass(frozen=True)
class Summary:
    event: str
    registered: int
    households_checked_in: int
    people_checked_in: int
    adults: int
    kids: int
    seniors: int
    walkups: int
    tickets: tuple[TypeFigures, ...]
    scans: int
    scans_by_state: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def summarize(db: Database) -> Summary:
    with db.reading() as session:
        return summary_in_session(session)


def summary_in_session(session: Session) -> Summary:
    event = load_event(session)
    live = CheckIn.undone_at.is_(None)
    households, adults, kids, seniors = session.execute(
        select(
            func.count(Attendee.id),
            func.coalesce(func.sum(Attendee.adults), 0),
            func.coalesce(func.sum(Attendee.kids), 0),
            func.coalesce(func.sum(Attendee.seniors), 0),
        ).join(CheckIn, (CheckIn.attendee_id == Attendee.id) & live)
    ).one()
    walkups = (
        session.scalar(
            select(func.count(Attendee.id)).where(Attendee.source.in_(("walkup", "paper")))
        )
        or 0
    )
    registered = session.scalar(select(func.count(Attendee.id))) or 0
    counts: dict[tuple[int, str], int] = {
        (type_id, state): n
        for type_id, state, n in session.execute(
            select(Ticket.type_id, Ticket.state, func.count(Ticket.id)).group_by(
                Ticket.type_id, Ticket.state
            )
        )
        .all()
    }
    figures = []
    for t in session.scalars(select(TicketType).order_by(TicketType.position, TicketType.id)):
        held = counts.get((t.id, "issued"), 0) + counts.get((t.id, "redeemed"), 0)
        figures.append(
            TypeFigures(
                t.name,
                t.kind,
                held,
                counts.get((t.id, "redeemed"), 0),
                counts.get((t.id, "unassigned"), 0),
                counts.get((t.id, "void"), 0),
                t.stock,
                None if t.stock is None else max(0, t.stock - held),
            )
        )
    by_state = dict(
        session.execute(select(ScanLog.state, func.count(ScanLog.id)).group_by(ScanLog.state))
        .all()
    )
    return Summary(
        event=event.name,
        registered=registered,
        households_checked_in=households,
        people_checked_in=int(adults) + int(kids) + int(seniors),
        adults=int(adults),
        kids=int(kids),
        seniors=int(seniors),
        walkups=walkups,
        tickets=tuple(figures),
        scans=sum(by_state.values()),
        scans_by_state=by_state,
    )
