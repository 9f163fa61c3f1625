"""The station's recent activity, and Undo (Ctrl+Z) of its last action after a confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QPushButton, QVBoxLayout, QWidget

from checkin import undo
from checkin.results import (
    CheckInParams,
    FlyerParams,
    OutcomeParams,
    PrizeParams,
    ScanResult,
    ScanState,
    Station,
    TicketParams,
)
from checkin.stations.station_activity import PastScan, recent_scans
from checkin.timefmt import clock
from checkin.undo import UndoPreview, UndoResult
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import WriteOp
from ui.desk.messages import headline
from ui.desk.undo_texts import outcome_text, question, undone_detail

KEEP = 50


class ActivityPanel(QWidget):
    undone = Signal(str)  # what was undone, after the undo was saved
    nothingToUndo = Signal(str)
    ended = Signal()  # an undo (asked for, declined, refused or done) is over

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undoing = False
        # (time, answer), newest first: the lines are worded from them in the app's language.
        self._entries: list[tuple[str, ScanResult]] = []
        self.caption = QLabel()
        self.list = QListWidget()
        self.list.setMinimumHeight(40)  # two lines; the desk must fit a 768-pixel screen
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo_last)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_button)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.load_past()

    def load_past(self) -> None:
        """The station's earlier scans from the event file (after a restart of the app)."""
        self._entries = []
        try:
            past = recent_scans(self._context.db, self._context.station.name, KEEP)
        except Exception:  # an unreadable history must not keep the desk from opening
            past = []
        for scan in past:
            params = _logged(scan)
            local = scan.at.replace(tzinfo=UTC).astimezone()
            answer = ScanResult("", scan.state, "", params=params, repeat=scan.repeat)
            self._entries.append((f"{local:%H:%M:%S}", answer))
        self._render()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Recent activity at this station"))
        self.list.setAccessibleName(self.tr("Recent activity"))
        self.undo_button.setText(self.tr("&Undo last action (Ctrl+Z)"))
        self.undo_button.setAccessibleName(self.tr("Undo last action"))
        self._render()  # the lines too, from the answers kept: nothing is read again

    def add(self, result: ScanResult) -> None:
        entry = (f"{datetime.now():%H:%M:%S}", result)
        self._entries.insert(0, entry)
        del self._entries[KEEP:]
        self.list.insertItem(0, _line(entry))
        while self.list.count() > KEEP:
            self.list.takeItem(self.list.count() - 1)

    def _render(self) -> None:
        self.list.clear()
        self.list.addItems([_line(entry) for entry in self._entries])

    @property
    def undoing(self) -> bool:
        """An undo is under way: its question, or its read or write on the writer queue."""
        return self._undoing

    def undo_last(self) -> None:
        """Undo, in turn with the writes before it on the station's writer queue: what it would
        revert is read after the scans already sent are written (so the question names the
        last of them, not the one before), and the undo itself is written there too, off the
        GUI thread. One undo at a time; ``ended`` when it is over, whatever the answer."""
        if self._undoing:
            return
        self._undoing = True
        db, station = self._context.db, self._context.station
        WriteOp(  # a read, but in turn with the writes queued before it
            context=self._context,
            parent=self,
            op=lambda: undo.last_action(db, station.name),
            success=lambda preview: self._confirm(station, preview),
        ).failure(self._failed).run_in_background()

    def _confirm(self, station: Station, preview: UndoPreview | None) -> None:
        if preview is None:
            self._end()
            self.nothingToUndo.emit(self.tr("Nothing to undo at this station"))
            return
        answer = QMessageBox.question(self, self.tr("Undo"), question(preview))
        if answer != QMessageBox.StandardButton.Yes:
            self._end()
            return
        db = self._context.db
        WriteOp(
            context=self._context,
            parent=self,
            op=lambda: undo.undo_last(db, station, expected=preview.audit_id),
            success=self._undone_now,
            changes=lambda outcome: outcome.changes,  # what the action undone had changed
        ).failure(self._failed).run_in_background()

    def _undone_now(self, outcome: UndoResult) -> None:
        message = outcome_text(outcome)
        self.list.insertItem(0, f"{datetime.now():%H:%M:%S}  {message}")
        self._end()
        if outcome.done:
            self.undone.emit(undone_detail(outcome))
        else:
            self.nothingToUndo.emit(message)

    def _failed(self, message: str) -> None:
        self._end()
        self.nothingToUndo.emit(self.tr("Not undone: {reason}").format(reason=message))

    def _end(self) -> None:
        self._undoing = False
        self.ended.emit()


def _line(entry: tuple[str, ScanResult]) -> str:
    at, result = entry
    title, _detail = headline(result)
    return f"{at}  {title}"


_PRIZES = {ScanState.PRIZE_CLAIMED, ScanState.ALREADY_CLAIMED, ScanState.NOT_A_WINNER}


def _logged(scan: PastScan) -> OutcomeParams:
    """An earlier scan's parameters, as far as the scan log keeps them (who, which ticket,
    why a voided ticket was voided)."""
    state, name, type_name, serial = scan.state, scan.name, scan.ticket_type, scan.serial
    if state is ScanState.VOID and scan.void_reason and scan.voided_at is not None:
        when = clock(scan.voided_at)
        return TicketParams(
            name=name, type=type_name, serial=serial, reason=scan.void_reason, when=when
        )
    if state in (ScanState.CHECKED_IN, ScanState.ALREADY_CHECKED_IN):
        return CheckInParams(name=name)
    if state in _PRIZES:
        return PrizeParams(name=name, type=type_name, serial=serial)
    if state in (ScanState.FLYER, ScanState.CAMPAIGN_RECORDED):
        return FlyerParams(name=name, campaign="")
    return TicketParams(name=name, type=type_name, serial=serial)
