"""A fault is never acknowledged (issue 23): a file copied over the open event file (the same
inode), and a drive's I/O error worded as what it is."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from checkin.demo import populate
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.results import NotSavedParams, ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import (
    AttendeeSource,
    Database,
    cipher,
    file_keys,
    open_database,
    sqlite_file,
    unsaved,
)
from tests.helpers.event_files import open_new
from tests.helpers.outcomes import params_of

DESK = Station("Desk 1", StationMode.DESK)


def _event(path: Path, name: str, people: int) -> tuple[Database, list[str]]:
    db = open_new(path)
    create_event(db, name, passphrase="long enough")
    populate(db, attendees=0)
    codes = [
        attendees.register(db, adults=1, source=AttendeeSource.PREREG).code for _ in range(people)
    ]
    return db, codes


def _checkpoint(path: Path) -> None:
    with closing(cipher.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(FULL)")


@pytest.mark.parametrize("copied", ["another event", "an older copy of this event"])
def test_a_file_copied_over_the_open_one_is_never_acknowledged(copied: str, tmp_path: Path) -> None:
    path = tmp_path / "party.checkin"
    db, codes = _event(path, "Block Party", 30)
    try:
        engine = ScanEngine(db)
        engine._debounce = 0
        if copied == "another event":
            other, _ = _event(tmp_path / "other.checkin", "Other Party", 3)
            other.dispose()
            source = tmp_path / "other.checkin"
        else:
            source = tmp_path / "older.checkin"
            _checkpoint(path)
            sqlite_file.copy_file(path, source)
        for code in codes[:20]:  # the file moves on after the copy was made
            assert engine.scan(code, DESK).state is ScanState.CHECKED_IN
        _checkpoint(path)
        inode = path.stat().st_ino
        shutil.copyfile(source, path)  # cp: the same inode, the other file's bytes
        shutil.copyfile(file_keys.key_file(source), file_keys.key_file(path))  # and its key
        assert path.stat().st_ino == inode
        answers = [engine.scan(code, DESK) for code in codes[20:25]]
        assert [a.state for a in answers] == [ScanState.NOT_SAVED] * 5, answers
        assert "copied over the event file" in answers[0].message
        kept = unsaved.side_file(path)
        assert [line.split("\t")[2] for line in kept.read_text().splitlines()] == codes[20:25]
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        db.dispose()


def test_the_check_lets_the_files_own_changes_through(tmp_path: Path) -> None:
    """Checkpoints made by another connection (another app on the same file) move the header
    on: scans go on being saved."""
    path = tmp_path / "party.checkin"
    db, codes = _event(path, "Block Party", 12)
    second = open_database(path)
    try:
        engine, other = ScanEngine(db), ScanEngine(second)
        for index, code in enumerate(codes):
            scanning = engine if index % 2 else other
            assert scanning.scan(code, DESK).state is ScanState.CHECKED_IN
            _checkpoint(path)
    finally:
        second.dispose()
        db.dispose()
    assert not unsaved.side_file(path).exists()


def test_an_io_error_is_not_called_damage(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a drive's I/O failure SQLite answered "malformed" while the file was intact: the
    answer says the drive failed, not "restore the latest backup"."""
    person = attendees.register(db, adults=1).code

    def malformed(*_: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    def eio(*_: object) -> bytes:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(Database, "_on_sqlite", malformed)
    monkeypatch.setattr("checkin.store.database.os.pread", eio)
    answer = ScanEngine(db).scan(person, DESK)
    assert answer.state is ScanState.NOT_SAVED
    assert "I/O error" in answer.message and "damaged" not in answer.message
    assert params_of(answer, NotSavedParams).failure == "io_error"


def test_scans_not_saved_go_to_the_data_folder_when_the_drive_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unsaved, "data_dir", lambda: tmp_path / "data")
    gone = tmp_path / "stick" / "party.checkin"  # the stick's folder is not there any more
    kept = unsaved.keep(gone, "ADH2X34WMT97SW6YNGVH", "Desk 1")
    assert kept == tmp_path / "data" / "party.checkin.unsaved-scans.txt"
    assert kept.read_text().split("\t")[1:] == ["Desk 1", "ADH2X34WMT97SW6YNGVH\n"]
    assert not (tmp_path / "stick").exists()  # no folder made where the drive was
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def _after_the_next_tick(folder: Path, than: Path) -> None:
    """Wait until the file system's clock has moved past ``than``'s change time (timestamps
    are coarse: a write in the same tick would leave the times as they were)."""
    probe = folder / "tick-probe"
    while True:
        probe.write_bytes(b"x")
        if probe.stat().st_ctime_ns > than.stat().st_ctime_ns:
            return


@pytest.mark.skipif(os.name != "posix", reason="the stat fast path is POSIX only")
def test_the_cheap_check_still_catches_a_copy_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-commit check costs one stat while the file is as this app last saw it (the
    file only changes at checkpoints): no read of the file. A copy over it changes its times,
    so the next scan reads it again and is NOT saved."""
    # The file's times count as settled at once (the app waits out coarse clocks first).
    monkeypatch.setattr("checkin.store.database._RACY_NS", -(10**12))
    path = tmp_path / "party.checkin"
    db, codes = _event(path, "Block Party", 12)
    other, _ = _event(tmp_path / "other.checkin", "Other Party", 3)
    other.dispose()
    reads: list[int] = []
    real_read = Database._read_header

    def counted(self: Database) -> bytes | None:
        reads.append(1)
        return real_read(self)

    try:
        engine = ScanEngine(db)
        engine._debounce = 0
        for code in codes[:3]:
            assert engine.scan(code, DESK).state is ScanState.CHECKED_IN
        monkeypatch.setattr(Database, "_read_header", counted)

        def times() -> tuple[int, int, int]:
            found = path.stat()
            return found.st_size, found.st_mtime_ns, found.st_ctime_ns

        checkpoints = 0
        for code in codes[3:9]:
            before = times()
            assert engine.scan(code, DESK).state is ScanState.CHECKED_IN
            checkpoints += times() != before
        # Read once after each of its own checkpoints, never for a commit that left the file
        # as it was (most: the file changes only at checkpoints, every few scans).
        assert len(reads) == checkpoints < 6
        _checkpoint(path)
        _after_the_next_tick(tmp_path, path)
        shutil.copyfile(tmp_path / "other.checkin", path)
        answer = engine.scan(codes[9], DESK)
        assert answer.state is ScanState.NOT_SAVED
        assert "copied over the event file" in answer.message
    finally:
        db.dispose()
