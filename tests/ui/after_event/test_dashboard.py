"""The dashboard shows the summary and its charts follow check-ins as they happen."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin.changes import Changes
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import Attendee
from ui.after_event.dashboard_view import TICKETS_CHART_BASE, TICKETS_CHART_ROW, DashboardView
from ui.core.context import EventContext

pytestmark = pytest.mark.gui


def make(qtbot: QtBot, context: EventContext) -> DashboardView:
    view = DashboardView(context)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.refreshes >= 1, timeout=5000)
    return view


def codes(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Attendee.code).order_by(Attendee.number)))


def test_counters_and_charts_follow_check_ins(qtbot: QtBot, context: EventContext) -> None:
    view = make(qtbot, context)
    assert view.households.value.text() == "0"
    assert view.arrivals_values() == []
    engine = ScanEngine(context.db, debounce_seconds=0)
    for code in codes(context.db)[:5]:
        assert engine.scan(code, Station("Desk")).state is ScanState.CHECKED_IN
    shown = view.refreshes
    context.notify_changed(Changes.everything())  # what the desk emits after a check-in
    qtbot.waitUntil(lambda: view.refreshes > shown, timeout=5000)
    summary = view.summary
    assert summary is not None and summary.households_checked_in == 5
    assert view.households.value.text() == "5"
    assert view.people.value.text() == str(summary.people_checked_in)
    arrivals = view.arrivals_values()
    assert sum(h for _, h, _ in arrivals) == 5
    assert sum(p for _, _, p in arrivals) == summary.people_checked_in
    tickets = view.tickets_chart.series()
    assert isinstance(tickets[0], QHorizontalBarSeries)
    handed = tickets[0].barSets()[0]
    names = [t.name for t in summary.tickets]
    assert handed.at(names.index("Raffle")) == 5  # one raffle ticket each at check-in
    assert isinstance(view.arrivals_chart.series()[0], QBarSeries)
    # every type gets a row tall enough for its name (squeezed, Qt Charts prints "...")
    assert len(names) == 4
    assert view.tickets_view.minimumHeight() >= TICKETS_CHART_BASE + 4 * TICKETS_CHART_ROW


def test_many_changes_make_few_computations(qtbot: QtBot, context: EventContext) -> None:
    view = make(qtbot, context)
    shown = view.refreshes
    for _ in range(20):
        context.notify_changed(Changes.everything())
    qtbot.waitUntil(lambda: view.refreshes > shown, timeout=5000)
    qtbot.wait(600)
    assert view.refreshes - shown <= 2  # debounced, not twenty summaries


def test_counters_have_accessible_names(qtbot: QtBot, context: EventContext) -> None:
    view = make(qtbot, context)
    assert view.households.value.accessibleName() == "Households checked in"
    assert view.arrivals_view.accessibleName()
    assert view.tickets_view.accessibleName()
