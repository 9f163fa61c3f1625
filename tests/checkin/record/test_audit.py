"""The hash-chained audit log and `checkin verify`: a later edit of the file is detected."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.cli import main
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.record import audit
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import TicketKind, cipher, open_database
from checkin.store.models import AuditEntry
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import ROOT

DESK = Station("Desk 1", volunteer="Ann")


@pytest.fixture
def event_file(tmp_path: Path) -> Path:
    """A small event with check-ins and redemptions, closed (WAL checkpointed)."""
    path = tmp_path / "event.checkin"
    db = open_new(path)
    create_event(db, "Party")
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, issue_at_checkin=True)
    engine = ScanEngine(db, debounce_seconds=0)
    for n in range(5):
        checked = engine.scan(attendees.register(db, DESK, first_name=f"P{n}").code, DESK)
        assert checked.attendee is not None
        engine.scan(checked.issued[0].code, Station("Meal", StationMode.RESOURCE))
    db.dispose()
    return path


def run_sql(path: Path, *statements: str) -> None:
    connection = cipher.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def report_for(path: Path) -> audit.VerifyReport:
    db = open_database(path, check_integrity=False)  # as `checkin verify` opens it
    try:
        return audit.verify(db)
    finally:
        db.dispose()


def test_every_change_is_chained(event_file: Path) -> None:
    db = open_database(event_file)
    with db.reading() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        actions = [e.action for e in entries]
        assert actions[0] == "event_created"
        assert actions.count("attendee_added") == 5
        assert actions.count("checked_in") == 5
        assert actions.count("ticket_redeemed") == 5
        assert entries[0].prev_hash == audit.GENESIS
        for before, after in itertools.pairwise(entries):
            assert after.prev_hash == before.hash
        checked = next(e for e in entries if e.action == "checked_in")
        assert (checked.station, checked.volunteer) == ("Desk 1", "Ann")
        head = entries[-1].hash
    report = audit.verify(db)
    db.dispose()
    assert report.ok and report.chain_ok and report.integrity_ok
    assert report.entries == len(actions) and report.problems == ()
    assert report.head_hash == head


@pytest.mark.parametrize(
    "tamper",
    [
        # somebody "fixes" who redeemed a meal
        "UPDATE audit SET station = 'Desk 9' WHERE action = 'ticket_redeemed' AND id = "
        "(SELECT min(id) FROM audit WHERE action = 'ticket_redeemed')",
        "UPDATE audit SET detail = '{}' WHERE id = 3",
        "UPDATE audit SET at = '2020-01-01 00:00:00.000000' WHERE id = 4",
        "DELETE FROM audit WHERE id = 5",
        "UPDATE audit SET hash = prev_hash WHERE id = 2",
    ],
)
def test_editing_the_file_is_detected(event_file: Path, tamper: str) -> None:
    run_sql(event_file, tamper)
    report = report_for(event_file)
    assert not report.ok and not report.chain_ok
    assert report.integrity_ok
    assert report.problems and "audit entry" in report.problems[0]


def test_rebuilding_the_tail_changes_the_head_hash(event_file: Path) -> None:
    """A forger who rewrites an entry and recomputes every later hash gets a valid chain, but
    not the head hash printed on the report handed over after the event."""
    before = report_for(event_file)
    db = open_database(event_file)

    def forge(session: object) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        entries[3].station = "elsewhere"
        prev = entries[2].hash
        for entry in entries[3:]:
            entry.prev_hash = prev
            entry.hash = prev = audit.entry_hash(prev, entry)

    db.write(forge)
    db.dispose()
    after = report_for(event_file)
    assert after.ok
    assert after.head_hash != before.head_hash


def damage_an_index(path: Path) -> None:
    connection = cipher.connect(path)
    page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])  # SQLCipher: text
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_attendees_last_key'"
    ).fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        # Keep the b-tree page header (first 8 bytes) so the file still opens; scramble cells.
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff\x00\x13\x37" * 16)


def test_integrity_check_failure_is_reported(event_file: Path) -> None:
    damage_an_index(event_file)
    report = report_for(event_file)
    assert not report.integrity_ok and not report.ok
    assert any(p.startswith("integrity:") for p in report.problems)


def test_verify_command_exit_codes(event_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", str(event_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK:") and "audit entries" in out
    run_sql(event_file, "UPDATE audit SET volunteer = 'Mallory' WHERE id = 6")
    assert main(["verify", "--db", str(event_file)]) == 1
    out = capsys.readouterr().out
    assert "audit entry 6" in out and "PROBLEMS FOUND" in out


@pytest.mark.slow
def test_verify_command_in_a_subprocess(event_file: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "checkin", "verify", "--db", str(event_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    damage_an_index(event_file)
    bad = subprocess.run(
        [sys.executable, "-m", "checkin", "verify", "--db", str(event_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr + bad.stdout
