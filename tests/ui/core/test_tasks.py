"""Background tasks: every result reaches the GUI thread, and Qt objects die on their own thread."""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot

from ui.core import tasks

pytestmark = pytest.mark.gui


class _Ping(QObject):
    pinged = Signal(object)


def test_emitting_a_signal_keeps_python_s_references() -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit; on Python 3.11 that frees True
    after a few hundred emits and crashes the app. pyproject.toml excludes that release."""
    ping = _Ping()
    ping.pinged.connect(lambda _value: None)
    ping.pinged.emit(0)  # first-use allocations may hold True once
    before = sys.getrefcount(True)
    for number in range(200):
        ping.pinged.emit(number)
    assert sys.getrefcount(True) >= before  # 6.12.0: 200 fewer


def test_results_of_tasks_nobody_holds_reach_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    delivered: list[tuple[str, object, bool]] = []
    destroyed: list[bool] = []
    refs: list[weakref.ref[tasks.Task]] = []

    def fail() -> int:
        raise ValueError("no such ticket type")

    for number in range(40):
        task = tasks.Task(fail if number % 4 == 0 else (lambda n=number: n * 2))
        task.signals.done.connect(
            lambda value: delivered.append(("done", value, threading.get_ident() == gui))
        )
        task.signals.failed.connect(
            lambda message: delivered.append(("failed", message, threading.get_ident() == gui))
        )
        task.signals.destroyed.connect(
            lambda *_: destroyed.append(threading.get_ident() == gui),
            Qt.ConnectionType.DirectConnection,
        )
        refs.append(weakref.ref(tasks.start(task)))
        del task  # the screen that asked lets go at once (a newer search replaced it, say)

    qtbot.waitUntil(lambda: len(delivered) == 40 and tasks.running() == 0, timeout=10000)
    assert sorted(int(str(value)) for kind, value, _ in delivered if kind == "done") == [
        n * 2 for n in range(40) if n % 4
    ]
    assert [message for kind, message, _ in delivered if kind == "failed"] == [
        "no such ticket type"
    ] * 10
    assert all(on_gui for _, _, on_gui in delivered)
    qtbot.waitUntil(lambda: all(ref() is None for ref in refs), timeout=5000)
    # deleteLater runs when the event loop next gets round to it, not when the Python side let
    # go: wait for it rather than race it.
    qtbot.waitUntil(lambda: len(destroyed) == 40, timeout=5000)
    assert all(destroyed)  # each signals object died on the GUI thread


def test_progress_and_cancel_reach_the_work(qtbot: QtBot) -> None:
    seen: list[tuple[int, int]] = []

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> str:
        for step in range(3):
            progress(step + 1, 3)
        return "stopped" if cancelled() else "finished"

    task = tasks.Task(work, with_progress=True)
    task.signals.progress.connect(lambda done, total: seen.append((done, total)))
    task.cancelled = True
    with qtbot.waitSignal(task.signals.done, timeout=5000) as blocker:
        tasks.start(task)
    assert blocker.args == ["stopped"]
    qtbot.waitUntil(lambda: seen == [(1, 3), (2, 3), (3, 3)], timeout=5000)
