"""Which station did what: per-station counts for `checkin stations` and the organiser's view.

Every check-in, registration, ticket hand-out, redemption, claim and scan records the station
it happened at; this module only counts them. Nothing personal leaves it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.after_event.summary import is_failed
from checkin.store import HELD_STATES, ON_THE_DAY, Database, DrawState, TicketState
from checkin.store.models import Attendee, CheckIn, Draw, ScanLog, Ticket


@dataclass(frozen=True)
class StationFigures:
    station: str  # "" for actions recorded without a station (imports, setup)
    checkins: int = 0  # live check-ins
    walkups: int = 0  # people registered there
    tickets_issued: int = 0  # handed out there, still held or used
    redeemed: int = 0
    prizes_claimed: int = 0
    scans: int = 0
    failed_scans: int = 0
    last_scan: str = ""  # local time, ISO 8601

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _counts(session: Session, column: Any, *where: Any) -> dict[str, int]:
    return {
        name or "": n
        for name, n in session.execute(
            select(column, func.count()).where(*where).group_by(column)
        ).all()
    }


def station_figures(db: Database) -> list[StationFigures]:
    """One row per station name seen anywhere in the event, by name."""
    with db.reading() as session:
        columns: dict[str, dict[str, int]] = {
            "checkins": _counts(session, CheckIn.station, CheckIn.undone_at.is_(None)),
            "walkups": _counts(session, Attendee.created_station, Attendee.source.in_(ON_THE_DAY)),
            "tickets_issued": _counts(
                session, Ticket.issued_station, Ticket.state.in_(HELD_STATES)
            ),
            "redeemed": _counts(
                session, Ticket.redeemed_station, Ticket.state == TicketState.REDEEMED
            ),
            "prizes_claimed": _counts(
                session, Draw.claimed_station, Draw.state == DrawState.CLAIMED
            ),
            "scans": _counts(session, ScanLog.station),
        }
        failed: dict[str, int] = defaultdict(int)
        for name, state, n in session.execute(
            select(ScanLog.station, ScanLog.state, func.count()).group_by(
                ScanLog.station, ScanLog.state
            )
        ).all():
            if is_failed(state):
                failed[name or ""] += n
        last = {
            name or "": at
            for name, at in session.execute(
                select(ScanLog.station, func.max(ScanLog.at)).group_by(ScanLog.station)
            ).all()
        }
    names = sorted({name for counts in columns.values() for name in counts if counts[name]})
    return [
        StationFigures(
            name,
            **{key: counts.get(name, 0) for key, counts in columns.items()},
            failed_scans=failed.get(name, 0),
            last_scan=_local(last.get(name)),
        )
        for name in names
    ]


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).astimezone().isoformat(timespec="seconds")
