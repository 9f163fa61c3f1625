"""Run service calls off the GUI thread and get the result back on it.

Each task opens its own sessions through the service (one session per thread); widgets are only
touched from the slots connected to ``done``/``failed``, which Qt delivers on the GUI thread.

A task's signals object lives on the GUI thread, so it must be destroyed there too. A finished
``QRunnable`` is deleted by the pool on its worker thread, with the results still queued to its
signals (seen: results lost, and a crash). So a task is a plain object whose ``run`` the pool
calls, and its signals object belongs to a keeper on the GUI thread, which deletes it there
(``deleteLater``) once its ``ended`` signal has been delivered, whichever thread lets go of the
Python objects last.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)
    ended = Signal()  # after done or failed, always last


class Task:
    def __init__(self, work: Callable[..., Any], *, with_progress: bool = False) -> None:
        self.signals = TaskSignals(_the_keeper())  # owned by the keeper, not by Python
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
            from ui.common.failure_texts import explain

            self._emit(self.signals.failed, explain(exc))
        else:
            self._emit(self.signals.done, result)
        finally:
            self._emit(self.signals.ended)

    @staticmethod
    def _emit(signal: Any, *values: object) -> None:
        # The screen that asked may have closed meanwhile: then there is nobody to tell.
        with contextlib.suppress(RuntimeError):
            signal.emit(*values)


class _Keeper(QObject):
    """Holds started tasks until the GUI thread has heard their end, then deletes their signals
    object there."""

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[int, Task] = {}

    def keep(self, task: Task) -> None:
        self.tasks[id(task.signals)] = task
        task.signals.ended.connect(self._release)

    @Slot()
    def _release(self) -> None:
        # A slot of an object on the GUI thread, so Qt queues the call there.
        sender = self.sender()
        self.tasks.pop(id(sender), None)
        if sender is not None:
            sender.deleteLater()


_keeper: _Keeper | None = None


def _the_keeper() -> _Keeper:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()  # tasks are made on the GUI thread, so it lives there
    return _keeper


def running() -> int:
    """Started tasks whose end the GUI thread has not yet heard."""
    return len(_keeper.tasks) if _keeper is not None else 0


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    _the_keeper().keep(task)
    (pool or QThreadPool.globalInstance()).start(task.run)
    return task
