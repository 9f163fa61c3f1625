"""Undo goes through the station's one writer queue: in turn with the scans sent before it,
and off the GUI thread (it ran on the GUI thread, past the queue, before: a scan still waiting
was not what Undo saw, and the undo's write held the window)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin import undo
from checkin.changes import Changes, Kind
from checkin.people import attendees
from checkin.results import ScanResult
from checkin.store import Database
from tests.helpers.desk_helpers import answered, first_code, open_main_window
from ui.app.shell import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> MainWindow:
    main = open_main_window(demo_db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _checked_in(db: Database, code: str) -> bool:
    person = attendees.get_attendee(db, code)
    assert person is not None
    return person.checked_in_at is not None


def test_undo_pressed_while_a_scan_waits_undoes_that_scan_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = threading.get_ident()
    threads: dict[str, int] = {}
    real_last, real_undo = undo.last_action, undo.undo_last

    def last_action(*args: Any, **kwargs: Any) -> undo.UndoPreview | None:
        threads["read"] = threading.get_ident()
        return real_last(*args, **kwargs)

    def undo_last(*args: Any, **kwargs: Any) -> undo.UndoResult:
        threads["write"] = threading.get_ident()
        return real_undo(*args, **kwargs)

    monkeypatch.setattr(undo, "last_action", last_action)
    monkeypatch.setattr(undo, "undo_last", undo_last)
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    desk, context = window.desk, window.context
    first, second = first_code(demo_db, 0), first_code(demo_db, 1)
    rosa = attendees.get_attendee(demo_db, second)
    assert rosa is not None

    # The writer is busy with a slow first scan; the second waits its turn behind it.
    release = threading.Event()

    def make_slow() -> Callable[[], ScanResult]:
        station = context.station

        def slow() -> ScanResult:
            release.wait(10)
            return context.engine.check_in(first, station)

        return slow

    told: list[Changes] = []
    context.changed.connect(told.append)
    context.scans.submit(make_slow, desk.show_result)
    desk.handle_input(second)
    qtbot.keyClick(desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert asked == []  # nothing read past the writes queued before the undo
    release.set()
    qtbot.waitUntil(lambda: not desk.activity.undoing, timeout=15000)
    answered(qtbot, desk)

    assert len(asked) == 1 and rosa.first_name in asked[0]  # the scan queued last
    assert _checked_in(demo_db, first) and not _checked_in(demo_db, second)
    assert threads["read"] != gui and threads["write"] != gui
    assert desk.banner.title.text() == "Undone"
    # The views hear what the undo changed, not "everything" (checkin/changes.py).
    assert told[-1] == Changes.of(Kind.CHECKINS, Kind.TICKETS)
    assert Changes.everything() not in told
