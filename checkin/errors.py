"""One clear line for any failure a command or screen can meet, and why a write failed.

``failure_of`` names the cause (a full disk, a busy file, a lost server...) so that a screen can
say it in the volunteer's language; ``describe`` says it in English for the command line and
logs.
"""

from __future__ import annotations

import errno
from enum import StrEnum

from sqlalchemy.exc import DBAPIError

from checkin.event.events import NoEvent
from checkin.people.attendees import InvalidAttendee
from checkin.store import DamagedFile, EventFileError, cipher
from checkin.store.database import EventFileReplaced
from checkin.ticketing.tickets import TicketError

KNOWN: tuple[type[Exception], ...] = (
    EventFileError,
    NoEvent,
    TicketError,
    InvalidAttendee,
    ValueError,
)


class Failure(StrEnum):
    """Why the event's database could not be read or written."""

    BUSY = "busy"
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    DAMAGED = "damaged"
    UNREACHABLE = "unreachable"  # the server, or the drive the file is on, is gone
    IO_ERROR = "io_error"  # the drive failed a read or write: not the file's own damage
    REPLACED = "replaced"  # another file was copied over the open event file
    OTHER = "other"


# One line each, cause then what to do: the command line's and the logs' words.
_ENGLISH = {
    Failure.BUSY: "the event file is busy (another program holds it): try again in a moment",
    Failure.DISK_FULL: "the disk is full: free some space and try again",
    Failure.READ_ONLY: "the event file is read-only: copy it somewhere you can write",
    Failure.DAMAGED: "the event file is damaged: restore the latest backup",
    Failure.UNREACHABLE: (
        "the database cannot be reached (server, network or drive gone): "
        "check the network cable, the Wi-Fi or the USB stick"
    ),
    Failure.IO_ERROR: (
        "the disk or USB stick failed a read or write (an I/O error; the file itself may be "
        "sound): check the drive and restart the app before restoring anything"
    ),
    Failure.REPLACED: (
        "another file was copied over the event file while it was open: nothing more is "
        "saved in it; scans not saved are kept next to it (.unsaved-scans.txt)"
    ),
}

_ERRNO = {
    errno.ENOSPC: Failure.DISK_FULL,
    errno.EDQUOT: Failure.DISK_FULL,
    errno.EROFS: Failure.READ_ONLY,
    errno.EACCES: Failure.READ_ONLY,
    errno.EPERM: Failure.READ_ONLY,
    errno.EIO: Failure.IO_ERROR,
    errno.ENODEV: Failure.UNREACHABLE,
    errno.ENXIO: Failure.UNREACHABLE,
}

# Words of SQLite's and PostgreSQL's messages, first match wins.
_WORDS: tuple[tuple[tuple[str, ...], Failure], ...] = (
    (("locked", "busy", "could not obtain lock", "deadlock"), Failure.BUSY),
    (("malformed", "not a database", "corrupt"), Failure.DAMAGED),
    (("disk is full", "no space left", "could not extend file"), Failure.DISK_FULL),
    (("readonly", "read-only"), Failure.READ_ONLY),
    (
        (
            "unable to open database file",
            "connection",
            "could not connect",
            "server closed",
            "timeout expired",
        ),
        Failure.UNREACHABLE,
    ),
    (("disk i/o error",), Failure.IO_ERROR),
)


def is_storage_error(exc: BaseException) -> bool:
    """Whether the database, the file or the disk failed (rather than the program)."""
    return isinstance(exc, (DBAPIError, *cipher.ERRORS, OSError, EventFileError))


def failure_of(exc: BaseException) -> Failure:
    if isinstance(exc, EventFileReplaced):
        return Failure.REPLACED
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return Failure.UNREACHABLE
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    if not isinstance(exc, (DBAPIError, *cipher.ERRORS, OSError)):
        return Failure.OTHER
    text = str(getattr(exc, "orig", exc)).lower()
    for words, failure in _WORDS:
        if any(word in text for word in words):
            return failure
    return Failure.OTHER


def describe(exc: BaseException) -> str:
    if isinstance(exc, DamagedFile):  # opening words it here, naming the latest backup
        from checkin.store.backups import damaged_file_message

        return damaged_file_message(exc.path, exc.problem)
    failure = failure_of(exc)
    if failure is not Failure.OTHER:
        return _ENGLISH[failure]
    if isinstance(exc, (DBAPIError, *cipher.ERRORS)):
        text = str(getattr(exc, "orig", exc)).strip()
        return f"database error: {text.splitlines()[0] if text else type(exc).__name__}"
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename}" if exc.filename else reason
    if isinstance(exc, KNOWN):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("psycopg"):
        return (
            "a PostgreSQL server needs the PostgreSQL driver, which this copy of checkin lacks"
            ' (the app bundle opens event files only): pip install "checkin[postgres]"'
        )
    return f"unexpected error: {type(exc).__name__}: {exc}"
