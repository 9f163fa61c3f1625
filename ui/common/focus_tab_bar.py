"""A tab bar that shows when it has the keyboard focus: Fusion and the high-contrast sheet draw
no focus mark on a tab, so a person tabbing through the window lost track of where they were."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QTabBar

FOCUS_PEN = 2  # pixels, dashed: seen at arm's length, clear of the tab's text


class FocusTabBar(QTabBar):
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        index = self.currentIndex()
        if not self.hasFocus() or index < 0:
            return
        # Black inside the current tab: it stands out on the default theme's light tab and on
        # the high-contrast theme's yellow one alike.
        painter = QPainter(self)
        pen = QPen(Qt.GlobalColor.black, FOCUS_PEN, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(self.tabRect(index).adjusted(2, 2, -3, -2))
        painter.end()
