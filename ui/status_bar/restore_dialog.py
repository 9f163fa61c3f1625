"""Restore the event file from a backup (organiser only).

The backups in the backup folder are listed newest first; another file can be chosen. The
current file is kept aside as ``<file>.before-restore`` and the app carries on with the restored
file at once (its database connections are reopened).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin.store.backups import BackupError, list_backups, restore_file
from ui.core.context import EventContext


class RestoreDialog(QDialog):
    def __init__(self, context: EventContext, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.restored_from: Path | None = None
        self.kept_aside: Path | None = None
        # Replaced in tests: asks "are you sure?".
        self.confirm = self._confirm
        self.setWindowTitle(self.tr("Restore from a backup"))

        intro = QLabel(
            self.tr(
                "Everything done since the backup will be replaced by the backup. "
                "The current file is kept next to it as a copy (.before-restore)."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("backupList")
        self.list.setAccessibleName(self.tr("Backups, newest first"))
        for path in reversed(list_backups(folder)):
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        other = QPushButton(self.tr("Another file…"))
        other.setAccessibleName(self.tr("Choose another backup file"))
        other.clicked.connect(self._choose_file)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setAccessibleName(self.tr("Restore the chosen backup"))
        self.restore_button.clicked.connect(self.restore_selected)
        close = QPushButton(self.tr("Close"))
        close.setAccessibleName(self.tr("Close"))
        close.clicked.connect(self.reject)
        self.status = QLabel(
            "" if self.list.count() else self.tr("No backups in %1").replace("%1", str(folder))
        )
        self.status.setObjectName("restoreStatus")
        self.status.setAccessibleName(self.tr("Restore status"))
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(other)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(520, 360)

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Backup file"), "", self.tr("Event files (*.checkin);;All files (*)")
        )
        if chosen:
            item = QListWidgetItem(Path(chosen).name)
            item.setData(Qt.ItemDataRole.UserRole, chosen)
            self.list.insertItem(0, item)
            self.list.setCurrentRow(0)

    def _confirm(self, backup: Path) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Restore"),
            self.tr("Replace the event file with %1?").replace("%1", backup.name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        db = self._context.db
        if item is None:
            self.status.setText(self.tr("Choose a backup first."))
            return
        if db.path is None:
            self.status.setText(self.tr("A shared server database is restored on the server."))
            return
        backup = Path(str(item.data(Qt.ItemDataRole.UserRole)))
        if not self.confirm(backup):
            return
        db.dispose()  # close this app's connections to the file before it is replaced
        try:
            done = restore_file(db.path, backup)
        except BackupError as exc:
            self.status.setText(str(exc))
            return
        db.dispose()  # connections opened meanwhile (timers) pointed at the old file
        aside = done.kept
        self.restored_from, self.kept_aside = backup, aside
        lines = [
            self.tr("Restored %1. The previous file is kept as %2.")
            .replace("%1", backup.name)
            .replace("%2", aside.name)
            if aside is not None
            else self.tr("Restored %1.").replace("%1", backup.name)
        ]
        lines += [
            self.tr(
                "A log file that did not belong to the event file was moved aside: %1."
            ).replace("%1", path.name)
            for path in done.set_aside
        ]
        self.status.setText("\n".join(lines))
        self._context.refresh_event()
