"""The main window's tabs by keyboard (issue 20, problem 14): Ctrl+Tab and Ctrl+Shift+Tab move
between them from anywhere, and the tab bar shows when it has the keyboard focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from checkin.store import Database
from tests.helpers.desk_helpers import shown_window
from ui.app.shell import MainWindow
from ui.core import appearance

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> MainWindow:
    return shown_window(qtbot, demo_db, size=(1366, 728))


def test_ctrl_tab_and_ctrl_shift_tab_switch_tabs_from_the_scan_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Tab, ctrl)
    assert window.tabs.currentIndex() == 1
    assert window.desk.scan.text() == ""
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_Backtab, ctrl | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.tabs.currentIndex() == 0
    # Backwards from the first tab wraps round to the last.
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_Backtab, ctrl | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.tabs.currentIndex() == window.tabs.count() - 1


def _current_tab(window: MainWindow) -> QImage:
    bar = window.tabs.tabBar()
    return bar.grab(bar.tabRect(bar.currentIndex())).toImage()


@pytest.mark.parametrize("theme", appearance.THEMES)
def test_the_tab_bar_shows_it_has_the_focus(qtbot: QtBot, window: MainWindow, theme: str) -> None:
    appearance.set_theme(theme)
    try:
        qtbot.wait(10)
        unfocused = _current_tab(window)
        window.tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(window.tabs.tabBar().hasFocus)
        focused = _current_tab(window)
        changed = sum(
            focused.pixel(x, y) != unfocused.pixel(x, y)
            for x in range(focused.width())
            for y in range(focused.height())
        )
        # A mark round the tab, not a pixel or two of anti-aliasing.
        assert changed >= focused.width() + focused.height(), changed
    finally:
        appearance.set_theme("default")


def test_ctrl_tab_never_sends_what_was_typed(qtbot: QtBot, window: MainWindow) -> None:
    scans: list[str] = []
    window.desk.scan.scanned.connect(scans.append)
    window.desk.scan.setText("maria")
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1 and scans == []
