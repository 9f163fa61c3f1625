"""Files with personal data are created 0600 in folders 0700, whatever the umask (a desktop
session's usual 022 would make them readable by every account on the laptop)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.people import attendees
from checkin.store import Database, open_database
from checkin.store.backups import backup_now


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_every_file_the_event_makes_is_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))  # the per-user folder
    monkeypatch.setenv("CHECKIN_PASSPHRASE", "secret phrase")
    work = tmp_path / "work"
    work.mkdir()
    event = str(work / "party.checkin")

    def run(*args: str) -> None:
        assert main(list(args)) == 0, capsys.readouterr().err

    run("new-event", "--name", "Block Party", "--passphrase", "secret phrase")  # the per-user file
    run("new-event", "--db", event, "--name", "Block Party", "--passphrase", "secret phrase")
    run("register", "--db", event, "--first", "Rosa", "--phone", "816", "--consent")
    run("backup", "--db", event, "--out", str(work / "backup.checkin"))
    run("station-copy", "--db", event, "--out", str(work / "desk-2.checkin"), "--station", "d2")
    run("restore", "--db", event, "--from", str(work / "backup.checkin"))
    run("export", "--db", event, "--out", str(work / "exports" / "today"))
    run("report", "--db", event, "--out", str(work / "report.html"))
    run("paper-kit", "--db", event, "--out", str(work / "kit.pdf"))
    db = open_database(event)  # while it is open, its -wal and -shm files exist
    try:
        attendees.register(db, first_name="Ana")
        assert backup_now(db).ok  # the first automatic backup makes the default folder
        names = {p.name for p in work.rglob("*")}
        assert {"party.checkin-wal", "party.checkin-shm", "party.checkin.before-restore"} <= names
        home = tmp_path / "home" / "checkin"
        assert (home / "event.checkin").is_file()
        assert any((home / "backups").iterdir())
        for path in [*work.rglob("*"), *home.rglob("*")]:
            if path.is_dir():
                assert mode(path) == 0o700, path
            else:
                assert mode(path) == 0o600, path
        assert mode(home) == 0o700
    finally:
        db.dispose()


@pytest.mark.usefixtures("umask_022")
def test_the_log_file_and_the_joined_folder_are_private(tmp_path: Path, db: Database) -> None:
    """Issue 23: checkin.log was made 0644 and joined/ 0755."""
    import logging

    from checkin import logfile
    from checkin.hosting.local_copy import copy_path

    folder = tmp_path / "data"
    target = logfile.install(folder)
    try:
        logging.getLogger("checkin.test").error("a failure for the log")
    finally:
        logfile.uninstall()
    assert target is not None and mode(target) == 0o600
    copy = copy_path(db, "Desk 2", folder)
    assert mode(copy.parent) == 0o700
