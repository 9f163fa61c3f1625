"""Issue 20, deliver 2: a test that cannot forget a window.

It opens every window and popup the app can show from the desk's main window, found by walking
the app itself (the menu bar's menus and their actions, every drop-down list of every page, the
window's keyboard shortcuts, every button that opens a window: its text ends with an ellipsis),
fires a scanner burst in each, and checks that the scanned person, and nobody else, was checked
in (or, at the prize table, that its answer was shown), with nothing redeemed, drawn or picked.
Then every window class the app defines must have been met here, or be walked by a test of its
own (test_scan_in_any_window.py): a new dialog nobody scans into fails this test.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import ui
from checkin import raffle
from checkin.demo import populate
from checkin.people.listing import iter_attendees
from checkin.results import Station
from checkin.store import Database
from checkin.store.models import Ticket
from tests.helpers.desk_helpers import answered
from tests.ui.core.test_scan_router import burst, checked_in_codes
from ui.app.launch import open_from
from ui.app.locked_page import LockedPage
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.core.scan_desks import ScanDesks
from ui.core.scan_router import key_receiver
from ui.desk.sounds import SoundBank

pytestmark = pytest.mark.gui

# Actions that end this window rather than open one (each has its own test): Quit closes it
# (test_window_close.py), Host hands the event file to the host's screen
# (test_scan_in_any_window.py scans into that screen).
ENDS_THE_WINDOW = ("quit_action", "host_action")
# Window classes shown before or beside a desk, each scanned into by a test of its own.
WALKED_ELSEWHERE = {
    "HostWindow": "test_scan_in_any_window: the host's screen in front",
    "FirstLaunchDialog": "test_scan_in_any_window: before any desk is open",
    "ScannerCheckDialog": "test_scan_in_any_window: it takes only its test card",
    "WalkupDialog": "test_scan_router: the walk-up form closes for the scanned person",
    "StartChoice": "test_scan_router: File > Open's question",
    "JoinDialog": "the welcome screen's join question, before any desk: test_join_dialog",
    "NewEventDialog": "File > New, from StartChoice: test_start_choice",
    "ImportPreviewDialog": "opened after a file is chosen: test_import_preview_dialog",
    "RestoreDialog": "the backups button's menu: test_backup_status",
    "CodeScreen": "steps aside for a scan: test_desk_flow",
    "PersonWindow": "opened for a person on the card or in the results: test_person_window",
    "ChecklistDialog": "steps aside for a scan, after a new event: test_scan_in_any_window",
    "_FailureBox": "a failed operation's warning, which leaves the keyboard to the window that"
    " had it: test_ops",
}


@dataclass
class Probe:
    opener: str
    window: str = ""  # the class of what opened, "" when nothing did
    code: str = ""
    prize_answer: str = ""  # the prize table's answer, when it had the scan


@pytest.fixture
def crowd(db: Database) -> Database:
    populate(db, attendees=150)  # a fresh person for every window
    return db


@pytest.fixture
def window(qtbot: QtBot, crowd: Database) -> Iterator[MainWindow]:
    context = EventContext(crowd, Station("Desk 1", volunteer="Ana"))
    main = MainWindow(context, "event.checkin", opener=open_from, sounds=SoundBank(enabled=False))
    qtbot.addWidget(main)
    main.show_fitted()
    qtbot.waitExposed(main)
    main.activateWindow()
    main.context.unlock("secret")  # the organiser's pages show what they hold
    yield main


def _shown() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}


def _close(widget: QWidget) -> None:
    if not shiboken6.isValid(widget) or not widget.isVisible():
        return
    if isinstance(widget, QMessageBox):
        button = widget.escapeButton() or widget.button(QMessageBox.StandardButton.No)
        if button is not None:
            button.click()
            return
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


class Walk:
    def __init__(self, qtbot: QtBot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window
        self.people = (p.code for p in iter_attendees(window.context.db))
        self.probes: list[Probe] = []

    def probe(self, opener: str, trigger: Callable[[], object]) -> None:
        """Trigger an opener; once a window or popup is up, scan into it, then close it."""
        before = _shown()
        probe = Probe(opener)
        done: list[bool] = []
        waited = [0]

        def check() -> None:
            popup = QApplication.activePopupWidget()
            new = [
                w
                for w in QApplication.topLevelWidgets()
                if w.isVisible() and id(w) not in before and w.windowType() != 0x0D  # tooltips
            ]
            if popup is None and not new:
                waited[0] += 1
                if waited[0] < 30:
                    QTimer.singleShot(50, check)
                else:
                    done.append(True)  # it opened nothing: a direct action
                return
            shown = popup or new[-1]
            probe.window = type(shown).__name__
            if popup is None:
                shown.activateWindow()
                self.qtbot.waitUntil(lambda: key_receiver() is not None, timeout=5000)
            probe.code = next(self.people)
            on_prizes = self.window.tabs.currentWidget() is self.window._prize_tab
            burst(probe.code)
            answered(self.qtbot, self.window.desk)
            self.qtbot.wait(30)
            if on_prizes:
                probe.prize_answer = self.window.prizes.result_label.text()
            for widget in [QApplication.activePopupWidget(), *reversed(new)]:
                if widget is not None:
                    _close(widget)
            done.append(True)

        QTimer.singleShot(30, check)
        trigger()
        self.qtbot.waitUntil(lambda: bool(done), timeout=30000)
        for widget in QApplication.topLevelWidgets():  # anything opened after the scan
            if widget.isVisible() and id(widget) not in before and widget is not self.window:
                _close(widget)
        self.probes.append(probe)


def _menus(menu: QMenu) -> Iterator[QMenu]:
    yield menu
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _menus(sub)


def _window_classes() -> set[str]:
    """Every window class the app defines: each QDialog, and each QWidget made a window."""
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(info.name)
    found: set[str] = set()

    def walk(cls: type) -> None:
        sub: type
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("ui."):
                found.add(sub.__name__)
            walk(sub)

    walk(QDialog)
    return found | {"HostWindow", "RaffleScreen"}


def test_a_scan_in_every_window_and_popup_checks_in_the_scanned_person_only(
    qtbot: QtBot, window: MainWindow, crowd: Database
) -> None:
    walk = Walk(qtbot, window)
    db = window.context.db
    draws = len(raffle.raffle_log(db))

    def redeemed() -> int:
        with db.reading() as session:
            return int(
                session.scalar(select(func.count(Ticket.id)).where(Ticket.state == "redeemed")) or 0
            )

    used = redeemed()
    mode = window.desk.mode.currentIndex()

    # The menu bar: each menu, then each of its actions.
    ends = {id(getattr(window, name)) for name in ENDS_THE_WINDOW}
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        for sub in _menus(menu):
            walk.probe(f"menu {sub.title()}", functools.partial(sub.popup, window.pos()))
            for action in sub.actions():
                if action.menu() is not None or action.isSeparator() or id(action) in ends:
                    continue
                if action.isCheckable():
                    continue  # a switch (theme, language): it opens nothing
                walk.probe(f"action {action.text()}", action.trigger)

    # Every page: its drop-down lists and the buttons that open a window.
    window.context.unlock("secret")  # the menu walk locked the organiser's pages again
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        assert page is not None
        qtbot.wait(50)
        for combo in page.findChildren(QComboBox):
            if combo.isVisible() and combo.isEnabled() and combo.count() > 1:
                name = f"list {combo.accessibleName() or combo.objectName()}"
                walk.probe(name, combo.showPopup)
        for button in page.findChildren(QAbstractButton):
            text = button.text()
            if button.isVisible() and button.isEnabled() and text.endswith(("…", "...")):
                walk.probe(f"button {text}", button.click)
        window.tabs.setCurrentIndex(index)  # a probe may have moved to the desk

    # The organiser's pages locked: each one's way in asks for the passphrase.
    window.context.lock()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(30)
        locked_page = window.tabs.widget(index)
        assert locked_page is not None
        for locked in locked_page.findChildren(LockedPage):
            if locked.unlock_button.isVisible():
                walk.probe(f"unlock {window.tabs.tabText(index)}", locked.unlock_button.click)

    # The window's shortcuts (F2 walk-up, Ctrl+P print, Ctrl+Z undo...), from the desk.
    window.tabs.setCurrentWidget(window.desk)
    for shortcut in window.findChildren(QShortcut):
        if shortcut.isEnabled():
            walk.probe(f"shortcut {shortcut.key().toString()}", shortcut.activated.emit)
    for action in window.findChildren(QAction):
        if action.shortcut().isEmpty() or id(action) in ends or action.isCheckable():
            continue
        walk.probe(f"key {action.shortcut().toString()}", action.trigger)

    # The big screen: the one window of its own a station page opens.
    window.tabs.setCurrentWidget(window.prizes)
    walk.probe("big screen", window.prizes.big_button.click)

    scanned = [p for p in walk.probes if p.window]
    assert len(scanned) >= 20, [p.opener for p in walk.probes]  # the walk found the windows
    at_desk = {p.code for p in scanned if not p.prize_answer}
    refused_at_prizes = [p for p in scanned if p.prize_answer]
    problems = [p for p in refused_at_prizes if "desk" not in p.prize_answer.lower()]
    assert problems == []  # a person's code at the prize table: sent to the desk
    assert checked_in_codes(db) == at_desk  # the scanned people, and nobody else
    assert redeemed() == used  # nothing redeemed
    assert len(raffle.raffle_log(db)) == draws  # nothing drawn
    assert window.desk.mode.currentIndex() == mode  # no list entry picked
    assert ScanDesks.of_app().waiting == []

    met = {p.window for p in scanned}
    forgotten = _window_classes() - met - set(WALKED_ELSEWHERE)
    assert forgotten == set(), "windows nobody scans into"
