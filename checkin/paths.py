"""Where the event file lives when nobody says."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DEFAULT_NAME = "event.checkin"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("checkin", appauthor=False))


def default_db() -> Path:
    return data_dir() / DEFAULT_NAME


def resolve_db(option: str | None) -> str:
    """--db, else $CHECKIN_DB, else the per-user default file."""
    return option or os.environ.get("CHECKIN_DB") or str(default_db())
