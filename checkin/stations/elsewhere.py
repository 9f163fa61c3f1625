"""A genuine code of this event that this file does not hold: "registered at another station".

A walk-up registered on another offline station copy carries a code signed with this event's
key (checkin/codes.py), so its signature proves it is ours although no row here has it. At a
check-in desk the scan engine (checkin/scanning/engine.py) then adds a stand-in household with
that code, ``source`` ``ELSEWHERE``, no name and one adult, checks it in and hands out the
default tickets of one adult: the least the household surely is, so that nothing handed out
here can be more than the household's share once its real size is known. Every write is sealed
in the audit chain like any scan's.

When the station files come together (checkin/stations/merge.py), the stand-in and the real
household
are one household, matched by the code: the real one's details replace the stand-in's, and the
check-ins and tickets of both land on it; a second check-in is kept as undone and its unused
tickets cancelled, as for any household checked in at two stations.
"""

from __future__ import annotations

from typing import Any

from checkin.people.attendees import FIELDS, set_search_keys
from checkin.store import AttendeeSource
from checkin.store.models import Attendee

ELSEWHERE = AttendeeSource.ELSEWHERE  # a stand-in household
MESSAGE = "Registered at another station: checked in here"
# One adult: the household's size is unknown here (see the module docstring).
STAND_IN_MEMBERS = {"adults": 1, "kids": 0, "seniors": 0}

# What the real household brings to its stand-in when the stand-in reached this file first.
# Every field a caller may set (attention note included), and where the household came from.
_TAKEN_OVER = (*FIELDS, "source", "created_at", "created_station")


def is_stand_in(source: str | None) -> bool:
    return source == ELSEWHERE


def take_over(stand_in: Attendee, real: dict[str, Any], *, campaign_id: int | None) -> None:
    """Give the stand-in household (in this file) the real household's details (a station
    file's row); its number too when ``real`` brings one (None: keep the stand-in's)."""
    for name in _TAKEN_OVER:
        setattr(stand_in, name, real[name])
    if campaign_id is not None:
        stand_in.campaign_id = campaign_id
    set_search_keys(stand_in)
