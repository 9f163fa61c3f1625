"""Storage: an event file (or PostgreSQL database) opened, migrated and written in short
transactions; the tables (``checkin.store.models``) and the states, kinds and rules they store
(``checkin.store.states``), backups (``checkin.store.backups``)."""

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
from checkin.store.session_events import on_every_factory
from checkin.store.sqlite_file import has_sqlite_header, online_copy, quick_check
from checkin.store.states import (
    HELD_STATES,
    ON_THE_DAY,
    VOIDABLE,
    WIN_STATES,
    AllowanceRule,
    AttendeeSource,
    DrawState,
    StationMode,
    TicketKind,
    TicketState,
    WinLimit,
    allowance,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "HELD_STATES",
    "MIGRATIONS",
    "ON_THE_DAY",
    "PG_CONNECT_ARGS",
    "VOIDABLE",
    "WIN_STATES",
    "WRITE_LOCK",
    "AllowanceRule",
    "AttendeeSource",
    "DamagedFile",
    "Database",
    "DrawState",
    "EventFileError",
    "EventFileLocked",
    "StationMode",
    "TicketKind",
    "TicketState",
    "WinLimit",
    "alembic_config",
    "allowance",
    "changed_rows",
    "create_db_engine",
    "has_sqlite_header",
    "head_revision",
    "on_every_factory",
    "online_copy",
    "open_database",
    "quick_check",
    "url_for",
]
