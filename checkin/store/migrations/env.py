"""Alembic environment: migrations run in code when an event file is opened (checkin.store)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from checkin.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        _run(conn)


def _run(connection: Connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things, batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
