"""The host's screen (File > Host this event on the network): the join code and its QR for the
stations, each station with its last contact, scans and whether it is online (this laptop's own
desk among them, under its own name), the conflicts that offline stations brought back, and
Stop hosting, which writes everything back into the event file; it asks first while stations
are online or may hold scans not sent yet. The server work runs off the GUI thread
(ui/core/ops.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.hosting.host import OWN_DESK_APP, Hosting, HostSession, StationPresence
from checkin.timefmt import clock
from ui.core.ops import QueryOp, Running
from ui.desk.person_panel import qr_pixmap

REFRESH_MS = 2000
ONLINE_STYLE = "color: white; background: #1b5e20; font-weight: 700;"  # readable on black too
OFFLINE_STYLE = "color: black; background: #f9a825; font-weight: 700;"


class HostWindow(QWidget):
    def __init__(
        self,
        event_file: str | Path,
        *,
        listen: str = "*",
        new_code: bool = False,
        on_started: Callable[[str], None] | None = None,
        on_stopping: Callable[[], None] | None = None,
        on_stopped: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = HostSession(event_file, listen=listen, new_code=new_code)
        self.hosting: Hosting | None = None
        self._on_started = on_started
        self._on_stopping = on_stopping
        self._on_stopped = on_stopped
        self._task: Running | None = None
        self._stop_wanted = False  # Stop pressed while the station list was being read
        self.station_list: list[StationPresence] = []  # as last shown
        self.saved: int | None = None
        self.setWindowTitle(self.tr("Hosting {file} — checkin").format(file=Path(event_file).name))
        self.status = QLabel(self.tr("Starting the server…"))
        self.status.setObjectName("hostStatus")
        self.status.setWordWrap(True)
        self.code = QLabel("")
        self.code.setObjectName("joinCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.code.font()
        font.setPointSize(26)
        font.setBold(True)
        self.code.setFont(font)
        self.address = QLabel("")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName(self.tr("QR of the join code"))
        self.stations = QTableWidget(0, 4)
        self.stations.setAccessibleName(self.tr("Stations"))
        self.stations.verticalHeader().setVisible(False)
        self.stations.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stations.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName(self.tr("Conflicts to check"))
        self.conflicts.setMaximumHeight(110)
        self.conflicts.setWordWrap(True)  # a conflict is a sentence: no sideways scrolling
        self.stop_button = QPushButton(self.tr("&Stop hosting and save the event file"))
        self.stop_button.setMinimumHeight(44)
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.ask_stop)

        left = QVBoxLayout()
        self.code_title = QLabel(self.tr("Join code for the stations:"))
        left.addWidget(self.code_title)
        left.addWidget(self.code)
        left.addWidget(self.qr, 1)
        left.addWidget(self.address)
        right = QVBoxLayout()
        self.stations_title = QLabel(self.tr("Stations"))
        right.addWidget(self.stations_title)
        right.addWidget(self.stations, 1)
        self.conflicts_title = QLabel(
            self.tr("Conflicts to check (from stations that were offline)")
        )
        right.addWidget(self.conflicts_title)
        right.addWidget(self.conflicts)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(columns, 1)
        layout.addWidget(self.stop_button)
        self._set_headers()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.resize(1100, 640)

    def _set_headers(self) -> None:
        self.stations.setHorizontalHeaderLabels(
            [self.tr("Station"), self.tr("Last seen"), self.tr("Scans"), self.tr("Network")]
        )

    # --- start -------------------------------------------------------------------------------

    def start(self) -> None:
        # The host's own session, not a station's writes: it has no desk's writer queue (the
        # desk on the server opens once it has started, and closes before it stops).
        self._task = (
            QueryOp(parent=self, op=self.session.start, success=self._started)
            .failure(self._failed)
            .run_in_background()
        )

    def _started(self, hosting: Hosting) -> None:
        self._task = None
        self.hosting = hosting
        self.code.setText(hosting.join.human)
        self.qr.setPixmap(qr_pixmap(hosting.join.qr_payload, 300))
        self.address.setText(
            self.tr("On a network without discovery, type: {code}").format(
                code=hosting.join.with_address
            )
        )
        self.status.setText(
            self.tr(
                "Hosting “{event}”. On each station: Join an event on this network, then type"
                " or scan this code. Keep this laptop awake and plugged in."
            ).format(event=hosting.event_name)
            + (
                "\n"
                + self.tr(
                    "The server's data from before the event file's personal data was purged"
                    " was removed: hosting started from the file."
                )
                if hosting.discarded
                else ""
            )
        )
        self.stop_button.setEnabled(True)
        self.timer.start()
        self.refresh()
        if self._on_started is not None:
            # The owner on loopback (organiser work on this laptop's desk while hosting), under
            # no station's name: this desk is listed under its own (HostSession.own_station).
            self._on_started(f"{hosting.desk_url}?application_name={quote(OWN_DESK_APP, safe='')}")

    def _failed(self, message: str) -> None:
        self._task = None
        self.status.setText(self.tr("Hosting failed: {message}").format(message=message))
        self.stop_button.setEnabled(self.hosting is not None)

    # --- while hosting -----------------------------------------------------------------------

    def refresh(self) -> None:
        if self._task is not None or self.hosting is None:
            return
        session = self.session
        self._task = (
            QueryOp(
                parent=self,
                op=lambda: (session.stations(), session.conflicts()),
                success=self._show,
            )
            .failure(self._refresh_failed)
            .run_in_background()
        )

    def _refresh_failed(self, message: str) -> None:
        self._task = None
        self.status.setText(message)
        self._stop_if_wanted()

    def _stop_if_wanted(self) -> None:
        if self._stop_wanted:
            self._stop_wanted = False
            self.stop()

    def _show(self, answer: tuple[list[StationPresence], list[str]]) -> None:
        self._task = None
        stations, conflicts = answer
        self.station_list = list(stations)
        self.stations.setRowCount(len(stations))
        for row, station in enumerate(stations):
            seen = clock(station.last_seen) if station.last_seen else "-"
            state = QLabel(self.tr("online") if station.online else self.tr("offline"))
            state.setStyleSheet(ONLINE_STYLE if station.online else OFFLINE_STYLE)
            for column, text in enumerate((station.name, seen, str(station.scans))):
                self.stations.setItem(row, column, QTableWidgetItem(text))
            self.stations.setCellWidget(row, 3, state)
        self.conflicts.clear()
        self.conflicts.addItems(conflicts or [self.tr("None so far")])
        self._stop_if_wanted()

    # --- stop --------------------------------------------------------------------------------

    def _others(self) -> tuple[int, int]:
        """Stations other than this laptop's desk: online, and offline (which may hold scans
        made offline that have not reached this host)."""
        others = [s for s in self.station_list if s.name != self.session.own_station]
        online = sum(1 for s in others if s.online)
        return online, len(others) - online

    def confirm_stop(self) -> bool:
        """Whether to stop: asked while other stations are online or may hold unsent scans."""
        online, offline = self._others()
        if not online and not offline:
            return True
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            self.tr(
                "Stations online: {online}. Offline, maybe holding scans not sent yet:"
                " {offline}.\n\nStop hosting now and save the event file? The stations go on"
                " working on their own copies and send their scans by themselves when you host"
                " this event again."
            ).format(online=online, offline=offline),
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_stop(self) -> None:
        """Stop hosting and save the event file: the button."""
        if self.hosting is not None and self.confirm_stop():
            self.stop()

    def stop(self) -> None:
        if self.hosting is None:
            return
        self.timer.stop()
        self.stop_button.setEnabled(False)
        if self._task is not None:  # one server call at a time: after the list being read
            self._stop_wanted = True
            return
        if self._on_stopping is not None:
            self._on_stopping()  # this laptop's own desk on the server closes first
        self.status.setText(self.tr("Stopping: writing everything into the event file…"))
        self._task = (
            QueryOp(parent=self, op=self.session.stop, success=self._stopped)
            .failure(self._failed)
            .run_in_background()
        )

    def _stopped(self, saved: int) -> None:
        self._task = None
        self.hosting = None
        self.saved = saved
        self.status.setText(
            self.tr("Stopped: {count} scans saved to {file}").format(
                count=saved, file=self.session.event_file.name
            )
        )
        # The code no longer lets anyone in, and no station is online: say so, not the
        # code and the green of a minute ago (a tester took the window for still hosting).
        self.code_title.setText(self.tr("Hosting has stopped: this code no longer works."))
        self.code.clear()
        self.qr.clear()
        self.address.clear()
        for row in range(self.stations.rowCount()):
            state = QLabel(self.tr("offline"))
            state.setStyleSheet(OFFLINE_STYLE)
            self.stations.setCellWidget(row, 3, state)
        if self._on_stopped is not None:
            self._on_stopped()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.hosting is not None:
            online, offline = self._others()
            stopping = (
                self.confirm_stop()
                if online or offline
                else QMessageBox.question(
                    self,
                    self.windowTitle(),
                    self.tr("Stop hosting now and save the event file? Stations go offline."),
                )
                == QMessageBox.StandardButton.Yes
            )
            if not stopping:
                event.ignore()
                return
            self.stop()
            event.ignore()  # closes once saved (see _stopped)
            self._on_stopped_then_close()
            return
        super().closeEvent(event)

    def _on_stopped_then_close(self) -> None:
        previous = self._on_stopped

        def both() -> object:
            if previous is not None:
                previous()
            return self.close()

        self._on_stopped = both
