"""The event's logo in Setup: see it, choose another image, or print without one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkin.event.logo import event_logo, set_logo
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext

PREVIEW = 96  # pixels: enough to recognise it, small beside the form
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)"


class LogoPicker(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.title = QLabel()
        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(PREVIEW, PREVIEW)
        self.preview.setWordWrap(True)  # "Sin logotipo" in large text takes two lines
        self.preview.setStyleSheet("border: 1px solid #9e9e9e; background: white;")
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addLayout(buttons)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.status)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.load()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Logo on tickets, badges and flyers"))
        self.choose_button.setText(self.tr("Choose lo&go..."))
        self.choose_button.setAccessibleName(self.tr("Choose the event's logo"))
        self.remove_button.setText(self.tr("Print &without a logo"))
        self.remove_button.setAccessibleName(self.tr("Remove the event's logo"))
        self.preview.setAccessibleName(self.tr("The event's logo"))
        if self.preview.pixmap().isNull():
            self.preview.setText(self.tr("No logo"))

    def load(self) -> None:
        data = event_logo(self._context.db)
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.preview.setPixmap(
                pixmap.scaled(
                    PREVIEW - 4,
                    PREVIEW - 4,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.clear()
            self.preview.setText(self.tr("No logo"))
        self.remove_button.setEnabled(bool(data))

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Logo for tickets"), str(Path.home()), IMAGE_FILTER
        )
        if name:
            self.use(Path(name))

    def use(self, image: Path) -> bool:
        try:
            set_logo(self._context.db, image, station=self._context.station.name)
        except ValueError:
            self.status.setText(
                self.tr("%1 is not an image this app can read: try a PNG or JPEG.").replace(
                    "%1", image.name
                )
            )
            return False
        except Exception as exc:  # the event file refused: say so, keep the old logo
            self.status.setText(explain(exc))
            return False
        self.status.setText(self.tr("Logo saved: the next tickets print with it."))
        self.load()
        return True

    def remove(self) -> None:
        try:
            set_logo(self._context.db, None, station=self._context.station.name)
        except Exception as exc:
            self.status.setText(explain(exc))
            return
        self.status.setText(self.tr("Logo removed: tickets print without one."))
        self.load()
