"""The attention note at the desk: who may read it there (an event setting).

A household flagged "needs attention" shows the purple note on the desk's card. Its text
("uses a wheelchair") is personal, so the organiser decides whether volunteers read it; when
they may not, the card says only "Needs attention: ask the organiser", and the organiser, with
the lock open, reads the text. Households flagged before the note had a field of its own show
their notes as its text.
"""

from __future__ import annotations

import enum

from checkin.event import events
from checkin.results import AttendeeInfo
from checkin.store import Database
from checkin.store.setting_keys import EventSetting

SETTING = EventSetting.ATTENTION_READERS


class Readers(enum.StrEnum):
    EVERYONE = "everyone"  # every volunteer at the desk reads the text (the default)
    ORGANISER = "organiser"  # volunteers see "ask the organiser"; the unlocked desk, the text


def readers(db: Database) -> Readers:
    value = events.get_setting(db, SETTING, Readers.EVERYONE.value)
    return Readers(value) if value in Readers.__members__.values() else Readers.EVERYONE


def set_readers(db: Database, who: Readers, *, station: str = "") -> None:
    events.set_setting(db, SETTING, Readers(who).value, station=station)


def note_text(person: AttendeeInfo) -> str:
    """The flag's text: its own note, else (flagged by an older version) the notes."""
    if not person.needs_attention:
        return ""
    return person.attention_note or person.notes


def text_shown(person: AttendeeInfo, who: Readers, organiser_unlocked: bool) -> str | None:
    """The text the desk may show; None when it must say "ask the organiser" instead, ""
    when there is nothing to show at all."""
    if not person.needs_attention:
        return ""
    if who is Readers.ORGANISER and not organiser_unlocked:
        return None
    return note_text(person)
