"""The full attendee list for organisers: filterable, fetched a page at a time so that 50,000
people scroll smoothly, and empty until the organiser lock is open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes, Kind
from checkin.people import AttendeeSource
from checkin.people.attendee_pages import PAGE_SIZE, Arrival, attendee_page, count_attendees
from checkin.people.consent_withdrawal import Withdrawal, withdraw_consent
from checkin.people.listing import AttendeeRow
from checkin.stations.elsewhere import ELSEWHERE
from checkin.store import Database
from checkin.timefmt import local
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import Running, WriteOp
from ui.core.organiser_lock import require_organiser

if TYPE_CHECKING:
    from ui.people.import_preview_dialog import ImportPreviewDialog
    from ui.people.person_window import PersonWindow

Index = QModelIndex | QPersistentModelIndex
IN_PLACE_LIMIT = 5000  # beyond this many loaded rows a change only updates the count


class AttendeeTableModel(QAbstractTableModel):
    """Rows arrive in pages as the view scrolls (canFetchMore/fetchMore)."""

    COLUMNS = 7

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[AttendeeRow] = []
        self._text = ""
        self._arrival = Arrival.ALL
        self._exhausted = True
        self.total = 0
        self.enabled = False

    def headers(self) -> list[str]:
        return [
            self.tr("Number"),
            self.tr("Name"),
            self.tr("Household"),
            self.tr("ZIP"),
            self.tr("Source"),
            self.tr("Checked in"),
            self.tr("Station"),
        ]

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.reload()

    def set_filter(self, text: str, arrival: Arrival) -> None:
        self._text, self._arrival = text.strip(), arrival
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._exhausted = not self.enabled
        self.total = count_attendees(self._db, self._text, self._arrival) if self.enabled else 0
        self.endResetModel()
        if self.enabled:
            self.fetchMore(QModelIndex())

    def refresh_in_place(self) -> None:
        """Re-read the rows already shown, keeping the scroll position when the same people
        are still listed (a check-in elsewhere changes a row, not the list)."""
        if not self.enabled:
            return
        self.total = count_attendees(self._db, self._text, self._arrival)
        if not self._rows or len(self._rows) > IN_PLACE_LIMIT:
            if not self._rows:
                self.reload()
            return
        fresh = attendee_page(
            self._db, limit=len(self._rows), text=self._text, arrival=self._arrival
        )
        if [r.number for r in fresh] != [r.number for r in self._rows]:
            self.reload()
            return
        self._rows = fresh
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMNS - 1))
        self._exhausted = len(self._rows) >= self.total

    def row_at(self, row: int) -> AttendeeRow:
        return self._rows[row]

    # --- model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted:
            return
        after = self._rows[-1].number if self._rows else 0
        page = attendee_page(
            self._db, after_number=after, limit=PAGE_SIZE, text=self._text, arrival=self._arrival
        )
        self._exhausted = len(page) < PAGE_SIZE
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 2):
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return row.number
        if column == 1:
            name = f"{row.first_name} {row.last_name}".strip()
            return name or self.tr("Guest #%1").replace("%1", str(row.number))
        if column == 2:
            return row.household_size
        if column == 3:
            return row.zip_code
        if column == 4:
            if row.source == AttendeeSource.WALKUP:
                return self.tr("Walk-up")
            if row.source == ELSEWHERE:  # details come with the merge of its own station
                return self.tr("Registered at another station")
            return self.tr("Pre-registered")
        if column == 5:
            return local(row.checked_in_at).strftime("%H:%M") if row.checked_in_at else ""
        return row.checked_in_station or ""


class AttendeeTable(QWidget):
    """Filter box, arrival choice, a count and the table; shows nothing while locked."""

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.model = AttendeeTableModel(context.db, self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("attendeeFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.arrival_combo = QComboBox()
        self.arrival_combo.setObjectName("attendeeArrival")
        for arrival in Arrival:
            self.arrival_combo.addItem("", arrival.value)
        self.count_label = QLabel()
        self.count_label.setObjectName("attendeeCount")
        self.import_button = QPushButton()
        self.import_button.setObjectName("attendeeImport")
        self.import_button.clicked.connect(self.choose_import)
        self.import_dialog: ImportPreviewDialog | None = None
        self.withdraw_button = QPushButton()
        self.withdraw_button.setObjectName("attendeeWithdraw")
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.withdraw_action = QAction(self)
        self.withdraw_action.triggered.connect(self.withdraw_selected)
        self.status_label = QLabel()
        self.status_label.setObjectName("attendeeStatus")
        self.status_label.setWordWrap(True)
        self._withdraw_task: Running | None = None
        self.import_result: QMessageBox | None = None  # what the last import stored
        self.locked_label = QLabel()
        self.locked_label.setObjectName("attendeeLocked")
        self.locked_label.setWordWrap(True)
        self.view = QTableView()
        self.view.setObjectName("attendeeTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        # Double-click or Enter on a row: the person window (fields, tickets, history, edits).
        self.view.activated.connect(self.open_person)
        self.person_window: PersonWindow | None = None
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Fixed row heights: the view never measures 50,000 rows.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.addAction(self.withdraw_action)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)

        # Typing waits for a short pause before querying, so each keystroke stays instant.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._debounce.start)
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(1000)
        self._stale.timeout.connect(self._refresh_shown)
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.arrival_combo.currentIndexChanged.connect(self.apply_filter)
        context.lockChanged.connect(self._lock_changed)
        context.changed.connect(self._changed)
        self._missed = False  # a change came while the list was hidden

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.arrival_combo)
        top.addWidget(self.count_label)
        top.addWidget(self.import_button)
        top.addWidget(self.withdraw_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.locked_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self._lock_changed(context.organiser_unlocked)

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Filter by name, code, ZIP, phone or number"))
        self.filter_edit.setAccessibleName(self.tr("Filter the attendee list"))
        labels = [self.tr("Everyone"), self.tr("Checked in"), self.tr("Not yet arrived")]
        for index, label in enumerate(labels):
            self.arrival_combo.setItemText(index, label)
        self.arrival_combo.setAccessibleName(self.tr("Show everyone or only arrivals"))
        self.count_label.setAccessibleName(self.tr("Number of attendees shown"))
        self.import_button.setText(self.tr("&Import…"))
        self.import_button.setAccessibleName(self.tr("Import pre-registrations from a CSV file"))
        self.withdraw_button.setText(self.tr("&Withdraw contact consent…"))
        self.withdraw_action.setText(self.tr("Withdraw contact consent…"))
        self.withdraw_button.setAccessibleName(
            self.tr("Remove the phone and email of the selected household for good")
        )
        self.locked_label.setText(
            self.tr("The attendee list is locked. Unlock organiser screens to see it.")
        )
        self.locked_label.setAccessibleName(self.tr("Attendee list locked"))
        self.view.setAccessibleName(self.tr("All attendees"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.COLUMNS - 1)
        self._update_count()

    def _lock_changed(self, unlocked: bool) -> None:
        unlocked = self._context.organiser_unlocked
        self.locked_label.setVisible(not unlocked)
        for widget in (self.filter_edit, self.arrival_combo, self.view, self.import_button):
            widget.setEnabled(unlocked)
        if not unlocked:
            self.filter_edit.clear()
        self.model.set_enabled(unlocked)
        self._update_count()
        self._selection_changed()

    def _changed(self, changes: Changes) -> None:
        # Scans elsewhere arrive in bursts: re-read at most once a second, and only when shown.
        if not changes.touches(Kind.ATTENDEES, Kind.CHECKINS, Kind.TICKETS):
            return
        if not (self.model.enabled and self.isVisible()):
            # Hidden (the desk's tab is in front): remembered, re-read when shown again, or
            # the desk's check-ins stayed unseen until the filter was typed.
            self._missed = True
        elif not self._stale.isActive():
            self._stale.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._missed:
            self._missed = False
            self._refresh_shown()

    def _refresh_shown(self) -> None:
        if self.model.enabled and self.isVisible():
            self.model.refresh_in_place()
            self._update_count()

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(
            self.filter_edit.text(), Arrival(str(self.arrival_combo.currentData()))
        )
        self._update_count()

    def _update_count(self) -> None:
        if not self.model.enabled:
            self.count_label.clear()
            return
        self.count_label.setText(self.tr("Attendees: %1").replace("%1", str(self.model.total)))

    def selected_row(self) -> AttendeeRow | None:
        rows = self.view.selectionModel().selectedRows() if self.model.enabled else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.selected_row() is not None and self._context.organiser_unlocked
        self.withdraw_button.setEnabled(chosen)
        self.withdraw_action.setEnabled(chosen)

    def withdraw_selected(self) -> Running | None:
        """The selected household withdraws its consent to be contacted: asked to confirm,
        then its phone and email are removed for good (checkin/people/consent_withdrawal.py)."""
        row = self.selected_row()
        if row is None or not require_organiser(self._context, self):
            return None
        answer = QMessageBox.question(
            self,
            self.tr("Withdraw contact consent"),
            self.tr(
                "Withdraw the contact consent of {name}?\n\nTheir phone and email are removed "
                "now, from every later export and report, and a merge or an import never "
                "brings them back. This cannot be undone."
            ).format(name=row.display_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # it cannot be undone: Enter keeps the details
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        db, station, code = self._context.db, self._context.station, row.code
        self._withdraw_task = (
            WriteOp(
                context=self._context,
                parent=self,
                op=lambda: withdraw_consent(db, code, station=station),
                success=self._withdrawn,
            )
            .failure(
                lambda reason: self.status_label.setText(
                    self.tr("Nothing was changed: {reason}").format(reason=reason)
                )
            )
            .run_in_background()
        )
        return self._withdraw_task

    def _withdrawn(self, done: Withdrawal) -> None:
        self.status_label.setText(
            self.tr("Guest #{number} withdrew contact consent before: nothing to remove.")
            if done.before
            else self.tr(
                "Guest #{number}: contact consent withdrawn; the phone and email are removed."
            )
        )
        self.status_label.setText(self.status_label.text().format(number=done.number))
        self._context.notify_changed(Changes.of(Kind.ATTENDEES, attendees=(done.code,)))

    def open_person(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid() or not self.model.enabled:
            return
        from ui.people.person_window import open_person  # here: the list opens without it

        self.person_window = open_person(self._context, self.model.row_at(index.row()).code, self)

    def choose_import(self) -> None:
        """Pick a CSV file or a workbook, then preview it before anything is stored."""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Pre-registration file"),
            "",
            self.tr(
                "Spreadsheets and exports (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods);;"
                "All files (*)"
            ),
        )
        if not chosen:
            return
        # Here, not at the top: the CSV reader is not needed for the app to start.
        from ui.people.import_preview_dialog import ImportPreviewDialog

        self.import_dialog = ImportPreviewDialog(self._context, Path(chosen), self)
        self.import_dialog.imported.connect(self._imported)
        self.import_dialog.open()

    def _imported(self, report: Any) -> None:
        """The dialog has closed: say what was stored, so nobody wonders whether it worked."""
        self.apply_filter()
        if self.import_dialog is None:
            return
        headline, counts = self.import_dialog.outcome_text(report)
        self.import_result = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Import finished"), headline, parent=self
        )
        self.import_result.setInformativeText(counts)
        self.import_result.open()
