"""Real processes for the hosting tests and benchmark: a demo event file, `checkin host` on
loopback (its url:/join: lines read), `checkin scan --join` stations fed one code at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from project_paths import ROOT

from checkin import events, tickets
from checkin.demo import populate
from checkin.listing import iter_attendees
from checkin.results import Station
from checkin.store import open_database


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["XDG_DATA_HOME"] = str(home)  # each station keeps its copy under its own home
    env.pop("CHECKIN_DB", None)
    env.pop("PYTHONTRACEMALLOC", None)  # a traced child is many times slower
    return env


def make_event(
    path: Path, people: int = 40, meals: int = 12, *, name: str = "Hosted Party"
) -> tuple[list[str], list[str]]:
    """A demo event; the attendee codes, and one Meal ticket code for each of ``meals`` people."""
    db = open_database(path, create=True)
    try:
        events.create_event(db, name, location="Sycamore Park")
        populate(db, attendees=people)
        codes = [row.code for row in iter_attendees(db)]
        meal_codes: list[str] = []
        for code in codes[-meals:]:
            issued = tickets.issue_tickets(db, code, "Meal", count=1, station=Station("setup"))
            assert issued.ok, issued.message
            meal_codes.extend(t.code for t in issued.tickets)
    finally:
        db.dispose()
    return codes, meal_codes


class HostProcess:
    """`checkin host --db FILE --listen 127.0.0.1` until ``stop``."""

    def __init__(self, event_file: Path, home: Path, *, announce: bool = True) -> None:
        command = [sys.executable, "-m", "checkin", "host", "--db", str(event_file)]
        command += ["--listen", "127.0.0.1"] + ([] if announce else ["--no-announce"])
        self.process = subprocess.Popen(
            command,
            env=environment(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.url = self._wait_for("url: ")
        self.join = self._wait_for("join: ")
        self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])

    def _wait_for(self, prefix: str, seconds: float = 60) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"host ended: {self.process.stderr.read()}")  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
        raise AssertionError(f"no {prefix!r} line from the host: {self.lines}")

    def stop(self, sig: int = signal.SIGTERM) -> str:
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=90)
        self.lines.extend(out.splitlines())
        assert self.process.returncode == 0, err
        return next(line for line in self.lines if line.startswith("stopped: "))

    def kill(self) -> None:
        self.process.kill()
        self.process.communicate(timeout=30)


class ScanStation:
    """`checkin scan --join CODE --station NAME`: write one code, read its JSON answer."""

    def __init__(self, join: str, name: str, home: Path, *extra: str) -> None:
        command = [sys.executable, "-m", "checkin", "scan", "--join", join, "--station", name]
        self.process = subprocess.Popen(
            [*command, *extra],
            env=environment(home),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def scan(self, code: str) -> dict[str, Any]:
        stdin: IO[str] = self.process.stdin  # type: ignore[assignment]
        stdin.write(code + "\n")
        stdin.flush()
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise AssertionError(f"station ended: {self.process.stderr.read()}")  # type: ignore[union-attr]
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> int:
        _out, err = self.process.communicate(timeout=60)
        self.stderr = err
        return self.process.returncode
