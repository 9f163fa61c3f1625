"""Backups work out of the box (issue 12, problem 8): the default folder is created, a first
backup is written at start and one on exit, and only a missing or full folder is red."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from checkin.event import events
from checkin.results import Station
from checkin.store import Database
from checkin.store import backups as backup
from checkin.store.backups import BACKUP_DIR_SETTING, BackupResult, default_backup_dir, list_backups
from ui.core.context import EventContext
from ui.status_bar.backup_status import BackupStatus, install_backup_status

pytestmark = pytest.mark.gui


def test_the_default_folder_is_made_and_a_first_backup_written_at_start(
    qtbot: QtBot, db: Database
) -> None:
    assert not default_backup_dir().exists()
    window = QMainWindow()
    qtbot.addWidget(window)
    status = install_backup_status(window, EventContext(db, Station("Desk 1")))
    with qtbot.waitSignal(status.backedUp, timeout=15_000) as blocker:
        pass  # nobody asks: the start itself backs up
    assert blocker.args is not None and blocker.args[0].ok
    assert len(list_backups(default_backup_dir())) == 1
    assert status.button.text().startswith("Last backup ")
    window.close()  # and on exit
    assert len(list_backups(default_backup_dir())) == 2


def test_a_removed_stick_is_red_but_a_passing_failure_is_not(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events.set_setting(db, BACKUP_DIR_SETTING, str(tmp_path / "pulled-out"))
    status = BackupStatus(EventContext(db, Station("Desk 1")))
    qtbot.addWidget(status.button)
    with qtbot.waitSignal(status.backedUp, timeout=15_000):
        status.back_up_now()
    assert status.last_result is not None and status.last_result.problem == backup.MISSING
    assert "#b71c1c" in status.button.styleSheet()
    assert not (tmp_path / "pulled-out").exists()  # a chosen folder is never made up

    def busy(_db: Database, _target: Path) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    (tmp_path / "pulled-out").mkdir()
    monkeypatch.setattr(backup, "_copy", busy)
    result = backup.backup_now(db)
    assert not result.ok and not result.urgent
    status._show(result)
    assert "#b71c1c" not in status.button.styleSheet()
    full = BackupResult(False, result.at, message="The backup folder is full", problem="full")
    status._show(full)
    assert "#b71c1c" in status.button.styleSheet()
