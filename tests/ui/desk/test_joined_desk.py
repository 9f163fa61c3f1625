"""A GUI station joins a real host through the welcome screen's join dialog (zeroconf list,
typed code), works through our proxy, keeps checking people in while the proxy is cut (amber:
working offline), and sends those scans to the host when the network is back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin.after_event.summary import summarize
from checkin.results import Station, Tone
from checkin.store import open_database
from checkin.store.models import Attendee, CheckIn
from tests.helpers.blackhole_proxy import Proxy
from tests.helpers.hosting_fixtures import (  # the hosting tests' folder and clean-up
    _abandoned_lines_collected,  # noqa: F401
    host_tmp_path,  # noqa: F401  (tmp_path)
)
from tests.helpers.hosting_support import HostProcess, make_event
from ui.app.shell import MainWindow
from ui.core import tasks
from ui.core.context import EventContext
from ui.desk.sounds import SoundBank
from ui.start.join_dialog import JoinDialog

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def test_a_joined_desk_works_offline_and_catches_up(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "station"))
    event_file = tmp_path / "party.checkin"
    # A name of its own: another test's host may be announced on this machine at the same time.
    people, _meals = make_event(event_file, people=20, meals=1, name="Joined Desk Party")
    host = HostProcess(event_file, tmp_path / "host")
    proxy = Proxy(host.port)
    try:
        dialog = JoinDialog(browse_now=False)
        qtbot.addWidget(dialog)
        dialog.look()

        def listed() -> list[str]:
            labels = (dialog.events.item(row).text() for row in range(dialog.events.count()))
            return [label for label in labels if label.startswith("Joined Desk Party (")]

        qtbot.waitUntil(lambda: len(listed()) == 1, timeout=10000)
        qtbot.keyClicks(dialog.code, "nope")
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        assert "12 letters and digits" in dialog.message.text()
        dialog.code.clear()
        dialog.name.setText("gui-desk")
        dialog.volunteer.setText("Ana")
        qtbot.keyClicks(dialog.code, f"{host.join}@127.0.0.1:{proxy.port}")
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.database is not None, timeout=30000)
        db = dialog.database
        assert db is not None
        window = MainWindow(
            EventContext(db, Station(dialog.station, volunteer=dialog.volunteer_name)),
            "joined",
            sounds=SoundBank(enabled=False),
        )
        window.show()  # not qtbot's: this test deletes it before the host stops
        status = window.connection_status
        assert status.text() == "Connected to the host"

        def scan(code: str) -> float:
            started = time.monotonic()
            qtbot.keyClicks(window.desk.scan, code)
            qtbot.keyClick(window.desk.scan, Qt.Key.Key_Return)
            # The desk's writer answers off the GUI thread.
            qtbot.waitUntil(lambda: window.desk.context.scans.pending == 0, timeout=15000)
            assert window.desk.banner.tone is Tone.SUCCESS, window.desk.banner.title.text()
            return time.monotonic() - started

        for code in people[:3]:
            scan(code)
        known = summarize(db.local).households_checked_in  # what this laptop's copy knows
        proxy.cut()
        offline = [scan(code) for code in people[3:7]]
        assert max(offline) < 2.0, offline
        # Its counters count its own offline work: they stood still while the reads they made
        # waited on the cut line and held every worker thread (a tester).
        counters = window.desk.counters
        qtbot.waitUntil(
            lambda: (
                counters.summary is not None and counters.summary.households_checked_in == known + 4
            ),
            timeout=10000,
        )
        qtbot.waitUntil(
            lambda: status.text() == "Working offline — scans are saved on this laptop",
            timeout=2000,
        )
        # Closing now would leave those scans on this laptop only: the volunteer is asked.
        asked: list[str] = []

        def keep_open(_parent: object, _title: str, text: str, *_args: object) -> object:
            asked.append(text)
            return QMessageBox.StandardButton.No

        monkeypatch.setattr(QMessageBox, "question", keep_open)
        window.close()
        assert window.isVisible() and len(asked) == 1
        assert "has not reached the host yet" in asked[0]
        proxy.restore()
        qtbot.waitUntil(lambda: status.text().startswith("Back online: "), timeout=20000)
        assert "offline scans sent to the host" in status.text()
        # This laptop's copy was made again from the host: it knows the online check-ins too.
        with db.local.reading() as session:
            known_codes = session.scalars(
                select(Attendee.code)
                .join(CheckIn, CheckIn.attendee_id == Attendee.id)
                .where(CheckIn.undone_at.is_(None))
            ).all()
        assert set(people[:7]) <= set(known_codes)
        scan(people[7])
        window.close()  # everything has reached the host: no question
        assert len(asked) == 1
        window.deleteLater()  # no view timer reads the host after this
        qtbot.waitUntil(lambda: tasks.running() == 0, timeout=15000)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.dispose()
        stopped = host.stop()
        assert stopped.startswith("stopped: ")
    finally:
        proxy.close()
        if host.process.poll() is None:
            host.kill()
    archive = open_database(event_file)
    try:
        with archive.reading() as session:
            checked = set(
                session.scalars(
                    select(Attendee.code)
                    .join(CheckIn, CheckIn.attendee_id == Attendee.id)
                    .where(CheckIn.undone_at.is_(None))
                )
            )
    finally:
        archive.dispose()
    assert set(people[:8]) <= checked
