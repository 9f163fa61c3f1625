"""Copying a whole event between two databases, row for row: the event file into the hosted
server when hosting starts, and the server back into the event file when it stops.

Every table of the schema is copied with its ids, so the copy is the same event (its audit
chain stays valid, its codes keep working); PostgreSQL's id sequences are moved past the copied
ids. The target must have the schema and no rows (``open_database(create=True)``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Integer, func, select, text

from checkin.store import Database
from checkin.store.models import Base

BATCH = 2000


def copy_event(
    source: Database, target: Database, *, progress: Callable[[str], None] | None = None
) -> int:
    """Copy every row of ``source`` into the empty ``target``; returns the rows copied."""
    with source.engine.connect() as reading:
        return copy_rows(reading, target, progress=progress)


def copy_rows(
    reading: Connection, target: Database, *, progress: Callable[[str], None] | None = None
) -> int:
    """``copy_event`` from an open connection (one snapshot of every table)."""
    copied = 0
    if reading.dialect.name == "postgresql":
        reading = reading.execution_options(isolation_level="REPEATABLE READ")
    with target.engine.begin() as writing:
        for table in Base.metadata.sorted_tables:
            rows = reading.execute(select(table)).mappings()
            batch: list[dict[str, object]] = []
            for row in rows:
                batch.append(dict(row))
                if len(batch) >= BATCH:
                    writing.execute(table.insert(), batch)
                    copied += len(batch)
                    batch = []
            if batch:
                writing.execute(table.insert(), batch)
                copied += len(batch)
            if progress is not None:
                progress(table.name)
        if target.engine.dialect.name == "postgresql":
            _advance_sequences(writing)
    reading.rollback()
    return copied


def _advance_sequences(connection: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not isinstance(column.type, Integer) or not column.primary_key:
            continue
        highest = connection.execute(select(func.max(column))).scalar()
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value, :called)"),
            {"table": table.name, "value": highest or 1, "called": highest is not None},
        )


def count_rows(db: Database, table_name: str) -> int:
    table = Base.metadata.tables[table_name]
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)
