"""Ticket types in Setup: what each household gets (raffle or resource), by which rule, the
stock, which stations may redeem it and the partner text printed on referral slips."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes, Kind
from checkin.ticketing import AllowanceRule, TicketKind, tickets
from checkin.ticketing.ticket_type_edits import delete_ticket_type, update_ticket_type
from checkin.ticketing.tickets import TicketTypeInfo
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext

OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b71c1c; font-weight: 700;"


class TicketTypesTable(QWidget):
    saved = Signal()

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._types: list[TicketTypeInfo] = []
        # Asked before deleting; tests replace it to answer without a modal box.
        self.confirm: Callable[[str], bool] = self._ask

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("ticketTypesTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)

        self.kind_combo = QComboBox()
        for kind in TicketKind:
            self.kind_combo.addItem("", kind)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.rule_combo = QComboBox()
        for rule in tickets.RULES:
            self.rule_combo.addItem("", rule)
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(0, 100)
        self.quantity_spin.setValue(1)
        self.stock_box = QCheckBox()
        self.stock_spin = QSpinBox()
        self.stock_spin.setRange(0, 1_000_000)
        self.stock_spin.setEnabled(False)
        self.stock_box.toggled.connect(self.stock_spin.setEnabled)
        self.stations_edit = QLineEdit()
        self.partner_edit = QPlainTextEdit()
        self.partner_edit.setTabChangesFocus(True)  # keyboard users leave the box with Tab
        self.partner_edit.setFixedHeight(60)
        self.at_checkin_box = QCheckBox()
        # How many of the allowance at check-in; 0 shows "All". Fewer than the Quantity leaves
        # the rest for pre-printed stock bound at the desk (a raffle ticket won at a game).
        self.at_checkin_spin = QSpinBox()
        self.at_checkin_spin.setObjectName("atCheckinCount")
        self.at_checkin_spin.setRange(0, 100)
        self.at_checkin_spin.setEnabled(False)
        self.at_checkin_box.toggled.connect(self.at_checkin_spin.setEnabled)

        self.add_button = QPushButton()
        self.save_button = QPushButton()
        self.delete_button = QPushButton()
        self.add_button.clicked.connect(self.add_type)
        self.save_button.clicked.connect(self.save_type)
        self.delete_button.clicked.connect(self.delete_type)
        self.status_label = QLabel()
        self.status_label.setObjectName("ticketTypesStatus")
        self.status_label.setWordWrap(True)

        self._labels = [QLabel() for _ in range(7)]
        form = QFormLayout()
        stock_row = QHBoxLayout()
        stock_row.addWidget(self.stock_box)
        stock_row.addWidget(self.stock_spin, 1)
        form.addRow(self._labels[0], self.kind_combo)
        form.addRow(self._labels[1], self.name_edit)
        form.addRow(self._labels[2], self.rule_combo)
        form.addRow(self._labels[3], self.quantity_spin)
        form.addRow(self._labels[4], stock_row)
        form.addRow(self._labels[5], self.stations_edit)
        form.addRow(self._labels[6], self.partner_edit)
        at_checkin_row = QHBoxLayout()
        at_checkin_row.addWidget(self.at_checkin_box)
        at_checkin_row.addWidget(self.at_checkin_spin)
        at_checkin_row.addStretch(1)
        form.addRow(at_checkin_row)
        buddies = (
            self.kind_combo,
            self.name_edit,
            self.rule_combo,
            self.quantity_spin,
            self.stock_box,
            self.stations_edit,
            self.partner_edit,
        )
        for label, buddy in zip(self._labels, buddies, strict=True):
            label.setBuddy(buddy)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.refresh()

    # --- text -------------------------------------------------------------------------------

    def kind_text(self, kind: TicketKind) -> str:
        return self.tr("Raffle ticket") if kind == TicketKind.RAFFLE else self.tr("Resource ticket")

    def rule_text(self, rule: AllowanceRule, quantity: int) -> str:
        text = {
            AllowanceRule.FIXED: self.tr("%1 per household"),
            AllowanceRule.PER_MEMBER: self.tr("%1 per household member"),
            AllowanceRule.PER_KID: self.tr("%1 per child"),
        }.get(rule, "%1")
        return text.replace("%1", str(quantity))

    def at_checkin_text(self, info: TicketTypeInfo) -> str:
        if not info.issue_at_checkin:
            return self.tr("No")
        return self.tr("All") if info.at_checkin is None else str(info.at_checkin)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Ticket type"),
                self.tr("Kind"),
                self.tr("Each household gets"),
                self.tr("Stock left"),
                self.tr("Handed out"),
                self.tr("Stations"),
                self.tr("At check-in"),
            ]
        )
        self.table.setAccessibleName(self.tr("Ticket types"))
        for index in range(self.kind_combo.count()):
            self.kind_combo.setItemText(
                index, self.kind_text(TicketKind(self.kind_combo.itemData(index)))
            )
        rule_names = {
            AllowanceRule.FIXED: self.tr("Fixed number per household"),
            AllowanceRule.PER_MEMBER: self.tr("Per household member"),
            AllowanceRule.PER_KID: self.tr("Per child"),
        }
        for index in range(self.rule_combo.count()):
            self.rule_combo.setItemText(
                index, rule_names[AllowanceRule(self.rule_combo.itemData(index))]
            )
        texts = [
            self.tr("&Kind"),
            self.tr("&Name"),
            self.tr("R&ule"),
            self.tr("&Quantity"),
            self.tr("St&ock"),
            self.tr("Stations that may re&deem"),
            self.tr("&Partner contact"),
        ]
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.kind_combo.setAccessibleName(self.tr("Ticket kind"))
        self.name_edit.setAccessibleName(self.tr("Ticket type name"))
        self.rule_combo.setAccessibleName(self.tr("How the number of tickets is worked out"))
        self.quantity_spin.setAccessibleName(self.tr("Quantity for the rule"))
        self.stock_box.setText(self.tr("Limited stock"))
        self.stock_box.setAccessibleName(self.tr("This ticket type has a limited stock"))
        self.stock_spin.setAccessibleName(self.tr("Stock"))
        self.stations_edit.setAccessibleName(self.tr("Stations that may redeem"))
        self.stations_edit.setPlaceholderText(
            self.tr("Station names separated by commas; empty: any station")
        )
        self.partner_edit.setAccessibleName(self.tr("Partner contact text for referral slips"))
        self.partner_edit.setPlaceholderText(
            self.tr("Printed on referral slips, e.g. the partner's phone and address")
        )
        self.at_checkin_box.setText(self.tr("Issued at check-in"))
        self.at_checkin_box.setAccessibleName(self.tr("Hand out this ticket type at check-in"))
        self.at_checkin_spin.setSpecialValueText(self.tr("All"))
        self.at_checkin_spin.setPrefix(self.tr("how many: "))
        self.at_checkin_spin.setAccessibleName(self.tr("How many at check-in"))
        self.at_checkin_spin.setToolTip(
            self.tr(
                "All: the whole allowance at check-in. Fewer: the rest can be handed out from "
                "pre-printed tickets, scanned at the desk with the person on screen."
            )
        )
        self.add_button.setText(self.tr("Add ticket type"))
        self.add_button.setAccessibleName(self.tr("Add a ticket type"))
        self.save_button.setText(self.tr("Save changes"))
        self.save_button.setAccessibleName(self.tr("Save the selected ticket type"))
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected ticket type"))
        self.status_label.setAccessibleName(self.tr("Ticket types status"))
        self._fill_rows()

    # --- list -------------------------------------------------------------------------------

    @property
    def types(self) -> list[TicketTypeInfo]:
        return list(self._types)

    def refresh(self, select_name: str | None = None) -> None:
        self._types = tickets.list_ticket_types(self._context.db)
        self._fill_rows()
        for row, info in enumerate(self._types):
            if info.name == select_name:
                self.table.selectRow(row)
        self._selected()

    def _fill_rows(self) -> None:
        self.table.setRowCount(len(self._types))
        for row, info in enumerate(self._types):
            left = info.stock_left
            cells = [
                info.name,
                self.kind_text(info.kind),
                self.rule_text(info.rule, info.quantity),
                self.tr("No limit") if left is None else str(left),
                str(info.held),
                ", ".join(info.stations) or self.tr("Any"),
                self.at_checkin_text(info),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)

    def current(self) -> TicketTypeInfo | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows:
            return None
        row = rows[0].row()
        return self._types[row] if 0 <= row < len(self._types) else None

    def _selected(self) -> None:
        info = self.current()
        self.save_button.setEnabled(info is not None)
        self.delete_button.setEnabled(info is not None)
        if info is None:
            return
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(info.kind)))
        self.name_edit.setText(info.name)
        self.rule_combo.setCurrentIndex(max(0, self.rule_combo.findData(info.rule)))
        self.quantity_spin.setValue(info.quantity)
        self.stock_box.setChecked(info.stock is not None)
        self.stock_spin.setValue(info.stock or 0)
        self.stations_edit.setText(", ".join(info.stations))
        self.partner_edit.setPlainText(info.partner_text)
        self.at_checkin_box.setChecked(info.issue_at_checkin)
        self.at_checkin_spin.setValue(info.at_checkin or 0)

    # --- actions ----------------------------------------------------------------------------

    def _fields(self) -> dict[str, object]:
        return {
            "kind": TicketKind(self.kind_combo.currentData()),
            "rule": AllowanceRule(self.rule_combo.currentData()),
            "quantity": self.quantity_spin.value(),
            "stock": self.stock_spin.value() if self.stock_box.isChecked() else None,
            "stations": tuple(s.strip() for s in self.stations_edit.text().split(",") if s.strip()),
            "partner_text": self.partner_edit.toPlainText().strip(),
            "issue_at_checkin": self.at_checkin_box.isChecked(),
            "at_checkin": self.at_checkin_spin.value() or None,
            "station": self._context.station.name,
        }

    def _run(self, work: Callable[[], object], done: str) -> bool:
        """A refusal from the service is shown in the status line, never raised."""
        try:
            work()
        except Exception as exc:
            self.status_label.setText(explain(exc))
            self.status_label.setStyleSheet(ERROR_STYLE)
            return False
        self.status_label.setText(done)
        self.status_label.setStyleSheet(OK_STYLE)
        self._context.notify_changed(Changes.of(Kind.TICKET_TYPES))
        self.saved.emit()
        return True

    def add_type(self) -> bool:
        name, fields = self.name_edit.text(), self._fields()
        db = self._context.db
        if self._run(
            lambda: tickets.add_ticket_type(db, name, **fields),  # type: ignore[arg-type]
            self.tr("Ticket type added"),
        ):
            self.refresh(" ".join(name.split()))
            return True
        return False

    def save_type(self) -> bool:
        info = self.current()
        if info is None:
            return False
        new_name, fields = self.name_edit.text(), self._fields()
        db = self._context.db
        if self._run(
            lambda: update_ticket_type(db, info.name, new_name=new_name, **fields),  # type: ignore[arg-type]
            self.tr("Ticket type saved"),
        ):
            self.refresh(" ".join(new_name.split()))
            return True
        return False

    def delete_type(self) -> bool:
        info = self.current()
        if info is None:
            return False
        question = self.tr("Delete the ticket type %1?").replace("%1", info.name)
        if not self.confirm(question):
            return False
        db, station = self._context.db, self._context.station.name
        if self._run(
            lambda: delete_ticket_type(db, info.name, station=station),
            self.tr("Ticket type deleted"),
        ):
            self.refresh()
            return True
        return False

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Delete ticket type"), question)
        return answer == QMessageBox.StandardButton.Yes
