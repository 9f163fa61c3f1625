"""Backups and restores after faults (issue 23): a stale -wal left by a file that is gone, the
damaged-file message naming a backup of another event of the same name, a killed backup's
hidden partial file."""

from __future__ import annotations

import os
import shutil
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.record import audit
from checkin.store import cipher, open_database
from checkin.store.backups import PARTIAL_AGE_S, backup_name, latest_backup_of, write_backup
from tests.helpers.event_files import open_new


def _event(path: Path, name: str = "Block Party") -> None:
    db = open_new(path)
    create_event(db, name, passphrase="long enough")
    attendees.register(db, adults=2)
    db.dispose()


def _stale_wal(source: Path, target: Path) -> None:
    """A -wal holding uncheckpointed frames of ``source``, left beside ``target``."""
    with closing(cipher.connect(source)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        connection.execute("CREATE TABLE filler (x)")
        connection.executemany("INSERT INTO filler VALUES (?)", [("y" * 500,)] * 200)
        connection.commit()
        shutil.copyfile(f"{source}-wal", f"{target}-wal")


def test_restore_sets_a_stale_wal_aside_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    monkeypatch.setenv("CHECKIN_PASSPHRASE", "long enough")
    assert main(["backup", "--db", str(event), "--out", str(tmp_path / "kept.checkin")]) == 0
    _event(tmp_path / "other.checkin", "Other")
    event.unlink()  # the event file deleted; a log of another file left at its path
    _stale_wal(tmp_path / "other.checkin", event)
    capsys.readouterr()
    assert main(["restore", "--db", str(event), "--from", str(tmp_path / "kept.checkin")]) == 0
    out = capsys.readouterr().out
    assert "before-restore" not in out  # there was no previous file to keep
    assert "moved aside" in out and ".stale-" in out
    assert not Path(f"{event}-wal").exists() or Path(f"{event}-wal").stat().st_size == 0
    db = open_database(event)  # the restored file opens, sound
    try:
        assert audit.verify(db).ok
    finally:
        db.dispose()


def test_the_damaged_file_message_names_a_backup_of_this_event_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    monkeypatch.setattr("checkin.store.backups.default_backup_dir", lambda: backups)
    mine, other = tmp_path / "mine.checkin", tmp_path / "other.checkin"
    _event(mine)
    _event(other)  # made separately, the same name
    names = {mine: backup_name("Block Party", datetime(2026, 12, 1, 10))}
    names[other] = backup_name("Block Party", datetime(2026, 12, 1, 11))  # the newer
    for path, name in names.items():
        db = open_database(path)
        try:
            write_backup(db, backups / name)
        finally:
            db.dispose()
    # the other event's backup is newer and of the same name: it was named before
    assert latest_backup_of(mine) == backups / names[mine]


def test_a_killed_backups_partial_file_is_removed_next_time(tmp_path: Path) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    left = tmp_path / ".party_20261201-100000.checkin.partial"
    left.write_bytes(b"SQLite format 3\x00 half a copy with names")
    old = time.time() - PARTIAL_AGE_S - 5
    os.utime(left, (old, old))
    db = open_database(event)
    try:
        write_backup(db, tmp_path / "party_20261201-110000.checkin")
    finally:
        db.dispose()
    assert not left.exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_a_killed_backups_partial_file_is_removed_at_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only at the next backup: an event opened and closed again without one (a command,
    or the app quit before its first backup) kept the hidden half copy of the names."""
    from checkin.event.events import set_setting
    from checkin.store.backups import BACKUP_DIR_SETTING

    chosen, default = tmp_path / "stick", tmp_path / "default"
    chosen.mkdir()
    default.mkdir()
    monkeypatch.setattr("checkin.store.backups.default_backup_dir", lambda: default)
    event = tmp_path / "party.checkin"
    _event(event)
    db = open_database(event)
    set_setting(db, BACKUP_DIR_SETTING, str(chosen))
    db.dispose()
    old = time.time() - PARTIAL_AGE_S - 5
    left = []
    for folder in (chosen, default):
        path = folder / ".party_20261201-100000.checkin.partial"
        path.write_bytes(b"SQLite format 3\x00 half a copy with names")
        os.utime(path, (old, old))
        left.append(path)
    young = chosen / ".party_20261201-100500.checkin.partial"  # being written right now
    young.write_bytes(b"SQLite format 3\x00")
    db = open_database(event)
    db.dispose()
    assert [path.exists() for path in left] == [False, False]
    assert young.exists()
