"""Retention: the event carries "delete personal data N days after the event", and
`checkin purge --due` purges it (and a station laptop's joined copy) once that day has come."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.after_event.retention import DEFAULT_DAYS, get_retention, set_retention_days
from checkin.cli import main
from checkin.event import events
from checkin.people import attendees
from checkin.purge_everywhere import purge_due_copies
from checkin.store import open_database
from checkin.store.backups import backup_now
from checkin.store.models import Attendee
from tests.helpers.event_files import open_new


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("CHECKIN_DB", raising=False)
    return home / "checkin"


def _event(path: Path, when: date, days: int | None) -> None:
    db = open_new(path)
    try:
        events.create_event(db, "Block Party", event_date=when, retention_days=days)
        attendees.register(db, first_name="Zorblattine", last_name="Quixwellby", adults=1)
    finally:
        db.dispose()


def _names(path: Path) -> set[str]:
    db = open_database(path)
    try:
        with db.reading() as session:
            return set(session.scalars(select(Attendee.first_name)))
    finally:
        db.dispose()


def test_new_event_asks_for_the_retention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "party.checkin"
    args = ["new-event", "--db", str(path), "--name", "Party", "--date", "2026-06-01"]
    assert main([*args, "--retention-days", "10"]) == 0
    assert "deleted on 2026-06-11 (10 days after the event)" in capsys.readouterr().out
    db = open_database(path)
    try:
        assert get_retention(db).days == 10
        assert get_retention(db).purge_on == date(2026, 6, 11)
        set_retention_days(db, 45)  # changed later in Setup
        assert get_retention(db).purge_on == date(2026, 7, 16)
    finally:
        db.dispose()
    other = tmp_path / "other.checkin"
    assert main(["new-event", "--db", str(other), "--name", "Other", "--date", "2026-06-01"]) == 0
    assert f"({DEFAULT_DAYS} days after the event)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(
            [
                "new-event",
                "--db",
                str(tmp_path / "x.checkin"),
                "--name",
                "X",
                "--retention-days",
                "-1",
            ]
        )


def test_purge_due_waits_for_the_day_then_purges_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], _own_data_folder: Path
) -> None:
    path = tmp_path / "party.checkin"
    _event(path, date.today() - timedelta(days=5), 7)
    assert main(["purge", "--db", str(path), "--due"]) == 0
    assert "Not due yet" in capsys.readouterr().out
    assert "Zorblattine" in _names(path)

    db = open_database(path)
    try:
        set_retention_days(db, 5)  # today is the day
        assert backup_now(db).ok
    finally:
        db.dispose()
    backups = list((_own_data_folder / "backups").glob("*.checkin"))  # not their key files
    assert backups
    assert main(["purge", "--db", str(path), "--due"]) == 0
    said = capsys.readouterr().out
    assert "Personal data removed from 1 attendees" in said and backups[0].name in said
    assert _names(path) == {""}
    assert not any(p.exists() for p in backups)
    assert main(["purge", "--db", str(path), "--due"]) == 0
    assert "purged already" in capsys.readouterr().out


def test_a_joined_copy_purges_itself_when_due(tmp_path: Path, _own_data_folder: Path) -> None:
    joined = _own_data_folder / "joined"
    joined.mkdir(parents=True)
    due, later = joined / "aaaaaaaaaaaa-desk.checkin", joined / "bbbbbbbbbbbb-desk.checkin"
    _event(due, date.today() - timedelta(days=31), None)  # the default: 30 days
    _event(later, date.today() - timedelta(days=29), None)
    assert purge_due_copies() == [f"this station's copy of the event: {due}"]
    assert not due.exists() and later.exists()
    assert main(["purge", "--db", str(tmp_path / "none.checkin"), "--due"]) == 0
    assert later.exists()
    assert purge_due_copies(today=date.today() + timedelta(days=1)) != []
    assert not later.exists()


def test_backup_out_a_folder_that_is_not_there_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out dir/` made a FILE named dir (found by a tester): a path ending in a separator is a
    folder, made if missing, and the backup is named inside it."""
    path = tmp_path / "party.checkin"
    _event(path, date.today(), None)
    folder = tmp_path / "stick" / "backups"
    assert main(["backup", "--db", str(path), "--out", f"{folder}{os.sep}"]) == 0
    assert folder.is_dir()
    (written,) = folder.glob("*.checkin")  # beside it: its key file
    assert written.name.startswith("Block-Party_") and written.suffix == ".checkin"
    assert str(written) in capsys.readouterr().out
    # Without the separator the name is a file, as before.
    single = tmp_path / "one-file.checkin"
    assert main(["backup", "--db", str(path), "--out", str(single)]) == 0
    assert single.is_file()


def test_purge_everywhere_removes_what_the_app_wrote_and_keeps_the_anonymous_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "party.checkin"
    _event(path, date.today(), None)
    db = ["--db", str(path)]
    out = tmp_path / "out"
    out.mkdir()
    sheet = tmp_path / "guests.csv"
    sheet.write_text("First name,Last name,Adults\nRosa,Plumtreevska,2\n", encoding="utf-8")
    assert main(["import", *db, str(sheet)]) == 0  # badges are for pre-registered people
    assert main(["export", *db, "--out", str(out / "full")]) == 0
    assert main(["export", *db, "--out", str(out / "anonymous"), "--anonymous"]) == 0
    assert main(["badges", *db, "--out", str(out / "badges.pdf"), "--names"]) == 0
    assert main(["station-copy", *db, "--station", "Desk 2", "--out", str(out / "d2.checkin")]) == 0
    capsys.readouterr()
    assert main(["purge", *db, "--everywhere"]) == 1  # the phrase first, and what would go
    err = capsys.readouterr().err
    assert str(out / "full" / "attendees.csv") in err and str(out / "d2.checkin") in err
    assert main(["purge", *db, "--everywhere", "--confirm", "PURGE Block Party"]) == 0
    said = capsys.readouterr().out
    assert str(out / "badges.pdf") in said
    assert not (out / "full").exists() and not (out / "d2.checkin").exists()
    assert not (out / "badges.pdf").exists()
    assert (out / "anonymous" / "summary.csv").exists()  # no names in it: it stays
    assert "Kept:" in said


def test_log_lines_with_a_name_go_and_the_others_stay(tmp_path: Path) -> None:
    from checkin.purge_everywhere import scrub_logs

    log = tmp_path / "checkin.log"
    log.write_text(
        "2026 ERROR checkin.desk: no badge for Zorblattine\n"
        "2026 ERROR checkin.sms: 816-555-0199 refused\n"
        "2026 ERROR checkin.desk: Diaz, the street, not a person here\n"
        "2026 ERROR checkin.backup: the folder is full\n",
        encoding="utf-8",
    )
    rotated = tmp_path / "checkin.log.2"
    rotated.write_text("x ZORBLATTINE y\n", encoding="utf-8")
    values = {"Zorblattine", "(816) 555-0199", "Ana Diaz"}
    assert scrub_logs(values, tmp_path) == 3
    assert log.read_text(encoding="utf-8").splitlines() == [
        "2026 ERROR checkin.desk: Diaz, the street, not a person here",
        "2026 ERROR checkin.backup: the folder is full",
    ]
    assert rotated.read_text(encoding="utf-8") == ""
