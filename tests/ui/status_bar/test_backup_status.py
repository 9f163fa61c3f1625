"""The backup indicator and scheduler, and the restore dialog, as the organiser uses them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from checkin.after_event.summary import summarize
from checkin.event import events
from checkin.people import attendees
from checkin.results import Station
from checkin.store import Database
from checkin.store.backups import BACKUP_DIR_SETTING, list_backups
from tests.helpers.desk_helpers import answer_lock
from ui.core.context import EventContext
from ui.status_bar.backup_status import BackupStatus, install_backup_status
from ui.status_bar.restore_dialog import RestoreDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def context(db: Database, stick: Path) -> EventContext:
    events.set_setting(db, BACKUP_DIR_SETTING, str(stick))
    return EventContext(db, Station("desk-1"))


def _backed_up(qtbot: QtBot, status: BackupStatus) -> None:
    with qtbot.waitSignal(status.backedUp, timeout=15_000):
        status.back_up_now()


def test_a_backup_shows_its_time_with_a_tick(
    qtbot: QtBot, context: EventContext, stick: Path
) -> None:
    status = BackupStatus(context)
    qtbot.addWidget(status.button)
    assert status.button.text() == "No backup yet"
    _backed_up(qtbot, status)
    assert status.last_result is not None and status.last_result.ok
    assert status.button.text() == f"Last backup {status.last_result.at:%H:%M} ✓"
    assert len(list_backups(stick)) == 1


def test_the_timer_backs_up_every_few_minutes(qtbot: QtBot, context: EventContext) -> None:
    status = BackupStatus(context, interval_minutes=0.001)  # 60 ms
    qtbot.addWidget(status.button)
    assert status.timer.isActive()
    blocker = qtbot.waitSignal(status.backedUp, timeout=15_000)
    blocker.wait()  # nothing to do: the timer alone must make the backup
    assert blocker.args is not None and blocker.args[0].ok
    # A 60 ms timer left running would back up this test's file during the next test.
    status.timer.stop()
    qtbot.waitUntil(lambda: status._task is None, timeout=15_000)


def test_a_vanished_folder_turns_the_indicator_red(
    qtbot: QtBot, context: EventContext, stick: Path, tmp_path: Path
) -> None:
    status = BackupStatus(context)
    qtbot.addWidget(status.button)
    _backed_up(qtbot, status)
    stick.rename(tmp_path / "pulled-out")
    _backed_up(qtbot, status)
    text = status.button.text()
    assert text.startswith("Backup failed (last good backup") and "not there" in text
    assert "#b71c1c" in status.button.styleSheet()
    attendees.register(context.db, Station("desk-1"))  # the event goes on
    assert summarize(context.db).registered == 1


def test_closing_the_window_takes_a_last_backup(
    qtbot: QtBot, context: EventContext, stick: Path
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    status = install_backup_status(window, context)
    assert status.button.parent() is not None  # in the status bar
    window.show()
    window.close()
    assert len(list_backups(stick)) == 1
    window.close()
    assert len(list_backups(stick)) == 1  # once


def test_choosing_the_folder_needs_the_organiser(
    qtbot: QtBot, context: EventContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = BackupStatus(context)
    qtbot.addWidget(status.button)
    other = tmp_path / "other-stick"
    other.mkdir()
    monkeypatch.setattr(
        "ui.status_bar.backup_status.QFileDialog.getExistingDirectory", lambda *a, **k: str(other)
    )
    answer_lock(monkeypatch, "wrong")
    status.choose_folder()
    assert events.get_setting(context.db, BACKUP_DIR_SETTING) != str(other)
    answer_lock(monkeypatch, "secret")
    with qtbot.waitSignal(status.backedUp, timeout=15_000):
        status.choose_folder()
    assert events.get_setting(context.db, BACKUP_DIR_SETTING) == str(other)
    assert len(list_backups(other)) == 1


def test_restore_puts_the_backup_back_and_carries_on(
    qtbot: QtBot, context: EventContext, stick: Path
) -> None:
    attendees.register(context.db, Station("desk-1"))
    expected = summarize(context.db)
    status = BackupStatus(context)
    qtbot.addWidget(status.button)
    _backed_up(qtbot, status)
    for _ in range(3):
        attendees.register(context.db, Station("desk-1"))
    dialog = RestoreDialog(context, stick)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    dialog.confirm = lambda backup: True
    with qtbot.waitSignal(context.changed, timeout=5_000):
        dialog.restore_selected()
    assert dialog.kept_aside is not None and dialog.kept_aside.exists()
    assert "Restored" in dialog.status.text()
    assert summarize(context.db) == expected  # the same Database, now on the restored file
    attendees.register(context.db, Station("desk-1"))  # and it takes new work
    assert summarize(context.db).registered == 2
