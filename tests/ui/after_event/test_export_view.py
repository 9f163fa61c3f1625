"""The Export screen: organiser lock, progress, opening the folder, report and purge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin.after_event.export import FILES
from checkin.store.models import Attendee
from tests.helpers.desk_helpers import answer_lock
from ui.after_event.export_view import ExportView
from ui.core.context import EventContext

pytestmark = pytest.mark.gui


@pytest.fixture
def context(context: EventContext) -> EventContext:
    assert not context.organiser_unlocked  # the test event has a passphrase
    return context


def make(qtbot: QtBot, context: EventContext, tmp_path: Path) -> tuple[ExportView, list[QUrl]]:
    view = ExportView(context)
    qtbot.addWidget(view)
    opened: list[QUrl] = []
    view.open_url = opened.append
    view.folder.setText(str(tmp_path / "export"))
    view.show()
    return view, opened


def answer_passphrase(monkeypatch: pytest.MonkeyPatch, passphrase: str) -> list[int]:
    return answer_lock(monkeypatch, passphrase)  # the one organiser lock's dialog


def test_export_asks_for_the_passphrase_then_writes_and_opens_the_folder(
    qtbot: QtBot, context: EventContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, opened = make(qtbot, context, tmp_path)
    asked = answer_passphrase(monkeypatch, "secret")
    view.export_button.click()
    assert asked == [1]
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    folder = tmp_path / "export"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert view.progress.value() == view.progress.maximum() > 0
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert "attendees.csv (30)" in view.status.text()


def test_wrong_passphrase_exports_nothing(
    qtbot: QtBot, context: EventContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, opened = make(qtbot, context, tmp_path)
    answer_passphrase(monkeypatch, "guess")
    view.export_button.click()
    assert not view.busy
    assert not (tmp_path / "export").exists() and opened == []
    assert "Still locked" in view.status.text()


def test_anonymous_export_leaves_names_out(
    qtbot: QtBot, context: EventContext, tmp_path: Path
) -> None:
    assert context.unlock("secret")
    view, _ = make(qtbot, context, tmp_path)
    view.anonymous.setChecked(True)
    view.export_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    header = (
        (tmp_path / "export" / "attendees.csv").read_text(encoding="utf-8-sig").split("\r\n")[0]
    )
    assert "first_name" not in header and "zip" in header
    assert "Anonymous export" in view.status.text()


def test_report_button_writes_the_report(
    qtbot: QtBot, context: EventContext, tmp_path: Path
) -> None:
    assert context.unlock("secret")
    view, _ = make(qtbot, context, tmp_path)
    view.save_report(tmp_path / "report.html")
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Test Party" in html and "Tickets and resources" in html
    assert "Report saved" in view.status.text()


def test_purge_needs_the_typed_phrase(
    qtbot: QtBot, context: EventContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert context.unlock("secret")
    view, _ = make(qtbot, context, tmp_path)
    assert not view.purge_button.isEnabled()
    view.purge_phrase.setText("PURGE something else")
    assert not view.purge_button.isEnabled()
    view.purge_phrase.setText("PURGE Test Party")
    assert view.purge_button.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    changed: list[bool] = []
    context.changed.connect(lambda: changed.append(True))
    view.purge_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=20000)
    assert "Personal data removed from 30 attendees" in view.status.text()
    assert changed
    with context.db.reading() as session:
        assert set(session.scalars(select(Attendee.last_name))) == {""}
    assert not view.purge_button.isEnabled() and view.purge_phrase.text() == ""


def test_after_an_export_the_focus_is_not_in_the_purge_field(
    qtbot: QtBot, context: EventContext, tmp_path: Path
) -> None:
    """Issue 12, problem 16: the next keys typed must not land in the PURGE confirmation."""
    view, _opened = make(qtbot, context, tmp_path)
    assert context.unlock("secret")
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.export_button.setFocus()
    QTest.keyClick(view.export_button, Qt.Key.Key_Space)  # pressed from the keyboard
    # (the app's scan router holds a printable key a moment, to tell a scanner from a person)
    qtbot.waitUntil(lambda: "saved in" in view.status.text(), timeout=10000)
    assert not view.purge_phrase.hasFocus()
    assert view.export_button.hasFocus()


def test_the_export_says_how_many_households_withdrew_their_consent(
    qtbot: QtBot, context: EventContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24: a withdrawal is named where the organiser exports, as `checkin export` does."""
    from checkin.people.consent_withdrawal import withdraw_consent
    from checkin.people.listing import iter_attendees

    withdraw_consent(context.db, next(iter_attendees(context.db)).code)
    view, _opened = make(qtbot, context, tmp_path)
    answer_passphrase(monkeypatch, "secret")
    view.export_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    assert "1 household(s) withdrew their contact consent" in view.status.text()
