"""The scan field: Enter (or Tab after a whole code) ends a typed code, a lone Tab moves on,
typing searches, Up/Down move, Ctrl+Z is the desk's (the scanner's bursts are the scan router's:
tests/ui/core/test_scan_router.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from checkin.codes import CodeKind, format_human, make_code
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


# The shape of a code typed by hand (the field does not check the event's key).
TYPED_CODE = format_human(make_code(CodeKind.ATTENDEE, "TV1", b"k" * 32).value)


@pytest.mark.parametrize("terminator", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_ends_a_scan(qtbot: QtBot, terminator: Qt.Key) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    with qtbot.waitSignal(field.scanned) as got:
        qtbot.keyClicks(field, "TV14-0HBC")
        qtbot.keyClick(field, terminator)
    assert got.args == ["TV14-0HBC"]
    assert field.text() == ""


def _field_and_next(qtbot: QtBot, box: QWidget) -> tuple[ScanField, QLineEdit]:
    field = ScanField(box)
    after = QLineEdit(box)  # the next widget Tab moves to
    after.move(0, 40)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    return field, after


def test_tab_after_a_whole_code_typed_by_hand_ends_it_without_moving_focus(qtbot: QtBot) -> None:
    box = QWidget()
    field, _after = _field_and_next(qtbot, box)
    with qtbot.waitSignal(field.scanned) as got:
        for ch in TYPED_CODE:  # by hand: the app's scan router takes a scanner's burst itself
            qtbot.keyClick(field, ch)
            qtbot.wait(40)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert got.args == [TYPED_CODE]
    assert field.hasFocus()


@pytest.mark.parametrize("typed", ["", "maria"])
def test_a_persons_tab_leaves_the_field(qtbot: QtBot, typed: str) -> None:
    """Found by a tester (issue 20, problem 14): Tab could never leave the scan field. A
    scanner's Tab never reaches it (the scan router swallows a burst's terminator), so a Tab
    here is a person's: it moves on, and a name being searched is not sent as a code."""
    box = QWidget()
    field, after = _field_and_next(qtbot, box)
    scans: list[str] = []
    field.scanned.connect(scans.append)
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus)
    assert scans == [] and field.text() == typed


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
