"""What every screen is handed: the open event, the scan engine and the station's one writer
queue, this station, and one "changed" signal carrying what changed (checkin/changes.py), so
views refresh themselves, and only when their data changed, without reaching into each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import shiboken6
from PySide6.QtCore import QObject, Signal

from checkin.access import unlocking
from checkin.changes import Changes
from checkin.event import events
from checkin.event.events import EventInfo
from checkin.results import Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import utcnow
from ui.core import station_settings
from ui.core.ops import QueryOp
from ui.core.scan_queue import ScanQueue


@dataclass(frozen=True)
class UnlockTry:
    """What one try at the passphrase (or the raffle caller's PIN) found."""

    organiser: bool  # the organiser passphrase was right (or none is set)
    caller: bool  # the raffle caller's PIN was right
    wait: float  # seconds before the next try is checked


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
        self.wait_left = 0.0  # seconds before a passphrase try is checked again
        self._caller = False  # the raffle caller's PIN was given (draws only)
        # The volunteer's shift: from their sign-in, kept across a restart of the app.
        before = station_settings.remembered_station(self.info.uid)
        started = station_settings.shift_start(self.info.uid)
        same = before is not None and before.volunteer == station.volunteer
        self.shift_started: datetime = started if same and started else utcnow()
        self._remember()

    @property
    def station(self) -> Station:
        return self._station

    def set_station(self, station: Station) -> None:
        if station != self._station:
            if station.volunteer != self._station.volunteer:
                self.shift_started = utcnow()
            self._station = station
            self._remember()
            self.stationChanged.emit()

    def _remember(self) -> None:
        station_settings.remember_station(self.info.uid, self._station)
        station_settings.remember_shift_start(self.info.uid, self.shift_started)

    @property
    def organiser_unlocked(self) -> bool:
        return self._unlocked

    def check_unlock(self, text: str, *, passphrase: bool = True, pin: bool = False) -> UnlockTry:
        """Try ``text`` as the organiser passphrase and/or the raffle caller's PIN. The key
        derivation costs about 0.6 s a try (checkin/event/events.py), so the app calls this off the
        GUI thread (``unlock_op``); it touches no widget and none of this object's state."""
        wait, organiser, caller = 0.0, False, False
        if passphrase:
            tried = unlocking.try_passphrase(self.db, text)
            organiser, wait = tried.open, tried.wait
        if pin and not organiser:
            tried = unlocking.try_caller_pin(self.db, text)
            caller, wait = tried.open, max(wait, tried.wait)
        return UnlockTry(organiser, caller, wait)

    def unlock_op(
        self,
        text: str,
        *,
        asker: QObject,
        checked: Callable[[UnlockTry], None],
        failed: Callable[[str], None],
        passphrase: bool = True,
        pin: bool = False,
    ) -> QueryOp[UnlockTry]:
        """The check as a background operation (ui/core/ops.py; not started): ``checked`` gets
        the UnlockTry, which ``apply_unlock`` then applies on the GUI thread. The wait it found
        is noted even when ``asker`` (the dialog) has gone meanwhile."""

        def heard(tried: UnlockTry) -> None:
            self.wait_left = tried.wait
            if shiboken6.isValid(asker):
                checked(tried)

        def not_checked(message: str) -> None:
            if shiboken6.isValid(asker):
                failed(message)

        return QueryOp(
            parent=self,
            op=lambda: self.check_unlock(text, passphrase=passphrase, pin=pin),
            success=heard,
        ).failure(not_checked)

    def apply_unlock(self, tried: UnlockTry) -> bool:
        """Unlock as ``tried`` found; True when what was asked for is open now."""
        self.wait_left = tried.wait
        if tried.organiser:
            self._unlocked = True
            self.lockChanged.emit(True)
        elif tried.caller:
            self._caller = True
            self.lockChanged.emit(self._unlocked)
        return tried.organiser or tried.caller

    def unlock(self, passphrase: str) -> bool:
        """Organiser screens (setup, full list, exports) open only with the passphrase; after
        a few wrong tries the next is not checked until a wait is over (``wait_left``). Checks
        on the calling thread: the app's dialog uses ``unlock_op`` instead."""
        self.apply_unlock(self.check_unlock(passphrase))
        return self._unlocked

    @property
    def caller_unlocked(self) -> bool:
        """The big screen's draws may run: the organiser, or the raffle caller's PIN."""
        return self._unlocked or self._caller

    def unlock_caller(self, pin: str) -> bool:
        tried = self.check_unlock(pin, passphrase=False, pin=True)
        self.apply_unlock(UnlockTry(False, tried.caller, max(self.wait_left, tried.wait)))
        return self._caller

    def lock(self) -> None:
        self._unlocked = not events.get_event(self.db).has_passphrase
        self._caller = False
        self.lockChanged.emit(self._unlocked)

    def refresh_event(self, changes: Changes | None = None) -> None:
        """The event's details read again (after Setup's edit: ``SETUP``; a restore: all)."""
        self.info = events.get_event(self.db)
        self.changed.emit(changes or Changes.everything())

    def notify_changed(self, changes: Changes) -> None:
        """Every view hears what changed (``Changes.everything()`` only when that is the truth:
        a merge, a restore, another file's data)."""
        self.changed.emit(changes)
