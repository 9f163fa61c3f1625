"""Setup → Stations: what a volunteer's desk needs before its search lists anyone (an event
setting, checkin/people/desk_privacy.py). Setup is the organiser's: the lock guards it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from checkin.changes import Changes, Kind
from checkin.people import desk_privacy
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext


class DeskSearchSetting(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.choice = QComboBox()
        self.choice.setObjectName("deskSearchMin")
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        low, high = desk_privacy.MIN_CHARS_RANGE
        for count in range(low, high + 1):
            self.choice.addItem("", str(count))
        self.choice.addItem("", desk_privacy.FULL_NAME)
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
        self.label.setText(self.tr("A &volunteer's desk searches after"))
        for index in range(self.choice.count()):
            value = str(self.choice.itemData(index))
            self.choice.setItemText(
                index,
                self.tr("the full name only")
                if value == desk_privacy.FULL_NAME
                else self.tr("%n letters", "", int(value)),
            )
        self.choice.setAccessibleName(
            self.tr("Letters a volunteer types before the desk lists anyone (at most 10)")
        )

    def load(self) -> None:
        rule = desk_privacy.desk_search_rule(self._context.db)
        self.choice.setCurrentIndex(max(0, self.choice.findData(rule.value)))

    def save(self) -> None:
        value = str(self.choice.currentData())
        if value == desk_privacy.desk_search_rule(self._context.db).value:
            return
        try:
            desk_privacy.set_desk_search_rule(
                self._context.db, value, station=self._context.station.name
            )
        except Exception as exc:
            self.status.setText(explain(exc))
            return
        self.status.setText(self.tr("Saved"))
        self._context.notify_changed(Changes.of(Kind.SETUP))
