"""The event file deleted, replaced or unplugged while the app runs: no scan is acknowledged
after that (SQLite would go on writing to the open handle, and lose it all)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkin.people import attendees
from checkin.results import NotSavedParams, ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.connection import ping
from tests.helpers.outcomes import params_of
from tests.helpers.project_paths import ROOT

DESK = Station("Desk 1")


def people(db: Database, count: int) -> list[str]:
    return [attendees.register(db, first_name=f"P{n}").code for n in range(count)]


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_no_scan_is_acknowledged_once_the_file_is_gone(
    db: Database, db_path: Path, tmp_path: Path, how: str
) -> None:
    codes = people(db, 6)
    engine = ScanEngine(db)
    assert [engine.scan(c, DESK).state for c in codes[:2]] == [ScanState.CHECKED_IN] * 2
    if how == "deleted":
        db_path.unlink()
    else:  # another copy put in its place (a different file at the same path)
        shutil.copy(db_path, tmp_path / "copy.checkin")
        os.replace(tmp_path / "copy.checkin", db_path)
    later = [engine.scan(c, DESK) for c in codes[2:]]
    assert {r.state for r in later} == {ScanState.NOT_SAVED}
    assert {params_of(r, NotSavedParams).failure for r in later} == {"unreachable"}
    assert "NOT saved" in later[0].message
    assert not ping(db).ok  # the status bar's question: it says NOT being saved


@pytest.mark.slow
def test_the_command_line_scan_stops_acknowledging_when_the_file_is_deleted(
    db: Database, db_path: Path
) -> None:
    codes = people(db, 5)
    db.dispose()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "checkin", "scan", "--db", str(db_path), "--station", "Desk"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=environment,
    )
    assert process.stdin is not None and process.stdout is not None
    answers = []
    for code in codes[:2]:
        process.stdin.write(code + "\n")
        process.stdin.flush()
        answers.append(json.loads(process.stdout.readline())["state"])
    db_path.unlink()  # mid-run: the stick pulled, or the file deleted
    for code in codes[2:]:
        process.stdin.write(code + "\n")
        process.stdin.flush()
        answers.append(json.loads(process.stdout.readline())["state"])
    process.stdin.close()
    assert process.wait(timeout=30) == 1
    process.stdout.close()
    assert process.stderr is not None
    assert "3 scan(s) NOT saved" in process.stderr.read()
    process.stderr.close()
    assert answers == ["checked_in"] * 2 + ["not_saved"] * 3
