"""Checking a person in by hand (a search result chosen with Enter, the CLI): the same one
transaction as a scan of their code (checkin/scanning/), logged like one."""

from __future__ import annotations

from checkin.results import ScanResult, Station
from checkin.scanning.engine import ScanEngine
from checkin.store import Database


def check_in(db: Database, attendee_code: str, station: Station) -> ScanResult:
    """Exactly one live check-in per person; the default tickets handed out with it."""
    return ScanEngine(db).check_in(attendee_code, station)
