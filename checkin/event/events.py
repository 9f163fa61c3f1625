"""The event itself: creating it, its details, the organiser passphrase and small settings."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.event.retention_days import check_days, write_days
from checkin.event.setting_rows import record_setting
from checkin.record import audit
from checkin.store import Database
from checkin.store.models import Event, Setting
from checkin.store.setting_keys import EventSetting

# One guess costs about 0.6 s on the 2-core machine this was measured on (2**14, 8, 1: 56 ms;
# bench/bench_passphrase.py prints both) and 64 MiB of memory. Older hashes keep their
# own settings and are upgraded on the next unlock (checkin/access/unlocking.py).
KDF_SETTING = (2**16, 8, 2)  # n, r, p
SCRYPT_N, SCRYPT_R, SCRYPT_P = KDF_SETTING  # what hash_passphrase uses (tests lower them)
SCRYPT_MAXMEM = 2**28  # room for the settings above, and for a stored hash up to twice them
# A new event's passphrase: at least this many characters, or this many words.
PASSPHRASE_MIN_CHARS, PASSPHRASE_MIN_WORDS = 8, 4


@dataclass(frozen=True)
class EventInfo:
    uid: str
    name: str
    date: date | None
    location: str
    tag: str
    has_passphrase: bool


class NoEvent(Exception):
    """The file has no event yet."""


def create_event(
    db: Database,
    name: str,
    *,
    event_date: date | None = None,
    location: str = "",
    passphrase: str = "",
    retention_days: int | None = None,
) -> EventInfo:
    """A new event; ``retention_days``: delete personal data that many days after it
    (``checkin.after_event.retention``; unset, the default applies)."""

    if retention_days is not None:
        check_days(retention_days)

    def work(session: Session) -> EventInfo:
        if session.scalar(select(Event.id)) is not None:
            raise ValueError("This file already holds an event")
        event = Event(
            name=name.strip() or "Event",
            date=event_date,
            location=location.strip(),
            tag=codes.new_event_tag(),
            secret_key=codes.new_event_key(),
            organiser_hash=hash_passphrase(passphrase) if passphrase else "",
        )
        session.add(event)
        session.flush()
        audit.record(
            session,
            "event_created",
            subject=event.uid,
            detail={"name": event.name, "date": str(event_date or ""), "location": location},
        )
        if retention_days is not None:
            write_days(session, retention_days)
        return _info(event)

    made = db.write(work)
    if passphrase:
        db.wrap_key(passphrase)  # the passphrase opens a copy of the file anywhere
    return made


def get_event(db: Database) -> EventInfo:
    with db.reading() as session:
        return _info(load_event(session))


def load_event(session: Session) -> Event:
    event = session.scalar(select(Event).order_by(Event.id).limit(1))
    if event is None:
        raise NoEvent("This file has no event yet: create one with `checkin new-event`")
    return event


def update_event(
    db: Database, *, name: str, event_date: date | None, location: str, station: str = ""
) -> EventInfo:
    def work(session: Session) -> EventInfo:
        event = load_event(session)
        event.name, event.date, event.location = name.strip() or event.name, event_date, location
        audit.record(
            session,
            "event_updated",
            station=station,
            subject=event.uid,
            detail={"name": event.name, "date": str(event_date or ""), "location": location},
        )
        return _info(event)

    return db.write(work)


def _info(event: Event) -> EventInfo:
    return EventInfo(
        event.uid, event.name, event.date, event.location, event.tag, bool(event.organiser_hash)
    )


# --- organiser passphrase -------------------------------------------------------------------


def passphrase_too_weak(passphrase: str) -> str | None:
    """Why a new event's passphrase is refused (None: it will do). The demo event's "demo" is
    made without this check: its data is invented."""
    if len(passphrase) >= PASSPHRASE_MIN_CHARS or len(passphrase.split()) >= PASSPHRASE_MIN_WORDS:
        return None
    return (
        f"The passphrase needs at least {PASSPHRASE_MIN_CHARS} characters "
        f"(or {PASSPHRASE_MIN_WORDS} words)"
    )


def hash_passphrase(passphrase: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=32,
        maxmem=SCRYPT_MAXMEM,
    )
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, digest)]
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encoded[0]}${encoded[1]}"


def passphrase_matches(stored: str, passphrase: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            passphrase.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
            maxmem=SCRYPT_MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def needs_rehash(stored: str) -> bool:
    """A hash made with weaker settings than today's (an older version's): rehash it."""
    try:
        scheme, n, r, p, _salt, _digest = stored.split("$")
        return scheme != "scrypt" or int(n) * int(r) * int(p) < SCRYPT_N * SCRYPT_R * SCRYPT_P
    except ValueError:
        return False


def check_passphrase(db: Database, passphrase: str) -> bool:
    """True when the passphrase unlocks organiser screens (or none was ever set)."""
    with db.reading() as session:
        stored = load_event(session).organiser_hash
    return not stored or passphrase_matches(stored, passphrase)


def set_passphrase(db: Database, new: str, *, station: str = "") -> None:
    def work(session: Session) -> None:
        event = load_event(session)
        event.organiser_hash = hash_passphrase(new) if new else ""
        audit.record(session, "passphrase_changed", station=station, subject=event.uid)

    db.write(work)
    db.wrap_key(new or None)  # the data key re-wrapped; the data is not rewritten


# --- settings --------------------------------------------------------------------------------


def get_setting(db: Database, key: str, default: str = "") -> str:
    with db.reading() as session:
        row = session.get(Setting, key)
        return row.value if row else default


def set_setting(db: Database, key: str, value: str, *, station: str = "") -> None:
    db.write(lambda session: record_setting(session, key, value, station=station))


# How long the desk shows the person being served (their card) before it clears, so a ticket
# scanned for the next person is never bound to the previous one.
CARD_SECONDS_KEY = EventSetting.CARD_SECONDS
CARD_SECONDS_DEFAULT = 30
CARD_SECONDS_RANGE = (5, 600)


def card_seconds(db: Database) -> int:
    value = get_setting(db, CARD_SECONDS_KEY, str(CARD_SECONDS_DEFAULT))
    try:
        seconds = int(value)
    except ValueError:
        return CARD_SECONDS_DEFAULT
    low, high = CARD_SECONDS_RANGE
    return min(high, max(low, seconds))


def set_card_seconds(db: Database, seconds: int, *, station: str = "") -> None:
    low, high = CARD_SECONDS_RANGE
    if not low <= seconds <= high:
        raise ValueError(f"The card shows for {low} to {high} seconds")
    set_setting(db, CARD_SECONDS_KEY, str(seconds), station=station)
