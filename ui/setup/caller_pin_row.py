"""Setup's row for the raffle caller's PIN: the volunteer at the big screen draws with it,
without the organiser passphrase."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from checkin.access.caller_pin import MIN_LENGTH, PinTooShort, has_caller_pin, set_caller_pin
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext


class CallerPinRow(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        # Read once and after a change: a language switch re-words it without asking the file.
        self._has_pin = has_caller_pin(context.db)
        self.label = QLabel()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaximumWidth(120)
        self.label.setBuddy(self.pin)
        self.set_button = QPushButton()
        self.set_button.clicked.connect(self.save)
        self.status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.pin, self.set_button, self.status):
            layout.addWidget(widget)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def retranslate(self) -> None:
        self.label.setText(self.tr("Raffle caller &PIN"))
        self.pin.setAccessibleName(self.tr("Raffle caller PIN"))
        self.pin.setPlaceholderText(self.tr("%1+ characters").replace("%1", str(MIN_LENGTH)))
        self.set_button.setText(self.tr("Set PIN"))
        self._show_state()

    def _show_state(self) -> None:
        self.status.setText(self.tr("PIN set") if self._has_pin else self.tr("no PIN"))

    def save(self) -> bool:
        try:
            set_caller_pin(self._context.db, self.pin.text(), station=self._context.station.name)
        except PinTooShort:
            self.status.setText(self.tr("At least %1 characters").replace("%1", str(MIN_LENGTH)))
            return False
        self.pin.clear()
        self._has_pin = True
        self._show_state()
        return True
