"""The first question on a laptop for an event: the language, the volunteer's first name and
the station's name. Asked once; the answers are remembered (ui.core.station_settings), so no scan is
ever recorded without a volunteer, and one laptop stays one station."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from checkin.results import Station
from ui.common.dialog_fit import refit
from ui.common.form_label import form_label
from ui.common.live_texts import LiveTexts
from ui.core import appearance
from ui.core.organiser_lock import ERROR_STYLE

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


class FirstLaunchDialog(QDialog):
    """Accepted only with a volunteer and a station name; ``station()`` has the answers."""

    def __init__(self, event_name: str, suggested: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstLaunchDialog")
        self._event_name = event_name
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language = QComboBox()
        for code in appearance.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(appearance.language())))
        self.language.currentIndexChanged.connect(
            lambda _i: appearance.set_language(str(self.language.currentData()))
        )
        self.volunteer = QLineEdit()
        self.station_name = QLineEdit(suggested)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        self.form.addRow(self.intro)
        self._labels = [form_label(), form_label(), form_label()]
        for label, widget in zip(
            self._labels, (self.language, self.volunteer, self.station_name), strict=True
        ):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.volunteer.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to checkin"))
        self.intro.setText(
            self.tr(
                "Event: {event}. Before the first scan: who is at this table, and what is this "
                "station called? (Asked once on this laptop; change it later on the desk.)"
            ).format(event=self._event_name)
        )
        for label, text in zip(
            self._labels,
            (self.tr("&Language"), self.tr("Your &first name"), self.tr("&Station name")),
            strict=True,
        ):
            label.setText(text)
        self.volunteer.setAccessibleName(self.tr("Volunteer first name"))
        self.station_name.setAccessibleName(self.tr("Station name"))
        self.station_name.setPlaceholderText(self.tr("e.g. Front table"))
        self.language.setAccessibleName(self.tr("Language"))
        if self.error.isVisible():
            self._complain()
        refit(self)  # Spanish is longer: a switch made here grows the dialog, never cuts it

    def _complain(self) -> None:
        self.error.setText(self.tr("Type your first name and the station's name."))
        self.error.show()
        refit(self)

    def _accept(self) -> None:
        if not self.volunteer.text().strip() or not self.station_name.text().strip():
            self._complain()
            return
        self.accept()

    def station(self) -> Station:
        return Station(self.station_name.text().strip(), volunteer=self.volunteer.text().strip())
