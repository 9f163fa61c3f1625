"""A form's label with room for its glyphs' overhang: a label exactly as wide as its text's
advance cut the last letter's edge ("Teléfono" read "Teléfonc")."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def form_label(text: str = "", buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    if buddy is not None:
        label.setBuddy(buddy)
    label.setContentsMargins(2, 0, 3, 0)
    return label
