"""Station > Scanner check: show the test card, capture what the scanner types, explain.

The check's field reads the scanner's keys as they come (the app's scan router leaves them to
it), to measure the scanner. Anything that is not the test card (a guest's code scanned while
the check is still open) is handed to the desk instead of being blamed on the keyboard."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from checkin import codes
from checkin.stations.scanner_check import TEST_CARD, ScannerReport, analyse
from ui.core.scan_desks import steps_aside
from ui.core.scan_router import RAW_KEYS
from ui.desk.person_panel import qr_pixmap

SILENCE_MS = 400  # a scanner without a terminator has finished after this much quiet


class ScannerCheckDialog(QDialog):
    notTheTestCard = Signal(str)  # a code of ours arrived here: the desk's, not the check's

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        steps_aside(self)
        self.setWindowTitle(self.tr("Scanner check"))
        self.report: ScannerReport | None = None
        self._times: list[float] = []
        self.card = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.card.setPixmap(qr_pixmap(TEST_CARD, 220))
        self.field = QLineEdit()
        self.field.setAccessibleName(self.tr("Scan the test card here"))
        self.field.installEventFilter(self)
        self.field.setProperty(RAW_KEYS, True)
        self.outcome = QLabel(wordWrap=True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Scan this test card with the scanner:")))
        layout.addWidget(self.card)
        layout.addWidget(QLabel(TEST_CARD, alignment=Qt.AlignmentFlag.AlignCenter))
        layout.addWidget(self.field)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        layout.addWidget(buttons)
        self._quiet = QTimer(self, singleShot=True, interval=SILENCE_MS)
        self._quiet.timeout.connect(lambda: self.finish(None))
        self.field.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return False
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                name = "Tab" if event.key() == Qt.Key.Key_Tab else "Enter"
                self.finish(name)
                return True
            if event.text():
                self._times.append(time.monotonic() * 1000)
                self._quiet.start()
        return False

    def finish(self, terminator: str | None) -> None:
        self._quiet.stop()
        text = self.field.text()
        if not text:
            return
        self.field.clear()
        self._times, times = [], self._times
        if codes.normalize(text) is not None:
            self.notTheTestCard.emit(text)  # a guest's code: check them in at the desk
            return
        self.show_report(analyse(text, times, terminator))

    def show_report(self, report: ScannerReport) -> None:
        self.report = report
        head = (
            self.tr("The scanner works: the test card arrived exactly.")
            if report.ok
            else self.tr("The test card arrived as: {text}").format(text=report.received)
        )
        facts = self.tr("Ends with: {end}. Speed: {cps} characters a second.").format(
            end=report.terminator, cps=report.chars_per_second
        )
        self.outcome.setText("\n\n".join([head, facts, *report.advice]))
