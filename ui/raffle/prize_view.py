"""The prize table station: scan a winning ticket, hand over the prize, redraw no-shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin import raffle
from checkin.changes import Changes, Kind, of_scan
from checkin.raffle import DrawOutcome, DrawRecord, DrawResult, DrawState
from checkin.results import ScanResult, Station, StationMode, Tone
from checkin.store.models import utcnow
from checkin.timefmt import clock
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running
from ui.core.organiser_lock import require_organiser
from ui.desk.messages import prize_table_text
from ui.desk.scan_field import ScanField

TONE_STYLE = {
    Tone.SUCCESS: "background: #1b5e20; color: white;",
    Tone.WARNING: "background: #f9a825; color: black;",
    Tone.ERROR: "background: #b71c1c; color: white;",
}
REFRESH_MS = 30_000  # redraw buttons wake up when a winner's wait is over


class PrizeView(QWidget):
    """Station page: context.engine does the claiming; this shows what to hand over."""

    bigScreenOpened = Signal(object)  # the RaffleScreen window

    COLUMNS = 6

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._records: list[DrawRecord] = []
        self.big_screen: QWidget | None = None

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        # A ScanField, like the desk's, for a code typed by hand; a scanner's burst reaches
        # take_scan through the app's scan router while this page is on screen.
        self.scan_field = ScanField(
            texts=lambda: (
                self.tr("Winning ticket code"),
                self.tr("Scan or type a ticket code"),
            )
        )
        self.scan_field.setObjectName("prizeScan")
        self.scan_field.setStyleSheet("font-size: 20px; padding: 6px;")
        self.scan_field.scanned.connect(self.scan)

        self.result_label = QLabel()
        self.result_label.setObjectName("prizeResult")
        self._idle = True  # nothing scanned yet: the label shows the waiting text
        self._shown: ScanResult | None = None  # the scan answer on show, if it is one
        self.result_label.setWordWrap(True)
        self.result_label.setMinimumHeight(72)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_label.setStyleSheet("font-size: 20px; padding: 10px; border-radius: 6px;")

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("drawsTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.wait_spin = QSpinBox()
        self.wait_spin.setRange(0, 240)
        # Follows the event's rule (Setup, another station) whenever it changes; a value set
        # here stays until the rule itself changes again.
        self._rule_minutes = raffle.get_rules(context.db).redraw_after_minutes
        self.wait_spin.setValue(self._rule_minutes)
        self.wait_spin.valueChanged.connect(lambda _minutes: self._show_records(self._records))
        # The wait protects a winner who is on the way: only the organiser or the raffle
        # caller changes it (0 would skip the rule).
        self.wait_unlock = QPushButton()
        self.wait_unlock.setObjectName("prizeWaitUnlock")
        self.wait_unlock.clicked.connect(
            lambda: require_organiser(self._context, self, caller=True)
        )
        context.lockChanged.connect(self._lock_changed)

        self.screen_combo = QComboBox()
        for index, _screen in enumerate(QGuiApplication.screens()):
            self.screen_combo.addItem("", index)
        self._name_screens()
        self.screen_combo.setCurrentIndex(self.screen_combo.count() - 1)
        self.big_button = QPushButton()
        self.big_button.clicked.connect(self.open_big_screen)

        wait_row = QHBoxLayout()
        self.wait_label = QLabel()
        wait_row.addWidget(self.wait_label)
        wait_row.addWidget(self.wait_spin)
        wait_row.addWidget(self.wait_unlock)
        wait_row.addStretch(1)
        wait_row.addWidget(self.screen_combo)
        wait_row.addWidget(self.big_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.scan_field)
        layout.addWidget(self.result_label)
        self.drawn_label = QLabel()
        layout.addWidget(self.drawn_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(wait_row)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh_in_background)
        self._timer.start()
        self._log_task: Running | None = None
        self._stale = False  # a change came while the log was being read
        context.changed.connect(self._changed)
        texts = LiveTexts(self)
        texts(self.retranslate)
        self._lock_changed(context.organiser_unlocked)
        self.refresh()
        # On a language switch the table's states and buttons are worded again too, from the
        # draws already read.
        texts(lambda: self._show_records(self._records))

    def _lock_changed(self, _unlocked: bool) -> None:
        allowed = self._context.caller_unlocked
        self.wait_spin.setEnabled(allowed)
        self.wait_unlock.setVisible(not allowed)

    def _name_screens(self) -> None:
        screens = QGuiApplication.screens()
        for index in range(min(self.screen_combo.count(), len(screens))):
            size = screens[index].geometry()
            self.screen_combo.setItemText(
                index,
                self.tr("Display {number}: {name} ({width}×{height})").format(
                    number=index + 1,
                    name=screens[index].name(),
                    width=size.width(),
                    height=size.height(),
                ),
            )

    def retranslate(self) -> None:
        self._name_screens()
        self.title.setText(self.tr("Prize table"))
        self.wait_unlock.setText(self.tr("Change…"))
        self.wait_unlock.setAccessibleName(
            self.tr("Unlock the redraw wait (organiser or raffle caller)")
        )
        self.hint.setText(
            self.tr("Scan the winning raffle ticket, or type its code and press Enter.")
        )
        if self._idle:
            self.result_label.setText(self.tr("Waiting for a winner"))
        elif self._shown is not None:  # the last scan's answer, in the language now in use
            self.result_label.setText(self.describe(self._shown))
        self.result_label.setAccessibleName(self.tr("Scan result"))
        self.table.setAccessibleName(self.tr("Drawn prizes"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Prize"),
                self.tr("Ticket No."),
                self.tr("Winner"),
                self.tr("Drawn at"),
                self.tr("State"),
                self.tr("Redraw"),
            ]
        )
        self.wait_spin.setSuffix(self.tr(" min"))
        self.wait_spin.setAccessibleName(self.tr("Minutes a winner has before a redraw"))
        self.screen_combo.setAccessibleName(self.tr("Display for the big screen"))
        self.big_button.setText(self.tr("Open big screen"))
        self.big_button.setAccessibleName(self.tr("Open the raffle big screen"))
        self.wait_label.setText(self.tr("A winner who does not come can be redrawn after"))
        self.drawn_label.setText(self.tr("Drawn prizes"))

    # --- scanning -------------------------------------------------------------------------

    @property
    def context(self) -> EventContext:
        return self._context

    @property
    def station(self) -> Station:
        current = self._context.station
        if current.mode is StationMode.PRIZE:
            return current
        return Station(
            current.name or "Prize table", StationMode.PRIZE, volunteer=current.volunteer
        )

    def take_scan(self, code: str) -> None:
        """A scanner burst routed here (wherever the focus was on this page)."""
        self.scan_field.clear()
        self.scan(code)
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def scan(self, code: str) -> None:
        """Through the station's writer queue, in turn with the desk's scans."""
        engine = self._context.engine

        def make_work() -> Callable[[], ScanResult]:
            station = self.station
            return lambda: engine.scan(code, station)

        self._context.scans.submit(make_work, self._answered)

    def _answered(self, result: ScanResult) -> None:
        self.show_result(result)
        self._context.notify_changed(of_scan(result))

    def show_result(self, result: ScanResult) -> None:
        self._idle = False
        self._shown = result
        self.result_label.setText(self.describe(result))
        style = TONE_STYLE[result.tone]
        self.result_label.setStyleSheet(
            f"font-size: 20px; padding: 10px; border-radius: 6px; {style}"
        )

    def describe(self, result: ScanResult) -> str:
        """The volunteer's words for a result (worded with the desk's, in ui/desk/messages.py)."""
        return prize_table_text(result)

    # --- the list of draws ----------------------------------------------------------------

    @property
    def records(self) -> list[DrawRecord]:
        return list(self._records)

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.RAFFLE, Kind.SETUP):
            self._refresh_in_background()

    def _refresh_in_background(self) -> None:
        if self._log_task is not None:
            self._stale = True  # one read at a time: read again when this one is done
            return
        self._stale = False
        db = self._context.db
        self._log_task = (
            QueryOp(
                parent=self,
                op=lambda: (raffle.raffle_log(db), raffle.get_rules(db).redraw_after_minutes),
                success=self._show_read,
            )
            .ended(self._log_read)
            .run_in_background()
        )

    def _log_read(self) -> None:
        self._log_task = None
        if self._stale:  # a change came while reading (a claim just after a setting)
            self._refresh_in_background()

    def _show_read(self, read: tuple[list[DrawRecord], int]) -> None:
        records, minutes = read
        if minutes != self._rule_minutes:  # the rule changed (in Setup, or at another station)
            self._rule_minutes = minutes
            with QSignalBlocker(self.wait_spin):
                self.wait_spin.setValue(minutes)
        self._show_records(records)

    def refresh(self) -> None:
        """At once, after the organiser's own action here (a redraw)."""
        self._show_records(raffle.raffle_log(self._context.db))

    def _show_records(self, records: list[DrawRecord]) -> None:
        self._records = records
        self.table.setRowCount(len(self._records))
        now = utcnow()
        wait = timedelta(minutes=self.wait_spin.value())
        for row, record in enumerate(self._records):
            cells = [
                record.prize,
                str(record.serial) if record.serial is not None else "",
                record.winner_name,
                clock(record.at),
                self._state_text(record),
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self.table.setCellWidget(row, 5, self._redraw_button(record, now, wait))

    def _state_text(self, record: DrawRecord) -> str:
        if record.state == DrawState.CLAIMED:
            return self.tr("Claimed {time}").format(time=clock(record.claimed_at))
        if record.state == DrawState.REDRAWN:
            return self.tr("Redrawn {time} (did not come)").format(time=clock(record.redrawn_at))
        return self.tr("Waiting for the winner")

    def _redraw_button(self, record: DrawRecord, now: datetime, wait: timedelta) -> QWidget:
        button = QPushButton(self.tr("Redraw"))
        button.setAccessibleName(
            self.tr("Redraw {prize} (ticket No. {serial})").format(
                prize=record.prize, serial=record.serial
            )
        )
        if record.state != DrawState.DRAWN:
            button.setEnabled(False)
            button.setText("")
            button.setFlat(True)
            return button
        ready_at = record.at + wait
        if now < ready_at:
            minutes = int((ready_at - now).total_seconds() // 60) + 1
            button.setEnabled(False)
            button.setText(self.tr("In %n min", "", minutes))
            button.setToolTip(self.tr("The winner still has time to come to the prize table"))
        button.clicked.connect(lambda: self.redraw(record))
        return button

    def button_for(self, row: int) -> QPushButton:
        widget = self.table.cellWidget(row, 5)
        assert isinstance(widget, QPushButton)
        return widget

    def confirm_redraw(self, record: DrawRecord) -> bool:
        """Asked before a redraw (tests replace it)."""
        answer = QMessageBox.question(
            self,
            self.tr("Redraw"),
            self.tr("Nobody came for {prize} (ticket No. {serial}). Draw a new winner?").format(
                prize=record.prize, serial=record.serial
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def redraw(self, record: DrawRecord) -> DrawResult | None:
        if not self.confirm_redraw(record):
            return None
        # Asked every time, even after an earlier unlock: a redraw takes a prize from someone.
        if not require_organiser(self._context, self, caller=True, fresh=True):
            return None
        result = raffle.redraw(
            self._context.db,
            record.uid,
            after_minutes=self.wait_spin.value(),
            station=self.station.name,
        )
        self._show_redraw(result)
        self.refresh()
        self._context.notify_changed(Changes.of(Kind.RAFFLE))
        return result

    def _show_redraw(self, result: DrawResult) -> None:
        if result.ok and result.record is not None:
            text = self.tr("New winner of {prize}: ticket No. {serial}. Call it out!").format(
                prize=result.record.prize, serial=result.record.serial
            )
            tone = Tone.SUCCESS
        elif result.outcome is DrawOutcome.TOO_SOON:
            text = self.tr(
                "The winner still has %n minute(s) to come", "", int(result.params["minutes"])
            )
            tone = Tone.WARNING
        elif result.outcome is DrawOutcome.NOBODY_ELIGIBLE:
            text = self.tr("Nobody else is eligible for this prize")
            tone = Tone.WARNING
        else:
            text = self.tr("This prize cannot be redrawn: it was claimed or already redrawn")
            tone = Tone.ERROR
        self._shown = None  # a draw's answer, not a scan's
        self.result_label.setText(text)
        self.result_label.setStyleSheet(
            f"font-size: 20px; padding: 10px; border-radius: 6px; {TONE_STYLE[tone]}"
        )

    # --- the big screen -------------------------------------------------------------------

    def open_big_screen(self) -> QWidget:
        from ui.raffle.raffle_screen import open_big_screen

        index = self.screen_combo.currentData()
        window = open_big_screen(
            self._context,
            screen_index=int(index) if index is not None else None,
            operator=self,  # the PIN and redraw questions open here, not on the projector
        )
        self.big_screen = window
        # This window gives the focus back to its scan field when the big screen closes.
        self.scan_field.setFocus()
        self.bigScreenOpened.emit(window)
        return window
