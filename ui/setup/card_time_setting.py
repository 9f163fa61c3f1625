"""Setup → Stations: how long the desk shows the person being served (an event setting)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from checkin.changes import Changes, Kind
from checkin.event import events
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext


class CardTimeSetting(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        low, high = events.CARD_SECONDS_RANGE
        self.seconds = QSpinBox(minimum=low, maximum=high)
        self.seconds.setObjectName("cardSeconds")
        self.label = QLabel()
        self.label.setBuddy(self.seconds)
        self.status = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.seconds)
        row.addWidget(self.status, 1)
        self.seconds.editingFinished.connect(self.save)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.load()

    def retranslate(self) -> None:
        self.label.setText(self.tr("The desk shows the person being served &for"))
        self.seconds.setSuffix(self.tr(" s"))
        self.seconds.setAccessibleName(self.tr("Seconds the person's card stays on screen"))

    def load(self) -> None:
        self.seconds.blockSignals(True)
        self.seconds.setValue(events.card_seconds(self._context.db))
        self.seconds.blockSignals(False)

    def save(self) -> None:
        value = self.seconds.value()
        if value == events.card_seconds(self._context.db):
            return
        try:
            events.set_card_seconds(self._context.db, value, station=self._context.station.name)
        except Exception as exc:
            self.status.setText(explain(exc))
            return
        self.status.setText(self.tr("Saved"))
        self._context.notify_changed(Changes.of(Kind.SETUP))
