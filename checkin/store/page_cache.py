"""A larger SQLite page cache for one long write (an import), back to the default after.

An import's rows go into eight indexes of the attendees table, two of them (uid, code) at
random places: with SQLite's default 2 MB cache, most of those index pages had been pushed out
to the log and were read back for the next row (about a tenth of a 100,000-row import's time).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy.orm import Session

IMPORT_CACHE_MB = 8  # within the import's memory budget (150 MB for 100,000 rows of a workbook)


@contextlib.contextmanager
def larger_page_cache(session: Session, megabytes: int = IMPORT_CACHE_MB) -> Iterator[None]:
    """Within: the session's SQLite connection caches up to ``megabytes`` of pages (nothing
    changes on a server). Set on the driver's connection itself, so that it is put back even
    when the transaction failed."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection, just taken
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size = {-megabytes * 1024}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(before)}")
