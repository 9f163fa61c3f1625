"""The person window: one household's fields, codes, tickets and history, and their edits.

Opened from the attendee list, the desk's card and the desk's search results. The organiser
lock guards everything but the attention flag and its note: locked, the window shows the
person's name (as the desk's card does) and the attention fields only. Every save is one edit
through checkin.people.edits (an audit entry that `checkin verify` replays and the station's
Undo reverts); what a change of household size means for the tickets is said under the form.
A scan while this window has the keyboard goes to the desk (the app's scan router); the window
stays open, holding the organiser's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.changes import Changes, Kind
from checkin.codes import format_human
from checkin.people.attendees import MAX_MEMBERS
from checkin.people.edits import EditResult, edit_person
from checkin.people.history import HistoryEntry
from checkin.people.person_record import PersonRecord, load_person
from checkin.ticketing import TicketState
from checkin.timefmt import local
from ui.common.live_texts import LiveTexts
from ui.common.person_names import localized_name
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running, WriteOp
from ui.core.organiser_lock import require_organiser

WIDTH, HEIGHT = 1100, 640  # inside a 1366x768 laptop's screen less its taskbar and title bar
COUNTS = ("adults", "kids", "seniors")
TEXTS = ("first_name", "last_name", "zip_code", "language", "phone", "email", "attention_note")


class PersonWindow(QDialog):
    saved = Signal(object)  # the EditResult of a save, once it is on disk

    def __init__(self, context: EventContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personWindow")
        self._context = context
        self.code = code
        self.record: PersonRecord | None = None
        self.last_edit: EditResult | None = None
        self._task: Running | None = None
        self.resize(WIDTH, HEIGHT)

        self.title = QLabel(wordWrap=True)
        self.title.setObjectName("personTitle")
        font = self.title.font()
        font.setPointSize(16)
        font.setBold(True)
        self.title.setFont(font)
        self.edits: dict[str, QLineEdit] = {}
        for name in TEXTS:
            self.edits[name] = QLineEdit()
            self.edits[name].setObjectName(f"person_{name}")
        self.counts: dict[str, QSpinBox] = {}
        for name in COUNTS:
            box = QSpinBox(minimum=0, maximum=MAX_MEMBERS)
            box.setObjectName(f"person_{name}")
            self.counts[name] = box
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("person_notes")
        self.notes.setMaximumHeight(64)
        self.attention = QCheckBox()
        self.attention.setObjectName("person_needs_attention")
        self.consent = QCheckBox()
        self.consent.setObjectName("person_consent")
        self.consent.toggled.connect(self._consent_toggled)
        self.tickets = _table(4, "personTickets")
        self.history = _table(4, "personHistory")
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("personStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("personUnlock")
        self.unlock_button.clicked.connect(self.unlock)
        self.save_button = QPushButton()
        self.save_button.setObjectName("personSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)

        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        self._row(form, "attention", self.attention)
        self._row(form, "attention_note", self.edits["attention_note"])
        self.details = QWidget()  # what the organiser lock hides
        details_form = QFormLayout(self.details)
        details_form.setContentsMargins(0, 0, 0, 0)
        for name in ("first_name", "last_name"):
            self._row(details_form, name, self.edits[name])
        household = QHBoxLayout()
        for name in COUNTS:
            label = QLabel()
            label.setBuddy(self.counts[name])
            self._labels[name] = label
            household.addWidget(label)
            household.addWidget(self.counts[name])
        household.addStretch(1)
        self._labels["household"] = QLabel()
        details_form.addRow(self._labels["household"], household)
        for name in ("zip_code", "language"):
            self._row(details_form, name, self.edits[name])
        self._row(details_form, "notes", self.notes)
        self._row(details_form, "consent", self.consent)
        for name in ("phone", "email"):
            self._row(details_form, name, self.edits[name])
        self.tickets_caption = QLabel()
        self.history_caption = QLabel()
        self.tickets_caption.setBuddy(self.tickets)
        self.history_caption.setBuddy(self.history)
        self.locked_label = QLabel(wordWrap=True)
        self.locked_label.setObjectName("personLocked")

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.locked_label)
        left.addWidget(self.details)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.tickets_caption)
        right.addWidget(self.tickets, 2)
        right.addWidget(self.history_caption)
        right.addWidget(self.history, 3)
        self.lists = QWidget()
        self.lists.setLayout(right)
        body = QGridLayout()
        body.addLayout(left, 0, 0)
        body.addWidget(self.lists, 0, 1)
        body.setColumnStretch(0, 1)
        body.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        # The desk's answer to a scan made while this window is open: on a laptop's screen it
        # covers the desk's banner (ui/desk/desk_page.py connects the two).
        self.answer = QLabel(wordWrap=True)
        self.answer.setObjectName("personAnswer")
        self.answer.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.answer)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        # A method, not a lambda: Qt drops the connection when the window is deleted.
        context.lockChanged.connect(self._lock_changed)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self._show_lock()
        self.load()

    def show_answer(self, text: str, background: str, foreground: str) -> None:
        self.answer.setStyleSheet(
            f"#personAnswer {{ background:{background}; color:{foreground}; font-size:14pt;"
            " font-weight:bold; border-radius:6px; padding:6px; }"
        )
        self.answer.setText(text)
        self.answer.show()

    def _row(self, form: QFormLayout, name: str, widget: QWidget) -> None:
        label = QLabel()
        label.setBuddy(widget)
        self._labels[name] = label
        form.addRow(label, widget)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Person"))
        self.answer.setAccessibleName(self.tr("Answer at the desk"))
        words = {
            "attention": self.tr("Needs &attention"),
            "attention_note": self.tr("Attention &note"),
            "first_name": self.tr("&First name"),
            "last_name": self.tr("&Last name"),
            "household": self.tr("Household"),
            "adults": self.tr("A&dults"),
            "kids": self.tr("&Kids"),
            "seniors": self.tr("S&eniors"),
            "zip_code": self.tr("&ZIP"),
            "language": self.tr("Preferred lan&guage"),
            "notes": self.tr("N&otes"),
            "consent": self.tr("Agreed to be &contacted"),
            "phone": self.tr("&Phone"),
            "email": self.tr("E&mail"),
        }
        for name, text in words.items():
            self._labels[name].setText(text)
        # The history names the fields an edit changed as the form does, not by their columns.
        self._field_words = {name: text.replace("&", "") for name, text in words.items()}
        self._field_words["needs_attention"] = self._field_words["attention"]
        self.edits["attention_note"].setPlaceholderText(self.tr("e.g. uses a wheelchair"))
        self.attention.setAccessibleName(self.tr("Needs attention"))
        self.consent.setAccessibleName(self.tr("Agreed to be contacted"))
        self.tickets_caption.setText(self.tr("Codes and &tickets"))
        self.history_caption.setText(self.tr("&History"))
        self.tickets.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Type"), self.tr("No."), self.tr("State")]
        )
        self.history.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Station"), self.tr("By"), self.tr("What")]
        )
        self.locked_label.setText(
            self.tr(
                "Locked: only the attention note can be set. Unlock organiser screens to see"
                " and correct everything else."
            )
        )
        self.unlock_button.setText(self.tr("&Unlock to edit everything…"))
        self.save_button.setText(self.tr("&Save"))
        self.close_button.setText(self.tr("Close"))
        if self.record is not None:
            self._fill(self.record)

    # --- lock -----------------------------------------------------------------------------

    @property
    def unlocked(self) -> bool:
        return self._context.organiser_unlocked

    def _lock_changed(self, _unlocked: bool) -> None:
        self._show_lock()

    def _show_lock(self) -> None:
        unlocked = self.unlocked
        self.details.setVisible(unlocked)
        self.lists.setVisible(unlocked)
        self.locked_label.setVisible(not unlocked)
        self.unlock_button.setVisible(not unlocked)
        if self.record is not None:
            self._fill(self.record)

    def unlock(self) -> None:
        if require_organiser(self._context, self):
            self._show_lock()

    # --- load and show --------------------------------------------------------------------

    def load(self) -> None:
        db, code = self._context.db, self.code
        self._task = (
            QueryOp(parent=self, op=lambda: load_person(db, code), success=self._loaded)
            .failure(self.status.setText)
            .run_in_background()
        )

    def _loaded(self, record: PersonRecord | None) -> None:
        if record is None:
            self.status.setText(self.tr("Nobody has this code any more"))
            self.save_button.setEnabled(False)
            return
        self.record = record
        self._fill(record)

    def _fill(self, record: PersonRecord) -> None:
        p = record.person
        self.title.setText(
            self.tr("{name}  ·  #{number}  ·  {code}").format(
                name=localized_name(p.display_name), number=p.number, code=format_human(p.code)
            )
        )
        self.attention.setChecked(p.needs_attention)
        self.edits["attention_note"].setText(p.attention_note)
        unlocked = self.unlocked
        # Locked, the personal fields hold nothing at all (not merely hidden).
        values: dict[str, Any] = {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "zip_code": p.zip_code,
            "language": p.language,
            "phone": p.phone,
            "email": p.email,
        }
        for name, value in values.items():
            self.edits[name].setText(value if unlocked else "")
        for name in COUNTS:
            self.counts[name].setValue(getattr(p, name))
        self.notes.setPlainText(p.notes if unlocked else "")
        self.consent.setChecked(p.consent if unlocked else False)
        self._consent_toggled(self.consent.isChecked())
        self.tickets.setRowCount(0)
        self.history.setRowCount(0)
        if not unlocked:
            return
        states = {
            TicketState.UNASSIGNED: self.tr("not handed out"),
            TicketState.ISSUED: self.tr("handed out"),
            TicketState.REDEEMED: self.tr("used"),
            TicketState.VOID: self.tr("void"),
        }
        rows = [(format_human(p.code), self.tr("Check-in code"), "", "")]
        rows += [
            (format_human(t.code), t.type_name, str(t.serial), states.get(t.state, t.state))
            for t in p.tickets
        ]
        _fill_table(self.tickets, rows)
        _fill_table(
            self.history,
            [
                (
                    f"{local(h.at):%Y-%m-%d %H:%M}",
                    h.station,
                    h.volunteer,
                    self._what(h) + (self.tr(" (undone)") if h.undone else ""),
                )
                for h in record.history
            ],
        )

    def _what(self, entry: HistoryEntry) -> str:
        words = {
            "attendee_added": self.tr("registered"),
            "attendees_imported": self.tr("registered (import)"),
            "attendee_updated": self.tr("edited"),
            "checked_in": self.tr("checked in"),
            "tickets_issued": self.tr("tickets issued"),
            "ticket_redeemed": self.tr("ticket redeemed"),
            "ticket_bound": self.tr("ticket handed out"),
            "ticket_voided": self.tr("ticket voided"),
            "campaign_recorded": self.tr("flyer recorded"),
            "prize_claimed": self.tr("prize claimed"),
            "undo": self.tr("undone"),
        }
        if entry.action == "undo":
            undid = words.get(entry.undid, entry.undid)
            return f"{words['undo']}: {undid}" if undid else words["undo"]
        word = words.get(entry.action, entry.action.replace("_", " "))
        particulars = entry.particulars
        if entry.action == "attendee_updated" and particulars:
            fields = particulars.split(", ")
            particulars = ", ".join(self._field_words.get(f, f) for f in fields)
        return f"{word}: {particulars}" if particulars else word

    def _consent_toggled(self, on: bool) -> None:
        for name in ("phone", "email"):
            self.edits[name].setEnabled(on)

    # --- save -----------------------------------------------------------------------------

    def changed_fields(self) -> dict[str, Any]:
        """What the form says that differs from the household as loaded; locked, the
        attention fields only."""
        if self.record is None:
            return {}
        p = self.record.person
        now: dict[str, Any] = {
            "needs_attention": self.attention.isChecked(),
            "attention_note": self.edits["attention_note"].text().strip(),
        }
        if self.unlocked:
            now.update({name: self.edits[name].text().strip() for name in TEXTS})
            now.update({name: self.counts[name].value() for name in COUNTS})
            now["notes"] = self.notes.toPlainText().strip()
            now["consent"] = self.consent.isChecked()
            if not now["consent"]:
                now["phone"], now["email"] = "", ""
        return {name: value for name, value in now.items() if getattr(p, name) != value}

    def save(self) -> None:
        fields = self.changed_fields()
        if not fields:
            self.status.setText(self.tr("Nothing changed"))
            return
        db, code, station = self._context.db, self.code, self._context.station
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self._task = (
            WriteOp(
                context=self._context,
                parent=self,
                op=lambda: edit_person(db, code, station, **fields),
                success=self._saved,
            )
            .failure(self._failed)
            .run_in_background()
        )

    def _failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Not saved: {reason}").format(reason=message))

    def _saved(self, result: EditResult) -> None:
        self.last_edit = result
        self.save_button.setEnabled(True)
        lines = [self.tr("Saved.")]
        lines += [
            self.tr("{type} tickets due: {before} → {after}").format(
                type=d.type_name, before=d.before, after=d.after
            )
            + (
                self.tr(" ({held} already handed over stay with the household)").format(held=d.held)
                if d.held > d.after
                else ""
            )
            for d in result.dues
        ]
        self.status.setText("\n".join(lines))
        self._context.notify_changed(Changes.of(Kind.ATTENDEES, attendees=(self.code,)))
        self.saved.emit(result)
        self.load()


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _fill_table(table: QTableWidget, rows: Sequence[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


def open_person(context: EventContext, code: str, parent: QWidget | None = None) -> PersonWindow:
    """Show the person window (not modal: the desk behind it keeps scanning)."""
    window = PersonWindow(context, code, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
