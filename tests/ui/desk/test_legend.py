"""Shift+F1: every colour the banner can show has its meaning and sound in words, and the keys
are the ones F1 lists."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ui.desk.legend import LegendDialog
from ui.desk.shortcuts import shortcuts

pytestmark = pytest.mark.gui


def test_every_colour_is_explained_in_words(qtbot: QtBot) -> None:
    dialog = LegendDialog()
    qtbot.addWidget(dialog)
    assert {"saving", "repeat", "attention"} <= set(dialog.meanings)
    for name, meaning in dialog.meanings.items():
        # A tester saw the bare keys "saving" and "repeat" where the words should be.
        assert meaning.text() not in ("", name), name
        assert dialog.sounds[name].text() not in ("", name), name
    assert dialog.sounds["repeat"].text() == "one soft tick"
    listed = dialog.keys.text().splitlines()
    assert listed == [f"{key}:  {text}" for key, text in shortcuts()]
    assert any(line.startswith("Shift+F1:") for line in listed)
