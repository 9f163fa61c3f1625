"""Station > Void a ticket… driven through its real widgets (issue 24): a scanned ticket, a
reason, a replacement printed at once; the voided ticket scans red at the desk with why and
when; the desk's Undo takes the void back; a whole stock sheet by its number."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin.codes import format_human
from checkin.paper.ticket_pdf import Face
from checkin.record import audit
from checkin.results import Tone
from checkin.store import Database
from checkin.ticketing import tickets
from tests.helpers.desk_helpers import (
    answer_lock,
    answered,
    first_code,
    live_checkins,
    undo_over,
)
from ui.app.shell import MainWindow
from ui.stations.void_dialog import VoidDialog

pytestmark = pytest.mark.gui


def _scan(qtbot: QtBot, widget: Any, code: str) -> None:
    qtbot.keyClicks(widget, code)  # no delay between keys, like a wedge scanner
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _printed(monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> list[Face]:
    faces: list[Face] = []

    def print_faces(given: list[Face], layout: str | None = None) -> tuple[bool, str]:
        faces.extend(given)
        return True, "Sent 1 page(s) to Desk printer"

    monkeypatch.setattr(window.desk.printer, "print_faces", print_faces)
    return faces


def _opened(qtbot: QtBot, window: MainWindow, *, sheet: bool = False) -> VoidDialog:
    action = window.void_sheet_action if sheet else window.void_action
    assert action in window.station_menu.actions()
    action.trigger()
    dialog = window.findChild(VoidDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_void_a_lost_ticket_with_a_replacement_printed_then_undo(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = first_code(demo_db)
    _scan(qtbot, window.desk.scan, person)
    answered(qtbot, window.desk)
    (meal, *_) = [
        t.code
        for t in (window.desk.person.person.tickets if window.desk.person.person else ())
        if t.type_name == "Meal"
    ]
    asked = answer_lock(monkeypatch, "secret")
    faces = _printed(monkeypatch, window)
    window.context.lock()

    dialog = _opened(qtbot, window)
    _scan(qtbot, dialog.code_edit, meal)  # the scanner's keys land in the dialog
    assert dialog.codes == [meal] and dialog.code_list.count() == 1
    assert "Meal No." in dialog.code_list.item(0).text()
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("lost"))
    assert dialog.replace_check.isChecked()
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    assert asked == [1]  # the organiser passphrase was asked for
    voided = tickets.get_ticket(demo_db, meal)
    assert voided is not None and voided.state == "void"
    assert dialog.outcome is not None
    (replacement,) = dialog.outcome.replacements
    assert [f.code for f in faces] == [replacement.code]  # printed at once
    assert "Replacements: Meal No." in dialog.status.text()
    dialog.close()

    # the voided ticket, scanned at the desk: red, with why and when
    _scan(qtbot, window.desk.scan, meal)
    answered(qtbot, window.desk)
    assert window.desk.banner.tone is Tone.ERROR
    assert window.desk.banner.title.text().startswith("Voided ticket (lost, ")

    # the desk's Undo takes the void back, and the replacement with it
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window.desk.activity.undo_last()
    undo_over(qtbot, window.desk)
    back, gone = tickets.get_ticket(demo_db, meal), tickets.get_ticket(demo_db, replacement.code)
    assert back is not None and back.state == "issued"
    assert gone is not None and gone.state == "void"
    assert audit.verify(demo_db).ok


def test_with_no_printer_the_replacement_is_shown_on_screen(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message said "show the code on screen for a phone photo" and nothing showed it (a
    tester at a table with no printer)."""
    person = first_code(demo_db)
    _scan(qtbot, window.desk.scan, person)
    answered(qtbot, window.desk)
    shown = window.desk.person.person
    (meal, *_) = [t.code for t in (shown.tickets if shown else ()) if t.type_name == "Meal"]
    answer_lock(monkeypatch, "secret")
    monkeypatch.setattr(
        window.desk.printer,
        "print_faces",
        lambda *_a, **_k: (False, "No printer: show the code on screen for a phone photo"),
    )
    dialog = _opened(qtbot, window)
    _scan(qtbot, dialog.code_edit, meal)
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    assert dialog.outcome is not None
    (replacement,) = dialog.outcome.replacements
    assert dialog.show_button.isVisible() and dialog.show_button.hasFocus()
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    screen = dialog.code_screen
    assert screen is not None and screen.isVisible()
    assert format_human(replacement.code) in screen.caption.text()
    assert not dialog.show_button.isVisible()  # the only one: shown
    qtbot.keyClick(screen, Qt.Key.Key_Space)  # any key closes it
    assert not screen.isVisible()


def test_a_guests_code_scanned_into_the_dialog_checks_them_in_at_the_desk(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    dialog = _opened(qtbot, window)
    _scan(qtbot, dialog.code_edit, first_code(demo_db, 3))
    answered(qtbot, window.desk)
    assert live_checkins(demo_db) == 1 and dialog.codes == []


def test_void_a_missing_stock_sheet_by_its_number(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tickets.create_stock(demo_db, "Raffle", 6, per_sheet=3)
    answer_lock(monkeypatch, "secret")
    dialog = _opened(qtbot, window, sheet=True)
    qtbot.waitUntil(dialog.sheet_spin.hasFocus)
    dialog.sheet_spin.setValue(2)
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("stolen"))
    asked: list[str] = []

    def question(*args: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    answers = [QMessageBox.StandardButton.No]  # asked first; No voids nothing
    qtbot.mouseClick(dialog.sheet_button, Qt.MouseButton.LeftButton)
    assert "stock sheet 2" in asked[0] and dialog.status.text() == "Nothing was voided."
    assert [t.state for t in (tickets.get_ticket(demo_db, m.code) for m in made) if t] == [
        "unassigned"
    ] * 6
    answers.append(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.sheet_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    states = [t.state if t else "" for t in (tickets.get_ticket(demo_db, m.code) for m in made)]
    assert states == ["unassigned"] * 3 + ["void"] * 3
    assert "Sheet 2: 3 ticket(s) voided." in dialog.status.text()


def test_nothing_is_voided_without_the_passphrase(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    (stock,) = tickets.create_stock(demo_db, "Raffle", 1)
    window.context.lock()
    answer_lock(monkeypatch, None)  # Cancel
    dialog = _opened(qtbot, window)
    _scan(qtbot, dialog.code_edit, stock.code)
    assert dialog.void() is None
    found = tickets.get_ticket(demo_db, stock.code)
    assert found is not None and found.state == "unassigned"
    assert "Locked" in dialog.status.text()
