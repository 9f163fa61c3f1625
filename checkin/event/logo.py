"""The event's logo, printed on tickets, badges and flyers. Kept inside the event file (a small
PNG, base64 in the settings) so the file alone is enough to print from any laptop."""

from __future__ import annotations

import base64
import binascii
import io
from pathlib import Path

from checkin.event.events import get_setting, set_setting
from checkin.store import Database
from checkin.store.setting_keys import EventSetting

KEY = EventSetting.LOGO
MAX_SIDE = 600  # pixels: sharp on a ticket, small in the file


def set_logo(db: Database, image: Path | None, *, station: str = "") -> None:
    """Store a logo (any image Pillow reads), or remove it with ``None``."""
    if image is None:
        set_setting(db, KEY, "", station=station)
        return
    # Here, not at the top: reading the stored logo (the desk) needs no Pillow.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(image) as opened:
            picture = opened.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        raise ValueError(f"{image.name}: not an image this app can read") from exc
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    set_setting(db, KEY, base64.b64encode(buffer.getvalue()).decode("ascii"), station=station)


def event_logo(db: Database) -> bytes | None:
    value = get_setting(db, KEY)
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None  # a damaged setting must not stop printing
