"""Whether an event's personal data was purged: an entry of the record, read by the
import, merge and hosting, which must not bring purged data back."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.store.models import AuditEntry

ACTION = "personal_data_purged"  # listed in checkin.after_event.summary.AFTER_EVENT_ACTIONS


def was_purged(session: Session) -> bool:
    """Whether this event's personal data has been removed before."""
    return (
        session.scalar(select(AuditEntry.id).where(AuditEntry.action == ACTION).limit(1))
        is not None
    )
