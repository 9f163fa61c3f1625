"""Opening event files: schema at head, upgrades with a backup, refusals, connection settings."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from checkin.event.events import create_event, get_event
from checkin.people import attendees
from checkin.store import (
    Database,
    EventFileError,
    alembic_config,
    cipher,
    head_revision,
    open_database,
    revisions,
)
from checkin.store import database as dbmod
from checkin.store.models import Base

SECOND_REVISION = '''"""a later release adds a table"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("later_things", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("later_things")
'''


def revision_of(path: Path) -> str:
    connection = cipher.connect(path)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def tables_of(path: Path) -> set[str]:
    connection = cipher.connect(path)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}
    finally:
        connection.close()


def make_event(path: Path) -> None:
    db = open_database(path, create=True)
    create_event(db, "Party")
    attendees.register(db, first_name="Rosa")
    db.dispose()


def test_new_file_is_stamped_at_head(db_path: Path) -> None:
    make_event(db_path)
    assert revision_of(db_path) == head_revision()
    assert {"events", "attendees", "tickets", "audit", "scans"} <= tables_of(db_path)
    db = open_database(db_path)  # opening again changes nothing
    assert get_event(db).name == "Party"
    db.dispose()
    assert list(db_path.parent.glob("*before-upgrade*")) == []


def test_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """A file made by running the migrations equals one made from the models (create_all):
    whoever changes models.py without a migration hears it here."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_older_file_is_upgraded_after_a_backup(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_event(db_path)
    before = head_revision()
    migrations = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9999_later.py").write_text(
        SECOND_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(dbmod, "MIGRATIONS", migrations)
    # A later release lists its revision too (checkin/store/revisions.py).
    monkeypatch.setattr(dbmod, "REVISIONS", (*revisions.REVISIONS, "9999"))
    monkeypatch.setattr(dbmod, "HEAD", "9999")

    db = open_database(db_path)
    assert get_event(db).name == "Party"
    assert attendees.search(db, "rosa")
    db.dispose()
    assert revision_of(db_path) == "9999"
    assert "later_things" in tables_of(db_path)
    (backup,) = db_path.parent.glob("event.before-upgrade-*.checkin")
    assert revision_of(backup) == before
    assert "later_things" not in tables_of(backup)
    connection = cipher.connect(backup)
    assert connection.execute("SELECT first_name FROM attendees").fetchall() == [("Rosa",)]
    connection.close()
    assert not list(db_path.parent.glob("*.partial"))


def test_file_from_a_newer_release_is_refused(db_path: Path) -> None:
    make_event(db_path)
    connection = cipher.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.commit()
    connection.close()
    with pytest.raises(EventFileError, match="newer version of checkin"):
        open_database(db_path)
    assert revision_of(db_path) == "0099_from_the_future"  # left alone


def test_not_a_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.checkin"
    path.write_text("Shopping list: bread, milk\n" * 10, encoding="utf-8")
    with pytest.raises(EventFileError, match="not a SQLite database"):
        open_database(path)
    assert path.read_text(encoding="utf-8").startswith("Shopping list")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    connection = cipher.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Ann', '555')")
    connection.commit()
    connection.close()
    for create in (False, True):
        with pytest.raises(EventFileError, match="not a checkin event file"):
            open_database(path, create=create)
    assert tables_of(path) == {"contacts"}  # untouched


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EventFileError, match="No event file"):
        open_database(tmp_path / "nope.checkin")
    assert not (tmp_path / "nope.checkin").exists()
    with pytest.raises(EventFileError, match="Folder does not exist"):
        open_database(tmp_path / "no-folder" / "x.checkin", create=True)


def test_empty_file_needs_create(tmp_path: Path) -> None:
    path = tmp_path / "empty.checkin"
    path.touch()
    with pytest.raises(EventFileError):
        open_database(path)
    db = open_database(path, create=True)
    db.dispose()
    assert revision_of(path) == head_revision()


def test_schema_without_an_event(db_path: Path) -> None:
    open_database(db_path, create=True).dispose()
    from checkin.event.events import NoEvent

    db = open_database(db_path)
    with pytest.raises(NoEvent, match="new-event"):
        get_event(db)
    db.dispose()


def test_connection_settings(db_path: Path) -> None:
    make_event(db_path)
    db = open_database(db_path)
    with db.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.execute(text(f"PRAGMA {name}")).scalar()

        assert str(pragma("journal_mode")).lower() == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == dbmod.BUSY_TIMEOUT_MS
    db.dispose()


def test_foreign_keys_are_enforced(db_path: Path) -> None:
    make_event(db_path)
    db = open_database(db_path)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.write(
            lambda s: s.execute(
                text(
                    "INSERT INTO checkins (uid, attendee_id, at, station, volunteer) "
                    "VALUES ('x', 999, '2026-01-01', '', '')"
                )
            )
        )
    db.dispose()


def test_a_write_holds_the_write_lock_from_its_start(db_path: Path) -> None:
    """BEGIN IMMEDIATE: two writers never both read and then race to write."""
    make_event(db_path)
    db = open_database(db_path)
    seen: list[str] = []

    def work(session: Session) -> None:
        session.execute(text("SELECT count(*) FROM attendees"))  # a read, then...
        other = cipher.connect(db_path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            seen.append("other got the lock")
        except cipher.driver.OperationalError as exc:
            seen.append(str(exc))
        finally:
            other.close()

    db.write(work)
    db.dispose()
    assert seen == ["database is locked"]


def hold_write_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    connection = cipher.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    connection.execute("ROLLBACK")
    connection.close()


def test_a_briefly_busy_file_is_waited_for(db_path: Path) -> None:
    make_event(db_path)
    db = open_database(db_path)
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db_path, 0.4, ready))
    holder.start()
    ready.wait()
    info = attendees.register(db, first_name="Patient")
    holder.join()
    assert attendees.get_attendee(db, info.code) is not None
    db.dispose()


def test_a_file_held_for_long_gives_up_after_the_busy_timeout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_event(db_path)
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
    db = open_database(db_path)
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db_path, 3.0, ready))
    holder.start()
    ready.wait()
    start = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        attendees.register(db, first_name="Impatient")
    waited = time.monotonic() - start
    holder.join()
    db.dispose()
    # about the busy timeout, not once per retry (generous bound: a loaded machine)
    assert waited < 1.5


def test_postgres_urls_take_the_same_path() -> None:
    assert dbmod.url_for("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert dbmod.url_for("x.checkin").startswith("sqlite:////")


def test_database_path(db_path: Path) -> None:
    make_event(db_path)
    db = open_database(db_path)
    assert isinstance(db, Database) and db.is_sqlite
    assert db.path == db_path.resolve()
    db.dispose()
