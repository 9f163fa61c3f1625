"""One try at the organiser passphrase or the raffle caller's PIN, as the app and the `checkin`
command make it: refused without checking while a wait is due (checkin/access/guessing.py), a wrong
try noted, a right one clearing the count and upgrading a hash made with weaker settings."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from checkin.access import caller_pin, guessing
from checkin.event import events
from checkin.store import Database, EventFileError
from checkin.store.models import Setting

Upgrade = Callable[[Database, str], None]


class Outcome(enum.Enum):
    OPEN = "open"  # right (or nothing to unlock)
    WRONG = "wrong"
    WAIT = "wait"  # not checked: too many wrong tries just before


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    wait: float = 0.0  # seconds before the next try is checked

    @property
    def open(self) -> bool:
        return self.outcome is Outcome.OPEN


def try_passphrase(db: Database, passphrase: str, *, folder: Path | None = None) -> Attempt:
    with db.reading() as session:
        event = events.load_event(session)
        uid, stored = event.uid, event.organiser_hash
    if not stored:
        return Attempt(Outcome.OPEN)
    tried = _try(db, uid, stored, passphrase, folder, _upgrade_passphrase)
    if tried.open and not db.key_has_passphrase():
        # A file encrypted when opened (checkin/store/encrypt_file.py): its key gets the
        # passphrase's wrap now, so a copy of it opens elsewhere with the passphrase.
        with contextlib.suppress(OSError):
            db.wrap_key(passphrase)
    return tried


def try_caller_pin(db: Database, pin: str, *, folder: Path | None = None) -> Attempt:
    """The raffle caller's PIN; WRONG when none is set."""
    with db.reading() as session:
        uid = events.load_event(session).uid
        row = session.get(Setting, caller_pin.SETTING)
        stored = row.value if row else ""
    if not stored or not pin:
        return Attempt(Outcome.WRONG)
    return _try(db, f"{uid}/pin", stored, pin, folder, _upgrade_pin)


def _try(
    db: Database, key: str, stored: str, given: str, folder: Path | None, upgrade: Upgrade
) -> Attempt:
    wait = guessing.wait_left(key, folder=folder)
    if wait > 0:
        return Attempt(Outcome.WAIT, wait)
    if not events.passphrase_matches(stored, given):
        return Attempt(Outcome.WRONG, guessing.failed(key, folder=folder))
    guessing.succeeded(key, folder=folder)
    if events.needs_rehash(stored):
        # A read-only copy stays as it was, still verifiable.
        with contextlib.suppress(DBAPIError, EventFileError, OSError):
            upgrade(db, given)
    return Attempt(Outcome.OPEN)


def _upgrade_passphrase(db: Database, passphrase: str) -> None:
    def work(session: Session) -> None:
        event = events.load_event(session)
        event.organiser_hash = events.hash_passphrase(passphrase)
        audit_entry(session, event.uid, "passphrase_rehashed")

    db.write(work)


def _upgrade_pin(db: Database, pin: str) -> None:
    def work(session: Session) -> None:
        row = session.get(Setting, caller_pin.SETTING)
        if row is not None:
            row.value = events.hash_passphrase(pin)
        audit_entry(session, events.load_event(session).uid, "caller_pin_rehashed")

    db.write(work)


def audit_entry(session: Session, subject: str, action: str) -> None:
    from checkin.record import audit

    audit.record(session, action, subject=subject, detail={"kdf": "stronger settings"})
