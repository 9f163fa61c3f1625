"""One clear line for any failure a command or screen can meet."""

from __future__ import annotations

from checkin.attendees import InvalidAttendee
from checkin.db import EventFileError
from checkin.events import NoEvent
from checkin.tickets import TicketError

KNOWN: tuple[type[Exception], ...] = (
    EventFileError,
    NoEvent,
    TicketError,
    InvalidAttendee,
    ValueError,
)


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename}" if exc.filename else reason
    if isinstance(exc, KNOWN):
        return str(exc)
    return f"unexpected error: {type(exc).__name__}: {exc}"
