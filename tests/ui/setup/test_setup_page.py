"""Setup: locked without the passphrase; once unlocked the event details, ticket types and
stations are edited through the real widgets and land in the event file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from checkin.event import events
from checkin.results import Station, StationMode
from checkin.stations import setup as stations
from checkin.store import Database, TicketKind
from checkin.ticketing import tickets
from tests.helpers.desk_helpers import checked
from ui.core.context import EventContext
from ui.core.organiser_lock import OrganiserLockDialog
from ui.setup.prizes_editor import PrizesEditor
from ui.setup.setup_page import SetupPage, SetupSections

pytestmark = pytest.mark.gui

TS_QM = Path("resources/translations/checkin_es.qm")


@pytest.fixture
def context(db: Database) -> EventContext:
    return EventContext(db, Station("Setup laptop"))


@pytest.fixture
def page(qtbot: QtBot, context: EventContext) -> SetupPage:
    widget = SetupPage(context)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _answer_lock(passphrase: str, seen: list[str]) -> None:
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, OrganiserLockDialog)
        dialog.passphrase_edit.setText(passphrase)
        dialog.try_unlock()
        checked(dialog)
        if dialog.isVisible():  # refused: note the message, then give up
            seen.append(dialog.error_label.text())
            dialog.reject()

    QTimer.singleShot(0, act)


def sections(page: SetupPage) -> SetupSections:
    assert page.sections is not None and not page.locked
    return page.sections


def test_locked_screen_refuses_without_the_passphrase(
    qtbot: QtBot, page: SetupPage, context: EventContext
) -> None:
    assert page.locked and page.sections is None
    assert page.lock_title.isVisible() and page.unlock_button.isVisible()
    seen: list[str] = []
    _answer_lock("wrong", seen)
    QTest.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert seen and "Wrong passphrase" in seen[0]
    assert page.locked and page.sections is None  # nothing with personal data was even built
    _answer_lock("secret", seen)
    QTest.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert not page.locked and sections(page).isVisible()
    # Lock again: back to the panel.
    QTest.mouseClick(sections(page).lock_button, Qt.MouseButton.LeftButton)
    assert page.locked and not context.organiser_unlocked


def test_event_details_and_passphrase(
    qtbot: QtBot, page: SetupPage, context: EventContext, db: Database
) -> None:
    assert context.unlock("secret")
    form = sections(page).event_form
    assert form.name_edit.text() == "Test Party"
    form.name_edit.setText("Block Party 2026")
    form.location_edit.setText("Sycamore Park, north lawn")
    form.date_box.setChecked(True)
    form.date_edit.setDate(QDate(2026, 7, 4))
    with qtbot.waitSignal(context.changed):
        QTest.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    info = events.get_event(db)
    assert (info.name, info.location, info.date) == (
        "Block Party 2026",
        "Sycamore Park, north lawn",
        date(2026, 7, 4),
    )
    assert context.info.name == "Block Party 2026"
    # Passphrase twice: a mismatch and a short one are refused with a message.
    form.passphrase_edit.setText("new-pass-1")
    form.repeat_edit.setText("new-pass-2")
    QTest.mouseClick(form.passphrase_button, Qt.MouseButton.LeftButton)
    assert "differ" in form.status_label.text() and events.check_passphrase(db, "secret")
    form.passphrase_edit.setText("abc")
    form.repeat_edit.setText("abc")
    assert not form.change_passphrase() and "at least" in form.status_label.text()
    form.passphrase_edit.setText("new-pass-1")
    form.repeat_edit.setText("new-pass-1")
    QTest.mouseClick(form.passphrase_button, Qt.MouseButton.LeftButton)
    assert events.check_passphrase(db, "new-pass-1") and not events.check_passphrase(db, "secret")
    assert form.passphrase_edit.text() == ""


def test_ticket_types_add_edit_delete(
    qtbot: QtBot, page: SetupPage, context: EventContext, db: Database
) -> None:
    assert context.unlock("secret")
    table = sections(page).ticket_types
    table.kind_combo.setCurrentIndex(table.kind_combo.findData("resource"))
    table.name_edit.setText("Backpack")
    table.rule_combo.setCurrentIndex(table.rule_combo.findData("per_kid"))
    table.quantity_spin.setValue(1)
    table.stock_box.setChecked(True)
    table.stock_spin.setValue(150)
    table.stations_edit.setText("School supplies, Desk 1")
    table.partner_edit.setPlainText("Library: 555-0142")
    assert not table.at_checkin_spin.isEnabled()
    table.at_checkin_box.setChecked(True)
    assert table.at_checkin_spin.isEnabled() and table.at_checkin_spin.text() == "All"
    with qtbot.waitSignal(context.changed):
        QTest.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    info = tickets.list_ticket_types(db)[0]
    assert (info.name, info.kind, info.rule, info.stock) == ("Backpack", "resource", "per_kid", 150)
    assert info.stations == ("School supplies", "Desk 1")
    assert info.partner_text == "Library: 555-0142" and info.issue_at_checkin
    assert info.at_checkin is None and table.table.item(0, 6).text() == "All"  # type: ignore[union-attr]
    # One of the allowance at check-in, the rest from pre-printed stock.
    table.at_checkin_spin.setValue(1)
    QTest.mouseClick(table.save_button, Qt.MouseButton.LeftButton)
    assert tickets.list_ticket_types(db)[0].at_checkin == 1
    assert table.table.item(0, 6).text() == "1"  # type: ignore[union-attr]
    assert table.table.rowCount() == 1 and table.current() is not None
    # Edit the selected type.
    table.stock_spin.setValue(120)
    table.name_edit.setText("School backpack")
    QTest.mouseClick(table.save_button, Qt.MouseButton.LeftButton)
    info = tickets.list_ticket_types(db)[0]
    assert (info.name, info.stock) == ("School backpack", 120)
    assert table.table.item(0, 3).text() == "120"  # type: ignore[union-attr]
    # A refused add shows the reason instead of raising.
    table.name_edit.setText("School backpack")
    assert not table.add_type()
    assert "already" in table.status_label.text()
    # Delete, with the confirmation answered.
    table.table.selectRow(0)
    table.confirm = lambda question: "School backpack" in question
    QTest.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert tickets.list_ticket_types(db) == [] and table.table.rowCount() == 0


def test_stations_and_sections_present(
    qtbot: QtBot, page: SetupPage, context: EventContext, db: Database
) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    assert context.unlock("secret")
    setup = sections(page)
    assert isinstance(setup.prizes, PrizesEditor)
    assert setup.tabs.count() == 5
    table = setup.stations
    table.name_edit.setText("Food tent")
    table.mode_combo.setCurrentIndex(table.mode_combo.findData(StationMode.RESOURCE.value))
    assert table.type_combo.isEnabled() and table.type_combo.currentText() == "Meal"
    QTest.keyClick(table.name_edit, Qt.Key.Key_Return)
    assert stations.list_stations(db) == [Station("Food tent", StationMode.RESOURCE, "Meal")]
    table.name_edit.setText("Prizes")
    table.mode_combo.setCurrentIndex(table.mode_combo.findData(StationMode.PRIZE.value))
    assert not table.type_combo.isEnabled()
    assert table.save_station()
    assert [s.name for s in stations.list_stations(db)] == ["Food tent", "Prizes"]
    table.name_edit.setText("   ")
    assert not table.save_station() and "name" in table.status_label.text()


def _named(widget: QWidget) -> bool:
    """A screen reader has something to say: an accessible name, or a button's own text."""
    if widget.accessibleName():
        return True
    return isinstance(widget, QAbstractButton) and bool(widget.text().replace("&", ""))


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, page: SetupPage, context: EventContext
) -> None:
    assert context.unlock("secret")
    setup = sections(page)
    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTableView)
    controls = [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, kinds)
        # The line edit inside a spin box or combo box is named by its parent.
        and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert len(controls) > 30
    unnamed = [f"{type(w).__name__} {w.objectName()}" for w in controls if not _named(w)]
    assert unnamed == []
    assert setup.tabs.isVisible()


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).casefold() if match else None


@pytest.mark.parametrize("spanish", [False, True])
def test_keyboard_accelerators_do_not_clash(
    qtbot: QtBot, context: EventContext, spanish: bool
) -> None:
    """Alt+letter reaches one field per section: the tabs' letters plus that section's own."""
    translator = QTranslator()
    if spanish:
        assert translator.load(str(Path(__file__).parents[3] / TS_QM))
        QCoreApplication.installTranslator(translator)
    try:
        assert context.unlock("secret")
        page = SetupPage(context)
        qtbot.addWidget(page)
        setup = sections(page)
        tabs = [_mnemonic(setup.tabs.tabText(i)) or "" for i in range(setup.tabs.count())]
        assert "" not in tabs and len(set(tabs)) == len(tabs)
        for index in range(setup.tabs.count()):
            section = setup.tabs.widget(index)
            assert section is not None
            letters = list(tabs)
            for widget in section.findChildren(QWidget):
                if isinstance(widget, (QLabel, QAbstractButton)):
                    letter = _mnemonic(widget.text())
                    if letter is not None:
                        letters.append(letter)
            clashes = sorted({x for x in letters if letters.count(x) > 1})
            assert clashes == [], f"section {setup.tabs.tabText(index)!r}: {clashes}"
    finally:
        QCoreApplication.removeTranslator(translator)
