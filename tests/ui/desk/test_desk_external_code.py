"""Issue 25: at the desk, a family member's Eventbrite barcode (imported with the household)
checks the household in as its own code does, typed by the scanner into the scan field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.people.csv_import import import_csv
from checkin.store import Database
from tests.helpers.desk_helpers import answered, live_checkins, open_main_window
from tests.helpers.import_samples import SAMPLES
from ui.desk.desk_page import DeskPage

pytestmark = pytest.mark.gui  # real widgets (the only tests/ui test without the mark)


def scan(qtbot: QtBot, desk: DeskPage, code: str) -> None:
    qtbot.keyClicks(desk.scan, code)
    qtbot.keyClick(desk.scan, Qt.Key.Key_Return)
    answered(qtbot, desk)


def test_an_eventbrite_barcode_scanned_at_the_desk(qtbot: QtBot, demo_db: Database) -> None:
    import_csv(demo_db, SAMPLES / "eventbrite-attendees.csv")
    brown = attendees.search(demo_db, "Keisha Brown")[0].code
    before = live_checkins(demo_db)
    main = open_main_window(demo_db)
    qtbot.addWidget(main)
    main.show()
    desk = main.desk
    scan(qtbot, desk, "3002000003")  # Tia's ticket, in Keisha's household
    assert desk.person.person is not None and desk.person.person.code == brown
    assert live_checkins(demo_db) == before + 1
    unknown = "3009999999"
    scan(qtbot, desk, unknown)
    assert desk.banner.title.text() == "Not a check-in code"
    assert live_checkins(demo_db) == before + 1
