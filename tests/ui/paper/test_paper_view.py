"""Entering paper tallies through the screen, behind the organiser lock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin.after_event.summary import summarize
from checkin.results import Station
from checkin.store import Database
from checkin.store.models import Ticket
from ui.core.context import EventContext
from ui.paper.paper_view import PaperView

pytestmark = pytest.mark.gui


def test_entries_need_the_organiser_and_reach_the_summary(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = EventContext(demo_db, Station("Desk"))
    view = PaperView(context)
    qtbot.addWidget(view)
    view.adults.setValue(2)
    view.kids.setValue(2)
    view.zip_code.setText("64130")
    view.add_household.click()
    view.ticket_type.setCurrentText("Meal")
    view.count.setValue(9)
    view.add_tally.click()
    assert view.pending.count() == 2
    monkeypatch.setattr("ui.paper.paper_view.require_organiser", lambda _c, _p: False)
    assert not view.save_all()
    assert "Locked" in view.status.text()
    assert summarize(demo_db).households_checked_in == 0
    assert context.unlock("secret")
    monkeypatch.setattr("ui.paper.paper_view.require_organiser", lambda c, _p: c.organiser_unlocked)
    assert view.save_all()
    figures = summarize(demo_db)
    assert figures.households_checked_in == 1 and figures.people_checked_in == 4
    assert next(t for t in figures.tickets if t.name == "Meal").paper_tally == 9
    assert view.pending.count() == 0


def test_stock_sheets_are_made_in_the_background_with_progress(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    context = EventContext(demo_db, Station("Desk"))
    assert context.unlock("secret")
    view = PaperView(context)
    qtbot.addWidget(view)
    view.stock_type.setCurrentText("Raffle")
    view.stock_count.setValue(40)
    # paper is offered by name; the PDF is made in the chosen layout
    names = [view.stock_layout.itemText(i) for i in range(view.stock_layout.count())]
    assert names[0] == "Letter sheets, 30 tickets to cut" and "Receipt roll, 80 mm" in names
    view.stock_layout.setCurrentIndex(names.index("A4 sheets, 24 tickets to cut"))
    out = tmp_path / "stock.pdf"
    assert view.print_stock(str(out)) is not None
    assert not view.stock_button.isEnabled()  # busy: one run at a time
    # The result arrives through the event loop whenever the worker finishes.
    qtbot.waitUntil(lambda: view.stock_button.isEnabled(), timeout=20000)
    assert view.progress.value() == 40 and out.exists()
    a4 = rb"/MediaBox \[\s*0 0 595.2756 841.8898\s*\]"  # A4 pages, 24 to a page
    assert re.search(a4, out.read_bytes())
    assert "40 Raffle tickets ready" in view.status.text()
    with demo_db.reading() as session:
        unassigned = session.scalars(select(Ticket).where(Ticket.state == "unassigned")).all()
    assert len(unassigned) == 40


def test_the_stock_button_asks_where_to_save_then_makes_the_sheets(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clicking the button (not calling the method): a tester's click did nothing."""
    from PySide6.QtWidgets import QFileDialog

    context = EventContext(demo_db, Station("Desk"))
    assert context.unlock("secret")
    view = PaperView(context)
    qtbot.addWidget(view)
    out = tmp_path / "sheets.pdf"
    asked: list[str] = []

    def choose(*_args: object, **_kwargs: object) -> tuple[str, str]:
        asked.append("where")
        return str(out), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    view.stock_count.setValue(3)
    QTest.mouseClick(view.stock_button, Qt.MouseButton.LeftButton)
    assert asked == ["where"]
    qtbot.waitUntil(lambda: view.stock_button.isEnabled() and out.exists(), timeout=20000)
    assert out.read_bytes().startswith(b"%PDF")
