"""The organiser passphrase prompt that guards Setup, the full attendee list and exports."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.context import EventContext

ERROR_STYLE = "color: #b71c1c; font-weight: 700;"


class OrganiserLockDialog(QDialog):
    """Asks for the passphrase; a wrong one keeps the dialog open with a clear message."""

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setObjectName("organiserLockDialog")
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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.failures = 0
        self.retranslate()
        self.passphrase_edit.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Organiser passphrase"))
        self.prompt_label.setText(
            self.tr("This screen holds personal data. Type the &organiser passphrase to open it.")
        )
        self.passphrase_edit.setAccessibleName(self.tr("Organiser passphrase"))
        self.error_label.setAccessibleName(self.tr("Passphrase error"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Unlock"))
        ok.setAccessibleName(self.tr("Unlock organiser screens"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setAccessibleName(self.tr("Cancel and stay locked"))
        if self.failures:
            self._show_error()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_error(self) -> None:
        self.error_label.setText(
            self.tr("Wrong passphrase. Check the spelling and Caps Lock, then try again.")
        )
        self.error_label.show()

    def try_unlock(self) -> None:
        if self._context.unlock(self.passphrase_edit.text()):
            self.passphrase_edit.clear()
            self.accept()
            return
        self.failures += 1
        self._show_error()
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()


def require_organiser(context: EventContext, parent: QWidget | None = None) -> bool:
    """True when organiser screens may open: already unlocked, or the passphrase was given."""
    if context.organiser_unlocked:
        return True
    dialog = OrganiserLockDialog(context, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
    return context.organiser_unlocked
