"""Recent activity rebuilt from the event file after a restart says what the desk said then: a
voided ticket scanned before the restart read "Cancelled ticket" (no reason, no time)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.ticketing import tickets
from checkin.ticketing.ticket_voiding import void_tickets
from tests.helpers.desk_helpers import open_main_window

pytestmark = pytest.mark.gui

MEALS = Station("Desk 1", StationMode.RESOURCE, "Meal")


def test_a_voided_ticket_scanned_before_a_restart_keeps_its_reason(
    qtbot: QtBot, db: Database
) -> None:
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    code = attendees.register(db, first_name="Rosa", adults=1).code
    engine = ScanEngine(db)
    checked = engine.scan(code, Station("Desk 1"))
    meal = checked.issued[0].code
    void_tickets(db, [meal], "lost")
    refused = engine.scan(meal, MEALS)
    assert refused.state is ScanState.VOID
    main = open_main_window(db)  # the app started again: its activity read from the file
    qtbot.addWidget(main)
    top = main.desk.activity.list.item(0).text()
    assert "Voided ticket (lost, " in top, top
