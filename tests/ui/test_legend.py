"""Help > Colours and sounds (Shift+F1; F1 is the volunteer guide) shows what the banner's
colours and sounds mean, with the shortcuts (issue 12, problem 17)."""

from __future__ import annotations

import pytest
from desk_helpers import open_main_window
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from checkin.store import Database
from ui.desk.banner import STYLE
from ui.desk.sounds import KINDS

pytestmark = pytest.mark.gui


def test_the_legend_shows_the_colours_sounds_and_shortcuts(qtbot: QtBot, demo_db: Database) -> None:
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.legend_action.shortcut() == QKeySequence("Shift+F1")
    assert window.legend_action in window.help_menu.actions()
    window.legend_action.trigger()
    qtbot.waitUntil(lambda: window.legend is not None and window.legend.isVisible())
    legend = window.legend
    assert legend is not None
    # One row per banner colour, each with its symbol, words and sound.
    for key, (background, _fg, symbol) in STYLE.items():
        name = str(getattr(key, "value", key))
        assert legend.swatches[name].text() == symbol
        assert background in legend.swatches[name].styleSheet()
        assert legend.meanings[name].text()
    for kind in KINDS:
        assert legend.sounds[kind].text() not in ("", "no sound")
    assert "rising chime" in legend.sounds["success"].text()
    assert "Ctrl+Z" in legend.keys.text() and "F2" in legend.keys.text()
