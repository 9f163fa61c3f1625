"""Stop hosting asks first while other stations are online or may hold scans not sent yet (one
click used to stop every station); this laptop's own desk is not a reason to ask. No server
here: the window is given the station list its refresh would show (tests/checkin/hosting/
test_host_window.py stops a real one)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin.hosting.host import Hosting, StationPresence
from checkin.hosting.join_code import JoinCode, new_secret
from tests.helpers.calls import noted
from ui.core import tasks
from ui.stations.host_window import HostWindow

pytestmark = pytest.mark.gui


def test_stop_hosting_asks_while_stations_may_still_need_the_host(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = HostWindow(tmp_path / "party.checkin", listen="127.0.0.1")
    qtbot.addWidget(window)
    stops: list[int] = []
    monkeypatch.setattr(window.session, "stop", lambda: noted(stops, 1, 7))
    window.hosting = Hosting("url", JoinCode(new_secret(), "127.0.0.1", 5433), "Party", False)
    window.session.own_station = "Desk 1"
    window.stop_button.setEnabled(True)
    now = datetime.now(UTC).replace(tzinfo=None)
    window._show(
        (
            [
                StationPresence("Desk 1", now, 4, True),  # this laptop's desk
                StationPresence("desk-2", now, 3, True),
                StationPresence("meal", now, 9, False),
            ],
            [],
        )
    )
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert asked[0].startswith("Stations online: 1. Offline, maybe holding scans not sent yet: 1.")
    assert stops == [] and window.hosting is not None  # still hosting

    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.saved == 7, timeout=5000)
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=5000)
    assert len(asked) == 2 and stops == [1]


def test_with_only_this_laptops_desk_stop_hosting_does_not_ask(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = HostWindow(tmp_path / "party.checkin", listen="127.0.0.1")
    qtbot.addWidget(window)
    monkeypatch.setattr(window.session, "stop", lambda: 0)
    window.hosting = Hosting("url", JoinCode(new_secret(), "127.0.0.1", 5433), "Party", False)
    window.session.own_station = "Desk 1"
    window.stop_button.setEnabled(True)
    now = datetime.now(UTC).replace(tzinfo=None)
    window._show(([StationPresence("Desk 1", now, 4, True)], []))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append("?"))
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.saved == 0, timeout=5000)
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=5000)
    assert asked == []
