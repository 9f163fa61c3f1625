"""A form's label with room for its text as drawn, not only as measured.

The mnemonic's underline splits the text into two runs, and the kerning of its letter with the
next one is lost ("&Teléfono": T and e are kerned): the text draws a pixel or two wider than
the font's measure, and QLabel clips it to its contents ("Teléfono" read "Teléfonc" on a real
X screen). Margins do not help, the clip is inside them: the contents get the spare pixels."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget

SPARE = QSize(4, 0)  # more than any kerning pair of the app's fonts at desk sizes


class FormLabel(QLabel):
    def sizeHint(self) -> QSize:
        return super().sizeHint() + SPARE

    def minimumSizeHint(self) -> QSize:
        return super().minimumSizeHint() + SPARE


def form_label(text: str = "", buddy: QWidget | None = None) -> QLabel:
    label = FormLabel(text)
    if buddy is not None:
        label.setBuddy(buddy)
    label.setContentsMargins(2, 0, 3, 0)
    return label
