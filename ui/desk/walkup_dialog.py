"""Walk-up registration: only the household size is needed; Enter registers and checks in."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from checkin.people.attendees import MAX_MEMBERS
from ui.common.dialog_fit import refit
from ui.common.form_label import form_label
from ui.core import appearance
from ui.core.organiser_lock import ERROR_STYLE


class WalkupDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Walk-up"))
        self.adults = self._spin(1, self.tr("Adults"))
        self.kids = self._spin(0, self.tr("Kids"))
        self.seniors = self._spin(0, self.tr("Seniors"))
        self.first = _line(self.tr("First name (optional)"))
        self.last = _line(self.tr("Last name (optional)"))
        self.zip_code = _line(self.tr("ZIP code (optional)"))
        self.zip_code.setMaxLength(10)
        self.consent = QCheckBox(self.tr("May we contact you? (phone or email)"))
        self.phone = _line(self.tr("Phone"), enabled=False)
        self.email = _line(self.tr("Email"), enabled=False)
        self.consent.toggled.connect(self.phone.setEnabled)
        self.consent.toggled.connect(self.email.setEnabled)
        self.attention = _line(self.tr("Needs attention (optional)"))
        self.attention.setObjectName("walkupAttention")
        self.attention.setPlaceholderText(self.tr("e.g. uses a wheelchair"))
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Preferred language"))
        self.language.addItem(self.tr("English"), "en")
        self.language.addItem(self.tr("Spanish"), "es")
        self.language.addItem(self.tr("Other"), "")
        # The language the volunteer works in is the likeliest one for the person in front.
        self.language.setCurrentIndex(max(0, self.language.findData(appearance.language())))
        # Said in the form when nobody is counted: never changed behind the volunteer's back.
        self.problem = QLabel(
            self.tr("Count at least one person: an adult, a kid or a senior."), wordWrap=True
        )
        self.problem.setObjectName("walkupProblem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()
        for spin in (self.adults, self.kids, self.seniors):
            spin.valueChanged.connect(self._recount)
        form = QFormLayout(self)
        intro = QLabel(self.tr("Only the household size is needed. Press Enter to check in."))
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(self.problem)
        form.addRow(form_label(self.tr("&Adults"), self.adults), self.adults)
        form.addRow(form_label(self.tr("&Kids"), self.kids), self.kids)
        form.addRow(form_label(self.tr("&Seniors"), self.seniors), self.seniors)
        form.addRow(form_label(self.tr("&First name"), self.first), self.first)
        form.addRow(form_label(self.tr("&Last name"), self.last), self.last)
        form.addRow(form_label(self.tr("&ZIP code"), self.zip_code), self.zip_code)
        form.addRow(self.consent)
        form.addRow(form_label(self.tr("&Phone"), self.phone), self.phone)
        form.addRow(form_label(self.tr("&Email"), self.email), self.email)
        form.addRow(form_label(self.tr("Lan&guage"), self.language), self.language)
        form.addRow(form_label(self.tr("Needs a&ttention"), self.attention), self.attention)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Register and check in"))
        ok.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.adults.setFocus()

    def _spin(self, value: int, name: str) -> QSpinBox:
        spin = QSpinBox(minimum=0, maximum=MAX_MEMBERS, value=value)
        spin.setAccessibleName(name)
        return spin

    def _accept(self) -> None:
        if self._count() == 0:  # no adult is fine (kids with a grandparent): nobody is not
            self.problem.show()
            refit(self)
            self.adults.setFocus()
            self.adults.selectAll()
            return
        self.accept()

    def _count(self) -> int:
        return self.adults.value() + self.kids.value() + self.seniors.value()

    def _recount(self) -> None:
        if self._count():
            self.problem.hide()

    def fields(self) -> dict[str, Any]:
        """The form as registration fields (phone and email only with consent)."""
        consent = self.consent.isChecked()
        return {
            "first_name": self.first.text(),
            "last_name": self.last.text(),
            "adults": self.adults.value(),
            "kids": self.kids.value(),
            "seniors": self.seniors.value(),
            "zip_code": self.zip_code.text().strip(),
            "consent": consent,
            "phone": self.phone.text() if consent else "",
            "email": self.email.text() if consent else "",
            "language": self.language.currentData() or "",
            # A note raises the attention flag (checkin.people.attendees.clean_fields).
            "attention_note": self.attention.text().strip(),
        }


def _line(name: str, *, enabled: bool = True) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setEnabled(enabled)
    return field
