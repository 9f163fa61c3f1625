"""Durability: a station process killed with SIGKILL at random moments loses nothing it
acknowledged, and the file stays intact.

The child checks people in and redeems their meal, printing each code only after the scan
returned (the moment the desk would show it). The parent kills it at a random point, then checks
that every printed action is in the file and that `PRAGMA integrity_check` says ok.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.event.events import create_event, load_event
from checkin.people.attendees import insert_many
from checkin.record.audit import verify
from checkin.store import AttendeeSource, TicketKind, cipher, open_database
from checkin.store.models import Attendee, AuditEntry, CheckIn, Ticket
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only"),
]

ROUNDS = 6
PER_ROUND = 2000  # more than a child gets through before it is killed (a scan takes ~0.5 ms)

CHILD = """
import sys
from checkin.store import open_database
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine

db = open_database(sys.argv[1])
engine = ScanEngine(db, debounce_seconds=0)
desk = Station("Desk")
meal = Station("Meal", StationMode.RESOURCE, "Meal")
for code in sys.argv[2].split(","):
    if engine.scan(code, desk).state.value == "checked_in":
        print("C", code, flush=True)
    if engine.scan(code, meal).state.value == "redeemed":
        print("R", code, flush=True)
print("DONE", flush=True)
"""


@pytest.fixture
def event_file(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "killed.checkin"
    db = open_new(path)
    create_event(db, "Kill test")
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, issue_at_checkin=True)

    def people(session: Session) -> list[str]:
        rows = [{"first_name": f"P{n}"} for n in range(ROUNDS * PER_ROUND)]
        return insert_many(session, load_event(session), rows, source=AttendeeSource.PREREG)

    codes = db.write(people)
    db.dispose()
    return path, codes


def run_and_kill(path: Path, codes: list[str], delay: float) -> tuple[list[str], bool]:
    """Start a child on ``codes``, kill it ``delay`` s after its first acknowledgement; return
    the acknowledged lines and whether it was killed before finishing."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), ",".join(codes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    lines: list[str] = []
    first = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.endswith("\n"):  # a torn last line was never acknowledged
                lines.append(line.strip())
                first.set()
        first.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert first.wait(30), "the child never acknowledged anything"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    reader.join(10)
    child.stdout.close()
    killed = child.returncode == -signal.SIGKILL and "DONE" not in lines
    return [line for line in lines if line != "DONE"], killed


def test_nothing_acknowledged_is_lost(event_file: tuple[Path, list[str]]) -> None:
    path, codes = event_file
    rng = random.Random(20260815)  # reproducible kill points
    acknowledged: list[str] = []
    kills = 0
    for round_ in range(ROUNDS):
        batch = codes[round_ * PER_ROUND : (round_ + 1) * PER_ROUND]
        lines, killed = run_and_kill(path, batch, rng.uniform(0.0, 0.8))
        kills += killed
        acknowledged += lines

        connection = cipher.connect(path)  # plain sqlite3: recovers the WAL like any tool
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        connection.close()
    assert kills >= ROUNDS - 1  # the kills really landed mid-work
    assert acknowledged

    checked = {line[2:] for line in acknowledged if line.startswith("C ")}
    redeemed = {line[2:] for line in acknowledged if line.startswith("R ")}
    db = open_database(path)
    with db.reading() as session:
        in_file = set(
            session.scalars(select(Attendee.code).join(CheckIn, CheckIn.attendee_id == Attendee.id))
        )
        meals_used = set(
            session.scalars(
                select(Attendee.code)
                .join(Ticket, Ticket.attendee_id == Attendee.id)
                .where(Ticket.state == "redeemed")
            )
        )
        assert checked <= in_file
        assert redeemed <= meals_used
        # No half-done check-in: each has its audit entry and its meal ticket.
        check_ins = session.scalar(select(func.count(CheckIn.id)))
        audited = session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "checked_in")
        )
        meal_tickets = session.scalar(select(func.count(Ticket.id)))
        assert check_ins == audited == meal_tickets
        # At most the one scan in flight at the kill was committed but not acknowledged.
        assert len(in_file) - len(checked) <= kills
    assert verify(db).ok
    db.dispose()
