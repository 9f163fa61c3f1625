"""Status-bar indicator for a shared server: is it reachable, are scans being saved?

Every few seconds (and at once after a scan that was NOT saved) it pings the database off the
GUI thread. While the server cannot be reached it shows, in red, "Server unreachable — scans are
NOT being saved"; each scan attempted meanwhile also says NOT saved on the desk and stays on
screen. When the server answers again the indicator says so and asks the volunteer to scan
again what was not saved (a rescan is safe: the second answer of an already-saved scan is
"already checked in" / "already used"). The main window installs it with
``install_connection_status(main_window, context)``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from checkin.changes import Changes
from checkin.results import ScanResult, ScanState
from checkin.store import Database
from checkin.store.connection import Reachability, ping
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running

if TYPE_CHECKING:
    from checkin.hosting.failover import FailoverDatabase, LinkState

PING_SECONDS = 5
FAILOVER_MODULE = "checkin.hosting.failover"
OK_STYLE = "color: #1b5e20; padding: 0 6px;"
DOWN_STYLE = "color: white; background: #b71c1c; font-weight: 700; padding: 0 6px;"
BACK_STYLE = "color: black; background: #f9a825; font-weight: 700; padding: 0 6px;"
# The host stopped hosting: not a Wi-Fi drop (amber), nothing to check on this laptop.
ENDED_STYLE = "color: white; background: #4a148c; font-weight: 700; padding: 0 6px;"


def _joined(db: Database) -> TypeGuard[FailoverDatabase]:
    """Whether ``db`` is a joined station's. Only joining imports the failover module, so until
    then no database can be one: the app starts without importing it (and its hosting code)."""
    failover = sys.modules.get(FAILOVER_MODULE)
    return failover is not None and isinstance(db, failover.FailoverDatabase)


class ConnectionStatus(QLabel):
    reachabilityChanged = Signal(bool)
    linkChanged = Signal(object)  # LinkState, from the failover monitor's thread

    def __init__(
        self,
        context: EventContext,
        *,
        interval_seconds: float = PING_SECONDS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Running | None = None
        self.reachable = True
        self.not_saved: list[str] = []  # what was scanned while the server was away
        self.setObjectName("connectionStatus")
        self.setAccessibleName(self.tr("Connection to the event database"))
        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_seconds * 1000))
        self.timer.timeout.connect(self.ping_now)
        self.linkChanged.connect(self._show_link)
        db = context.db
        if _joined(db):
            # A joined station never stops saving: it shows where the scans go instead.
            db.add_listener(self.linkChanged.emit)
            self._show_link(db.state)
            self.linkChanged.connect(
                # Other data now (the server's or this laptop's copy): every view reads again.
                lambda _state: context.notify_changed(Changes.everything())
            )
            return
        self._show_ok()
        self.timer.start()
        self.ping_now()

    def unsent(self) -> int:
        """Writes this joined station made offline that have not reached the host yet."""
        db = self._context.db
        if not _joined(db):
            return 0
        state = db.state
        return 0 if state.online else state.pending

    def _show_link(self, state: LinkState) -> None:
        self.reachable = True
        if state.online:
            text = self.tr("Connected to the host")
            if state.merged_scans or state.conflicts:
                text = self.tr(
                    "Back online: {scans} offline scans sent to the host ({conflicts} to check)"
                ).format(scans=state.merged_scans, conflicts=state.conflicts)
            self.setText(text)
            self.setStyleSheet(OK_STYLE)
        elif state.ended:
            self.setText(self.tr("Hosting ended: working on this laptop's copy"))
            self.setStyleSheet(ENDED_STYLE)
            self.setToolTip(
                self.tr(
                    "The host stopped hosting. Scans are saved on this laptop and sent by"
                    " themselves when the host hosts this event again."
                )
            )
        else:
            self.setText(self.tr("Working offline — scans are saved on this laptop"))
            self.setStyleSheet(BACK_STYLE)
            self.setToolTip(state.message)
        self.setVisible(True)

    def _show_ok(self) -> None:
        if self._context.db.is_sqlite:
            self.setText("")  # a file on this laptop: nothing to say while all is well
            self.setVisible(False)
        else:
            self.setText(self.tr("Server connected"))
            self.setStyleSheet(OK_STYLE)
            self.setVisible(True)

    def ping_now(self) -> None:
        if self._task is not None:
            return
        db = self._context.db
        self._task = (
            QueryOp(parent=self, op=lambda: ping(db), success=self._answer)
            .failure(lambda message: self._answer(Reachability(False, message)))
            .run_in_background()
        )

    def note_scan(self, result: ScanResult) -> None:
        """Tell the indicator about a scan result; a NOT_SAVED one makes it check at once."""
        if result.state is ScanState.NOT_SAVED and not _joined(self._context.db):
            self.not_saved.append(result.input)
            self._show_down(self.toolTip())
            self.ping_now()

    def _answer(self, answer: Reachability) -> None:
        self._task = None
        was = self.reachable
        self.reachable = answer.ok
        if not answer.ok:
            self._show_down(answer.message)
        elif not was or self.not_saved:
            self._show_back()
        else:
            self._show_ok()
        if was != answer.ok:
            self.reachabilityChanged.emit(answer.ok)

    def _show_down(self, message: str) -> None:
        text = (
            self.tr("Event file unreachable — scans are NOT being saved")
            if self._context.db.is_sqlite
            else self.tr("Server unreachable — scans are NOT being saved")
        )
        self.setText(text)
        self.setStyleSheet(DOWN_STYLE)
        self.setToolTip(message)
        self.setVisible(True)

    def _show_back(self) -> None:
        count = len(self.not_saved)
        self.setText(
            # Also after a busy or full file, not only a lost server; no plural to translate.
            self.tr("Saving works again — scan again what was shown as NOT saved ({count})").format(
                count=count
            )
            if count
            else self.tr("Connected again")
        )
        self.setStyleSheet(BACK_STYLE)
        self.setToolTip("\n".join(self.not_saved[-20:]))
        self.setVisible(True)

    def acknowledge(self) -> None:
        """The volunteer rescanned what was not saved: back to the quiet state."""
        self.not_saved.clear()
        if self.reachable:
            self._show_ok()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Connection to the event database"))
            db = self._context.db
            if _joined(db):
                self._show_link(db.state)
            elif not self.reachable:
                self._show_down(self.toolTip())
            elif self.not_saved or self.styleSheet() == BACK_STYLE:
                self._show_back()
            else:
                self._show_ok()
        super().changeEvent(event)

    def mousePressEvent(self, event: object) -> None:
        if self.reachable and self.not_saved:
            self.acknowledge()


def install_connection_status(main_window: QMainWindow, context: EventContext) -> ConnectionStatus:
    """Put the indicator in the main window's status bar (left of the permanent widgets)."""
    status = ConnectionStatus(context, parent=main_window)
    main_window.statusBar().addPermanentWidget(status)
    return status
