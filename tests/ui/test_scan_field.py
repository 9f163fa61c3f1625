"""Telling a scanner from a person by the rhythm of the keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ui.desk.scan_field import SILENCE_MS, ScanField, ScannerGuard

pytestmark = pytest.mark.gui


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def type_text(qtbot: QtBot, widget: QWidget, text: str, clock: FakeClock, gap: float) -> None:
    for ch in text:
        clock.now += gap
        qtbot.keyClicks(widget, ch)


@pytest.mark.parametrize("terminator", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab])
def test_enter_or_tab_ends_a_scan(qtbot: QtBot, terminator: Qt.Key) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    with qtbot.waitSignal(field.scanned) as got:
        qtbot.keyClicks(field, "TV14-0HBC")
        qtbot.keyClick(field, terminator)
    assert got.args == ["TV14-0HBC"]
    assert field.text() == ""


def test_tab_ends_a_scan_without_moving_focus(qtbot: QtBot) -> None:
    box = QWidget()
    field = ScanField(box)
    QLineEdit(box).move(0, 40)  # the next widget Tab would normally move to
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "TV14-0HBC")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert field.hasFocus()


def test_a_burst_with_no_terminator_ends_after_silence(qtbot: QtBot) -> None:
    clock = FakeClock()
    field = ScanField(clock=clock)
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.scanned, timeout=SILENCE_MS * 10) as got:
        type_text(qtbot, field, "AV14RK2N1WYG1DBCZTQA", clock, gap=0.004)
    assert got.args == ["AV14RK2N1WYG1DBCZTQA"]


def test_a_person_typing_searches_and_never_scans(qtbot: QtBot) -> None:
    clock = FakeClock()
    field = ScanField(clock=clock)
    qtbot.addWidget(field)
    scans: list[str] = []
    field.scanned.connect(scans.append)
    with qtbot.waitSignal(field.searchChanged, timeout=2000) as got:
        type_text(qtbot, field, "maria gar", clock, gap=0.15)
    assert got.args == ["maria gar"]
    qtbot.wait(SILENCE_MS * 3)
    assert scans == []


def test_up_and_down_move_through_results(qtbot: QtBot) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.navigate) as got:
        qtbot.keyClick(field, Qt.Key.Key_Down)
    assert got.args == [1]


def test_guard_leaves_a_person_typing_in_another_field_alone(qtbot: QtBot) -> None:
    clock = FakeClock()
    field = ScanField()
    guard = ScannerGuard(clock=clock)
    other = QLineEdit()
    qtbot.addWidget(field)
    qtbot.addWidget(other)
    other.show()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    QApplication.instance().installEventFilter(guard)  # type: ignore[union-attr]
    try:
        scans: list[str] = []
        guard.scanned.connect(scans.append)
        type_text(qtbot, other, "Maria Jose", clock, gap=0.12)
        assert other.text() == "Maria Jose"
        assert scans == []
        clock.now += 1.0  # the volunteer stops typing and picks up the scanner
        with qtbot.waitSignal(guard.scanned, timeout=2000) as got:
            type_text(qtbot, other, "TV140HBC8YYQY5KE8HNJ", clock, gap=0.003)
        assert got.args == ["TV140HBC8YYQY5KE8HNJ"]
        assert other.text() == "Maria Jose"
    finally:
        QApplication.instance().removeEventFilter(guard)  # type: ignore[union-attr]


def test_ctrl_z_never_brings_a_scanned_code_back(qtbot: QtBot) -> None:
    """The field empties after each scan; its text undo would refill it with the last code (and
    Enter would scan it again). Ctrl+Z is the desk's Undo, never the field's."""
    field = ScanField()
    qtbot.addWidget(field)
    seen: list[str] = []
    field.scanned.connect(seen.append)
    qtbot.keyClicks(field, "A25ABHZFTTKS37X46DP0")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert seen == ["A25ABHZFTTKS37X46DP0"] and field.text() == ""
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == ""
