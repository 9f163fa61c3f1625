"""The organiser's column choices, remembered in the event file for each header layout, so
that next week's export from the same form maps the same way without asking again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from checkin.event import events
from checkin.people.attendees import fold
from checkin.store import Database
from checkin.store.setting_keys import IMPORT_LAYOUT_PREFIX

_PREFIX = IMPORT_LAYOUT_PREFIX


def layout_key(header: Sequence[str]) -> str:
    """One key per header layout: the folded titles in order."""
    text = "\x1f".join(fold(title) for title in header)
    return _PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def load_choices(db: Database, header: Sequence[str]) -> dict[str, str | None]:
    """Header title -> field (None: not imported) as last chosen for this layout."""
    raw = events.get_setting(db, layout_key(header))
    if not raw:
        return {}
    try:
        stored = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    # Same layout, same folded titles: give them back as this file spells them.
    titles = {fold(title): title.strip() for title in header}
    return {
        titles[fold(str(title))]: (str(name) if name else None)
        for title, name in stored.items()
        if fold(str(title)) in titles
    }


def save_choices(
    db: Database, header: Sequence[str], choices: dict[str, str | None], *, station: str = ""
) -> None:
    key = layout_key(header)
    value = json.dumps(choices, ensure_ascii=False, sort_keys=True)
    if events.get_setting(db, key) != value:
        events.set_setting(db, key, value, station=station)
