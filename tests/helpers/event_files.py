"""New event files for tests at a tenth of the cost: the schema is made once per test process
(Alembic's migrations, about 0.15 s) and copied for each new file; the `db` fixture's event."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from checkin.event import events
from checkin.store import Database, file_keys, open_database
from tests.helpers.pg_support import event_location

_template: Path | None = None


def empty_file() -> Path:
    """An event file at the current schema with no event in it (made once per process)."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="checkin-schema-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "empty.checkin"
        open_database(path, create=True).dispose()
        _template = path
    return _template


def open_new(path: Path) -> Database:
    """``open_database(path, create=True)``, the schema copied when ``path`` is not there yet."""
    if not path.exists():
        copy_event_file(empty_file(), path)
    return open_database(path, create=True)


@contextmanager
def empty_event(db_path: Path, empty_file: Path) -> Iterator[Database]:
    """The `db` fixture's event (no ticket types, nobody registered): in ``db_path``, the schema
    copied from ``empty_file``, or with CHECKIN_TEST_BACKEND=postgres on a fresh database of the
    CHECKIN_TEST_PG_URL server."""
    with event_location(db_path) as location:
        if isinstance(location, Path):  # SQLite: the schema copied, the event made anew
            copy_event_file(empty_file, location)
        database = open_database(location, create=True)
        events.create_event(database, "Test Party", location="Sycamore Park", passphrase="secret")
        yield database
        settle_gui_work()
        database.dispose()


def copy_event_file(template: Path, path: Path) -> None:
    """A copy of an event file and of its key file (the file is encrypted with the key that
    one holds, checkin/store/file_keys.py): a file copied without it opens nowhere."""
    shutil.copyfile(template, path)
    path.chmod(0o600)
    shutil.copyfile(file_keys.key_file(template), file_keys.key_file(path))
    file_keys.key_file(path).chmod(0o600)


def settle_gui_work() -> None:
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
