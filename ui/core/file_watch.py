"""Counters that agree when the event is open twice on one laptop (two windows, or two copies
of the app on the same file): each window's views refresh on its own changes only, so every few
seconds this reads where the file's changes have got to (off the GUI thread) and, when someone
else wrote, tells the views whose numbers it moves (counters, dashboard, attendee list)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from checkin.change_marker import last_change
from checkin.changes import Changes, Kind
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running

WATCH_SECONDS = 3
# What another writer's check-ins, hand-overs and walk-ups change (not Setup: a form being
# edited here is not reloaded under the organiser's hands).
OTHERS = Changes.of(Kind.CHECKINS, Kind.TICKETS, Kind.ATTENDEES)


class FileWatch(QObject):
    def __init__(
        self,
        context: EventContext,
        parent: QObject | None = None,
        *,
        interval_seconds: float = WATCH_SECONDS,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._seen: int | None = None
        self._task: Running | None = None
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_seconds * 1000))
        self.timer.timeout.connect(self.look)
        self.timer.start()
        self.look()

    def look(self) -> None:
        if self._busy:
            return
        self._busy = True
        db = self._context.db
        self._task = (
            QueryOp(parent=self, op=lambda: last_change(db), success=self._seen_now)
            # Quiet on purpose: polled every few seconds, and a file that cannot be read is
            # the writes' and the connection indicator's to report, not a window a second.
            .failure(lambda _message: setattr(self, "_busy", False))
            .run_in_background()
        )

    def _seen_now(self, marker: int) -> None:
        self._busy = False
        before, self._seen = self._seen, marker
        # This window's own writes move the marker too: their views already refreshed, and a
        # second recount of the counters is cheap (they gather changes for half a second).
        if before is not None and marker != before:
            self._context.notify_changed(OTHERS)
