"""An encrypted event file in the app (issue 26): on a laptop not authorised for it, opening asks
the organiser passphrase; File > "This laptop may open this event…" authorises the laptop, after
the passphrase."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from checkin.store import Database, file_keys, open_database
from tests.helpers.desk_helpers import open_main_window
from ui.app import launch

pytestmark = pytest.mark.gui
PASSPHRASE = "secret"  # the `db` fixture's event


@pytest.fixture
def another_laptop(tmp_path: Path) -> Iterator[None]:
    before = os.environ[file_keys.KEY_DIR_ENV]
    os.environ[file_keys.KEY_DIR_ENV] = str(tmp_path / "another-laptop")
    file_keys._known.clear()
    yield
    os.environ[file_keys.KEY_DIR_ENV] = before
    file_keys._known.clear()


def type_answers(answers: list[str], typed: list[str]) -> None:
    """Type each answer into the passphrase dialog as it comes up (hidden field), then OK."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        typed.append(dialog.labelText())
        field = dialog.findChild(QLineEdit)
        assert field is not None and field.echoMode() is QLineEdit.EchoMode.Password
        field.setText(answers.pop(0))
        dialog.accept()
        if answers:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def test_opening_on_another_laptop_asks_the_passphrase(
    qtbot: QtBot, demo_db: Database, another_laptop: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_db.path is not None
    asked: list[str] = []
    type_answers(["not it at all", PASSPHRASE], asked)
    window = launch.open_window(str(demo_db.path), "Desk 1", "Ana")
    try:
        assert window is not None
        assert "not authorised" in asked[0] and "Wrong passphrase" in asked[1]
    finally:
        if window is not None:
            window.close()
    qtbot.waitUntil(lambda: not launch._windows)


def test_cancelling_the_passphrase_opens_nothing(
    qtbot: QtBot, demo_db: Database, another_laptop: None
) -> None:
    assert demo_db.path is not None

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QInputDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, cancel)

    QTimer.singleShot(20, cancel)
    assert launch.open_window(str(demo_db.path), "Desk 1", "Ana") is None


def test_the_file_menu_authorises_this_laptop_after_the_passphrase(
    qtbot: QtBot, demo_db: Database, another_laptop: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_db.path
    assert path is not None
    file_keys.unlock(path, PASSPHRASE)  # opened with the passphrase, as above
    db = open_database(path)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    # The passphrase's key derivation (0.6 s on purpose) runs off the GUI thread (ui/core/ops.py).
    threads: list[threading.Thread] = []
    authorise = file_keys.authorise

    def noted(where: Path, passphrase: str) -> None:
        threads.append(threading.current_thread())
        authorise(where, passphrase)

    monkeypatch.setattr(file_keys, "authorise", noted)
    window = open_main_window(db)
    qtbot.addWidget(window)
    try:
        assert window.authorise_action in window.file_menu.actions()
        assert window.authorise_action.isVisible()
        asked: list[str] = []
        type_answers(["wrong again", PASSPHRASE], asked)
        window.authorise_action.trigger()
        assert len(asked) == 2 and said and "without the passphrase" in said[0]
        assert len(threads) == 2 and threading.main_thread() not in threads
    finally:
        window.close()
        db.dispose()
    file_keys._known.clear()  # a later run on this laptop: its own key opens the file
    assert file_keys.key_for(path)
