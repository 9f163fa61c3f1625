"""A hosted event's server address carries its password: never in the window title (seen by
everyone at the table) nor in the recent-files list saved in the settings (a tester found
both)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from checkin.store import Database
from tests.helpers.desk_helpers import open_main_window
from ui.app.shell import recent_files, remember_recent, without_password

pytestmark = pytest.mark.gui

URL = "postgresql+psycopg://checkin:9a8e0ca6secret@127.0.0.1:50551/checkin?application_name=x"


def test_the_title_shows_the_server_without_its_password(qtbot: QtBot, demo_db: Database) -> None:
    window = open_main_window(demo_db, URL)
    qtbot.addWidget(window)
    assert "9a8e0ca6secret" not in window.windowTitle()
    assert "checkin@127.0.0.1:50551/checkin" in window.windowTitle()


def test_recent_files_never_keep_a_password(tmp_path: object) -> None:
    QSettings().setValue("recent_files", [URL])  # as an older version left it
    assert recent_files() == []
    remember_recent(URL)
    assert "secret" not in str(QSettings().value("recent_files", []))
    plain = "postgresql+psycopg://checkin@192.168.1.10/blockparty"
    remember_recent(plain)
    assert recent_files() == [plain]
    assert without_password(URL) == "postgresql+psycopg://checkin@127.0.0.1:50551/checkin"
