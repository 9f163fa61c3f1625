"""A closed main window lets go of its event file (Python 3.13 reports every sqlite3
connection left open, and a stick cannot be ejected while the app holds the file)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.pool import QueuePool

from checkin.store import Database
from tests.helpers.desk_helpers import open_main_window

pytestmark = pytest.mark.gui


def test_a_closed_window_closes_its_connections_and_timers(qtbot: QtBot, demo_db: Database) -> None:
    pool = demo_db.engine.pool
    assert isinstance(pool, QueuePool)  # counts its connections
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: pool.checkedin() > 0, timeout=5000)
    assert window.close()
    assert pool.checkedin() == 0
    qtbot.wait(300)  # nothing wakes up afterwards to open the file again
    assert pool.checkedin() == 0 and pool.checkedout() == 0
