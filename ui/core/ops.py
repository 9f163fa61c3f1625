"""Background work as typed operations (the idea of Anki's ``QueryOp`` and ``CollectionOp``).

Every service call a screen makes off the GUI thread is one of two operations:

- ``QueryOp``: work that writes nothing to the event (a read, a file, the network, a key
  derivation), on the shared thread pool;
- ``WriteOp``: work that writes to the event, on the station's one writer queue
  (``ui/core/scan_queue.py``), in turn with the scans, so two writes of this laptop never race
  and a scan is never overtaken.

Each is generic over its result: ``success`` gets the value the work returned, on the GUI thread.
A failure is shown to the user (``show_failure``: one window per screen, which takes no focus
from the scan field) unless the caller handles it with ``failure``; a handler that chooses to
stay quiet says so where it is given. Nothing is delivered to a screen that has closed
meanwhile. A ``WriteOp`` given ``changes`` tells every view what it changed once it succeeded.

``ui/core/tasks.py`` is the machinery underneath (signals deleted on the GUI thread); only this
module and the writer queue use it (tests/ui/test_ops.py checks).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, Protocol, Self, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from checkin.changes import Changes
from ui.core import tasks
from ui.core.scan_queue import ScanQueue

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (done, total), called from the work's thread
Cancelled = Callable[[], bool]  # whether the user asked to stop
_log = logging.getLogger("checkin.ops")


class Writes(Protocol):
    """What a write needs of the event's context (ui/core/context.py's EventContext): the
    station's writer queue, and the one "changed" notification."""

    @property
    def scans(self) -> ScanQueue: ...

    def notify_changed(self, changes: Changes) -> None: ...


class Running:
    """A started operation: ``cancel`` asks work given a ``Cancelled`` to stop (a write still
    waiting its turn keeps the request for when it starts); ``finished`` is True once the GUI
    thread has heard its end."""

    def __init__(self) -> None:
        self._task: tasks.Task | None = None
        self._cancel = False
        self.finished = False

    def attach(self, task: tasks.Task) -> None:
        self._task = task
        task.cancelled = self._cancel

    def cancel(self) -> None:
        self._cancel = True
        if self._task is not None:
            self._task.cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancel


class Op(Generic[T]):
    def __init__(
        self,
        parent: QObject | None,
        work: Callable[[Progress, Cancelled], T],
        success: Callable[[T], None],
    ) -> None:
        self._parent = parent
        self._work = work
        self._success = success
        self._failure: Callable[[str], None] | None = None
        self._progress: Callable[[int, int], None] | None = None
        self._ended: Callable[[], None] | None = None

    def failure(self, handler: Callable[[str], None]) -> Self:
        """Handle the failure here (its one line in the user's language) instead of the
        standard window."""
        self._failure = handler
        return self

    def progress(self, handler: Callable[[int, int], None]) -> Self:
        """(done, total) from work given a ``Progress``, on the GUI thread."""
        self._progress = handler
        return self

    def ended(self, handler: Callable[[], None]) -> Self:
        """After success or failure, always last."""
        self._ended = handler
        return self

    def run_in_background(self) -> Running:
        raise NotImplementedError

    def _make_task(self, running: Running) -> tasks.Task:
        """Made on the GUI thread (its signals object lives there)."""
        task = tasks.Task(self._work, with_progress=True)
        running.attach(task)
        signals = task.signals
        signals.done.connect(self._deliver)
        signals.failed.connect(self._failed)
        signals.progress.connect(self._progressed)
        signals.ended.connect(lambda: self._end(running))
        return task

    def _alive(self) -> bool:
        """The screen that asked is still there (a closed one is told nothing)."""
        return self._parent is None or shiboken6.isValid(self._parent)

    def _deliver(self, result: T) -> None:
        if self._alive():
            self._success(result)

    def _progressed(self, done: int, total: int) -> None:
        if self._progress is not None and self._alive():
            self._progress(done, total)

    def _failed(self, message: str) -> None:
        if not self._alive():
            _log.warning("failed after its screen closed: %s", message)
        elif self._failure is not None:
            self._failure(message)
        else:
            show_failure(self._parent, message)

    def _end(self, running: Running) -> None:
        running.finished = True
        if self._ended is not None and self._alive():
            self._ended()


class QueryOp(Op[T]):
    """Work that writes nothing to the event, on the shared pool (see the module's text)."""

    def __init__(
        self, *, parent: QObject | None, op: Callable[[], T], success: Callable[[T], None]
    ) -> None:
        super().__init__(parent, lambda _progress, _cancelled: op(), success)

    @classmethod
    def with_progress(
        cls,
        *,
        parent: QObject | None,
        op: Callable[[Progress, Cancelled], T],
        success: Callable[[T], None],
    ) -> QueryOp[T]:
        query: QueryOp[T] = cls.__new__(cls)
        Op.__init__(query, parent, op, success)
        return query

    def run_in_background(self) -> Running:
        running = Running()
        tasks.start(self._make_task(running))
        return running


class WriteOp(Op[T]):
    """Work that writes to the event, on the station's writer queue (see the module's text).
    ``changes`` (the changes themselves, or read from the result) reaches every view through
    the context once the write succeeded, also when the screen that asked has closed, before
    ``success`` runs."""

    def __init__(
        self,
        *,
        context: Writes,
        parent: QObject | None,
        op: Callable[[], T],
        success: Callable[[T], None],
        changes: Changes | Callable[[T], Changes] | None = None,
    ) -> None:
        super().__init__(parent, lambda _progress, _cancelled: op(), success)
        self._context = context
        self._changes = changes

    @classmethod
    def with_progress(
        cls,
        *,
        context: Writes,
        parent: QObject | None,
        op: Callable[[Progress, Cancelled], T],
        success: Callable[[T], None],
        changes: Changes | Callable[[T], Changes] | None = None,
    ) -> WriteOp[T]:
        write: WriteOp[T] = cls.__new__(cls)
        Op.__init__(write, parent, op, success)
        write._context, write._changes = context, changes
        return write

    def _deliver(self, result: T) -> None:
        changes = self._changes(result) if callable(self._changes) else self._changes
        if changes is not None and changes.kinds:
            self._context.notify_changed(changes)
        super()._deliver(result)

    def run_in_background(self) -> Running:
        """Queued now; the work starts when the writes before it are done."""
        running = Running()
        self._context.scans.write(lambda: self._make_task(running))
        return running


def show_failure(parent: QObject | None, message: str) -> None:
    """The standard way a failed operation is shown: a warning beside the screen that asked,
    which leaves the keyboard where it was (a scanner's keystrokes and the volunteer's typing
    stay in their window), one per window (a second failure replaces the first's text rather
    than stacking windows)."""
    _log.warning("operation failed: %s", message)
    if QCoreApplication.instance() is None:
        return
    window = parent.window() if isinstance(parent, QWidget) else None
    box = _open_boxes.get(id(window)) if window is not None else None
    if box is None or not shiboken6.isValid(box):
        box = _FailureBox(window)
        if window is not None:
            key = id(window)
            _open_boxes[key] = box
            box.destroyed.connect(lambda *_: _open_boxes.pop(key, None))
    box.setWindowTitle(QCoreApplication.translate("Operations", "Could not finish"))
    box.setText(message)
    box.show_keeping_keyboard()


class _FailureBox(QMessageBox):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("operationFailure")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus)

    def show_keeping_keyboard(self) -> None:
        """Shown; a platform that activates every new window anyway (seen: offscreen) hands
        the keyboard straight back to the window that had it. Only while it is being shown:
        a click on the box later activates it as usual."""
        back = QApplication.activeWindow()
        self.show()
        if back is None or back is self:
            return
        app = QApplication.instance()
        assert isinstance(app, QApplication)

        def hand_back(_window: object) -> None:
            if (
                shiboken6.isValid(self)
                and shiboken6.isValid(back)
                and QApplication.activeWindow() is self
            ):
                back.activateWindow()

        app.focusWindowChanged.connect(hand_back)
        QTimer.singleShot(500, lambda: app.focusWindowChanged.disconnect(hand_back))


_open_boxes: dict[int, _FailureBox] = {}
