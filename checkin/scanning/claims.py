"""The prize table: a winning ticket scanned claims its prize, exactly once.

A ticket that has not won hears so kindly; a pre-printed ticket nobody was given is sent to the
desk (it cannot win until it is given out); a winner who came back after their prize was redrawn
is told what happened rather than just "not a winner". Decided on the rows the scan read with
the ticket (statements.DRAW_OF_TICKET, REDRAWN_OF_TICKET).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from checkin.results import PrizeParams, ScanState, TicketInfo
from checkin.store import TicketKind, TicketState
from checkin.timefmt import clock

Outcome = tuple[ScanState, PrizeParams]


def not_a_winner(ticket: TicketInfo, redrawn: Any | None) -> Outcome:
    params = PrizeParams(serial=ticket.serial, type=ticket.type_name)
    if ticket.kind != TicketKind.RAFFLE:
        return ScanState.NOT_A_WINNER, dataclasses.replace(params, not_raffle=True)
    if redrawn is not None:
        when = clock(redrawn.redrawn_at)
        return ScanState.NOT_A_WINNER, dataclasses.replace(
            params, prize=redrawn.prize or "?", when=when, redrawn=True
        )
    if ticket.state == TicketState.UNASSIGNED:
        # Pre-printed stock nobody was given: never in the pool until the desk gives it out.
        return ScanState.NOT_A_WINNER, dataclasses.replace(params, unassigned=True)
    return ScanState.NOT_A_WINNER, params


def claim_params(draw: Any, ticket: TicketInfo) -> PrizeParams:
    return PrizeParams(
        serial=ticket.serial,
        type=ticket.type_name,
        prize=draw.prize or "?",
        sponsor=draw.sponsor or "",
        draw=draw.uid,
    )


def already_claimed(draw: Any, params: PrizeParams) -> Outcome:
    when = clock(draw.claimed_at)
    where = draw.claimed_station or ""
    return ScanState.ALREADY_CLAIMED, dataclasses.replace(params, when=when, where=where)
