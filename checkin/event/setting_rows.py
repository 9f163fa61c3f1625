"""A row of the settings table written: the one upsert, and with the audit entry an
organiser's change gets (events.set_setting, the retention days)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from checkin.record import audit
from checkin.store.models import Setting


def put_setting(session: Session, key: str, value: str) -> None:
    """Set ``key`` in the caller's transaction, made or replaced; no audit entry (the file's
    own bookkeeping: a station copy's identity, its number range)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def record_setting(session: Session, key: str, value: str, *, station: str = "") -> None:
    """Set ``key`` in the caller's transaction, with its audit entry."""
    put_setting(session, key, value)
    audit.record(session, "setting", station=station, subject=key, detail={"value": value})
