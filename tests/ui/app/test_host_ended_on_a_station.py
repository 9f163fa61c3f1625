"""A joined desk whose host stops hosting: the status bar says so in its own colour, the desk
goes on with this laptop's copy, closing asks, the next launch says scans are waiting, and
everything goes to the host by itself when it hosts again. The "server" here is an event file
(the failover works on any database): what is tested is the station's side of the announcement
that checkin.hosting.host makes (tests/checkin/hosting/test_hosting_lifecycle.py does it for real).
Each test's data folder, where the station keeps its copy, is its own (tests/ui/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from checkin.hosting import unsent
from checkin.hosting.failover import join_station
from checkin.hosting.host import ENDED_KEY
from checkin.people.listing import iter_attendees
from checkin.results import Station, Tone
from checkin.store import Database
from checkin.store.models import Setting
from tests.helpers.desk_helpers import live_checkins
from ui.app.launch import unsent_text
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.desk.sounds import SoundBank
from ui.status_bar.connection_status import ENDED_STYLE

pytestmark = pytest.mark.gui


def test_a_station_knows_the_host_stopped_and_catches_up_when_it_is_back(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_db.path is not None
    station = join_station(str(demo_db.path), "desk-2")
    window = MainWindow(
        EventContext(station, Station("desk-2")), "joined", sounds=SoundBank(enabled=False)
    )
    qtbot.addWidget(window)
    window.show()
    status = window.connection_status
    assert status.text() == "Connected to the host"
    before = live_checkins(demo_db)

    # The host announces that it stops (HostSession.stop does this before it shuts stations out).
    demo_db.write(lambda s: s.merge(Setting(key=ENDED_KEY, value="now")))
    qtbot.waitUntil(
        lambda: status.text() == "Hosting ended: working on this laptop's copy", timeout=5000
    )
    assert status.styleSheet() == ENDED_STYLE

    code = next(iter_attendees(demo_db)).code
    qtbot.keyClicks(window.desk.scan, code)
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.desk.context.scans.pending == 0, timeout=10000)
    assert window.desk.banner.tone is Tone.SUCCESS, window.desk.banner.title.text()
    assert live_checkins(demo_db) == before  # on this laptop's copy only
    # The desk's counters count this laptop's own offline work.
    counters = window.desk.counters
    qtbot.waitUntil(
        lambda: (
            counters.summary is not None and counters.summary.households_checked_in == before + 1
        ),
        timeout=5000,
    )
    assert status.text() == "Hosting ended: working on this laptop's copy"

    asked: list[str] = []

    def keep_open(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", keep_open)
    window.close()
    assert window.isVisible() and len(asked) == 1
    assert "has not reached the host yet" in asked[0]
    # Were the app to end now, its next launch would say so (until merged).
    assert [(u.station, u.count) for u in unsent.waiting()] == [("desk-2", 1)]
    assert "desk-2: 1 scans, in " in unsent_text()

    # A host of the same event is back: the offline check-in goes to it by itself.
    demo_db.write(lambda s: s.execute(delete(Setting).where(Setting.key == ENDED_KEY)))
    qtbot.waitUntil(lambda: status.text().startswith("Back online: "), timeout=10000)
    assert status.text() == "Back online: 1 offline scans sent to the host (0 to check)"
    assert live_checkins(demo_db) == before + 1
    assert unsent.waiting() == [] and unsent_text() == ""
    window.close()
    assert len(asked) == 1  # nothing waits: no question
