"""Privacy at the desk (issue 24, item 6): at a volunteer station (the organiser lock closed) a
search needs at least 3 characters (a setting: 3-6, or the full name only), lists at most 10
people and never a phone or an email; the organiser's attendee list is unchanged."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from checkin.event.events import load_event
from checkin.people import attendees, desk_privacy
from checkin.results import Station
from checkin.store import AttendeeSource, Database
from tests.helpers.desk_helpers import shown_window
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.desk.desk_page import DeskPage
from ui.people.attendee_table import AttendeeTable
from ui.setup.desk_search_setting import DeskSearchSetting

pytestmark = pytest.mark.gui

NEIGHBOURS = 15  # more than a volunteer's desk may list at once


@pytest.fixture
def street(demo_db: Database) -> Database:
    """Fifteen Garrisons with phones and emails, beside the demo's 30 households."""

    def work(session: Session) -> None:
        rows = [
            {
                "first_name": f"Jo{n}",
                "last_name": "Garrison",
                "phone": f"816-555-01{n:02d}",
                "email": f"jo{n}@example.org",
                "consent": True,
            }
            for n in range(NEIGHBOURS)
        ]
        attendees.insert_many(session, load_event(session), rows, source=AttendeeSource.PREREG)

    demo_db.write(work)
    return demo_db


@pytest.fixture
def window(qtbot: QtBot, street: Database) -> MainWindow:
    return shown_window(qtbot, street)


def typed(qtbot: QtBot, desk: DeskPage, text: str) -> int:
    """Type ``text`` into the empty scan field like a person; how many results it listed."""
    desk.scan.clear()
    with qtbot.waitSignal(desk.results.updated, timeout=10000) as shown:
        QTest.keyClicks(desk.scan, text, delay=30)  # a person's pace, not a scanner's burst
    return int(shown.args[0])


def listed(desk: DeskPage) -> list[str]:
    return [desk.results.item(row).text() for row in range(desk.results.count())]


def test_one_or_two_letters_list_nobody_and_the_hint_says_why(
    qtbot: QtBot, window: MainWindow
) -> None:
    desk = window.desk
    assert not desk.context.organiser_unlocked  # a volunteer's desk
    assert typed(qtbot, desk, "g") == 0 and desk.results.count() == 0
    assert "at least 3" in desk.results.hint.text() and desk.results.hint.isVisible()
    # Two letters listed people before (up to 30 of them, with their households).
    assert typed(qtbot, desk, "ga") == 0 and desk.results.count() == 0
    assert "at least 3" in desk.results.hint.text()


def test_three_letters_list_at_most_ten_without_phone_or_email(
    qtbot: QtBot, window: MainWindow
) -> None:
    desk = window.desk
    assert typed(qtbot, desk, "gar") == desk_privacy.VOLUNTEER_LIMIT  # 15 match
    texts = listed(desk)
    assert len(texts) == desk_privacy.VOLUNTEER_LIMIT
    assert not any("@" in text or "555" in text or "example" in text for text in texts)
    assert "first 10" in desk.results.hint.text() and desk.results.hint.isVisible()
    # A phone number typed at the desk may still find its household; it is never shown.
    assert typed(qtbot, desk, "816-555-0107") == 1
    assert "555" not in listed(desk)[0] and "Jo7 Garrison" in listed(desk)[0]


def test_the_organisers_attendee_list_still_finds_by_one_letter(
    qtbot: QtBot, street: Database
) -> None:
    context = EventContext(street, Station("Office"))
    assert context.unlock("secret")
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    QTest.keyClicks(table.filter_edit, "g")
    qtbot.waitUntil(lambda: table.model.total >= NEIGHBOURS, timeout=10000)
    assert table.model.rowCount() >= NEIGHBOURS  # every Garrison, no limit of 10


def test_the_organiser_unlocked_at_the_desk_searches_as_before(
    qtbot: QtBot, window: MainWindow
) -> None:
    desk = window.desk
    assert desk.context.unlock("secret")
    assert typed(qtbot, desk, "ga") > desk_privacy.VOLUNTEER_LIMIT  # two letters, 15 and more
    assert not desk.results.hint.isVisible()


def test_setup_sets_more_letters_or_the_full_name_only(
    qtbot: QtBot, window: MainWindow, street: Database
) -> None:
    context = window.desk.context
    setting = DeskSearchSetting(context)
    qtbot.addWidget(setting)
    setting.show()
    setting.choice.setCurrentIndex(setting.choice.findData("5"))
    setting.choice.activated.emit(setting.choice.currentIndex())
    assert desk_privacy.desk_search_rule(street).min_chars == 5
    desk = window.desk
    qtbot.waitUntil(lambda: desk.results.rule.min_chars == 5, timeout=10000)
    assert typed(qtbot, desk, "garr") == 0
    assert "at least 5" in desk.results.hint.text()
    assert typed(qtbot, desk, "garri") == desk_privacy.VOLUNTEER_LIMIT

    setting.choice.setCurrentIndex(setting.choice.findData(desk_privacy.FULL_NAME))
    setting.choice.activated.emit(setting.choice.currentIndex())
    qtbot.waitUntil(lambda: desk.results.rule.full_name_only, timeout=10000)
    assert typed(qtbot, desk, "garrison") == 0  # part of a name lists nobody
    assert "first and last name" in desk.results.hint.text()
    assert typed(qtbot, desk, "jo7 garrison") == 1
    assert "Jo7 Garrison" in listed(desk)[0]


def test_a_guest_number_from_the_card_is_never_too_short(street: Database) -> None:
    for rule in (desk_privacy.DeskSearchRule(6), desk_privacy.DeskSearchRule(full_name_only=True)):
        hits = desk_privacy.volunteer_search(street, "#5", rule)
        assert [hit.number for hit in hits] == [5]
    assert desk_privacy.volunteer_search(street, "#", desk_privacy.DeskSearchRule()) == []


def test_the_rule_refuses_what_setup_does_not_offer(street: Database) -> None:
    with pytest.raises(ValueError, match="3 to 6"):
        desk_privacy.set_desk_search_rule(street, "2")
    assert desk_privacy.parse_rule("junk") == desk_privacy.DeskSearchRule()
    assert desk_privacy.parse_rule("9").min_chars == 6
