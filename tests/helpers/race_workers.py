"""Process bodies for the race tests (tests/checkin/store/test_postgres.py): importable by
spawned children.

Each worker opens the event on its own (a station laptop), waits at the barrier so that all
stations scan at the same moment, scans every code and reports what its screen showed.
"""

from __future__ import annotations

from multiprocessing.synchronize import Barrier
from typing import Any

from checkin.event.events import get_event
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import open_database


def scan_all(
    location: str,
    station: str,
    mode: str,
    ticket_type: str | None,
    codes: list[str],
    barrier: Barrier,
    results: Any,  # multiprocessing queue
) -> None:
    db = open_database(location)
    engine = ScanEngine(db)
    where = Station(station, StationMode(mode), ticket_type)
    get_event(db)  # connect before the race, not during it
    barrier.wait(timeout=60)
    states = [engine.scan(code, where).state.value for code in codes]
    db.dispose()
    results.put((station, states))
