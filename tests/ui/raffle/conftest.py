"""The raffle screens' event: the demo event with its first 12 households checked in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import Attendee


@pytest.fixture
def checked_in(demo_db: Database) -> Database:
    engine = ScanEngine(demo_db, debounce_seconds=0)
    with demo_db.reading() as session:
        codes = list(session.scalars(select(Attendee.code).order_by(Attendee.id)))
    for code in codes[:12]:
        assert engine.scan(code, Station("Desk")).state is ScanState.CHECKED_IN
    return demo_db
