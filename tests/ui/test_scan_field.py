"""The scan field: Enter or Tab ends a typed code, typing searches, Up/Down move, Ctrl+Z is the
desk's (the scanner's bursts are the scan router's: tests/ui/test_scan_router.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ui.desk.scan_field import ScanField

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


def test_a_person_typing_searches_and_never_scans(qtbot: QtBot) -> None:
    clock = FakeClock()
    field = ScanField()
    qtbot.addWidget(field)
    scans: list[str] = []
    field.scanned.connect(scans.append)
    with qtbot.waitSignal(field.searchChanged, timeout=2000) as got:
        type_text(qtbot, field, "maria gar", clock, gap=0.15)
    assert got.args == ["maria gar"]
    qtbot.wait(300)
    assert scans == []


def test_up_and_down_move_through_results(qtbot: QtBot) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.navigate) as got:
        qtbot.keyClick(field, Qt.Key.Key_Down)
    assert got.args == [1]


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
