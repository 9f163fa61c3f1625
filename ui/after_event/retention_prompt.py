"""At launch: the event's day to delete personal data has come. The organiser is asked first,
told what will be removed; the purge runs off the GUI thread; then what was removed is shown.
"Not now" asks again at the next launch. A station laptop's joined copies that are due are
removed at launch without a question (their organiser chose the day) and it says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from checkin.access.unlocking import Attempt, Outcome, try_passphrase
from checkin.after_event.retention import get_retention
from checkin.event.events import get_event
from checkin.purge_everywhere import (
    EverywhereResult,
    plan_everywhere,
    purge_due_copies,
    purge_everywhere,
)
from checkin.store import Database
from ui.core.ops import QueryOp


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
            "The day to delete the personal data of %3 has come (%1, %2 days after the event).",
        )
        .replace("%3", get_event(db).name)  # several events on a laptop: say which one
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
    if chosen is not delete or not _organiser_agrees(db, parent):
        return None
    result = _run(lambda: purge_everywhere(db, station="launch"))
    if isinstance(result, str):
        result = EverywhereResult(left=[result])
    _tell(parent, result)
    return result


def _organiser_agrees(db: Database, parent: QWidget | None) -> bool:
    """Whoever launches the app after the day may be a volunteer: deleting needs the organiser
    passphrase, checked off the GUI thread (a slow KDF) with the usual wait after wrong tries."""
    if not get_event(db).has_passphrase:
        return True  # an event made without one has no organiser to ask
    title = QCoreApplication.translate("retention", "Delete personal data")
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(
        QCoreApplication.translate("retention", "The organiser's passphrase, to delete now:")
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    given = dialog.exec() == QInputDialog.DialogCode.Accepted
    text = dialog.textValue()
    dialog.deleteLater()
    if not given:
        return False
    attempt = _run(lambda: try_passphrase(db, text))
    if isinstance(attempt, Attempt) and attempt.open:
        return True
    if isinstance(attempt, Attempt) and attempt.outcome is Outcome.WAIT:
        why = QCoreApplication.translate(
            "retention", "Too many wrong tries: wait %1 s and launch again. Nothing was deleted."
        ).replace("%1", str(round(attempt.wait)))
    else:
        why = QCoreApplication.translate(
            "retention",
            "Wrong passphrase: nothing was deleted. It will be asked at the next launch.",
        )
    box = QMessageBox(QMessageBox.Icon.Warning, title, why, parent=parent)
    box.exec()
    box.deleteLater()
    return False


T = TypeVar("T")


def _run(work: Callable[[], T]) -> T | str:
    """Slow work (the purge's VACUUM, a passphrase's KDF) off the GUI thread, waited for here;
    a failure comes back as its text. Asked at launch, before the event's window (and its
    writer queue) exists: nothing else writes to the file meanwhile."""
    loop = QEventLoop()
    done: list[T] = []
    failed: list[str] = []
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        running = (
            QueryOp(parent=None, op=work, success=done.append)
            .failure(failed.append)
            .ended(loop.quit)
            .run_in_background()
        )
        if not running.finished:
            loop.exec()
    finally:
        QApplication.restoreOverrideCursor()
    return done[0] if done else (failed[0] if failed else "")


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
