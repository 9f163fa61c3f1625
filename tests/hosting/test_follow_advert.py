"""A joined station whose host is back at another address or port (its own was taken) follows
the zeroconf advert of the same event (by its uid) and sends its offline scans there. The
advert is given (a multicast-free test); the host and the station's server calls are real."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from blackhole_proxy import Proxy
from hosting_support import HostProcess, make_event

from checkin.events import get_event
from checkin.hosting import discovery
from checkin.hosting.discovery import FoundEvent
from checkin.hosting.failover import join_station
from checkin.hosting.joining import resolve_join
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import open_database
from checkin.summary import summarize

pytestmark = pytest.mark.slow


def test_a_station_follows_the_advert_of_its_event_to_a_new_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_file = tmp_path / "party.checkin"
    people, _meals = make_event(event_file, people=6, meals=1)
    archive = open_database(event_file)
    uid = get_event(archive).uid
    archive.dispose()
    host = HostProcess(event_file, tmp_path / "home", announce=False)
    proxy = Proxy(host.port)  # the address the station knew
    try:
        url = resolve_join(f"{host.join}@127.0.0.1:{proxy.port}")
        station = join_station(
            f"{url}?application_name={quote('checkin:desk')}", "desk", tmp_path / "d"
        )
        other = FoundEvent("Another party", "elsewhere", ("127.0.0.1",), host.port, "x" * 32)
        ours = FoundEvent("Hosted Party", "host", ("127.0.0.1",), host.port, uid)
        monkeypatch.setattr(discovery, "browse", lambda seconds=3.0: [other, ours])
        engine = ScanEngine(station)
        assert engine.scan(people[0], Station("desk")).state is ScanState.CHECKED_IN
        proxy.close()  # the old address is gone for good
        assert engine.scan(people[1], Station("desk")).state is ScanState.CHECKED_IN
        assert not station.online and station.state.pending == 1
        deadline = time.monotonic() + 40
        while not station.online:
            assert time.monotonic() < deadline, station.state
            time.sleep(0.2)
        assert station.server.engine.url.port == host.port
        assert station.state.merged_scans == 1
        station.dispose()
        host.stop()
    finally:
        with contextlib.suppress(RuntimeError):  # closed already
            proxy.close()
        if host.process.poll() is None:
            host.kill()
    archive = open_database(event_file)
    try:
        assert summarize(archive).households_checked_in == 2
    finally:
        archive.dispose()
