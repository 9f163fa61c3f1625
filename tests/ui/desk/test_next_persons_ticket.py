"""Issue 20, problem 12: a pre-printed ticket from the next person in line was bound to the
previous person while their card was still up (30 s). Within a few seconds of the card it binds;
later the desk asks "Give ... to Ada?" (Enter = yes, Esc = new person); a station setting makes
it always or never ask. Driven through the real window, with its scan router."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.results import ScanResult, ScanState, TicketInfo, Tone
from checkin.store import Database
from checkin.ticketing import tickets
from tests.helpers.desk_helpers import answered
from ui.app.shell import MainWindow
from ui.core import station_settings
from ui.core.bind_guard import BIND_WITHOUT_ASKING_SECONDS, BindQuestion
from ui.desk.desk_page import DeskPage

pytestmark = pytest.mark.gui


class Clock:
    """The desk's clock for the card's age, moved by hand (no waiting in tests)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(window: MainWindow) -> Clock:
    fake = Clock()
    window.desk.bind_guard.clock = fake
    return fake


def receiver() -> QWidget:
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None
    return widget


def scan(qtbot: QtBot, desk: DeskPage, code: str) -> None:
    """A wedge scanner: every key at once, then its Enter (the router takes the burst)."""
    for ch in code:
        QTest.keyClicks(receiver(), ch)
    QTest.keyClick(receiver(), Qt.Key.Key_Return)
    answered(qtbot, desk)


def press(qtbot: QtBot, desk: DeskPage, key: Qt.Key) -> None:
    """A volunteer's key in the empty scan field."""
    assert desk.scan.text() == "" and desk.scan.hasFocus()
    QTest.keyClick(desk.scan, key)
    answered(qtbot, desk)


def state_of(db: Database, ticket: TicketInfo) -> tuple[str, str | None]:
    now = tickets.get_ticket(db, ticket.code)
    assert now is not None
    return now.state, now.attendee_code


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.desk.context.engine._debounce = 0
    return window


def test_within_the_window_binds_after_it_asks_and_enter_binds(
    qtbot: QtBot, window: MainWindow, demo_db: Database, clock: Clock
) -> None:
    desk = window.desk
    results: list[ScanResult] = []
    desk.scanResult.connect(results.append)
    stock = tickets.create_stock(demo_db, "Raffle", 2)
    ada = attendees.register(demo_db, first_name="Ada", adults=2)
    scan(qtbot, desk, ada.code)  # checked in: her card is up
    clock.now += BIND_WITHOUT_ASKING_SECONDS - 1
    scan(qtbot, desk, stock[0].code)  # handed over with her card: hers at once
    assert results[-1].state is ScanState.TICKET_BOUND
    assert state_of(demo_db, stock[0]) == ("issued", ada.code)
    clock.now += BIND_WITHOUT_ASKING_SECONDS + 1  # the card has been up a while now
    scan(qtbot, desk, stock[1].code)
    assert state_of(demo_db, stock[1]) == ("unassigned", None)  # not bound while asking
    assert desk.banner.title.text() == f"Give Raffle ticket No. {stock[1].serial} to Ada?"
    assert desk.banner.detail.text() == "Enter = yes, Esc = new person"
    assert desk.banner.tone is Tone.WARNING and desk.person.person is not None
    press(qtbot, desk, Qt.Key.Key_Return)
    assert results[-1].state is ScanState.TICKET_BOUND
    assert state_of(demo_db, stock[1]) == ("issued", ada.code)
    assert desk.banner.title.text() == "Ticket given to Ada"


def test_esc_clears_the_card_and_the_ticket_stays_unbound(
    qtbot: QtBot, window: MainWindow, demo_db: Database, clock: Clock
) -> None:
    desk = window.desk
    (stock,) = tickets.create_stock(demo_db, "Raffle", 1)
    ada = attendees.register(demo_db, first_name="Ada", adults=2)
    scan(qtbot, desk, ada.code)
    clock.now += 30
    scan(qtbot, desk, stock.code)
    assert desk.banner.title.text().startswith("Give Raffle ticket")
    press(qtbot, desk, Qt.Key.Key_Escape)
    assert desk.person.person is None
    assert state_of(demo_db, stock) == ("unassigned", None)
    assert desk.banner.title.text() == "Ticket not given to anyone yet"
    press(qtbot, desk, Qt.Key.Key_Return)  # a late Enter answers nothing
    assert state_of(demo_db, stock) == ("unassigned", None)


def test_a_new_scan_while_asking_is_the_next_scan_and_its_enter_answers_nothing(
    qtbot: QtBot, window: MainWindow, demo_db: Database, clock: Clock
) -> None:
    """The question is up; the next person's own code is scanned (with the scanner's Enter):
    that is a check-in of the next person, and the asked ticket stays unbound."""
    desk = window.desk
    (stock,) = tickets.create_stock(demo_db, "Raffle", 1)
    ada = attendees.register(demo_db, first_name="Ada", adults=2)
    bo = attendees.register(demo_db, first_name="Bo", adults=1)
    scan(qtbot, desk, ada.code)
    clock.now += 30
    scan(qtbot, desk, stock.code)
    assert desk.banner.title.text().startswith("Give Raffle ticket")
    scan(qtbot, desk, bo.code)
    assert desk.person.person is not None and desk.person.person.code == bo.code
    assert desk.banner.tone is Tone.SUCCESS
    assert state_of(demo_db, stock) == ("unassigned", None)
    press(qtbot, desk, Qt.Key.Key_Return)  # the question is gone: nothing to say yes to
    assert state_of(demo_db, stock) == ("unassigned", None)


def test_the_station_setting_always_or_never_asks(
    qtbot: QtBot, window: MainWindow, demo_db: Database, clock: Clock
) -> None:
    desk = window.desk
    uid = desk.context.info.uid
    first, second = tickets.create_stock(demo_db, "Raffle", 2)
    ada = attendees.register(demo_db, first_name="Ada", adults=2)
    station_settings.remember_bind_question(uid, BindQuestion.ALWAYS)
    scan(qtbot, desk, ada.code)
    scan(qtbot, desk, first.code)  # at once, yet asked
    assert desk.banner.title.text().startswith("Give Raffle ticket")
    assert state_of(demo_db, first) == ("unassigned", None)
    station_settings.remember_bind_question(uid, BindQuestion.NEVER)
    clock.now += 60
    scan(qtbot, desk, second.code)  # a new scan: the question goes; never asks
    assert state_of(demo_db, second) == ("issued", ada.code)
    assert state_of(demo_db, first) == ("unassigned", None)


def test_the_station_menu_chooses_when_to_ask(
    qtbot: QtBot, window: MainWindow, demo_db: Database, clock: Clock
) -> None:
    menu = window.bind_menu
    assert menu.menuAction() in window.station_menu.actions()
    assert menu.choices[BindQuestion.AFTER_A_FEW_SECONDS].isChecked()  # the default
    menu.choices[BindQuestion.ALWAYS].trigger()
    uid = window.desk.context.info.uid
    assert station_settings.bind_question(uid) is BindQuestion.ALWAYS
    assert not menu.choices[BindQuestion.AFTER_A_FEW_SECONDS].isChecked()
