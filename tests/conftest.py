"""Shared fixtures: a fresh event file per test (paths live in project_paths.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Widgets run without a display unless a test starts its own X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pg_support import event_location

from checkin import events
from checkin.demo import populate
from checkin.store import Database, open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "event.checkin"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """An empty event (no ticket types, nobody registered). With CHECKIN_TEST_BACKEND=postgres,
    on a fresh database of the CHECKIN_TEST_PG_URL server instead of in ``db_path``."""
    with event_location(db_path) as location:
        database = open_database(location, create=True)
        events.create_event(database, "Test Party", location="Sycamore Park", passphrase="secret")
        yield database
        database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    """The demo event with 30 pre-registered households, ticket types and prizes."""
    populate(db, attendees=30)
    return db
