"""File > Host this event on the network is an organiser action: hosting hands every name to
a server the stations reach (issue 21), as `checkin host` asks for the passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from checkin.results import Station
from checkin.store import Database
from tests.helpers.desk_helpers import checked
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.core.organiser_lock import OrganiserLockDialog
from ui.desk.sounds import SoundBank

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, db: Database, opened: list[str | None]) -> MainWindow:
    def opener(location: str | None, _window: object) -> None:
        opened.append(location)

    window = MainWindow(
        EventContext(db, Station("Desk 1")),
        str(db.path),
        opener=opener,
        sounds=SoundBank(enabled=False),
    )
    qtbot.addWidget(window)
    return window


def test_hosting_asks_for_the_passphrase_and_a_wrong_one_hosts_nothing(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def wrong(dialog: OrganiserLockDialog) -> int:
        dialog.passphrase_edit.setText("not it")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        checked(dialog)
        return 0

    monkeypatch.setattr(OrganiserLockDialog, "exec", wrong)
    opened: list[str | None] = []
    window = _window(qtbot, db, opened)
    window.host_action.trigger()
    assert opened == []
    assert not window.context.organiser_unlocked


def test_the_right_passphrase_hosts(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def right(dialog: OrganiserLockDialog) -> int:
        dialog.passphrase_edit.setText("secret")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        checked(dialog)
        return 1

    monkeypatch.setattr(OrganiserLockDialog, "exec", right)
    opened: list[str | None] = []
    window = _window(qtbot, db, opened)
    window.host_action.trigger()
    assert opened == [f"host:{Path(str(db.path))}"]
