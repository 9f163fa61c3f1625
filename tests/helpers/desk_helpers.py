"""Shared set-up for the desk's GUI tests: the real main window on a fresh demo event, with
QSettings kept away from the user's real preferences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin.people.listing import iter_attendees
from checkin.results import ScanResult, ScanState, Station, Tone
from checkin.store import Database
from checkin.store.models import CheckIn, Ticket, TicketType
from ui.app.shell import MainWindow
from ui.core.context import EventContext
from ui.desk.desk_page import DeskPage
from ui.desk.sounds import SoundBank


def isolate_settings(folder: Path) -> None:
    QCoreApplication.setOrganizationName("checkin-tests")
    QCoreApplication.setApplicationName("checkin-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def open_main_window(db: Database, location: str = "event.checkin") -> MainWindow:
    context = EventContext(db, Station("Desk 1", volunteer="Ana"))
    return MainWindow(context, location, sounds=SoundBank(enabled=False))


def shown_window(qtbot: QtBot, db: Database, size: tuple[int, int] | None = None) -> MainWindow:
    """The main window shown and active, the desk's scan field holding the keyboard."""
    main = open_main_window(db)
    qtbot.addWidget(main)
    if size is not None:
        main.resize(*size)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    main.desk.focus_scan()
    qtbot.waitUntil(main.desk.scan.hasFocus)
    return main


def first_code(db: Database, index: int = 0) -> str:
    rows = iter_attendees(db)
    for _ in range(index):
        next(rows)
    return next(rows).code


def live_checkins(db: Database) -> int:
    with db.reading() as session:
        return len(session.scalars(select(CheckIn).where(CheckIn.undone_at.is_(None))).all())


def ticket_of(db: Database, attendee_code: str, type_name: str) -> str:
    with db.reading() as session:
        return str(
            session.scalar(
                select(Ticket.code)
                .join(TicketType)
                .where(TicketType.name == type_name, Ticket.attendee.has(code=attendee_code))
            )
        )


def checked(dialog: Any) -> None:
    """Wait until the organiser lock's dialog has heard its passphrase check, which runs off
    the GUI thread (ui/core/organiser_lock.py)."""
    from PySide6.QtTest import QTest

    for _ in range(3000):  # at most about 30 s: the check itself takes milliseconds in tests
        if dialog.checking is None:
            return
        QTest.qWait(10)
    raise AssertionError("the passphrase check never answered")


def answer_lock(monkeypatch: Any, passphrase: str | None) -> list[int]:
    """The organiser lock's dialog answered with ``passphrase`` (None: Cancel) without showing
    it; returns a list that counts how often it was asked."""
    from ui.core.organiser_lock import OrganiserLockDialog

    asked: list[int] = []

    def answer(dialog: OrganiserLockDialog) -> int:
        asked.append(1)
        if passphrase is None:
            dialog.reject()
        else:
            dialog.passphrase_edit.setText(passphrase)
            dialog.try_unlock()
            checked(dialog)
        return int(dialog.result())

    monkeypatch.setattr(OrganiserLockDialog, "exec", answer)
    return asked


def answered(qtbot: Any, desk: DeskPage) -> None:
    """Wait until the station's writer has answered every scan sent so far (scans are written
    off the GUI thread, in order)."""
    qtbot.waitUntil(lambda: desk.context.scans.pending == 0, timeout=15000)


def undo_over(qtbot: Any, desk: DeskPage) -> None:
    """Wait until the desk's Undo is over: what it would revert is read, and the undo written,
    on the station's writer queue, off the GUI thread (ui/desk/activity_panel.py)."""
    qtbot.waitUntil(lambda: not desk.activity.undoing, timeout=15000)


def scan_and_wait(qtbot: Any, desk: DeskPage, text: str) -> None:
    """Text typed into the desk's field and Enter (not a code: searched first)."""
    desk.handle_input(text)
    qtbot.waitUntil(lambda: not desk.waiting_for_search, timeout=15000)
    answered(qtbot, desk)


# Read through a function, not as ``desk.banner.tone``: mypy keeps an attribute's narrowing from
# one assert to the next, across the scan that changed it.
def tone_of(desk: DeskPage) -> Tone | None:
    """The tone the desk's banner shows now."""
    return desk.banner.tone


def state_of(result: ScanResult) -> ScanState:
    return result.state
