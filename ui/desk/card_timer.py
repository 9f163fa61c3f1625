"""How long the person being served stays on screen: a visible countdown, then the card clears.

A pre-printed ticket scanned binds to the person on screen: a card left from a minute ago must
not take the next person's ticket.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from checkin.event.events import CARD_SECONDS_DEFAULT
from ui.common.live_texts import LiveTexts

TICK_MS = 1000


class CardTimer(QLabel):
    expired = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardCountdown")
        self.seconds = CARD_SECONDS_DEFAULT
        self.left = 0
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._count)
        self.stop()
        LiveTexts(self)(self._reword)  # now, and again on a language switch

    def restart(self) -> None:
        """A person is (again) on screen: the full time from now."""
        self.left = self.seconds
        self._tick.start()
        self._show()

    def stop(self) -> None:
        self.left = 0
        self._tick.stop()
        self.setText("")

    @property
    def running(self) -> bool:
        return self._tick.isActive()

    def _count(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.stop()
            self.expired.emit()
            return
        self._show()

    def _show(self) -> None:
        self.setText(self.tr("Clears in {n} s (Esc: now)").format(n=self.left))

    def _reword(self) -> None:
        self.setAccessibleName(self.tr("Time left for the person on screen"))
        if self.running:
            self._show()
