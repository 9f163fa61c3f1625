"""The record compared with copies made earlier: a chain cut at its end, or edited and rebuilt,
is consistent in itself, and only a backup, a station copy or the printed report shows it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.after_event.report import write_report
from checkin.cli import main
from checkin.demo import populate
from checkin.event import events
from checkin.people import attendees
from checkin.record import audit
from checkin.record_copies import automatic_copies, compare_with_copy
from checkin.results import Station
from checkin.stations.station_copy import make_station_copy
from checkin.store import Database, cipher, open_database
from checkin.store.backups import BACKUP_DIR_SETTING, backup_now
from checkin.store.models import AuditEntry
from tests.helpers.event_files import open_new

DESK = Station("Desk 1", volunteer="Ann")
T0 = datetime(2026, 12, 1, 14, 5)


@pytest.fixture(autouse=True)
def default_backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The per-user backup folder, here and empty: verify compares with what it holds."""
    folder = tmp_path / "default-backups"
    folder.mkdir()
    monkeypatch.setattr("checkin.store.backups.default_backup_dir", lambda: folder)
    return folder


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def party(db_path: Path, stick: Path) -> Iterator[Database]:
    """An event file with 20 households and a few walk-ups, backing up to ``stick``."""
    db = open_new(db_path)
    events.create_event(db, "Test Party", passphrase="secret")
    populate(db, attendees=20)
    events.set_setting(db, BACKUP_DIR_SETTING, str(stick))
    walk_ups(db, 15)
    yield db
    db.dispose()


def walk_ups(db: Database, how_many: int, station: Station = DESK) -> None:
    for n in range(how_many):
        attendees.register(db, station, first_name=f"Walk{n}")


def entries(path: Path) -> int:
    connection = cipher.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM audit").fetchone()[0])
    finally:
        connection.close()


def run_sql(path: Path, statement: str) -> None:
    connection = cipher.connect(path)
    try:
        connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def verify(capsys: pytest.CaptureFixture[str], path: Path, *against: Path) -> tuple[int, str]:
    extra = [arg for copy in against for arg in ("--against", str(copy))]
    code = main(["verify", "--db", str(path), *extra])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def rebuild_after_edit(db: Database, position: int) -> int:
    """Edit the entry at ``position`` and recompute every hash from the first entry on, as a
    forger with the file would: the chain is consistent again. Returns the edited entry's id."""

    def forge(session: Session) -> int:
        chain = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        chain[position].volunteer = "Mallory"
        prev = audit.GENESIS
        for entry in chain:
            entry.prev_hash = prev
            entry.hash = prev = audit.entry_hash(prev, entry)
        return chain[position].id

    edited = db.write(forge)
    assert audit.verify(db).ok  # the chain alone no longer shows it
    return edited


@pytest.mark.parametrize("removed", [1, 10])
def test_cutting_the_last_entries_after_a_backup_is_caught(
    party: Database, db_path: Path, stick: Path, removed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = backup_now(party, now=T0).path
    assert backup is not None and backup.parent == stick
    party.dispose()
    total = entries(db_path)
    run_sql(db_path, f"DELETE FROM audit WHERE id > (SELECT max(id) - {removed} FROM audit)")
    assert entries(db_path) == total - removed
    code, out = verify(capsys, db_path)
    assert code == 1
    lines = out.splitlines()
    # The chain is consistent in itself: the replay names the rows the cut entries sealed, and
    # the backup names the cut.
    assert not any("audit entry" in line for line in lines)
    assert (
        f"the record is shorter than the backup made 2026-12-01 14:05 (file {backup}):"
        f" {total:,} entries there, {total - removed:,} here: entries were removed" in lines
    )
    assert lines[-1] == "copies: 1 automatic backup compared: PROBLEMS FOUND"


@pytest.mark.parametrize("chunk", [5000, 4])  # 4: the edit is found past the first marks
def test_an_edit_with_the_chain_rebuilt_is_caught_by_a_backup_and_by_the_report(
    party: Database,
    db_path: Path,
    tmp_path: Path,
    chunk: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("checkin.record_copies._CHUNK", chunk)
    backup = backup_now(party, now=T0).path
    html = write_report(party, tmp_path / "report.html")
    pdf = write_report(party, tmp_path / "report.pdf")
    assert compare_with_copy(party, html).ok and compare_with_copy(party, pdf).ok
    edited = rebuild_after_edit(party, 9)
    assert edited == 10
    party.dispose()
    code, out = verify(capsys, db_path, html, pdf)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("OK:")
    assert (
        f"the record differs from the backup made 2026-12-01 14:05 (file {backup}) from entry"
        f" {edited} on: entries were changed and the chain rebuilt" in lines
    )
    for report in (html, pdf):
        assert any(
            line.startswith(f"the record differs from the report (file {report}): its head")
            for line in lines
        ), report
    assert lines[-1] == (
        "copies: 1 automatic backup compared and 2 given with --against: PROBLEMS FOUND"
    )


def test_the_report_vouches_for_the_event_record_not_the_purge_after_it(
    party: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's head stops before after-event entries: purging afterwards is no alarm,
    cutting the event's own entries is."""
    html = write_report(party, tmp_path / "report.html")
    check = compare_with_copy(party, html)
    assert (check.kind, check.entries) == ("report", entries(db_path))
    confirm = ["--confirm", "PURGE Test Party", "--passphrase", "secret"]
    assert main(["purge", "--db", str(db_path), *confirm]) == 0
    capsys.readouterr()
    assert entries(db_path) == check.entries + 1
    assert compare_with_copy(party, html).ok
    party.dispose()
    run_sql(db_path, "DELETE FROM audit WHERE id = 5")  # one of the event's own entries
    reopened = open_database(db_path)
    later = compare_with_copy(reopened, html)
    reopened.dispose()
    assert later.problems == (
        f"the record is shorter than the report (file {html}): {check.entries:,} entries of the"
        f" event there, {check.entries - 1:,} here: entries were removed",
    )


def test_a_station_copy_and_its_organiser_file_going_on_agree_both_ways(
    party: Database, db_path: Path, tmp_path: Path, stick: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    station_path = tmp_path / "door.checkin"
    make_station_copy(party, station_path, "Door")
    shared = entries(db_path)  # up to the organiser's station_copy_made entry
    walk_ups(party, 5)  # the organiser goes on...
    assert backup_now(party, now=T0).ok
    station = open_database(station_path)
    walk_ups(station, 7, Station("Door"))  # ...and so does the station
    assert backup_now(station, now=datetime(2026, 12, 1, 14, 10)).ok  # same stick: copied setting
    station.dispose()
    party.dispose()

    code, out = verify(capsys, db_path, station_path)
    assert code == 0, out
    lines = out.splitlines()
    assert any(
        line.startswith("station copy ")
        and line.endswith(f"({station_path}): OK, {shared:,} entries")
        for line in lines
    ), out
    # the station's own backup on the stick vouches for the same shared part
    station_backup = stick / "Test-Party_20261201-141000.checkin"
    assert any(
        line.startswith("station copy ")
        and line.endswith(f"({station_backup}): OK, {shared:,} entries")
        for line in lines
    ), out
    assert "copies: 2 automatic backups compared and 1 given with --against: all agree" in out

    code, out = verify(capsys, station_path, db_path)
    assert code == 0, out
    assert f"backup ({db_path}): OK, {shared:,} entries" in out
    assert f"backup 2026-12-01 14:05 ({stick}/Test-Party_20261201-140500.checkin): OK" in out
    # its own backup is a backup of this file: all of it
    assert f"14:10 ({stick}/Test-Party_20261201-141000.checkin): OK, {shared + 8:,}" in out

    # And the shared part does prove something: cut it in the organiser's file.
    run_sql(db_path, f"DELETE FROM audit WHERE id > {shared - 2}")
    code, out = verify(capsys, db_path, station_path)
    assert code == 1
    assert "the record is shorter than the station copy made " in out
    assert f"(file {station_path}): {shared:,} entries there, {shared - 2:,} here" in out


def test_a_file_of_another_event_or_no_event_is_refused_clearly(
    party: Database, db_path: Path, tmp_path: Path, stick: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = open_new(tmp_path / "other.checkin")
    events.create_event(other, "Test Party")  # the same name, another event
    walk_ups(other, 2)
    other_backup = backup_now(other, stick, now=T0).path
    other.dispose()
    contacts = tmp_path / "contacts.db"
    run_sql(contacts, "CREATE TABLE contacts (name TEXT)")
    notes = tmp_path / "notes.html"
    notes.write_text("<p>Head hash: nothing here</p>", encoding="utf-8")
    assert automatic_copies(party) == []  # the other event's backup is not one of ours

    check = compare_with_copy(party, tmp_path / "other.checkin")
    assert not check.ok and check.entries == 0
    assert check.problems == (
        f"{tmp_path / 'other.checkin'} is a file of another event (also named 'Test Party'):"
        " not compared",
    )
    party.dispose()
    code, out = verify(capsys, db_path, tmp_path / "other.checkin", contacts, notes)
    assert code == 1
    assert f"{other_backup}" not in out
    assert f"{contacts} is neither an event file nor a checkin report: not compared" in out
    assert f"{notes} is neither an event file nor a checkin report: not compared" in out
    assert "copies: 0 automatic backups compared and 3 given with --against: PROBLEMS" in out


def test_normal_use_after_backups_is_ok_and_the_newest_comes_first(
    party: Database,
    db_path: Path,
    stick: Path,
    default_backups: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    older = backup_now(party, default_backups, now=T0).path  # the default folder counts too
    walk_ups(party, 3)
    at_older = entries(older) if older else 0
    newer = backup_now(party, now=datetime(2026, 12, 1, 14, 10)).path
    walk_ups(party, 4)
    assert automatic_copies(party) == [newer, older]
    party.dispose()
    code, out = verify(capsys, db_path)
    assert code == 0, out
    assert f"backup 2026-12-01 14:10 ({newer}): OK, {at_older + 3:,} entries" in out
    assert f"backup 2026-12-01 14:05 ({older}): OK, {at_older:,} entries" in out
    assert out.splitlines()[-1] == "copies: 2 automatic backups compared: all agree"


def test_verify_changes_no_copy(
    party: Database, db_path: Path, tmp_path: Path, stick: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = backup_now(party, now=T0).path
    station_path = tmp_path / "copies" / "door.checkin"
    station_path.parent.mkdir()
    make_station_copy(party, station_path, "Door")
    report = write_report(party, tmp_path / "copies" / "report.html")
    assert backup is not None and station_path.read_bytes()[18:20] == b"\x02\x02"  # WAL
    copies = (backup, station_path, report)
    before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in copies}
    folders = {folder: sorted(os.listdir(folder)) for folder in (stick, station_path.parent)}
    party.dispose()
    code, out = verify(capsys, db_path, station_path, report)
    assert code == 0, out
    assert out.count(": OK, ") == 3
    for path, (data, mtime) in before.items():
        assert path.read_bytes() == data, path
        assert os.stat(path).st_mtime_ns == mtime, path
    # no -wal or -shm left beside a copy
    assert {folder: sorted(os.listdir(folder)) for folder in folders} == folders
