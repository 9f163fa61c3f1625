"""The walk-up's household (issue 20, problem 14): no adults with kids is a household; an empty
one is refused with words, never changed behind the volunteer's back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.desk.walkup_dialog import WalkupDialog

pytestmark = pytest.mark.gui


def _form(qtbot: QtBot) -> WalkupDialog:
    dialog = WalkupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_kids_with_no_adult_are_a_household(qtbot: QtBot) -> None:
    dialog = _form(qtbot)
    dialog.adults.setValue(0)
    dialog.kids.setValue(2)
    qtbot.keyClick(dialog.adults, Qt.Key.Key_Return)
    assert dialog.result() == WalkupDialog.DialogCode.Accepted
    assert (dialog.fields()["adults"], dialog.fields()["kids"]) == (0, 2)


def test_an_empty_household_is_refused_visibly_and_left_as_typed(qtbot: QtBot) -> None:
    dialog = _form(qtbot)
    dialog.adults.selectAll()
    qtbot.keyClicks(dialog.adults, "0")
    assert dialog.adults.value() == 0
    qtbot.keyClick(dialog.adults, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() != WalkupDialog.DialogCode.Accepted
    assert dialog.adults.value() == 0  # not silently set back to 1
    assert dialog.problem.isVisible()
    assert "at least one" in dialog.problem.text()
    dialog.kids.setValue(1)
    assert not dialog.problem.isVisible()  # the form is fine again
