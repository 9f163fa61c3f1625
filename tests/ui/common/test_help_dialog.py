"""F1 shows the volunteer guide (the printed page's own text) and the keys, in the app's
language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin.paper.guide import guide
from checkin.store import Database
from tests.helpers.desk_helpers import open_main_window
from ui.common.help_dialog import HelpDialog

pytestmark = pytest.mark.gui


def _open_help(qtbot: QtBot, db: Database) -> HelpDialog:
    window = open_main_window(db)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)  # as a volunteer presses it
    dialog = window.findChild(HelpDialog)
    assert dialog is not None, "F1 opened no help"
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_f1_shows_the_guide_and_the_keys(qtbot: QtBot, db: Database) -> None:
    dialog = _open_help(qtbot, db)
    text = dialog.browser.toPlainText()
    english = guide("en")
    for line in (*english.scan.lines, *english.sections[1].lines, english.tones[2].examples):
        assert line in text
    assert "Ctrl+Z" in text and "register a walk-up" in text
    assert dialog.windowTitle() == "Help: volunteer guide and keyboard shortcuts"
    assert dialog.width() <= 1366 and dialog.height() <= 740


def test_f1_in_spanish_shows_the_spanish_guide(qtbot: QtBot, db: Database, spanish: None) -> None:
    dialog = _open_help(qtbot, db)
    text = dialog.browser.toPlainText()
    assert dialog.language == "es"
    for section in guide("es").sections:
        assert section.title in text
        assert all(line in text for line in section.lines)
    assert "registrar a alguien sin registro previo" in text  # the keys, translated
    assert "How to scan" not in text
