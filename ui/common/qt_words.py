"""Qt's own words that Qt's Spanish translation (qtbase_es) leaves in English: the file
dialog's "Look in" and "Files of type" (seen choosing a CSV to import). Listed here so the
translation tool picks them up; our translator, installed after Qt's, supplies them."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
