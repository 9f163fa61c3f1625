"""Shared fixtures: a fresh event file per test (paths live in project_paths.py)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Widgets run without a display unless a test starts its own X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pg_support import event_location

from checkin.demo import populate
from checkin.event import events
from checkin.store import Database, file_keys, open_database

# The passphrase's real key derivation costs about half a second a hash (checkin/event/events.py):
# tests hash with a cheap setting (tests/test_passphrase_guessing.py checks events.KDF_SETTING).
events.SCRYPT_N, events.SCRYPT_R, events.SCRYPT_P = 2**10, 8, 1
file_keys.SCRYPT_N, file_keys.SCRYPT_R, file_keys.SCRYPT_P = 2**10, 8, 1  # its key's wrap too


@pytest.fixture(scope="session", autouse=True)
def _own_laptop_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """This test run's own laptop key (checkin/store/file_keys.py), not the user's: its
    commands run as subprocesses find it through the environment."""
    from checkin.store import file_keys

    folder = tmp_path_factory.mktemp("laptop")
    before = os.environ.get(file_keys.KEY_DIR_ENV)
    os.environ[file_keys.KEY_DIR_ENV] = str(folder)
    yield
    if before is None:
        os.environ.pop(file_keys.KEY_DIR_ENV, None)
    else:
        os.environ[file_keys.KEY_DIR_ENV] = before


@pytest.fixture(autouse=True)
def _own_tries(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Wrong passphrase tries and scans NOT saved kept in a folder of this test's own (not
    the user's, and not in tmp_path, whose files some tests compare before and after)."""
    from checkin.access import guessing
    from checkin.store import unsaved

    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setattr(guessing, "data_dir", lambda: folder)
    monkeypatch.setattr(unsaved, "data_dir", lambda: folder)  # scans NOT saved, drive gone


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "event.checkin"


@pytest.fixture(scope="session")
def _empty_event_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An event file at the current schema with no event in it, made once per test process:
    copying it costs a tenth of creating the schema (the `db` fixture runs for most tests)."""
    path = tmp_path_factory.mktemp("schema") / "empty.checkin"
    open_database(path, create=True).dispose()
    return path


@pytest.fixture
def db(db_path: Path, _empty_event_file: Path) -> Iterator[Database]:
    """An empty event (no ticket types, nobody registered). With CHECKIN_TEST_BACKEND=postgres,
    on a fresh database of the CHECKIN_TEST_PG_URL server instead of in ``db_path``."""
    with event_location(db_path) as location:
        if isinstance(location, Path):  # SQLite: the schema copied, the event made anew
            shutil.copyfile(_empty_event_file, location)
            location.chmod(0o600)
            shutil.copyfile(file_keys.key_file(_empty_event_file), file_keys.key_file(location))
        database = open_database(location, create=True)
        events.create_event(database, "Test Party", location="Sycamore Park", passphrase="secret")
        yield database
        _settle_gui_work()
        database.dispose()


def _settle_gui_work() -> None:
    """In GUI tests: let background tasks finish and queued events (a language switch's
    refresh) run before the database is disposed, so none opens a connection afterwards that
    nothing closes (Python 3.13 reports it)."""
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is None:
        return
    pool = qtcore.QThreadPool.globalInstance()
    pool.waitForDone(10_000)
    if qtcore.QCoreApplication.instance() is not None:
        qtcore.QCoreApplication.processEvents()
        pool.waitForDone(10_000)


@pytest.fixture
def demo_db(db: Database) -> Database:
    """The demo event with 30 pre-registered households, ticket types and prizes."""
    populate(db, attendees=30)
    return db
