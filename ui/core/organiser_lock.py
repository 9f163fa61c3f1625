"""The one organiser lock: ``require_organiser`` guards every protected action (Setup, the full
attendee list, Export, Merge, Paper, backups; the big screen's draws and the prize table's wait
with ``caller=True``, where the raffle caller's PIN also opens). ``IdleLock`` locks again after
some idle minutes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common.dialog_fit import refit
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext, UnlockTry
from ui.core.ops import Running
from ui.core.scan_desks import steps_aside

# White on red: dark red text was unreadable on the high-contrast theme's black.
ERROR_STYLE = "color: #ffffff; background: #b71c1c; font-weight: 700; padding: 4px;"


class OrganiserLockDialog(QDialog):
    """Asks for the passphrase; a wrong one keeps the dialog open with a clear message. The
    check (about 0.6 s of key derivation) runs off the GUI thread: meanwhile the field and
    Unlock are disabled and "Checking…" shows, and scans and timers go on."""

    def __init__(
        self, context: EventContext, parent: QWidget | None = None, *, caller: bool = False
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._caller = caller
        self.setObjectName("organiserLockDialog")
        # A scan while it asks means a guest is at the table: the question steps aside (the
        # page stays locked), the answer is seen, and the next keys are not typed into it.
        steps_aside(self)
        self.prompt_label = QLabel()
        self.prompt_label.setWordWrap(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("organiserPassphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.prompt_label.setBuddy(self.passphrase_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("organiserLockError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.checking_label = QLabel()
        self.checking_label.setObjectName("organiserLockChecking")
        self.checking_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.checking_label)
        layout.addWidget(self.buttons)
        self.failures = 0
        self.checking: Running | None = None  # the try being checked now
        self._closed = False
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.passphrase_edit.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Organiser passphrase"))
        self.prompt_label.setText(
            self.tr("Drawing needs the &organiser passphrase or the raffle caller's PIN.")
            if self._caller
            else self.tr(
                "This screen holds personal data. Type the &organiser passphrase to open it."
            )
        )
        self.passphrase_edit.setAccessibleName(self.tr("Organiser passphrase"))
        self.error_label.setAccessibleName(self.tr("Passphrase error"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Unlock"))
        ok.setAccessibleName(self.tr("Unlock organiser screens"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setAccessibleName(self.tr("Cancel and stay locked"))
        self.checking_label.setText(self.tr("Checking…"))
        if self.failures:
            self._show_error()

    def _show_error(self) -> None:
        wait = self._context.wait_left
        self.error_label.setText(
            self.tr("Too many wrong tries. Wait %n second(s), then try again.", "", int(wait) + 1)
            if wait > 0
            # Asked for either, the answer names both: a wrong PIN is not a "wrong passphrase".
            else self.tr("Wrong passphrase or PIN. Check it and Caps Lock, then try again.")
            if self._caller
            else self.tr("Wrong passphrase. Check the spelling and Caps Lock, then try again.")
        )
        self.error_label.show()
        refit(self)  # the line appears after the dialog was sized: it grows, never cuts it

    def try_unlock(self) -> None:
        if self.checking is not None:
            return  # one try at a time: Enter pressed again while checking
        self._show_checking(True)
        self.checking = self._context.unlock_op(
            self.passphrase_edit.text(),
            asker=self,
            checked=self._checked,
            failed=self._check_failed,
            pin=self._caller,
        ).run_in_background()

    def _show_checking(self, checking: bool) -> None:
        self.passphrase_edit.setEnabled(not checking)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not checking)
        self.checking_label.setVisible(checking)
        if checking:
            self.error_label.hide()

    def _checked(self, tried: UnlockTry) -> None:
        self.checking = None
        self._show_checking(False)
        if self._closed:
            return  # cancelled while checking: it stays locked (the wait is noted all the same)
        if self._context.apply_unlock(tried):
            self.passphrase_edit.clear()
            self.accept()
            return
        self.failures += 1
        self._show_error()
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def _check_failed(self, message: str) -> None:
        self.checking = None
        self._show_checking(False)
        self.error_label.setText(message)
        self.error_label.show()
        refit(self)
        self.passphrase_edit.setFocus()

    def done(self, result: int) -> None:
        self._closed = result != QDialog.DialogCode.Accepted
        super().done(result)


def require_organiser(
    context: EventContext,
    parent: QWidget | None = None,
    *,
    caller: bool = False,
    fresh: bool = False,
) -> bool:
    """True when the protected action may go ahead: already unlocked, or the passphrase was
    given now. ``caller``: a raffle action, which the raffle caller's PIN opens too.
    ``fresh``: ask again even when already unlocked (a redraw takes a prize from someone, so an
    unlock left open on a laptop must not be enough). The dialog opens over ``parent``."""

    def allowed() -> bool:
        return context.caller_unlocked if caller else context.organiser_unlocked

    # Without an organiser passphrase any text unlocks, so asking again would be theatre.
    ask_again = fresh and context.info.has_passphrase
    if allowed() and not ask_again:
        return True
    dialog = OrganiserLockDialog(context, parent, caller=caller)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
    return accepted if ask_again else allowed()


IDLE_MINUTES = 10.0


class IdleLock(QObject):
    """Locks the organiser screens again after ``minutes`` without a key or a click (a
    forgotten unlock on a laptop at a public table). Install it on the application."""

    _INPUT = (
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
    )

    def __init__(
        self, context: EventContext, minutes: float = IDLE_MINUTES, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self._expire)
        context.lockChanged.connect(self._lock_changed)
        self._lock_changed(context.organiser_unlocked)

    def _lock_changed(self, _unlocked: bool) -> None:
        if self._protected() and self._context.caller_unlocked:
            self.timer.start()
        else:
            self.timer.stop()

    def _protected(self) -> bool:
        # Without a passphrase there is nothing to lock (lock() would unlock again).
        return self._context.info.has_passphrase

    def _expire(self) -> None:
        if self._context.caller_unlocked:
            self._context.lock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT and self.timer.isActive():
            self.timer.start()  # restarts the idle count
        return False
