"""The logo picker in Setup: a chosen image lands in the event file and on the printed faces;
a file that is not an image is refused with a message and the old logo stays."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from checkin.event.logo import event_logo
from checkin.results import Station
from checkin.store import Database
from ui.core.context import EventContext
from ui.setup.logo_picker import LogoPicker

pytestmark = pytest.mark.gui


@pytest.fixture
def picker(qtbot: QtBot, db: Database) -> LogoPicker:
    widget = LogoPicker(EventContext(db, Station("Setup laptop")))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_choose_then_remove_a_logo(
    picker: LogoPicker, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert picker.preview.text() == "No logo" and not picker.remove_button.isEnabled()
    image = tmp_path / "kcpd.jpg"
    Image.new("RGB", (1200, 800), (20, 60, 160)).save(image)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(image), ""))
    QTest.mouseClick(picker.choose_button, Qt.MouseButton.LeftButton)
    stored = event_logo(db)
    assert stored is not None and stored.startswith(b"\x89PNG")  # kept as a small PNG
    assert not picker.preview.pixmap().isNull() and picker.remove_button.isEnabled()
    assert "saved" in picker.status.text()
    with Image.open(io.BytesIO(stored)) as kept:
        assert max(kept.size) <= 600  # shrunk: sharp on a ticket, small in the file
    QTest.mouseClick(picker.remove_button, Qt.MouseButton.LeftButton)
    assert event_logo(db) is None
    assert picker.preview.text() == "No logo" and "removed" in picker.status.text()


def test_a_file_that_is_not_an_image_keeps_the_old_logo(
    picker: LogoPicker, db: Database, tmp_path: Path
) -> None:
    good = tmp_path / "logo.png"
    Image.new("RGB", (50, 50), (200, 0, 0)).save(good)
    assert picker.use(good)
    before = event_logo(db)
    bad = tmp_path / "guests.csv"
    bad.write_text("first,last\nRosa,Diaz\n", encoding="utf-8")
    assert not picker.use(bad)
    assert "guests.csv" in picker.status.text() and "PNG" in picker.status.text()
    assert event_logo(db) == before


def test_cancelling_the_dialog_changes_nothing(
    picker: LogoPicker, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    picker.choose()
    assert event_logo(db) is None and picker.status.text() == ""
