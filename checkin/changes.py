"""What an operation changed, so each view refreshes only when its own data did (the idea of
Anki's ``OpChanges``): the GUI's one "changed" notification carries one of these."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from checkin.results import ScanResult, ScanState


class Kind(enum.StrEnum):
    SCANS = "scans"  # the scan log only (a refused code, a repeat)
    CHECKINS = "checkins"
    TICKETS = "tickets"  # tickets handed out, bound, redeemed, voided
    TICKET_TYPES = "ticket_types"
    ATTENDEES = "attendees"  # people registered or edited
    RAFFLE = "raffle"  # prizes, draws, claims
    SETUP = "setup"  # the event's details, settings, stations, campaigns


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[Kind]
    attendees: frozenset[str] = frozenset()  # codes of the people whose card changed

    def touches(self, *kinds: Kind) -> bool:
        return not self.kinds.isdisjoint(kinds)

    @classmethod
    def of(cls, *kinds: Kind, attendees: tuple[str, ...] = ()) -> Changes:
        return cls(frozenset(kinds), frozenset(attendees))

    @classmethod
    def everything(cls) -> Changes:
        """When a screen cannot say (a restore, a merge, a setup edit): every view refreshes."""
        return cls(frozenset(Kind))


_BY_STATE: dict[ScanState, frozenset[Kind]] = {
    ScanState.CHECKED_IN: frozenset({Kind.SCANS, Kind.CHECKINS, Kind.TICKETS}),
    ScanState.TICKET_BOUND: frozenset({Kind.SCANS, Kind.TICKETS}),
    ScanState.REDEEMED: frozenset({Kind.SCANS, Kind.TICKETS}),
    ScanState.CAMPAIGN_RECORDED: frozenset({Kind.SCANS, Kind.ATTENDEES}),
    ScanState.PRIZE_CLAIMED: frozenset({Kind.SCANS, Kind.RAFFLE}),
}


# What undoing each action changes (checkin/undo.py returns it with the outcome).
_UNDONE: dict[str, frozenset[Kind]] = {
    "checked_in": frozenset({Kind.CHECKINS, Kind.TICKETS}),  # its tickets are cancelled too
    "ticket_redeemed": frozenset({Kind.TICKETS}),
    "ticket_bound": frozenset({Kind.TICKETS}),
    "tickets_issued": frozenset({Kind.TICKETS}),
    "tickets_voided": frozenset({Kind.TICKETS}),
    "sheet_voided": frozenset({Kind.TICKETS}),
    "attendee_updated": frozenset({Kind.ATTENDEES}),
    "campaign_recorded": frozenset({Kind.ATTENDEES}),
}


def of_undone(action: str) -> Changes:
    """What undoing ``action`` changed; every kind for an action this table does not know."""
    kinds = _UNDONE.get(action)
    return Changes(kinds) if kinds is not None else Changes.everything()


def of_scan(result: ScanResult) -> Changes:
    """What a scan changed: the scan log always, and the rows its effect touched (none for a
    repeat, which has no second effect)."""
    kinds = frozenset({Kind.SCANS}) if result.repeat else _BY_STATE.get(result.state)
    people = (result.attendee.code,) if result.attendee is not None and not result.repeat else ()
    return Changes(kinds or frozenset({Kind.SCANS}), frozenset(people))
