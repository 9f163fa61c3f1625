"""Join an event hosted on this network: the events zeroconf finds, the join code (typed, or
read from the host's screen with the USB scanner or the webcam), the volunteer's first name and
this station's name (no scan is recorded without a volunteer). On success
``database`` is the joined station's database (the server, and this laptop's copy when the
Wi-Fi drops: checkin.hosting.failover)."""

from __future__ import annotations

import socket

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin.hosting.discovery import FoundEvent, browse
from checkin.hosting.failover import FailoverDatabase, join_station
from checkin.hosting.join_code import JoinCodeError, parse_join_code
from checkin.hosting.joining import resolve_join, with_station_name
from ui.camera.camera_panel import CameraPanel
from ui.core.ops import QueryOp, Running


def join_location(code: str, found: list[FoundEvent], station: str) -> FailoverDatabase:
    """Off the GUI thread: find the event, connect, make this laptop's copy."""
    url = resolve_join(code, found or None)
    return join_station(with_station_name(url, station), station)


class JoinDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, browse_now: bool = True) -> None:
        super().__init__(parent)
        self.database: FailoverDatabase | None = None
        self.station = ""
        self.volunteer_name = ""
        self.found: list[FoundEvent] = []
        self._task: Running | None = None
        self.setWindowTitle(self.tr("Join an event on this network"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Events hosted on this network:")))
        self.events = QListWidget()
        self.events.setAccessibleName(self.tr("Events hosted on this network"))
        self.events.setMinimumHeight(110)
        layout.addWidget(self.events)
        self.search_button = QPushButton(self.tr("&Look again"))
        self.search_button.clicked.connect(self.look)
        layout.addWidget(self.search_button, alignment=Qt.AlignmentFlag.AlignLeft)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JK12")
        self.code.setAccessibleName(self.tr("Join code"))
        self.name = QLineEdit(socket.gethostname().split(".")[0] or "station")
        self.name.setAccessibleName(self.tr("This station's name"))
        self.volunteer = QLineEdit()
        self.volunteer.setAccessibleName(self.tr("Volunteer first name"))
        form.addRow(self.tr("Join &code (type it, or scan the host's QR)"), self.code)
        form.addRow(self.tr("Your &first name"), self.volunteer)
        form.addRow(self.tr("This &station's name"), self.name)
        layout.addLayout(form)
        # The webcam reads the QR on the host's screen (Start camera, hold the laptop up to it).
        self.camera = CameraPanel()
        self.camera.scanned.connect(self._scanned)
        layout.addWidget(self.camera)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("joinMessage")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.join_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.join_button.setText(self.tr("&Join"))
        self.buttons.accepted.connect(self.join)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # A scanner ends the QR's text with Enter: that joins at once.
        self.code.returnPressed.connect(self.join)
        self.code.setFocus()
        if browse_now:
            self.look()

    def look(self) -> None:
        if self._task is not None:
            return
        self.message.setText(self.tr("Looking for hosted events…"))
        self._task = (
            QueryOp(parent=self, op=browse, success=self._found)
            .failure(self._failed)
            .run_in_background()
        )

    def _found(self, found: list[FoundEvent]) -> None:
        self._task = None
        self.found = list(found)
        self.events.clear()
        for event in self.found:
            item = QListWidgetItem(event.label)
            self.events.addItem(item)
        if self.found:
            self.events.setCurrentRow(0)
            self.message.setText(self.tr("Pick the event, then type or scan its join code."))
        else:
            self.message.setText(
                self.tr(
                    "No hosted event found yet. Is the host running, on the same Wi-Fi? You can"
                    " also scan the QR on the host's screen."
                )
            )

    def join(self) -> None:
        if self._task is not None:
            return
        code = self.code.text().strip()
        try:
            parse_join_code(code)
        except JoinCodeError:
            self.message.setText(
                self.tr("A join code has 12 letters and digits, like ABCD-EFGH-JK12.")
            )
            return
        volunteer = " ".join(self.volunteer.text().split())
        if not volunteer:
            self.message.setText(self.tr("Type your first name and the station's name."))
            self.volunteer.setFocus()
            return
        self.volunteer_name = volunteer
        row = self.events.currentRow()
        chosen = [self.found[row]] if 0 <= row < len(self.found) else self.found
        station = " ".join(self.name.text().split()) or "station"
        self.station = station
        self.message.setText(self.tr("Joining… (copying the event to this laptop)"))
        self.join_button.setEnabled(False)
        # No event is open yet: joining copies one to this laptop, with no writer queue to share.
        self._task = (
            QueryOp(
                parent=self, op=lambda: join_location(code, chosen, station), success=self._joined
            )
            .failure(self._failed)
            .run_in_background()
        )

    def _scanned(self, text: str) -> None:
        try:
            parse_join_code(text)
        except JoinCodeError:
            return  # another QR in view (a person's code): not this dialog's business
        self.code.setText(text)
        self.join()

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)

    def _joined(self, database: FailoverDatabase) -> None:
        self._task = None
        self.database = database
        self.accept()

    def _failed(self, message: str) -> None:
        self._task = None
        self.join_button.setEnabled(True)
        self.message.setText(message)
