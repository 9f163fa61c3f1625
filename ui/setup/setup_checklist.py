"""The short checklist after a new event is created: what to set up before the first guest,
ticked off from the event file itself (checkin.event_templates.setup_checklist)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from checkin.event_templates import CheckItem, setup_checklist
from checkin.store import Database
from ui.common.live_texts import LiveTexts


class ChecklistDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupChecklist")
        self._items: list[CheckItem] = setup_checklist(db)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.rows = [QLabel() for _ in self._items]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for row in self.rows:
            row.setWordWrap(True)
            layout.addWidget(row)
        layout.addWidget(buttons)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    @property
    def items(self) -> list[CheckItem]:
        return list(self._items)

    def _text(self, key: str) -> str:
        if key == "ticket_types":
            return self.tr("Ticket types: Setup > Ticket types (a raffle, meals, resources)")
        if key == "passphrase":
            return self.tr("An organiser passphrase: Setup > Event")
        if key == "prizes":
            return self.tr("The raffle's prizes: Setup > Raffle")
        if key == "stock":
            return self.tr("How many backpacks you have: Setup > Ticket types, Stock")
        return self.tr("A USB stick for the backups: the backup button in the status bar")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Before the first guest"))
        self.intro.setText(self.tr("The event is created. Still to do before the doors open:"))
        for row, item in zip(self.rows, self._items, strict=True):
            row.setText(f"{'✓' if item.done else '☐'}  {self._text(item.key)}")
