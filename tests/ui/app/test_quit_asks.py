"""Ctrl+Q during the event (issue 20, problem 14): it closed the desk at once, a key away from
Ctrl+Tab and Ctrl+W; now it asks, with "Keep it open" the default (a scanner's Enter keeps
the desk), and before anyone is checked in it still closes at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin.store import Database
from tests.helpers.desk_helpers import first_code, scan_and_wait
from ui.app.shell import MainWindow

pytestmark = pytest.mark.gui


def _answer(monkeypatch: pytest.MonkeyPatch, close: bool) -> list[str]:
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        default = box.defaultButton()
        other = next(b for b in box.buttons() if b is not default)
        (other if close else default).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def _checked_in(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    scan_and_wait(qtbot, window.desk, first_code(db))
    qtbot.waitUntil(
        lambda: (
            window.desk.counters.summary is not None
            and window.desk.counters.summary.people_checked_in > 0
        )
    )


def test_ctrl_q_mid_event_asks_and_keeps_the_desk_by_default(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _checked_in(qtbot, window, demo_db)
    asked = _answer(monkeypatch, close=False)
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1 and window.isVisible()


def test_ctrl_q_closes_when_the_volunteer_says_so(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _checked_in(qtbot, window, demo_db)
    asked = _answer(monkeypatch, close=True)
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1
    qtbot.waitUntil(lambda: not window.isVisible())


def test_before_the_first_check_in_ctrl_q_closes_without_a_question(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: window.desk.counters.summary is not None)
    asked = _answer(monkeypatch, close=False)
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert asked == []
    qtbot.waitUntil(lambda: not window.isVisible())
