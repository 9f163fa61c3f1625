"""Finds the labels and buttons whose text does not fit their widget (QFontMetrics): for the
language-switch test that walks every page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QPushButton, QWidget

SLACK = 1  # pixels of rounding


def _visible_text(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _drawn_width(metrics: QFontMetrics, text: str) -> int:
    """A mnemonic's underline splits the text in runs, and no kerning crosses them: "&Teléfono"
    draws 2 px wider than "Teléfono" measures (T and e are kerned)."""
    at = text.replace("&&", "\0\0").find("&")
    if at < 0 or at + 1 >= len(text):
        return metrics.horizontalAdvance(_visible_text(text))
    runs = (text[:at], text[at + 1], text[at + 2 :])
    return sum(metrics.horizontalAdvance(_visible_text(run)) for run in runs if run)


def clipped(root: QWidget) -> list[str]:
    """ "<class> '<text>' needs W×H, has w×h" for every visible widget whose text is cut."""
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text() or (label.pixmap() and not label.text()):
            continue
        if label.textFormat() == Qt.TextFormat.RichText or GuiQt.mightBeRichText(label.text()):
            continue
        text = _visible_text(label.text()) if label.buddy() else label.text()
        area = label.contentsRect()
        area.adjust(label.margin(), label.margin(), -label.margin(), -label.margin())
        metrics = label.fontMetrics()
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + SLACK:
                found.append(f"QLabel {text!r} needs height {needed}, has {label.height()}")
            continue
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        if label.buddy():
            width = max(width, _drawn_width(metrics, label.text()))
        height = metrics.height() * len(lines)
        if width > area.width() + SLACK or height > area.height() + SLACK:
            found.append(
                f"QLabel {text!r} needs {width}x{height}, has {area.width()}x{area.height()}"
            )
            continue
        # The glyphs' ink can be wider than their advance ("Teléfono": the T leans left, the
        # o right); drawn in a label exactly as wide as the advance, the last letter lost its
        # edge ("Teléfonc").
        for line in lines:
            ink = metrics.boundingRect(line).width()
            if area.left() + ink > label.width():
                found.append(
                    f"QLabel {line!r} ink {ink} wide from {area.left()}, has {label.width()}"
                )
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        if not isinstance(button, QPushButton | QCheckBox):
            continue
        hint = button.sizeHint()
        if hint.width() > button.width() + SLACK or hint.height() > button.height() + SLACK:
            found.append(
                f"{type(button).__name__} {_visible_text(button.text())!r} needs "
                f"{hint.width()}x{hint.height()}, has {button.width()}x{button.height()}"
            )
    return found
