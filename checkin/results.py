"""Plain values the services return. Nothing here holds a database session or an ORM object,
so the GUI, the CLI and tests can keep them as long as they like."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from checkin.store.states import AttendeeSource, TicketKind, TicketState
from checkin.store.states import StationMode as StationMode  # stored in stations.mode


class ScanState(enum.StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    TICKET_BOUND = "ticket_bound"
    UNASSIGNED = "unassigned"  # pre-printed ticket scanned with nobody on screen
    REDEEMED = "redeemed"
    ALREADY_REDEEMED = "already_redeemed"
    NOT_VALID_HERE = "not_valid_here"
    # a person's code at a resource station, entitled to more than they hold, that this
    # station cannot hand over by the code alone (from the pre-printed stack, or after check-in)
    ENTITLED = "entitled"
    LIMIT_REACHED = "limit_reached"
    OUT_OF_STOCK = "out_of_stock"
    VOID = "void"
    UNKNOWN = "unknown"
    WRONG_EVENT = "wrong_event"
    FORGED = "forged"
    TYPO = "typo"
    NOT_A_CODE = "not_a_code"
    # flyer campaign codes
    CAMPAIGN_RECORDED = "campaign_recorded"
    FLYER = "flyer"  # flyer scanned with nobody on screen: the desk offers a walk-up form
    # prize table
    PRIZE_CLAIMED = "prize_claimed"
    ALREADY_CLAIMED = "already_claimed"
    NOT_A_WINNER = "not_a_winner"
    NOT_SAVED = "not_saved"  # the event file could not be written: the scan did NOT count


class Tone(enum.StrEnum):
    """How the desk presents a result: colour, icon and sound."""

    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


TONE: dict[ScanState, Tone] = {
    ScanState.CHECKED_IN: Tone.SUCCESS,
    ScanState.TICKET_BOUND: Tone.SUCCESS,
    ScanState.REDEEMED: Tone.SUCCESS,
    ScanState.CAMPAIGN_RECORDED: Tone.SUCCESS,
    ScanState.PRIZE_CLAIMED: Tone.SUCCESS,
    ScanState.ALREADY_CHECKED_IN: Tone.WARNING,
    ScanState.UNASSIGNED: Tone.WARNING,
    ScanState.FLYER: Tone.WARNING,
    ScanState.LIMIT_REACHED: Tone.WARNING,
    ScanState.ENTITLED: Tone.WARNING,
    ScanState.NOT_A_WINNER: Tone.WARNING,
}


@dataclass(frozen=True)
class Station:
    """Where a scan happens: recorded with every scan, check-in and redemption."""

    name: str
    mode: StationMode = StationMode.DESK
    ticket_type: str | None = None  # the type a resource station redeems
    volunteer: str = ""


@dataclass(frozen=True)
class TicketInfo:
    code: str
    serial: int
    type_name: str
    kind: TicketKind
    state: TicketState
    attendee_code: str | None
    issued_at: datetime | None
    redeemed_at: datetime | None
    redeemed_station: str | None
    partner_text: str = ""
    sheet: int | None = None  # the pre-printed stock sheet it is printed on


@dataclass(frozen=True)
class TicketDue:
    type_name: str
    kind: TicketKind
    allowed: int
    held: int  # issued, bound or redeemed, not void
    used: int = 0  # of ``held``: redeemed

    @property
    def due(self) -> int:
        return max(0, self.allowed - self.held)

    @property
    def left(self) -> int:
        """What the household may still be handed of the type: its allowance (or what it
        holds, when given more) less what it used."""
        return max(0, max(self.allowed, self.held) - self.used)


def person_name(first: str, last: str, number: int) -> str:
    """How a person is named on screen and paper: their name, or "Guest #N" for a walk-up who
    gave none."""
    return f"{first} {last}".strip() or f"Guest #{number}"


@dataclass(frozen=True)
class AttendeeInfo:
    code: str
    number: int
    first_name: str
    last_name: str
    adults: int
    kids: int
    seniors: int
    zip_code: str
    phone: str
    email: str
    consent: bool
    language: str
    heard_about: str
    notes: str
    needs_attention: bool
    attention_note: str
    source: AttendeeSource
    checked_in_at: datetime | None
    checked_in_station: str | None
    tickets: tuple[TicketInfo, ...] = ()
    dues: tuple[TicketDue, ...] = ()
    # when the household withdrew its contact consent (checkin/people/consent_withdrawal.py)
    contact_withdrawn_at: datetime | None = None

    @property
    def display_name(self) -> str:
        return person_name(self.first_name, self.last_name, self.number)

    @property
    def household_size(self) -> int:
        return self.adults + self.kids + self.seniors


class Why(enum.StrEnum):
    """Why a resource station or the desk answered as it did, when the state alone does not
    say (a refusal, an entitlement, all used)."""

    DESK_ONLY = "desk_only"  # a person's code where only the desk checks people in
    STATION_LIST = "station_list"  # the type is not given out at this station
    NOT_ENTITLED = "not_entitled"  # the household's rule gives it none of the type
    DESK = "desk"  # entitled, but not checked in yet
    STACK = "stack"  # entitled: the rest of the allowance comes from the pre-printed stack
    ALL_USED = "all_used"  # the household used its whole allowance
    HOLDER = "holder"  # someone's ticket where it is not redeemed


# The parameters of a scan's outcome: one frozen dataclass per family of outcomes, so every
# reader (the desk's and the prize table's wording, the CLI's, the tone) is checked by mypy.
# ``name`` is the person the answer is about ("" for none); each family adds its own values.


@dataclass(frozen=True, kw_only=True)
class OutcomeParams:
    """An outcome with nothing more to say than its state (a typo, an unknown code)."""

    name: str = ""


@dataclass(frozen=True)
class ShortStock:
    """A type that ran out during a check-in: the household got ``given`` of ``due``."""

    type: str
    given: int
    due: int


@dataclass(frozen=True, kw_only=True)
class CheckInParams(OutcomeParams):
    """Checked in, or already checked in (``when``, ``where``)."""

    tickets: int = 0  # how many tickets the check-in handed out
    short: tuple[ShortStock, ...] = ()  # the types that ran out (amber)
    elsewhere: bool = False  # a walk-up of another station's copy, checked in here (amber)
    when: str = ""  # local clock time of the earlier check-in
    where: str = ""


@dataclass(frozen=True, kw_only=True)
class TicketParams(OutcomeParams):
    """A ticket or a resource station's answer: bound, redeemed, refused, entitled, used up,
    out of stock, voided."""

    type: str = ""  # the ticket type's name
    serial: int | None = None
    why: Why | None = None
    left: int | None = None  # what the household may still be handed of the type
    allowed: int | None = None  # its allowance
    used: int = 0  # all used: how many
    when: str = ""  # local clock time it was used, voided
    where: str = ""
    at_checkin: bool = False  # limit reached: the whole allowance comes at check-in
    station_type: str = ""  # a ticket of another type: what this station gives out
    reason: str = ""  # voided by the organiser: lost, stolen, damaged


@dataclass(frozen=True, kw_only=True)
class FlyerParams(OutcomeParams):
    campaign: str


@dataclass(frozen=True, kw_only=True)
class PrizeParams(OutcomeParams):
    """The prize table: claimed, already claimed, not a winner."""

    serial: int | None = None  # None: an answer read back from the scan log without one
    type: str = ""  # the ticket's type
    prize: str = ""
    sponsor: str = ""
    draw: str = ""  # the draw's uid
    when: str = ""  # claimed at, or redrawn at
    where: str = ""
    not_raffle: bool = False  # not a raffle ticket at all
    redrawn: bool = False  # it won, nobody came, the prize was drawn again
    unassigned: bool = False  # pre-printed stock nobody was given: cannot win


@dataclass(frozen=True, kw_only=True)
class NotSavedParams(OutcomeParams):
    failure: str  # errors.Failure's value, or "internal" for a bug
    error: str = ""  # the exception's first line
    detail: str = ""  # the cause in English, for the command line


@dataclass(frozen=True, kw_only=True)
class UnknownParams(OutcomeParams):
    """A code of this event that is not in this file."""

    what: str  # "person", "ticket" or "flyer"


@dataclass(frozen=True)
class ScanResult:
    input: str
    state: ScanState
    message: str  # English, for the CLI and logs (checkin/scanning/texts.py words it)
    attendee: AttendeeInfo | None = None
    ticket: TicketInfo | None = None
    params: OutcomeParams = OutcomeParams()
    repeat: bool = False  # a scanner double-trigger: same answer, no second effect
    # The tickets this scan handed out (a check-in's defaults). ``attendee`` is a brief card
    # without tickets: the full card is read after the commit (attendees.get_attendee).
    issued: tuple[TicketInfo, ...] = ()

    @property
    def tone(self) -> Tone:
        params = self.params
        if isinstance(params, CheckInParams) and (params.short or params.elsewhere):
            # short: went ahead with less than due (stock ran out); elsewhere: a household
            # this laptop does not know. Either way: look.
            return Tone.WARNING
        return TONE.get(self.state, Tone.ERROR)

    @property
    def ok(self) -> bool:
        """It went ahead (a check-in short of stock too)."""
        return TONE.get(self.state, Tone.ERROR) is Tone.SUCCESS

    def unnamed_message(self) -> str:
        """The message naming nobody: the command line prints it (issue 23: scanning badges in
        prize mode answered every person's name and left no check-in). A person is their guest
        number here; the desk's screen shows the name."""
        if isinstance(self.params, TicketParams) and self.params.why is Why.DESK_ONLY:
            return "Not valid here: check-in happens at the desk"
        name = self.params.name
        if self.attendee is not None:
            name = name or self.attendee.display_name
        if not name:
            return self.message
        own = self.attendee is not None and self.attendee.display_name == name
        label = f"Guest #{self.attendee.number}" if own and self.attendee else "the holder"
        return self.message.replace(name, label)

    def as_json(self) -> dict[str, Any]:
        """What the command line prints of the answer: codes, and no person's name."""
        return {
            "input": self.input,
            "state": self.state.value,
            "message": self.unnamed_message(),
            "attendee": self.attendee.code if self.attendee else None,
            "ticket": self.ticket.code if self.ticket else None,
        }
