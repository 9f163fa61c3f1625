"""A joined station whose host is back at another address or port (its own was taken) follows
the zeroconf advert of the same event (by its uid) and sends its offline scans there. The
advert is given (a multicast-free test); the host and the station's server calls are real.
An advert of the same uid from a server with a certificate of its own is not followed, even when
it pipes to the real server behind (a man in the middle): the station's pin holds there too."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from checkin.after_event.summary import summarize
from checkin.event.events import get_event
from checkin.hosting import discovery, tls
from checkin.hosting.discovery import FoundEvent
from checkin.hosting.failover import join_station
from checkin.hosting.join_code import new_secret
from checkin.hosting.joining import resolve_join, with_station_name
from checkin.hosting.server import PostgresServer
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import open_database
from tests.helpers.blackhole_proxy import Proxy
from tests.helpers.hosting_support import HostProcess, make_event

pytestmark = pytest.mark.slow


def test_a_station_follows_the_advert_of_its_event_to_a_new_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # this process's pins
    event_file = tmp_path / "party.checkin"
    people, _meals = make_event(event_file, people=6, meals=1)
    archive = open_database(event_file)
    uid = get_event(archive).uid
    archive.dispose()
    host = HostProcess(event_file, tmp_path / "home", announce=False)
    proxy = Proxy(host.port)  # the address the station knew
    try:
        url = resolve_join(f"{host.join}@127.0.0.1:{proxy.port}")
        station = join_station(with_station_name(url, "desk"), "desk", tmp_path / "d")
        other = FoundEvent("Another party", "elsewhere", ("127.0.0.1",), host.port, "x" * 32)
        rogue = _middle(event_file, tmp_path)
        assert rogue._server is not None
        rogue_port = int(rogue._server.sockets[0].getsockname()[1])
        copied = FoundEvent("Hosted Party", "rogue", ("127.0.0.1",), rogue_port, uid)
        ours = FoundEvent("Hosted Party", "host", ("127.0.0.1",), host.port, uid)
        monkeypatch.setattr(discovery, "browse", lambda seconds=3.0: [other, copied, ours])
        engine = ScanEngine(station)
        assert engine.scan(people[0], Station("desk")).state is ScanState.CHECKED_IN
        proxy.close()  # the old address is gone for good
        assert engine.scan(people[1], Station("desk")).state is ScanState.CHECKED_IN
        assert not station.online and station.state.pending == 1
        deadline = time.monotonic() + 40
        while not station.online:
            assert time.monotonic() < deadline, station.state
            time.sleep(0.2)
        assert station.server.engine.url.port == host.port  # not the rogue's, listed first
        rogue.stop()
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


def _middle(event_file: Path, folder: Path) -> tls.TlsFront:
    """A TLS front with a certificate of its own, piping to the host's real server."""
    conf = PostgresServer(event_file.resolve()).pgdata / "postgresql.auto.conf"
    backend = next(
        int(line.split("=")[1]) for line in conf.read_text().splitlines() if line.startswith("port")
    )
    cert, key = tls.make_certificate(new_secret())
    (folder / "rogue-cert.pem").write_bytes(cert)
    (folder / "rogue-key.pem").write_bytes(key)
    front = tls.TlsFront(
        "127.0.0.1",
        0,
        backend,
        folder / "rogue-cert.pem",
        folder / "rogue-key.pem",
        user="station",
        database="checkin",
    )
    front.start()
    return front
