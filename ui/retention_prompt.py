"""At launch: the event's day to delete personal data has come. The organiser is asked first,
told what will be removed; the purge runs off the GUI thread; then what was removed is shown.
"Not now" asks again at the next launch. A station laptop's joined copies that are due are
removed at launch without a question (their organiser chose the day) and it says so."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from checkin.purge_everywhere import (
    EverywhereResult,
    plan_everywhere,
    purge_due_copies,
    purge_everywhere,
)
from checkin.retention import get_retention
from checkin.store import Database
from ui import tasks


def offer_due_purge(db: Database, parent: QWidget | None = None) -> EverywhereResult | None:
    """Ask, and purge when the organiser agrees; the result (None: not due, or not now)."""
    retention = get_retention(db)
    if not retention.due():
        return None
    plan = plan_everywhere(db)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("retention", "Delete personal data"))
    box.setText(
        QCoreApplication.translate(
            "retention",
            "The day to delete this event's personal data has come (%1, %2 days after the event).",
        )
        .replace("%1", f"{retention.purge_on:%Y-%m-%d}")
        .replace("%2", str(retention.days))
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "retention",
            "Delete now removes the names, phone numbers, emails and notes of %1 households"
            " from the event file, and %2 files with them (backups, station copies, exports,"
            " copies kept before a restore or hosting), the hosting server's data and log lines"
            " with names. The counts, zip codes, check-ins, tickets and the report stay."
            " This cannot be undone.",
        )
        .replace("%1", str(plan.purge.attendees))
        .replace("%2", str(len(plan.files)))
    )
    box.setDetailedText("\n".join(plan.lines()))
    delete = box.addButton(
        QCoreApplication.translate("retention", "Delete now"), QMessageBox.ButtonRole.AcceptRole
    )
    later = box.addButton(
        QCoreApplication.translate("retention", "Not now"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(later)  # a scanner's Enter never deletes anything
    box.exec()
    chosen = box.clickedButton()
    box.deleteLater()
    if chosen is not delete:
        return None
    result = _run(lambda: purge_everywhere(db, station="launch"))
    _tell(parent, result)
    return result


def _run(work: Callable[[], EverywhereResult]) -> EverywhereResult:
    """The purge (VACUUM of a big file takes seconds) off the GUI thread, waited for here."""
    loop = QEventLoop()
    outcome: dict[str, object] = {}
    task = tasks.Task(work)
    task.signals.done.connect(lambda value: outcome.setdefault("done", value))
    task.signals.failed.connect(lambda text: outcome.setdefault("failed", text))
    task.signals.ended.connect(loop.quit)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        tasks.start(task)
        if "done" not in outcome and "failed" not in outcome:
            loop.exec()
    finally:
        QApplication.restoreOverrideCursor()
    if "failed" in outcome:
        return EverywhereResult(left=[str(outcome["failed"])])
    done = outcome["done"]
    assert isinstance(done, EverywhereResult)
    return done


def _tell(parent: QWidget | None, result: EverywhereResult) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("retention", "Delete personal data"))
    if result.left:
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(
            QCoreApplication.translate(
                "retention",
                "Personal data deleted, but some files could not be removed: see below.",
            )
        )
    else:
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(
            QCoreApplication.translate(
                "retention", "Personal data deleted. What was removed is listed below."
            )
        )
    box.setInformativeText(result.text())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
    box.deleteLater()


def purge_due_station_copies(parent: QWidget | None = None) -> list[str]:
    """This laptop's joined copies whose day has come: removed, and said."""
    removed = purge_due_copies()
    if removed:
        QMessageBox.information(
            parent,
            QCoreApplication.translate("retention", "Delete personal data"),
            QCoreApplication.translate(
                "retention",
                "The day to delete personal data has come for these copies of an event:",
            )
            + "\n"
            + "\n".join(removed),
        )
    return removed
