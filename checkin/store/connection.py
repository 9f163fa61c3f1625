"""Is the event's database reachable and writable right now? For the status-bar indicator.

On a shared PostgreSQL server a station can lose the network at any moment; the indicator
asks every few seconds, off the GUI thread, so that volunteers learn at once that scans are
not being saved (each failed scan also says so itself: ScanState.NOT_SAVED).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from checkin.store import Database

PING_TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class Reachability:
    ok: bool
    message: str  # "" when ok; else one line (English, for logs and the tooltip)


def ping(db: Database) -> Reachability:
    """One round trip to the database; never raises."""
    try:
        if db.path is not None and not db.path.exists():
            return Reachability(False, f"The event file is gone: {db.path}")
        db.confirm_file()  # replaced by another file, or its drive gone
        with db.engine.connect() as connection:
            if not db.is_sqlite:
                connection.exec_driver_sql(
                    f"SET LOCAL statement_timeout = {PING_TIMEOUT_SECONDS * 1000}"
                )
            connection.execute(text("SELECT 1"))
            connection.rollback()
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()
        return Reachability(False, first[0] if first else type(exc.orig).__name__)
    except OSError as exc:
        return Reachability(False, exc.strerror or str(exc))
    return Reachability(True, "")
