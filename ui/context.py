"""What every screen is handed: the open event, the scan engine and the station's one writer
queue, this station, and one "changed" signal carrying what changed (checkin/changes.py), so
views refresh themselves, and only when their data changed, without reaching into each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from checkin import events
from checkin.changes import Changes
from checkin.events import EventInfo
from checkin.results import Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from ui.scan_queue import ScanQueue


class EventContext(QObject):
    # Emitted after any committed change (check-in, redemption, setup edit, draw...), with the
    # Changes it made.
    changed = Signal(object)
    stationChanged = Signal()
    lockChanged = Signal(bool)  # True when organiser screens are unlocked

    def __init__(self, db: Database, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.engine = ScanEngine(db)
        self.scans = ScanQueue(self)
        self._station = station
        self.info: EventInfo = events.get_event(db)
        self._unlocked = not self.info.has_passphrase

    @property
    def station(self) -> Station:
        return self._station

    def set_station(self, station: Station) -> None:
        if station != self._station:
            self._station = station
            self.stationChanged.emit()

    @property
    def organiser_unlocked(self) -> bool:
        return self._unlocked

    def unlock(self, passphrase: str) -> bool:
        """Organiser screens (setup, full list, exports) open only with the passphrase."""
        if events.check_passphrase(self.db, passphrase):
            self._unlocked = True
            self.lockChanged.emit(True)
        return self._unlocked

    def lock(self) -> None:
        self._unlocked = not events.get_event(self.db).has_passphrase
        self.lockChanged.emit(self._unlocked)

    def refresh_event(self) -> None:
        self.info = events.get_event(self.db)
        self.changed.emit(Changes.everything())

    def notify_changed(self, changes: Changes | None = None) -> None:
        self.changed.emit(changes or Changes.everything())
