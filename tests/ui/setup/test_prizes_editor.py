"""The prizes and rules editor that Setup embeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from checkin import raffle
from checkin.raffle import RaffleRules
from checkin.results import Station
from checkin.store import Database, WinLimit
from ui.core.context import EventContext
from ui.setup.prizes_editor import PrizesEditor

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot: QtBot, db: Database) -> PrizesEditor:
    widget = PrizesEditor(EventContext(db, Station("Setup")))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def cell(editor: PrizesEditor, row: int, column: int) -> str:
    item = editor.table.item(row, column)
    assert item is not None
    return item.text()


def add(
    qtbot: QtBot, editor: PrizesEditor, name: str, quantity: int = 1, sponsor: str = ""
) -> None:
    editor.name_edit.setText(name)
    editor.quantity_spin.setValue(quantity)
    editor.sponsor_edit.setText(sponsor)
    QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)


def test_add_edit_reorder_and_remove_prizes(
    qtbot: QtBot, editor: PrizesEditor, db: Database
) -> None:
    add(qtbot, editor, "Bicycle", 2, "Bike Co-op")
    add(qtbot, editor, "Tablet")
    assert [(p.name, p.quantity, p.sponsor) for p in raffle.list_prizes(db)] == [
        ("Bicycle", 2, "Bike Co-op"),
        ("Tablet", 1, ""),
    ]
    assert editor.table.rowCount() == 2 and cell(editor, 1, 0) == "Tablet"
    # The new prize is selected: move it first, rename it.
    QTest.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in raffle.list_prizes(db)] == ["Tablet", "Bicycle"]
    editor.name_edit.setText("Tablet (10 inch)")
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert raffle.list_prizes(db)[0].name == "Tablet (10 inch)"
    QTest.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in raffle.list_prizes(db)] == ["Bicycle"]
    assert editor.status_label.text() == "Prize removed"


def test_refusals_show_in_the_status_line(qtbot: QtBot, editor: PrizesEditor) -> None:
    add(qtbot, editor, "Bicycle")
    add(qtbot, editor, "bicycle")
    assert "already a prize called bicycle" in editor.status_label.text()
    add(qtbot, editor, "   ")
    assert editor.status_label.text() == "A prize needs a name"
    assert editor.table.rowCount() == 1


def test_rules_are_loaded_and_saved(qtbot: QtBot, editor: PrizesEditor, db: Database) -> None:
    assert editor.checked_in_box.isChecked()
    assert editor.one_win_combo.currentData() == "household"
    assert not editor.cutoff_box.isChecked() and not editor.cutoff_edit.isEnabled()
    editor.checked_in_box.setChecked(False)
    editor.one_win_combo.setCurrentIndex(editor.one_win_combo.findData("person"))
    editor.cutoff_box.setChecked(True)
    moment = datetime(2030, 6, 1, 18, 30, tzinfo=UTC)
    editor.cutoff_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
    editor.redraw_spin.setValue(5)
    QTest.mouseClick(editor.rules_button, Qt.MouseButton.LeftButton)
    assert raffle.get_rules(db) == RaffleRules(
        False, WinLimit.PERSON, datetime(2030, 6, 1, 18, 30), 5
    )
    assert editor.status_label.text() == "Rules saved"
