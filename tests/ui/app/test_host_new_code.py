"""File > Host with a new join code: for when the code leaked (an event file otherwise keeps its
code from one hosting to the next). It asks first, then hosts the file with a new code."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from checkin.results import Station
from checkin.store import Database
from ui.app import launch
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.desk.sounds import SoundBank

pytestmark = pytest.mark.gui


def test_host_with_a_new_join_code_asks_then_hosts_with_a_new_code(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []

    def opener(location: str | None, _window: QWidget) -> None:
        opened.append(location)

    window = MainWindow(
        EventContext(demo_db, Station("Desk 1", volunteer="Ana")),
        "event.checkin",
        opener=opener,
        sounds=SoundBank(enabled=False),
    )
    qtbot.addWidget(window)
    # Hosting is an organiser action (the passphrase asked after the new-code question).
    assert window.context.unlock("secret")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    window.host_new_code_action.trigger()
    assert opened == [] and "The old code stops working" in asked[0]
    window.host_new_code_action.trigger()
    assert opened == [f"host-new-code:{demo_db.path}"]

    hosted: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        launch, "_host", lambda path, *, new_code=False: hosted.append((path, new_code))
    )
    launch.open_window(opened[0])
    launch.open_window(f"host:{demo_db.path}")
    assert hosted == [(str(demo_db.path), True), (str(demo_db.path), False)]
