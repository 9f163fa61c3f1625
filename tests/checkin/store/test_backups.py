"""Automatic backups: verified, rotating, named with the time; restore; folder trouble."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.demo import populate
from checkin.event import events
from checkin.people import attendees
from checkin.results import Station
from checkin.scanning import ScanEngine
from checkin.store import Database, online_copy, open_database
from checkin.store.backups import (
    BACKUP_DIR_SETTING,
    BackupError,
    backup_dir,
    backup_now,
    check_file,
    list_backups,
    restore,
    write_backup,
)
from tests.helpers.event_files import open_new

T0 = datetime(2026, 6, 13, 14, 5, 0)


@pytest.fixture
def party(db_path: Path) -> Iterator[Database]:
    db = open_new(db_path)
    events.create_event(db, "Ol' Skool Block Party")
    populate(db, attendees=20)
    yield db
    db.dispose()


def _checked_in(db: Database, how_many: int) -> None:
    engine = ScanEngine(db)
    from checkin.people.listing import iter_attendees

    for row in list(iter_attendees(db))[:how_many]:
        engine.scan(row.code, Station("desk-1"))


def test_backups_rotate_and_carry_the_time_in_the_name(party: Database, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    for minute in range(13):
        result = backup_now(party, stick, keep=10, now=T0 + timedelta(minutes=5 * minute))
        assert result.ok, result.message
    kept = list_backups(stick)
    assert len(kept) == 10
    assert kept[0].name == "Ol-Skool-Block-Party_20260613-142000.checkin"  # the oldest 3 went
    assert kept[-1].name == "Ol-Skool-Block-Party_20260613-150500.checkin"
    assert all(check_file(p) == "ok" for p in kept)
    assert not [p for p in stick.iterdir() if "partial" in p.name]


def test_two_backups_in_one_second_both_kept(party: Database, tmp_path: Path) -> None:
    first, second = backup_now(party, tmp_path, now=T0), backup_now(party, tmp_path, now=T0)
    assert first.ok and second.ok and first.path != second.path
    assert len(list_backups(tmp_path)) == 2


def test_a_backup_restores_to_an_identical_summary(
    party: Database, db_path: Path, tmp_path: Path
) -> None:
    _checked_in(party, 6)
    expected = summarize(party)
    result = backup_now(party, tmp_path)
    assert result.ok and result.path is not None
    _checked_in(party, 12)  # later work, lost with the laptop's file
    assert summarize(party) != expected
    party.dispose()
    aside = restore(db_path, result.path)
    assert aside is not None
    assert aside.name == "event.checkin.before-restore" and aside.exists()
    restored = open_database(db_path)
    assert summarize(restored) == expected
    restored.dispose()
    kept = open_database(aside)  # the file that was replaced is still there, whole
    assert summarize(kept).households_checked_in == 12
    kept.dispose()


def test_restore_refuses_another_events_backup(
    party: Database, db_path: Path, tmp_path: Path
) -> None:
    other = open_new(tmp_path / "other.checkin")
    events.create_event(other, "Another Party")
    other.dispose()
    party.dispose()
    with pytest.raises(BackupError, match="different event"):
        restore(db_path, tmp_path / "other.checkin")
    with pytest.raises(BackupError, match="No backup"):
        restore(db_path, tmp_path / "missing.checkin")


def test_restore_never_replaces_what_is_not_an_event_file(
    party: Database, db_path: Path, tmp_path: Path
) -> None:
    """A tester's restore renamed a folder aside, and replaced a CSV, given as --db."""
    backup = tmp_path / "copy.checkin"
    online_copy(party.engine, backup)
    party.dispose()
    folder = tmp_path / "photos"
    folder.mkdir()
    sheet = tmp_path / "guests.csv"
    sheet.write_text("first,last\nRosa,Diaz\n", encoding="utf-8")
    with pytest.raises(BackupError, match="is a folder"):
        restore(folder, backup)
    with pytest.raises(BackupError, match="not an event file"):
        restore(sheet, backup)
    with pytest.raises(BackupError, match="not a checkin event backup"):
        restore(db_path, sheet)
    assert folder.is_dir() and sheet.read_text(encoding="utf-8").startswith("first,last")
    assert not (tmp_path / "photos.before-restore").exists()
    kept = restore(db_path, backup)
    assert kept is not None and kept.name == db_path.name + ".before-restore"


def test_a_vanished_folder_warns_and_loses_nothing(party: Database, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    assert backup_now(party, stick, now=T0).ok
    stick.rename(tmp_path / "elsewhere")  # the stick was pulled out
    result = backup_now(party, stick, now=T0 + timedelta(minutes=5))
    assert not result.ok
    assert "not there" in result.message and str(stick) in result.message
    # the event goes on: the file is whole and still takes check-ins
    _checked_in(party, 3)
    assert summarize(party).households_checked_in == 3
    assert check_file(party.path or Path()) == "ok"


def test_a_full_stick_warns_and_leaves_no_half_file(
    party: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_db: Database, target: Path) -> None:
        target.write_bytes(b"SQLite format 3\x00 half")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("checkin.store.backups._copy", full)
    result = backup_now(party, tmp_path, now=T0)
    assert not result.ok and "full" in result.message
    assert list(tmp_path.glob("*.partial")) == [] and list_backups(tmp_path) == []
    before = summarize(party)
    _checked_in(party, 2)
    assert summarize(party).households_checked_in == before.households_checked_in + 2


def test_sqlite_disk_full_is_explained(
    party: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_db: Database, _target: Path) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("checkin.store.backups._copy", full)
    assert "full" in backup_now(party, tmp_path, now=T0).message


def test_read_only_folder_warns(
    party: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(_db: Database, target: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(target))

    monkeypatch.setattr("checkin.store.backups._copy", read_only)
    assert "read-only" in backup_now(party, tmp_path, now=T0).message


def test_the_chosen_folder_is_a_setting(party: Database, tmp_path: Path) -> None:
    events.set_setting(party, BACKUP_DIR_SETTING, str(tmp_path))
    assert backup_dir(party) == tmp_path
    result = backup_now(party, now=T0)
    assert result.ok and result.path is not None and result.path.parent == tmp_path


def test_backup_while_another_station_writes(party: Database, tmp_path: Path) -> None:
    other = open_database(party.path or Path())
    attendees.register(other, Station("desk-2"))
    with other.reading():
        result = backup_now(party, tmp_path, now=T0)
    assert result.ok
    copy = open_database(result.path or Path())
    assert summarize(copy).registered == 21
    copy.dispose()
    other.dispose()


def test_cli_backup_and_restore(
    party: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checked_in(party, 4)
    expected = summarize(party)
    party.dispose()
    out = tmp_path / "copy.checkin"
    assert main(["backup", "--db", str(db_path), "--out", str(out)]) == 0
    assert "checked" in capsys.readouterr().out and check_file(out) == "ok"
    assert main(["backup", "--db", str(db_path), "--out", str(tmp_path)]) == 0
    assert len(list_backups(tmp_path)) == 1
    db = open_database(db_path)
    _checked_in(db, 10)
    db.dispose()
    assert main(["restore", "--db", str(db_path), "--from", str(out)]) == 0
    assert "before-restore" in capsys.readouterr().out
    db = open_database(db_path)
    assert summarize(db) == expected
    db.dispose()
    gone = tmp_path / "gone" / "x.checkin"
    assert main(["backup", "--db", str(db_path), "--out", str(gone)]) == 1
    assert "not there" in capsys.readouterr().err


def test_backup_refused_on_a_server_database() -> None:
    class FakeServer:
        is_sqlite = False
        path = None

    with pytest.raises(BackupError, match="server"):
        write_backup(FakeServer(), Path(os.devnull))  # type: ignore[arg-type]
