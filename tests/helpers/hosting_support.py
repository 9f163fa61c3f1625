"""Real processes for the hosting tests and benchmark: a demo event file, `checkin host` on
loopback (its url:/join: lines read), `checkin scan --join` stations fed one code at a time."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from checkin.demo import populate
from checkin.event import events
from checkin.people.listing import iter_attendees
from checkin.results import Station
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import ROOT


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
    db = open_new(path)
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

    def __init__(self, event_file: Path, home: Path, *extra: str, announce: bool = True) -> None:
        command = [sys.executable, "-m", "checkin", "host", "--db", str(event_file)]
        command += ["--listen", "127.0.0.1"] + ([] if announce else ["--no-announce"])
        command += extra
        self.process = subprocess.Popen(
            command,
            env=environment(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        # A thread reads what the host prints, so that waiting for a line it never prints
        # times out instead of blocking in readline.
        self._printed: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._errors: list[str] = []
        self._error_reader = threading.Thread(target=self._read_errors, daemon=True)
        self._error_reader.start()
        self.url = self.wait_line("url: ")
        self.join = self.wait_line("join: ")
        self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._printed.put(line.rstrip("\n"))
        self._printed.put(None)  # the host ended

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        self._errors.extend(self.process.stderr)

    @property
    def stderr(self) -> str:
        self._error_reader.join(timeout=10)
        return "".join(self._errors)

    def wait_line(self, prefix: str, seconds: float = 60) -> str:
        """The rest of the next line the host prints that starts with ``prefix``."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self._printed.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line from the host: {self.lines}") from None
            if line is None:
                self._printed.put(None)
                raise AssertionError(f"host ended: {self.stderr}")
            self.lines.append(line)
            if line.startswith(prefix):
                return line[len(prefix) :].strip()

    def stop(self, sig: int = signal.SIGTERM) -> str:
        self.process.send_signal(sig)
        self.process.wait(timeout=90)
        self._reader.join(timeout=30)
        while not self._printed.empty():
            line = self._printed.get_nowait()
            if line is not None:
                self.lines.append(line)
        errors = self.stderr
        self._close_pipes()
        assert self.process.returncode == 0, errors
        return next(line for line in self.lines if line.startswith("stopped: "))

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        self._error_reader.join(timeout=30)
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


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
