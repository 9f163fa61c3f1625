"""What a volunteer's desk may find by typing: a few letters never list the neighbourhood.

At a volunteer station (the desk while the organiser lock is closed) a search needs at least
``min_chars`` characters (3 to 6, an event setting the organiser sets in Setup → Stations), or
the person's full name ("full name only"); it shows at most ``VOLUNTEER_LIMIT`` people, and a
search result never carries a phone or an email. The organiser's attendee list is not limited.
"""

from __future__ import annotations

from dataclasses import dataclass

from checkin.event.events import get_setting, set_setting
from checkin.people import attendees
from checkin.people.attendees import SearchHit, fold
from checkin.store import Database
from checkin.store.setting_keys import EventSetting

DESK_SEARCH_KEY = EventSetting.DESK_SEARCH
FULL_NAME = "full"
MIN_CHARS_RANGE = (3, 6)
DEFAULT_MIN_CHARS = 3
VOLUNTEER_LIMIT = 10
# Candidates read for "full name only" before the exact-name filter (several people may
# share a first name the full name starts with).
_FULL_NAME_CANDIDATES = 50


@dataclass(frozen=True)
class DeskSearchRule:
    min_chars: int = DEFAULT_MIN_CHARS
    full_name_only: bool = False

    @property
    def value(self) -> str:
        """As stored in the event file: "3".."6" or "full"."""
        return FULL_NAME if self.full_name_only else str(self.min_chars)

    def too_short(self, query: str) -> bool:
        """Whether the desk answers nothing yet (the hint says why). A guest number ("#5",
        from the person's card) finds one person exactly: never too short."""
        text = " ".join(query.split())
        if is_guest_number(text):
            return False
        if self.full_name_only:
            return len(text.split()) < 2 or len(text) < self.min_chars
        return len(text) < self.min_chars


def is_guest_number(text: str) -> bool:
    return text.startswith("#") and text[1:].isdigit()


def parse_rule(value: str) -> DeskSearchRule:
    """The rule from its stored text; anything unreadable is the default (3 characters)."""
    text = value.strip().lower()
    if text == FULL_NAME:
        return DeskSearchRule(full_name_only=True)
    try:
        number = int(text)
    except ValueError:
        return DeskSearchRule()
    low, high = MIN_CHARS_RANGE
    return DeskSearchRule(min_chars=min(high, max(low, number)))


def desk_search_rule(db: Database) -> DeskSearchRule:
    return parse_rule(get_setting(db, DESK_SEARCH_KEY, str(DEFAULT_MIN_CHARS)))


def set_desk_search_rule(db: Database, value: str, *, station: str = "") -> DeskSearchRule:
    """Store "3".."6" or "full" (the organiser's choice); refuses anything else."""
    text = value.strip().lower()
    low, high = MIN_CHARS_RANGE
    if text != FULL_NAME and not (text.isdigit() and low <= int(text) <= high):
        raise ValueError(f"The desk's search needs {low} to {high} characters, or 'full'")
    rule = parse_rule(text)
    set_setting(db, DESK_SEARCH_KEY, rule.value, station=station)
    return rule


def volunteer_search(db: Database, query: str, rule: DeskSearchRule) -> list[SearchHit]:
    """The desk's search at a volunteer station (see the module docstring)."""
    if rule.too_short(query):
        return []
    if not rule.full_name_only or is_guest_number(query.strip()):
        return attendees.search(db, query, limit=VOLUNTEER_LIMIT)
    wanted = fold(query)
    hits = attendees.search(db, query, limit=_FULL_NAME_CANDIDATES)
    exact = [
        hit
        for hit in hits
        if wanted
        in (
            fold(f"{hit.first_name} {hit.last_name}"),
            fold(f"{hit.last_name} {hit.first_name}"),
        )
    ]
    return exact[:VOLUNTEER_LIMIT]
