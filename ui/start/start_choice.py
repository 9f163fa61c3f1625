"""First run, or no event file yet: open the demo, create an event, or open a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.after_event import retention
from checkin.demo import create_demo
from checkin.event import events
from checkin.event_templates import BLOCK_PARTY, EMPTY, apply_template
from checkin.paths import data_dir
from checkin.private_files import private_folder
from checkin.store import Database, open_database
from ui.common.failure_texts import explain
from ui.common.live_texts import LiveTexts
from ui.core import appearance
from ui.start.first_launch import LANGUAGE_NAMES

FILE_FILTER = "Event files (*.checkin *.db *.sqlite);;All files (*)"


class StartChoice(QDialog):
    """Returns the chosen event file in ``location`` when accepted."""

    def __init__(self, default: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default = default
        self.location: str | None = None
        self.database: Database | None = None  # a joined event, already open
        self.station = ""  # the name the station joined with
        self.volunteer = ""  # and who is at it
        self.created_new = False  # a new event was made here: show its setup checklist
        layout = QVBoxLayout(self)
        # The language first: the volunteer may not read English.
        self.language = QComboBox()
        for code in appearance.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(appearance.language())))
        self.language.currentIndexChanged.connect(
            lambda _i: appearance.set_language(str(self.language.currentData()))
        )
        layout.addWidget(self.language)
        self.welcome = QLabel()
        layout.addWidget(self.welcome)
        self.demo_button = QPushButton()
        self.new_button = QPushButton()
        self.open_button = QPushButton()
        self.join_button = QPushButton()
        self.server_button = QPushButton()
        for button in (
            self.demo_button,
            self.new_button,
            self.open_button,
            self.join_button,
            self.server_button,
        ):
            button.setMinimumHeight(44)
            layout.addWidget(button)
        self.demo_button.clicked.connect(self.choose_demo)
        self.new_button.clicked.connect(self.choose_new)
        self.open_button.clicked.connect(self.choose_file)
        self.server_button.clicked.connect(self.choose_server)
        self.join_button.clicked.connect(self.choose_join)
        self.demo_button.setDefault(True)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("checkin: choose an event"))
        self.language.setAccessibleName(self.tr("Language"))
        self.welcome.setText(self.tr("Welcome! Which event do you want to work on?"))
        self.demo_button.setText(self.tr("Open the &demo event (to try it out or train)"))
        self.new_button.setText(self.tr("Create a &new event…"))
        self.open_button.setText(self.tr("&Open an event file…"))
        self.join_button.setText(self.tr("&Join an event on this network…"))
        self.server_button.setText(self.tr("Connect to a &shared server…"))

    def choose_demo(self) -> None:
        path = self.default.with_name("demo.checkin")
        try:
            if not path.exists():
                private_folder(path.parent)
                create_demo(path).dispose()
        except Exception as exc:
            QMessageBox.warning(self, self.tr("Demo event"), explain(exc))
            return
        self._done(path)

    def choose_new(self) -> None:
        form = NewEventDialog(self.default, self)
        if form.exec() == QDialog.DialogCode.Accepted and form.created is not None:
            self.created_new = True
            self._done(form.created)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open an event file"), str(self.default.parent), FILE_FILTER
        )
        if path:
            self._done(Path(path))

    def choose_join(self) -> None:
        """An event hosted by another laptop (File > Host this event on the network)."""
        from ui.start.join_dialog import JoinDialog

        dialog = JoinDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.database is not None:
            self.database = dialog.database
            self.station = dialog.station
            self.volunteer = dialog.volunteer_name
            self.location = self.tr("joined: {station}").format(station=dialog.station)
            self.accept()

    def choose_server(self) -> None:
        """A PostgreSQL server on the local network (docs/multi-station.md)."""
        url, ok = QInputDialog.getText(
            self,
            self.tr("Shared server"),
            self.tr(
                "Database address, e.g. postgresql+psycopg://checkin:PASSWORD@192.168.1.10/party"
            ),
        )
        url = url.strip()
        if ok and url:
            if not url.startswith("postgresql"):
                QMessageBox.warning(
                    self,
                    self.tr("Shared server"),
                    self.tr("The address starts with postgresql+psycopg://"),
                )
                return
            self.location = url
            self.accept()

    def _done(self, path: Path) -> None:
        self.location = str(path)
        self.accept()


class NewEventDialog(QDialog):
    def __init__(self, default: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.created: Path | None = None
        self.setWindowTitle(self.tr("New event"))
        self.name = QLineEdit()
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.place = QLineEdit()
        self.retention = QSpinBox()
        self.retention.setRange(0, retention.MAX_DAYS)
        self.retention.setValue(retention.DEFAULT_DAYS)
        self.retention.setSuffix(self.tr(" days after the event"))
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.file = QLineEdit(
            str(default if not default.exists() else default.with_name("event-2.checkin"))
        )
        self.template = QComboBox()
        self.template.addItem(
            self.tr("Block party: Raffle, Meal, Backpack and Resource referral tickets"),
            BLOCK_PARTY,
        )
        self.template.addItem(self.tr("Empty: I set up the ticket types myself"), EMPTY)
        form = QFormLayout(self)
        for label, widget in (
            (self.tr("&Start from"), self.template),
            (self.tr("Event &name"), self.name),
            (self.tr("&Date"), self.when),
            (self.tr("&Location"), self.place),
            (self.tr("Personal data &kept for"), self.retention),
            (self.tr("Organiser &passphrase"), self.passphrase),
            (self.tr("Passphrase &again"), self.again),
            (self.tr("&File"), self.file),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label, widget)
        form.addRow(QLabel(self.tr("The passphrase locks setup, the attendee list and exports.")))
        form.addRow(
            QLabel(
                self.tr(
                    "On that day the app asks to delete names, phones and emails, with the"
                    " backups and copies it made; the counts and the report stay."
                )
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _create(self) -> None:
        if not self.name.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("The event needs a name."))
            return
        if self.passphrase.text() != self.again.text():
            QMessageBox.warning(self, self.windowTitle(), self.tr("The passphrases differ."))
            return
        if self.passphrase.text() and events.passphrase_too_weak(self.passphrase.text()):
            # Guessing a short one takes minutes, even through the app's waits.
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("The passphrase needs at least 8 characters (or 4 words)."),
            )
            return
        path = Path(self.file.text()).expanduser()
        if path.exists() and path.stat().st_size:
            QMessageBox.warning(self, self.windowTitle(), self.tr("That file already exists."))
            return
        qdate = self.when.date()
        try:
            private_folder(path.parent)
            db = open_database(path, create=True)
            events.create_event(
                db,
                self.name.text(),
                event_date=date(qdate.year(), qdate.month(), qdate.day()),
                location=self.place.text(),
                passphrase=self.passphrase.text(),
                retention_days=self.retention.value(),
            )
            # Named in the language the organiser works in (checkin/event_templates.py).
            apply_template(db, str(self.template.currentData()), appearance.language())
            db.dispose()
        except Exception as exc:
            QMessageBox.warning(self, self.windowTitle(), explain(exc))
            return
        self.created = path
        self.accept()


def default_location() -> Path:
    return data_dir() / "event.checkin"
