"""The attendee list's "Withdraw contact consent…" (issue 24) through the real widgets: the
organiser picks a household, confirms, and its phone and email are gone for good."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.record import audit
from checkin.results import Station
from checkin.store import Database
from ui.core.context import EventContext
from ui.people.attendee_table import AttendeeTable

pytestmark = pytest.mark.gui
PHONE = "8165550199"


@pytest.fixture
def table(qtbot: QtBot, db: Database) -> AttendeeTable:
    attendees.register(db, Station("Desk 1"), first_name="Ana", adults=1)
    attendees.register(
        db, Station("Desk 1"), first_name="Rosa", phone=PHONE, email="r@example.org", consent=True
    )
    context = EventContext(db, Station("Desk 1"))
    shown = AttendeeTable(context)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _select(table: AttendeeTable, row: int) -> None:
    table.view.selectionModel().select(
        table.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_withdraw_removes_the_phone_after_a_confirmation(
    qtbot: QtBot, table: AttendeeTable, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not table.withdraw_button.isEnabled()  # locked, nothing selected
    assert table._context.unlock("secret")
    assert not table.withdraw_button.isEnabled()  # nothing selected
    _select(table, 1)
    assert table.withdraw_button.isEnabled()
    assert table.withdraw_action in table.view.actions()  # the list's context menu
    assert table.view.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    code = table.selected_row().code  # type: ignore[union-attr]
    qtbot.mouseClick(table.withdraw_button, Qt.MouseButton.LeftButton)
    assert asked and "Rosa" in asked[0] and "cannot be undone" in asked[0]
    qtbot.waitUntil(lambda: "withdrawn" in table.status_label.text(), timeout=15000)
    person = attendees.get_attendee(db, code)
    assert person is not None
    assert (person.phone, person.email, person.consent) == ("", "", False)
    assert person.contact_withdrawn_at is not None
    assert audit.verify(db).ok


def test_no_answers_no_withdrawal(
    qtbot: QtBot, table: AttendeeTable, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert table._context.unlock("secret")
    _select(table, 1)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    code = table.selected_row().code  # type: ignore[union-attr]
    assert table.withdraw_selected() is None
    person = attendees.get_attendee(db, code)
    assert person is not None and person.phone == PHONE


def test_the_lock_disables_it_again(table: AttendeeTable) -> None:
    assert table._context.unlock("secret")
    _select(table, 1)
    assert table.withdraw_button.isEnabled()
    table._context.lock()
    assert not table.withdraw_button.isEnabled() and not table.withdraw_action.isEnabled()
