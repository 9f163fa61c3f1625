"""Every key this laptop remembers in QSettings, in one place (tests/test_setting_keys.py
fails when a key is written as a string anywhere else). The event's own settings, kept in its
file, are listed in checkin/store/setting_keys.py."""

from __future__ import annotations

from typing import Final


class LaptopSetting:
    LANGUAGE: Final = "language"
    THEME: Final = "theme"
    WINDOW_GEOMETRY: Final = "window/geometry"
    RECENT_FILES: Final = "recent_files"
    PRINTER_NAME: Final = "printer_name"
    PRINT_LAYOUT: Final = "print_layout"
    CAMERA_ID: Final = "camera_id"


class StationSetting:
    """This laptop's station for one event (ui/core/station_settings.py), under ``station_key``."""

    NAME: Final = "name"
    MODE: Final = "mode"
    TICKET_TYPE: Final = "ticket_type"
    VOLUNTEER: Final = "volunteer"
    SHIFT_STARTED: Final = "shift_started"
    BIND_QUESTION: Final = "bind_question"


STATIONS_PREFIX: Final = "stations/"


def station_key(event_uid: str, name: str) -> str:
    """Kept by event uid: another event file on the same laptop asks again."""
    return f"{STATIONS_PREFIX}{event_uid}/{name}"
