from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from checkin.results import Station
from checkin.store import Database
from tests.helpers.desk_helpers import isolate_settings, shown_window
from tests.helpers.project_paths import ROOT
from ui.app.shell import MainWindow
from ui.core.context import EventContext


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No GUI test reads or writes the user's real preferences, or backs up into the user's
    real backup folder."""
    isolate_settings(tmp_path / "settings")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    yield


@pytest.fixture
def spanish(qtbot: QtBot) -> Iterator[None]:
    """The app's Spanish translation installed for one test."""
    translator = QTranslator()
    assert translator.load(str(ROOT / "resources" / "translations" / "checkin_es.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


@pytest.fixture(autouse=True)
def _no_scan_waits_for_the_next_test() -> Iterator[None]:
    """A scan made while no desk was open waits for the next desk: not for the next test's."""
    yield
    from ui.core.scan_desks import ScanDesks

    ScanDesks.of_app().waiting.clear()


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> MainWindow:
    """The main window on the demo event, shown, the desk's scan field holding the keyboard."""
    return shown_window(qtbot, demo_db)


@pytest.fixture
def context(demo_db: Database) -> EventContext:
    """The demo event as a desk station's screens see it."""
    return EventContext(demo_db, Station("Desk"))
