"""Merge screen (organiser only): make station copies before the event, merge them after.

Merging runs off the GUI thread, one station file after another; the screen lists what each
brought and every conflict (a ticket redeemed at two stations, a person checked in twice...).
Merging the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes
from checkin.stations.merge import merge_station
from checkin.stations.merge_report import MergeReport
from checkin.stations.station_copy import MergeRefused, make_station_copy
from checkin.store import Database, EventFileError
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import Running, WriteOp
from ui.core.organiser_lock import require_organiser


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    report: MergeReport | None
    error: str = ""


def merge_all(db: Database, paths: list[Path], by: str) -> list[FileOutcome]:
    """Every file is tried; a refused one does not stop the others."""
    outcomes = []
    for path in paths:
        try:
            outcomes.append(FileOutcome(path, merge_station(db, path, by=by)))
        except (MergeRefused, EventFileError) as exc:
            outcomes.append(FileOutcome(path, None, str(exc)))
    return outcomes


class MergeView(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Running | None = None
        self.outcomes: list[FileOutcome] = []
        self._texts = LiveTexts(self)

        title = QLabel()
        self._texts(lambda: title.setText(self.tr("Offline stations")))
        title.setStyleSheet("font-size: 22px; font-weight: 700;")

        # before the event
        self.station_name = QLineEdit()
        self._texts(
            lambda: self.station_name.setAccessibleName(self.tr("Station name for the copy"))
        )
        self._texts(
            lambda: self.station_name.setPlaceholderText(
                self.tr("Station name, e.g. desk-2 or meal")
            )
        )
        self.copy_button = QPushButton()
        self._texts(lambda: self.copy_button.setText(self.tr("Save a station copy…")))
        self._texts(
            lambda: self.copy_button.setAccessibleName(
                self.tr("Save a station copy of this event file")
            )
        )
        self.copy_button.clicked.connect(self._choose_copy_target)
        copy_box = QGroupBox()
        self._texts(
            lambda: copy_box.setTitle(
                self.tr("Before the event: a copy for each laptop without network")
            )
        )
        copy_row = QHBoxLayout(copy_box)
        copy_row.addWidget(self.station_name, 1)
        copy_row.addWidget(self.copy_button)

        # after the event
        self.files = QListWidget()
        self.files.setObjectName("stationFiles")
        self._texts(lambda: self.files.setAccessibleName(self.tr("Station files to merge")))
        add = QPushButton()
        self._texts(lambda: add.setText(self.tr("Add station files…")))
        self._texts(lambda: add.setAccessibleName(self.tr("Add station files")))
        add.clicked.connect(self._choose_files)
        remove = QPushButton()
        self._texts(lambda: remove.setText(self.tr("Remove")))
        self._texts(lambda: remove.setAccessibleName(self.tr("Remove the selected station file")))
        remove.clicked.connect(self._remove_selected)
        self.merge_button = QPushButton()
        self._texts(lambda: self.merge_button.setText(self.tr("Merge into this event")))
        self.merge_button.setObjectName("mergeButton")
        self._texts(
            lambda: self.merge_button.setAccessibleName(
                self.tr("Merge the station files into this event")
            )
        )
        self.merge_button.clicked.connect(self.start_merge)
        self.output = QPlainTextEdit()
        self.output.setObjectName("mergeOutput")
        self._texts(lambda: self.output.setAccessibleName(self.tr("Merge results")))
        self.output.setReadOnly(True)
        self.status = QLabel("")
        self.status.setObjectName("mergeStatus")
        self._texts(lambda: self.status.setAccessibleName(self.tr("Merge status")))
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        merge_box = QGroupBox()
        self._texts(
            lambda: merge_box.setTitle(self.tr("After the event: merge the stations' files"))
        )
        merge_layout = QVBoxLayout(merge_box)
        merge_layout.addWidget(self.files)
        merge_layout.addLayout(buttons)
        merge_layout.addWidget(self.output, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(copy_box)
        layout.addWidget(merge_box, 1)
        layout.addWidget(self.status)

    # --- organiser lock ---------------------------------------------------------------------

    def unlocked(self) -> bool:
        """The organiser lock (asks for the passphrase when the screens are locked)."""
        if require_organiser(self._context, self):
            return True
        self.status.setText(self.tr("Still locked: nothing was merged."))
        return False

    # --- station copies ---------------------------------------------------------------------

    def _choose_copy_target(self) -> None:
        name = self.station_name.text().strip()
        if not name:
            self.status.setText(self.tr("Type the station's name first."))
            return
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Station copy"), f"{name}.checkin", self.tr("Event files (*.checkin)")
        )
        if target:
            self.make_copy(name, Path(target))

    def make_copy(self, station: str, target: Path) -> None:
        if not self.unlocked():
            return
        try:
            info = make_station_copy(self._context.db, target, station)
        except MergeRefused as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(
            self.tr("Station copy for %1 saved in %2 (Guest numbers from %3).")
            .replace("%1", info.station)
            .replace("%2", str(info.path))
            .replace("%3", str(info.first_number))
        )

    # --- merging ----------------------------------------------------------------------------

    def _choose_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Station files"),
            "",
            self.tr("Event files (*.checkin);;All files (*)"),
        )
        self.add_files([Path(p) for p in chosen])

    def add_files(self, paths: list[Path]) -> None:
        present = set(self.paths())
        for path in paths:
            if str(path) not in present:
                self.files.addItem(str(path))
                present.add(str(path))

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def start_merge(self) -> None:
        if self._task is not None:
            return
        paths = [Path(p) for p in self.paths()]
        if not paths:
            self.status.setText(self.tr("Add the stations' files first."))
            return
        if not self.unlocked():
            return
        db, by = self._context.db, self._context.station.name
        self.merge_button.setEnabled(False)
        self.status.setText(self.tr("Merging…"))
        self._task = (
            WriteOp(
                context=self._context,
                parent=self,
                op=lambda: merge_all(db, paths, by),
                success=self._merged,
            )
            .failure(self._failed)
            .run_in_background()
        )

    def _failed(self, message: str) -> None:
        self._task = None
        self.merge_button.setEnabled(True)
        self.status.setText(self.tr("Merge failed, nothing was changed: %1").replace("%1", message))

    def _describe(self, report: MergeReport) -> list[str]:
        name = report.station or Path(report.source).name
        if report.already_merged:
            return [self.tr("%1: already merged, nothing to do").replace("%1", name)]
        lines = [
            self.tr(
                "%1: %2 walk-ups, %3 check-ins, %4 new and %5 updated tickets, %6 scans, %7 draws"
            )
            .replace("%1", name)
            .replace("%2", str(report.walkups))
            .replace("%3", str(report.checkins))
            .replace("%4", str(report.tickets_added))
            .replace("%5", str(report.tickets_updated))
            .replace("%6", str(report.scans))
            .replace("%7", str(report.draws))
        ]
        if report.details_edited:
            lines.append(
                self.tr("  %1 households corrected at the station").replace(
                    "%1", str(report.details_edited)
                )
            )
        for conflict in report.conflicts:
            lines.append(
                self.tr("  CONFLICT %1: %2")
                .replace("%1", conflict.subject)
                .replace("%2", conflict.detail)
            )
        lines += [
            self.tr("  registered at another station: %1").replace("%1", line)
            for line in report.registered_elsewhere
        ]
        lines += [self.tr("  note: %1").replace("%1", w) for w in report.warnings]
        return lines

    def _merged(self, outcomes: list[FileOutcome]) -> None:
        self._task = None
        self.merge_button.setEnabled(True)
        self.outcomes = outcomes
        lines: list[str] = []
        conflicts = refused = 0
        for outcome in outcomes:
            if outcome.report is None:
                refused += 1
                lines.append(
                    self.tr("%1: NOT merged: %2")
                    .replace("%1", outcome.path.name)
                    .replace("%2", outcome.error)
                )
                continue
            conflicts += len(outcome.report.conflicts)
            lines += self._describe(outcome.report)
        self.output.setPlainText("\n".join(lines))
        self.status.setText(
            self.tr("%1 files merged, %2 conflicts, %3 refused")
            .replace("%1", str(len(outcomes) - refused))
            .replace("%2", str(conflicts))
            .replace("%3", str(refused))
        )
        self._context.notify_changed(Changes.everything())  # a merge brings any kind of row
