"""Setup → Stations: who reads a household's attention note at the desk (an event setting)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from checkin.changes import Changes, Kind
from checkin.people.attention import Readers, readers, set_readers
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext


class AttentionSetting(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.choice = QComboBox()
        self.choice.setObjectName("attentionReaders")
        for who in Readers:
            self.choice.addItem("", who.value)
        self.label = QLabel()
        self.label.setBuddy(self.choice)
        self.status = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.choice)
        row.addWidget(self.status, 1)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.load()
        self.choice.activated.connect(lambda _index: self.save())

    def retranslate(self) -> None:
        self.label.setText(self.tr("Attention notes at the des&k"))
        self.choice.setItemText(0, self.tr("every volunteer reads them"))
        self.choice.setItemText(1, self.tr("volunteers see \u201cask the organiser\u201d"))
        self.choice.setAccessibleName(self.tr("Who reads attention notes at the desk"))

    def load(self) -> None:
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(self.choice.findData(readers(self._context.db).value))
        self.choice.blockSignals(False)

    def save(self) -> None:
        who = Readers(str(self.choice.currentData()))
        if who is readers(self._context.db):
            return
        try:
            set_readers(self._context.db, who, station=self._context.station.name)
        except Exception as exc:
            self.status.setText(explain(exc))
            return
        self.status.setText(self.tr("Saved"))
        self._context.notify_changed(Changes.of(Kind.SETUP))
