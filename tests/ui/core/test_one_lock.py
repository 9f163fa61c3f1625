"""One organiser lock for every protected action (issue 12, problem 14): locked pages look
locked, the big screen's draws and the prize table's wait need the organiser or the raffle
caller's PIN, and an unlock expires when the laptop is left alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin import raffle
from checkin.access.caller_pin import set_caller_pin
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import Attendee
from tests.helpers.desk_helpers import answer_lock, open_main_window
from ui.app.locked_page import LockedPage
from ui.core.context import EventContext
from ui.core.organiser_lock import IdleLock
from ui.raffle.prize_view import PrizeView
from ui.raffle.raffle_screen import RaffleScreen

pytestmark = pytest.mark.gui


def _checked_in(db: Database, n: int = 6) -> None:
    engine = ScanEngine(db, debounce_seconds=0)
    with db.reading() as session:
        codes = list(session.scalars(select(Attendee.code).order_by(Attendee.id)))
    for code in codes[:n]:
        assert engine.scan(code, Station("Desk")).state is ScanState.CHECKED_IN


def test_export_merge_and_paper_look_locked_until_the_one_lock_opens(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    wrapped = [page for _title, page in window.pages if isinstance(page, LockedPage)]
    assert len(wrapped) == 3  # Export, Merge, Paper
    assert all(page.locked for page in wrapped)
    asked = answer_lock(monkeypatch, "secret")
    assert wrapped[0].unlock()
    assert asked == [1]
    assert not any(page.locked for page in wrapped)  # one lock for all of them
    window.context.lock()
    assert all(page.locked for page in wrapped)


def test_the_big_screen_does_not_draw_for_anyone(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _checked_in(demo_db)
    context = EventContext(demo_db, Station("Big screen"))
    screen = RaffleScreen(context, animation_ms=0)
    qtbot.addWidget(screen)
    screen.show()
    answer_lock(monkeypatch, None)  # someone presses Ctrl+Space, and has no passphrase
    QTest.keyClick(screen, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert raffle.raffle_log(demo_db) == []
    assert "Locked" in screen.caption_label.text()
    set_caller_pin(demo_db, "4321")
    answer_lock(monkeypatch, "4321")  # the raffle caller's PIN opens the draws
    QTest.keyClick(screen, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert len(raffle.raffle_log(demo_db)) == 1
    assert context.caller_unlocked and not context.organiser_unlocked  # draws only


def test_the_prize_tables_wait_needs_the_organiser(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = EventContext(demo_db, Station("Prize table", StationMode.PRIZE))
    view = PrizeView(context)
    qtbot.addWidget(view)
    view.show()
    assert not view.wait_spin.isEnabled() and view.wait_unlock.isVisible()
    answer_lock(monkeypatch, "secret")
    QTest.mouseClick(view.wait_unlock, Qt.MouseButton.LeftButton)
    assert view.wait_spin.isEnabled() and not view.wait_unlock.isVisible()


def test_an_unlock_expires_when_nobody_touches_the_laptop(qtbot: QtBot, demo_db: Database) -> None:
    context = EventContext(demo_db, Station("Desk 1"))
    idle = IdleLock(context, minutes=0.003)  # 180 ms
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(idle)
    try:
        assert context.unlock("secret")
        for _ in range(4):  # someone working: every key restarts the count
            qtbot.wait(90)
            event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(app, event)
            assert context.organiser_unlocked
        qtbot.waitUntil(lambda: not context.organiser_unlocked, timeout=3000)
    finally:
        QApplication.instance().removeEventFilter(idle)  # type: ignore[union-attr]
