"""The event file's key in the app: the organiser passphrase opens an encrypted event file this
laptop is not authorised for, and File > "This laptop may open this event…" authorises it
(checkin/store/file_keys.py). The key derivation runs as a QueryOp (ui/core/ops.py), the
dialog waiting for it with the GUI thread free."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from checkin.store import file_keys
from ui.core.ops import QueryOp

WRONG = "wrong"  # _tried: the passphrase does not unwrap the key


def _tried(work: Callable[[Path, str], object], path: Path, passphrase: str) -> str | None:
    """``work(path, passphrase)`` (a passphrase's key derivation, about 0.6 s on purpose) off
    the GUI thread, waited for here as the dialog that asked waits: None when it succeeded,
    WRONG for a wrong passphrase, else the failure's text."""

    def attempt() -> str | None:
        try:
            work(path, passphrase)
        except file_keys.WrongPassphrase:
            return WRONG
        except (file_keys.KeyNeeded, OSError) as exc:
            return str(exc)
        return None

    loop = QEventLoop()
    outcome: list[str | None] = []
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        running = (
            QueryOp(parent=None, op=attempt, success=outcome.append)
            .failure(outcome.append)
            .ended(loop.quit)
            .run_in_background()
        )
        if not running.finished:
            loop.exec()
    finally:
        QApplication.restoreOverrideCursor()
    return outcome[0] if outcome else ""


def ask_passphrase(parent: QWidget | None, question: str) -> str | None:
    """The organiser passphrase typed in a hidden field; None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("checkin")
    dialog.setLabelText(question)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def unlock(path: Path, parent: QWidget | None) -> bool:
    """Ask for the passphrase until it unwraps the key of ``path`` (this run only)."""
    question = QCoreApplication.translate(
        "file_key",
        "This event file is encrypted and this laptop is not authorised to open it."
        " Type the organiser passphrase to open it:",
    )
    while True:
        given = ask_passphrase(parent, question)
        if given is None:
            return False
        failed = _tried(file_keys.unlock, path, given)
        if failed is None:
            return True
        if failed != WRONG:
            QMessageBox.critical(parent, "checkin", failed)
            return False
        question = QCoreApplication.translate(
            "file_key", "Wrong passphrase. Type the organiser passphrase to open it:"
        )


def authorise(path: Path, parent: QWidget | None) -> bool:
    """File > This laptop may open this event…: the passphrase, then this laptop's key."""
    question = QCoreApplication.translate(
        "file_key",
        "From now on this laptop opens this event without the passphrase (for anyone using"
        " this account). Type the organiser passphrase to allow it:",
    )
    while True:
        given = ask_passphrase(parent, question)
        if given is None:
            return False
        failed = _tried(file_keys.authorise, path, given)
        if failed == WRONG:
            question = QCoreApplication.translate(
                "file_key", "Wrong passphrase. Type the organiser passphrase to allow it:"
            )
            continue
        if failed is not None:
            QMessageBox.critical(parent, "checkin", failed)
            return False
        QMessageBox.information(
            parent,
            "checkin",
            QCoreApplication.translate(
                "file_key", "This laptop may now open this event without the passphrase."
            ),
        )
        return True
