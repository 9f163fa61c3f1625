"""The desk page: scan field, result banner, search, the person on screen, activity, counters.

Also the resource-station mode: pick a ticket type and every scan redeems it. Focus goes back
to the scan field after every action so the next scan never lands anywhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from checkin import codes
from checkin.changes import Changes, Kind, of_scan
from checkin.clean_text import clean_text
from checkin.event import events
from checkin.event.logo import event_logo
from checkin.paper.ticket_pdf import faces_for, split_for_reprint
from checkin.people import attendees, attention, desk_privacy
from checkin.results import AttendeeInfo, ScanResult, ScanState, Station, StationMode, Tone
from checkin.store import Database
from checkin.ticketing import HELD_STATES, TicketKind
from checkin.ticketing.tickets import list_ticket_types
from ui.camera.camera_panel import CameraPanel
from ui.common.live_texts import LiveTexts
from ui.core import station_settings
from ui.core.bind_guard import BindGuard, is_ticket_code
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running
from ui.core.setting_keys import LaptopSetting
from ui.desk.activity_panel import ActivityPanel
from ui.desk.banner import ResultBanner
from ui.desk.card_timer import CardTimer
from ui.desk.code_screen import CodeScreen
from ui.desk.counters_panel import CountersPanel
from ui.desk.person_panel import PersonPanel
from ui.desk.scan_field import ScanField
from ui.desk.search_results import SearchResults
from ui.desk.sounds import SoundBank
from ui.desk.walkup_dialog import WalkupDialog
from ui.paper.ticket_printer import TicketPrinter
from ui.people.person_window import PersonWindow, open_person


@dataclass(frozen=True)
class _BindQuestion:
    code: str  # as scanned
    result: ScanResult  # the stock ticket's "not given to anyone yet", not bound
    person: AttendeeInfo  # on the card when it was scanned


class DeskPage(QWidget):
    scanResult = Signal(object)  # every ScanResult shown, for the status bar's server check

    def __init__(
        self, context: EventContext, sounds: SoundBank, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.scan = ScanField()
        font = self.scan.font()
        font.setPointSize(18)
        self.scan.setFont(font)
        self.banner = ResultBanner(sounds)
        self.banner.organiser = lambda: context.organiser_unlocked
        self.results = SearchResults(context.db, volunteer=lambda: not context.organiser_unlocked)
        self.person = PersonPanel()
        self.person.organiser = lambda: context.organiser_unlocked
        context.lockChanged.connect(self._lock_changed)
        self.card_timer = CardTimer()
        self.bind_guard = BindGuard()
        self._question: _BindQuestion | None = None  # "Give to Latoya Miller?" while asked
        self.card_timer.expired.connect(lambda: self._show_card(None))
        self.activity = ActivityPanel(context)
        self.counters = CountersPanel(context)
        self.camera = CameraPanel()
        self._walkup: WalkupDialog | None = None  # the walk-up form, while it is open

        self.station_name = QLineEdit(context.station.name)
        self.volunteer = QLineEdit(context.station.volunteer)
        for field in (self.station_name, self.volunteer):
            field.setMinimumWidth(110)
        self.mode = QComboBox()
        self.ticket_type = QComboBox()
        for combo in (self.mode, self.ticket_type):
            # Wide enough for the longest entry in the current language ("Estación de recursos"
            # was cut after a switch to Spanish).
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.walkup_button = QPushButton()
        self.print_button = QPushButton()
        self.show_button = QPushButton()
        self.person_button = QPushButton()
        self.person_button.setObjectName("personButton")
        self.printer = TicketPrinter(self)
        self._station_labels = [QLabel(), QLabel(), QLabel()]
        # Three columns, so that everything fits a 1366x768 laptop with a taskbar, in Spanish
        # and in high contrast too: the scan column (station, scan field, banner, search, the
        # counters), the person being served (card, QR, Print, Show), and the station's
        # activity with Undo, and the camera. The station's details take two short rows. No
        # splitter inside a column: a box layout gives wrapped text the height it needs.
        who = QHBoxLayout()
        where = QHBoxLayout()
        for row, label, widget in zip(
            (who, who, where),
            self._station_labels,
            (self.station_name, self.volunteer, self.mode),
            strict=True,
        ):
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1)
        where.addWidget(self.ticket_type, 1)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(self.walkup_button)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(who)
        column.addLayout(where)
        column.addLayout(scan_row)
        column.addWidget(self.results.hint)  # why a volunteer's few letters list nobody
        column.addWidget(self.banner)
        column.addWidget(self.person.note)  # the card's attention note, in the wide column
        column.addWidget(self.results, 1)
        column.addWidget(self.counters)
        person_box = QWidget()
        person_column = QVBoxLayout(person_box)
        person_column.setContentsMargins(0, 0, 0, 0)
        person_column.addWidget(self.person, 1)
        person_column.addWidget(self.card_timer)
        person_column.addWidget(self.print_button)
        person_column.addWidget(self.show_button)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.activity, 1)
        # The person window of the card's person: here, where the activity list gives up the
        # height (the card's column has none to spare at 1366x768 in Spanish, high contrast).
        right_column.addWidget(self.person_button)
        right_column.addWidget(self.camera)
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(person_box)
        split.addWidget(right)
        # Spare width goes to the scan column and the person's card (a bigger QR code is
        # easier to photograph).
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 3)
        QVBoxLayout(self).addWidget(split)

        self.scan.scanned.connect(self.handle_input)
        self.scan.emptyEnter.connect(self._give_asked_ticket)
        self.camera.scanned.connect(self.take_scan)  # the same pipeline as the scanner
        remembered = QSettings().value(LaptopSetting.CAMERA_ID)
        if isinstance(remembered, bytes | bytearray):
            self.camera.set_camera_id(bytes(remembered))
        self.camera.devices.currentIndexChanged.connect(
            lambda _i: QSettings().setValue(LaptopSetting.CAMERA_ID, self.camera.camera_id())
        )
        self.scan.searchChanged.connect(self.results.search)
        self._enter_before_search: str | None = None
        self.results.updated.connect(self._searched)
        self.scan.navigate.connect(self.results.step)
        self.results.chosen.connect(self.check_in_code)
        self.walkup_button.clicked.connect(self.walkup)
        self.print_button.clicked.connect(self.print_tickets)
        self.show_button.clicked.connect(self._show_menu)
        self.person_button.clicked.connect(lambda: self.open_person())
        QShortcut(QKeySequence("F4"), self, lambda: self.open_person())
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_tickets)
        self.activity.undone.connect(self._undone)
        self.activity.ended.connect(self.focus_scan)
        self.activity.nothingToUndo.connect(
            lambda text: self.banner.show_message(Tone.WARNING, text)
        )
        for widget in (self.station_name, self.volunteer):
            widget.editingFinished.connect(self._station_edited)
        self.mode.currentIndexChanged.connect(self._station_edited)
        self.ticket_type.currentIndexChanged.connect(self._station_edited)
        # A choice made in a drop-down leaves the focus there, where the next scan would be
        # lost: give it back to the scan field.
        self.mode.activated.connect(lambda _index: self.focus_scan())
        self.ticket_type.activated.connect(lambda _index: self.focus_scan())
        QShortcut(QKeySequence("F2"), self, self.walkup)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_scan)
        self._types_task: Running | None = None
        context.changed.connect(self._changed)
        context.scans.saving.connect(self._saving)
        context.scans.failed.connect(self._write_failed)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self._reload_types()
        self._sync_mode_widgets()

    # --- input ---------------------------------------------------------------------------

    def take_scan(self, text: str) -> None:
        """A scanner burst (the app's scan router sends every one here, wherever the focus
        was): always a scan, never a pick from the search results. With the walk-up form open
        the person turned out to have a code: the form closes, nothing is registered."""
        if _typed_fast(text):
            # A name typed very fast on a busy laptop arrives like a burst: it searches, as
            # typed text does (nobody found: the answer a code would get).
            self.scan.setText(text)
            self.handle_input(text)
            return
        if self._walkup is not None:
            self._walkup.reject()
        self.scan.clear()
        self.results.clear_query()
        self._scan(text)

    def handle_input(self, text: str) -> None:
        """Enter after typing: a code scans; typed search text picks the result. A name typed
        with a quick Enter (before its search ran) searches: the next Enter picks."""
        chosen = self.results.selected_code()
        if codes.normalize(text) is None:
            if chosen and text.strip() == self.results.query:
                self.check_in_code(chosen)
                return
            if text.strip() != self.results.query and _looks_like_a_name(text):
                self.scan.setText(text)
                self._enter_before_search = text.strip()
                self.results.search(text)
                return
        self._scan(text)

    @property
    def waiting_for_search(self) -> bool:
        """Whether a typed Enter waits for its search (a quick typist's name)."""
        return self._enter_before_search is not None

    def _searched(self, count: int) -> None:
        """A search that a quick Enter started found nobody: then it was meant as a code."""
        pending, self._enter_before_search = self._enter_before_search, None
        if pending is not None and count == 0 and pending == self.results.query:
            self.scan.clear()
            self._scan(pending)

    def _scan(self, text: str) -> None:
        # A new scan while "Give to ...?" is up is the next scan: the question goes unanswered
        # and its ticket stays unbound.
        self._question = None
        engine = self.context.engine
        held_back: list[AttendeeInfo] = []

        def make_work() -> Callable[[], ScanResult]:
            # When its turn comes: the person on screen is the one the answers before it left.
            station = self.context.station
            person = self.person.person
            current = person.code if person else None
            if person is not None and is_ticket_code(text):
                question = station_settings.bind_question(self.context.info.uid)
                if self.bind_guard.must_ask(person.code, question):
                    # Scanned for nobody: a stock ticket comes back "not given to anyone yet"
                    # unbound, and the desk asks; any other ticket answers as it always does.
                    held_back.append(person)
                    current = None
            return lambda: engine.scan(text, station, current_attendee=current)

        self.context.scans.submit(make_work, lambda result: self._answered(text, result, held_back))

    def _answered(self, text: str, result: ScanResult, held_back: list[AttendeeInfo]) -> None:
        shown = self.person.person
        if (
            held_back
            and result.state is ScanState.UNASSIGNED
            and result.ticket is not None
            and shown is not None
            and shown.code == held_back[0].code
        ):
            self._ask_before_giving(_BindQuestion(text, result, shown))
            return
        self.show_result(result)

    def _ask_before_giving(self, question: _BindQuestion) -> None:
        """One key: Enter gives the ticket to the person on screen, Esc clears the card."""
        self._question = question
        ticket = question.result.ticket
        assert ticket is not None
        self.banner.show_question(
            self.tr("Give {type} ticket No. {serial} to {name}?").format(
                type=ticket.type_name, serial=ticket.serial, name=question.person.display_name
            ),
            self.tr("Enter = yes, Esc = new person"),
        )
        self.card_timer.restart()  # the full time to answer
        self.focus_scan()

    def _give_asked_ticket(self) -> None:
        question, self._question = self._question, None
        if question is None:
            return
        engine, code = self.context.engine, question.code
        person = question.person.code

        def make_work() -> Callable[[], ScanResult]:
            station = self.context.station
            return lambda: engine.scan(code, station, current_attendee=person)

        self.context.scans.submit(make_work, self.show_result)

    def check_in_code(self, code: str) -> None:
        engine = self.context.engine

        def make_work() -> Callable[[], ScanResult]:
            station = self.context.station
            return lambda: engine.check_in(code, station)

        self.context.scans.submit(make_work, self.show_result)

    def _saving(self) -> None:
        self.banner.show_saving()

    def _write_failed(self, message: str) -> None:
        self.banner.show_message(Tone.ERROR, self.tr("NOT saved: scan again"), message)

    def show_result(self, result: ScanResult) -> None:
        """A scan's answer, on disk already: the card it carries is the person's full card."""
        self._question = None  # a later answer replaces an unanswered question
        self.banner.show_result(result)
        self.activity.add(result)
        if result.attendee is not None and self._moves_to(result):
            self._show_card(result.attendee)
        elif _unrelated_error(result):
            self._show_card(None)  # a red banner never stands beside someone else's card
        self.results.clear_query()
        self.scanResult.emit(result)
        self.context.notify_changed(of_scan(result))
        self.focus_scan()

    def _show_card(self, person: AttendeeInfo | None) -> None:
        """The person being served, for the set time (Setup → Stations), with a countdown."""
        question = self._question
        if question is not None and (person is None or person.code != question.person.code):
            # Esc ("new person") or the card's time ran out: the ticket stays unbound, and the
            # banner says what to do with it (scan the person first, then the ticket).
            self._question = None
            self.banner.show_result(question.result)
        self.bind_guard.card_shown(person.code if person else None)
        self.person.show_person(person)
        if person is None:
            self.card_timer.stop()
        else:
            self.card_timer.restart()

    def _moves_to(self, result: ScanResult) -> bool:
        """Whether the card should now show the person the result names. A ticket of someone
        else's that is refused here (a stock ticket handed out before) keeps the person being
        served on screen: the banner names the holder, and the next stock ticket scanned must
        still go to the person at the table."""
        shown = self.person.person
        if shown is None or result.attendee is None or result.attendee.code == shown.code:
            return True
        return result.ticket is None or result.ok

    def walkup(self) -> None:
        dialog = WalkupDialog(self)
        self._walkup = dialog
        try:
            accepted = dialog.exec() == WalkupDialog.DialogCode.Accepted
        finally:
            self._walkup = None
        if not accepted:
            self.focus_scan()
            return
        db, station, fields = self.context.db, self.context.station, dialog.fields()

        def make_work() -> Callable[[], ScanResult]:
            # Registered and checked in by the writer, in turn with the scans around it.
            return lambda: engine.check_in(attendees.register(db, station, **fields).code, station)

        engine = self.context.engine
        self.context.scans.submit(make_work, self.show_result)

    def print_tickets(self) -> None:
        """Print the unused tickets of the person on screen (the printer is asked for once);
        used ones are named in the banner, never printed as if new."""
        person = self.person.person
        if person is None:
            self.banner.show_message(Tone.WARNING, self.tr("Scan or pick a person first"))
            return
        # Read afresh: the card may predate a redemption at a resource station.
        person = attendees.get_attendee(self.context.db, person.code) or person
        unused, used = split_for_reprint(person.tickets)
        left_out = ""
        if used:
            names = ", ".join(
                self.tr("%1 No. %2").replace("%1", t.type_name).replace("%2", str(t.serial))
                for t in used
            )
            left_out = self.tr("Not printed, used or cancelled: %1").replace("%1", names)
        if not unused:
            self.banner.show_message(Tone.WARNING, self.tr("Nothing to print"), left_out)
            self.focus_scan()
            return
        info = self.context.info
        date = info.date.isoformat() if info.date else ""
        logo = event_logo(self.context.db)
        printed, message = self.printer.print_faces(faces_for(info.name, date, unused, logo))
        self.banner.show_message(
            Tone.SUCCESS if printed else Tone.WARNING,
            self.tr("Print tickets"),
            "\n".join(part for part in (message, left_out) if part),
        )
        self.focus_scan()

    def show_code(self, code: str | None = None, caption: str = "") -> CodeScreen | None:
        """The person's code (or one of their tickets) full screen, for a phone photo."""
        person = self.person.person
        if person is None:
            self.banner.show_message(Tone.WARNING, self.tr("Scan or pick a person first"))
            return None
        screen = CodeScreen(code or person.code, caption or person.display_name, self)
        screen.finished.connect(lambda _r: self.focus_scan())
        screen.showFullScreen()
        return screen

    def _show_menu(self) -> None:
        person = self.person.person
        if person is None or not person.tickets:
            self.show_code()
            return
        menu = QMenu(self)
        menu.addAction(
            self.tr("Check-in code of {name}").format(name=person.display_name),
            lambda: self.show_code(),
        )
        for ticket in person.tickets:
            if ticket.state in HELD_STATES:
                caption = self.tr("{type} ticket No. {serial}").format(
                    type=ticket.type_name, serial=ticket.serial
                )
                menu.addAction(caption, functools.partial(self.show_code, ticket.code, caption))
        menu.popup(self.show_button.mapToGlobal(self.show_button.rect().bottomLeft()))

    def open_person(self, code: str | None = None) -> PersonWindow | None:
        """The person window of ``code``, else of the search result picked, else of the
        person on the card."""
        if code is None and self.results.count():
            code = self.results.selected_code()
        if code is None and self.person.person is not None:
            code = self.person.person.code
        if code is None:
            self.banner.show_message(Tone.WARNING, self.tr("Scan or pick a person first"))
            return None
        window = open_person(self.context, code, self)
        self.banner.answered.connect(window.show_answer)  # it covers the banner
        return window

    def undo(self) -> None:
        self.activity.undo_last()
        self.focus_scan()

    def _undone(self, what: str) -> None:
        self._question = None  # the undo's answer, not the question's, stays on the banner
        self.banner.show_message(Tone.WARNING, self.tr("Undone"), what)
        self._show_card(None)

    def focus_scan(self) -> None:
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: object) -> None:  # Esc anywhere on the page clears
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self._show_card(None)
            self.results.clear()
            self.focus_scan()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    # --- station ---------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.TICKET_TYPES, Kind.SETUP):
            db = self.context.db
            self._types_task = QueryOp(
                parent=self, op=lambda: _resource_names(db), success=self._show_types
            ).run_in_background()
        if changes.touches(Kind.SETUP):  # how long the card shows (Setup → Stations)
            db = self.context.db
            QueryOp(
                parent=self, op=lambda: events.card_seconds(db), success=self._set_card_seconds
            ).run_in_background()
            QueryOp(  # Setup → Stations too
                parent=self,
                op=lambda: desk_privacy.desk_search_rule(db),
                success=lambda value: setattr(self.results, "rule", value),
            ).run_in_background()
            QueryOp(
                parent=self, op=lambda: attention.readers(db), success=self._set_attention_readers
            ).run_in_background()
        shown = self.person.person
        if shown is not None and shown.code in changes.attendees:
            # Edited in the person window: the card shows the household as it is now.
            db, code = self.context.db, shown.code
            QueryOp(
                parent=self, op=lambda: attendees.get_attendee(db, code), success=self._refresh_card
            ).run_in_background()

    def _lock_changed(self, _unlocked: bool) -> None:
        self.person.show_person(self.person.person)  # the attention note's text or not

    def _set_attention_readers(self, readers: attention.Readers) -> None:
        self.person.attention_readers = readers
        self.person.show_person(self.person.person)

    def _refresh_card(self, person: AttendeeInfo | None) -> None:
        shown = self.person.person
        if person is not None and shown is not None and shown.code == person.code:
            self.person.show_person(person)

    def _set_card_seconds(self, seconds: int) -> None:
        self.card_timer.seconds = seconds

    def _reload_types(self) -> None:
        self.card_timer.seconds = events.card_seconds(self.context.db)
        self.person.attention_readers = attention.readers(self.context.db)
        self._show_types(_resource_names(self.context.db))

    def _show_types(self, names: list[str]) -> None:
        current = self.ticket_type.currentText()
        if names == [self.ticket_type.itemText(i) for i in range(self.ticket_type.count())]:
            return
        self.ticket_type.blockSignals(True)
        self.ticket_type.clear()
        self.ticket_type.addItems(names)
        if current in names:
            self.ticket_type.setCurrentText(current)
        self.ticket_type.blockSignals(False)

    def _station_edited(self) -> None:
        mode = StationMode(self.mode.currentData() or StationMode.DESK.value)
        station = Station(
            clean_text(self.station_name.text()) or self.context.station.name,
            mode,
            self.ticket_type.currentText() or None if mode is StationMode.RESOURCE else None,
            # Never nobody: a cleared name keeps the last volunteer until the next one types theirs.
            clean_text(self.volunteer.text()) or self.context.station.volunteer,
        )
        self.context.set_station(station)
        for field, value in (
            (self.station_name, station.name),
            (self.volunteer, station.volunteer),
        ):
            if not field.text().strip():
                field.setText(value)
        self._sync_mode_widgets()

    def _sync_mode_widgets(self) -> None:
        self.person.set_station(self.context.station)
        resource = self.context.station.mode is StationMode.RESOURCE
        self.ticket_type.setVisible(resource)
        self.walkup_button.setVisible(not resource)
        self.banner.set_walkups(not resource)

    def retranslate(self) -> None:
        # Letters the menu bar does not use (Alt+S is the Station menu, Alt+V the View menu).
        texts = (self.tr("S&tation"), self.tr("Volu&nteer"), self.tr("&Mode"))
        for label, text in zip(self._station_labels, texts, strict=True):
            label.setText(text)
        self.station_name.setAccessibleName(self.tr("Station name"))
        self.volunteer.setAccessibleName(self.tr("Volunteer first name"))
        self.volunteer.setPlaceholderText(self.tr("your first name"))
        self.mode.setAccessibleName(self.tr("Station mode"))
        self.ticket_type.setAccessibleName(self.tr("Ticket type this station gives out"))
        self.walkup_button.setText(self.tr("Walk-up (F2)"))
        self.walkup_button.setAccessibleName(self.tr("Register a walk-up"))
        self.print_button.setText(self.tr("&Print tickets (Ctrl+P)"))
        self.print_button.setAccessibleName(self.tr("Print the unused tickets of this person"))
        self.show_button.setText(self.tr("Show &code full screen"))
        self.show_button.setAccessibleName(self.tr("Show this person's code full screen"))
        self.person_button.setText(self.tr("Person (F4)"))
        self.person_button.setAccessibleName(
            self.tr("Open the person window: details, tickets, history, attention note")
        )
        current = self.context.station.mode.value
        self.mode.blockSignals(True)
        self.mode.clear()
        self.mode.addItem(self.tr("Check-in desk"), StationMode.DESK.value)
        self.mode.addItem(self.tr("Resource station"), StationMode.RESOURCE.value)
        self.mode.setCurrentIndex(max(0, self.mode.findData(current)))
        self.mode.blockSignals(False)


def _resource_names(db: Database) -> list[str]:
    return [t.name for t in list_ticket_types(db) if t.kind == TicketKind.RESOURCE]


def _unrelated_error(result: ScanResult) -> bool:
    """A red answer about no one (not a code, unknown, another event's): the card clears. A
    refused ticket keeps the person being served; so does a scan that was NOT saved (scan it
    again for the same person)."""
    return (
        result.tone is Tone.ERROR
        and result.attendee is None
        and result.ticket is None
        and result.state is not ScanState.NOT_SAVED
    )


def _looks_like_a_name(text: str) -> bool:
    """Typed words (a lower-case letter, or a space between words), not a barcode or a number
    typed by hand: those are scanned as they are."""
    stripped = text.strip()
    words = " " in stripped and any(ch.isalpha() for ch in stripped)
    return words or any(ch.islower() for ch in stripped)


def _typed_fast(text: str) -> bool:
    """Words only (letters, spaces, hyphens, apostrophes, some lower case): a name, never a
    code, a barcode or what else scanners send (URLs, Wi-Fi and vCard payloads)."""
    stripped = text.strip()
    letters = [ch for ch in stripped if ch not in " -'’"]
    return bool(letters) and all(ch.isalpha() for ch in letters) and _looks_like_a_name(stripped)
