"""The end of hosting, with real processes on loopback: a host stopped and started again on the
same file while a station keeps scanning (same code, same port; the station's offline scans
reach the file by themselves), and a CLI station that ends while it cannot reach the host."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from checkin.hosting.join_code import parse_join_code
from checkin.hosting.joining import NotTheHost, resolve_join, with_station_name
from checkin.store import open_database
from checkin.store.models import Attendee, CheckIn, ScanLog
from tests.helpers.blackhole_proxy import Proxy
from tests.helpers.hosting_support import HostProcess, ScanStation, make_event

pytestmark = pytest.mark.slow


def _checked_in(path: Path) -> set[str]:
    db = open_database(path)
    try:
        with db.reading() as session:
            return set(
                session.scalars(
                    select(Attendee.code)
                    .join(CheckIn, CheckIn.attendee_id == Attendee.id)
                    .where(CheckIn.undone_at.is_(None))
                )
            )
    finally:
        db.dispose()


def _connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A station's connection from its URL (TLS pinned, the station role)."""
    parsed = make_url(url)
    options: dict[str, Any] = {str(k): str(v) for k, v in parsed.query.items()}  # sslmode, ...
    return psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
        connect_timeout=5,
        **options,
    )


def test_a_host_stopped_and_started_again_gets_every_scan_of_a_station_that_went_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "probe"))  # this process's pins
    event_file = tmp_path / "party.checkin"
    people, _meals = make_event(event_file, people=12, meals=1)
    host = HostProcess(event_file, tmp_path / "home", announce=False)
    desk = ScanStation(
        f"{host.join}@127.0.0.1:{host.port}", "desk", tmp_path / "d", "--volunteer", "Ana"
    )
    hosts = [host]
    try:
        for code in people[:3]:
            assert desk.scan(code)["state"] == "checked_in"
        # Another desk checks in a person the first one will check in again while the host is
        # away (its copy, made when it joined, does not know): one conflict, for later.
        other = ScanStation(f"{host.join}@127.0.0.1:{host.port}", "desk-b", tmp_path / "b")
        assert other.scan(people[8])["state"] == "checked_in"
        assert other.close() == 0, other.stderr
        host.stop()  # Stop hosting: the file is written back, the server goes away
        for code in [*people[3:6], people[8]]:  # the station goes on, on its own copy
            assert desk.scan(code)["state"] == "checked_in"
        again = HostProcess(event_file, tmp_path / "home", announce=False)
        hosts.append(again)
        assert not any(line.startswith("resumed:") for line in again.lines)  # a clean start
        # The same code at the same address: the station finds it again by itself.
        assert (again.join, again.port) == (host.join, host.port)
        deadline = time.monotonic() + 30
        while not any(line.startswith("station desk: online") for line in again.lines):
            assert time.monotonic() < deadline, again.lines
            again.wait_line("station ", 30)
        assert desk.scan(people[6])["state"] == "checked_in"
        assert desk.close() == 0, desk.stderr
        assert "Hosting ended" in desk.stderr  # said when it happened
        again.wait_line("conflict: desk: ", 30)  # the double check-in, for the organiser
        again.kill()  # a crash: the server's data is picked up again below
        # After a leak, the organiser asks for a new code: the old one no longer gets in.
        renewed = HostProcess(event_file, tmp_path / "home", "--new-code", announce=False)
        hosts.append(renewed)
        assert any(line.startswith("resumed:") for line in renewed.lines)
        assert renewed.join != host.join
        # The certificate's proof is the new code's: the old code finds no host there.
        with pytest.raises(NotTheHost):
            resolve_join(f"{host.join}@127.0.0.1:{renewed.port}")
        url = resolve_join(f"{renewed.join}@127.0.0.1:{renewed.port}")
        # Nor does the station role take the old code's password, even through the new pin.
        old = quote(parse_join_code(host.join).password, safe="")
        new = quote(parse_join_code(renewed.join).password, safe="")
        with pytest.raises(psycopg.OperationalError, match="authentication"):
            _connect(url.replace(f":{new}@", f":{old}@")).close()
        # A station the host lists: it has looked at its conflicts by then too.
        with _connect(with_station_name(url, "probe")):
            renewed.wait_line("station probe: online", 30)
        renewed.stop()
        # Listed once: a host started again does not print the conflicts of the last one.
        assert not [line for line in renewed.lines if line.startswith("conflict: ")]
    finally:
        for process in hosts:
            if process.process.poll() is None:
                process.kill()
    assert set(people[:7]) <= _checked_in(event_file)  # no manual merge
    archive = open_database(event_file)
    try:
        with archive.reading() as session:
            volunteers = session.scalars(
                select(ScanLog.volunteer).where(ScanLog.station == "desk")
            ).all()
    finally:
        archive.dispose()
    assert volunteers and set(volunteers) == {"Ana"}  # online and offline alike


def test_a_cli_station_that_ends_offline_says_so_and_fails_fast(tmp_path: Path) -> None:
    event_file = tmp_path / "party.checkin"
    people, _meals = make_event(event_file, people=8, meals=1)
    host = HostProcess(event_file, tmp_path / "home", announce=False)
    proxy = Proxy(host.port)
    try:
        desk = ScanStation(f"{host.join}@127.0.0.1:{proxy.port}", "desk", tmp_path / "d")
        for code in people[:2]:
            assert desk.scan(code)["state"] == "checked_in"
        proxy.cut()  # the Wi-Fi drops and stays down
        for code in people[2:4]:
            assert desk.scan(code)["state"] == "checked_in"
        started = time.monotonic()
        returncode = desk.close()
        took = time.monotonic() - started
        assert returncode != 0, desk.stderr
        assert "2 scans have not reached the host" in desk.stderr, desk.stderr
        print(f"offline station ended in {took:.1f} s")
        assert took < 30  # it hung until the network came back: a hang, not a speed, is tested
    finally:
        proxy.close()
        host.stop()
    assert set(people[:2]) <= _checked_in(event_file)
