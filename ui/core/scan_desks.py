"""Where a scan goes: the desk of the window it was typed into, else the desk used last.

One router (ui/core/scan_router.py) reads the keys of every window of the app; this decides which
station takes each burst. A dialog, menu or drop-down list belongs to the window it opened from;
a window of its own (the big screen, the host's screen, a question asked before any desk is
open) sends its scans to the desk used last. With no desk open yet (the first-launch question, a
host still starting its server) a scan waits, said on screen, and goes to the first desk that
opens: it is never typed into the question, and never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from ui.core.scan_router import ScanRouter

Take = Callable[[str], None]  # a desk's way in: the scanned text
STEPS_ASIDE = "checkinStepsAside"  # a widget property: close this window when a scan comes


def steps_aside(widget: QWidget) -> None:
    """Mark a window that only informs (a guide, a legend, the passphrase question): a scan
    closes it, so the answer on the desk behind it is seen and the next keys are not typed
    into it. Questions that need an answer, and windows holding someone's work, stay."""
    widget.setProperty(STEPS_ASIDE, True)


class ScanDesks(QObject):
    @staticmethod
    def of_app() -> ScanDesks:
        """The application's one scan routing, for every window it opens (the application
        keeps it, and it reads the application's keys from the first question on)."""
        app = QApplication.instance()
        found = app.findChild(ScanDesks) if app is not None else None
        return found if found is not None else ScanDesks(app)

    def __init__(self, parent: QObject | None = None, *, router: ScanRouter | None = None) -> None:
        super().__init__(parent)
        self.router = router or ScanRouter(self)
        self.router.scanned.connect(self._route)
        self._desks: list[tuple[QWidget, Take]] = []  # the desk used last first
        self.waiting: list[str] = []  # scans made while no desk was open
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.router)

    def add(self, window: QWidget, take: Take) -> None:
        """A station window opened: it takes the scans aimed at it, and the waiting ones."""
        self._desks.insert(0, (window, take))
        window.installEventFilter(self)
        waiting, self.waiting = self.waiting, []
        for code in waiting:
            take(code)

    def remove(self, window: QWidget) -> None:
        self._desks = [(w, t) for w, t in self._desks if w is not window and shiboken6.isValid(w)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            found = [d for d in self._desks if d[0] is watched]
            if found:
                self._desks = found + [d for d in self._desks if d[0] is not watched]
        return False

    def _route(self, code: str) -> None:
        take = self._desk_for(self.router.source)
        if take is not None:
            take(code)
            return
        self.waiting.append(code)
        source = self.router.source or QApplication.activeWindow()
        if source is not None:
            QToolTip.showText(
                source.mapToGlobal(QPoint(source.width() // 3, source.height() // 3)),
                self.tr(
                    "Scan kept: no desk is open yet. It is checked in as soon as the desk opens."
                ),
                source,
            )

    def _desk_for(self, source: QWidget | None) -> Take | None:
        self._desks = [d for d in self._desks if shiboken6.isValid(d[0])]
        current = source
        while current is not None:
            for window, take in self._desks:
                if window is current:
                    return take
            own = getattr(current, "take_scan", None)  # a station page in a window of its own
            if callable(own):
                return cast(Take, own)
            current = current.parentWidget()
            current = current.window() if current is not None else None
        return self._desks[0][1] if self._desks else None
