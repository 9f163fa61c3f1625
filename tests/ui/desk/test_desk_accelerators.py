"""Alt+letter on the desk reaches one thing: the menu bar's menus and the desk's own fields and
buttons use different letters, in English and in Spanish."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from checkin.store import Database
from tests.helpers.desk_helpers import open_main_window
from ui.core import appearance

pytestmark = pytest.mark.gui


def _letter(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).casefold() if match else None


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_desk_and_the_menu_bar_use_different_letters(
    qtbot: QtBot, demo_db: Database, language: str
) -> None:
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    try:
        assert appearance.set_language(language)
        QApplication.processEvents()
        menus = [_letter(action.text()) for action in window.menuBar().actions()]
        assert None not in menus and len(set(menus)) == len(menus), menus
        desk = window.desk
        own: list[str] = []
        for widget in desk.findChildren(QLabel) + desk.findChildren(QAbstractButton):
            letter = _letter(widget.text())
            if widget.isVisible() and letter is not None:
                own.append(letter)
        assert own, "the desk has accelerators"
        letters = own + [m for m in menus if m is not None]  # none is None (above)
        clashes = sorted({x for x in letters if letters.count(x) > 1})
        assert clashes == [], clashes
    finally:
        appearance.set_language("en")
