"""The few English phrases the scan engine shares with the services that word the same
things (the GUI words its own from each result's state and params)."""

from __future__ import annotations

from checkin.timefmt import clock

__all__ = ["belongs_to", "clock", "heard_label", "short_stock", "voided"]


def belongs_to(type_name: str, serial: int, owner: str) -> str:
    return f"{type_name} ticket No. {serial} of {owner}: use it at the {type_name} station"


def heard_label(campaign_name: str) -> str:
    return f"Flyer: {campaign_name}"


def short_stock(type: str, given: int, due: int) -> str:
    """A type that ran out during a check-in: the household got what was left."""
    if given == 0:
        return f"{type} is out: none of {due} to hand over"
    return f"Only {given} {type} left: hand over {given} of {due}; {type} is now out"


def voided(type_name: str, serial: int, reason: str, when: str) -> str:
    """A ticket the organiser voided (lost, stolen, damaged, its sheet missing)."""
    return f"Voided ticket ({reason}, {when}): {type_name} ticket No. {serial}"
