"""The station's one writer: scans, hand check-ins and every other write of this window (an
undo, an edit, a merge: ``WriteOp`` in ui/core/ops.py) run off the GUI thread, one at a time, in
the order they came.

A scan that arrives while the previous write is running waits its turn: it is never lost or
reordered. Its work is made only when its turn comes, on the GUI thread, so it sees the screen
as the previous answer left it (the person now on the card, say). A scan whose answer takes
longer than ``SLOW_MS`` is announced (the banner says "Saving…") until its answer comes.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal

from checkin.results import ScanResult
from ui.core.tasks import Task, start

Work = Callable[[], ScanResult]
SLOW_MS = 100


@dataclass
class _Turn:
    make_task: Callable[[], Task]  # called on the GUI thread when the turn comes
    scan: bool  # a scan: "Saving…" when slow


class ScanQueue(QObject):
    answered = Signal(object)  # a scan's ScanResult, after the callback it was submitted with
    saving = Signal()  # a scan has waited longer than SLOW_MS for its answer
    failed = Signal(str)  # a scan's work itself raised (the scan engine never does)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer: the order is the order of arrival
        self._pool.setExpiryTimeout(-1)  # keep the thread: no start-up cost per scan
        self._waiting: deque[_Turn] = deque()
        self._busy = False
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_MS)
        self._slow.timeout.connect(self.saving.emit)
        self._task: Task | None = None

    def submit(self, make_work: Callable[[], Work], answer: Callable[[ScanResult], None]) -> None:
        """A scan: ``make_work`` runs on the GUI thread when this scan's turn comes and returns
        the work for the writer thread; ``answer`` gets its result on the GUI thread."""

        def make_task() -> Task:
            task = Task(make_work())
            task.signals.done.connect(lambda result: self._answered(result, answer))
            task.signals.failed.connect(self._scan_failed)
            return task

        if not self._slow.isActive():
            self._slow.start()  # also while an earlier write holds the writer
        self._queue(_Turn(make_task, scan=True))

    def write(self, make_task: Callable[[], Task]) -> None:
        """Any other write (ui/core/ops.py's ``WriteOp``): ``make_task`` is called on the GUI
        thread when its turn comes; the task's own signals carry its answer."""
        self._queue(_Turn(make_task, scan=False))

    @property
    def pending(self) -> int:
        """Writes waiting or running."""
        return len(self._waiting) + (1 if self._busy else 0)

    def drain(self, timeout_s: float = 30.0) -> bool:
        """Write everything queued before going on (the window is closing: nothing scanned is
        dropped). Returns whether all was written in time."""
        deadline = time.monotonic() + timeout_s
        while self.pending and time.monotonic() < deadline:
            self._pool.waitForDone(100)
            # Deliver the answer, which starts the next write in the queue.
            QCoreApplication.processEvents()
        return self.pending == 0

    def _queue(self, turn: _Turn) -> None:
        self._waiting.append(turn)
        self._next()

    def _next(self) -> None:
        if self._busy or not self._waiting:
            return
        turn = self._waiting.popleft()
        self._busy = True
        try:
            task = turn.make_task()
        except Exception:
            self._busy = False
            self._next()
            raise
        # Connected last: the write's own answer is delivered before the next write starts.
        task.signals.ended.connect(self._ended)
        if turn.scan:
            self._slow.start()
        self._task = start(task, self._pool)

    def _answered(self, result: ScanResult, answer: Callable[[ScanResult], None]) -> None:
        self._slow.stop()
        answer(result)
        self.answered.emit(result)

    def _scan_failed(self, message: str) -> None:
        self._slow.stop()
        self.failed.emit(message)

    def _ended(self) -> None:
        self._busy = False
        self._task = None
        if any(turn.scan for turn in self._waiting):
            self._slow.start()
        self._next()
