"""The raffle caller's PIN: lets a volunteer run the big screen's draws and redraws without the
organiser passphrase (which also opens personal data). Set in Setup; stored hashed."""

from __future__ import annotations

from checkin.event import events
from checkin.store import Database
from checkin.store.setting_keys import EventSetting

SETTING = EventSetting.CALLER_PIN
MIN_LENGTH = 4


class PinTooShort(ValueError):
    """A PIN shorter than MIN_LENGTH."""


def set_caller_pin(db: Database, pin: str, *, station: str = "") -> None:
    """Set (or with "" remove) the PIN; raises PinTooShort."""
    pin = pin.strip()
    if pin and len(pin) < MIN_LENGTH:
        raise PinTooShort(f"The raffle caller's PIN needs at least {MIN_LENGTH} characters")
    events.set_setting(db, SETTING, events.hash_passphrase(pin) if pin else "", station=station)


def has_caller_pin(db: Database) -> bool:
    return bool(events.get_setting(db, SETTING))
