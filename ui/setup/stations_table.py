"""Stations in Setup: each has a name, a mode (desk, resource station, prize table) and, for
a resource station, the ticket type its scans redeem."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes, Kind
from checkin.results import Station, StationMode
from checkin.stations import setup as stations
from checkin.ticketing import TicketKind, tickets
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.setup.attention_setting import AttentionSetting
from ui.setup.card_time_setting import CardTimeSetting
from ui.setup.desk_search_setting import DeskSearchSetting

OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b71c1c; font-weight: 700;"


class StationsTable(QWidget):
    saved = Signal()

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._stations: list[Station] = []

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("stationsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.mode_combo = QComboBox()
        for mode in StationMode:
            self.mode_combo.addItem("", mode.value)
        self.type_combo = QComboBox()
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_station)
        self.name_edit.returnPressed.connect(self.save_station)
        self.status_label = QLabel()
        self.status_label.setObjectName("stationsStatus")
        self.status_label.setWordWrap(True)

        self._labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        form.addRow(self._labels[0], self.name_edit)
        form.addRow(self._labels[1], self.mode_combo)
        form.addRow(self._labels[2], self.type_combo)
        for label, buddy in zip(
            self._labels, (self.name_edit, self.mode_combo, self.type_combo), strict=True
        ):
            label.setBuddy(buddy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        self.card_time = CardTimeSetting(context)
        layout.addWidget(self.card_time)
        self.desk_search = DeskSearchSetting(context)
        layout.addWidget(self.desk_search)
        self.attention = AttentionSetting(context)
        layout.addWidget(self.attention)
        # Only while shown: the desk emits changed on every scan, and this reads every type.
        context.changed.connect(self._changed)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.refresh()

    def mode_text(self, mode: StationMode) -> str:
        return {
            StationMode.DESK: self.tr("Check-in desk"),
            StationMode.RESOURCE: self.tr("Resource station"),
            StationMode.PRIZE: self.tr("Prize table"),
        }[mode]

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Station"), self.tr("Mode"), self.tr("Ticket type")]
        )
        self.table.setAccessibleName(self.tr("Stations"))
        for index in range(self.mode_combo.count()):
            mode = StationMode(str(self.mode_combo.itemData(index)))
            self.mode_combo.setItemText(index, self.mode_text(mode))
        for label, text in zip(
            self._labels,
            (self.tr("Station &name"), self.tr("&Mode"), self.tr("Ticket t&ype it gives")),
            strict=True,
        ):
            label.setText(text)
        self.name_edit.setAccessibleName(self.tr("Station name"))
        self.name_edit.setPlaceholderText(self.tr("e.g. Food tent"))
        self.mode_combo.setAccessibleName(self.tr("Station mode"))
        self.type_combo.setAccessibleName(self.tr("Ticket type the station redeems"))
        self.save_button.setText(self.tr("Save station"))
        self.save_button.setAccessibleName(self.tr("Add or update the station"))
        self.status_label.setAccessibleName(self.tr("Stations status"))
        self._fill_rows()

    @property
    def stations(self) -> list[Station]:
        return list(self._stations)

    def _changed(self, changes: Changes) -> None:
        # Only while shown, and only for what it lists: it reads every type.
        if self.isVisible() and changes.touches(Kind.TICKET_TYPES, Kind.SETUP):
            self._reload_types()

    def _reload_types(self) -> None:
        current = self.type_combo.currentData()
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        for info in tickets.list_ticket_types(self._context.db):
            if info.kind == TicketKind.RESOURCE:
                self.type_combo.addItem(info.name, info.name)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(current)))
        self.type_combo.blockSignals(False)
        self._mode_changed()

    def refresh(self, select_name: str | None = None) -> None:
        self._reload_types()
        self.card_time.load()
        self.desk_search.load()
        self.attention.load()
        self._stations = stations.list_stations(self._context.db)
        self._fill_rows()
        for row, station in enumerate(self._stations):
            if station.name == select_name:
                self.table.selectRow(row)

    def _fill_rows(self) -> None:
        self.table.setRowCount(len(self._stations))
        for row, station in enumerate(self._stations):
            cells = [station.name, self.mode_text(station.mode), station.ticket_type or ""]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _selected(self) -> None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self._stations):
            return
        station = self._stations[rows[0].row()]
        self.name_edit.setText(station.name)
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(station.mode.value)))
        if station.ticket_type:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(station.ticket_type)))

    def _mode_changed(self) -> None:
        resource = self.mode_combo.currentData() == StationMode.RESOURCE.value
        self.type_combo.setEnabled(resource and self.type_combo.count() > 0)

    def save_station(self) -> bool:
        mode = StationMode(str(self.mode_combo.currentData()))
        type_name = self.type_combo.currentData() if mode is StationMode.RESOURCE else None
        if mode is StationMode.RESOURCE and not type_name:
            self._status(self.tr("A resource station needs a resource ticket type."), False)
            return False
        station = Station(self.name_edit.text(), mode, type_name)
        try:
            saved = stations.save_station(self._context.db, station, by=self._context.station.name)
        except Exception as exc:  # a refusal (no name, unknown type) is shown, never raised
            self._status(explain(exc), False)
            return False
        self._status(self.tr("Station saved"), True)
        self.refresh(saved.name)
        self._context.notify_changed(Changes.of(Kind.SETUP))
        self.saved.emit()
        return True

    def _status(self, text: str, ok: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
