"""The organiser passphrase prompt: a wrong passphrase is refused with a message, the right
one unlocks, Cancel stays locked."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from checkin.results import Station
from checkin.store import Database
from tests.helpers.desk_helpers import checked
from ui.core.context import EventContext
from ui.core.organiser_lock import OrganiserLockDialog, require_organiser

pytestmark = pytest.mark.gui


@pytest.fixture
def context(db: Database) -> EventContext:
    return EventContext(db, Station("Desk 1"))


def test_wrong_passphrase_shows_error_and_stays_locked(qtbot: QtBot, context: EventContext) -> None:
    dialog = OrganiserLockDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not context.organiser_unlocked
    QTest.keyClicks(dialog.passphrase_edit, "guess")
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    checked(dialog)
    assert dialog.isVisible() and not context.organiser_unlocked
    assert dialog.error_label.isVisible()
    assert "Wrong passphrase" in dialog.error_label.text()
    dialog.passphrase_edit.setText("secret")
    with qtbot.waitSignal(context.lockChanged) as blocker:
        QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert blocker.args == [True]
    assert context.organiser_unlocked and dialog.result() == OrganiserLockDialog.DialogCode.Accepted


def _answer(qtbot: QtBot, passphrase: str | None) -> None:
    """Type into the modal dialog once require_organiser has opened it."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, OrganiserLockDialog)
        if passphrase is None:
            dialog.reject()
            return
        dialog.passphrase_edit.setText(passphrase)
        dialog.try_unlock()

    QTimer.singleShot(0, act)


def test_require_organiser_unlocks_with_the_passphrase(qtbot: QtBot, context: EventContext) -> None:
    _answer(qtbot, None)
    assert require_organiser(context) is False
    _answer(qtbot, "secret")
    assert require_organiser(context) is True
    # Once unlocked no dialog appears (nothing would answer it).
    assert require_organiser(context) is True
    context.lock()
    assert not context.organiser_unlocked


def test_event_without_passphrase_is_open(qtbot: QtBot, context: EventContext) -> None:
    from checkin.event import events

    events.set_passphrase(context.db, "")
    context.lock()
    assert require_organiser(context) is True


def test_a_wrong_pin_is_not_called_a_wrong_passphrase(qtbot: QtBot, context: EventContext) -> None:
    """Found by a tester (issue 20, problem 14): the raffle caller typed a wrong PIN and was
    told "Wrong passphrase"."""
    from checkin.access.caller_pin import set_caller_pin

    set_caller_pin(context.db, "4321")
    dialog = OrganiserLockDialog(context, caller=True)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.passphrase_edit, "1234")
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    checked(dialog)
    assert dialog.error_label.isVisible()
    assert "PIN" in dialog.error_label.text()


def test_after_wrong_tries_the_dialog_makes_the_next_wait(
    qtbot: QtBot, context: EventContext
) -> None:
    """Issue 23: no wait after wrong tries let a guesser type on. After the free tries each
    wrong one brings a wait, during which even the right passphrase is not checked."""
    dialog = OrganiserLockDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    for guess in ("guess1", "guess2", "guess3", "guess4"):
        dialog.passphrase_edit.setText(guess)
        dialog.try_unlock()
        checked(dialog)
    assert "Too many wrong tries" in dialog.error_label.text()
    dialog.passphrase_edit.setText("secret")
    dialog.try_unlock()
    checked(dialog)
    assert not context.organiser_unlocked and dialog.isVisible()
    assert "Too many wrong tries" in dialog.error_label.text()
    # Kept across a restart: a new window on the same event waits too.
    again = EventContext(context.db, Station("Desk 1"))
    assert not again.unlock("secret") and again.wait_left > 0


@pytest.mark.parametrize("typed", ["secret", "guess"])
def test_the_window_goes_on_while_the_passphrase_is_checked(
    qtbot: QtBot, context: EventContext, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """The key derivation costs about 0.6 s a try: checked on the GUI thread it froze the
    window (no scan answered, no repaint). The check here waits inside until a timer on the
    GUI thread has ticked: it ticks only if the event loop runs during the check."""
    from checkin.event import events

    ticked = threading.Event()
    seen: list[bool] = []
    real = events.passphrase_matches

    def slow_match(stored: str, passphrase: str) -> bool:
        ticked.clear()
        seen.append(ticked.wait(timeout=5))  # False: the GUI thread was stuck in this check
        return real(stored, passphrase)

    monkeypatch.setattr(events, "passphrase_matches", slow_match)
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(ticked.set)
    timer.start()
    dialog = OrganiserLockDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.passphrase_edit, typed)
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    # Returned at once: the check is under way, and says so.
    at_once = (dialog.passphrase_edit.isEnabled(), getattr(dialog, "checking_label", None))
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10000)
    assert seen == [True]  # the timer ticked while the passphrase was being checked
    checked(dialog)
    timer.stop()
    assert at_once[0] is False and at_once[1] is not None
    assert at_once[1].text() == "Checking…"
    assert dialog.passphrase_edit.isEnabled() and not dialog.checking_label.isVisible()
    if typed == "secret":
        assert context.organiser_unlocked and not dialog.isVisible()
    else:
        assert not context.organiser_unlocked and dialog.isVisible()
        assert "Wrong passphrase" in dialog.error_label.text()


def test_cancelled_while_checking_stays_locked(qtbot: QtBot, context: EventContext) -> None:
    dialog = OrganiserLockDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.passphrase_edit.setText("secret")
    dialog.try_unlock()
    dialog.reject()
    checked(dialog)
    assert not context.organiser_unlocked
