"""Prizes and raffle rules, for the Setup screen to embed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin import raffle
from checkin.changes import Changes, Kind
from checkin.raffle import PrizeInfo, RaffleError, RaffleRules, WinLimit
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext


class PrizesEditor(QWidget):
    """Prize list (name, quantity, sponsor, order of drawing) and the rules of the draw."""

    saved = Signal()

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._prizes: list[PrizeInfo] = []
        self._texts = LiveTexts(self)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("prizesTable")
        self._texts(lambda: self.table.setAccessibleName(self.tr("Prizes in the order of drawing")))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.name_edit = QLineEdit()
        self._texts(lambda: self.name_edit.setAccessibleName(self.tr("Prize name")))
        self.name_edit.setMaxLength(200)
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(1, 1000)
        self._texts(lambda: self.quantity_spin.setAccessibleName(self.tr("How many of this prize")))
        self.sponsor_edit = QLineEdit()
        self._texts(lambda: self.sponsor_edit.setAccessibleName(self.tr("Sponsor (optional)")))
        self.sponsor_edit.setMaxLength(200)

        self.add_button = QPushButton()
        self._texts(lambda: self.add_button.setText(self.tr("Add prize")))
        self.save_button = QPushButton()
        self._texts(lambda: self.save_button.setText(self.tr("Save changes")))
        self.remove_button = QPushButton()
        self._texts(lambda: self.remove_button.setText(self.tr("Remove")))
        self.up_button = QPushButton()
        self._texts(lambda: self.up_button.setText(self.tr("Draw earlier")))
        self.down_button = QPushButton()
        self._texts(lambda: self.down_button.setText(self.tr("Draw later")))
        self.add_button.clicked.connect(self.add_prize)
        self.save_button.clicked.connect(self.save_prize)
        self.remove_button.clicked.connect(self.remove_prize)
        self.up_button.clicked.connect(lambda: self.move_prize(-1))
        self.down_button.clicked.connect(lambda: self.move_prize(1))

        form = QFormLayout()
        self._form_labels = [QLabel(), QLabel(), QLabel()]
        form.addRow(self._form_labels[0], self.name_edit)
        form.addRow(self._form_labels[1], self.quantity_spin)
        form.addRow(self._form_labels[2], self.sponsor_edit)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.save_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)

        prizes_box = QGroupBox()
        self._texts(lambda: prizes_box.setTitle(self.tr("Prizes")))
        prizes_layout = QVBoxLayout(prizes_box)
        prizes_layout.addWidget(self.table, 1)
        prizes_layout.addLayout(form)
        prizes_layout.addLayout(buttons)

        self.checked_in_box = QCheckBox()
        self._texts(
            lambda: self.checked_in_box.setText(self.tr("Only people who checked in can win"))
        )
        self.one_win_combo = QComboBox()
        for value in WinLimit:
            self.one_win_combo.addItem("", value)
        self.cutoff_box = QCheckBox()
        self.cutoff_edit = QDateTimeEdit()
        self._texts(
            lambda: self.cutoff_edit.setAccessibleName(self.tr("Cut-off time for raffle tickets"))
        )
        self.cutoff_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.cutoff_edit.setCalendarPopup(True)
        self.cutoff_box.toggled.connect(self.cutoff_edit.setEnabled)
        self.redraw_spin = QSpinBox()
        self.redraw_spin.setRange(0, 240)
        self._texts(lambda: self.redraw_spin.setSuffix(self.tr(" min")))
        self.rules_button = QPushButton()
        self._texts(lambda: self.rules_button.setText(self.tr("Save rules")))
        self._texts(lambda: self.rules_button.setAccessibleName(self.tr("Save the raffle rules")))
        self.rules_button.clicked.connect(self.save_rules)

        rules_box = QGroupBox()
        self._texts(lambda: rules_box.setTitle(self.tr("Rules of the draw")))
        rules_form = QFormLayout(rules_box)
        rules_form.addRow(self.checked_in_box)
        self._rule_labels = [QLabel(), QLabel(), QLabel()]
        rules_form.addRow(self._rule_labels[0], self.one_win_combo)
        rules_form.addRow(self.cutoff_box)
        rules_form.addRow(self._rule_labels[1], self.cutoff_edit)
        rules_form.addRow(self._rule_labels[2], self.redraw_spin)
        rules_form.addRow(self.rules_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("prizesStatus")
        self._texts(lambda: self.status_label.setAccessibleName(self.tr("Prizes editor status")))
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(prizes_box, 1)
        layout.addWidget(rules_box)
        layout.addWidget(self.status_label)

        self._texts(self._set_texts)
        self.refresh()
        self.load_rules()

    def _set_texts(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Prize"), self.tr("Quantity"), self.tr("Sponsor"), self.tr("Drawn")]
        )
        for button, name in (
            (self.add_button, self.tr("Add a prize")),
            (self.save_button, self.tr("Save the selected prize")),
            (self.remove_button, self.tr("Remove the selected prize")),
            (self.up_button, self.tr("Move the selected prize earlier")),
            (self.down_button, self.tr("Move the selected prize later")),
        ):
            button.setAccessibleName(name)
        for label, text in zip(
            self._form_labels + self._rule_labels,
            (
                self.tr("Name"),
                self.tr("Quantity"),
                self.tr("Sponsor"),
                self.tr("Wins"),
                self.tr("Cut-off"),
                self.tr("Redraw a no-show after"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.one_win_combo.setAccessibleName(self.tr("How many prizes one household can win"))
        for index, text in enumerate(
            (
                self.tr("One prize per household"),
                self.tr("One prize per person in the household"),
                self.tr("No limit (each ticket can win once)"),
            )
        ):
            self.one_win_combo.setItemText(index, text)
        self.cutoff_box.setText(self.tr("Tickets handed out after this time are not in the draw"))
        self.redraw_spin.setAccessibleName(self.tr("Minutes a winner has before a redraw"))

    # --- prizes ---------------------------------------------------------------------------

    @property
    def prizes(self) -> list[PrizeInfo]:
        return list(self._prizes)

    def refresh(self, select_uid: str | None = None) -> None:
        self._prizes = raffle.list_prizes(self._context.db)
        self.table.setRowCount(len(self._prizes))
        for row, prize in enumerate(self._prizes):
            cells = [prize.name, str(prize.quantity), prize.sponsor, str(prize.drawn)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
            if prize.uid == select_uid:
                self.table.selectRow(row)
        self._selected()

    def _current(self) -> PrizeInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self._prizes[row] if 0 <= row < len(self._prizes) else None

    def _selected(self) -> None:
        prize = self._current()
        for button in (self.save_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(prize is not None)
        if prize is not None:
            self.name_edit.setText(prize.name)
            self.quantity_spin.setValue(prize.quantity)
            self.sponsor_edit.setText(prize.sponsor)

    def _run(self, work: Callable[[], object], done: str) -> bool:
        """Run a service call; a refusal is shown in the status line, never raised."""
        try:
            work()
        except RaffleError as exc:
            self.status_label.setText(str(exc))
            self.status_label.setStyleSheet("color: #b71c1c;")
            return False
        self.status_label.setText(done)
        self.status_label.setStyleSheet("color: #1b5e20;")
        self._context.notify_changed(Changes.of(Kind.RAFFLE))
        self.saved.emit()
        return True

    def add_prize(self) -> None:
        name = self.name_edit.text()
        added: list[PrizeInfo] = []

        def work() -> None:
            added.append(
                raffle.add_prize(
                    self._context.db,
                    name,
                    quantity=self.quantity_spin.value(),
                    sponsor=self.sponsor_edit.text(),
                    station=self._context.station.name,
                )
            )

        if self._run(work, self.tr("Prize added")):
            self.name_edit.clear()
            self.sponsor_edit.clear()
            self.quantity_spin.setValue(1)
            self.refresh(added[0].uid)

    def save_prize(self) -> None:
        prize = self._current()
        if prize is None:
            return

        def work() -> None:
            raffle.update_prize(
                self._context.db,
                prize.uid,
                name=self.name_edit.text(),
                quantity=self.quantity_spin.value(),
                sponsor=self.sponsor_edit.text(),
                station=self._context.station.name,
            )

        if self._run(work, self.tr("Prize saved")):
            self.refresh(prize.uid)

    def remove_prize(self) -> None:
        prize = self._current()
        if prize is None:
            return
        db, station = self._context.db, self._context.station.name
        if self._run(
            lambda: raffle.remove_prize(db, prize.uid, station=station), self.tr("Prize removed")
        ):
            self.refresh()

    def move_prize(self, offset: int) -> None:
        prize = self._current()
        if prize is None:
            return
        db, station = self._context.db, self._context.station.name
        moved = self.tr("Order of drawing changed")
        if self._run(lambda: raffle.move_prize(db, prize.uid, offset, station=station), moved):
            self.refresh(prize.uid)

    # --- rules ----------------------------------------------------------------------------

    def load_rules(self) -> None:
        rules = raffle.get_rules(self._context.db)
        self.checked_in_box.setChecked(rules.checked_in_only)
        index = self.one_win_combo.findData(rules.one_win_per)
        self.one_win_combo.setCurrentIndex(max(0, index))
        self.cutoff_box.setChecked(rules.cutoff is not None)
        self.cutoff_edit.setEnabled(rules.cutoff is not None)
        if rules.cutoff is not None:
            local = rules.cutoff.replace(tzinfo=UTC).astimezone()
            self.cutoff_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(local.timestamp())))
        else:
            self.cutoff_edit.setDateTime(QDateTime.currentDateTime())
        self.redraw_spin.setValue(rules.redraw_after_minutes)

    def rules(self) -> RaffleRules:
        cutoff = None
        if self.cutoff_box.isChecked():
            seconds = self.cutoff_edit.dateTime().toSecsSinceEpoch()
            cutoff = datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None, second=0)
        return RaffleRules(
            checked_in_only=self.checked_in_box.isChecked(),
            one_win_per=WinLimit(self.one_win_combo.currentData()),
            cutoff=cutoff,
            redraw_after_minutes=self.redraw_spin.value(),
        )

    def save_rules(self) -> None:
        rules = self.rules()
        db, station = self._context.db, self._context.station.name
        if self._run(lambda: raffle.set_rules(db, rules, station=station), self.tr("Rules saved")):
            self.load_rules()
