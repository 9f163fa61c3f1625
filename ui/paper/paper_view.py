"""Entering the paper fallback kit's tally sheets after a laptop died (organiser only)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes, Kind
from checkin.event.logo import event_logo
from checkin.paper.tallies import PaperWalkup, enter_ticket_tally, enter_walkups
from checkin.paper.ticket_pdf import LAYOUTS, faces_for, write_pdf
from checkin.results import Station, TicketInfo
from checkin.ticketing.tickets import create_stock, list_ticket_types
from ui.common.failure_texts import explain
from ui.common.layout_names import layout_label
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import Cancelled, Progress, QueryOp, Running, WriteOp
from ui.core.organiser_lock import require_organiser


class PaperView(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.households: list[PaperWalkup] = []
        self.tallies: list[tuple[str, int]] = []
        self.adults, self.kids, self.seniors = QSpinBox(), QSpinBox(), QSpinBox()
        for spin, value in ((self.adults, 1), (self.kids, 0), (self.seniors, 0)):
            spin.setRange(0, 30)
            spin.setValue(value)
        self.zip_code = QLineEdit()
        self.zip_code.setMaxLength(10)
        self.add_household = QPushButton()
        self.add_household.clicked.connect(self._add_household)
        self.ticket_type = QComboBox()
        self.count = QSpinBox()
        self.count.setRange(1, 100_000)
        self.add_tally = QPushButton()
        self.add_tally.clicked.connect(self._add_tally)
        self.pending = QListWidget()
        self.save = QPushButton()
        self.save.clicked.connect(self.save_all)
        self.status = QLabel(wordWrap=True)
        # pre-printed stock sheets, made in the background with a progress bar
        self.stock_type = QComboBox()
        self.stock_count = QSpinBox()
        self.stock_count.setRange(1, 10_000)
        self.stock_count.setValue(300)
        self.stock_layout = QComboBox()
        for layout_id in ("letter-30", "a4-24", "receipt-80", "receipt-58", "letter"):
            self.stock_layout.addItem(layout_label(layout_id), layout_id)
        self.stock_button = QPushButton()
        # Not the method itself: clicked passes its "checked" flag, which would be taken for a path.
        self.stock_button.clicked.connect(lambda: self.print_stock())
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self._task: Running | None = None
        self._labels = [QLabel() for _ in range(6)]
        form = QFormLayout()
        household = QHBoxLayout()
        for label, widget in zip(
            self._labels[:4], (self.adults, self.kids, self.seniors, self.zip_code), strict=True
        ):
            label.setBuddy(widget)
            household.addWidget(label)
            household.addWidget(widget)
        household.addWidget(self.add_household)
        form.addRow(household)
        tally = QHBoxLayout()
        for label, widget in zip(self._labels[4:], (self.ticket_type, self.count), strict=True):
            label.setBuddy(widget)
            tally.addWidget(label)
            tally.addWidget(widget)
        tally.addWidget(self.add_tally)
        form.addRow(tally)
        self.intro = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.pending, 1)
        layout.addWidget(self.save)
        layout.addWidget(self.status)
        stock = QHBoxLayout()
        self.stock_label = QLabel()
        for widget in (
            self.stock_label,
            self.stock_type,
            self.stock_count,
            self.stock_layout,
            self.stock_button,
        ):
            stock.addWidget(widget)
        layout.addLayout(stock)
        layout.addWidget(self.progress)
        self._types_task: Running | None = None
        context.changed.connect(self._changed)
        self._reload_types()
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.TICKET_TYPES):
            db = self._context.db
            self._types_task = QueryOp(
                parent=self,
                op=lambda: [t.name for t in list_ticket_types(db)],
                success=self._show_types,
            ).run_in_background()

    def _reload_types(self) -> None:
        self._show_types([t.name for t in list_ticket_types(self._context.db)])

    def _show_types(self, names: list[str]) -> None:
        for combo in (self.ticket_type, self.stock_type):
            if names != [combo.itemText(i) for i in range(combo.count())]:
                combo.clear()
                combo.addItems(names)

    def _add_household(self) -> None:
        row = PaperWalkup(
            self.adults.value(),
            self.kids.value(),
            self.seniors.value(),
            self.zip_code.text().strip(),
        )
        self.households.append(row)
        self.pending.addItem(
            self.tr("Household: {a} adults, {k} kids, {s} seniors, ZIP {z}").format(
                a=row.adults, k=row.kids, s=row.seniors, z=row.zip_code or "-"
            )
        )
        self.zip_code.clear()
        self.adults.setFocus()

    def _add_tally(self) -> None:
        if not self.ticket_type.currentText():
            return
        self.tallies.append((self.ticket_type.currentText(), self.count.value()))
        self.pending.addItem(
            self.tr("Tickets: {n} {type}").format(
                n=self.count.value(), type=self.ticket_type.currentText()
            )
        )

    def save_all(self) -> bool:
        if not (self.households or self.tallies):
            self.status.setText(self.tr("Nothing to save yet."))
            return False
        if not require_organiser(self._context, self):
            self.status.setText(self.tr("Locked: the organiser passphrase is needed."))
            return False
        by = self._context.station.volunteer
        try:
            if self.households:
                enter_walkups(self._context.db, self.households, by=by)
            for name, count in self.tallies:
                enter_ticket_tally(self._context.db, name, count, by=by)
        except Exception as exc:
            self.status.setText(self.tr("Not saved: {reason}").format(reason=explain(exc)))
            return False
        self.status.setText(
            self.tr("Saved {h} households and {t} tallies, marked as from paper.").format(
                h=len(self.households), t=len(self.tallies)
            )
        )
        self.households, self.tallies = [], []
        self.pending.clear()
        # Walk-ups registered and checked in, their tickets, the tallies' tickets.
        self._context.notify_changed(Changes.of(Kind.ATTENDEES, Kind.CHECKINS, Kind.TICKETS))
        return True

    def print_stock(self, path: str | None = None) -> Running | None:
        """Unassigned tickets on sheets, made off the GUI thread with a progress bar."""
        if not require_organiser(self._context, self):
            self.status.setText(self.tr("Locked: the organiser passphrase is needed."))
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save stock sheets"), "stock.pdf", "PDF (*.pdf)"
            )
        if not path:
            return None
        db, info = self._context.db, self._context.info
        kind, count = self.stock_type.currentText(), self.stock_count.value()
        layout = str(self.stock_layout.currentData())
        date = info.date.isoformat() if info.date else ""

        spec = LAYOUTS[layout]  # a sheet number a page, printed under it

        def failed(reason: str) -> None:
            self._stock_done(self.tr("Stock not made: {reason}").format(reason=reason))

        def print_sheets(made: list[TicketInfo]) -> None:
            # The tickets are written (on the writer queue, in turn with the scans); the PDF is
            # drawn on the shared pool so the scans do not wait for it.
            def draw(progress: Progress, cancelled: Cancelled) -> int:
                write_pdf(
                    faces_for(info.name, date, made, event_logo(db)),
                    Path(path),
                    layout,
                    progress=progress,
                    cancelled=cancelled,
                )
                return len(made)

            self._task = (
                QueryOp.with_progress(
                    parent=self,
                    op=draw,
                    success=lambda n: self._stock_done(
                        self.tr("{n} {type} tickets ready to print: {path}").format(
                            n=n, type=kind, path=path
                        )
                    ),
                )
                .progress(lambda done, _total: self.progress.setValue(done))
                .failure(failed)
                .run_in_background()
            )

        self.progress.setRange(0, count)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.stock_button.setEnabled(False)
        self._task = (
            WriteOp(
                context=self._context,
                parent=self,
                op=lambda: create_stock(
                    db, kind, count, station=Station("stock"), per_sheet=spec.columns * spec.rows
                ),
                success=print_sheets,
                changes=Changes.of(Kind.TICKETS),
            )
            .failure(failed)
            .run_in_background()
        )
        return self._task

    def _stock_done(self, message: str) -> None:
        self.status.setText(message)
        self.stock_button.setEnabled(True)

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "When a laptop died and volunteers kept going on the paper kit's tally sheets, "
                "enter what they wrote here. It counts in the summary, marked as from paper."
            )
        )
        texts = (
            self.tr("Adults"),
            self.tr("Kids"),
            self.tr("Seniors"),
            self.tr("ZIP"),
            self.tr("Ticket type"),
            self.tr("Count"),
        )
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.add_household.setText(self.tr("Add &household"))
        self.add_tally.setText(self.tr("Add &tally"))
        self.save.setText(self.tr("&Save all"))
        self.pending.setAccessibleName(self.tr("Entries not saved yet"))
        self.zip_code.setAccessibleName(self.tr("ZIP code"))
        self.stock_label.setText(self.tr("Pre-printed stock:"))
        self.stock_button.setText(self.tr("Save stock &sheets PDF…"))
        self.stock_type.setAccessibleName(self.tr("Ticket type for the stock sheets"))
        self.stock_count.setAccessibleName(self.tr("How many tickets"))
        self.stock_layout.setAccessibleName(self.tr("Sheet layout"))
        for index in range(self.stock_layout.count()):
            self.stock_layout.setItemText(
                index, layout_label(str(self.stock_layout.itemData(index)))
            )
        self.progress.setAccessibleName(self.tr("Progress"))
