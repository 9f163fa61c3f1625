"""Every key of the event's ``settings`` table, in one place (tests/test_setting_keys.py
fails when a key is written as a string anywhere else). Plain strings: the stored keys are these
texts, on SQLite and PostgreSQL alike. The laptop's own settings (QSettings) are listed in
ui/core/setting_keys.py."""

from __future__ import annotations

from typing import Final


class EventSetting:
    """The keys, each with what its value holds."""

    CARD_SECONDS: Final = "desk_card_seconds"  # how long the desk shows a card
    DESK_SEARCH: Final = "desk_search_min"  # what a volunteer's search needs and shows
    ATTENTION_READERS: Final = "attention_text_at_desk"  # who reads an attention note's text
    LOGO: Final = "logo_png"  # the event's logo, base64 PNG
    RETENTION_DAYS: Final = "retention_days"  # days personal data is kept after the event
    BACKUP_DIR: Final = "backup_dir"  # where this event's backups go
    REDRAW_AFTER_MINUTES: Final = "raffle_redraw_after_minutes"  # the raffle's redraw rule
    CALLER_PIN: Final = "raffle_caller_pin"  # the raffle caller's PIN, hashed
    NUMBER_RANGE: Final = "number_range"  # "first-last": a station copy's own Guest numbers
    HOSTING_ENDED: Final = "hosting.ended"  # on the server once hosting stops; never in the file
    # A station copy: the file it was copied from, for which station, its name and number, and
    # on the main file the copies made.
    FILE_UID: Final = "file_uid"
    STATION_OF: Final = "station_of"
    STATION_NAME: Final = "station_name"
    STATION_INDEX: Final = "station_index"
    STATION_COPIES: Final = "station_copies"


# A pre-registration file's column choices, by its header (checkin/people/import_layouts.py).
IMPORT_LAYOUT_PREFIX: Final = "import_layout:"
