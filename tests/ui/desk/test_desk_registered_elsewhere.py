"""The desk of station copy B scans the code of a walk-up registered on station copy A
(issue 24, item 7): amber "Registered at another station: checked in here", one person's
tickets, and the check-in is in B's file for the merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.results import Station, Tone
from checkin.stations.station_copy import make_station_copy
from checkin.store import Database, open_database
from tests.helpers.desk_helpers import live_checkins, open_main_window

pytestmark = pytest.mark.gui


def test_a_walkup_of_another_station_checks_in_amber(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, spanish: None
) -> None:
    copies = []
    for name in ("A", "B"):
        make_station_copy(demo_db, tmp_path / f"{name}.checkin", f"Station {name}")
        copies.append(open_database(tmp_path / f"{name}.checkin"))
    a, b = copies
    walkup = attendees.register(a, Station("Station A"), first_name="Rosa", adults=3)
    window = open_main_window(b, str(tmp_path / "B.checkin"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    desk = window.desk
    desk.focus_scan()
    before = live_checkins(b)
    qtbot.keyClicks(desk.scan, walkup.code)  # a scanner's burst
    qtbot.keyClick(desk.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.context.scans.pending == 0, timeout=15000)
    assert live_checkins(b) == before + 1
    assert desk.banner.tone is Tone.WARNING  # amber: refused in red before
    assert desk.banner.title.text() == "Inscrito en otra estación: registrado aquí"
    assert "una persona" in desk.banner.detail.text()
    a.dispose()
    window.close()
