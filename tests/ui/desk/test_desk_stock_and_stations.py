"""Issue 20, problems 8 and 9 through the real desk: a stock running out is said in amber and
shown as "Out" with its time; a resource station's card and banner say what is left, a
family's next scan is their next meal, a used-up allowance and an entitled family are told
plainly, and settings are named to the organiser only."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.results import ScanResult, ScanState, StationMode, Tone
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.ticketing import tickets
from tests.helpers.desk_helpers import scan_and_wait, shown_window, tone_of
from ui.after_event.dashboard_view import DashboardView
from ui.app.shell import MainWindow
from ui.desk.desk_page import DeskPage

pytestmark = pytest.mark.gui


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def party(db: Database) -> Database:
    tickets.add_ticket_type(
        db, "Raffle", TicketKind.RAFFLE, quantity=3, issue_at_checkin=True, at_checkin=1
    )
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        issue_at_checkin=True,
        stock=5,
    )
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, quantity=1, stock=40
    )
    return db


@pytest.fixture
def window(qtbot: QtBot, party: Database) -> MainWindow:
    return shown_window(qtbot, party)


def family(db: Database, name: str, *, adults: int = 4, kids: int = 0) -> str:
    return attendees.register(db, first_name=name, adults=adults, kids=kids).code


def scan(qtbot: QtBot, desk: DeskPage, code: str) -> None:
    """A code entered in the scan field (the scan router's timing is tested elsewhere)."""
    scan_and_wait(qtbot, desk, code)


def be_a_station(desk: DeskPage, type_name: str) -> None:
    desk.mode.setCurrentIndex(desk.mode.findData(StationMode.RESOURCE.value))
    desk.ticket_type.setCurrentText(type_name)
    desk.station_name.setText(f"{type_name} line")
    desk.station_name.editingFinished.emit()
    assert desk.context.station.ticket_type == type_name


def results_of(desk: DeskPage) -> list[ScanResult]:
    seen: list[ScanResult] = []
    desk.scanResult.connect(seen.append)
    return seen


# --- problem 8 -----------------------------------------------------------------------------------


def test_a_stock_running_out_is_said_in_amber_with_what_is_left(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    scan(qtbot, desk, family(party, "Ana"))  # 4 of the 5 meals
    assert desk.banner.tone is Tone.SUCCESS
    scan(qtbot, desk, family(party, "Bo"))
    # Before: green "Hand over: 1 Raffle ticket", and no meal for a household of four.
    assert tone_of(desk) is Tone.WARNING
    detail = desk.banner.detail.text()
    assert "Only 1 Meal left: hand over 1 of 4; Meal is now out" in detail
    assert "Hand over: 1 Raffle ticket, 1 Meal ticket" in detail
    scan(qtbot, desk, family(party, "Cy"))
    assert tone_of(desk) is Tone.WARNING
    assert "Meal is out: none of 4 to hand over" in desk.banner.detail.text()


def test_counters_and_dashboard_say_out_and_since_when(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    for name in ("Ana", "Bo"):
        scan(qtbot, desk, family(party, name))
    since = datetime.now().strftime("%H:%M")  # the test runs in well under a minute
    desk.counters.refresh()
    qtbot.waitUntil(lambda: "Out" in desk.counters.warning.text(), timeout=5000)
    # Before: "Low stock: Meal" with none left.
    assert desk.counters.warning.text() == "Out: Meal"
    lines = desk.counters.tickets.text().splitlines()
    assert lines[1].startswith("Meal: 5 issued, 0 redeemed, Out (since ")
    assert lines[1][-6:-1] in (since, datetime.now().strftime("%H:%M"))
    dashboard = window.findChild(DashboardView)
    assert dashboard is not None
    dashboard.refresh()
    qtbot.waitUntil(lambda: "Meal: out since" in dashboard.stock.text(), timeout=5000)
    assert "Backpack: 40 of 40 left" in dashboard.stock.text()


# --- problem 9 -----------------------------------------------------------------------------------


def test_the_card_at_a_resource_station_shows_what_is_left(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    desk.context.engine = ScanEngine(party, debounce_seconds=0)
    code = family(party, "Ana", adults=4)
    scan(qtbot, desk, code)
    be_a_station(desk, "Meal")
    for _ in range(2):
        scan(qtbot, desk, code)
    # Before: "Meal: has all 4", before and after every meal.
    assert desk.person.tickets.text().splitlines()[0] == "Meal: 2 of 4 left"
    assert desk.banner.title.text() == "Hand over: Meal"
    assert desk.banner.detail.text() == "Ana · 2 of 4 left"


def test_a_familys_quick_second_scan_is_their_next_meal(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    clock = FakeClock()
    desk.context.engine = ScanEngine(party, clock=clock)
    code = family(party, "Ana", adults=4)
    scan(qtbot, desk, code)
    be_a_station(desk, "Meal")
    clock.now += 5
    scan(qtbot, desk, code)
    clock.now += 1.2  # the next member of the family, a second later
    scan(qtbot, desk, code)
    # Before: blue "Same scan again: nothing more to hand over".
    assert not desk.banner.repeat
    assert desk.banner.tone is Tone.SUCCESS
    assert desk.banner.detail.text() == "Ana · 2 of 4 left"


def test_all_used_says_when_without_a_ticket_number(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    desk.context.engine = ScanEngine(party, debounce_seconds=0)
    code = family(party, "Ana", adults=2)
    scan(qtbot, desk, code)
    be_a_station(desk, "Meal")
    seen = results_of(desk)
    for _ in range(3):
        scan(qtbot, desk, code)
    assert seen[-1].state is ScanState.ALREADY_REDEEMED
    # Before: "Already used — Meal ticket No. 7 was used at ..." (a number never seen).
    assert desk.banner.title.text() == "All 2 Meal used"
    detail = desk.banner.detail.text()
    assert detail.startswith("Ana: nothing more to hand over (the last at ")
    assert "No." not in detail and "ask the organiser" in detail
    assert desk.person.tickets.text().splitlines()[0] == "Meal: 0 of 2 left"


def test_an_entitled_family_gets_its_backpack_at_the_station(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    desk.context.engine = ScanEngine(party, debounce_seconds=0)
    code = family(party, "Ana", adults=1, kids=2)
    scan(qtbot, desk, code)
    be_a_station(desk, "Backpack")
    seen = results_of(desk)
    scan(qtbot, desk, code)
    # Before: red "No Backpack ticket", nothing to do about it.
    assert seen[-1].state is ScanState.REDEEMED
    assert desk.banner.tone is Tone.SUCCESS
    assert desk.banner.title.text() == "Hand over: Backpack"
    assert desk.banner.detail.text() == "Ana · 1 of 2 left"
    assert desk.person.tickets.text().splitlines()[0] == "Backpack: 1 of 2 left"
    stranger = family(party, "Bo", adults=1, kids=1)  # never came by the desk
    scan(qtbot, desk, stranger)
    assert tone_of(desk) is Tone.WARNING
    assert desk.banner.title.text() == "Not checked in yet"
    assert "check-in desk first" in desk.banner.detail.text()


def test_settings_are_named_to_the_organiser_only(
    qtbot: QtBot, window: MainWindow, party: Database
) -> None:
    desk = window.desk
    desk.context.engine = ScanEngine(party, debounce_seconds=0)
    stock = tickets.create_stock(party, "Raffle", 4)
    scan_and_wait(qtbot, desk, family(party, "Ana", adults=1))  # 1 of 3 Raffle tickets
    for ticket in stock[:2]:
        scan(qtbot, desk, ticket.code)
    scan(qtbot, desk, stock[2].code)
    assert desk.banner.title.text() == "Limit reached"
    # Before: "raise Quantity for Raffle in Setup → Ticket types" told to the volunteer.
    assert "Setup" not in desk.banner.detail.text()
    assert "ask the organiser" in desk.banner.detail.text()
    assert desk.context.unlock("secret")
    scan(qtbot, desk, stock[2].code)
    assert "Setup → Ticket types" in desk.banner.detail.text()
