"""The organisers' attendee list: locked until the passphrase, pages fetched as the view
scrolls, filter by name and by arrival."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from checkin.changes import Changes
from checkin.event.events import load_event
from checkin.people import attendees
from checkin.people.attendee_pages import PAGE_SIZE, Arrival, attendee_page, count_attendees
from checkin.results import Station
from checkin.scanning import ScanEngine
from checkin.store import AttendeeSource, Database
from ui.core.context import EventContext
from ui.people.attendee_table import AttendeeTable

pytestmark = pytest.mark.gui

PEOPLE = 1200


@pytest.fixture
def crowd(db: Database) -> list[str]:
    def work(session: Session) -> list[str]:
        rows = [
            {"first_name": f"Person{n}", "last_name": "Peña" if n % 100 == 7 else "Smith"}
            for n in range(1, PEOPLE + 1)
        ]
        return attendees.insert_many(
            session, load_event(session), rows, source=AttendeeSource.IMPORT
        )

    return db.write(work)


def test_pages_service_keyset_and_filters(db: Database, crowd: list[str]) -> None:
    first = attendee_page(db, limit=500)
    assert [r.number for r in first[:3]] == [1, 2, 3] and len(first) == 500
    second = attendee_page(db, after_number=first[-1].number, limit=500)
    assert second[0].number == 501
    assert count_attendees(db, "pena") == PEOPLE // 100  # accents folded
    ScanEngine(db).check_in(crowd[0], Station("Desk 1"))
    assert count_attendees(db, arrival=Arrival.CHECKED_IN) == 1
    assert count_attendees(db, arrival=Arrival.NOT_YET) == PEOPLE - 1
    assert attendee_page(db, arrival=Arrival.CHECKED_IN)[0].checked_in_station == "Desk 1"


def test_locked_until_passphrase_then_lazy_pages(
    qtbot: QtBot, db: Database, crowd: list[str]
) -> None:
    context = EventContext(db, Station("Desk 1"))
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    assert table.model.rowCount() == 0 and not table.view.isEnabled()
    assert table.locked_label.isVisible()
    assert context.unlock("secret")
    assert not table.locked_label.isVisible()
    assert table.model.total == PEOPLE
    assert table.model.rowCount() == PAGE_SIZE  # only the first page so far
    assert "1200" in table.count_label.text()
    assert table.model.data(table.model.index(0, 1)) == "Person1 Smith"
    # Scrolling to the end asks the model for more, a page at a time.
    while table.model.canFetchMore(table.view.rootIndex()):
        table.model.fetchMore(table.view.rootIndex())
    assert table.model.rowCount() == PEOPLE
    assert table.model.row_at(PEOPLE - 1).number == PEOPLE
    context.lock()
    assert table.model.rowCount() == 0 and table.locked_label.isVisible()


def test_filter_and_arrival(qtbot: QtBot, db: Database, crowd: list[str]) -> None:
    ScanEngine(db).check_in(crowd[6], Station("Desk 2"))  # Person7 Peña
    context = EventContext(db, Station("Desk 1"))
    assert context.unlock("secret")
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    QTest.keyClicks(table.filter_edit, "pena")  # finds "Peña": accents folded
    qtbot.waitUntil(lambda: table.model.rowCount() == PEOPLE // 100, timeout=10000)
    assert all("Peña" in str(table.model.data(table.model.index(r, 1))) for r in range(12))
    table.arrival_combo.setCurrentIndex(table.arrival_combo.findData(Arrival.CHECKED_IN.value))
    assert table.model.rowCount() == 1
    assert table.model.data(table.model.index(0, 6)) == "Desk 2"
    assert table.model.data(table.model.index(0, 5)) != ""


def test_check_in_elsewhere_updates_the_row_in_place(
    qtbot: QtBot, db: Database, crowd: list[str]
) -> None:
    context = EventContext(db, Station("Desk 1"))
    assert context.unlock("secret")
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    table.view.scrollTo(table.model.index(300, 0))
    assert table.model.data(table.model.index(2, 6)) == ""
    ScanEngine(db).check_in(crowd[2], Station("Desk 3"))
    with qtbot.assertNotEmitted(table.model.modelReset, wait=0):
        context.notify_changed(Changes.everything())
        qtbot.waitUntil(lambda: table.model.data(table.model.index(2, 6)) == "Desk 3")
    assert table.model.rowCount() == PAGE_SIZE
    # A walk-up registered elsewhere counts at once and arrives with the next page.
    attendees.register(db, adults=1)
    context.notify_changed(Changes.everything())
    qtbot.waitUntil(lambda: table.model.total == PEOPLE + 1)
    while table.model.canFetchMore(table.view.rootIndex()):
        table.model.fetchMore(table.view.rootIndex())
    assert table.model.rowCount() == PEOPLE + 1


def test_check_ins_made_while_hidden_show_when_the_list_is_shown_again(
    qtbot: QtBot, db: Database, crowd: list[str]
) -> None:
    """Found by a tester (issue 20, problem 13): Setup → Attendees did not show the desk's
    check-ins until its filter was typed, because a change while the list was hidden was
    dropped."""
    context = EventContext(db, Station("Desk 1"))
    assert context.unlock("secret")
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    assert table.model.data(table.model.index(1, 6)) == ""
    table.hide()  # the volunteer is on the desk's tab
    ScanEngine(db).check_in(crowd[1], Station("Desk 1"))
    context.notify_changed(Changes.everything())
    table.show()
    qtbot.waitUntil(lambda: table.model.data(table.model.index(1, 6)) == "Desk 1", timeout=5000)
