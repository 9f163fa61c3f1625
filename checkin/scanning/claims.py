"""The prize table: a winning ticket scanned claims its prize, exactly once.

A ticket that has not won hears so kindly; a pre-printed ticket nobody was given is sent to the
desk (it cannot win until it is given out); a winner who came back after their prize was redrawn
is told what happened rather than just "not a winner". Decided on the rows the scan read with
the ticket (statements.DRAW_OF_TICKET, REDRAWN_OF_TICKET).
"""

from __future__ import annotations

from typing import Any

from checkin.results import ScanState, TicketInfo
from checkin.store import TicketKind, TicketState
from checkin.timefmt import clock

Outcome = tuple[ScanState, str, dict[str, str]]


def not_a_winner(ticket: TicketInfo, redrawn: Any | None) -> Outcome:
    params = {"serial": str(ticket.serial)}
    if ticket.kind != TicketKind.RAFFLE:
        params["type"] = ticket.type_name
        return (
            ScanState.NOT_A_WINNER,
            f"This is a {ticket.type_name} ticket, not a raffle ticket",
            params,
        )
    if redrawn is not None:
        params["prize"] = redrawn.prize or "?"
        params["when"] = clock(redrawn.redrawn_at)
        return (
            ScanState.NOT_A_WINNER,
            f"Ticket No. {ticket.serial} won {params['prize']}, but nobody came for it, so it "
            f"was drawn again at {params['when']}. Sorry!",
            params,
        )
    if ticket.state == TicketState.UNASSIGNED:
        # Pre-printed stock nobody was given: never in the pool until the desk gives it out.
        params["unassigned"] = "1"
        return (
            ScanState.NOT_A_WINNER,
            f"Ticket No. {ticket.serial} was never given out at the check-in desk, so it cannot "
            "win. Send them to the check-in desk first",
            params,
        )
    return (
        ScanState.NOT_A_WINNER,
        f"Ticket No. {ticket.serial} has not won (yet). Good luck!",
        params,
    )


def claim_params(draw: Any, ticket: TicketInfo) -> dict[str, str]:
    return {
        "prize": draw.prize or "?",
        "sponsor": draw.sponsor or "",
        "serial": str(ticket.serial),
        "draw": draw.uid,
    }


def already_claimed(draw: Any, params: dict[str, str]) -> Outcome:
    params["when"] = clock(draw.claimed_at)
    params["where"] = draw.claimed_station
    return (
        ScanState.ALREADY_CLAIMED,
        f"{params['prize']} was already handed over for this ticket at {params['when']}",
        params,
    )
