"""The station's one writer: scans are written off the GUI thread, one at a time, in the order
they came; a slow write says "Saving…" and the window keeps working meanwhile."""

from __future__ import annotations

import itertools
import logging
import threading
import time

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.results import NotSavedParams, ScanState, Tone
from checkin.scanning import INTERNAL
from checkin.scanning import engine as engine_module
from checkin.store import Database, cipher
from tests.helpers.desk_helpers import answered, first_code, live_checkins, open_main_window
from tests.helpers.outcomes import params_of
from ui.app.shell import MainWindow

pytestmark = pytest.mark.gui


def test_two_scans_in_quick_succession_both_land_in_order(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    desk = window.desk
    seen: list[str] = []
    window.context.scans.answered.connect(lambda result: seen.append(result.input))
    codes = [first_code(demo_db, n) for n in range(3)]
    for code in codes:  # the second and third arrive while the first is being written
        desk.handle_input(code)
    assert window.context.scans.pending == 3
    answered(qtbot, desk)
    assert seen == codes  # each answered, in the order scanned
    assert live_checkins(demo_db) == 3
    assert desk.person.person is not None and desk.person.person.code == codes[-1]


def test_a_stock_ticket_queued_behind_a_check_in_goes_to_that_person(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """The ticket's scan is made when its turn comes, so it sees the person the check-in
    before it put on the card (not the empty card of the moment it was scanned)."""
    from checkin.ticketing import tickets

    desk = window.desk
    stock = tickets.create_stock(demo_db, "Backpack", 1)[0].code
    person = first_code(demo_db)
    assert desk.person.person is None
    desk.handle_input(person)
    desk.handle_input(stock)
    answered(qtbot, desk)
    held = tickets.get_ticket(demo_db, stock)
    assert held is not None and held.attendee_code == person


def test_a_held_file_says_saving_then_not_saved_and_the_window_keeps_ticking(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """Another program holds the event file's write lock: the scan waits for it off the GUI
    thread (a timer on the GUI thread keeps its pace), the banner says Saving… after 100 ms,
    and NOT saved with the cause when the wait gives up."""
    if demo_db.path is None:
        pytest.skip("SQLite's file lock")
    holder = cipher.connect(demo_db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    desk = window.desk
    try:
        desk.handle_input(first_code(demo_db))
        qtbot.waitUntil(lambda: desk.banner.title.text() == "Saving…", timeout=2000)
        qtbot.waitUntil(lambda: window.context.scans.pending == 0, timeout=15000)
    finally:
        timer.stop()
        holder.execute("ROLLBACK")
        holder.close()
    assert desk.banner.tone is Tone.ERROR
    assert desk.banner.title.text() == "NOT saved: scan again"
    assert "holding the event file" in desk.banner.detail.text()  # the cause
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 100  # seconds of waiting, and the GUI thread went on ticking
    assert max(gaps) < 0.5  # never frozen (a loaded CI machine may skip a few frames)
    assert live_checkins(demo_db) == 0


def test_a_programming_error_is_internal_logged_and_not_saved(
    qtbot: QtBot,
    window: MainWindow,
    demo_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object) -> object:
        raise AttributeError("'NoneType' object has no attribute 'code'")

    monkeypatch.setattr(engine_module._Scan, "_check_in", broken)
    desk = window.desk
    with caplog.at_level(logging.ERROR, logger="checkin"):
        desk.handle_input(first_code(demo_db))
        answered(qtbot, desk)
    assert desk.banner.tone is Tone.ERROR
    assert desk.banner.title.text() == "Internal error: this scan was NOT saved"
    assert "tell the organiser" in desk.banner.detail.text()
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None and record.exc_info[0] is AttributeError
    assert live_checkins(demo_db) == 0


def test_the_engine_answers_internal_and_writes_the_traceback_to_the_log_file(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    from checkin import logfile
    from checkin.results import Station
    from checkin.scanning import ScanEngine

    folder = Path(str(tmp_path)) / "data"
    path = logfile.install(folder)
    try:
        monkeypatch.setattr(
            engine_module._Scan, "_check_in", lambda *a: (_ for _ in ()).throw(KeyError("x"))
        )
        person = attendees.register(demo_db, first_name="Rosa").code
        result = ScanEngine(demo_db).scan(person, Station("Desk"))
    finally:
        logfile.uninstall()
    assert result.state is ScanState.NOT_SAVED
    assert params_of(result, NotSavedParams).failure == "internal" and result.message == INTERNAL
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "ERROR checkin.scanning.engine" in text and "KeyError" in text and "Traceback" in text


def test_closing_the_window_waits_for_the_writer(qtbot: QtBot, demo_db: Database) -> None:
    """A scan still being written when the window closes is written, not dropped."""
    main = open_main_window(demo_db)
    qtbot.addWidget(main)
    main.show()
    release = threading.Event()
    slow = main.context.engine.scan

    def slowly(*args: object, **kwargs: object) -> object:
        release.wait(2)
        return slow(*args, **kwargs)  # type: ignore[arg-type]

    main.context.engine.scan = slowly  # type: ignore[method-assign,assignment]
    main.desk.handle_input(first_code(demo_db))
    QTimer.singleShot(200, release.set)
    main.close()
    assert live_checkins(demo_db) == 1


@pytest.mark.postgres
@pytest.mark.slow
def test_a_server_that_stops_answering_never_freezes_the_window(qtbot: QtBot) -> None:
    """The shared server stops answering mid-event (the Wi-Fi hangs): the scan says Saving…,
    the window goes on ticking, and after the connection's timeout the scan says NOT saved
    (the server is unreachable); once the server answers again, the next scan is saved."""
    from sqlalchemy.engine import make_url

    from checkin.demo import populate
    from checkin.event import events
    from checkin.store import open_database
    from tests.helpers.net_proxy import proxied
    from tests.helpers.pg_support import fresh_database, require_pg_url

    with fresh_database(require_pg_url()) as url:
        setup = open_database(url, create=True)
        events.create_event(setup, "Server Party")
        populate(setup, attendees=5)
        setup.dispose()
        port = make_url(url).port
        assert port is not None
        with proxied(port) as proxy:
            db = open_database(proxy.url(url))
            people = [first_code(db, n) for n in range(3)]
            main = open_main_window(db)
            qtbot.addWidget(main)
            main.show()
            desk = main.desk
            ticks: list[float] = []
            timer = QTimer()
            timer.setInterval(10)
            timer.timeout.connect(lambda: ticks.append(time.monotonic()))
            timer.start()
            desk.handle_input(people[0])  # connects and answers
            answered(qtbot, desk)
            assert desk.banner.tone is Tone.SUCCESS
            proxy.stall()
            desk.handle_input(people[1])
            qtbot.waitUntil(lambda: desk.banner.title.text() == "Saving…", timeout=2000)
            qtbot.waitUntil(lambda: main.context.scans.pending == 0, timeout=30000)
            timer.stop()
            assert desk.banner.title.text() == "NOT saved: scan again"
            gaps = [b - a for a, b in itertools.pairwise(ticks)]
            assert max(gaps) < 0.5 and len(ticks) > 300  # seconds, and never frozen
            proxy.restore()
            desk.handle_input(people[2])
            answered(qtbot, desk)
            assert desk.banner.tone is Tone.SUCCESS  # a new connection, the scan saved
            main.close()
            db.dispose()
