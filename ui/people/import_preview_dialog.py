"""Import pre-registrations with a preview (Setup → Attendees → Import…).

Each column of the file with the field it fills (a drop-down changes it; the choice is
remembered for that header layout), the first rows as they will be stored, and the counts: to
import, duplicates, rejected with reasons, skipped by status. Import then stores everything in
one transaction, with a progress bar. Reading and importing run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes, Kind
from checkin.people.csv_import import (
    HEAD_ROWS,
    PREVIEW_ROWS,
    ImportReport,
    PreregRow,
    import_csv,
    lines_text,
)
from checkin.people.grouping import GROUPINGS
from checkin.people.import_headers import FIELDS
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import QueryOp, WriteOp
from ui.people.import_reasons import reason_text

_ROW_COLUMNS = 11


class ImportPreviewDialog(QDialog):
    imported = Signal(object)  # the ImportReport, once stored

    def __init__(self, context: EventContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self._context = context
        self._path = Path(path)
        self._choices: dict[str, str | None] = {}  # header title -> field, chosen here
        self._header: tuple[str, ...] = ()
        self._sheet: str | None = None  # a workbook's sheet chosen here (None: the guess)
        self._group: str | None = None  # which rows are one household, chosen here
        self.report: ImportReport | None = None  # the latest preview (dry run)
        self.outcome: ImportReport | None = None  # the import, once done
        self._reading = 0  # previews started and not yet answered

        self.file_label = QLabel()
        self.file_label.setObjectName("importFile")
        self.file_label.setWordWrap(True)
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.group_label = QLabel()
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("importGrouping")
        self.group_label.setBuddy(self.group_combo)
        for mode in GROUPINGS:
            self.group_combo.addItem("", mode)
        self.group_combo.currentIndexChanged.connect(self._group_changed)
        self.group_guess = QLabel()
        self.group_guess.setObjectName("importGroupingGuess")
        self.header_label = QLabel()
        self.header_label.setObjectName("importHeaderLine")
        self.header_label.setWordWrap(True)
        self.mapping_title = QLabel()
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setObjectName("importMapping")
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.mapping_table.setWordWrap(False)
        self.rows_title = QLabel()
        self.rows_table = QTableWidget(0, _ROW_COLUMNS)
        self.rows_table.setObjectName("importRows")
        self.rows_table.verticalHeader().hide()
        self.rows_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_table.setAlternatingRowColors(True)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("importCounts")
        self.counts_label.setWordWrap(True)
        self.counts_label.setStyleSheet("font-weight: 600;")
        self.problems_list = QListWidget()
        self.problems_list.setObjectName("importProblems")
        self.problems_list.setMaximumHeight(110)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("importStatus")
        self.status_label.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("importButton")
        self.import_button.setMinimumHeight(40)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.mapping_title)
        left.addWidget(self.mapping_table, 1)
        right = QVBoxLayout()
        right.addWidget(self.rows_title)
        right.addWidget(self.rows_table, 1)
        tables = QHBoxLayout()
        tables.addLayout(left, 1)
        tables.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        source = QHBoxLayout()
        source.addWidget(self.sheet_label)
        source.addWidget(self.sheet_combo)
        source.addWidget(self.header_label, 1)
        households = QHBoxLayout()
        households.addWidget(self.group_label)
        households.addWidget(self.group_combo)
        households.addWidget(self.group_guess, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(source)
        layout.addLayout(households)
        layout.addLayout(tables, 1)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.problems_list)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(1200, 660)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.load_preview()

    # ------------------------------------------------------------------ words

    def field_labels(self) -> dict[str, str]:
        return {
            "first_name": self.tr("First name"),
            "last_name": self.tr("Last name"),
            "name": self.tr("Full name (split)"),
            "household_size": self.tr("Household size"),
            "adults": self.tr("Adults"),
            "kids": self.tr("Kids"),
            "seniors": self.tr("Seniors"),
            "zip_code": self.tr("ZIP"),
            "address": self.tr("Address (ZIP taken from it)"),
            "phone": self.tr("Phone"),
            "email": self.tr("Email"),
            "consent": self.tr("Consent to contact"),
            "language": self.tr("Language"),
            "heard_about": self.tr("How they heard"),
            "notes": self.tr("Notes"),
            "attention_note": self.tr("Needs attention (the desk's note)"),
            "external_ref": self.tr("Reference (attendee, barcode)"),
            "order_ref": self.tr("Order number"),
            "status": self.tr("Attendance status"),
            "payment_status": self.tr("Payment status"),
            "buyer_phone": self.tr("Buyer's phone (their own row only)"),
            "buyer_email": self.tr("Buyer's email (their own row only)"),
            "slot": self.tr("Slot or ticket type (who the row counts)"),
        }

    def grouping_texts(self) -> dict[str, str]:
        """The groupings of rows into households, in GROUPINGS order."""
        return {
            "row": self.tr("A row per household"),
            "order": self.tr("The rows of one order are one household"),
            "family": self.tr(
                "A row per person: one order's rows with the same surname or address"
            ),
            "person": self.tr("A row per sign-up slot: one person's rows"),
        }

    def repair_texts(self) -> dict[str, str]:
        """The import's repair notes (``checkin.people``'s English kinds) in the app's words."""
        return {
            "empty rows skipped": self.tr("Empty rows skipped"),
            "rows joined into one household": self.tr("Rows joined into one household"),
            "household name ('The Nguyen Family') read as the surname": self.tr(
                "A household's name (“The Nguyen Family”) read as the surname"
            ),
            "pending payment: counted as coming": self.tr(
                "Pending payment: imported, counted as coming"
            ),
            "footer lines (totals, 'Generated by') are not households": self.tr(
                "Footer lines (totals, “Generated by”) are not households"
            ),
            "first name on several lines joined into one": self.tr(
                "First name on several lines joined into one"
            ),
            "last name on several lines joined into one": self.tr(
                "Last name on several lines joined into one"
            ),
            "name on several lines joined into one": self.tr(
                "Name on several lines joined into one"
            ),
            "how they heard on several lines joined into one": self.tr(
                "How they heard on several lines joined into one"
            ),
            "spreadsheet formula characters removed from first name": self.tr(
                "Spreadsheet formula characters removed from the first name"
            ),
            "spreadsheet formula characters removed from last name": self.tr(
                "Spreadsheet formula characters removed from the last name"
            ),
            "spreadsheet formula characters removed from name": self.tr(
                "Spreadsheet formula characters removed from the name"
            ),
            "spreadsheet formula characters removed from notes": self.tr(
                "Spreadsheet formula characters removed from the notes"
            ),
            "spreadsheet formula characters removed from how they heard": self.tr(
                "Spreadsheet formula characters removed from how they heard"
            ),
            "adults written in words read as a number": self.tr(
                "Adults written in words, read as a number"
            ),
            "kids written in words read as a number": self.tr(
                "Kids written in words, read as a number"
            ),
            "seniors written in words read as a number": self.tr(
                "Seniors written in words, read as a number"
            ),
            "household size written in words read as a number": self.tr(
                "Household size written in words, read as a number"
            ),
            "suffix in the last name column: surname taken from the first name": self.tr(
                "Only a suffix (Jr., Sr.) in the last name: surname taken from the first name"
            ),
            "household size written in words read as people": self.tr(
                "Household size written in words, read as a number of people"
            ),
            "household size written in words read as people with their breakdown": self.tr(
                "Household size written in words (“2 adults 3 kids”), read with its breakdown"
            ),
            "household size 'n/a' read as not given": self.tr(
                "Household size “n/a”, read as not given"
            ),
            "adults 'n/a' read as not given": self.tr("Adults “n/a”, read as not given"),
            "kids 'n/a' read as not given": self.tr("Kids “n/a”, read as not given"),
            "seniors 'n/a' read as not given": self.tr("Seniors “n/a”, read as not given"),
            "household size smaller than the kids and seniors beside it: read as the adults": (
                self.tr(
                    "Household size smaller than the kids and seniors beside it: "
                    "read as the number of adults"
                )
            ),
            "household size and adults/kids/seniors disagree (kept the larger)": self.tr(
                "Household size and adults/kids/seniors disagree (the larger kept)"
            ),
            "zip code not understood, left blank": self.tr("ZIP not understood, left blank"),
            "zip code read from the address": self.tr("ZIP read from the address"),
            "phone dropped: no consent": self.tr("Phone not kept: no consent"),
            "email dropped: no consent": self.tr("Email not kept: no consent"),
            "phone not understood, left blank": self.tr("Phone not understood, left blank"),
            "email not understood, left blank": self.tr("Email not understood, left blank"),
        }

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import pre-registrations"))
        self.mapping_title.setText(self.tr("Columns in the file"))
        self.sheet_label.setText(self.tr("&Sheet:"))
        self.sheet_combo.setAccessibleName(self.tr("Sheet of the workbook to import"))
        self.group_label.setText(self.tr("&Households:"))
        self.group_combo.setAccessibleName(self.tr("Which rows are one household"))
        for index, text in enumerate(self.grouping_texts().values()):
            self.group_combo.setItemText(index, text)
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("Column"), self.tr("Imported as"), self.tr("First value")]
        )
        self.mapping_table.setAccessibleName(self.tr("Which column fills which field"))
        self.rows_title.setText(self.tr("First rows, as they will be stored"))
        self.rows_table.setHorizontalHeaderLabels(
            [
                self.tr("Line"),
                self.tr("First name"),
                self.tr("Last name"),
                self.tr("Adults"),
                self.tr("Kids"),
                self.tr("Seniors"),
                self.tr("ZIP"),
                self.tr("Phone"),
                self.tr("Email"),
                self.tr("Consent"),
                self.tr("Reference"),
            ]
        )
        self.rows_table.setAccessibleName(self.tr("First rows, as they will be stored"))
        self.problems_list.setAccessibleName(self.tr("Rows not imported and why"))
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.import_button.setText(self.tr("&Import"))
        self.import_button.setAccessibleName(self.tr("Import these rows"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the import"))
        labels = self.field_labels()
        for row in range(self.mapping_table.rowCount()):
            combo = self.combo(row)
            combo.setItemText(0, self.tr("(not imported)"))
            for index, name in enumerate(FIELDS, start=1):
                combo.setItemText(index, labels[name])
            combo.setAccessibleName(
                self.tr("Field for column %1").replace("%1", self._header[row].strip())
            )
        if self.report is not None:
            self._show_counts(self.report)
        if self.outcome is None and not self._reading:
            self.status_label.clear()

    # ------------------------------------------------------------------ preview

    def combo(self, row: int) -> QComboBox:
        widget = self.mapping_table.cellWidget(row, 1)
        assert isinstance(widget, QComboBox)
        return widget

    def combo_for(self, title: str) -> QComboBox:
        return self.combo([t.strip() for t in self._header].index(title))

    def load_preview(self) -> None:
        """Read the file again with the current choices (off the GUI thread)."""
        db, path, choices = self._context.db, self._path, dict(self._choices)
        sheet, group = self._sheet, self._group
        self._reading += 1
        self.import_button.setEnabled(False)
        self.status_label.setText(self.tr("Reading the file…"))
        QueryOp(
            parent=self,
            op=lambda: import_csv(
                db, path, dry_run=True, choices=choices, remember=True, sheet=sheet, group=group
            ),
            success=self._previewed,
        ).failure(self._failed).run_in_background()

    def _previewed(self, report: ImportReport) -> None:
        self._reading -= 1
        if self._reading:
            return  # a newer choice is being read: show that one
        self.report = report
        parsed = report.parsed
        if parsed.sheets:
            kinds = {
                "Excel workbook": self.tr("Excel workbook"),
                "Excel 97 workbook": self.tr("Excel 97 workbook"),
                "OpenDocument spreadsheet": self.tr("OpenDocument spreadsheet"),
            }
            self.file_label.setText(
                self.tr("%1 (%2)")
                .replace("%1", self._path.name)
                .replace("%2", kinds.get(parsed.encoding, parsed.encoding))
            )
        else:
            self.file_label.setText(
                self.tr("%1 (%2, separated by %3)")
                .replace("%1", self._path.name)
                .replace("%2", parsed.encoding)
                .replace("%3", self.tr("tab") if parsed.delimiter == "\t" else parsed.delimiter)
            )
        self._show_source(report)
        self._show_mapping(report)
        skipped = set(report.duplicate_lines)
        # Among the households read first (at hand: a long file's rows are not held, and
        # reading it all again here would stall the window).
        at_hand = parsed.rows[: min(PREVIEW_ROWS + len(skipped), HEAD_ROWS)]
        fresh = [row for row in at_hand if row.line not in skipped]
        self._show_rows(tuple(fresh[:PREVIEW_ROWS]))
        self._show_counts(report)
        self.status_label.clear()
        self.import_button.setEnabled(report.imported > 0)

    def _show_source(self, report: ImportReport) -> None:
        """The workbook's sheets (the one read chosen) and where the header was found."""
        parsed = report.parsed
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(parsed.sheets))
        self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(parsed.sheet), 0))
        self.sheet_combo.blockSignals(False)
        self.sheet_label.setVisible(bool(parsed.sheets))
        self.sheet_combo.setVisible(bool(parsed.sheets))
        self.group_combo.blockSignals(True)
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(parsed.grouping), 0))
        self.group_combo.blockSignals(False)
        self.group_guess.setText(
            self.tr("(guessed from the file)") if parsed.grouping_guessed else ""
        )
        if parsed.header_line > 1:
            self.header_label.setText(
                self.tr("Header found on line %1; the %2 lines above it are not imported")
                .replace("%1", str(parsed.header_line))
                .replace("%2", str(len(parsed.above)))
                if parsed.above
                else self.tr("Header found on line %1").replace("%1", str(parsed.header_line))
            )
        else:
            self.header_label.clear()

    def _sheet_changed(self, index: int) -> None:
        if index < 0:
            return
        self._sheet = self.sheet_combo.itemText(index)
        self._choices.clear()  # another sheet has other columns
        self._group = None  # and its own rows to guess from
        self.load_preview()

    def _group_changed(self, index: int) -> None:
        if index < 0:
            return
        self._group = str(self.group_combo.itemData(index))
        self.load_preview()

    def _failed(self, message: str) -> None:
        self._reading = max(self._reading - 1, 0)
        self.progress.hide()
        self.status_label.setText(self.tr("Nothing imported: %1").replace("%1", message))
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    def _show_mapping(self, report: ImportReport) -> None:
        mapping = report.parsed.mapping
        if mapping.header != self._header:
            self._header = mapping.header
            self.mapping_table.setRowCount(len(mapping.header))
            for row, title in enumerate(mapping.header):
                item = QTableWidgetItem(title.strip())
                item.setToolTip(title.strip())
                self.mapping_table.setItem(row, 0, item)
                combo = QComboBox()
                combo.addItem("", "")
                for name in FIELDS:
                    combo.addItem("", name)
                combo.currentIndexChanged.connect(lambda _index, row=row: self._choice_changed(row))
                self.mapping_table.setCellWidget(row, 1, combo)
            self.retranslate()
            # Long questions ("How many people in your household?") must leave room for the
            # drop-down and the first value: cut, with the whole title in a tooltip.
            self.mapping_table.resizeColumnToContents(0)
            self.mapping_table.setColumnWidth(0, min(self.mapping_table.columnWidth(0), 200))
        samples = report.parsed.samples
        for row, chosen in enumerate(mapping.fields):
            combo = self.combo(row)
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(chosen or ""))
            combo.blockSignals(False)
            sample = samples[row] if row < len(samples) else ""
            self.mapping_table.setItem(row, 2, QTableWidgetItem(sample))

    def _choice_changed(self, row: int) -> None:
        name = str(self.combo(row).currentData() or "")
        self._choices[self._header[row].strip()] = name or None
        self.load_preview()

    def _show_rows(self, rows: tuple[PreregRow, ...]) -> None:
        yes, no = self.tr("yes"), self.tr("no")
        self.rows_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            values = (
                str(row.line),
                row.first_name,
                row.last_name,
                str(row.adults),
                str(row.kids),
                str(row.seniors),
                row.zip_code,
                row.phone,
                row.email,
                yes if row.consent else no,
                row.external_ref,
            )
            for column, value in enumerate(values):
                self.rows_table.setItem(index, column, QTableWidgetItem(value))
        self.rows_table.resizeColumnsToContents()

    def _show_counts(self, report: ImportReport) -> None:
        parsed = report.parsed
        counts = [self.tr("To import: %1").replace("%1", str(report.imported))]
        self.counts_label.setText("   ·   ".join(counts + self._set_aside(report)))
        self.problems_list.clear()
        for problem in parsed.problems:
            self.problems_list.addItem(
                self.tr("Line %1: rejected: %2")
                .replace("%1", str(problem.line))
                .replace("%2", reason_text(problem.reason))
            )
        if report.duplicate_lines:
            self.problems_list.addItem(
                self.tr(
                    "Duplicates skipped (already there or twice in the file), line numbers: %1"
                ).replace("%1", lines_text(report.duplicate_lines))
            )
        if report.possible_duplicate_lines:
            self.problems_list.addItem(
                self.tr(
                    "Imported, but same name and ZIP as another household, line numbers: %1"
                ).replace("%1", lines_text(report.possible_duplicate_lines))
            )
        for row in parsed.skipped:
            shown = (
                self.tr("Line %1: skipped, its note says: %2")
                if row.by_note
                else self.tr("Line %1: skipped, status %2")
            )
            self.problems_list.addItem(shown.replace("%1", str(row.line)).replace("%2", row.status))
        ignored = parsed.mapping.ignored()
        if ignored:
            self.problems_list.addItem(
                self.tr("Columns not imported: %1").replace("%1", ", ".join(ignored))
            )
        for note in parsed.file_notes:
            self.problems_list.addItem(self.tr("Note: %1").replace("%1", note))
        words = self.repair_texts()
        for kind, lines in parsed.repairs:  # repairs and drops ("phone dropped: no consent")
            self.problems_list.addItem(
                self.tr("%1 — rows: %2; line numbers: %3")
                .replace("%1", words.get(kind, kind))
                .replace("%2", str(len(lines)))
                .replace("%3", lines_text(lines))
            )
        self.problems_list.setVisible(self.problems_list.count() > 0)

    # ------------------------------------------------------------------ import

    def start_import(self) -> None:
        db, path, choices = self._context.db, self._path, dict(self._choices)
        sheet = self._sheet if self._sheet is not None else self._read_sheet()
        # The grouping the preview showed, guessed or chosen: the import does the same.
        group = self.report.parsed.grouping if self.report is not None else self._group
        station = self._context.station.name or "import"
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.mapping_table.setEnabled(False)
        self.progress.setRange(0, 0)  # reading the file: no figure yet
        self.progress.show()
        self.status_label.setText(self.tr("Importing…"))

        def work(progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Any:
            return import_csv(
                db,
                path,
                choices=choices,
                remember=True,
                station=station,
                progress=progress,
                sheet=sheet,
                group=group,
            )

        WriteOp.with_progress(
            context=self._context, parent=self, op=work, success=self._imported
        ).progress(self._progressed).failure(self._import_failed).run_in_background()

    def _read_sheet(self) -> str | None:
        """The sheet the preview showed (the import reads that one, not a new guess)."""
        return self.report.parsed.sheet or None if self.report is not None else None

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _imported(self, report: ImportReport) -> None:
        self.outcome = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status_label.setText(
            self.tr("Imported %1 households").replace("%1", str(report.imported))
        )
        # New people, and the column choices remembered in the event's settings.
        self._context.notify_changed(Changes.of(Kind.ATTENDEES, Kind.SETUP))
        self.imported.emit(report)
        self.accept()

    def outcome_text(self, report: ImportReport) -> tuple[str, str]:
        """What the organiser is told once the file is stored: a headline, and the counts."""
        headline = (
            self.tr("Imported %1 households from %2")
            .replace("%1", str(report.imported))
            .replace("%2", self._path.name)
        )
        return headline, "\n".join(self._set_aside(report))

    def _set_aside(self, report: ImportReport) -> list[str]:
        """The counts beside the households stored: the preview's and the outcome's."""
        return [
            self.tr("Duplicates skipped: %1").replace("%1", str(report.duplicates_skipped)),
            self.tr("Possible duplicates: %1").replace(
                "%1", str(len(report.possible_duplicate_lines))
            ),
            self.tr("Rejected: %1").replace("%1", str(len(report.parsed.problems))),
            self.tr("Skipped by status: %1").replace("%1", str(len(report.parsed.skipped))),
        ] + (
            [
                self.tr("Pending payment (imported, counted as coming): %1").replace(
                    "%1", str(len(report.parsed.pending))
                )
            ]
            if report.parsed.pending
            else []
        )

    def _import_failed(self, message: str) -> None:
        self.mapping_table.setEnabled(True)
        self._failed(message)
        self._reading = 0
        self.import_button.setEnabled(self.report is not None and self.report.imported > 0)
