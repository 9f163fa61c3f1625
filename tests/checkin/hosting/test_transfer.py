"""Copying a whole event between databases keeps it the same event: every row, a valid audit
chain, the codes still scanning, and new rows numbered after the copied ones."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from checkin.hosting.transfer import copy_event, count_rows
from checkin.people.listing import iter_attendees
from checkin.record.audit import verify
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import Base
from tests.helpers.event_files import open_new


def test_a_copied_event_is_the_same_event(demo_db: Database, tmp_path: Path) -> None:
    engine = ScanEngine(demo_db)
    first, second = (row.code for row, _ in zip(iter_attendees(demo_db), range(2), strict=False))
    assert engine.scan(first, Station("desk")).state is ScanState.CHECKED_IN
    target = open_new(tmp_path / "copy.checkin")
    try:
        copied = copy_event(demo_db, target)
        assert copied == sum(count_rows(demo_db, t.name) for t in Base.metadata.sorted_tables)
        for table in Base.metadata.sorted_tables:
            assert count_rows(target, table.name) == count_rows(demo_db, table.name), table.name
        assert verify(target).ok
        again = ScanEngine(target)
        assert again.scan(first, Station("desk")).state is ScanState.ALREADY_CHECKED_IN
        assert again.scan(second, Station("desk")).state is ScanState.CHECKED_IN
        with target.reading() as session:
            audit = Base.metadata.tables["audit"]
            assert session.scalar(select(func.count(func.distinct(audit.c.id)))) == count_rows(
                target, "audit"
            )
    finally:
        target.dispose()
