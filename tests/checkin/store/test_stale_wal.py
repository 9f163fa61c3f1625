"""A -wal that does not belong to the event file (issue 23): the app was killed with scans still
in its log, then another file was copied over the event file (a backup put back by hand,
another event's file). Opening and `restore` set that log aside and say so, instead of applying
it to the wrong file; a killed app's own log is still applied (its scans were acknowledged)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.cli import main
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.record import audit
from checkin.store import file_keys, open_database
from checkin.store.backups import check_file, write_backup
from checkin.store.models import Attendee
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import ROOT

# Every test kills a writer in a process of its own (about a second each).
pytestmark = pytest.mark.slow

_KILLED = """
import os, sys
from checkin.event import events
from checkin.people import attendees
events.SCRYPT_N, events.SCRYPT_R, events.SCRYPT_P = 2**10, 8, 1
from checkin.store import open_database
db = open_database(sys.argv[1])
for _ in range(3):
    attendees.register(db, adults=1)
os._exit(0)  # killed: its log is never checkpointed nor removed
"""


def _event(path: Path, name: str) -> None:
    db = open_new(path)
    create_event(db, name, passphrase="long enough")
    for _ in range(2):
        attendees.register(db, adults=1)
    db.dispose()


def _killed_writer(path: Path) -> None:
    """An app that registers three people at ``path`` and is killed before closing."""
    subprocess.run([sys.executable, "-c", _KILLED, str(path)], cwd=ROOT, check=True)
    assert Path(f"{path}-wal").stat().st_size > 32  # its log holds their pages


def _people(path: Path) -> int:
    db = open_database(path)
    try:
        with db.reading() as session:
            return int(session.scalar(select(func.count()).select_from(Attendee)) or 0)
    finally:
        db.dispose()


def test_a_killed_apps_own_log_is_applied(tmp_path: Path) -> None:
    event = tmp_path / "party.checkin"
    _event(event, "Block Party")
    _killed_writer(event)
    db = open_database(event)
    try:
        assert getattr(db, "set_aside", ()) == ()
        assert audit.verify(db).ok
    finally:
        db.dispose()
    assert _people(event) == 5  # the three acknowledged in the killed app are there
    assert not list(tmp_path.glob("*.stale-*"))


def _copied_over(tmp_path: Path, copied: str) -> tuple[Path, Path]:
    """The event file with a log left by a killed app, then ``copied`` copied over it (cp: the
    same inode). Returns the event file and what was copied."""
    event = tmp_path / "party.checkin"
    _event(event, "Block Party")
    if copied == "another event":
        source = tmp_path / "other.checkin"
        _event(source, "Other Party")
    else:
        source = tmp_path / "kept.checkin"
        db = open_database(event)
        try:
            write_backup(db, source)
            for _ in range(2):  # the event goes on after its backup
                attendees.register(db, adults=1)
        finally:
            db.dispose()
    _killed_writer(event)
    inode = event.stat().st_ino
    shutil.copyfile(source, event)
    # With its key file: an encrypted file copied without one opens nowhere (file_keys.py).
    shutil.copyfile(file_keys.key_file(source), file_keys.key_file(event))
    assert event.stat().st_ino == inode
    return event, source


@pytest.mark.parametrize("copied", ["another event", "a backup of this event"])
def test_opening_sets_aside_a_log_left_by_another_file(tmp_path: Path, copied: str) -> None:
    event, _source = _copied_over(tmp_path, copied)
    db = open_database(event)  # before: refused as damaged, or the two files' pages mixed
    try:
        assert audit.verify(db).ok
        moved = getattr(db, "set_aside", ())
    finally:
        db.dispose()
    assert _people(event) == 2  # the file as it was copied in, nothing of the old log
    assert [p.name.split(".stale-")[0] for p in moved] == ["party.checkin-wal", "party.checkin-shm"]
    kept = list(tmp_path.glob("party.checkin-wal.stale-*"))
    assert len(kept) == 1 and kept[0].stat().st_size > 32  # the log is kept, not deleted


def test_the_command_says_which_log_it_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event, _source = _copied_over(tmp_path, "another event")
    assert main(["stats", "--db", str(event)]) == 0
    err = capsys.readouterr().err
    assert "did not belong to the event file was moved aside" in err and ".stale-" in err


def test_restore_sets_aside_a_log_that_is_not_the_files_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: a stale -wal beside the file being restored over. It is not applied
    to the file kept as .before-restore, nor to the restored one, and the output says so."""
    event, backup = _copied_over(tmp_path, "a backup of this event")
    monkeypatch.setenv("CHECKIN_PASSPHRASE", "long enough")
    capsys.readouterr()
    assert main(["restore", "--db", str(event), "--from", str(backup)]) == 0
    said = capsys.readouterr()
    out = said.out + said.err
    assert "moved aside" in out and ".stale-" in out
    kept = tmp_path / "party.checkin.before-restore"
    assert f"kept as {kept}" in out
    assert check_file(kept) == "ok"  # the log was not applied to the file kept aside
    assert not Path(f"{event}-wal").exists()
    assert len(list(tmp_path.glob("party.checkin-wal.stale-*"))) == 1
    db = open_database(event)
    try:
        assert audit.verify(db).ok
    finally:
        db.dispose()


def test_restore_keeps_the_files_own_log_with_it(tmp_path: Path) -> None:
    """The file's own log (a killed app's) goes with it into .before-restore, applied there:
    its scans are kept, not set aside as stale."""
    from checkin.store.backups import restore_file

    event = tmp_path / "party.checkin"
    _event(event, "Block Party")
    backup = tmp_path / "kept.checkin"
    db = open_database(event)
    try:
        write_backup(db, backup)
    finally:
        db.dispose()
    _killed_writer(event)
    done = restore_file(event, backup)
    assert done.set_aside == ()
    assert done.kept == tmp_path / "party.checkin.before-restore"
    assert _people(done.kept) == 5
    assert not list(tmp_path.glob("*.stale-*"))
    assert os.path.getsize(event) > 0
