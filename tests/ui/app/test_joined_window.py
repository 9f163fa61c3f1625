"""A joined desk (`checkin --join CODE`) opens like any desk: maximised within the screen
(issue 20, problem 14: it opened at 910x570, its own size hint)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from checkin.store import Database
from ui.app import launch

pytestmark = pytest.mark.gui


def test_a_joined_desk_opens_maximised(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checkin.hosting.failover as failover

    monkeypatch.setattr(failover, "join_station", lambda url, station: demo_db)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)  # the event loop is the test's
    before = list(launch._windows)
    assert launch.run_joined("http://host.invalid", "Desk 2") == 0
    window = next(w for w in launch._windows if w not in before)
    qtbot.addWidget(window)
    try:
        qtbot.waitExposed(window)
        assert window.isMaximized() or window.isFullScreen()
        usable = window.screen().availableGeometry()
        assert window.width() >= usable.width() - 50, (window.width(), usable.width())
    finally:
        window.close()
        launch._windows.remove(window)
