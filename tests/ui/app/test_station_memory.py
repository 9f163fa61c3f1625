"""The station is set once per laptop and event: its name survives a restart and a language
switch, and after a restart Recent activity and Undo reach the earlier actions (issue 12,
problem 10). The end-of-shift summary covers one volunteer's shift (problem 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from checkin import undo
from checkin.cli import build_parser
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database
from tests.helpers.desk_helpers import answered, first_code, live_checkins, undo_over
from ui.app.launch import open_window, station_for
from ui.app.shell import MainWindow
from ui.core import appearance
from ui.core.context import EventContext
from ui.desk.sounds import SoundBank

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, db: Database, station: Station | None) -> MainWindow:
    assert station is not None
    window = MainWindow(EventContext(db, station), "event.checkin", sounds=SoundBank(enabled=False))
    qtbot.addWidget(window)
    return window


def _scan(qtbot: QtBot, window: MainWindow, code: str) -> None:
    qtbot.keyClicks(window.desk.scan, code)
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Return)
    answered(qtbot, window.desk)


def test_the_station_name_survives_a_restart_and_a_language_switch(
    qtbot: QtBot, demo_db: Database
) -> None:
    info = EventContext(demo_db, Station("Front table", volunteer="Ana")).info
    first = _window(qtbot, demo_db, station_for(info, "Front table", "Ana"))
    appearance.set_language("es")
    try:
        qtbot.wait(10)
        assert first.context.station.name == "Front table"
        assert first.desk.station_name.text() == "Front table"
    finally:
        appearance.set_language("en")
    first.close()
    # The next start, with no --station: the remembered one, not "Desk" or "Mesa".
    again = station_for(info, None, None)
    assert again is not None
    assert again.name == "Front table" and again.volunteer == "Ana"


def test_recent_activity_and_undo_come_back_after_a_restart(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    station = Station("Front table", volunteer="Ana")
    first = _window(qtbot, demo_db, station)
    _scan(qtbot, first, first_code(demo_db))
    assert live_checkins(demo_db) == 1
    first.close()

    second = _window(qtbot, demo_db, station)
    items = [
        second.desk.activity.list.item(i).text() for i in range(second.desk.activity.list.count())
    ]
    assert any("Welcome" in text for text in items), items
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    second.desk.undo()
    undo_over(qtbot, second.desk)
    assert live_checkins(demo_db) == 0
    assert "Undone" in second.desk.banner.title.text()


def test_the_shift_summary_is_one_volunteers_shift(qtbot: QtBot, demo_db: Database) -> None:
    engine = ScanEngine(demo_db)
    engine.scan(first_code(demo_db, 1), Station("Desk 1", volunteer="Bea"))  # Bea's shift
    window = _window(qtbot, demo_db, Station("Desk 1", volunteer="Bea"))
    window.desk.volunteer.setText("Ana")
    window.desk.volunteer.editingFinished.emit()  # Ana signs in
    assert window.context.station.volunteer == "Ana"
    _scan(qtbot, window, first_code(demo_db, 2))
    _scan(qtbot, window, first_code(demo_db, 3))
    assert undo.undo_last(demo_db, window.context.station).done
    text = window.shift_summary_text()
    assert "volunteer Ana" in text
    assert "Check-ins: 1" in text  # Bea's and the undone one are out
    assert "Undos: 1" in text
    assert "Walk-ups registered: 0" in text


def test_the_command_line_opens_the_desk_with_no_question(
    qtbot: QtBot, demo_db: Database, db_path: Path
) -> None:
    asked: list[str] = []

    def refuse_any_question() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            asked.append(type(dialog).__name__)
            dialog.close()

    QTimer.singleShot(0, refuse_any_question)
    window = open_window(str(db_path), "Kiosk 3", "Bo")
    assert window is not None  # deleted when closed (not handed to qtbot)
    assert asked == []
    assert window.context.station == Station("Kiosk 3", volunteer="Bo")
    args = build_parser().parse_args(["--db", "x", "--station", "Kiosk 3", "--volunteer", "Bo"])
    assert (args.gui_station, args.gui_volunteer) == ("Kiosk 3", "Bo")
    window.close()


def test_the_window_comes_back_where_it_was_left(qtbot: QtBot, demo_db: Database) -> None:
    first = _window(qtbot, demo_db, Station("Desk 1", volunteer="Ana"))
    first.show_fitted()  # nothing remembered: maximised within the screen's usable area
    assert first.isMaximized()
    first.showNormal()
    first.setGeometry(40, 50, 720, 520)
    qtbot.wait(20)
    left = (first.width(), first.height())
    first.close()
    second = _window(qtbot, demo_db, Station("Desk 1", volunteer="Ana"))
    second.show_fitted()
    qtbot.wait(20)
    assert not second.isMaximized()
    assert (second.width(), second.height()) == left


def test_a_cleared_volunteer_name_keeps_the_last_volunteer(qtbot: QtBot, demo_db: Database) -> None:
    window = _window(qtbot, demo_db, Station("Desk 1", volunteer="Ana"))
    window.desk.volunteer.setText("")
    window.desk.volunteer.editingFinished.emit()
    assert window.context.station.volunteer == "Ana"  # no scan is ever recorded for nobody
    assert window.desk.volunteer.text() == "Ana"


def test_a_meal_lines_recent_activity_names_what_was_handed_over_after_a_restart(
    qtbot: QtBot, demo_db: Database
) -> None:
    """Found by a tester (issue 20, problem 13): after a restart a Meal line's lines read
    "Hand over:" with nothing after (a person's code redeems without naming the ticket in
    the scan log)."""
    engine = ScanEngine(demo_db, debounce_seconds=0)
    code = first_code(demo_db)
    engine.scan(code, Station("Desk 1"))
    meal = Station("Meal line", mode=StationMode.RESOURCE, ticket_type="Meal")
    live = engine.scan(code, meal)
    assert live.state is ScanState.REDEEMED
    window = _window(qtbot, demo_db, meal)
    items = [
        window.desk.activity.list.item(i).text() for i in range(window.desk.activity.list.count())
    ]
    assert len(items) == 1 and items[0].endswith("Hand over: Meal"), items


def test_a_line_without_its_ticket_is_never_a_bare_hand_over() -> None:
    from checkin.results import ScanResult, TicketParams
    from ui.desk.messages import headline

    for state in (ScanState.REDEEMED, ScanState.PRIZE_CLAIMED):
        title, _detail = headline(ScanResult("", state, "", params=TicketParams(name="Ana")))
        assert not title.rstrip().endswith(":"), title


def test_a_double_trigger_reads_as_such_after_a_restart(qtbot: QtBot, demo_db: Database) -> None:
    """Found by a tester: after a restart a scanner's double trigger read "Welcome, !" (its
    log row names nobody; it is the first answer again)."""
    engine = ScanEngine(demo_db)  # the double-trigger window on
    code = first_code(demo_db)
    desk = Station("Desk 1")
    assert engine.scan(code, desk).state is ScanState.CHECKED_IN
    assert engine.scan(code, desk).repeat
    window = _window(qtbot, demo_db, desk)
    items = [
        window.desk.activity.list.item(i).text() for i in range(window.desk.activity.list.count())
    ]
    assert len(items) == 2, items
    assert "Same scan again" in items[0] and "Welcome, !" not in " ".join(items), items
