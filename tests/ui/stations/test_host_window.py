"""The host's screen on a real server: the join code and its QR, each station with its scans
and whether it is online, then Stop hosting writes the event file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from checkin.after_event.summary import summarize
from checkin.hosting.join_code import parse_join_code
from checkin.hosting.server import KEPT_ACROSS_STOPS
from checkin.store import open_database
from tests.helpers.hosting_fixtures import (  # the hosting tests' folder and clean-up
    _abandoned_lines_collected,  # noqa: F401
    host_tmp_path,  # noqa: F401  (tmp_path)
)
from tests.helpers.hosting_support import ScanStation, make_event
from ui.core import tasks
from ui.stations.host_window import HostWindow

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def _row(window: HostWindow, name: str) -> tuple[str, str, str] | None:
    table = window.stations
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.text() == name:
            state = table.cellWidget(row, 3)
            assert isinstance(state, QLabel)
            return item.text(), table.item(row, 2).text(), state.text()  # type: ignore[union-attr]
    return None


def test_the_host_screen_lists_stations_and_stops_into_the_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_file = tmp_path / "party.checkin"
    people, _ = make_event(event_file, people=10, meals=1)
    started: list[str] = []
    window = HostWindow(event_file, listen="127.0.0.1", on_started=started.append)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.hosting is not None, timeout=60000)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", window.code.text())
    assert parse_join_code(window.code.text()).secret == window.hosting.join.secret  # type: ignore[union-attr]
    assert window.qr.pixmap() is not None and not window.qr.pixmap().isNull()
    # This laptop's desk is not counted by its connection but under its own name (launch
    # sets it once the desk is open): one station, online, no extra "Host" row.
    assert started and "application_name=checkin-host-desk" in started[0]
    window.session.own_station = "Desk 1"
    qtbot.waitUntil(lambda: _row(window, "Desk 1") == ("Desk 1", "0", "online"), timeout=10000)
    station = ScanStation(window.hosting.join.with_address, "cli-desk", tmp_path / "s")  # type: ignore[union-attr]
    try:
        for code in people[:2]:
            assert station.scan(code)["state"] == "checked_in"
        qtbot.waitUntil(
            lambda: _row(window, "cli-desk") == ("cli-desk", "2", "online"), timeout=10000
        )
    finally:
        assert station.close() == 0
    qtbot.waitUntil(lambda: _row(window, "cli-desk") == ("cli-desk", "2", "offline"), timeout=10000)
    assert _row(window, "Host") is None
    asked: list[str] = []

    def stop_anyway(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", stop_anyway)
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1  # cli-desk is offline: it might hold scans not sent yet
    qtbot.waitUntil(lambda: window.saved is not None, timeout=60000)
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=15000)
    assert window.status.text() == f"Stopped: {window.saved} scans saved to party.checkin"
    assert window.code.text() == "" and window.qr.pixmap().isNull()  # the code is dead now
    assert window.code_title.text() == "Hosting has stopped: this code no longer works."
    archive = open_database(event_file)
    try:
        assert summarize(archive).households_checked_in == 2
    finally:
        archive.dispose()
    # Only what the next host of the file needs is left: its join code and port, its
    # certificate (stations stay pinned) and its owner's password; no cluster, no log.
    assert {p.name for p in (tmp_path / "party.checkin-server").iterdir()} <= set(KEPT_ACROSS_STOPS)
