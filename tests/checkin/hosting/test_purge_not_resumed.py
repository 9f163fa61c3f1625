"""A host never resumes server data older than a purge of its file: host, crash the host,
purge the file, host again. The server's folder still holds every name from before the purge;
the new host says so and starts from the file (found by a tester: 30 of 30 names came back,
the purge's audit entry was gone and verify said OK)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.after_event.purge import confirmation_phrase, purge_personal_data
from checkin.record.audit import verify
from checkin.record.purge_mark import ACTION
from checkin.store import open_database
from checkin.store.models import Attendee, AuditEntry
from tests.helpers.hosting_support import HostProcess, make_event

pytestmark = pytest.mark.slow


def test_a_crashed_hosts_data_does_not_come_back_after_a_purge(tmp_path: Path) -> None:
    event_file = tmp_path / "party.checkin"
    make_event(event_file, people=12, meals=1)
    host = HostProcess(event_file, tmp_path / "home", announce=False)
    try:
        host.kill()  # a crash: the server's data (every name) stays in its folder
    finally:
        if host.process.poll() is None:
            host.kill()
    db = open_database(event_file)
    try:
        assert purge_personal_data(db, confirmation_phrase("Hosted Party")).done
    finally:
        db.dispose()

    again = HostProcess(event_file, tmp_path / "home", announce=False)
    try:
        assert not any(line.startswith("resumed:") for line in again.lines), again.lines
        assert any("purge" in line for line in again.lines), again.lines  # it says why
        again.stop()
    finally:
        if again.process.poll() is None:
            again.kill()

    archive = open_database(event_file)
    try:
        with archive.reading() as session:
            names = set(session.scalars(select(Attendee.first_name)))
            actions = list(session.scalars(select(AuditEntry.action)))
        assert names == {""}
        assert ACTION in actions
        assert verify(archive).ok
    finally:
        archive.dispose()
