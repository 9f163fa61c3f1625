"""The PostgreSQL test server: where it is, and a fresh database on it per test.

`.ci/start-postgres.sh` starts the server and sets CHECKIN_TEST_PG_URL. With
CHECKIN_TEST_BACKEND=postgres the shared `db` fixture (tests/conftest.py) puts each test's event
on its own new database there instead of in a file, so the service tests run on both backends.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

PG_URL_ENV = "CHECKIN_TEST_PG_URL"
BACKEND_ENV = "CHECKIN_TEST_BACKEND"


def backend_is_postgres() -> bool:
    return os.environ.get(BACKEND_ENV, "").lower() in ("postgres", "postgresql")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_pg_url() -> str:
    """The server's URL; without one, CI fails loudly and a developer's run skips."""
    url = os.environ.get(PG_URL_ENV, "")
    if url:
        return url
    message = (
        f"{PG_URL_ENV} is not set: start a server with "
        '`eval "$(bash .ci/start-postgres.sh)"` (needs the postgresql package)'
    )
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def fresh_database(base_url: str | None = None) -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards; yields its URL."""
    url = make_url(base_url or require_pg_url())
    name = f"checkin_t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            _drop(admin, name)
    finally:
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """Drop a test database. FORCE ends the test's own leftover connections; an autovacuum
    worker that has just started on the freshly written database belongs to the superuser,
    whom this role may not signal (CI failed on it once), and is waited out."""
    for attempt in range(50):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError:
            if attempt == 49:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def event_location(db_path: Path) -> Iterator[str | Path]:
    """Where the `db` fixture's event lives: ``db_path``, or a fresh PostgreSQL database."""
    if not backend_is_postgres():
        yield db_path
        return
    with fresh_database() as url:
        yield url
