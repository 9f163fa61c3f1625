"""A live language switch re-words what a screen shows from what it already read: it asks
the event file nothing (SQL on the GUI thread, and a view kept alive past its window would
open connections to a file nobody holds any more)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from checkin.results import Station
from checkin.store import Database
from ui.after_event.export_view import ExportView
from ui.core import appearance
from ui.core.context import EventContext
from ui.setup.caller_pin_row import CallerPinRow

pytestmark = pytest.mark.gui


@pytest.fixture
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_export_and_the_caller_pin_follow_a_switch_without_sql(
    qtbot: QtBot, demo_db: Database, statements: list[str]
) -> None:
    context = EventContext(demo_db, Station("Desk 1"))
    export, pin = ExportView(context), CallerPinRow(context)
    for widget in (export, pin):
        qtbot.addWidget(widget)
    english = (export.purge_info.text(), pin.status.text())
    statements.clear()
    try:
        assert appearance.set_language("es")
        QApplication.processEvents()
        assert (export.purge_info.text(), pin.status.text()) != english  # re-worded
        assert pin.status.text() == "sin PIN"
        assert statements == []
    finally:
        appearance.set_language("en")


def test_the_recent_activity_follows_a_switch_without_sql(
    qtbot: QtBot, demo_db: Database, statements: list[str]
) -> None:
    """Lines written before a switch stayed in English beside Spanish ones (a tester)."""
    from checkin.people.listing import iter_attendees
    from checkin.scanning import ScanEngine
    from ui.desk.activity_panel import ActivityPanel

    context = EventContext(demo_db, Station("Desk 1"))
    code = next(iter_attendees(demo_db)).code
    earlier = ScanEngine(demo_db).scan(code, Station("Desk 1"))  # in the event file already
    panel = ActivityPanel(context)
    qtbot.addWidget(panel)
    panel.add(ScanEngine(demo_db).scan("https://example.org", Station("Desk 1")))
    assert earlier.attendee is not None
    name = earlier.attendee.display_name
    lines = [panel.list.item(row).text() for row in range(panel.list.count())]
    assert lines[0].endswith("Not a check-in code") and lines[1].endswith(f"Welcome, {name}!")
    statements.clear()
    try:
        assert appearance.set_language("es")
        QApplication.processEvents()
        lines = [panel.list.item(row).text() for row in range(panel.list.count())]
        assert "Welcome" not in lines[1] and name in lines[1], lines
        assert "Not a check-in code" not in lines[0], lines
        assert statements == []
    finally:
        appearance.set_language("en")
