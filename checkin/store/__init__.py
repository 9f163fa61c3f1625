"""Storage: an event file (or PostgreSQL database) opened, migrated and written in short
transactions; the tables (``checkin.store.models``), backups (``checkin.store.backups``)."""

from checkin.store.database import (
    BUSY_TIMEOUT_MS,
    MIGRATIONS,
    PG_CONNECT_ARGS,
    WRITE_LOCK,
    DamagedFile,
    Database,
    EventFileError,
    EventFileLocked,
    alembic_config,
    changed_rows,
    create_db_engine,
    head_revision,
    open_database,
    url_for,
)
from checkin.store.sqlite_file import has_sqlite_header, online_copy, quick_check

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "PG_CONNECT_ARGS",
    "WRITE_LOCK",
    "DamagedFile",
    "Database",
    "EventFileError",
    "EventFileLocked",
    "alembic_config",
    "changed_rows",
    "create_db_engine",
    "has_sqlite_header",
    "head_revision",
    "online_copy",
    "open_database",
    "quick_check",
    "url_for",
]
