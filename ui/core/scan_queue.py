"""The station's one writer: scans (and hand check-ins) run off the GUI thread, one at a time,
in the order they came.

A scan that arrives while the previous one is being written waits its turn: it is never lost
or reordered. Its work is made only when its turn comes, on the GUI thread, so it sees the
screen as the previous answer left it (the person now on the card, say). A write that takes
longer than ``SLOW_MS`` is announced (the banner says "Saving…") until its answer comes.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal

from checkin.results import ScanResult
from ui.core.tasks import Task, start

Work = Callable[[], ScanResult]
SLOW_MS = 100


class ScanQueue(QObject):
    answered = Signal(object)  # (ScanResult, the callback the scan was submitted with)
    saving = Signal()  # the write in progress has taken longer than SLOW_MS
    failed = Signal(str)  # the work itself raised (the scan engine never does)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer: the order is the order of arrival
        self._pool.setExpiryTimeout(-1)  # keep the thread: no start-up cost per scan
        self._waiting: deque[tuple[Callable[[], Work], Callable[[ScanResult], None]]] = deque()
        self._busy = False
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_MS)
        self._slow.timeout.connect(self.saving.emit)
        self._task: Task | None = None

    def submit(self, make_work: Callable[[], Work], answer: Callable[[ScanResult], None]) -> None:
        """``make_work`` runs on the GUI thread when this scan's turn comes and returns the
        work for the writer thread; ``answer`` gets its result on the GUI thread."""
        self._waiting.append((make_work, answer))
        self._next()

    @property
    def pending(self) -> int:
        """Scans waiting or being written."""
        return len(self._waiting) + (1 if self._busy else 0)

    def drain(self, timeout_s: float = 30.0) -> bool:
        """Write everything queued before going on (the window is closing: nothing scanned is
        dropped). Returns whether all was written in time."""
        deadline = time.monotonic() + timeout_s
        while self.pending and time.monotonic() < deadline:
            self._pool.waitForDone(100)
            # Deliver the answer, which starts the next scan in the queue.
            QCoreApplication.processEvents()
        return self.pending == 0

    def _next(self) -> None:
        if self._busy or not self._waiting:
            return
        make_work, answer = self._waiting.popleft()
        self._busy = True
        task = Task(make_work())
        task.signals.done.connect(lambda result: self._done(result, answer))
        task.signals.failed.connect(self._failed)
        self._slow.start()
        self._task = start(task, self._pool)

    def _done(self, result: ScanResult, answer: Callable[[ScanResult], None]) -> None:
        self._slow.stop()
        self._busy = False
        try:
            answer(result)
            self.answered.emit(result)
        finally:
            self._next()

    def _failed(self, message: str) -> None:
        self._slow.stop()
        self._busy = False
        try:
            self.failed.emit(message)
        finally:
            self._next()
