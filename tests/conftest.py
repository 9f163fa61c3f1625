"""Shared fixtures: a fresh event file per test (paths live in project_paths.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Widgets run without a display unless a test starts its own X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from checkin.demo import populate
from checkin.event import events
from checkin.store import Database, file_keys
from tests.helpers.event_files import empty_event, empty_file

# The passphrase's real key derivation costs about half a second a hash (checkin/event/events.py):
# tests hash with a cheap setting (tests/checkin/access/test_passphrase_guessing.py checks
# events.KDF_SETTING).
events.SCRYPT_N, events.SCRYPT_R, events.SCRYPT_P = 2**10, 8, 1
file_keys.SCRYPT_N, file_keys.SCRYPT_R, file_keys.SCRYPT_P = 2**10, 8, 1  # its key's wrap too


@pytest.fixture(scope="session", autouse=True)
def _own_laptop_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """This test run's own laptop key (checkin/store/file_keys.py), not the user's: its
    commands run as subprocesses find it through the environment."""
    folder = tmp_path_factory.mktemp("laptop")
    before = os.environ.get(file_keys.KEY_DIR_ENV)
    os.environ[file_keys.KEY_DIR_ENV] = str(folder)
    yield
    if before is None:
        os.environ.pop(file_keys.KEY_DIR_ENV, None)
    else:
        os.environ[file_keys.KEY_DIR_ENV] = before


HERE = Path(__file__).resolve().parent


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """`-m "not gui and ..."` (the fast layer) does not even import tests/ui and tests/e2e:
    every test there is marked gui, and importing them loads Qt and all of ui/ (about 6 s in
    each worker) only to deselect them."""
    if collection_path.parent != HERE or collection_path.name not in ("ui", "e2e"):
        return None
    expression = " " + " ".join((config.getoption("markexpr") or "").split()) + " "
    return True if " not gui " in expression and " or " not in expression else None


@pytest.fixture(autouse=True)
def _own_tries(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Wrong passphrase tries, scans NOT saved, and the per-user data folder (the default
    backup folder, the log, station copies: $XDG_DATA_HOME, inherited by the processes a test
    starts) kept in a folder of this test's own: not the user's, where `checkin verify` would
    open every backup it finds, and not in tmp_path, whose files some tests compare before and
    after. tests/ui/conftest.py puts GUI tests' data folder in tmp_path/data."""
    from checkin.access import guessing
    from checkin.store import unsaved

    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.setattr(guessing, "data_dir", lambda: folder)
    monkeypatch.setattr(unsaved, "data_dir", lambda: folder)  # scans NOT saved, drive gone


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "event.checkin"


@pytest.fixture(scope="session")
def _empty_event_file() -> Path:
    """An event file at the current schema with no event in it, made once per test process:
    copying it costs a tenth of creating the schema (the `db` fixture runs for most tests)."""
    return empty_file()


@pytest.fixture
def db(db_path: Path, _empty_event_file: Path) -> Iterator[Database]:
    """An empty event (no ticket types, nobody registered). With CHECKIN_TEST_BACKEND=postgres,
    on a fresh database of the CHECKIN_TEST_PG_URL server instead of in ``db_path``."""
    with empty_event(db_path, _empty_event_file) as database:
        yield database


@pytest.fixture
def demo_db(db: Database) -> Database:
    """The demo event with 30 pre-registered households, ticket types and prizes."""
    populate(db, attendees=30)
    return db
