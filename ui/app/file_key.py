"""The event file's key in the app: the organiser passphrase opens an encrypted event file this
laptop is not authorised for, and File > "This laptop may open this event…" authorises it
(checkin/store/file_keys.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from checkin.store import file_keys


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
        try:
            file_keys.unlock(path, given)
            return True
        except file_keys.WrongPassphrase:
            question = QCoreApplication.translate(
                "file_key", "Wrong passphrase. Type the organiser passphrase to open it:"
            )
        except file_keys.KeyNeeded as exc:
            QMessageBox.critical(parent, "checkin", str(exc))
            return False


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
        try:
            file_keys.authorise(path, given)
        except file_keys.WrongPassphrase:
            question = QCoreApplication.translate(
                "file_key", "Wrong passphrase. Type the organiser passphrase to allow it:"
            )
            continue
        except (file_keys.KeyNeeded, OSError) as exc:
            QMessageBox.critical(parent, "checkin", str(exc))
            return False
        QMessageBox.information(
            parent,
            "checkin",
            QCoreApplication.translate(
                "file_key", "This laptop may now open this event without the passphrase."
            ),
        )
        return True
