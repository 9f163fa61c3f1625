"""The prize table: a winning ticket scanned claims its prize, exactly once."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from checkin import audit
from checkin.db import changed_rows
from checkin.models import Draw, Prize, Ticket, utcnow
from checkin.results import ScanState, Station
from checkin.timefmt import clock


def claim_in_session(
    session: Session, ticket: Ticket, station: Station
) -> tuple[ScanState, str, dict[str, str]]:
    draw = session.scalar(
        select(Draw)
        .where(Draw.ticket_id == ticket.id, Draw.state.in_(("drawn", "claimed")))
        .order_by(Draw.id.desc())
        .limit(1)
    )
    if draw is None:
        return (
            ScanState.NOT_A_WINNER,
            f"Ticket No. {ticket.serial} has not won (yet). Good luck!",
            {"serial": str(ticket.serial)},
        )
    prize = session.get(Prize, draw.prize_id)
    prize_name = prize.name if prize else "?"
    params = {"prize": prize_name, "serial": str(ticket.serial)}
    claimed = changed_rows(
        session.execute(
            update(Draw)
            .where(Draw.id == draw.id, Draw.state == "drawn")
            .values(state="claimed", claimed_at=utcnow(), claimed_station=station.name)
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(draw)
    if claimed != 1:
        params["when"] = clock(draw.claimed_at)
        return (
            ScanState.ALREADY_CLAIMED,
            f"{prize_name} was already handed over for this ticket at {params['when']}",
            params,
        )
    audit.record(
        session,
        "prize_claimed",
        station=station.name,
        volunteer=station.volunteer,
        subject=draw.uid,
        detail={"prize": prize_name, "ticket": ticket.code},
    )
    return ScanState.PRIZE_CLAIMED, f"Winner! Hand over: {prize_name}", params
