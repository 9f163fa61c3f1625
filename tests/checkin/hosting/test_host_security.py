"""Hosting on a shared Wi-Fi (issue 21): what a station may do on the server, what the network
sees, who a station agrees to join, and what idle sockets can do. One real host for the module
(`checkin host` on loopback, behind the organiser passphrase), its event holding a name of 500
code points."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from checkin.access import caller_pin
from checkin.event import events
from checkin.hosting import tls
from checkin.hosting.discovery import FoundEvent
from checkin.hosting.join_code import JoinCode, new_secret, parse_join_code
from checkin.hosting.joining import NotTheHost, resolve_join
from checkin.hosting.server import PostgresServer, server_folder
from checkin.store import open_database
from checkin.store.models import Attendee, CheckIn, Event
from tests.helpers.hosting_support import HostProcess, ScanStation, environment, make_event
from tests.helpers.net_proxy import Proxy

pytestmark = pytest.mark.slow

EVENT = "Hosted Party"
PASSPHRASE = "sycamore organiser 7"
STATION_CLI = (sys.executable, "-m", "checkin", "scan", "--join")
LONG_NAME = "e" + "\u0301" * 499  # one visible letter, 500 code points


@dataclass
class Hosted:
    folder: Path
    event_file: Path
    host: HostProcess
    people: list[str]
    surname: str  # of people[0]
    key: bytes  # the event's signing key
    folder_mode: int


@pytest.fixture(scope="module")
def hosted() -> Iterator[Hosted]:
    folder = Path(tempfile.mkdtemp(prefix="checkin-host-security-"))
    folder.chmod(0o700)  # closed to others: hosting must not open it (nor its parents)
    event_file = folder / "party.checkin"
    people, _meals = make_event(event_file, people=12, meals=1, name=EVENT)
    db = open_database(event_file)
    try:
        events.set_passphrase(db, PASSPHRASE)
        caller_pin.set_caller_pin(db, "2468")

        def lengthen(session: Session) -> tuple[str, bytes]:
            first = session.scalars(select(Attendee).where(Attendee.code == people[0])).one()
            last = session.scalars(select(Attendee).where(Attendee.code == people[-1])).one()
            last.first_name = LONG_NAME
            return first.last_name, session.scalars(select(Event)).one().secret_key

        surname, key = db.write(lengthen)
    finally:
        db.dispose()
    os.environ["CHECKIN_PASSPHRASE"] = PASSPHRASE  # as a script would give it
    try:
        host = HostProcess(event_file, folder / "host-home", announce=False)
    finally:
        del os.environ["CHECKIN_PASSPHRASE"]
    try:
        yield Hosted(folder, event_file, host, people, surname, key, 0o700)
    finally:
        try:
            host.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _connect(url: str, **changes: str) -> psycopg.Connection[tuple[object, ...]]:
    parsed = make_url(url)
    params: dict[str, object] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": parsed.database,
        "connect_timeout": 5,
        **{str(k): str(v) for k, v in parsed.query.items()},
    }
    params.update(changes)
    return psycopg.connect(**params, autocommit=True)  # type: ignore[arg-type]


FORBIDDEN = [
    "COPY (SELECT 1) TO PROGRAM 'id'",
    "COPY scans FROM PROGRAM 'id'",
    "COPY scans TO '/tmp/checkin-scans.csv'",
    "SELECT pg_read_binary_file('/etc/passwd')",
    "SELECT pg_read_file('postgresql.conf')",
    "SELECT pg_ls_dir('.')",
    "SELECT lo_import('/etc/passwd')",
    "DELETE FROM scans",
    "DELETE FROM checkins",
    "DELETE FROM audit WHERE id > 6",
    "DELETE FROM attendees",
    "TRUNCATE scans",
    "UPDATE audit SET detail = '{}'",
    "UPDATE scans SET state = 'void'",
    "UPDATE checkins SET attendee_id = 1",
    "UPDATE events SET secret_key = 'x'",
    "UPDATE events SET organiser_hash = ''",
    "SELECT organiser_hash FROM public.events",
    "SELECT * FROM public.events",
    "DROP TABLE scans",
    "CREATE TABLE loot (a text)",
    "CREATE TEMP TABLE loot (a text)",
    "CREATE SCHEMA loot",
    "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "ALTER TABLE scans ADD COLUMN loot text",
    "ALTER ROLE station SUPERUSER",
    "ALTER ROLE checkin PASSWORD 'taken'",
    "CREATE ROLE loot LOGIN SUPERUSER",
    "SET ROLE checkin",
    "INSERT INTO settings (key, value) VALUES ('logo_png', 'x')",
    "SET SESSION AUTHORIZATION checkin",
]


def test_a_station_cannot_run_forbidden_statements(hosted: Hosted) -> None:
    url = hosted.host.url
    assert make_url(url).username == "station"
    with _connect(url) as connection:
        # What a station needs works: reading people, and the event without the organiser hash.
        names = connection.execute("SELECT count(*) FROM attendees").fetchone()
        assert names is not None and names[0] == 12
        row = connection.execute("SELECT organiser_hash, secret_key FROM events").fetchone()
        assert row is not None and row[0] == "hidden" and isinstance(row[1], bytes | memoryview)
        assert bytes(row[1]) == hosted.key
        refused = []
        for statement in FORBIDDEN:
            try:
                connection.execute(statement.encode())
            except psycopg.Error:
                continue
            refused.append(statement)
        assert refused == [], f"a station could run: {refused}"
        # The raffle caller's PIN is the organiser's to set: a station's UPDATE reaches no row.
        pin = "SELECT value FROM settings WHERE key = 'raffle_caller_pin'"
        before = connection.execute(pin).fetchone()
        changed = connection.execute(
            "UPDATE settings SET value = 'mine' WHERE key = 'raffle_caller_pin'"
        )
        assert changed.rowcount == 0 and connection.execute(pin).fetchone() == before
        # The scans are all still there (nothing above was half done).
        assert connection.execute("SELECT count(*) FROM audit").fetchone() != (0,)


def test_only_the_station_role_reaches_the_server_from_the_network(hosted: Hosted) -> None:
    url = hosted.host.url
    for changes in ({"user": "checkin"}, {"dbname": "postgres"}, {"user": "postgres"}):
        with pytest.raises(psycopg.OperationalError):
            _connect(url, **changes).close()
    with pytest.raises(psycopg.OperationalError):  # no TLS: refused
        _connect(url, sslmode="disable").close()


def test_the_owner_password_is_never_printed(hosted: Hosted) -> None:
    owner = (server_folder(hosted.event_file) / "owner-password").read_text().strip()
    assert len(owner) >= 32
    printed = "\n".join(hosted.host.lines)
    assert owner not in printed
    assert hosted.host.url.startswith("postgresql+psycopg://station:")


def test_server_folder_and_files_are_private_and_no_parent_opened(hosted: Hosted) -> None:
    server = server_folder(hosted.event_file)
    assert stat.S_IMODE(server.stat().st_mode) == 0o700
    files = [p for p in server.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {"host.json", "host.lock", "server.log", "owner-password"}
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert set(modes.values()) == {"0o600"}, modes
    assert stat.S_IMODE(hosted.folder.stat().st_mode) == hosted.folder_mode


def test_a_sniffer_between_station_and_host_sees_no_name_and_no_key(
    hosted: Hosted, tmp_path: Path
) -> None:
    proxy = Proxy(hosted.host.port).start()
    proxy.recording = bytearray()
    try:
        station = ScanStation(
            f"{hosted.host.join}@127.0.0.1:{proxy.port}", "sniffed", tmp_path / "station"
        )
        answer = station.scan(hosted.people[0])
        # The station worked on the event (its copy holds the names; `scan` itself prints
        # none since issue 23)...
        assert answer["state"] in ("checked_in", "already_checked_in"), answer
        assert station.close() == 0, station.stderr
    finally:
        proxy.stop()
    seen = bytes(proxy.recording)
    assert len(seen) > 10_000  # the whole event went to the station's copy
    # ...but the Wi-Fi did not: no name, no key (raw or as PostgreSQL's hex text), no SQL.
    assert hosted.surname.encode() not in seen
    assert hosted.key not in seen and hosted.key.hex().encode() not in seen
    assert b"SELECT" not in seen and b"attendees" not in seen
    # The station's copy of the event and its pinned certificate are its user's only.
    kept = [p for p in (tmp_path / "station").rglob("*") if p.is_file()]
    assert any(p.suffix == ".checkin" for p in kept) and any(p.suffix == ".pem" for p in kept)
    for path in kept:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in {p.parent for p in kept}:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


class FakeTrustServer:
    """A rogue 'PostgreSQL' on loopback: no TLS, lets anyone in without a password."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.logins = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(client,), daemon=True).start()

    def _one(self, client: socket.socket) -> None:
        with client:
            try:
                length, code = struct.unpack("!ii", client.recv(8))
                if code in (tls.SSL_REQUEST, tls.GSSENC_REQUEST):
                    client.sendall(b"N")
                    (length,) = struct.unpack("!i", client.recv(4))
                    client.recv(length - 4)
                else:
                    client.recv(length - 8)
                self.logins += 1
                client.sendall(b"R" + struct.pack("!ii", 8, 0) + b"Z" + struct.pack("!i", 5) + b"I")
                while client.recv(4096):
                    pass
            except (OSError, struct.error):
                pass

    def close(self) -> None:
        self.sock.close()


def _advert(port: int) -> FoundEvent:
    return FoundEvent(EVENT, "rogue", ("127.0.0.1",), port, "uid-copied-from-the-host")


def test_a_rogue_server_with_the_same_advert_is_refused(hosted: Hosted, tmp_path: Path) -> None:
    rogue = FakeTrustServer()
    cert, key = tls.make_certificate(new_secret())  # TLS of its own, in front of the rogue
    (tmp_path / "c.pem").write_bytes(cert)
    (tmp_path / "k.pem").write_bytes(key)
    front = tls.TlsFront(
        "127.0.0.1",
        0,
        rogue.port,
        tmp_path / "c.pem",
        tmp_path / "k.pem",
        user="station",
        database="checkin",
    )
    front.start()
    assert front._server is not None
    front_port = int(front._server.sockets[0].getsockname()[1])
    os.environ["XDG_DATA_HOME"] = str(tmp_path / "station")
    try:
        for port in (rogue.port, front_port):
            with pytest.raises(NotTheHost, match=f"This is not the host of “{EVENT}”: do not join"):
                resolve_join(hosted.host.join, [_advert(port)])
        assert rogue.logins == 0  # nothing was sent to it, not even the station role's name
        # With the real host's advert as well, the station joins the real host.
        real = FoundEvent(EVENT, "host", ("127.0.0.1",), hosted.host.port, "uid")
        url = resolve_join(hosted.host.join, [_advert(rogue.port), real])
        assert f":{hosted.host.port}/" in url and "sslmode=verify-ca" in url
        # A CLI station told the rogue's address says so and does not start.
        done = subprocess.run(
            [*STATION_CLI, f"{hosted.host.join}@127.0.0.1:{rogue.port}", "--station", "s"],
            env=environment(tmp_path / "cli"),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert done.returncode != 0
        assert "This is not the host of this event: do not join" in done.stderr
    finally:
        os.environ.pop("XDG_DATA_HOME", None)
        front.stop()
        rogue.close()


def test_two_hundred_idle_sockets_do_not_lock_a_station_out(hosted: Hosted, tmp_path: Path) -> None:
    idle = [socket.create_connection(("127.0.0.1", hosted.host.port)) for _ in range(200)]
    try:
        station = ScanStation(
            f"{hosted.host.join}@127.0.0.1:{hosted.host.port}", "crowded", tmp_path / "station"
        )
        answer = station.scan(hosted.people[1])
        assert answer["state"] in ("checked_in", "already_checked_in"), answer
        assert station.close() == 0, station.stderr
    finally:
        for sock in idle:
            sock.close()


def test_hosting_needs_the_organiser_passphrase(hosted: Hosted, tmp_path: Path) -> None:
    event_file = tmp_path / "locked.checkin"
    make_event(event_file, people=2, meals=0, name="Locked Party")
    db = open_database(event_file)
    try:
        events.set_passphrase(db, PASSPHRASE)
    finally:
        db.dispose()
    env = environment(tmp_path / "home")
    env.pop("CHECKIN_PASSPHRASE", None)
    done = subprocess.run(
        [sys.executable, "-m", "checkin", "host", "--db", str(event_file), "--no-announce"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "organiser passphrase" in done.stderr
    assert not server_folder(event_file).exists()


def test_a_station_that_changes_its_own_role_is_put_back(hosted: Hosted) -> None:
    """PostgreSQL lets a role change its own password and session defaults; the host undoes
    that, so one station cannot lock the others out."""
    url = hosted.host.url
    with _connect(url) as connection:
        connection.execute(b"ALTER ROLE station PASSWORD 'all-mine'")
        connection.execute(b"ALTER ROLE station SET default_transaction_read_only = on")
    deadline = time.monotonic() + 30
    while True:
        try:
            with _connect(url) as connection:
                row = connection.execute("SHOW default_transaction_read_only").fetchone()
                if row == ("off",):
                    break
        except psycopg.OperationalError:
            pass
        assert time.monotonic() < deadline, "the station role was not put back"
        time.sleep(0.2)


def test_a_joined_desk_does_its_work_as_the_station_role(hosted: Hosted, tmp_path: Path) -> None:
    """The grants cover the desk: a walk-up, its check-in (tickets issued), an undo, an edit,
    a desk setting and the station's own mode, all on the server (none refused, none offline)."""
    from checkin import undo
    from checkin.hosting.failover import join_station
    from checkin.hosting.joining import with_station_name
    from checkin.people import attendees
    from checkin.people.edits import edit_person
    from checkin.results import Station
    from checkin.scanning.engine import ScanEngine
    from checkin.stations import setup as stations

    here = Station("desk-x", volunteer="Rosa")
    db = join_station(with_station_name(hosted.host.url, here.name), here.name, tmp_path)
    try:
        walk_up = attendees.register(db, here, first_name="Ana", adults=2)
        answer = ScanEngine(db).scan(walk_up.code, here)
        assert answer.state.value == "checked_in", answer
        undone = undo.undo_last(db, here)
        assert undone.done, undone.message
        attendees.update_attendee(db, walk_up.code, here, last_name="Ruiz", kids=1)
        # Issue 24: an attention note set from the person window, and its undo (the values
        # it replaced are emptied, not deleted: the station role deletes nothing).
        edit_person(db, walk_up.code, here, attention_note="uses a cane")
        assert undo.undo_last(db, here).done
        events.set_card_seconds(db, 12, station=here.name)
        stations.save_station(db, here, by=here.name)
        assert db.online
    finally:
        db.dispose()
    with _connect(hosted.host.url) as connection:
        row = connection.execute(
            "SELECT last_name, kids, attention_note FROM attendees WHERE code = %s",
            (walk_up.code,),
        ).fetchone()
        assert row == ("Ruiz", 1, "")


def test_a_server_folder_from_before_keeps_its_data_and_gets_a_random_owner_password(
    tmp_path: Path,
) -> None:
    """A host killed before the upgrade left a cluster whose owner password was the join
    code's: the next host goes on with its data and gives the owner a random password."""
    event_file = tmp_path / "party.checkin"
    people, _meals = make_event(event_file, people=4, meals=0)
    host = HostProcess(event_file, tmp_path / "home", announce=False)
    desk = ScanStation(f"{host.join}@127.0.0.1:{host.port}", "desk", tmp_path / "d")
    assert desk.scan(people[0])["state"] == "checked_in"
    assert desk.close() == 0, desk.stderr
    host.kill()  # its server goes on; make its folder look like the old version's
    folder = server_folder(event_file)
    owner = folder / "owner-password"
    backend = _server_port(event_file)
    code_password = JoinCode(parse_join_code(host.join).secret).password
    with psycopg.connect(
        host="127.0.0.1",
        port=backend,
        user="checkin",
        password=owner.read_text().strip(),
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f"ALTER ROLE checkin PASSWORD '{code_password}'".encode())
    owner.unlink()
    again = HostProcess(event_file, tmp_path / "home", announce=False)
    try:
        assert any(line.startswith("resumed:") for line in again.lines)
        fresh = owner.read_text().strip()
        assert fresh != code_password and len(fresh) >= 32
        with pytest.raises(psycopg.OperationalError):  # the code no longer opens the owner
            psycopg.connect(
                host="127.0.0.1",
                port=_server_port(event_file),
                user="checkin",
                password=code_password,
                dbname="postgres",
            ).close()
    finally:
        again.stop()
    db = open_database(event_file)
    try:
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(CheckIn)) == 1
    finally:
        db.dispose()


def _server_port(event_file: Path) -> int:
    """The loopback port the event's running server was configured with."""
    conf = PostgresServer(event_file.resolve()).pgdata / "postgresql.auto.conf"
    for line in conf.read_text().splitlines():
        if line.startswith("port = "):
            return int(line.split("=")[1])
    raise AssertionError(f"no port in {conf}")
