"""Station > Void tickets…: the organiser scans or types the codes of lost, stolen or damaged
tickets, picks why, and with "Issue a replacement" gets the new tickets printed at once; or
voids a whole pre-printed stock sheet by the number printed under it.

The code field reads the scanner's keys itself (the app's scan router leaves them to it), so a
scanned ticket lands here; a person's code scanned while the dialog is open is handed to the
desk, as the scanner check does. The void runs off the GUI thread
(checkin/ticketing/ticket_voiding.py);
it is recorded for this station, so the desk's Undo takes it back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin import codes
from checkin.changes import Changes, Kind
from checkin.event.logo import event_logo
from checkin.paper.ticket_pdf import faces_for
from checkin.ticketing import TicketState
from checkin.ticketing.ticket_voiding import REASONS, VoidResult, void_sheet, void_tickets
from checkin.ticketing.tickets import get_ticket
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import Running, WriteOp
from ui.core.organiser_lock import require_organiser
from ui.core.scan_router import RAW_KEYS, TERMINATORS
from ui.desk.code_screen import CodeScreen
from ui.paper.ticket_printer import TicketPrinter

QUIET_MS = 400  # a scanner that sends no Enter has finished after this much quiet


class VoidDialog(QDialog):
    notATicket = Signal(str)  # a person's or flyer's code scanned here: the desk's
    finishedVoid = Signal(object)  # the VoidResult, after it was saved (and printed)

    def __init__(
        self, context: EventContext, printer: TicketPrinter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._printer = printer
        self.codes: list[str] = []
        self.outcome: VoidResult | None = None
        self._task: Running | None = None

        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("voidCode")
        self.code_edit.setProperty(RAW_KEYS, True)
        self.code_edit.installEventFilter(self)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_typed)
        self.code_list = QListWidget()
        self.code_list.setObjectName("voidCodes")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("voidReason")
        for reason in REASONS:
            self.reason_combo.addItem("", reason)
        self.replace_check = QCheckBox()
        self.replace_check.setObjectName("voidReplace")
        self.replace_check.setChecked(True)
        self.void_button = QPushButton()
        self.void_button.setObjectName("voidTickets")
        self.void_button.clicked.connect(self.void)
        self.sheet_box = QGroupBox()
        self.sheet_spin = QSpinBox()
        self.sheet_spin.setObjectName("voidSheetNumber")
        self.sheet_spin.setRange(1, 100000)
        self.sheet_button = QPushButton()
        self.sheet_button.setObjectName("voidSheet")
        self.sheet_button.clicked.connect(self.void_sheet)
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("voidStatus")
        # No printer at the table: each replacement full screen, for the person's phone.
        self.show_button = QPushButton()
        self.show_button.setObjectName("voidShowReplacement")
        self.show_button.setVisible(False)
        self.show_button.clicked.connect(self.show_replacement)
        self._to_show: list[tuple[str, str]] = []  # (code, caption) not shown yet
        self.code_screen: CodeScreen | None = None
        self._quiet = QTimer(self, singleShot=True, interval=QUIET_MS)
        self._quiet.timeout.connect(self._quiet_end)

        self.code_label = QLabel()
        self.code_label.setBuddy(self.code_edit)
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason_combo)
        entry = QHBoxLayout()
        entry.addWidget(self.code_edit, 1)
        entry.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow(self.code_label, entry)
        form.addRow(self.code_list)
        form.addRow(self.reason_label, self.reason_combo)
        form.addRow(self.replace_check)
        sheet_row = QHBoxLayout(self.sheet_box)
        self.sheet_label = QLabel()
        self.sheet_label.setBuddy(self.sheet_spin)
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_spin)
        sheet_row.addWidget(self.sheet_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.void_button)
        layout.addWidget(self.sheet_box)
        layout.addWidget(self.status)
        layout.addWidget(self.show_button)
        layout.addWidget(buttons)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.code_edit.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Void tickets"))
        self.code_label.setText(self.tr("Ticket &code:"))
        self.code_edit.setPlaceholderText(self.tr("Scan the ticket, or type its code"))
        self.code_edit.setAccessibleName(self.tr("Code of the ticket to void"))
        self.add_button.setText(self.tr("&Add"))
        self.code_list.setAccessibleName(self.tr("Tickets to void"))
        self.reason_label.setText(self.tr("&Reason:"))
        labels = {
            "lost": self.tr("Lost"),
            "stolen": self.tr("Stolen"),
            "damaged": self.tr("Damaged"),
        }
        for index in range(self.reason_combo.count()):
            self.reason_combo.setItemText(index, labels[str(self.reason_combo.itemData(index))])
        self.replace_check.setText(self.tr("&Issue a replacement (printed at once)"))
        self.void_button.setText(self.tr("&Void these tickets"))
        self.sheet_box.setTitle(self.tr("A pre-printed stock sheet went missing"))
        self.sheet_label.setText(self.tr("&Sheet number:"))
        self.sheet_button.setText(self.tr("Void &this sheet"))
        self.close_button.setText(self.tr("Close"))
        self.show_button.setText(self.tr("&Show the replacement on screen"))

    # --- codes in -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not (watched is self.code_edit and isinstance(event, QKeyEvent)):
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() in TERMINATORS:
            self.add_typed()
            return True
        if event.text():
            self._quiet.start()
        return False

    def _quiet_end(self) -> None:
        # A scanner without Enter: a whole code arrived. A person still typing: keep waiting.
        if codes.normalize(self.code_edit.text()) is not None:
            self.add_typed()

    def add_typed(self) -> None:
        self._quiet.stop()
        text = self.code_edit.text().strip()
        if not text:
            return
        self.code_edit.clear()
        self.take(text)

    def take(self, text: str) -> None:
        """A scanned or typed code: a ticket joins the list; anyone else's code goes to the
        desk (a guest scanned while the dialog is open is checked in there)."""
        canonical = codes.normalize(text)
        if canonical is not None and canonical[0] != codes.CodeKind.TICKET.value:
            self.notATicket.emit(text)
            return
        ticket = get_ticket(self._context.db, text) if canonical is not None else None
        if ticket is None:
            self.status.setText(self.tr("Not a ticket of this event: {code}").format(code=text))
            return
        if ticket.code in self.codes:
            return
        self.codes.append(ticket.code)
        states = {
            TicketState.ISSUED: self.tr("given out"),
            TicketState.UNASSIGNED: self.tr("not given out"),
            TicketState.REDEEMED: self.tr("used"),
            TicketState.VOID: self.tr("void already"),
        }
        self.code_list.addItem(
            self.tr("{type} No. {serial} ({state})").format(
                type=ticket.type_name,
                serial=ticket.serial,
                state=states.get(ticket.state, ticket.state),
            )
        )
        self.status.clear()

    # --- voiding --------------------------------------------------------------------------

    def void(self) -> Running | None:
        if not self.codes:
            self.status.setText(self.tr("Scan or type the code of a ticket first."))
            return None
        if not require_organiser(self._context, self):
            self.status.setText(self.tr("Locked: the organiser passphrase is needed."))
            return None
        db, station = self._context.db, self._context.station
        chosen, reason = list(self.codes), str(self.reason_combo.currentData())
        replace = self.replace_check.isChecked()
        return self._run(lambda: void_tickets(db, chosen, reason, replace=replace, station=station))

    def void_sheet(self) -> Running | None:
        if not require_organiser(self._context, self):
            self.status.setText(self.tr("Locked: the organiser passphrase is needed."))
            return None
        db, station = self._context.db, self._context.station
        sheet, reason = self.sheet_spin.value(), str(self.reason_combo.currentData())
        # A whole sheet at once, from one number typed: asked first (a tester voided one by
        # a single click); No is the default, so a scanner's Enter voids nothing.
        answer = QMessageBox.question(
            self,
            self.tr("Void a stock sheet"),
            self.tr(
                "Void every ticket of stock sheet {sheet} that was not used yet ({reason})?\n\n"
                "Ctrl+Z at this desk puts them back."
            ).format(sheet=sheet, reason=self.reason_combo.currentText()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.status.setText(self.tr("Nothing was voided."))
            return None
        return self._run(lambda: void_sheet(db, sheet, reason, station=station))

    def _run(self, work: Callable[[], VoidResult]) -> Running:
        self.void_button.setEnabled(False)
        self.sheet_button.setEnabled(False)
        self._task = (
            WriteOp(context=self._context, parent=self, op=work, success=self._done)
            .failure(self._failed)
            .run_in_background()
        )
        return self._task

    def _failed(self, reason: str) -> None:
        self.void_button.setEnabled(True)
        self.sheet_button.setEnabled(True)
        self.status.setText(self.tr("Nothing was voided: {reason}").format(reason=reason))

    def _done(self, result: VoidResult) -> None:
        self.void_button.setEnabled(True)
        self.sheet_button.setEnabled(True)
        self.outcome = result
        self._to_show = []
        self.show_button.setVisible(False)
        if result.unknown:
            self.status.setText(
                self.tr("Not a ticket of this event: {code}").format(code=", ".join(result.unknown))
            )
            return
        self.codes.clear()
        self.code_list.clear()
        lines = [
            self.tr("Voided: %n ticket(s).", "", len(result.voided))
            if result.sheet is None
            else self.tr("Sheet {sheet}: %n ticket(s) voided.", "", len(result.voided)).format(
                sheet=result.sheet
            )
        ]
        if result.used:
            lines.append(
                self.tr("Left as they are (used or given out): {tickets}").format(
                    tickets=", ".join(f"{t.type_name} No. {t.serial}" for t in result.used)
                )
            )
        if result.replacements:
            info = self._context.info
            date = info.date.isoformat() if info.date else ""
            faces = faces_for(info.name, date, result.replacements, event_logo(self._context.db))
            printed, message = self._printer.print_faces(faces)
            lines.append(
                self.tr("Replacements: {tickets}").format(
                    tickets=", ".join(f"{t.type_name} No. {t.serial}" for t in result.replacements)
                )
            )
            lines.append(message)
            if not printed:
                self._to_show = [
                    (t.code, f"{t.type_name} No. {t.serial}") for t in result.replacements
                ]
                self.show_button.setVisible(True)
        self.status.setText("\n".join(lines))
        holders = tuple(
            t.attendee_code for t in (*result.voided, *result.replacements) if t.attendee_code
        )
        self._context.notify_changed(Changes.of(Kind.TICKETS, attendees=holders))
        self.finishedVoid.emit(result)
        (self.show_button if self._to_show else self.code_edit).setFocus()

    def show_replacement(self) -> CodeScreen | None:
        """The next replacement not printed, full screen; any key closes it."""
        if not self._to_show:
            return None
        code, caption = self._to_show.pop(0)
        self.show_button.setVisible(bool(self._to_show))
        screen = CodeScreen(code, caption, self)
        screen.finished.connect(lambda _r: self.code_edit.setFocus())
        screen.showFullScreen()
        self.code_screen = screen
        return screen
