"""The retention setting itself: how many days after the event its personal data is kept.
Apart from ``checkin.after_event.retention`` (which reads the event's date) so that creating an
event can
write it without a cycle."""

from __future__ import annotations

from sqlalchemy.orm import Session

from checkin.record import audit
from checkin.store.models import Setting
from checkin.store.setting_keys import EventSetting

DAYS_KEY = EventSetting.RETENTION_DAYS
DEFAULT_DAYS = 30
MAX_DAYS = 3650


def check_days(days: int) -> int:
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"Retention must be between 0 and {MAX_DAYS} days")
    return days


def read_days(session: Session) -> int:
    row = session.get(Setting, DAYS_KEY)
    try:
        return check_days(int(row.value)) if row is not None else DEFAULT_DAYS
    except ValueError:
        return DEFAULT_DAYS


def write_days(session: Session, days: int, *, station: str = "") -> None:
    """Set the retention (in the caller's transaction), with its audit entry."""
    value = str(check_days(days))
    row = session.get(Setting, DAYS_KEY)
    if row is None:
        session.add(Setting(key=DAYS_KEY, value=value))
    else:
        row.value = value
    audit.record(session, "setting", station=station, subject=DAYS_KEY, detail={"value": value})
