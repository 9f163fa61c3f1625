"""Where the event file's record of changes has got to: every change (a check-in, a ticket
handed over, an edit) adds an audit entry, so a window can tell, with one cheap read, that
another window or program on this laptop wrote to the same file and its counters are stale."""

from __future__ import annotations

from sqlalchemy import func, select

from checkin.store import Database
from checkin.store.models import AuditEntry


def last_change(db: Database) -> int:
    """The newest audit entry's id (0 for a file with none)."""
    with db.reading() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0)
