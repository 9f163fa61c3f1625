"""The same event open twice on one laptop (issue 20, problem 13): two windows, or two copies
of the app on one file, gave no warning and two counters that disagreed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database, open_database
from tests.helpers.desk_helpers import first_code, open_main_window
from ui.app import launch
from ui.core.event_lock import lock_path

pytestmark = pytest.mark.gui


def test_a_second_window_on_the_same_file_is_warned(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    assert demo_db.path is not None
    first = launch.open_window(str(demo_db.path), "Desk 1", "Ana")
    assert first is not None and warned == []
    second = launch.open_window(str(demo_db.path), "Desk 2", "Bo")
    try:
        assert second is not None
        assert len(warned) == 1 and "already open" in warned[0]
    finally:
        for window in (first, second):
            if window is not None:
                window.close()
    qtbot.waitUntil(lambda: not launch._windows)
    # Both closed: the lock is gone, the next opening is not warned.
    again = launch.open_window(str(demo_db.path), "Desk 1", "Ana")
    assert again is not None and len(warned) == 1
    again.close()
    qtbot.waitUntil(lambda: not launch._windows)


def test_another_program_holding_the_file_is_warned(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    assert demo_db.path is not None
    path = lock_path(demo_db.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    other = QLockFile(str(path))  # what another copy of the app holds while it is open
    assert other.tryLock(0)
    try:
        window = launch.open_window(str(demo_db.path), "Desk 1", "Ana")
        assert window is not None and len(warned) == 1
        window.close()
        qtbot.waitUntil(lambda: not launch._windows)
    finally:
        other.unlock()


def test_counters_agree_with_another_writer_on_the_same_file(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    assert window.file_watch is not None
    window.file_watch.timer.setInterval(100)
    qtbot.waitUntil(lambda: window.desk.counters.summary is not None)
    assert window.desk.counters.summary is not None
    assert window.desk.counters.summary.people_checked_in == 0
    assert demo_db.path is not None
    elsewhere = open_database(str(demo_db.path))  # the other window's or program's connection
    try:
        answer = ScanEngine(elsewhere).scan(first_code(demo_db), Station("Desk 2"))
        assert answer.state is ScanState.CHECKED_IN
    finally:
        elsewhere.dispose()
    qtbot.waitUntil(
        lambda: (
            window.desk.counters.summary is not None
            and window.desk.counters.summary.people_checked_in > 0
        ),
        timeout=5000,
    )
