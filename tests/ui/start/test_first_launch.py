"""First launch (issue 12, problem 17): a language choice on the welcome screen, the volunteer
and station asked before the first scan, a new event from a template or empty with a short
checklist."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from checkin.event_templates import BLOCK_PARTY, EMPTY
from checkin.store import Database, open_database
from checkin.ticketing.tickets import list_ticket_types
from tests.helpers.desk_helpers import open_main_window
from ui.app.launch import open_window
from ui.core import appearance
from ui.setup.setup_checklist import ChecklistDialog
from ui.start.first_launch import FirstLaunchDialog
from ui.start.start_choice import NewEventDialog, StartChoice

pytestmark = pytest.mark.gui


def test_the_welcome_screen_offers_the_language(qtbot: QtBot, tmp_path: Path) -> None:
    chooser = StartChoice(tmp_path / "event.checkin")
    qtbot.addWidget(chooser)
    assert chooser.new_button.text() == "Create a &new event…"
    try:
        chooser.language.setCurrentIndex(chooser.language.findData("es"))
        assert appearance.language() == "es"
        qtbot.waitUntil(lambda: chooser.new_button.text() == "Crear un evento &nuevo…")
    finally:
        appearance.set_language("en")


def _new_event(qtbot: QtBot, tmp_path: Path, template: str) -> Path:
    form = NewEventDialog(tmp_path / f"{template}.checkin")
    qtbot.addWidget(form)
    form.name.setText("Ol' Skool Block Party")
    form.passphrase.setText("sunny day")
    form.again.setText("sunny day")
    form.template.setCurrentIndex(form.template.findData(template))
    form._create()
    assert form.created is not None
    return form.created


def test_a_block_party_starts_with_its_ticket_types(qtbot: QtBot, tmp_path: Path) -> None:
    db = open_database(_new_event(qtbot, tmp_path, BLOCK_PARTY))
    try:
        names = [t.name for t in list_ticket_types(db)]
        assert names == ["Raffle", "Meal", "Backpack", "Resource referral"]
        checklist = ChecklistDialog(db)
        qtbot.addWidget(checklist)
        done = {item.key: item.done for item in checklist.items}
        assert done["ticket_types"] and done["passphrase"]
        assert not done["prizes"] and not done["stock"] and not done["backup_folder"]
    finally:
        db.dispose()


def test_an_empty_event_gets_a_checklist_over_the_desk(qtbot: QtBot, tmp_path: Path) -> None:
    db = open_database(_new_event(qtbot, tmp_path, EMPTY))
    try:
        assert list_ticket_types(db) == []
        window = open_main_window(db)
        qtbot.addWidget(window)
        window.show()
        checklist = window.show_checklist()
        assert checklist.isVisible()
        assert checklist.rows[0].text().startswith("☐  Ticket types")
        checklist.accept()
    finally:
        db.dispose()


def test_first_launch_asks_volunteer_and_station_before_the_desk(
    qtbot: QtBot, demo_db: Database, db_path: Path
) -> None:
    answers: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstLaunchDialog)
        dialog.buttons.accepted.emit()  # nothing typed: refused with a message
        assert dialog.isVisible() and dialog.error.isVisible()
        dialog.volunteer.setText("Ana")
        dialog.station_name.setText("Front table")
        answers.append("asked")
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, answer)
    window = open_window(str(db_path))
    assert window is not None  # deleted when closed (not handed to qtbot)
    assert answers == ["asked"]
    assert window.context.station.name == "Front table"
    assert window.context.station.volunteer == "Ana"
    window.close()
    again = open_window(str(db_path))  # remembered: no question the second time
    assert again is not None
    assert again.context.station.name == "Front table"
    again.close()
