"""Another process opening the event file while the app has it open must never delete the
app's log. Closing any descriptor of a file drops the process's SQLite locks on it; the
session's first commit read the header token through a descriptor of its own and closed it,
so a `checkin` command run beside the app found the file unused, checkpointed it and deleted
the -wal the app kept writing to (found by a tester: check-ins on screen, gone after a kill)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checkin.event.events import create_event
from checkin.people import attendees
from checkin.store import held_files, open_database
from tests.helpers.event_files import open_new

# Another process, as a `checkin` command is: reads, then closes its connection (SQLite
# checkpoints and deletes the log when it believes it was the last one).
OTHER_PROCESS = """
import sys
from checkin.store import cipher
connection = cipher.connect(sys.argv[1])
print(connection.execute("SELECT count(*) FROM attendees").fetchone()[0])
connection.close()
"""


def _count_elsewhere(path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(done.stdout)


@pytest.mark.slow  # a second process
def test_a_command_beside_the_app_leaves_its_log_and_sees_every_later_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "party.checkin"
    db = open_new(path)
    try:
        create_event(db, "Block Party")
        attendees.register(db, first_name="Ana", adults=1)
        wal = Path(f"{path}-wal")
        assert wal.exists()
        for seen in range(1, 4):
            assert _count_elsewhere(path) == seen
            assert wal.exists()  # still the app's log, not deleted under it
            attendees.register(db, first_name=f"Walk-up {seen}", adults=1)
        assert _count_elsewhere(path) == 4  # every write reached the file others read
    finally:
        db.dispose()


def test_the_descriptor_is_shared_and_closed_by_its_last_user(tmp_path: Path) -> None:
    path = tmp_path / "party.checkin"
    first = open_new(path)
    create_event(first, "Block Party")
    before = held_files.held_count()
    second = open_database(path)
    try:
        attendees.register(second, first_name="Ana", adults=1)
        assert held_files.held_count() == before  # the same file: one descriptor
        first.dispose()
        assert _count_elsewhere(path) == 1
        attendees.register(second, first_name="Ben", adults=1)
        assert Path(f"{path}-wal").exists()
        assert _count_elsewhere(path) == 2
    finally:
        first.dispose()
        second.dispose()
    assert held_files.held_count() == before - 1
