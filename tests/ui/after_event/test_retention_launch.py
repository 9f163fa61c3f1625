"""Retention in the app: the new-event form asks for it, Setup and the status bar show the day,
and once the day has passed the next launch asks the organiser (saying what will be removed),
purges the event with its backups and copies, and says what was removed. "Not now" (the
default: a scanner's Enter deletes nothing) asks again at the next launch."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin.after_event.export import export_event
from checkin.after_event.retention import get_retention
from checkin.event import events
from checkin.people import attendees
from checkin.results import Station
from checkin.store import Database, open_database
from checkin.store.backups import backup_now
from checkin.store.models import Attendee
from tests.helpers.event_files import open_new
from ui.after_event.export_view import ExportView
from ui.app import launch
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.setup.event_details_form import EventDetailsForm
from ui.start.start_choice import NewEventDialog

pytestmark = pytest.mark.gui

NAME = "Zorblattine"


def _event(path: Path, when: date, days: int) -> Path:
    db = open_new(path)
    try:
        events.create_event(db, "Block Party", event_date=when, retention_days=days)
        attendees.register(db, first_name=NAME, last_name="Quixwellby", adults=2)
        result = backup_now(db)
        assert result.ok and result.path is not None
        return result.path
    finally:
        db.dispose()


def _names(path: Path) -> set[str]:
    db = open_database(path)
    try:
        with db.reading() as session:
            return set(session.scalars(select(Attendee.first_name)))
    finally:
        db.dispose()


def _backups_naming(folder: Path) -> list[Path]:
    """Backups that still hold the planted name. Not "the backup is gone": the window's exit
    backup, taken after the purge within the same second, may take the old one's name."""
    return [p for p in folder.iterdir() if NAME.encode() in p.read_bytes()]


def _answer(monkeypatch: pytest.MonkeyPatch, delete: bool) -> list[str]:
    """Every message box's texts; the question answered Delete now or left at its default."""
    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(f"{box.text()}\n{box.informativeText()}\n{box.detailedText()}")
        if not box.buttons():  # an information box with its OK only
            return 0
        default = box.defaultButton()
        other = [b for b in box.buttons() if b is not default and "Delete" in b.text()]
        (other[0] if delete and other else default or box.buttons()[0]).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def _open(qtbot: QtBot, path: Path) -> MainWindow:
    window = launch.open_window(str(path), "Office", "Ana")
    assert window is not None
    return window


def _close(qtbot: QtBot, window: MainWindow) -> None:
    window.close()
    qtbot.waitUntil(lambda: not launch._windows)


def test_the_launch_after_the_day_asks_then_purges_and_says_what_went(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "party.checkin"
    backup = _event(path, date.today() - timedelta(days=31), 30)

    shown = _answer(monkeypatch, delete=False)
    window = _open(qtbot, path)
    _close(qtbot, window)
    assert len(shown) == 1 and "personal data of Block Party has come" in shown[0]
    assert "1 households" in shown[0] and str(backup) in shown[0]  # what would go, said first
    assert NAME in _names(path) and backup.exists()  # Not now: nothing removed

    shown = _answer(monkeypatch, delete=True)
    window = _open(qtbot, path)  # asked again at the next launch
    try:
        assert len(shown) == 2  # the question, then what was removed
        assert "Personal data deleted" in shown[1] and str(backup) in shown[1]
        assert window.retention_status.text() == "Personal data deleted"
    finally:
        _close(qtbot, window)
    assert _names(path) == {""}
    assert _backups_naming(backup.parent) == []

    shown = _answer(monkeypatch, delete=True)
    _close(qtbot, _open(qtbot, path))
    assert shown == []  # purged: never asked again


def test_before_the_day_nothing_is_asked_and_setup_shows_the_day(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "party.checkin"
    when = date.today() - timedelta(days=3)
    _event(path, when, 30)
    shown = _answer(monkeypatch, delete=True)
    window = _open(qtbot, path)
    try:
        assert shown == []
        day = when + timedelta(days=30)
        assert window.retention_status.text() == f"Personal data to be deleted on {day:%Y-%m-%d}"
        form = window.findChild(EventDetailsForm)
        assert form is not None
        assert form.retention_spin.value() == 30
        form.retention_spin.setValue(60)
        form.save_button.click()
        later = when + timedelta(days=60)
        assert f"{later:%Y-%m-%d}" in form.retention_day.text()
        qtbot.waitUntil(lambda: f"{later:%Y-%m-%d}" in window.retention_status.text())
    finally:
        _close(qtbot, window)
    db = open_database(path)
    try:
        assert get_retention(db).days == 60
    finally:
        db.dispose()


def test_the_new_event_form_asks_for_the_retention(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "new.checkin"
    dialog = NewEventDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.retention.value() == 30  # the default
    qtbot.keyClicks(dialog.name, "Block Party")
    dialog.retention.setValue(14)
    dialog._create()
    assert dialog.created == path
    db = open_database(path)
    try:
        assert get_retention(db).days == 14
    finally:
        db.dispose()
    assert QApplication.activeModalWidget() is None


def test_the_export_pages_purge_removes_the_backups_and_exports_too(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "Backups and station files made before now still hold it: delete them"; a
    tester found 7 of 16 files in the event's folder still holding every name."""
    context = EventContext(demo_db, Station("Office"))
    assert context.unlock("secret")
    backup = backup_now(demo_db).path
    assert backup is not None and backup.exists()
    export_event(demo_db, tmp_path / "export")
    view = ExportView(context)
    qtbot.addWidget(view)
    view.show()
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    view.purge_phrase.setText("PURGE Test Party")
    view.purge_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=20000)
    assert "With it go 7 files the app made" in asked[0]  # the backup and six CSV files
    assert "Personal data removed from 30 attendees" in view.status.text()
    assert str(backup) in view.status.text()
    assert not backup.exists()
    assert not (tmp_path / "export" / "attendees.csv").exists()


def test_a_station_laptops_due_joined_copy_goes_at_launch_and_it_says_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.after_event.retention_prompt import purge_due_station_copies

    joined = tmp_path / "data" / "checkin" / "joined"  # XDG_DATA_HOME: tests/ui/conftest.py
    joined.mkdir(parents=True)
    due, later = joined / "aaaaaaaaaaaa-desk.checkin", joined / "bbbbbbbbbbbb-desk.checkin"
    _event(due, date.today() - timedelta(days=40), 30)
    _event(later, date.today() - timedelta(days=10), 30)
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, _t, text: said.append(text))
    )
    assert purge_due_station_copies() == [f"this station's copy of the event: {due}"]
    assert len(said) == 1 and str(due) in said[0]
    assert not due.exists() and later.exists()
    assert purge_due_station_copies() == [] and len(said) == 1  # nothing due: nothing said


def test_deleting_at_launch_needs_the_organiser_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever launches the app after the day may be a volunteer: Delete now asks for the
    organiser passphrase; a wrong one deletes nothing and the question comes back next time."""
    from PySide6.QtWidgets import QInputDialog

    path = tmp_path / "party.checkin"
    backup = _event(path, date.today() - timedelta(days=31), 30)
    db = open_database(path)
    try:
        events.set_passphrase(db, "correct horse battery")
    finally:
        db.dispose()
    typed: list[str] = []

    def exec_(dialog: QInputDialog) -> int:
        dialog.setTextValue(typed.pop(0))
        return QInputDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QInputDialog, "exec", exec_)
    typed.append("not the passphrase")
    shown = _answer(monkeypatch, delete=True)
    window = _open(qtbot, path)
    # Not deleted: the status bar must not say it was (a tester read "deleted on" as done).
    due = date.today() - timedelta(days=1)
    assert window.retention_status.text() == f"Personal data due for deletion since {due:%Y-%m-%d}"
    _close(qtbot, window)
    assert "Wrong passphrase: nothing was deleted" in "\n".join(shown)
    assert NAME in _names(path) and backup.exists()

    typed.append("correct horse battery")
    shown = _answer(monkeypatch, delete=True)
    _close(qtbot, _open(qtbot, path))
    assert "Personal data deleted" in shown[-1]
    assert _names(path) == {""} and _backups_naming(backup.parent) == []
