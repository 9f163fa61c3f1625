"""Issue 25: the import preview of a workbook offers its sheets (the registration list chosen
first), says where the header was found, and imports the sheet chosen in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog
from pytestqt.qtbot import QtBot

from checkin.people.listing import iter_attendees
from checkin.results import Station
from checkin.store import Database
from tests.helpers.import_samples import SAMPLES
from ui.core.context import EventContext
from ui.people.attendee_table import AttendeeTable
from ui.people.import_preview_dialog import ImportPreviewDialog

pytestmark = pytest.mark.gui


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Open the drop-down and click the entry ``text``, as a person would."""
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = view.model().index(combo.findText(text), 0)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: not view.isVisible())


def test_choose_a_sheet_then_import_it(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = EventContext(db, Station("Desk 1"))
    assert context.unlock("secret")
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    filters: list[str] = []

    def pick_file(*args: object, **_kwargs: object) -> tuple[str, str]:
        filters.append(str(args[3]))
        return str(SAMPLES / "organiser-workbook.xlsx"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick_file)
    qtbot.mouseClick(table.import_button, Qt.MouseButton.LeftButton)
    assert "*.xlsx" in filters[0] and "*.ods" in filters[0] and "*.xls " in filters[0]
    dialog = table.import_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.import_button.isEnabled())
    sheets = dialog.sheet_combo
    assert sheets.isVisible()
    assert [sheets.itemText(i) for i in range(sheets.count())] == [
        "Instructions",
        "Sign-ups",
        "Volunteers",
    ]
    assert sheets.currentText() == "Sign-ups"
    assert dialog.header_label.text() == (
        "Header found on line 4; the 2 lines above it are not imported"
    )
    assert dialog.counts_label.text().startswith("To import: 4")

    before = dialog.report
    choose(qtbot, sheets, "Volunteers")
    qtbot.waitUntil(lambda: dialog.report is not before and dialog.import_button.isEnabled())
    assert dialog.counts_label.text().startswith("To import: 2")
    assert dialog.header_label.text() == ""  # the header is on line 1 there
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [(r.first_name, r.last_name) for r in iter_attendees(db)] == [
        ("Dana", "Price"),
        ("Sam", "Ortiz"),
    ]


def test_a_text_file_shows_no_sheets(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("First name,Last name\nAna,Diaz\n", encoding="utf-8")
    dialog = ImportPreviewDialog(EventContext(db, Station("Desk 1")), path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert not dialog.sheet_combo.isVisible()


def test_the_preview_says_the_grouping_and_changes_it(qtbot: QtBot, db: Database) -> None:
    path = SAMPLES / "pretix-order-positions.csv"
    dialog = ImportPreviewDialog(EventContext(db, Station("Desk 1")), path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.import_button.isEnabled())
    grouping = dialog.group_combo
    assert grouping.currentData() == "family"
    assert grouping.currentText() == (
        "A row per person: one order's rows with the same surname or address"
    )
    assert dialog.group_guess.text() == "(guessed from the file)"
    assert dialog.counts_label.text().startswith("To import: 4")

    before = dialog.report
    choose(qtbot, grouping, "The rows of one order are one household")
    qtbot.waitUntil(lambda: dialog.report is not before and dialog.import_button.isEnabled())
    assert dialog.counts_label.text().startswith("To import: 3")
    assert dialog.group_guess.text() == ""
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [(r.first_name, r.adults + r.kids) for r in iter_attendees(db)] == [
        ("Grace", 3),
        ("Sam", 2),
        ("Rita", 1),
    ]
