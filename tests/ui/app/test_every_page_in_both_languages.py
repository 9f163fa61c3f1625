"""Every screen follows a live language switch, and no label's text is cut at 1366x768
(issue 12, problem 15): the window is walked page by page in English and in Spanish, in both
themes, with a person on the desk."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from checkin import undo
from checkin.store import Database
from tests.helpers.desk_helpers import checked, first_code, open_main_window, scan_and_wait
from tests.helpers.label_fit import clipped
from ui.app.shell import MainWindow
from ui.core import appearance
from ui.core.organiser_lock import OrganiserLockDialog
from ui.desk.undo_texts import question
from ui.desk.walkup_dialog import WalkupDialog
from ui.start.first_launch import FirstLaunchDialog

pytestmark = pytest.mark.gui

# Words that are the same in both languages, or names: not a sign of a missed switch.
SAME = {"", "–", "OK", "English", "Español", "checkin", "Test Party", "PIN"}


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> Iterator[MainWindow]:
    main = open_main_window(demo_db)
    qtbot.addWidget(main)
    assert main.context.unlock("secret")  # the organiser pages show their content
    main.resize(1366, 728 - 30)
    main.show()
    qtbot.waitExposed(main)
    scan_and_wait(qtbot, main.desk, first_code(demo_db))
    qtbot.waitUntil(lambda: main.desk.person.person is not None)
    qtbot.wait(50)  # the card's full read and its layout
    yield main
    appearance.set_language("en")
    appearance.set_theme("default")


def _texts(root: QWidget) -> set[str]:
    """What a person reads on the page: labels, buttons, group titles."""
    shown: set[str] = set()
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            shown.add(widget.text().replace("&", ""))
        elif isinstance(widget, QGroupBox):
            shown.add(widget.title().replace("&", ""))
    return {text for text in shown if text.strip()}


def _walk(qtbot: QtBot, window: MainWindow) -> dict[str, list[str]]:
    problems = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(30)
        page = window.tabs.currentWidget()
        found = clipped(page)
        if found:
            problems[window.tabs.tabText(index)] = found
    return problems


def _page(window: MainWindow, index: int) -> QWidget:
    page = window.tabs.widget(index)
    assert page is not None
    return page


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
def test_every_page_switches_language_and_nothing_is_cut(
    qtbot: QtBot, window: MainWindow, theme: str
) -> None:
    appearance.set_theme(theme)
    english = {window.tabs.tabText(i): _texts(_page(window, i)) for i in range(window.tabs.count())}
    assert _walk(qtbot, window) == {}
    assert appearance.set_language("es")
    QApplication.processEvents()
    assert _walk(qtbot, window) == {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(30)
        before = english[list(english)[index]]
        person = window.desk.person.person
        names = {person.display_name} if person else set()
        still = (_texts(_page(window, index)) & before) - SAME - names
        # Figures, names and file paths stay; no sentence of the English page may.
        words = {t for t in still if any(c.isalpha() for c in t) and " " in t}
        assert not words, (window.tabs.tabText(index), sorted(words))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_wide_code_fits_the_card_in_high_contrast(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    """Codes are random: some (this one, seen in a run) are a pixel wider than the column."""
    appearance.set_theme("high-contrast")
    appearance.set_language(language)
    person = window.desk.person.person
    assert person is not None
    window.desk.person.show_person(dataclasses.replace(person, code="ANHENQHTSJ15YNR91Y9X"))
    qtbot.wait(50)
    assert window.desk.person.code.text() == "ANHE-NQHT-SJ15-YNR9-1Y9X"
    assert clipped(window.desk.person) == []


def _walkup_refused(window: MainWindow) -> QDialog:
    dialog = WalkupDialog(window)
    dialog.show()
    dialog.consent.setChecked(True)
    dialog.adults.setValue(0)
    dialog.buttons.accepted.emit()  # nobody counted: the red line appears in the open form
    return dialog


def _first_launch_switched(window: MainWindow) -> QDialog:
    """Opened in the other language, switched here (Spanish is longer), then Enter with no
    name: the error line appears too."""
    wanted = appearance.language()
    appearance.set_language("es" if wanted == "en" else "en")
    dialog = FirstLaunchDialog("Test Party", "Desk 1", window)
    dialog.show()
    QApplication.processEvents()
    dialog.language.setCurrentIndex(dialog.language.findData(wanted))
    QApplication.processEvents()
    assert appearance.language() == wanted
    dialog.buttons.accepted.emit()
    return dialog


def _wrong_answer(window: MainWindow, *, caller: bool) -> QDialog:
    dialog = OrganiserLockDialog(window.context, window, caller=caller)
    dialog.show()
    QApplication.processEvents()
    dialog.passphrase_edit.setText("wrong")
    dialog.try_unlock()  # the error line appears after the dialog was sized
    checked(dialog)
    return dialog


def _undo_question(window: MainWindow) -> QDialog:
    """The question Undo asks after a check-in (QMessageBox.question builds this box)."""
    preview = undo.last_action(window.context.db, window.context.station.name)
    assert preview is not None and preview.params.get("take_back")
    box = QMessageBox(
        QMessageBox.Icon.Question,
        window.desk.activity.tr("Undo"),
        question(preview),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.show()
    return box


DIALOGS: dict[str, Callable[[MainWindow], QDialog]] = {
    "walk-up": _walkup_refused,
    "first launch": _first_launch_switched,
    "passphrase": lambda window: _wrong_answer(window, caller=False),
    "caller PIN": lambda window: _wrong_answer(window, caller=True),
    "undo question": _undo_question,
}


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_dialogs_fit(qtbot: QtBot, window: MainWindow, language: str, theme: str) -> None:
    """Each in the state a person meets it in, text changed after it was shown included (issue
    20, problem 14: the PIN dialog's error line and the first-launch question in Spanish were
    cut off)."""
    window.context.lock()  # the lock dialogs have something to refuse
    appearance.set_theme(theme)
    appearance.set_language(language)
    cut = {}
    for name, make in DIALOGS.items():
        dialog = make(window)
        qtbot.addWidget(dialog)
        qtbot.waitExposed(dialog)
        qtbot.wait(30)  # a dialog grows once its new text is laid out
        found = clipped(dialog)
        if found:
            cut[name] = found
        assert dialog.height() <= 728 - 30 and dialog.width() <= 1366, name
        dialog.close()
    assert cut == {}


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_attention_note_fits_on_the_card(
    qtbot: QtBot, window: MainWindow, language: str, theme: str
) -> None:
    """The note stays on the card as long as the card is up (issue 20, problem 13): the card
    still fits, and Print and Show stay on screen."""
    appearance.set_theme(theme)
    appearance.set_language(language)
    person = window.desk.person.person
    assert person is not None
    noted = dataclasses.replace(
        person,
        needs_attention=True,
        notes="Needs a wheelchair-accessible seat and help carrying the food",
    )
    window.desk.person.show_person(noted)
    assert window.desk.person.note.isVisible()
    # The theme's and the language's relayout, then the note's, settle on a busy machine: a
    # cut that stays fails here with what is cut.
    try:
        qtbot.waitUntil(lambda: clipped(window.desk) == [], timeout=3000)
    except Exception:
        assert clipped(window.desk) == []
    for button in (window.desk.print_button, window.desk.show_button):
        corner = button.mapTo(window, button.rect().bottomRight())
        assert window.rect().contains(corner), button.text()
