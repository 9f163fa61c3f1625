"""Background work as typed operations (ui/core/ops.py): the result reaches the GUI thread,
a failure is always shown unless the caller handles it, a closed screen is told nothing, a
write goes through the station's writer queue, and no screen starts a bare task any more."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from checkin.changes import Changes, Kind
from checkin.results import Station
from checkin.store import Database
from ui.core.context import EventContext
from ui.core.ops import Cancelled, Progress, QueryOp, WriteOp

pytestmark = pytest.mark.gui

UI = Path(__file__).resolve().parents[3] / "ui"
# The machinery's only users: the operations, and the writer queue they and the scans share.
MAY_USE_TASKS = {"ui/core/ops.py", "ui/core/scan_queue.py", "ui/core/tasks.py"}


def _failure_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "operationFailure" and w.isVisible()
    ]


def _fail() -> int:
    raise ValueError("no such ticket type")


def test_the_typed_result_reaches_success_on_the_gui_thread(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    gui = threading.get_ident()
    seen: list[tuple[int, bool]] = []
    running = QueryOp(
        parent=screen,
        op=lambda: 6 * 7,
        success=lambda n: seen.append((n + 1, threading.get_ident() == gui)),
    ).run_in_background()
    qtbot.waitUntil(lambda: running.finished, timeout=5000)
    assert seen == [(43, True)]


def test_an_unhandled_failure_is_shown_once_per_window_and_takes_no_focus(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen, timeout=5000)
    before = len(_failure_boxes())
    for _ in range(2):  # a second failure: the same window, not a stack of them
        running = QueryOp(parent=screen, op=_fail, success=_ignore).run_in_background()
        qtbot.waitUntil(lambda: running.finished, timeout=5000)  # noqa: B023 (waited here)
    boxes = _failure_boxes()
    assert len(boxes) == before + 1
    box = boxes[-1]
    assert box.text() == "no such ticket type" and box.windowTitle() == "Could not finish"
    assert box.parent() is screen and not box.isModal()
    assert QApplication.activeWindow() is screen  # the scan field's window keeps the keys
    box.close()


def test_a_handled_failure_goes_to_its_handler_only(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    before = len(_failure_boxes())
    heard: list[str] = []
    ends: list[bool] = []
    running = (
        QueryOp(parent=screen, op=_fail, success=lambda _n: heard.append("success"))
        .failure(heard.append)
        .ended(lambda: ends.append(True))
        .run_in_background()
    )
    qtbot.waitUntil(lambda: running.finished, timeout=5000)
    assert heard == ["no such ticket type"] and ends == [True]
    assert len(_failure_boxes()) == before


def test_a_closed_screen_is_told_nothing(qtbot: QtBot) -> None:
    screen = QWidget()
    release = threading.Event()
    seen: list[int] = []

    def slow() -> int:
        release.wait(10)
        return 1

    running = QueryOp(parent=screen, op=slow, success=seen.append).run_in_background()
    screen.deleteLater()
    qtbot.waitUntil(lambda: not _alive(screen), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: running.finished, timeout=5000)
    assert seen == []  # calling it would touch a deleted widget


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(widget))


def test_progress_and_cancel_reach_the_work(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    steps: list[tuple[int, int]] = []
    results: list[str] = []
    started = threading.Event()
    go_on = threading.Event()

    def work(progress: Progress, cancelled: Cancelled) -> str:
        started.set()
        go_on.wait(10)
        for step in range(3):
            progress(step + 1, 3)
        return "stopped" if cancelled() else "finished"

    running = (
        QueryOp.with_progress(parent=screen, op=work, success=results.append)
        .progress(lambda done, total: steps.append((done, total)))
        .run_in_background()
    )
    assert started.wait(5)
    running.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: running.finished, timeout=5000)
    assert results == ["stopped"] and steps == [(1, 3), (2, 3), (3, 3)]


def test_a_write_runs_on_the_writer_queue_in_turn_and_tells_what_it_changed(
    qtbot: QtBot, demo_db: Database
) -> None:
    context = EventContext(demo_db, Station("Desk 1"))
    screen = QWidget()
    qtbot.addWidget(screen)
    gui = threading.get_ident()
    order: list[str] = []
    threads: set[int] = set()
    told: list[Changes] = []
    context.changed.connect(told.append)
    release = threading.Event()

    def first() -> str:
        release.wait(10)
        threads.add(threading.get_ident())
        return "first"

    def second() -> str:
        threads.add(threading.get_ident())
        return "second"

    WriteOp(context=context, parent=screen, op=first, success=order.append).run_in_background()
    last = WriteOp(
        context=context,
        parent=screen,
        op=second,
        success=order.append,
        changes=lambda result: Changes.of(Kind.TICKETS) if result == "second" else Changes.of(),
    ).run_in_background()
    assert context.scans.pending == 2  # one writing, one waiting its turn
    release.set()
    qtbot.waitUntil(lambda: last.finished, timeout=5000)
    assert order == ["first", "second"]
    assert len(threads) == 1 and gui not in threads  # the writer's one thread
    assert told == [Changes.of(Kind.TICKETS)]


def _task_users() -> dict[str, list[str]]:
    """Each module of ui/ that imports ui.core.tasks, with what it imports."""
    found: dict[str, list[str]] = {}
    for path in sorted(UI.rglob("*.py")):
        name = path.relative_to(UI.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "ui.core.tasks":
                found.setdefault(name, []).extend(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module == "ui.core":
                found.setdefault(name, []).extend(a.name for a in node.names if a.name == "tasks")
            elif isinstance(node, ast.Import):
                found.setdefault(name, []).extend(
                    a.name for a in node.names if a.name == "ui.core.tasks"
                )
    return found


def test_no_screen_starts_a_bare_untyped_task() -> None:
    """Every background call goes through QueryOp or WriteOp (typed, failures shown)."""
    users = {name: names for name, names in _task_users().items() if names}
    assert set(users) - MAY_USE_TASKS == set(), users
    assert "ui/core/ops.py" in users  # the check reads imports: it would see one


def _ignore(_result: int) -> None:
    pass
