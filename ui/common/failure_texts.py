"""Why something was not saved, in the volunteer's language (``checkin.errors`` names the cause;
its English wording is for the command line and logs)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from checkin.errors import Failure, describe, failure_of
from checkin.store import DamagedFile
from checkin.store.backups import latest_backup_of


def failure_text(failure: str) -> str:
    texts = {
        Failure.BUSY: QCoreApplication.translate(
            "Failures", "Another program is holding the event file: try again in a moment"
        ),
        Failure.DISK_FULL: QCoreApplication.translate(
            "Failures", "The disk is full: free some space, then try again"
        ),
        Failure.READ_ONLY: QCoreApplication.translate(
            "Failures", "The event file is read-only: ask the organiser"
        ),
        Failure.DAMAGED: QCoreApplication.translate(
            "Failures", "The event file is damaged: ask the organiser to restore the latest backup"
        ),
        Failure.UNREACHABLE: QCoreApplication.translate(
            "Failures",
            "The database cannot be reached: check the network cable, the Wi-Fi or the USB stick",
        ),
        Failure.IO_ERROR: QCoreApplication.translate(
            "Failures",
            "The disk or USB stick failed to read or write: ask the organiser to check the drive",
        ),
        Failure.REPLACED: QCoreApplication.translate(
            "Failures",
            "Another file was copied over the event file: ask the organiser. Scans are kept"
            " beside it",
        ),
    }
    fallback = QCoreApplication.translate("Failures", "The event file could not be written")
    try:
        return texts.get(Failure(failure), fallback)
    except ValueError:  # a cause this release does not know (a newer station's result)
        return fallback


def explain(exc: BaseException) -> str:
    """A failure for the screen: the cause in the volunteer's language when it is the database's,
    else the service's own one line (a refused input says what was wrong)."""
    if isinstance(exc, DamagedFile):
        return damaged_text(exc)
    failure = failure_of(exc)
    return describe(exc) if failure is Failure.OTHER else failure_text(failure)


def damaged_text(exc: DamagedFile) -> str:
    """A damaged event file refused when opened, and what to do: its latest backup."""
    latest = latest_backup_of(exc.path)
    if latest is None:
        return (
            QCoreApplication.translate(
                "Failures",
                "%1 is damaged (%2): it was not opened; restore your latest backup "
                "(none was found in the backup folder)",
            )
            .replace("%1", exc.path.name)
            .replace("%2", exc.problem)
        )
    return (
        QCoreApplication.translate(
            "Failures", "%1 is damaged (%2): it was not opened; restore the latest backup: %3"
        )
        .replace("%1", exc.path.name)
        .replace("%2", exc.problem)
        .replace("%3", str(latest))
    )
