"""The states, kinds and rules the tables store, as enums.

Each is a ``StrEnum``: a member is the very string stored, so the files and databases written
before these existed read the same, a member compares equal to its string, and JSON, CSV and the
audit record see the string. They live here, beside the tables, because the store imports
nothing above it; the packages that own them re-export them (``checkin.ticketing``,
``checkin.raffle``, ``checkin.people``). ``tests/checkin/store/test_state_literals.py`` fails
when one of their values is written as a literal anywhere else.

Compare with ``==`` or ``in``, never ``is``: the ORM and Core reads return members, but the scan
path reads rows straight from the driver (checkin/store/scan_tx.py), where a state is the plain
string, equal to its member.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from sqlalchemy import Dialect, String
from sqlalchemy.types import TypeDecorator


class TicketState(enum.StrEnum):
    UNASSIGNED = "unassigned"  # pre-printed stock nobody holds yet
    ISSUED = "issued"  # handed out (or bound to a household)
    REDEEMED = "redeemed"  # used at a resource station or the prize table
    VOID = "void"  # lost, stolen, damaged, or cancelled by an undone check-in


# A ticket someone holds: handed out (issued) or used (redeemed); not stock, not void. What an
# allowance, a stock count, the raffle's pool and the exports count as given out.
HELD_STATES = (TicketState.ISSUED, TicketState.REDEEMED)

# A ticket not used yet and not void: what a void, or an undone check-in, may cancel.
VOIDABLE = (TicketState.ISSUED, TicketState.UNASSIGNED)


class DrawState(enum.StrEnum):
    DRAWN = "drawn"  # the winner is called, not yet at the prize table
    CLAIMED = "claimed"
    REDRAWN = "redrawn"  # a no-show: the prize was drawn again


# A draw that counts as a win (a redrawn no-show no longer does).
WIN_STATES = (DrawState.DRAWN, DrawState.CLAIMED)


class TicketKind(enum.StrEnum):
    RAFFLE = "raffle"
    RESOURCE = "resource"


class AllowanceRule(enum.StrEnum):
    """How many tickets of a type a household gets: the type's quantity, or that many each."""

    FIXED = "fixed"
    PER_MEMBER = "per_member"
    PER_KID = "per_kid"


def allowance(rule: str, quantity: int, adults: int, kids: int, seniors: int) -> int:
    """How many tickets of a type a household gets, as pantries count it: the one rule, used by
    the scan path (plain strings from the driver) and the services (members from the ORM)."""
    if rule == AllowanceRule.PER_MEMBER:
        return quantity * max(1, adults + kids + seniors)
    if rule == AllowanceRule.PER_KID:
        return quantity * kids
    return quantity


class AttendeeSource(enum.StrEnum):
    """How a household came into the event file."""

    PREREG = "prereg"  # the demo's pre-registrations
    IMPORT = "import"  # a pre-registration file
    WALKUP = "walkup"
    PAPER = "paper"  # entered afterwards from the paper fallback kit
    ELSEWHERE = "elsewhere"  # a stand-in for a code registered on another station's file


# Households that registered on the day, at the desk or on paper.
ON_THE_DAY = (AttendeeSource.WALKUP, AttendeeSource.PAPER)


class StationMode(enum.StrEnum):
    """What a station's scans do (also ``checkin.results.StationMode``)."""

    DESK = "desk"  # check-in: the household's card, its tickets handed out
    RESOURCE = "resource"  # a resource ticket redeemed
    PRIZE = "prize"  # the raffle's prize table: a winning ticket claims its prize


class WinLimit(enum.StrEnum):
    """The raffle's rule on repeat winners: one win per household, per person, or none."""

    HOUSEHOLD = "household"
    PERSON = "person"
    NONE = "none"


E = TypeVar("E", bound=enum.StrEnum)


class EnumText(TypeDecorator[E]):
    """A ``StrEnum`` in a plain ``VARCHAR(length)`` column: the schema, the migrations and
    Alembic's comparison stay as they were (no native enum type, no CHECK constraint).

    A stored value the enum does not know comes back as the plain string: ``checkin verify``
    must still read a tampered row to report it."""

    impl = String
    cache_ok = True

    def __init__(self, enum_type: type[E], length: int) -> None:
        super().__init__(length)
        self.enum_type = enum_type

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        try:
            return self.enum_type(value)
        except ValueError:
            return value

    @property
    def python_type(self) -> type[Any]:
        return self.enum_type
