"""A code shown full screen, large enough to photograph with a phone. Any key closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from checkin.codes import format_human
from ui.core.scan_desks import steps_aside
from ui.desk.person_panel import qr_pixmap


class CodeScreen(QDialog):
    def __init__(self, code: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        steps_aside(self)  # the next person's scan: their answer, not this code
        self.setWindowTitle(caption)
        self.setStyleSheet("background:#ffffff; color:#000000")
        screen = self.screen().availableGeometry()
        side = int(min(screen.width(), screen.height()) * 0.7)
        self.qr = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.qr.setPixmap(qr_pixmap(code, side))
        self.caption = QLabel(f"{caption}\n{format_human(code)}")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.caption.font()
        font.setPointSize(22)
        font.setBold(True)
        self.caption.setFont(font)
        self.hint = QLabel(self.tr("Press any key to close"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.qr, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.hint)
        self.setAccessibleName(self.tr("Code shown full screen"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.accept()
