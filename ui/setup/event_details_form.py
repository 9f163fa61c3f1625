"""The event's name, date and location, changing the organiser passphrase (typed twice), and
the logo printed on tickets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.after_event import retention
from checkin.changes import Changes, Kind
from checkin.event import events
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.setup.logo_picker import LogoPicker

MIN_PASSPHRASE = events.PASSPHRASE_MIN_CHARS  # or PASSPHRASE_MIN_WORDS words
OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b71c1c; font-weight: 700;"


class EventDetailsForm(QWidget):
    saved = Signal()

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.date_box = QCheckBox()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_box.toggled.connect(self.date_edit.setEnabled)
        self.location_edit = QLineEdit()
        self.location_edit.setMaxLength(200)
        # "Delete personal data N days after the event" (checkin/after_event/retention.py), saved
        # with
        # the details; the day it falls on is shown beside it.
        self.retention_spin = QSpinBox()
        self.retention_spin.setRange(0, retention.MAX_DAYS)
        self.retention_label = QLabel()
        self.retention_label.setBuddy(self.retention_spin)
        self.retention_day = QLabel()
        self.retention_day.setObjectName("retentionDay")
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_details)

        self.passphrase_edit = QLineEdit()
        self.repeat_edit = QLineEdit()
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_button = QPushButton()
        self.passphrase_button.clicked.connect(self.change_passphrase)
        self.repeat_edit.returnPressed.connect(self.change_passphrase)

        self.status_label = QLabel()
        self.status_label.setObjectName("eventDetailsStatus")
        self.status_label.setWordWrap(True)

        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(5)]
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_box)
        date_row.addWidget(self.date_edit, 1)
        self.form.addRow(self._labels[0], self.name_edit)
        self.form.addRow(self._labels[1], date_row)
        self.form.addRow(self._labels[2], self.location_edit)
        self.form.addRow(self._labels[3], self.passphrase_edit)
        self.form.addRow(self._labels[4], self.repeat_edit)
        buddies = (self.name_edit, self.date_box, self.location_edit)
        for label, buddy in zip(
            self._labels, (*buddies, self.passphrase_edit, self.repeat_edit), strict=True
        ):
            label.setBuddy(buddy)
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention_spin)
        retention_row.addWidget(self.retention_day, 1)
        self.form.insertRow(3, self.retention_label, retention_row)
        self.form.insertRow(4, self.save_button)
        self.form.addRow(self.passphrase_button)
        self.logo = LogoPicker(context)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status_label)
        layout.addSpacing(12)
        layout.addWidget(self.logo)
        layout.addStretch(1)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.load()

    def retranslate(self) -> None:
        texts = [
            self.tr("Event &name"),
            self.tr("&Date"),
            self.tr("&Location"),
            self.tr("New &organiser passphrase"),
            self.tr("Re&peat the passphrase"),
        ]
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.name_edit.setAccessibleName(self.tr("Event name"))
        self.date_box.setText(self.tr("Has a date"))
        self.date_box.setAccessibleName(self.tr("The event has a date"))
        self.date_edit.setAccessibleName(self.tr("Event date"))
        self.location_edit.setAccessibleName(self.tr("Event location"))
        self.retention_label.setText(self.tr("Personal data &kept for"))
        self.retention_spin.setSuffix(self.tr(" days after the event"))
        self.retention_spin.setAccessibleName(
            self.tr("Days after the event when personal data is deleted")
        )
        self.save_button.setText(self.tr("Save event details"))
        self.save_button.setAccessibleName(self.tr("Save event details"))
        self.passphrase_edit.setAccessibleName(self.tr("New organiser passphrase"))
        self.repeat_edit.setAccessibleName(self.tr("Repeat the new organiser passphrase"))
        self.passphrase_button.setText(self.tr("Change passphrase"))
        self.passphrase_button.setAccessibleName(self.tr("Change the organiser passphrase"))
        self.status_label.setAccessibleName(self.tr("Event details status"))

    def load(self) -> None:
        info = events.get_event(self._context.db)
        self.name_edit.setText(info.name)
        self.location_edit.setText(info.location)
        self.date_box.setChecked(info.date is not None)
        self.date_edit.setEnabled(info.date is not None)
        when = info.date or date.today()
        self.date_edit.setDate(QDate(when.year, when.month, when.day))
        self._show_retention(retention.get_retention(self._context.db))

    def _show_retention(self, kept: retention.Retention) -> None:
        self.retention_spin.setValue(kept.days)
        self.retention_day.setText(
            self.tr("Personal data was deleted.")
            if kept.purged
            else self.tr("on %1, with its backups and copies").replace(
                "%1", f"{kept.purge_on:%Y-%m-%d}"
            )
        )

    def _status(self, text: str, ok: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def save_details(self) -> bool:
        name = self.name_edit.text().strip()
        if not name:
            self._status(self.tr("The event needs a name."), False)
            self.name_edit.setFocus()
            return False
        chosen = self.date_edit.date()
        when = (
            date(chosen.year(), chosen.month(), chosen.day()) if self.date_box.isChecked() else None
        )
        try:
            events.update_event(
                self._context.db,
                name=name,
                event_date=when,
                location=self.location_edit.text().strip(),
                station=self._context.station.name,
            )
            kept = retention.get_retention(self._context.db)
            if self.retention_spin.value() != kept.days:
                kept = retention.set_retention_days(
                    self._context.db,
                    self.retention_spin.value(),
                    station=self._context.station.name,
                )
            self._show_retention(kept)
        except Exception as exc:  # a database refusal is shown, never raised into Qt
            self._status(explain(exc), False)
            return False
        self._status(self.tr("Event details saved."), True)
        self._context.refresh_event(Changes.of(Kind.SETUP))
        self.saved.emit()
        return True

    def change_passphrase(self) -> bool:
        new, repeat = self.passphrase_edit.text(), self.repeat_edit.text()
        if events.passphrase_too_weak(new):
            self._status(
                self.tr("The passphrase needs at least %1 characters.").replace(
                    "%1", str(MIN_PASSPHRASE)
                ),
                False,
            )
            self.passphrase_edit.setFocus()
            return False
        if new != repeat:
            self._status(self.tr("The two passphrases differ: type them again."), False)
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return False
        try:
            events.set_passphrase(self._context.db, new, station=self._context.station.name)
        except Exception as exc:
            self._status(explain(exc), False)
            return False
        self.passphrase_edit.clear()
        self.repeat_edit.clear()
        self._status(self.tr("Organiser passphrase changed."), True)
        self._context.refresh_event(Changes.of(Kind.SETUP))
        return True
