"""The connection indicator: says at once when scans are not being saved, and when to rescan."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from checkin.results import ScanResult, ScanState, Station
from checkin.store import Database, create_db_engine
from ui.core.context import EventContext
from ui.status_bar.connection_status import ConnectionStatus, install_connection_status

pytestmark = pytest.mark.gui


def _answer(qtbot: QtBot, status: ConnectionStatus) -> None:
    qtbot.waitUntil(lambda: status._task is None, timeout=15_000)


def test_a_file_on_this_laptop_is_quiet_until_it_vanishes(
    qtbot: QtBot, db: Database, db_path: Path, tmp_path: Path
) -> None:
    context = EventContext(db, Station("desk-1"))
    status = ConnectionStatus(context, interval_seconds=60)
    qtbot.addWidget(status)
    _answer(qtbot, status)
    assert status.reachable and status.text() == ""
    db_path.rename(tmp_path / "moved.checkin")  # the USB stick holding the file was pulled
    status.ping_now()
    _answer(qtbot, status)
    assert not status.reachable
    assert "NOT being saved" in status.text() and "#b71c1c" in status.styleSheet()
    (tmp_path / "moved.checkin").rename(db_path)
    status.ping_now()
    _answer(qtbot, status)
    assert status.reachable and status.text() == "Connected again"


def test_a_file_replaced_under_the_app_is_shown_as_not_saving(
    qtbot: QtBot, db: Database, db_path: Path, tmp_path: Path
) -> None:
    import os
    import shutil

    context = EventContext(db, Station("desk-1"))
    status = ConnectionStatus(context, interval_seconds=60)
    qtbot.addWidget(status)
    _answer(qtbot, status)
    shutil.copy(db_path, tmp_path / "other.checkin")
    os.replace(tmp_path / "other.checkin", db_path)  # same name, another file
    result = context.engine.scan("nothing", context.station)
    assert result.state is ScanState.NOT_SAVED
    status.note_scan(result)
    _answer(qtbot, status)
    assert not status.reachable
    assert "Event file unreachable" in status.text() and "#b71c1c" in status.styleSheet()


def test_an_unreachable_server_is_shown_in_red_and_rescans_are_asked_for(
    qtbot: QtBot, db: Database
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    context = EventContext(db, Station("desk-1"))
    server = Database(create_db_engine(f"postgresql+psycopg://x:y@127.0.0.1:{port}/party"))
    context.db = server  # a station pointed at a server that is not answering
    window = QMainWindow()
    qtbot.addWidget(window)
    status = install_connection_status(window, context)
    _answer(qtbot, status)
    assert status.text() == "Server unreachable — scans are NOT being saved"
    assert not status.reachable
    status.note_scan(ScanResult("AB12-CD34", ScanState.NOT_SAVED, "NOT saved"))
    _answer(qtbot, status)
    assert status.not_saved == ["AB12-CD34"]
    context.db = db  # the server answers again
    status.ping_now()
    _answer(qtbot, status)
    assert status.text() == "Saving works again — scan again what was shown as NOT saved (1)"
    status.acknowledge()
    assert status.not_saved == []
    server.dispose()
