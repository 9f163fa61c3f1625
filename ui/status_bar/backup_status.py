"""Automatic backups in the app: every few minutes and on exit, off the GUI thread, with a
status-bar button showing the last good backup ("Last backup 14:05 ✓") or a red warning.

The button's menu backs up now, chooses the folder (a USB stick; organiser only, stored as the
event's ``backup_dir`` setting) and opens the restore dialog. The main window installs it with
``install_backup_status(main_window, context)``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QToolButton,
    QWidget,
)

from checkin.event import events
from checkin.store.backups import (
    BACKUP_DIR_SETTING,
    INTERVAL_MINUTES,
    KEEP,
    BackupResult,
    backup_dir,
    backup_now,
)
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running
from ui.core.organiser_lock import require_organiser

OK_STYLE = "color: #ffffff; background: #1b5e20; padding: 0 6px;"  # legible in both themes
WARN_STYLE = "color: white; background: #b71c1c; font-weight: 700; padding: 0 6px;"
# A failure that the next backup may well not have (the file busy, say): worth a look, not an
# alarm. Red is kept for a folder that is gone or full.
NOTE_STYLE = "color: #5d4037; background: #ffe082; padding: 0 6px;"
FIRST_BACKUP_MS = 3000  # the first backup, shortly after the window opens


class BackupStatus(QObject):
    """Runs the backups and owns the status-bar button that reports on them."""

    backedUp = Signal(object)  # BackupResult, on the GUI thread

    def __init__(
        self,
        context: EventContext,
        *,
        interval_minutes: float = INTERVAL_MINUTES,
        keep: int = KEEP,
        first_after_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._keep = keep
        self._task: Running | None = None
        self._exit_done = False
        self.last_result: BackupResult | None = None
        self.last_good: BackupResult | None = None

        self.button = QToolButton()
        self.button.setObjectName("backupStatus")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.button)
        self.backup_action = menu.addAction("")
        self.backup_action.triggered.connect(self.back_up_now)
        self.folder_action = menu.addAction("")
        self.folder_action.triggered.connect(self.choose_folder)
        self.restore_action = menu.addAction("")
        self.restore_action.triggered.connect(self.open_restore)
        self.button.setMenu(menu)

        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_minutes * 60_000))
        self.timer.timeout.connect(self.back_up_now)
        if context.db.is_sqlite:
            self.timer.start()
            if first_after_ms is not None:
                QTimer.singleShot(first_after_ms, self, self.back_up_now)
        else:
            # A shared server is backed up on the server (pg_dump), not from a station.
            for action in (self.backup_action, self.folder_action, self.restore_action):
                action.setEnabled(False)
        LiveTexts(self.button)(self._set_texts)

    def _set_texts(self) -> None:
        self.button.setAccessibleName(self.tr("Backup status"))
        self.backup_action.setText(self.tr("Back up now"))
        self.folder_action.setText(self.tr("Choose the backup folder…"))
        self.restore_action.setText(self.tr("Restore from a backup…"))
        if not self._context.db.is_sqlite:
            self.button.setText(self.tr("Backups: on the server"))
        elif self.last_result is not None:
            self._show(self.last_result, announce=False)
        else:
            self.button.setText(self.tr("No backup yet"))
            self.button.setToolTip(self.tr("Backups go to %1").replace("%1", str(self.folder())))

    def folder(self) -> Path:
        return backup_dir(self._context.db)

    # --- backing up -------------------------------------------------------------------------

    def back_up_now(self) -> None:
        """Start a backup off the GUI thread (ignored while one is running)."""
        if self._task is not None or self._exit_done or not self._context.db.is_sqlite:
            return
        db, keep = self._context.db, self._keep
        # A copy of the file (SQLite's online backup), no write to the event: not the writer's.
        self._task = (
            QueryOp(parent=self, op=lambda: backup_now(db, keep=keep), success=self._finished)
            .failure(self._failed)
            .run_in_background()
        )

    def back_up_on_exit(self) -> BackupResult | None:
        """The last backup, taken at once (the app is closing); only once."""
        if self._exit_done or not self._context.db.is_sqlite:
            return None
        self._exit_done = True
        self.timer.stop()
        result = backup_now(self._context.db, keep=self._keep)
        self._show(result)
        return result

    def _failed(self, message: str) -> None:
        self._task = None
        self._show(BackupResult(False, datetime.now(), message=message))

    def _finished(self, result: BackupResult) -> None:
        self._task = None
        self._show(result)

    def _show(self, result: BackupResult, *, announce: bool = True) -> None:
        self.last_result = result
        if result.ok:
            self.last_good = result
            self.button.setText(
                self.tr("Last backup %1 ✓").replace("%1", result.at.strftime("%H:%M"))
            )
            self.button.setStyleSheet(OK_STYLE)
            self.button.setToolTip(str(result.path))
        else:
            since = (
                self.tr(" (last good backup %1)").replace("%1", self.last_good.at.strftime("%H:%M"))
                if self.last_good
                else ""
            )
            self.button.setText(
                self.tr("Backup failed%1: %2").replace("%1", since).replace("%2", result.message)
            )
            self.button.setStyleSheet(WARN_STYLE if result.urgent else NOTE_STYLE)
            self.button.setToolTip(result.message)
        if announce:
            self.backedUp.emit(result)

    # --- folder and restore -----------------------------------------------------------------

    def _organiser(self, parent: QWidget | None) -> bool:
        return require_organiser(self._context, parent)

    def choose_folder(self) -> None:
        parent = self.button.window()
        if not self._organiser(parent):
            return
        chosen = QFileDialog.getExistingDirectory(
            parent, self.tr("Backup folder (a USB stick)"), str(self.folder())
        )
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        events.set_setting(
            self._context.db, BACKUP_DIR_SETTING, str(folder), station=self._context.station.name
        )
        self.button.setToolTip(self.tr("Backups go to %1").replace("%1", str(folder)))
        self.back_up_now()

    def open_restore(self) -> None:
        from ui.status_bar.restore_dialog import RestoreDialog

        parent = self.button.window()
        if not self._organiser(parent):
            return
        dialog = RestoreDialog(self._context, self.folder(), parent)
        dialog.exec()


class _CloseWatcher(QObject):
    def __init__(self, status: BackupStatus) -> None:
        super().__init__(status)
        self._status = status

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._status.back_up_on_exit()
        return False


def install_backup_status(main_window: QMainWindow, context: EventContext) -> BackupStatus:
    """Put the backup button in the main window's status bar and back up on exit."""
    status = BackupStatus(context, first_after_ms=FIRST_BACKUP_MS, parent=main_window)
    main_window.statusBar().addPermanentWidget(status.button)
    main_window.installEventFilter(_CloseWatcher(status))
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(status.back_up_on_exit)
    return status
