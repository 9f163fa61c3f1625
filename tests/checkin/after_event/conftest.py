"""The after-event tests' event: known people, check-ins at known local times (Chicago).

Building it costs about a second a test: on SQLite it is built once per test process and each
test that asks for it gets a copy of that file (with the CHECKIN_TEST_BACKEND=postgres pass,
built anew on each test's database)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkin.event import events
from checkin.store import Database, open_database, wal_owner
from tests.helpers.after_event import Built, build_event, central_time
from tests.helpers.event_files import copy_event_file, empty_event
from tests.helpers.pg_support import backend_is_postgres


def _copied(request: pytest.FixtureRequest) -> bool:
    return "event" in request.fixturenames and not backend_is_postgres()


@pytest.fixture(scope="session")
def _built_event(
    _empty_event_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Built]:
    path = tmp_path_factory.mktemp("built") / "event.checkin"
    copy_event_file(_empty_event_file, path)
    db = open_database(path, create=True)
    events.create_event(db, "Test Party", location="Sycamore Park", passphrase="secret")
    with pytest.MonkeyPatch.context() as monkeypatch, central_time(monkeypatch):
        built = build_event(db)
    db.dispose()
    return path, built


@pytest.fixture
def db(
    request: pytest.FixtureRequest, db_path: Path, _empty_event_file: Path
) -> Iterator[Database]:
    """tests/conftest.py's `db`; for a test that asks for `event` too, a copy of the built one."""
    if not _copied(request):
        with empty_event(db_path, _empty_event_file) as database:
            yield database
        return
    built_file, _ = request.getfixturevalue("_built_event")
    copy_event_file(built_file, db_path)  # with its key file
    # with its owner list, as the `db` fixture's first write leaves one (checkin/store/wal_owner.py)
    owners = wal_owner.owner_list(built_file)
    shutil.copyfile(owners, wal_owner.owner_list(db_path))
    database = open_database(db_path, create=True)  # as the `db` fixture opens its copy
    yield database
    database.dispose()


@pytest.fixture
def event(
    request: pytest.FixtureRequest, db: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Built]:
    with central_time(monkeypatch):
        if _copied(request):
            yield copy.deepcopy(request.getfixturevalue("_built_event")[1])
        else:
            yield build_event(db)
