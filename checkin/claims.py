"""The prize table: a winning ticket scanned claims its prize, exactly once.

A ticket that has not won hears so kindly; a winner who came back after their prize was redrawn
is told what happened rather than just "not a winner".
"""

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
        return _not_a_winner(session, ticket)
    prize = session.get(Prize, draw.prize_id)
    prize_name = prize.name if prize else "?"
    params = {
        "prize": prize_name,
        "sponsor": prize.sponsor if prize else "",
        "serial": str(ticket.serial),
        "draw": draw.uid,
    }
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
        params["where"] = draw.claimed_station
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
        detail={"prize": prize_name, "ticket": ticket.code, "serial": ticket.serial},
    )
    return ScanState.PRIZE_CLAIMED, f"Winner! Hand over: {prize_name}", params


def _not_a_winner(session: Session, ticket: Ticket) -> tuple[ScanState, str, dict[str, str]]:
    params = {"serial": str(ticket.serial)}
    if ticket.type.kind != "raffle":
        params["type"] = ticket.type.name
        return (
            ScanState.NOT_A_WINNER,
            f"This is a {ticket.type.name} ticket, not a raffle ticket",
            params,
        )
    missed = session.scalar(
        select(Draw)
        .where(Draw.ticket_id == ticket.id, Draw.state == "redrawn")
        .order_by(Draw.id.desc())
        .limit(1)
    )
    if missed is not None:
        prize = session.get(Prize, missed.prize_id)
        params["prize"] = prize.name if prize else "?"
        params["when"] = clock(missed.redrawn_at)
        return (
            ScanState.NOT_A_WINNER,
            f"Ticket No. {ticket.serial} won {params['prize']}, but nobody came for it, so it "
            f"was drawn again at {params['when']}. Sorry!",
            params,
        )
    return (
        ScanState.NOT_A_WINNER,
        f"Ticket No. {ticket.serial} has not won (yet). Good luck!",
        params,
    )
