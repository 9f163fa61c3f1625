"""Integrity on open: a damaged event file is refused at once, pointing at the latest backup."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.demo import populate
from checkin.errors import describe
from checkin.event import events
from checkin.store import DamagedFile, cipher, open_database
from checkin.store.backups import BACKUP_DIR_SETTING, backup_now
from tests.helpers.event_files import open_new


def _event(path: Path, backups: Path | None = None) -> None:
    db = open_new(path)
    events.create_event(db, "Block Party")
    populate(db, attendees=300)
    if backups is not None:
        events.set_setting(db, BACKUP_DIR_SETTING, str(backups))
        assert backup_now(db, backups, now=datetime(2026, 6, 13, 14, 0)).ok
        assert backup_now(db, backups, now=datetime(2026, 6, 13, 14, 5)).ok
    db.dispose()


def _damage_attendees(path: Path) -> None:
    """Break the attendees table's root page, as a bad sector or a yanked stick would."""
    connection = cipher.connect(path)
    page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])  # SQLCipher: text
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'attendees'"
    ).fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x00" * 16)


def test_a_healthy_file_opens(tmp_path: Path) -> None:
    _event(tmp_path / "ok.checkin")
    db = open_database(tmp_path / "ok.checkin")
    assert summarize(db).registered == 300
    db.dispose()


def test_a_damaged_file_is_refused_naming_the_latest_backup(tmp_path: Path) -> None:
    path, stick = tmp_path / "party.checkin", tmp_path / "usb"
    stick.mkdir()
    _event(path, stick)
    _damage_attendees(path)
    with pytest.raises(DamagedFile) as refused:
        open_database(path)
    assert refused.value.path == path and "malformed" in refused.value.problem
    message = describe(refused.value)  # the caller words it: the CLI so, the GUI translated
    assert "party.checkin is damaged" in message
    assert str(stick / "Block-Party_20260613-140500.checkin") in message
    assert "\n" not in message


def test_the_default_backup_folder_is_searched_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "default-backups"
    default.mkdir()
    monkeypatch.setattr("checkin.store.backups.default_backup_dir", lambda: default)
    path = tmp_path / "party.checkin"
    _event(path)
    db = open_database(path)
    assert backup_now(db, now=datetime(2026, 6, 13, 15, 0)).ok  # no folder chosen: the default
    db.dispose()
    _damage_attendees(path)
    with pytest.raises(DamagedFile) as refused:
        open_database(path)
    assert "Block-Party_20260613-150000" in describe(refused.value)


def test_no_backup_anywhere_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("checkin.store.backups.default_backup_dir", lambda: tmp_path / "none")
    path = tmp_path / "party.checkin"
    _event(path)
    _damage_attendees(path)
    with pytest.raises(DamagedFile) as refused:
        open_database(path)
    assert "none was found" in describe(refused.value)


def test_the_cli_refuses_a_damaged_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, stick = tmp_path / "party.checkin", tmp_path / "usb"
    stick.mkdir()
    _event(path, stick)
    _damage_attendees(path)
    assert main(["stats", "--db", str(path)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("checkin: party.checkin is damaged")
    assert "Block-Party_20260613-140500.checkin" in err and "\n" not in err


def test_verify_answers_problems_found_for_a_file_cut_in_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """verify's exit status is its answer: 1 when the file is damaged, even too damaged to open
    (a tester got the generic exit 2 for a truncated copy)."""
    path, stick = tmp_path / "party.checkin", tmp_path / "usb"
    stick.mkdir()
    _event(path, stick)
    data = path.read_bytes()
    cut = tmp_path / "cut.checkin"
    cut.write_bytes(data[: len(data) // 2])
    assert main(["verify", "--db", str(cut)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("PROBLEMS FOUND")
    assert main(["verify", "--db", str(path)]) == 0
