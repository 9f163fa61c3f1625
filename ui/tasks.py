"""Run service calls off the GUI thread and get the result back on it.

Each task opens its own sessions through the service (one session per thread); widgets are only
touched from the slots connected to ``done``/``failed``, which Qt delivers on the GUI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)


class Task(QRunnable):
    def __init__(self, work: Callable[..., Any], *, with_progress: bool = False) -> None:
        super().__init__()
        self.signals = TaskSignals()
        self._work = work
        self._with_progress = with_progress
        self.cancelled = False

    def run(self) -> None:
        try:
            if self._with_progress:
                result = self._work(self.signals.progress.emit, lambda: self.cancelled)
            else:
                result = self._work()
        except Exception as exc:  # reported to the screen as a clear line, never swallowed
            from checkin.errors import describe

            self._emit(self.signals.failed, describe(exc))
        else:
            self._emit(self.signals.done, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        # The screen that asked may have closed meanwhile: then there is nobody to tell.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    (pool or QThreadPool.globalInstance()).start(task)
    return task
