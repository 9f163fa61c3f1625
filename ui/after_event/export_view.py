"""Export screen (organiser only): CSV files into a folder, the report, and the purge of
personal data after the event. The work runs off the GUI thread; the screen shows progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin.after_event.purge import PurgePlan, PurgeResult, plan_purge
from checkin.changes import Changes
from checkin.purge_everywhere import EverywhereResult, plan_everywhere, purge_everywhere
from checkin.store import Database
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import Op, QueryOp, Running, WriteOp
from ui.core.organiser_lock import require_organiser

if TYPE_CHECKING:
    from checkin.after_event.export import ExportReport

T = TypeVar("T")


def default_folder(event_name: str) -> Path:
    safe = "".join(ch if ch.isalnum() else "-" for ch in event_name).strip("-") or "event"
    return Path.home() / "Documents" / f"{safe}-export-{date.today():%Y-%m-%d}"


class ExportView(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Running | None = None
        self._return_focus: QWidget | None = None
        self._plan: PurgePlan | None = None
        # Replaced in tests; opens the folder in the system's file manager.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self._texts = LiveTexts(self)

        title = QLabel()
        self._texts(lambda: title.setText(self.tr("Export and report")))
        title.setStyleSheet("font-size: 22px; font-weight: 700;")

        self.folder = QLineEdit(str(default_folder(context.info.name)))
        self._texts(lambda: self.folder.setAccessibleName(self.tr("Export folder")))
        choose = QPushButton()
        self._texts(lambda: choose.setText(self.tr("Choose…")))
        self._texts(lambda: choose.setAccessibleName(self.tr("Choose the export folder")))
        choose.clicked.connect(self._choose_folder)
        self.anonymous = QCheckBox()
        self._texts(
            lambda: self.anonymous.setText(
                self.tr("Anonymous: no names, phones, emails, notes or codes (safe to share)")
            )
        )
        self._texts(lambda: self.anonymous.setAccessibleName(self.tr("Anonymous export")))
        self.open_when_done = QCheckBox()
        self._texts(lambda: self.open_when_done.setText(self.tr("Open the folder when done")))
        self.open_when_done.setChecked(True)
        self._texts(
            lambda: self.open_when_done.setAccessibleName(self.tr("Open the folder when done"))
        )
        self.export_button = QPushButton()
        self._texts(lambda: self.export_button.setText(self.tr("Export CSV files")))
        self._texts(lambda: self.export_button.setAccessibleName(self.tr("Export CSV files")))
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton()
        self._texts(lambda: self.cancel_button.setText(self.tr("Cancel")))
        self._texts(lambda: self.cancel_button.setAccessibleName(self.tr("Cancel the export")))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self._texts(lambda: self.progress.setAccessibleName(self.tr("Export progress")))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setObjectName("exportStatus")
        self._texts(lambda: self.status.setAccessibleName(self.tr("Export status")))
        self.status.setWordWrap(True)

        self.report_button = QPushButton()
        self._texts(lambda: self.report_button.setText(self.tr("Save the report (PDF or HTML)…")))
        self._texts(lambda: self.report_button.setAccessibleName(self.tr("Save the report")))
        self.report_button.clicked.connect(self._choose_report)

        self.purge_info = QLabel("")
        self.purge_info.setWordWrap(True)
        self.purge_phrase = QLineEdit()
        self._texts(
            lambda: self.purge_phrase.setAccessibleName(self.tr("Type the confirmation to purge"))
        )
        self.purge_phrase.textChanged.connect(self._phrase_changed)
        self.purge_button = QPushButton()
        self._texts(lambda: self.purge_button.setText(self.tr("Remove personal data")))
        self._texts(lambda: self.purge_button.setAccessibleName(self.tr("Remove personal data")))
        self.purge_button.setEnabled(False)
        self.purge_button.clicked.connect(self.start_purge)

        folder_row = QHBoxLayout()
        folder_label = QLabel()
        self._texts(lambda: folder_label.setText(self.tr("Folder:")))
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        export_box = QGroupBox()
        self._texts(lambda: export_box.setTitle(self.tr("CSV files for partners and spreadsheets")))
        export_layout = QVBoxLayout(export_box)
        export_layout.addLayout(folder_row)
        # The event file and its copies are encrypted; what is exported is not (issue 26).
        self.plain_note = QLabel()
        self.plain_note.setWordWrap(True)
        self._texts(
            lambda: self.plain_note.setText(
                self.tr(
                    "Exports are plain CSV files, not encrypted like the event file: anyone"
                    " who gets them can read them. Keep them safe and delete them when done."
                )
            )
        )
        export_layout.addWidget(self.plain_note)
        export_layout.addWidget(self.anonymous)
        export_layout.addWidget(self.open_when_done)
        export_layout.addLayout(buttons)
        export_layout.addWidget(self.progress)
        report_box = QGroupBox()
        self._texts(lambda: report_box.setTitle(self.tr("Report for the department")))
        report_layout = QVBoxLayout(report_box)
        report_text = QLabel()
        report_text.setWordWrap(True)
        self._texts(
            lambda: report_text.setText(
                self.tr("One or two pages of figures and charts, no personal data.")
            )
        )
        report_layout.addWidget(report_text)
        report_layout.addWidget(self.report_button)
        purge_box = QGroupBox()
        self._texts(lambda: purge_box.setTitle(self.tr("After the event: remove personal data")))
        purge_layout = QVBoxLayout(purge_box)
        purge_layout.addWidget(self.purge_info)
        purge_layout.addWidget(self.purge_phrase)
        purge_layout.addWidget(self.purge_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(export_box)
        layout.addWidget(report_box)
        layout.addWidget(purge_box)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._texts(self._show_plan)  # re-worded on a switch, from the plan already read

    # --- organiser lock ---------------------------------------------------------------------

    def unlocked(self) -> bool:
        """The organiser lock (asks for the passphrase when the screens are locked)."""
        if require_organiser(self._context, self):
            return True
        self.status.setText(self.tr("Still locked: nothing was exported."))
        return False

    # --- export -----------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Export folder"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def start_export(self) -> None:
        if self._task is not None or not self.unlocked():
            return
        folder = Path(self.folder.text().strip()).expanduser()
        if not self.folder.text().strip():
            self.status.setText(self.tr("Choose a folder first."))
            return
        db, anonymous = self._context.db, self.anonymous.isChecked()
        from checkin.after_event.export import export_event  # here: the app starts without it

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            return export_event(
                db, folder, anonymous=anonymous, progress=progress, cancelled=cancelled
            )

        self._begin(self.tr("Exporting…"), with_progress=True)
        self._run(
            QueryOp.with_progress(parent=self, op=work, success=self._finishing(self._export_done)),
            cancellable=True,
        )

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _export_done(self, report: ExportReport) -> None:
        if report.cancelled:
            self.progress.setValue(0)
            self.status.setText(self.tr("Export cancelled: the folder was left as it was."))
            return
        self.progress.setValue(self.progress.maximum())
        lines = ", ".join(f"{f.name} ({f.rows:,})" for f in report.files)
        kind = self.tr("Anonymous export") if report.anonymous else self.tr("Export")
        saved = self.tr("{kind} saved in {folder}: {files}").format(
            kind=kind, folder=str(report.folder), files=lines
        )
        withdrew = self.tr(
            "%n household(s) withdrew their contact consent: their phone and email are in no file.",
            "",
            report.contact_withdrawn,
        )
        self.status.setText(f"{saved}\n{withdrew}" if report.contact_withdrawn else saved)
        if self.open_when_done.isChecked():
            self.open_url(QUrl.fromLocalFile(str(report.folder)))

    # --- report -----------------------------------------------------------------------------

    def _choose_report(self) -> None:
        if not self.unlocked():
            return
        suggested = str(Path(self.folder.text()).expanduser().with_name("report.pdf"))
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the report"),
            suggested,
            self.tr("PDF (*.pdf);;Web page (*.html)"),
        )
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> None:
        if self._task is not None or not self.unlocked():
            return
        db = self._context.db
        # here, not at the top: ReportLab's import is a third of a second of the app's start
        from checkin.after_event.report import write_report

        self._begin(self.tr("Writing the report…"), with_progress=False)
        self._run(
            QueryOp(
                parent=self,
                op=lambda: write_report(db, path),
                success=self._finishing(self._report_done),
            )
        )

    def _report_done(self, path: Path) -> None:
        self.status.setText(self.tr("Report saved: {path}").format(path=str(path)))

    # --- purge ------------------------------------------------------------------------------

    def refresh_plan(self) -> None:
        self._plan = plan_purge(self._context.db)
        self._show_plan()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_plan()  # the counts as they are when the organiser opens the page
        super().showEvent(event)

    def _show_plan(self) -> None:
        if self._plan is None:
            self._plan = plan_purge(self._context.db)
        plan = self._plan
        self.purge_info.setText(
            self.tr(
                "Removes names, phones, emails, notes and external references of {n} attendees "
                "({phones} phones, {emails} emails) and {scans} scanner inputs that are not codes."
                " Counts, zip codes, tickets and the raffle stay, so the report stays the same. "
                "This cannot be undone. Type \u201c{phrase}\u201d to confirm."
            ).format(
                n=plan.attendees,
                phones=plan.phones,
                emails=plan.emails,
                scans=plan.scan_inputs,
                phrase=plan.phrase,
            )
        )
        self.purge_phrase.setPlaceholderText(plan.phrase)
        self._phrase_changed(self.purge_phrase.text())

    def _phrase_changed(self, text: str) -> None:
        ready = self._plan is not None and " ".join(text.split()) == " ".join(
            self._plan.phrase.split()
        )
        self.purge_button.setEnabled(ready and self._task is None)

    def start_purge(self) -> None:
        if self._task is not None or self._plan is None or not self.unlocked():
            return
        files = len(plan_everywhere(self._context.db).files)
        answer = QMessageBox.question(
            self,
            self.tr("Remove personal data"),
            self.tr("Remove the personal data of {n} attendees for good?").format(
                n=self._plan.attendees
            )
            + "\n\n"
            + self.tr(
                "With it go {files} files the app made with their names (backups, station"
                " copies, exports, copies kept before a restore or hosting), the hosting"
                " server's data and log lines with names."
            ).format(files=files),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, phrase = self._context.db, self.purge_phrase.text()
        station = self._context.station.name
        self._begin(self.tr("Removing personal data…"), with_progress=False)
        self._run(
            WriteOp(
                context=self._context,
                parent=self,
                op=lambda: _purge(db, phrase, station),
                success=self._finishing(self._purge_done),
            )
        )

    def _purge_done(self, result: PurgeResult | EverywhereResult) -> None:
        # Everywhere: the file, its backups and every copy the app made (checkin.purge_everywhere).
        done = isinstance(result, EverywhereResult) or result.done
        self.status.setText(
            result.text() if isinstance(result, EverywhereResult) else result.message
        )
        self.purge_phrase.clear()
        self.refresh_plan()
        if done:
            self._context.notify_changed(Changes.everything())  # personal data gone everywhere

    # --- running tasks ----------------------------------------------------------------------

    def _begin(self, message: str, *, with_progress: bool) -> None:
        self.status.setText(message)
        if with_progress:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
        else:
            self.progress.setRange(0, 0)  # busy indicator

    def _run(self, op: Op[Any], *, cancellable: bool = False) -> None:
        # Disabling the focused button hands the focus on down the page, which ended in the
        # purge confirmation field: it goes back to where the work was started.
        focus = self.focusWidget()
        self._return_focus = focus if focus is not None and self.isAncestorOf(focus) else None
        for button in (self.export_button, self.report_button, self.purge_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(cancellable)
        self._task = op.progress(self._progressed).failure(self._failed).run_in_background()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _finishing(self, done: Callable[[T], None]) -> Callable[[T], None]:
        """``done`` after the page is ready for the next task again."""

        def finished(result: T) -> None:
            self._end()
            done(result)

        return finished

    def _failed(self, message: str) -> None:
        self._end()
        self.progress.setValue(0)
        self.status.setText(self.tr("Failed: {message}").format(message=message))

    def _end(self) -> None:
        self._task = None
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        self.export_button.setEnabled(True)
        self.report_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self._phrase_changed(self.purge_phrase.text())
        back = self._return_focus
        self._return_focus = None
        focus = self.focusWidget()
        if back is not None and back.isEnabled() and (focus is None or self.isAncestorOf(focus)):
            back.setFocus()

    @property
    def busy(self) -> bool:
        return self._task is not None


def _purge(db: Database, phrase: str, station: str) -> PurgeResult | EverywhereResult:
    """The typed phrase checked again off the GUI thread, then the purge everywhere."""
    plan = plan_purge(db)
    if " ".join(phrase.split()) != " ".join(plan.phrase.split()):
        return PurgeResult(False, f'Nothing was removed: type "{plan.phrase}" exactly', plan)
    return purge_everywhere(db, station=station)
